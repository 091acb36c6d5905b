"""Re-extraction after an extractor upgrade: an unchanged article stored by another extractor or pattern-set
version is extracted again by the next run (`loaded`, not `unchanged`), and `gridscout reextract` re-runs
every stale stored article. No Prefect.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("warehouse.load", reason="warehouse.load (helper W) not landed yet")
pytest.importorskip("extractors.pipeline", reason="extractors.pipeline (helper E) not landed yet")

from flows import steps  # noqa: E402
from flows.cli import app  # noqa: E402
from flows.cli_ingest import demo_feed_path  # noqa: E402
from models.settings import Settings  # noqa: E402
from warehouse.queries import run_sql  # noqa: E402

DEMO_ARTICLES = 15


def upgrade(monkeypatch: pytest.MonkeyPatch, *, extractor: str | None = None, patterns: str | None = None) -> None:
    """Pretend the extractor was upgraded: the versions the pipeline reports and stamps on its records."""
    import extractors.assemble
    import extractors.pipeline

    for name, value in (("EXTRACTOR_VERSION", extractor), ("PATTERN_SET_VERSION", patterns)):
        if value is not None:
            for module in (extractors.pipeline, extractors.assemble):
                monkeypatch.setattr(module, name, value)


def versions(db: Path, table: str) -> set[tuple[str, str]]:
    return set(run_sql(db, f"select distinct extractor_version, pattern_set_version from {table}")[1])


@pytest.fixture(scope="module")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo loaded once by the current extractor (each test works on its own copy)."""
    db = tmp_path_factory.mktemp("upgrade") / "template.duckdb"
    first = steps.run_pipeline([str(demo_feed_path())], Settings(db_path=db, workers=1))
    assert (first.loaded, first.failed) == (DEMO_ARTICLES, 0)
    return db


@pytest.fixture()
def loaded(demo_warehouse: Path, tmp_path: Path) -> tuple[Path, Settings]:
    db = tmp_path / "upgrade.duckdb"
    shutil.copyfile(demo_warehouse, db)
    return db, Settings(db_path=db, workers=1)


@pytest.mark.parametrize(("extractor", "patterns"), [("99.0-test", None), (None, "patterns-test")])
def test_a_run_after_an_upgrade_extracts_unchanged_articles_again(
        loaded: tuple[Path, Settings], monkeypatch: pytest.MonkeyPatch, extractor: str | None,
        patterns: str | None) -> None:
    db, settings = loaded
    old = versions(db, "facilities")
    assert len(old) == 1
    facilities_before = run_sql(db, "select count(*) from facilities")[1][0][0]
    upgrade(monkeypatch, extractor=extractor, patterns=patterns)
    new = (extractor or next(iter(old))[0], patterns or next(iter(old))[1])
    # the feed under another name has no stored validators: every page is fetched again, same text
    again = steps.run_pipeline([demo_feed_path().as_uri()], settings)
    assert (again.loaded, again.unchanged, again.failed) == (DEMO_ARTICLES, 0, 0)
    assert versions(db, "facilities") == {new}
    assert versions(db, "articles") == {new}
    assert run_sql(db, "select count(*) from facilities")[1][0][0] == facilities_before  # replaced, not added
    third = steps.run_pipeline([demo_feed_path().as_uri() + "?third"], settings)
    assert (third.loaded, third.unchanged) == (0, DEMO_ARTICLES)


def test_stale_article_ids_compare_both_versions(loaded: tuple[Path, Settings],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from warehouse.db import connect

    db, settings = loaded
    con = connect(db, settings=settings)
    try:
        ids = [r[0] for r in con.execute("select article_id from articles").fetchall()]
        assert steps.stale_article_ids(con, ids) == frozenset()
        upgrade(monkeypatch, patterns="patterns-test")
        assert steps.stale_article_ids(con, ids + ["not-stored"]) == frozenset(ids)
    finally:
        con.close()


def test_reextract_command_updates_every_stale_article(loaded: tuple[Path, Settings],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    db, _ = loaded
    upgrade(monkeypatch, extractor="99.1-test")
    result = CliRunner().invoke(app, ["reextract", "--db", str(db), "--batch-size", "4", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert f"re-extracted {DEMO_ARTICLES} of {DEMO_ARTICLES} stale articles" in result.output
    assert {v[0] for v in versions(db, "facilities")} == {"99.1-test"}
    assert {v[0] for v in versions(db, "articles")} == {"99.1-test"}
    _, runs = run_sql(db, "select feeds, entries, loaded, failed, status from runs order by started_at")
    assert runs[-1] == (0, DEMO_ARTICLES, DEMO_ARTICLES, 0, "completed")
    again = CliRunner().invoke(app, ["reextract", "--db", str(db)])
    assert again.exit_code == 0 and "re-extracted 0 of 0 stale articles" in again.output


def test_reextract_without_a_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.duckdb"
    result = CliRunner().invoke(app, ["reextract", "--db", str(missing)])
    assert result.exit_code == 2
    assert f"no warehouse at {missing}" in " ".join(result.output.split())
    assert not missing.exists()
