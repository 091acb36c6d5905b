"""`Source`: feeds and pages from http(s) URLs or local files behind one small interface."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
import threading
from urllib.parse import urlsplit

import httpx

from models.errors import FeedError, FetchError
from models.records import FeedEntry, Page
from models.settings import Settings
from sources.content import check_page_body
from sources.deadline import DeadlineExceeded, DeadlineWorker, WorkerCrashed
from sources.feeds import FeedFetch, parse_feed
from sources.http import HttpClient
from sources.local import fetch_local_page, local_feed_bytes
from sources.ssrf import Resolver
from sources.urls import is_http_url

log = logging.getLogger(__name__)

# FetchError reasons that mean "not for us" (the entry is *skipped*); any other reason means *failed*.
FETCH_SKIP_REASONS = frozenset({"robots_disallowed", "too_large", "not_html"})
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def visible_text(fragment: str | None) -> str:
    """Text of an HTML fragment with tags removed and whitespace collapsed (for the fallback length test)."""
    if not fragment:
        return ""
    without_code = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", fragment)
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", without_code))).strip()


def _is_local(location: str) -> bool:
    scheme = urlsplit(location).scheme.lower()
    return scheme in ("", "file") or (len(scheme) == 1 and location[1:2] == ":")  # Windows drive letter


class Source:
    """Fetches feeds and pages; http(s) through the guarded `HttpClient`, everything else from local files.

    Feed parsing runs in a killable worker with `settings.parse_deadline` (0 = in-process). Use as a context
    manager, or call `close()`: it closes the HTTP client and stops the worker.
    """

    def __init__(self, settings: Settings, *, resolver: Resolver | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self._resolver = resolver
        self._transport = transport
        self._http: HttpClient | None = None
        self._worker: DeadlineWorker | None = None
        self._lock = threading.Lock()  # flows fetch pages from several threads

    @property
    def http(self) -> HttpClient:
        with self._lock:
            if self._http is None:
                self._http = HttpClient(self.settings, resolver=self._resolver, transport=self._transport)
            return self._http

    # -- feeds ------------------------------------------------------------------------------------------
    def fetch_feed(self, location: str, etag: str | None = None, modified: str | None = None) -> FeedFetch:
        """Poll one feed; `not_modified` when the server (or the local file's hash) says nothing changed."""
        if is_http_url(location):
            fetched = self.http.get(location, "feed", etag=etag, modified=modified)
            new_etag = fetched.headers.get("etag") or etag
            new_modified = fetched.headers.get("last-modified") or modified
            if fetched.not_modified:
                return FeedFetch(location=location, etag=new_etag, modified=new_modified, not_modified=True)
            entries = self._parse(fetched.body, location, fetched.content_type, base=fetched.final_url)
            return FeedFetch(location=location, entries=entries, etag=new_etag, modified=new_modified)
        if not _is_local(location):
            raise FetchError(f"{location}: unsupported scheme (use http, https, file:// or a path)", url=location,
                             reason="unsupported_scheme")
        body, new_etag, new_modified = local_feed_bytes(location, self.settings.max_bytes, etag)
        if body is None:
            return FeedFetch(location=location, etag=new_etag, modified=new_modified, not_modified=True)
        entries = self._parse(body, location, None)
        return FeedFetch(location=location, entries=entries, etag=new_etag, modified=new_modified)

    def _parse(self, body: bytes, location: str, content_type: str | None, *, base: str | None = None
               ) -> list[FeedEntry]:
        if self.settings.parse_deadline <= 0:
            return parse_feed(body, location, self.settings.max_bytes, content_type=content_type, base=base)
        with self._lock:
            if self._worker is None:
                self._worker = DeadlineWorker(preload=("sources.feeds",))
            worker = self._worker
        try:
            return worker.call(self.settings.parse_deadline, parse_feed, body, location,
                                     self.settings.max_bytes, content_type=content_type, base=base)
        except DeadlineExceeded as exc:
            raise FeedError(f"feed {location}: parsing {exc}", url=location, reason="parse_timeout") from exc
        except WorkerCrashed as exc:
            raise FeedError(f"feed {location}: parser worker crashed ({exc})", url=location,
                            reason="parse_crashed") from exc

    # -- pages ------------------------------------------------------------------------------------------
    def fetch_page(self, entry: FeedEntry) -> Page:
        """The entry's page; when it cannot be fetched, the entry's own content if long enough, else FetchError."""
        try:
            return self._fetch_page(entry)
        except FetchError as exc:
            fallback = self.fallback_page(entry, exc)
            if fallback is None:
                raise
            return fallback

    def fallback_page(self, entry: FeedEntry, error: FetchError) -> Page | None:
        """A Page made of the entry's own content (`from_feed_content=True`), or None when it is too short."""
        text = visible_text(entry.summary)
        if len(text) < self.settings.min_fallback_chars:
            return None
        log.warning("page %s failed (%s: %s); using the feed entry's own content (%d characters)", entry.url,
                    error.reason, error, len(text))
        return Page(entry=entry, final_url=entry.url, body=(entry.summary or "").encode("utf-8"),
                    content_type="text/html; charset=utf-8", fetched_at=dt.datetime.now(dt.timezone.utc),
                    from_feed_content=True, fallback_reason=error.reason)

    def _fetch_page(self, entry: FeedEntry) -> Page:
        if is_http_url(entry.feed) and not is_http_url(entry.url):
            raise FetchError(f"{entry.url}: a feed fetched over HTTP ({entry.feed}) may only link to http(s) "
                             "pages, never to local files", url=entry.url, reason="unsupported_scheme")
        if is_http_url(entry.url):
            fetched = self.http.get(entry.url, "page")
            check_page_body(fetched.body, fetched.final_url)
            return Page(entry=entry, final_url=fetched.final_url, body=fetched.body,
                        content_type=fetched.content_type, fetched_at=dt.datetime.now(dt.timezone.utc))
        if not _is_local(entry.url):
            raise FetchError(f"{entry.url}: unsupported scheme (use http, https, file:// or a path)", url=entry.url,
                             reason="unsupported_scheme")
        return fetch_local_page(entry, self.settings.max_bytes)

    # -- lifecycle --------------------------------------------------------------------------------------
    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def __enter__(self) -> "Source":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_source(settings: Settings, *, resolver: Resolver | None = None,
                transport: httpx.BaseTransport | None = None) -> Source:
    """The source for these settings (handles http(s), file:// and paths); close it or use `with`."""
    return Source(settings, resolver=resolver, transport=transport)
