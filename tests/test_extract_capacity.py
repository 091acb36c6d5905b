"""Capacity figures as written, unit conversion (hypothesis round trips) and the gazetteer's spelling variants."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.capacity import normalise_power_unit, parse_capacity, to_mw
from extractors.gazetteer import gazetteer, skeleton
from extractors.pattern_files import default_pattern_set


def _capacity(text: str):
    """Parse `text` with the packaged capacity patterns (first listed pattern that matches the whole text)."""
    for pid, label, rx, _meta in default_pattern_set().regex_patterns:
        if label == "CAPACITY":
            m = rx.fullmatch(text)
            if m:
                return pid, parse_capacity({k: v for k, v in m.groupdict().items() if v is not None})
    raise AssertionError(f"no capacity pattern matches {text!r}")


@pytest.mark.parametrize(
    "text,value,unit,mw,extra",
    [
        ("40 MW", 40, "MW", 40, {}),
        ("1,200 MW", 1200, "MW", 1200, {}),
        ("1 200 MW", 1200, "MW", 1200, {}),
        ("1.2GW", 1.2, "GW", 1200, {}),
        ("40-MW", 40, "MW", 40, {}),
        ("800 kW", 800, "kW", 0.8, {}),
        ("15 MWp", 15, "MWp", 15, {}),
        ("300 megawatts", 300, "MW", 300, {}),
        ("2 gigawatts", 2, "GW", 2000, {}),
        ("1,200-megawatt", 1200, "MW", 1200, {}),
        ("about 20 MW", 20, "MW", 20, {"qualifier": "around"}),
        ("up to 300 MW", 300, "MW", 300, {"qualifier": "up to"}),
        ("300 MW/600 MWh", 300, "MW", 300, {"storage_mwh": 600}),
        ("130 MWdc/100 MWac", 100, "MWac", 100, {}),
        ("40-50 MW", None, "MW", None, {"capacity_range": (40, 50), "qualifier": "range"}),
        ("five-megawatt", 5, "MW", 5, {}),
        ("about twenty megawatts", 20, "MW", 20, {"qualifier": "around"}),
        ("two gigawatts", 2, "GW", 2000, {}),
        ("between 18 and 22 MW", None, "MW", None, {"capacity_range": (18, 22), "qualifier": "range"}),
        ("between 40 MW and 50 MW", None, "MW", None, {"capacity_range": (40, 50), "qualifier": "range"}),
    ],
)
def test_capacity_as_written(text: str, value, unit: str, mw, extra: dict) -> None:
    _pid, cap = _capacity(text)
    assert (cap.value, cap.unit, cap.capacity_mw) == (value, unit, mw)
    for key, expected in extra.items():
        assert getattr(cap, key) == expected


@pytest.mark.parametrize("text", ["4.5 billion kWh", "50 MWh", "820GWh"])
def test_energy_figures_are_never_a_power_capacity(text: str) -> None:
    _pid, cap = _capacity(text)
    assert cap.energy_only and cap.capacity_mw is None and cap.storage_mwh is not None


@pytest.mark.parametrize("text", ["$1.4 billion", "115 metres", "400,000 tonnes", "84%", "200 km", "VVER-1200"])
def test_non_capacity_numbers_do_not_match(text: str) -> None:
    for _pid, label, rx, _meta in default_pattern_set().regex_patterns:
        if label == "CAPACITY":
            assert rx.search(text) is None


@given(st.decimals(min_value="0.001", max_value="99999", places=3), st.sampled_from(["kW", "MW", "GW", "MWp"]))
def test_unit_conversion_round_trips(value, unit: str) -> None:
    mw = to_mw(float(value), unit)
    back = mw / {"kW": 0.001, "MW": 1.0, "GW": 1000.0, "MWp": 1.0}[unit]
    assert back == pytest.approx(float(value), rel=1e-9, abs=1e-6)


@given(st.integers(min_value=1, max_value=999_999), st.sampled_from(["MW", "GW", "kW", "MWp"]))
def test_written_numbers_parse_back(value: int, unit: str) -> None:
    written = f"{value:,} {unit}"
    _pid, cap = _capacity(written)
    assert cap.value == value and cap.unit == normalise_power_unit(unit)


@pytest.mark.parametrize(
    "written,canonical,country",
    [
        ("Karaganda", "Karaganda", "Kazakhstan"),
        ("Karagandy", "Karaganda", "Kazakhstan"),
        ("Qaraghandy", "Karaganda", "Kazakhstan"),
        ("Turkestan", "Turkestan", "Kazakhstan"),
        ("Turkistan", "Turkestan", "Kazakhstan"),
        ("Jizzax", "Jizzakh", "Uzbekistan"),
        ("Samarqand", "Samarkand", "Uzbekistan"),
        ("Rajasthan", "Rajasthan", "India"),
        ("Chihuahua", "Chihuahua", "Mexico"),
        ("Nakuru", "Nakuru", "Kenya"),
    ],
)
def test_region_variants_resolve_to_one_name(written: str, canonical: str, country: str) -> None:
    region = gazetteer().region(written)
    assert region is not None and (region.canonical, region.country) == (canonical, country)


@pytest.mark.parametrize("name,country", [("Kazakhstan", "Kazakhstan"), ("Kyrgyz Republic", "Kyrgyzstan"),
                                          ("Viet Nam", "Vietnam"), ("UK", "United Kingdom"), ("Kenya", "Kenya")])
def test_country_names(name: str, country: str) -> None:
    found = gazetteer().country(name)
    assert found is not None and found.name == country


@pytest.mark.parametrize("a,b", [("Qaraghandy", "Karagandy"), ("Jizzakh", "Jizzax"), ("Zhambyl", "Jambyl")])
def test_skeleton_absorbs_romanisation(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b) and re.fullmatch(r"[a-z]+", skeleton(a))
