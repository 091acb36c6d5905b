"""A hostile web site for tests: one misbehaving path per case, plus the state each entry must end in.

`hostile_routes(server, secret_file)` returns routes for `tests.servers.TestServer`; `HOSTILE_CASES` maps each
page path to the (state, reason) an ingest run must give it and `HOSTILE_FEEDS` each feed path to its
expectation. Reusable by the flow tests (serve the routes, point `gridscout run` at `/feed.xml`).
"""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from pages import CP1251_PARAGRAPHS, ENGLISH_PAGE, LATIN1_PARAGRAPHS, RUSSIAN_PAGE, article_page
from servers import Request, Response, TestServer, drip, endless

HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}
GOOD = ENGLISH_PAGE.encode("utf-8")

# path -> (state, reason) that the entry for this page must end in
HOSTILE_CASES: dict[str, tuple[str, str | None]] = {
    "/good": ("loaded", None),
    "/members/story": ("skipped", "robots_disallowed"),
    "/slow-drip": ("failed", "timeout"),
    "/stall": ("failed", "timeout"),
    "/endless": ("skipped", "too_large"),
    "/loop-a": ("failed", "redirect_loop"),
    "/chain/0": ("failed", "too_many_redirects"),
    "/to-metadata": ("failed", "private_address"),
    "/to-localhost": ("failed", "private_address"),
    "/missing": ("failed", "http_404"),
    "/broken": ("failed", "http_500"),
    "/busy": ("loaded", None),  # 429 with Retry-After: 1, then served
    "/busy-for-an-hour": ("failed", "http_429"),
    "/report.html": ("skipped", "not_html"),  # PDF bytes served as text/html
    "/brochure.html": ("skipped", "not_html"),  # application/pdf
    "/bomb": ("skipped", "too_large"),  # gzip bomb
    "/cp1251": ("loaded", None),
    "/latin1": ("loaded", None),
    "/russian": ("skipped", "not_english"),
    "/empty": ("skipped", "no_text"),
    "/gzipped": ("loaded", None),
    "/same?utm_source=rss&utm_medium=feed": ("loaded", None),
    "/same?fbclid=abc#top": ("duplicate", "same canonical URL"),
}
HOSTILE_FEEDS: dict[str, tuple[str, str | None]] = {
    "/feed.xml": ("ok", None),
    "/malformed.xml": ("failed", "malformed_feed"),
    "/laughs.xml": ("ok", None),  # entities never expand
    "/xxe.xml": ("ok", None),  # the secret file never appears
}


def _bomb(decoded_mb: int = 64) -> bytes:
    """gzip stream that inflates to `decoded_mb` MB of zeros (~64 KB on the wire)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1024 * 1024)
    parts = [compressor.compress(block) for _ in range(decoded_mb)]
    parts.append(compressor.flush())
    return b"".join(parts)


def _stall() -> Iterator[bytes]:
    yield b"<html><body><p>"
    time.sleep(5)
    yield b"too late</p></body></html>"


def _feed(server: TestServer, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>case {escape(p)}</title><link>{escape(server.url(p))}</link></item>"
                    for p in paths)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>{items}</channel></rss>'.encode()


def _busy_once() -> object:
    calls = {"n": 0}

    def route(request: Request) -> Response:
        calls["n"] += 1
        if calls["n"] == 1:
            return 429, {"Retry-After": "1", "Content-Type": "text/plain"}, b"slow down"
        return 200, HTML, ENGLISH_PAGE.replace("45 MW", "44 MW").encode()  # its own story, not a copy
    return route


def hostile_routes(server: TestServer, secret_file: Path) -> dict[str, object]:
    """Routes for every hostile case; `secret_file` is what the XXE feed points at."""
    port = server.port
    routes: dict[str, object] = {
        "/good": (200, HTML, GOOD),
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /members/\n"),
        "/members/story": (200, HTML, ENGLISH_PAGE.replace("45 MW", "43 MW").encode()),
        "/slow-drip": (200, HTML, drip(b"<p>drip</p>", every=0.2)),
        "/stall": (200, HTML, _stall()),
        "/endless": (200, HTML, endless()),
        "/loop-a": (302, {"Location": "/loop-b"}, b""),
        "/loop-b": (301, {"Location": f"http://127.0.0.1:{port}/loop-a"}, b""),
        "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
        "/to-localhost": (307, {"Location": f"http://localhost:{port}/good"}, b""),
        "/missing": (404, HTML, b"<h1>Not found</h1>"),
        "/broken": (500, HTML, b"<h1>Internal error</h1>"),
        "/busy": _busy_once(),
        "/busy-for-an-hour": (429, {"Retry-After": "3600"}, b""),
        "/report.html": (200, HTML, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n" + b"0" * 2000),
        "/brochure.html": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 brochure"),
        "/bomb": (200, {**HTML, "Content-Encoding": "gzip"}, _bomb()),
        "/cp1251": (200, {"Content-Type": "text/html; charset=windows-1251"},
                    article_page(CP1251_PARAGRAPHS, charset="windows-1251").encode("cp1251")),
        "/latin1": (200, {"Content-Type": "text/html"},
                    article_page(LATIN1_PARAGRAPHS, charset="iso-8859-1").encode("latin-1")),
        "/russian": (200, HTML, RUSSIAN_PAGE.encode("utf-8")),
        "/empty": (200, HTML, b""),
        "/gzipped": (200, {**HTML, "Content-Encoding": "gzip"},
                     gzip.compress(ENGLISH_PAGE.replace("45 MW", "46 MW").encode())),
        "/same": (200, HTML, ENGLISH_PAGE.replace("45 MW", "47 MW").encode()),
        "/malformed.xml": (200, RSS, b"<?xml version='1.0'?><rss><channel><title>oops</ti"),
        "/laughs.xml": (200, RSS, _laughs(server)),
        "/xxe.xml": (200, RSS, _xxe(server, secret_file)),
    }
    for hop in range(10):
        routes[f"/chain/{hop}"] = (302, {"Location": f"/chain/{hop + 1}"}, b"")
    routes["/feed.xml"] = (200, RSS, _feed(server, list(HOSTILE_CASES)))
    return routes


def _laughs(server: TestServer) -> bytes:
    lines = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{"".join(f"&lol{i - 1};" for _ in range(10))}">' for i in range(1, 10)]
    return ('<?xml version="1.0"?><!DOCTYPE rss [' + "".join(lines) + "]>"
            f'<rss version="2.0"><channel><item><title>&lol9;</title><link>{server.url("/good")}</link></item>'
            "</channel></rss>").encode()


def _xxe(server: TestServer, secret_file: Path) -> bytes:
    return (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret_file.as_uri()}">]>'
            f'<rss version="2.0"><channel><item><title>&xxe;</title><link>{server.url("/good")}</link>'
            "<description>&xxe;</description></item></channel></rss>").encode()
