"""Read-only SQL for analysts: ad-hoc queries, canned `.sql` files, Parquet export, output formats."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from models.errors import WarehouseError
from models.settings import Settings
from warehouse.db import connect
from warehouse.outputs import output_dir

_QUERY_NAME = re.compile(r"^[a-z0-9_]+$")
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


def run_sql(
    path: str | Path, sql: str, params: dict[str, Any] | list[Any] | None = None, *,
    settings: Settings | None = None,
) -> tuple[list[str], list[tuple]]:
    """Run one query on a read-only connection without file access; returns (column names, rows).

    Statements that write or read outside the database (COPY ... TO, ATTACH, INSTALL/LOAD, EXPORT DATABASE,
    read_csv of a file) are refused with a WarehouseError.
    """
    con = connect(path, read_only=True, settings=settings, files=False)
    try:
        try:
            cur = con.execute(sql, params) if params else con.execute(sql)
            columns = [d[0] for d in cur.description] if cur.description else []
            rows = cur.fetchall() if cur.description else []
        except duckdb.PermissionException as exc:
            raise WarehouseError(
                f"query refused: read-only SQL cannot touch files or extensions (COPY TO, ATTACH, INSTALL/LOAD, "
                f"EXPORT DATABASE, reading files); use `gridscout export-parquet DIR` to export ({exc})") from exc
        except duckdb.Error as exc:
            raise WarehouseError(f"query failed: {exc}") from exc
    finally:
        con.close()
    return columns, rows


def canned_queries() -> dict[str, str]:
    """name -> SQL text of every `warehouse/queries/*.sql`."""
    folder = resources.files("warehouse") / "queries"
    return {
        e.name.removesuffix(".sql"): e.read_text(encoding="utf-8")
        for e in folder.iterdir() if e.name.endswith(".sql")
    }


def query_description(sql: str) -> str:
    """First `--` comment line of a canned query."""
    for line in sql.splitlines():
        if line.startswith("--"):
            return line.lstrip("- ").strip()
    return ""


def query_params(sql: str) -> list[str]:
    """Named `$param`s a canned query expects, in order of first use."""
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return list(dict.fromkeys(_PARAM.findall(body)))


def canned_query(name: str, params: dict[str, str] | None = None) -> tuple[str, dict[str, str]]:
    """The SQL of a canned query and its checked parameters (unknown name/param -> WarehouseError)."""
    queries = canned_queries()
    if not _QUERY_NAME.match(name) or name not in queries:
        raise WarehouseError(f"unknown query {name!r}; known: {', '.join(sorted(queries))}")
    sql = queries[name]
    wanted = query_params(sql)
    params = dict(params or {})
    extra = sorted(set(params) - set(wanted))
    missing = [p for p in wanted if p not in params]
    if extra or missing:
        raise WarehouseError(
            f"query {name!r} takes parameters {wanted or 'none'}: "
            + "; ".join(filter(None, [f"missing {missing}" if missing else "", f"unknown {extra}" if extra else ""]))
        )
    return sql, params


def parse_params(pairs: list[str]) -> dict[str, str]:
    """['k=v', ...] -> {'k': 'v'}; a pair without '=' is an error."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise WarehouseError(f"--param {pair!r}: expected NAME=VALUE")
        out[key.strip()] = value
    return out


def _jsonable(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, bytes):
        return v.hex()
    return v


def format_rows(columns: list[str], rows: list[tuple], fmt: str) -> str:
    """Render a result as csv or json (a list of objects); the CLI renders tables itself."""
    if fmt == "json":
        return json.dumps([dict(zip(columns, map(_jsonable, r))) for r in rows], ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if v is None else json.dumps(_jsonable(v)) if isinstance(v, (list, dict)) else v
                        for v in r])
        return buf.getvalue()
    raise WarehouseError(f"unknown format {fmt!r}: use table, csv or json")


def relation_names(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(name, 'table'|'view') of every user table and view in the main schema."""
    rows = con.execute(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main' "
        "ORDER BY table_type, table_name"
    ).fetchall()
    return [(n, "view" if t == "VIEW" else "table") for n, t in rows]


def export_parquet(path: str | Path, out_dir: str | Path, *, settings: Settings | None = None) -> list[Path]:
    """Write every table and view as `<out_dir>/<name>.parquet` from a read-only connection."""
    out = output_dir(out_dir)
    con = connect(path, read_only=True, settings=settings)
    written = []
    try:
        for name, _kind in relation_names(con):
            target = out / f"{name}.parquet"
            con.execute(f"COPY (SELECT * FROM \"{name}\") TO '{_sql_str(target)}' (FORMAT parquet)")
            written.append(target)
    except duckdb.Error as exc:
        raise WarehouseError(f"parquet export to {out} failed: {exc}") from exc
    finally:
        con.close()
    return written


def _sql_str(p: Path) -> str:
    return str(p).replace("'", "''")


def describe_relations(path: str | Path | None, *, settings: Settings | None = None) -> list[tuple[str, str, str]]:
    """(name, 'BASE TABLE'|'VIEW', comma-separated columns) of every relation; `path` None = a fresh migrated DB."""
    con = connect(path, read_only=True, settings=settings) if path else connect(":memory:", settings=settings)
    try:
        return con.execute(
            "SELECT c.table_name, t.table_type, string_agg(c.column_name, ', ' ORDER BY c.ordinal_position) "
            "FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name) "
            "WHERE c.table_schema = 'main' GROUP BY ALL ORDER BY 2, 1"
        ).fetchall()
    except duckdb.Error as exc:
        raise WarehouseError(f"describing {path or 'a fresh warehouse'} failed: {exc}") from exc
    finally:
        con.close()


@dataclass(frozen=True)
class Overview:
    """What a run left in the warehouse: article count, facilities by type, the run's failed/skipped entries."""

    articles: int
    facilities_by_type: list[tuple[str, int]]  # (type, facilities), most first
    failures: list[tuple[str, str, str]]  # (url, stage, reason) of the given run, by url

    FACILITY_COLUMNS = ("type", "facilities")
    FAILURE_COLUMNS = ("url", "stage", "reason")


def overview(path: str | Path, run_id: str | None = None, *, settings: Settings | None = None) -> Overview:
    """Article count, facilities by type and the failures of run `run_id`, from one read-only connection."""
    con = connect(path, read_only=True, settings=settings)
    try:
        articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
        by_type = con.execute(
            "SELECT type, count(*) AS facilities FROM facilities GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
        failures = con.execute(
            "SELECT url, stage, reason FROM failures WHERE run_id = ? ORDER BY url", [run_id]).fetchall()
    except duckdb.Error as exc:
        raise WarehouseError(f"overview of {path} failed: {exc}") from exc
    finally:
        con.close()
    return Overview(articles=int(articles), facilities_by_type=[tuple(r) for r in by_type],
                    failures=[tuple(r) for r in failures])
