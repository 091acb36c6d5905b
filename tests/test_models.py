"""Shared records and settings: table-driven checks of the contracts every part relies on."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from models import Facility, Settings
from models.records import sha256_hex


@pytest.mark.parametrize(
    ("parts", "other", "same"),
    [
        (("a", "b"), ("ab",), False),
        (("a", "b"), ("b", "a"), False),
        (("x",), ("y",), False),
        (("a", None), ("a", ""), True),
    ],
)
def test_sha256_hex_separates_parts(parts: tuple, other: tuple, same: bool) -> None:
    assert (sha256_hex(*parts) == sha256_hex(*other)) is same


def test_facility_rejects_unknown_type_and_field() -> None:
    with pytest.raises(ValidationError):
        Facility(type="fusion")
    with pytest.raises(ValidationError):
        Facility(type="solar", colour="red")


def test_settings_env_then_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRIDSCOUT_DB", "/tmp/from-env.duckdb")
    assert Settings.from_env().db_path == Path("/tmp/from-env.duckdb")
    assert Settings.from_env(db_path="/tmp/x.duckdb").db_path == Path("/tmp/x.duckdb")
    assert Settings.from_env(db_path=None).db_path == Path("/tmp/from-env.duckdb")
