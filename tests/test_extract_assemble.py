"""Assembly: inputs that must give records (not errors), and the helpers its speed-ups rely on."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors import assemble
from extractors.assemble import _NAMED_ANAPHOR, _named_anaphors, _Spans
from extractors.pipeline import extract


@pytest.mark.parametrize(
    "text,locations",
    [
        # a list of place names sharing one head word, where a name is a stop word: that name is no place
        ("The company will build two solar plants in the Upper and Lower districts.", []),
        ("Plants are planned in the villages of New and Old.", []),
        ("Two solar plants are planned in the Sapa and Big villages.", ["Sapa village"]),
        ("Two solar plants of 10 MW each are planned in the Sapa and Zorneino districts.",
         ["Sapa district", "Zorneino district"]),
    ],
)
def test_place_lists_with_stop_words(text: str, locations: list[str]) -> None:
    result = extract(text, doc_id="t")
    assert [m.text for m in result.locations] == locations


_PIECES = ["the ", "The ", "he ", "she ", "Athe ", "Shu ", "Kara-Suu ", "Big ", "Lower ", "plant", "project",
           "station", "dam", " ", ". ", "\n", "2 ", "thE ", "the Shu plant"]


@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_named_anaphors_are_the_pattern_matches(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert [m.span() for m in _named_anaphors(text)] == [m.span() for m in _NAMED_ANAPHOR.finditer(text)]


@pytest.mark.parametrize(
    "spans,query,covered",
    [
        ([(0, 10)], (2, 5), True),
        ([(0, 10)], (0, 10), True),
        ([(0, 10)], (5, 11), False),
        ([(0, 5), (5, 10)], (3, 7), False),  # two spans that touch do not hold it together
        ([(0, 6), (4, 10)], (3, 7), True),  # overlapping input is merged
        ([], (0, 1), False),
    ],
)
def test_spans_cover(spans: list[tuple[int, int]], query: tuple[int, int], covered: bool) -> None:
    assert _Spans(spans).covers(*query) is covered


# every match of a capacity-trap pattern contains one of the whole words of its *_WORDS set: the assembly tries the
# pattern only when one of them is written
_TRAP_PIECES = ["the ", "a ", "of ", "with ", "each ", "rated at ", "up to ", "capacity ", "capacity of ", "unit ",
                "units ", "per-unit ", "community ", "online ", "turbines ", "phase ", "lines ", "pipeline ",
                "installed base ", "installed ", "tenders for ", "peak load ", "targets ", "total ", "totalling ",
                "combined ", "together ", "projects ", "plants above ", "stations over ", "expanded ", "extension ",
                "grew by ", "to ", "by ", "another ", "an additional ", "increase ", "raised ", "300 ", "mw ", ", ",
                "-", "\u00a0", "  ", "(", "x_unit ", "unitx ", "turbines of ", "units with an installed capacity of "]


@pytest.mark.parametrize(
    "pattern,words",
    [
        ("_COMBINED_BEFORE", "_COMBINED_WORDS"),
        ("_PART_RATING_BEFORE", "_PART_WORDS"),
        ("_AGGREGATE_BEFORE", "_AGGREGATE_WORDS"),
        ("_THRESHOLD_BEFORE", "_THRESHOLD_WORDS"),
        ("_EXTENSION_BEFORE", "_EXTENSION_WORDS"),
    ],
)
@given(pieces=st.lists(st.sampled_from(_TRAP_PIECES), max_size=12))
def test_trap_patterns_need_one_of_their_words(pattern: str, words: str, pieces: list[str]) -> None:
    before = "".join(pieces)
    if getattr(assemble, pattern).search(before):
        assert not set(assemble._WORD.findall(before)).isdisjoint(getattr(assemble, words))


@pytest.mark.parametrize(("pattern", "before"), [
    ("_COMBINED_BEFORE", "with a combined capacity of "),
    ("_PART_RATING_BEFORE", "16 turbines rated at "),
    ("_AGGREGATE_BEFORE", "the installed base of "),
    ("_THRESHOLD_BEFORE", "plants above "),
    ("_EXTENSION_BEFORE", "expanded by "),
])
def test_each_trap_pattern_matches_its_phrase(pattern: str, before: str) -> None:
    # (so that the property test above checks real matches, not only texts that match nothing)
    assert getattr(assemble, pattern).search(before)


# every match of a capacity-trap pattern of the text after a figure starts with a word _AFTER_TRAP_WORD matches: the
# assembly tries those patterns only when it does
_AFTER_PIECES = [" ", "  ", "-", " - ", "each ", "apiece ", "of ", "in ", "the ", "its ", "a ", "planned ", "total ",
                 "new ", "installed ", "300 ", "1,200 ", "mw ", "gw", "megawatt ", "solar ", "wind ", "capacity ",
                 "turbines ", "units", "unit ", "blocks ", "sections ", "queue ", "offshore ", "combined ", "energy",
                 "eachx ", "inside ", "off ", "\u00a0", "\n"]


@pytest.mark.parametrize("pattern", ["_PART_AFTER", "_EACH_PART_AFTER", "_PART_OF_TOTAL_AFTER", "_AGGREGATE_AFTER"])
@given(pieces=st.lists(st.sampled_from(_AFTER_PIECES), max_size=10))
def test_after_trap_patterns_need_their_first_word(pattern: str, pieces: list[str]) -> None:
    after = "".join(pieces)
    if getattr(assemble, pattern).match(after):
        assert assemble._AFTER_TRAP_WORD.match(after)


@pytest.mark.parametrize(("pattern", "after"), [
    ("_PART_AFTER", " - turbines"),
    ("_EACH_PART_AFTER", " each unit"),
    ("_PART_OF_TOTAL_AFTER", " of the planned 300 mw"),
    ("_AGGREGATE_AFTER", " of new solar"),
    ("_AGGREGATE_AFTER", " in  wind"),
])
def test_each_after_trap_pattern_matches_its_phrase(pattern: str, after: str) -> None:
    # (so that the property test above checks real matches)
    assert getattr(assemble, pattern).match(after)


def _longest_first_plain(items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The definition: longest first (then earliest), each kept when it overlaps none kept before; in text order."""
    chosen: list[tuple[int, int]] = []
    for s, e in sorted(items, key=lambda x: (x[0] - x[1], x[0])):
        if e > s and not any(s < ce and cs < e for cs, ce in chosen):
            chosen.append((s, e))
    return sorted(chosen)


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=25))
def test_longest_first_is_its_definition(items: list[tuple[int, int]]) -> None:
    # (tuples of equal bounds are interchangeable, so comparing bounds compares the choice)
    assert assemble._longest_first(items, key=lambda x: x) == _longest_first_plain(items)


