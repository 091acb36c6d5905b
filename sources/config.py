"""`sources.toml`: the feeds a deployment polls.

    [[feed]]
    name = "grid-daily"                     # unique, required
    url = "https://example.org/feed.xml"    # http(s) URL, file:// URL or path (relative to this file), required
    schedule = "0 * * * *"                  # optional cron expression (5 fields)
    enabled = true                          # optional, default true
    options = { max_entries = 50 }          # optional table: max_entries caps the entries taken per poll

Every problem is reported at once, each naming the file, the `[[feed]]` number (1-based) and the field.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from models.errors import ConfigError

FIELDS = ("name", "url", "schedule", "enabled", "options")


@dataclass(frozen=True)
class FeedConfig:
    """One `[[feed]]` entry."""

    name: str
    url: str
    schedule: str | None = None
    enabled: bool = True
    options: dict[str, Any] = field(default_factory=dict)


def cron_problem(expr: str) -> str | None:
    """Why `expr` is not a valid 5-field cron expression, or None."""
    if len(expr.split()) != 5:
        return f"cron expression {expr!r} must have 5 fields (minute hour day month weekday)"
    try:
        from cronsim import CronSim, CronSimError
    except ImportError:  # cronsim comes with Prefect; without it only the field count is checked
        return None
    try:
        CronSim(expr, dt.datetime.now())
    except CronSimError as exc:
        return f"invalid cron expression {expr!r}: {exc}"
    return None


def _url_problem(url: str) -> str | None:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return None if parts.hostname else f"URL {url!r} has no host"
    if scheme in ("", "file") or len(scheme) == 1:
        return None
    return f"unsupported scheme {scheme!r} in {url!r} (use http, https, file:// or a path)"


def _resolve_local(url: str, folder: Path) -> str:
    """Relative paths in the file are relative to the file's folder."""
    scheme = urlsplit(url).scheme
    if scheme:
        return url
    path = Path(url).expanduser()
    return str(path if path.is_absolute() else (folder / path).resolve())


def parse_sources(text: str, origin: str = "sources.toml", folder: Path | None = None) -> list[FeedConfig]:
    """Validate TOML text; `origin` names it in errors, `folder` anchors relative paths (default cwd)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: not valid TOML: {exc}") from exc
    problems: list[str] = []
    for key in data:
        if key != "feed":
            problems.append(f"unknown top-level key {key!r} (expected [[feed]] tables)")
    raw_feeds = data.get("feed", [])
    if not isinstance(raw_feeds, list):
        problems.append("'feed' must be an array of tables written as [[feed]]")
        raw_feeds = []
    feeds: list[FeedConfig] = []
    names: dict[str, int] = {}
    urls: dict[str, int] = {}
    for number, raw in enumerate(raw_feeds, start=1):
        where = f"[[feed]] #{number}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be a table")
            continue
        before = len(problems)
        for key in raw:
            if key not in FIELDS:
                problems.append(f"{where}: unknown field {key!r} (allowed: {', '.join(FIELDS)})")
        name, url = raw.get("name"), raw.get("url")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: field 'name' is required and must be a non-empty string")
        elif name in names:
            problems.append(f"{where}: field 'name' {name!r} repeats [[feed]] #{names[name]}")
        else:
            names[name] = number
        if not isinstance(url, str) or not url.strip():
            problems.append(f"{where}: field 'url' is required and must be a non-empty string")
        elif (problem := _url_problem(url.strip())) is not None:
            problems.append(f"{where}: field 'url': {problem}")
        elif url.strip() in urls:
            problems.append(f"{where}: field 'url' {url!r} repeats [[feed]] #{urls[url.strip()]}")
        else:
            urls[url.strip()] = number
        schedule = raw.get("schedule")
        if schedule is not None:
            if not isinstance(schedule, str):
                problems.append(f"{where}: field 'schedule' must be a cron string like \"0 * * * *\"")
            elif (problem := cron_problem(schedule)) is not None:
                problems.append(f"{where}: field 'schedule': {problem}")
        enabled = raw.get("enabled", True)
        if not isinstance(enabled, bool):
            problems.append(f"{where}: field 'enabled' must be true or false, not {enabled!r}")
        options = raw.get("options", {})
        if not isinstance(options, dict):
            problems.append(f"{where}: field 'options' must be a table, e.g. options = {{ max_entries = 50 }}")
        else:
            problems.extend(f"{where}: {problem}" for problem in _option_problems(options))
        if len(problems) == before:
            feeds.append(FeedConfig(name=name.strip(), url=_resolve_local(url.strip(), folder or Path.cwd()),
                                    schedule=schedule, enabled=enabled, options=dict(options)))
    if problems:
        raise ConfigError(f"{origin}: {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    return feeds


#: The per-feed options sources.toml accepts, with what each must be.
OPTIONS = {"max_entries": "a whole number >= 1 (take at most this many entries, the feed's first, per poll)"}


def _option_problems(options: dict[str, Any]) -> list[str]:
    problems = [f"unknown option {key!r} (known: {', '.join(OPTIONS)})" for key in options if key not in OPTIONS]
    cap = options.get("max_entries")
    if "max_entries" in options and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
        problems.append(f"option 'max_entries' must be {OPTIONS['max_entries']}, not {cap!r}")
    return problems


def entry_caps(feeds: list[FeedConfig]) -> dict[str, int]:
    """Feed URL -> its `max_entries` option, for the feeds that set one."""
    return {f.url: int(f.options["max_entries"]) for f in feeds if "max_entries" in f.options}


def load_sources(path: Path | str, *, include_disabled: bool = False) -> list[FeedConfig]:
    """The feeds listed in a sources file (enabled ones unless `include_disabled`); ConfigError when invalid."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"sources file {path} not found (pass --sources PATH or set GRIDSCOUT_SOURCES)") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"sources file {path} cannot be read: {exc}") from exc
    feeds = parse_sources(text, str(path), path.resolve().parent)
    return feeds if include_disabled else [f for f in feeds if f.enabled]
