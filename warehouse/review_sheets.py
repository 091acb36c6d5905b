"""Review sheets: export facilities to xlsx/CSV for reviewers and read edited sheets back, cell by cell.

Export and import are symmetric: `write_sheet` and `read_sheet` share `COLUMNS` and the text rules.

Formula neutralisation: article text is always written as text. In xlsx every string is a typed text cell
(`data_type = "s"`), so `=HYPERLINK(...)` stays text. In CSV a value starting with `= + - @`, tab, CR or an
apostrophe is written with one extra leading apostrophe (`'=SUM(A1)`); import removes exactly one leading
apostrophe, so the round trip is exact. On import a formula cell (xlsx) or an unprefixed value starting with
`= + @` or a non-numeric `-` (CSV) is rejected.
"""

from __future__ import annotations

import csv
import datetime as dt
from copy import copy
import hashlib
import io
import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from models.errors import ReviewSheetError
from models.records import CAPACITY_UNITS, FACILITY_TYPES, STATUSES
from warehouse.outputs import write_replacing

SHEET = "review"
KEY_COLUMNS = ("facility_id", "row_version")
CONTEXT_COLUMNS = ("article_title", "article_url", "sentence", "pattern_ids", "review_status")
EDITABLE_COLUMNS = (
    "type", "name", "capacity_value", "capacity_unit", "location", "admin_area", "country", "status",
    "organisations", "target_year",
)
VERDICT_COLUMNS = ("verdict", "note")
COLUMNS = (*KEY_COLUMNS, *CONTEXT_COLUMNS, *EDITABLE_COLUMNS, *VERDICT_COLUMNS)
REQUIRED_COLUMNS = (*KEY_COLUMNS, "article_url", *EDITABLE_COLUMNS, *VERDICT_COLUMNS)
VERDICTS = ("accept", "correct", "reject", "add")
ORG_SEPARATOR = "; "
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
WIDTHS = {
    "facility_id": 18, "row_version": 14, "article_title": 40, "article_url": 36, "sentence": 70,
    "pattern_ids": 24, "review_status": 12, "type": 16, "name": 28, "capacity_value": 10, "capacity_unit": 9,
    "location": 22, "admin_area": 22, "country": 16, "status": 18, "organisations": 30, "target_year": 9,
    "verdict": 10, "note": 40,
}
INSTRUCTIONS = [
    "How to review (one row per facility the extractor found)",
    "",
    "1. Read the sentence and open the article link when in doubt.",
    "2. In column 'verdict' choose: accept (the row is right), correct (you changed values in this row),",
    "   reject (this is not a facility, or not one of its own). Leave verdict empty to skip a row.",
    "3. To correct, edit type, name, capacity_value, capacity_unit, location, admin_area, country, status,",
    "   organisations (separated by '; ') or target_year, and set verdict to correct.",
    "4. A facility the extractor missed: use an empty row at the bottom, paste the article URL into",
    "   article_url, fill the fields (type and a location or name at least) and set verdict to add.",
    "5. Do not edit, delete or reorder the hidden columns facility_id and row_version; do not type formulas.",
    "6. Save as .xlsx (or keep the CSV as CSV) and hand the file back; import checks every row first and",
    "   applies nothing if any row is wrong, listing 'row N, column X: what is wrong' for each problem.",
    "",
    f"Allowed types: {', '.join(FACILITY_TYPES)}",
    f"Allowed units: {', '.join(CAPACITY_UNITS)} (capacity as written, e.g. 40 and MW)",
    f"Allowed statuses: {', '.join(STATUSES)}",
    f"Verdicts: {', '.join(VERDICTS)}",
]


def sheet_text(value: Any) -> str | None:
    """How a text value survives a sheet: XML-illegal control chars dropped, newlines unified, stripped."""
    if value is None:
        return None
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def csv_escape(value: str) -> str:
    """Prefix one apostrophe to text a spreadsheet could read as a formula (or that starts with one)."""
    return "'" + value if value.startswith((*FORMULA_START, "'")) else value


