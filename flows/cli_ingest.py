"""CLI group for ingestion: `gridscout demo`, `gridscout run`, `gridscout reextract`, `gridscout serve`.

Commands only wire: build Settings, run the Prefect flow (flows/ingest.py), print rich tables. Prefect is
imported lazily so `gridscout --help` stays fast.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from importlib import resources
from dataclasses import replace
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from flows.deployments import DEFAULT_CRON, DEPLOYMENT_NAME
from models.errors import GridscoutError
from models.records import RunSummary
from models.settings import Settings

PREFECT_ENV_DEFAULTS = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    # our own loggers' warnings (one line per failed/skipped entry, with URL and reason) reach the Prefect UI
    "PREFECT_LOGGING_EXTRA_LOGGERS": "flows,sources,extractors,warehouse",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",  # the same loggers outside a flow run (plain calls)
}
EXAMPLE_QUERIES = (
    "select type, count(*) as n, round(sum(capacity_mw)) as mw from facilities group by 1 order by 2 desc",
    "select type, name, capacity_mw, location, country, status from facilities "
    "order by capacity_mw desc nulls last limit 10",
    "select a.title, count(f.type) as facilities from articles a left join facilities f using (article_id) "
    "group by 1 order by 2 desc",
    "select r.started_at, f.url, f.stage, f.reason from failures f join runs r using (run_id) "
    "order by r.started_at desc limit 10",
)

out = Console()
err = Console(stderr=True)


def apply_prefect_env_defaults() -> None:
    """Offline-friendly Prefect settings unless the user set them (must run before Prefect is imported)."""
    for key, value in PREFECT_ENV_DEFAULTS.items():
        os.environ.setdefault(key, value)


apply_prefect_env_defaults()


def demo_feed_path() -> Path:
    """The bundled sample feed (package data)."""
    return Path(str(resources.files("flows") / "demo_data" / "feed.xml"))


ALLOW_HOST_HELP = ("Exempt exactly this host name or address from the private-address check (e.g. 127.0.0.1 for "
                   "a local server); every other host, redirects included, is still checked. Repeatable.")


def allowlist(hosts: list[str] | None) -> tuple[str, ...] | None:
    """--allow-host values as Settings.private_hosts_allowlist (None: keep the default)."""
    clean = tuple(dict.fromkeys(h.strip().lower() for h in hosts or () if h.strip()))
    return clean or None


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def _exit_code(summary: RunSummary) -> int:
    return 1 if summary.status == "failed" else 0


def summary_table(summary: RunSummary) -> Table:
    """The run's counts per entry state plus time per stage."""
    from flows.steps import summary_rows

    table = Table(title=f"ingest run {summary.run_id}", show_header=True)
    table.add_column("metric")
    table.add_column("value", justify="right")
    for row in summary_rows(summary):
        value = row["value"]
        table.add_row(str(row["metric"]), f"{value:.2f}" if isinstance(value, float) else str(value))
    return table


def _rows_table(title: str, cols: list[str], rows: list[tuple[Any, ...]]) -> Table:
    table = Table(title=title)
    for c in cols:
        table.add_column(c)
    for r in rows:
        table.add_row(*("" if v is None else str(v) for v in r))
    return table


def print_warehouse_overview(db: Path, summary: RunSummary) -> None:
    """Articles, facilities by type and this run's failures, read back from the warehouse."""
    from warehouse.queries import Overview, overview

    view = overview(db, summary.run_id)
    out.print(f"[bold]{view.articles}[/] articles in {db}")
    out.print(_rows_table("facilities by type", list(Overview.FACILITY_COLUMNS), view.facilities_by_type))
    rows = view.failures
    if rows:
        out.print(_rows_table(f"failed or skipped entries in this run ({len(rows)})", list(Overview.FAILURE_COLUMNS),
                              rows))
    else:
        out.print("no failed or skipped entries in this run")


def _run_with_progress(feeds: list[str], settings: Settings, show_progress: bool) -> RunSummary:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from flows import ingest as ingest_module

    if not show_progress:
        return ingest_module.run_ingest(feeds, settings)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=err, transient=False)
    task_id = progress.add_task("starting Prefect and polling feeds", total=None)

    def listener(stage: str, done: int, total: int) -> None:
        progress.update(task_id, description=stage, completed=done, total=max(total, 1))

    ingest_module.progress_listeners.append(listener)
    try:
        with progress:
            return ingest_module.run_ingest(feeds, settings)
    finally:
        ingest_module.progress_listeners.remove(listener)


def _report(summary: RunSummary, settings: Settings) -> None:
    if summary.status == "skipped":
        err.print(f"[yellow]skipped:[/] another ingest run is writing to {settings.db_path}; nothing was done.")
        return
    out.print(summary_table(summary))
    if summary.entries == 0 and summary.status == "completed":
        out.print("no new entries: the feeds are unchanged since their last poll (ETag/Last-Modified) or empty")


