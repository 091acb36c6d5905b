"""Review round trips: export, edit as a reviewer, import, and the reviewed view shows exactly those changes."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from extractors.evaluation import load_gold_corpus
from models.errors import ReviewSheetError
from models.records import FACILITY_TYPES, STATUSES, ExtractionResult, Facility
from tests.warehouse_records import PLANTS, article, batch, edit_sheet, read_rows, result, select
from warehouse.corrections import (
    export_review, import_review, orphans, pattern_stats, status_counts, verdict_counts, write_gold,
)
from warehouse.db import connect
from warehouse.load import articles_for_reextraction, load_batch

FORMATS = ["xlsx", "csv"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def reviewed(db: Path) -> set[tuple]:
    return set(select(db, "SELECT article_id, type, location, admin_area, capacity_mw, status, review_status "
                          "FROM facilities_reviewed"))


def row_of(sheet: Path, url: str, location: str) -> int:
    header, rows = read_rows(sheet)
    for i, r in enumerate(rows):
        if r[header.index("article_url")] == url and r[header.index("location")] == location:
            return i
    raise LookupError(location)


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "w.duckdb"
    con = connect(path)
    load_batch(con, "r1", *batch([1, 2]))
    con.close()
    return path


def machine_expected(n: int) -> set[tuple]:
    a = article(n)
    return {(a.article_id, t, loc, adm, cap, st_, "pending") for t, _nm, loc, adm, _c, cap, st_ in PLANTS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_accept_correct_reject_add_survives_reextraction(db, tmp_path, fmt):
    sheet, edited = tmp_path / f"s.{fmt}", tmp_path / f"edited.{fmt}"
    assert export_review(db, sheet) == 2 * len(PLANTS)
    a = article(1)
    first_add_row = len(read_rows(sheet)[1]) - 20
    edit_sheet(sheet, edited, set_cells={
        (row_of(sheet, a.url, "Brenmoor village"), "verdict"): "accept",
        (row_of(sheet, a.url, "Harrow"), "capacity_value"): 75,
        (row_of(sheet, a.url, "Harrow"), "verdict"): "correct",
        (row_of(sheet, a.url, "Quenby"), "location"): "Quenby Marsh",
        (row_of(sheet, a.url, "Quenby"), "admin_area"): "Westfold",
        (row_of(sheet, a.url, "Quenby"), "verdict"): "Correct",
        (row_of(sheet, a.url, "Little Tarn"), "verdict"): "reject",
        (row_of(sheet, a.url, "Little Tarn"), "note"): "a tender, not a plant",
        (first_add_row, "article_url"): a.url,
        (first_add_row, "type"): "hydro",
        (first_add_row, "location"): "Glen Dar",
        (first_add_row, "capacity_value"): 12,
        (first_add_row, "capacity_unit"): "mw",
        (first_add_row, "status"): "planned",
        (first_add_row, "verdict"): "add",
    })
    report = import_review(db, edited, reviewer="Ana")
    assert report.applied == 5 and report.by_verdict == {"accept": 1, "correct": 2, "reject": 1, "add": 1}

    aid = a.article_id
    expected = machine_expected(2) | {
        (aid, "solar", "Brenmoor village", "Ostvale district", 40.0, "planned", "accepted"),
        (aid, "wind", "Harrow", None, 75.0, "under_construction", "corrected"),
        (aid, "solar", "Quenby Marsh", "Westfold", 100.0, "operational", "corrected"),
        (aid, "hydro", "Glen Dar", None, 12.0, "planned", "added"),
    }
    assert reviewed(db) == expected

    # same sheet again: nothing changes, not even bytes
    before = sha(db)
    assert import_review(db, edited, reviewer="Ana").already_imported
    assert sha(db) == before

    # a new extractor version re-extracts both articles (new offsets -> new facility ids); one plant now
    # comes out with the corrected place: every correction re-attaches, none is orphaned
    moved = [p if p[2] != "Quenby" else (*p[:2], "Quenby Marsh", *p[3:]) for p in PLANTS]
    con = connect(db)
    arts = articles_for_reextraction(con, "2.0", "ps1")
    assert [a.article_id for a in arts] == sorted([article(1).article_id, article(2).article_id])
    arts = sorted(arts, key=lambda x: x.url)  # story-1, story-2
    stats = load_batch(con, "r2", arts, [result(arts[0], version="2.0", shift=3, plants=moved),
                                         result(arts[1], version="2.0", shift=3)])
    assert articles_for_reextraction(con, "2.0", "ps1") == []
    new_ids = con.execute("SELECT count(*) FROM facilities WHERE extractor_version = '2.0'").fetchall()[0][0]
    con.close()
    assert stats.updated == 2 and new_ids == 2 * len(PLANTS)
    assert reviewed(db) == expected
    assert orphans(db)[1] == []


def test_orphaned_correction_is_listed_not_dropped(db, tmp_path):
    sheet, edited = tmp_path / "s.csv", tmp_path / "e.csv"
    export_review(db, sheet)
    a = article(1)
    edit_sheet(sheet, edited, set_cells={(row_of(sheet, a.url, "Little Tarn"), "verdict"): "reject"})
    import_review(db, edited, reviewer="Ana")
    con = connect(db)
    load_batch(con, "r2", [a], [result(a, version="2.0", shift=1, plants=PLANTS[:2])])
    con.close()
    columns, rows = orphans(db)
    assert len(rows) == 1
    orphan = dict(zip(columns, rows[0]))
    assert orphan["verdict"] == "reject" and orphan["match_key"].endswith("|biogas|little tarn")
    assert json.loads(orphan["old_values"])["location"] == "Little Tarn"


def test_conflict_blocks_import_unless_forced(db, tmp_path):
    sheet, edited = tmp_path / "s.xlsx", tmp_path / "e.xlsx"
    export_review(db, sheet)
    a = article(1)
    i = row_of(sheet, a.url, "Harrow")
    edit_sheet(sheet, edited, set_cells={(i, "verdict"): "accept"})
    # machine values change under the reviewer (same offsets and version -> same id, new row version)
    bigger = [p if p[2] != "Harrow" else (*p[:5], 66.0, p[6]) for p in PLANTS]
    con = connect(db)
    changed = article(1, text=a.text + " ")
    load_batch(con, "r2", [changed], [result(changed, plants=bigger)])
    con.close()
    before = sha(db)
    with pytest.raises(ReviewSheetError, match="changed in the warehouse since export") as info:
        import_review(db, edited, reviewer="Ana")
    assert info.value.problems == [f"row {i + 2}, column row_version: conflict: facility "
                                   f"{read_rows(sheet)[1][i][0]} changed since the sheet was exported"]
    assert "--skip-conflicts" in str(info.value) and "--force" in str(info.value)
    assert sha(db) == before
    report = import_review(db, edited, reviewer="Ana", force=True)
    assert report.applied == 1 and report.forced == 1


def _change_harrow_under_the_reviewer(db: Path) -> None:
    """Machine values of article 1's Harrow row change after export (same id, new row version)."""
    a = article(1)
    bigger = [p if p[2] != "Harrow" else (*p[:5], 66.0, p[6]) for p in PLANTS]
    con = connect(db)
    changed = article(1, text=a.text + " ")
    load_batch(con, "r2", [changed], [result(changed, plants=bigger)])
    con.close()