def csv_unescape(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def organisations_text(orgs: list[str] | None) -> str | None:
    return ORG_SEPARATOR.join(o for o in (orgs or []) if o) or None


# ---------------------------------------------------------------- export


def _number_text(v: Any) -> str:
    return repr(v) if isinstance(v, float) else str(v)


def write_csv(out: Path, rows: list[dict[str, Any]], add_rows: int) -> None:
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for row in [*rows, *({} for _ in range(add_rows))]:
            cells = []
            for col in COLUMNS:
                v = row.get(col)
                if v is None:
                    cells.append("")
                elif isinstance(v, str):
                    cells.append(csv_escape(sheet_text(v) or ""))
                else:
                    cells.append(_number_text(v))
            w.writerow(cells)


def _text_cell(ws, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = sheet_text(value)
        cell.data_type = "s"  # never a formula, even for '=HYPERLINK(...'
    else:
        cell.value = value
    return cell


class _StyleCache:
    """Apply a style once, then copy its style array: per-cell style objects dominate write time."""

    def __init__(self) -> None:
        self._arrays: dict[str, Any] = {}

    def apply(self, cell: Any, kind: str, setup: Any) -> None:
        if kind in self._arrays:
            cell._style = copy(self._arrays[kind])
        else:
            setup(cell)
            self._arrays[kind] = copy(cell._style)


def _unlock(cell: Any) -> None:
    cell.protection = Protection(locked=False)


def _wrap(cell: Any) -> None:
    cell.alignment = Alignment(wrap_text=True, vertical="top")


def _link(cell: Any) -> None:
    cell.style = "Hyperlink"


def write_xlsx(out: Path, rows: list[dict[str, Any]], add_rows: int) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    col_of = {c: i + 1 for i, c in enumerate(COLUMNS)}
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    for c, i in col_of.items():
        cell = _text_cell(ws, 1, i, c)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(c, 14)
    styles = _StyleCache()
    editable = {*EDITABLE_COLUMNS, *VERDICT_COLUMNS}
    last = 1 + len(rows) + add_rows
    for r, row in enumerate(rows, start=2):
        for c, i in col_of.items():
            cell = _text_cell(ws, r, i, row.get(c))
            if c == "sentence":
                styles.apply(cell, "sentence", _wrap)
            elif c in editable:
                styles.apply(cell, "editable", _unlock)
            elif c == "article_url" and cell.value and str(cell.value).startswith(("http://", "https://")):
                cell.hyperlink = cell.value
                styles.apply(cell, "link", _link)
                cell.data_type = "s"
    for r in range(2 + len(rows), last + 1):
        for c in (*editable, "article_url"):
            styles.apply(ws.cell(row=r, column=col_of[c]), "editable", _unlock)
    lists = {"type": FACILITY_TYPES, "capacity_unit": CAPACITY_UNITS, "status": STATUSES, "verdict": VERDICTS}
    for c, allowed in lists.items():
        letter = get_column_letter(col_of[c])
        dv = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle=f"invalid {c}",
                            error=f"choose one of: {', '.join(allowed)}")
        dv.add(f"{letter}2:{letter}{max(last, 2)}")
        ws.add_data_validation(dv)
    for c in KEY_COLUMNS:
        ws.column_dimensions[get_column_letter(col_of[c])].hidden = True
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(last, 2)}"
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    info = wb.create_sheet("instructions")
    for r, line in enumerate(INSTRUCTIONS, start=1):
        _text_cell(info, r, 1, line)
    info.column_dimensions["A"].width = 110
    info["A1"].font = Font(bold=True)
    wb.save(out)


def sheet_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return "xlsx"
    if suffix == ".csv":
        return "csv"
    raise ReviewSheetError(f"{path}: unsupported sheet type {suffix or '(none)'}; use .xlsx or .csv")


def write_sheet(out: Path, rows: list[dict[str, Any]], *, add_rows: int = 20) -> None:
    """Write review rows (dicts keyed by COLUMNS) plus empty rows for reviewer-added facilities."""
    fmt = sheet_format(out)
    writer = write_xlsx if fmt == "xlsx" else write_csv
    write_replacing(Path(out), lambda tmp: writer(tmp, rows, add_rows), error=ReviewSheetError)


# ---------------------------------------------------------------- import: cells


@dataclass
class SheetRow:
    number: int  # spreadsheet row number (header is row 1)
    values: dict[str, Any]  # column -> cell value (None when empty); strings stripped
    formulas: list[str] = field(default_factory=list)  # columns holding a formula


@dataclass
class Sheet:
    path: Path
    sha256: str
    header: list[str]
    rows: list[SheetRow]


def _check_header(path: Path, header: list[str]) -> None:
    problems = []
    seen: set[str] = set()
    for i, name in enumerate(header, start=1):
        if name and name in seen:
            problems.append(f"row 1, column {name}: duplicated column")
        seen.add(name)
    for col in REQUIRED_COLUMNS:
        if col not in seen:
            problems.append(f"row 1, column {col}: column is missing (deleted or renamed?)")
    if problems:
        raise ReviewSheetError(f"{path}: not a usable review sheet ({len(problems)} problem(s))", problems)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return sheet_text(value)
    return value


