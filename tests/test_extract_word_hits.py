"""Anchor-word search: the one-pass Aho-Corasick finder gives exactly the hits of a str.find loop per word."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.pipeline import AnchorWords

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


FINDER = AnchorWords([(WORDS, b, w) for b in (True, False) for w in (True, False)] + [(("port", "report"), True, True)])


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
@given(st.lists(st.sampled_from(["village", "Village", "villages", "port", "report", "İport", "_port", "Ltd",
                                 "S.A", "40mw", "MW", "(ac)", "co.", "Energy", "ener", " ", ", ", "-", "\n"]),
                max_size=12))
def test_same_hits_as_a_find_loop(parts):
    text = "".join(parts)
    found = FINDER.hits(text)
    for bounded in (True, False):
        for whole in (True, False):
            assert found[(WORDS, bounded, whole)] == _reference(text, WORDS, bounded, whole)
