"""Main text: trafilatura text and metadata, boilerplate and comments removed, skip reasons, articles."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from extractors.main_text import (
    MainTextError, english_score, extract_articles, extract_main_text, fragment_to_text, is_english,
    page_to_article,
)
from models.records import FeedEntry, Page
from models.settings import Settings
from pages import (
    CP1251_PARAGRAPHS, ENGLISH_PAGE, ENGLISH_PARAGRAPHS, LATIN1_PARAGRAPHS, NAV_ONLY_PAGE, RUSSIAN_PAGE,
    RUSSIAN_PARAGRAPHS, article_page,
)
from sources.urls import article_id

NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.timezone.utc)


def make_page(body: bytes, url: str = "https://grid.example/news/solar-park", *, content_type: str | None =
              "text/html", entry_url: str | None = None, **entry: object) -> Page:
    e = FeedEntry(feed="https://grid.example/feed.xml", url=entry_url or url, **entry)  # type: ignore[arg-type]
    return Page(entry=e, final_url=url, body=body, content_type=content_type, fetched_at=NOW)


def test_text_and_metadata_without_boilerplate_or_comments() -> None:
    main = extract_main_text(ENGLISH_PAGE.encode(), "https://grid.example/news/solar-park")
    assert ENGLISH_PARAGRAPHS[0] in main.text and ENGLISH_PARAGRAPHS[-1] in main.text
    assert "COMMENT-MARKER" not in main.text
    assert "Offshore auction delayed" not in main.text and "All rights reserved" not in main.text
    assert main.title == "Council approves 45 MW solar park"
    assert main.author == "Mara Quinn"
    assert main.date == dt.date(2024, 5, 14)
    assert main.site == "Grid Ledger"


@pytest.mark.parametrize(("paragraphs", "codec", "header", "needle"), [
    (CP1251_PARAGRAPHS, "cp1251", "text/html; charset=windows-1251", "Солнечный Ветер"),
    (CP1251_PARAGRAPHS, "cp1251", "text/html", "Солнечный Ветер"),  # only <meta charset>
    (LATIN1_PARAGRAPHS, "latin-1", "text/html; charset=ISO-8859-1", "Müller Énergie"),
    (LATIN1_PARAGRAPHS, "latin-1", None, "Société Réseaux Nord"),
])
def test_non_utf8_pages_are_decoded_right(paragraphs, codec: str, header: str | None, needle: str) -> None:
    body = article_page(paragraphs, charset="windows-1251" if codec == "cp1251" else "iso-8859-1").encode(codec)
    main = extract_main_text(body, "https://grid.example/a", content_type=header)
    assert needle in main.text


@pytest.mark.parametrize(("body", "reason"), [
    (RUSSIAN_PAGE.encode("utf-8"), "not_english"),
    (RUSSIAN_PAGE.replace('charset="utf-8"', 'charset="windows-1251"').encode("cp1251"), "not_english"),
    (b"", "no_text"),
    (b"   \n  ", "no_text"),
    (NAV_ONLY_PAGE.encode(), "no_text"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj", "not_html"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not_html"),
])
def test_skip_reasons(body: bytes, reason: str) -> None:
    with pytest.raises(MainTextError) as info:
        extract_main_text(body, "https://grid.example/x")
    assert info.value.reason == reason
    assert "https://grid.example/x" in str(info.value)


@pytest.mark.parametrize(("text", "english"), [
    (" ".join(ENGLISH_PARAGRAPHS), True),
    (" ".join(RUSSIAN_PARAGRAPHS), False),
    ("Die Regionalregierung hat am Dienstag den Bau eines Solarparks mit 45 MW auf ehemaligen Ackerflächen "
     "nördlich des Flusses genehmigt, teilte der Projektentwickler mit. Der Bau soll im kommenden Frühjahr "
     "beginnen und die Anlage bis Ende 2026 ans Netz gehen, so das Unternehmen, das bereits zwei Windparks "
     "im selben Landkreis betreibt.", False),
    ("Solar park approved.", True),  # too short to judge
])
def test_is_english(text: str, english: bool) -> None:
    assert is_english(text) is english, english_score(text)


def test_require_english_can_be_switched_off() -> None:
    main = extract_main_text(RUSSIAN_PAGE.encode(), require_english=False)
    assert RUSSIAN_PARAGRAPHS[0][:40] in main.text


def test_page_to_article_ids_hashes_and_dates() -> None:
    a = page_to_article(make_page(ENGLISH_PAGE.encode(), "https://grid.example/news/solar-park?utm_source=rss"))
    b = page_to_article(make_page(ENGLISH_PAGE.encode(), "https://GRID.example/news/solar-park/#top"))
    assert a.article_id == b.article_id == article_id("https://grid.example/news/solar-park")
    assert a.canonical_url == "https://grid.example/news/solar-park"
    assert a.content_hash == b.content_hash
    assert a.published == dt.date(2024, 5, 14)
    assert a.source == "https://grid.example/feed.xml"
    changed = page_to_article(make_page(ENGLISH_PAGE.replace("45 MW", "50 MW").encode()))
    assert changed.content_hash != a.content_hash


def test_article_falls_back_to_entry_metadata() -> None:
    html = f"<html><body><article>{''.join(f'<p>{p}</p>' for p in ENGLISH_PARAGRAPHS)}</article></body></html>"
    page = make_page(html.encode(), title="Entry title", author="Entry Author",
                     published=dt.datetime(2024, 2, 3, 4, 5, tzinfo=dt.timezone.utc))
    art = page_to_article(page)
    assert art.title == "Entry title" and art.author == "Entry Author"
    assert art.published == dt.date(2024, 2, 3)


def test_article_from_feed_content() -> None:
    summary = "".join(f"<p>{p}</p>" for p in ENGLISH_PARAGRAPHS) + "<script>alert(1)</script>"
    page = make_page(summary.encode(), "https://grid.example/gone", title="From the feed")
    page = page.model_copy(update={"from_feed_content": True, "fallback_reason": "http_404"})
    art = page_to_article(page)
    assert art.text.split("\n") == ENGLISH_PARAGRAPHS
    assert art.title == "From the feed" and art.article_id == article_id("https://grid.example/gone")


def test_fragment_to_text() -> None:
    assert fragment_to_text("<p>One &amp; two</p><ul><li>three</li><li>four</li></ul>") == \
        "One & two\nthree\nfour"
    assert fragment_to_text("plain words") == "plain words"
    assert fragment_to_text("") == ""


def test_extract_articles_in_process_and_isolated_agree() -> None:
    pages = [make_page(ENGLISH_PAGE.encode(), f"https://grid.example/{i}") for i in range(3)]
    pages.append(make_page(RUSSIAN_PAGE.encode(), "https://grid.example/ru"))
    pages.append(make_page(b"%PDF-1.4", "https://grid.example/pdf"))
    plain = extract_articles(pages, Settings(), isolate=False)
    isolated = extract_articles(pages, Settings(parse_deadline=30, workers=2))
    describe = [lambda r: getattr(r, "reason", None) or r.article_id]
    assert [describe[0](r) for r in plain] == [describe[0](r) for r in isolated]
    assert [getattr(r, "reason", None) for r in isolated][-2:] == ["not_english", "not_html"]


def test_extraction_past_the_deadline_is_killed() -> None:
    huge = article_page(ENGLISH_PARAGRAPHS * 3000).encode()  # a few MB of HTML: far more than 50 ms of work
    small = make_page(ENGLISH_PAGE.encode(), "https://grid.example/ok")
    results = extract_articles([make_page(huge, "https://grid.example/huge"), small],
                               Settings(parse_deadline=0.05, workers=1))
    assert isinstance(results[0], MainTextError) and results[0].reason == "timeout"
    assert "https://grid.example/huge" in str(results[0])
    # the killed worker was replaced: the next page may still be too slow for 50 ms, but it is not a crash
    assert getattr(results[1], "reason", "ok") in ("ok", "timeout")


def test_extraction_workers_stay_warm_between_batches() -> None:
    from extractors import main_text

    pages = [make_page(ENGLISH_PAGE.encode(), f"https://grid.example/w{i}") for i in range(2)]
    extract_articles(pages, Settings(parse_deadline=30, workers=1))
    starts = sum(w.starts for w in main_text._POOL._idle)
    started = time.perf_counter()
    again = extract_articles(pages, Settings(parse_deadline=30, workers=1))
    assert sum(w.starts for w in main_text._POOL._idle) == starts  # no new child process
    assert time.perf_counter() - started < 1.0
    assert all(not isinstance(r, MainTextError) for r in again)
