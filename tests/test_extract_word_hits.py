"""Anchor-word search: the one-pass Aho-Corasick finder gives exactly the hits of a str.find loop per word; the
windows around hits, line-start patterns and the ruler's other shortcuts change no match."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.pattern_files import default_pattern_set
from extractors.pipeline import (
    WORD_SPLIT,
    AnchorWords,
    _anchor_finder,
    _anchored,
    _barrier,
    _final_words,
    _finite_language,
    _first_chars,
    _hit_holding_search,
    _line_start_finder,
    _literal_prefix,
    _merged_windows,
    _starts,
    _starts_at_line_starts,
    _whole_word_finder,
    pipeline_spans,
)

WORDS = ("village", "port", "industrial park", "Ltd", "S.A", "mw", "gw", "(ac)", "co.", "energy")


def _reference(text: str, words: tuple[str, ...], bounded: bool, whole: bool) -> list[int]:
    """The plain definition: every occurrence, case-sensitive for words with a capital, else in lowercase."""
    lower = text.lower()
    hits = set()
    for w in words:
        hay = text if any(c.isupper() for c in w) else lower
        i = hay.find(w)
        while i != -1:
            if (not bounded or i == 0 or not hay[i - 1].isalnum()) and \
                    (not whole or i + len(w) >= len(hay) or not hay[i + len(w)].isalnum()):
                hits.add(i)
            i = hay.find(w, i + 1)
    return sorted(hits)


FINDER = AnchorWords([(WORDS, b, w) for b in (True, False) for w in (True, False)] + [(("port", "report"), True, True)]
                     + [(("port", "mwac"), False, False), (("Ltd",), True, False)]  # words of one length
                     + [(("port", "portal", "Port"), False, False), (("portal", "port"), True, False),
                        (("port", "portal"), True, True)])  # words that begin others


def test_a_capitalised_and_a_lowercase_word_at_one_start_count_once():
    # "İ" lowercases to two characters, so the lowercase form's offsets run ahead: "mw" there and "Ltd" in the
    # text both start at 14
    text = "İportİport40mwLtd"
    assert FINDER.hits(text)[(WORDS, False, False)] == _reference(text, WORDS, False, False) == [2, 8, 14]


@pytest.mark.parametrize(("text", "bounded", "whole", "expected"), [
    ("the village of Kara and the report", True, True, [4]),
    ("a report from the port", True, True, [18]),
    ("a report from the port", False, False, [4, 18]),
    ("Industrial Park, 40 MW (AC) by Alpha Co. Ltd", True, False, [0, 20, 23, 37, 41]),
    ("Villages and villagers", True, False, [0, 13]),
    ("", True, True, []),
])
def test_word_hits_table(text, bounded, whole, expected):
    assert FINDER.hits(text)[(WORDS, bounded, whole)] == _reference(text, WORDS, bounded, whole) == expected


def test_overlapping_words_of_one_key_both_count():
    hits = FINDER.hits("the report and the port")[(("port", "report"), True, True)]
    assert hits == [4, 19]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["village", "Village", "villages", "port", "report", "İport", "_port", "Ltd", "mwac",
                                 "Portal", "portal", "S.A", "40mw", "MW", "(ac)", "co.", "Energy", "ener", " ", ", ", "-", "\n"]),
                max_size=12))
def test_same_hits_as_a_find_loop(parts):
    text = "".join(parts)
    found = FINDER.hits(text)
    assert found.keys() == set(FINDER.keys)
    for words, bounded, whole in FINDER.keys:
        assert found[(words, bounded, whole)] == _reference(text, words, bounded, whole)


def _reference_windows(hits: list[int], window: tuple[int, int], n: int) -> list[tuple[int, int]]:
    """The plain definition: each hit's window clipped to the text; overlapping or touching windows merged."""
    merged: list[list[int]] = []
    for h in hits:
        s, e = max(0, h - window[0]), min(n, h + window[1])
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


@pytest.mark.parametrize(("hits", "window", "n", "expected"), [
    ([], (5, 5), 100, []),
    ([50], (5, 5), 100, [(45, 55)]),
    ([2, 98], (5, 5), 100, [(0, 7), (93, 100)]),          # clipped at both ends
    ([10, 20], (5, 5), 100, [(5, 25)]),                   # touching windows merge
    ([10, 21], (5, 5), 100, [(5, 15), (16, 26)]),
    ([10, 11, 12, 40], (0, 3), 100, [(10, 15), (40, 43)]),
])
def test_merged_windows_table(hits, window, n, expected):
    assert _merged_windows(hits, window, n) == _reference_windows(hits, window, n) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 300), max_size=30), st.tuples(st.integers(0, 50), st.integers(0, 50)))
