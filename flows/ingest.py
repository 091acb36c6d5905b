"""The Prefect `ingest` flow: poll feeds -> fetch pages -> main text + extraction -> load, in batches.

Only wiring: every step is a plain function in `flows/steps.py`. Work moves in batches of
`Settings.batch_size` entries; the fetch of the next batch overlaps the CPU stage of the previous ones. The CPU
stage (main text + extraction) is a submitted task: on the default runner it spreads each batch over a process
pool of `Settings.workers`; with `Settings.dask_cluster` it runs on that Dask cluster instead. Loading stays in
the flow process (one writer), under an exclusive lock file next to the warehouse.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NONE
from prefect.runtime import task_run
from prefect.states import Failed, State
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from flows import steps
from models.errors import ConfigError, GridscoutError
from models.records import FeedEntry, Page, RunSummary
from models.settings import Settings

MIN_ENTRIES_FOR_POOL = steps.MIN_ENTRIES_FOR_POOL
MAX_INFLIGHT = steps.MAX_INFLIGHT

ProgressListener = Callable[[str, int, int], None]
progress_listeners: list[ProgressListener] = []  # the CLI adds a progress bar here; (stage, done, total)


class IngestRunFailed(GridscoutError):
    """More entries failed than Settings.failure_ratio allows; `summary` holds the run's counts."""

    def __init__(self, message: str, summary: RunSummary) -> None:
        super().__init__(message, summary)
        self.message = message
        self.summary = summary

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"IngestRunFailed({self.message!r})"


def _progress(stage: str, done: int, total: int) -> None:
    for listener in list(progress_listeners):
        listener(stage, done, total)


@task(name="poll-feeds", cache_policy=NONE)
def poll_feeds_task(source: Any, con: Any, feeds: list[str]) -> list[steps.FeedPoll]:
    return steps.poll_feeds(source, con, feeds)


@task(name="fetch-pages", cache_policy=NONE, retries=2, retry_delay_seconds=exponential_backoff(backoff_factor=1))
def fetch_pages_task(source: Any, entries: list[FeedEntry], threads: int) -> steps.FetchedBatch:
    return steps.fetch_pages(source, entries, threads)


@task(name="refetch-transient", cache_policy=NONE, retry_delay_seconds=exponential_backoff(backoff_factor=1))
def refetch_task(source: Any, entries: list[FeedEntry], threads: int, retries: int) -> steps.FetchedBatch:
    """Fetch pages that failed transiently; raise (Prefect retries, 1 s, 2 s, 4 s ... apart) while retries remain.

    The first attempt follows the batch's own fetch at once; `retries` counts all attempts made here.
    """
    batch = steps.fetch_pages(source, entries, threads)
    remaining = steps.transient_entries(batch)
    if remaining and task_run.run_count < retries:
        raise steps.TransientFetchError(f"{len(remaining)} of {len(entries)} pages still failing transiently, "
                                        f"e.g. {remaining[0].url}", url=remaining[0].url, reason="transient")
    return batch


@task(name="main-text-and-extract", cache_policy=NONE)
def process_task(pages: list[Page], known: dict[str, str], pool: Executor | None, workers: int,
                 stale: frozenset[str] = frozenset(), settings: Settings | None = None) -> steps.ProcessedBatch:
    return steps.process_pages_parallel(pages, known, pool, workers, stale, settings)


@task(name="load", cache_policy=NONE)
def load_task(con: Any, ledger: steps.RunLedger, batch: steps.ProcessedBatch) -> steps.LoadResult:
    return steps.load_processed(con, ledger, batch)


def _dask_runner(address: str) -> Any:
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(address=address)


