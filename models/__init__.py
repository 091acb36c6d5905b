"""Typed records shared by every part of gridscout (sources, extractors, warehouse, flows)."""

from models.errors import (
    ConfigError,
    ExtractionError,
    FeedError,
    FetchError,
    GridscoutError,
    ReviewSheetError,
    SourceError,
    WarehouseError,
    WarehouseLockedError,
)
from models.records import (
    FACILITY_TYPES,
    STATUSES,
    Article,
    EntryOutcome,
    ExtractionResult,
    Facility,
    FailureRecord,
    FeedEntry,
    Mention,
    Page,
    RunSummary,
)
from models.settings import Settings

__all__ = [
    "FACILITY_TYPES",
    "STATUSES",
    "Article",
    "ConfigError",
    "EntryOutcome",
    "ExtractionError",
    "ExtractionResult",
    "Facility",
    "FailureRecord",
    "FeedEntry",
    "FeedError",
    "FetchError",
    "GridscoutError",
    "Mention",
    "Page",
    "ReviewSheetError",
    "RunSummary",
    "Settings",
    "SourceError",
    "WarehouseError",
    "WarehouseLockedError",
]
