"""The extraction pipeline: `spacy.blank("en")` + rule components + plain-Python assembly.

Components, in order:
- `sentencizer` (spaCy) and `gs_paragraphs` (a line break always starts a sentence; "No. 3" never ends one);
- `span_ruler` with the token patterns of `patterns/*.jsonl` (facility types, anaphora, status cues) into
  `doc.spans["gs_rules"]`; each span's `id_` is its pattern id;
- `gs_regex`: the regex patterns (capacities, places, organisations, plant names) into `doc.spans["gs_regex"]`
  and, with their named groups, into `doc._.gs_matches`.
`assemble.assemble_doc` then turns the annotated Doc into `Facility` and `Mention` records.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

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
#: Catch-all regex patterns kept in `doc._.gs_matches` only (too many to materialise as spans).
_NO_SPAN = frozenset({"place.bare", "org.head_word", "org.acronym"})

if not Doc.has_extension("gs_matches"):
    Doc.set_extension("gs_matches", default=None)


@dataclass(frozen=True)
class RegexMatch:
    """One regex pattern match: pattern id, label, char offsets and named groups with their offsets."""

    pid: str
    label: str
    start: int
    end: int
    groups: dict[str, str]
    offsets: dict[str, tuple[int, int]]
    meta: dict


@Language.component("gs_paragraphs")
def paragraphs_component(doc: Doc) -> Doc:
    """A token after a line break starts a sentence; 'No.' followed by a number does not end one."""
    for i, tok in enumerate(doc[:-1]):
        nxt = doc[i + 1]
        if "\n" in tok.text or (tok.whitespace_ == "" and "\n" in tok.text_with_ws):
            nxt.is_sent_start = True
        elif tok.text == "." and i > 0 and doc[i - 1].text in {"No", "no", "Nos"} and nxt.like_num:
            nxt.is_sent_start = False
        elif tok.is_space and "\n" in tok.text:
            nxt.is_sent_start = True
    return doc


class RegexRuler:
    """Apply the regex patterns of a PatternSet to the whole text."""

    def __init__(self, pattern_set: PatternSet) -> None:
        self.patterns = pattern_set.regex_patterns

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        matches: list[RegexMatch] = []
        spans = []
        for pid, label, rx, meta in self.patterns:
            for m in rx.finditer(text):
                if m.end() == m.start():
                    continue
                groups = {k: v for k, v in m.groupdict().items() if v is not None}
                offsets = {k: m.span(k) for k in groups}
                matches.append(RegexMatch(pid, label, m.start(), m.end(), groups, offsets, meta))
                if pid not in _NO_SPAN:
                    span = doc.char_span(m.start(), m.end(), label=label, alignment_mode="expand")
                    if span is not None:
                        span.id_ = pid
                        spans.append(span)
        doc._.gs_matches = matches
        doc.spans[REGEX_KEY] = spans
        return doc


@Language.factory("gs_regex")
def make_regex_ruler(nlp: Language, name: str) -> RegexRuler:
    return RegexRuler(default_pattern_set())


def _build(pattern_set: PatternSet) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("gs_paragraphs")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": RULES_KEY, "phrase_matcher_attr": "LOWER",
                                               "overwrite": True})
    ruler.add_patterns(pattern_set.token_patterns)
    nlp.add_pipe("gs_regex")
    return nlp


@functools.lru_cache(maxsize=1)
def build_nlp() -> Language:
    """The one extraction pipeline (cached per process); used by the CLI, the flows and the tests."""
    return _build(default_pattern_set())


def extract(text: str, *, doc_id: str, title: str | None = None, source: str | None = None,
            nlp: Language | None = None) -> ExtractionResult:
    """Extract facilities, organisations and locations from one text (offsets are into `text`)."""
    from extractors.assemble import assemble_doc

    if not isinstance(text, str):
        raise ExtractionError(f"{doc_id}: text must be a string, got {type(text).__name__}")
    nlp = nlp or build_nlp()
    doc = nlp(text)
    return assemble_doc(doc, doc_id=doc_id, title=title, source=source)


def extract_batch(articles: list[Article], nlp: Language | None = None,
                  batch_size: int = 32) -> list[ExtractionResult]:
    """Extract every article with `nlp.pipe`; result i belongs to article i (`result.id == article_id`)."""
    from extractors.assemble import assemble_doc

    nlp = nlp or build_nlp()
    texts: Iterable[str] = (a.text for a in articles)
    results: list[ExtractionResult] = []
    for article, doc in zip(articles, nlp.pipe(texts, batch_size=batch_size), strict=True):
        results.append(assemble_doc(doc, doc_id=article.article_id, title=article.title,
                                    source=article.source))
    return results
