"""A small threaded HTTP server on 127.0.0.1 for tests (feeds, pages, hostile behaviour).

    routes = {
        "/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed_bytes),
        "/slow": (200, {"Content-Type": "text/html"}, drip(b"x", every=0.5)),   # iterable body: streamed
        "/count": lambda request: (200, {}, f"hit {request.path}"),            # callable: dynamic
    }
    with serve(routes, root=folder) as server:
        server.url("/feed.xml"); server.requests  # every request seen

A route value is `(status, headers, body)` or a callable `(Request) -> (status, headers, body)`. A body is
bytes, str (UTF-8), a Path (file contents) or an iterable of bytes chunks (written and flushed one by one,
without Content-Length; a generator may sleep or never end). Unrouted paths are served from `root` when
given, else 404. Routes match the path with its query first, then without.
"""

from __future__ import annotations

import mimetypes
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Union
from urllib.parse import urlsplit

Body = Union[bytes, str, Path, Iterable[bytes]]
Response = tuple[int, Mapping[str, str], Body]
Route = Union[Response, Callable[["Request"], Response]]


@dataclass
class Request:
    """One request the server received."""

    method: str
    path: str  # with query
    headers: dict[str, str] = field(default_factory=dict)


def drip(chunk: bytes, *, every: float, count: int | None = None) -> Iterator[bytes]:
    """A body that sends `chunk` every `every` seconds (`count` times, or forever)."""
    sent = 0
    while count is None or sent < count:
        yield chunk
        sent += 1
        time.sleep(every)


def endless(chunk: bytes = b"<p>" + b"x" * 8190 + b"</p>") -> Iterator[bytes]:
    """A body that never ends."""
    while True:
        yield chunk


class TestServer:
    """Threaded HTTP/1.0 server on 127.0.0.1 with a mutable route table; use `serve()` or start()/stop()."""

    __test__ = False  # not a pytest test class

    def __init__(self, routes: Mapping[str, Route] | None = None, *, root: Path | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.root = root
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def hits(self, path: str) -> int:
        """How many requests asked for `path` (query ignored)."""
        with self._lock:
            return sum(1 for r in self.requests if urlsplit(r.path).path == path)

    def start(self) -> "TestServer":
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                return

            def do_GET(self) -> None:
                server._handle(self, send_body=True)

            def do_HEAD(self) -> None:
                server._handle(self, send_body=False)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True, name=f"test-server-{self.port}")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> "TestServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _resolve(self, request: Request) -> Response:
        route = self.routes.get(request.path) or self.routes.get(urlsplit(request.path).path)
        if route is None and self.root is not None:
            candidate = (self.root / urlsplit(request.path).path.lstrip("/")).resolve()
            if candidate.is_file() and self.root.resolve() in candidate.parents:
                kind = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
                return 200, {"Content-Type": kind}, candidate
        if route is None:
            return 404, {"Content-Type": "text/plain"}, b"not found"
        return route(request) if callable(route) else route

    def _handle(self, handler: BaseHTTPRequestHandler, *, send_body: bool) -> None:
        request = Request(handler.command, handler.path, {k.lower(): v for k, v in handler.headers.items()})
        with self._lock:
            self.requests.append(request)
        status, headers, body = self._resolve(request)
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif isinstance(body, Path):
            body = body.read_bytes()
        try:
            handler.send_response(status)
            for name, value in headers.items():
                handler.send_header(name, value)
            if isinstance(body, bytes):
                if not any(k.lower() == "content-length" for k in headers):
                    handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                if send_body:
                    handler.wfile.write(body)
                return
            handler.end_headers()
            handler.wfile.flush()
            if send_body:
                for chunk in body:
                    handler.wfile.write(chunk)
                    handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            return  # the client gave up (timeouts, size caps): expected in hostile tests


@contextmanager
def serve(routes: Mapping[str, Route] | None = None, *, root: Path | None = None) -> Iterator[TestServer]:
    """Start a TestServer for the duration of a `with` block."""
    server = TestServer(routes, root=root).start()
    try:
        yield server
    finally:
        server.stop()
