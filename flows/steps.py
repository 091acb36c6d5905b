"""Plain step functions of the ingest pipeline: poll, fetch, main text, extract, load, account.

`flows/ingest.py` only wires these into Prefect tasks. Every discovered entry is settled exactly once in a
`RunLedger` as loaded, unchanged, duplicate, skipped or failed; failed and skipped entries become
`FailureRecord`s. The CPU-bound stages (main text + extraction) run in `process_pages`, which is pure (pages in,
articles and extraction results out) so it can run in a worker process or on a Dask worker. Main text runs
under a hard per-page deadline in killable workers (`main_texts`); articles stored by an older extractor or
pattern-set version are extracted again (`stale_article_ids`, `reextract_stale`).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import fcntl
import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from models.errors import ExtractionError, GridscoutError, SourceError, WarehouseError, WarehouseLockedError
from models.records import (
    Article,
    EntryOutcome,
    ExtractionResult,
    FailureRecord,
    FeedEntry,
    Page,
    RunSummary,
    sha256_hex,
)
from models.settings import Settings
from warehouse.keys import RowKeys

log = logging.getLogger(__name__)

T = TypeVar("T")

STAGES: tuple[str, ...] = ("fetch", "main_text", "extract", "load", "orchestration")
# Below this many entries a process pool costs more to start (spawn + imports) than it saves.
MIN_ENTRIES_FOR_POOL = 100
# CPU batches in flight at once: enough to keep the pool busy while the flow fetches and loads, and no more
# (bounded memory: pages stream through batch by batch, never all held at once).
MAX_INFLIGHT = 2

# SourceError / ExtractionError reasons that mean "not for us" (skipped) rather than "broken" (failed).
SKIP_REASONS: frozenset[str] = frozenset({"robots_disallowed", "too_large", "not_html", "not_english", "no_text"})
# Network failures worth another try later (429/5xx are already retried by the HTTP client, honouring Retry-After).
TRANSIENT_REASONS: frozenset[str] = frozenset({"timeout", "connect_error", "network_error", "protocol_error"})


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def batched(items: Sequence[T], size: int) -> Iterator[list[T]]:
    """Consecutive slices of `items`, each at most `size` long."""
    if size < 1:
        raise ValueError(f"batch size must be >= 1, got {size}")
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def resolve_workers(settings: Settings) -> int:
    """Settings.workers with 0 meaning one per CPU."""
    return settings.workers if settings.workers > 0 else (os.cpu_count() or 1)


# --------------------------------------------------------------------------------------------- run lock

def lock_path_for(db_path: Path) -> Path:
    """The ingest lock file that sits next to the warehouse file."""
    return db_path.with_name(db_path.name + ".ingest.lock")


@contextmanager
def run_lock(db_path: Path, wait_seconds: float, poll_seconds: float = 0.2) -> Iterator[Path]:
    """Hold an exclusive lock on the warehouse's ingest lock file; wait at most `wait_seconds`.

    Raises WarehouseLockedError naming the holder's PID when another run still holds it.
    """
    path = lock_path_for(Path(db_path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise WarehouseError(f"cannot use {db_path} as the warehouse: {exc.strerror} ({path}); "
                             "pass --db with a path in a writable folder") from exc
    try:
        deadline = time.monotonic() + max(0.0, wait_seconds)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
                    raise WarehouseLockedError(
                        f"another ingest run (PID {holder}) is writing to {db_path}; waited {wait_seconds:.1f} s "
                        f"and skipped this run. Let that run finish (lock file: {path})."
                    ) from None
                time.sleep(poll_seconds)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the flock


class ReleasableConnection:
    """The run's write connection, opened on first use and closed by `release()` between batches.

    DuckDB lets no other process open a file while one holds it read-write, so holding the connection for a
    whole run (network waits included) would lock analysts' read-only `gridscout sql` out until the end.
    The ingest lock file still keeps other writers out while the connection is released.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._con: Any | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._con is None:
            from warehouse.db import connect

            self._con = connect(self._settings.db_path, settings=self._settings)
        return getattr(self._con, name)

    def release(self) -> None:
        """Close the connection if open; the next use opens it again."""
        if self._con is not None:
            con, self._con = self._con, None
            con.close()

    close = release


def open_locked_warehouse(stack: ExitStack, settings: Settings, what: str) -> ReleasableConnection | None:
    """Take the warehouse's ingest lock (waiting lock_retries x lock_retry_delay) and open it for writing, both
    released with `stack`; None (logged) when another run holds the lock."""
    try:
        stack.enter_context(run_lock(settings.db_path, settings.lock_retries * settings.lock_retry_delay))
    except WarehouseLockedError as exc:
        log.warning("%s skipped: %s", what, exc)
        return None
    con = ReleasableConnection(settings)
    con.execute("select 1")  # open now: migrations and a clear error before any work
    stack.callback(con.release)
    return con


