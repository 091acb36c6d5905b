"""Countries and first-level regions from pycountry, with transliteration variants resolved to one name.

A region written "Karaganda", "Karagandy" or "Qaraghandy" resolves to the same ISO 3166-2 subdivision: names
are compared exactly after folding accents, and by a consonant skeleton (q->k, gh->g, kh->k, x->k, zh->j ...)
that absorbs the usual romanisation differences of Central Asian, Caucasian and other names.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pycountry

DATA = Path(__file__).resolve().parent / "data"

#: Trailing words of pycountry subdivision names that are a type, not part of the name.
_TYPE_WORDS = frozenset({
    "oblysy", "oblast", "oblast'", "oblasty", "sheng", "zizhiqu", "shi", "kraj", "shaary", "respublikasi",
    "province", "region", "county", "state", "governorate", "prefecture", "voivodship", "district",
    "huizu", "uygur", "zhuangzu", "sar", "viloyati", "wilayah", "vilayet", "rayon",
})

_SKELETON_STEPS: tuple[tuple[str, str], ...] = (
    ("dzh", "j"), ("zh", "j"), ("kh", "k"), ("gh", "g"), ("ph", "f"), ("q", "k"), ("x", "k"), ("ts", "c"),
    ("w", "v"), ("y", "i"),
)


_PLACE_WORD_SPLIT = re.compile(r"[\s'’]+")


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase without accents and with straight apostrophes removed."""
    if text.isascii():  # (nothing to decompose; the same result, without the per-character pass)
        return text.translate(_ASCII_APOSTROPHES).lower().strip()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"['’ʻ‘`]", "", stripped).lower().strip()


_ASCII_APOSTROPHES = str.maketrans("", "", "'`")
_NOT_A_TO_Z = re.compile(r"[^a-z]+")
_ASCII_NOT_A_TO_Z = str.maketrans("", "", "".join(chr(c) for c in range(128) if not "a" <= chr(c) <= "z"))
_VOWELS = str.maketrans("", "", "aeiou")
_DOUBLES = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=65536)
def skeleton(text: str) -> str:
    """Consonant skeleton of a name: first letter kept, later vowels dropped, doubles collapsed."""
    folded = fold(text)
    s = folded.translate(_ASCII_NOT_A_TO_Z) if folded.isascii() else _NOT_A_TO_Z.sub("", folded)
    for old, new in _SKELETON_STEPS:
        if old in s:
            s = s.replace(old, new)
    if not s:
        return ""
    out = s[0] + s[1:].translate(_VOWELS)
    return _DOUBLES.sub(r"\1", out)


@dataclass(frozen=True)
class Country:
    code: str
    name: str


@dataclass(frozen=True)
class Region:
    code: str
    country_code: str
    canonical: str
    country: str
    is_city: bool = False
    is_county: bool = False  # a second-level unit taken as a region (an English or Irish county)


def _strip_type(name: str) -> str:
    words = name.split()
    while len(words) > 1 and fold(words[-1]) in _TYPE_WORDS:
        words.pop()
    return " ".join(words)


#: demonyms that do not start like their country's name ("Danish" / Denmark) or are shorter than four letters
_IRREGULAR_DEMONYMS = frozenset("danish spanish swedish dutch french british welsh scottish english irish finnish "
                                "polish swiss greek thai filipino emirati saudi icelandic maltese cypriot "
                                "portuguese lao kyrgyz tajik uzbek turkmen kazakh malagasy ivorian congolese "
                                "argentine argentinian belgian".split())

#: second-level units that news uses as the region: English shire counties ("Lincolnshire") and Irish counties
#: ("County Mayo"), whose first-level units (England, Leinster) are rarely written
_COUNTY_REGIONS = frozenset({("GB", "Two-tier county"), ("IE", "County")})

