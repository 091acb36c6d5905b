"""canonical_url / article_id: table of normalisations plus hypothesis properties."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.urls import article_id, canonical_url, is_tracking_param


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTP://Example.COM/a", "http://example.com/a"),
    ("http://example.com:80/a", "http://example.com/a"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("https://example.com:8443/a", "https://example.com:8443/a"),
    ("https://example.com/a#comments", "https://example.com/a"),
    ("https://example.com/a/", "https://example.com/a"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com//", "https://example.com/"),
    ("https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"),
    ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
    ("https://example.com/a?id=7&fbclid=XYZ&gclid=1&mc_cid=2&mc_eid=3&ref=home&yclid=4&_ga=5",
     "https://example.com/a?id=7"),
    ("https://example.com/a?UTM_Campaign=x&page=2", "https://example.com/a?page=2"),
    ("https://example.com/p%7ea", "https://example.com/p%7Ea"),
    ("https://example.com/caf\u00e9", "https://example.com/caf%C3%A9"),
    ("https://Example.com./a", "https://example.com/a"),
    ("https://[2001:DB8::1]:443/x", "https://[2001:db8::1]/x"),
    ("  https://example.com/a  ", "https://example.com/a"),
    ("file:///tmp/pages/a.html#x", "file:///tmp/pages/a.html"),
])
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_local_path_becomes_absolute_file_uri(tmp_path) -> None:
    page = tmp_path / "pages" / "a.html"
    assert canonical_url(str(page)) == page.resolve().as_uri()


@pytest.mark.parametrize(("name", "tracking"), [
    ("utm_source", True), ("utm_whatever", True), ("fbclid", True), ("GCLID", True), ("mc_eid", True),
    ("ref", True), ("_ga", True), ("id", False), ("page", False), ("q", False), ("reference", False),
])
def test_tracking_params(name: str, tracking: bool) -> None:
    assert is_tracking_param(name) is tracking


def test_article_id_is_sixteen_hex_chars_and_differs_by_path() -> None:
    a, b = article_id("https://example.com/a"), article_id("https://example.com/b")
    assert len(a) == 16 and int(a, 16) >= 0
    assert a != b


_label = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
_hosts = st.lists(_label, min_size=1, max_size=3).map(lambda parts: ".".join(parts) + ".example")
_segment = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC0123456789-_.~%é", min_size=0, max_size=8)
_params = st.lists(st.tuples(st.sampled_from(["id", "page", "q", "lang", "x"]),
                             st.text(alphabet="abc123 &=+/é", max_size=6)), max_size=4)
_tracking = st.lists(st.tuples(st.sampled_from(["utm_source", "utm_medium", "fbclid", "gclid", "mc_cid",
                                                "mc_eid", "ref", "yclid", "_ga"]),
                               st.text(alphabet="abc123", max_size=6)), min_size=1, max_size=4)


@st.composite
def urls(draw: st.DrawFn) -> tuple[str, str]:
    """(url, the same url with tracking parameters mixed in, a fragment and case changes)."""
    scheme = draw(st.sampled_from(["http", "https"]))
    host = draw(_hosts)
    port = draw(st.sampled_from(["", ":80" if scheme == "http" else ":443", ":8080"]))
    path = "/" + "/".join(draw(st.lists(_segment, max_size=4)))
    params = draw(_params)
    tracking = draw(_tracking)
    plain = f"{scheme}://{host}{port}{path}" + (f"?{urlencode(params)}" if params else "")
    mixed_params = list(params) + list(tracking)
    mixed_params = draw(st.permutations(mixed_params))
    noisy = f"{scheme.upper()}://{host.upper()}{port}{path}?{urlencode(mixed_params)}#{draw(_label)}"
    return plain, noisy


@settings(max_examples=100, deadline=None)
@given(urls())
def test_canonical_url_is_idempotent(pair: tuple[str, str]) -> None:
    for url in pair:
        once = canonical_url(url)
        assert canonical_url(once) == once


@settings(max_examples=100, deadline=None)
@given(urls())
def test_tracking_params_fragments_and_case_never_change_the_id(pair: tuple[str, str]) -> None:
    plain, noisy = pair
    assert article_id(plain) == article_id(noisy)
