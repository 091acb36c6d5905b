"""Score extractor output against gold articles in the corpus format (../shared/corpus/README.md).

Pure functions: load gold articles, normalise place and organisation strings, match predicted facilities to
gold one-to-one per article, and micro-average the figures over a folder.

Matching rules (from the corpus README):
- a pair can match when the types agree and the places agree: after normalisation the gold `location`
  (or its `admin_area` when it has no location) equals, contains or is contained in the predicted `location`
  or `admin_area` (containment is by whole words, so "ak" never matches "aktogai"); when gold has no place
  at all, the known capacities must agree or the names must contain one another;
- among the matchings with the most pairs, pairs whose capacity_mw agrees (within 1 %, or both null) are
  preferred; the assignment is optimal (Hungarian algorithm on lexicographic weights);
- `optional: true` gold records are never misses, and a prediction left unmatched that could match an
  optional record is not a false alarm.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.errors import ConfigError, ExtractionError
from models.records import FACILITY_TYPES, STATUSES, ExtractionResult, Facility, Mention

#: Words dropped from place, organisation and name strings before comparison.
PLACE_STOPWORDS: frozenset[str] = frozenset({
    "the", "of", "a", "an", "near", "in", "at",
    "village", "villages", "town", "towns", "city", "cities", "settlement", "settlements",
    "district", "districts", "region", "regions", "province", "provinces", "oblast", "oblasts",
    "county", "counties", "municipality", "municipalities", "state", "states", "rural", "area",
})

CAPACITY_TOLERANCE = 0.01

# Lexicographic weights of an admissible pair: most pairs first, then capacity agreement, then fewest false
# alarms (a prediction that could match an optional gold record is better left unmatched than used).
_W_PAIR = 1_000_000.0
_W_CAPACITY = 1_000.0
_W_OPTIONAL_COMPATIBLE = 1.0

_PUNCT = re.compile(r"[^\w\s]|_", re.UNICODE)


class CorpusError(ConfigError):
    """A gold corpus folder or article file is missing or malformed."""


@dataclass(frozen=True)
class GoldFacility:
    """One gold facility record (fields used for scoring plus the raw record for reports)."""

    type: str
    name: str | None
    capacity_mw: float | None
    location: str | None
    admin_area: str | None
    status: str
    optional: bool
    raw: Mapping[str, Any]


@dataclass(frozen=True)
class GoldArticle:
    """One corpus article with its gold annotation."""

    id: str
    path: str
    title: str | None
    text: str
    facilities: tuple[GoldFacility, ...]
    organisations: tuple[str, ...]
    locations: tuple[str, ...]
    notes: str = ""
    url: str | None = None

    @property
    def required(self) -> tuple[GoldFacility, ...]:
        return tuple(g for g in self.facilities if not g.optional)


@dataclass
class Counts:
    """Additive counts behind every figure; summing them over articles gives the micro average."""

    gold: int = 0  # required gold facilities
    predicted: int = 0  # predictions that count (neutral ones excluded)
    matched: int = 0
    matched_capacity: int = 0
    status_correct: int = 0
    neutral: int = 0  # predictions matching only optional gold records
    org_gold: int = 0
    org_gold_found: int = 0
    org_pred: int = 0
    org_pred_correct: int = 0
    loc_gold: int = 0
    loc_gold_found: int = 0
    loc_pred: int = 0
    loc_pred_correct: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict[str, float]:
        """The reported figures from these counts (micro-averaged when the counts are summed)."""
        return {
            "facility_precision": _ratio(self.matched, self.predicted),
            "facility_recall": _ratio(self.matched, self.gold),
            "facility_f1": _f1(self.matched, self.predicted, self.gold),
            "strict_f1": _f1(self.matched_capacity, self.predicted, self.gold),
            "status_accuracy": _ratio(self.status_correct, self.matched, empty=0.0),
            "organisation_precision": _ratio(self.org_pred_correct, self.org_pred),
            "organisation_recall": _ratio(self.org_gold_found, self.org_gold),
            "location_precision": _ratio(self.loc_pred_correct, self.loc_pred),
            "location_recall": _ratio(self.loc_gold_found, self.loc_gold),
        }


@dataclass
class MatchedPair:
    gold: GoldFacility
    predicted: Facility
    capacity_agrees: bool
    status_agrees: bool


@dataclass
class ArticleScore:
    """The outcome for one article: counts plus the records behind misses and false alarms."""

    article_id: str
    counts: Counts
    pairs: list[MatchedPair] = field(default_factory=list)
    misses: list[GoldFacility] = field(default_factory=list)
    false_alarms: list[Facility] = field(default_factory=list)
    neutral: list[Facility] = field(default_factory=list)
    missed_organisations: list[str] = field(default_factory=list)
    spurious_organisations: list[str] = field(default_factory=list)
    missed_locations: list[str] = field(default_factory=list)
    spurious_locations: list[str] = field(default_factory=list)


@dataclass
class CorpusScore:
    """Micro-averaged figures over a folder plus each article's score."""

    counts: Counts
    articles: list[ArticleScore]

    @property
    def figures(self) -> dict[str, float]:
        return self.counts.figures()


