"""Feed parsing: RSS 2.0, Atom, malformed feeds, DOCTYPE/ENTITY stripping, entity bombs, XXE, local feeds."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from models.errors import FeedError, FetchError
from models.records import FeedEntry
from models.settings import Settings
from sources import open_source, parse_feed
from sources.feeds import strip_declarations

CAP = 1_000_000

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Grid Wire</title><link>https://news.example/</link>
<item><title>Council backs 40 MW solar park</title><link>https://news.example/solar?utm_source=rss</link>
<pubDate>Tue, 05 Mar 2024 09:30:00 +0000</pubDate><author>desk@news.example (Ana Lind)</author>
<description>Short teaser.</description>
<content:encoded><![CDATA[<p>The full story of the solar park, with <b>details</b>.</p>]]></content:encoded></item>
<item><title>Relative link</title><link>/wind/farm-2</link><description>&lt;p&gt;Wind.&lt;/p&gt;</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Trade press</title><id>urn:x</id>
<updated>2024-04-01T10:00:00Z</updated>
<entry><title>Battery storage tender</title><id>urn:1</id>
<link rel="alternate" href="https://trade.example/battery"/><link rel="enclosure" href="https://trade.example/x.mp3"/>
<published>2024-04-01T08:15:00+02:00</published><author><name>Ben Okafor</name></author>
<summary type="html">&lt;p&gt;A 100 MWh battery.&lt;/p&gt;</summary></entry>
</feed>"""


def test_rss_entries_with_content_dates_and_authors() -> None:
    entries = parse_feed(RSS, "https://news.example/feed.xml", CAP)
    assert [e.title for e in entries] == ["Council backs 40 MW solar park", "Relative link"]
    first, second = entries
    assert first.url == "https://news.example/solar?utm_source=rss"
    assert first.published == dt.datetime(2024, 3, 5, 9, 30, tzinfo=dt.timezone.utc)
    assert first.author and "Ana Lind" in first.author
    assert "full story" in (first.summary or "")  # content:encoded beats the teaser
    assert second.url == "https://news.example/wind/farm-2"
    assert all(e.feed == "https://news.example/feed.xml" for e in entries)


def test_atom_entry() -> None:
    (entry,) = parse_feed(ATOM, "https://trade.example/atom", CAP)
    assert entry.url == "https://trade.example/battery"
    assert entry.author == "Ben Okafor"
    assert entry.published == dt.datetime(2024, 4, 1, 6, 15, tzinfo=dt.timezone.utc)
    assert "100 MWh" in (entry.summary or "")


def test_links_resolve_against_the_final_url_after_redirects() -> None:
    entries = parse_feed(RSS, "https://news.example/feed.xml", CAP, base="https://cdn.example/feeds/main.xml")
    assert entries[1].url == "https://cdn.example/wind/farm-2"
    assert entries[1].feed == "https://news.example/feed.xml"


@pytest.mark.parametrize(("body", "reason"), [
    (b"this is not xml at all <<<", "malformed_feed"),
    (b"<rss version='2.0'><channel><title>cut off", "malformed_feed"),
    (b"<html><body><p>Just a page.</p></body></html>", "not_a_feed"),
    (b"", "not_a_feed"),
])
def test_unreadable_feeds_raise_feed_error_naming_the_location(body: bytes, reason: str) -> None:
    with pytest.raises(FeedError) as info:
        parse_feed(body, "https://bad.example/feed", CAP)
    assert info.value.reason == reason
    assert "https://bad.example/feed" in str(info.value)


def test_malformed_feed_keeps_recovered_entries() -> None:
    body = (b"<?xml version='1.0'?><rss version='2.0'><channel>"
            b"<item><title>Kept</title><link>https://a.example/1</link></item>"
            b"<item><title>Broken &bogus; <link>https://a.example/2</link></item>")
    entries = parse_feed(body, "https://a.example/feed", CAP)
    assert [e.url for e in entries][:1] == ["https://a.example/1"]


def test_valid_feed_without_entries_is_empty_not_an_error() -> None:
    assert parse_feed(b"<rss version='2.0'><channel><title>Quiet</title></channel></rss>", "f", CAP) == []