# ----------------------------------------------------------------------------------------------- ledger

@dataclass
class RunLedger:
    """Settles every discovered entry exactly once and keeps the failure records of the run."""

    run_id: str
    outcomes: dict[str, EntryOutcome] = field(default_factory=dict)
    failures: list[FailureRecord] = field(default_factory=list)
    feed_failures: int = 0
    discovered: int = 0
    seen_hashes: dict[str, str] = field(default_factory=dict)  # content_hash -> article_id settled in this run
    seen_articles: set[str] = field(default_factory=set)

    def key(self, entry: FeedEntry) -> str:
        from sources.urls import canonical_url

        return canonical_url(entry.url)

    def settle(
        self,
        entry: FeedEntry,
        outcome: str,
        *,
        reason: str | None = None,
        stage: str | None = None,
        detail: str | None = None,
        article_id: str | None = None,
        key: str | None = None,
    ) -> EntryOutcome:
        k = key or self.key(entry)
        if k in self.outcomes:
            raise ValueError(f"entry {entry.url} was already settled as {self.outcomes[k].outcome}")
        result = EntryOutcome(url=entry.url, feed=entry.feed, outcome=outcome, reason=reason,
                              article_id=article_id)  # type: ignore[arg-type]
        self.outcomes[k] = result
        if outcome in ("failed", "skipped"):
            self.failures.append(FailureRecord(
                run_id=self.run_id, url=entry.url, feed=entry.feed, stage=stage or "fetch",  # type: ignore[arg-type]
                reason=reason or outcome, detail=detail, at=utcnow(),
            ))
        level = logging.WARNING if outcome in ("failed", "skipped") else logging.DEBUG
        log.log(level, "entry %s url=%s stage=%s reason=%s", outcome, entry.url, stage or "-", reason or "-")
        return result

    def feed_failed(self, feed: str, reason: str, detail: str | None) -> None:
        self.feed_failures += 1
        self.failures.append(FailureRecord(run_id=self.run_id, url=feed, feed=feed, stage="feed", reason=reason,
                                           detail=detail, at=utcnow()))
        log.warning("feed failed url=%s reason=%s detail=%s", feed, reason, detail)

    def counts(self) -> dict[str, int]:
        c = {"loaded": 0, "unchanged": 0, "duplicate": 0, "skipped": 0, "failed": 0}
        for o in self.outcomes.values():
            c[o.outcome] += 1
        return c

    def take_failures(self) -> list[FailureRecord]:
        """Failure records not yet written to the warehouse (the ledger forgets them)."""
        out, self.failures = self.failures, []
        return out


def new_summary(feeds: Sequence[str], run_id: str | None = None) -> RunSummary:
    started = utcnow()
    rid = run_id or sha256_hex(started.isoformat(), str(os.getpid()), *feeds)
    return RunSummary(run_id=rid, started_at=started, feeds=len(feeds))


def run_failed(ledger: RunLedger, failure_ratio: float) -> bool:
    """A run fails only when failed entries (and failed feeds) exceed the ratio of what was attempted."""
    counts = ledger.counts()
    failed = counts["failed"] + ledger.feed_failures
    attempted = len(ledger.outcomes) + ledger.feed_failures
    return attempted > 0 and failed / attempted > failure_ratio


def finalize_summary(summary: RunSummary, ledger: RunLedger, settings: Settings, *, facilities: int,
                     mentions: int, stage_seconds: dict[str, float]) -> RunSummary:
    """Fill the run's counts and status from the ledger."""
    counts = ledger.counts()
    return summary.model_copy(update={
        "finished_at": utcnow(),
        "entries": len(ledger.outcomes),
        **counts,
        "failed_feeds": ledger.feed_failures,
        "facilities": facilities,
        "mentions": mentions,
        "status": "failed" if run_failed(ledger, settings.failure_ratio) else "completed",
        "stage_seconds": {k: round(v, 3) for k, v in stage_seconds.items()},
    })


def summary_rows(summary: RunSummary) -> list[dict[str, Any]]:
    """The run's counts as `metric, value` rows (Prefect table artifact and CLI table)."""
    rows: list[dict[str, Any]] = [
        {"metric": name, "value": getattr(summary, name)}
        for name in ("status", "feeds", "failed_feeds", "entries", "loaded", "unchanged", "duplicate", "skipped",
                     "failed", "facilities", "mentions")
    ]
    rows += [{"metric": f"seconds.{k}", "value": v} for k, v in summary.stage_seconds.items()]
    return rows


