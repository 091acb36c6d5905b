"""`gridscout extract FILE... [--format jsonl|table]`: extraction only, no database."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from extractors.inputs import ExtractInput, read_input
from extractors.pipeline import build_nlp, extract
from models.errors import GridscoutError
from models.records import ExtractionResult

FACILITY_KEYS = ("type", "name", "capacity_value", "capacity_unit", "capacity_mw", "storage_mwh", "capacity_range",
                 "capacity_qualifier", "location", "admin_area", "country", "status", "organisations",
                 "target_year")
PROVENANCE_KEYS = ("region", "region_canonical", "sentence", "start_char", "end_char", "pattern_ids",
                   "extractor_version", "pattern_set_version", "confidence")


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    table = "table"


def result_to_json(result: ExtractionResult) -> dict[str, Any]:
    """One output object: corpus FACILITY keys first, then provenance; mentions with offsets."""
    facilities = []
    for f in result.facilities:
        d = f.model_dump()
        facilities.append({k: d[k] for k in FACILITY_KEYS} | {k: d[k] for k in PROVENANCE_KEYS})
    return {
        "id": result.id,
        "source": result.source,
        "facilities": facilities,
        "organisations": [m.model_dump(exclude={"kind"}) for m in result.organisations],
        "locations": [m.model_dump(exclude={"kind"}) for m in result.locations],
        "extractor_version": result.extractor_version,
        "pattern_set_version": result.pattern_set_version,
    }


def _table(console: Console, item: ExtractInput, result: ExtractionResult) -> None:
    table = Table(title=f"{item.path} ({len(result.facilities)} facilities)")
    for col in ("type", "name", "capacity", "location", "admin_area", "country", "status", "year",
                "organisations", "conf"):
        table.add_column(col)
    for f in result.facilities:
        if f.capacity_mw is not None:
            cap = f"{f.capacity_mw:g} MW"
        elif f.capacity_range:
            cap = f"{f.capacity_range[0]:g}-{f.capacity_range[1]:g} MW"
        else:
            cap = ""
        if f.storage_mwh is not None:
            cap += f" / {f.storage_mwh:g} MWh"
        table.add_row(f.type, f.name or "", cap, f.location or "", f.admin_area or "", f.country or "", f.status,
                      str(f.target_year or ""), ", ".join(f.organisations), f"{f.confidence or 0:.2f}")
    console.print(table)
    if result.organisations:
        console.print("organisations: " + "; ".join(m.text for m in result.organisations))
    if result.locations:
        console.print("locations: " + "; ".join(m.text for m in result.locations))


def register(app: typer.Typer) -> None:
    """Add `extract` to the root app."""

    @app.command("extract")
    def extract_command(
        files: list[Path] = typer.Argument(..., help="Input files: .txt, .html/.htm or corpus-format .json."),
        fmt: OutputFormat = typer.Option(OutputFormat.jsonl, "--format", "-f", help="jsonl (default) or table."),
    ) -> None:
        """Extract facilities, organisations and locations from files (no database)."""
        out = Console(soft_wrap=True) if sys.stdout.isatty() else Console(width=200)
        err = Console(stderr=True)
        nlp = build_nlp()
        failures = 0
        for path in files:
            try:
                item = read_input(path)
                result = extract(item.text, doc_id=item.id, title=item.title, source=item.source, nlp=nlp)
            except GridscoutError as exc:
                failures += 1
                err.print(f"[red]error[/red]: {exc}", highlight=False)
                continue
            if fmt is OutputFormat.jsonl:
                typer.echo(json.dumps(result_to_json(result), ensure_ascii=False))
            else:
                _table(out, item, result)
        if failures:
            err.print(f"{failures} of {len(files)} file(s) failed", highlight=False)
            raise typer.Exit(code=1)
