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


@pytest.mark.parametrize(("texts", "size_mb", "copies"), [
    (["a" * 1000, "b" * 500], 0.003, 2),   # 1,500 bytes, repeated to reach 3,000
    (["ä" * 1000], 0.002, 1),              # 2,000 UTF-8 bytes already
    (["x"], 0.0, 1),                        # never fewer than one copy
])
def test_corpus_articles_repeat_a_folder_to_the_size(tmp_path, texts: list[str], size_mb: float,
                                                     copies: int) -> None:
    import json

    from benchmarks.extraction_throughput import corpus_articles

    for i, text in enumerate(texts):
        (tmp_path / f"{i}.json").write_text(json.dumps({"title": f"t{i}", "text": text}), encoding="utf-8")
    pairs = corpus_articles([tmp_path], size_mb)
    assert pairs == [(f"t{i}", t) for i, t in enumerate(texts)] * copies


@pytest.mark.parametrize(("content", "message"), [
    (None, "no corpus articles"),
    ("not json", "not a readable corpus article"),
    ('{"title": "x"}', "no 'text' string"),
])
def test_corpus_articles_name_what_is_wrong(tmp_path, content: str | None, message: str) -> None:
    from benchmarks.extraction_throughput import corpus_articles

    if content is not None:
        (tmp_path / "a.json").write_text(content, encoding="utf-8")
    with pytest.raises(SystemExit, match=message):
        corpus_articles([tmp_path])
