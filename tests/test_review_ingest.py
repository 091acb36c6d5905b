"""Corrections survive the real pipeline: ingest the demo feed, review, ingest again, re-extract with a new
extractor version. Skips when the pipeline or extractor modules are not importable."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.settings import Settings
from tests.warehouse_records import edit_sheet, read_rows, select
from warehouse.corrections import export_review, import_review, orphans
from warehouse.db import connect
from warehouse.load import articles_for_reextraction, load_batch

steps = pytest.importorskip("flows.steps")
pipeline = pytest.importorskip("extractors.pipeline")
DEMO_FEED = Path(__file__).resolve().parent.parent / "flows" / "demo_data" / "feed.xml"


def reviewed(db: Path) -> set[tuple]:
    return set(select(db, "SELECT type, location, capacity_mw, status, review_status FROM facilities_review_state "
                          "WHERE review_status <> 'pending'"))


def test_corrections_survive_reingest_and_reextraction(tmp_path):
    if not DEMO_FEED.exists():
        pytest.skip("demo feed missing")
    db = tmp_path / "w.duckdb"
    settings = Settings(db_path=db, workers=1)
    steps.run_pipeline([str(DEMO_FEED)], settings)
    sheet, edited = tmp_path / "s.csv", tmp_path / "e.csv"
    n = export_review(db, sheet)
    if n < 3:
        pytest.skip("the extractor found fewer than 3 facilities in the demo feed")
    header, rows = read_rows(sheet)
    url = rows[0][header.index("article_url")]
    edit_sheet(sheet, edited, set_cells={
        (0, "verdict"): "accept", (1, "verdict"): "reject",
        (2, "capacity_value"): 77, (2, "capacity_unit"): "MW", (2, "verdict"): "correct",
        (n, "article_url"): url, (n, "type"): "wind", (n, "location"): "Invented Hill", (n, "verdict"): "add",
    })
    assert import_review(db, edited, reviewer="Ana").applied == 4
    after_review = reviewed(db)
    assert {r[-1] for r in after_review} == {"accepted", "rejected", "corrected", "added"}

    steps.run_pipeline([str(DEMO_FEED)], settings)  # the same feed again
    assert reviewed(db) == after_review

    con = connect(db)
    try:
        arts = articles_for_reextraction(con, "test-upgrade")
        results = [
            r.model_copy(update={"extractor_version": "test-upgrade", "facilities": [
                f.model_copy(update={"extractor_version": "test-upgrade"}) for f in r.facilities]})
            for r in pipeline.extract_batch(arts)
        ]
        assert load_batch(con, "reextract", arts, results).updated == len(arts)
        versions = con.execute("SELECT DISTINCT extractor_version FROM facilities").fetchall()
    finally:
        con.close()
    assert versions == [("test-upgrade",)]
    assert reviewed(db) == after_review
    assert orphans(db)[1] == []
