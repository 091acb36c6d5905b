"""Assembly edge cases: inputs that must give records (not errors), one row per case."""

from __future__ import annotations

import pytest

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
