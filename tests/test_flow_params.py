"""Deployment parameters: Settings survive the JSON round trip a scheduled run goes through (no server)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.ingest import settings_from_parameters, settings_parameters
from models.errors import ConfigError
from models.settings import Settings


@given(
    db=st.sampled_from(["gridscout.duckdb", "/data/w.duckdb", "rel/dir/x.duckdb"]),
    batch=st.integers(min_value=1, max_value=5000),
    workers=st.integers(min_value=0, max_value=64),
    hosts=st.lists(st.text(alphabet="abcdefghij.-", min_size=1, max_size=12), max_size=3),
    cluster=st.none() | st.just("tcp://10.0.0.5:8786"),
    ratio=st.floats(min_value=0, max_value=1),
)
def test_settings_round_trip_through_json(db: str, batch: int, workers: int, hosts: list[str],
                                          cluster: str | None, ratio: float) -> None:
    settings = Settings(db_path=Path(db), batch_size=batch, workers=workers, private_hosts_allowlist=tuple(hosts),
                        dask_cluster=cluster, failure_ratio=ratio, extra={"k": "v"})
    params = json.loads(json.dumps(settings_parameters(settings)))
    assert settings_from_parameters(params) == settings


def test_unknown_setting_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="unknown settings in the flow parameters: batchsize"):
        settings_from_parameters({"batchsize": 3})


@pytest.mark.parametrize(
    ("feeds", "groups", "names"),
    [
        ([("a", None), ("b", None)], {"0 * * * *": ["a", "b"]}, {"0 * * * *": "gridscout-ingest"}),
        ([("a", None), ("b", "*/15 * * * *"), ("c", "0 6 * * *"), ("d", "*/15 * * * *")],
         {"0 * * * *": ["a"], "*/15 * * * *": ["b", "d"], "0 6 * * *": ["c"]},
         {"0 * * * *": "gridscout-ingest", "*/15 * * * *": "gridscout-ingest-2", "0 6 * * *": "gridscout-ingest-3"}),
        ([("a", "0 6 * * *")], {"0 6 * * *": ["a"]}, {"0 6 * * *": "gridscout-ingest-2"}),
    ],
)
def test_feeds_are_grouped_by_schedule(feeds: list[tuple[str, str | None]], groups: dict[str, list[str]],
                                       names: dict[str, str]) -> None:
    from flows.deployments import deployment_names, schedule_groups

    assert schedule_groups(feeds, "0 * * * *") == groups
    assert deployment_names(groups, "0 * * * *") == names


def test_sources_file_schedules_reach_the_groups(tmp_path: Path) -> None:
    from flows.cli_ingest import _scheduled_feeds
    from flows.deployments import schedule_groups

    (tmp_path / "local.xml").write_text("<rss version='2.0'><channel></channel></rss>", "utf-8")
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[feed]]\nname = "wire"\nurl = "https://wire.example/energy.rss"\n\n'
        '[[feed]]\nname = "fast"\nurl = "https://fast.example/feed.xml"\nschedule = "*/15 * * * *"\n\n'
        '[[feed]]\nname = "off"\nurl = "https://off.example/feed.xml"\nenabled = false\n\n'
        '[[feed]]\nname = "local"\nurl = "local.xml"\noptions = { max_entries = 3 }\n', "utf-8")
    scheduled, settings = _scheduled_feeds(Settings(sources_file=sources))
    groups = schedule_groups(scheduled, "0 * * * *")
    assert groups["*/15 * * * *"] == ["https://fast.example/feed.xml"]
    assert groups["0 * * * *"][0] == "https://wire.example/energy.rss" and len(groups["0 * * * *"]) == 2
    assert "off.example" not in str(groups)
    assert settings.feed_max_entries == {groups["0 * * * *"][1]: 3}  # the local feed, by its resolved location
    assert settings_from_parameters(settings_parameters(settings)).feed_max_entries == settings.feed_max_entries


@pytest.mark.parametrize(
    ("given_hosts", "expected"),
    [
        (None, None),  # no --allow-host: keep the default (empty) allowlist
        ([], None),
        (["127.0.0.1"], ("127.0.0.1",)),
        (["Feeds.Local ", "127.0.0.1", "feeds.local", " "], ("feeds.local", "127.0.0.1")),
    ],
)
def test_allow_host_values_become_the_allowlist(given_hosts: list[str] | None,
                                                expected: tuple[str, ...] | None) -> None:
    from flows.cli_ingest import allowlist

    assert allowlist(given_hosts) == expected
    settings = Settings.from_env(private_hosts_allowlist=allowlist(given_hosts))
    assert settings.private_hosts_allowlist == (expected or ())
