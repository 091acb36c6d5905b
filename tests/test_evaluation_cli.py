"""`gridscout evaluate` wiring: output formats, --verbose details and error exits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from extractors import evaluation
from extractors.evaluation import GoldArticle
from flows import cli_evaluate
from models.records import ExtractionResult, Facility, Mention

ARTICLE = {
    "id": "a1", "title": "Two plants", "text": "A made-up article about two plants.",
    "gold": {
        "facilities": [
            {"type": "solar", "capacity_mw": 40, "location": "Gulshat village", "status": "planned"},
            {"type": "wind", "capacity_mw": 10, "location": "Osakarovka", "status": "planned"},
        ],
        "organisations": ["Steppe Sun LLP"], "locations": ["Gulshat village", "Osakarovka"],
    },
}


def half_right(article: GoldArticle) -> ExtractionResult:
    """Finds the solar plant, invents a gas plant, misses the wind farm."""
    return ExtractionResult(
        id=article.id,
        facilities=[
            Facility(type="solar", capacity_mw=40, location="Gulshat", status="planned", sentence="Solar here."),
            Facility(type="gas", capacity_mw=5, location="Saran", status="planned", sentence="An invented gas plant."),
        ],
        organisations=[Mention(kind="organisation", text="Steppe Sun LLP", start_char=0, end_char=14)],
        locations=[Mention(kind="location", text="Gulshat", start_char=0, end_char=7)],
    )


@pytest.fixture()
def app() -> typer.Typer:
    root = typer.Typer()

    @root.callback()
    def _root() -> None:
        """Test root so `evaluate` stays a sub-command."""

    cli_evaluate.register(root)
    return root


@pytest.fixture()
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "001.json").write_text(json.dumps(ARTICLE), encoding="utf-8")
    monkeypatch.setattr(evaluation, "pipeline_extractor", lambda: half_right)
    return tmp_path


def test_json_figures(app: typer.Typer, corpus: Path) -> None:
    out = CliRunner().invoke(app, ["evaluate", str(corpus), "--format", "json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    assert report["figures"]["facility_precision"] == 0.5
    assert report["figures"]["facility_recall"] == 0.5
    assert report["figures"]["organisation_recall"] == 1.0
    assert report["figures"]["location_recall"] == 0.5
    assert "details" not in report


def test_json_verbose_details(app: typer.Typer, corpus: Path) -> None:
    out = CliRunner().invoke(app, ["evaluate", str(corpus), "--format", "json", "--verbose"])
    (detail,) = json.loads(out.stdout)["details"]
    assert [m["location"] for m in detail["misses"]] == ["Osakarovka"]
    assert [f["sentence"] for f in detail["false_alarms"]] == ["An invented gas plant."]


def test_table_verbose(app: typer.Typer, corpus: Path) -> None:
    out = CliRunner().invoke(app, ["evaluate", str(corpus), "--verbose"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "Facility F1" in out.stdout and "0.500" in out.stdout
    assert "miss" in out.stdout and "Osakarovka" in out.stdout
    assert "An invented gas plant." in out.stdout


@pytest.mark.parametrize(("setup", "message"), [
    ("missing", "no such folder"),
    ("empty", "no *.json articles"),
    ("bad", "invalid JSON"),
])
def test_bad_folder_exits_non_zero(app: typer.Typer, tmp_path: Path, setup: str, message: str) -> None:
    folder = tmp_path / "corpus"
    if setup != "missing":
        folder.mkdir()
    if setup == "bad":
        (folder / "001.json").write_text("{", encoding="utf-8")
    out = CliRunner().invoke(app, ["evaluate", str(folder)])
    assert out.exit_code == 2
    assert message in out.stderr
    assert out.stdout == ""
