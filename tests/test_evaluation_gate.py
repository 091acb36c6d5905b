"""The evaluation gate: the real extractor on ../shared/corpus/dev must stay at or above the committed floors.

Floors live in tests/evaluation_floors.json and only rise: raise them by appending an entry to its `history`
(never edit or delete old entries) and copying that entry's figures into `floors`; the tests below reject a
history that goes down or `floors` that differ from the last entry.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extractors.evaluation import CorpusScore, Counts, GoldArticle, evaluate_folder, load_gold_corpus, score_corpus
from models.records import ExtractionResult, Facility, Mention

FLOORS_FILE = Path(__file__).with_name("evaluation_floors.json")
FIGURES = tuple(Counts().figures())


def _floors_file() -> dict[str, Any]:
    return json.loads(FLOORS_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dev_score(corpus_dev: Path) -> CorpusScore:
    return evaluate_folder(corpus_dev)


@pytest.mark.corpus
@pytest.mark.parametrize("figure", FIGURES)
def test_dev_corpus_meets_floor(dev_score: CorpusScore, figure: str) -> None:
    floor = _floors_file()["floors"][figure]
    measured = dev_score.figures[figure]
    assert measured >= floor, (
        f"{figure} on the dev corpus fell to {measured:.4f}, below its floor {floor:.2f}; "
        f"run `gridscout evaluate ../shared/corpus/dev --verbose` to see the misses and false alarms"
    )


def test_floors_cover_every_figure_and_are_fractions() -> None:
    floors = _floors_file()["floors"]
    assert set(floors) == set(FIGURES)
    assert all(isinstance(v, (int, float)) and 0.0 <= v <= 1.0 for v in floors.values())


def floor_history_problems(data: dict[str, Any]) -> list[str]:
    """Why a floors file breaks the only-rise rule (empty when it is fine)."""
    history = data.get("history") or []
    if not history:
        return ["the floors file needs at least one history entry"]
    problems = []
    for before, after in zip(history, history[1:]):
        for figure in FIGURES:
            if after["floors"][figure] < before["floors"][figure]:
                problems.append(f"floor of {figure} dropped from {before['floors'][figure]} ({before['date']}) "
                                f"to {after['floors'][figure]} ({after['date']}): floors only rise")
    if data.get("floors") != history[-1]["floors"]:
        problems.append("`floors` must equal the last `history` entry")
    return problems


def test_floors_only_rise() -> None:
    assert floor_history_problems(_floors_file()) == []


def _entry(date: str, value: float) -> dict[str, Any]:
    return {"date": date, "floors": dict.fromkeys(FIGURES, value)}


@pytest.mark.parametrize(("data", "expected"), [
    ({"floors": _entry("d1", 0.5)["floors"], "history": [_entry("d1", 0.5)]}, 0),
    ({"floors": _entry("d2", 0.6)["floors"], "history": [_entry("d1", 0.5), _entry("d2", 0.6)]}, 0),
    ({"floors": _entry("d2", 0.4)["floors"], "history": [_entry("d1", 0.5), _entry("d2", 0.4)]}, len(FIGURES)),
    ({"floors": _entry("d1", 0.5)["floors"], "history": [_entry("d1", 0.5), _entry("d2", 0.6)]}, 1),
    ({"floors": _entry("d1", 0.5)["floors"], "history": []}, 1),
])
def test_floor_history_rule(data: dict[str, Any], expected: int) -> None:
    assert len(floor_history_problems(data)) == expected


@pytest.mark.corpus
def test_gold_scored_against_itself_is_perfect(corpus_dev: Path) -> None:
    """The loader reads every dev file and the matcher pairs each gold record with its own copy."""
    articles = load_gold_corpus(corpus_dev)

    def as_prediction(article: GoldArticle) -> ExtractionResult:
        keep = set(Facility.model_fields)
        return ExtractionResult(
            id=article.id,
            facilities=[Facility(**{k: v for k, v in g.raw.items() if k in keep}) for g in article.facilities],
            organisations=[Mention(kind="organisation", text=o, start_char=0, end_char=1) for o in article.organisations],
            locations=[Mention(kind="location", text=x, start_char=0, end_char=1) for x in article.locations],
        )

    score = score_corpus((a, as_prediction(a)) for a in articles)
    assert score.counts.gold == sum(len(a.required) for a in articles) > 0
    assert all(value == 1.0 for value in score.figures.values()), score.figures
