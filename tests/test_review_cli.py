"""The `review` sub-app and `schema` command: thin wiring, clear errors, exit codes."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from flows import cli_warehouse
from tests.warehouse_records import PLANTS, batch, edit_sheet
from warehouse import db as db_mod
from warehouse.corrections import export_review
from warehouse.db import applied_migrations, connect, migration_files
from warehouse.load import load_batch
from warehouse.schema_doc import migrated_schema_markdown


@pytest.fixture(scope="module")
def cli():
    app = typer.Typer()
    cli_warehouse.register(app)
    return lambda *args: CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "w.duckdb"
    con = connect(path)
    load_batch(con, "r1", *batch([1]))
    con.close()
    return path


def test_review_commands_end_to_end(cli, db, tmp_path):
    sheet, edited = tmp_path / "s.xlsx", tmp_path / "e.xlsx"
    res = cli("review", "export", "--out", sheet, "--db", db, "--country", "NORLAND", "--since", "2026-01-01")
    assert res.exit_code == 0, res.output
    assert f"wrote {sum(p[4] == 'Norland' for p in PLANTS)} facility row(s)" in res.output
    edit_sheet(sheet, edited, set_cells={(0, "verdict"): "reject", (1, "verdict"): "accept"})
    res = cli("review", "import", edited, "--reviewer", "Ana", "--db", db)
    assert res.exit_code == 0 and "imported 2 correction(s)" in res.output and "accept 1, reject 1" in res.output
    res = cli("review", "import", edited, "--reviewer", "Ana", "--db", db)
    assert res.exit_code == 0 and "already imported" in res.output
    res = cli("review", "stats", "--db", db, "--format", "json")
    assert res.exit_code == 0 and '"review_status": "rejected"' in res.output
    res = cli("review", "orphans", "--db", db, "--format", "csv")
    assert res.exit_code == 0 and res.output.startswith("correction_id,")
    res = cli("review", "to-gold", tmp_path / "gold", "--db", db)
    assert res.exit_code == 0 and "wrote 0 fully reviewed article(s)" in res.output


def test_review_import_reports_each_problem_and_fails(cli, db, tmp_path):
    sheet, bad = tmp_path / "s.csv", tmp_path / "bad.csv"
    export_review(db, sheet)
    edit_sheet(sheet, bad, set_cells={(0, "capacity_value"): "lots", (0, "verdict"): "correct",
                                      (1, "verdict"): "maybe"})
    res = cli("review", "import", bad, "--reviewer", "Ana", "--db", db)
    assert res.exit_code == 1
    assert "nothing was imported" in res.output
    assert "row 2, column capacity_value: 'lots' is not a number" in res.output
    assert "row 3, column verdict: unknown verdict 'maybe'" in res.output


def test_schema_markdown_command(cli):
    res = cli("schema", "--markdown")
    assert res.exit_code == 0 and res.output == migrated_schema_markdown()


def test_old_warehouse_is_upgraded_and_keeps_its_rows(monkeypatch, tmp_path):
    first = migration_files()[:1]
    monkeypatch.setattr(db_mod, "migration_files", lambda: first)
    path = tmp_path / "old.duckdb"
    con = connect(path)
    load_batch(con, "r1", *batch([1]))
    con.close()
    monkeypatch.undo()
    assert export_review(path, tmp_path / "s.csv") == len(PLANTS)  # upgrades to the latest migration first
    con = connect(path, read_only=True)
    assert applied_migrations(con) == [n for n, _ in migration_files()]
    assert con.execute("SELECT count(*) FROM facilities_reviewed").fetchall() == [(len(PLANTS),)]
    con.close()


def test_sql_json_output_is_parseable(cli, db):
    res = cli("sql", "select review_status, count(*) n from facilities_review_state group by 1", "--db", db,
              "--format", "json")
    assert res.exit_code == 0 and json.loads(res.output) == [{"review_status": "pending", "n": len(PLANTS)}]


@pytest.mark.parametrize("args, message", [
    (("export-parquet", "{file}"), "is a file, not a folder"),
    (("export-parquet", "{file}/sub"), "is a file, not a folder"),
    (("review", "export", "--out", "{file}/x.csv"), "is a file, not a folder"),
    (("review", "export", "--out", "{dir}/d.csv"), "is a folder; give a file name"),
    (("review", "export", "--out", "{dir}/s.txt"), "unsupported sheet type .txt"),
    (("review", "export", "--out", "{dir}/s.csv", "--status", "foo"), "unknown --status 'foo'"),
    (("review", "to-gold", "{file}"), "is a file, not a folder"),
])
def test_bad_output_paths_and_options_exit_2_with_a_message(cli, db, tmp_path, args, message):
    taken = tmp_path / "r.csv"
    taken.write_text("keep me\n", encoding="utf-8")
    (tmp_path / "d.csv").mkdir()
    res = cli(*(a.format(file=taken, dir=tmp_path) for a in args), "--db", db)
    assert res.exit_code == 2, res.output
    assert message in res.output and "Traceback" not in res.output and res.exception is not None
    assert isinstance(res.exception, SystemExit)
    assert taken.read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_failed_sheet_write_leaves_no_partial_file(db, tmp_path, monkeypatch, fmt):
    from models.errors import ReviewSheetError
    from warehouse import review_sheets

    def broken(out, rows, add_rows):
        out.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(review_sheets, f"write_{fmt}", broken)
    out = tmp_path / f"s.{fmt}"
    with pytest.raises(ReviewSheetError, match="No space left on device"):
        export_review(db, out)
    assert list(tmp_path.glob("s.*")) == [] and list(tmp_path.glob(".s.*")) == []
