"""HTTP client pieces: Retry-After parsing, bounded decompression, content-type checks."""

from __future__ import annotations

import email.utils
import gzip
import time
import zlib

import pytest

from models.errors import FetchError
from sources.content import check_feed_type, check_page_body, check_page_type
from sources.http import _BoundedDecoder, _retry_after, _TooLarge

TEXT = b"<p>" + b"wind and solar " * 500 + b"</p>"


@pytest.mark.parametrize(("value", "low", "high"), [
    ("5", 5, 5), ("0", 0, 0), (None, None, None), ("soon", None, None),
    (email.utils.formatdate(time.time() + 3600, usegmt=True), 3000, 3601),
    (email.utils.formatdate(time.time() - 30, usegmt=True), 0, 0),
])
def test_retry_after(value: str | None, low: float | None, high: float | None) -> None:
    got = _retry_after(value)
    if low is None:
        assert got is None
    else:
        assert got is not None and low <= got <= high


@pytest.mark.parametrize(("encoding", "data"), [
    ("", TEXT),
    ("identity", TEXT),
    ("gzip", gzip.compress(TEXT)),
    ("x-gzip", gzip.compress(TEXT)),
    ("deflate", zlib.compress(TEXT)),
    ("deflate", zlib.compress(TEXT)[2:-4]),  # raw deflate without the zlib wrapper
])
def test_decoder_round_trip_in_small_chunks(encoding: str, data: bytes) -> None:
    decoder = _BoundedDecoder(encoding, "https://h.example/")
    out = b"".join(decoder.feed(data[i:i + 100], 10**6) for i in range(0, len(data), 100))
    assert out + decoder.finish(10**6) == TEXT


def test_decoder_stops_a_bomb_at_the_allowance() -> None:
    bomb = gzip.compress(b"\0" * 20_000_000)
    decoder = _BoundedDecoder("gzip", "https://h.example/")
    with pytest.raises(_TooLarge):
        decoder.feed(bomb, 100_000)


@pytest.mark.parametrize(("encoding", "reason"), [("br", "unsupported_encoding"), ("zstd", "unsupported_encoding")])
def test_unsupported_encodings(encoding: str, reason: str) -> None:
    with pytest.raises(FetchError) as info:
        _BoundedDecoder(encoding, "https://h.example/")
    assert info.value.reason == reason


def test_corrupt_gzip() -> None:
    with pytest.raises(FetchError) as info:
        _BoundedDecoder("gzip", "https://h.example/").feed(b"not gzip at all", 1000)
    assert info.value.reason == "bad_encoding"


@pytest.mark.parametrize(("content_type", "page_ok", "feed_ok"), [
    ("text/html; charset=utf-8", True, True),
    ("application/xhtml+xml", True, True),
    ("text/plain", True, True),
    (None, True, True),
    ("application/rss+xml", False, True),
    ("application/atom+xml", False, True),
    ("application/xml", True, True),
    ("application/pdf", False, False),
    ("image/png", False, False),
    ("application/octet-stream", False, False),
])
def test_content_type_checks(content_type: str | None, page_ok: bool, feed_ok: bool) -> None:
    for check, ok in ((check_page_type, page_ok), (check_feed_type, feed_ok)):
        if ok:
            check(content_type, "https://h.example/x")
        else:
            with pytest.raises(FetchError) as info:
                check(content_type, "https://h.example/x")
            assert "https://h.example/x" in str(info.value)


@pytest.mark.parametrize(("body", "binary"), [
    (b"%PDF-1.7 ...", True), (b"  \n%PDF-1.4", True), (b"PK\x03\x04zip", True), (b"\x89PNG\r\n", True),
    (b"<html>\x00</html>", True), (b"<!doctype html><p>hi</p>", False), ("<p>\u00e9</p>".encode("utf-16"), False),
])
def test_page_body_sniffing(body: bytes, binary: bool) -> None:
    if binary:
        with pytest.raises(FetchError) as info:
            check_page_body(body, "https://h.example/x.html")
        assert info.value.reason == "not_html"
    else:
        check_page_body(body, "https://h.example/x.html")
