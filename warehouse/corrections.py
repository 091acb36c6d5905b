"""Reviewer corrections: export review sheets, validate and import them, orphans, stats, gold export.

Corrections are append-only rows in `corrections`; the views in migration 002 overlay the latest one on the
machine rows, re-attaching to re-extracted rows by match key. An import validates every row against a
read-only connection first; only a sheet with no problem (and no conflict, unless forced) opens a writer.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from models.errors import ReviewSheetError, WarehouseError
from models.records import sha256_hex
from models.settings import Settings
from warehouse.db import applied_migrations, connect, migration_files
from warehouse.keys import added_facility_id, capacity_to_mw, match_key
from warehouse.load import bulk_insert, now_utc, transaction
from warehouse.outputs import output_dir, output_file, write_replacing
from warehouse.review_sheets import (
    EDITABLE_COLUMNS, EDITABLE_PARSERS, VERDICTS, CellError, Sheet, SheetRow, organisations_text, read_sheet,
    sheet_format, sheet_text, write_sheet,
)

log = logging.getLogger(__name__)

CORRECTION_SCHEMA = pa.schema([
    ("correction_id", pa.string()), ("reviewer", pa.string()), ("reviewed_at", pa.timestamp("us")),
    ("sheet_sha256", pa.string()), ("sheet_row", pa.int32()), ("facility_id", pa.string()),
    ("article_id", pa.string()), ("match_key", pa.string()), ("new_match_key", pa.string()),
    ("match_capacity_mw", pa.float64()), ("row_version", pa.string()), ("verdict", pa.string()),
    ("old_values", pa.string()), ("new_values", pa.string()), ("note", pa.string()), ("forced", pa.bool_()),
    ("pattern_ids", pa.list_(pa.string())), ("extractor_version", pa.string()),
])
_MACHINE_COLS = (
    "facility_id, article_id, type, name, capacity_value, capacity_unit, capacity_mw, location, admin_area, "
    "country, status, organisations, target_year, row_version, match_key, pattern_ids, extractor_version"
)


# ---------------------------------------------------------------- export


REVIEW_STATUSES = ("pending", "all")


def check_review_status(status: str) -> None:
    """WarehouseError unless `status` is one of REVIEW_STATUSES."""
    if status not in REVIEW_STATUSES:
        raise WarehouseError(f"unknown --status {status!r}: use {' or '.join(REVIEW_STATUSES)}")


def review_rows(
    con: duckdb.DuckDBPyConnection, *, status: str = "pending", since: dt.date | None = None,
    country: str | None = None,
) -> list[dict[str, Any]]:
    """Machine facilities as review-sheet rows (machine values in the editable columns)."""
    check_review_status(status)
    cur = con.execute(
        """
        SELECT f.facility_id, f.row_version, a.title AS article_title, a.url AS article_url, f.sentence,
               array_to_string(f.pattern_ids, ', ') AS pattern_ids, s.review_status,
               f.type, f.name, f.capacity_value, f.capacity_unit, f.location, f.admin_area, f.country, f.status,
               f.organisations, f.target_year
        FROM facilities f
        JOIN articles a USING (article_id)
        JOIN facilities_review_state s USING (facility_id)
        WHERE ($status = 'all' OR s.review_status = 'pending' OR s.review_stale)
          AND ($since IS NULL OR coalesce(a.published, CAST(a.fetched_at AS DATE)) >= $since)
          AND ($country IS NULL OR lower(f.country) = lower($country))
        ORDER BY a.published DESC NULLS LAST, a.article_id, f.start_char, f.facility_id
        """,
        {"status": status, "since": since, "country": country},
    )
    columns = [d[0] for d in cur.description]
    rows = [dict(zip(columns, r)) for r in cur.fetchall()]
    for row in rows:
        row["organisations"] = organisations_text(row["organisations"])
    return rows


def export_review(
    db_path: Path, out: Path, *, status: str = "pending", since: dt.date | None = None,
    country: str | None = None, add_rows: int = 20, settings: Settings | None = None,
) -> int:
    """Write a review sheet (.xlsx or .csv) from a read-only connection; returns the facility rows written."""
    check_review_status(status)
    sheet_format(Path(out))
    output_file(out, error=ReviewSheetError)
    _ensure_migrated(Path(db_path), settings)
    con = connect(db_path, read_only=True, settings=settings)
    try:
        rows = review_rows(con, status=status, since=since, country=country)
    finally:
        con.close()
    write_sheet(Path(out), rows, add_rows=add_rows)
    return len(rows)


# ---------------------------------------------------------------- import planning (validation)


@dataclass
class ImportPlan:
    sha256: str
    corrections: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    conflicts: list[tuple[int, str]] = field(default_factory=list)  # (sheet row, facility_id)
    unchanged: int = 0
    blank: int = 0
    already_imported: bool = False


@dataclass(frozen=True)
class ImportReport:
    file: str
    sha256: str
    applied: int
    unchanged: int
    blank: int
    forced: int
    already_imported: bool
    by_verdict: dict[str, int]
    skipped_conflicts: tuple[str, ...] = ()  # with skip_conflicts: one line per row left out


def _conflict_text(row: int, fid: str) -> str:
    return f"row {row}: facility {fid} changed since export; re-export to review it"


def _machine_rows(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, dict[str, Any]]:
    cur = con.execute(f"SELECT {_MACHINE_COLS} FROM facilities WHERE list_contains(?, facility_id)", [ids])
    cols = [d[0] for d in cur.description]
    return {r[0]: dict(zip(cols, r)) for r in cur.fetchall()}


def _articles_by_url(con: duckdb.DuckDBPyConnection, urls: list[str]) -> dict[str, str]:
    rows = con.execute(
        "SELECT url, canonical_url, article_id FROM articles WHERE list_contains(?, url) "
        "OR list_contains(?, canonical_url)", [urls, urls]
    ).fetchall()
    out = {}
    for url, canonical, article_id in rows:
        out[url] = article_id
        out[canonical] = article_id
    return out


def _latest(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, tuple[str, str | None, str | None]]:
    """target facility id -> (verdict, new_values JSON, note) of its latest correction (machine and added)."""
    rows = con.execute(
        "SELECT target_id, verdict, CAST(new_values AS VARCHAR), note FROM latest_corrections "
        "WHERE list_contains(?, target_id)", [ids]
    ).fetchall()
    rows += con.execute(
        "SELECT facility_id, verdict, CAST(new_values AS VARCHAR), note FROM corrections "
        "WHERE verdict = 'add' AND list_contains(?, facility_id) "
        "QUALIFY row_number() OVER (PARTITION BY facility_id ORDER BY reviewed_at DESC, correction_id DESC) = 1",
        [ids],
    ).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _json(values: dict[str, Any] | None) -> str | None:
    return None if values is None else json.dumps(values, sort_keys=True, ensure_ascii=False)


def _machine_values(m: dict[str, Any]) -> dict[str, Any]:
    values = {c: m[c] for c in EDITABLE_COLUMNS}
    values["organisations"] = list(values["organisations"] or [])
    values["capacity_mw"] = m["capacity_mw"]
    return values


def _is_blank(row: SheetRow) -> bool:
    keys = ("facility_id", "row_version", *EDITABLE_COLUMNS, "verdict", "note")
    return all(row.values.get(k) is None for k in keys)


def _parse_fields(row: SheetRow, problems: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for col in EDITABLE_COLUMNS:
        try:
            values[col] = EDITABLE_PARSERS[col](row.values.get(col))
        except CellError as exc:
            problems.append(f"row {row.number}, column {col}: {exc}")
    return values


def _check_new_values(row: SheetRow, values: dict[str, Any], problems: list[str], *, adding: bool) -> None:
    n = row.number
    if values.get("type") is None and "type" in values:
        problems.append(f"row {n}, column type: a type is required")
    if values.get("capacity_value") is not None and values.get("capacity_unit") is None and "capacity_unit" in values:
        problems.append(f"row {n}, column capacity_unit: a unit is required with capacity_value")
    if values.get("capacity_unit") is not None and values.get("capacity_value") is None and "capacity_value" in values:
        problems.append(f"row {n}, column capacity_value: empty, but a unit is given")
    if adding and not (values.get("location") or values.get("name")):
        problems.append(f"row {n}, column location: a location or a name is required to add a facility")


def _finish_values(values: dict[str, Any]) -> dict[str, Any]:
    values = dict(values)
    values["status"] = values.get("status") or "unknown"
    values["capacity_mw"] = capacity_to_mw(values.get("capacity_value"), values.get("capacity_unit"))
    return values


def _cell_key(col: str, value: Any) -> str | None:
    """A cell's value in a canonical text form, so untouched cells compare equal to the machine values."""
    if value is None:
        return None
    if col in ("capacity_value", "target_year"):
        try:
            return format(float(value), ".15g")  # xlsx keeps 15 significant digits, as Excel does
        except (TypeError, ValueError):
            pass
    if isinstance(value, list):
        return sheet_text(organisations_text(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return sheet_text(value)


NUMBER_REL_TOL = 1e-9  # spreadsheet programs keep 15-17 significant digits; a reviewer's edit is far coarser


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        return None


def _same_cell(col: str, value: Any, old: Any) -> bool:
    """Whether a sheet cell still holds the machine value (numbers within NUMBER_REL_TOL, text exactly)."""
    if col in ("capacity_value", "target_year"):
        a, b = _as_number(value), _as_number(old)
        if a is not None and b is not None:
            return math.isclose(a, b, rel_tol=NUMBER_REL_TOL, abs_tol=0.0)
    return _cell_key(col, value) == _cell_key(col, old)


def _edited(row: SheetRow, old: dict[str, Any]) -> bool:
    return not all(_same_cell(c, row.values.get(c), old[c]) for c in EDITABLE_COLUMNS)


def _keep_untouched_numbers(values: dict[str, Any], row: SheetRow, old: dict[str, Any]) -> dict[str, Any]:
    """Untouched number cells keep the machine's exact value (the sheet may hold it rounded)."""
    return {c: old[c] if c in ("capacity_value", "target_year") and _same_cell(c, row.values.get(c), old[c])
            else v for c, v in values.items()}


@dataclass
class _Context:
    machine: dict[str, dict[str, Any]]
    urls: dict[str, str]
    force: bool
    conflicts: list[tuple[int, str]]


def _plan_add(row: SheetRow, verdict: str | None, note: str | None, ctx: _Context,
              problems: list[str]) -> dict[str, Any] | None:
    n = row.number
    if row.values.get("row_version") is not None:
        problems.append(f"row {n}, column facility_id: empty but row_version is set (was the key edited?)")
        return None
    if verdict is None:
        if any(row.values.get(c) is not None for c in EDITABLE_COLUMNS) or note:
            problems.append(f"row {n}, column verdict: values filled in but no verdict; set add to add a facility")
        return None
    if verdict != "add":
        problems.append(f"row {n}, column verdict: {verdict!r} needs a facility_id; use add for a new facility")
        return None
    values = _parse_fields(row, problems)
    url = row.values.get("article_url")
    if url is None:
        problems.append(f"row {n}, column article_url: the article URL is required to add a facility")
    elif str(url) not in ctx.urls:
        problems.append(f"row {n}, column article_url: no article with URL {str(url)!r} in the warehouse")
    _check_new_values(row, values, problems, adding=True)
    if problems:
        return None
    article_id = ctx.urls[str(url)]
    new = _finish_values(values)
    key = match_key(article_id, new)
    return {
        "facility_id": added_facility_id(article_id, new), "article_id": article_id, "match_key": key,
        "new_match_key": key, "match_capacity_mw": new["capacity_mw"], "row_version": None, "verdict": "add",
        "old_values": None, "new_values": _json(new), "note": note, "forced": False, "pattern_ids": [],
        "extractor_version": None,
    }


def _plan_existing(row: SheetRow, fid: str, verdict: str | None, note: str | None, ctx: _Context,
                   problems: list[str]) -> dict[str, Any] | None:
    n = row.number
    m = ctx.machine.get(fid)
    version = row.values.get("row_version")
    if m is None:
        problems.append(f"row {n}, column facility_id: unknown facility_id {fid!r} (edited, or from another "
                        f"warehouse?)")
        return None
    if version is None:
        problems.append(f"row {n}, column row_version: empty (the hidden key column was edited); re-export")
        return None
    if verdict == "add":
        problems.append(f"row {n}, column verdict: add is only for new rows with an empty facility_id")
        return None
    conflict = str(version) != m["row_version"]
    old = _machine_values(m)
    edited = _edited(row, old)
    if verdict is None:
        if edited and not conflict:
            problems.append(f"row {n}, column verdict: values were changed but verdict is empty; set correct "
                            f"(or undo the edits)")
        return None
    if conflict and not ctx.force:
        ctx.conflicts.append((n, fid))
        return None
    new: dict[str, Any] | None = None
    if verdict == "accept":
        if edited and not conflict:
            problems.append(f"row {n}, column verdict: accept, but values were edited; use correct")
            return None
        new = old
    elif verdict == "correct":
        if not edited:
            problems.append(f"row {n}, column verdict: correct, but no value was changed; use accept")
            return None
        values = _parse_fields(row, problems)
        _check_new_values(row, values, problems, adding=False)
        if problems:
            return None
        new = _finish_values(_keep_untouched_numbers(values, row, old))
    return {
        "facility_id": fid, "article_id": m["article_id"], "match_key": m["match_key"],
        "new_match_key": match_key(m["article_id"], new) if verdict == "correct" and new else None,
        "match_capacity_mw": m["capacity_mw"], "row_version": m["row_version"], "verdict": verdict,
        "old_values": _json(old), "new_values": _json(new), "note": note, "forced": conflict,
        "pattern_ids": list(m["pattern_ids"] or []), "extractor_version": m["extractor_version"],
    }


def plan_import(con: duckdb.DuckDBPyConnection, sheet: Sheet, *, reviewer: str, force: bool) -> ImportPlan:
    """Validate every row against the warehouse and plan the corrections to append (writes nothing)."""
    plan = ImportPlan(sha256=sheet.sha256)
    plan.already_imported = bool(con.execute(
        "SELECT count(*) FROM review_imports WHERE sheet_sha256 = ?", [sheet.sha256]).fetchall()[0][0])
    rows = [r for r in sheet.rows if not _is_blank(r)]
    plan.blank = len(sheet.rows) - len(rows)
    ctx = _Context(
        machine=_machine_rows(con, [str(r.values["facility_id"]) for r in rows if r.values.get("facility_id")]),
        urls=_articles_by_url(con, [str(r.values["article_url"]) for r in rows if r.values.get("article_url")]),
        force=force, conflicts=plan.conflicts,
    )
    first_row_of: dict[str, int] = {}
    pending: list[tuple[SheetRow, dict[str, Any]]] = []
    for row in rows:
        n, problems = row.number, []
        verdict_raw, note, fid = (row.values.get(c) for c in ("verdict", "note", "facility_id"))
        verdict = str(verdict_raw).strip().lower() if verdict_raw is not None else None
        fid = None if fid is None else str(fid)
        note = None if note is None else str(note)
        key = fid or f"add:{row.values.get('article_url')}|" + "|".join(
            str(_cell_key(c, row.values.get(c))) for c in EDITABLE_COLUMNS)
        if row.formulas:
            problems += [f"row {n}, column {c}: contains a formula; type plain text (no leading = + - @)"
                         for c in row.formulas]
        elif verdict is not None and verdict not in VERDICTS:
            problems.append(f"row {n}, column verdict: unknown verdict {verdict_raw!r}; allowed: "
                            f"{', '.join(VERDICTS)}")
        elif key in first_row_of:
            problems.append(f"row {n}, column {'facility_id' if fid else 'article_url'}: duplicated row (the "
                            f"same {'facility' if fid else 'added facility'} is in row {first_row_of[key]})")
        else:
            first_row_of[key] = n
            planned = (_plan_existing(row, fid, verdict, note, ctx, problems) if fid
                       else _plan_add(row, verdict, note, ctx, problems))
            if planned is not None:
                pending.append((row, planned))
        plan.problems += problems
    if plan.problems or plan.already_imported:
        return plan
    latest = _latest(con, [c["facility_id"] for _, c in pending])
    now = now_utc()
    for row, c in pending:
        prev = latest.get(c["facility_id"])
        if prev is not None and prev[0] == c["verdict"] and _same_json(prev[1], c["new_values"]) \
                and prev[2] == c["note"]:
            plan.unchanged += 1
            continue
        c.update(
            correction_id=sha256_hex(sheet.sha256, str(row.number), c["facility_id"], length=24),
            reviewer=reviewer, reviewed_at=now, sheet_sha256=sheet.sha256, sheet_row=row.number,
        )
        plan.corrections.append(c)
    return plan


def _same_json(a: str | None, b: str | None) -> bool:
    return (None if a is None else json.loads(a)) == (None if b is None else json.loads(b))


# ---------------------------------------------------------------- import (apply)


def _ensure_migrated(db_path: Path, settings: Settings | None) -> None:
    con = connect(db_path, read_only=True, settings=settings)
    try:
        current = applied_migrations(con) == [n for n, _ in migration_files()]
    finally:
        con.close()
    if not current:
        connect(db_path, settings=settings).close()


def _raise_if_invalid(plan: ImportPlan, sheet: Sheet, force: bool, skip_conflicts: bool) -> None:
    if plan.problems:
        raise ReviewSheetError(
            f"{sheet.path}: {len(plan.problems)} problem(s); nothing was imported. Fix them and import again.",
            plan.problems,
        )
    if plan.conflicts and not (force or skip_conflicts):
        raise ReviewSheetError(
            f"{sheet.path}: {len(plan.conflicts)} row(s) changed in the warehouse since export; nothing was "
            f"imported. Re-export, use --skip-conflicts to import the other rows, or --force to apply the "
            f"reviewer's values anyway.",
            [f"row {n}, column row_version: conflict: facility {fid} changed since the sheet was exported"
             for n, fid in plan.conflicts],
        )


def import_review(
    db_path: Path, sheet_path: Path, *, reviewer: str, force: bool = False, skip_conflicts: bool = False,
    settings: Settings | None = None,
) -> ImportReport:
    """Validate a review sheet fully, then append its corrections in one transaction (or nothing).

    A row whose facility changed since export is a conflict: by default nothing is imported; `force` applies
    the reviewer's values anyway; `skip_conflicts` imports the other rows and lists the conflicts in the report.
    """
    if not reviewer or not reviewer.strip():
        raise ReviewSheetError("a reviewer name is required (--reviewer NAME)")
    if force and skip_conflicts:
        raise ReviewSheetError("--force and --skip-conflicts exclude each other: apply conflicting rows, or skip them")
    reviewer = reviewer.strip()
    sheet = read_sheet(Path(sheet_path))
    db_path = Path(db_path)
    _ensure_migrated(db_path, settings)
    con = connect(db_path, read_only=True, settings=settings)
    try:
        plan = plan_import(con, sheet, reviewer=reviewer, force=force)
    finally:
        con.close()
    _raise_if_invalid(plan, sheet, force, skip_conflicts)
    if plan.corrections and not plan.already_imported:
        con = connect(db_path, settings=settings)
        try:
            with transaction(con):
                plan = plan_import(con, sheet, reviewer=reviewer, force=force)  # again, under the write lock
                _raise_if_invalid(plan, sheet, force, skip_conflicts)
                if plan.corrections and not plan.already_imported:
                    bulk_insert(con, "corrections", pa.Table.from_pylist(plan.corrections, schema=CORRECTION_SCHEMA))
                    con.execute(
                        "INSERT INTO review_imports VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [sheet.sha256, sheet.path.name, reviewer, now_utc(), len(plan.corrections), plan.unchanged,
                         sum(c["forced"] for c in plan.corrections)],
                    )
        finally:
            con.close()
    by_verdict: dict[str, int] = {}
    for c in plan.corrections:
        by_verdict[c["verdict"]] = by_verdict.get(c["verdict"], 0) + 1
    applied = 0 if plan.already_imported else len(plan.corrections)
    log.info("imported %s: %d correction(s)", sheet.path, applied)
    return ImportReport(
        file=str(sheet.path), sha256=sheet.sha256, applied=applied, unchanged=plan.unchanged, blank=plan.blank,
        forced=sum(c["forced"] for c in plan.corrections) if applied else 0,
        already_imported=plan.already_imported, by_verdict=by_verdict if applied else {},
        skipped_conflicts=tuple(_conflict_text(n, fid) for n, fid in plan.conflicts),
    )


# ---------------------------------------------------------------- orphans, stats, gold


def _query(db_path: Path, sql: str, settings: Settings | None) -> tuple[list[str], list[tuple]]:
    _ensure_migrated(Path(db_path), settings)
    con = connect(db_path, read_only=True, settings=settings)
    try:
        cur = con.execute(sql)
        return [d[0] for d in cur.description], cur.fetchall()
    except duckdb.Error as exc:
        raise WarehouseError(f"query on {db_path} failed: {exc}") from exc
    finally:
        con.close()


def orphans(db_path: Path, *, settings: Settings | None = None) -> tuple[list[str], list[tuple]]:
    """Corrections whose facility is gone and that match no re-extracted row."""
    return _query(db_path, "SELECT correction_id, reviewer, reviewed_at, verdict, facility_id, article_id, "
                           "match_key, CAST(old_values AS VARCHAR) AS old_values, note "
                           "FROM orphaned_corrections ORDER BY reviewed_at, correction_id", settings)


def status_counts(db_path: Path, *, settings: Settings | None = None) -> tuple[list[str], list[tuple]]:
    """Facilities by review status (pending, accepted, corrected, rejected, added)."""
    return _query(db_path, "SELECT review_status, count(*) AS facilities FROM facilities_review_state "
                           "GROUP BY 1 ORDER BY 2 DESC, 1", settings)


def verdict_counts(db_path: Path, *, settings: Settings | None = None) -> tuple[list[str], list[tuple]]:
    """Every correction ever imported, by verdict, with how many reviewers and sheets gave them."""
    return _query(db_path, "SELECT verdict, count(*) AS corrections, count(DISTINCT reviewer) AS reviewers, "
                           "count(DISTINCT sheet_sha256) AS sheets FROM corrections GROUP BY 1 ORDER BY 2 DESC, 1",
                  settings)


def pattern_stats(db_path: Path, *, settings: Settings | None = None) -> tuple[list[str], list[tuple]]:
    """Per pattern id: how often reviewers accepted, corrected or rejected what it produced (latest verdicts)."""
    return _query(db_path, """
        WITH latest AS (
            SELECT * FROM corrections WHERE verdict <> 'add'
            QUALIFY row_number() OVER (PARTITION BY facility_id ORDER BY reviewed_at DESC, sheet_row DESC) = 1
        ), per AS (SELECT unnest(pattern_ids) AS pattern_id, verdict FROM latest)
        SELECT pattern_id,
               count(*) FILTER (WHERE verdict = 'accept') AS accepted,
               count(*) FILTER (WHERE verdict = 'correct') AS corrected,
               count(*) FILTER (WHERE verdict = 'reject') AS rejected,
               count(*) AS reviewed,
               round(count(*) FILTER (WHERE verdict = 'accept') / count(*), 3) AS accept_rate
        FROM per GROUP BY 1 ORDER BY reviewed DESC, pattern_id
    """, settings)


_GOLD_OPTIONAL = ("storage_mwh", "capacity_range", "capacity_qualifier", "target_year")


def _unique(items: list[str | None]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def gold_articles(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Corpus-format dicts for every fully reviewed article (no pending row, at least one reviewed row)."""
    articles = con.execute("""
        SELECT a.article_id, a.url, a.site, a.title, a.published, a.text
        FROM articles a JOIN facilities_review_state s USING (article_id)
        GROUP BY ALL
        HAVING count(*) FILTER (WHERE s.review_status = 'pending') = 0
        ORDER BY a.article_id
    """).fetchall()
    cur = con.execute("""
        SELECT article_id, type, name, capacity_value, capacity_unit, capacity_mw, storage_mwh, capacity_range,
               capacity_qualifier, location, admin_area, country, status, organisations, target_year, optional
        FROM facilities_reviewed ORDER BY article_id, start_char NULLS LAST, facility_id
    """)
    cols = [d[0] for d in cur.description]
    facilities: dict[str, list[dict[str, Any]]] = {}
    for r in cur.fetchall():
        row = dict(zip(cols, r))
        facilities.setdefault(row.pop("article_id"), []).append(row)
    out = []
    for article_id, url, site, title, published, text in articles:
        facs = []
        for f in facilities.get(article_id, []):
            rec = {k: v for k, v in f.items() if k not in _GOLD_OPTIONAL or v is not None}
            rec["organisations"] = list(rec.get("organisations") or [])
            facs.append(rec)
        out.append({
            "id": article_id, "url": url, "outlet": site, "title": title,
            "published": published.isoformat() if published else None, "text": text,
            "partial": False, "synthetic": False,
            "gold": {
                "facilities": facs,
                "organisations": _unique([o for f in facs for o in f["organisations"]]),
                "locations": _unique([x for f in facs for x in (f.get("location"), f.get("admin_area"))]),
                "notes": "from reviewer corrections (gridscout review to-gold); organisations and locations are "
                         "those of the reviewed facility rows",
            },
        })
    return out


def write_gold(db_path: Path, out_dir: Path, *, settings: Settings | None = None) -> list[Path]:
    """Write every fully reviewed article as `<out_dir>/<article_id>.json` (corpus format)."""
    output_dir(out_dir)
    _ensure_migrated(Path(db_path), settings)
    con = connect(db_path, read_only=True, settings=settings)
    try:
        articles = gold_articles(con)
    finally:
        con.close()
    out_dir = output_dir(out_dir)
    written = []
    for art in articles:
        path = out_dir / f"{art['id']}.json"
        text = json.dumps(art, ensure_ascii=False, indent=1) + "\n"
        write_replacing(path, lambda tmp, text=text: tmp.write_text(text, encoding="utf-8"))
        written.append(path)
    return written