@pytest.mark.parametrize("fmt", FORMATS)
def test_skip_conflicts_imports_the_other_rows_and_lists_each_conflict(db, tmp_path, fmt):
    import typer
    from typer.testing import CliRunner

    from flows import cli_warehouse

    app = typer.Typer()
    cli_warehouse.register(app)
    sheet, edited = tmp_path / f"s.{fmt}", tmp_path / f"e.{fmt}"
    export_review(db, sheet)
    a1, a2 = article(1), article(2)
    i, j, k = row_of(sheet, a1.url, "Harrow"), row_of(sheet, a2.url, "Harrow"), row_of(sheet, a2.url, "Quenby")
    edit_sheet(sheet, edited, set_cells={(i, "verdict"): "accept", (j, "verdict"): "reject",
                                         (k, "verdict"): "accept"})
    _change_harrow_under_the_reviewer(db)
    fid = read_rows(sheet)[1][i][0]
    before = sha(db)
    with pytest.raises(ReviewSheetError, match="--skip-conflicts"):
        import_review(db, edited, reviewer="Ana")
    with pytest.raises(ReviewSheetError, match="exclude each other"):
        import_review(db, edited, reviewer="Ana", force=True, skip_conflicts=True)
    assert sha(db) == before
    res = CliRunner().invoke(app, ["review", "import", str(edited), "--reviewer", "Ana", "--skip-conflicts",
                                   "--db", str(db)])
    assert res.exit_code == 1, res.output
    assert "imported 2 correction(s)" in res.output and "1 conflicting row(s) skipped" in res.output
    assert f"row {i + 2}: facility {fid} changed since export; re-export to review it" in res.output
    got = select(db, "SELECT facility_id, verdict FROM corrections ORDER BY sheet_row")
    header, rows = read_rows(sheet)
    assert got == [(rows[r][0], v) for r, v in sorted([(j, "reject"), (k, "accept")])]
    assert fid not in {f for f, _ in got}
    res = CliRunner().invoke(app, ["review", "import", str(edited), "--reviewer", "Ana", "--force",
                                   "--skip-conflicts", "--db", str(db)])
    assert res.exit_code == 2 and "--force or --skip-conflicts" in res.output


