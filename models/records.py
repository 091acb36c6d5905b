"""Pydantic records passed between sources, extractors, warehouse and flows.

Field names of `Facility` follow the evaluation corpus format (../shared/corpus/README.md) plus provenance.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FACILITY_TYPES: tuple[str, ...] = (
    "solar", "wind", "hydro", "biogas", "biomass", "coal", "gas", "nuclear", "geothermal",
    "battery_storage", "waste_to_energy", "oil", "hydrogen", "other",
)
STATUSES: tuple[str, ...] = (
    "planned", "under_construction", "commissioned", "operational", "cancelled", "unknown",
)
CAPACITY_UNITS: tuple[str, ...] = ("kW", "MW", "GW", "MWp")

FacilityType = Literal[
    "solar", "wind", "hydro", "biogas", "biomass", "coal", "gas", "nuclear", "geothermal",
    "battery_storage", "waste_to_energy", "oil", "hydrogen", "other",
]
Status = Literal["planned", "under_construction", "commissioned", "operational", "cancelled", "unknown"]


def sha256_hex(*parts: str | None, length: int = 16) -> str:
    """Stable content hash of the given parts (None as empty), truncated to `length` hex chars."""
    h = hashlib.sha256()
    for p in parts:
        h.update((p or "").encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class FeedEntry(Record):
    """One item discovered in a feed."""

    feed: str  # feed URL or local path it came from
    url: str  # link to the page (http(s) URL or local path)
    title: str | None = None
    published: dt.datetime | None = None
    author: str | None = None
    summary: str | None = None  # the entry's own content/summary (HTML or text): fallback when the page fails


class Page(Record):
    """Raw bytes of one fetched page, before main-text extraction."""

    entry: FeedEntry
    final_url: str
    body: bytes
    content_type: str | None = None
    fetched_at: dt.datetime
    from_feed_content: bool = False  # True when the page failed and the entry's own content is used
    fallback_reason: str | None = None  # the page's FetchError reason when from_feed_content


class Article(Record):
    """One article after main-text extraction; `article_id` = hash of canonical URL."""

    article_id: str
    url: str
    canonical_url: str
    title: str | None = None
    published: dt.date | None = None
    author: str | None = None
    site: str | None = None
    text: str
    content_hash: str
    fetched_at: dt.datetime
    source: str  # the feed it came from


class Mention(Record):
    """An organisation or location mention with offsets in the article text."""

    kind: Literal["organisation", "location"]
    text: str
    canonical: str | None = None  # e.g. canonical region/country name for a transliteration variant
    label: str | None = None  # finer class: village, town, district, region, country, company, agency...
    start_char: int
    end_char: int
    sentence: str | None = None
    pattern_ids: list[str] = Field(default_factory=list)


class Facility(Record):
    """One energy facility found in an article, with provenance."""

    type: FacilityType
    name: str | None = None
    capacity_value: float | None = None
    capacity_unit: str | None = None
    capacity_mw: float | None = None
    storage_mwh: float | None = None
    capacity_range: list[float] | None = None
    capacity_qualifier: str | None = None
    location: str | None = None
    admin_area: str | None = None
    region: str | None = None
    region_canonical: str | None = None
    country: str | None = None
    status: Status = "unknown"
    organisations: list[str] = Field(default_factory=list)
    target_year: int | None = None
    optional: bool = False
    # provenance
    sentence: str | None = None
    start_char: int | None = None
    end_char: int | None = None
    pattern_ids: list[str] = Field(default_factory=list)
    extractor_version: str | None = None
    pattern_set_version: str | None = None
    confidence: float | None = None


class ExtractionResult(Record):
    """What the extractor returns for one text."""

    id: str
    source: str | None = None
    facilities: list[Facility] = Field(default_factory=list)
    organisations: list[Mention] = Field(default_factory=list)
    locations: list[Mention] = Field(default_factory=list)
    extractor_version: str | None = None
    pattern_set_version: str | None = None


Outcome = Literal["loaded", "unchanged", "duplicate", "skipped", "failed"]


class EntryOutcome(Record):
    """The single final state of one discovered entry in a run."""

    url: str
    feed: str | None = None
    outcome: Outcome
    reason: str | None = None
    article_id: str | None = None


class FailureRecord(Record):
    """A feed or entry that failed or was skipped, with its stage and reason."""

    run_id: str
    url: str
    feed: str | None = None
    stage: Literal["feed", "fetch", "main_text", "extract", "load"]
    reason: str
    detail: str | None = None
    at: dt.datetime


class RunSummary(Record):
    """Counts of one run; stored in `runs` and shown by the CLI and the Prefect artifact."""

    run_id: str
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    feeds: int = 0
    entries: int = 0
    loaded: int = 0
    unchanged: int = 0
    duplicate: int = 0
    skipped: int = 0
    failed: int = 0
    failed_feeds: int = 0  # feeds that could not be fetched or parsed (their entries are unknown)
    facilities: int = 0
    mentions: int = 0
    status: Literal["running", "completed", "failed", "skipped"] = "running"
    stage_seconds: dict[str, float] = Field(default_factory=dict)
