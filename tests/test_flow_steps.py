"""Plain-function tests of the ingest steps (no Prefect): batching, lock, ledger, dedupe, failure ratio."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows import steps
from models.errors import FeedError, FetchError, WarehouseLockedError
from models.records import FeedEntry, Page
from models.settings import Settings

NOW = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)


def entry(url: str, feed: str = "https://feeds.example/a.xml") -> FeedEntry:
    return FeedEntry(feed=feed, url=url, title="t")


@given(st.lists(st.integers(), max_size=60), st.integers(min_value=1, max_value=25))
def test_batched_keeps_order_and_bounds_size(items: list[int], size: int) -> None:
    chunks = list(steps.batched(items, size))
    assert [x for c in chunks for x in c] == items
    assert all(1 <= len(c) <= size for c in chunks)


def test_batched_rejects_zero() -> None:
    with pytest.raises(ValueError, match="batch size"):
        list(steps.batched([1], 0))


def test_run_lock_second_holder_waits_then_skips(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with steps.run_lock(db, wait_seconds=0):
        started = time.monotonic()
        with pytest.raises(WarehouseLockedError, match=r"another ingest run \(PID \d+\)"):
            with steps.run_lock(db, wait_seconds=0.5, poll_seconds=0.1):
                pass
        assert time.monotonic() - started >= 0.5
    with steps.run_lock(db, wait_seconds=0):  # released on exit
        pass


def test_run_lock_held_by_another_process(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from flows import steps
            with steps.run_lock(__import__('pathlib').Path({str(db)!r}), 0):
                print('locked', flush=True)
                time.sleep(30)
        """)],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(WarehouseLockedError, match=f"PID {holder.pid}"):
            with steps.run_lock(db, wait_seconds=0.2):
                pass
    finally:
        holder.kill()
        holder.wait()
    with steps.run_lock(db, wait_seconds=2):  # the kernel drops the lock of a killed holder
        pass


def test_ledger_settles_each_entry_once() -> None:
    ledger = steps.RunLedger(run_id="r1")
    e = entry("https://news.example/a")
    ledger.settle(e, "loaded", article_id="x")
    with pytest.raises(ValueError, match="already settled as loaded"):
        ledger.settle(entry("https://news.example/a#comments"), "failed")


@pytest.mark.parametrize(
    ("outcome", "reason", "writes_failure"),
    [
        ("loaded", None, False),
        ("unchanged", None, False),
        ("duplicate", "same canonical URL", False),
        ("skipped", "robots", True),
        ("failed", "http_404", True),
    ],
)
def test_ledger_failure_records(outcome: str, reason: str | None, writes_failure: bool) -> None:
    ledger = steps.RunLedger(run_id="r1")
    ledger.settle(entry("https://news.example/a"), outcome, reason=reason, stage="fetch")
    assert ledger.counts()[outcome] == 1
    failures = ledger.take_failures()
    assert len(failures) == int(writes_failure)
    if writes_failure:
        assert failures[0].run_id == "r1" and failures[0].reason == reason and failures[0].stage == "fetch"
    assert ledger.take_failures() == []


@pytest.mark.parametrize(
    ("outcomes", "feed_failures", "ratio", "failed"),
    [
        ([], 0, 0.5, False),  # nothing to do is not a failure
        ([], 1, 0.5, True),  # the only feed failed
        (["loaded", "failed"], 0, 0.5, False),  # exactly at the limit
        (["loaded", "failed", "failed"], 0, 0.5, True),
        (["skipped", "skipped", "failed"], 0, 0.5, False),  # skipped is not failed
        (["loaded"] * 9 + ["failed"], 0, 0.05, True),
    ],
)
def test_run_failed_only_above_ratio(outcomes: list[str], feed_failures: int, ratio: float, failed: bool) -> None:
    ledger = steps.RunLedger(run_id="r")
    for i, o in enumerate(outcomes):
        ledger.settle(entry(f"https://news.example/{i}"), o)
    for i in range(feed_failures):
        ledger.feed_failed(f"https://feeds.example/{i}", "malformed_feed", None)
    assert steps.run_failed(ledger, ratio) is failed


def test_discover_entries_settles_canonical_duplicates_and_feed_errors() -> None:
    ledger = steps.RunLedger(run_id="r")
    polls = [
        steps.FeedPoll(feed="f1", entries=[entry("https://news.example/a?utm_source=rss"),
                                           entry("https://news.example/b")]),
        steps.FeedPoll(feed="f2", entries=[entry("https://NEWS.example/a#top", feed="f2")]),
        steps.FeedPoll(feed="f3", entries=[], error=FeedError("bad xml", url="f3", reason="malformed_feed")),
    ]
    unique = steps.discover_entries(polls, ledger)
    assert [e.url for e in unique] == ["https://news.example/a?utm_source=rss", "https://news.example/b"]
    assert ledger.counts()["duplicate"] == 1
    assert ledger.discovered == 3 and ledger.feed_failures == 1
    [failure] = ledger.take_failures()
    assert (failure.stage, failure.reason, failure.url) == ("feed", "malformed_feed", "f3")