# ------------------------------------------------------------------------------------------------ feeds

@dataclass
class FeedPoll:
    feed: str
    entries: list[FeedEntry]
    not_modified: bool = False
    error: SourceError | None = None


def poll_feeds(source: Any, con: Any, feeds: Sequence[str]) -> list[FeedPoll]:
    return [poll_feed(source, con, f) for f in feeds]


def poll_feed(source: Any, con: Any, feed: str) -> FeedPoll:
    """Fetch one feed with its stored ETag/Last-Modified and store the new validators."""
    from warehouse.load import get_feed_state, set_feed_state

    state = get_feed_state(con, feed)
    etag = state.etag if state is not None else None
    modified = state.last_modified if state is not None else None
    try:
        fetched = source.fetch_feed(feed, etag=etag, modified=modified)
    except SourceError as exc:
        set_feed_state(con, feed, etag, modified, utcnow(), f"error: {exc.reason}")
        return FeedPoll(feed=feed, entries=[], error=exc)
    status = "not_modified" if fetched.not_modified else "ok"
    set_feed_state(con, feed, fetched.etag or etag, fetched.modified or modified, utcnow(), status)
    return FeedPoll(feed=feed, entries=list(fetched.entries), not_modified=fetched.not_modified)


def discover_entries(polls: Iterable[FeedPoll], ledger: RunLedger,
                     caps: Mapping[str, int] | None = None) -> list[FeedEntry]:
    """Entries of all polled feeds with duplicates (same canonical URL) settled as `duplicate`.

    `caps` (feed -> max_entries from sources.toml) keeps only a feed's first entries (feeds list the newest
    first); the rest are not discovered in this run."""
    unique: list[FeedEntry] = []
    keys: set[str] = set()
    for poll in polls:
        if poll.error is not None:
            ledger.feed_failed(poll.feed, poll.error.reason, str(poll.error))
            continue
        entries = poll.entries
        cap = (caps or {}).get(poll.feed)
        if cap is not None and len(entries) > cap:
            log.info("feed %s: taking its first %d of %d entries (max_entries)", poll.feed, cap, len(entries))
            entries = entries[:cap]
        for entry in entries:
            ledger.discovered += 1
            k = ledger.key(entry)
            if k in keys:
                # settle under a distinct key so the first entry keeps its own slot
                ledger.settle(entry, "duplicate", reason="same canonical URL", key=f"{k}#dup{ledger.discovered}")
                continue
            keys.add(k)
            unique.append(entry)
    return unique


# ------------------------------------------------------------------------------------------------ fetch

@dataclass
class FetchedBatch:
    pages: list[Page]
    errors: list[tuple[FeedEntry, SourceError]]
    seconds: float


def fetch_pages(source: Any, entries: Sequence[FeedEntry], threads: int = 4) -> FetchedBatch:
    """Fetch the pages of a batch of entries concurrently; per-entry errors are returned, not raised."""
    started = time.perf_counter()

    def one(entry: FeedEntry) -> Page | SourceError:
        try:
            return source.fetch_page(entry)
        except SourceError as exc:
            return exc

    if threads > 1 and len(entries) > 1:
        with ThreadPoolExecutor(max_workers=min(threads, len(entries)), thread_name_prefix="fetch") as pool:
            # each call runs in a copy of the caller's context, so logs keep their (Prefect) run context
            futures = [pool.submit(contextvars.copy_context().run, one, e) for e in entries]
            got = [f.result() for f in futures]
    else:
        got = [one(e) for e in entries]
    pages = [g for g in got if isinstance(g, Page)]
    errors = [(e, g) for e, g in zip(entries, got) if isinstance(g, SourceError)]
    return FetchedBatch(pages=pages, errors=errors, seconds=time.perf_counter() - started)


class TransientFetchError(SourceError):
    """Some pages of a batch failed for reasons that may pass (timeouts, dropped connections)."""


def transient_entries(batch: FetchedBatch) -> list[FeedEntry]:
    return [e for e, exc in batch.errors if exc.reason in TRANSIENT_REASONS]


def merge_refetch(batch: FetchedBatch, again: FetchedBatch) -> FetchedBatch:
    """`batch` with its transient failures replaced by what a later attempt (`again`) got for them."""
    retried = {e.url for e, _ in again.errors} | {p.entry.url for p in again.pages}
    errors = [(e, exc) for e, exc in batch.errors if e.url not in retried] + again.errors
    return FetchedBatch(pages=batch.pages + again.pages, errors=errors, seconds=batch.seconds + again.seconds)


