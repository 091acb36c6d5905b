"""Killable deadline workers: overrunning calls are killed, errors and crashes come back as exceptions."""

from __future__ import annotations

import os
import time

import pytest

from models.errors import FeedError, FetchError
from models.settings import Settings
from sources import open_source
from sources.deadline import DeadlineExceeded, DeadlineWorker, WorkerCrashed


def sleepy(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def refuse(url: str) -> None:
    raise FetchError(f"{url}: nope", url=url, reason="robots_disallowed")


def die() -> None:
    os._exit(3)


def pid() -> int:
    return os.getpid()


def hog(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def test_results_errors_kills_and_crashes() -> None:
    with DeadlineWorker() as worker:
        assert worker.call(10, sleepy, 0.01) == 0.01
        first = worker.call(10, pid)
        assert first != os.getpid()

        with pytest.raises(FetchError) as info:
            worker.call(10, refuse, "https://x.example/a")
        assert info.value.reason == "robots_disallowed" and info.value.url == "https://x.example/a"
        assert worker.call(10, pid) == first  # an exception does not cost the worker

        started = time.perf_counter()
        with pytest.raises(DeadlineExceeded):
            worker.call(0.3, sleepy, 30)
        assert time.perf_counter() - started < 3
        assert worker.kills == 1
        replacement = worker.call(10, pid)
        assert replacement != first

        with pytest.raises(MemoryError):
            worker.call(10, hog, 4096)  # over the child's address-space cap: an error, not a dead machine
        assert worker.call(10, hog, 1) == 1024 * 1024

        with pytest.raises(WorkerCrashed, match="exit code 3"):
            worker.call(10, die)
        assert worker.call(10, sleepy, 0) == 0


def test_feed_parsing_past_its_deadline_is_a_feed_error(tmp_path) -> None:
    items = "".join(f"<item><title>t{i}</title><link>https://d.example/{i}</link><description>"
                    f"{'<p>word</p>' * 50}</description></item>" for i in range(3000))
    feed = tmp_path / "big.xml"
    feed.write_text(f"<rss version='2.0'><channel>{items}</channel></rss>")
    with open_source(Settings(parse_deadline=0.05, max_bytes=50_000_000)) as source:
        with pytest.raises(FeedError) as info:
            source.fetch_feed(str(feed))
    assert info.value.reason == "parse_timeout" and str(feed) in str(info.value)
