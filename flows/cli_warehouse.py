"""CLI group for analysts and reviewers: `sql`, `export-parquet`, `schema` and the `review` sub-app."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from models.errors import GridscoutError
from models.settings import Settings

out = Console()
err = Console(stderr=True)

DB_OPTION = typer.Option(None, "--db", help="DuckDB file (default: $GRIDSCOUT_DB or ./gridscout.duckdb).")


def _settings(db: Optional[Path]) -> Settings:
    return Settings.from_env(db_path=db)


def _fail(exc: GridscoutError) -> None:
    err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
    for problem in getattr(exc, "problems", []) or []:
        err.print(f"  {problem}", highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(1)


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
    from warehouse.queries import export_parquet as export

    try:
        settings = _settings(db)
        written = export(settings.db_path, out_dir, settings=settings)
    except GridscoutError as exc:
        _fail(exc)
    out.print(f"wrote {len(written)} file(s) to {out_dir}: " + ", ".join(p.name for p in written), highlight=False)


def register(app: typer.Typer) -> None:
    """Add this group's commands to the root app."""
    app.command("sql")(sql)
    app.command("export-parquet")(export_parquet)