def test_merged_windows_match_the_plain_definition(hits, window):
    hits = sorted(set(hits))
    assert _merged_windows(hits, window, 301) == _reference_windows(hits, window, 301)


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"(?m)^[A-Z]+,", True),
    (r"(?m)^(?P<n>[A-Z]+)(?=,)", True),
    (r"^[A-Z]+,", False),               # without MULTILINE `^` is the start of the text only
    (r"(?m)^A|B", False),                # the `^` heads one alternative only
    (r"(?m)(?:^A|^B)", True),            # a `^` heading every alternative
    (r"(?m)^\s*", False),                # may match empty
    (r"(?m)[A-Z]^", False),
])
def test_line_start_patterns_are_recognised(pattern, expected):
    assert _starts_at_line_starts(re.compile(pattern)) is expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["ASTANA", "KARA-TOBE", " (Kazinform)", ", May 3", " — ", "\n", "\n\n", "x", " ",
                                 "Ab", "(", ")", ","]), max_size=20))
def test_line_start_patterns_find_what_finditer_finds(parts):
    text = "".join(parts)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for pid, _label, rx, _meta in default_pattern_set().regex_patterns:
        if _starts_at_line_starts(rx):
            want = [(m.span(), m.groupdict()) for m in rx.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in _anchored(rx, text, starts)] == want, pid
            finder = _line_start_finder(rx)
            assert finder is not None, pid
            found = _anchored(rx, text, [0] + [m.end() for m in finder.finditer(text)])
            assert [(m.span(), m.groupdict()) for m in found] == want, pid
    assert sum(_starts_at_line_starts(rx) for _, _, rx, _ in default_pattern_set().regex_patterns) >= 2


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    (r"(?m)^[A-Z]+,", "AB,\nx\nCD, EF,\n", [0, 6]),
    (r"(?m)(?:^A|^B)", "A\nB\nC\nAB", [0, 2, 6]),
    (r"(?mi)^a(?<=\na)", "a\nA\nb", [2]),      # a look-behind sees the line break, as `rx.match` does
    (r"(?m)^(?P<n>x)\1?", "xx\nx\n", [0, 3]),   # group numbers unchanged
])
def test_line_start_finder_table(pattern, text, expected):
    rx = re.compile(pattern)
    finder = _line_start_finder(rx)
    assert finder is not None
    assert [m.start() for m in _anchored(rx, text, [0] + [m.end() for m in finder.finditer(text)])] == expected
    assert [m.start() for m in rx.finditer(text)] == expected


@pytest.mark.parametrize("pattern", [r"^[A-Z]+,", r"(?m)^A|B", r"(?mx)^A  # a comment"])
def test_no_line_start_finder_for_other_patterns(pattern):
    assert _line_start_finder(re.compile(pattern)) is None


#: Random news-like texts: capacities (single, ranges, storage), names with head words, line-initial datelines.
TEXT_PIECES = ["Kara said", "Kara's plant", "Kara’s", "Kara and the consortium", "Kara has also signed", "in Tobe",
               "40-50 MW", "1,200–1,500MW", "10 to 12.5 GW", "about 5 MW", "40 MW/80 MWh", "40", "1,200", "2.5",
               "10", " MW", "MW", " GW", "-MW", " MWh", " to ", "-", "–", " and ", "up to ",
               "about ", " ", " ", "\n", "ASTANA, ", "ALMATY (Kazinform) - ", "Kara Energy", " Power", " Ltd",
               "Sky Solar Group", "Ministry of Energy", "the ", "The ", "of ", "in ", "Tortkol", " village", ". ",
               "said", ",", "Co", "Company", "JSC", "near its  ", "at\t", "Kara'", "’s "]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(TEXT_PIECES), max_size=40))