class Gazetteer:
    """Lookups of country and first-level region names."""

    def __init__(self) -> None:
        variants = json.loads((DATA / "place_variants.json").read_text(encoding="utf-8"))
        self.countries: dict[str, Country] = {}
        self._country_by_key: dict[str, Country] = {}
        for c in pycountry.countries:
            country = Country(c.alpha_2, getattr(c, "common_name", None) or c.name)
            self.countries[c.alpha_2] = country
            for attr in ("name", "common_name", "official_name"):
                value = getattr(c, attr, None)
                if value:
                    self._country_by_key.setdefault(fold(value), country)
        for code, names in variants["countries"].items():
            base = self.countries[code]
            country = Country(code, names[0]) if code in {"RU", "IR", "KR", "VN", "GB", "US", "TR", "MD", "SY",
                                                          "LA", "BO", "VE", "TZ", "TW", "KG"} else base
            self.countries[code] = country
            for n in names:
                self._country_by_key[fold(n)] = country
        # Re-point every key to the final Country object of its code.
        self._country_by_key = {k: self.countries[v.code] for k, v in self._country_by_key.items()}

        self._region_exact: dict[str, list[Region]] = {}
        self._region_skel: dict[str, list[Region]] = {}
        overrides: dict[str, list[str]] = variants["regions"]
        for sub in pycountry.subdivisions:
            if sub.parent_code is not None and (sub.country_code, sub.type) not in _COUNTY_REGIONS:
                continue
            names = overrides.get(sub.code, [])
            base = _strip_type(sub.name)
            canonical = names[0] if names else unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
            country = self.countries.get(sub.country_code)
            if country is None:
                continue
            region = Region(sub.code, sub.country_code, canonical, country.name,
                            is_city=sub.type.lower() in {"city", "capital territory", "capital city"},
                            is_county=sub.parent_code is not None)
            for n in {base, sub.name, *names}:
                self._region_exact.setdefault(fold(n), []).append(region)
                sk = skeleton(n)
                if len(sk) >= 4:
                    self._region_skel.setdefault(sk, []).append(region)

    def is_demonym(self, word: str) -> bool:
        """'Kenyan', 'Indian', 'Kazakh', 'German': an adjective of a country name, not a place or a name
        (memoised per word)."""
        known = self._demonyms
        found = known.get(word)
        if found is None:
            found = self._is_demonym(word)
            if len(known) < 65536:
                known[word] = found
        return found

    @functools.cached_property
    def _demonyms(self) -> dict[str, bool]:
        return {}

    def _is_demonym(self, word: str) -> bool:
        w = fold(word)
        if w in _IRREGULAR_DEMONYMS:
            return True
        if len(w) < 4 or self.country(word) or self._region_exact.get(w):
            return False
        if not re.search(r"(an|ian|ese|ish|i|ic|ch|kh|ek|ek|ot|er)$", w):
            return False
        return w[:4] in self._country_prefixes

    @functools.cached_property
    def _country_prefixes(self) -> frozenset[str]:
        return frozenset(k[:4] for k in self._country_by_key if len(k) >= 4 and " " not in k)

    def might_be_place(self, text: str) -> bool:
        """Cheap pre-check: does any word of `text` occur in a country or region name? (memoised per name)"""
        known = self._might_be_place
        found = known.get(text)
        if found is None:
            words = self._words
            if text.isascii():  # (the same words: split at spaces and apostrophes, folded, without a regex)
                found = any(w in words for w in text.replace("'", " ").replace("`", "").lower().split())
            else:
                found = any(fold(w) in words for w in _PLACE_WORD_SPLIT.split(text) if w)
            if len(known) < 65536:
                known[text] = found
        return found

    @functools.cached_property
    def _might_be_place(self) -> dict[str, bool]:
        return {}

    def country(self, name: str) -> Country | None:
        """The country a written name denotes, or None."""
        return self._country_by_key.get(fold(name))

    @functools.cached_property
    def _words(self) -> frozenset[str]:
        keys = list(self._country_by_key) + list(self._region_exact)
        return frozenset(w for k in keys for w in re.split(r"[\s'’]+", k) if w)

    def regions(self, name: str, *, fuzzy: bool = True) -> list[Region]:
        """First-level regions a written name may denote (exact first, then by skeleton)."""
        key = fold(name)
        found = self._region_exact.get(key)
        if found:
            return sorted(found, key=lambda r: r.is_city)
        if fuzzy:
            return sorted(self._region_skel.get(skeleton(name), []), key=lambda r: r.is_city)
        return []

    def region(self, name: str, *, country_code: str | None = None, fuzzy: bool = True) -> Region | None:
        """The best region for a name, preferring one in `country_code` when several match (memoised: the
        gazetteer never changes, and news repeats its place names)."""
        key = (name, country_code, fuzzy)
        memo = self._region_memo
        if key in memo:
            return memo[key]
        best = self._best_region(name, country_code, fuzzy)
        if len(memo) < 65536:
            memo[key] = best
        return best

    @functools.cached_property
    def _region_memo(self) -> dict[tuple[str, str | None, bool], Region | None]:
        return {}

    def _best_region(self, name: str, country_code: str | None, fuzzy: bool) -> Region | None:
        found = self.regions(name, fuzzy=fuzzy)
        if not found:
            return None
        if country_code:
            for r in found:
                if r.country_code == country_code:
                    return r
        codes = {r.country_code for r in found}
        return found[0] if len(codes) == 1 else None


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built once, ~50 ms)."""
    return Gazetteer()