def settle_fetch_errors(batch: FetchedBatch, ledger: RunLedger) -> None:
    for entry, exc in batch.errors:
        outcome = "skipped" if exc.reason in SKIP_REASONS else "failed"
        ledger.settle(entry, outcome, reason=exc.reason, stage="fetch", detail=str(exc))


# ----------------------------------------------------------------------------------- main text + extract

@dataclass
class Processed:
    """What the CPU stage made of one page."""

    entry: FeedEntry
    article: Article | None = None
    result: ExtractionResult | None = None
    unchanged: bool = False
    duplicate_of: str | None = None  # a stored article (another URL) with the same content hash
    stage: str | None = None  # set when the page did not make it: main_text or extract
    reason: str | None = None
    detail: str | None = None
    keys: RowKeys | None = None  # the result's warehouse ids and versions, computed in the CPU stage


@dataclass
class Extracted:
    """An extraction result with its warehouse row keys (both made in the CPU worker)."""

    result: ExtractionResult
    keys: RowKeys


@dataclass
class ProcessedBatch:
    items: list[Processed]
    seconds: dict[str, float]


def merge_processed(batches: Sequence[ProcessedBatch]) -> ProcessedBatch:
    """One batch holding the pages of several, in order, with their CPU seconds summed."""
    if len(batches) == 1:
        return batches[0]
    if not batches:
        return ProcessedBatch(items=[], seconds={})
    seconds: dict[str, float] = {}
    for b in batches:
        for k, v in b.seconds.items():
            seconds[k] = seconds.get(k, 0.0) + v
    return ProcessedBatch(items=[item for b in batches for item in b.items], seconds=seconds)


def _extract_isolating(articles: list[Article], nlp: Any) -> list[ExtractionResult | Exception]:
    """extract_batch on all articles; when the batch raises, redo one by one so one bad text stays alone."""
    from extractors.pipeline import extract_batch

    try:
        return list(extract_batch(articles, nlp=nlp))
    except Exception:  # noqa: BLE001 - isolate the culprit below
        out: list[ExtractionResult | Exception] = []
        for a in articles:
            try:
                out.extend(extract_batch([a], nlp=nlp))
            except Exception as exc:  # noqa: BLE001 - recorded as this article's failure
                out.append(exc)
        return out


def _extract_keyed(articles: list[Article], nlp: Any) -> list[Extracted | Exception]:
    """`_extract_isolating`, each result with its warehouse row keys: hashing ids and versions is CPU work, so
    it happens here, in the worker, rather than in the single writer."""
    from warehouse.keys import row_keys

    return [r if isinstance(r, Exception) else Extracted(r, row_keys(a.article_id, r))
            for a, r in zip(articles, _extract_isolating(articles, nlp), strict=True)]


def extract_articles_batch(articles: list[Article]) -> list[Extracted | tuple[str, str]]:
    """Extraction of a batch of articles (process-pool entry point): a keyed result, or (error type, message)."""
    from extractors.pipeline import build_nlp

    return [(type(r).__name__, str(r)[:500]) if isinstance(r, Exception) else r
            for r in _extract_keyed(articles, build_nlp())]


def isolates_main_text(settings: Settings | None) -> bool:
    """Whether main text runs in killable deadline workers (`Settings.parse_deadline` > 0)."""
    return settings is not None and settings.parse_deadline > 0


def main_texts(pages: Sequence[Page], settings: Settings | None = None) -> list[Article | Exception]:
    """An Article or the error, per page, in order.

    With settings whose `parse_deadline` > 0 the pages go through `extractors.main_text.extract_articles`:
    warm, killable worker processes (`settings.workers`), and a page past the deadline becomes a MainTextError
    with reason `timeout` (its worker is killed), so one pathological page cannot hang a run. Without settings
    (benchmarks, unit tests) `page_to_article` runs here, in-process.
    """
    from extractors.main_text import extract_articles, page_to_article

    if isolates_main_text(settings):
        return list(extract_articles(list(pages), settings))  # type: ignore[arg-type]
    out: list[Article | Exception] = []
    for page in pages:
        try:
            out.append(page_to_article(page))
        except Exception as exc:  # noqa: BLE001 - one bad page must not sink the batch
            out.append(exc)
    return out


