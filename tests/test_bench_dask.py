"""Scale-out check: the ingest flow on a local two-process Dask cluster loads the same rows as the default runner.

Pages come from the benchmark news server on 127.0.0.1; the cluster binds 127.0.0.1 only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("warehouse.load", reason="warehouse.load (helper W) not landed yet")
pytest.importorskip("extractors.pipeline", reason="extractors.pipeline (helper E) not landed yet")
distributed = pytest.importorskip("distributed")
pytest.importorskip("prefect_dask")

from benchmarks.server import NewsServer  # noqa: E402
from flows.ingest import run_ingest  # noqa: E402
from models.settings import Settings  # noqa: E402
from warehouse.queries import run_sql  # noqa: E402

pytestmark = [pytest.mark.prefect, pytest.mark.slow, pytest.mark.timeout(120)]

N_PAGES = 20
FACILITY_KEYS = (
    "select a.url, a.content_hash, f.type, f.name, f.capacity_value, f.capacity_unit, f.capacity_mw, f.location, "
    "f.country, f.status, f.start_char, f.end_char from facilities f join articles a using (article_id) "
    "order by all"
)
MENTION_KEYS = "select article_id, kind, text, start_char, end_char from mentions order by all"


@pytest.fixture(scope="module")
def cluster_address() -> Iterator[str]:
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        yield str(cluster.scheduler_address)


def _ingest(feeds: list[str], db: Path, cluster: str | None) -> None:
    settings = Settings.from_env(db_path=db, allow_private_hosts=True, dask_cluster=cluster, batch_size=10)
    summary = run_ingest(feeds, settings)
    assert (summary.status, summary.loaded, summary.failed) == ("completed", N_PAGES, 0), summary


def test_dask_runner_loads_the_same_rows_as_the_default_runner(prefect_server: str, cluster_address: str,
                                                               tmp_path: Path) -> None:
    with NewsServer() as server, distributed.Client(cluster_address) as client:
        feeds = server.feed_urls(N_PAGES, per_feed=10)
        _ingest(feeds, tmp_path / "default.duckdb", None)
        with distributed.get_task_stream(client) as stream:
            _ingest(feeds, tmp_path / "dask.duckdb", cluster_address)
    assert stream.data, "no task ran on the Dask cluster"
    assert len({t["worker"] for t in stream.data}) >= 1
    default = run_sql(tmp_path / "default.duckdb", FACILITY_KEYS)[1]
    dask = run_sql(tmp_path / "dask.duckdb", FACILITY_KEYS)[1]
    assert len(default) >= N_PAGES  # the generated pages carry ~3 facilities each
    assert dask == default
    assert run_sql(tmp_path / "dask.duckdb", MENTION_KEYS)[1] == run_sql(tmp_path / "default.duckdb", MENTION_KEYS)[1]