def test_regex_ruler_shortcuts_change_nothing(parts):
    """The ruler's shortcuts (line starts, prefilters, head-word hits before splitting) give exactly the matches of
    the plain searches."""
    from extractors.pipeline import REGEX_KEY, RegexRuler, bare_names, build_nlp

    nlp = build_nlp()
    fast = nlp.get_pipe("gs_regex")
    plain = RegexRuler(default_pattern_set())
    # plan rows end with (prefilter, at line starts, required words are hits): switch the shortcuts off
    # (... excluded strings listed, lead and core, prefilter, at line starts, required words are hits)
    plain._plan = [row[:6] + (row[3].get("anchor"),) + row[7:-5] + (None, None, None, None, False)
                   for row in plain._plan]  # the anchor as written, not the one that also checks the pattern
    plain._dependent_plan = [row[:-1] + (None,) for row in plain._dependent_plan]  # try every base
    assert all(any(row[i] for row in fast._plan) for i in range(-5, 0)) and any(row[-1] for row in fast._dependent_plan)
    text = "".join(parts)
    got, want = fast(nlp.make_doc(text)), plain(nlp.make_doc(text))

    def key(doc):
        return [(m.pid, m.start, m.end, m.groups) for m in doc._.gs_matches], \
            [(s.start, s.end, s.label_, s.id_) for s in pipeline_spans(doc, REGEX_KEY)], \
            {pid: [m.span() for m in found] for pid, found in bare_names(doc).items()}

    assert key(got) == key(want)


def _patterns_with(key: str) -> list[tuple[str, re.Pattern[str], object]]:
    """(id, regex, the value of `key`) of each shipped regex pattern that has `key`."""
    return [(pid, rx, meta[key]) for pid, _label, rx, meta in default_pattern_set().regex_patterns if key in meta]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(TEXT_PIECES + ["2020-2025", "to 2030", "-1", "– 4", "to4", "10-", "the 3-turbine, ",
                                              "The 40-MW plant", "the 1,200 MW park", "4-unit "]), max_size=40))
def test_a_prefilter_matches_inside_every_match(parts):
    """A prefilter (one regex or a list) is a necessary condition: one of its regexes matches inside each match."""
    text = "".join(parts)
    with_prefilter = _patterns_with("prefilter")
    assert with_prefilter
    for pid, rx, alternatives in with_prefilter:
        for m in rx.finditer(text):
            assert any(p.search(text, *m.span()) for p in alternatives), (pid, m.group())


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"[ ](?:has[ ])?(?P<cue>said|says)\b", {" "}),
    (r"(?:'s|’s)\b", {"'", "’"}),
    (r"abc|abd", {"a"}),
    (r"[xy]z", {"x", "y"}),
    (r"[a-c]z", {"a", "b", "c"}),  # a range
    (r"\wz", None),              # a category: not listed
    (r"(?i:a)bc", None),        # either case
    (r"\bfoo", None),
    (r"x?y", None),
])
def test_first_characters_of_a_pattern(pattern, expected):
    found = _first_chars(re.compile(pattern))
    assert found == (frozenset(expected) if expected is not None else None)


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"(?m)^[A-C][a-z]+", {"A", "B", "C"}),
    (r"(?m)^(?P<n>[XY]z+),", {"X", "Y"}),
    (r"(?m)^[XY]+,", None),              # a repeat first: the compiler lists nothing
    (r"(?m)^\s*A", None),
])
def test_first_characters_after_a_line_start(pattern, expected):
    found = _first_chars(re.compile(pattern), skip=1)
    assert found == (frozenset(expected) if expected is not None else None)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab's’ xyzA\n", max_size=30))
def test_a_pattern_never_matches_where_its_first_characters_are_absent(text):
    for pattern in (r"[ ](?:a|b)s", r"(?:'s|’s)\b", r"ab|ay", r"[xy]z"):
        rx = re.compile(pattern)
        first = _first_chars(rx)
        assert first is not None
        assert all(text[i:i + 1] in first for i in range(len(text) + 1) if rx.match(text, i))


@pytest.mark.parametrize(("pattern", "width", "expected"), [
    (r"[ ](?:has[ ]|on[ ]\w+[ ])?(?:said|won)\b", 4, {" has", " on ", " sai", " won"}),
    (r"(?:'s|’s)\b", 2, {"'s", "’s"}),
    (r"a(?=b)c", 2, {"ac"}),             # look-arounds are not checked: a superset
    (r"x{2,}y", 3, {"xxy", "xxx"}),
    (r"(?:a(?:\b)*b)c", 2, {"ab"}),      # a repeat that adds nothing, inside a group: what follows it still counts
    (r"ab?c", 3, None),                  # "ac" is shorter
    (r"(?:x|yz)+", 3, None),
    (r"a\wc", 3, None),                  # a category: not listed
    (r"(?i:ab)", 2, None),
])
def test_first_strings_of_a_pattern(pattern, width, expected):
    found = _starts(re.compile(pattern), width)
    assert found == (None if expected is None else frozenset(expected))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="hasond wi'’\nxy", max_size=30))
