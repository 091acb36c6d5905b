"""The anchored token-pattern component finds exactly what spaCy's span ruler finds with the same patterns."""

from __future__ import annotations

import pytest
import spacy

from extractors.pipeline import RULES_KEY, AnchoredTokenRules, token_pattern_anchor

PUT = [{"LOWER": {"IN": ["put", "brought"]}}, {"IS_PUNCT": False, "OP": "{0,4}"},
       {"LOWER": {"IN": ["into", "online"]}}, {"LOWER": "operation", "OP": "?"}]


@pytest.mark.parametrize(("pattern", "expected"), [
    (PUT, ([frozenset({"put", "brought"}), frozenset({"into", "online"})], 7)),
    ([{"LOWER": "wind"}, {"LOWER": "farm"}], ([frozenset({"wind"}), frozenset({"farm"})], 2)),
    ([{"LOWER": "a"}, {"OP": "{2}"}], ([frozenset({"a"})], 3)),
    ([{"LOWER": "a"}, {"IS_ALPHA": True, "OP": "*"}], None),          # unbounded
    ([{"LOWER": "a"}, {"IS_ALPHA": True, "OP": "{1,}"}], None),       # unbounded
    ([{"LOWER": "a", "OP": "?"}, {"LOWER": "b"}], None),              # optional first token
    ([{"ORTH": "A"}, {"LOWER": "b"}], None),                          # first token not a lowercase word
])
def test_token_pattern_anchor(pattern, expected):
    assert token_pattern_anchor(pattern) == expected


@pytest.mark.parametrize("text", [
    "The company put the new 50 MW plant into operation on Monday.",
    "It was brought online. Then they put it, after delays, into operation.",
    "Put simply, the plant went into operation; nothing was brought into it.",
    "They put the first second third fourth fifth unit into operation.",
    "",
])
def test_anchored_rules_match_span_ruler(text):
    patterns = [{"label": "STATUS", "pattern": PUT, "id": "t.put"}]
    plain = spacy.blank("en")
    plain.add_pipe("span_ruler", config={"spans_key": RULES_KEY}).add_patterns(patterns)
    nlp = spacy.blank("en")
    anchored = AnchoredTokenRules(nlp, patterns)
    plain_doc, doc = plain(text), anchored(nlp(text))
    expected = [(s.start, s.end, s.label_, s.id_) for s in plain_doc.spans[RULES_KEY]]
    got = [(s.start, s.end, s.label_, s.id_) for s in doc.spans.get(RULES_KEY, [])]
    assert got == expected
