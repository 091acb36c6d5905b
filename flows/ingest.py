"""The Prefect `ingest` flow: poll feeds -> fetch pages -> main text + extraction -> load, in batches.

Only wiring: every step is a plain function in `flows/steps.py`. Work moves in batches of
`Settings.batch_size` entries; the fetch of the next batch overlaps the CPU stage of the previous ones. The CPU
stage (main text + extraction) is a submitted task: on the default runner it spreads each batch over a process
pool of `Settings.workers`; with `Settings.dask_cluster` it runs on that Dask cluster instead. Loading stays in
the flow process (one writer), under an exclusive lock file next to the warehouse.
"""

from __future__ import annotations

import time
from collections import deque
from contextlib import ExitStack
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import replace
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NONE
from prefect.tasks import exponential_backoff

from flows import steps
from models.errors import GridscoutError, WarehouseLockedError
from models.records import FeedEntry, Page, RunSummary
from models.settings import Settings

# Below this many entries a process pool costs more to start (spawn + imports) than it saves.
MIN_ENTRIES_FOR_POOL = 100
# CPU batches in flight at once: enough to keep the pool busy while the flow fetches and loads, and no more
# (bounded memory: pages are streamed batch by batch, never all held at once).
MAX_INFLIGHT = 2

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
    return [steps.poll_feed(source, con, f) for f in feeds]


@task(name="fetch-pages", cache_policy=NONE, retries=2, retry_delay_seconds=exponential_backoff(backoff_factor=1))
def fetch_pages_task(source: Any, entries: list[FeedEntry], threads: int) -> steps.FetchedBatch:
    return steps.fetch_pages(source, entries, threads)


@task(name="main-text-and-extract", cache_policy=NONE)
def process_task(pages: list[Page], known: dict[str, str], pool: Executor | None, workers: int) -> steps.ProcessedBatch:
    return steps.process_pages_parallel(pages, known, pool, workers)


@task(name="load", cache_policy=NONE)
def load_task(con: Any, ledger: steps.RunLedger, batch: steps.ProcessedBatch) -> steps.LoadResult:
    return steps.load_processed(con, ledger, batch)


def _dask_runner(address: str) -> Any:
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(address=address)