def classify_articles(pages: Sequence[Page], mains: Sequence[Article | Exception], known_hashes: dict[str, str],
                      stale: Iterable[str] = ()) -> tuple[list[Processed], list[Processed]]:
    """(every page's Processed, the ones whose article must be extracted), from the main-text results.

    An article with its stored hash is unchanged unless its id is in `stale` (stored by another extractor or
    pattern-set version: extracted again); one whose hash belongs to another stored article is a duplicate.
    """
    stale = frozenset(stale)
    stored_by_hash = {h: aid for aid, h in known_hashes.items()}
    items: list[Processed] = []
    to_extract: list[Processed] = []
    for page, main in zip(pages, mains, strict=True):
        item = Processed(entry=page.entry)
        items.append(item)
        if isinstance(main, ExtractionError):
            item.stage, item.detail = "main_text", str(main)
            item.reason = getattr(main, "reason", None) or "no_text"
            continue
        if isinstance(main, Exception):
            item.stage, item.reason, item.detail = "main_text", type(main).__name__, str(main)[:500]
            continue
        item.article = main
        aid, content_hash = main.article_id, main.content_hash
        if known_hashes.get(aid) == content_hash and aid not in stale:
            item.unchanged = True
        elif stored_by_hash.get(content_hash, aid) != aid:
            item.duplicate_of = stored_by_hash[content_hash]
        else:
            to_extract.append(item)
    return items, to_extract


def _attach_results(items: Sequence[Processed],
                    results: Sequence[Extracted | ExtractionResult | Exception | tuple[str, str]]) -> None:
    for item, res in zip(items, results, strict=True):
        if isinstance(res, Extracted):
            item.result, item.keys = res.result, res.keys
        elif isinstance(res, ExtractionResult):
            item.result = res
        elif isinstance(res, Exception):
            item.stage, item.reason, item.detail = "extract", type(res).__name__, str(res)[:500]
        else:
            item.stage, item.reason, item.detail = "extract", res[0], res[1]


def process_pages(pages: Sequence[Page], known_hashes: dict[str, str], stale: Iterable[str] = (),
                  settings: Settings | None = None) -> ProcessedBatch:
    """Main text for each page, then extraction for articles whose content hash is new or changed.

    `known_hashes` maps stored article ids to their content hashes: an article with its stored hash is
    unchanged, one whose hash belongs to another stored article is a duplicate; neither is extracted again,
    except the ids in `stale` (stored by an older extractor or pattern set), which are re-extracted.
    `settings` (see `main_texts`) puts main text under a hard per-page deadline.

    Pure (no database, no network): runs in the flow process, a worker process or a Dask worker.
    """
    from extractors.pipeline import build_nlp

    t0 = time.perf_counter()
    items, to_extract = classify_articles(pages, main_texts(pages, settings), known_hashes, stale)
    t1 = time.perf_counter()
    if to_extract:
        articles = [i.article for i in to_extract]
        _attach_results(to_extract, _extract_keyed(articles, build_nlp()))  # type: ignore[arg-type]
    t2 = time.perf_counter()
    return ProcessedBatch(items=items, seconds={"main_text": t1 - t0, "extract": t2 - t1})


def _warm_worker() -> None:
    """Process-pool initializer: import the extractors and build the spaCy pipeline once per worker."""
    from extractors.pipeline import build_nlp

    build_nlp()


