"""Anchor-word search: skipping words by the text's run prefixes never loses a hit."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.pipeline import _ALNUM_RUN, _word_hits

WORDS = ("village", "port", "industrial park", "Ltd", "S.A", "mw", "gw", "(ac)", "co.", "energy")


def _both(text: str, words: tuple[str, ...], bounded: bool, whole: bool) -> tuple[list[int], list[int]]:
    lower = text.lower()
    runs = {r[:3] for r in _ALNUM_RUN.findall(lower)}
    return (_word_hits(text, lower, words, bounded=bounded, whole=whole),
            _word_hits(text, lower, words, bounded=bounded, whole=whole, lower_runs=runs))


@pytest.mark.parametrize(("text", "bounded", "whole", "expected"), [
    ("the village of Kara and the report", True, True, [4]),
    ("a report from the port", True, True, [18]),
    ("a report from the port", False, False, [4, 18]),
    ("Industrial Park, 40 MW (AC) by Alpha Co. Ltd", True, False, [0, 20, 23, 37, 41]),
    ("Villages and villagers", True, False, [0, 13]),
])
def test_word_hits_table(text, bounded, whole, expected):
    plain, skipped = _both(text, WORDS, bounded, whole)
    assert plain == skipped == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["village", "Village", "villages", "port", "report", "İport", "_port", "Ltd",
                                 "S.A", "40mw", "MW", "(ac)", "co.", "Energy", "ener", " ", ", ", "-", "\n"]),
                max_size=12), st.booleans(), st.booleans())
def test_skipping_by_run_prefixes_loses_nothing(parts, bounded, whole):
    plain, skipped = _both("".join(parts), WORDS, bounded, whole)
    assert plain == skipped
