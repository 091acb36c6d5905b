"""The README's schema section is exactly what the migrations generate, and every column is described."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.db import connect
from warehouse.schema_doc import migrated_schema_markdown, readme_section, replace_readme_section

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(scope="module")
def generated() -> str:
    return migrated_schema_markdown()


def test_readme_schema_section_matches_the_migrations(generated):
    section = readme_section(README.read_text(encoding="utf-8"))
    assert section is not None, "README.md lacks the schema markers"
    assert section == generated, "schema drifted: run `gridscout schema --update-readme README.md`"


def test_every_table_view_and_column_is_described(generated):
    assert "UNDOCUMENTED" not in generated


def test_every_relation_is_listed(generated):
    con = connect(":memory:")
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()]
    con.close()
    for name in names:
        assert f"#### `{name}`" in generated


def test_replace_readme_section_round_trip(generated):
    text = replace_readme_section(README.read_text(encoding="utf-8"), "stale\n")
    assert readme_section(text) == "stale\n"
    assert readme_section(replace_readme_section(text, generated)) == generated
