"""The extraction pipeline: `spacy.blank("en")` + rule components + plain-Python assembly.

Components, in order:
- `gs_sentencizer`: sentence starts from the text in one array write (after . ! ? before a capital, not after
  abbreviations such as "No." or "Ltd."; a line break starts one unless it follows such an abbreviation);
- `gs_phrase_rules`: the phrase patterns of `patterns/*.jsonl` (status cues, anaphora) with spaCy's
  PhraseMatcher, as the spans spaCy's `span_ruler` would write (`pipeline_spans(doc, RULES_KEY)`), except status
  cues, kept as plain tuples (`rule_cues(doc)`; `rule_hits(doc)` lists both); each span's `id_` is its pattern id;
- `gs_token_rules`: token patterns that start with a fixed word, tried only where that word is written;
- `gs_regex`: the regex patterns (capacities, places, organisations, plant names), with their named groups, into
  `regex_matches(doc)` (also `doc._.gs_matches`); facility and anaphor matches also as spans (`pipeline_spans(doc, REGEX_KEY)`); bare
  capitalised names, the most frequent matches, as the `re` matches themselves (`bare_names(doc)`).
The spans are kept as plain lists of `Span` in `doc.user_data`, not as `doc.spans` groups: a span group stores
its spans in C and builds new `Span` objects on every read, which cost more than the rest of those components'
work; the assembly reads the very objects the components made. Such a Doc holds `Span` and `re.Match` objects
in `user_data`, so it cannot be serialised (`to_bytes`, `DocBin`, `nlp.pipe(n_process=2)`); gridscout never
does that: each Doc is assembled into records in the process that made it.
`assemble.assemble_doc` then turns the annotated Doc into `Facility` and `Mention` records.
"""

from __future__ import annotations

import bisect
import functools
import gc
import itertools
import re
from collections.abc import Iterable
from typing import NamedTuple

import ahocorasick
import numpy
import spacy
from spacy.attrs import LOWER, SENT_START
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from extractors.pattern_files import PatternSet, default_pattern_set
from models.errors import ExtractionError
from models.records import Article, ExtractionResult

EXTRACTOR_VERSION = "0.3.0"
PATTERN_SET_VERSION: str = default_pattern_set().version

RULES_KEY = "gs_rules"
#: `doc.user_data` key of the sentencizer's (token offsets, character offsets) of each sentence start
SENT_STARTS_KEY = "gs_sent_starts"
REGEX_KEY = "gs_regex"
BARE_NAMES_KEY = "gs_bare_names"
#: Labels whose regex matches are also materialised as spans (`pipeline_spans(doc, REGEX_KEY)`), the ones the
#: assembly reads as spans (the rest stay in `regex_matches(doc)`, or `bare_names(doc)` for bare capitalised names:
#: too many to build Span objects for).
_SPAN_LABELS = frozenset({"FACILITY", "ANAPHOR"})
#: How a name splits into words (`require_words` here, the organisation checks in the assembly).
WORD_SPLIT = re.compile(r"[\s-]+")

MATCHES_KEY = "gs_matches"
CUES_KEY = "gs_cues"
#: Rule labels whose matches are kept as plain tuples (`rule_cues`), not spans: only their offsets and ids are read
CUE_LABELS = frozenset({"STATUS"})


def regex_matches(doc: Doc) -> list[RegexMatch]:
    """The regex ruler's matches (all but bare names), in plan order; also readable as `doc._.gs_matches`. (Kept
    in `doc.user_data` and read from there: the `doc._` attribute costs several microseconds per access.)"""
    return doc.user_data.get(MATCHES_KEY) or []


if not Doc.has_extension("gs_matches"):
    Doc.set_extension("gs_matches", getter=regex_matches)


class RegexMatch:
    """One regex pattern match: pattern id, label, char offsets, named groups (and their offsets) on demand.

    A dependent pattern (`after`/`before` another pattern) wraps the base match: its span and groups are the
    base's, plus the groups of its own (context) match.
    """

    __slots__ = ("pid", "label", "start", "end", "meta", "_m", "_ctx", "_groups")

    def __init__(self, pid: str, label: str, m: re.Match[str], meta: dict,
                 ctx: re.Match[str] | None = None, span: tuple[int, int] | None = None) -> None:
        # (one attribute at a time: tens of thousands are made per MB of text, and a five-way tuple assignment
        # builds and unpacks a tuple)
        self.pid = pid
        self.label = label
        self.meta = meta
        self._m = m
        self._ctx = ctx
        self.start, self.end = span or m.span()
        self._groups: dict[str, str] | None = None

    @property
    def groups(self) -> dict[str, str]:
        """Named groups that took part (computed once; treat as read-only)."""
        if self._groups is None:
            out = {k: v for k, v in self._m.groupdict().items() if v is not None}
            if self._ctx is not None:
                out.update({k: v for k, v in self._ctx.groupdict().items() if v is not None})
            self._groups = out
        return self._groups

    def span(self, name: str) -> tuple[int, int] | None:
        """Char offsets of the base match's named group `name`, or None when it did not take part."""
        try:
            se = self._m.span(name)
        except IndexError:  # the pattern has no such group
            return None
        return None if se[0] < 0 else se


def bare_names(doc: Doc) -> dict[str, list[re.Match[str]]]:
    """The bare-name matches of the regex ruler (`place.bare`: every capitalised name), per pattern id, in text
    order: `re` matches whose whole span is the name."""
    return doc.user_data.get(BARE_NAMES_KEY, {})


#: A cue: (start char, end char, label hash, pattern id hash, pattern id, start token, end token, label); its
#: first four fields order cues as spaCy orders the same spans.
Cue = tuple[int, int, int, int, str, int, int, str]


def rule_cues(doc: Doc) -> list[Cue]:
    """The rule matches of the cue labels (`CUE_LABELS`: status cues, thousands a MB) as `Cue` tuples, sorted as
    the spans would be: the assembly needs no more of them than offsets and ids."""
    return doc.user_data.get(CUES_KEY, [])


def rule_hits(doc: Doc) -> list[tuple[int, int, str, str]]:
    """Every rule match, spans and cues, as (start token, end token, label, pattern id), sorted: what spaCy's
    `span_ruler` would have written (for tests and debugging)."""
    return sorted([(s.start, s.end, s.label_, s.id_) for s in pipeline_spans(doc, RULES_KEY)] +
                  [(c[5], c[6], c[7], c[4]) for c in rule_cues(doc)])


def _cue(doc: Doc, s: int, e: int, label_id: int, pid_id: int, pid: str, label: str) -> Cue:
    last = doc[e - 1]
    return doc[s].idx, last.idx + len(last), label_id, pid_id, pid, s, e, label


def pipeline_spans(doc: Doc, key: str) -> list[Span]:
    """The spans a component wrote under `key` (`RULES_KEY`, `REGEX_KEY`), sorted; empty when it wrote none."""
    return doc.user_data.get(key, [])


