"""steps.run_pipeline end to end without Prefect, on the bundled demo feed (local files)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("warehouse.load", reason="warehouse.load (helper W) not landed yet")
pytest.importorskip("extractors.pipeline", reason="extractors.pipeline (helper E) not landed yet")

from flows import steps  # noqa: E402
from flows.cli_ingest import demo_feed_path  # noqa: E402
from models.settings import Settings  # noqa: E402
from warehouse.queries import run_sql  # noqa: E402

DATA_TABLES = ("articles", "facilities", "mentions")


def data_counts(db: Path) -> dict[str, int]:
    return {t: run_sql(db, f"select count(*) from {t}")[1][0][0] for t in DATA_TABLES}


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    db = tmp_path_factory.mktemp("pipe") / "pipe.duckdb"
    summary = steps.run_pipeline([str(demo_feed_path())], Settings(db_path=db, workers=1, batch_size=4))
    return db, summary


def test_every_demo_entry_ends_in_one_state(loaded_db: tuple[Path, object]) -> None:
    db, summary = loaded_db
    assert summary.status == "completed"  # type: ignore[attr-defined]
    assert (summary.entries, summary.loaded, summary.duplicate, summary.failed, summary.skipped) == \
        (17, 15, 2, 0, 0)  # type: ignore[attr-defined]
    assert data_counts(db)["articles"] == 15
    _, runs = run_sql(db, "select entries, loaded, duplicate, status from runs")
    assert runs == [(17, 15, 2, "completed")]
    assert set(summary.stage_seconds) >= set(steps.STAGES)  # type: ignore[attr-defined]


def test_a_changed_feed_with_the_same_articles_is_all_unchanged(loaded_db: tuple[Path, object],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import extractors.pipeline

    db, _ = loaded_db
    before = data_counts(db)

    def must_not_extract(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged article was extracted again")

    monkeypatch.setattr(extractors.pipeline, "extract_batch", must_not_extract)
    # the same feed under another name has no stored ETag: every entry is fetched again, and every
    # article's content hash matches the stored one, so extraction and loading are skipped
    again = steps.run_pipeline([demo_feed_path().as_uri()], Settings(db_path=db, workers=1))
    assert (again.entries, again.unchanged, again.duplicate, again.loaded, again.failed) == (17, 15, 2, 0, 0)
    assert data_counts(db) == before


def test_an_unchanged_feed_costs_one_read(loaded_db: tuple[Path, object]) -> None:
    db, _ = loaded_db
    again = steps.run_pipeline([str(demo_feed_path())], Settings(db_path=db, workers=1))
    assert (again.status, again.entries) == ("completed", 0)


def test_a_redirected_article_is_recognised_as_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import extractors.pipeline
    from servers import serve  # tests/servers.py

    page = (demo_feed_path().parent / "pages" / "ridgewater-smr.html").read_bytes()
    routes = {
        "/feed.xml": (200, {"Content-Type": "application/rss+xml"},
                      "<?xml version='1.0'?><rss version='2.0'><channel><title>r</title>"
                      "<item><title>SMR</title><link>/old/smr</link></item></channel></rss>"),
        "/old/smr": (301, {"Location": "/news/ridgewater-smr"}, b""),
        "/news/ridgewater-smr": (200, {"Content-Type": "text/html; charset=utf-8"}, page),
    }
    db = tmp_path / "redirect.duckdb"
    settings = Settings(db_path=db, workers=1, allow_private_hosts=True)
    with serve(routes) as server:
        first = steps.run_pipeline([server.url("/feed.xml")], settings)
        assert (first.loaded, first.failed) == (1, 0)
        monkeypatch.setattr(extractors.pipeline, "extract_batch", lambda *a, **k: pytest.fail("extracted again"))
        again = steps.run_pipeline([server.url("/feed.xml?again=1")], settings)  # no stored validators
        final_url = server.url("/news/ridgewater-smr")
    assert (again.entries, again.unchanged, again.loaded) == (1, 1, 0)
    _, urls = run_sql(db, "select url from articles")
    assert urls == [(final_url,)]


@pytest.mark.parametrize(("batch_size", "load_batch_size", "loads"), [
    (4, 1000, [16]),          # 16 pages (17 entries, one a canonical duplicate): one load at the end
    (3, 8, [9, 7]),           # CPU batches of 3 grouped until they hold 8 pages, the rest at the end
    (4, 1, [4, 4, 4, 4]),     # each CPU batch loads on its own
])
def test_cpu_batches_are_grouped_into_load_transactions(tmp_path: Path, batch_size: int, load_batch_size: int,
                                                        loads: list[int]) -> None:
    sizes: list[int] = []

    def counting_load(con, ledger, batch):  # type: ignore[no-untyped-def]
        sizes.append(len(batch.items))
        return steps.load_processed(con, ledger, batch)

    settings = Settings(db_path=tmp_path / "g.duckdb", workers=1, batch_size=batch_size,
                        load_batch_size=load_batch_size)
    summary = steps.run_pipeline([str(demo_feed_path())], settings, steps.StageRunners(load=counting_load))
    assert (summary.loaded, summary.duplicate) == (15, 2)
    assert sizes == loads


def test_pages_processed_before_a_cpu_stage_crash_are_still_loaded(tmp_path: Path) -> None:
    """A broken CPU stage (e.g. a dead process pool) ends the run, but batches it already finished are loaded."""
    from concurrent.futures import Future

    calls: list[int] = []

    def flaky_submit(pages, known, pool, workers, stale, settings):  # type: ignore[no-untyped-def]
        calls.append(len(pages))
        future: Future = Future()
        if len(calls) == 3:
            future.set_exception(RuntimeError("process pool broke"))
        else:
            future.set_result(steps.process_pages(pages, known, stale, settings))
        return future

    db = tmp_path / "crash.duckdb"
    settings = Settings(db_path=db, workers=1, batch_size=4, load_batch_size=1000)
    with pytest.raises(RuntimeError, match="process pool broke"):
        steps.run_pipeline([str(demo_feed_path())], settings, steps.StageRunners(submit_process=flaky_submit))
    stored = run_sql(db, "select count(*) from articles")[1][0][0]
    # the first two batches' pages (the feed holds two duplicates); without the flush it would be 0: with
    # load_batch_size 1000 nothing loads before the end of the run
    assert sum(calls[:2]) - 2 <= stored <= sum(calls[:2]) and stored > 0
