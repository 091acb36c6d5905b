"""`fold` and `skeleton` (fast paths for ASCII names) against their plain definitions."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.gazetteer import _SKELETON_STEPS, fold, skeleton


def plain_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"['’ʻ‘`]", "", stripped).lower().strip()


def plain_skeleton(text: str) -> str:
    s = re.sub(r"[^a-z]", "", plain_fold(text))
    for old, new in _SKELETON_STEPS:
        s = s.replace(old, new)
    if not s:
        return ""
    return re.sub(r"(.)\1+", r"\1", s[0] + re.sub(r"[aeiou]", "", s[1:]))


_NAMES = st.text(alphabet=st.sampled_from(list("AaBbKkHhZzQqXxYyWwDdSsTtEeIiOoUu '`’-.") + ["é", "ü", "ō", "ʻ", "İ",
                                                                                         "ø", "ﬁ", "Ǆ"]), max_size=20)


@settings(max_examples=500, deadline=None)
@given(_NAMES)
def test_fold_and_skeleton_match_their_definitions(name: str) -> None:
    assert fold(name) == plain_fold(name)
    assert skeleton(name) == plain_skeleton(name)


@settings(max_examples=300, deadline=None)
@given(name=st.text(alphabet=st.sampled_from(list("AaKkZzTtEeOo '`’\t-.") + ["é", "ü"]), max_size=24)
       | st.sampled_from(["Ma'an Development", "Karaganda", "North  Kazakhstan", "Cote d`Ivoire", "`", "' '"]))
def test_might_be_place_fast_path_matches_the_plain_split(name: str) -> None:
    from extractors.gazetteer import _PLACE_WORD_SPLIT, gazetteer

    gaz = gazetteer()
    plain = any(fold(w) in gaz._words for w in _PLACE_WORD_SPLIT.split(name) if w)
    gaz._might_be_place.pop(name, None)  # (not the memoised answer)
    assert gaz.might_be_place(name) == plain
