"""The anchored token-pattern component finds exactly what spaCy's span ruler finds with the same patterns."""

from __future__ import annotations

import functools

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher

from extractors.pipeline import (CUE_LABELS, RULES_KEY, AnchoredTokenRules, PhraseRules, expand_repeats,
                                 pipeline_spans, rule_cues, rule_hits, token_pattern_anchor)

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
    expected = sorted((s.start, s.end, s.label_, s.id_) for s in plain_doc.spans[RULES_KEY])
    assert rule_hits(doc) == expected
    assert not pipeline_spans(doc, RULES_KEY)  # status cues are kept as plain tuples, not spans


A, B = {"LOWER": "a"}, {"IS_ALPHA": True}


@pytest.mark.parametrize(("pattern", "expected"), [
    ([A, {**B, "OP": "{0,2}"}], [[A], [A, {**B, "OP": "{1}"}], [A, {**B, "OP": "{2}"}]]),
    ([A, {**B, "OP": "{,1}"}, A], [[A, A], [A, {**B, "OP": "{1}"}, A]]),
    ([A, {**B, "OP": "{2,3}"}], [[A, {**B, "OP": "{2}"}], [A, {**B, "OP": "{3}"}]]),
    ([A, {**B, "OP": "{2,}"}], [[A, {**B, "OP": "{2,}"}]]),                 # unbounded: as is
    ([A, {**B, "OP": "{0,99}"}], [[A, {**B, "OP": "{0,99}"}]]),             # too many: as is
    ([A, {**B, "OP": "?"}], [[A, {**B, "OP": "?"}]]),
])
def test_expand_repeats(pattern, expected):
    assert expand_repeats(pattern) == expected


@pytest.mark.parametrize("text", ["a b c a", "a", "a b", "a b c d e f a", "x a a b a"])
def test_expanded_repeats_match_the_same(text):
    nlp = spacy.blank("en")
    doc = nlp(text)
    pattern = [A, {**B, "OP": "{0,3}"}, {"LOWER": "a", "OP": "?"}]
    plain, expanded = Matcher(nlp.vocab), Matcher(nlp.vocab)
    plain.add("p", [pattern])
    expanded.add("p", expand_repeats(pattern))
    assert {(s, e) for _, s, e in plain(doc)} == {(s, e) for _, s, e in expanded(doc)}


_PHRASES = [{"label": "STATUS", "pattern": "put into operation", "id": "s.put"},
            {"label": "STATUS", "pattern": "operation", "id": "s.op"},
            {"label": "STATUS", "pattern": "operation", "id": "s.operation"},  # same words, same label: a tie
            {"label": "FACILITY", "pattern": "wind farm", "id": "f.wind"},
            {"label": "ANAPHOR", "pattern": "wind farm", "id": "a.wind"},  # same words, second label
            {"label": "STATUS", "pattern": [{"LOWER": {"IN": ["the", "a"]}, "OP": "?"}, {"LOWER": "plan"}],
             "id": "s.plan"}]  # a token pattern that cannot be anchored


@functools.cache
def _phrase_pipelines():
    plain = spacy.blank("en")
    plain.add_pipe("span_ruler", config={"spans_key": RULES_KEY, "phrase_matcher_attr": "LOWER",
                                         "overwrite": True}).add_patterns(_PHRASES)
    nlp = spacy.blank("en")
    return plain, nlp, PhraseRules(nlp, _PHRASES)


@given(st.lists(st.sampled_from(["Put", "put", "into", "operation", "Wind", "wind", "farm", "the", "a", "plan",
                                 ",", ".", "x"]), max_size=25).map(" ".join))
@settings(max_examples=200, deadline=None)
def test_phrase_rules_match_span_ruler(text):
    plain, nlp, rules = _phrase_pipelines()
    plain_doc, doc = plain(text), rules(nlp(text))
    expected = sorted((s.start, s.end, s.label_, s.id_) for s in plain_doc.spans[RULES_KEY])
    assert rule_hits(doc) == expected
    # the cues are in the order spaCy gives the same spans (ties at one place broken alike)
    assert [(c[5], c[6], c[4]) for c in rule_cues(doc)] == [
        (s.start, s.end, s.id_) for s in plain_doc.spans[RULES_KEY] if s.label_ in CUE_LABELS]


@functools.cache
def _token_pipelines():
    from extractors.pattern_files import default_pattern_set

    patterns = [p for p in default_pattern_set().token_patterns
                if not isinstance(p["pattern"], str) and token_pattern_anchor(p["pattern"]) is not None]
    plain = spacy.blank("en")
    # spaCy follows every path of a `{0,34}` repeat: the reference gets the (equivalent) expanded alternatives
    plain.add_pipe("span_ruler", config={"spans_key": RULES_KEY}).add_patterns(
        [{**p, "pattern": q} for p in patterns for q in expand_repeats(p["pattern"])])
    nlp = spacy.blank("en")
    return plain, nlp, AnchoredTokenRules(nlp, patterns)


# first words (in several cases and glued to punctuation, where the token is not the word), the words the patterns
# require after them, and filler
_TOKEN_WORDS = ["put", "Put", "PUT", "brought", "been", "works", "Construction", "agreement", "Licence", "deal.The",
                "put-in", "output", "revoked", "denied", "voted", "withdrew", "progress", "into", "operation",
                "online", "on", "stream", "supplying", "since", "from", "project", "annulled", "the", "permit",
                "to", "reject", "reached", "40", "percent", "of", "plant", ",", ".", "x", "'s"]


@given(st.lists(st.sampled_from(_TOKEN_WORDS), max_size=14).map(" ".join))
@settings(max_examples=60, deadline=None)
def test_anchored_rules_match_span_ruler_on_the_real_patterns(text):
    plain, nlp, anchored = _token_pipelines()
    plain_doc, doc = plain(text), anchored(nlp(text))
    assert rule_hits(doc) == sorted((s.start, s.end, s.label_, s.id_) for s in plain_doc.spans[RULES_KEY])