@pytest.mark.parametrize(("caps", "expected"), [
    (None, ["a", "b", "c", "x"]),
    ({"f1": 2}, ["a", "b", "x"]),              # the feed's first entries (newest first in feeds)
    ({"f1": 5, "f2": 1}, ["a", "b", "c", "x"]),
    ({"other": 1}, ["a", "b", "c", "x"]),      # a cap for another feed changes nothing here
])
def test_discover_entries_takes_at_most_max_entries_per_feed(caps, expected) -> None:
    ledger = steps.RunLedger(run_id="r")
    polls = [steps.FeedPoll(feed="f1", entries=[entry(f"https://news.example/{k}") for k in "abc"]),
             steps.FeedPoll(feed="f2", entries=[entry("https://news.example/x", feed="f2")])]
    unique = steps.discover_entries(polls, ledger, caps)
    assert [e.url.rsplit("/", 1)[1] for e in unique] == expected
    assert ledger.discovered == len(expected)


class FakeSource:
    """A source whose pages are given as a dict; missing URLs raise FetchError like the real sources."""

    def __init__(self, pages: dict[str, bytes | FetchError]) -> None:
        self.pages = pages

    def fetch_page(self, e: FeedEntry) -> Page:
        got = self.pages[e.url]
        if isinstance(got, FetchError):
            raise got
        return Page(entry=e, final_url=e.url, body=got, fetched_at=NOW)


@pytest.mark.parametrize("threads", [1, 4])
def test_fetch_pages_returns_pages_and_errors_in_order(threads: int) -> None:
    src = FakeSource({
        "https://n.example/1": b"<p>one</p>",
        "https://n.example/2": FetchError("404 Not Found", url="https://n.example/2", reason="http_404"),
        "https://n.example/3": b"<p>three</p>",
        "https://n.example/4": FetchError("robots.txt disallows", url="https://n.example/4",
                                            reason="robots_disallowed"),
    })
    batch = steps.fetch_pages(src, [entry(f"https://n.example/{i}") for i in range(1, 5)], threads=threads)
    assert [p.entry.url for p in batch.pages] == ["https://n.example/1", "https://n.example/3"]
    ledger = steps.RunLedger(run_id="r")
    steps.settle_fetch_errors(batch, ledger)
    assert {o.url: o.outcome for o in ledger.outcomes.values()} == {
        "https://n.example/2": "failed", "https://n.example/4": "skipped"}


def test_finalize_summary_counts_and_rows() -> None:
    ledger = steps.RunLedger(run_id="r")
    for i, o in enumerate(["loaded", "loaded", "unchanged", "failed"]):
        ledger.settle(entry(f"https://n.example/{i}"), o)
    summary = steps.finalize_summary(steps.new_summary(["f"]), ledger, Settings(failure_ratio=0.5), facilities=3,
                                     mentions=7, stage_seconds={"fetch": 1.23456, "load": 0.5})
    assert (summary.entries, summary.loaded, summary.unchanged, summary.failed) == (4, 2, 1, 1)
    assert summary.status == "completed" and summary.stage_seconds["fetch"] == 1.235
    rows = {r["metric"]: r["value"] for r in steps.summary_rows(summary)}
    assert rows["facilities"] == 3 and rows["seconds.load"] == 0.5 and rows["status"] == "completed"


def test_merge_refetch_replaces_only_the_retried_failures() -> None:
    first = steps.fetch_pages(FakeSource({
        "https://n.example/1": b"<p>one</p>",
        "https://n.example/2": FetchError("timed out", url="https://n.example/2", reason="timeout"),
        "https://n.example/3": FetchError("gone", url="https://n.example/3", reason="http_404"),
        "https://n.example/4": FetchError("reset", url="https://n.example/4", reason="network_error"),
    }), [entry(f"https://n.example/{i}") for i in range(1, 5)], threads=1)
    assert [e.url for e in steps.transient_entries(first)] == ["https://n.example/2", "https://n.example/4"]
    again = steps.fetch_pages(FakeSource({
        "https://n.example/2": b"<p>two</p>",
        "https://n.example/4": FetchError("reset again", url="https://n.example/4", reason="network_error"),
    }), [entry("https://n.example/2"), entry("https://n.example/4")], threads=1)
    merged = steps.merge_refetch(first, again)
    assert sorted(p.entry.url for p in merged.pages) == ["https://n.example/1", "https://n.example/2"]
    assert sorted((e.url, exc.reason) for e, exc in merged.errors) == [
        ("https://n.example/3", "http_404"), ("https://n.example/4", "network_error")]
    assert str(dict((e.url, str(x)) for e, x in merged.errors)["https://n.example/4"]) == "reset again"


@pytest.mark.parametrize("isolated", [False, True])
def test_the_cpu_stage_attaches_the_warehouse_row_keys(isolated: bool) -> None:
    """Ids and row versions are hashed in the CPU stage (the worker), exactly as the load would hash them."""
    from warehouse.keys import row_keys

    pages_dir = Path(steps.__file__).resolve().parent / "demo_data" / "pages"
    pages = [Page(entry=entry(f"https://news.example/{p.stem}"), final_url=f"https://news.example/{p.stem}",
                  body=p.read_bytes(), content_type="text/html; charset=utf-8", fetched_at=NOW)
             for p in sorted(pages_dir.glob("*.html"))[:3]]
    settings = Settings(parse_deadline=20 if isolated else 0)
    items = steps.process_pages(pages, {}, settings=settings).items
    loaded = [i for i in items if i.result is not None]
    assert loaded and all(i.result.facilities for i in loaded)
    for i in loaded:
        assert i.keys == row_keys(i.article.article_id, i.result)
        assert i.keys.fits(i.article.article_id, i.result)
