"""`gridscout sources check`: validate the sources file, probe each feed, show its last poll."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from models.errors import GridscoutError
from models.settings import Settings
from flows.cli_ingest import ALLOW_HOST_HELP, allowlist

out = Console()
err = Console(stderr=True)


@dataclass
class FeedCheck:
    """One row of the check table."""

    name: str
    url: str
    enabled: bool
    schedule: str | None
    reachable: bool | None  # None: not probed
    detail: str
    last_poll: str


def last_poll_of(db_path: Path, feeds: list[str]) -> dict[str, str]:
    """'<time> (<status>)' per feed from the warehouse, 'never' when absent; empty dict without a warehouse."""
    if not db_path.exists():
        return {}
    from warehouse.db import connect
    from warehouse.load import get_feed_state

    polls: dict[str, str] = {}
    con = connect(db_path, read_only=True)
    try:
        for feed in feeds:
            state = get_feed_state(con, feed)
            if state is None or state.last_polled is None:
                polls[feed] = "never"
            else:
                polls[feed] = f"{state.last_polled:%Y-%m-%d %H:%M} UTC ({state.last_status or '?'})"
    finally:
        con.close()
    return polls


def check_feeds(sources_file: Path, settings: Settings, *, probe: bool = True) -> list[FeedCheck]:
    """Validate the sources file (ConfigError when invalid) and probe each enabled feed with the real client."""
    from sources import open_source
    from sources.config import load_sources

    feeds = load_sources(sources_file, include_disabled=True)
    unknown = "never"
    try:
        polls = last_poll_of(settings.db_path, [f.url for f in feeds])
    except GridscoutError as exc:
        err.print(f"[yellow]warning:[/] last polls unavailable: {escape(str(exc))}")
        polls, unknown = {}, "unknown (warehouse unreadable)"
    rows: list[FeedCheck] = []
    with open_source(settings) as source:
        for feed in feeds:
            reachable: bool | None = None
            detail = "disabled" if not feed.enabled else "not probed"
            if feed.enabled and probe:
                try:
                    fetched = source.fetch_feed(feed.url)
                    reachable, detail = True, f"ok, {len(fetched.entries)} entries"
                except GridscoutError as exc:
                    reachable, detail = False, f"{getattr(exc, 'reason', 'error')}: {exc}"
            rows.append(FeedCheck(feed.name, feed.url, feed.enabled, feed.schedule, reachable, detail,
                                  polls.get(feed.url, unknown)))
    return rows


def register(app: typer.Typer) -> None:
    """Add the `sources` group to the root app."""
    group = typer.Typer(help="Inspect the feeds listed in sources.toml.", no_args_is_help=True)

    @group.command("check")
    def check(
        sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file (default sources.toml "
                                               "or GRIDSCOUT_SOURCES)."),
        db: Optional[Path] = typer.Option(None, "--db", help="Warehouse to read last polls from."),
        probe: bool = typer.Option(True, "--probe/--no-probe", help="Fetch each enabled feed to test it."),
        allow_private_hosts: bool = typer.Option(False, "--allow-private-hosts",
                                                 help="Allow feeds on private/loopback addresses (local servers)."),
        allow_host: list[str] = typer.Option(None, "--allow-host", help=ALLOW_HOST_HELP),
    ) -> None:
        """Validate the sources file and report each feed's reachability and last poll."""
        settings = Settings.from_env(sources_file=sources, db_path=db,
                                     allow_private_hosts=allow_private_hosts or None,
                                     private_hosts_allowlist=allowlist(allow_host))
        try:
            rows = check_feeds(settings.sources_file, settings, probe=probe)
        except GridscoutError as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}")
            raise typer.Exit(2) from exc
        table = Table(title=f"{settings.sources_file}: {len(rows)} feed(s)")
        for column in ("name", "url", "schedule", "reachable", "last poll"):
            table.add_column(column, overflow="fold")
        for row in rows:
            mark = {True: "[green]yes[/]", False: "[red]no[/]", None: "-"}[row.reachable]
            table.add_row(escape(row.name), escape(row.url), row.schedule or "(deployment default)",
                          f"{mark} {escape(row.detail)}", row.last_poll)
        out.print(table)
        if any(row.reachable is False for row in rows):
            raise typer.Exit(1)

    app.add_typer(group, name="sources")
