"""One typed settings object, built once at the CLI edge and passed explicitly."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_DB = "gridscout.duckdb"
USER_AGENT = "gridscout/0.1 (+https://github.com/gridscout/gridscout; energy-news research bot)"


@dataclass(frozen=True)
class Settings:
    db_path: Path = Path(DEFAULT_DB)
    # fetching
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    allow_private_hosts: bool = False
    private_hosts_allowlist: tuple[str, ...] = ()  # exact host names exempt from the SSRF address check
    obey_robots: bool = True
    per_host_delay: float = 0.0
    per_host_concurrency: int = 2
    fetch_retries: int = 2
    retry_backoff: float = 0.5  # first wait before retrying 429/5xx; doubles per attempt
    retry_max_wait: float = 30.0  # longest single wait (Retry-After above it: give up instead)
    min_fallback_chars: int = 400  # feed-entry content long enough to stand in for a failed page
    parse_deadline: float = 20.0  # wall-clock limit for feed parsing / HTML extraction in a worker
    # run
    batch_size: int = 200  # entries per fetch / CPU task
    load_batch_size: int = 1000  # processed articles per load transaction (CPU batches are grouped up to this)
    workers: int = 0  # 0 = os.cpu_count(); 1 = in-process
    failure_ratio: float = 0.5  # a run fails when failed/entries exceeds this
    lock_retries: int = 5
    lock_retry_delay: float = 1.0
    dask_cluster: str | None = None
    sources_file: Path = Path("sources.toml")
    feed_max_entries: dict[str, int] = field(default_factory=dict)  # feed -> most entries taken per poll
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Defaults, then GRIDSCOUT_* environment variables, then explicit non-None overrides."""
        env = os.environ
        s = cls()
        if env.get("GRIDSCOUT_DB"):
            s = replace(s, db_path=Path(env["GRIDSCOUT_DB"]))
        if env.get("GRIDSCOUT_ALLOW_PRIVATE_HOSTS", "").lower() in {"1", "true", "yes"}:
            s = replace(s, allow_private_hosts=True)
        if env.get("GRIDSCOUT_DASK_CLUSTER"):
            s = replace(s, dask_cluster=env["GRIDSCOUT_DASK_CLUSTER"])
        if env.get("GRIDSCOUT_SOURCES"):
            s = replace(s, sources_file=Path(env["GRIDSCOUT_SOURCES"]))
        clean = {k: v for k, v in overrides.items() if v is not None}
        if "db_path" in clean:
            clean["db_path"] = Path(clean["db_path"])  # type: ignore[arg-type]
        return replace(s, **clean)  # type: ignore[arg-type]
