"""The benchmark news server: pages and feeds on 127.0.0.1 with ETag/Last-Modified and 304 answers."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from benchmarks.generator import NewsGenerator
from benchmarks.server import NewsServer


@pytest.fixture(scope="module")
def server() -> Iterator[NewsServer]:
    with NewsServer(NewsGenerator()) as s:
        yield s


@pytest.fixture()
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as c:
        yield c


def test_feed_then_conditional_requests(server: NewsServer, client: httpx.Client) -> None:
    url = server.feed_urls(300)[1]
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("application/rss+xml")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert client.get(url).headers["etag"] == etag
    server.reset_counts()
    for headers in ({"If-None-Match": etag}, {"If-Modified-Since": modified}, {"If-None-Match": f"W/x, {etag}"}):
        r = client.get(url, headers=headers)
        assert r.status_code == 304 and r.content == b""
    assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200
    assert server.counts() == {"feed_304": 3, "feed": 1}


def test_page_is_served_with_validators(server: NewsServer, client: httpx.Client) -> None:
    gen = server.generator
    r = client.get(server.base_url + gen.page_path(42))
    assert r.status_code == 200 and r.content == gen.page_html(42, server.base_url)
    assert client.get(server.base_url + gen.page_path(42), headers={"If-None-Match": r.headers["etag"]}
                      ).status_code == 304
    assert client.head(server.base_url + gen.page_path(42)).headers["content-length"] == str(len(r.content))


@pytest.mark.parametrize("path", ["/", "/feeds/5-5.xml", "/feeds/a-b.xml", "/news/2025/01/wrong-slug-3.html",
                                  "/news/2025/01/x.html"])
def test_unknown_paths_are_404(server: NewsServer, client: httpx.Client, path: str) -> None:
    assert client.get(server.base_url + path).status_code == 404


def test_robots_allows_everything(server: NewsServer, client: httpx.Client) -> None:
    r = client.get(server.base_url + "/robots.txt")
    assert r.status_code == 200 and "Allow: /" in r.text


def test_base_url_requires_a_running_server() -> None:
    with pytest.raises(RuntimeError, match="not running"):
        _ = NewsServer().base_url


def test_prerendered_pages_are_served_from_the_cache(tmp_path, client: httpx.Client) -> None:  # noqa: ANN001
    with NewsServer(NewsGenerator(), cache_dir=tmp_path) as s:
        assert s.prerender(3) == 3 and s.prerender(3) == 0
        path = s.generator.page_path(1)
        assert client.get(s.base_url + path).content == s.generator.page_html(1, s.base_url)
        (cached,) = tmp_path.glob("*/1.html")
        cached.write_bytes(b"<html>from the cache</html>")
        assert client.get(s.base_url + path).content == b"<html>from the cache</html>"
        assert client.get(s.base_url + s.generator.page_path(7)).content == s.generator.page_html(7, s.base_url)
