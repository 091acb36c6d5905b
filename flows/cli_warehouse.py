"""CLI group for analysts and reviewers: `sql`, `export-parquet`, `schema` and the `review` sub-app."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from models.errors import GridscoutError
from models.settings import Settings

if TYPE_CHECKING:
    from warehouse.corrections import ImportReport

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DB_OPTION = typer.Option(None, "--db", help="DuckDB file (default: $GRIDSCOUT_DB or ./gridscout.duckdb).")


def _settings(db: Optional[Path]) -> Settings:
    return Settings.from_env(db_path=db)


def _fail(exc: GridscoutError, code: int = 1) -> None:
    """Print the error (and its problems) to stderr and exit with `code` (2 for bad arguments)."""
    err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, markup=True, soft_wrap=True)
    for problem in getattr(exc, "problems", []) or []:
        err.print(f"  {problem}", highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(code)


def _check_argument(check, *args, **kwargs):
    """Run an argument check from warehouse/; its GridscoutError exits 2 like any bad argument."""
    try:
        return check(*args, **kwargs)
    except GridscoutError as exc:
        _fail(exc, code=2)


def _render(columns: list[str], rows: list[tuple], fmt: str) -> None:
    from warehouse.queries import format_rows

    if fmt == "table":
        table = Table(*columns, show_lines=False)
        for r in rows:
            table.add_row(*("" if v is None else str(v) for v in r))
        out.print(table)
        out.print(f"{len(rows)} row(s)", style="dim")
    else:
        typer.echo(format_rows(columns, rows, fmt), nl=False)


def sql(
    query: Optional[str] = typer.Argument(None, help="SQL to run (read-only)."),
    canned: Optional[str] = typer.Option(None, "--query", "-q", help="Run a canned query from warehouse/queries/."),
    param: list[str] = typer.Option([], "--param", "-p", help="Parameter NAME=VALUE for a canned query."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
    list_queries: bool = typer.Option(False, "--list", help="List canned queries and their parameters."),
    db: Optional[Path] = DB_OPTION,
) -> None:
    """Query the warehouse read-only: `gridscout sql "SELECT ..."` or `gridscout sql --query NAME`."""
    from warehouse.queries import canned_queries, canned_query, parse_params, query_description, query_params
    from warehouse.queries import run_sql

    try:
        if list_queries:
            for name, text in sorted(canned_queries().items()):
                params = " ".join(f"--param {p}=..." for p in query_params(text))
                out.print(f"[bold]{name}[/] {params}\n    {query_description(text)}", highlight=False)
            return
        if fmt not in {"table", "csv", "json"}:
            raise typer.BadParameter("use table, csv or json", param_hint="--format")
        if (query is None) == (canned is None):
            raise typer.BadParameter("give either SQL text or --query NAME (see --list)")
        params: dict[str, str] | None = None
        if canned:
            query, params = canned_query(canned, parse_params(param))
        elif param:
            params = parse_params(param)
        columns, rows = run_sql(_settings(db).db_path, query or "", params or None, settings=_settings(db))
        _render(columns, rows, fmt)
    except GridscoutError as exc:
        _fail(exc)


def export_parquet(
    out_dir: Path = typer.Argument(..., help="Folder for <table>.parquet files (created if missing)."),
    db: Optional[Path] = DB_OPTION,
) -> None:
    """Write every table and view of the warehouse as Parquet (read-only)."""
    from warehouse.outputs import output_dir
    from warehouse.queries import export_parquet as export

    _check_argument(output_dir, out_dir)
    try:
        settings = _settings(db)
        written = export(settings.db_path, out_dir, settings=settings)
    except GridscoutError as exc:
        _fail(exc)
    out.print(f"wrote {len(written)} file(s) to {out_dir}: " + ", ".join(p.name for p in written), highlight=False)


def schema(
    markdown: bool = typer.Option(False, "--markdown", help="Print the generated Markdown (as in the README)."),
    update_readme: Optional[Path] = typer.Option(
        None, "--update-readme", help="Rewrite the schema block of this README."
    ),
    db: Optional[Path] = typer.Option(None, "--db", help="Describe this file instead of a fresh migrated database."),
) -> None:
    """Describe every table and view of the warehouse (from the migrations, one line per column)."""
    from warehouse.queries import describe_relations
    from warehouse.schema_doc import migrated_schema_markdown, replace_readme_section

    try:
        text = migrated_schema_markdown(db)
        if update_readme:
            update_readme.write_text(replace_readme_section(update_readme.read_text(encoding="utf-8"), text),
                                     encoding="utf-8")
            out.print(f"updated the schema section of {update_readme}")
            return
        if markdown:
            typer.echo(text, nl=False)
            return
        _render(["relation", "kind", "columns"], describe_relations(db), "table")
    except (GridscoutError, ValueError) as exc:
        _fail(exc if isinstance(exc, GridscoutError) else GridscoutError(str(exc)))


review_app = typer.Typer(help="Review sheets: export for reviewers, import corrections, orphans, stats, gold.",
                         no_args_is_help=True)


@review_app.command("export")
def review_export(
    out_file: Path = typer.Option(..., "--out", "-o", help="FILE.xlsx or FILE.csv to write."),
    status: str = typer.Option("pending", "--status", help="pending (not yet reviewed) or all."),
    since: Optional[datetime] = typer.Option(None, "--since", formats=["%Y-%m-%d"],
                                             help="Only articles published (or fetched) on/after DATE."),
    country: Optional[str] = typer.Option(None, "--country", help="Only facilities in this country."),
    add_rows: int = typer.Option(20, "--add-rows", help="Empty rows for facilities the extractor missed."),
    db: Optional[Path] = DB_OPTION,
) -> None:
    """Write a review sheet: one row per facility, hidden keys, drop-downs, an instructions sheet."""
    from models.errors import ReviewSheetError
    from warehouse.corrections import check_review_status, export_review
    from warehouse.outputs import output_file
    from warehouse.review_sheets import sheet_format

    _check_argument(check_review_status, status)
    _check_argument(sheet_format, out_file)
    _check_argument(output_file, out_file, error=ReviewSheetError)
    try:
        settings = _settings(db)
        n = export_review(settings.db_path, out_file, status=status, since=since.date() if since else None,
                          country=country, add_rows=add_rows, settings=settings)
    except GridscoutError as exc:
        _fail(exc)
    out.print(f"wrote {n} facility row(s) and {add_rows} empty row(s) to {out_file}", highlight=False)


@review_app.command("import")
def review_import(
    sheet: Path = typer.Argument(..., help="The edited FILE.xlsx or FILE.csv."),
    reviewer: str = typer.Option(..., "--reviewer", "-r", help="Who reviewed the sheet."),
    force: bool = typer.Option(False, "--force", help="Apply rows whose facility changed since export."),
    skip_conflicts: bool = typer.Option(
        False, "--skip-conflicts",
        help="Import the other rows, list the rows whose facility changed since export, exit 1."),
    db: Optional[Path] = DB_OPTION,
) -> None:
    """Validate every row, then append the corrections in one transaction (nothing on any problem)."""
    from warehouse.corrections import import_review

    if force and skip_conflicts:
        raise typer.BadParameter("use either --force or --skip-conflicts", param_hint="--skip-conflicts")
    try:
        settings = _settings(db)
        report = import_review(settings.db_path, sheet, reviewer=reviewer, force=force,
                               skip_conflicts=skip_conflicts, settings=settings)
    except GridscoutError as exc:
        _fail(exc)
    _print_import(report, sheet)
    if report.skipped_conflicts:
        err.print(f"skipped {len(report.skipped_conflicts)} conflicting row(s):", highlight=False, markup=False)
        for line in report.skipped_conflicts:
            err.print(f"  {line}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1)


def _print_import(report: ImportReport, sheet: Path) -> None:
    skipped = f"; {len(report.skipped_conflicts)} conflicting row(s) skipped" if report.skipped_conflicts else ""
    if report.already_imported:
        out.print(f"{sheet} was already imported (sha256 {report.sha256[:12]}); nothing changed", highlight=False)
        return
    if report.applied == 0:
        out.print(f"nothing to import from {sheet}: {report.unchanged} row(s) equal to earlier corrections, "
                  f"{report.blank} blank row(s), the rest without a verdict{skipped}", highlight=False)
        return
    verdicts = ", ".join(f"{k} {v}" for k, v in sorted(report.by_verdict.items()))
    out.print(f"imported {report.applied} correction(s) from {sheet} ({verdicts}); {report.unchanged} unchanged, "
              f"{report.blank} blank row(s), {report.forced} forced{skipped}", highlight=False)


@review_app.command("orphans")
def review_orphans(
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
    db: Optional[Path] = DB_OPTION,
) -> None:
    """Corrections that match no current facility after re-extraction (never silently dropped)."""
    from warehouse.corrections import orphans

    try:
        settings = _settings(db)
        columns, rows = orphans(settings.db_path, settings=settings)
        _render(columns, rows, fmt)
    except GridscoutError as exc:
        _fail(exc)


@review_app.command("stats")
def review_stats(
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
    db: Optional[Path] = DB_OPTION,
) -> None:
    """Facilities by review status, corrections by verdict, and per pattern id accepted/corrected/rejected."""
    from warehouse.corrections import pattern_stats, status_counts, verdict_counts

    try:
        settings = _settings(db)
        for stats in (status_counts, verdict_counts, pattern_stats):
            _render(*stats(settings.db_path, settings=settings), fmt)
    except GridscoutError as exc:
        _fail(exc)


@review_app.command("to-gold")
def review_to_gold(
    out_dir: Path = typer.Argument(..., help="Folder for corpus-format <article_id>.json files."),
    db: Optional[Path] = DB_OPTION,
) -> None:
    """Write every fully reviewed article as corpus-format JSON (for `gridscout evaluate DIR`)."""
    from warehouse.corrections import write_gold
    from warehouse.outputs import output_dir

    _check_argument(output_dir, out_dir)
    try:
        settings = _settings(db)
        written = write_gold(settings.db_path, out_dir, settings=settings)
    except GridscoutError as exc:
        _fail(exc)
    out.print(f"wrote {len(written)} fully reviewed article(s) to {out_dir}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add this group's commands to the root app."""
    app.command("sql")(sql)
    app.command("export-parquet")(export_parquet)
    app.command("schema")(schema)
    app.add_typer(review_app, name="review")