@flow(name="ingest", log_prints=False, validate_parameters=False)
def ingest(feeds: list[str], settings: Settings | dict[str, Any] | None = None) -> RunSummary | State:
    """Ingest every entry of `feeds` into the warehouse at `settings.db_path`; returns the RunSummary.

    When failures exceed `settings.failure_ratio` the run ends Failed and calling the flow raises
    IngestRunFailed (carrying the summary); the counts are in the warehouse and the table artifact either way.
    """
    settings = settings_from_parameters(settings)
    logger = get_run_logger()
    fetch = fetch_pages_task.with_options(retries=settings.fetch_retries)
    refetch = refetch_task.with_options(retries=max(0, settings.fetch_retries - 1))
    # quote(): Prefect would otherwise walk every page, article and ledger entry looking for futures
    # (measured: ~1 s per load call with a 10,000-entry ledger and a 200-article batch, 7 ms quoted)
    runners = steps.StageRunners(
        poll=poll_feeds_task,
        fetch=lambda source, entries, threads: fetch(source, quote(entries), threads),
        refetch=(lambda source, entries, threads: refetch(source, quote(entries), threads, settings.fetch_retries))
        if settings.fetch_retries > 0 else None,
        submit_process=process_task.submit,  # not quoted: a Dask worker would receive the quote wrapper itself
        load=lambda con, ledger, batch: load_task(con, quote(ledger), quote(batch)),
        progress=_progress,
        cpu_in_process=bool(settings.dask_cluster),
    )
    summary = steps.run_pipeline(feeds, settings, runners)
    if summary.status == "skipped":
        logger.warning("run skipped: another ingest run holds the lock on %s (%s)", settings.db_path,
                       steps.lock_path_for(settings.db_path))
        return summary
    create_table_artifact(table=steps.summary_rows(summary), key="ingest-summary",
                          description=f"gridscout ingest run {summary.run_id}: counts per entry state")
    logger.info(
        "run %s %s: feeds=%d entries=%d loaded=%d unchanged=%d duplicate=%d skipped=%d failed=%d "
        "facilities=%d seconds=%s", summary.run_id, summary.status, summary.feeds, summary.entries,
        summary.loaded, summary.unchanged, summary.duplicate, summary.skipped, summary.failed,
        summary.facilities, summary.stage_seconds,
    )
    if summary.status == "failed":
        failure = IngestRunFailed(f"run {summary.run_id}: {summary.failed} of {summary.entries} entries and "
                                  f"{summary.failed_feeds} of {summary.feeds} feeds failed (limit "
                                  f"{settings.failure_ratio:.0%}); see the failures table", summary)
        logger.error("%s", failure)
        # a Failed state (not a raise): the run ends Failed without a traceback for an expected outcome;
        # calling ingest() directly still raises IngestRunFailed
        return Failed(message=str(failure), data=failure)
    return summary


def flow_for(settings: Settings) -> Any:
    """The ingest flow with the task runner the settings ask for (Dask cluster or the default)."""
    if settings.dask_cluster:
        return ingest.with_options(task_runner=_dask_runner(settings.dask_cluster))
    return ingest


def run_ingest(feeds: list[str], settings: Settings) -> RunSummary:
    """Run the flow and return its RunSummary whatever the final state (failed runs included)."""
    state = flow_for(settings)(feeds, settings, return_state=True)
    result = state.result(raise_on_failure=False)
    if isinstance(result, RunSummary):
        return result
    if isinstance(result, IngestRunFailed):
        return result.summary
    if isinstance(result, BaseException):
        raise result
    raise RuntimeError(f"ingest flow ended in state {state.type} without a summary: {state.message}")


def settings_parameters(settings: Settings) -> dict[str, Any]:
    """Settings as JSON-safe deployment parameters (paths as strings, tuples as lists)."""
    def plain(v: Any) -> Any:
        if isinstance(v, Path):
            return str(v)
        return list(v) if isinstance(v, tuple) else v

    return {f.name: plain(getattr(settings, f.name)) for f in fields(settings)}


def settings_from_parameters(params: dict[str, Any] | Settings | None) -> Settings:
    """Settings back from deployment parameters (the inverse of settings_parameters); None = from the env."""
    if params is None or isinstance(params, Settings):
        return params or Settings.from_env()
    defaults = Settings()
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(params) - known)
    if unknown:
        raise ConfigError(f"unknown settings in the flow parameters: {', '.join(unknown)}")
    clean: dict[str, Any] = {}
    for key, value in params.items():
        default = getattr(defaults, key)
        if value is not None and isinstance(default, Path):
            value = Path(value)
        elif isinstance(value, list) and isinstance(default, tuple):
            value = tuple(value)
        clean[key] = value
    return replace(defaults, **clean)
