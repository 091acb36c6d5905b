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
