"""End to end through the CLI and the Prefect flow (one session Prefect server): demo, run over a local HTTP
server, failures recorded while the rest loads, overlapping runs, the deployment and its schedule.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("warehouse.load", reason="warehouse.load (helper W) not landed yet")
pytest.importorskip("extractors.pipeline", reason="extractors.pipeline (helper E) not landed yet")

from flows import steps  # noqa: E402
from flows.cli import app  # noqa: E402
from flows.cli_ingest import demo_feed_path  # noqa: E402
from models.settings import Settings  # noqa: E402
from servers import serve  # noqa: E402  (tests/servers.py, a 127.0.0.1 test server)
from warehouse.queries import run_sql  # noqa: E402

pytestmark = pytest.mark.prefect

DEMO_DIR = demo_feed_path().parent
# Tables that log runs rather than hold data: a new run adds its `runs` row by design.
LOG_TABLES = {"runs"}


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def explain(result: object, db: Path) -> str:
    """CLI output plus the failures table, for assertion messages."""
    rows = run_sql(db, "select url, stage, reason, detail from failures")[1] if db.exists() else []
    return f"{getattr(result, 'output', '')}\nfailures: {rows}"


def table_counts(db: Path) -> dict[str, int]:
    _, tables = run_sql(db, "select table_name from information_schema.tables where table_schema = 'main' "
                            "and table_type = 'BASE TABLE' order by 1")
    return {t: run_sql(db, f'select count(*) from "{t}"')[1][0][0] for (t,) in tables}


@pytest.fixture(scope="module")
def demo_db(prefect_server: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The demo ingested once into a fresh warehouse; returns (db, CLI output)."""
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    result = CliRunner().invoke(app, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db, result.output


def test_demo_prints_summary_and_leaves_a_queryable_warehouse(demo_db: tuple[Path, str]) -> None:
    db, output = demo_db
    for expected in ("ingest run", "loaded", "facilities by type", "gridscout sql"):
        assert expected in output
    result = CliRunner().invoke(app, ["sql", "select type, count(*) from facilities group by 1", "--db", str(db)])
    assert result.exit_code == 0, result.output
    counts = table_counts(db)
    assert counts["articles"] >= 12
    types = {t for (t,) in run_sql(db, "select distinct type from facilities")[1]}
    assert {"solar", "wind"} <= types and len(types) >= 5


def test_demo_twice_leaves_data_tables_unchanged(demo_db: tuple[Path, str]) -> None:
    db, _ = demo_db
    before = table_counts(db)
    result = CliRunner().invoke(app, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    after = table_counts(db)
    assert {t: n for t, n in after.items() if t not in LOG_TABLES} == \
        {t: n for t, n in before.items() if t not in LOG_TABLES}
    assert after["runs"] == before["runs"] + 1


def test_run_ingests_a_feed_served_over_http(prefect_server: str, tmp_path: Path) -> None:
    db = tmp_path / "http.duckdb"
    with serve(root=DEMO_DIR) as server:
        result = CliRunner().invoke(app, ["run", "--feed", server.url("/feed.xml"), "--db", str(db),
                                          "--allow-private-hosts", "--no-progress", "--batch-size", "5"])
        base = server.base_url
    assert result.exit_code == 0, explain(result, db)
    _, rows = run_sql(db, "select url from articles order by url")
    assert len(rows) >= 12 and all(url.startswith(base) for (url,) in rows)
    _, runs = run_sql(db, "select loaded, duplicate, failed from runs")
    assert runs == [(len(rows), 2, 0)]  # the tracked-URL copy and the syndicated copy are duplicates


def test_malformed_feed_and_unreachable_page_are_recorded_while_the_rest_loads(prefect_server: str,
                                                                              tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{closed_port()}/gone.html"
    routes = {
        "/broken.xml": (200, {"Content-Type": "application/rss+xml"},
                        "<rss version='2.0'><channel><title>broken<item><link>x</lin"),
        "/dead.xml": (200, {"Content-Type": "application/rss+xml"},
                      "<?xml version='1.0'?><rss version='2.0'><channel><title>dead links</title>"
                      f"<item><title>Gone</title><link>{dead}</link><description>short</description></item>"
                      "</channel></rss>"),
    }
    db = tmp_path / "fail.duckdb"
    with serve(routes, root=DEMO_DIR) as server:
        feeds = [server.url("/feed.xml"), server.url("/broken.xml"), server.url("/dead.xml")]
        args = ["run", "--db", str(db), "--allow-private-hosts", "--no-progress"]
        result = CliRunner().invoke(app, args + [a for f in feeds for a in ("--feed", f)])
    assert result.exit_code == 0, explain(result, db)  # 2 failures among 18 stay under the failure ratio
    _, failures = run_sql(db, "select url, stage, reason from failures order by stage, url")
    assert (feeds[1], "feed", "malformed_feed") in failures
    # the dead host cannot even serve robots.txt: RFC 9309 says disallow, so the entry is skipped, with a reason
    [(stage, reason)] = [(st, r) for url, st, r in failures if url == dead]
    assert stage == "fetch" and reason
    _, loaded = run_sql(db, "select count(*) from articles")
    assert loaded[0][0] >= 12
    _, runs = run_sql(db, "select failed + skipped, loaded, entries from runs")
    assert runs == [(1, loaded[0][0], 18)]


def test_overlapping_run_is_skipped_with_a_message(prefect_server: str, tmp_path: Path,
                                                   capfd: pytest.CaptureFixture[str],
                                                   caplog: pytest.LogCaptureFixture) -> None:
    from flows.ingest import run_ingest

    db = tmp_path / "busy.duckdb"
    settings = Settings(db_path=db, lock_retries=1, lock_retry_delay=0.3)
    with steps.run_lock(db, wait_seconds=0):
        summary = run_ingest([str(demo_feed_path())], settings)
    assert summary.status == "skipped" and summary.entries == 0
    # our loggers write through Prefect's console handler when they are Prefect "extra loggers", else to caplog
    logged = capfd.readouterr().err + caplog.text
    assert f"another ingest run (PID {os.getpid()}) is writing to {db}; waited 0.3 s" in logged
    assert not db.exists()  # the skipped run never opened the warehouse


def test_deployments_and_cron_schedules_resolve(prefect_server: str, tmp_path: Path) -> None:
    from flows.deployments import build_deployments, deployment_parameters

    settings = Settings(db_path=tmp_path / "sched.duckdb")
    demo = str(demo_feed_path())
    groups = {"0 * * * *": [demo], "*/15 * * * *": ["https://fast.example/feed.xml"]}
    deployments = {d.name: d for d in build_deployments(groups, settings)}
    assert set(deployments) == {"gridscout-ingest", "gridscout-ingest-2"}
    hourly, fast = deployments["gridscout-ingest"], deployments["gridscout-ingest-2"]
    assert [s.schedule.cron for s in hourly.schedules] == ["0 * * * *"]
    assert [s.schedule.cron for s in fast.schedules] == ["*/15 * * * *"]
    assert hourly.parameters == deployment_parameters([demo], settings)
    assert fast.parameters["feeds"] == ["https://fast.example/feed.xml"]
    assert hourly.parameters["settings"]["db_path"] == str(tmp_path / "sched.duckdb")
    assert hourly.entrypoint.endswith("flows/ingest.py:ingest")


def test_a_run_triggered_through_the_api_completes(prefect_server: str, tmp_path: Path) -> None:
    """Register the deployment, create a run through the API and let a Prefect runner execute it once."""
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.runner import Runner

    from flows.deployments import build_deployment

    db = tmp_path / "api.duckdb"
    deployment = build_deployment([str(demo_feed_path())], Settings(db_path=db, workers=1))
    runner = Runner(pause_on_shutdown=False, query_seconds=1)
    deployment_id = runner.add_deployment(deployment)

    async def create_run() -> object:
        async with get_client() as client:
            stored = await client.read_deployment(deployment_id)
            assert [s.schedule.cron for s in stored.schedules] == ["0 * * * *"]
            return (await client.create_flow_run_from_deployment(deployment_id)).id

    async def final_state_and_artifact(run_id: object) -> tuple[object, object]:
        from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

        async with get_client() as client:
            state = (await client.read_flow_run(run_id)).state  # type: ignore[arg-type]
            artifacts = await client.read_artifacts(
                artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))
            return state, artifacts

    run_id = asyncio.run(create_run())
    asyncio.run(runner.start(run_once=True))
    state, artifacts = asyncio.run(final_state_and_artifact(run_id))
    assert state is not None and state.is_completed(), state  # type: ignore[attr-defined]
    _, runs = run_sql(db, "select status, loaded from runs")
    assert runs == [("completed", 15)]
    [artifact] = artifacts  # type: ignore[misc]
    assert artifact.key == "ingest-summary" and artifact.type == "table"
    table = artifact.data if isinstance(artifact.data, list) else json.loads(artifact.data)
    assert {"metric": "loaded", "value": 15} in table


class FlakySource:
    """The real source, except that each listed page times out on its first `failures` attempts."""

    def __init__(self, inner: object, flaky: set[str], failures: int) -> None:
        self.inner, self.flaky, self.failures = inner, flaky, failures
        self.attempts: dict[str, int] = {}

    def __enter__(self) -> "FlakySource":
        return self

    def __exit__(self, *exc: object) -> None:
        self.inner.__exit__(*exc)  # type: ignore[attr-defined]

    def fetch_feed(self, *args: object, **kwargs: object) -> object:
        return self.inner.fetch_feed(*args, **kwargs)  # type: ignore[attr-defined]

    def fetch_page(self, entry: object) -> object:
        from models.errors import FetchError

        url = entry.url  # type: ignore[attr-defined]
        n = self.attempts[url] = self.attempts.get(url, 0) + 1
        if any(url.endswith(f) for f in self.flaky) and n <= self.failures:
            raise FetchError(f"{url}: timed out (test)", url=url, reason="timeout")
        return self.inner.fetch_page(entry)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("failures", "outcome"), [(2, "loaded"), (5, "failed")])
def test_transient_page_failures_are_retried_with_backoff(prefect_server: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch, failures: int,
                                                          outcome: str) -> None:
    import sources
    from flows.ingest import run_ingest

    made: list[FlakySource] = []

    def flaky_source(settings: Settings) -> FlakySource:
        made.append(FlakySource(sources.source.Source(settings), {"kestrel-bank-offshore.html"}, failures))
        return made[-1]

    monkeypatch.setattr(sources, "open_source", flaky_source)
    db = tmp_path / "flaky.duckdb"
    summary = run_ingest([str(demo_feed_path())], Settings(db_path=db, workers=1, fetch_retries=2))
    [attempts] = [n for url, n in made[0].attempts.items() if url.endswith("kestrel-bank-offshore.html")]
    assert attempts == min(failures + 1, 3)  # first fetch + at most fetch_retries more, 1 s and 2 s apart
    _, rows = run_sql(db, "select count(*) from articles where url like '%kestrel-bank-offshore.html'")
    assert rows[0][0] == (1 if outcome == "loaded" else 0)
    assert (summary.loaded, summary.failed) == ((15, 0) if outcome == "loaded" else (14, 1))


def test_a_run_over_the_failure_ratio_fails(prefect_server: str, tmp_path: Path) -> None:
    from flows.ingest import IngestRunFailed, ingest

    feed = tmp_path / "missing.xml"
    feed.write_text("<?xml version='1.0'?><rss version='2.0'><channel><title>gone</title>"
                    "<item><title>a</title><link>gone-a.html</link><description>short</description></item>"
                    "<item><title>b</title><link>gone-b.html</link><description>short</description></item>"
                    "</channel></rss>", "utf-8")
    db = tmp_path / "ratio.duckdb"
    result = CliRunner().invoke(app, ["run", "--feed", str(feed), "--db", str(db), "--no-progress"])
    assert result.exit_code == 1, explain(result, db)
    assert "run failed: 2 of 2 entries" in result.output
    _, runs = run_sql(db, "select status, failed from runs")
    assert runs == [("failed", 2)]
    with pytest.raises(IngestRunFailed, match="2 of 2 entries"):  # the flow called directly raises
        ingest([feed.as_uri()], Settings(db_path=db, workers=1))


def test_allow_host_exempts_only_that_host(prefect_server: str, tmp_path: Path) -> None:
    routes = {
        "/feed.xml": (200, {"Content-Type": "application/rss+xml"},
                      "<?xml version='1.0'?><rss version='2.0'><channel><title>local</title>"
                      "<item><title>SMR</title><link>/pages/ridgewater-smr.html</link></item>"
                      "<item><title>Metadata</title><link>/latest</link><description>short</description></item>"
                      "</channel></rss>"),
        "/latest": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
    }
    db = tmp_path / "allow.duckdb"
    with serve(routes, root=DEMO_DIR) as server:
        feed = server.url("/feed.xml")
        refused = CliRunner().invoke(app, ["run", "--feed", feed, "--db", str(db), "--no-progress"])
        allowed = CliRunner().invoke(app, ["run", "--feed", feed, "--db", str(db), "--no-progress",
                                           "--allow-host", "127.0.0.1"])
        page_url = server.url("/pages/ridgewater-smr.html")
        redirect_url = server.url("/latest")
    # without --allow-host the local feed itself is refused (the only feed failed: the run fails)
    assert refused.exit_code == 1, explain(refused, db)
    # with it the feed and its page load, while the redirect to the metadata address is still refused
    assert allowed.exit_code == 0, explain(allowed, db)
    _, urls = run_sql(db, "select url from articles")
    assert urls == [(page_url,)]
    _, failures = run_sql(db, "select url, stage, reason from failures order by url")
    assert failures == [(feed, "feed", "private_address"), (redirect_url, "fetch", "private_address")]
    _, runs = run_sql(db, "select entries, loaded, failed, status from runs order by started_at")
    assert runs == [(0, 0, 0, "failed"), (2, 1, 1, "completed")]


def test_run_from_a_sources_file_takes_at_most_max_entries_per_feed(prefect_server: str, tmp_path: Path) -> None:
    """`gridscout run --sources FILE`: the feed's `options = { max_entries = N }` caps the entries of each poll."""
    db = tmp_path / "capped.duckdb"
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[feed]]\nname = "demo"\nurl = "{demo_feed_path().as_posix()}"\n'
                       f'options = {{ max_entries = 3 }}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "--sources", str(sources), "--db", str(db), "--no-progress"])
    assert result.exit_code == 0, explain(result, db)
    [(entries,)] = run_sql(db, "select entries from runs")[1]
    assert entries == 3
    assert run_sql(db, "select count(*) from articles")[1][0][0] <= 3
