"""Smoke tests of the benchmark page/feed generator: deterministic, realistic sizes, valid HTML and RSS."""

from __future__ import annotations

import io

import feedparser
import lxml.html
import pytest

from benchmarks.generator import FEED_PATH_RE, PAGE_PATH_RE, NewsGenerator, feed_paths, iter_pages

GEN = NewsGenerator()


@pytest.mark.parametrize("i", [0, 1, 7, 123, 4_999, 9_999])
def test_page_is_deterministic_and_realistic(i: int) -> None:
    body = GEN.page_html(i)
    assert body == NewsGenerator().page_html(i)
    assert NewsGenerator(seed=GEN.seed + 1).page_html(i) != body
    assert 30 * 1024 <= len(body) <= 64 * 1024
    art = GEN.article(i)
    assert 300 <= art.words <= 1600
    tree = lxml.html.fromstring(body)
    assert tree.findtext(".//h1") == art.title
    story = " ".join(p.text_content() for p in tree.findall(".//div[@class='story-body']/p"))
    assert story == " ".join(art.paragraphs)
    for clutter in ("main-nav", "related", "comments", "site-footer", "author-bio"):
        assert tree.find_class(clutter), f"page {i} lacks {clutter}"
    assert PAGE_PATH_RE.match(art.path)


def test_articles_carry_facilities_units_statuses_and_traps() -> None:
    arts = [GEN.article(i) for i in range(300)]
    planted = [f for a in arts for f in a.facilities]
    assert {f.type for f in planted} >= {"solar", "wind", "hydro", "gas", "battery_storage"}
    assert {f.status for f in planted} == {"planned", "under_construction", "commissioned", "operational",
                                           "cancelled"}
    assert {f.capacity_unit for f in planted} >= {"MW", "kW", "GW", "MWp"}
    assert any(not a.facilities for a in arts), "some pages must have no facility"
    text = " ".join(p for a in arts for p in a.paragraphs)
    for trap in ("GWh", "km", "million", "combined capacity", "turbines has a rated output"):
        assert trap in text
    for f in planted:
        if f.capacity_value is not None and f.capacity_unit == "MW" and f.capacity_value >= 20:
            owner = next(a for a in arts if f in a.facilities)
            assert f"{f.capacity_value:,.0f}" in " ".join(owner.paragraphs)


@pytest.mark.parametrize("first,last", [(0, 1), (0, 250), (250, 400)])
def test_feed_lists_the_range_newest_first(first: int, last: int) -> None:
    body = GEN.feed_xml(first, last, "http://127.0.0.1:8000")
    parsed = feedparser.parse(io.BytesIO(body))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == last - first
    assert parsed.entries[0].link == f"http://127.0.0.1:8000{GEN.page_path(last - 1)}"
    assert parsed.entries[-1].link == f"http://127.0.0.1:8000{GEN.page_path(first)}"


@pytest.mark.parametrize("n,per_feed,expected", [
    (1000, 250, ["/feeds/0-250.xml", "/feeds/250-500.xml", "/feeds/500-750.xml", "/feeds/750-1000.xml"]),
    (20, 250, ["/feeds/0-20.xml"]),
    (510, 250, ["/feeds/0-250.xml", "/feeds/250-500.xml", "/feeds/500-510.xml"]),
])
def test_feed_paths_cover_the_articles_once(n: int, per_feed: int, expected: list[str]) -> None:
    paths = feed_paths(n, per_feed)
    assert paths == expected
    assert all(FEED_PATH_RE.match(p) for p in paths)


@pytest.mark.parametrize("call", [
    lambda: GEN.article(-1), lambda: GEN.feed_xml(5, 5, "http://x"), lambda: feed_paths(0), lambda: feed_paths(5, 0),
])
def test_bad_arguments_raise(call) -> None:  # noqa: ANN001
    with pytest.raises(ValueError):
        call()


def test_iter_pages_streams() -> None:
    it = iter_pages(GEN, 10_000)
    url, body = next(it)
    assert url.endswith(GEN.page_path(0)) and body.startswith(b"<!DOCTYPE html>")