# --------------------------------------------------------------------------------------------- loading

def _require(data: Mapping[str, Any], key: str, kinds: tuple[type, ...], where: str) -> Any:
    if key not in data:
        raise CorpusError(f"{where}: missing key {key!r}")
    value = data[key]
    if not isinstance(value, kinds):
        names = " or ".join("null" if k is type(None) else k.__name__ for k in kinds)
        raise CorpusError(f"{where}: key {key!r} must be {names}, got {type(value).__name__}")
    return value


def _optional(data: Mapping[str, Any], key: str, kinds: tuple[type, ...], where: str) -> Any:
    if data.get(key) is None:
        return None
    return _require(data, key, kinds, where)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _parse_gold_facility(data: Any, where: str) -> GoldFacility:
    if not isinstance(data, Mapping):
        raise CorpusError(f"{where}: a facility must be a JSON object, got {type(data).__name__}")
    ftype = _require(data, "type", (str,), where)
    if ftype not in FACILITY_TYPES:
        raise CorpusError(f"{where}: unknown type {ftype!r} (known: {', '.join(FACILITY_TYPES)})")
    status = _optional(data, "status", (str,), where) or "unknown"
    if status not in STATUSES:
        raise CorpusError(f"{where}: unknown status {status!r} (known: {', '.join(STATUSES)})")
    capacity = _optional(data, "capacity_mw", (int, float), where)
    if isinstance(capacity, bool):
        raise CorpusError(f"{where}: key 'capacity_mw' must be a number or null")
    return GoldFacility(
        type=ftype,
        name=_optional(data, "name", (str,), where),
        capacity_mw=_number(capacity),
        location=_optional(data, "location", (str,), where),
        admin_area=_optional(data, "admin_area", (str,), where),
        status=status,
        optional=bool(_optional(data, "optional", (bool,), where)),
        raw=dict(data),
    )


def parse_gold_article(data: Any, source: str) -> GoldArticle:
    """Validate one corpus-format article (already JSON-decoded); `source` names it in errors."""
    if not isinstance(data, Mapping):
        raise CorpusError(f"{source}: an article must be a JSON object, got {type(data).__name__}")
    article_id = str(_require(data, "id", (str, int), source))
    text = _require(data, "text", (str,), source)
    title = _optional(data, "title", (str,), source)
    gold = _require(data, "gold", (dict,), source)
    raw_facilities = _require(gold, "facilities", (list,), f"{source}: gold")
    facilities = tuple(
        _parse_gold_facility(item, f"{source}: gold.facilities[{i}]") for i, item in enumerate(raw_facilities)
    )
    names: dict[str, tuple[str, ...]] = {}
    for key in ("organisations", "locations"):
        values = _require(gold, key, (list,), f"{source}: gold")
        for i, value in enumerate(values):
            if not isinstance(value, str):
                raise CorpusError(f"{source}: gold.{key}[{i}] must be a string, got {type(value).__name__}")
        names[key] = tuple(values)
    return GoldArticle(
        id=article_id,
        path=source,
        title=title,
        text=text,
        facilities=facilities,
        organisations=names["organisations"],
        locations=names["locations"],
        notes=str(gold.get("notes") or ""),
        url=_optional(data, "url", (str,), source),
    )


