"""Capacity figures as written in news ("1,200 MW", "1 200 MW", "1.2GW", "40-MW", "300 MW/600 MWh", "40-50 MW").

`parse_capacity(groups)` turns the named groups of a capacity pattern (patterns/capacity.jsonl) into a
`Capacity`: the value and unit as written (units normalised to kW, MW, GW, MWp, MWac), the value in MW, an
optional [min, max] range, a qualifier and the storage energy in MWh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TO_MW = {"kW": 0.001, "MW": 1.0, "MWp": 1.0, "MWac": 1.0, "MWdc": 1.0, "GW": 1000.0, "GWp": 1000.0}
_ENERGY_TO_MWH = {"kWh": 0.001, "MWh": 1.0, "GWh": 1000.0, "TWh": 1_000_000.0}
_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "mln": 1e6, "billion": 1e9, "bn": 1e9}
_QUALIFIERS = {
    "up to": "up to", "about": "around", "around": "around", "approximately": "around", "approx.": "around",
    "nearly": "around", "almost": "around", "some": "around", "roughly": "around", "close to": "around",
    "an estimated": "around", "estimated": "around", "~": "around", "over": "over", "more than": "over",
    "at least": "over", "less than": "under",
}


@dataclass(frozen=True)
class Capacity:
    """One capacity figure; `capacity_mw` is None for a range or an energy-only figure."""

    value: float | None
    unit: str | None
    capacity_mw: float | None
    capacity_range: tuple[float, float] | None = None
    qualifier: str | None = None
    storage_mwh: float | None = None
    energy_only: bool = False


#: Numbers news writes in words before a unit ("a five-megawatt solar farm", "two gigawatts").
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
                "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a hundred": 100,
                "one hundred": 100}


def parse_number(text: str) -> float:
    """'1,200' / '1 200' / '1.2' / 'five' -> float."""
    if text[:1].isalpha():
        return float(NUMBER_WORDS[text.lower()])
    cleaned = re.sub(r"[,\s\u00a0\u202f]", "", text)
    return float(cleaned)


def normalise_power_unit(unit: str) -> str:
    """Written power unit -> one of kW, MW, MWp, MWac, MWdc, GW, GWp."""
    u = re.sub(r"[\s()]", "", unit)
    low = u.lower()
    if low.startswith("kilowatt") or low in {"kw", "kwe", "kwp"}:
        return "kW"
    if low.startswith("gigawatt") or low in {"gw", "gwe"}:
        return "GW"
    if low == "gwp":
        return "GWp"
    if low.startswith("megawatt"):
        return "MWp" if "peak" in low else "MW"
    if low == "mwp":
        return "MWp"
    if low == "mwac":
        return "MWac"
    if low == "mwdc":
        return "MWdc"
    return "MW"


def normalise_energy_unit(unit: str) -> str:
    """Written energy unit -> one of kWh, MWh, GWh, TWh."""
    low = unit.lower().replace(" ", "").replace("-", "")
    if low.startswith("kilo") or low == "kwh":
        return "kWh"
    if low.startswith("giga") or low == "gwh":
        return "GWh"
    if low.startswith("tera") or low == "twh":
        return "TWh"
    return "MWh"


def to_mw(value: float, unit: str) -> float:
    """Convert a power figure to MW (MWp/MWac/MWdc count as MW)."""
    return round(value * _TO_MW[unit], 6)


def qualifier(text: str | None) -> str | None:
    """Written qualifier ('about', 'up to') -> normalised ('around', 'up to', 'over')."""
    if not text:
        return None
    return _QUALIFIERS.get(text.lower())


def parse_capacity(groups: dict[str, str | None]) -> Capacity:
    """Build a Capacity from the named groups of a capacity pattern match."""
    qual = qualifier(groups.get("q"))
    storage = None
    if groups.get("e") is not None:
        energy = parse_number(groups["e"] or "0")
        if groups.get("mult"):
            energy *= _MULTIPLIERS[(groups["mult"] or "").lower()]
        storage = round(energy * _ENERGY_TO_MWH[normalise_energy_unit(groups.get("eu") or "MWh")], 6)
    if groups.get("v") is None:
        return Capacity(None, None, None, qualifier=qual, storage_mwh=storage, energy_only=True)
    value = parse_number(groups["v"] or "0")
    unit = normalise_power_unit(groups.get("u") or "MW")
    if groups.get("lo") is not None:
        low = parse_number(groups["lo"] or "0")
        lo_mw, hi_mw = to_mw(low, unit), to_mw(value, unit)
        if lo_mw < hi_mw:
            return Capacity(None, unit, None, capacity_range=(lo_mw, hi_mw), qualifier="range",
                            storage_mwh=storage)
    return Capacity(value, unit, to_mw(value, unit), qualifier=qual, storage_mwh=storage)
