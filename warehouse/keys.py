"""Deterministic keys for warehouse rows: facility ids, match keys, row versions, place normalisation."""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from models.records import ExtractionResult, Facility, Mention, sha256_hex

# Fields a reviewer may edit; their machine values define a row's version.
EDITABLE_FIELDS: tuple[str, ...] = (
    "type", "name", "capacity_value", "capacity_unit", "location", "admin_area", "country", "status",
    "organisations", "target_year",
)
_PLACE_STOPWORDS = frozenset({"village", "town", "city", "district", "region", "province", "of", "the", "oblast"})
_UNIT_TO_MW = {"kW": 0.001, "MW": 1.0, "GW": 1000.0, "MWp": 1.0}


def _fields_digest(joined: str, length: int) -> str:
    """`sha256_hex(*parts, length=length)` of parts already joined as `part + "\\x1f"` each (same bytes, same
    digest); the load's hot paths build `joined` with one f-string instead of hashing part by part."""
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


@lru_cache(maxsize=65536)  # pure, and called several times per loaded row (ids, match keys)
def normalise_place(text: str | None) -> str:
    """Lowercase, strip accents and punctuation, drop words such as village/district/of/the."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    words = re.findall(r"[a-z0-9]+", folded)
    return " ".join(w for w in words if w not in _PLACE_STOPWORDS)


def capacity_to_mw(value: float | None, unit: str | None) -> float | None:
    """Convert a written capacity to MW (kW/1000, GW*1000, MWp as MW); None when not convertible."""
    if value is None or unit not in _UNIT_TO_MW:
        return None
    return round(value * _UNIT_TO_MW[unit], 6)


def place_of(values: Mapping[str, Any]) -> str:
    """The normalised most specific place of a facility: location, else name, else admin area."""
    return place_key(values.get("location"), values.get("name"), values.get("admin_area"))


def match_key(article_id: str, values: Mapping[str, Any]) -> str:
    """Key that re-attaches a correction to a re-extracted row: article + type + normalised place."""
    return f"{article_id}|{values.get('type') or ''}|{place_of(values)}"


def facility_id(article_id: str, fac: Facility, extractor_version: str | None = None) -> str:
    """Content hash of (article, type, normalised name/location, offsets, extractor version).

    `extractor_version` overrides the facility's own (the loader fills it from the result). The leading letter
    keeps spreadsheet programs from reading an all-digit or `123e45` hash as a number when a reviewer opens a
    CSV sheet.
    """
    # = sha256_hex(article_id, fac.type, normalise_place(fac.name), normalise_place(fac.location),
    #              str(fac.start_char), str(fac.end_char), extractor_version or fac.extractor_version, length=15)
    return "f" + _fields_digest(
        f"{article_id or ''}\x1f{fac.type or ''}\x1f{normalise_place(fac.name)}\x1f{normalise_place(fac.location)}"
        f"\x1f{fac.start_char}\x1f{fac.end_char}\x1f{extractor_version or fac.extractor_version or ''}\x1f", 15
    )


def added_facility_id(article_id: str, values: Mapping[str, Any]) -> str:
    """Id of a reviewer-added facility: stable for the same article, type, place and capacity."""
    return "add-" + sha256_hex(article_id, values.get("type"), place_of(values),
                               normalise_place(values.get("name")), json.dumps(values.get("capacity_value")))


def editable_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The editable fields of a facility (dict or model) in canonical JSON-friendly form."""
    out: dict[str, Any] = {}
    for field in EDITABLE_FIELDS:
        v = values.get(field)
        if field == "organisations":
            v = list(v or [])
        elif field == "capacity_value" and v is not None:
            v = float(v)
        elif field == "target_year" and v is not None:
            v = int(v)
        out[field] = v
    return out


def row_version(values: Mapping[str, Any]) -> str:
    """Hash of a row's editable machine values: changes whenever the machine output changes."""
    return "v" + sha256_hex(json.dumps(editable_values(values), sort_keys=True, ensure_ascii=False), length=11)


# json.dumps(..., ensure_ascii=False) writes a str with this encoder; facility_row_version builds the same text.
_json_str = json.encoder.encode_basestring


def _json_float(v: float) -> str:
    """json.dumps(float(v)): repr, with NaN/Infinity spelled as the json module spells them."""
    v = float(v)
    if v != v:
        return "NaN"
    if v in (math.inf, -math.inf):
        return "Infinity" if v > 0 else "-Infinity"
    return float.__repr__(v)


