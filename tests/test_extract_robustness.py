"""Any text goes in, valid records come out: offsets inside the text, no exceptions, batch == single."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.pipeline import build_nlp, extract, extract_batch
from models.records import Article

WORDS = ["the", "The", "a", "of", "in", "near", "village", "district", "region", "plant", "plants", "solar", "wind",
         "farm", "park", "HPP", "MW", "GW", "kW", "MWh", "40", "1,200", "2.5", "each", "respectively", "and", ",",
         ".", "(", ")", "Kazakhstan", "Almaty", "Karagandy", "Ltd", "LLP", "Steppe", "Power", "was", "will", "be",
         "built", "commissioned", "scrapped", "by", "2027", "It", "Both", "first", "second", "\n\n", "-", "/",
         "town", "of", "total", "combined", "capacity", "with", "turbines", "units"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), max_size=60), st.one_of(st.none(), st.text(max_size=40)))
def test_any_text_gives_valid_records(words: list[str], title: str | None) -> None:
    text = " ".join(words)
    result = extract(text, doc_id="h", title=title)
    for f in result.facilities:
        assert 0 <= (f.start_char or 0) <= (f.end_char or 0) <= len(text)
        assert f.capacity_mw is None or f.capacity_mw >= 0
        assert f.sentence is not None
    for m in result.organisations:
        assert 0 <= m.start_char <= m.end_char <= len(text)


@pytest.mark.parametrize("batch_size", [1, 2, 32])
def test_batch_equals_single(batch_size: int) -> None:
    texts = [
        "A 40 MW solar park was commissioned near the village of Tortkol.",
        "",
        "Two wind farms of 50 MW each will be built in the Akmola and Kostanay regions.",
    ]
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    articles = [Article(article_id=f"a{i}", url=f"file:///a{i}", canonical_url=f"file:///a{i}", text=t,
                        content_hash=str(i), fetched_at=now, source="test") for i, t in enumerate(texts)]
    batch = extract_batch(articles, build_nlp(), batch_size=batch_size)
    assert [r.id for r in batch] == ["a0", "a1", "a2"]
    for article, result in zip(articles, batch, strict=True):
        single = extract(article.text, doc_id=article.article_id, source="test")
        assert [f.model_dump() for f in result.facilities] == [f.model_dump() for f in single.facilities]


def test_batch_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        extract_batch([], build_nlp(), batch_size=0)
