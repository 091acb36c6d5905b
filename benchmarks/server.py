"""A local threaded HTTP server on 127.0.0.1 serving generated pages and feeds on the fly.

Feeds live at `/feeds/FIRST-LAST.xml` (articles FIRST..LAST-1), pages at the paths the generator gives them.
Every response carries an ETag and Last-Modified and answers conditional requests with 304, so a no-op re-run
costs one small request per feed. Request counts are kept for the benchmark report.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from benchmarks.generator import FEED_PATH_RE, PAGE_PATH_RE, NewsGenerator, feed_paths

log = logging.getLogger(__name__)

ROBOTS = b"User-agent: *\nAllow: /\n"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes: avoid 40 ms delayed-ACK stalls
    server: "_Server"

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(head=True)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        log.debug("%s " + format, self.address_string(), *args)

    def _serve(self, *, head: bool) -> None:
        path = self.path.split("?", 1)[0]
        gen = self.server.generator
        base = self.server.base_url
        try:
            if path == "/robots.txt":
                self._send(200, "robots", ROBOTS, "text/plain", None, None, head)
                return
            if m := FEED_PATH_RE.match(path):
                first, last = int(m.group(1)), int(m.group(2))
                if first >= last:
                    self._send(404, "not_found", b"empty feed range\n", "text/plain", None, None, head)
                    return
                etag = gen.etag("feed", first, last, base)
                modified = gen.feed_modified(first, last)
                if self._not_modified(etag, modified):
                    self._send(304, "feed_304", b"", None, etag, modified, head)
                    return
                self._send(200, "feed", gen.feed_xml(first, last, base), "application/rss+xml; charset=utf-8",
                           etag, modified, head)
                return
            if (m := PAGE_PATH_RE.match(path)) and path == gen.page_path(int(m.group(1))):
                i = int(m.group(1))
                etag, modified = gen.etag("page", i), gen.article(i).published
                if self._not_modified(etag, modified):
                    self._send(304, "page_304", b"", None, etag, modified, head)
                    return
                self._send(200, "page", self.server.page_body(i), "text/html; charset=utf-8", etag, modified, head)
                return
            self._send(404, "not_found", b"not found\n", "text/plain", None, None, head)
        except (BrokenPipeError, ConnectionResetError):
            log.debug("client closed the connection on %s", path)

    def _not_modified(self, etag: str, modified) -> bool:  # noqa: ANN001
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                return modified <= parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
        return False

    def _send(self, status: int, kind: str, body: bytes, ctype: str | None, etag: str | None, modified,  # noqa: ANN001
              head: bool) -> None:
        self.server.count(kind)
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        if etag:
            self.send_header("ETag", etag)
        if modified is not None:
            self.send_header("Last-Modified", format_datetime(modified, usegmt=True))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and not head:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, generator: NewsGenerator, cache_dir: Path | None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.generator = generator
        self.base_url = f"http://127.0.0.1:{self.server_address[1]}"
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        # bodies embed the base URL: one cache sub-folder per port
        self.cache_dir = cache_dir / str(self.server_address[1]) if cache_dir is not None else None

    def page_body(self, i: int) -> bytes:
        """Page i from the pre-rendered cache when there, else generated now."""
        if self.cache_dir is not None:
            try:
                return (self.cache_dir / f"{i}.html").read_bytes()
            except FileNotFoundError:
                pass
        return self.generator.page_html(i, self.base_url)

    def count(self, kind: str) -> None:
        with self._lock:
            self.counts[kind] += 1


class NewsServer:
    """Start/stop a generated-news server on a free 127.0.0.1 port; use as a context manager."""

    def __init__(self, generator: NewsGenerator | None = None, cache_dir: Path | None = None) -> None:
        self.generator = generator or NewsGenerator()
        self.cache_dir = cache_dir
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "NewsServer":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        if self._server is not None:
            return
        self._server = _Server(self.generator, self.cache_dir)
        self._thread = threading.Thread(target=self._server.serve_forever, name="bench-news-server", daemon=True)
        self._thread.start()
        log.info("news server listening on %s", self._server.base_url)

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server, self._thread = None, None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the news server is not running; call start() first")
        return self._server.base_url

    def feed_urls(self, n_articles: int, per_feed: int | None = None, start: int = 0) -> list[str]:
        """Absolute URLs of the feeds listing articles start..start+n_articles-1."""
        kwargs = {"per_feed": per_feed} if per_feed else {}
        return [f"{self.base_url}{p}" for p in feed_paths(n_articles, start=start, **kwargs)]

    def prerender(self, n_articles: int) -> int:
        """Write pages 0..n-1 to the cache folder so serving them costs a file read, not generation.

        Real pages cost the crawler nothing to produce; pre-rendering keeps the generator's CPU out of the
        measured runs on a small machine. Returns how many pages were written (already present ones are kept).
        """
        if self._server is None or self._server.cache_dir is None:
            raise RuntimeError("prerender needs a running server with a cache_dir")
        folder = self._server.cache_dir
        folder.mkdir(parents=True, exist_ok=True)
        written = 0
        for i in range(n_articles):
            path = folder / f"{i}.html"
            if not path.exists():
                path.write_bytes(self.generator.page_html(i, self.base_url))
                written += 1
        return written

    def counts(self) -> dict[str, int]:
        """Responses served so far by kind (feed, feed_304, page, page_304, robots, not_found)."""
        if self._server is None:
            return {}
        with self._server._lock:
            return dict(self._server.counts)

    def reset_counts(self) -> None:
        if self._server is not None:
            with self._server._lock:
                self._server.counts.clear()
