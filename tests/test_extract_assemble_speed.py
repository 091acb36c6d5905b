"""Assembly speed-ups: each shortcut against the plain form it replaces."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import assemble
from extractors.assemble import Fac, MentionSpan, Place
from extractors.gazetteer import gazetteer
from extractors.pipeline import build_nlp, extract, regex_matches

_PART_OF_PIECES = ["unit ", "units ", "phase ", "stage ", "block ", "reactor ", "extension ", "expansion ", "no. ",
                   "2 ", "12 ", "of ", "at ", "the ", "300 ", "1.5", "mw ", "gw ", "-", " ", "  ", "\n", "\u00a0",
                   "x", "of", "at", "the", "mw", "unitx ", "of\t"]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(_PART_OF_PIECES), max_size=12))
def test_part_of_matches_end_as_the_guard_says(pieces: list[str]) -> None:
    before = "".join(pieces)
    if assemble._PART_OF_BEFORE.search(before):
        assert before.rstrip().endswith(assemble._PART_OF_ENDS)


def test_part_of_guard_lets_real_matches_through() -> None:
    # (so that the property test above checks real matches)
    for before in ("unit 2 of the ", "phase of the 300 mw ", "expansion at ", "unit no. 2 of 1.5 gw \n", "block at the "):
        assert assemble._PART_OF_BEFORE.search(before) and before.rstrip().endswith(assemble._PART_OF_ENDS)


@given(st.text(alphabet=st.sampled_from("0123456789IVXivx٢²a -"), max_size=7))
def test_number_word_guards(word: str) -> None:
    if assemble._NAME_NUMBER.fullmatch(word):
        assert len(word) <= 4
    assert bool(assemble._SMALL_INTEGER.fullmatch(word)) == (word.isdecimal() and
                                                            bool(assemble._SMALL_INTEGER.fullmatch(word)))


def test_name_particles_end_with_a_lowercase_letter() -> None:
    # the particle check before a place name only looks when the character before the space is lowercase
    assert all(p[-1].islower() for p in assemble.NAME_PARTICLES)


def _government_countries_plain(text: str) -> list[tuple[str, int, str]]:
    out = []
    for cm in assemble._GOVERNMENT_OF_COUNTRY.finditer(text):
        c = gazetteer().country(cm.group(1))
        if c:
            out.append((cm.group(1), cm.start(1), c.code))
    return out


def _first_country_plain(text: str) -> str | None:
    found = None
    for cc in assemble._CAPITALISED_WORDS.findall(text):
        c = gazetteer().country(cc)
        if c and found is None:
            found = c.name
    return found


_ORG_NAMES = ["Ministry of Energy of Kazakhstan", "Government of the Kyrgyz Republic", "Ministry of Energy",
              "Kenya Power", "The Government of India", "Bank of America", "Uzbekistan Airways", "Kazakh Invest",
              "Ministry of Energy of", "Office of the President of Kenya", "Government of Ruritania", "Norway",
              "Green Power Kenya Ltd", "Statkraft", ""]


@pytest.mark.parametrize("text", _ORG_NAMES)
def test_memoised_countries_of_organisation_names(text: str) -> None:
    assert [(n, o, c.code) for n, o, c in assemble._government_countries(text)] == \
        _government_countries_plain(text)
    assert assemble._first_country_in(text) == _first_country_plain(text)


def test_government_names_name_countries() -> None:
    # (so that the table above compares real finds)
    assert assemble._government_countries("Ministry of Energy of Kazakhstan")
    assert assemble._first_country_in("Ministry of Energy of Kazakhstan") is not None


@pytest.mark.parametrize("seg", ["Caliche Flats Solar", "Chinese EPC", "EPC", "Kenyan", "Delta Resources JSC",
                                 "Vaigai Engineering Wind", "Indian Hydro", "German KfW", "Big Sky Wind Energy Group"])
@pytest.mark.parametrize("pid,role", [("org.legal_form", "company"), ("org.head_word", "head_word"),
                                      ("org.subject", "company")])
def test_organisation_name_shape_flags(seg: str, pid: str, role: str) -> None:
    shape = assemble._org_name_shape(pid, role, seg)
    if shape is not None:
        words = shape.words
        assert shape.technology_last == (words[-1].lower() in assemble._TECHNOLOGY_WORDS)
        assert shape.descriptive == all(w in assemble.ACRONYM_STOP or gazetteer().is_demonym(w) for w in words)


_TOKEN_TEXTS = ["The", "Kara-Suu", " ", "  ", "HPP", "(", ")", "50", "MW", "\n", "wind", "farm", "Zhanatas-2", ",",
                "de", "la", "Cruz"]


_BLANK = spacy.blank("en")


@given(st.lists(st.sampled_from(_TOKEN_TEXTS), min_size=1, max_size=14), st.data())
def test_span_text_is_the_text_between_its_first_and_last_token(words: list[str], data: st.DataObject) -> None:
    doc = _BLANK(" ".join(words))
    a = data.draw(st.integers(0, len(doc) - 1))
    b = data.draw(st.integers(a + 1, len(doc)))
    first, last = doc[a], doc[b - 1]
    assert doc.text[first.idx:last.idx + len(last.text)] == doc[a:b].text


@pytest.mark.parametrize("text", [
    "A 50 MW plant in the Baydenbaykent district of Rinzorsk province, near Ashpa settlement.",
    "County Donegal and River Cothi; the town of Kara and the village of Sapa.",
])
def test_place_keyword_group_read_from_its_span(text: str) -> None:
    nlp = build_nlp()
    doc = nlp(text)
    kw = [m for m in regex_matches(doc) if m.label == "PLACE" and m.meta.get("level") == "kw"
          and "after" not in m.meta and "before" not in m.meta]
    assert kw  # (the texts have keyword places)
    for m in kw:
        ks, ke = m.span("kw")
        assert text[ks:ke] == m.groups["kw"]


def _record_places_plain(places: list[Place]) -> tuple[str | None, str | None, str | None]:
    """The location, admin area and region of a facility record as first written (sort, then filter)."""
    places = sorted(places, key=lambda p: (p.rank, p.start))
    places = [p for p in places if p.rank < assemble.RANK["country"]]
    location = places[0].text if places else None
    admin = None
    if places:
        higher = [p for p in places[1:] if p.rank > places[0].rank]
        same = [p for p in places[1:] if p.rank == places[0].rank]
        admin = higher[0].text if higher else (same[0].text if same else None)
    region_p = next((p for p in places if p.rank == assemble.RANK["region"]), None)
    if admin is None and region_p is not None and location is not None and region_p.text != location:
        admin = region_p.text
    return location, admin, region_p.text if region_p else None


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 6)), max_size=7))
def test_facility_record_places_are_the_plain_ones(ranks_starts: list[tuple[int, int]]) -> None:
    places = [Place(f"P{i}", start, start + 1, rank, "place.prep", "x") for i, (rank, start) in enumerate(ranks_starts)]
    mention = MentionSpan("solar", 0, 5, "fac.x", False, 0, 1, name=None)
    fac = Fac("solar", mention, places=places)
    fake = SimpleNamespace(sents=[None], sentence_text=lambda i: "s")
    rec = assemble._Assembler._facility_record(fake, fac)
    location, admin, region = _record_places_plain(places)
    # (a facility without a name keeps the location and admin area worked out from its places)
    assert (rec["location"], rec["admin_area"], rec["region"]) == (location, admin, region)


def test_not_plural_words_are_the_written_set() -> None:
    assert assemble._NOT_PLURAL_S == {"bess", "ses", "wes", "aes", "tes", "ges", "hes", "gres", "tets", "chps"[:0]}


def test_regex_whitespace_is_str_whitespace() -> None:
    # (the part-of guard strips with str.rstrip() what the pattern matches as `\s`)
    space = re.compile(r"\s")
    assert all(bool(space.fullmatch(c)) == c.isspace() for c in map(chr, range(0x110000)))


@given(st.integers(0, 200), st.integers(0, 200), st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)),
                                                         max_size=4))
def test_no_status_without_cues(s: int, e: int, others: list[tuple[int, int]]) -> None:
    # (`_apply_status` and `_sentence_facts` skip the status search, and the list of the other mentions, for a
    # sentence without cues: the search finds nothing there, whatever the other mentions)
    fake = SimpleNamespace(text="x" * 300)
    assert assemble._Assembler._nearest_status(fake, [], s, e, others) is None
    assert assemble._Assembler._nearest_status(fake, (), s, e, ()) is None


@pytest.mark.parametrize(("text", "year"), [
    # (the sentences between the year and the plant have no mention, place, cue or organisation: `_facilities` only
    # queues them, as the full pass over them did)
    ("Officials expect the work to finish by 2028. The weather was mild. The 50 MW Alpha solar plant in Kara "
     "region is planned.", 2028),
    ("Construction was approved. The target is 2029. A 50 MW solar plant in the Kara region will be built there.", 2029),
    ("The government approved the plan last week. Officials said the work would take time. The 50 MW Alpha solar "
     "plant in Kara region is planned for 2027.", 2027),
])
def test_year_carried_past_sentences_without_facts(text: str, year: int) -> None:
    (fac,) = extract(text, doc_id="x", nlp=build_nlp()).facilities
    assert (fac.type, fac.status, fac.target_year) == ("solar", "planned", year)