def test_a_pattern_never_matches_where_its_first_strings_are_absent(text):
    for pattern, width in ((r"[ ](?:has[ ]|have[ ]|on[ ]\w+[ ])?(?:said|won|will build)\b", 4),
                           (r"(?:'s|’s)\b", 2), (r"x+(?:ha|d)+y?", 2)):
        rx = re.compile(pattern)
        starts = _starts(rx, width)
        assert starts is not None
        assert all(text[i:i + width] in starts for i in range(len(text) + 1) if rx.match(text, i))


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"[ ]and[ ](?:a|the)", " and "),
    (r"[ ](?:has[ ])?said", " "),
    (r"abc|abd", "ab"),
    (r"(?i:ab)c", ""),          # either case: no literal
    (r"\bab", ""),
    (r"(?:'s|’s)\b", ""),
])
def test_literal_prefix_of_a_pattern(pattern, expected):
    assert _literal_prefix(re.compile(pattern)) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="and the x", max_size=30))
def test_a_pattern_never_matches_where_its_literal_prefix_is_absent(text):
    for pattern in (r"[ ]and[ ](?:a|the)[ ]x", r"an(?:d|t)"):
        rx = re.compile(pattern)
        prefix = _literal_prefix(rx)
        assert len(prefix) > 1
        assert all(text.startswith(prefix, i) for i in range(len(text) + 1) if rx.match(text, i))


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"\b(?:at|in)\s+$", ("at", "in")),
    (r"(?:at |in)\s*$", ("at", "in")),
    (r"\bat\s+(?:big\s+)?$", ("at", "big")),              # an optional word: its words or those before it
    (r"(?P<p>near|at)\s+(?:(?:north|south)\s+)?\Z", ("at", "near", "north", "south")),
    (r"\w+ of\s+$", (" of",)),                             # the literal space before it too
    (r"\b(?:next to the|in)\s+$", ("in", "next to the")),     # the whole string, not only its last word
    (r"\w+\s+$", None),                                   # cannot be listed
    (r"(?i:at)\s+$", None),                                # either case
    (r"at\s+", None),                                      # not anchored at the end
    (r"(?:at|)\s+$", None),                                # may end with nothing but blanks
])
def test_final_words_of_a_pattern(pattern, expected):
    assert _final_words(re.compile(pattern)) == expected


BEFORE_PATTERNS = [rx for _, _, rx, meta in default_pattern_set().regex_patterns if "before" in meta] + \
    [re.compile(r"\bat\s+(?:big\s+)?$"), re.compile(r"(?:at |in)\s*$")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["in", "In", "at", "near its", "outskirts of", "north-eastern", "big", "northern",
                                 "the", "Kara", "x", " ", "  ", "\n", ",", ".", "-", "next", "to", "next to the",
                                 "close to", "located"]), max_size=16))
def test_a_pattern_read_before_its_base_never_matches_after_another_word(parts):
    text = "".join(parts)
    assert all(_final_words(rx) for rx in BEFORE_PATTERNS)
    for b in range(len(text) + 1):
        lo = max(0, b - 40)
        for rx in BEFORE_PATTERNS:
            if rx.search(text, lo, b):
                assert text.endswith(_final_words(rx), lo, lo + len(text[lo:b].rstrip())), (rx.pattern, b)


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"[kM]?W(?:h|p)?|The|A", {"W", "Wh", "Wp", "kW", "kWh", "kWp", "MW", "MWh", "MWp", "The", "A"}),
    (r"CO2|(?:Mon|Tues)day", {"CO2", "Monday", "Tuesday"}),
    (r"The\b", None),                  # an assertion
    (r"[A-Z]", None),                   # a range
    (r"(?i:the)", None),                # case folding
    (r"Th+e", None),                    # a repeat
])
def test_finite_language_of_a_pattern(pattern, expected):
    found = _finite_language(re.compile(pattern))
    assert found == (frozenset(expected) if expected is not None else None)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="kMWhpeThACO2 ", max_size=6))
def test_a_listed_language_agrees_with_fullmatch(text):
    for pattern in (r"[kM]?W(?:h|p|e)?|MW(?:h|e)?|The|A|An|CO2", *(meta["exclude"].pattern for _, _, _, meta in
                                                                   default_pattern_set().regex_patterns
                                                                   if "exclude" in meta)):
        rx = re.compile(pattern)
        language = _finite_language(rx)
        assert language is not None
        assert (text in language) == (rx.fullmatch(text) is not None)