def _read_xlsx(path: Path) -> tuple[list[str], list[SheetRow]]:
    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ReviewSheetError(f"{path}: not an xlsx workbook ({type(exc).__name__}: {exc})") from exc
    try:
        if SHEET not in wb.sheetnames:
            raise ReviewSheetError(f"{path}: no sheet named '{SHEET}' (sheets: {', '.join(wb.sheetnames)})")
        ws = wb[SHEET]
        ws.reset_dimensions()  # do not trust the stored dimensions of a file edited elsewhere
        it = ws.iter_rows()
        first = next(it, None)
        if not first:
            raise ReviewSheetError(f"{path}: the '{SHEET}' sheet is empty")
        header = [str(c.value).strip() if c.value is not None else "" for c in first]
        _check_header(path, header)
        rows = []
        for number, cells in enumerate(it, start=2):
            values: dict[str, Any] = dict.fromkeys((h for h in header if h), None)
            formulas = []
            for name, cell in zip(header, cells):
                if not name:
                    continue
                if cell.data_type == "f":
                    formulas.append(name)
                values[name] = _clean(cell.value)
            rows.append(SheetRow(number, values, formulas))
    finally:
        wb.close()
    return header, rows


def _looks_like_formula(value: str) -> bool:
    if value.startswith(("=", "+", "@")):
        return True
    if value.startswith("-"):
        try:
            float(value)
        except ValueError:
            return True
    return False


def _read_csv(path: Path, data: bytes) -> tuple[list[str], list[SheetRow]]:
    if b"\x00" in data:
        raise ReviewSheetError(f"{path}: not a CSV text file (binary content)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReviewSheetError(f"{path}: not a UTF-8 CSV file (byte {exc.start} cannot be decoded); save it as "
                               f"'CSV UTF-8' or use the .xlsx sheet") from exc
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ReviewSheetError(f"{path}: not a readable CSV file ({exc})") from exc
    if not records or not any(c.strip() for c in records[0]):
        raise ReviewSheetError(f"{path}: the CSV has no header row")
    header = [c.strip() for c in records[0]]
    _check_header(path, header)
    rows = []
    for number, rec in enumerate(records[1:], start=2):
        values: dict[str, Any] = {}
        formulas = []
        if len(rec) > len(header):
            extra = [c for c in rec[len(header):] if c.strip()]
            if extra:
                formulas.append("(extra cells beyond the last column)")
        for name, raw in zip(header, rec):
            if not name:
                continue
            if _looks_like_formula(raw):
                formulas.append(name)
            values[name] = _clean(csv_unescape(raw))
        for name in header[len(rec):]:
            values.setdefault(name, None)
        rows.append(SheetRow(number, values, formulas))
    return header, rows


def read_sheet(path: Path) -> Sheet:
    """Read a review sheet (xlsx or CSV) into rows; file-level problems raise ReviewSheetError."""
    path = Path(path)
    fmt = sheet_format(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReviewSheetError(f"{path}: cannot read the file ({exc.strerror})") from exc
    if not data.strip():
        raise ReviewSheetError(f"{path}: the file is empty")
    header, rows = _read_xlsx(path) if fmt == "xlsx" else _read_csv(path, data)
    return Sheet(path=path, sha256=hashlib.sha256(data).hexdigest(), header=header, rows=rows)


# ---------------------------------------------------------------- import: values


class CellError(ValueError):
    """One cell's value is not allowed; the message says why."""


def parse_text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return sheet_text(v)


def parse_choice(v: Any, allowed: tuple[str, ...], what: str) -> str | None:
    text = parse_text(v)
    if text is None:
        return None
    by_lower = {a.lower(): a for a in allowed}
    key = text.lower().replace(" ", "_") if what != "unit" else text.lower()
    if key not in by_lower:
        raise CellError(f"unknown {what} {text!r}; allowed: {', '.join(allowed)}")
    return by_lower[key]


def parse_number(v: Any) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or isinstance(v, (dt.date, dt.datetime)):
        raise CellError(f"{v!r} is not a number")
    if isinstance(v, (int, float)):
        number = float(v)
    else:
        try:
            number = float(str(v).replace(",", "."))
        except ValueError:
            raise CellError(f"{str(v)!r} is not a number") from None
    if not math.isfinite(number) or number < 0:
        raise CellError(f"{v!r} is not a positive number")
    return number


def parse_year(v: Any) -> int | None:
    number = parse_number(v)
    if number is None:
        return None
    if not number.is_integer() or not 1900 <= number <= 2100:
        raise CellError(f"{v!r} is not a year (1900-2100)")
    return int(number)


def parse_organisations(v: Any) -> list[str]:
    text = parse_text(v)
    if text is None:
        return []
    return [p.strip() for p in text.split(";") if p.strip()]


EDITABLE_PARSERS = {
    "type": lambda v: parse_choice(v, FACILITY_TYPES, "type"),
    "name": parse_text,
    "capacity_value": parse_number,
    "capacity_unit": lambda v: parse_choice(v, CAPACITY_UNITS, "unit"),
    "location": parse_text,
    "admin_area": parse_text,
    "country": parse_text,
    "status": lambda v: parse_choice(v, STATUSES, "status"),
    "organisations": parse_organisations,
    "target_year": parse_year,
}
