"""Shared test set-up: Prefect runs offline against a project-local home; corpus paths."""

from __future__ import annotations

import os
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
