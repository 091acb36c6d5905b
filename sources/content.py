"""Content-type and magic-byte checks shared by the HTTP and local-file sources (pure)."""

from __future__ import annotations

import mimetypes

from models.errors import FetchError

_BINARY_MAGIC = (
    b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"BZh", b"7z\xbc\xaf", b"Rar!",
    b"\xd0\xcf\x11\xe0", b"OggS", b"ID3", b"RIFF", b"\x00\x00\x01\x00", b"\x7fELF", b"MZ",
)
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
FEED_TYPE_HINTS = ("xml", "rss", "atom", "text/", "json")


def media_type(content_type: str | None) -> str:
    """`text/html` from `text/html; charset=utf-8`; empty when absent."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def looks_binary(body: bytes) -> bool:
    """True for PDFs, images, archives and other bytes that are certainly not a page or feed."""
    head = body[:1024].lstrip()
    if head.startswith(_BINARY_MAGIC):
        return True
    return b"\x00" in head and not body.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"))


def check_feed_type(content_type: str | None, url: str) -> None:
    """Raise FetchError `not_a_feed` when the declared type cannot be a feed (missing type is accepted)."""
    media = media_type(content_type)
    if media and not any(hint in media for hint in FEED_TYPE_HINTS):
        raise FetchError(f"{url} is served as {media}, not as an RSS/Atom feed", url=url, reason="not_a_feed")


def check_page_type(content_type: str | None, url: str) -> None:
    """Raise FetchError `not_html` when the declared type is not HTML/XHTML/text (missing type is accepted)."""
    media = media_type(content_type)
    if media and media not in PAGE_TYPES:
        raise FetchError(f"{url} is {media}, not HTML; skipped", url=url, reason="not_html")


def check_page_body(body: bytes, url: str) -> None:
    """Raise FetchError `not_html` for binary bodies whatever their name or declared type (e.g. a PDF)."""
    if looks_binary(body):
        kind = "a PDF" if body.lstrip()[:4] == b"%PDF" else "binary content"
        raise FetchError(f"{url} is {kind}, not HTML; skipped", url=url, reason="not_html")


def guess_type(path: str) -> str | None:
    """Content type of a local file from its name."""
    return mimetypes.guess_type(path)[0]