def _scheduled_feeds(settings: Settings) -> tuple[list[tuple[str, str | None]], Settings]:
    """(url, own cron schedule or None) of every enabled feed in the sources file, and the settings with the
    feeds' `max_entries` options."""
    from sources.config import entry_caps, load_sources

    configs = load_sources(settings.sources_file)
    return [(s.url, s.schedule) for s in configs], replace(settings, feed_max_entries=entry_caps(configs))


def register(app: typer.Typer) -> None:
    """Add demo, run, reextract and serve to the root app."""

    @app.command()
    def demo(
        db: Path = typer.Option(None, "--db", help="Warehouse file (default ./gridscout.duckdb or GRIDSCOUT_DB)."),
        workers: Optional[int] = typer.Option(None, "--workers", help="CPU worker processes (0 = one per core)."),
    ) -> None:
        """Offline demo: ingest the bundled sample feed through the Prefect flow and summarise the warehouse."""
        settings = Settings.from_env(db_path=db, workers=workers)
        feed = demo_feed_path()
        out.print(f"ingesting the bundled demo feed {feed} into {settings.db_path} (offline)")
        started = time.perf_counter()
        try:
            summary = _run_with_progress([str(feed)], settings, show_progress=False)
            _report(summary, settings)
            if summary.status != "skipped":
                print_warehouse_overview(settings.db_path, summary)
        except GridscoutError as exc:
            raise _fail(str(exc)) from exc
        out.print(f"demo finished in {time.perf_counter() - started:.1f} s. Try:")
        for sql in EXAMPLE_QUERIES:
            out.print(f'  gridscout sql "{sql}" --db {settings.db_path}', highlight=False, soft_wrap=True)
        raise typer.Exit(_exit_code(summary))

    @app.command()
    def run(
        feed: list[str] = typer.Option(None, "--feed", help="Feed URL or local path; repeat for several."),
        db: Path = typer.Option(None, "--db", help="Warehouse file (default ./gridscout.duckdb or GRIDSCOUT_DB)."),
        sources: Path = typer.Option(None, "--sources", help="sources.toml listing feeds (used when no --feed)."),
        allow_private_hosts: bool = typer.Option(False, "--allow-private-hosts",
                                                 help="Allow loopback/private addresses (tests, local servers)."),
        allow_host: list[str] = typer.Option(None, "--allow-host", help=ALLOW_HOST_HELP),
        cluster: str = typer.Option(None, "--cluster", help="Dask scheduler address for main text + extraction."),
        batch_size: Optional[int] = typer.Option(None, "--batch-size", min=1, help="Entries per task."),
        workers: Optional[int] = typer.Option(None, "--workers", min=0,
                                              help="CPU worker processes (0 = one per core, 1 = in-process)."),
        progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
    ) -> None:
        """Ingest real feeds (URLs or local paths) through the Prefect flow; exit 1 when too many entries fail."""
        settings = Settings.from_env(
            db_path=db, sources_file=sources, allow_private_hosts=allow_private_hosts or None,
            private_hosts_allowlist=allowlist(allow_host), dask_cluster=cluster, batch_size=batch_size,
            workers=workers,
        )
        try:
            if feed:
                feeds = list(feed)
            else:
                scheduled, settings = _scheduled_feeds(settings)
                feeds = [url for url, _ in scheduled]
            if not feeds:
                raise _fail(f"no feeds: pass --feed URL_OR_PATH or list feeds in {settings.sources_file}")
            summary = _run_with_progress(feeds, settings, show_progress=progress)
        except GridscoutError as exc:
            raise _fail(str(exc)) from exc
        _report(summary, settings)
        if summary.status == "failed":
            err.print(f"[bold red]run failed:[/] {summary.failed} of {summary.entries} entries and "
                      f"{summary.failed_feeds} of {summary.feeds} feeds failed (limit {settings.failure_ratio:.0%});"
                      f" see the failures table (run_id {summary.run_id}).", highlight=False)
        raise typer.Exit(_exit_code(summary))

    @app.command()
    def reextract(
        db: Path = typer.Option(None, "--db", help="Warehouse file (default ./gridscout.duckdb or GRIDSCOUT_DB)."),
        batch_size: Optional[int] = typer.Option(None, "--batch-size", min=1, help="Articles per transaction."),
        workers: Optional[int] = typer.Option(None, "--workers", min=0,
                                              help="CPU worker processes (0 = one per core, 1 = in-process)."),
    ) -> None:
        """Extract stored articles again whose extractor or pattern-set version is stale (after an upgrade)."""
        from flows.steps import current_versions, run_reextract

        settings = Settings.from_env(db_path=db, batch_size=batch_size, workers=workers)
        if not settings.db_path.exists():
            raise _fail(f"no warehouse at {settings.db_path}: run `gridscout run` or `gridscout demo` first")
        ev, pv = current_versions()
        err.print(f"re-extracting stored articles not extracted by extractor {ev} / pattern set {pv}",
                  highlight=False)
        try:
            summary = run_reextract(settings)
        except GridscoutError as exc:
            raise _fail(str(exc)) from exc
        if summary.status == "skipped":
            err.print(f"[yellow]skipped:[/] another run is writing to {settings.db_path}; nothing was done.")
            raise typer.Exit(0)
        out.print(f"re-extracted {summary.loaded} of {summary.entries} stale articles "
                  f"({summary.failed} failed, {summary.facilities} facilities), run_id {summary.run_id}",
                  highlight=False)
        raise typer.Exit(_exit_code(summary))

    @app.command()
    def serve(
        cron: str = typer.Option(DEFAULT_CRON, "--cron",
                                 help="Cron schedule (default hourly) for feeds without their own schedule."),
        name: str = typer.Option(DEPLOYMENT_NAME, "--name", help="Deployment name."),
        feed: list[str] = typer.Option(None, "--feed", help="Feed URL or path (default: every feed in --sources)."),
        db: Path = typer.Option(None, "--db", help="Warehouse file (default ./gridscout.duckdb or GRIDSCOUT_DB)."),
        sources: Path = typer.Option(None, "--sources", help="sources.toml listing feeds (and their schedules)."),
        allow_private_hosts: bool = typer.Option(
            False, "--allow-private-hosts", help="Allow feeds and pages on private/loopback addresses (unsafe)."),
        allow_host: list[str] = typer.Option(None, "--allow-host", help=ALLOW_HOST_HELP),
        start_server: Optional[bool] = typer.Option(
            None, "--start-server/--no-start-server",
            help="Start a local Prefect server on 127.0.0.1 (default: when PREFECT_API_URL is not set)."),
        port: int = typer.Option(4200, "--port", help="Port of the local Prefect server/UI started by serve."),
    ) -> None:
        """Serve the ingest flow as Prefect deployments on cron schedules (runs until interrupted)."""
        from flows.deployments import build_deployments, deployment_names, schedule_groups
        from sources.config import cron_problem

        problem = cron_problem(cron)
        if problem is not None:
            raise _fail(f"--cron: {problem}")
        settings = Settings.from_env(db_path=db, sources_file=sources, allow_private_hosts=allow_private_hosts or None,
                                     private_hosts_allowlist=allowlist(allow_host))
        try:
            if feed:
                scheduled: list[tuple[str, str | None]] = [(f, None) for f in feed]
            else:
                scheduled, settings = _scheduled_feeds(settings)
        except GridscoutError as exc:
            raise _fail(str(exc)) from exc
        if not scheduled:
            raise _fail(f"no feeds: pass --feed or list feeds in {settings.sources_file}")
        groups = schedule_groups(scheduled, cron)
        server = None
        if start_server or (start_server is None and not os.environ.get("PREFECT_API_URL")):
            server = start_local_server(port)
        try:
            names = deployment_names(groups, cron, name)
            for group_cron, urls in sorted(groups.items()):
                err.print(f"deployment ingest/{names[group_cron]}: cron '{group_cron}', {len(urls)} feed(s)",
                          highlight=False)
            err.print(f"Prefect UI: {os.environ.get('PREFECT_UI_URL') or os.environ.get('PREFECT_API_URL', '')}",
                      highlight=False)
            from flows.deployments import serve_deployments

            serve_deployments(build_deployments(groups, settings, default_cron=cron, name=name))
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)


def _free_port_or(port: int) -> int:
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", port)) != 0:
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_local_server(port: int, timeout: float = 120.0) -> subprocess.Popen[bytes]:
    """Start `prefect server start` on 127.0.0.1 and point this process at it (schedules need a real server)."""
    import httpx

    port = _free_port_or(port)
    prefect_bin = shutil.which("prefect", path=str(Path(sys.executable).parent)) or shutil.which("prefect")
    if prefect_bin is None:
        raise _fail("the `prefect` command was not found next to this Python; is prefect installed?")
    err.print(f"starting a local Prefect server on http://127.0.0.1:{port} ...")
    proc = subprocess.Popen([prefect_bin, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise _fail(f"the Prefect server exited with code {proc.returncode}; run `prefect server start` "
                        "yourself and set PREFECT_API_URL")
        try:
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                os.environ["PREFECT_API_URL"] = api
                os.environ["PREFECT_UI_URL"] = f"http://127.0.0.1:{port}"
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.terminate()
    raise _fail(f"the Prefect server did not answer on {api} within {timeout:.0f} s")
