"""Shared test set-up: Prefect runs offline against a project-local home; corpus paths."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS_DEV = SHARED / "corpus" / "dev"

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect" / "tests"))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def seed_texts() -> list[Path]:
    """The reference article(s); skips when ../shared is absent."""
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not files:
        pytest.skip("../shared/seeds is absent")
    return files


@pytest.fixture(scope="session")
def corpus_dev() -> Path:
    """The gold dev corpus folder; skips when ../shared is absent."""
    if not CORPUS_DEV.is_dir():
        pytest.skip("../shared/corpus/dev is absent")
    return CORPUS_DEV


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[str]:
    """ONE temporary Prefect server for the whole session (17-25 s); yields its API URL.

    In-process flows use it through Prefect's settings context; pass `PREFECT_API_URL=<url>` to subprocesses
    (e.g. `gridscout run`) so they reuse it instead of starting their own temporary server.
    """
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=None):
        yield str(PREFECT_API_URL.value())
