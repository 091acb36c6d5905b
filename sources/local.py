"""Local files as a source: feed files and pages given as paths or `file://` URLs (same size cap)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from models.errors import FetchError
from models.records import FeedEntry, Page
from sources.content import check_page_body, check_page_type, guess_type


def local_path(location: str) -> Path:
    """The filesystem path of a plain path or `file://` URL."""
    if location.lower().startswith("file:"):
        parts = urlsplit(location)
        if parts.netloc not in ("", "localhost"):
            raise FetchError(f"{location}: file URLs on other hosts are not supported", url=location,
                             reason="unsupported_scheme")
        return Path(url2pathname(parts.path))
    return Path(location).expanduser()


def read_local(location: str, max_bytes: int) -> tuple[Path, bytes]:
    """(resolved path, bytes) of a local file, refusing files over `max_bytes`."""
    path = local_path(location)
    try:
        resolved = path.resolve(strict=True)
        if not resolved.is_file():
            raise FetchError(f"{location} is not a regular file", url=location, reason="not_a_file")
        size = resolved.stat().st_size
        if size > max_bytes:
            raise FetchError(f"{location} is {size} bytes, over the {max_bytes}-byte cap", url=location,
                             reason="too_large")
        with resolved.open("rb") as handle:
            body = handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise FetchError(f"{location} does not exist", url=location, reason="not_found") from exc
    except PermissionError as exc:
        raise FetchError(f"{location} is not readable (permission denied)", url=location,
                         reason="unreadable") from exc
    except OSError as exc:
        raise FetchError(f"{location} could not be read: {exc.strerror or exc}", url=location,
                         reason="unreadable") from exc
    if len(body) > max_bytes:  # grew while we read it
        raise FetchError(f"{location} is over the {max_bytes}-byte cap", url=location, reason="too_large")
    return resolved, body


def local_feed_bytes(location: str, max_bytes: int, etag: str | None) -> tuple[bytes | None, str, str]:
    """(body or None when unchanged, etag, modified) of a local feed; the etag is a content hash."""
    path, body = read_local(location, max_bytes)
    digest = hashlib.sha256(body).hexdigest()[:32]
    modified = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.timezone.utc).isoformat()
    return (None if etag == digest else body), digest, modified


def fetch_local_page(entry: FeedEntry, max_bytes: int) -> Page:
    """A `Page` read from the local file an entry links to (binary files refused as `not_html`)."""
    path, body = read_local(entry.url, max_bytes)
    final_url = path.as_uri()
    content_type = guess_type(str(path))
    check_page_type(content_type, final_url)
    check_page_body(body, final_url)
    return Page(entry=entry, final_url=final_url, body=body, content_type=content_type,
                fetched_at=dt.datetime.now(dt.timezone.utc))
