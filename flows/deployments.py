"""The ingest flow as scheduled Prefect deployments (`gridscout serve`); Prefect is imported lazily.

Feeds that share a cron schedule share one deployment: feeds without their own `schedule` in sources.toml
run on the default cron (`--cron`, hourly), each distinct `schedule` gets a deployment of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from models.settings import Settings

DEFAULT_CRON = "0 * * * *"
DEPLOYMENT_NAME = "gridscout-ingest"
DESCRIPTION = "Poll the configured feeds and load new articles and facilities into the warehouse."


def deployment_parameters(feeds: list[str], settings: Settings) -> dict[str, Any]:
    """JSON-safe parameters every scheduled run receives."""
    from flows.ingest import settings_parameters

    return {"feeds": list(feeds), "settings": settings_parameters(settings)}


def schedule_groups(feeds: Iterable[tuple[str, str | None]], default_cron: str = DEFAULT_CRON
                    ) -> dict[str, list[str]]:
    """Feed URLs grouped by cron expression; a feed without its own schedule goes with `default_cron`."""
    groups: dict[str, list[str]] = {}
    for url, cron in feeds:
        groups.setdefault(cron or default_cron, []).append(url)
    return groups


def deployment_names(groups: dict[str, list[str]], default_cron: str, name: str = DEPLOYMENT_NAME
                     ) -> dict[str, str]:
    """`name` for the default-cron group, `name-2`, `name-3` ... for the others (in cron order)."""
    names = {default_cron: name} if default_cron in groups else {}
    others = sorted(c for c in groups if c != default_cron)
    names.update({cron: f"{name}-{i}" for i, cron in enumerate(others, start=2)})
    return names


def build_deployment(feeds: list[str], settings: Settings, *, name: str = DEPLOYMENT_NAME,
                     cron: str = DEFAULT_CRON) -> Any:
    """A RunnerDeployment of the ingest flow on `cron`, one run at a time (concurrency limit 1)."""
    from flows.ingest import flow_for

    return flow_for(settings).to_deployment(
        name=name, cron=cron, parameters=deployment_parameters(feeds, settings), concurrency_limit=1,
        description=f"{DESCRIPTION} Feeds: {', '.join(feeds)}", tags=["gridscout"],
    )


def build_deployments(groups: dict[str, list[str]], settings: Settings, *, default_cron: str = DEFAULT_CRON,
                      name: str = DEPLOYMENT_NAME) -> list[Any]:
    """One deployment per schedule group."""
    names = deployment_names(groups, default_cron, name)
    return [build_deployment(urls, settings, name=names[cron], cron=cron) for cron, urls in sorted(groups.items())]


def serve_deployments(deployments: list[Any]) -> None:
    """Serve until interrupted; schedules stay active on shutdown (pause_on_shutdown=False)."""
    from prefect import serve

    serve(*deployments, pause_on_shutdown=False)
