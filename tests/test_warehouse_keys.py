"""Row keys on the load's fast paths equal their reference definitions (ids, row versions, match keys)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from models.records import CAPACITY_UNITS, FACILITY_TYPES, STATUSES, Facility, Mention, sha256_hex
from warehouse.keys import (
    editable_values, facility_id, facility_row_version, match_key, mention_id, normalise_place, place_key,
    row_version,
)

# Any unicode, including the \x1f separator, quotes, backslashes and control characters JSON must escape.
_TEXT = st.none() | st.text(max_size=12)
_FLOAT = st.none() | st.floats() | st.sampled_from([0.0, -0.0, 1e16, 1e-5, 5.0, float("inf"), float("nan")])
_FACILITY = st.builds(
    Facility,
    type=st.sampled_from(FACILITY_TYPES), name=_TEXT, location=_TEXT, admin_area=_TEXT, country=_TEXT,
    status=st.sampled_from(STATUSES), capacity_value=_FLOAT,
    capacity_unit=st.none() | st.sampled_from(CAPACITY_UNITS) | st.text(max_size=4),
    organisations=st.lists(st.text(max_size=10), max_size=3), target_year=st.none() | st.integers(-10, 3000),
    start_char=st.none() | st.integers(-5, 10**6), end_char=st.none() | st.integers(0, 10**6),
    extractor_version=_TEXT,
)
_MENTION = st.builds(
    Mention, kind=st.sampled_from(["organisation", "location"]), text=st.text(max_size=20),
    start_char=st.integers(-5, 10**6), end_char=st.integers(0, 10**6),
)
_VERSION = st.none() | st.text(max_size=6)


def _reference_row_version(fac: Facility) -> str:
    values = editable_values(fac.model_dump())
    return "v" + sha256_hex(json.dumps(values, sort_keys=True, ensure_ascii=False), length=11)


@hyp_settings(max_examples=300, deadline=None)
@given(fac=_FACILITY)
def test_facility_row_version_equals_the_json_definition(fac):
    assert facility_row_version(fac) == row_version(fac.model_dump()) == _reference_row_version(fac)


@hyp_settings(max_examples=200, deadline=None)
@given(article_id=st.text(max_size=20), fac=_FACILITY, version=_VERSION)
def test_facility_id_equals_the_part_by_part_hash(article_id, fac, version):
    expected = "f" + sha256_hex(
        article_id, fac.type, normalise_place(fac.name), normalise_place(fac.location), str(fac.start_char),
        str(fac.end_char), version or fac.extractor_version, length=15,
    )
    assert facility_id(article_id, fac, version) == expected


@hyp_settings(max_examples=200, deadline=None)
@given(article_id=st.text(max_size=20), m=_MENTION)
def test_mention_id_equals_the_part_by_part_hash(article_id, m):
    expected = sha256_hex(article_id, m.kind, str(m.start_char), str(m.end_char), m.text)
    assert mention_id(article_id, m) == expected


@hyp_settings(max_examples=200, deadline=None)
@given(fac=_FACILITY)
def test_place_key_is_the_place_of_a_facility(fac):
    values = fac.model_dump()
    # the definition: the first of location, name and admin area that normalises to something
    first = next((p for p in (normalise_place(values.get(k)) for k in ("location", "name", "admin_area")) if p), "")
    assert place_key(fac.location, fac.name, fac.admin_area) == first
    assert match_key("a", values) == f"a|{fac.type}|{first}"


@pytest.mark.parametrize("fac,expected", [
    # values computed by the loader before its fast paths: stored keys must never change for the same output
    (Facility(type="solar", name="Brenmoor Solar Park", capacity_value=5.0, capacity_unit="MW",
              location="Brenmoor village", status="planned", organisations=["Acme Énergie"], target_year=2027,
              start_char=10, end_char=42, extractor_version="1.0"),
     ("v333b9d9fc44", "fe12bb8eaf37d36d")),
    (Facility(type="wind", name='Say "hi"\n\\ park', capacity_value=float("nan")),
     ("vc246e5154d6", "f1bfa040c9181d08")),
])
def test_keys_of_known_facilities_are_stable(fac, expected):
    assert (facility_row_version(fac), facility_id("art1", fac)) == expected
