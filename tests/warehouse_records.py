"""Hand-made Article/ExtractionResult records for warehouse and review tests (no extractor involved)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from models.records import Article, ExtractionResult, Facility, Mention, sha256_hex

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)

# (type, name, location, admin_area, country, capacity MW, status) -- invented places and firms
PLANTS = [
    ("solar", None, "Brenmoor village", "Ostvale district", "Norland", 40.0, "planned"),
    ("wind", "Harrow Ridge wind farm", "Harrow", None, "Norland", 60.0, "under_construction"),
    ("biogas", None, "Little Tarn", "Fellside district", "Norland", None, "planned"),
    ("solar", None, "Quenby", None, "Estmark", 100.0, "operational"),
]


def article(n: int, *, text: str | None = None, title: str | None = None) -> Article:
    body = text or f"Article {n}. " + " ".join(
        f"A {cap or 'small'} MW {typ} plant is {status} at {loc}." for typ, _n, loc, _a, _c, cap, status in PLANTS
    )
    url = f"https://news.example.org/story-{n}"
    return Article(
        article_id=sha256_hex(url), url=url, canonical_url=url, title=title or f"Story {n}",
        published=dt.date(2026, 2, n % 27 + 1), author="A. Writer", site="Example News", text=body,
        content_hash=sha256_hex(body), fetched_at=NOW, source="https://news.example.org/feed.xml",
    )


def result(art: Article, *, version: str = "1.0", shift: int = 0, plants=PLANTS) -> ExtractionResult:
    facilities = []
    for i, (typ, name, loc, admin, country, cap, status) in enumerate(plants):
        start = art.text.find(loc) + shift
        facilities.append(Facility(
            type=typ, name=name, location=loc, admin_area=admin, country=country,
            capacity_value=cap, capacity_unit="MW" if cap is not None else None, capacity_mw=cap,
            status=status, organisations=["Fjord Power AS"] if i % 2 == 0 else [], target_year=2027,
            sentence=f"A {cap} MW {typ} plant is {status} at {loc}.", start_char=start, end_char=start + len(loc),
            pattern_ids=[f"{typ}_capacity_v1", "place_at"], extractor_version=version, pattern_set_version="ps1",
            confidence=0.8,
        ))
    orgs = [Mention(kind="organisation", text="Fjord Power AS", label="company", start_char=0, end_char=5)]
    locs = [Mention(kind="location", text=p[2], start_char=i * 10, end_char=i * 10 + 5)
            for i, p in enumerate(plants)]
    return ExtractionResult(id=art.article_id, facilities=facilities, organisations=orgs, locations=locs,
                            extractor_version=version, pattern_set_version="ps1")


def select(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple]:
    """Rows of one query on a read-only connection that is closed again (the file stays byte-identical)."""
    from warehouse.db import connect

    con = connect(db, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def batch(ns: range | list[int], **kw) -> tuple[list[Article], list[ExtractionResult]]:
    arts = [article(n) for n in ns]
    return arts, [result(a, **kw) for a in arts]


# ---------------------------------------------------------------- editing review sheets as a reviewer would

def read_rows(path: Path) -> tuple[list[str], list[list[Any]]]:
    """Header and data rows of a review sheet (raw cell values; CSV strings as stored)."""
    if path.suffix == ".xlsx":
        ws = load_workbook(path)["review"]
        rows = [[c.value for c in r] for r in ws.iter_rows()]
    else:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    return [str(h) for h in rows[0]], rows[1:]


def edit_sheet(
    path: Path, out: Path, *, set_cells: dict[tuple[int, str], Any] | None = None,
    drop_column: str | None = None, append_copy_of: int | None = None, formula: tuple[int, str] | None = None,
) -> None:
    """Edit a sheet like a reviewer: set cells by (data row index, column), drop a column, duplicate a row.

    For CSV a value is written as typed (no apostrophe added), exactly as a spreadsheet would save it.
    """
    set_cells = set_cells or {}
    if path.suffix == ".xlsx":
        wb = load_workbook(path)
        ws = wb["review"]
        col = {c.value: c.column for c in ws[1]}
        for (i, name), value in set_cells.items():
            ws.cell(row=i + 2, column=col[name]).value = value
        if formula:
            ws.cell(row=formula[0] + 2, column=col[formula[1]]).value = "=1+1"  # openpyxl stores a formula
        if append_copy_of is not None:
            src = append_copy_of + 2
            ws.insert_rows(src + 1)
            for c in range(1, ws.max_column + 1):
                ws.cell(row=src + 1, column=c).value = ws.cell(row=src, column=c).value
        if drop_column:
            ws.delete_cols(col[drop_column])
        wb.save(out)
        return
    header, rows = read_rows(path)
    for (i, name), value in set_cells.items():
        rows[i][header.index(name)] = "" if value is None else str(value)
    if formula:
        rows[formula[0]][header.index(formula[1])] = "=1+1"
    if append_copy_of is not None:
        rows.insert(append_copy_of + 1, list(rows[append_copy_of]))
    if drop_column:
        k = header.index(drop_column)
        header = header[:k] + header[k + 1:]
        rows = [r[:k] + r[k + 1:] for r in rows]
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
