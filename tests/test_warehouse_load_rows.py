"""The load's column-wise Arrow tables hold exactly the rows the per-record definition gives.

The reference below is the straightforward form (model_dump per record, keys from their reference
definitions, last duplicate per article wins); the loader builds the same rows column-wise for speed.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from models.records import CAPACITY_UNITS, FACILITY_TYPES, STATUSES, ExtractionResult, Facility, Mention, sha256_hex
from tests.warehouse_records import article
from warehouse.keys import match_key, normalise_place, row_keys, row_version, unique_by
from warehouse.load import article_table, facility_table, mention_table, utc_naive

LOADED_AT = dt.datetime(2026, 3, 1, 12, 0, 0, 123456)
_TEXT = st.none() | st.text(max_size=10)
_VERSION = st.none() | st.sampled_from(["", "1.0", "2.0"])
_FACILITY = st.builds(
    Facility,
    type=st.sampled_from(FACILITY_TYPES), name=_TEXT, location=_TEXT | st.sampled_from(["Brenmoor", "Quenby"]),
    admin_area=_TEXT, country=_TEXT, status=st.sampled_from(STATUSES),
    capacity_value=st.none() | st.floats(), capacity_unit=st.none() | st.sampled_from(CAPACITY_UNITS),
    capacity_range=st.none() | st.lists(st.floats(allow_nan=False), min_size=2, max_size=2),
    organisations=st.lists(st.text(max_size=8), max_size=2), target_year=st.none() | st.integers(1900, 2100),
    start_char=st.none() | st.integers(0, 3), end_char=st.none() | st.integers(0, 3),  # small: ids repeat
    pattern_ids=st.lists(st.text(max_size=6), max_size=2), extractor_version=_VERSION,
    pattern_set_version=_VERSION,
)
_MENTION = st.builds(
    Mention, kind=st.sampled_from(["organisation", "location"]), text=st.sampled_from(["Acme", "Brenmoor", "ä"]),
    start_char=st.integers(0, 2), end_char=st.integers(0, 2), pattern_ids=st.lists(st.text(max_size=6), max_size=2),
)
_RESULT = st.builds(
    ExtractionResult, id=st.just("x"), facilities=st.lists(_FACILITY, max_size=5),
    organisations=st.lists(_MENTION, max_size=4), locations=st.lists(_MENTION, max_size=4),
    extractor_version=_VERSION, pattern_set_version=_VERSION,
)


def reference_facility_rows(article_id: str, res: ExtractionResult) -> list[dict]:
    rows = []
    for fac in res.facilities:
        values = fac.model_dump()
        values["extractor_version"] = fac.extractor_version or res.extractor_version
        values["pattern_set_version"] = fac.pattern_set_version or res.pattern_set_version
        fid = "f" + sha256_hex(
            article_id, fac.type, normalise_place(fac.name), normalise_place(fac.location), str(fac.start_char),
            str(fac.end_char), values["extractor_version"] or fac.extractor_version, length=15,
        )
        values.update(facility_id=fid, article_id=article_id, match_key=match_key(article_id, values),
                      row_version=row_version(values), loaded_at=LOADED_AT)
        rows.append(values)
    return unique_by(rows, lambda r: r["facility_id"])


def reference_mention_rows(article_id: str, res: ExtractionResult) -> list[dict]:
    rows = []
    for m in [*res.organisations, *res.locations]:
        values = m.model_dump()
        values.update(mention_id=sha256_hex(article_id, m.kind, str(m.start_char), str(m.end_char), m.text),
                      article_id=article_id, extractor_version=res.extractor_version)
        rows.append(values)
    return unique_by(rows, lambda r: r["mention_id"])


def _same(table, rows: list[dict]) -> None:
    got = table.to_pylist()
    assert len(got) == len(rows)
    for g, r in zip(got, rows):  # NaN != NaN: compare reprs
        assert {k: repr(v) for k, v in g.items()} == {k: repr(r[k]) for k in g}


@hyp_settings(max_examples=150, deadline=None)
@given(results=st.lists(_RESULT, min_size=1, max_size=3))
def test_facility_and_mention_tables_equal_the_per_record_rows(results):
    items = [(f"art{i}", res) for i, res in enumerate(results)]
    facility_rows = [r for aid, res in items for r in reference_facility_rows(aid, res)]
    mention_rows = [r for aid, res in items for r in reference_mention_rows(aid, res)]
    _same(facility_table(items, LOADED_AT), facility_rows)
    _same(mention_table(items), mention_rows)
    # the same rows when the CPU stage computed the keys (row_keys in the worker), or some of them
    keys = {aid: row_keys(aid, res) for aid, res in items}
    _same(facility_table(items, LOADED_AT, keys), facility_rows)
    _same(mention_table(items, keys), mention_rows)
    partial = dict(list(keys.items())[:1])
    _same(facility_table(items, LOADED_AT, partial), facility_rows)
    _same(mention_table(items, partial), mention_rows)


def test_keys_made_for_another_result_are_not_used():
    fac = Facility(type="solar", location="Brenmoor", start_char=1, end_char=9)
    res = ExtractionResult(id="a1", facilities=[fac], extractor_version="1.0")
    other = ExtractionResult(id="a1", facilities=[fac, fac.model_copy(update={"start_char": 2})])
    stale = {"a1": row_keys("a1", other)}  # two facilities' keys for a one-facility result
    assert not stale["a1"].fits("a1", res) and row_keys("a1", res).fits("a1", res)
    assert not row_keys("a2", res).fits("a1", res)
    _same(facility_table([("a1", res)], LOADED_AT, stale), reference_facility_rows("a1", res))


@pytest.mark.parametrize("fetched_at", [
    dt.datetime(2026, 3, 1, 12, 0, 0, 5, tzinfo=dt.timezone.utc),
    dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
    dt.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")),
    dt.datetime(2026, 3, 1, 12, 0),  # naive: stored as given
])
def test_article_rows_store_fetched_at_as_naive_utc(fetched_at):
    a = article(1).model_copy(update={"fetched_at": fetched_at})
    [row] = article_table([a], {}, "r1").to_pylist()
    assert row["fetched_at"] == utc_naive(fetched_at)
    assert row == {**a.model_dump(), "fetched_at": utc_naive(fetched_at), "extractor_version": None,
                   "pattern_set_version": None, "first_seen_run": "r1", "last_run": "r1"}