def facility_row_version(fac: Facility) -> str:
    """`row_version(fac.model_dump())` without the dict and json.dumps round trip (the load's hot path).

    Writes the exact text `json.dumps(editable_values(...), sort_keys=True, ensure_ascii=False)` produces
    (keys in sorted order); tests/test_warehouse_keys.py checks both agree on generated facilities.
    """
    v, q = vars(fac), _json_str
    text = (
        '{"admin_area": %s, "capacity_unit": %s, "capacity_value": %s, "country": %s, "location": %s, '
        '"name": %s, "organisations": [%s], "status": %s, "target_year": %s, "type": %s}\x1f' % (
            "null" if (x := v["admin_area"]) is None else q(x),
            "null" if (x := v["capacity_unit"]) is None else q(x),
            "null" if (x := v["capacity_value"]) is None else (
                float.__repr__(x) if type(x) is float and x - x == 0 else _json_float(x)),  # finite: repr
            "null" if (x := v["country"]) is None else q(x),
            "null" if (x := v["location"]) is None else q(x),
            "null" if (x := v["name"]) is None else q(x),
            ", ".join(map(q, v["organisations"] or ())),
            "null" if (x := v["status"]) is None else q(x),
            "null" if (x := v["target_year"]) is None else int(x),
            "null" if (x := v["type"]) is None else q(x),
        )
    )
    return "v" + _fields_digest(text, 11)


def place_key(location: str | None, name: str | None, admin_area: str | None) -> str:
    """`place_of` of a facility's location, name and admin area (first non-empty normalised one)."""
    return normalise_place(location) or normalise_place(name) or normalise_place(admin_area)


def mention_id(article_id: str, m: Mention) -> str:
    """Content hash of a mention's article, kind, offsets and text."""
    return mention_ids(article_id, [m])[0]


def mention_ids(article_id: str, mentions: Iterable[Mention]) -> list[str]:
    """`mention_id` of each mention of one article (one comprehension: the load's hot path)."""
    # each = sha256_hex(article_id, m.kind, str(m.start_char), str(m.end_char), m.text)
    prefix, sha256 = f"{article_id or ''}\x1f", hashlib.sha256
    texts = [f"{prefix}{m.kind or ''}\x1f{m.start_char}\x1f{m.end_char}\x1f{m.text or ''}\x1f" for m in mentions]
    return [sha256(t.encode()).hexdigest()[:16] for t in texts]


def unique_by(items: Iterable[Any], key: Any) -> list[Any]:
    """Keep the last item for each key (one statement must not carry a key twice)."""
    seen: dict[Any, Any] = {}
    for item in items:
        k = key(item)
        seen.pop(k, None)
        seen[k] = item
    return list(seen.values())


@dataclass(frozen=True)
class RowKeys:
    """The facility ids, match keys and row versions, and the mention ids, of one article's extraction result,
    exactly as the load computes them. Pure and picklable: the CPU stage computes them in its worker processes
    (`row_keys`), so the single writer only converts and inserts."""

    article_id: str
    facility_ids: tuple[str, ...]
    match_keys: tuple[str, ...]
    row_versions: tuple[str, ...]
    mention_ids: tuple[str, ...]

    def fits(self, article_id: str, result: ExtractionResult) -> bool:
        """Whether these keys can belong to this article's result (same article, same record counts). Only a
        guard against mix-ups: keys must come from `row_keys` of this very result (the CPU stage hands both
        over together)."""
        return self.article_id == article_id and len(self.facility_ids) == len(result.facilities) and \
            len(self.mention_ids) == len(result.organisations) + len(result.locations)


def row_keys(article_id: str, result: ExtractionResult) -> RowKeys:
    """`RowKeys` of one article's result (facility ids use the facility's extractor version, else the result's)."""
    fids, keys, versions = [], [], []
    for fac in result.facilities:
        fids.append(facility_id(article_id, fac, fac.extractor_version or result.extractor_version))
        keys.append(f"{article_id}|{fac.type or ''}|{place_key(fac.location, fac.name, fac.admin_area)}")
        versions.append(facility_row_version(fac))
    return RowKeys(article_id, tuple(fids), tuple(keys), tuple(versions),
                   tuple(mention_ids(article_id, [*result.organisations, *result.locations])))
