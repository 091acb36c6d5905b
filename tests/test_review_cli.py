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
