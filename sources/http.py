"""The one HTTP client for feeds, pages and robots.txt: bounded, polite and SSRF-guarded.

* connect/read timeouts plus an overall deadline per fetch (redirects and retries included);
* a streamed size cap counted on *decoded* bytes, with gzip/deflate decompressed here in bounded steps, so a
  compression bomb never inflates past the cap;
* at most `max_redirects` redirects, followed by hand so every hop is SSRF- and robots-checked;
* robots.txt per origin (cached; 4xx = allow all, 5xx or unreachable = disallow all, RFC 9309);
* a per-host delay (or the site's Crawl-delay, capped) and a per-host concurrency limit;
* 429/5xx retried with exponential backoff honouring Retry-After (a wait above `retry_max_wait` gives up);
* conditional GET (If-None-Match / If-Modified-Since) for feeds.

Every failure is a FetchError whose `reason` is a short code (timeout, too_large, redirect_loop,
too_many_redirects, private_address, http_404, not_html, robots_disallowed, robots_unreachable, ...).
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

from models.errors import FetchError
from models.settings import Settings
from sources.content import check_feed_type, check_page_type
from sources.ssrf import Resolver, SsrfGuard

log = logging.getLogger(__name__)

Kind = Literal["feed", "page", "robots"]
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309: parse at least 500 KiB
MAX_CRAWL_DELAY = 10.0
ACCEPT = {
    "feed": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
    "page": "text/html, application/xhtml+xml;q=0.9, text/plain;q=0.5",
    "robots": "text/plain",
}


@dataclass
class Fetched:
    """A fetched HTTP resource (body already decoded from gzip/deflate, capped)."""

    url: str
    final_url: str
    status: int
    headers: httpx.Headers
    body: bytes
    content_type: str | None
    redirects: int = 0

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _BoundedDecoder:
    """Content-Encoding decoder that never produces more than the remaining allowance."""

    def __init__(self, encoding: str, url: str) -> None:
        self.url = url
        self.encoding = encoding
        if encoding in ("", "identity"):
            self._d = None
        elif encoding in ("gzip", "x-gzip"):
            self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._d = zlib.decompressobj()
            self._raw_fallback = True
        else:
            raise FetchError(f"{url}: unsupported Content-Encoding {encoding!r}", url=url,
                             reason="unsupported_encoding")

    def feed(self, chunk: bytes, allowance: int) -> bytes:
        """Decoded bytes of `chunk`; raises `too_large` as soon as output would exceed `allowance`."""
        if self._d is None:
            return chunk
        try:
            out = self._d.decompress(chunk, allowance + 1)
        except zlib.error as exc:
            if self.encoding == "deflate" and getattr(self, "_raw_fallback", False):
                self._raw_fallback = False  # some servers send raw deflate without the zlib header
                self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(chunk, allowance)
            raise FetchError(f"{self.url}: corrupt {self.encoding} body ({exc})", url=self.url,
                             reason="bad_encoding") from exc
        self._raw_fallback = False
        if len(out) > allowance or self._d.unconsumed_tail:
            raise _TooLarge()
        return out

    def finish(self, allowance: int) -> bytes:
        """Whatever the decompressor still buffers at the end of the stream (bounded like `feed`)."""
        if self._d is None:
            return b""
        out = self._d.flush()
        if len(out) > allowance:
            raise _TooLarge()
        return out


class _TooLarge(Exception):
    pass


class HostGate:
    """Per-host politeness: at most `concurrency` requests in flight and `delay` seconds between starts."""

    def __init__(self, delay: float, concurrency: int, sleep: Callable[[float], None] = time.sleep) -> None:
        self.delay = max(0.0, delay)
        self.concurrency = max(1, concurrency)
        self._sleep = sleep
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}
        self._delays: dict[str, float] = {}

    def set_delay(self, host: str, delay: float) -> None:
        """A host-specific delay (e.g. robots.txt Crawl-delay) used when longer than the default."""
        with self._lock:
            self._delays[host] = max(0.0, delay)

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.BoundedSemaphore(self.concurrency))
        semaphore.acquire()
        try:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + max(self.delay, self._delays.get(host, 0.0))
            if start > now:
                self._sleep(start - now)
            yield
        finally:
            semaphore.release()


class GuardedBackend(httpcore.SyncBackend):
    """Network backend that resolves and checks the host again at connect time and connects to a checked
    address (closes the DNS-rebinding gap between the URL check and the connection)."""

    def __init__(self, guard: SsrfGuard) -> None:
        self.guard = guard

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options=None) -> httpcore.NetworkStream:  # type: ignore[no-untyped-def]
        last: Exception | None = None
        for address in self.guard.resolve(host, port):
            try:
                return super().connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                           socket_options=socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        raise last if last is not None else httpcore.ConnectError(f"no address for {host}")


class Deadline:
    """Overall time budget of one fetch; time spent queueing for a per-host slot does not count."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def exclude(self, seconds: float) -> None:
        self.at += seconds


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class HttpClient:
    """Fetches feeds, pages and robots.txt with one `httpx.Client` (thread-safe; a context manager)."""

    def __init__(self, settings: Settings, *, resolver: Resolver | None = None,
                 transport: httpx.BaseTransport | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.guard = SsrfGuard(allow_private=settings.allow_private_hosts,
                               allowlist=settings.private_hosts_allowlist, resolver=resolver)
        self._sleep = sleep
        self.gate = HostGate(settings.per_host_delay, settings.per_host_concurrency, sleep)
        if transport is None:
            transport = httpx.HTTPTransport(retries=0, trust_env=False)
            pool = getattr(transport, "_pool", None)
            if isinstance(pool, httpcore.ConnectionPool):  # connect-time guard; URL checks run regardless
                pool._network_backend = GuardedBackend(self.guard)
        self._client = httpx.Client(
            transport=transport, follow_redirects=False, trust_env=False,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
        )
        self._robots: dict[str, RobotFileParser] = {}
        self._robots_unreachable: dict[str, str] = {}  # origin -> why its robots.txt could not be read
        self._robots_lock = threading.Lock()
        self._origin_locks: dict[str, threading.Lock] = {}

    # -- public -----------------------------------------------------------------------------------------
    def get(self, url: str, kind: Kind = "page", *, etag: str | None = None, modified: str | None = None,
            max_bytes: int | None = None) -> Fetched:
        """GET `url` following redirects, retrying 429/5xx; a 2xx or 304 answer, else FetchError."""
        deadline = Deadline(self.settings.total_timeout)
        headers = {"Accept": ACCEPT[kind]}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        attempt = 0
        gave_up = ""
        while True:
            fetched = self._follow(url, kind, headers, deadline, max_bytes or self.settings.max_bytes)
            if fetched.status not in RETRY_STATUSES or attempt >= self.settings.fetch_retries:
                break
            wait = self._retry_wait(fetched, attempt)
            if wait is None:
                gave_up = (f" (Retry-After {fetched.headers.get('retry-after')} is over the "
                           f"{self.settings.retry_max_wait:g}s cap; not retried)")
                break
            if wait > deadline.remaining():
                gave_up = f" (a {wait:g}s wait would pass the {self.settings.total_timeout:g}s deadline)"
                break
            attempt += 1
            log.info("retry %d of %s after HTTP %d in %.2fs", attempt, url, fetched.status, wait)
            self._sleep(wait)
        if fetched.status == 304 or 200 <= fetched.status < 300:
            return fetched
        suffix = (f" after {attempt + 1} attempts" if attempt else "") + gave_up
        raise FetchError(f"{fetched.final_url}: HTTP {fetched.status}{suffix}", url=url,
                         reason=f"http_{fetched.status}")

    def allowed_by_robots(self, url: str) -> bool:
        """True when robots.txt of the URL's origin lets our user agent fetch it."""
        return self._robots_for(url).can_fetch(self.settings.user_agent, url)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "HttpClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals --------------------------------------------------------------------------------------
    def _retry_wait(self, fetched: Fetched, attempt: int) -> float | None:
        asked = _retry_after(fetched.headers.get("retry-after"))
        if asked is not None and asked > self.settings.retry_max_wait:
            log.warning("%s asks to retry after %.0fs (cap %.0fs); giving up", fetched.final_url, asked,
                        self.settings.retry_max_wait)
            return None
        backoff = self.settings.retry_backoff * (2 ** attempt)
        return min(self.settings.retry_max_wait, max(asked or 0.0, backoff))

    def _follow(self, url: str, kind: Kind, headers: dict[str, str], deadline: Deadline, max_bytes: int
                ) -> Fetched:
        current = url
        seen = {current}
        for hop in range(self.settings.max_redirects + 1):
            try:
                self.guard.check_url(current)
                if kind != "robots" and self.settings.obey_robots and not self.allowed_by_robots(current):
                    why = self._robots_unreachable.get(_origin(current))
                    if why is not None:
                        raise FetchError(f"{current}: robots.txt of the host is unreachable ({why}); the host is "
                                         "treated as disallowed (RFC 9309)", url=url, reason="robots_unreachable")
                    raise FetchError(f"{current}: disallowed by robots.txt for {self.settings.user_agent}",
                                     url=url, reason="robots_disallowed")
            except FetchError as exc:
                if hop == 0:
                    raise
                raise FetchError(f"{url}: redirect {hop} refused: {exc}", url=url, reason=exc.reason) from exc
            fetched = self._request(current, kind, headers, deadline, max_bytes)
            location = fetched.headers.get("location")
            if fetched.status not in REDIRECT_STATUSES or not location:
                fetched.url, fetched.redirects = url, hop
                return fetched
            target = urljoin(current, location.strip())
            if target in seen:
                raise FetchError(f"{url}: redirect loop ({current} -> {target})", url=url, reason="redirect_loop")
            seen.add(target)
            log.debug("redirect %s -> %s", current, target)
            current = target
        raise FetchError(f"{url}: more than {self.settings.max_redirects} redirects (last {current})", url=url,
                         reason="too_many_redirects")

    def _request(self, url: str, kind: Kind, headers: dict[str, str], deadline: Deadline, max_bytes: int
                 ) -> Fetched:
        host = urlsplit(url).netloc.lower()
        queued = time.monotonic()
        try:
            with self.gate.slot(host):
                deadline.exclude(time.monotonic() - queued)  # politeness waits are ours, not the server's
                remaining = deadline.remaining()
                if remaining <= 0:
                    raise FetchError(f"{url}: overall deadline of {deadline.seconds:g}s exceeded", url=url,
                                     reason="timeout")
                timeout = httpx.Timeout(min(self.settings.read_timeout, remaining),
                                        connect=min(self.settings.connect_timeout, remaining))
                request = self._client.build_request("GET", url, headers=headers, timeout=timeout)
                response = self._client.send(request, stream=True)
                try:
                    return self._read(url, kind, response, deadline, max_bytes)
                finally:
                    response.close()
        except httpx.TimeoutException as exc:
            raise FetchError(f"{url}: timed out ({type(exc).__name__})", url=url, reason="timeout") from exc
        except httpx.TooManyRedirects as exc:  # not raised with follow_redirects=False; kept for safety
            raise FetchError(f"{url}: too many redirects", url=url, reason="too_many_redirects") from exc
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise FetchError(f"{url}: invalid URL ({exc})", url=url, reason="invalid_url") from exc
        except httpx.ConnectError as exc:
            raise FetchError(f"{url}: cannot connect ({exc})", url=url, reason="connect_error") from exc
        except (httpx.RemoteProtocolError, httpx.LocalProtocolError) as exc:
            raise FetchError(f"{url}: HTTP protocol error ({exc})", url=url, reason="protocol_error") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {type(exc).__name__}: {exc}", url=url, reason="network_error") from exc

    def _read(self, url: str, kind: Kind, response: httpx.Response, deadline: Deadline, max_bytes: int
              ) -> Fetched:
        content_type = response.headers.get("content-type")
        fetched = Fetched(url=url, final_url=str(response.url), status=response.status_code,
                          headers=response.headers, body=b"", content_type=content_type)
        if not 200 <= response.status_code < 300:
            return fetched  # redirects, 304 and errors: the body is not needed
        if kind == "page":
            check_page_type(content_type, url)
        elif kind == "feed":
            check_feed_type(content_type, url)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(f"{url}: Content-Length {declared} is over the {max_bytes}-byte cap", url=url,
                             reason="too_large")
        encodings = [e.strip().lower() for e in response.headers.get("content-encoding", "").split(",") if e.strip()]
        if len(encodings) > 1:
            raise FetchError(f"{url}: stacked Content-Encoding {encodings} refused", url=url,
                             reason="unsupported_encoding")
        decoder = _BoundedDecoder(encodings[0] if encodings else "", url)
        parts: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_raw():  # as received: a chunk size would buffer a slow drip
                if deadline.remaining() < 0:
                    raise FetchError(f"{url}: body still arriving after the {deadline.seconds:g}s deadline",
                                     url=url, reason="timeout")
                out = decoder.feed(chunk, max_bytes - size)
                size += len(out)
                if size > max_bytes:
                    raise _TooLarge()
                parts.append(out)
            tail = decoder.finish(max_bytes - size)
            parts.append(tail)
        except _TooLarge:
            raise FetchError(f"{url}: body exceeds the {max_bytes}-byte cap (counted after decompression)",
                             url=url, reason="too_large") from None
        fetched.body = b"".join(parts)
        return fetched

    def _robots_for(self, url: str) -> RobotFileParser:
        origin = _origin(url)
        with self._robots_lock:
            parser = self._robots.get(origin)
            if parser is not None:
                return parser
            lock = self._origin_locks.setdefault(origin, threading.Lock())
        with lock:
            with self._robots_lock:
                if origin in self._robots:
                    return self._robots[origin]
            parser = self._fetch_robots(origin)
            with self._robots_lock:
                self._robots[origin] = parser
            return parser

    def _fetch_robots(self, origin: str) -> RobotFileParser:
        robots_url = f"{origin}/robots.txt"
        parser = RobotFileParser(robots_url)
        try:
            fetched = self._follow(robots_url, "robots", {"Accept": ACCEPT["robots"]},
                                   Deadline(self.settings.total_timeout), ROBOTS_MAX_BYTES)
        except FetchError as exc:
            if exc.reason == "too_large":
                log.warning("robots.txt at %s is over %d bytes; allowing all", origin, ROBOTS_MAX_BYTES)
                parser.allow_all = True
            else:  # unreachable: RFC 9309 says assume complete disallow
                log.warning("robots.txt at %s unreachable (%s); disallowing the host", origin, exc.reason)
                parser.disallow_all = True
                self._robots_unreachable[origin] = exc.reason
            return parser
        if 200 <= fetched.status < 300:
            parser.parse(fetched.body.decode("utf-8", errors="replace").splitlines())
            delay = parser.crawl_delay(self.settings.user_agent)
            if delay:
                self.gate.set_delay(urlsplit(origin).netloc, min(float(delay), MAX_CRAWL_DELAY))
        elif 400 <= fetched.status < 500 or fetched.status in REDIRECT_STATUSES:
            parser.allow_all = True  # 4xx: "unavailable", any resource may be fetched
        else:
            log.warning("robots.txt at %s answered HTTP %d; disallowing the host", origin, fetched.status)
            parser.disallow_all = True
            self._robots_unreachable[origin] = f"http_{fetched.status}"
        parser.modified()
        return parser
