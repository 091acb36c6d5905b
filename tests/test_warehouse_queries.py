"""Read-only SQL, canned queries, output formats, Parquet export and the `sql` command."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from flows import cli_warehouse
from models.errors import WarehouseError
from tests.warehouse_records import PLANTS, batch
from warehouse.db import connect
from warehouse.load import load_batch
from warehouse.queries import canned_queries, canned_query, export_parquet, format_rows, parse_params, run_sql

PARAMS = {"facilities_in_country": {"country": "norland"}}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("q") / "w.duckdb"
    con = connect(path)
    load_batch(con, "r1", *batch(range(3)))
    con.close()
    return path


@pytest.fixture(scope="module")
def cli():
    app = typer.Typer()
    cli_warehouse.register(app)
    app.command("noop", hidden=True)(lambda: None)  # keep a multi-command app so names are required
    return lambda *args: CliRunner().invoke(app, list(args))


@pytest.mark.parametrize("name", sorted(canned_queries()))
def test_every_canned_query_runs(db, name):
    sql, params = canned_query(name, PARAMS.get(name))
    columns, rows = run_sql(db, sql, params or None)
    assert columns
    if name == "facilities_in_country":
        assert len(rows) == 3 * sum(p[4] == "Norland" for p in PLANTS)


@pytest.mark.parametrize("name,params,message", [
    ("no_such_query", {}, "unknown query 'no_such_query'"),
    ("facilities_in_country", {}, "missing \\['country'\\]"),
    ("facilities_by_type", {"x": "1"}, "unknown \\['x'\\]"),
    ("../etc/passwd", {}, "unknown query"),
])
def test_canned_query_errors(name, params, message):
    with pytest.raises(WarehouseError, match=message):
        canned_query(name, params)


@pytest.mark.parametrize("pairs,expected", [
    (["a=1", "b=x=y"], {"a": "1", "b": "x=y"}),
    ([], {}),
])
def test_parse_params(pairs, expected):
    assert parse_params(pairs) == expected


def test_parse_params_rejects_missing_equals():
    with pytest.raises(WarehouseError, match="NAME=VALUE"):
        parse_params(["oops"])


@pytest.mark.parametrize("sql", [
    "DELETE FROM facilities", "CREATE TABLE x (a INT)", "INSERT INTO runs (run_id) VALUES ('x')",
])
def test_run_sql_is_read_only(db, sql):
    with pytest.raises(WarehouseError, match="read-only"):
        run_sql(db, sql)
    assert run_sql(db, "SELECT count(*) FROM facilities")[1] == [(3 * len(PLANTS),)]


@pytest.mark.parametrize("fmt,expected", [
    ("csv", "a,b\n1,\"[\"\"x\"\"]\"\n,2026-01-02\n"),
    ("json", '[{"a": 1, "b": ["x"]}, {"a": null, "b": "2026-01-02"}]'),
])
def test_format_rows(fmt, expected):
    import datetime as dt

    text = format_rows(["a", "b"], [(1, ["x"]), (None, dt.date(2026, 1, 2))], fmt)
    if fmt == "json":
        assert json.loads(text) == json.loads(expected)
    else:
        assert text == expected


def test_export_parquet_writes_every_table_and_view(db, tmp_path):
    written = {p.stem: p for p in export_parquet(db, tmp_path / "pq")}
    assert {"articles", "facilities", "mentions", "runs", "failures", "facilities_reviewed"} <= set(written)
    assert pq.read_table(written["facilities"]).num_rows == 3 * len(PLANTS)


def test_sql_command_formats_and_errors(db, cli):
    res = cli("sql", "select type, count(*) n from facilities group by 1 order by 1", "--db", str(db), "-f", "json")
    assert res.exit_code == 0, res.output
    assert {r["type"] for r in json.loads(res.output)} == {p[0] for p in PLANTS}
    res = cli("sql", "--query", "facilities_in_country", "--param", "country=Estmark", "--db", str(db), "-f", "csv")
    assert res.exit_code == 0 and res.output.count("\n") == 1 + 3
    res = cli("sql", "select * from nope", "--db", str(db))
    assert res.exit_code == 1 and "query failed" in res.output
    res = cli("sql", "select 1", "--db", str(db.parent / "absent.duckdb"))
    assert res.exit_code == 1 and "no warehouse at" in res.output


def test_overview_counts_articles_types_and_the_runs_failures(tmp_path):
    import datetime as dt
    from collections import Counter

    from models.records import FailureRecord
    from warehouse.load import record_failures
    from warehouse.queries import overview

    path = tmp_path / "w.duckdb"
    con = connect(path)
    load_batch(con, "r1", *batch(range(2)))
    at = dt.datetime(2026, 1, 2, tzinfo=dt.timezone.utc)
    record_failures(con, [
        FailureRecord(run_id="r1", url="https://b.example/x", stage="fetch", reason="http_404", at=at),
        FailureRecord(run_id="r1", url="https://a.example/y", stage="main_text", reason="no_text", at=at),
        FailureRecord(run_id="r0", url="https://c.example/z", stage="fetch", reason="timeout", at=at),
    ])
    con.close()
    view = overview(path, "r1")
    assert view.articles == 2
    counts = Counter(p[0] for p in PLANTS)
    assert view.facilities_by_type == sorted(((t, 2 * n) for t, n in counts.items()), key=lambda r: (-r[1], r[0]))
    assert view.failures == [("https://a.example/y", "main_text", "no_text"), ("https://b.example/x", "fetch",
                                                                              "http_404")]
    assert overview(path, "nope").failures == []


def test_describe_relations_of_a_file_and_of_a_fresh_warehouse(db):
    from warehouse.queries import describe_relations

    fresh, stored = describe_relations(None), describe_relations(db)
    assert fresh == stored
    kinds = {name: kind for name, kind, _cols in stored}
    assert kinds["articles"] == "BASE TABLE" and kinds["facilities_reviewed"] == "VIEW"
    assert dict((n, c) for n, _k, c in stored)["articles"].startswith("article_id, ")


@pytest.mark.parametrize("sql", [
    "COPY facilities TO '{out}/f.csv'",
    "COPY (SELECT 1) TO '{out}/one.parquet' (FORMAT parquet)",
    "EXPORT DATABASE '{out}/dump'",
    "ATTACH '{out}/other.duckdb' AS other",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SELECT * FROM read_csv('{out}/secret.csv')",
    "SET enable_external_access = true",
])
def test_run_sql_refuses_statements_that_touch_files(db, tmp_path, sql):
    (tmp_path / "secret.csv").write_text("a\n1\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(WarehouseError, match="refused|external access"):
        run_sql(db, sql.format(out=tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert run_sql(db, "SELECT count(*) FROM facilities")[1] == [(3 * len(PLANTS),)]


def test_sql_command_refuses_copy_to_and_parquet_export_still_works(db, cli, tmp_path):
    res = cli("sql", f"COPY facilities TO '{tmp_path}/f.csv'", "--db", str(db))
    assert res.exit_code == 1 and "query refused" in res.output and not (tmp_path / "f.csv").exists()
    assert export_parquet(db, tmp_path / "pq")  # the writer-side export keeps file access