def load_gold_article(path: Path) -> GoldArticle:
    """Read and validate one article file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read the file: {exc}") from exc
    return parse_gold_article(data, str(path))


def load_gold_corpus(folder: Path) -> list[GoldArticle]:
    """Every `*.json` article in `folder`, sorted by file name; errors name the folder or the bad file."""
    folder = Path(folder)
    if not folder.exists():
        raise CorpusError(f"{folder}: no such folder; pass a folder of corpus-format *.json articles")
    if not folder.is_dir():
        raise CorpusError(f"{folder}: not a folder; pass a folder of corpus-format *.json articles")
    paths = sorted(p for p in folder.glob("*.json") if p.is_file())
    if not paths:
        raise CorpusError(f"{folder}: no *.json articles in this folder")
    articles = [load_gold_article(p) for p in paths]
    seen: dict[str, str] = {}
    for article in articles:
        if article.id in seen:
            raise CorpusError(f"{article.path}: duplicate article id {article.id!r} (also in {seen[article.id]})")
        seen[article.id] = article.path
    return articles


# ----------------------------------------------------------------------------------------- normalising

def normalise_words(value: str | None) -> tuple[str, ...]:
    """Lowercase, strip accents and punctuation, drop place words (village, district, of, the, ...)."""
    if not value:
        return ()
    # casefold between two NFKD passes: compatibility forms such as "ᴬ" only become "A" in NFKD, and
    # casefolding can produce decomposable characters; either order alone is not idempotent
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", value).casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _PUNCT.sub(" ", plain).split()
    return tuple(w for w in words if w not in PLACE_STOPWORDS)


def normalise(value: str | None) -> str:
    """`normalise_words` joined by single spaces ('' when nothing is left)."""
    return " ".join(normalise_words(value))


def _contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    n = len(inner)
    return any(outer[i:i + n] == inner for i in range(len(outer) - n + 1))


def names_agree(a: str | None, b: str | None) -> bool:
    """Equal after normalisation, or one contains the other as whole words; empty never agrees."""
    wa, wb = normalise_words(a), normalise_words(b)
    if not wa or not wb:
        return False
    return _contains(wa, wb) or _contains(wb, wa)


def capacities_agree(predicted: float | None, gold: float | None) -> bool:
    """Within 1 % of the gold figure, or both null."""
    if predicted is None or gold is None:
        return predicted is None and gold is None
    if gold == 0:
        return predicted == 0
    return abs(predicted - gold) <= CAPACITY_TOLERANCE * abs(gold)


def _gold_place(gold: GoldFacility) -> str | None:
    for value in (gold.location, gold.admin_area):
        if normalise_words(value):
            return value
    return None


def can_match(predicted: Facility, gold: GoldFacility) -> bool:
    """The README's pairing condition: types agree and places agree (or, without a gold place, capacity/name)."""
    if predicted.type != gold.type:
        return False
    place = _gold_place(gold)
    if place is not None:
        return names_agree(place, predicted.location) or names_agree(place, predicted.admin_area)
    if predicted.capacity_mw is not None and gold.capacity_mw is not None and capacities_agree(
        predicted.capacity_mw, gold.capacity_mw
    ):
        return True
    return names_agree(predicted.name, gold.name)


# ------------------------------------------------------------------------------------------- matching

