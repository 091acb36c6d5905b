"""The JSONL pattern files: schema, unique ids across files, known labels, compiling regexes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.pattern_files import (
    LEXICON_LABELS,
    PATTERN_DIR,
    REGEX_LABELS,
    TOKEN_LABELS,
    _expand,
    load_pattern_set,
    validate_line,
)
from models.errors import ConfigError
from models.records import FACILITY_TYPES, STATUSES

PATTERN_FILES = sorted(PATTERN_DIR.glob("*.jsonl"))


def _lines() -> list[tuple[str, int, dict]]:
    rows = []
    for path in PATTERN_FILES:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                rows.append((path.name, n, json.loads(line)))
    return rows


def test_pattern_set_loads_with_a_stable_version() -> None:
    first, second = load_pattern_set(), load_pattern_set()
    assert first.version == second.version and len(first.version) == 12
    assert first.token_patterns and first.regex_patterns and first.lexicons


def test_ids_are_unique_across_files() -> None:
    ids = [row["id"] for _, _, row in _lines()]
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, f"duplicate pattern ids: {sorted(dupes)}"


@pytest.mark.parametrize("name,lineno,row", _lines(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_line_is_valid(name: str, lineno: int, row: dict) -> None:
    validate_line(row, f"{name}:{lineno}")
    kind = row.get("kind", "tokens")
    assert row["label"] in {"tokens": TOKEN_LABELS, "regex": REGEX_LABELS, "lexicon": LEXICON_LABELS}[kind]
    if row["label"] == "FACILITY":
        assert row["type"] in FACILITY_TYPES
        assert row["id"].startswith("fac.")
    if row["label"] == "STATUS":
        assert row["status"] in STATUSES
        assert row["id"].startswith(f"status.{row['status']}.")


def test_every_facility_type_except_other_has_a_pattern() -> None:
    types = {row["type"] for _, _, row in _lines() if row["label"] == "FACILITY"}
    assert set(FACILITY_TYPES) - {"other"} <= types


@pytest.mark.parametrize(
    "line,message",
    [
        ('{"id": "Bad Id", "label": "STATUS", "status": "planned", "pattern": "plans"}', "dotted lowercase"),
        ('{"id": "x.y", "label": "NOPE", "pattern": "plans"}', "unknown token label"),
        ('{"id": "x.y", "label": "STATUS", "status": "maybe", "pattern": "plans"}', "STATUS pattern needs"),
        ('{"id": "x.y", "label": "FACILITY", "kind": "regex", "type": "steam", "regex": "x"}', "FACILITY pattern"),
        ('{"id": "x.y", "label": "PLACE", "kind": "regex", "regex": "({NOPE})"}', "unknown macro"),
        ('{"id": "x.y", "label": "PLACE", "kind": "regex", "regex": "(unclosed"}', "does not compile"),
        ('{"id": "x.y", "label": "STATUS", "status": "planned", "pattern": []}', "'pattern' must be"),
        ('{"id": "x.y", "label": "ORG_HEAD", "kind": "lexicon", "words": [""]}', "'words' must be"),
        ("not json", "invalid JSON"),
        ('{"id": "x.y", "label": "PLACE", "kind": "regex", "regex": "a", "after": "no.such"}', "not a regex pattern"),
        ('{"id": "x.y", "label": "PLACE", "kind": "regex", "regex": "a", "anchor_words": []}', "anchor_words"),
        ('{"id": "x.y", "label": "PLACE", "kind": "regex", "regex": "a", "exclude": "(b"}', "exclude regex"),
        ('{"id": "x.y", "label": "PLACE", "kind": "regex", "regex": "a", "anchor": 3}', "'anchor' must be"),
        ('{"id": "x.y", "label": "PLACE", "kind": "regex", "regex": "a", "prefilter": [3]}', "'prefilter' must be"),
        ('{"id": "x.y", "label": "PLACE", "kind": "regex", "regex": "a", "prefilter": []}', "'prefilter' must be"),
        ('{"id": "x.y", "label": "PLACE", "kind": "regex", "regex": "a", "prefilter": ["a", "(b"]}', "prefilter regex"),
        ('{"id": "x.y", "label": "PLACE", "kind": "regex", "regex": "a", "prefilter": "(a"}', "prefilter regex"),
        ('{"id": "x.y", "label": "PLACE", "kind": "regex", "regex": "a", "core": "a", "anchor_words": ["a"], '
         '"anchor_window": [1, 1]}', "'core' and 'lead' go together"),
        ('{"id": "x.y", "label": "PLACE", "kind": "regex", "regex": "a", "core": "a", "lead": "b"}',
         "only apply to a pattern with 'anchor_window'"),
        ('{"id": "x.y", "label": "PLACE", "kind": "regex", "regex": "a", "core": "a", "lead": "(?i)b", '
         '"anchor_words": ["a"], "anchor_window": [1, 1]}', "lead regex cannot be followed by whitespace"),
        ('{"id": "x.y", "label": "ORG", "kind": "regex", "regex": "a", "require_words": "no.such"}', "not a lexicon"),
        ('{"id": "x.y", "label": "ORG", "kind": "regex", "regex": "a", "require_words": ["A"]}', "a lexicon id"),
        ('{"id": "x.z", "label": "ORG", "kind": "regex", "regex": "b", "after": "x.y", "exclude": "c"}\n'
         '{"id": "x.y", "label": "ORG", "kind": "regex", "regex": "a"}',
         "cannot apply to a pattern read after/before 'x.y'"),
        ('{"id": "x.z", "label": "ORG", "kind": "regex", "regex": "b", "before": "x.y", "prefilter": "b"}\n'
         '{"id": "x.y", "label": "ORG", "kind": "regex", "regex": "a"}',
         "'prefilter' cannot apply to a pattern read after/before 'x.y'"),
    ],
)
def test_a_bad_pattern_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    shutil.copy(PATTERN_DIR / "macros.json", tmp_path / "macros.json")
    (tmp_path / "broken.jsonl").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_pattern_set(tmp_path)
    assert "broken.jsonl:1" in str(info.value)


def test_a_duplicate_id_is_refused(tmp_path: Path) -> None:
    shutil.copy(PATTERN_DIR / "macros.json", tmp_path / "macros.json")
    row = '{"id": "status.planned.x", "label": "STATUS", "status": "planned", "pattern": "x"}\n'
    (tmp_path / "a.jsonl").write_text(row, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(row, encoding="utf-8")
    with pytest.raises(ConfigError, match="duplicate pattern id"):
        load_pattern_set(tmp_path)


def test_pattern_ids_travel_onto_spans() -> None:
    from extractors.pipeline import REGEX_KEY, build_nlp, pipeline_spans, rule_hits

    doc = build_nlp()("Officials plan to build a 40 MW solar park near the village of Tortkol.")
    ids = {h[3] for h in rule_hits(doc)} | {s.id_ for s in pipeline_spans(doc, REGEX_KEY)}
    assert "fac.solar.plant" in ids and "cap.single" in {m.pid for m in doc._.gs_matches}
    assert any(i.startswith("status.planned.") for i in ids)


@pytest.mark.parametrize(("text", "kept"), [
    ("The plant is in Tortkol.", {"Tortkol"}),                       # sentence-initial "The" is excluded
    ("A 40 MW plant and 12 kWh of storage in Tortkol.", {"Tortkol"}),  # unit words and "Wh" inside "kWh"
    ("The Hague and Kara Tobe.", {"The Hague", "Kara Tobe"}),         # only a whole excluded match is dropped
])
def test_excluded_catch_all_names_never_reach_the_matches(text: str, kept: set[str]) -> None:
    from extractors.pipeline import bare_names, build_nlp

    doc = build_nlp()(text)
    assert {m.group() for m in bare_names(doc)["place.bare"]} == kept
    assert not any(m.pid == "place.bare" for m in doc._.gs_matches)  # bare names are kept apart, unwrapped


@pytest.mark.parametrize(("text", "kept"), [
    ("Officials at North Star Power said the grid is old.", {"North Star Power"}),
    ("Solar parks near Kara Tobe and Sky Energy Ltd.", {"Solar", "Sky Energy Ltd"}),  # not "Kara Tobe"
    ("Power prices rose.", {"Power"}),
])
def test_head_word_names_without_a_head_word_never_reach_the_matches(text: str, kept: set[str]) -> None:
    from extractors.pipeline import build_nlp

    doc = build_nlp()(text)
    assert {text[m.start:m.end] for m in doc._.gs_matches if m.pid == "org.head_word"} == kept





def _by_first_character(alternatives: str) -> str:
    """`a|b|...` with the alternatives that share a first character grouped (`v(?:illage|alley)`), in their order:
    `re` then tries one group per first character instead of every alternative."""
    groups: dict[str, list[str]] = {}
    for alt in alternatives.split("|"):
        groups.setdefault(alt[0], []).append(alt[1:])
    return "|".join(first + (rest[0] if len(rest) == 1 else f"(?:{'|'.join(rest)})") for first, rest in groups.items())


LEGAL_FORMS = (r"LLP|JSC|LLC|Ltd\.?|Limited|PLC|plc|GmbH & Co\. KG|GmbH|S\.A\.|SA|S\.p\.A\.|SpA|FZE|FZCO|FZ-LLC|AG|Inc\.?|Corp\.?|"
               r"Co\.,? Ltd\.?|OJSC|CJSC|PJSC|NV|N\.V\.|BV|B\.V\.|ASA|AB|Oyj|Oy|SAS|S\.A\.S\.|SRL|S\.r\.l\.|"
               r"Sp\. z o\.o\.|LP|L\.P\.|Pvt\.? Ltd\.?|Private Limited|Sdn Bhd|Tbk|K\.K\.|TOO|OOO|PAO|JSCo|A/S|AS|SE|"
               r"KG|S\.L\.|SL|S\.A\.U\.|Ltda\.?|Pty Ltd|Pte Ltd"
               # Central and South-East European forms
               r"|s\.r\.o\.|a\.s\.|d\.o\.o\.|d\.d\.|a\.d\.|sh\.p\.k\.|sh\.a\.|EAD|EOOD|OOD|AD|Kft\.|Zrt\.|Nyrt\.|SIA|UAB|ApS|S\.R\.L\.")

#: The place keywords of place.name_kw and place.kw_of (all lowercase: grouped under `(?i:)` by first letter, no
#: two groups can match one character)
PLACE_KEYWORDS = ("village|town|city|settlement|hamlet|aul|port|river|lake|bay|island|area|locality|suburb|community|"
                  "township|industrial park|industrial zone|industrial area|industrial estate|business park|harbour|harbor|airport|coalfield|oilfield|"
                  "heath|moor|reservoir|field|estate|district|municipality|county|rayon|raion|commune|regency|upazila|tehsil|"
                  "taluka|taluk|mandal|parish|"
                  "valley|gorge|borough|sea|bight|gulf|coast|peninsula|desert|basin|plateau|local government area|"
                  "region|oblast|province|state|governorate|prefecture|territory|voivodeship|emirate|canton|"
                  "autonomous region|republic|soum|aimag|delegation|marz")
#: place.name_kw's keywords: those of "the X of" and the sites a name comes before ("the Kara waste site")
NAME_KW_KEYWORDS = PLACE_KEYWORDS.replace("|field|", "|field|free zone|waste site|").replace(
    "local government area|", "local government area|landfill site|landfill|lga|") + "|export processing zone|economic zone|substation"
PREPOSITIONS = ("near|at|in|In|At|Near|outside|Outside|off|outskirts of|edge of|suburbs of|heart of|close to|"
                "located in|located near|located at|based in|planned for|proposed for|earmarked for|slated for|"
                "next to the|next to|adjacent to|beside|above|overlooking")
COMPASS = "north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east|south-west"
#: place.prep's alternatives written out one by one, in their order (`(?:at|in|near) its` as three)
PREPOSITIONS_FLAT = "|".join(["at its", "in its", "near its", PREPOSITIONS] + [f"{w} of" for w in COMPASS.split("|")]
                             + ["from", "of", "to"])
MODIFIERS = ("neighbouring|neighboring|northern|southern|eastern|western|central|north-eastern|north-western|"
             "south-eastern|south-western|northwest|northeast|southwest|southeast|north|south|east|west|rural|remote")

# Regexes rewritten for speed must find exactly what their original forms found. Python's `re` scans fast (in C,
# to the next possible first character) only when a pattern starts with a character class, so a leading
# look-behind or `\b` moved after the first character; long alternations are grouped by first character. Each
# row: pattern id, the original piece, the new piece (the rest of the pattern is unchanged).
REWRITTEN = [
    ("org.head_word", r"(?<![\w'’&.-])(?P<n>{ORGSEQ})",
     r"(?P<n>{UPPER}(?<![\w'’&.-].){ORGWORD_REST}{ORGSEQ_REST})"),
    ("place.name_kw", r"(?<![\w'’-])(?P<n>{NAME})",
     r"(?P<n>{UPPER}(?<![\w'’-].){CAPWORD_REST_ATOMIC}{NAME_REST_ATOMIC})"),
    ("place.kw_of", r"\b[Tt]he\s+", r"[Tt](?<!\w.)he\s+"),
    ("place.kw_of_list", r"\b[Tt]he[ ]", r"[Tt](?<!\w.)he[ ]"),
    ("place.shared_head", r"\b(?P<list>(?:{NAME})(?:,[ ](?:{NAME}))*,?[ ](?:and|or)[ ](?:{NAME}))",
     r"(?P<list>{UPPER}(?<!\w.){CAPWORD_REST_ATOMIC}{NAME_REST_ATOMIC}(?:,[ ]{NAME_ATOMIC})*,?[ ](?:and|or)[ ]"
     r"{NAME_ATOMIC})"),
    ("ana.the_capacity_plant", r"\b[Tt]he ", r"[Tt](?<!\w.)he "),
    ("ana.ordinal", r"\b[Tt]he ", r"[Tt](?<!\w.)he "),
    ("ana.generic_capacity_plant", r"\b(?:[Aa]n?|[Ii]ts(?: next| new| second| third)?|[Aa]nother|[Tt]he) ",
     r"[AaIiTt](?<!\w.)(?:(?<=[Aa])n?|(?<=[Ii])ts(?: next| new| second| third)?|(?<=[Aa])nother|(?<=[Tt])he) "),
    ("org.legal_form", f"(?P<lf>{LEGAL_FORMS})", f"(?P<lf>{_by_first_character(LEGAL_FORMS)})"),
    ("place.before_capacity",
     r"(?<![\w'’-])(?<!\bfrom )(?<!\bby )(?<!\bwith )(?<!\bof )(?<!\bto )(?<!\d )(?!(?:MW|GW|kW)\w*\b)(?P<n>{NAME})",
     r"(?P<n>{UPPER}(?<![\w'’-].)(?<!\bfrom .)(?<!\bby .)(?<!\bwith .)(?<!\bof .)(?<!\bto .)(?<!\d .)"
     r"(?!(?<=[MG])W\w*\b){CAPWORD_REST_ATOMIC}{NAME_REST_ATOMIC})"),
    ("place.bare", r"(?!(?:In|At|Near|Outside)[ ])(?P<n>{NAME})",
     r"(?P<n>{UPPER}(?!(?<=I)n |(?<=A)t |(?<=N)ear |(?<=O)utside ){CAPWORD_REST}{NAME_REST})"),
    ("place.name_kw", f"(?P<kw>(?i:{NAME_KW_KEYWORDS})|department)",
     f"(?P<kw>(?i:{_by_first_character(NAME_KW_KEYWORDS)})|department)"),
    ("place.kw_of", f"(?P<kw>(?i:{PLACE_KEYWORDS}))", f"(?P<kw>(?i:{_by_first_character(PLACE_KEYWORDS)}))"),
    ("place.prep", f"(?P<prep>(?:at|in|near) its|{PREPOSITIONS}|(?:{COMPASS}) of|from|of|to)\\s+(?:(?:{MODIFIERS})\\s+)?$",
     f"(?P<prep>{_by_first_character(PREPOSITIONS_FLAT)})\\s+(?:(?:{_by_first_character(MODIFIERS)})\\s+)?$"),
]
#: Pieces the random texts are made of: phrases the rewritten patterns match, and characters that make or break
#: the boundaries around them.
PIECES = ["the village of Kara", "The town of Ust-Kamenogorsk", "the township of Kara", "Kara Township", "Kara Seaside",
          "Kara Coast-", "Kara Ltd", "Kara Ltda.", "Kara Co., Ltd.", "Kara LP", "Kara L.P.", "Kara S.A.S.", "Kara SAS",
          "Kara GmbH & Co. KG", "Kara GmbH", "Kara Sp. z o.o.", "Kara PJSC", "Kara Pvt Ltd", "the region of Élan Tobe",
          "Kara Tobe village",
          "O'Neil District", "Kara’s region", "the villages of Kara, Tobe and Élan", "Kara and Tobe districts",
          "The 40 MW plant", "the 1,200-MW park", "An 2.5 MW Kara park", "a 40MW plant", "its next 40 MW plant",
          "another 40 megawatt project", "the first plant", "The second", "North Star Power", "Kara Energy Ltd",
          "Ministry of Energy", "A", "T", "I", "Its", "x", "9", "_", "é", "&", "-", ".", ",", "'", "’", " ", " ",
          "\n", "located in ", "located near", "next to the ", "next to ", "near its ", "at its", "in its ",
          "north-east of ", "northeast of ", "north of the ", " northern ", "north-eastern ", "outskirts of ", "off ",
          "of ", "Outside ", "near ", "In ", "  ", "\t", " City", " Region", " STATE", " industrial zone", " Industrial Park", " ſea",
          "the Village of Kara", "Kara Port-", " İsland", " area", " (40 MW)", " (Tobe, 1,200-1,500 MW)",
          " (2.5 GW)", "from ", "by ", "with ", "to ", "of ", "afrom ", "Kara Tobe (40 MW)", "At ", "Near Kara",
          "Intake ", "Atyrau", "Outside", "Kara upazila", " Upazila", " tehsils", " department", " Department",
          "beside ", "above ", "overlooking ", "150 MWac (195 MWp)", "5 GW", "MWp Kara", " waste site", " Landfill", " Export Processing Zone", " free zone", " soum", " Aimag", "the delegation of Kara", "the port area of Kara", " Marz", " substation", " LGA", "gmina Kara",
          " landfill site"]


def _rewritten_pairs() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    macros = json.loads((PATTERN_DIR / "macros.json").read_text(encoding="utf-8"))
    raw = {row["id"]: row["regex"] for _name, _n, row in _lines() if row.get("kind") == "regex"}
    compiled = {pid: rx for pid, _label, rx, _meta in load_pattern_set().regex_patterns}
    pairs = []
    for pid, original, new in REWRITTEN:
        assert raw[pid].count(new) == 1, pid
        pairs.append((pid, re.compile(_expand(raw[pid].replace(new, original), macros, pid)), compiled[pid]))
    return pairs


PAIRS = _rewritten_pairs()


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=40), cut=st.tuples(st.integers(0, 300), st.integers(0, 300)))
def test_rewritten_patterns_find_what_their_original_forms_find(pieces: list[str], cut: tuple[int, int]) -> None:
    text = "".join(pieces)
    for pid, original, new in PAIRS:
        # the whole text and a window, as the ruler searches them (look-behinds see the text before a window)
        for window in ((0, len(text)), (min(cut), max(cut))):
            want = [(m.span(), m.groupdict()) for m in original.finditer(text, *window)]
            assert [(m.span(), m.groupdict()) for m in new.finditer(text, *window)] == want, pid


#: Capacity-like pieces: qualifiers (whole, cut or glued to a word), numbers, units, the characters between them.
CAPACITY_PIECES = ["approximately 40 MW", "an estimated 1,200 MWh", "about  12 GW", "up to 5 megawatts", "about",
                   "About ", "up to", "approximately", "approx.", "an estimated", "estimated", "more than",
                   "~", "x", "non", "40", "1,200", "1 200", "2.5", "12", "5", " ", " ", "  ", "\n", "-", "/", ",", ".",
                   " MW", "MW", "MWp", " GW", " kW", "megawatts", " MWh", " GWh", " million kWh", " and ", "(", ")"]


def _lead_core_patterns() -> list[tuple[str, re.Pattern[str], tuple]]:
    from extractors.pipeline import _lead_and_core

    found = [(pid, rx, _lead_and_core(meta)) for pid, _label, rx, meta in load_pattern_set().regex_patterns
             if "core" in meta]
    assert found and all(parts is not None for _pid, _rx, parts in found)
    return found


LEAD_CORE = _lead_core_patterns()


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(st.sampled_from(CAPACITY_PIECES), max_size=30), cut=st.tuples(st.integers(0, 200),
                                                                                      st.integers(0, 200)))
def test_lead_and_core_find_what_the_whole_pattern_finds(pieces: list[str], cut: tuple[int, int]) -> None:
    from extractors.pipeline import _lead_core_search

    text = "".join(pieces)
    for pid, rx, parts in LEAD_CORE:
        for window in ((0, len(text)), (min(cut), max(cut))):
            got: list[re.Match[str]] = []
            _lead_core_search(rx, parts, text, [window], got)
            want = list(rx.finditer(text, *window))
            assert [(m.span(), {k: v for k, v in m.groupdict().items() if v is not None}) for m in got] == \
                [(m.span(), {k: v for k, v in m.groupdict().items() if v is not None}) for m in want], pid
            assert [[m.span(g) if g in m.re.groupindex else (-1, -1) for g in rx.groupindex] for m in got] == \
                [[m.span(g) for g in rx.groupindex] for m in want], pid


# Macros rewritten for speed, with their original definitions: every pattern must find with the new definitions
# what it found with the old ones. `(?:A|B)*`, with A a character class and B starting outside it, became
# `A*(?:BA*)*`: the common case is then one loop in C instead of a backtracking point per character. The number
# macros' repeats became possessive where giving characters back cannot help: what follows a number in every
# pattern never starts with a digit, a comma group or a decimal part.
MACRO_REWRITES = {
    "CAPWORD_REST": r"(?:[\w-]|['’](?!s\b)\w)*",
    "ORGWORD_REST": r"(?:[\w&-]|\.(?=[A-Za-z])|['’](?!s\b)\w)*\b",
    "NUM": r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.])|\d+)(?:\.\d+)?",
    "NUM_REST": r"(?:\d{0,2}(?:,\d{3})+|\d{0,2}(?:[ \u00a0\u202f]\d{3})+(?![\d,.])|\d*)(?:\.\d+)?",
}
#: Pieces of names: apostrophes before "s" and before other letters, dots inside and after words, hyphens,
#: ampersands, joining words, and the keywords and legal forms the name patterns end with.
NAME_PIECES = ["Kara", "Tobe", "O'Neil", "Kara’s", "Ak’su", "x's", "'s", "’", "'", "S.A.", "St. Petersburg", "A.B",
               "Co.", "AT&T", "Ust-Kamenogorsk", "-", "&", ".", ",", " ", " ", " of ", " de ", "Energy", "Power", "Ltd",
               " LLP", " village", " district", "the ", "The ", "villages", " and ", "Élan", "9", "_", "\n", "Ministry",
               # numbers: grouped thousands (comma, space, no-break space), decimals, ranges, units
               "1", "12", "123", "1234", ",000", ",00", " 000", "\u00a0500", "\u202f250", ".5", "0", "–", "MW", "MWp",
               " MW", "MWh", " GW", "kWh", " dc", " ac", "/", " to ", "between ", "up to ", "about ", "(", ")",
               " million ", "megawatt-hours"]


def _macro_pairs() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    macros = json.loads((PATTERN_DIR / "macros.json").read_text(encoding="utf-8"))
    assert all(macros[name] != old for name, old in MACRO_REWRITES.items())
    old_macros = {**macros, **MACRO_REWRITES}
    pairs = []
    for _name, _n, row in _lines():
        if row.get("kind") == "regex":
            new, old = _expand(row["regex"], macros, row["id"]), _expand(row["regex"], old_macros, row["id"])
            if new != old:
                pairs.append((row["id"], re.compile(old), re.compile(new)))
    assert len(pairs) >= 10
    return pairs


MACRO_PAIRS = _macro_pairs()


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(NAME_PIECES), max_size=30), cut=st.tuples(st.integers(0, 200),
                                                                                  st.integers(0, 200)))
def test_rewritten_macros_change_no_match(pieces: list[str], cut: tuple[int, int]) -> None:
    text = "".join(pieces)
    for pid, old, new in MACRO_PAIRS:
        for window in ((0, len(text)), (min(cut), max(cut))):
            want = [(m.span(), m.groupdict()) for m in old.finditer(text, *window)]
            assert [(m.span(), m.groupdict()) for m in new.finditer(text, *window)] == want, pid


@pytest.mark.parametrize("meta", [{"level": "bare"}, {"level": "bare", "exclude": "A", "require_words": ["x"]}])
def test_a_bare_name_pattern_must_be_plain(meta: dict) -> None:
    # bare names are kept unwrapped, so only an `exclude` may filter them
    from extractors.pipeline import _keep_mode

    with pytest.raises(ValueError, match="bare-name pattern"):
        _keep_mode("place.x", False, "PLACE", re.compile("[A-Z][a-z]+"), meta)
