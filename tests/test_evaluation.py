"""The scorer on hand-made gold/prediction pairs (independent of the extractor)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from extractors.evaluation import (
    CorpusError,
    GoldArticle,
    capacities_agree,
    load_gold_corpus,
    max_weight_assignment,
    names_agree,
    normalise,
    parse_gold_article,
    report_dict,
    score_article,
    score_corpus,
)
from models.records import ExtractionResult, Facility, Mention


def gold_article(facilities: list[dict[str, Any]], orgs: list[str] | None = None,
                 locs: list[str] | None = None, article_id: str = "t1") -> GoldArticle:
    return parse_gold_article(
        {"id": article_id, "title": "t", "text": "text",
         "gold": {"facilities": facilities, "organisations": orgs or [], "locations": locs or []}},
        "<test>",
    )


def g(type_: str = "solar", capacity_mw: float | None = 40, location: str | None = "Gulshat village",
      admin_area: str | None = None, **kw: Any) -> dict[str, Any]:
    return {"type": type_, "capacity_mw": capacity_mw, "location": location, "admin_area": admin_area,
            "status": kw.pop("status", "planned"), **kw}


def p(type_: str = "solar", capacity_mw: float | None = 40, location: str | None = "Gulshat",
      admin_area: str | None = None, **kw: Any) -> Facility:
    return Facility(type=type_, capacity_mw=capacity_mw, location=location, admin_area=admin_area,
                    status=kw.pop("status", "planned"), sentence=kw.pop("sentence", "A made-up sentence."), **kw)


def result(facilities: list[Facility], orgs: list[str] | None = None, locs: list[str] | None = None,
           canon: dict[str, str] | None = None) -> ExtractionResult:
    canon = canon or {}
    return ExtractionResult(
        id="t1",
        facilities=facilities,
        organisations=[Mention(kind="organisation", text=o, start_char=0, end_char=len(o)) for o in orgs or []],
        locations=[Mention(kind="location", text=x, canonical=canon.get(x), start_char=0, end_char=len(x))
                   for x in locs or []],
    )


# (case, gold facilities, predicted facilities, expected (matched, strict, predicted, gold, status_correct, neutral))
FACILITY_CASES = [
    ("exact match", [g()], [p(location="Gulshat village")], (1, 1, 1, 1, 1, 0)),
    ("gold contains predicted", [g(location="Gulshat village")], [p(location="Gulshat")], (1, 1, 1, 1, 1, 0)),
    ("predicted contains gold", [g(location="Kentau")], [p(location="Kentau city, Turkestan")], (1, 1, 1, 1, 1, 0)),
    ("accents and punctuation", [g(location="Rzeszów")], [p(location="rzeszow")], (1, 1, 1, 1, 1, 0)),
    ("hyphen vs space", [g(location="Kara-Suu river")], [p(location="Kara Suu")], (1, 1, 1, 1, 1, 0)),
    ("match via predicted admin_area", [g(location="Ordabasy district")],
     [p(location=None, admin_area="Ordabasy")], (1, 1, 1, 1, 1, 0)),
    ("gold admin_area used when gold has no location", [g(location=None, admin_area="Navoi region")],
     [p(location="Navoi")], (1, 1, 1, 1, 1, 0)),
    ("place words only is no place", [g(location="Saran")], [p(location="the city")], (0, 0, 1, 1, 0, 0)),
    ("substring is not containment", [g(location="Aktogai")], [p(location="Ak")], (0, 0, 1, 1, 0, 0)),
    ("different place", [g(location="Saran")], [p(location="Agadyr")], (0, 0, 1, 1, 0, 0)),
    ("type differs", [g(type_="wind")], [p(type_="solar")], (0, 0, 1, 1, 0, 0)),
    ("no-place gold matched by capacity", [g(type_="hydro", capacity_mw=1200, location=None, name="Toktogul HPP")],
     [p(type_="hydro", capacity_mw=1200, location="Bishkek")], (1, 1, 1, 1, 1, 0)),
    ("no-place gold matched by name", [g(type_="hydro", capacity_mw=1200, location=None, name="Toktogul HPP")],
     [p(type_="hydro", capacity_mw=None, location=None, name="Toktogul")], (1, 0, 1, 1, 1, 0)),
    ("no-place gold: neither capacity nor name", [g(type_="hydro", capacity_mw=1200, location=None, name="Toktogul HPP")],
     [p(type_="hydro", capacity_mw=24, location=None, name="Kara-Suu HPP")], (0, 0, 1, 1, 0, 0)),
    ("no-place gold: both capacities null is not agreement", [g(capacity_mw=None, location=None)],
     [p(capacity_mw=None, location=None)], (0, 0, 1, 1, 0, 0)),
    ("capacity within 1%", [g(capacity_mw=100)], [p(capacity_mw=100.9)], (1, 1, 1, 1, 1, 0)),
    ("capacity beyond 1% still matches, not strict", [g(capacity_mw=100)], [p(capacity_mw=101.5)],
     (1, 0, 1, 1, 1, 0)),
    ("both capacities null agree", [g(capacity_mw=None)], [p(capacity_mw=None)], (1, 1, 1, 1, 1, 0)),
    ("null vs value disagrees", [g(capacity_mw=None)], [p(capacity_mw=900)], (1, 0, 1, 1, 1, 0)),
    ("status differs", [g(status="commissioned")], [p(status="planned")], (1, 1, 1, 1, 0, 0)),
    ("one-to-one: two predictions for one gold", [g()], [p(), p(sentence="again")], (1, 1, 2, 1, 1, 0)),
    ("prefers capacity-agreeing pairs", [g(capacity_mw=50), g(capacity_mw=100)],
     [p(capacity_mw=100), p(capacity_mw=50)], (2, 2, 2, 2, 2, 0)),
    ("most pairs before capacity agreement", [g(location="Saran", capacity_mw=10), g(location="Agadyr", capacity_mw=20)],
     [p(location="Saran Agadyr", capacity_mw=20), p(location="Agadyr", capacity_mw=30)], (2, 0, 2, 2, 2, 0)),
    ("optional gold matched is neutral", [g(), g(location="Balkhash", optional=True)],
     [p(), p(location="Balkhash")], (1, 1, 1, 1, 1, 1)),
    ("optional gold unmatched is no miss", [g(), g(location="Balkhash", optional=True)], [p()], (1, 1, 1, 1, 1, 0)),
    ("two predictions for one optional are neutral", [g(location="Balkhash", optional=True)],
     [p(location="Balkhash"), p(location="Balkhash", capacity_mw=5)], (0, 0, 0, 0, 0, 2)),
    ("optional-compatible prediction left out, other used", [g(location="Balkhash"), g(location="Balkhash extension", optional=True)],
     [p(location="Balkhash extension"), p(location="Balkhash")], (1, 1, 1, 1, 1, 1)),
    ("negative article with a prediction", [], [p()], (0, 0, 1, 0, 0, 0)),
    ("negative article, nothing predicted", [], [], (0, 0, 0, 0, 0, 0)),
    ("nothing predicted", [g(), g(location="Saran")], [], (0, 0, 0, 2, 0, 0)),
]


@pytest.mark.parametrize(("case", "gold", "predicted", "expected"), FACILITY_CASES,
                         ids=[c[0] for c in FACILITY_CASES])
def test_facility_matching(case: str, gold: list[dict[str, Any]], predicted: list[Facility],
                           expected: tuple[int, ...]) -> None:
    c = score_article(gold_article(gold), result(predicted)).counts
    assert (c.matched, c.matched_capacity, c.predicted, c.gold, c.status_correct, c.neutral) == expected


def test_misses_and_false_alarms_carry_records_and_sentences() -> None:
    score = score_article(gold_article([g(location="Saran"), g(location="Agadyr")]),
                          result([p(location="Saran"), p(location="Osakarovka", sentence="A 40 MW plant in Osakarovka.")]))
    assert [m.location for m in score.misses] == ["Agadyr"]
    assert [f.sentence for f in score.false_alarms] == ["A 40 MW plant in Osakarovka."]
    details = report_dict(score_corpus([(gold_article([g(location="Agadyr")]), result([p(location="Osakarovka")]))]),
                          details=True)["details"][0]
    assert details["misses"][0]["location"] == "Agadyr"
    assert details["false_alarms"][0]["sentence"] == "A made-up sentence."


# (case, gold names, predicted names, canonical spellings, expected (gold, found, predicted, correct))
NAME_CASES = [
    ("exact", ["Tien Shan Hydro LLC"], ["Tien Shan Hydro LLC"], {}, (1, 1, 1, 1)),
    ("gold contained in prediction", ["akimat"], ["Turkestan region akimat"], {}, (1, 1, 1, 1)),
    ("prediction contained in gold", ["Ministry of Energy of the Kyrgyz Republic"], ["Ministry of Energy"], {},
     (1, 1, 1, 1)),
    ("missing and spurious", ["Samruk-Energy", "NTPC"], ["NTPC", "Reuters"], {}, (2, 1, 2, 1)),
    ("duplicates count once", ["NTPC"], ["NTPC", "ntpc", "N.T.P.C"], {}, (1, 1, 2, 1)),
    ("case and accents", ["Comisión Federal de Electricidad"], ["COMISION FEDERAL DE ELECTRICIDAD"], {}, (1, 1, 1, 1)),
    ("nothing either side", [], [], {}, (0, 0, 0, 0)),
]


@pytest.mark.parametrize(("case", "gold", "predicted", "canon", "expected"), NAME_CASES,
                         ids=[c[0] for c in NAME_CASES])
def test_organisation_lists(case: str, gold: list[str], predicted: list[str], canon: dict[str, str],
                            expected: tuple[int, ...]) -> None:
    c = score_article(gold_article([], orgs=gold), result([], orgs=predicted)).counts
    assert (c.org_gold, c.org_gold_found, c.org_pred, c.org_pred_correct) == expected


LOCATION_CASES = [
    ("region word dropped", ["Karaganda region"], ["Karaganda"], {}, (1, 1, 1, 1)),
    ("village of X", ["Gulshat village"], ["the village of Gulshat"], {}, (1, 1, 1, 1)),
    ("canonical spelling counts", ["Karaganda region"], ["Qaraghandy oblast"], {"Qaraghandy oblast": "Karaganda"},
     (1, 1, 1, 1)),
    ("different places", ["Saran"], ["Agadyr", "Shet district"], {}, (1, 0, 2, 0)),
]


@pytest.mark.parametrize(("case", "gold", "predicted", "canon", "expected"), LOCATION_CASES,
                         ids=[c[0] for c in LOCATION_CASES])
def test_location_lists(case: str, gold: list[str], predicted: list[str], canon: dict[str, str],
                        expected: tuple[int, ...]) -> None:
    c = score_article(gold_article([], locs=gold), result([], locs=predicted, canon=canon)).counts
    assert (c.loc_gold, c.loc_gold_found, c.loc_pred, c.loc_pred_correct) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("the village of Gulshat", "gulshat"),
    ("Kara-Suu  River", "kara suu river"),
    ("Rzeszów", "rzeszow"),
    ("Ciudad Jiménez, Chihuahua", "ciudad jimenez chihuahua"),
    ("Shet District", "shet"),
    ("The City", ""),
    (None, ""),
])
def test_normalise(raw: str | None, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("Gulshat village", "Gulshat", True),
    ("Aktogai", "Ak", False),
    ("Almaty", "Almaty region", True),
    ("", "Almaty", False),
    (None, None, False),
])
def test_names_agree(a: str | None, b: str | None, expected: bool) -> None:
    assert names_agree(a, b) is expected
    assert names_agree(b, a) is expected


@pytest.mark.parametrize(("pred", "gold", "expected"), [
    (100.0, 100.0, True), (99.0, 100.0, True), (98.9, 100.0, False), (None, None, True), (None, 1.0, False),
    (1.0, None, False), (0.0, 0.0, True), (0.8, 0.8, True),
])
def test_capacities_agree(pred: float | None, gold: float | None, expected: bool) -> None:
    assert capacities_agree(pred, gold) is expected


def test_micro_average_over_articles() -> None:
    a1 = gold_article([g(location="Saran"), g(location="Agadyr")], article_id="a1")
    a2 = gold_article([], article_id="a2")
    score = score_corpus([
        (a1, result([p(location="Saran", status="commissioned"), p(location="Agadyr", capacity_mw=41)])),
        (a2, result([p(location="Nowhere")])),
    ])
    f = score.figures
    assert (score.counts.matched, score.counts.predicted, score.counts.gold) == (2, 3, 2)
    assert f["facility_precision"] == pytest.approx(2 / 3)
    assert f["facility_recall"] == pytest.approx(1.0)
    assert f["facility_f1"] == pytest.approx(0.8)
    assert f["strict_f1"] == pytest.approx(2 * 1 / 5)
    assert f["status_accuracy"] == pytest.approx(0.5)
    assert json.loads(json.dumps(report_dict(score, details=True)))["articles"] == 2


def brute_force(weights: list[list[float]]) -> float:
    rows, cols = len(weights), len(weights[0])
    best = 0.0
    for perm in itertools.permutations(range(max(rows, cols)), rows):
        best = max(best, sum(max(weights[r][c], 0.0) for r, c in enumerate(perm) if c < cols))
    return best


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4).flatmap(lambda r: st.integers(1, 4).flatmap(
    lambda c: st.lists(st.lists(st.sampled_from([0.0, 0.0, 1.0, 2.0, 5.0, 1000.0]), min_size=c, max_size=c),
                       min_size=r, max_size=r))))
def test_assignment_is_optimal_and_one_to_one(weights: list[list[float]]) -> None:
    pairs = max_weight_assignment(weights)
    assert len({r for r, _ in pairs}) == len(pairs) == len({c for _, c in pairs})
    assert all(weights[r][c] > 0 for r, c in pairs)
    assert sum(weights[r][c] for r, c in pairs) == brute_force(weights)


def _write(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


GOOD = {"id": "x", "title": "t", "text": "body", "gold": {"facilities": [], "organisations": [], "locations": []}}

BAD_FILES = [
    ("not json", "{oops", "invalid JSON at line 1"),
    ("missing text", json.dumps({**GOOD, "text": None} | {}).replace('"text": null, ', ""), "missing key 'text'"),
    ("missing gold.locations", json.dumps({**GOOD, "gold": {"facilities": [], "organisations": []}}),
     "missing key 'locations'"),
    ("facility without type", json.dumps({**GOOD, "gold": {**GOOD["gold"], "facilities": [{"location": "X"}]}}),
     "gold.facilities[0]: missing key 'type'"),
    ("unknown type", json.dumps({**GOOD, "gold": {**GOOD["gold"], "facilities": [{"type": "fusion"}]}}),
     "unknown type 'fusion'"),
    ("capacity as text", json.dumps({**GOOD, "gold": {**GOOD["gold"], "facilities": [{"type": "wind",
                                                                                       "capacity_mw": "40"}]}}),
     "'capacity_mw' must be"),
    ("unknown status", json.dumps({**GOOD, "gold": {**GOOD["gold"], "facilities": [{"type": "wind",
                                                                                    "status": "done"}]}}),
     "unknown status 'done'"),
    ("array", "[]", "must be a JSON object"),
]


@pytest.mark.parametrize(("case", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_article_file_is_named(tmp_path: Path, case: str, content: str, message: str) -> None:
    _write(tmp_path, "001.json", json.dumps(GOOD | {"id": "ok"}))
    bad = _write(tmp_path, "002.json", content)
    with pytest.raises(CorpusError) as info:
        load_gold_corpus(tmp_path)
    assert str(bad) in str(info.value)
    assert message in str(info.value)


def test_folder_errors(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such folder"):
        load_gold_corpus(tmp_path / "absent")
    with pytest.raises(CorpusError, match=r"no \*\.json articles"):
        load_gold_corpus(tmp_path)
    _write(tmp_path, "a.json", json.dumps(GOOD))
    _write(tmp_path, "b.json", json.dumps(GOOD))
    with pytest.raises(CorpusError, match="duplicate article id 'x'"):
        load_gold_corpus(tmp_path)
    with pytest.raises(CorpusError, match="not a folder"):
        load_gold_corpus(tmp_path / "a.json")


def test_loads_a_valid_folder(tmp_path: Path) -> None:
    _write(tmp_path, "1.json", json.dumps(GOOD | {"gold": {**GOOD["gold"], "facilities": [g(optional=True), g()],
                                                           "notes": "n"}}))
    (article,) = load_gold_corpus(tmp_path)
    assert (article.id, len(article.facilities), len(article.required), article.notes) == ("x", 2, 1, "n")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
@example("ᴬ", "a")  # a compatibility capital: NFKD makes it "A" only after the first casefold
@example("Ⓐ village", "ẞtraße")
def test_normalisation_is_idempotent_and_agreement_symmetric(a: str, b: str) -> None:
    assert normalise(normalise(a)) == normalise(a)
    assert names_agree(a, b) == names_agree(b, a)
    assert names_agree(a, a) == bool(normalise(a))


HOLDOUTS = sorted((Path(__file__).parent / "data").glob("evaluation_holdout*"))


@pytest.mark.parametrize("folder", HOLDOUTS, ids=[f.name for f in HOLDOUTS])
def test_holdout_articles_load(folder: Path) -> None:
    """The hand-written holdout sets (tests/data/evaluation_holdout*) stay valid corpus format."""
    articles = load_gold_corpus(folder)
    assert len(articles) >= 7
    assert any(not a.facilities for a in articles), "keep at least one negative article"
    assert sum(len(a.required) for a in articles) >= 12
