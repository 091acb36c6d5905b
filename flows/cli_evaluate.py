"""`gridscout evaluate DIR`: run the extractor over a gold corpus folder and print the scores."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from extractors.evaluation import CorpusScore, evaluate_folder, facility_summary, report_dict
from models.errors import GridscoutError

FIGURE_LABELS = {
    "facility_precision": "Facility precision",
    "facility_recall": "Facility recall",
    "facility_f1": "Facility F1",
    "strict_f1": "Strict F1 (capacity agrees)",
    "status_accuracy": "Status accuracy (matched pairs)",
    "organisation_precision": "Organisation precision",
    "organisation_recall": "Organisation recall",
    "location_precision": "Location precision",
    "location_recall": "Location recall",
}


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


def _describe(record: dict[str, Any]) -> str:
    parts = [record["type"]]
    if record.get("name"):
        parts.append(repr(record["name"]))
    if record.get("capacity_mw") is not None:
        parts.append(f"{record['capacity_mw']:g} MW")
    place = ", ".join(x for x in (record.get("location"), record.get("admin_area")) if x)
    parts.append(f"at {place}" if place else "(no place)")
    parts.append(record.get("status") or "unknown")
    return " ".join(parts)


def _print_table(console: Console, score: CorpusScore, verbose: bool) -> None:
    c = score.counts
    table = Table(title=f"gridscout evaluate: {len(score.articles)} articles")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("counts", justify="right")
    counts = {
        "facility_precision": f"{c.matched}/{c.predicted}",
        "facility_recall": f"{c.matched}/{c.gold}",
        "facility_f1": "",
        "strict_f1": f"{c.matched_capacity} agree",
        "status_accuracy": f"{c.status_correct}/{c.matched}",
        "organisation_precision": f"{c.org_pred_correct}/{c.org_pred}",
        "organisation_recall": f"{c.org_gold_found}/{c.org_gold}",
        "location_precision": f"{c.loc_pred_correct}/{c.loc_pred}",
        "location_recall": f"{c.loc_gold_found}/{c.loc_gold}",
    }
    for key, value in score.figures.items():
        table.add_row(FIGURE_LABELS[key], f"{value:.3f}", counts[key])
    console.print(table)
    if not verbose:
        return
    for article in score.articles:
        problems = (article.misses or article.false_alarms or any(
            not (m.capacity_agrees and m.status_agrees) for m in article.pairs))
        names = (article.missed_organisations or article.spurious_organisations
                 or article.missed_locations or article.spurious_locations)
        if not problems and not names:
            continue
        ac = article.counts
        console.rule(f"article {article.article_id}: {ac.matched}/{ac.gold} found, {ac.predicted - ac.matched} false alarms")
        for gold in article.misses:
            console.print(f"  [red]miss[/red]         {_describe(facility_summary(gold))}", highlight=False)
        for pred in article.false_alarms:
            summary = facility_summary(pred)
            console.print(f"  [yellow]false alarm[/yellow]  {_describe(summary)}", highlight=False)
            console.print(f"               sentence: {summary['sentence']!r}", highlight=False, soft_wrap=True)
        for pair in article.pairs:
            if pair.capacity_agrees and pair.status_agrees:
                continue
            what = [w for w, ok in (("capacity", pair.capacity_agrees), ("status", pair.status_agrees)) if not ok]
            console.print(f"  [magenta]{'/'.join(what)} differs[/magenta]", highlight=False)
            console.print(f"      gold:      {_describe(facility_summary(pair.gold))}", highlight=False)
            console.print(f"      predicted: {_describe(facility_summary(pair.predicted))}", highlight=False)
            console.print(f"      sentence:  {pair.predicted.sentence!r}", highlight=False, soft_wrap=True)
        for label, values in (("missed organisations", article.missed_organisations),
                              ("spurious organisations", article.spurious_organisations),
                              ("missed locations", article.missed_locations),
                              ("spurious locations", article.spurious_locations)):
            if values:
                console.print(f"  {label}: {', '.join(values)}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add `gridscout evaluate` to the root app."""

    @app.command("evaluate")
    def evaluate(
        folder: Path = typer.Argument(..., help="Folder of corpus-format *.json articles with gold annotations."),
        output_format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f",
                                                   help="table (rich) or json."),
        verbose: bool = typer.Option(False, "--verbose", help="List each article's misses and false alarms."),
    ) -> None:
        """Score the extractor against a gold corpus: facility P/R/F1, strict F1, status, organisations, places."""
        try:
            score = evaluate_folder(folder)
        except GridscoutError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=2) from exc
        if output_format is OutputFormat.json:
            typer.echo(json.dumps(report_dict(score, details=verbose), indent=2, ensure_ascii=False))
        else:
            _print_table(Console(soft_wrap=True), score, verbose)