def test_hyperlink_title_is_exported_as_text(tmp_path):
    db = tmp_path / "w.duckdb"
    title = '=HYPERLINK("http://attacker.example/x","Click me")'
    a = article(7, title=title)
    con = connect(db)
    load_batch(con, "r1", [a], [result(a)])
    con.close()
    export_review(db, tmp_path / "s.xlsx")
    ws = load_workbook(tmp_path / "s.xlsx")["review"]
    cell = ws.cell(row=2, column=[c.value for c in ws[1]].index("article_title") + 1)
    assert cell.value == title and cell.data_type == "s"
    export_review(db, tmp_path / "s.csv")
    header, rows = read_rows(tmp_path / "s.csv")
    assert rows[0][header.index("article_title")] == "'" + title
    before = sha(db)
    for name in ("s.xlsx", "s.csv"):
        assert import_review(db, tmp_path / name, reviewer="Ana").applied == 0
    assert sha(db) == before


def test_stats_and_gold_export(db, tmp_path):
    sheet, edited = tmp_path / "s.xlsx", tmp_path / "e.xlsx"
    export_review(db, sheet)
    a = article(1)
    verdicts = {"Brenmoor village": "accept", "Harrow": "accept", "Little Tarn": "reject", "Quenby": "correct"}
    cells = {(row_of(sheet, a.url, loc), "verdict"): v for loc, v in verdicts.items()}
    cells[(row_of(sheet, a.url, "Quenby"), "status")] = "cancelled"
    edit_sheet(sheet, edited, set_cells=cells)
    import_review(db, edited, reviewer="Ana")

    assert verdict_counts(db)[1] == [("accept", 2, 1, 1), ("correct", 1, 1, 1), ("reject", 1, 1, 1)]
    counts = dict(status_counts(db)[1])
    assert counts == {"pending": 4, "accepted": 2, "corrected": 1, "rejected": 1}
    columns, rows = pattern_stats(db)
    per = {r[0]: dict(zip(columns, r)) for r in rows}
    assert (per["place_at"]["accepted"], per["place_at"]["corrected"], per["place_at"]["rejected"]) == (2, 1, 1)
    assert per["biogas_capacity_v1"]["rejected"] == 1

    written = write_gold(db, tmp_path / "gold")
    assert [p.stem for p in written] == [a.article_id]  # article 2 is still pending
    gold = load_gold_corpus(tmp_path / "gold")
    assert len(gold) == 1 and gold[0].text == a.text
    assert sorted((f.type, f.location, f.status) for f in gold[0].facilities) == [
        ("solar", "Brenmoor village", "planned"), ("solar", "Quenby", "cancelled"),
        ("wind", "Harrow", "under_construction"),
    ]


# ---------------------------------------------------------------- property: export then import changes nothing

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20) | st.sampled_from(
    ["=SUM(A1)", "+1", "-x", "@me", "\tTab", "'quoted", "a; b", "  padded  ", "=HYPERLINK(\"x\")", "é Ø 中"])
FACILITY = st.builds(
    Facility,
    type=st.sampled_from(FACILITY_TYPES),
    name=st.none() | TEXT,
    location=st.none() | TEXT,
    admin_area=st.none() | TEXT,
    country=st.none() | TEXT,
    capacity_value=st.none() | st.floats(min_value=0, max_value=1e7, allow_nan=False),
    capacity_unit=st.none() | st.sampled_from(["MW", "kW", "GW", "MWp", "MWh"]),
    status=st.sampled_from(STATUSES),
    organisations=st.lists(TEXT, max_size=3),
    target_year=st.none() | st.integers(min_value=1800, max_value=2300),
    sentence=st.none() | TEXT,
    start_char=st.integers(min_value=0, max_value=500),
    pattern_ids=st.lists(st.sampled_from(["p1", "=p2"]), max_size=2),
)


