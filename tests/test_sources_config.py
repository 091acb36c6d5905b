"""sources.toml validation and `gridscout sources check`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from models.errors import ConfigError
from sources.config import FeedConfig, load_sources, parse_sources
from servers import serve

VALID = """
[[feed]]
name = "wire"
url = "https://wire.example/rss"
schedule = "*/30 * * * *"
options = { max_entries = 20 }

[[feed]]
name = "local"
url = "feeds/local.xml"

[[feed]]
name = "paused"
url = "file:///srv/feeds/paused.xml"
enabled = false
"""


def test_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(VALID)
    feeds = load_sources(path)
    assert feeds == [
        FeedConfig("wire", "https://wire.example/rss", "*/30 * * * *", True, {"max_entries": 20}),
        FeedConfig("local", str(tmp_path / "feeds" / "local.xml")),  # relative to the file's folder
    ]
    assert [f.name for f in load_sources(path, include_disabled=True)] == ["wire", "local", "paused"]


@pytest.mark.parametrize(("text", "message"), [
    ('[[feed]]\nurl = "https://a.example/rss"', "[[feed]] #1: field 'name' is required"),
    ('[[feed]]\nname = "a"', "[[feed]] #1: field 'url' is required"),
    ('[[feed]]\nname = "a"\nurl = "ftp://a.example/rss"', "[[feed]] #1: field 'url': unsupported scheme 'ftp'"),
    ('[[feed]]\nname = "a"\nurl = "https:///rss"', "[[feed]] #1: field 'url': URL 'https:///rss' has no host"),
    ('[[feed]]\nname = "a"\nurl = "a.xml"\nschedule = "hourly"', "[[feed]] #1: field 'schedule'"),
    ('[[feed]]\nname = "a"\nurl = "a.xml"\nschedule = "99 * * * *"', "invalid cron expression '99 * * * *'"),
    ('[[feed]]\nname = "a"\nurl = "a.xml"\nenabled = "yes"', "[[feed]] #1: field 'enabled' must be true or false"),
    ('[[feed]]\nname = "a"\nurl = "a.xml"\noptions = 3', "[[feed]] #1: field 'options' must be a table"),
    ('[[feed]]\nname = "a"\nurl = "a.xml"\ncolour = "red"', "[[feed]] #1: unknown field 'colour'"),
    ('[[feed]]\nname = "a"\nurl = "a.xml"\noptions = { max_entries = 0 }', "option 'max_entries' must be a whole"),
    ('[[feed]]\nname = "a"\nurl = "a.xml"\noptions = { max_entries = "5" }', "not '5'"),
    ('[[feed]]\nname = "a"\nurl = "a.xml"\noptions = { max_entries = true }', "not True"),
    ('[[feed]]\nname = "a"\nurl = "a.xml"\noptions = { depth = 2 }', "[[feed]] #1: unknown option 'depth'"),
    ('[[feed]]\nname = "a"\nurl = "a.xml"\n[[feed]]\nname = "a"\nurl = "b.xml"',
     "[[feed]] #2: field 'name' 'a' repeats [[feed]] #1"),
    ('[[feed]]\nname = "a"\nurl = "a.xml"\n[[feed]]\nname = "b"\nurl = "a.xml"',
     "[[feed]] #2: field 'url' 'a.xml' repeats [[feed]] #1"),
    ('feeds = []', "unknown top-level key 'feeds'"),
    ('feed = "x"', "'feed' must be an array of tables"),
])
def test_invalid_files_name_file_entry_and_field(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_sources(text, "conf/sources.toml")
    assert message in str(info.value)
    assert str(info.value).startswith("conf/sources.toml: 1 problem(s)")


def test_toml_syntax_error_names_the_file() -> None:
    with pytest.raises(ConfigError, match=r"^conf/sources.toml: not valid TOML"):
        parse_sources('[[feed]\nname = "a"', "conf/sources.toml")


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(ConfigError) as info:
        parse_sources('[[feed]]\nname = ""\nurl = "gopher://x"\n[[feed]]\nname = "b"\nurl = "b.xml"\nenabled = 1')
    assert "3 problem(s)" in str(info.value)


def test_missing_file() -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_sources("/nonexistent/sources.toml")


def _cli():
    from flows.cli import app

    return app


def test_sources_check_reports_reachability_and_last_poll(tmp_path: Path) -> None:
    from warehouse.db import connect
    from warehouse.load import set_feed_state

    feed = tmp_path / "feed.xml"
    feed.write_text("<rss version='2.0'><channel><item><title>t</title><link>a.html</link></item></channel></rss>")
    db = tmp_path / "w.duckdb"
    con = connect(db)
    set_feed_state(con, str(feed), None, None, dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.timezone.utc), "ok")
    con.close()
    rss = "<rss version='2.0'><channel><item><title>x</title><link>/x</link></item></channel></rss>"
    with serve({"/rss": (200, {"Content-Type": "application/rss+xml"}, rss)}) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[feed]]\nname = "local"\nurl = "feed.xml"\n'
                           f'[[feed]]\nname = "served"\nurl = "{server.url("/rss")}"\n'
                           f'[[feed]]\nname = "gone"\nurl = "missing.xml"\n')
        result = CliRunner().invoke(_cli(), ["sources", "check", "--sources", str(sources), "--db", str(db),
                                             "--allow-private-hosts"], env={"COLUMNS": "250"})
    assert result.exit_code == 1, result.output  # one feed is unreachable
    lines = {line.split()[1]: line for line in result.output.splitlines() if line.startswith("│ ")
             and line.split()[1] in ("local", "served", "gone")}
    assert "yes ok, 1 entries" in lines["local"] and "2024-05-01 10:00 UTC (ok)" in lines["local"]
    assert "yes ok, 1 entries" in lines["served"] and "never" in lines["served"]
    assert "no not_found" in lines["gone"]


def test_sources_check_rejects_an_invalid_file(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[feed]]\nname = "a"\n')
    result = CliRunner().invoke(_cli(), ["sources", "check", "--sources", str(sources), "--no-probe"])
    assert result.exit_code == 2
    assert "[[feed]] #1: field 'url' is required" in result.output


@pytest.mark.parametrize(("flags", "reachable"), [
    ([], "no private_address"),                   # loopback is refused by default
    (["--allow-host", "127.0.0.1"], "yes ok"),    # exactly that host is exempt
    (["--allow-host", "10.0.0.9"], "no private_address"),  # another host does not open loopback
])
def test_sources_check_allow_host_exempts_exactly_that_host(tmp_path: Path, flags: list[str], reachable: str) -> None:
    rss = "<rss version='2.0'><channel><item><title>x</title><link>/x</link></item></channel></rss>"
    with serve({"/rss": (200, {"Content-Type": "application/rss+xml"}, rss)}) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[feed]]\nname = "served"\nurl = "{server.url("/rss")}"\n')
        result = CliRunner().invoke(_cli(), ["sources", "check", "--sources", str(sources), *flags],
                                    env={"COLUMNS": "250"})
    line = next(x for x in result.output.splitlines() if x.startswith("│ served"))
    assert reachable in line, result.output
    assert result.exit_code == (0 if reachable.startswith("yes") else 1)