def max_weight_assignment(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Rows matched to columns maximising the total of positive weights (0 or less = not allowed).

    Hungarian algorithm (shortest augmenting paths, O(n^2 m)); returns (row, column) pairs.
    """
    n_rows = len(weights)
    n_cols = len(weights[0]) if n_rows else 0
    if n_rows == 0 or n_cols == 0:
        return []
    transpose = n_rows > n_cols
    if transpose:
        weights = [[weights[r][c] for r in range(n_rows)] for c in range(n_cols)]
        n_rows, n_cols = n_cols, n_rows
    top = max(max(row) for row in weights)
    # min-cost formulation on a rows <= cols matrix; disallowed pairs cost as much as leaving a row free
    cost = [[top - max(w, 0.0) for w in row] for row in weights]
    inf = math.inf
    u = [0.0] * (n_rows + 1)
    v = [0.0] * (n_cols + 1)
    owner = [0] * (n_cols + 1)  # owner[c] = row (1-based) assigned to column c
    way = [0] * (n_cols + 1)
    for row in range(1, n_rows + 1):
        owner[0] = row
        col0 = 0
        minv = [inf] * (n_cols + 1)
        used = [False] * (n_cols + 1)
        while True:
            used[col0] = True
            r0 = owner[col0]
            delta, col1 = inf, 0
            for c in range(1, n_cols + 1):
                if not used[c]:
                    cur = cost[r0 - 1][c - 1] - u[r0] - v[c]
                    if cur < minv[c]:
                        minv[c], way[c] = cur, col0
                    if minv[c] < delta:
                        delta, col1 = minv[c], c
            for c in range(n_cols + 1):
                if used[c]:
                    u[owner[c]] += delta
                    v[c] -= delta
                else:
                    minv[c] -= delta
            col0 = col1
            if owner[col0] == 0:
                break
        while col0:
            col1 = way[col0]
            owner[col0] = owner[col1]
            col0 = col1
    pairs = []
    for c in range(1, n_cols + 1):
        r = owner[c]
        if r and weights[r - 1][c - 1] > 0:
            pairs.append((c - 1, r - 1) if transpose else (r - 1, c - 1))
    return sorted(pairs)


def _name_list_counts(gold: Iterable[str], predicted: Iterable[Mention | str]) -> tuple[int, int, int, int, list[str], list[str]]:
    """(gold, gold found, predicted, predicted correct, missed gold, spurious predicted) over unique names."""
    gold_names = _unique(gold)
    pred_names: dict[str, list[str]] = {}  # key -> alternative spellings (text, canonical)
    for item in predicted:
        spellings = [item.text, item.canonical] if isinstance(item, Mention) else [item]
        spellings = [s for s in spellings if s and normalise_words(s)]
        if not spellings:
            continue
        pred_names.setdefault(normalise(spellings[0]), spellings)
    missed = [g for g in gold_names if not any(names_agree(g, s) for ss in pred_names.values() for s in ss)]
    spurious = [ss[0] for ss in pred_names.values() if not any(names_agree(g, s) for g in gold_names for s in ss)]
    return (len(gold_names), len(gold_names) - len(missed), len(pred_names), len(pred_names) - len(spurious),
            missed, spurious)


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        key = normalise(name)
        if key and key not in seen:
            seen[key] = name
    return list(seen.values())


def score_article(gold: GoldArticle, result: ExtractionResult) -> ArticleScore:
    """Match one article's predictions to its gold records and count everything."""
    predicted = list(result.facilities)
    required = list(gold.required)
    optional = [g for g in gold.facilities if g.optional]
    optional_compatible = [any(can_match(p, g) for g in optional) for p in predicted]

    weights = [
        [
            (_W_PAIR
             + (_W_CAPACITY if capacities_agree(p.capacity_mw, g.capacity_mw) else 0.0)
             - (_W_OPTIONAL_COMPATIBLE if optional_compatible[i] else 0.0))
            if can_match(p, g) else 0.0
            for g in required
        ]
        for i, p in enumerate(predicted)
    ]
    assignment = max_weight_assignment(weights) if required and predicted else []

    score = ArticleScore(article_id=gold.id, counts=Counts())
    matched_pred = {p for p, _ in assignment}
    matched_gold = {g for _, g in assignment}
    for p_idx, g_idx in assignment:
        p, g = predicted[p_idx], required[g_idx]
        score.pairs.append(MatchedPair(g, p, capacities_agree(p.capacity_mw, g.capacity_mw), p.status == g.status))
    score.misses = [g for i, g in enumerate(required) if i not in matched_gold]
    for i, p in enumerate(predicted):
        if i in matched_pred:
            continue
        (score.neutral if optional_compatible[i] else score.false_alarms).append(p)

    c = score.counts
    c.gold = len(required)
    c.matched = len(score.pairs)
    c.predicted = len(predicted) - len(score.neutral)
    c.neutral = len(score.neutral)
    c.matched_capacity = sum(pair.capacity_agrees for pair in score.pairs)
    c.status_correct = sum(pair.status_agrees for pair in score.pairs)
    (c.org_gold, c.org_gold_found, c.org_pred, c.org_pred_correct,
     score.missed_organisations, score.spurious_organisations) = _name_list_counts(gold.organisations,
                                                                                   result.organisations)
    (c.loc_gold, c.loc_gold_found, c.loc_pred, c.loc_pred_correct,
     score.missed_locations, score.spurious_locations) = _name_list_counts(gold.locations, result.locations)
    return score


def score_corpus(pairs: Iterable[tuple[GoldArticle, ExtractionResult]]) -> CorpusScore:
    """Score every (gold, prediction) pair and micro-average the counts."""
    total = Counts()
    articles = []
    for gold, result in pairs:
        article = score_article(gold, result)
        total.add(article.counts)
        articles.append(article)
    return CorpusScore(counts=total, articles=articles)


Extractor = Callable[[GoldArticle], ExtractionResult]


def pipeline_extractor() -> Extractor:
    """The production extractor (`extractors.pipeline.extract`, as `gridscout extract` runs it)."""
    try:
        from extractors import pipeline
    except ModuleNotFoundError as exc:
        if exc.name != "extractors.pipeline":
            raise
        raise ExtractionError("the extractor (extractors/pipeline.py) is not installed; nothing to evaluate") from exc
    nlp = pipeline.build_nlp()

    def run(article: GoldArticle) -> ExtractionResult:
        return pipeline.extract(article.text, doc_id=article.id, title=article.title,
                                source=article.url or article.path, nlp=nlp)

    return run


def evaluate_folder(folder: Path, extractor: Extractor | None = None) -> CorpusScore:
    """Load every gold article in `folder`, run the extractor on each, and score the results."""
    articles = load_gold_corpus(folder)
    run = extractor or pipeline_extractor()
    return score_corpus((article, run(article)) for article in articles)


# ------------------------------------------------------------------------------------------- reporting

def _ratio(num: int, den: int, *, empty: float = 1.0) -> float:
    return num / den if den else empty


def _f1(tp: int, predicted: int, gold: int) -> float:
    return 2 * tp / (predicted + gold) if predicted + gold else 1.0


def facility_summary(record: Facility | GoldFacility) -> dict[str, Any]:
    """The fields a reviewer needs to recognise a record in a report."""
    if isinstance(record, GoldFacility):
        raw = record.raw
        return {k: raw.get(k) for k in ("type", "name", "capacity_mw", "location", "admin_area", "status")}
    out = {k: getattr(record, k) for k in ("type", "name", "capacity_mw", "location", "admin_area", "status")}
    out["sentence"] = record.sentence
    return out


def report_dict(score: CorpusScore, *, details: bool = False) -> dict[str, Any]:
    """A JSON-ready report: figures, counts and (optionally) each article's misses and false alarms."""
    out: dict[str, Any] = {
        "figures": {k: round(v, 4) for k, v in score.figures.items()},
        "counts": dict(score.counts.__dict__),
        "articles": len(score.articles),
    }
    if details:
        out["details"] = [
            {
                "article": a.article_id,
                "counts": dict(a.counts.__dict__),
                "misses": [facility_summary(g) for g in a.misses],
                "false_alarms": [facility_summary(p) for p in a.false_alarms],
                "capacity_mismatches": [
                    {"gold": facility_summary(m.gold), "predicted": facility_summary(m.predicted)}
                    for m in a.pairs if not m.capacity_agrees
                ],
                "status_mismatches": [
                    {"gold": facility_summary(m.gold), "predicted": facility_summary(m.predicted)}
                    for m in a.pairs if not m.status_agrees
                ],
                "missed_organisations": a.missed_organisations,
                "spurious_organisations": a.spurious_organisations,
                "missed_locations": a.missed_locations,
                "spurious_locations": a.spurious_locations,
            }
            for a in score.articles
        ]
    return out
