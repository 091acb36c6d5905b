"""Warehouse migrations and loads: idempotent, transactional, bulk; runs, failures and feed state."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from models.errors import WarehouseError
from models.records import (
    CAPACITY_UNITS, FACILITY_TYPES, STATUSES, ExtractionResult, Facility, FailureRecord, RunSummary,
)
from tests.warehouse_records import NOW, PLANTS, article, batch, result
from warehouse import load as load_mod
from warehouse.db import applied_migrations, connect, migration_files
from warehouse.keys import capacity_to_mw, facility_id, match_key, normalise_place
from warehouse.load import (
    finish_run, get_feed_state, known_content_hashes, load_batch, record_failures, set_feed_state, start_run,
)

TABLES = ("articles", "facilities", "mentions", "runs", "failures", "feed_state")


@pytest.fixture
def con(tmp_path):
    c = connect(tmp_path / "w.duckdb")
    yield c
    c.close()


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}


def snapshot(con) -> list[tuple]:
    return con.execute(
        "SELECT facility_id, type, location, capacity_mw, row_version FROM facilities ORDER BY facility_id"
    ).fetchall()


def test_migrations_are_named_recorded_and_applied_once(tmp_path):
    path = tmp_path / "m.duckdb"
    c = connect(path)
    names = [n for n, _ in migration_files()]
    assert names[0] == "001_initial" and applied_migrations(c) == names
    c.close()
    c = connect(path)  # second writer: nothing pending
    assert c.execute("SELECT count(*) FROM schema_migrations").fetchall()[0][0] == len(names)
    c.close()


def test_failing_migration_rolls_back_and_is_not_recorded(tmp_path, monkeypatch):
    good = migration_files()
    monkeypatch.setattr("warehouse.db.migration_files",
                        lambda: [*good, ("999_broken", "CREATE TABLE half (a INT); SELECT * FROM no_such")])
    with pytest.raises(WarehouseError, match="999_broken"):
        connect(tmp_path / "b.duckdb")
    monkeypatch.undo()
    c = connect(tmp_path / "b.duckdb")
    assert "999_broken" not in applied_migrations(c)
    assert not c.execute("SELECT * FROM information_schema.tables WHERE table_name = 'half'").fetchall()
    c.close()


def test_reader_on_missing_file_gets_clear_error(tmp_path):
    with pytest.raises(WarehouseError, match="no warehouse at .*run `gridscout demo`"):
        connect(tmp_path / "absent.duckdb", read_only=True)


def test_load_is_idempotent(con):
    arts, res = batch(range(3))
    first = load_batch(con, "r1", arts, res)
    assert (first.inserted, first.updated, first.unchanged) == (3, 0, 0)
    assert first.facilities == 3 * len(PLANTS) and first.mentions == 3 * (1 + len(PLANTS))
    before, rows = counts(con), snapshot(con)
    again = load_batch(con, "r2", arts, res)
    assert (again.inserted, again.updated, again.unchanged, again.facilities) == (0, 0, 3, 0)
    assert counts(con) == before and snapshot(con) == rows
    assert con.execute("SELECT DISTINCT first_seen_run, last_run FROM articles").fetchall() == [("r1", "r2")]


def test_changed_content_replaces_machine_rows(con):
    arts, res = batch(range(2))
    load_batch(con, "r1", arts, res)
    changed = article(0, text=arts[0].text + " Update: Quenby was cancelled.")
    fewer = result(changed, plants=PLANTS[:2])
    stats = load_batch(con, "r2", [changed], [fewer])
    assert (stats.inserted, stats.updated, stats.facilities) == (0, 1, 2)
    per_article = dict(con.execute("SELECT article_id, count(*) FROM facilities GROUP BY 1").fetchall())
    assert per_article == {arts[0].article_id: 2, arts[1].article_id: len(PLANTS)}
    assert known_content_hashes(con, [arts[0].article_id, "nope"]) == {arts[0].article_id: changed.content_hash}


def test_new_extractor_version_replaces_rows_of_unchanged_text(con):
    arts, res = batch(range(2))
    load_batch(con, "r1", arts, res)
    stats = load_batch(con, "r2", arts, [result(a, version="2.0", shift=1) for a in arts])
    assert stats.updated == 2
    assert con.execute("SELECT DISTINCT extractor_version FROM facilities").fetchall() == [("2.0",)]
    assert counts(con)["facilities"] == 2 * len(PLANTS)


def test_duplicate_keys_within_a_batch_are_collapsed(con):
    arts, res = batch([1, 1, 2])
    doubled = res[0].model_copy(update={"facilities": res[0].facilities * 2})
    stats = load_batch(con, "r1", arts, [doubled, res[2]])
    assert stats.inserted == 2 and stats.facilities == 2 * len(PLANTS)


@pytest.mark.parametrize("failure,raised,message", [
    ("python", RuntimeError, "simulated"),
    ("duckdb", WarehouseError, r"loading a batch of 3 article\(s\) failed and was rolled back: Catalog Error"),
])
def test_failing_batch_rolls_back_everything(con, monkeypatch, failure, raised, message):
    load_batch(con, "r1", *batch(range(2)))
    before, rows = counts(con), snapshot(con)
    real = load_mod.bulk_insert

    def explode_on_mentions(c, target, table):
        if target == "mentions":
            if failure == "python":
                raise RuntimeError("disk full (simulated)")
            return real(c, "no_such_table", table)  # a real DuckDB error after facilities went in
        return real(c, target, table)

    monkeypatch.setattr(load_mod, "bulk_insert", explode_on_mentions)
    changed = article(0, text="Completely rewritten text about a 5 MW solar plant at Brenmoor village.")
    with pytest.raises(raised, match=message):
        load_batch(con, "r2", [changed, *batch([5, 6])[0]], [result(changed), *batch([5, 6])[1]])
    assert counts(con) == before and snapshot(con) == rows
    assert known_content_hashes(con, [changed.article_id])[changed.article_id] != changed.content_hash


def test_results_without_article_are_refused(con):
    arts, res = batch([1, 2])
    with pytest.raises(WarehouseError, match="results without an article"):
        load_batch(con, "r1", arts[:1], res)
    assert counts(con)["articles"] == 0


def test_runs_failures_and_feed_state(con):
    start_run(con, RunSummary(run_id="r1", started_at=NOW))
    finish_run(con, RunSummary(run_id="r1", started_at=NOW, finished_at=NOW, entries=4, loaded=3, failed=1,
                               status="completed", stage_seconds={"fetch": 1.25}))
    assert con.execute("SELECT entries, loaded, failed, status, stage_seconds->>'$.fetch' FROM runs").fetchall() \
        == [(4, 3, 1, "completed", "1.25")]
    n = record_failures(con, [FailureRecord(run_id="r1", url=f"https://x/{i}", stage="fetch", reason="timeout",
                                            at=NOW) for i in range(3)])
    assert n == 3 and counts(con)["failures"] == 3
    assert get_feed_state(con, "f") is None
    set_feed_state(con, "f", '"e1"', None, NOW, "ok")
    set_feed_state(con, "f", '"e2"', "Sun, 01 Mar 2026 12:00:00 GMT", NOW, "not_modified")
    state = get_feed_state(con, "f")
    assert (state.etag, state.last_status, state.last_polled) == ('"e2"', "not_modified", NOW.replace(tzinfo=None))


@pytest.mark.parametrize("text,expected", [
    ("Gulshat village", "gulshat"),
    ("the Aktogai District", "aktogai"),
    ("Zürich-Nord", "zurich nord"),
    (None, ""),
    ("Region of Murcia", "murcia"),
])
def test_normalise_place(text, expected):
    assert normalise_place(text) == expected


@pytest.mark.parametrize("value,unit,mw", [
    (500, "kW", 0.5), (40, "MW", 40.0), (1.2, "GW", 1200.0), (130, "MWp", 130.0), (None, "MW", None),
    (40, "MWh", None), (40, None, None),
])
def test_capacity_to_mw(value, unit, mw):
    assert capacity_to_mw(value, unit) == mw


@pytest.mark.parametrize("values,key", [
    ({"type": "solar", "location": "Brenmoor village", "name": "X"}, "a|solar|brenmoor"),
    ({"type": "wind", "location": None, "name": "Harrow Ridge wind farm"}, "a|wind|harrow ridge wind farm"),
    ({"type": "hydro", "admin_area": "Racha region"}, "a|hydro|racha"),
    ({"type": "gas"}, "a|gas|"),
])
def test_match_key(values, key):
    assert match_key("a", values) == key


def test_bulk_load_is_fast(con):
    """Bulk path sanity: 1,000 articles with 4,000 facilities load well under the executemany cost."""
    arts, res = batch(range(1000))
    t0 = dt.datetime.now()
    stats = load_batch(con, "r1", arts, res)
    assert stats.facilities == 1000 * len(PLANTS)
    assert (dt.datetime.now() - t0).total_seconds() < 10


_TEXT = st.none() | st.text(max_size=15)
_FACILITY = st.builds(
    Facility,
    type=st.sampled_from(FACILITY_TYPES), name=_TEXT, location=_TEXT, admin_area=_TEXT, region=_TEXT,
    country=_TEXT, status=st.sampled_from(STATUSES),
    capacity_value=st.none() | st.floats(allow_nan=False), capacity_unit=st.none() | st.sampled_from(CAPACITY_UNITS),
    capacity_range=st.none() | st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=2, max_size=2),
    organisations=st.lists(st.text(max_size=10), max_size=3), target_year=st.none() | st.integers(1900, 2100),
    optional=st.booleans(), start_char=st.none() | st.integers(0, 10**6), pattern_ids=st.lists(st.text(max_size=8)),
    confidence=st.none() | st.floats(0, 1),
)
_COMPARED = ("type", "name", "location", "admin_area", "region", "country", "status", "capacity_value",
             "capacity_unit", "capacity_range", "organisations", "target_year", "optional", "start_char",
             "pattern_ids", "confidence")


@hyp_settings(max_examples=10, deadline=None)
@given(facilities=st.lists(_FACILITY, max_size=5))
def test_load_then_select_round_trips_and_reload_changes_nothing(facilities):
    con = connect(":memory:")
    try:
        a = article(1)
        res = ExtractionResult(id=a.article_id, facilities=facilities, extractor_version="1")
        load_batch(con, "r1", [a], [res])
        cur = con.execute(f"SELECT facility_id, {', '.join(_COMPARED)} FROM facilities")
        stored = {r[0]: r[1:] for r in cur.fetchall()}
        expected = {facility_id(a.article_id, f.model_copy(update={"extractor_version": "1"})):
                    tuple(getattr(f, c) for c in _COMPARED) for f in facilities}  # the last duplicate wins
        assert stored == expected
        again = load_batch(con, "r2", [a], [res])
        assert (again.unchanged, again.facilities) == (1, 0)
        assert {r[0] for r in con.execute("SELECT facility_id FROM facilities").fetchall()} == set(expected)
    finally:
        con.close()