def test_size_cap() -> None:
    with pytest.raises(FeedError) as info:
        parse_feed(RSS, "https://news.example/feed.xml", max_bytes=100)
    assert info.value.reason == "too_large"


@pytest.mark.parametrize(("body", "kept"), [
    (b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "http://x/rss.dtd"><rss/>',
     b'<?xml version="1.0"?><rss/>'),
    (b'<!DOCTYPE r [<!ENTITY a "x>y"> <!ENTITY b \']]>\'>]><r>&a;</r>', b"<r>&a;</r>"),
    (b'<!doctype r [ <!ENTITY % p SYSTEM "file:///etc/passwd"> %p; ]><r/>', b"<r/>"),
    (b'<r><!ENTITY stray "z"></r>', b"<r></r>"),
    (b"<r>no declarations</r>", b"<r>no declarations</r>"),
])
def test_strip_declarations(body: bytes, kept: bytes) -> None:
    assert strip_declarations(body)[0] == kept


def _billion_laughs(levels: int = 10) -> bytes:
    lines = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{"".join(f"&lol{i - 1};" for _ in range(10))}">' for i in range(1, levels)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(lines) + "\n]>\n"
            f'<rss version="2.0"><channel><item><title>&lol{levels - 1};</title>'
            "<link>https://bomb.example/a</link></item></channel></rss>").encode()


def test_billion_laughs_is_harmless() -> None:
    started = time.perf_counter()
    entries = parse_feed(_billion_laughs(), "https://bomb.example/feed", CAP)
    assert time.perf_counter() - started < 2
    assert len(entries) == 1
    assert "lollol" not in (entries[0].title or "")


def test_quadratic_blowup_is_harmless() -> None:
    big = "A" * 10_000
    refs = "&big;" * 5_000
    body = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "{big}">]><rss version="2.0"><channel>'
            f"<item><title>t</title><link>https://q.example/a</link><description>{refs}</description>"
            "</item></channel></rss>").encode()
    entries = parse_feed(body, "https://q.example/feed", CAP)
    assert len(entries[0].summary or "") < 100_000


def test_xxe_never_reads_local_files(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN-4711")
    body = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">'
            f'<!ENTITY xxe2 SYSTEM "{secret}">]>'
            '<rss version="2.0"><channel><item><title>&xxe;</title><link>https://x.example/a</link>'
            "<description>&xxe2; and &xxe;</description><author>&xxe;</author></item></channel></rss>").encode()
    entries = parse_feed(body, "https://x.example/feed", CAP)
    assert "TOP-SECRET" not in repr(entries)


def test_utf16_feed_with_doctype_is_normalised() -> None:
    text = ('<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss [<!ENTITY x "y">]>'
            '<rss version="2.0"><channel><item><title>Vindkraft \u00e5r</title>'
            "<link>https://u.example/a</link></item></channel></rss>")
    (entry,) = parse_feed(text.encode("utf-16"), "https://u.example/feed", CAP)
    assert entry.title == "Vindkraft \u00e5r"


def test_entries_without_links_are_skipped() -> None:
    body = (b"<rss version='2.0'><channel><item><title>No link</title></item>"
            b"<item><title>Linked</title><link>https://l.example/a</link></item></channel></rss>")
    assert [e.title for e in parse_feed(body, "https://l.example/feed", CAP)] == ["Linked"]


# --- local feeds through the Source ----------------------------------------------------------------------