def _plant(capacity_value: float | None, target_year: int | None = None) -> Facility:
    return Facility(type="solar", location="Harrow", capacity_value=capacity_value, capacity_unit="MW",
                    target_year=target_year)


# No shrinking phase: a failure reports the generated example at once instead of spending minutes shrinking it.
@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(facilities=st.lists(FACILITY, min_size=1, max_size=6), title=TEXT, fmt=st.sampled_from(FORMATS))
@example(facilities=[_plant(262144.50272617047)], title="", fmt="xlsx")  # openpyxl writes ~16 digits
@example(facilities=[_plant(1234567.8901234567, 2031)], title="", fmt="xlsx")
@example(facilities=[_plant(0.30000000000000004)], title="", fmt="csv")
@example(facilities=[_plant(5e-324)], title="", fmt="xlsx")
def test_export_then_import_without_edits_changes_nothing(facilities, title, fmt):
    with tempfile.TemporaryDirectory() as tmp:
        db, sheet = Path(tmp) / "w.duckdb", Path(tmp) / f"s.{fmt}"
        a = article(3, title=title or None)
        con = connect(db)
        load_batch(con, "r1", [a], [ExtractionResult(id=a.article_id, facilities=facilities, extractor_version="1")])
        con.close()
        before_rows, before = reviewed(db), sha(db)
        export_review(db, sheet, status="all")
        report = import_review(db, sheet, reviewer="Ana")
        assert report.applied == 0 and not report.already_imported
        assert sha(db) == before and reviewed(db) == before_rows


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("cell, typed, expect_capacity, expect_location", [
    ("location", "Harrow Fen", 262144.50272617047, "Harrow Fen"),  # untouched number keeps its exact value
    ("capacity_value", 262144.5, 262144.5, "Harrow"),  # a real edit of the number is seen
    ("capacity_value", "262145", 262145.0, "Harrow"),
])
def test_correct_keeps_untouched_numbers_exact_and_sees_real_number_edits(
        tmp_path, fmt, cell, typed, expect_capacity, expect_location):
    db, sheet, edited = tmp_path / "w.duckdb", tmp_path / f"s.{fmt}", tmp_path / f"e.{fmt}"
    a = article(3)
    con = connect(db)
    load_batch(con, "r1", [a], [ExtractionResult(id=a.article_id, facilities=[_plant(262144.50272617047)],
                                                 extractor_version="1")])
    con.close()
    export_review(db, sheet, status="all")
    edit_sheet(sheet, edited, set_cells={(0, cell): typed, (0, "verdict"): "correct"})
    assert import_review(db, edited, reviewer="Ana").applied == 1
    (new_values,) = select(db, "SELECT new_values FROM corrections")[0]
    new = json.loads(new_values)
    assert (new["capacity_value"], new["location"]) == (expect_capacity, expect_location)


def test_reviewed_values_win_and_changed_machine_rows_come_back_as_stale(db, tmp_path):
    a = article(1)
    export_review(db, tmp_path / "s.csv")
    edit_sheet(tmp_path / "s.csv", tmp_path / "e.csv",
               set_cells={(row_of(tmp_path / "s.csv", a.url, "Harrow"), "verdict"): "accept"})
    import_review(db, tmp_path / "e.csv", reviewer="Ana")

    def harrow() -> tuple:
        return select(db, "SELECT capacity_mw, review_status, review_stale FROM facilities_review_state "
                          "WHERE article_id = ? AND location = 'Harrow'", [a.article_id])[0]

    assert harrow() == (60.0, "accepted", False)
    bigger = [p if p[2] != "Harrow" else (*p[:5], 66.0, p[6]) for p in PLANTS]
    changed = article(1, text=a.text + " (updated)")
    con = connect(db)
    load_batch(con, "r2", [changed], [result(changed, plants=bigger)])
    con.close()
    assert harrow() == (60.0, "accepted", True)  # the reviewer's values stay until someone looks again
    assert export_review(db, tmp_path / "again.csv") == 2 * len(PLANTS)  # 7 pending + the stale accepted one
    edit_sheet(tmp_path / "again.csv", tmp_path / "again-e.csv",
               set_cells={(row_of(tmp_path / "again.csv", a.url, "Harrow"), "verdict"): "accept"})
    import_review(db, tmp_path / "again-e.csv", reviewer="Ben")
    assert harrow() == (66.0, "accepted", False)
