"""Hard deadline on HTML main-text extraction during runs: a page whose extraction runs past
`Settings.parse_deadline` has its worker killed and ends `failed` with reason `timeout` while the rest of the
batch loads (in-process CPU stage and the process-pool path). No Prefect.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("warehouse.load", reason="warehouse.load (helper W) not landed yet")
pytest.importorskip("extractors.pipeline", reason="extractors.pipeline (helper E) not landed yet")

from flows import steps  # noqa: E402
from flows.cli_ingest import demo_feed_path  # noqa: E402
from models.records import FeedEntry, Page  # noqa: E402
from models.settings import Settings  # noqa: E402
from warehouse.queries import run_sql  # noqa: E402

DEADLINE = 1.0
NORMAL = demo_feed_path().parent / "pages" / "ridgewater-smr.html"
PARAGRAPH = ("<p>The county council approved a 40 MW solar farm near the river on Tuesday, and the developer said "
             "construction would start next spring.</p>\n")


def pathological_page() -> bytes:
    """~4.7 MB of article HTML: several seconds of trafilatura work, far past DEADLINE (measured ~5 s)."""
    return ("<html><head><title>Endless council minutes</title></head><body><article>"
            + PARAGRAPH * 40_000 + "</article></body></html>").encode()


def page(url: str, body: bytes) -> Page:
    return Page(entry=FeedEntry(feed="https://feeds.example/f.xml", url=url, title="t"), final_url=url, body=body,
                content_type="text/html; charset=utf-8", fetched_at=dt.datetime.now(dt.timezone.utc))


def test_a_run_fails_the_page_past_the_deadline_and_loads_the_rest(tmp_path: Path) -> None:
    (tmp_path / "huge.html").write_bytes(pathological_page())
    shutil.copyfile(NORMAL, tmp_path / "normal.html")
    feed = tmp_path / "feed.xml"
    feed.write_text("<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
                    "<item><title>Huge</title><link>huge.html</link></item>"
                    "<item><title>SMR</title><link>normal.html</link></item></channel></rss>", "utf-8")
    db = tmp_path / "deadline.duckdb"
    started = time.perf_counter()
    summary = steps.run_pipeline([str(feed)], Settings(db_path=db, workers=1, parse_deadline=DEADLINE))
    assert time.perf_counter() - started < 30
    assert (summary.entries, summary.loaded, summary.failed) == (2, 1, 1)
    _, failures = run_sql(db, "select url, stage, reason from failures")
    [(url, stage, reason)] = failures
    assert url.endswith("huge.html") and (stage, reason) == ("main_text", "timeout")
    _, urls = run_sql(db, "select url from articles")
    assert [u for (u,) in urls][0].endswith("normal.html")


@pytest.mark.parametrize("workers", [1, 2])
def test_the_pool_path_keeps_the_deadline_and_the_outcomes(tmp_path: Path, workers: int) -> None:
    from warehouse.db import connect

    pages = [page("https://news.example/huge", pathological_page()),
             page("https://news.example/smr", NORMAL.read_bytes())]
    settings = Settings(db_path=tmp_path / "pool.duckdb", workers=workers, parse_deadline=DEADLINE)
    # a thread pool stands in for the process pool: same Executor interface, no spawn cost
    with ThreadPoolExecutor(workers) as pool:
        batch = steps.process_pages_parallel(pages, {}, pool, workers, settings=settings)
    huge, smr = batch.items
    assert (huge.stage, huge.reason, huge.article) == ("main_text", "timeout", None)
    assert "deadline" in (huge.detail or "")
    assert smr.stage is None and smr.result is not None and smr.result.facilities
    ledger = steps.RunLedger(run_id="deadline")
    con = connect(settings.db_path, settings=settings)
    try:
        steps.load_processed(con, ledger, batch)
    finally:
        con.close()
    assert ledger.counts() == {"loaded": 1, "unchanged": 0, "duplicate": 0, "skipped": 0, "failed": 1}
    [failure] = ledger.take_failures()
    assert (failure.url, failure.stage, failure.reason) == ("https://news.example/huge", "main_text", "timeout")


def test_without_settings_main_text_stays_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import extractors.main_text

    monkeypatch.setattr(extractors.main_text, "extract_articles",
                        lambda *a, **k: pytest.fail("isolated workers used without settings"))
    batch = steps.process_pages([page("https://news.example/smr", NORMAL.read_bytes())], {})
    assert batch.items[0].result is not None
    assert steps.isolates_main_text(Settings(parse_deadline=0)) is False
    assert steps.isolates_main_text(Settings(parse_deadline=5)) is True