@flow(name="ingest", log_prints=False, validate_parameters=False)
def ingest(feeds: list[str], settings: Settings | dict[str, Any] | None = None) -> RunSummary:
    """Ingest every entry of `feeds` into the warehouse at `settings.db_path`; returns the RunSummary.

    Raises IngestRunFailed (carrying the summary) when failures exceed `settings.failure_ratio`, so the Prefect
    run ends Failed; the run's counts are stored in the warehouse and the table artifact either way.
    """
    from sources import open_source
    from warehouse.db import connect
    from warehouse.load import finish_run, record_failures, start_run

    settings = settings_from_parameters(settings)
    logger = get_run_logger()
    wall0 = time.perf_counter()
    summary = steps.new_summary(feeds)
    busy = {"poll": 0.0, "fetch": 0.0, "wait": 0.0, "load": 0.0}
    cpu = {"main_text": 0.0, "extract": 0.0}
    loaded = steps.LoadResult()
    with ExitStack() as stack:
        try:
            stack.enter_context(steps.run_lock(settings.db_path, settings.lock_retries * settings.lock_retry_delay))
        except WarehouseLockedError as exc:
            logger.warning("run skipped: %s", exc)
            return summary.model_copy(update={"status": "skipped", "finished_at": steps.utcnow()})
        con = connect(settings.db_path, settings=settings)
        stack.callback(con.close)
        source = stack.enter_context(open_source(settings))
        start_run(con, summary)
        ledger = steps.RunLedger(run_id=summary.run_id)

        t = time.perf_counter()
        entries = steps.discover_entries(poll_feeds_task(source, con, list(feeds)), ledger)
        record_failures(con, ledger.take_failures())
        busy["poll"] += time.perf_counter() - t
        logger.info("polled %d feeds: %d entries to process", len(feeds), len(entries))
        _progress("entries", len(ledger.outcomes), ledger.discovered)

        workers = 1 if settings.dask_cluster else steps.resolve_workers(settings)
        pool = None
        if workers > 1 and len(entries) >= MIN_ENTRIES_FOR_POOL:
            pool = steps.make_cpu_pool(workers)
            stack.callback(pool.shutdown, cancel_futures=True)
        fetch = fetch_pages_task.with_options(retries=settings.fetch_retries)
        inflight: deque[Any] = deque()

        def load_next() -> None:
            t = time.perf_counter()
            batch = inflight.popleft().result()
            busy["wait"] += time.perf_counter() - t
            for k, v in batch.seconds.items():
                cpu[k] += v
            t = time.perf_counter()
            res = load_task(con, ledger, batch)
            record_failures(con, ledger.take_failures())
            busy["load"] += time.perf_counter() - t
            loaded.facilities += res.facilities
            loaded.mentions += res.mentions
            _progress("entries", len(ledger.outcomes), ledger.discovered)

        for chunk in steps.batched(entries, settings.batch_size):
            t = time.perf_counter()
            try:
                fetched = fetch(source, chunk, settings.per_host_concurrency * 4)
            except Exception as exc:  # noqa: BLE001 - retries exhausted: the batch's entries fail, the run goes on
                fetched = steps.FetchedBatch(pages=[], errors=[], seconds=0.0)
                for entry in chunk:
                    ledger.settle(entry, "failed", reason="fetch", stage="fetch", detail=str(exc)[:500])
            steps.settle_fetch_errors(fetched, ledger)
            known = steps.known_hashes_for(con, [p.entry for p in fetched.pages])
            busy["fetch"] += time.perf_counter() - t
            if fetched.pages:
                inflight.append(process_task.submit(fetched.pages, known, pool, workers))
            while len(inflight) >= MAX_INFLIGHT:
                load_next()
        while inflight:
            load_next()
        record_failures(con, ledger.take_failures())

        wall = time.perf_counter() - wall0
        stage_seconds = {
            "fetch": busy["poll"] + busy["fetch"],
            "main_text": cpu["main_text"],
            "extract": cpu["extract"],
            "load": busy["load"],
            "orchestration": max(0.0, wall - sum(busy.values())),
            "wall": wall,
        }
        summary = steps.finalize_summary(summary, ledger, settings, facilities=loaded.facilities,
                                         mentions=loaded.mentions, stage_seconds=stage_seconds)
        finish_run(con, summary)
    create_table_artifact(table=steps.summary_rows(summary), key="ingest-summary",
                          description=f"gridscout ingest run {summary.run_id}: counts per entry state")
    logger.info(
        "run %s %s: feeds=%d entries=%d loaded=%d unchanged=%d duplicate=%d skipped=%d failed=%d "
        "facilities=%d seconds=%s", summary.run_id, summary.status, summary.feeds, summary.entries,
        summary.loaded, summary.unchanged, summary.duplicate, summary.skipped, summary.failed,
        summary.facilities, summary.stage_seconds,
    )
    if summary.status == "failed":
        raise IngestRunFailed(f"run {summary.run_id}: {summary.failed} of {summary.entries} entries and "
                              f"{ledger.feed_failures} feeds failed (limit {settings.failure_ratio:.0%}); "
                              "see the failures table", summary)
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
    """Settings as JSON-safe deployment parameters (paths as strings)."""
    return {k: (str(v) if hasattr(v, "__fspath__") else v) for k, v in settings.__dict__.items()}


def settings_from_parameters(params: dict[str, Any] | Settings | None) -> Settings:
    if params is None or isinstance(params, Settings):
        return params or Settings.from_env()
    clean = dict(params)
    for key in ("db_path", "sources_file"):
        if key in clean and clean[key] is not None:
            clean[key] = Path(clean[key])
    return replace(Settings(), **clean)