_TITLE_PIECES = ["Kazakhstan", "Kazakhstan's", "Kazakhstan’s", "Osh", " ", "  ", "'s", "’s", "s", "region", "Region",
                 "state", "-", "X", "O'Brien", "plant", "\n", ",", "Sa"]


@given(st.lists(st.sampled_from(_TITLE_PIECES), max_size=12))
def test_title_place_names_drop_a_possessive_as_the_pattern(pieces: list[str]) -> None:
    for m in assemble._TITLE_PLACE.finditer("".join(pieces)):
        name = m.group(1)
        expected = re.sub(r"['’]s$", "", name)  # (the definition)
        assert (name[:-2] if name.endswith(("'s", "’s")) else name) == expected


@given(st.text(alphabet=st.sampled_from("ab Z9_-,.'’\n\t\x0b\x1c\x7fé"), max_size=40) | st.text(max_size=40))
def test_words_are_the_word_pattern_matches(text: str) -> None:
    assert assemble._words(text) == set(assemble._WORD.findall(text))


_YEAR_PIECES = ["1", "2", "9", "0", "5", "4", "19", "20", "21", "195", "2149", "2150", "1949", " ", "-", "a", "_", "٢",
                "by ", "in 2030", "x2030", "20300", "2030s", ".", "\n"]


@given(st.lists(st.sampled_from(_YEAR_PIECES), max_size=12))
def test_year_pattern_is_the_plain_definition(pieces: list[str]) -> None:
    text = "".join(pieces)
    plain = re.compile(r"\b(19[5-9]\d|20\d\d|21[0-4]\d)\b")  # (the definition)
    assert [m.span() for m in assemble._YEAR.finditer(text)] == [m.span() for m in plain.finditer(text)]
