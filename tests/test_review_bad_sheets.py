"""Bad review sheets: each gets a clear `row N, column X` (or file-level) error and the database file stays
byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from models.errors import ReviewSheetError
from tests.warehouse_records import PLANTS, article, batch, edit_sheet, read_rows
from warehouse.corrections import export_review, import_review
from warehouse.db import connect
from warehouse.load import load_batch
from warehouse.review_sheets import csv_escape, csv_unescape


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    tmp = tmp_path_factory.mktemp("bad")
    db = tmp / "w.duckdb"
    con = connect(db)
    load_batch(con, "r1", *batch([1]))
    con.close()
    sheets = {fmt: tmp / f"s.{fmt}" for fmt in ("xlsx", "csv")}
    for path in sheets.values():
        export_review(db, path)
    return db, sheets


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


ADD_ROW = len(PLANTS)  # first empty row after the facilities
CASES = [
    # (id, edit kwargs, expected message fragment)
    ("unknown id", {"set_cells": {(0, "facility_id"): "0000aaaa0000aaaa", (0, "verdict"): "accept"}},
     "row 2, column facility_id: unknown facility_id '0000aaaa0000aaaa'"),
    ("edited id", {"set_cells": {(1, "facility_id"): "EDITED", (1, "verdict"): "reject"}},
     "row 3, column facility_id: unknown facility_id 'EDITED'"),
    ("cleared id", {"set_cells": {(1, "facility_id"): None, (1, "verdict"): "reject"}},
     "row 3, column facility_id: empty but row_version is set"),
    ("deleted key column", {"drop_column": "row_version"},
     "row 1, column row_version: column is missing"),
    ("text in number column", {"set_cells": {(0, "capacity_value"): "forty", (0, "verdict"): "correct"}},
     "row 2, column capacity_value: 'forty' is not a number"),
    ("edit without verdict", {"set_cells": {(0, "capacity_value"): 41}},
     "row 2, column verdict: values were changed but verdict is empty"),
    ("unknown status", {"set_cells": {(2, "status"): "maybe later", (2, "verdict"): "correct"}},
     "row 4, column status: unknown status 'maybe later'"),
    ("unknown verdict", {"set_cells": {(2, "verdict"): "approve"}},
     "row 4, column verdict: unknown verdict 'approve'"),
    ("unknown type", {"set_cells": {(2, "type"): "fusion", (2, "verdict"): "correct"}},
     "row 4, column type: unknown type 'fusion'"),
    ("unit without value", {"set_cells": {(2, "capacity_unit"): "MW", (2, "verdict"): "correct"}},
     "row 4, column capacity_value: empty, but a unit is given"),
    ("duplicated row", {"append_copy_of": 1, "set_cells": {(1, "verdict"): "accept"}},
     "row 4, column facility_id: duplicated row (the same facility is in row 3)"),
    ("formula in a cell", {"formula": (0, "name"), "set_cells": {(0, "verdict"): "correct"}},
     "row 2, column name: contains a formula"),
    ("accept with edits", {"set_cells": {(3, "location"): "Elsewhere", (3, "verdict"): "accept"}},
     "row 5, column verdict: accept, but values were edited; use correct"),
    ("add without article", {"set_cells": {(ADD_ROW, "type"): "wind", (ADD_ROW, "location"): "Nowhere",
                                           (ADD_ROW, "verdict"): "add"}},
     f"row {ADD_ROW + 2}, column article_url: the article URL is required"),
    ("add with unknown article", {"set_cells": {(ADD_ROW, "article_url"): "https://elsewhere.example/x",
                                                (ADD_ROW, "type"): "wind", (ADD_ROW, "location"): "Nowhere",
                                                (ADD_ROW, "verdict"): "add"}},
     f"row {ADD_ROW + 2}, column article_url: no article with URL"),
    ("add without place", {"set_cells": {(ADD_ROW, "article_url"): article(1).url, (ADD_ROW, "type"): "wind",
                                         (ADD_ROW, "verdict"): "add"}},
     f"row {ADD_ROW + 2}, column location: a location or a name is required"),
]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("case,edit,message", CASES, ids=[c[0] for c in CASES])
def test_bad_sheet_is_refused_and_database_unchanged(exported, tmp_path, fmt, case, edit, message):
    db, sheets = exported
    bad = tmp_path / f"bad.{fmt}"
    edit_sheet(sheets[fmt], bad, **edit)
    # a good edit elsewhere must not be applied either
    before = sha(db)
    with pytest.raises(ReviewSheetError) as info:
        import_review(db, bad, reviewer="Ana")
    text = "\n".join([str(info.value), *info.value.problems])
    assert message in text
    assert sha(db) == before


def test_every_problem_is_reported_at_once(exported, tmp_path):
    db, sheets = exported
    bad = tmp_path / "many.xlsx"
    edit_sheet(sheets["xlsx"], bad, set_cells={(0, "capacity_value"): "abc", (0, "verdict"): "correct",
                                                (1, "status"): "soon", (1, "verdict"): "correct",
                                                (2, "verdict"): "accept"})
    with pytest.raises(ReviewSheetError) as info:
        import_review(db, bad, reviewer="Ana")
    assert [p.split(":")[0] for p in info.value.problems] == ["row 2, column capacity_value", "row 3, column status"]


@pytest.mark.parametrize("name,content,message", [
    ("empty.xlsx", b"", "the file is empty"),
    ("empty.csv", b"", "the file is empty"),
    ("blank.csv", b"\n\n", "the file is empty"),
    ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not an xlsx workbook"),
    ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)), "not a CSV text file"),
    ("latin1.csv", "facility_id,café\n".encode("latin-1"), "not a UTF-8 CSV file"),
    ("other.csv", b"a,b,c\n1,2,3\n", "row 1, column facility_id: column is missing"),
    ("notes.txt", b"hello", "unsupported sheet type .txt"),
])
def test_bad_files_are_refused(exported, tmp_path, name, content, message):
    db, _ = exported
    path = tmp_path / name
    path.write_bytes(content)
    before = sha(db)
    with pytest.raises(ReviewSheetError) as info:
        import_review(db, path, reviewer="Ana")
    assert message in "\n".join([str(info.value), *info.value.problems])
    assert sha(db) == before


def test_xlsx_without_review_sheet(exported, tmp_path):
    from openpyxl import Workbook

    db, _ = exported
    Workbook().save(tmp_path / "other.xlsx")
    with pytest.raises(ReviewSheetError, match="no sheet named 'review'"):
        import_review(db, tmp_path / "other.xlsx", reviewer="Ana")


def test_reviewer_is_required(exported):
    db, sheets = exported
    with pytest.raises(ReviewSheetError, match="reviewer name is required"):
        import_review(db, sheets["csv"], reviewer="  ")


@pytest.mark.parametrize("value", ["=1+1", "+41", "-x", "@SUM", "\tcell", "\rx", "'quoted", "plain", "-5", ""])
def test_csv_escape_round_trip(value):
    escaped = csv_escape(value)
    assert csv_unescape(escaped) == value
    if value.startswith(("=", "+", "-", "@", "\t", "\r", "'")):
        assert escaped == "'" + value
    else:
        assert escaped == value


def test_exported_sheet_has_reviewer_affordances(exported):
    from openpyxl import load_workbook

    _db, sheets = exported
    wb = load_workbook(sheets["xlsx"])
    ws = wb["review"]
    header = [c.value for c in ws[1]]
    assert wb.sheetnames == ["review", "instructions"]
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref and ws.protection.sheet
    assert ws.column_dimensions["A"].hidden and ws.column_dimensions["B"].hidden
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1 for dv in ws.data_validations.dataValidation}
    col = {h: ws.cell(row=1, column=i + 1).column_letter for i, h in enumerate(header)}
    assert {"type", "capacity_unit", "status", "verdict"} == {h for h, letter in col.items() if letter in lists}
    assert "accept,correct,reject,add" in lists[col["verdict"]]
    first = 2
    assert ws.cell(row=first, column=header.index("facility_id") + 1).protection.locked
    assert not ws.cell(row=first, column=header.index("verdict") + 1).protection.locked
    url_cell = ws.cell(row=first, column=header.index("article_url") + 1)
    assert url_cell.hyperlink is not None and url_cell.hyperlink.target == url_cell.value
    assert len(read_rows(sheets["xlsx"])[1]) == len(PLANTS) + 20
