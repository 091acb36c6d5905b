"""The gridscout exception tree.

    GridscoutError
     ├── ConfigError            bad settings or sources file
     ├── SourceError            anything fetched from a feed or page
     │    ├── FetchError        network, HTTP status, size cap, SSRF refusal, robots
     │    └── FeedError         a feed that cannot be parsed
     ├── ExtractionError        main text or information extraction failed on one input
     ├── WarehouseError         DuckDB schema, migrations, loads, queries
     │    └── WarehouseLockedError   another process holds the database file
     └── ReviewSheetError       an exported/imported review sheet is invalid

Messages say what was wrong, where (file, row, column, URL) and what to do.
"""

from __future__ import annotations


class GridscoutError(Exception):
    """Base class of every error gridscout raises on purpose."""


class ConfigError(GridscoutError):
    """Invalid settings or sources file."""


class SourceError(GridscoutError):
    """A feed or page could not be obtained."""

    def __init__(self, message: str, *, url: str | None = None, reason: str = "error") -> None:
        super().__init__(message)
        self.url = url
        self.reason = reason


class FetchError(SourceError):
    """Network, HTTP status, size cap, SSRF refusal or robots.txt refusal."""


class FeedError(SourceError):
    """A feed that cannot be parsed into entries."""


class ExtractionError(GridscoutError):
    """Main-text or information extraction failed on one input."""


class WarehouseError(GridscoutError):
    """DuckDB schema, migration, load or query failure."""


class WarehouseLockedError(WarehouseError):
    """Another process holds the DuckDB file."""


class ReviewSheetError(GridscoutError):
    """A review sheet failed validation; `problems` lists every `row N, column X: what is wrong`."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []
