"""The extraction pipeline: `spacy.blank("en")` + rule components + plain-Python assembly.

Components, in order:
- `gs_sentencizer`: sentence starts from the text in one array write (after . ! ? before a capital, not after
  abbreviations such as "No." or "Ltd."; a line break always starts a sentence);
- `span_ruler` with the token patterns of `patterns/*.jsonl` (facility types, anaphora, status cues) into
  `doc.spans["gs_rules"]`; each span's `id_` is its pattern id;
- `gs_regex`: the regex patterns (capacities, places, organisations, plant names) into `doc.spans["gs_regex"]`
  and, with their named groups, into `doc._.gs_matches`.
`assemble.assemble_doc` then turns the annotated Doc into `Facility` and `Mention` records.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extractors.pattern_files import PatternSet, default_pattern_set
from models.errors import ExtractionError
from models.records import Article, ExtractionResult

EXTRACTOR_VERSION = "0.3.0"
PATTERN_SET_VERSION: str = default_pattern_set().version

RULES_KEY = "gs_rules"
REGEX_KEY = "gs_regex"
#: Labels whose regex matches are also materialised as `doc.spans["gs_regex"]` (the rest, mostly catch-all
#: name patterns, stay in `doc._.gs_matches`: too many to build Span objects for).
_SPAN_LABELS = frozenset({"FACILITY", "ANAPHOR", "CAPACITY"})

if not Doc.has_extension("gs_matches"):
    Doc.set_extension("gs_matches", default=None)


class RegexMatch:
    """One regex pattern match: pattern id, label, char offsets, named groups (and their offsets) on demand.

    A dependent pattern (`after`/`before` another pattern) wraps the base match: its span and groups are the
    base's, plus the groups of its own (context) match.
    """

    __slots__ = ("pid", "label", "start", "end", "meta", "_m", "_ctx", "_groups", "_offsets")

    def __init__(self, pid: str, label: str, m: re.Match[str], meta: dict,
                 ctx: re.Match[str] | None = None) -> None:
        self.pid, self.label, self.start, self.end, self.meta, self._m = pid, label, m.start(), m.end(), meta, m
        self._ctx = ctx
        self._groups: dict[str, str] | None = None
        self._offsets: dict[str, tuple[int, int]] | None = None

    @property
    def groups(self) -> dict[str, str]:
        """Named groups that took part (computed once; treat as read-only)."""
        if self._groups is None:
            out = {k: v for k, v in self._m.groupdict().items() if v is not None}
            if self._ctx is not None:
                out.update({k: v for k, v in self._ctx.groupdict().items() if v is not None})
            self._groups = out
        return self._groups

    @property
    def offsets(self) -> dict[str, tuple[int, int]]:
        """Char offsets of the base match's named groups that took part (computed once; read-only)."""
        if self._offsets is None:
            self._offsets = {k: self._m.span(k) for k, v in self._m.groupdict().items() if v is not None}
        return self._offsets


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once per Doc (spaCy rebuilds it from the tokens on every access)."""
    text = doc.user_data.get("gs_text")
    if text is None:
        text = doc.text
        doc.user_data["gs_text"] = text
    return text




_SENT_BREAK = re.compile(r"""[.!?]+["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])|\n\s*""")
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Mt|No|Nos|Co|Corp|Inc|Ltd|Jr|Sr|vs|approx|est|Gov|Gen|Sen|Rep|"
                           r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Fig|Ref|Art|Vol|Op|e\.g|i\.e|etc)"
                           r"|\b[A-Z]|(?:\b[A-Z]\.)+[A-Z])\.$")


@Language.component("gs_sentencizer")
def sentencizer_component(doc: Doc) -> Doc:
    """Sentence starts from the text: after . ! ? before a capital or digit (not after abbreviations such as
    'No.', 'Ltd.', 'U.S.' or initials), and after every line break. Written in one array (fast)."""
    n = len(doc)
    if n == 0:
        return doc
    text = doc_text(doc)
    starts = doc.to_array("IDX").tolist()
    flags = numpy.full(n, -1, dtype="int64")
    flags[0] = 1
    for m in _SENT_BREAK.finditer(text):
        if m.group().strip() and m.group()[0] in ".!?" and _ABBREVIATION.search(text, max(0, m.start() - 12),
                                                                               m.start() + 1):
            continue
        i = bisect.bisect_left(starts, m.end())
        if 0 < i < n and starts[i] == m.end():
            flags[i] = 1
    doc.from_array(["SENT_START"], flags.astype("uint64").reshape(-1, 1))
    return doc


