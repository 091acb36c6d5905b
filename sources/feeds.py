"""Feed parsing: bytes we fetched ourselves in, `FeedEntry` records out (pure, no I/O).

feedparser tries any str/bytes as a path or URL first, so the body goes in as `io.BytesIO`. Document type
declarations and entity declarations are removed before parsing: external entities then cannot be resolved
and entity bombs cannot expand (undefined references stay literal text).
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import logging
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

import feedparser

from models.errors import FeedError
from models.records import FeedEntry
from sources.local import local_path

log = logging.getLogger(__name__)

_DECL = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""", re.IGNORECASE)
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
)


def strip_declarations(body: bytes) -> tuple[bytes, int]:
    """Remove every `<!DOCTYPE ...>` (with its internal subset) and `<!ENTITY ...>`; returns (body, count)."""
    out = bytearray()
    pos = removed = 0
    while (m := _DECL.search(body, pos)) is not None:
        out += body[pos:m.start()]
        pos = _declaration_end(body, m.end())
        removed += 1
    out += body[pos:]
    return bytes(out), removed


def _declaration_end(body: bytes, i: int) -> int:
    """Index just after the `>` closing a declaration, skipping quoted strings and `[...]` subsets."""
    quote: int | None = None
    depth = 0
    n = len(body)
    while i < n:
        c = body[i]
        if quote is not None:
            if c == quote:
                quote = None
        elif c in (0x22, 0x27):  # " '
            quote = c
        elif c == 0x5B:  # [
            depth += 1
        elif c == 0x5D:  # ]
            depth = max(0, depth - 1)
        elif c == 0x3E and depth == 0:  # >
            return i + 1
        i += 1
    return n  # unterminated: drop the rest


def _to_utf8(body: bytes) -> bytes:
    """Re-encode UTF-16/32 feeds (by BOM) as UTF-8 so the byte-level declaration scan sees them."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            text = body[len(bom):].decode(codec, errors="replace")
            return _XML_ENCODING.sub(r"\1", text, count=1).encode("utf-8")
    return body


def parse_feed(body: bytes, location: str, max_bytes: int, *, content_type: str | None = None,
               base: str | None = None) -> list[FeedEntry]:
    """Parse an RSS 2.0 / Atom feed body into entries; links resolved against `base` (default `location`,
    e.g. the final URL after redirects, or the feed file's folder for a local feed).

    Raises FeedError (reason `too_large`, `malformed_feed` or `not_a_feed`) naming the location. A malformed
    feed that still yields entries keeps them (logged as a warning).
    """
    if len(body) > max_bytes:
        raise FeedError(f"feed {location} is {len(body)} bytes, over the {max_bytes}-byte cap",
                        url=location, reason="too_large")
    body, removed = strip_declarations(_to_utf8(body))
    if removed:
        log.warning("feed %s: removed %d DOCTYPE/ENTITY declaration(s) before parsing", location, removed)
    headers = {"content-type": content_type} if content_type else {}
    base = base or location
    http_base = _is_http(base)
    if http_base:
        headers["content-location"] = base
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers, resolve_relative_uris=True,
                              sanitize_html=True)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    raw_entries = parsed.get("entries") or []
    if not raw_entries:
        if problem is not None and not _benign(problem):
            raise FeedError(f"feed {location} is malformed and has no readable entries: {problem}",
                            url=location, reason="malformed_feed")
        if not parsed.get("version"):
            raise FeedError(f"{location} is not an RSS or Atom feed (no channel/feed element found)",
                            url=location, reason="not_a_feed")
        return []
    if problem is not None and not _benign(problem):
        log.warning("feed %s is malformed (%s); kept %d recovered entries", location, problem, len(raw_entries))
    entries: list[FeedEntry] = []
    for index, raw in enumerate(raw_entries):
        link = _entry_link(raw)
        if not link:
            log.warning("feed %s: entry %d (%r) has no link; skipped", location, index, raw.get("title"))
            continue
        entries.append(FeedEntry(
            feed=location,
            url=_resolve(link, base, http_base),
            title=_clean(raw.get("title")),
            published=_entry_date(raw),
            author=_clean(raw.get("author")),
            summary=_entry_content(raw),
        ))
    return entries


def _benign(problem: BaseException) -> bool:
    return isinstance(problem, (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType))


def _is_http(location: str) -> bool:
    return urlsplit(location).scheme.lower() in ("http", "https")


def _entry_link(raw: feedparser.FeedParserDict) -> str | None:
    link = raw.get("link")
    if not link:
        for candidate in raw.get("links") or []:
            if candidate.get("href") and candidate.get("rel", "alternate") == "alternate":
                link = candidate["href"]
                break
    if not link and raw.get("guidislink"):
        link = raw.get("id")
    return link.strip() if link else None


def _resolve(link: str, location: str, http_base: bool) -> str:
    """Absolute link: joined with an http feed URL, or a file:// URI next to a local feed file."""
    if urlsplit(link).scheme:
        return link
    if http_base:
        return urljoin(location, link)
    feed_path = local_path(location)
    return (feed_path.resolve().parent / unquote(link.split("#", 1)[0])).resolve().as_uri()


def _entry_date(raw: feedparser.FeedParserDict) -> dt.datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = raw.get(key)
        if value:
            try:
                return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.timezone.utc)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _entry_content(raw: feedparser.FeedParserDict) -> str | None:
    """The richest HTML the entry carries: full content over summary."""
    best = ""
    for item in raw.get("content") or []:
        value = item.get("value") or ""
        if len(value) > len(best):
            best = value
    summary = raw.get("summary") or ""
    if len(summary) > len(best):
        best = summary
    return best or None


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


@dataclass
class FeedFetch:
    """The result of polling one feed; `not_modified` means a conditional GET said nothing changed."""

    location: str
    entries: list[FeedEntry] = field(default_factory=list)
    etag: str | None = None
    modified: str | None = None
    not_modified: bool = False
