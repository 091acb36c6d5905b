"""The sentencizer: where sentences start, as a table, and against a plain reference definition."""

from __future__ import annotations

import re

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.pipeline import SENT_STARTS_KEY, sentencizer_component

_NLP = spacy.blank("en")

# The definition the fast component must agree with: a break after . ! ? (and closing quotes) then space
# before a capital or digit, or a line break; a break whose first full stop ends an abbreviation or an initial is
# skipped as a whole.
_BREAK = re.compile(r"""[.!?]+["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])|\n\s*""")
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Mt|No|Nos|Co|Corp|Inc|Ltd|Jr|Sr|vs|approx|est|Gov|Gen|"
                           r"Sen|Rep|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Fig|Ref|Art|Vol|Op|e\.g|"
                           r"i\.e|etc)|\b[A-Z])\.$")


def reference_starts(text: str) -> list[int]:
    doc = _NLP.make_doc(text)
    token_at = {t.idx: t.i for t in doc}
    starts = {0} if len(doc) else set()
    for m in _BREAK.finditer(text):
        b, e = m.span()
        if text[b] == "." and _ABBREVIATION.search(text, max(0, b - 12), b + 1):
            continue
        if e in token_at and token_at[e] > 0:
            starts.add(token_at[e])
    return sorted(starts)


def starts(text: str) -> list[int]:
    doc = sentencizer_component(_NLP.make_doc(text))
    return [t.i for t in doc if t.is_sent_start]


def first_words(text: str) -> list[str]:
    doc = sentencizer_component(_NLP.make_doc(text))
    return [s.text.split()[0] for s in doc.sents]


@pytest.mark.parametrize(("text", "expected"), [
    ("The plant opened. It has 40 MW.", ["The", "It"]),
    ("Is it ready? Yes! 2026 is the year.", ["Is", "Yes!", "2026"]),
    ("He said “it works.” Then he left.", ["He", "Then"]),
    ("Mr. Smith and Dr. Jones spoke. Ltd. firms too.", ["Mr.", "Ltd."]),
    ("The U.S. Department agreed. J. Smith signed.", ["The", "J."]),
    ("Plot No. 5 is ready. approx. Ten hectares.", ["Plot"]),
    ("Title line\nFirst sentence here. second is lower case.", ["Title", "First"]),
    ("A break after an abbreviation skips its line break too: Mr.\nSmith came.", ["A"]),
    ("Capacity rose... New units followed.", ["Capacity", "New"]),
    ("Costs rose (by 5%). (The plant) works.", ["Costs", "(The"]),
    ("", []),
])
def test_sentence_starts(text: str, expected: list[str]) -> None:
    assert first_words(text) == expected


_PIECES = ["Mr.", "U.S.", "e.g.", "No.", "Ltd.", "etc.", "A.", "x.", ". ", "! ", "? ", ".\n", "\n", "\n\n", " ",
           "word", "The", "It", "2026", "“", "”", "'", ")", "(", "...", "J.", "Solar", "in", "40 MW"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_sentence_starts_match_the_reference(text: str) -> None:
    assert starts(text) == reference_starts(text)
    doc = sentencizer_component(_NLP.make_doc(text))
    if len(doc):  # the offsets handed to the assembly are the same starts
        assert doc.user_data[SENT_STARTS_KEY] == ([t.i for t in doc if t.is_sent_start],
                                                   [t.idx for t in doc if t.is_sent_start])