@pytest.mark.parametrize(("pattern", "barriers", "others"), [
    (r"[A-Z][a-z]+(?: [A-Z][a-z]+)*", ",\n(é_", "Ab z"),
    (r"\w+(?<!x)(?=,)", ", -", "aé_9"),           # look-arounds consume nothing
    (r"(?:ab|cd|&)[ ]\d", "x,o", "ac& 9"),
])
def test_barrier_characters(pattern, barriers, others):
    barrier = _barrier(re.compile(pattern))
    assert barrier is not None
    for c in barriers:
        assert barrier.match("ab" + c + "cd", 0, 5).end() == 3, c
    for c in others:
        assert barrier.match("ab" + c + "cd", 0, 5) is None, c


@pytest.mark.parametrize("pattern", [r"a.b", r"a[^b]", r"(?i)ab", r"a(?i:b)", r"(a)\1", r"a*", r"\Wa"])
def test_no_barrier_for_patterns_of_unknown_characters(pattern):
    assert _barrier(re.compile(pattern)) is None


HEAD_PIECES = ["Kara", "Energy", "Power", "Sky", "Solar", "Group", "of", "the", "&", " ", " ", ",", ", ", "\n", ".",
               "-", "'", "’s", "(", ")", "Ministry", "x", "said", "O'Neil", "AT&T", "Élan", ",Energy", "(Power Group",
               "\nSolar"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HEAD_PIECES), max_size=40), st.tuples(st.integers(0, 200), st.integers(0, 200)),
       st.sets(st.sampled_from(["Energy", "Power", "Solar", "Group"]), min_size=1))
def test_hit_holding_search_keeps_what_finditer_keeps(parts, cut, words):
    """The search that skips past barriers keeps (after dropping the matches that hold no hit) exactly what the
    plain `finditer` keeps, for the shipped head-word pattern and a window cut anywhere."""
    text = "".join(parts)
    rx = next(rx for pid, _label, rx, _meta in default_pattern_set().regex_patterns if pid == "org.head_word")
    barrier = _barrier(rx)
    assert barrier is not None
    hits = sorted({m.start() for w in words for m in re.finditer(re.escape(w), text)})

    def holding(found):
        return [(m.span(), m.groupdict()) for m in found
                if any(m.start() <= h < m.end() for h in hits)]

    for start, end in ((0, len(text)), (min(cut), max(cut))):
        got: list[re.Match[str]] = []
        _hit_holding_search(rx, barrier, text, [(start, end)], hits, got)
        assert holding(got) == holding(rx.finditer(text, start, end))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HEAD_PIECES + ["Energy-", "-Power", "\u00a0", "\t", "Energetics", "Energ", "Co",
                                               "Co-op", "xEnergy", "Power2", "--"]), max_size=20))
def test_whole_word_finder_agrees_with_splitting(parts):
    """The required-words finder finds a word in a string exactly when splitting it at whitespace and hyphens gives
    one of the words (the shipped head words, and a small set with words that begin others)."""
    text = "".join(parts)
    lexicon = default_pattern_set().lexicons["org.lexicon.heads"]
    for words in (lexicon, frozenset({"Energy", "Energetics", "Co", "Power"})):
        finder = _whole_word_finder(words)
        assert finder is not None
        assert (finder.search(text) is not None) == (not words.isdisjoint(WORD_SPLIT.split(text)))
    assert _whole_word_finder(frozenset({"Co-op"})) is None and _whole_word_finder(frozenset({"a b"})) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["ABC", "KEGOC", "LLP", "MW", "US", "A&B", "X1", "x", "-", " ", ",", "(", ")", "AB-",
                                 "Kara", "ABCDEFG", "\n"]), max_size=30))
def test_anchor_finder_finds_the_anchors_where_the_pattern_matches(parts):
    text = "".join(parts)
    with_anchor = _patterns_with("anchor")
    assert with_anchor
    for pid, rx, anchor in with_anchor:
        finder = _anchor_finder(anchor, rx)
        assert finder is not None, pid
        want = [m.start() for m in anchor.finditer(text) if rx.match(text, m.start())]
        assert [m.start() for m in finder.finditer(text)] == want, pid
        assert [m.span() for m in _anchored(rx, text, want)] == [m.span() for m in rx.finditer(text)], pid


@pytest.mark.parametrize(("anchor", "pattern"), [
    (r"[A-Z]+", r"[A-Z]{2}"),         # an anchor of no fixed width
    (r"(?i)a", r"a"),                 # inline global flags cannot be embedded
    (r"a", r"(?x) a  # comment"),
])
def test_no_anchor_finder(anchor, pattern):
    assert _anchor_finder(re.compile(anchor), re.compile(pattern)) is None
