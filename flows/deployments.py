"""The ingest flow as a scheduled Prefect deployment (`gridscout serve`); Prefect is imported lazily."""

from __future__ import annotations

from typing import Any

from models.settings import Settings

DEFAULT_CRON = "0 * * * *"
DEPLOYMENT_NAME = "gridscout-ingest"


def deployment_parameters(feeds: list[str], settings: Settings) -> dict[str, Any]:
    """JSON-safe parameters every scheduled run receives."""
    from flows.ingest import settings_parameters

    return {"feeds": list(feeds), "settings": settings_parameters(settings)}


def build_deployment(feeds: list[str], settings: Settings, *, name: str = DEPLOYMENT_NAME,
                     cron: str = DEFAULT_CRON) -> Any:
    """A RunnerDeployment of the ingest flow on `cron`, one run at a time (concurrency limit 1)."""
    from flows.ingest import flow_for

    return flow_for(settings).to_deployment(
        name=name, cron=cron, parameters=deployment_parameters(feeds, settings), concurrency_limit=1,
        description="Poll the configured feeds and load new articles and facilities into the warehouse.",
        tags=["gridscout"],
    )


def serve_ingest(feeds: list[str], settings: Settings, *, name: str = DEPLOYMENT_NAME,
                 cron: str = DEFAULT_CRON) -> None:
    """Serve the deployment until interrupted; schedules stay active on shutdown (pause_on_shutdown=False)."""
    from flows.ingest import flow_for

    flow_for(settings).serve(
        name=name, cron=cron, parameters=deployment_parameters(feeds, settings), global_limit=1,
        pause_on_shutdown=False, tags=["gridscout"],
        description="Poll the configured feeds and load new articles and facilities into the warehouse.",
    )