def doc_lower(doc: Doc) -> str:
    """`doc_text(doc).lower()` with the same length (offsets agree), computed once per Doc (the anchor finder, the
    token rules and the assembly read it)."""
    lower = doc.user_data.get("gs_lower")
    if lower is None:
        text = doc_text(doc)
        lower = text.lower()
        if len(lower) != len(text):  # a character whose lowercase is longer ("İ"): keep it, so offsets agree
            lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        doc.user_data["gs_lower"] = lower
    return lower


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once per Doc (spaCy rebuilds it from the tokens on every access)."""
    text = doc.user_data.get("gs_text")
    if text is None:
        text = doc.text
        doc.user_data["gs_text"] = text
    return text




#: Words that end in a full stop without ending a sentence ("No. 5", "Ltd.", "approx.").
_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Mt", "No", "Nos", "Co", "Corp", "Inc", "Ltd", "Jr", "Sr",
                  "vs", "approx", "est", "Gov", "Gen", "Sen", "Rep", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
                  "Sep", "Sept", "Oct", "Nov", "Dec", "Fig", "Ref", "Art", "Vol", "Op", "e.g", "i.e", "etc")
#: A sentence break: . ! ? (and closing quotes/brackets) then space before a capital or digit, or a line break.
#: The regex starts with a character class, so `re` scans for candidates in C. The optional group `ab` takes
#: part (as an empty match) when the first full stop ends an abbreviation or an initial ("U.S.", "J."): such a
#: break is skipped as a whole, line breaks inside it included. The abbreviations are looked behind in one
#: alternation per length (a look-behind must have one width), a handful of tries per full stop rather than one
#: per abbreviation.
_SENT_BREAK = re.compile(
    r"""[.!?\n](?:(?<=[.!?])(?P<ab>%s)?[.!?]*["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])|(?<=\n)\s*)"""
    % "|".join([r"(?<=\b(?:%s)\.)" % "|".join(re.escape(w) for w in _ABBREVIATIONS if len(w) == n)
                for n in sorted({len(w) for w in _ABBREVIATIONS})] + [r"(?<=\b[A-Z]\.)"]))


_NOT_A_START = numpy.uint64(2 ** 64 - 1)
_SENT_START_ATTRS = [SENT_START]


@Language.component("gs_sentencizer")
def sentencizer_component(doc: Doc) -> Doc:
    """Sentence starts from the text: after . ! ? before a capital or digit (not after abbreviations such as
    'No.', 'Ltd.', 'U.S.' or initials), and after every line break. Written in one array (fast)."""
    n = len(doc)
    if n == 0:
        return doc
    ends = [m.end() for m in _SENT_BREAK.finditer(doc_text(doc)) if m.group("ab") is None]
    flags = numpy.full((n, 1), _NOT_A_START, dtype="uint64")  # (-1 as spaCy stores it)
    flags[0] = 1
    token_starts, char_starts = [0], [doc[0].idx]
    if ends:
        # the tokens that start exactly where a break ends
        starts = doc.to_array("IDX")
        at = numpy.array(ends, dtype=starts.dtype)
        i = numpy.searchsorted(starts, at)
        inside = (i > 0) & (i < n)
        i = i[inside]
        # sorted and distinct already: the break ends increase, and so do the token starts
        hit = i[starts[i] == at[inside]]
        flags[hit] = 1
        token_starts += hit.tolist()
        char_starts += starts[hit].tolist()
    doc.from_array(_SENT_START_ATTRS, flags)
    # the same sentence starts, as token and character offsets, for the assembly (no second pass over the tokens)
    doc.user_data[SENT_STARTS_KEY] = (token_starts, char_starts)
    return doc


class RegexRuler:
    """Apply the regex patterns of a PatternSet to the whole text.

    A pattern with an `anchor` regex is only tried (`match`) where its anchor matches: one cheap pass finds the
    anchors (a type word, a number), which is far faster than a full search per pattern. Shortcuts that change no
    match (each checked against the plain search by the tests): a pattern that starts with a multi-line `^` is only
    tried after the line breaks a look-ahead scan finds it matching after (Python's `re` would try every position);
    a `prefilter` skips the windows (or texts) that cannot hold a match; `lead`/`core` patterns scan for their core;
    `require_words` made of anchor words drop a match without an anchor hit before splitting it, and their search
    restarts after the last character before the next hit that no match can hold; a listed `exclude` is a set
    lookup; a pattern read after its base is tried only where its literal prefix, or one of the few characters it
    can start with, follows (all such patterns in one pass over the base's matches), one read before it only after a
    word it can end with. An `anchor` of width one also checks the whole
    pattern where it is, in C; per document, only the plan rows without anchor words and those whose words occur
    are visited. Bare names (`level` "bare") are kept as the `re` matches themselves.
    What the stdlib's own parser knows of a pattern (`re._parser`) decides which shortcut applies; on a Python
    without it, none does.
    """

    def __init__(self, pattern_set: PatternSet) -> None:
        self.patterns = [p for p in pattern_set.regex_patterns if "after" not in p[3] and "before" not in p[3]]
        self.dependent = [p for p in pattern_set.regex_patterns if "after" in p[3] or "before" in p[3]]
        # a pattern read right after its base can only match where the next character may start it
        # ... and one read right before it (ending at the base) only where the last word before it can end it
        self._dependent_plan = [(pid, label, rx, meta, meta.get("after"), meta.get("before"),
                                 _start_test(rx) if "after" in meta else _final_words(rx))
                                for pid, label, rx, meta in self.dependent]
        # each `require_words` set's finder of its words as whole words (`_whole_word_finder`), when it has one
        self._word_finders = {meta["require_words"]: finder for _pid, _label, _rx, meta in self.patterns
                              if "require_words" in meta
                              and (finder := _whole_word_finder(meta["require_words"])) is not None}
        self._tests_for: object = None  # the `_dependent_plan` that `_tests` was worked out for
        self._tests = _DependentTests({}, frozenset(), {})
        self.anchor_words = AnchorWords([_anchor_key(p[3]) for p in self.patterns if "anchor_words" in p[3]])
        key_ids = {key: i for i, key in enumerate(self.anchor_words.keys)}
        # everything a pattern's search needs, worked out once rather than per document (anchor-word keys as their
        # index in the finder: a key tuple holds up to a hundred words, and is hashed anew on every lookup)
        bases = {p[3].get("after") or p[3].get("before") for p in self.dependent}
        # the vocabulary's hashes of the label and id of each span-writing row, added once per vocabulary
        self._strings: object = None
        self._span_ids: dict[int, tuple[int, int]] = {}
        self._plan = [(pid, label, rx, meta, key_ids[_anchor_key(meta)] if "anchor_words" in meta else None,
                       # (an anchor that also checks the whole pattern where it is, when it can)
                       meta.get("anchor_window"),
                       (_anchor_finder(meta["anchor"], rx) or meta["anchor"]) if "anchor" in meta else None,
                       label in _SPAN_LABELS, meta.get("exclude"),
                       meta.get("require_words"), pid in bases, _keep_mode(pid, pid in bases, label, rx, meta),
                       _finite_language(meta["exclude"]) if "exclude" in meta else None,
                       _lead_and_core(meta), meta.get("prefilter"),
                       # at line starts only: the line breaks after which it matches, found in one scan
                       _line_start_finder(rx),
                       # required words are hits: a match holding none is dropped (searched past after a barrier
                       # character, where one can be told)
                       _required_words_are_hits(meta) and (_barrier(rx) or True))
                      for pid, label, rx, meta in self.patterns]
        # the plan rows without anchor words, and those of each anchor-word key
        self._keyless = [i for i, row in enumerate(self._plan) if row[4] is None]
        self._rows_of_key: dict[int, list[int]] = {}
        for i, row in enumerate(self._plan):
            if row[4] is not None:
                self._rows_of_key.setdefault(row[4], []).append(i)

    def _span_ids_of(self, doc: Doc) -> dict[int, tuple[int, int]]:
        """(label hash, pattern id hash) of each plan row written as spans, by row index, in the document's
        vocabulary (its strings added once per vocabulary)."""
        strings = doc.vocab.strings
        if strings is not self._strings:
            self._span_ids = {i: (strings.add(row[1]), strings.add(row[0]))
                              for i, row in enumerate(self._plan) if row[7]}
            self._strings = strings
        return self._span_ids

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        matches: list[RegexMatch] = []
        names: dict[str, list[re.Match[str]]] = {}
        by_pid: dict[str, list[re.Match[str]]] = {}
        spans = []
        anchors: dict[str, list[int]] = {}
        windows: dict[tuple[int, tuple[int, int]], list[tuple[int, int]]] = {}
        # the rows to run, in plan order: those without anchor words, and those whose anchor words occur (most
        # patterns, in most texts, are skipped without looking at their rows)
        word_hits = self.anchor_words.hit_dict(text, doc_lower(doc)) if self._rows_of_key else {}
        rows_of_key = self._rows_of_key
        order = self._keyless + [i for key in word_hits for i in rows_of_key.get(key, ())]
        order.sort()
        plan = self._plan
        span_ids = self._span_ids_of(doc)
        for index in order:
            (pid, label, rx, meta, key, window, anchor, as_span, exclude, required, is_base, keep, excluded,
             lead_core, prefilter, at_lines, required_hits) = plan[index]
            hits: list[int] = word_hits[key] if key is not None else []
            if prefilter is not None and not any(p.search(text) for p in prefilter):
                continue  # nowhere in the text, so in no window either
            if key is not None:
                if window is None:
                    found: Iterable[re.Match[str]] = _anchored(rx, text, hits)
                else:
                    wkey = (key, window)
                    spans_to_search = windows.get(wkey)
                    if spans_to_search is None:
                        spans_to_search = windows[wkey] = _merged_windows(hits, window, len(text))
                    if prefilter is not None:
                        spans_to_search = [w for w in spans_to_search
                                           if any(p.search(text, w[0], w[1]) for p in prefilter)]
                    if required_hits is True:
                        # only matches holding a hit are kept: none starts after a window's last hit
                        found = []
                        for ws, we in spans_to_search:
                            last_hit = hits[bisect.bisect_right(hits, we) - 1]
                            for m in rx.finditer(text, ws, we):
                                if m.start() > last_hit:
                                    break
                                found.append(m)
                    elif required_hits:
                        found = []
                        _hit_holding_search(rx, required_hits, text, spans_to_search, hits, found)
                    elif lead_core is None:
                        # the windows are disjoint, so their matches never overlap
                        finditer = rx.finditer
                        found = [m for ws, we in spans_to_search for m in finditer(text, ws, we)]
                    else:
                        found = []
                        _lead_core_search(rx, lead_core, text, spans_to_search, found)
            elif at_lines is not None:
                found = _anchored(rx, text, [0] + [m.end() for m in at_lines.finditer(text)])
            elif anchor is None:
                found = rx.finditer(text)
            else:
                if anchor.pattern not in anchors:
                    anchors[anchor.pattern] = [m.start() for m in anchor.finditer(text)]
                found = _anchored(rx, text, anchors[anchor.pattern])
            if keep is _KEEP_ALL:
                matches += [RegexMatch(pid, label, m, meta) for m in found]
                continue
            if not found and keep is _KEEP_CHECKED:
                continue  # no match (most rows tried at their anchor words find none): nothing to check
            if keep is _KEEP_UNEXCLUDED or keep is _KEEP_NAMES:
                if excluded is not None:  # the excluded strings, listed: a set lookup per match
                    kept = [m for m in found if m.group() not in excluded]
                else:
                    fullmatch = exclude.fullmatch
                    kept = [m for m in found if not fullmatch(text, *m.span())]
                if is_base:
                    by_pid.setdefault(pid, []).extend(kept)
                if keep is _KEEP_NAMES:
                    names.setdefault(pid, []).extend(kept)
                else:
                    matches += [RegexMatch(pid, label, m, meta) for m in kept]
                continue
            own = by_pid.setdefault(pid, []) if is_base else None
            n_hits = len(hits)
            word_finder = self._word_finders.get(required) if required is not None else None
            if as_span:  # the span's label and id as the vocabulary's hashes
                label_id, pid_id = span_ids[index]
            for m in found:
                s, e = se = m.span()
                if s == e or (exclude is not None and exclude.fullmatch(text, s, e)):
                    continue
                if required is not None:
                    # a match holding a required word holds one of the pattern's anchor hits: most do not, and
                    # are dropped without splitting their words
                    if required_hits:
                        i = bisect.bisect_left(hits, s)
                        if i == n_hits or hits[i] >= e:
                            continue
                    if word_finder is not None:
                        if word_finder.search(text[s:e]) is None:
                            continue
                    elif required.isdisjoint(WORD_SPLIT.split(text[s:e])):
                        continue
                if own is not None:
                    own.append(m)
                matches.append(RegexMatch(pid, label, m, meta, None, se))
                if as_span:
                    span = doc.char_span(s, e, label_id, alignment_mode="expand", span_id=pid_id)
                    if span is not None:
                        spans.append(span)
        matches += self._dependent_matches(text, by_pid)
        doc.user_data[MATCHES_KEY] = matches
        doc.user_data[REGEX_KEY] = spans
        doc.user_data[BARE_NAMES_KEY] = names
        return doc


    def _dependent_matches(self, text: str, by_pid: dict[str, list[re.Match[str]]]) -> list[RegexMatch]:
        """The matches of the patterns read right after or right before their base's matches, in the order of
        `_dependent_plan` (and, for each, of its bases)."""
        tests = self._dependent_tests()
        found: list[list[RegexMatch]] = [[] for _ in self._dependent_plan]
        # the patterns read after one base whose start is known: one pass over the base's matches, each trying only
        # the patterns that can start with the character after it
        for base_pid, by_char in tests.after.items():
            for base in by_pid.get(base_pid, ()):
                e = base.end()
                tries = by_char.get(text[e:e + 1])
                if tries is not None:
                    for j, literal, starts, width in tries:
                        if (literal is None or text.startswith(literal, e)) and \
                                (starts is None or text[e:e + width] in starts):
                            pid, label, rx, meta = self._dependent_plan[j][:4]
                            ctx = rx.match(text, e)
                            if ctx is not None:
                                found[j].append(RegexMatch(pid, label, base, meta, ctx))
        for j, (pid, label, rx, meta, after, before, edge) in enumerate(self._dependent_plan):
            if j in tests.tried:
                continue
            out = found[j]
            if after:
                for base in by_pid.get(after, ()):
                    ctx = rx.match(text, base.end())
                    if ctx is not None:
                        out.append(RegexMatch(pid, label, base, meta, ctx))
                continue
            ends_with = tests.final_words[j]
            for base in by_pid.get(before or "", ()):
                b = base.start()
                lo = b - 40 if b > 40 else 0
                if ends_with is not None:
                    # a match ends with one of the final strings (`_final_words`), then whitespace up to b: the
                    # text before b without that whitespace (most often a single space, or none) must end with one
                    c = text[b - 1] if b > lo else ""
                    if c == " " and (b - 2 < lo or not text[b - 2].isspace()):
                        end = b - 1
                    elif c and not c.isspace():
                        end = b
                    else:
                        end = lo + len(text[lo:b].rstrip())
                    words = ends_with.get(text[end - 1:end]) if end > lo else None
                    if words is None or not text.endswith(words, lo, end):
                        continue
                ctx = rx.search(text, lo, b)
                if ctx is not None:
                    out.append(RegexMatch(pid, label, base, meta, ctx))
        return [m for ms in found for m in ms]

    def _dependent_tests(self) -> _DependentTests:
        """The dependent patterns' cheap tests (`_DependentTests`), worked out once for `_dependent_plan` (anew when
        another list is assigned to it, as the tests do to switch them off)."""
        if self._tests_for is not self._dependent_plan:
            after: dict[str, dict[str, list[tuple[int, str | None, frozenset[str] | None, int]]]] = {}
            tried: set[int] = set()
            final_words: dict[int, dict[str, tuple[str, ...]] | None] = {}
            for j, (_pid, _label, _rx, _meta, base_after, _before, edge) in enumerate(self._dependent_plan):
                if base_after and edge is not None:
                    by_char = after.setdefault(base_after, {})
                    if isinstance(edge, str):
                        test: tuple[int, str | None, frozenset[str] | None, int] = (j, edge, None, 0)
                    else:  # the first few characters, when they can be listed, rule out more than the first
                        test = next(((j, None, starts, width) for width in (4, 3, 2)
                                     if (starts := _starts(self._dependent_plan[j][2], width)) is not None),
                                    (j, None, None, 0))
                    for c in ([edge[0]] if isinstance(edge, str) else sorted(edge)):
                        by_char.setdefault(c, []).append(test)
                    tried.add(j)
                elif not base_after:
                    final_words[j] = None if edge is None else _by_last_character(edge)
            self._tests = _DependentTests(after, frozenset(tried), final_words)
            self._tests_for = self._dependent_plan
        return self._tests


class _DependentTests(NamedTuple):
    """The cheap tests that rule out most places for the dependent patterns (rows of `_dependent_plan`, by index).

    `after`: per base pattern, per character that may follow a base match, the patterns read after it that may
    start with that character, each as (its index, the literal text it starts with or None, the strings of `width`
    characters it starts with or None, `width`); `tried`: the patterns `after` covers; `final_words`: for each pattern read before its base, its final
    words (`_final_words`) by their last character (None when unknown: every base is tried)."""

    after: dict[str, dict[str, list[tuple[int, str | None, frozenset[str] | None, int]]]]
    tried: frozenset[int]
    final_words: dict[int, dict[str, tuple[str, ...]] | None]


def _by_last_character(words: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """`words` grouped by their last character (a text can only end with those of its own last character)."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[-1], []).append(w)
    return {c: tuple(ws) for c, ws in groups.items()}


#: Inline global flags at the start of a pattern ("(?m)"); a compiled pattern's `flags` hold them.
_GLOBAL_FLAGS = re.compile(r"\A(?:\(\?[aiLmsux]+\))+")


def _parsed(rx: re.Pattern[str]) -> object | None:
    """The stdlib's own parse of a pattern (no second parser to keep in step), or None on a Python without it."""
    try:
        from re import _parser

        return _parser.parse(rx.pattern, rx.flags)
    except Exception:  # noqa: BLE001 - an unknown parser: callers then take no shortcut
        return None


def _min_width(rx: re.Pattern[str]) -> int:
    """The fewest characters a match of `rx` can have (0 when unknown)."""
    parsed = _parsed(rx)
    return parsed.getwidth()[0] if parsed is not None else 0  # type: ignore[attr-defined]


def _first_chars(rx: re.Pattern[str], skip: int = 0) -> frozenset[str] | None:
    """The characters a match of `rx` can start with (after its first `skip` items, e.g. a leading `^`), when the
    stdlib's compiler knows them as a literal prefix or a set of characters and ranges (what it scans for in a
    search); None when unknown."""
    parsed = _parsed(rx)
    if parsed is None:
        return None
    try:
        from re import _compiler, _constants, _parser

        if skip:
            parsed = _parser.SubPattern(parsed.state, parsed.data[skip:])  # type: ignore[attr-defined]
        prefix = _compiler._get_literal_prefix(parsed, rx.flags)[0]
        if prefix:
            return frozenset({chr(prefix[0])})
        charset = _compiler._get_charset_prefix(parsed, rx.flags)
        chars: set[str] = set()
        for op, av in charset or ():
            if op is _constants.LITERAL:
                chars.add(chr(av))
            elif op is _constants.RANGE and av[1] - av[0] < 1024:
                chars.update(map(chr, range(av[0], av[1] + 1)))
            else:
                return None
        return frozenset(chars) or None
    except Exception:  # noqa: BLE001 - another compiler: no shortcut
        return None


def _literal_prefix(rx: re.Pattern[str]) -> str:
    """The literal text every match of `rx` starts with, as the stdlib's compiler knows it ("" when none)."""
    parsed = _parsed(rx)
    try:
        from re import _compiler

        return "".join(map(chr, _compiler._get_literal_prefix(parsed, rx.flags)[0])) if parsed is not None else ""
    except Exception:  # noqa: BLE001 - another compiler: no shortcut
        return ""


def _start_test(rx: re.Pattern[str]) -> str | frozenset[str] | None:
    """What a pattern read right after its base needs right after it: its literal prefix when that is two or more
    characters (" and " rules out far more than " "), else the characters it can start with (None when unknown)."""
    prefix = _literal_prefix(rx)
    return prefix if len(prefix) > 1 else _first_chars(rx)


def _starts(rx: re.Pattern[str], width: int, limit: int = 4000) -> frozenset[str] | None:
    """The strings of `width` characters that every match of `rx` starts with, when they can be listed (literal
    characters, sets of them, alternatives, groups and repeats; look-arounds and boundaries are left unchecked, so
    the set may hold a few more); None otherwise, or when a match can be shorter than `width` characters."""
    parsed = _parsed(rx)
    if parsed is None or rx.flags & re.IGNORECASE:
        return None
    from re import _parser

    repeats = (_parser.MAX_REPEAT, _parser.MIN_REPEAT, getattr(_parser, "POSSESSIVE_REPEAT", None))

    def extend(strings: set[str], seq: Iterable) -> set[str] | None:
        """`strings` (each shorter than `width`, or complete at `width`) followed by what `seq` matches."""
        for op, av in seq:
            if all(len(x) >= width for x in strings):
                break
            if op in (_parser.AT, _parser.ASSERT, _parser.ASSERT_NOT):
                continue  # zero width
            if op is _parser.LITERAL:
                chars = [chr(av)]
            elif op is _parser.IN and all(code is _parser.LITERAL for code, _ in av):
                chars = [chr(c) for _, c in av]
            elif op is _parser.SUBPATTERN and not av[1] and not av[2]:
                found = extend(strings, av[3])
                if found is None:
                    return None
                strings = found
                continue
            elif op is getattr(_parser, "ATOMIC_GROUP", None):
                found = extend(strings, av)
                if found is None:
                    return None
                strings = found
                continue
            elif op is _parser.BRANCH:
                branches = [extend(strings, alt) for alt in av[1]]
                if any(b is None for b in branches):
                    return None
                strings = set().union(*branches)  # type: ignore[arg-type]
                continue
            elif op in repeats:
                low, high, body = av
                current: set[str] | None = strings
                for _ in range(low):
                    current = extend(current, body) if current is not None else None
                if current is None:
                    return None
                strings = set(current)
                for _ in range(low, min(high, width)):  # each further repeat adds a character, or adds nothing
                    longer = extend(current, body)
                    if longer is None:
                        return None
                    if longer == current:
                        break
                    strings |= longer
                    current = longer
                continue
            else:
                return None
            strings = {x + c if len(x) < width else x for x in strings for c in chars}
            if len(strings) > limit:
                return None
        return strings

    found = extend({""}, parsed.data)  # type: ignore[attr-defined]
    if found is None or any(len(x) < width for x in found):
        return None
    return frozenset(found)


def _literal_strings(seq: list, limit: int = 4000) -> set[str] | None:
    """Every string a parsed pattern sequence matches, when it is a finite set of literal strings (characters,
    sets of characters, alternatives, optional parts, plain groups) of at most `limit` members; else None."""
    from re import _parser

    out = {""}
    for op, av in seq:
        if op is _parser.LITERAL:
            part: set[str] | None = {chr(av)}
        elif op is _parser.IN and all(code is _parser.LITERAL for code, _ in av):
            part = {chr(c) for _, c in av}
        elif op is _parser.SUBPATTERN and not av[1] and not av[2]:
            part = _literal_strings(list(av[3]), limit)
        elif op is _parser.BRANCH:
            alts = [_literal_strings(list(alt), limit) for alt in av[1]]
            part = None if any(a is None for a in alts) else set().union(*alts)  # type: ignore[arg-type]
        elif op is _parser.MAX_REPEAT and av[0] == 0 and av[1] == 1:
            inner = _literal_strings(list(av[2]), limit)
            part = None if inner is None else inner | {""}
        else:
            return None
        if part is None or len(out) * len(part) > limit:
            return None
        out = {a + b for a in out for b in part}
    return out


def _suffix_strings(seq: list, limit: int = 4000) -> set[str]:
    """The strings of the longest run of listable items at the end of a parsed sequence (`{""}` when none): every
    match of the sequence ends with one of them."""
    found = {""}
    for i in range(len(seq), 0, -1):
        part = _literal_strings([seq[i - 1]], limit)
        if part is None or len(part) * len(found) > limit:
            break
        found = {a + b for a in part for b in found}
    return found


def _finite_language(rx: re.Pattern[str]) -> frozenset[str] | None:
    """The strings `rx` fully matches, when they are a finite set of literal strings (no look-around, anchor or
    case folding): `rx.fullmatch(text, s, e)` is then `text[s:e] in` that set. None otherwise."""
    parsed = _parsed(rx)
    if parsed is None or rx.flags & re.IGNORECASE:
        return None
    found = _literal_strings(list(parsed.data))  # type: ignore[attr-defined]
    return frozenset(found) if found is not None else None


def _final_words(rx: re.Pattern[str]) -> tuple[str, ...] | None:
    """For a pattern that ends with whitespace and the end (`...\\s+$`, as one read before its base): the strings
    the last stretch before that whitespace can end with (each string of its finite literal alternatives, as written:
    "next to the", not only "the", as the pattern spells the spaces between its words). A text that, without its
    final whitespace, ends with none of them cannot match. None when the pattern has another shape or its strings
    cannot be listed."""
    parsed = _parsed(rx)
    if parsed is None or rx.flags & re.IGNORECASE:
        return None
    from re import _parser

    space_run = [(_parser.IN, [(_parser.CATEGORY, _parser.CATEGORY_SPACE)])]

    def strip_end(seq: list) -> list:
        """The sequence without its trailing whitespace runs (`\\s+`, `\\s*`)."""
        while seq and seq[-1][0] in (_parser.MAX_REPEAT, _parser.MIN_REPEAT) and list(seq[-1][1][2]) == space_run:
            seq = seq[:-1]
        return seq

    def last_words(seq: list) -> set[str] | None:
        seq = strip_end(seq)
        if not seq:
            return None
        op, av = seq[-1]
        if op is _parser.MAX_REPEAT and av[0] == 0 and av[1] == 1:  # optional: its words or those before it
            inner, before = last_words(list(av[2])), last_words(seq[:-1])
            return None if inner is None or before is None else inner | before
        found = _suffix_strings(seq)
        if any(not s.split() for s in found):
            return None  # an empty or all-blank ending: nothing to check
        return {s.rstrip() for s in found}  # (a literal space at the end joins the final whitespace)

    data = list(parsed.data)  # type: ignore[attr-defined]
    if not data or data[-1] not in ((_parser.AT, _parser.AT_END), (_parser.AT, _parser.AT_END_STRING)):
        return None
    words = last_words(data[:-1])
    return tuple(sorted(words)) if words else None


def _starts_at_line_starts(rx: re.Pattern[str]) -> bool:
    """True when every match of `rx` starts at a line start (the whole pattern starts with a multi-line `^`) and
    is never empty: trying it (`match`) at each line start then finds exactly what `finditer` finds."""
    parsed = _parsed(rx) if rx.flags & re.MULTILINE else None
    if parsed is None or not parsed.data:  # type: ignore[attr-defined]
        return False
    from re import _parser

    return parsed.data[0] == (_parser.AT, _parser.AT_BEGINNING) and _min_width(rx) > 0  # type: ignore[attr-defined]


def _anchor_finder(anchor: re.Pattern[str], rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """For an `anchor` one character wide: a regex matching where the anchor matches and `rx` matches at its start
    (the anchor, then a look-behind over that character that holds `rx` as a look-ahead, where look-behinds see
    the text before as `rx.match` does), so that `re` rejects in C the anchors where the pattern cannot match
    rather than a Python `match` call per anchor. None for a wider anchor (the plain anchor scan skips past a
    failed anchor's whole width, this one would not: they could give different positions), or when a pattern has
    inline global flags or is verbose (it cannot be embedded)."""
    parsed = _parsed(anchor)
    if parsed is None or (anchor.flags | rx.flags) & re.VERBOSE:
        return None
    low, high = parsed.getwidth()  # type: ignore[attr-defined]
    if low != 1 or high != 1 or _GLOBAL_FLAGS.match(anchor.pattern) or _GLOBAL_FLAGS.match(rx.pattern):
        return None
    try:
        return re.compile("(?:%s)(?<=(?=(?:%s))(?s:.){%d})" % (anchor.pattern, rx.pattern, low), anchor.flags)
    except re.error:
        return None


def _line_start_finder(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """For a pattern whose every match starts at a line start (`_starts_at_line_starts`): a regex matching each
    line break after which the pattern matches (the break, then the whole pattern as a look-ahead, where its `^`
    holds and its look-behinds see what `rx.match(text, pos)` sees). `re` scans for the break in C, where trying
    the pattern at every line start, or `finditer` at every position, runs once per line. The matches at 0 and
    after these breaks are exactly the matches of `rx`. None for other patterns, and verbose ones (a comment
    could swallow the look-ahead's end)."""
    if not _starts_at_line_starts(rx) or rx.flags & re.VERBOSE:
        return None
    try:
        return re.compile("\\n(?=(?:%s))" % _GLOBAL_FLAGS.sub("", rx.pattern, count=1), rx.flags)
    except re.error:
        return None


_KEEP_ALL, _KEEP_UNEXCLUDED, _KEEP_NAMES, _KEEP_CHECKED = "all", "unexcluded", "names", "checked"


def _keep_mode(pid: str, is_base: bool, label: str, rx: re.Pattern[str], meta: dict) -> str:
    """How the ruler keeps a pattern's matches: all of them (never empty, no check, no span, no dependent),
    those its `exclude` does not match (never empty, no other check, no span), or after every check. Bare names
    (`level` "bare": every capitalised name, the most frequent matches by far) are kept as unexcluded matches too,
    but as the `re` matches themselves (`bare_names(doc)`), not wrapped."""
    plain = label not in _SPAN_LABELS and "require_words" not in meta and _min_width(rx) > 0
    if meta.get("level") == "bare":
        if not plain or "exclude" not in meta:
            raise ValueError(f"{pid}: a bare-name pattern needs an `exclude`, no `require_words`, no empty match")
        return _KEEP_NAMES
    if not plain:
        return _KEEP_CHECKED
    if "exclude" in meta:
        return _KEEP_UNEXCLUDED
    return _KEEP_CHECKED if is_base else _KEEP_ALL


def _lead_and_core(meta: dict) -> tuple[re.Pattern[str], re.Pattern[str], int, tuple[str, ...] | None] | None:
    """(core, lead followed by whitespace up to the end, the lead's longest match, the strings every lead ends
    with) of a pattern with `core`/`lead` (None without them, or when the lead's length is unbounded or unknown)."""
    core, lead = meta.get("core"), meta.get("lead")
    parsed = _parsed(lead) if lead is not None else None
    if core is None or parsed is None or _min_width(core) == 0:
        return None
    from re import _constants

    longest = parsed.getwidth()[1]  # type: ignore[attr-defined]
    if longest >= _constants.MAXREPEAT:
        return None
    # what every lead ends with, when none ends with whitespace (else nothing to check before the search)
    tails = _suffix_strings(list(parsed.data))  # type: ignore[attr-defined]
    usable = all(t and not t[-1].isspace() for t in tails)
    return core, re.compile(f"(?:{lead.pattern})\\s+\\Z"), longest, tuple(sorted(tails)) if usable else None


def _lead_core_search(rx: re.Pattern[str],
                      lead_core: tuple[re.Pattern[str], re.Pattern[str], int, tuple[str, ...] | None], text: str,
                      windows: list[tuple[int, int]], out: list[re.Match[str]]) -> None:
    """Append to `out` what `rx.finditer(text, start, end)` finds in each (start, end) of `windows`, for `rx` =
    `(?:LEAD\\s+)?CORE` and `lead_core` = (core, lead followed by whitespace up to the end, the lead's longest match,
    the strings every lead ends with) (`_lead_and_core`).

    Each match of rx starts at a core match or at a lead followed by whitespace up to one. Take the leftmost core
    match c from the current position: as no lead holds a core start, a match of rx before c can only be a lead
    whose whitespace ends at c, and the leftmost such lead (it cannot start more than `longest` characters before
    that whitespace) is where rx matches; otherwise rx matches at c, with c's own groups (the lead's are absent)."""
    core, lead_end, longest, tails = lead_core
    search, lead_search, match = core.search, lead_end.search, rx.match
    for start, end in windows:
        cur = start
        while True:
            c = search(text, cur, end)
            if c is None:
                break
            d = k = c.start()
            while k > cur and text[k - 1].isspace():
                k -= 1
            m: re.Match[str] | None = c
            if k < d and (tails is None or text.endswith(tails, max(cur, k - longest), k)):
                lead = lead_search(text, max(cur, k - longest), d)
                if lead is not None:
                    m = match(text, lead.start(), end)
            if m is None:  # cannot happen when no lead holds a core start (the tests check the shipped patterns)
                m = c
            out.append(m)
            cur = m.end()


#: The character-class spelling of the categories a pattern may consume (`_barrier`).
_CATEGORY_CLASSES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w"}


def _barrier(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """For a pattern whose matches are never empty and can consume only listed characters (literals, sets of
    literals, ranges and `\\d` `\\s` `\\w`; look-arounds consume nothing): a regex whose `match(text, pos, end)`
    ends right after the last character in [pos, end) that no match can hold, a barrier no match spans (None when
    there is none). None for other patterns (any character, negated sets, case folding, group references)."""
    parsed = _parsed(rx)
    if parsed is None or rx.flags & re.IGNORECASE or _min_width(rx) == 0:
        return None
    from re import _parser

    parts: set[str] = set()

    def walk(seq: Iterable) -> bool:
        for op, av in seq:
            if op is _parser.LITERAL:
                parts.add(re.escape(chr(av)))
            elif op is _parser.IN:
                for code, value in av:
                    if code is _parser.LITERAL:
                        parts.add(re.escape(chr(value)))
                    elif code is _parser.RANGE:
                        parts.add(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
                    elif code is _parser.CATEGORY and str(value) in _CATEGORY_CLASSES:
                        parts.add(_CATEGORY_CLASSES[str(value)])
                    else:
                        return False
            elif op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT, getattr(_parser, "POSSESSIVE_REPEAT", None)):
                if not walk(av[2]):
                    return False
            elif op is _parser.SUBPATTERN:
                if av[1] & re.IGNORECASE or not walk(av[3]):
                    return False
            elif op is _parser.BRANCH:
                if not all(walk(alt) for alt in av[1]):
                    return False
            elif op not in (_parser.ASSERT, _parser.ASSERT_NOT, _parser.AT):
                return False  # any character, a negated set, a group reference, ...: no barrier known
        return True

    if not walk(parsed.data):  # type: ignore[attr-defined]
        return None
    return re.compile("(?s:.*)[^%s]" % "".join(sorted(parts)), rx.flags & re.ASCII)


def _hit_holding_search(rx: re.Pattern[str], barrier: re.Pattern[str], text: str, windows: list[tuple[int, int]],
                        hits: list[int], out: list[re.Match[str]]) -> None:
    """Append to `out` the matches of `rx.finditer(text, start, end)`, for each (start, end) of `windows`, that hold
    one of the sorted `hits`, and perhaps a few that hold none (the caller drops those), skipping the stretches that
    cannot hold such a match.

    Before the next hit h not yet inside a match, the search restarts right after the last barrier (`_barrier`)
    before h: no match spans a barrier, so the matches of `finditer` after it are the same whichever match came
    before, and those before it end before h, so hold no hit. Nothing is searched after a window's last hit."""
    search, barrier_match, left = rx.search, barrier.match, bisect.bisect_left
    for start, end in windows:
        i, n = left(hits, start), left(hits, end)
        if i == n:
            continue
        last_hit, pos = hits[n - 1], start
        while i < n:
            b = barrier_match(text, pos, hits[i])
            if b is not None:
                pos = b.end()
            m = search(text, pos, end)
            if m is None or m.start() > last_hit:
                break
            out.append(m)
            pos = m.end()  # matches are never empty
            if hits[i] < pos:
                i = left(hits, pos, i)


def _whole_word_finder(words: frozenset[str]) -> re.Pattern[str] | None:
    """A regex that `search`es a string for one of `words` as a whole word, where words are split at whitespace and
    hyphens (`WORD_SPLIT`): found in `text[s:e]` exactly when `words` meets `WORD_SPLIT.split(text[s:e])`, without
    making the list of words. Grouped by first letter, longest first, so that `re` scans in C. None when a word is
    empty or holds a character the split cuts at (no split word can equal it)."""
    if not words or any(not w or WORD_SPLIT.search(w) for w in words):
        return None
    groups: dict[str, list[str]] = {}
    for w in sorted(words, key=lambda w: (-len(w), w)):
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    alternatives = "|".join(f"{re.escape(c)}(?:{'|'.join(rest)})" for c, rest in groups.items())
    # not after, and not before, a character that is not a separator: the string's ends count as separators
    return re.compile(f"(?<![^\\s-])(?:{alternatives})(?![^\\s-])")


def _required_words_are_hits(meta: dict) -> bool:
    """True when every `require_words` word is an anchor word found case-sensitively anywhere (not only at word
    starts), so a match with a required word necessarily holds an anchor hit."""
    required, words = meta.get("require_words"), meta.get("anchor_words")
    if required is None or words is None or _anchor_key(meta)[1]:
        return False
    return required <= set(words) and all(any(c.isupper() for c in w) for w in required)


def _anchor_key(meta: dict) -> tuple[tuple[str, ...], bool, bool]:
    """(anchor words, bounded, whole) of a pattern with `anchor_words`: a bounded word must start a word (always
    without a window, or with `anchor_whole_words`), a whole one must also end one ("port" not in "report")."""
    whole = bool(meta.get("anchor_whole_words"))
    return meta["anchor_words"], meta.get("anchor_window") is None or whole, whole


def _is_cased(word: str) -> bool:
    """True for a word with a capital: `AnchorWords` matches it case-sensitively, others in the lowercase text."""
    return any(c.isupper() for c in word)


class AnchorWords:
    """Start offsets of every anchor word of many patterns in one pass over the text (Aho-Corasick, in C).

    Words with a capital are matched case-sensitively in the text, the others in its lowercase form; a hit
    counts for a pattern key when it satisfies that key's `bounded`/`whole` condition. Equivalent to a
    `str.find` loop per word, but the text is scanned twice in all rather than once per word."""

    def __init__(self, keys: list[tuple[tuple[str, ...], bool, bool]]) -> None:
        self.keys = list(dict.fromkeys(keys))
        # the words searched for each key: a word that another word of the key, searched in the same text, begins
        # ("Renewables" after "Renewable") adds no hit unless the key wants whole words: it hits only where that
        # one does, at the same start
        searched = [[w for w in words
                     if whole or not any(v != w and w.startswith(v) and _is_cased(v) == _is_cased(w) for v in words)]
                    for words, _bounded, whole in self.keys]
        # hits come in order of their end: a key's are already sorted and distinct when its words are all searched
        # in the same text (all with a capital, or none) and have one length
        self._in_order = [len({len(w) for w in words}) == 1 and len({_is_cased(w) for w in words}) == 1
                          for words in searched]
        # two words of a key searched in the same text can only hit at one start when one begins the other (words
        # searched in the text and in its lowercase form may meet anywhere when lowercasing changes a length)
        self._distinct = [len({_is_cased(w) for w in words}) == 1
                          and not any(a != b and b.startswith(a) for a in words for b in words)
                          for words in searched]
        entries: dict[tuple[str, bool], list[tuple[int, bool, bool]]] = {}
        for key_id, ((_words, bounded, whole), words) in enumerate(zip(self.keys, searched)):
            for w in words:
                entries.setdefault((w, _is_cased(w)), []).append((key_id, bounded, whole))
        self._automata: list[tuple[bool, ahocorasick.Automaton | None]] = []
        for cased in (True, False):
            auto = ahocorasick.Automaton()
            for (w, c), key_entries in entries.items():
                if c == cased and w:
                    # the keys that take every hit, those that take one at a word start, those that take a whole
                    # word, and those that take one at a word end (the boundaries are checked only when needed)
                    auto.add_word(w, (len(w) - 1,
                                      tuple(k for k, bounded, whole in key_entries if not bounded and not whole),
                                      tuple(k for k, bounded, whole in key_entries if bounded and not whole),
                                      tuple(k for k, bounded, whole in key_entries if bounded and whole),
                                      tuple(k for k, bounded, whole in key_entries if not bounded and whole)))
            self._automata.append((cased, auto if len(auto) else None))
            if len(auto):
                auto.make_automaton()

    def hits(self, text: str, lower: str | None = None) -> dict[tuple[tuple[str, ...], bool, bool], list[int]]:
        """Hits per pattern key; `lower` is `text.lower()` when the caller already has it."""
        return dict(zip(self.keys, self.hit_lists(text, lower)))

    def hit_lists(self, text: str, lower: str | None = None) -> list[list[int]]:
        """The sorted hits of each key, in the order of `self.keys`."""
        found = self.hit_dict(text, lower)
        return [found.get(key_id, []) for key_id in range(len(self.keys))]

    def hit_dict(self, text: str, lower: str | None = None) -> dict[int, list[int]]:
        """The sorted hits of the keys with any, by key index (in `self.keys`); keys without a hit are left out."""
        found: list[list[int]] = [[] for _ in self.keys]
        for cased, auto in self._automata:
            if auto is None:
                continue
            if cased:
                hay = text
            else:
                hay = lower = text.lower() if lower is None else lower
            last_i = len(hay) - 1
            for last, (k, free, at_start, whole, at_end) in auto.iter(hay):
                i = last - k
                for key_id in free:
                    found[key_id].append(i)
                if (at_start or whole) and (i == 0 or not hay[i - 1].isalnum()):
                    for key_id in at_start:
                        found[key_id].append(i)
                    if whole and (last == last_i or not hay[last + 1].isalnum()):
                        for key_id in whole:
                            found[key_id].append(i)
                if at_end and (last == last_i or not hay[last + 1].isalnum()):
                    for key_id in at_end:
                        found[key_id].append(i)
        # otherwise sort them (and drop a start found by two words of the key)
        in_order, distinct = self._in_order, self._distinct
        return {key_id: hits if in_order[key_id] else sorted(hits) if distinct[key_id] else sorted(set(hits))
                for key_id, hits in enumerate(found) if hits}


def _merged_windows(hits: list[int], window: tuple[int, int], n: int) -> list[tuple[int, int]]:
    """The windows [hit - before, hit + after) around sorted hits, clipped to the text, overlapping or touching
    ones merged."""
    before, after = window
    gap = before + after  # two hits further apart than this have separate windows
    spans: list[tuple[int, int]] = []
    if not hits:
        return spans
    first = prev = hits[0]
    for h in hits:
        if h - prev > gap:
            spans.append((first - before, prev + after))
            first = h
        prev = h
    spans.append((first - before, prev + after))
    # only the first window can start before the text, and only the last end after it: a later window starts more
    # than `before + after` after an earlier hit, an earlier one ends more than that before a later hit
    if spans[0][0] < 0:
        spans[0] = (0, spans[0][1])
    if spans[-1][1] > n:
        spans[-1] = (spans[-1][0], n)
    return spans


def _anchored(rx: re.Pattern[str], text: str, positions: list[int]) -> list[re.Match[str]]:
    """The matches of `rx` tried at sorted `positions` (those inside an earlier match skipped): what `finditer`
    finds when every match starts at one of them."""
    found: list[re.Match[str]] = []
    last_end = -1
    match = rx.match
    for pos in positions:
        if pos < last_end:
            continue
        m = match(text, pos)
        if m is not None:
            last_end = m.end()
            found.append(m)
    return found


@Language.factory("gs_regex")
def make_regex_ruler(nlp: Language, name: str) -> RegexRuler:
    return RegexRuler(default_pattern_set())


_OP_RANGE = re.compile(r"\{(\d*),?(\d*)\}")


def _lower_words(tok: object) -> list[str] | None:
    """The lowercase words a token spec of only `LOWER` (a word or an `IN` list) accepts, else None."""
    if not isinstance(tok, dict) or set(tok) - {"LOWER", "OP"} or "LOWER" not in tok:
        return None
    value = tok["LOWER"]
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list) and value["IN"] \
            and all(isinstance(w, str) for w in value["IN"]):
        return list(value["IN"])
    return None


def token_pattern_anchor(pattern: list[dict]) -> tuple[list[frozenset[str]], int] | None:
    """For a token pattern whose first token is a fixed lowercase word (or `IN` list of them) and whose length is
    bounded: the word sets of its required `LOWER` tokens (the first one first) and the longest match in tokens.
    Such a pattern can only match in a window that starts at a first word and holds every required token, so it
    need only be tried there. None when the pattern cannot be anchored."""
    if not pattern or not isinstance(pattern[0], dict) or "OP" in pattern[0] or _lower_words(pattern[0]) is None:
        return None
    required: list[frozenset[str]] = []
    longest = 0
    for tok in pattern:
        op = tok.get("OP") if isinstance(tok, dict) else None
        words = _lower_words(tok)
        if op in (None, "1"):
            longest += 1
            if words is not None:
                required.append(frozenset(words))
            continue
        if op in ("!", "?"):
            longest += 1
            continue
        rng = _OP_RANGE.fullmatch(op) if isinstance(op, str) else None
        if rng is None or not (rng.group(2) or (rng.group(1) and "," not in op)):
            return None  # unbounded ("*", "+", "{n,}") or unknown
        longest += int(rng.group(2) or rng.group(1))
    return required, longest


def expand_repeats(pattern: list[dict], limit: int = 64) -> list[list[dict]]:
    """The pattern with each bounded repeat `{n,m}` written out as alternatives of exact counts `{k}`.

    Matches are the same (the union over k), but spaCy's Matcher follows every optional path of `{0,12}`
    separately, so the exact-count alternatives are far cheaper. Left as is when there would be over `limit`."""
    alternatives: list[list[list[dict]]] = []
    total = 1
    for tok in pattern:
        op = tok.get("OP") if isinstance(tok, dict) else None
        rng = _OP_RANGE.fullmatch(op) if isinstance(op, str) and "," in op else None
        if rng is None or not rng.group(2) or int(rng.group(1) or 0) > int(rng.group(2)):
            alternatives.append([[tok]])
            continue
        lo, hi = int(rng.group(1) or 0), int(rng.group(2))
        base = {k: v for k, v in tok.items() if k != "OP"}
        alternatives.append([[{**base, "OP": f"{{{k}}}"}] if k else [] for k in range(lo, hi + 1)])
        total *= len(alternatives[-1])
    if total > limit or total == 1:
        return [pattern]
    return [[t for part in combo for t in part] for combo in itertools.product(*alternatives)]


class AnchoredTokenRules:
    """Token patterns that start with a fixed word, matched only in windows where that word occurs.

    spaCy's Matcher evaluates `IN` predicates in Python on every token of the text; trying each pattern only in
    windows that start at its first word and contain all its required words gives the same matches (each match
    is such a window) at a fraction of the cost. The matches join the phrase rules' (`rule_hits`) exactly as
    spaCy's span_ruler writes them (deduplicated, sorted; `label_` and `id_` from the pattern)."""

    def __init__(self, nlp: Language, patterns: list[dict]) -> None:
        strings = nlp.vocab.strings
        # per rule: its matcher, the hashes of its first words, the hashes of each further required word set, the
        # longest match in tokens, label and id
        self.rules: list[tuple[Matcher, tuple[int, ...], list[frozenset[int]], int, str, str]] = []
        for p in patterns:
            anchor = token_pattern_anchor(p["pattern"])
            if anchor is None:
                raise ValueError(f"pattern {p.get('id')!r} cannot be anchored")
            matcher = Matcher(nlp.vocab)
            matcher.add(f"{p['label']}|{p.get('id', '')}", expand_repeats(p["pattern"]))
            required = [sorted({strings.add(w) for w in words}) for words in anchor[0]]
            self.rules.append((matcher, tuple(required[0]), [frozenset(r) for r in required[1:]], anchor[1],
                               p["label"], p.get("id", "")))
        # every rule's first words' `LOWER` hashes, sorted (`numpy.searchsorted` finds a token's among them)
        self.first_hashes = numpy.array(sorted({h for rule in self.rules for h in rule[1]}), dtype=numpy.uint64)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0 or not self.rules:
            return doc
        # The tokens whose `LOWER` is some rule's first word, found in one vectorised pass over the token array (a
        # binary search among the ~40 sorted hashes): the same test the Matcher makes on a pattern's first token,
        # so a rule none of whose first words is among them cannot match (the rule is skipped), and one that
        # matches starts at one of them. Cheaper than a regex scan of the text for the words, which still needed
        # the token array for the positions.
        lower = doc.to_array(LOWER)
        first = self.first_hashes
        hit = numpy.flatnonzero(first.take(numpy.searchsorted(first, lower), mode="clip") == lower)
        if not hit.size:
            return doc
        positions: dict[int, list[int]] = {}  # each first word's tokens, in order (rules share words)
        for i, h in zip(hit.tolist(), lower[hit].tolist()):
            positions.setdefault(h, []).append(i)
        lower_ids: list[int] | None = None
        found: set[Span] = set()
        cues: set[Cue] = set()
        for matcher, first_words, further, longest, label, pid in self.rules:
            starts: list[int] = []
            for h in first_words:
                starts += positions.get(h, ())
            if not starts:
                continue
            if len(starts) > 1:
                starts.sort()
            for i in starts:
                b = min(n, i + longest)
                if further:
                    if lower_ids is None:
                        lower_ids = lower.tolist()
                    window = lower_ids[i:b]
                    if any(ids.isdisjoint(window) for ids in further):
                        continue
                for _key, s, e in matcher(doc[i:b]):
                    if s == e:
                        continue
                    if label in CUE_LABELS:
                        strings = doc.vocab.strings
                        cues.add(_cue(doc, i + s, i + e, strings[label], strings[pid], pid, label))
                    else:
                        found.add(Span(doc, i + s, i + e, label=label, span_id=pid))
        if found:
            found.update(pipeline_spans(doc, RULES_KEY))
            doc.user_data[RULES_KEY] = sorted(found)
        if cues:
            cues.update(rule_cues(doc))
            doc.user_data[CUES_KEY] = sorted(cues)
        return doc


@Language.factory("gs_token_rules")
def make_token_rules(nlp: Language, name: str) -> AnchoredTokenRules:
    return AnchoredTokenRules(nlp, [p for p in default_pattern_set().token_patterns
                                    if not isinstance(p["pattern"], str)
                                    and token_pattern_anchor(p["pattern"]) is not None])


class PhraseRules:
    """Phrase patterns (matched on `LOWER`), and token patterns without a fixed first word, into
    `pipeline_spans(doc, RULES_KEY)` and `rule_cues(doc)` as spaCy's `span_ruler` writes them (deduplicated,
    sorted; `label_` and `id_` from the pattern; existing ones replaced), but with each pattern's label and id
    hashes worked out once rather than looked up per span, and status cues as plain tuples."""

    def __init__(self, nlp: Language, patterns: list[dict]) -> None:
        strings = nlp.vocab.strings
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher = Matcher(nlp.vocab)
        # per match key: the label and id hashes, and the pattern id when its matches are cues (plain tuples)
        self.keys: dict[int, tuple[int, int, str | None, str]] = {}
        for p in patterns:
            key = f"{p['label']}|{p.get('id', '')}"
            self.keys[strings.add(key)] = (strings.add(p["label"]), strings.add(p.get("id", "")),
                                           p.get("id", "") if p["label"] in CUE_LABELS else None, p["label"])
            if isinstance(p["pattern"], str):
                self.phrase_matcher.add(key, [nlp.make_doc(p["pattern"])])
            else:
                self.matcher.add(key, [p["pattern"]])

    def __call__(self, doc: Doc) -> Doc:
        keys = self.keys
        found = {(s, e, key) for key, s, e in self.phrase_matcher(doc) if s != e}
        if len(self.matcher):
            found.update((s, e, key) for key, s, e in self.matcher(doc) if s != e)
        spans, cues = set(), []
        for s, e, key in found:
            label_id, span_id, cue_id, label = keys[key]
            if cue_id is None:
                spans.add(Span(doc, s, e, label=label_id, span_id=span_id))
            else:
                cues.append(_cue(doc, s, e, label_id, span_id, cue_id, label))
        doc.user_data[RULES_KEY] = sorted(spans)
        doc.user_data[CUES_KEY] = sorted(cues)
        return doc


@Language.factory("gs_phrase_rules")
def make_phrase_rules(nlp: Language, name: str) -> PhraseRules:
    return PhraseRules(nlp, [p for p in default_pattern_set().token_patterns
                             if isinstance(p["pattern"], str) or token_pattern_anchor(p["pattern"]) is None])


def _build() -> Language:
    """The pipeline; its components read the process-wide pattern set (`default_pattern_set()`)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("gs_sentencizer")
    # token patterns with a fixed first word run in `gs_token_rules` (windows at that word); the rest here
    nlp.add_pipe("gs_phrase_rules")
    nlp.add_pipe("gs_token_rules")
    nlp.add_pipe("gs_regex")
    return nlp


@functools.lru_cache(maxsize=1)
def build_nlp() -> Language:
    """The one extraction pipeline (cached per process); used by the CLI, the flows and the tests."""
    from extractors.gazetteer import gazetteer

    gazetteer()  # built here, once, rather than inside the first extraction
    return _build()


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
    """Extract every article with `nlp.pipe`, `batch_size` documents at a time; result i belongs to article i
    (`result.id == article_id`)."""
    from extractors.assemble import assemble_doc

    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")

    nlp = nlp or build_nlp()
    results: list[ExtractionResult] = []
    # The hot loop allocates many short-lived objects (matches, spans) but no reference cycles
    # worth collecting mid-batch; pausing the cyclic GC avoids repeated full scans of the
    # growing result list. The previous GC state is restored afterwards, even on error.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for start in range(0, len(articles), batch_size):
            chunk = articles[start:start + batch_size]
            # a batch is tokenized in one go, while the tokenizer's tables are in the CPU cache (~2 % of the
            # extraction time on the benchmark, against one document at a time between the other components)
            docs = [_make_doc(nlp, a.text) for a in chunk]
            for article, doc in zip(chunk, nlp.pipe(docs, batch_size=batch_size), strict=True):
                results.append(assemble_doc(doc, doc_id=article.article_id, title=article.title,
                                            source=article.source))
    finally:
        if gc_was_enabled:
            gc.enable()
    return results
