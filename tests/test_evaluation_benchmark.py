"""The throughput benchmark's text generator and result shape (no timing assertions: benchmarks are not tests)."""

from __future__ import annotations

import importlib.util

import pytest

from benchmarks.extraction_throughput import generate_articles, run


@pytest.mark.parametrize("size_mb", [0.01, 0.05])
def test_generator_reaches_size_and_is_deterministic(size_mb: float) -> None:
    articles = generate_articles(size_mb)
    assert sum(len(text.encode("utf-8")) for _, text in articles) >= size_mb * 1_000_000
    assert articles == generate_articles(size_mb)
    assert all(title and "\n\n" in text for title, text in articles)


def test_generated_text_carries_facilities_and_traps() -> None:
    text = "\n".join(t for _, t in generate_articles(0.05))
    for needle in (" MW", "kWh", "%", "$", "each", "district", "LLP"):
        assert needle in text


@pytest.mark.skipif(importlib.util.find_spec("extractors.pipeline") is None, reason="extractor not built yet")
def test_run_reports_both_paths_and_ratio() -> None:
    result = run(size_mb=0.01, repeats=1)
    assert result["words"] > 1000
    assert result["tokenizer_words_per_s"] > 0 and result["extraction_words_per_s"] > 0
    assert result["ratio"] == pytest.approx(result["extraction_words_per_s"] / result["tokenizer_words_per_s"],
                                            abs=1e-4)