LOCAL_FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>
<item><title>A</title><link>pages/a.html</link></item>
<item><title>B</title><link>https://remote.example/b</link></item>
</channel></rss>"""


@pytest.fixture()
def local_settings() -> Settings:
    return Settings(parse_deadline=0)


def test_local_feed_links_resolve_against_the_feed_folder(tmp_path, local_settings) -> None:
    feed = tmp_path / "feeds" / "feed.xml"
    feed.parent.mkdir()
    feed.write_bytes(LOCAL_FEED)
    for location in (str(feed), feed.as_uri()):
        with open_source(local_settings) as source:
            fetched = source.fetch_feed(location)
        assert [e.url for e in fetched.entries] == [(tmp_path / "feeds" / "pages" / "a.html").as_uri(),
                                                    "https://remote.example/b"]


def test_local_feed_etag_gives_not_modified(tmp_path, local_settings) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(LOCAL_FEED)
    with open_source(local_settings) as source:
        first = source.fetch_feed(str(feed))
        again = source.fetch_feed(str(feed), etag=first.etag)
        feed.write_bytes(LOCAL_FEED.replace(b"<title>A</title>", b"<title>A2</title>"))
        changed = source.fetch_feed(str(feed), etag=first.etag)
    assert not first.not_modified and again.not_modified and again.entries == []
    assert not changed.not_modified and changed.entries[0].title == "A2"


@pytest.mark.parametrize(("make", "reason"), [
    (lambda p: p / "absent.xml", "not_found"),
    (lambda p: p, "not_a_file"),
])
def test_local_feed_errors(tmp_path, local_settings, make, reason: str) -> None:
    with open_source(local_settings) as source, pytest.raises(FetchError) as info:
        source.fetch_feed(str(make(tmp_path)))
    assert info.value.reason == reason


def test_local_feed_over_the_cap(tmp_path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(LOCAL_FEED)
    with open_source(Settings(parse_deadline=0, max_bytes=50)) as source, pytest.raises(FetchError) as info:
        source.fetch_feed(str(feed))
    assert info.value.reason == "too_large"


def test_unsupported_scheme(local_settings) -> None:
    with open_source(local_settings) as source, pytest.raises(FetchError) as info:
        source.fetch_feed("ftp://files.example/feed.xml")
    assert info.value.reason == "unsupported_scheme"


def test_feed_parsing_in_the_deadline_worker(tmp_path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(_billion_laughs())
    with open_source(Settings(parse_deadline=10)) as source:
        fetched = source.fetch_feed(str(feed))
        with pytest.raises(FeedError) as info:
            (tmp_path / "bad.xml").write_bytes(b"<<< not a feed")
            source.fetch_feed(str(tmp_path / "bad.xml"))
    assert fetched.entries[0].url == "https://bomb.example/a"
    assert info.value.reason == "malformed_feed" and str(tmp_path / "bad.xml") in str(info.value)


def test_local_pages_types_and_fallback(tmp_path, local_settings) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text("<html><body><p>Local page.</p></body></html>")
    (tmp_path / "pages" / "report.html").write_bytes(b"%PDF-1.5 not really html")
    (tmp_path / "pages" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    long_summary = "<p>" + "The feed carries the whole story here. " * 20 + "</p>"
    with open_source(Settings(parse_deadline=0, min_fallback_chars=200)) as source:
        page = source.fetch_page(FeedEntry(feed=str(tmp_path / "feed.xml"), url=str(tmp_path / "pages" / "a.html")))
        assert page.final_url == (tmp_path / "pages" / "a.html").as_uri() and page.content_type == "text/html"
        for name, reason in (("report.html", "not_html"), ("photo.png", "not_html"), ("gone.html", "not_found")):
            entry = FeedEntry(feed="feed.xml", url=(tmp_path / "pages" / name).as_uri())
            with pytest.raises(FetchError) as info:
                source.fetch_page(entry)
            assert info.value.reason == reason
        fallback = source.fetch_page(FeedEntry(feed="feed.xml", url=(tmp_path / "pages" / "gone.html").as_uri(),
                                               summary=long_summary))
    assert fallback.from_feed_content and fallback.fallback_reason == "not_found"
    assert fallback.body == long_summary.encode()


def test_local_feed_in_a_folder_with_spaces(tmp_path, local_settings) -> None:
    folder = tmp_path / "my feeds"
    folder.mkdir()
    (folder / "feed.xml").write_bytes(LOCAL_FEED.replace(b"pages/a.html", b"my%20pages/a.html"))
    with open_source(local_settings) as source:
        fetched = source.fetch_feed((folder / "feed.xml").as_uri())
    assert fetched.entries[0].url == (folder / "my pages" / "a.html").as_uri()