class RegexRuler:
    """Apply the regex patterns of a PatternSet to the whole text.

    A pattern with an `anchor` regex is only tried (`match`) where its anchor matches: one cheap pass finds the
    anchors (a type word, a number), which is far faster than a full search per pattern.
    """

    def __init__(self, pattern_set: PatternSet) -> None:
        self.patterns = [p for p in pattern_set.regex_patterns if "after" not in p[3] and "before" not in p[3]]
        self.dependent = [p for p in pattern_set.regex_patterns if "after" in p[3] or "before" in p[3]]

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        matches: list[RegexMatch] = []
        by_pid: dict[str, list[re.Match[str]]] = {}
        spans = []
        anchors: dict[str, list[int]] = {}
        word_hits: dict[tuple[tuple[str, ...], bool, bool], list[int]] = {}
        windows: dict[tuple, list[list[int]]] = {}
        lower: list[str] = []
        for pid, label, rx, meta in self.patterns:
            anchor = meta.get("anchor")
            words = meta.get("anchor_words")
            if words is not None:
                window = meta.get("anchor_window")
                whole = bool(meta.get("anchor_whole_words"))
                key = (words, window is None, whole)
                if key not in word_hits:
                    if not lower:
                        lower.append(text.lower())
                    word_hits[key] = _word_hits(text, lower[0], words, bounded=window is None or whole,
                                                whole=whole)
                if window is None:
                    found: Iterable[re.Match[str]] = _anchored(rx, text, word_hits[key])
                else:
                    wkey = (words, window)
                    if wkey not in windows:
                        windows[wkey] = _merged_windows(word_hits[key], window, len(text))
                    found = _windowed(rx, text, windows[wkey])
            elif anchor is None:
                found = rx.finditer(text)
            else:
                if anchor.pattern not in anchors:
                    anchors[anchor.pattern] = [m.start() for m in anchor.finditer(text)]
                found = _anchored(rx, text, anchors[anchor.pattern])
            own = by_pid.setdefault(pid, [])
            for m in found:
                if m.end() == m.start():
                    continue
                own.append(m)
                matches.append(RegexMatch(pid, label, m, meta))
                if label in _SPAN_LABELS:
                    span = doc.char_span(m.start(), m.end(), label=label, alignment_mode="expand")
                    if span is not None:
                        span.id_ = pid
                        spans.append(span)
        for pid, label, rx, meta in self.dependent:
            after, before = meta.get("after"), meta.get("before")
            for base in by_pid.get(after or before or "", []):
                if after:
                    ctx = rx.match(text, base.end())
                else:
                    ctx = rx.search(text, max(0, base.start() - 40), base.start())
                if ctx is not None:
                    matches.append(RegexMatch(pid, label, base, meta, ctx))
        doc._.gs_matches = matches
        doc.spans[REGEX_KEY] = spans
        return doc


@functools.lru_cache(maxsize=256)
def _case_flags(words: tuple[str, ...]) -> tuple[bool, ...]:
    return tuple(any(c.isupper() for c in w) for w in words)


def _word_hits(text: str, lower: str, words: tuple[str, ...], *, bounded: bool,
               whole: bool = False) -> list[int]:
    """Start offsets of every anchor word (str.find: C speed); words with capitals are matched case-sensitively.

    `bounded`: the word starts a word; `whole`: it also ends one (so "port" does not fire inside "report")."""
    hits: set[int] = set()
    n = len(text)
    for w, cased in zip(words, _case_flags(words)):
        hay = text if cased else lower
        k = len(w)
        i = hay.find(w)
        while i != -1:
            if (not bounded or i == 0 or not hay[i - 1].isalnum()) and \
                    (not whole or i + k >= n or not hay[i + k].isalnum()):
                hits.add(i)
            i = hay.find(w, i + 1)
    return sorted(hits)


def _merged_windows(hits: list[int], window: tuple[int, int], n: int) -> list[list[int]]:
    before, after = window
    spans: list[list[int]] = []
    for h in hits:
        s, e = max(0, h - before), min(n, h + after)
        if spans and s <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], e)
        else:
            spans.append([s, e])
    return spans


def _windowed(rx: re.Pattern[str], text: str, spans: list[list[int]]) -> Iterator[re.Match[str]]:
    """Search only in merged windows around the anchor hits (lookbehinds still see the real text)."""
    last_end = -1
    for s, e in spans:
        for m in rx.finditer(text, s, e):
            if m.start() >= last_end:
                last_end = m.end()
                yield m


def _anchored(rx: re.Pattern[str], text: str, positions: list[int]) -> Iterator[re.Match[str]]:
    last_end = -1
    match = rx.match
    for pos in positions:
        if pos < last_end:
            continue
        m = match(text, pos)
        if m is not None:
            last_end = m.end()
            yield m


@Language.factory("gs_regex")
def make_regex_ruler(nlp: Language, name: str) -> RegexRuler:
    return RegexRuler(default_pattern_set())


def _build(pattern_set: PatternSet) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("gs_sentencizer")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": RULES_KEY, "phrase_matcher_attr": "LOWER",
                                               "overwrite": True})
    ruler.add_patterns(pattern_set.token_patterns)
    nlp.add_pipe("gs_regex")
    return nlp


@functools.lru_cache(maxsize=1)
def build_nlp() -> Language:
    """The one extraction pipeline (cached per process); used by the CLI, the flows and the tests."""
    from extractors.gazetteer import gazetteer

    gazetteer()  # built here, once, rather than inside the first extraction
    return _build(default_pattern_set())


def _make_doc(nlp: Language, text: str) -> Doc:
    doc = nlp.make_doc(text)
    doc.user_data["gs_text"] = text
    return doc


def extract(text: str, *, doc_id: str, title: str | None = None, source: str | None = None,
            nlp: Language | None = None) -> ExtractionResult:
    """Extract facilities, organisations and locations from one text (offsets are into `text`)."""
    from extractors.assemble import assemble_doc

    if not isinstance(text, str):
        raise ExtractionError(f"{doc_id}: text must be a string, got {type(text).__name__}")
    nlp = nlp or build_nlp()
    doc = nlp(_make_doc(nlp, text))
    return assemble_doc(doc, doc_id=doc_id, title=title, source=source)


def extract_batch(articles: list[Article], nlp: Language | None = None,
                  batch_size: int = 32) -> list[ExtractionResult]:
    """Extract every article with `nlp.pipe`; result i belongs to article i (`result.id == article_id`)."""
    from extractors.assemble import assemble_doc

    nlp = nlp or build_nlp()
    docs: Iterable[Doc] = (_make_doc(nlp, a.text) for a in articles)
    results: list[ExtractionResult] = []
    for article, doc in zip(articles, nlp.pipe(docs, batch_size=batch_size), strict=True):
        results.append(assemble_doc(doc, doc_id=article.article_id, title=article.title,
                                    source=article.source))
    return results