def make_cpu_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` spawned processes (spawn: forking a threaded Prefect process is unsafe)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_warm_worker)


def process_pages_parallel(pages: Sequence[Page], known_hashes: dict[str, str],
                           pool: Executor | None, workers: int, stale: Iterable[str] = (),
                           settings: Settings | None = None) -> ProcessedBatch:
    """process_pages split over a process pool (when given), results in page order.

    With deadline-isolated main text (see `main_texts`) the main text runs in its own warm, killable workers
    from here and only extraction is spread over the pool; otherwise each pool worker does both for a chunk.
    """
    if pool is None or workers <= 1 or len(pages) < 2:
        return process_pages(pages, known_hashes, stale, settings)
    if isolates_main_text(settings):
        t0 = time.perf_counter()
        items, to_extract = classify_articles(pages, main_texts(pages, settings), known_hashes, stale)
        t1 = time.perf_counter()
        if to_extract:
            chunks = list(batched(to_extract, -(-len(to_extract) // workers)))
            parts = pool.map(extract_articles_batch, [[i.article for i in c] for c in chunks])
            _attach_results(to_extract, [r for part in parts for r in part])
        return ProcessedBatch(items=items, seconds={"main_text": t1 - t0, "extract": time.perf_counter() - t1})
    size = -(-len(pages) // workers)
    chunks = list(batched(list(pages), size))
    n = len(chunks)
    return merge_processed(list(pool.map(process_pages, chunks, [known_hashes] * n, [frozenset(stale)] * n,
                                         [settings] * n)))


# ------------------------------------------------------------------------------------------------- load

@dataclass
class LoadResult:
    facilities: int = 0
    mentions: int = 0
    seconds: float = 0.0


def load_processed(con: Any, ledger: RunLedger, batch: ProcessedBatch) -> LoadResult:
    """Settle each processed page and load new/changed articles in one transaction (warehouse.load_batch)."""
    from warehouse.load import load_batch

    started = time.perf_counter()
    articles: list[Article] = []
    results: list[ExtractionResult] = []
    pending: list[Processed] = []
    for item in batch.items:
        art = item.article
        if item.stage is not None or art is None:
            outcome = "skipped" if item.reason in SKIP_REASONS else "failed"
            ledger.settle(item.entry, outcome, reason=item.reason or "no article", stage=item.stage or "main_text",
                          detail=item.detail)
            continue
        if item.duplicate_of is not None:
            ledger.settle(item.entry, "duplicate", reason=f"same content as stored article {item.duplicate_of}",
                          article_id=art.article_id)
            continue
        first_id = ledger.seen_hashes.get(art.content_hash)
        if art.article_id in ledger.seen_articles or (first_id is not None and first_id != art.article_id):
            ledger.settle(item.entry, "duplicate", reason="same content as another entry in this run",
                          article_id=art.article_id)
            continue
        ledger.seen_hashes[art.content_hash] = art.article_id
        ledger.seen_articles.add(art.article_id)
        if item.unchanged:
            ledger.settle(item.entry, "unchanged", article_id=art.article_id)
            continue
        articles.append(art)
        results.append(item.result)  # type: ignore[arg-type]
        pending.append(item)
    out = LoadResult()
    if articles:
        try:
            stats = load_batch(con, ledger.run_id, articles, results,
                               [item.keys for item in pending if item.keys is not None])
        except GridscoutError as exc:
            for item in pending:
                ledger.settle(item.entry, "failed", reason="load", stage="load", detail=str(exc)[:500])
        else:
            out.facilities, out.mentions = stats.facilities, stats.mentions
            for item in pending:
                ledger.settle(item.entry, "loaded", article_id=item.article.article_id)  # type: ignore[union-attr]
    out.seconds = time.perf_counter() - started
    return out


def known_hashes_for(con: Any, pages: Sequence[Page]) -> dict[str, str]:
    """Stored content hashes (keyed by article_id) of the articles these pages may become.

    An article's id is the hash of its canonical final URL, so both the entry's link and the page's final
    URL (after redirects) are looked up.
    """
    from sources.urls import article_id
    from warehouse.load import known_content_hashes

    ids = {article_id(u) for p in pages for u in (p.entry.url, p.final_url)}
    return dict(known_content_hashes(con, sorted(ids)))


def current_versions() -> tuple[str, str]:
    """(EXTRACTOR_VERSION, PATTERN_SET_VERSION) of the extractor in this process (read at call time)."""
    from extractors import pipeline

    return pipeline.EXTRACTOR_VERSION, pipeline.PATTERN_SET_VERSION


def stale_article_ids(con: Any, article_ids: Iterable[str]) -> frozenset[str]:
    """The stored articles among `article_ids` whose machine rows came from another extractor or pattern-set
    version than the running one: their text may be unchanged, but they must be extracted again."""
    from warehouse.load import extraction_versions

    current = current_versions()
    return frozenset(aid for aid, versions in extraction_versions(con, sorted(article_ids)).items()
                     if tuple(versions) != current)


# --------------------------------------------------------------------------------------------- pipeline

@dataclass
class StageRunners:
    """How `run_pipeline` calls its stages: the plain functions by default; the Prefect flow passes tasks.

    `submit_process` returns a future-like object (`.result()`); None means a small local thread pool.
    """

    poll: Callable[[Any, Any, list[str]], list[FeedPoll]] = poll_feeds
    fetch: Callable[[Any, list[FeedEntry], int], FetchedBatch] = fetch_pages
    refetch: Callable[[Any, list[FeedEntry], int], FetchedBatch] | None = None  # transient failures, with backoff
    submit_process: Callable[..., Any] | None = None
    load: Callable[[Any, RunLedger, ProcessedBatch], LoadResult] = load_processed
    progress: Callable[[str, int, int], None] | None = None
    cpu_in_process: bool = False  # True when submit_process already runs elsewhere (a Dask cluster)


def run_pipeline(feeds: Sequence[str], settings: Settings, runners: StageRunners | None = None) -> RunSummary:
    """Poll -> fetch -> main text + extract -> load for every entry of `feeds`, batch by batch.

    The fetch of the next batch overlaps the CPU stage of earlier ones (at most MAX_INFLIGHT batches in
    flight); loads happen here, in the calling process (one writer), under the warehouse's ingest lock.
    Returns the RunSummary (status "skipped" when another run holds the lock).
    """
    from sources import open_source
    from warehouse.load import finish_run, record_failures, start_run

    run = runners or StageRunners()
    wall0 = time.perf_counter()
    summary = new_summary(feeds)
    busy = {"poll": 0.0, "fetch": 0.0, "wait": 0.0, "load": 0.0}
    cpu = {"main_text": 0.0, "extract": 0.0}
    loaded = LoadResult()

    def progress(ledger: RunLedger) -> None:
        if run.progress is not None:
            run.progress("entries", len(ledger.outcomes), ledger.discovered)

    with ExitStack() as stack:
        con = open_locked_warehouse(stack, settings, "run")
        if con is None:
            return summary.model_copy(update={"status": "skipped", "finished_at": utcnow()})
        source = stack.enter_context(open_source(settings))
        start_run(con, summary)
        ledger = RunLedger(run_id=summary.run_id)

        t = time.perf_counter()
        entries = discover_entries(run.poll(source, con, list(feeds)), ledger, settings.feed_max_entries)
        record_failures(con, ledger.take_failures())
        con.release()
        busy["poll"] += time.perf_counter() - t
        log.info("polled %d feeds: %d entries to process", len(feeds), len(entries))
        progress(ledger)

        workers = 1 if run.cpu_in_process else resolve_workers(settings)
        pool = None
        if workers > 1 and len(entries) >= MIN_ENTRIES_FOR_POOL:
            pool = make_cpu_pool(workers)
            stack.callback(pool.shutdown, cancel_futures=True)
        submit = run.submit_process
        if submit is None:
            submit = stack.enter_context(ThreadPoolExecutor(MAX_INFLIGHT, thread_name_prefix="cpu")).submit
            submit = _bind(submit, process_pages_parallel)
        inflight: deque[Any] = deque()

        # processed batches wait here until they hold `load_batch_size` pages, then load in one transaction:
        # fewer, larger bulk inserts (DuckDB pays per statement and per commit)
        to_load: list[ProcessedBatch] = []

        def load_next() -> None:
            t = time.perf_counter()
            batch = inflight.popleft().result()
            busy["wait"] += time.perf_counter() - t
            for k, v in batch.seconds.items():
                cpu[k] += v
            to_load.append(batch)
            if sum(len(b.items) for b in to_load) >= settings.load_batch_size:
                load_buffered()

        def load_buffered() -> None:
            if not to_load:
                return
            batch = merge_processed(to_load)
            to_load.clear()
            t = time.perf_counter()
            res = run.load(con, ledger, batch)
            record_failures(con, ledger.take_failures())
            con.release()
            busy["load"] += time.perf_counter() - t
            loaded.facilities += res.facilities
            loaded.mentions += res.mentions
            progress(ledger)

        threads = settings.per_host_concurrency * 4
        try:
            for chunk in batched(entries, settings.batch_size):
                t = time.perf_counter()
                try:
                    fetched = run.fetch(source, chunk, threads)
                except Exception as exc:  # noqa: BLE001 - retries exhausted: this batch's entries fail, the run goes on
                    fetched = FetchedBatch(pages=[], errors=[], seconds=0.0)
                    for e in chunk:
                        ledger.settle(e, "failed", reason="fetch", stage="fetch", detail=str(exc)[:500])
                retry = transient_entries(fetched)
                if retry and run.refetch is not None:
                    try:
                        fetched = merge_refetch(fetched, run.refetch(source, retry, threads))
                    except Exception as exc:  # noqa: BLE001 - the first attempt's errors stand
                        log.warning("refetch of %d pages failed: %s", len(retry), exc)
                settle_fetch_errors(fetched, ledger)
                known = known_hashes_for(con, fetched.pages)
                stale = stale_article_ids(con, known) if known else frozenset()
                con.release()
                busy["fetch"] += time.perf_counter() - t
                if fetched.pages:
                    inflight.append(submit(fetched.pages, known, pool, workers, stale, settings))
                while len(inflight) >= MAX_INFLIGHT:
                    load_next()
            while inflight:
                load_next()
        except BaseException:
            # pages already processed are still loaded (their own transaction) before the error propagates
            if to_load:
                try:
                    load_buffered()
                except Exception:  # noqa: BLE001 - the original error is the one to report
                    log.exception("could not load the pages processed before the failure")
            raise
        load_buffered()
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
        summary = finalize_summary(summary, ledger, settings, facilities=loaded.facilities,
                                   mentions=loaded.mentions, stage_seconds=stage_seconds)
        finish_run(con, summary)
    return summary


def _bind(submit: Callable[..., Any], fn: Callable[..., Any]) -> Callable[..., Any]:
    return lambda *args: submit(fn, *args)


# -------------------------------------------------------------------------------------------- reextract

def extract_spread(articles: list[Article], pool: Executor | None,
                   workers: int) -> list[Extracted | tuple[str, str]]:
    """extract_articles_batch over `articles`, split over the process pool when one is given."""
    if pool is None or workers <= 1 or len(articles) < 2:
        return extract_articles_batch(articles)
    chunks = list(batched(articles, -(-len(articles) // workers)))
    return [r for part in pool.map(extract_articles_batch, chunks) for r in part]


def reextract_stale(con: Any, run_id: str, batch_size: int, workers: int = 1,
                    progress: Callable[[str, int, int], None] | None = None) -> tuple[RunLedger, LoadResult]:
    """Extract again every stored article whose extractor or pattern-set version is not the running one.

    Batch by batch: extraction (over a process pool of `workers` when there are MIN_ENTRIES_FOR_POOL+
    articles), then `load_batch` (one transaction per batch: machine rows replaced, reviewer corrections
    re-attach by match key). The ledger settles each article as loaded or failed (stage `extract` or `load`).
    """
    from warehouse.load import articles_for_reextraction, load_batch

    ev, pv = current_versions()
    articles = articles_for_reextraction(con, ev, pv)
    ledger = RunLedger(run_id=run_id)
    ledger.discovered = len(articles)
    total = LoadResult()
    started = time.perf_counter()
    with ExitStack() as stack:
        pool = None
        if workers > 1 and len(articles) >= MIN_ENTRIES_FOR_POOL:
            pool = make_cpu_pool(workers)
            stack.callback(pool.shutdown, cancel_futures=True)
        for chunk in batched(articles, batch_size):
            items = [Processed(entry=FeedEntry(feed=a.source or "warehouse", url=a.url, title=a.title), article=a)
                     for a in chunk]
            _attach_results(items, extract_spread(chunk, pool, workers))
            for item in items:
                if item.result is None:
                    ledger.settle(item.entry, "failed", reason=item.reason, stage="extract", detail=item.detail,
                                  key=item.article.article_id)  # type: ignore[union-attr]
            done = [i for i in items if i.result is not None]
            if done:
                try:
                    stats = load_batch(con, run_id, [i.article for i in done],  # type: ignore[misc]
                                       [i.result for i in done],  # type: ignore[misc]
                                       [i.keys for i in done if i.keys is not None])
                except GridscoutError as exc:
                    outcome, reason, detail = "failed", "load", str(exc)[:500]
                else:
                    outcome, reason, detail = "loaded", None, None
                    total.facilities += stats.facilities
                    total.mentions += stats.mentions
                for item in done:
                    aid = item.article.article_id  # type: ignore[union-attr]
                    ledger.settle(item.entry, outcome, reason=reason, stage="load" if reason else None,
                                  detail=detail, article_id=aid, key=aid)
            if progress is not None:
                progress("re-extracting", len(ledger.outcomes), len(articles))
    total.seconds = time.perf_counter() - started
    return ledger, total


def run_reextract(settings: Settings, progress: Callable[[str, int, int], None] | None = None) -> RunSummary:
    """`reextract_stale` under the ingest lock, recorded as a run (a `runs` row, its failures).

    What a user runs after upgrading the extractor. Status "skipped" when another run holds the lock.
    """
    from warehouse.load import finish_run, record_failures, start_run

    summary = new_summary(["reextract"]).model_copy(update={"feeds": 0})
    with ExitStack() as stack:
        con = open_locked_warehouse(stack, settings, "re-extraction")
        if con is None:
            return summary.model_copy(update={"status": "skipped", "finished_at": utcnow()})
        start_run(con, summary)
        ledger, loaded = reextract_stale(con, summary.run_id, settings.batch_size, resolve_workers(settings),
                                         progress)
        record_failures(con, ledger.take_failures())
        summary = finalize_summary(summary, ledger, settings, facilities=loaded.facilities,
                                   mentions=loaded.mentions, stage_seconds={"extract_and_load": loaded.seconds})
        finish_run(con, summary)
    return summary
