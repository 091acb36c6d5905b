"""Turn an annotated Doc (see pipeline.py) into Facility and Mention records.

Per sentence: typed facility mentions (with names, counts and definiteness), capacities (with the traps that
are never a facility's capacity), places (with a rank: location < valley < district < region < country),
organisations (with a role) and status cues. Capacities go to the mention they modify, or the nearest
mention before them; a plural mention with several capacities becomes one facility per capacity, with the
places written between the capacities. Sentences that only refer back ("the plant", "both", "The Shu plant")
complete the facilities they refer to. Placeholders ("three solar parks" with nothing individual) merge into
the individual facilities written later.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span

from extractors.capacity import NUMBER_WORDS, Capacity, parse_capacity
from extractors.gazetteer import Country, Region, fold, gazetteer
from extractors.pattern_files import default_pattern_set
from extractors.pipeline import (EXTRACTOR_VERSION, PATTERN_SET_VERSION, REGEX_KEY, RULES_KEY, SENT_STARTS_KEY,
                                 RegexMatch, bare_names, doc_lower, doc_text, pipeline_spans, regex_matches,
                                 rule_cues)
from extractors.pipeline import WORD_SPLIT as _WORD_SPLIT
from models.records import ExtractionResult

# ---------------------------------------------------------------- vocabularies (closed classes, not data)
STOP_CAPS = frozenset("""The A An In On At By For From Of To And Or But As With Without This That These Those It Its
Their His Her Our Your Both Each Every All Some Many Most Several Such Other Another New Old First Second Third
Fourth Fifth Last Next Meanwhile Separately However Also Under According Once There Here When While After Before
Since Until During Plans Construction Work Works Officials Analysts Developers Business People Local National
Regional State Federal Central Northern Southern Eastern Western North South East West Upper Lower Greater
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mr Ms Mrs Dr President Prime
Minister Deputy Chairman Director CEO Head Chief Governor Mayor Akim Hokim If Then Than Not No Yes One Two Three
Four Five Six Seven Eight Nine Ten Phase Stage Unit Block Small Large Big Major Mini Giant Planned Proposed
Existing Renewable Green Clean Hybrid Offshore Onshore Floating Total Combined Overall Expo Week Year Years
According Following Located Built Designed Including Excluding Today Yesterday Tomorrow Earlier Later Currently
Now Recently Previously Initially Finally Overall Together Instead Still Already Even Only Just Please Read More
View Related Share Tags Comments Subscribe Photo Image Source Sources Note Update Updated Publication Published""".split())

LEAD_STOP = frozenset("""The A An In On At By For From Of To And Or But As With This That These Those It Its Their
Both Each Meanwhile Separately However Also Under According Once There Here When While After Before Since Until
During Monday Tuesday Wednesday Thursday Friday Saturday Sunday Analysts Officials Developers About""".split())
PLACE_GENERIC = frozenset("Autonomous Special Economic Free Administrative Federal National Capital Industrial "
                          "Northern Southern Eastern Western Central Same Whole Entire Local".split())
NAME_STOP = STOP_CAPS - frozenset("Upper Lower Greater North South East West Northern Southern Eastern Western "
                                  "Central Old Big Small Great Giant".split())
#: Lowercase words inside a capitalised name ("Beinn na Gaoithe", "Alto de la Cruz", "Huerta del Rey").
#: Capitalised function words that are never a place's whole name, even after "the town of"
_FUNCTION_CAPS = frozenset("The A An In On At By For From Of To And Or But As With This That These Those It Its".split())
NAME_PARTICLES = frozenset("an na de del della da do dos das di la le les du van von der den al el nad pod am upon sur "
                           "en im ob".split())
MONTHS = frozenset("January February March April May June July August September October November December".split())
COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
               "both": 2, "twin": 2, "pair": 2, "dozen": 12, "eleven": 11, "twelve": 12, "several": 0}
MENTION_ADJ = frozenset("""small large big new mini micro major first second third fourth fifth another further
planned proposed existing giant huge grid-connected utility-scale ground-mounted rooftop floating offshore onshore
additional hybrid renewable green modern two-unit twin separate own local private community industrial
commercial standalone stand-alone""".split())

LOC_KW = frozenset("village town city settlement hamlet aul port river lake bay island area locality suburb "
                   "community township industrial park industrial zone business park harbour harbor airport "
                   "coalfield oilfield heath moor reservoir landfill".split()) | {
    "industrial park", "industrial zone", "industrial area", "industrial estate", "business park", "landfill site",
    "waste site", "export processing zone", "economic zone", "free zone", "substation"}
VALLEY_KW = frozenset("valley gorge sea bight gulf coast peninsula desert basin plateau".split())
DIST_KW = frozenset("district municipality county rayon raion commune regency upazila tehsil taluka taluk mandal parish "
                   "borough department soum delegation lga gmina".split()) | \
    {"local government area"}
REG_KW = frozenset("region oblast province state governorate prefecture territory voivodeship emirate canton "
                   "republic aimag marz".split())
PLURAL_KW = {"communities": "community", "villages": "village", "towns": "town", "cities": "city", "settlements": "settlement",
             "districts": "district", "upazilas": "upazila", "tehsils": "tehsil", "talukas": "taluka", "taluks": "taluk",
             "municipalities": "municipality", "counties": "county", "regions": "region",
             "oblasts": "oblast", "provinces": "province", "states": "state", "areas": "area", "rivers": "river",
             "delegations": "delegation"}
ACRONYM_STOP = frozenset("""MW GW KW MWh GWh KWh TWh MWP MWAC MWDC HPP WPP SPP TPP CHP CHPP NPP SHPP GES HES SES WES AES LGA
TES CCGT CCPP GTPP BESS PV AC DC CEO CFO CTO COO USD EUR KZT UZS RUB GBP CNY LNG LPG CO2 VAT GDP EPC PPA IPP MOU MoU
II III IV VI VII VIII IX XI XII US USA UK UAE EU UN AM PM TV ID OK NO SMR SMRs VVER RES GRES SDPP TETs HVDC ESG IPO
SEZ ASTANA EBITDA FTSE GMT UTC COD PEM INR JPY CHF AUD CAD BRL ZAR NGN KES PKR NPR CO SO2 NOX PV FID EIA ESIA
HFO LED GDP CPI OPEC LCOE CAPEX OPEX PPP EPC RFP EOI BOT BOO MWe MWth GWe CCS CCUS AI IT PR Q1 Q2 Q3 Q4 ABC
NEWS RELEASE PRESS UPDATE UPDATED BREAKING EXCLUSIVE MEDIA CONTACT ADVISORY STATEMENT""".split())
PERSON_TITLES = frozenset("President Mr Ms Mrs Dr Prime Minister Deputy Chairman Director Governor Mayor Akim "
                          "Secretary Chief Executive Officer Spokesman Spokeswoman Senator Minister Cllr Councillor "
                          "Councilman Councilwoman Alderman Commissioner".split())
FACILITY_HEAD_WORDS = frozenset("plant plants station stations farm farms park parks project projects facility "
                                "facilities complex hpp wpp spp tpp chp npp".split())
PART_WORDS = r"(?:turbines?|units?|phases?|stages?|blocks?|reactors?|generators?|engines?|modules?|panels?|inverters?|trains?|lines?|sections?|queues?)"

_YEAR_HINT = re.compile(r"\b(?:by|in|from|for|until|of)\s+(?:the\s+\w+\s+(?:quarter|half)\s+of\s+)?(?:19|20)\d\d\b")
#: a year 1950-2149 as a whole word: r"\b(19[5-9]\d|20\d\d|21[0-4]\d)\b", written so that every alternative starts
#: with its digit and the word boundary before it is a lookbehind (`re` then scans for a 1 or 2 in C, ~2x faster)
_YEAR = re.compile(r"(?:1(?<!\w1)9[5-9]\d|2(?<!\w2)(?:0\d\d|1[0-4]\d))(?!\w)")
_NAMED_ANAPHOR = re.compile(r"\b[Tt]he ((?:[A-Z][\w-]*)(?: [A-Z][\w-]*)?) (?:plant|project|station|facility|park|"
                            r"farm|scheme|complex|site|array|hub|unit|dam)\b")
_HE_CAPITAL = re.compile(r"he [A-Z]")  # where a _NAMED_ANAPHOR match may start (one character before)
_RELATIVE_CLAUSE_TO = re.compile(r"[^,;.]{0,40},\s+(?:which|that|where)\s+(?:[\w-]+\s+){0,3}$")
_PLANT_NOUN_AFTER = re.compile(r"[ -](?:project|plant|farm|park|station|facility|complex|array|scheme)s?\b", re.I)
_TECHNOLOGY_WORDS = frozenset("solar wind hydro geothermal biogas biomass nuclear storage battery pv".split())
_CLAUSE_BREAK = re.compile(r"[,;]|\b(?:and|but|while)\b")  # between a cue and a facility
_CONTRAST_BREAK = re.compile(r";|\b(?:while|whereas|but)\b")  # between two clauses, each about its own plant
_IN_GAP_BEFORE = re.compile(r"\s+in\s+(?:the\s+)?$")  # between a place and the region it is in
_IN_GAP_AFTER = re.compile(r"\s+in\s+(?:the\s+)?")
#: Plant names that open with their type, as written in Spanish, Portuguese, French or Italian news (the type
#: words of the `fac.*.named_foreign` patterns that make two words)
_FOREIGN_PLANT_WORDS = re.compile(r"\b(?:Central|Planta|Parque|Parc|Centrale|Parco|Impianto)[ ](?:Solar|Fotovoltaic[oa]|"
                                  r"E[óo]lic[oa]|[Ss]olaire|[ée]olien|[Ss]olare|[Ee]olico|[Ff]otovoltaico)\b")
#: A figure with its unit right before a plant's name ("the 30 MW Alpha Ridge solar park")
_FIGURE_BEFORE_NAME = re.compile(r"\d\s*-?\s*(?:MW|GW|kW|megawatts?|gigawatts?)\w*[\s-]+$")
#: Between a plant and a generic one coordinated with it in one clause ("a 20 MW hydropower plant in A and a 10 MW
#: plant in B", "has energised a solar plant near A, and has started a 120 MW project at B")
#: (a dot inside an abbreviation is no clause end: "Kodra Energji sh.p.k. a plant of about 50 MW")
_LISTED_WITH_GAP = re.compile(r"(?:[^.;:()]|\.(?!\s+[A-Z])){0,100}?\band\b(?:[^.;:()]|\.(?!\s+[A-Z])){0,60}")
#: Between a figure-less plant and a generic one that restates it in the same clause: ", ending ", ", a "
_RESTATED_GAP = re.compile(r",\s+(?:[a-z]+\s+)?")
#: Between a named plant and an apposition that describes it: ", a 240 MWac", ", an 80-megawatt"
_APPOSITION_GAP = re.compile(r",\s+an?\s+(?:(?:about|around|some|nearly)\s+)?[\d.,]+\s*-?\s*(?:MW\w*|GW\w*|kW\w*|"
                             r"megawatts?|gigawatts?)[\s-]+(?:[a-z-]+\s+){0,2}")
_FOREIGN_TYPE_LEAD = re.compile(r"(?:Windpark|Windfarm|Zonnepark|Solarpark|(?:Central|Planta|Parque|Parc|Centrale|Parco|"
                                r"Impianto)[ ]\S+)[ ]+")
#: Between two coordinated plant names, with the figure of the second: " and 40 MW ", ", ", ", and "
_LIST_SEP_BEFORE = re.compile(r"(?:\s*,\s*(?P<and1>and\s+)?|\s+(?P<and2>and|&)\s+)"
                              r"(?:(?:about\s+|some\s+)?\d[\d.,]*\s*-?\s*(?:MW|GW|kW|megawatts?|gigawatts?)\w*[\s-]+)?$")
#: A plant name written before a separator: capitalised words, numbers after the first ("Bac Lieu 2")
_LIST_NAME_BEFORE = re.compile(r"(?<![\w'’.-])[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*(?: (?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*|\d{1,2}|[IVX]{1,4}))*$")
#: Between two plants of one list: ", ", " and ", ", and the "
_LISTED_PLANTS_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?")
#: Size words between a plant's name and its type ("the Kalbajar-2 small hydropower plant")
_SIZE_WORDS = frozenset({"small", "mini", "micro", "large", "big"})
#: Technology and fuel words that type a plant written without one ("geothermal electricity ... the 35MW power plant",
#: "the 35 MW power plant at Calama, which burns diesel"); not when a word for something else follows ("wind prices")
_TECHNOLOGY_WORD = re.compile(r"\b(geothermal|solar|photovoltaic|wind|hydro|hydropower|hydroelectric|biogas|biomass|coal|"
                              r"nuclear|diesel|gas)\b(?![ -](?:prices?|tariffs?|speeds?|subsid(?:y|ies)|panels?|modules?|"
                              r"auctions?|tenders?|targets?|shares?|imports?|exports?|reserves?|resources|fields?|"
                              r"pipelines?|demand|supply|supplies|sector|industry|market|generators?)\b)", re.I)
_TECHNOLOGY_TYPES = {"geothermal": "geothermal", "solar": "solar", "photovoltaic": "solar", "wind": "wind",
                     "hydro": "hydro", "hydropower": "hydro", "hydroelectric": "hydro", "biogas": "biogas",
                     "biomass": "biomass", "coal": "coal", "nuclear": "nuclear", "diesel": "oil", "gas": "gas"}
#: Words that make a plant another one than those before ("the nearby Fullabrook wind farm", "it also owns the X plant")
_OTHER_PLANT_BEFORE = re.compile(r"\b(?:nearby|neighbou?ring|adjacent|another|other|existing|older|second|third|its|their|"
                                 r"also|owns|operates|runs|separately|last year|earlier)\b", re.I)
#: A word naming a plant or its parts, inside a progress cue ("construction of the 80 MW station ... has reached")
_PLANT_WORD = re.compile(r"(?i)\b(?:plants?|projects?|farms?|parks?|stations?|schemes?|facility|facilities|complex|"
                         r"dam|array|battery|batteries|system|units?|power house|powerhouse|HPP|TPP|CHP|BESS)\b")
#: First words that share the rest of a name written once ("the Upper and Lower Kafue hydropower plants")
_ELIDED_NAME_HEADS = frozenset("Upper Lower North South East West Northern Southern Eastern Western New Old Big Little "
                               "Great Greater".split())
#: Between coordinated plants and the list of their places: ", in the municipalities of ", " near ", " in the "
_LIST_PLACES_GAP = re.compile(r"[\s,]*(?:(?:both\s+)?(?:located\s+|situated\s+)?(?:in|at|near|on)\s+(?:the\s+)?"
                              r"(?:[a-z-]+\s+){0,2}(?:of\s+)?)?")
#: A plant added at the site of one written before: "on the same site", "at the Cerro Alto site", "co-located with"
_SAME_SITE = re.compile(r"\b(?:(?:on|at) the same (?:site|location|premises|plot)|co-located (?:with|at)|"
                        r"(?:on|at) the (?P<name>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3}) (?:plant |project |power )?site)\b")
_KEYWORD_FIRST_PIDS = frozenset({"place.county_prefix", "place.river_prefix", "place.gmina_prefix"})
_BASED_IN_BEFORE = re.compile(r"\bbased\s+(?:in|at)\s+$")
_PARTICLE_NAME_BEFORE = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]*(?: [A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]*)? (?:%s)(?: (?:%s))? $"
                                   % ("|".join(sorted(NAME_PARTICLES)), "|".join(sorted(NAME_PARTICLES))))
_LIST_GAP = re.compile(r"\s*(?:\([^()]{0,30}\))?\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)"
                       r"(?:(?:near|in|at)\s+)?")
_SAME_PLACE = re.compile(r"\bthe same (district|region|province|county|municipality|village|town|area|state)\b")
_GENERIC_NAME_WORDS = frozenset("upper lower north south east west new old big small the of power plant plants station "
                                 "farm park project hydropower hydroelectric hydro solar wind hpp wpp spp tpp npp chp "
                                 "cascade complex energy thermal nuclear gas coal unit".split())
_NON_SPACE = re.compile(r"\S+")
_WORD = re.compile(r"\w+")
#: ASCII bytes -> themselves when `\w` (letters, digits, "_"), else a space: an ASCII text's `\w+` words are the
#: words of its translation split at spaces (see _words)
_ASCII_NON_WORD_TO_SPACE = bytes(c if chr(c).isascii() and (chr(c).isalnum() or chr(c) == "_") else 32
                                 for c in range(256))
_ACRONYM_AFTER = re.compile(r"\s*\([A-Z][A-Z0-9&-]{1,7}\)")
_AND_CONTINUATION = re.compile(r" and ((?:[A-Z][\w-]*)(?: [A-Z][\w-]*){0,2})")
_SUBJECT_PID = "org.subject"  # the pattern of a candidate found only as the subject of "said"/"plans"
_NEWS_AGENCY_ROLES, _GOVERNMENT_ROLES = frozenset({"news_agency"}), frozenset({"government"})
# the organisations of a facility: not these roles; developers named by these patterns first, else these roles
_NOT_OWNER_ROLES = frozenset({"government", "news_agency", "lender", "supplier", "offtaker", "analyst", "counterparty"})
_OWNER_CUE_PIDS = frozenset({"org.by", "org.role_noun", "org.subject"})
_OWNER_ROLES = frozenset({"company", "developer", "head_word"})
_LENDER_WORDS = frozenset("Bank Banks Fund Finance Financial Insurance Ratings".split())
_LIST_ITEM_NAME = re.compile(r"(?:^|[,:;—–-]\s*|\band\s+|\bor\s+)((?:[A-Z][\w'’-]*\s){0,2}[A-Z][\w'’-]*)\s*\($")
_LEGAL_DOT = re.compile(r"(Ltd|Inc|Corp|Co|S\.A|N\.V|B\.V|K\.K|o\.o)\.$")
_TRAILING_CONNECTORS = frozenset({"of", "the", "and", "&", "for", "de", "of the"})
MACRO_REGIONS = frozenset(x.lower() for x in (
    "Africa", "North Africa", "West Africa", "East Africa", "Southern Africa", "Sub-Saharan Africa", "Asia",
    "Central Asia", "South Asia", "Southeast Asia", "South-East Asia", "East Asia", "Asia-Pacific", "Europe",
    "Eastern Europe", "Western Europe", "Central Europe", "Northern Europe", "Southern Europe", "Middle East",
    "Latin America", "North America", "South America", "Central America", "Caribbean", "Balkans", "Caucasus",
    "South Caucasus", "Scandinavia", "Nordics", "Oceania", "MENA", "Eurasia", "the Gulf", "Gulf region"))
_LEAD_STOP_LOWER = LEAD_STOP | {"the", "a", "an"}
_PERSON_WORDS = PERSON_TITLES | {"Secretary", "Ministers'"}  # a word after the first that makes a name a person
_PLACE_LEAD_STOP = LEAD_STOP | MONTHS
#: Names that are never a place: months, and the quarters and halves of reports ("COD in Q2/2027")
_NO_PLACE_NAMES = MONTHS | frozenset("Q1 Q2 Q3 Q4 H1 H2 1Q 2Q 3Q 4Q 1H 2H FY".split())
RANK = {"location": 0, "valley": 1, "district": 2, "region": 3, "country": 4}
_DISTRICT_RANK, _REGION_RANK, _COUNTRY_RANK = RANK["district"], RANK["region"], RANK["country"]
_POSSESSOR_PIDS = frozenset({"place.prep", "place.list_continuation"})
_ROLE_NOUN_THEN_NAME = re.compile(r"\s+(?:contractor|firm|company|developer|utility|operator|producer|supplier|maker|"
                                  r"manufacturer|consortium)\s+(?=[A-ZÀ-ÖØ-Þ])")
_ROLE_NOUN_AFTER = re.compile(r"\s+(?:contractors?|firms?|company|companies|developers?|groups?|giant|consortium|"
                              r"subsidiary|utility|operators?|producers?|suppliers?|makers?|manufacturers?)\b")
#: A figure or its unit, as a word of a plant's premodifier ("a grid-connected 50 MW solar plant").
_FIGURE_WORD = re.compile(r"[\d.,]+(?:mw|gw|kw|mwp|mwac|mwdc)?|mw|gw|kw|mwp|mwac|mwdc|megawatts?|gigawatts?")
_AREA_KW = DIST_KW | REG_KW
_bisect_left, _bisect_right = bisect.bisect_left, bisect.bisect_right
_YEAR_STATUSES = frozenset({"planned", "under_construction", "unknown"})  # statuses that take a target year
_UNSET = object()  # a value not worked out yet

# ---------------------------------------------------------------- precompiled patterns of the passes below
# (module-level so that no call pays for `re`'s compile-cache lookup)
_PARA_BREAK = re.compile(r"\n\s*\n")
_SPACE_SPLIT = re.compile(r"[\s]+")
_DIGIT = re.compile(r"\d")
# organisations
_LOWER_PHRASE_BEFORE_PAREN = re.compile(r"\b[a-z][a-z-]+\s+[a-z][a-z-]+\s*\($")
_NUMBER_OR_MONEY_AFTER = re.compile(r"\s*[\d$€£]")
_DIGIT_BEFORE = re.compile(r"\d\s*$")
_ROMAN_NUMERAL = re.compile(r"[IVXLC]+")
_TWO_CAPITALS_OR_HYPHEN = re.compile(r"[A-Z].*[A-Z]|-")
_PLACE_WORD_BEFORE = re.compile(r"\b(city|town|village|region|province|district|state|port|county|municipality|of|in|"
                                r"at|near)\s+$", re.I)
_ORG_SHAPE = re.compile(r"-|[a-z][A-Z]|^[A-Z0-9&]{2,}$")
_OF_OR_FOR = re.compile(r"\b(of|for)\b")
_AND_NAME_AFTER = re.compile(r"\s+and\s+([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})")
_DATELINE_WORD = re.compile(r"[A-Z][A-Z’'. -]*\s*(?:,|—|–|-|\(|:)")
_NON_LETTERS = re.compile(r"[^A-Za-z]")
# places
_COMMA_PART = re.compile(r"[^,]+")
_AND_OR_SPLIT = re.compile(r"\s+(?:and|or)\s+")
_MONEY_AFTER = re.compile(r"\s*(?:\$|cents?\b|dollars?\b)")
_ONE_OR_TWO_WORDS = re.compile(r"\S+(?: \S+)?")
_SHORT_ACRONYM = re.compile(r"[A-Z]{2,5}")
_GOVERNMENT_OF_COUNTRY = re.compile(r"\bof (?:the )?([A-Z][\w-]+(?: [A-Z][\w-]+)?)$")
_TITLE_PLACE = re.compile(r"([A-Z](?:[\w-]|['’](?!s\b))*(?: [A-Z](?:[\w-]|['’](?!s\b))*){0,2})(?:['’]s)?"
                          r"(?: (region|oblast|province|state|county|district))?")
_CAPITALISED_WORDS = re.compile(r"[A-Z][\w-]+(?: [A-Z][\w-]+)?")
# facility mentions
_SPACE_OR_PAREN_GAP = re.compile(r"\s*\(?\s*")
_NAME_NUMBER = re.compile(r"\d{1,2}|[IVX]{1,4}")
_DIGIT_SLASH = re.compile(r"\d/|/\d")
_ALL_CAPS = re.compile(r"[A-Z]{2,}")
_NUMBER_START = re.compile(r"^[\d.,]+")
_NUMBER = re.compile(r"[\d.,]+")
_SMALL_INTEGER = re.compile(r"\d{1,4}")
#: words in "s" that are no plural: abbreviations of one plant ("BESS", "GES", ...; the empty word is a leftover)
_NOT_PLURAL_S = frozenset({"bess", "ses", "wes", "aes", "tes", "ges", "hes", "gres", "tets", ""})
_ONE_OF_GROUP_BEFORE = re.compile(r"\b(first|second|third|one|last)\s+of\s+(the\s+)?(two|three|four|five|\d+)\s+"
                                  r"(\w+\s+){0,2}$")
_PART_OF_WORDS = ("unit", "phase", "stage", "block", "reactor", "extension", "expansion")  # one is in each match
_PART_OF_ENDS = ("of", "at", "the", "mw", "gw")  # how each match of the pattern below ends (before whitespace)
_PART_OF_BEFORE = re.compile(r"\b(unit|units|phase|stage|block|reactor|extension|expansion)\b(\s+(no\.?\s*)?\d+)?\s+"
                             r"(of|at)\s+(the\s+)?([\d.,]+[ -]?(mw|gw)\s+)?$")
_PREMODIFIER_GAP = re.compile(r"[\s-]*(?:(?:[A-Za-z][\w-]*|\d[\w-]*)\s+){0,1}[\s-]*")
_TYPE_WORDS_TAIL = re.compile(r"\s+(solar|wind|hydro\w*|nuclear|geothermal|biogas|biomass|coal|gas|thermal|power|"
                              r"photovoltaic|pv|energy|plant|farm|park|station|project|offshore|onshore|floating|hybrid|"
                              r"small|mini|micro|storage|battery|run-of-river|pumped|HPP|WPP|SPP|TPP|CHP|NPP)\b.*$", re.I)
_NUMBER_SUFFIX = re.compile(r"-\d+$")
# capacity traps (`before`/`after` are the lowercased text around the figure); each *_WORDS set holds the whole
# words (`\w+` runs) one of which every match of the pattern above it contains
_EACH_AFTER = re.compile(r"^\s*(each|apiece)\b")
_EACH_BEFORE = re.compile(r"\beach\s+(with|of|rated at|having)\s+(a\s+)?(capacity\s+of\s+)?$")
_GENERATION_AFTER = re.compile(r"^\s*(of electricity|of power|of energy|per year|a year|annually|each year|per annum|"
                               r"of clean|of green|of renewable)")
_GENERATION_BEFORE = re.compile(r"(generat\w+|produc\w+|output|consum\w+)\b[\w\s]{0,30}$")
_COMBINED_BEFORE = re.compile(r"\b(combined|total|totall?ing|aggregate|cumulative|overall|joint|together(?!\s+with))\b"
                              r"[\w\s,-]{0,40}$")
_COMBINED_WORDS = frozenset("combined total totaling totalling aggregate cumulative overall joint together".split())
#: a total that is one plant's own: "the plant's total", "its total", "it will have a total capacity of", "the
#: plant, with a total capacity of" (not "the plants, with a total...", "together they have a total...")
_OWN_TOTAL_BEFORE = re.compile(r"\b(plant|station|facility|park|farm|project)['’]s\s+(total|combined)|\bits\s+total|"
                               r"\bit\s+(?:will\s+|would\s+)?(?:have|has|had)\s+a\s+total\b|"
                               r"\b(?:plant|station|facility|park|farm|project|hpp|tpp|chp|npp)\b,?\s+with\s+a\s+total\b")
#: "seven turbines of 6.2 MW each, for a total of 43.4 MW": the sum of a plant's parts (one plant's own total)
_PARTS_TOTAL_BEFORE = re.compile(r"\b(?:turbines|units|engines|generators)\b[^;]{0,40}\beach,?\s+(?:for|with|giving|"
                                 r"making)\s+a\s+total\b")
_PART_WORDS = frozenset(w + plural for w in "turbine unit phase stage block reactor generator engine module panel "
                        "inverter train line section queue".split() for plural in ("", "s"))  # PART_WORDS' words
_PART_RATING_BEFORE = re.compile(r"\b" + PART_WORDS + r"\s+(of|rated at|with|each with|each of|of up to|of about)\s*"
                                 r"(a\s+|an\s+)?((unit|individual|rated|nominal|installed)\s+)?"
                                 r"(capacity\s+of\s+)?$")
_UNIT_CAPACITY_BEFORE = re.compile(r"\b(unit|per-unit|individual)\s+capacity\s+of\s*$")
_PART_AFTER = re.compile(r"^\s*-?\s*" + PART_WORDS + r"\b")
_EACH_PART_AFTER = re.compile(r"^\s*each\s+" + PART_WORDS)
_PART_OF_TOTAL_AFTER = re.compile(r"^\s*of\s+(the|its|a|an)\s+(planned\s+|total\s+|new\s+)?[\d.,]+\s*-?\s*"
                                  r"(mw|gw|kw|megawatt|gigawatt)")
_AGGREGATE_AFTER = re.compile(r"^\s*(?:\(\w+\)\s*)?(of|in)\s+(new\s+|installed\s+|additional\s+|renewable\s+|clean\s+|green\s+|total\s+|"
                              r"generating\s+|combined\s+|pumped\s+|rooftop\s+|floating\s+|distributed\s+|"
                              r"(?:utility|grid)-scale\s+)*(solar|wind|renewables?|renewable energy|hydro\w*|capacity|"
                              r"capacities|generating|generation|power|coal|gas|nuclear|storage|battery|batteries|clean|"
                              r"green|energy|projects?|thermal|pv|photovoltaic|offshore|onshore|demand|flexib\w*|interconnect\w*|"
                              r"transmission|imports?|exports?)\b")
#: the first word of every match of _PART_AFTER, _EACH_PART_AFTER, _PART_OF_TOTAL_AFTER and _AGGREGATE_AFTER (after
#: a bracketed unit for the last: "2,400 megawatt-hours (MWh) of battery storage")
_AFTER_TRAP_WORD = re.compile(r"\s*-?\s*(?:\(\w+\)\s*)?(?:each|of|in|" + PART_WORDS + r")\b")
_AGGREGATE_BEFORE = re.compile(r"\b(portfolio|target|targets|goal|pipeline|installed base|fleet|quota|auctions?|"
                               r"tenders? for|demand|consumption|peak load|deficit|shortage|imports?|exports?)\b"
                               r"[\w\s,]{0,25}$")
_AGGREGATE_WORDS = frozenset("portfolio target targets goal pipeline installed fleet quota auction auctions tender "
                             "tenders demand consumption peak deficit shortage import imports export exports".split())
_THRESHOLD_BEFORE = re.compile(r"\b(projects|plants|facilities|installations|stations|farms|parks|schemes|systems)\s+(of\s+)?"
                               r"(above|below|exceeding|"
                               r"over|under|more than|less than|larger than|smaller than|bigger than|up to)\s*$")
_THRESHOLD_WORDS = frozenset("projects plants facilities installations stations farms parks schemes systems".split())
#: A stock growing to a figure ("solar capacity to pass 1000MW", "capacity will reach 2 GW").
_GROWTH_BEFORE = re.compile(r"\bcapacit(?:y|ies)\b[\w\s,]{0,25}?\b(?:pass|passing|reach|reaching|exceed|exceeding|top|"
                            r"topping|hit|surpass|rise to|grow to|climb to|double to|triple to)\s*$")
#: One plant's own capacity growing ("whose capacity will reach 120 MW", "its capacity to rise to"): not a stock
_OWN_CAPACITY = re.compile(r"\b(?:its|whose|their|plant['’]s|station['’]s|farm['’]s|park['’]s|project['’]s|unit['’]s)\s+"
                           r"(?:\w+\s+)?capacit")
#: What a government department is named after ("the Energy department"), unlike an area ("the Ullum department")
_DEPARTMENT_TOPICS = frozenset("Energy Power Forest Forestry Forests Health Water Finance Revenue Planning Education "
                               "Agriculture Environment Transport Justice State Defence Defense Fire Police Labour "
                               "Labor Treasury Commerce Trade Industry Industries Mines Mining Works Housing Tourism "
                               "Interior Home Foreign Electricity Irrigation Fisheries Wildlife Land Lands".split())
_PLANTS_OF_BEFORE = re.compile(r"\b(projects|plants|facilities|farms|parks|schemes)\s+(of\s+)?$")
_NATIONAL_WORD = re.compile(r"\b(country|countries|nationwide|nation|national|republic|region's|worldwide|global|"
                            r"world)\b")
_CAPACITY_WORD = re.compile(r"\b(capacity|capacities)\b")
_EXTENSION_BEFORE = re.compile(r"\b(extended|expanded|increased|raised|boosted|upgraded|uprated|expand|extend|increase|"
                               r"raise|expansion|extension|grow|grew)\b[\w\s]{0,25}?\b(by|to|of)?\s*(another\s+|"
                               r"an additional\s+|a further\s+)?$")
_EXTENSION_WORDS = frozenset("extended expanded increased raised boosted upgraded uprated expand extend increase "
                              "raise expansion extension grow grew".split())
_ADDITION_BEFORE = re.compile(r"\b(add|adds|added|adding)\s+(another|an additional|a further|more|extra)\s*$")
# status cues
_CONSTRUCTION_WORD = re.compile(r"\b(construction|works?|building|installation|assembly)\b")
_OPERATION_WORD = re.compile(r"\b(operat\w*|production|generat\w*|commercial)\b")
_FUTURE_BEFORE = re.compile(r"\b(to(?!\s+date\b)|will|would|shall|expected|scheduled|due|planned|plans?|set|aims?|intends?|"
                            r"could|should|may|might|must|going|once|until|when)\b(\s+\w+){0,2}\s*(be\s+)?$")
_TO_BE_BEFORE = re.compile(r"\b(to be|be)\s*$")
_RUNNING_WORD = re.compile(r"\b(operat\w*|generat\w*|running|produc\w*|in service|work\w*)\b")
_EXPECTED_BEFORE = re.compile(r"\b(for|expected|scheduled|due|planned|until|before|by)\b[\w\s]*$")
# target years (`before` is the lowercased text before the year)
_YEAR_RANGE_AFTER = re.compile(r"[-–]\d")
_PAST_YEAR_BEFORE = re.compile(r"\b(since|from \d{4}|in \d{4}-|founded|established|last year|ago)\s*$")
_SINCE_BEFORE = re.compile(r"\bsince\s+$")
_START_YEAR_WORDS = ("start", "begin", "began")  # one is in each match
_START_YEAR_BEFORE = re.compile(r"\b(start|begin|began|started|starts|begins)\b[\w\s]{0,10}$")
_COMPLETION_YEAR_BEFORE = re.compile(r"\b(commission\w*|complet\w*|operation\w*|online|on stream|launch\w*|operating|"
                                     r"finished|ready|completion)\b[\w\s]{0,25}$")
#: preparatory work whose completion does not complete the plant
_STUDY_BEFORE = re.compile(r"\b(?:feasibility|study|studies|assessment|design|survey|surveys|tender|negotiations|talks|"
                           r"documentation|permitting|appraisal|audit)\b")
_BY_YEAR_BEFORE = re.compile(r"\bby\s+(the\s+end\s+of\s+)?$")
_IN_YEAR_BEFORE = re.compile(r"\b(in|from|for|of)\s+(the\s+\w+\s+(quarter|half)\s+of\s+)?$")


#: "wind-solar", "solar-plus-storage", "solar+storage", "solar and storage hybrid": two technologies of one hybrid.
_HYBRID_TYPES = {"wind": "wind", "solar": "solar", "photovoltaic": "solar", "pv": "solar", "storage": "battery_storage",
                 "battery": "battery_storage", "hydro": "hydro", "hydropower": "hydro", "hydrogen": "hydrogen",
                 "biomass": "biomass"}
_HYBRID_WORD = r"(wind|solar|photovoltaic|pv|storage|battery|hydro|hydropower|hydrogen|biomass)"
#: (matched in the lowercase text: every alternative starts with a letter, so `re` scans for candidates in C; the
#: word boundary before the first word is checked by the caller)
_HYBRID = re.compile(_HYBRID_WORD + r"(?:\s*[-/+]\s*|-?plus-?|\s+plus\s+|\s+and\s+(?=\w+[- ]hybrid\b))" + _HYBRID_WORD +
                     r"\b(?=[- ](?:hybrid|power|energy|project|plant|park|farm|facility|complex|scheme|system)\b)")
#: what comes before a count of plants that only spreads a total over them: "across six wind farms"
_ACROSS_BEFORE = re.compile(r"\b(?:across|among|between|spread over|split over|spread across)\s+(?:the\s+|its\s+|their\s+)?"
                            r"(?:\w+\s+)?$", re.I)
#: what separates two places of a list (not "A in X")
_RUN_BREAK = re.compile(r",|\b(?:and|or)\b")
#: words that name a county's country (besides the country's own names)
_COUNTY_COUNTRY_WORDS = {"GB": ("England", "English", "Britain", "British", "UK", "U.K.", "Scotland", "Wales"),
                         "IE": ("Ireland", "Irish")}
#: pairs that name one technology: pumped "hydro-storage", "hydrogen storage"
_NOT_HYBRIDS = ({"hydro", "battery_storage"}, {"hydrogen", "battery_storage"})
#: what follows a technology's own figure inside a hybrid: "220 MW of solar modules", "a 50 MW solar array"
_HYBRID_PART = re.compile(r"\s+(?:of\s+)?(?:(?:new|installed)\s+)?" + _HYBRID_WORD + r"\b")  # (lowercase text)


_LABEL_OF = operator.attrgetter("label")
_RANK_START = operator.attrgetter("rank", "start")
_FIRST = operator.itemgetter(0)
_FIRST_TWO = operator.itemgetter(0, 1)
_START_END = operator.attrgetter("start", "end")
_END = operator.attrgetter("end")
_START = operator.attrgetter("start")
_START_CHAR = operator.attrgetter("start_char")
_MATCH_START = operator.methodcaller("start")


#: which place candidate wins an overlap (bare names come after all of these)
_PLACE_PRIORITY = {"place.kw_of": 5, "place.name_kw": 5, "place.county_prefix": 5, "place.river_prefix": 5,
                   "place.gmina_prefix": 5, "place.shared_head": 6,
                   "place.kw_of_list": 6, "place.possessive": 3, "place.prep": 2, "place.dateline": 4,
                   "place.based": 4, "place.before_capacity": 2, "place.paren_capacity": 2}


# ---------------------------------------------------------------- small records
class _Sent:
    """A sentence as token and character bounds (cheaper than spaCy Span objects)."""

    __slots__ = ("text", "start", "end", "start_char", "end_char", "stripped")

    def __init__(self, text: str, start: int, end: int, start_char: int, end_char: int) -> None:
        self.start, self.end, self.start_char, self.end_char = start, end, start_char, end_char
        self.text = text[start_char:end_char]  # sliced once: every pass reads it
        self.stripped: str | None = None  # text.strip(), worked out on first need (see sentence_text)


@dataclass
class Place:
    text: str
    start: int
    end: int
    rank: int
    pid: str
    level: str
    canonical: str | None = None
    country: str | None = None
    country_code: str | None = None
    mention_only: bool = False  # only mentioned, never a facility's place: a dateline, a company's home town
    list_id: int | None = None
    plant_name: bool = False  # the name of a plant written before ("at Haapasuo"): not a location of the article


@dataclass
class Org:
    text: str
    start: int
    end: int
    roles: set[str]
    pids: list[str]


@dataclass
class Cap:
    cap: Capacity
    start: int
    end: int
    pid: str
    text: str
    trap: str | None = None
    each: bool = False
    owner: int | None = None  # index of the mention it belongs to
    premod: bool = False
    shared_by: tuple[int, ...] = ()  # "A and B, of 50 MW each": the other mentions it also belongs to
    parts_total: bool = False  # "N turbines of X MW each, for a total of Y MW": one plant's total, not several's


@dataclass
class MentionSpan:
    type: str
    start: int
    end: int
    pid: str
    weak: bool
    tok_start: int
    tok_end: int
    name: str | None = None
    name_start: int | None = None
    plural: bool = False
    count: int | None = None
    definite: bool = False
    part_of: bool = False
    sent: int = 0
    pids: list[str] = field(default_factory=list)
    individuates: list[Fac] | None = None  # a plural anaphor's: the group written before that it takes one by one
    list_of: int | None = None  # the plants of one coordinated list ("the A and B wind farms") share it


@dataclass(eq=False)
class Fac:
    type: str
    mention: MentionSpan
    cap: Capacity | None = None
    cap_pid: str | None = None
    places: list[Place] = field(default_factory=list)
    status: str = "unknown"
    status_pid: str | None = None
    year: int | None = None
    orgs: list[str] = field(default_factory=list)
    region_ctx: Place | None = None
    country: str | None = None
    weak: bool = False
    sent: int = 0
    para: int = 0
    pids: list[str] = field(default_factory=list)
    dropped: bool = False
    group: int | None = None
    item_name: str | None = None


_UNIT_TOKEN = re.compile(r"^(?:[\d.,]+-?)?(?:[kKMG]W(?:h|p|e|ac|dc)?|MW\s?(?:ac|dc)|megawatts?|gigawatts?|kilowatts?)"
                         r"(?:/[\d.,]*)?$", re.I)


def _words(text: str) -> set[str]:
    """`set(_WORD.findall(text))`: the words of `text` (an ASCII text's without the regex: ~3x faster)."""
    if text.isascii():
        return set(text.encode("ascii").translate(_ASCII_NON_WORD_TO_SPACE).decode("ascii").split())
    return set(_WORD.findall(text))


def _contains_any(text: str, words: tuple[str, ...]) -> bool:
    """Is one of `words` written in `text` (a cheap necessary condition before a regex that needs one)?"""
    for w in words:
        if w in text:
            return True
    return False


def _named_anaphors(text: str) -> list[re.Match[str]]:
    """`list(_NAMED_ANAPHOR.finditer(text))`, trying the pattern only where "he " and a capital are written.

    Every match starts with "[Tt]he " and a capital, and `match(text, pos)` sees the characters before `pos` (for
    its `\\b`) as `finditer` does; after a match the scan resumes at its end, as `finditer` does."""
    out = []
    resume = 0  # the earliest position the next match may start at
    for he in _HE_CAPITAL.finditer(text, 1):
        if he.start() - 1 < resume:
            continue
        m = _NAMED_ANAPHOR.match(text, he.start() - 1)
        if m is not None:
            out.append(m)
            resume = m.end()
    return out


_CAPACITY_MEMO: dict[tuple, Capacity] = {}


def _parse_capacity(groups: dict[str, str]) -> Capacity:
    """`parse_capacity`, memoised per written figure (a Capacity is immutable and depends on the groups only)."""
    key = tuple(groups.items())
    cap = _CAPACITY_MEMO.get(key)
    if cap is None:
        cap = parse_capacity(groups)
        if len(_CAPACITY_MEMO) < 65536:
            _CAPACITY_MEMO[key] = cap
    return cap


@functools.lru_cache(maxsize=65536)
def _trimmed_name(seg: str) -> tuple[int, int]:
    """Bounds of an organisation name in `seg`: without leading stop words ("The", "In"...), trailing connectors
    ("of", "and"...), trailing , ; : and a full stop that is not part of a legal form ("Ltd."); end <= start when
    nothing is left. (Memoised: news repeats its names.)"""
    first_last = seg.split()  # the words of _NON_SPACE (`\s` and str.split() agree on whitespace)
    if first_last and first_last[0].strip(",.") not in _LEAD_STOP_LOWER and \
            not first_last[0].endswith("-based") and first_last[-1] not in _TRAILING_CONNECTORS:
        ns, ne = len(seg) - len(seg.lstrip()), len(seg.rstrip())  # nothing to drop: the outer words
    else:
        words = list(_NON_SPACE.finditer(seg))
        # a leading stop word, or where the company is based ("Chennai-based Vaigai Engineering")
        while words and (words[0].group().strip(",.") in _LEAD_STOP_LOWER or words[0].group().endswith("-based")):
            words.pop(0)
        while words and words[-1].group() in _TRAILING_CONNECTORS:
            words.pop()
        if not words:
            return 0, 0
        ns, ne = words[0].start(), words[-1].end()
    while ne > ns and seg[ne - 1] in ",;:":
        ne -= 1
    if ne > ns and seg[ne - 1] == "." and not _LEGAL_DOT.search(seg, ns, ne):
        ne -= 1
    return ns, ne


def _only_areas_named_again(earlier: list[Place], own: list[Place]) -> bool:
    """Whether every spot (location-level place) of `earlier` is written again in `own` as a district ("Puttalam"
    and "the Puttalam district"), so that `own` says more precisely where the plant is."""
    spots = [p for p in earlier if p.rank <= RANK["district"]]
    if not spots or any(p.rank != RANK["location"] for p in spots):
        return False
    areas = set()
    for p in own:
        if p.rank >= RANK["district"]:
            words = fold(p.text).split()
            if len(words) > 1 and words[-1] in _AREA_KW:
                words = words[:-1]
            areas.add(" ".join(words))
    return all(fold(p.text) in areas for p in spots)


@functools.lru_cache(maxsize=65536)
def _trimmed_place(seg: str) -> tuple[int, int]:
    """Bounds of a place name in `seg`: without leading stop words ("The", "In", months...) and outer spaces; end
    <= start when nothing is left. (Memoised: news repeats its names.)"""
    first = seg.split(None, 1)[:1]  # the first word of _NON_SPACE (`\s` and str.split() agree on whitespace)
    if not first:
        return 0, 0
    if first[0] not in _PLACE_LEAD_STOP and first[0].lower() not in {"the", "a", "an"}:
        return len(seg) - len(seg.lstrip()), len(seg.rstrip())  # nothing to drop: the outer words
    words = list(_NON_SPACE.finditer(seg))
    while words and (words[0].group() in _PLACE_LEAD_STOP or words[0].group().lower() in {"the", "a", "an"}):
        words.pop(0)
    if not words:
        return 0, 0
    return words[0].start(), words[-1].end()


@dataclass(frozen=True)
class _OrgNameShape:
    """What an organisation candidate's written segment says by itself (see `_org_name_shape`)."""

    start: int  # the trimmed name's bounds in the segment
    end: int
    name: str
    words: tuple[str, ...]
    roles: frozenset[str]
    needs_acronym_after: bool = False  # a generic head-word name: only an institution when "(ABC)" follows
    technology_last: bool = False  # its last word is a technology ("Caliche Flats Solar")
    descriptive: bool = False  # every word is a stop acronym or a demonym ("Chinese EPC")


@functools.lru_cache(maxsize=65536)
def _org_name_shape(pid: str, role: str, seg: str) -> _OrgNameShape | None:
    """The trimmed name of an organisation candidate of pattern `pid` (role `role`) written as `seg`, its words
    and roles; None when the name alone rules it out (the checks that need the text around it are the caller's).
    Memoised: news repeats its names (the lexicons and the gazetteer are the process-wide ones)."""
    ds, de = _trimmed_name(seg)
    if de <= ds:
        return None
    name = seg[ds:de]
    words = tuple(_WORD_SPLIT.split(name))
    if not _PERSON_WORDS.isdisjoint(words[1:]) or \
            (len(words) > 1 and words[0] in {"Construction", "Gas-fired", "Coal-fired",
                                             "Work", "Plans", "Solar", "Wind"} and pid != "org.legal_form"):
        return None
    gaz, lex = gazetteer(), default_pattern_set().lexicons
    org_heads = lex.get("org.lexicon.heads", frozenset())
    org_gov = lex.get("org.lexicon.government", frozenset())
    needs_acronym_after = False
    if role == "acronym":
        if name in ACRONYM_STOP or gaz.country(name) or len(name) < 2 or _DIGIT.search(name) or \
                _ROMAN_NUMERAL.fullmatch(name):
            return None
    elif role == "head_word":
        content = [w for w in words if w not in {"of", "the", "and", "&", "for", "de", "del", "la"}]
        if len(content) < 2 or org_heads.isdisjoint(words):
            return None
        generic = all(w in org_heads or w in STOP_CAPS for w in content)
        if words[-1].lower() in FACILITY_HEAD_WORDS:
            return None
        # an institution has three content words or an acronym after it
        needs_acronym_after = len(content) < 3 and generic and content[0] not in org_gov
    else:
        if name in STOP_CAPS or gaz.country(name) or gaz.region(name, fuzzy=False):
            return None
        if words[0] in PERSON_TITLES:
            return None
        if words[-1].lower() in FACILITY_HEAD_WORDS:
            return None
    if (len(words) == 1 and gaz.is_demonym(name)) or "Local Government Area" in name or \
            (words[-1] in ("Area", "Zone", "County", "Township") and pid != "org.legal_form") or \
            (" " in name and _FOREIGN_PLANT_WORDS.search(name)):  # "(50 MW) Parque Solar X" is a plant
        return None  # "the Czech company X", "Spanish developer X"; a Nigerian LGA is a place
    roles = {role}
    if words[0] in org_gov or name.lower() in {"akimat", "hokimiyat"}:
        roles.add("government")
    if pid != "org.legal_form" and not lex.get("org.lexicon.agencies", frozenset()).isdisjoint(words):
        roles.add("news_agency")
    return _OrgNameShape(ds, de, name, words, frozenset(roles), needs_acronym_after,
                         words[-1].lower() in _TECHNOLOGY_WORDS,
                         all(w in ACRONYM_STOP or gaz.is_demonym(w) for w in words))


@functools.lru_cache(maxsize=65536)
def _government_countries(text: str) -> tuple[tuple[str, int, Country], ...]:
    """The countries a government's name ends with ("Ministry of Energy of X"): (name, its offset in `text`,
    country) of each match of _GOVERNMENT_OF_COUNTRY that names one. (Memoised: news repeats its names; the
    gazetteer is the process-wide one.)"""
    if "of " not in text:
        return ()  # (every match holds "of ")
    country_of = gazetteer().country
    out = []
    for cm in _GOVERNMENT_OF_COUNTRY.finditer(text):
        c = country_of(cm.group(1))
        if c:
            out.append((cm.group(1), cm.start(1), c))
    return tuple(out)


@functools.lru_cache(maxsize=65536)
def _first_country_in(text: str) -> str | None:
    """The name of the first country written in an organisation's name ("Government of X"), as capitalised words,
    or None. (Memoised: news repeats its names; the gazetteer is the process-wide one.)"""
    country_of = gazetteer().country
    for words in _CAPITALISED_WORDS.findall(text):
        c = country_of(words)
        if c:
            return c.name
    return None


@functools.lru_cache(maxsize=65536)
def _is_unit_token(text: str) -> bool:
    """Is the token a power or energy unit ("MW", "40-MW", "kWh")? (Memoised per token text.)"""
    return bool(_UNIT_TOKEN.match(text))


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


class _Spans:
    """Disjoint character spans with O(log n) overlap queries (overlapping input is merged)."""

    def __init__(self, spans=()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for s, e in sorted(spans):
            if self.ends and s < self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], e)
            elif e > s:
                self.starts.append(s)
                self.ends.append(e)

    def overlaps(self, s: int, e: int) -> bool:
        i = _bisect_left(self.starts, e)
        return i > 0 and self.ends[i - 1] > s

    def covers(self, s: int, e: int) -> bool:
        """Does one stored span hold all of [s, e)?"""
        i = _bisect_right(self.starts, s)
        return i > 0 and self.ends[i - 1] >= e

    def find(self, s: int, e: int) -> int | None:
        """Start of the stored span overlapping [s, e), or None."""
        i = _bisect_left(self.starts, e)
        return self.starts[i - 1] if i > 0 and self.ends[i - 1] > s else None

    def add(self, s: int, e: int) -> None:
        i = _bisect_left(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, e)


def _longest_first(items: list, key=_START_END) -> list:
    """Keep non-overlapping items, preferring the longest (then earliest); `key` gives an item's (start, end)."""
    # (start - end, start, index) of each item, sorted: longest first, then earliest, then in item order (what a
    # stable sort by length and start gives)
    order = [(s - e, s, k) for k, (s, e) in enumerate(map(key, items))]
    order.sort()
    chosen: list[tuple[int, int]] = []  # (start, index)
    # the chosen spans, disjoint, sorted by start (`_Spans.overlaps` and `_Spans.add`, inlined)
    starts: list[int] = []
    ends: list[int] = []
    for d, s, k in order:
        e = s - d
        if e > s:
            i = _bisect_left(starts, e)
            if i > 0 and ends[i - 1] > s:
                continue
            chosen.append((s, k))
            i = _bisect_left(starts, s)
            starts.insert(i, s)
            ends.insert(i, e)
    chosen.sort()  # by start (the chosen spans are disjoint and not empty: their starts differ)
    return [items[k] for _, k in chosen]


# ---------------------------------------------------------------- the assembly
class _Assembler:
    def __init__(self, doc: Doc, doc_id: str, title: str | None, source: str | None) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.doc_id = doc_id
        self.title = title
        self.source = source
        self.ps = default_pattern_set()
        self.gaz = gazetteer()
        n_tok = len(doc)
        known = doc.user_data.get(SENT_STARTS_KEY)
        if n_tok and known is not None:  # what the sentencizer wrote into SENT_START, as offsets
            starts, chars = list(known[0]), [*known[1], len(self.text)]
        elif n_tok:
            starts = (doc.to_array(SENT_START) == 1).nonzero()[0].tolist()
            if not starts or starts[0] != 0:
                starts = [0] + starts
            # the character offset of each sentence's first token, then of the end of the text
            chars = [doc[i].idx for i in starts] + [len(self.text)]
        else:
            starts, chars = [0], [len(self.text), len(self.text)]
        bounds = starts[1:] + [n_tok]
        self.sents = [_Sent(self.text, a, b, c0, c1)
                      for a, b, c0, c1 in zip(starts, bounds, chars, chars[1:]) if a < b]
        self.sent_starts = [s.start_char for s in self.sents]
        self.para_breaks = [m.start() for m in _PARA_BREAK.finditer(self.text)]
        self.matches: list[RegexMatch] = regex_matches(doc)
        # every capitalised name, as the ruler's own `re` matches, per pattern (by far the most frequent matches)
        self.bare_names: dict[str, list[re.Match[str]]] = bare_names(doc)
        # the matches of each label, in match order (most passes need one label only)
        # (the ruler writes them pattern by pattern: runs of one label, grouped in C)
        self.by_label: dict[str, list[RegexMatch]] = {}
        for label, run in itertools.groupby(self.matches, _LABEL_OF):
            self.by_label.setdefault(label, []).extend(run)
        # the rule-matcher and regex spans of each label (FACILITY, ANAPHOR, STATUS...), in span order
        self.rule_spans: dict[str, list[Span]] = {}
        for sp in pipeline_spans(doc, RULES_KEY):
            self.rule_spans.setdefault(sp.label_, []).append(sp)
        self.regex_spans: dict[str, list[Span]] = {}
        for sp in pipeline_spans(doc, REGEX_KEY):
            self.regex_spans.setdefault(sp.label_, []).append(sp)
        lex = self.ps.lexicons
        self.org_heads = lex.get("org.lexicon.heads", frozenset())
        self._consumed: set[int] = set()
        self._org_spans = _Spans()
        self._countries_written: frozenset[str] | None = None  # worked out on first need (rarely needed)
        self._title_place_list: list[Place] = []

    # -- positions
    def sent_of(self, char: int) -> int:
        i = _bisect_right(self.sent_starts, char) - 1
        return i if i > 0 else 0

    def sentence_text(self, i: int) -> str:
        sent = self.sents[i]
        stripped = sent.stripped
        if stripped is None:
            stripped = sent.stripped = sent.text.strip()
        return stripped

    # -- organisations
    def build_orgs(self) -> list[Org]:
        # candidates as (name, start, end, roles, pattern id); an Org is made for those that survive the merge below
        cands: list[tuple[str, int, int, frozenset[str], str]] = []
        text = self.text
        for m in self.by_label.get("ORG", ()):
            role = m.meta.get("role", "company")
            pid = m.pid
            n_span = m.span("n")
            if n_span is None:
                continue
            s, e = n_span
            if pid == "org.legal_form":
                e = m.end
            if role == "news_agency":
                cands.append((text[s:e], s, e, _NEWS_AGENCY_ROLES, pid))
                continue
            if role == "government" and pid == "org.government_lower":
                cands.append((text[s:e], s, e, _GOVERNMENT_ROLES, pid))
                continue
            shape = _org_name_shape(pid, role, text[s:e])
            if shape is None:
                continue
            s, e = s + shape.start, s + shape.end
            name, words = shape.name, shape.words
            # what the text around the name says
            if role == "acronym":
                if self._is_dateline(s):
                    continue
                if text[s - 1:s] == "(" and _LOWER_PHRASE_BEFORE_PAREN.search(text[max(0, s - 40):s]):
                    continue
                if _NUMBER_OR_MONEY_AFTER.match(text[e:e + 2]) or _DIGIT_BEFORE.search(text[max(0, s - 3):s]):
                    continue
                if self._allcaps_context(s, e):
                    continue
            elif role == "head_word":
                if shape.needs_acronym_after and not _ACRONYM_AFTER.match(text, e):
                    continue
                # (the name's own test first: the others are only tried after a technology word)
                if shape.technology_last and (_PLANT_NOUN_AFTER.match(text, e) or _is_unit_token(words[0])
                                              or _FIGURE_BEFORE_NAME.search(text, max(0, s - 24), s)):
                    continue  # "its Caliche Flats Solar project", "the 70-megawatt Glacier Ridge Solar": plants
            else:
                if len(words) == 1 and self._sentence_initial(s) and not _TWO_CAPITALS_OR_HYPHEN.search(name):
                    continue
                # (the name's own test first: the pattern is only tried after a descriptive name)
                if name in ACRONYM_STOP or (shape.descriptive and _ROLE_NOUN_AFTER.match(text, e)) or (
                        len(words) == 1 and _ROLE_NOUN_THEN_NAME.match(text, e)):
                    # "built by (Chinese) EPC contractor X", "developed by Bloemfontein firm X": a description of X,
                    # who is named next ("Statkraft subsidiary X" names two organisations)
                    continue
                if pid == "org.subject" and _PLACE_WORD_BEFORE.search(text[max(0, s - 20):s]):
                    continue
            cands.append((name, s, e, shape.roles, pid))
        # a name known only as the subject of "said"/"plans" is often a person: keep it when it looks like an
        # organisation (org word, hyphen, inner capital, acronym) or is the start of an organisation found elsewhere
        strong = [c[0] for c in cands if c[4] != _SUBJECT_PID]  # (their names)
        if len(strong) < len(cands):
            strong_words: set[str] | None = None  # the first words of the others (worked out on first need)
            kept_cands = []
            for c in cands:
                if c[4] == _SUBJECT_PID:
                    c_text = c[0]
                    words = _SPACE_SPLIT.split(c_text)
                    looks_org = any(w in self.org_heads for w in _WORD_SPLIT.split(c_text)) or \
                        _ORG_SHAPE.search(c_text) is not None or len(words) >= 3
                    if not looks_org:
                        if strong_words is None:
                            strong_words = {o_text.split()[0] for o_text in strong if o_text}
                        prefix_of = bool(c_text) and c_text.split()[0] in strong_words and any(
                            o_text != c_text and o_text.startswith(c_text) for o_text in strong)
                        if not prefix_of:
                            continue
                kept_cands.append(c)
            cands = kept_cands
        # merge overlapping: the longest survives, roles and pattern ids are pooled
        # (longest first, then earliest, ties in candidate order: sorted by (start - end, start, index) tuples)
        order = [(c[1] - c[2], c[1], i) for i, c in enumerate(cands)]
        order.sort()
        cands = [cands[i] for _, _, i in order]
        kept: list[Org] = []
        # the kept spans, disjoint, sorted by start (`_Spans.find` and `_Spans.add`, inlined)
        taken_starts: list[int] = []
        taken_ends: list[int] = []
        by_start: dict[int, Org] = {}
        for name, s, e, roles, pid in cands:
            if e <= s:
                continue
            i = _bisect_left(taken_starts, e)
            if i > 0 and taken_ends[i - 1] > s:
                k = by_start[taken_starts[i - 1]]
                k.roles |= roles
                if pid not in k.pids:
                    k.pids.append(pid)
            else:
                o = Org(name, s, e, set(roles), [pid])
                kept.append(o)
                i = _bisect_left(taken_starts, s)
                taken_starts.insert(i, s)
                taken_ends.insert(i, e)
                by_start[s] = o
        kept.sort(key=_START)
        # institution names go on after "and": "Bank for Reconstruction and Development"
        for k in kept:
            if ("of" in k.text or "for" in k.text) and _OF_OR_FOR.search(k.text):
                mm = _AND_CONTINUATION.match(self.text, k.end)
                if mm and not self.gaz.country(mm.group(1)) and not any(
                        o is not k and _overlaps(o.start, o.end, mm.start(1), mm.end()) and
                        (len(o.text.split()) >= 2 or "org.legal_form" in o.pids) for o in kept):
                    k.text = self.text[k.start:mm.end()]
                    k.end = mm.end()
        # (`kept` stays sorted by (start, -end): it is sorted by start, and its starts differ, the spans having been
        # disjoint before some ends moved on)
        nested: list[Org] = []
        reach = -1
        for k in kept:
            if k.end <= reach:
                continue
            nested.append(k)
            reach = max(reach, k.end)
        kept = nested
        for k in kept:
            if not _LENDER_WORDS.isdisjoint(k.text.split()):
                k.roles.add("lender")
        # coordination: "ORG and Name" -> Name is an organisation too
        extra: list[Org] = []
        for o in kept:
            m = _AND_NAME_AFTER.match(self.text[o.end:o.end + 60])
            if m:
                s = o.end + m.start(1)
                e = o.end + m.end(1)
                if not any(_overlaps(s, e, k.start, k.end) for k in kept + extra):
                    nm = m.group(1)
                    if not self.gaz.country(nm) and nm.split()[0] not in STOP_CAPS and not self.gaz.is_demonym(nm):
                        extra.append(Org(nm, s, e, set(o.roles) - {"government"}, ["org.coordination"]))
        return sorted(kept + extra, key=_START)

    def _is_dateline(self, s: int) -> bool:
        """An all-capitals word that opens a line and is followed by a dash, comma or bracket (ASTANA - ...)."""
        line_start = self.text.rfind("\n", 0, s) + 1
        if self.text[line_start:s].strip():
            return False
        return bool(_DATELINE_WORD.match(self.text[s:s + 40]))

    def _allcaps_context(self, s: int, e: int) -> bool:
        line_start = self.text.rfind("\n", 0, s) + 1
        line_end = self.text.find("\n", e)
        line = self.text[line_start: line_end if line_end >= 0 else len(self.text)]
        letters = _NON_LETTERS.sub("", line)
        return len(letters) > 12 and sum(c.isupper() for c in letters) / len(letters) > 0.8

    def _sentence_initial(self, s: int) -> bool:
        i = self.sent_of(s)
        before = self.text[self.sents[i].start_char:s].strip()
        return before == "" or before.endswith(("“", '"', "—"))

    # -- places
    def build_places(self, orgs: list[Org], names: list[tuple[int, int]]) -> list[Place]:
        cands: list[tuple[int, Place]] = []
        list_id = 0
        priority = _PLACE_PRIORITY
        text, gaz = self.text, self.gaz
        might_be_place, country_of, region_of = gaz.might_be_place, gaz.country, gaz.region
        # places inside organisations and plant names are dropped below (a country in "Government of X" stays);
        # a candidate known to be dropped is not looked up
        blocked_spans = _Spans([(o.start, o.end) for o in orgs] + names)
        trimmed = _trimmed_place  # (`_trim_place`, inlined: bounds of the name in a segment)
        # bare names have the lowest priority: they are looked at last (below)
        # (a bare name's match is of `text` itself: `m.group()` is `text[m.start():m.end()]`)
        # (`might_be_place` memoises its answers per name: a dict read first, the method call only on a miss)
        known_get = self.gaz._might_be_place.get
        bare = []
        for bare_pid, found in self.bare_names.items():
            for m in found:
                nm = m.group()
                flag = known_get(nm)
                if flag is None:
                    flag = might_be_place(nm)
                if flag:
                    bare.append((bare_pid, m))
        b_starts, b_ends = blocked_spans.starts, blocked_spans.ends  # (`blocked_spans.overlaps`, inlined below)
        has_based = "based" in text  # (a group that starts with "based" is written in the text)
        for m in self.by_label.get("PLACE", ()):
            level = m.meta.get("level")
            pid = m.pid
            if pid in {"place.shared_head", "place.kw_of_list"}:
                kw = PLURAL_KW.get(m.groups["kw"].lower(), m.groups["kw"].lower())
                ls, _ = m.span("list")
                list_id += 1
                for part in _COMMA_PART.finditer(m.groups["list"]):
                    for piece in _AND_OR_SPLIT.split(part.group()):
                        piece_s = ls + part.start() + part.group().find(piece)
                        ds, de = trimmed(text[piece_s:piece_s + len(piece)])
                        ps_, pe_ = piece_s + ds, piece_s + de
                        if pe_ <= ps_ or blocked_spans.overlaps(ps_, pe_):
                            continue
                        nm = text[ps_:pe_]
                        p = self._make_place(f"{nm} {kw}", ps_, pe_, kw, pid, nm, list_id)
                        if p is not None:  # not a stop word ("the Upper and Lower districts")
                            cands.append((priority[pid], p))
                continue
            s, e = m.span("n")
            ds, de = trimmed(text[s:e])
            s, e = s + ds, s + de
            if e <= s:
                continue
            # the place's span overlaps a blocked one
            i = _bisect_left(b_starts, m.end if pid == "place.name_kw" else e)
            if i > 0 and b_ends[i - 1] > (m.start if pid in _KEYWORD_FIRST_PIDS else s):
                continue
            # (every particle ends with a lowercase letter: the character before the space is one)
            if level == "kw" and pid == "place.name_kw" and text[s - 1:s] == " " and text[s - 2:s - 1].islower() and \
                    text[max(0, s - 8):s - 1].rpartition(" ")[2] in NAME_PARTICLES:
                # a lowercase particle inside the name: "the Ústí nad Labem Region", "the Frankfurt am Main district"
                head = _PARTICLE_NAME_BEFORE.search(text, max(0, s - 40), s)
                if head is not None:
                    s = head.start()
            nm = text[s:e]
            if level == "kw":
                # (a pattern matched on its own, not after or before another one, has its match's groups only: its
                # keyword is the text of its group, without building the dict of all groups)
                kw_span = None if "after" in m.meta or "before" in m.meta else m.span("kw")
                kw = text[kw_span[0]:kw_span[1]].lower() if kw_span is not None else m.groups["kw"].lower()
                if pid == "place.name_kw":
                    e2 = m.end
                    p = self._make_place(text[s:e2], s, e2, kw, pid, nm)
                elif pid in _KEYWORD_FIRST_PIDS:  # "County Donegal", "River Cothi"
                    p = self._make_place(text[m.start:e], m.start, e, kw, pid, nm)
                else:
                    p = self._make_place(nm, s, e, kw, pid, nm)
                if p is not None:
                    if has_based and "based" in text[max(0, m.start - 12):m.start] and \
                            _BASED_IN_BEFORE.search(text, max(0, m.start - 12), m.start):
                        p.mention_only = True  # "a society based in the village of X": where it is, not a plant
                    cands.append((priority[pid], p))
                continue
            if level == "based":  # "Chennai-based Vaigai Engineering": where a company is, not a plant
                cands.append((priority[pid], self._home_place(nm, s, e, pid)))
                continue
            if level == "dateline":
                if country_of(nm) or len(nm) >= 3:
                    p = Place(nm, s, e, RANK["location"], pid, "dateline", mention_only=True)
                    reg = region_of(nm.title(), fuzzy=False)
                    if reg:
                        p.country, p.country_code = reg.country, reg.country_code
                    cands.append((priority[pid], p))
                continue
            if _MONEY_AFTER.match(text[e:e + 9]):
                continue
            if level == "prep" and has_based and (m.groups.get("prep") or "").startswith("based"):
                cands.append((priority[pid], self._home_place(nm, s, e, pid)))
                continue
            country = country_of(nm)
            if country:
                cands.append((priority[pid], Place(nm, s, e, RANK["country"], pid, "country",
                                                     canonical=country.name, country=country.name,
                                                     country_code=country.code)))
                continue
            fuzzy = level in {"prep", "possessive"}
            reg = self._county_ok(region_of(nm, fuzzy=fuzzy))
            if reg is not None and fuzzy and not self._region_country_ok(reg, nm, fuzzy=True):
                reg = None
            if reg is not None and not reg.is_city:
                cands.append((priority[pid], Place(nm, s, e, RANK["region"], pid, "region",
                                                     canonical=reg.canonical, country=reg.country,
                                                     country_code=reg.country_code)))
                continue
            if fold(nm) in MACRO_REGIONS:
                cands.append((priority[pid], Place(nm, s, e, 5, pid, "macro_region")))
                continue
            if level == "prep":
                if _SHORT_ACRONYM.fullmatch(nm):
                    continue
                prep = (m.groups.get("prep") or "in").split()[0].lower()
                if prep in {"from", "of", "to"}:
                    continue
                if nm.split()[0] in STOP_CAPS or nm in _NO_PLACE_NAMES:
                    continue
                p = Place(nm, s, e, RANK["location"], pid, "location")
                if reg is not None:
                    p.country, p.country_code = reg.country, reg.country_code
                cands.append((priority[pid], p))
        # drop places inside organisations and plant names (a country in "Government of X" stays)
        gov_countries = []
        for o in orgs:
            if "government" in o.roles:
                for nm, offset, c in _government_countries(o.text):
                    cs = o.start + offset
                    gov_countries.append((7, Place(nm, cs, cs + len(nm), RANK["country"], "place.in_government_name",
                                                   "country", canonical=c.name, country=c.name, country_code=c.code)))
        cands = [(pr, p) for pr, p in cands if not blocked_spans.overlaps(p.start, p.end)]
        cands += gov_countries
        # highest priority first, then longest, then earliest, then in candidate order (what a stable sort by the
        # first three gives): sorted as tuples
        order = [(-pr, p.start - p.end, p.start, k) for k, (pr, p) in enumerate(cands)]
        order.sort()
        kept: list[Place] = []
        taken = _Spans()
        taken_starts, taken_ends = taken.starts, taken.ends  # (`overlaps` and `add`, inlined)
        for *_, k in order:
            p = cands[k][1]
            s, e = p.start, p.end
            if e > s:
                i = _bisect_left(taken_starts, e)
                if i > 0 and taken_ends[i - 1] > s:
                    continue
                kept.append(p)
                i = _bisect_left(taken_starts, s)
                taken_starts.insert(i, s)
                taken_ends.insert(i, e)
        # bare names come last (their priority is below every other candidate's): a bare name's place is [s, e) or a
        # word of it, so a name inside a place already taken or inside an organisation or plant name gives none
        bare_places: list[Place] = []
        for bare_pid, m in bare:
            s, e = m.span("n")
            ds, de = trimmed(text[s:e])
            s, e = s + ds, s + de
            if e <= s or taken.covers(s, e) or blocked_spans.covers(s, e) or _MONEY_AFTER.match(text[e:e + 9]):
                continue
            p = self._bare_place(bare_pid, s, e)
            if p is not None and not blocked_spans.overlaps(p.start, p.end):
                bare_places.append(p)
        bare_places.sort(key=lambda p: (-(p.end - p.start), p.start))
        for p in bare_places:
            if p.end > p.start and not taken.overlaps(p.start, p.end):
                kept.append(p)
                taken.add(p.start, p.end)
        kept.sort(key=_START)
        # list continuation: "in Wajir (12 MW) and Kitui (8 MW)", "at Silali and Paka"
        low = [k for k in kept if k.rank <= RANK["district"] and not k.mention_only]
        # "near A in X province and B in Y province": a list goes on after "A in X" as after A
        low_by_end = {k.end: k for k in low}
        areas_at = {k.start: k for k in kept if RANK["district"] <= k.rank <= RANK["region"] and not k.mention_only}
        for k in kept:
            if RANK["district"] <= k.rank <= RANK["region"] and not k.mention_only and " in " in text[k.start - 9:k.start]:
                gap = _IN_GAP_BEFORE.search(text, max(0, k.start - 9), k.start)
                head = low_by_end.get(gap.start()) if gap else None
                if head is not None and head.rank < k.rank:
                    low.append(Place(head.text, head.start, k.end, head.rank, head.pid, head.level))
        low.sort(key=_END)
        low_ends = [k.end for k in low]
        added: list[Place] = []
        bare_all = self.bare_names.get("place.bare", []) if low else []
        bare_ends = [m.end() for m in bare_all]  # (the matches do not overlap: starts and ends both ascend)
        k, n_bare = 0, len(bare_all)
        while k < n_bare:
            m_start, m_end = bare_all[k].span()
            k += 1
            # trimming only moves the start right: no place ending within 40 chars before the match -> none after
            j = _bisect_right(low_ends, m_end) - 1
            if j < 0 or m_start - low_ends[j] > 40:
                # the next match that can qualify ends at or after the next place's end (the places only change
                # when a match qualifies)
                if j + 1 >= len(low_ends):
                    break
                k = max(k, bisect.bisect_left(bare_ends, low_ends[j + 1]))
                continue
            ds, de = trimmed(text[m_start:m_end])
            s, e = m_start + ds, m_start + de
            if e <= s or taken.overlaps(s, e) or blocked_spans.overlaps(s, e):
                continue
            i = _bisect_right(low_ends, s) - 1
            if i < 0 or s - low[i].end > 40:
                continue
            prev = low[i]
            gap = self.text[prev.end:s]
            if _LIST_GAP.fullmatch(gap) and self.text[s:e].split()[0] not in STOP_CAPS:
                place = Place(self.text[s:e], s, e, prev.rank, "place.list_continuation", prev.level)
                added.append(place)
                taken.add(s, e)
                j = _bisect_right(low_ends, e)
                low.insert(j, place)
                low_ends.insert(j, e)
                # ... and on after "B in Y region" as after B ("A in X, B in Y and C in Z")
                in_gap = _IN_GAP_AFTER.match(text, e) if " in " in text[e:e + 5] else None
                area = areas_at.get(in_gap.end()) if in_gap else None
                if area is not None and area.rank > place.rank:
                    j = _bisect_right(low_ends, area.end)
                    low.insert(j, Place(place.text, s, area.end, place.rank, place.pid, place.level))
                    low_ends.insert(j, area.end)
        kept = sorted(kept + added, key=_START)
        # "in Rangpur's Pirganj upazila, Dinajpur's Birol upazila": a name written with a possessive before a
        # district is the area around it, not the plant's spot
        for a, b in zip(kept, kept[1:]):
            if a.pid in _POSSESSOR_PIDS and a.rank < b.rank == RANK["district"] or \
                    a.pid == "place.list_continuation" and a.rank == b.rank == RANK["district"]:
                if b.start - a.end == 3 and text[a.end:b.start] in ("'s ", "’s "):
                    a.rank, a.level = RANK["region"], "region"
        # "in the same district": the district written before (the pattern is case-sensitive)
        for sm in _SAME_PLACE.finditer(self.text) if "the same " in self.text else ():
            kw = sm.group(1).lower()
            before = [k for k in kept if k.end <= sm.start() and (k.level == kw or fold(k.text).endswith(kw))]
            if before and not any(_overlaps(sm.start(), sm.end(), k.start, k.end) for k in kept):
                src = before[-1]
                kept.append(Place(src.text, sm.start(), sm.end(), src.rank, "place.same_as_before", src.level,
                                  canonical=src.canonical, country=src.country, country_code=src.country_code))
        self._settle_shared_region_names(kept)
        return sorted(kept, key=_START)

    def _settle_shared_region_names(self, places: list[Place]) -> None:
        """A region name that several countries use ("Northern Region": Ghana, Malawi...) is the one in the country
        of the article's other places (its unambiguous regions, the countries it names)."""
        options_of: dict[int, dict[str, Region]] = {}
        for i, p in enumerate(places):
            if p.rank == RANK["region"] and p.country_code is not None:
                words = p.text.split()
                names = [p.text] + ([" ".join(words[:-1])] if len(words) > 1 and words[-1].lower() in REG_KW else [])
                options = {r.country_code: r for nm in names for r in self.gaz.regions(nm, fuzzy=False)}
                if len(options) > 1:
                    options_of[i] = options
        if not options_of:
            return
        votes: dict[str, int] = dict.fromkeys(self._countries_named(), 1)
        for i, p in enumerate(places):
            if p.country_code is not None and i not in options_of:
                votes[p.country_code] = votes.get(p.country_code, 0) + 1
        for i, options in options_of.items():
            p = places[i]
            best = max(options, key=lambda code: votes.get(code, 0))
            if votes.get(best, 0) > votes.get(p.country_code, 0):
                r = options[best]
                p.canonical, p.country, p.country_code = r.canonical, r.country, r.country_code

    def _home_place(self, nm: str, s: int, e: int, pid: str) -> Place:
        """A company's home town or country ("Denver-based", "based in Bremen"): a location of the article, never
        a facility's place."""
        p = Place(nm, s, e, RANK["location"], pid, "based", mention_only=True)
        country = self.gaz.country(nm)
        if country is not None:
            p.canonical, p.country, p.country_code = country.name, country.name, country.code
        return p

    def _bare_place(self, pid: str, s: int, e: int) -> Place | None:
        """The country or region a bare name [s, e) names: all of it, or its first word or two that name a country."""
        nm = self.text[s:e]
        country_of = self.gaz.country
        country = country_of(nm)
        if country:
            return Place(nm, s, e, RANK["country"], pid, "country", canonical=country.name, country=country.name,
                         country_code=country.code)
        for w in _ONE_OR_TWO_WORDS.finditer(nm):
            sub = w.group()
            c2 = country_of(sub) or country_of(sub.split()[-1])
            if c2:
                word = sub if country_of(sub) else sub.split()[-1]
                ws = s + nm.find(word)
                return Place(word, ws, ws + len(word), RANK["country"], pid, "country", canonical=c2.name,
                             country=c2.name, country_code=c2.code)
        reg = self._county_ok(self.gaz.region(nm, fuzzy=False)) if len(nm) >= 4 else None
        if reg is not None and not reg.is_city:
            return Place(nm, s, e, RANK["region"], pid, "region", canonical=reg.canonical, country=reg.country,
                         country_code=reg.country_code)
        return None

    def _make_place(self, text: str, s: int, e: int, kw: str, pid: str, name: str,
                    list_id: int | None = None) -> Place | None:
        # "Upper West Region" and "the Northern Region" are names, "the Upper and Lower districts" are not; after
        # "the town of" any capitalised name is one ("Most", "In Salah") but a bare function word
        if pid == "place.kw_of":
            if name in _FUNCTION_CAPS or name in _NO_PLACE_NAMES:
                return None
        elif name.split()[0] in (STOP_CAPS if list_id is not None else NAME_STOP) or name in _NO_PLACE_NAMES:
            return None
        if kw == "department" and any(w in _DEPARTMENT_TOPICS or w in self.org_heads for w in name.split()):
            return None
        if _is_unit_token(name.split()[0]):
            return None  # "the 1.4 MW landfill gas plant": a unit is no name
        if kw == "delegation" and pid == "place.name_kw":
            return None  # "a Chinese delegation visited": people, not a place ("the delegation of X" is one)
        if kw in LOC_KW:
            rank, level = RANK["location"], "location"
        elif kw in VALLEY_KW:
            rank, level = RANK["valley"], "valley"
        elif kw in DIST_KW:
            rank, level = RANK["district"], "district"
        else:
            rank, level = RANK["region"], "region"
        if name in PLACE_GENERIC:
            return None
        if kw == "substation" and text.endswith(kw):  # "next to the Moose Jaw substation": the place is Moose Jaw
            text, e = name, s + len(name)
        p = Place(text, s, e, rank, pid, level, list_id=list_id)
        reg = self.gaz.region(name, fuzzy=rank == RANK["region"]) \
            if rank != RANK["district"] or pid == "place.county_prefix" else None  # ("County Mayo" is Mayo)
        if pid != "place.county_prefix" and reg is not None and reg.is_county:  # (`_county_ok` keeps any other)
            reg = self._county_ok(reg)
        if reg is not None and rank == RANK["location"] and not (
                self._region_country_ok(reg, name, fuzzy=False) and
                (reg.is_city or kw in {"city", "town"} or self._countries_named())):
            # a city often shares its region's name ("the city of Kyzylorda"); a village rarely does: "Kara village"
            # is not in Togo's Kara region unless the article names a country (Togo)
            reg = None
        if reg is not None:
            p.country, p.country_code = reg.country, reg.country_code
            if rank == RANK["region"]:
                p.canonical = reg.canonical
        return p

    # -- facility mentions
    def build_mentions(self, orgs: list[Org]) -> tuple[list[MentionSpan], list]:
        doc = self.doc
        spans = self.rule_spans.get("FACILITY", []) + self.regex_spans.get("FACILITY", [])
        meta = self.ps.meta
        cands = []
        for sp in spans:
            pid = sp.id_  # (read once: `Span.id_` looks its string up on every access)
            md = meta.get(pid, {})
            cands.append(MentionSpan(md.get("type", "other"), sp.start_char, sp.end_char, pid,
                                     bool(md.get("weak")), sp.start, sp.end, pids=[pid]))
        org_spans = _Spans((o.start, o.end) for o in orgs)
        self._org_spans = org_spans
        cands = [c for c in cands if not org_spans.overlaps(c.start, c.end)]
        chosen = _longest_first(cands)
        # merge adjacent mentions of one plant: "TPP-3 coal-fired plant", "wind power plant (WPP)"
        merged: list[MentionSpan] = []
        for c in chosen:
            if merged:
                prev = merged[-1]
                gap = self.text[prev.end:c.start]
                if _SPACE_OR_PAREN_GAP.fullmatch(gap) and (gap.strip() == "(" or gap.strip() == "") and \
                        (prev.type == c.type or prev.pid.endswith(("tpp", "chp_abbr")) or c.pid.endswith(("tpp", "chp_abbr"))):
                    if c.pid.endswith(("tpp", "chp_abbr")) and prev.type != c.type:
                        pass
                    elif prev.pid.endswith(("tpp", "chp_abbr")) and prev.type != c.type:
                        prev.type = c.type
                    end = c.end
                    if gap.strip() == "(" and self.text[end:end + 1] == ")":
                        end += 1
                    prev.end, prev.tok_end = end, c.tok_end
                    prev.pids.append(c.pid)
                    prev.weak = prev.weak and c.weak
                    continue
            merged.append(c)
        anaphors = self.rule_spans.get("ANAPHOR", []) + self.regex_spans.get("ANAPHOR", [])
        mention_spans = _Spans((m.start, m.end) for m in merged)
        anaphors = [a for a in anaphors if not mention_spans.overlaps(a.start_char, a.end_char)]
        for m in merged:
            self._describe_mention(m, orgs)
            if meta.get(m.pid, {}).get("name_in_match"):
                # the type word opens the name ("Windpark Hoge Veld", "Central Solar Cerro Verde"); its last word
                # says nothing of plurality ("Parque Eólico Los Llanos")
                m.plural, m.count = False, None
                if m.name is None:
                    m.name, m.name_start = self.text[m.start:m.end], m.start
        if any(m.plural and m.name for m in merged):
            merged = [one for m in merged for one in self._split_named_list(m)]
        # an apposition describes the named plant before it: "the Central Solar Cerro Verde, a 240 MWac
        # photovoltaic plant in ..." is one plant (its figure and places go to the name)
        kept = merged[:1]
        for m in merged[1:]:
            prev = kept[-1]
            if prev.name and not m.name and m.type == prev.type and not m.plural and \
                    _APPOSITION_GAP.fullmatch(self.text, prev.end, m.start) and \
                    not _FIGURE_BEFORE_NAME.search(self.text, max(0, prev.name_start - 24), prev.name_start):
                continue  # (a named plant with a figure of its own starts a list: "the 30 MW X park, a 50 MW ...")
            kept.append(m)
        return kept, anaphors

    def _split_named_list(self, m: MentionSpan) -> list[MentionSpan]:
        """A plural plant noun after coordinated names is one plant per name: "the 50 MW Alpha Ridge and 40 MW
        Beta Hill wind farms", "the Alpha, Beta and Gamma hydropower plants". Names that are countries, regions,
        demonyms or organisations ("the Gansu and Xinjiang wind farms") leave the mention as it is."""
        if m.count is not None or m.name_start is None or self.text[m.end - 5:m.end].lower() in (" unit", "units"):
            return [m]  # ("the Vestas and Siemens Gamesa wind units": a company's business units)
        sent = self.sents[m.sent]
        text, gaz = self.text, self.gaz
        # the last name, without the plant noun and a size word before it ("Beta small hydropower plants")
        last = m.name[:len(m.name) - (m.end - m.start)].strip()
        while last.rsplit(" ", 1)[-1] in _SIZE_WORDS and " " in last:
            last = last.rsplit(" ", 1)[0]
        names: list[tuple[int, int]] = []
        pos = m.name_start
        while True:
            sep = _LIST_SEP_BEFORE.search(text, sent.start_char, pos)
            if sep is None or (not names and not (sep.group("and1") or sep.group("and2"))) or \
                    (names and (sep.group("and1") or sep.group("and2"))):
                break  # the separator next to the last name is "and"; those before it are commas
            found = _LIST_NAME_BEFORE.search(text, sent.start_char, sep.start())
            if found is None:
                break
            start, end = found.span()
            for word in found.group().split():  # "The Alpha", "MW Alpha": "The" and "MW" are no part of the name
                if word not in NAME_STOP and not _is_unit_token(word):
                    break
                start += len(word) + 1
            if start >= end:
                break
            names.append((start, end))
            pos = start
        if not names:
            return [m]
        written = [text[s:e] for s, e in reversed(names)] + [last]
        if any(gaz.country(w) or gaz.region(w, fuzzy=False) or gaz.is_demonym(w) or w.split()[0] in NAME_STOP
               for w in written) or any(self._org_spans.overlaps(s, e) for s, e in names) or \
                any(w in self.org_heads for name in written for w in name.split()):
            return [m]
        if any(" " not in w and w in _ELIDED_NAME_HEADS for w in written[:-1]) and " " in last:
            # "the Upper and Lower Kafue hydropower plants": the shared rest of the name is written once
            rest = last.split(" ", 1)[1]
            extra = {s: f"{text[s:e]} {rest}" if text[s:e] in _ELIDED_NAME_HEADS else text[s:e] for s, e in names}
        else:
            extra = {s: text[s:e] for s, e in names}
        noun = text[m.name_start + len(last):m.end].strip()
        noun = noun[:-3] + "y" if noun.endswith("ies") else noun[:-1] if noun.endswith("s") else noun
        out = []
        for s, e in reversed(names):
            span = self.doc.char_span(s, e, alignment_mode="expand")
            one = MentionSpan(m.type, s, e, m.pid, m.weak, span.start, span.end, name=f"{extra[s]} {noun}",
                              name_start=s, definite=m.definite, sent=m.sent, pids=list(m.pids), list_of=m.start)
            out.append(one)
        m.name, m.plural, m.list_of = f"{last} {noun}", False, m.start
        return out + [m]

    def _describe_mention(self, m: MentionSpan, orgs: list[Org]) -> None:
        doc = self.doc
        i = _bisect_right(self.sent_starts, m.start) - 1  # (sent_of, inlined)
        m.sent = i if i > 0 else 0
        sent = self.sents[m.sent]
        sent_start = sent.start
        last_tok = doc[m.tok_end - 1]
        last = last_tok.text
        last_lower = last.lower()
        m.plural = last.endswith("s") and last_lower not in _NOT_PLURAL_S and last_lower != "gas" \
            or last_lower in {"facilities", "batteries"}
        if last in {"SPPs", "WPPs", "HPPs", "TPPs", "NPPs", "CCGTs", "SHPPs", "CHPs"}:
            m.plural = True
        # name: capitalised words just before the mention ("Zhanatas-2 wind farm", "Kara-Suu HPP"), also before a size
        # word ("the Kalbajar-2 small hydropower plant")
        i = m.tok_start - 1
        while i > sent.start and doc[i].text in _SIZE_WORDS and doc[i - 1].text[:1].isupper():
            i -= 1
        last_name_tok = i
        name_start_tok = None
        while i >= sent_start:
            t = doc[i]
            tt = t.text  # (Token.text makes a new string on every access)
            if tt == "-" and i - 1 >= sent_start and doc[i - 1].text[:1].isupper() and \
                    doc[i + 1].text[:1].isupper():
                i -= 1
                continue
            # (a _NAME_NUMBER match has at most 4 characters)
            if len(tt) <= 4 and _NAME_NUMBER.fullmatch(tt) and i - 1 >= sent_start and doc[i - 1].text[:1].isupper() \
                    and doc[i - 1].text not in STOP_CAPS and not doc[i - 1].like_num:
                name_start_tok = i
                i -= 1
                continue
            # (a word of letters only has no digit: the generators run for the others only)
            if (tt[:1].isupper() or (not tt.isalpha() and any(ch.isdigit() for ch in tt) and
                                     any(ch.isalpha() for ch in tt))) \
                    and not _is_unit_token(tt) and not _DIGIT_SLASH.search(tt) \
                    and tt not in NAME_STOP and not t.like_num and tt.lower() not in MENTION_ADJ \
                    and not self._org_spans.overlaps(t.idx, t.idx + len(tt)):
                name_start_tok = i
                i -= 1
                continue
            if tt in NAME_PARTICLES and name_start_tok == i + 1:
                # particles between two capitalised words of the name: go on at the word before them
                k = i - 1
                while k >= sent.start and doc[k].text in NAME_PARTICLES:
                    k -= 1
                before_tt = doc[k].text if k >= sent.start else ""
                if before_tt[:1].isupper() and before_tt not in NAME_STOP and not _is_unit_token(before_tt) \
                        and not self._org_spans.overlaps(doc[k].idx, doc[k].idx + len(before_tt)):
                    i = k
                    continue
            break
        if name_start_tok is not None and name_start_tok == last_name_tok and \
                self.gaz.is_demonym(doc[name_start_tok].text):
            name_start_tok = None
        j = (name_start_tok if name_start_tok is not None else m.tok_start) - 1
        if name_start_tok is not None:
            first_tok = doc[name_start_tok]
            # `doc[name_start_tok:m.tok_end].text`, from the offsets (a Span's text is rebuilt from its tokens):
            # the text from its first token's start to its last token's end
            cand = self.text[first_tok.idx:last_tok.idx + len(last)]
            first = first_tok.text
            if name_start_tok == last_name_tok and self.gaz.is_demonym(first):
                name_start_tok = None
            elif not (self.gaz.country(first) and name_start_tok == last_name_tok) and not _ALL_CAPS.fullmatch(first):
                m.name = cand.rstrip(")").strip()
                if m.name.endswith("(") or "(" in m.name and ")" not in m.name:
                    m.name = m.name.split("(")[0].strip()
                m.name_start = first_tok.idx
            elif _ALL_CAPS.fullmatch(first) and self.gaz.country(first) is None and first not in ACRONYM_STOP:
                m.name = cand
                m.name_start = first_tok.idx
        # count and definiteness: look back over adjectives and a capacity premodifier
        k = j
        seen_cap = False
        unit_pending = False
        while k >= sent_start:
            tt = doc[k].text
            low = tt.lower()
            if _is_unit_token(tt):
                unit_pending = True
                if _NUMBER_START.match(tt):
                    seen_cap, unit_pending = True, False
                k -= 1
                continue
            if unit_pending and (_NUMBER.fullmatch(low) or low in NUMBER_WORDS):  # "40 MW", "five-megawatt"
                seen_cap, unit_pending = True, False
                k -= 1
                continue
            if low in MENTION_ADJ or tt in {"-", ","} or low in {"of", "/"} and unit_pending:
                k -= 1
                continue
            if k - 2 >= sent_start and doc[k - 1].text == "-" and \
                    f"{doc[k - 2].text.lower()}-{low}" in MENTION_ADJ:  # "grid-connected" is three tokens
                k -= 3
                continue
            break
        if k >= sent_start:  # (the loop broke at token k: `low` is its lowercase text)
            if low in COUNT_WORDS:
                m.count = COUNT_WORDS[low] or None
                m.plural = True if COUNT_WORDS[low] != 1 else m.plural
            elif low.isdecimal() and _SMALL_INTEGER.fullmatch(low) and not seen_cap:  # (`\d`: a decimal digit)
                m.count = int(low)
                m.plural = m.count > 1
            elif low in {"the", "this", "these", "its", "that", "those"}:
                m.definite = True
                if k - 1 >= sent.start and doc[k - 1].text.lower() in COUNT_WORDS:
                    m.count = COUNT_WORDS[doc[k - 1].text.lower()] or None
            if low in {"these", "those"} or (low == "the" and k + 1 < len(doc) and doc[k + 1].text.lower() in COUNT_WORDS):
                m.definite = True
                if k + 1 < len(doc) and doc[k + 1].text.lower() in COUNT_WORDS:
                    m.count = COUNT_WORDS[doc[k + 1].text.lower()] or None
        before = self.text[sent.start_char:m.name_start or m.start].lower()
        # (each pattern tried only when a word it needs is written)
        if "of" in before and _ONE_OF_GROUP_BEFORE.search(before):
            m.count, m.plural = None, False
        # (every match of _PART_OF_BEFORE ends with "of", "at", "the", "mw" or "gw" and whitespace: `\s` and
        # str.rstrip() agree on whitespace)
        if before.rstrip().endswith(_PART_OF_ENDS) and _contains_any(before, _PART_OF_WORDS) and \
                _PART_OF_BEFORE.search(before):
            m.part_of = True

    # -- capacities
    def build_caps(self) -> list[Cap]:
        caps = []
        for m in self.by_label.get("CAPACITY", ()):
            caps.append(Cap(_parse_capacity(m.groups), m.start, m.end, m.pid, self.text[m.start:m.end]))
        # (their traps are worked out by _facilities, in the sentences that read them)
        return _longest_first(caps)

    def _classify_cap(self, c: Cap, sent: _Sent) -> None:
        """Set `c.trap` and `c.each` from the text around `c` in its sentence `sent`."""
        before = self.text[max(sent.start_char, c.start - 80):c.start].lower()
        after = self.text[c.end:min(sent.end_char, c.end + 60)].lower()
        if _EACH_AFTER.match(after) or ("each" in before and _EACH_BEFORE.search(before)):
            c.each = True
        if c.cap.energy_only:
            if _GENERATION_AFTER.match(after) or _GENERATION_BEFORE.search(before):
                c.trap = "generation"
            return
        # (each pattern of `before` tried only when a word it needs is written)
        words = _words(before)
        if not words.isdisjoint(_COMBINED_WORDS) and _COMBINED_BEFORE.search(before):
            if _PARTS_TOTAL_BEFORE.search(before):
                c.parts_total = True  # (its plant's own, unless it is written for several: see _sentence_facilities)
            elif not _OWN_TOTAL_BEFORE.search(before):
                c.trap = "combined_total"
        # (the patterns of `after` below are tried only when its first word is one they start with)
        after_word = _AFTER_TRAP_WORD.match(after) is not None
        if (not words.isdisjoint(_PART_WORDS) and _PART_RATING_BEFORE.search(before)) or \
                ("capacity" in before and _UNIT_CAPACITY_BEFORE.search(before)) or \
                after_word and (_PART_AFTER.match(after) or _EACH_PART_AFTER.match(after)):
            c.trap = "part_rating"
        if after_word and _PART_OF_TOTAL_AFTER.match(after):
            c.trap = "part_of_total"  # "150 MW of the 300 MW plant": the written total is the plant's
        if after_word and _AGGREGATE_AFTER.match(after):
            c.trap = "aggregate"
        if not words.isdisjoint(_AGGREGATE_WORDS) and _AGGREGATE_BEFORE.search(before):
            c.trap = "aggregate"
        if (not words.isdisjoint(_THRESHOLD_WORDS) and _THRESHOLD_BEFORE.search(before)) or \
                (c.cap.qualifier in {"over", "under"} and _PLANTS_OF_BEFORE.search(before)):
            c.trap = "threshold"
        # the two last traps only apply to a figure without one; their cheap literal tests go first
        tail = before[-50:]
        if not c.trap and "capacit" in tail and _CAPACITY_WORD.search(tail) and (
                _NATIONAL_WORD.search(tail) or (_GROWTH_BEFORE.search(tail) and not _OWN_CAPACITY.search(tail))):
            c.trap = "aggregate"
        if not c.trap and ((not words.isdisjoint(_EXTENSION_WORDS) and _EXTENSION_BEFORE.search(before)) or
                           ("add" in before and _ADDITION_BEFORE.search(before))):
            c.trap = "extension"

    # -- status cues
    def build_status(self, mentions: Sequence[MentionSpan] = ()) -> list:
        # (start, end, pattern id) of each STATUS cue
        spans = [(c[0], c[1], c[4]) for c in rule_cues(self.doc) if c[7] == "STATUS"]
        spans = _longest_first(spans, key=_FIRST_TWO)
        out = []
        meta = self.ps.meta
        text = self.text
        mention_starts = sorted(m.start if m.name_start is None else m.name_start for m in mentions)
        for c0, c1, pid in spans:
            status = meta.get(pid, {}).get("status", "unknown")
            if status == "unknown":
                continue  # a mask: the phrase says no status, and hides the shorter cues inside it ("operating permit")
            if pid == "status.under_construction.construction_reached_percent" and not _PLANT_WORD.search(text, c0, c1):
                continue  # "construction of the office tower reached 50 percent": progress of something else
            sent = None  # (the cue's sentence: looked up when a test below reads it)
            low = text[c0:c1].lower()  # the span's text (spans run from a token's start to a token's end)
            if low == "grid-connected":
                # "a grid-connected solar plant" says what kind of plant it is, not that it was connected
                i = _bisect_left(mention_starts, c1)
                if i < len(mention_starts) and mention_starts[i] - c1 <= 40 and all(
                        w in MENTION_ADJ or _FIGURE_WORD.fullmatch(w)
                        for w in text[c1:mention_starts[i]].lower().replace("-", " ").split()):
                    continue
            if status == "under_construction" and low in {"started", "began", "begun", "commenced", "has started",
                                                          "have started", "has begun", "is ongoing", "under way",
                                                          "underway"}:
                sent = self.sents[self.sent_of(c0)]
                if not _CONSTRUCTION_WORD.search(sent.text.lower()):
                    continue
                if _OPERATION_WORD.search(text[c1:c1 + 25].lower()):
                    status = "commissioned"
            if status in {"commissioned", "operational", "under_construction"}:
                sent = sent or self.sents[self.sent_of(c0)]
                before = text[max(sent.start_char, c0 - 40):c0].lower()
                if _FUTURE_BEFORE.search(before):
                    if not (status == "operational" and low in {"existing"}):
                        status = "planned"
                elif low in {"completed", "commissioned"} and _TO_BE_BEFORE.search(before):
                    status = "planned"
                elif ("complet" in low or "finish" in low) and _STUDY_BEFORE.search(before):
                    status = "planned"  # "the feasibility study has been completed for the ... plant"
            if status == "operational" and low in {"currently", "already"} and \
                    not _RUNNING_WORD.search((sent or self.sents[self.sent_of(c0)]).text.lower()):
                continue
            if low in {"completion of", "commissioning of"}:
                sent = sent or self.sents[self.sent_of(c0)]
                before = text[max(sent.start_char, c0 - 40):c0].lower()
                if _EXPECTED_BEFORE.search(before):
                    status = "planned"
            out.append((c0, c1, status, pid))
        return out

    # ---------------------------------------------------------------- main
    def run(self) -> ExtractionResult:
        orgs = self.build_orgs()
        mentions, anaphors = self.build_mentions(orgs)
        # (a name that is the whole mention, "Central Solar Cerro Verde", holds no place of its own either)
        name_spans = [(m.name_start, m.start if m.name_start < m.start else m.end)
                      for m in mentions if m.name and m.name_start is not None]
        name_spans.extend((mt.start, mt.end) for mt in self.by_label.get("NAME", ()))
        title_places = self._title_places()
        self._title_place_list = title_places
        places = self.build_places(orgs, name_spans)
        caps = self.build_caps()
        cues = self.build_status(mentions)
        facs = self._facilities(mentions, anaphors, caps, places, orgs, cues, title_places)
        return self._result(self._split_hybrids(facs, caps), orgs, places, title_places)

    def _split_hybrids(self, facs: list[Fac], caps: list[Cap]) -> list[Fac]:
        """A hybrid is one record per technology: "a 150 MW wind-solar hybrid project", "a solar-plus-storage
        plant" also give a record of the other technology, with the same place, status, year and organisations,
        unless the paragraph already has a facility of that type. One figure for the whole hybrid is a combined
        capacity, so neither record takes it; each takes its own figure when the same or the next sentence
        (also across a paragraph break) gives one per technology ("combines 220 MW of solar modules with 80 MW of wind turbines")."""
        out: list[Fac] = []
        lower = doc_lower(self.doc)
        for f in facs:
            m = f.mention
            sent = self.sents[m.sent]
            if m.pid == "fac.hybrid.plant":
                # "its Pampa hybrid plant, which pairs 180 MWac of solar panels with a 120 MW battery": one record
                # per technology given a figure (a technology the paragraph names as a facility of its own
                # already has its record); a hybrid whose technologies are not written gives none
                pids = [p for p in f.pids if not p.startswith("cap.")] + ["fac.hybrid"]
                for t, found in self._hybrid_figures(m, caps, lower).items():
                    if len(found) == 1 and not any(g.type == t and g.para == f.para for g in (*facs, *out)):
                        c = found[0]
                        out.append(Fac(t, m, c.cap, c.pid, list(f.places), f.status, f.status_pid, f.year,
                                       list(f.orgs), f.region_ctx, f.country, f.weak, f.sent, f.para, pids + [c.pid]))
                continue
            out.append(f)
            pos, end = max(sent.start_char, m.start - 40), min(sent.end_char, m.end + 12)
            hit = _HYBRID.search(lower, pos, end)
            while hit is not None and hit.start() > 0 and lower[hit.start() - 1].isalnum():
                hit = _HYBRID.search(lower, hit.start() + 1, end)  # not at a word start ("windsolar")
            if hit is None or not (m.start - 2 <= hit.end(2) <= m.end + 1 or m.start <= hit.start() < m.end):
                continue
            types = {_HYBRID_TYPES[hit.group(1).lower()], _HYBRID_TYPES[hit.group(2).lower()]}
            if f.type not in types or len(types) != 2 or types in _NOT_HYBRIDS:
                continue
            (other,) = types - {f.type}
            if any(g.type == other and g.para == f.para for g in facs):
                continue
            f.cap, f.cap_pid = None, None
            f.pids = [p for p in f.pids if not p.startswith("cap.")] + ["fac.hybrid"]
            twin = Fac(other, m, None, None, list(f.places), f.status, f.status_pid, f.year, list(f.orgs),
                       f.region_ctx, f.country, f.weak, f.sent, f.para, list(f.pids))
            out.append(twin)
            per_type = self._hybrid_figures(m, caps, lower)
            if all(len(per_type.get(g.type, ())) == 1 for g in (f, twin)):
                for g in (f, twin):
                    c = per_type[g.type][0]
                    g.cap, g.cap_pid = c.cap, c.pid
                    g.pids = g.pids + [c.pid]
        return out

    def _written_countries(self, title_places: list[Place]) -> frozenset[str]:
        """Codes of the countries the title or the text names (a name, or one or two words of a longer name)."""
        text, country_of, might_be_place = self.text, self.gaz.country, self.gaz.might_be_place
        codes = {p.country_code for p in title_places if p.rank == RANK["country"] and p.country_code}
        for m in self.bare_names.get("place.bare", ()):
            nm = m.group()  # (`text[m.start():m.end()]`: the match is of `text`)
            if not might_be_place(nm):
                continue
            words = nm.split()
            for k in range(len(words)):
                for part in (words[k], " ".join(words[k:k + 2])):
                    c = country_of(part)
                    if c is not None:
                        codes.add(c.code)
        return frozenset(codes)

    def _county_ok(self, reg: Region | None) -> Region | None:
        """`reg`, unless it is a county whose country the article does not name: "Norfolk, Virginia" is not the
        English county; "near Navenby in Lincolnshire" is, in a story that writes England, Britain or the UK."""
        if reg is None or not reg.is_county or reg.country_code in self._countries_named():
            return reg
        return reg if _contains_any(self.text, _COUNTY_COUNTRY_WORDS.get(reg.country_code, ())) else None

    def _countries_named(self) -> frozenset[str]:
        """Codes of the countries the title or the text names (worked out once, on first need)."""
        if self._countries_written is None:
            self._countries_written = self._written_countries(self._title_place_list)
        return self._countries_written

    def _region_country_ok(self, region: Region, name: str, *, fuzzy: bool) -> bool:
        """Whether a place may take `region`'s country. A region found only by its consonant skeleton ("Astoria"
        ~ "Astara") needs that country to be named in the article. A village or town found by exact name among
        another country's regions ("Kara village" in a Kazakh story ~ Togo's Kara region) needs it too when the
        article names other countries. A bare name after a preposition or with a possessive that is exactly a
        region's name is taken as that region ("in Victoria", "Victoria's"), even in a story naming other
        countries: such names usually are the region ("in Kara" in a Kazakh story is a known miss)."""
        written = self._countries_named()
        if region.country_code in written:
            return True
        if fuzzy:
            return self.gaz.region(name, fuzzy=False) is not None
        return not written

    def _title_places(self) -> list[Place]:
        if not self.title:
            return []
        out: list[Place] = []
        title = self.title
        for m in _TITLE_PLACE.finditer(title):
            nm = m.group(1)
            if nm.endswith(("'s", "’s")):  # (a possessive ending: group 1 holds no line break)
                nm = nm[:-2]
            country = self.gaz.country(nm)
            if country:
                out.append(Place(nm, -1, -1, RANK["country"], "title", "country", canonical=country.name,
                                 country=country.name, country_code=country.code))
                continue
            reg = self._county_ok(self.gaz.region(nm, fuzzy=bool(m.group(2))))
            if reg and not reg.is_city:
                text = f"{nm} {m.group(2)}" if m.group(2) else nm
                out.append(Place(text, -1, -1, RANK["region"], "title", "region", canonical=reg.canonical,
                                 country=reg.country, country_code=reg.country_code))
        return out

    # -- building facilities sentence by sentence
    def _facilities(self, mentions, anaphors, caps, places, orgs, cues, title_places) -> list[Fac]:
        facs: list[Fac] = []
        by_sent: dict[int, list[MentionSpan]] = {}
        for m in mentions:
            by_sent.setdefault(m.sent, []).append(m)
        ana_by_sent = self._by_sentence(anaphors, _START_CHAR)
        named_ana = self._by_sentence(_named_anaphors(self.text), _MATCH_START)
        region_ctx: Place | None = next((p for p in title_places if p.rank == RANK["region"]), None)
        country_ctx: Place | None = next((p for p in title_places if p.rank == RANK["country"]), None)
        if region_ctx and not country_ctx and region_ctx.country:
            country_ctx = Place(region_ctx.country, -1, -1, 4, "title", "country", country=region_ctx.country)
        # (a mention-only place is no sentence's: left out once here, not per sentence; each sentence's list is
        # its own, read by that sentence only, as the per-sentence copy was)
        places_by = self._by_sentence([p for p in places if not p.mention_only], _START)
        caps_by = self._by_sentence(caps, _START)
        cues_by = self._by_sentence(cues, _FIRST)
        orgs_by = self._by_sentence(orgs, _START)
        prev_status: tuple[str, str] | None = None
        prev_year: int | None = None
        # The year carried forward is the year of the last sentence (of this paragraph, without a typed mention)
        # that gives one. Sentences without a mention or anaphor are only queued here, with whether a status was
        # being carried when they were read, and their year is worked out when a new facility asks for it.
        year_trail: list[tuple[_Sent, bool]] = []
        last_para_status = -1
        self._same_site: list[tuple[Fac, Fac]] = []
        self._headline = self._headline_span()
        para_breaks = self.para_breaks
        # the sentences with a mention, anaphor, place, cue or organisation (a capacity alone changes nothing)
        busy = by_sent.keys() | ana_by_sent.keys() | named_ana.keys() | places_by.keys() | cues_by.keys() | \
            orgs_by.keys()
        for si, sent in enumerate(self.sents):
            s0 = sent.start_char
            para = _bisect_right(para_breaks, s0)  # (para_of, inlined)
            if para != last_para_status:
                prev_status, prev_year = None, None
                year_trail = []
                last_para_status = para
            if si not in busy:
                # (what the steps below do for a sentence with none of these: it gives no status and only queues
                # itself for the year carried forward)
                year_trail.append((sent, prev_status is not None))
                continue
            s_places = places_by.get(si) or []
            s_caps = caps_by.get(si, ())  # (read only)
            s_cues = cues_by.get(si, ())
            s_orgs = orgs_by.get(si, ())
            ms = by_sent.get(si, ())
            s_anas = ana_by_sent.get(si, ())
            s_named = named_ana.get(si, ())
            # the status and year this sentence gives: carried forward from a sentence without a typed mention; in
            # one with a mention only read by `_sentence_facts` (which works them out on first need: _UNSET)
            # (`_sentence_status`, inlined: most sentences have no cue)
            s_status = _UNSET if ms else self._nearest_status(s_cues, s0, s0) if s_cues else None
            if ms or s_anas or s_named:
                # only a sentence with a typed mention, an anaphor or a named anaphor reads its capacities' traps
                for c in s_caps:
                    self._classify_cap(c, sent)
                s_year = _UNSET if ms else self._sentence_year(sent)
                new_facs = self._sentence_facts(si, sent, para, facs, ms, s_anas, s_named, s_places, s_caps, s_cues,
                                                s_orgs, s_year, s_status)
            else:
                # without a typed mention, an anaphor or a named anaphor a sentence creates and completes no
                # facility: only the context carried forward (status, year, region, country) is updated
                s_year, new_facs = None, []
                year_trail.append((sent, prev_status is not None))
            for f in new_facs:
                if f.status == "unknown" and prev_status:
                    f.status, f.status_pid = prev_status
                if f.year is None and f.status in {"planned", "under_construction"}:
                    if year_trail:
                        prev_year, year_trail = self._carried_year(year_trail, prev_year), []
                    if prev_year:
                        f.year = prev_year
                f.region_ctx = f.region_ctx or region_ctx
                if f.country is None:
                    f.country = self._country_of(f, s_places, country_ctx)
            if not ms and s_status:
                prev_status = s_status
            if not ms and s_year:
                prev_year, year_trail = s_year, []
            for p in s_places:
                if p.rank == RANK["region"]:
                    region_ctx = p
                if p.rank == RANK["country"]:
                    country_ctx = p
                elif p.country and (country_ctx is None or p.rank == RANK["region"]):
                    country_ctx = Place(p.country, -1, -1, 4, p.pid, "country", country=p.country)
            if country_ctx is None:
                # the first country written inside an organisation name ("Government of X") sets the context
                for o in s_orgs:
                    name = _first_country_in(o.text)
                    if name is not None:
                        country_ctx = Place(name, -1, -1, 4, "org", "country", country=name)
                        break
            facs.extend(new_facs)
        for f, ref in self._same_site:
            f.places = list(ref.places)
        self._drop_headline_repeats(facs)
        return self._merge(facs)

    def _headline_span(self) -> tuple[int, int]:
        """Where the title is written as a line of its own near the top of the text (as many outlets' texts open,
        some after a standfirst or byline), else (0, 0)."""
        title = (self.title or "").strip()
        if not title:
            return 0, 0
        at = self.text.find(title, 0, 600 + len(title))
        while at >= 0:
            end = at + len(title)
            if (at == 0 or self.text[at - 1] == "\n") and (end == len(self.text) or self.text[end] in "\r\n"):
                return at, end
            at = self.text.find(title, at + 1, 600 + len(title))
        return 0, 0

    def _in_headline(self, pos: int) -> bool:
        return self._headline[0] <= pos < self._headline[1]

    def _drop_headline_repeats(self, facs: list[Fac]) -> None:
        """A headline sums up the plants the body reports, in few words and with the cues of several of them ("Two
        hydropower plants commissioned in A, B wind farm 70 percent ready"): a plant in the headline is dropped
        when the body has a plant of its type, which carries the body's places, figures and status."""
        if self._headline[1] == 0:
            return
        body: dict[str, list[Fac]] = {}
        head: dict[str, list[Fac]] = {}
        for f in facs:
            if not f.dropped:
                (head if self._in_headline(f.mention.start) else body).setdefault(f.type, []).append(f)
        for type_, heads in head.items():
            bodies = body.get(type_)
            if not bodies:
                continue
            # (a headline plant that no body plant of its type could be, by figure or place, stays: "Helio
            # commissions 100 MW Alpha solar park ... The company also runs a 5 MW solar plant in Faro")
            repeated = [f for f in heads if any(self._could_be_same(f, g, self._headline) for g in bodies)]
            for f in repeated:
                f.dropped = True
            if len(heads) == len(bodies) == len(repeated) == 1:
                # one plant of the type in both: what only the headline writes is the body plant's too
                f, g = heads[0], bodies[0]
                g.mention.name = g.mention.name or f.mention.name
                if not any(p.rank <= RANK["district"] for p in g.places):
                    g.places = [p for p in f.places if p.rank <= RANK["district"]] + g.places
                if g.cap is None and f.cap is not None:
                    g.cap, g.cap_pid = f.cap, f.cap_pid

    @staticmethod
    def _could_be_same(f: Fac, g: Fac, headline: tuple[int, int]) -> bool:
        """Whether a headline plant `f` may be body plant `g`: no two different figures, and a place the body gave
        `f` written inside a place of `g` or around one (the headline's own places are shared by all its plants)."""
        if f.cap is not None and g.cap is not None and abs(f.cap.capacity_mw - g.cap.capacity_mw) > \
                0.01 * max(f.cap.capacity_mw, g.cap.capacity_mw):
            return False
        fp = [fold(p.text) for p in f.places if not headline[0] <= p.start < headline[1]]
        gp = [fold(p.text) for p in g.places]
        return not fp or not gp or any(a in b or b in a for a in fp for b in gp)

    def _sentence_year(self, sent: _Sent) -> int | None:
        """The year sentence `sent` gives a planned facility."""
        return self._pick_year(self._years(sent), "planned")

    def _sentence_status(self, s_cues, s0: int) -> tuple[str, str] | None:
        """The status the cues `s_cues` of the sentence starting at `s0` give."""
        return self._nearest_status(s_cues, s0, s0) if s_cues else None

    def _carried_year(self, trail: list[tuple[_Sent, bool]], prev_year: int | None) -> int | None:
        """The year carried forward past the queued sentences: the last one's that gives a year, else `prev_year`.

        A queued sentence's years are read when a status was being carried or when it has a year hint."""
        for sent, status_carried in reversed(trail):
            if status_carried or (("19" in sent.text or "20" in sent.text) and _YEAR_HINT.search(sent.text)):
                year = self._pick_year(self._years(sent), "planned")
                if year:
                    return year
        return prev_year

    def _sentence_facts(self, si: int, sent: _Sent, para: int, facs: list[Fac], ms: list[MentionSpan], s_anas: list,
                        s_named: list, s_places: list[Place], s_caps: list[Cap], s_cues: list, s_orgs: list[Org],
                        s_year, s_status) -> list[Fac]:
        """The new facilities of sentence `si` (status, organisations and year set), after completing the
        facilities it refers back to (places, capacity, status, year, organisations). `s_year` and `s_status`: the
        year and status the sentence gives, or _UNSET to work them out on first need."""
        s0, s1 = sent.start_char, sent.end_char
        # coreference: definite typed mentions that refer back
        refs: list[Fac] = []
        new_ms: list[MentionSpan] = []
        ref_at: list[int] = []  # where each reference is written
        for m in ms:
            ref = self._coref_typed(m, facs, s_caps)
            if ref is not None:
                refs.append(ref)
                ref_at.append(m.start)
            else:
                new_ms.append(m)
        meta = self.ps.meta
        for a in s_anas:
            if meta.get(a.id_, {}).get("number") not in {"new", "ordinal"} and a.start_char not in self._consumed:
                resolved = self._resolve_anaphor(a, facs)
                refs.extend(resolved)
                ref_at.extend(a.start_char for _ in resolved)
        district = RANK["district"]
        for a in s_named:
            key = fold(a.group(1).split()[0])
            # the last live facility whose name or own place starts with the key (a plant placed "on the same site"
            # as another has that one's place, not its own)
            hit = next((f for f in reversed(facs) if not f.dropped and (
                (f.mention.name and fold(f.mention.name).startswith(key)) or
                ("place.same_site" not in f.pids and
                 any(p.rank <= district and fold(p.text).startswith(key) for p in f.places)))), None)
            if hit is not None:
                refs.append(hit)
                ref_at.append(a.start())
        new_ms = self._synthetic_mentions(si, ms, new_ms, facs, s_anas, s_caps, s_places)
        if not ms and not new_ms:
            self._ordinals(si, facs, s_anas, s_places)
        new_facs = self._sentence_facilities(new_ms, s_caps, s_places, sent)
        # places, capacities, orgs, status, year
        for f in new_facs:
            f.sent, f.para = si, para
            # (without a cue no other mention matters: the list of the others is only made for a sentence with one)
            self._apply_status(f, s_cues, sent, [(m.start, m.end) for m in new_ms if m is not f.mention]
                               if s_cues else ())
            f.orgs = self._facility_orgs(s_orgs, f)
            if f.status in _YEAR_STATUSES:
                if s_year is _UNSET:
                    s_year = self._sentence_year(sent)
                f.year = s_year
            else:
                f.year = None
        for f in new_facs:
            self._at_named_plant(f, facs)
            if "site" in sent.text or "co-located" in sent.text:
                self._at_same_site(f, facs, sent)
        if any(f.mention.individuates for f in new_facs):
            self._replace_individuated_group(new_facs)
        if new_facs and not any(f.places for f in new_facs) and refs:
            for f in new_facs:
                f.places = list(refs[-1].places)
                f.region_ctx = f.region_ctx or refs[-1].region_ctx
                if not f.orgs:
                    f.orgs = list(refs[-1].orgs)
        # refer-back information
        if refs and not new_facs:
            unassigned = [c for c in s_caps if c.owner is None and c.trap is None and not c.cap.energy_only]
            own = [p for p in s_places if p.rank <= district]
            single_ref = len(set(id(r) for r in refs)) == 1
            own_of = self._own_places_of_refs(refs, ref_at, own) if not single_ref and own else {}
            if s_status is _UNSET:
                s_status = self._sentence_status(s_cues, s0)
            for ref in dict.fromkeys(refs):
                own = own_of.get(id(ref), own)
                if own and not any(p.rank <= district for p in ref.places) and \
                        not any(p.start < s1 and p.start >= s0 for p in ref.places):
                    ref.places = own + [p for p in ref.places if p.rank > district]
                elif own and not any(p.rank == RANK["location"] for p in ref.places) and \
                        any(p.rank == RANK["location"] for p in own):
                    ref.places = [p for p in own if p.rank == RANK["location"]] + ref.places
                elif own and any(p.rank == RANK["location"] for p in own) and \
                        _only_areas_named_again(ref.places, own):
                    # "a wind farm in Puttalam ... The wind farm will be built at Kalpitiya in the Puttalam
                    # district": the first place was the area, written without its keyword
                    ref.places = own + [p for p in ref.places if p.rank > district]
                if unassigned and ref.cap is None and single_ref:
                    c = unassigned[0]
                    ref.cap, ref.cap_pid = c.cap, c.pid
                    c.owner = -1
                st = s_status
                if st and (ref.status == "unknown" or (ref.status == "planned" and st[0] in {
                        "under_construction", "cancelled"})):
                    ref.status, ref.status_pid = st
                if ref.year is None and ref.status in _YEAR_STATUSES:
                    if s_year is _UNSET:
                        s_year = self._sentence_year(sent)
                    ref.year = s_year
                for o in self._facility_orgs(s_orgs, ref):
                    if o not in ref.orgs:
                        ref.orgs.append(o)
        # context carried forward: a plant written without any place of its own ("The mill already operates a
        # 65 MW plant") is at the place of the plant written just before (same or previous paragraph)
        for f in new_facs:
            if not f.places and not f.mention.name:
                prev = next((g for g in reversed(facs) if not g.dropped and para - g.para <= 2 and
                             any(p.rank <= district for p in g.places)), None)
                if prev is not None:
                    f.places = [p for p in prev.places if p.rank <= RANK["region"]]
            elif not any(p.rank <= district for p in f.places) and f.mention.name:
                # a named part of a named complex ("Lower X HPP" after "the X cascade") is where the complex is
                words = set(fold(f.mention.name).split()) - _GENERIC_NAME_WORDS
                parent = next((g for g in reversed(facs) if not g.dropped and g.mention.name and para - g.para <= 1
                               and words & (set(fold(g.mention.name).split()) - _GENERIC_NAME_WORDS)
                               and any(p.rank <= district for p in g.places)), None)
                if parent is not None:
                    f.places = [p for p in parent.places if p.rank <= RANK["region"]] + f.places
                    if parent.status == "cancelled":
                        f.status = "cancelled"
        return new_facs

    def _replace_individuated_group(self, new_facs: list[Fac]) -> None:
        """"Three solar plants ... were commissioned. The plants, at A, B and C, have capacities of ... respectively":
        the plants of the plural anaphor are the group written before, one by one. When they are as many and the
        group gave no figures, they replace it and keep what it said (status, year, organisations)."""
        by_mention: dict[int, list[Fac]] = {}
        for f in new_facs:
            if f.mention.individuates:
                by_mention.setdefault(id(f.mention), []).append(f)
        for individuals in by_mention.values():
            group = individuals[0].mention.individuates or []
            if len(group) != len(individuals) or any(g.cap is not None for g in group):
                continue
            first = group[0]
            for g in group:
                g.dropped = True
            for f in individuals:
                if f.status == "unknown" and first.status != "unknown":
                    f.status, f.status_pid = first.status, first.status_pid
                f.year = f.year or first.year
                f.orgs = f.orgs or list(first.orgs)

    @staticmethod
    def _own_places_of_refs(refs: list[Fac], ref_at: list[int], own: list[Place]) -> dict[int, list[Place]]:
        """With several plants referred to in one sentence, written one after another, each takes the places
        written between it and the next ("The A plant is near X in P district and the B plant near Y in Q
        district"); empty when the sentence writes them otherwise (in one list, or a plural anaphor among them)."""
        first: dict[int, int] = {}
        for ref, at in zip(refs, ref_at):
            first.setdefault(id(ref), at)
        starts = sorted(first.values())
        if len(refs) != len(first) or len(starts) != len(set(starts)) or not own or own[0].start < starts[0]:
            return {}
        out = {}
        for key, at in first.items():
            nxt = next((s for s in starts if s > at), 10 ** 9)
            out[key] = [p for p in own if at <= p.start < nxt]
        return out

    def _at_named_plant(self, f: Fac, facs: list[Fac]) -> None:
        """A plant placed "at X" where X is the name of a plant written before ("the Haapasuo wind farm in
        Kalajoki ... a battery is being installed at Haapasuo") is at that plant's places."""
        spots = [p for p in f.places if p.rank <= RANK["district"]]
        if len(spots) != 1 or spots[0].rank != RANK["location"] or spots[0].pid != "place.prep":
            return
        key = fold(spots[0].text)
        for g in reversed(facs):
            name = g.mention.name
            if name and not g.dropped and g is not f and fold(_TYPE_WORDS_TAIL.sub("", name).strip()) == key:
                if any(p.rank <= RANK["district"] and p.start < spots[0].start for p in g.places):
                    spots[0].plant_name = True
                    f.places = [p for p in g.places] + [p for p in f.places if p is not spots[0]]
                    f.region_ctx = f.region_ctx or g.region_ctx
                    f.country = f.country or g.country
                return

    def _at_same_site(self, f: Fac, facs: list[Fac], sent) -> None:
        """A plant added "on the same site", "at the X site" (X a plant written before) or "co-located with" one
        is at that plant's places, when its own sentence gives it no spot ("a 10MW/20MWh battery on the same
        site next year", "a battery system of 60 MW/240 MWh at the Cerro Alto site")."""
        if any(p.rank <= RANK["district"] and sent.start_char <= p.start < sent.end_char for p in f.places):
            return
        site = _SAME_SITE.search(self.text, f.mention.end, min(sent.end_char, f.mention.end + 120))
        if site is None:
            return
        live = [g for g in facs if not g.dropped and g is not f and any(p.rank <= RANK["district"] for p in g.places)]
        if site.group("name"):
            key = fold(site.group("name"))
            live = [g for g in live if g.mention.name and fold(g.mention.name).find(key) >= 0]
        if live:
            ref = live[-1]
            f.places = list(ref.places)
            f.region_ctx = f.region_ctx or ref.region_ctx
            f.country = f.country or ref.country
            f.orgs = f.orgs or list(ref.orgs)
            f.pids.append("place.same_site")
            self._same_site.append((f, ref))  # (what later sentences add to ref's places is f's too)

    def _by_sentence(self, items, start) -> dict[int, list]:
        """`items` per sentence (`sent_of(start(item))`), in their order."""
        out: dict[int, list] = {}
        sent_starts = self.sent_starts
        for it in items:
            i = _bisect_right(sent_starts, start(it)) - 1  # sent_of, inlined
            out.setdefault(i if i > 0 else 0, []).append(it)
        return out

    def _synthetic_mentions(self, si: int, ms, new_ms, facs, anas, s_caps, s_places) -> list[MentionSpan]:
        """Generic heads that name a new facility of the type written before ("a 150 MW plant", "the 86-MW X
        project"), and a plural anaphor that individuates the last group ("The plants at A and B, of 40 MW and
        35 MW respectively")."""
        if not anas:
            return new_ms  # (in text order already: a sentence's mentions are)
        last = next((f for f in reversed(facs) if not f.dropped), None)
        if last is None and not ms and not s_caps:
            return new_ms
        out = list(new_ms)
        for a in anas:
            number = self.ps.meta.get(a.id_, {}).get("number")
            if any(_overlaps(a.start_char, a.end_char, m.start, m.end) for m in ms):
                continue
            # the type of the plant written just before: the one it is listed with ("a 20 MW hydropower plant in A
            # and a 10 MW plant in B"), else the last one of an earlier sentence
            before = [m for m in ms if m.end <= a.start_char]
            listed = bool(before) and _LISTED_WITH_GAP.fullmatch(self.text, before[-1].end, a.start_char) is not None
            if not listed and last is None:
                # no plant written before: a plant with its figure ("the 35MW power plant") is of the technology the
                # text just before names ("geothermal electricity ... drilling wells ... the 35MW power plant")
                if number in {"new", "singular"} and not before and \
                        any(a.start_char <= c.start < a.end_char and c.trap is None for c in s_caps):
                    tech = self._technology_before(a.start_char)
                    if tech is not None:
                        out.append(self._synthetic(a, tech))
                        self._consumed.add(a.start_char)
                continue
            type_before = before[-1].type if listed else last.type
            if not listed and number == "new":
                # a technology its own sentence writes before it, outside a plant's mention, wins over the last
                # plant's ("A third solar site offered in the round, a 100 MW plant at Gad, was dropped")
                sent = self.sents[si]
                tech = None
                for found in _TECHNOLOGY_WORD.finditer(self.text, sent.start_char, a.start_char):
                    if not any(m.start <= found.start() < m.end for m in ms):
                        tech = found
                if tech is not None:
                    type_before = _TECHNOLOGY_TYPES[tech.group(1).lower()]
            if before and number == "new" and _RESTATED_GAP.fullmatch(self.text, before[-1].end, a.start_char) and \
                    not any(c.trap is None and before[-1].start - 25 <= c.start < a.start_char for c in s_caps):
                continue  # "the proposed Oak Hollow solar farm, ending a 250-megawatt project": the same plant
            if number == "new":
                syn = self._synthetic(a, type_before)
                if syn.definite and not syn.name:
                    same = [f for f in facs if not f.dropped and f.type == type_before]
                    caps_here = [c for c in s_caps if a.start_char <= c.start < a.end_char]
                    known = {f.cap.capacity_mw for f in same if f.cap is not None}
                    if not (any(f.weak for f in same) or (caps_here and all(f.cap is not None for f in same)
                                                          and caps_here[0].cap.capacity_mw not in known)):
                        continue
                    self._consumed.add(a.start_char)
                if syn.name and any(f.mention.name and fold(f.mention.name) == fold(syn.name) for f in facs):
                    continue
                out.append(syn)
            elif number == "plural" and not ms and a[-1].text.lower() in {"plants", "projects", "stations",
                                                                         "facilities", "parks", "farms"}:
                caps = [c for c in s_caps if c.start > a.end_char and c.trap is None]
                places = [p for p in s_places if p.start > a.end_char and p.rank <= RANK["district"]]
                if len(caps) >= 2 or len(places) >= 2:
                    group = [f for f in facs if not f.dropped and f.group is not None and f.group == last.group]
                    syn = self._synthetic(a, (group[-1] if group else last).type)
                    syn.plural = True
                    syn.individuates = group or None
                    out.append(syn)
                    break
        return sorted(out, key=_START)

    def _technology_before(self, pos: int) -> str | None:
        """The facility type of the technology or fuel word the plant's own sentence writes after `pos` ("which burns
        diesel"), else of the one written last in the 600 characters before it, else in the title (None when none
        names one)."""
        sent = self.sents[self.sent_of(pos)]
        found = _TECHNOLOGY_WORD.search(self.text, pos, sent.end_char)
        if found is None:
            for found in _TECHNOLOGY_WORD.finditer(self.text, max(0, pos - 600), pos):
                pass
        if found is None and self.title:
            found = _TECHNOLOGY_WORD.search(self.title)
        return _TECHNOLOGY_TYPES.get(found.group(1).lower()) if found else None

    def _synthetic(self, a, type_: str) -> MentionSpan:
        head = a[-1]
        m = MentionSpan(type_, head.idx, head.idx + len(head.text), a.id_, False, head.i, head.i + 1, pids=[a.id_])
        self._describe_mention(m, [])
        return m

    def _ordinals(self, si: int, facs: list[Fac], anas, s_places: list[Place]) -> None:
        """'The first station will be near X, and the second in Y': places for the members of the last group."""
        ords = [a for a in anas if a.id_ == "ana.ordinal"]
        if not ords:
            return
        ords.sort(key=_START_CHAR)
        groups = [f.group for f in facs if not f.dropped and f.group is not None]
        if not groups:
            return
        members = [f for f in facs if not f.dropped and f.group == groups[-1]]
        index = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4}
        for i, a in enumerate(ords):
            k = index.get(a[1].text.lower(), -1) if len(a) > 1 else -1
            if not 0 <= k < len(members):
                continue
            end = ords[i + 1].start_char if i + 1 < len(ords) else 10 ** 9
            own = [p for p in s_places if a.start_char <= p.start < end and p.rank <= RANK["district"]]
            if own:
                f = members[k]
                f.places = own + [p for p in f.places if p.rank > RANK["district"] and
                                  not any(q.rank == p.rank for q in own)] + \
                    [p for p in f.places if p.rank <= RANK["district"] and p.rank > max(q.rank for q in own)
                     and False]

    def _coref_typed(self, m: MentionSpan, facs: list[Fac], s_caps: list[Cap]) -> Fac | None:
        if not m.definite or m.name:
            if m.name:
                # the same name, whatever type and size words follow it ("the Alpha HPP" after "the Alpha small
                # hydropower plant")
                key = fold(_TYPE_WORDS_TAIL.sub("", m.name))
                # (a plant the body names again is the body's, not the headline's: see _drop_headline_repeats)
                same = [f for f in facs if f.mention.name and f.type == m.type and not self._in_headline(f.mention.start) and
                        (fold(f.mention.name) == fold(m.name) or fold(_TYPE_WORDS_TAIL.sub("", f.mention.name)) == key)]
                return same[-1] if same else None
            return None
        if m.plural and len([c for c in s_caps if c.trap is None and c.start > m.end]) >= 2:
            return None
        prem = [c for c in s_caps if 0 <= m.start - c.end <= 3 and c.trap is None]
        same = [f for f in facs if f.type == m.type and not f.dropped and not self._in_headline(f.mention.start)]
        if not same:
            return None
        ref = same[-1]
        if prem and ref.cap is not None and ref.cap.capacity_mw != prem[0].cap.capacity_mw:
            return None
        if prem:
            prem[0].owner = -1
            if ref.cap is None:
                ref.cap = prem[0].cap
        return ref

    def _resolve_anaphor(self, a, facs: list[Fac]) -> list[Fac]:
        """The live facilities an anaphor refers to: the last one; for a plural, those of the last two paragraphs
        with one."""
        if self.ps.meta.get(a.id_, {}).get("number", "singular") == "plural":
            live = [f for f in facs if not f.dropped]
            paras = sorted({f.para for f in live})[-2:]
            return [f for f in live if f.para in paras]
        last = next((f for f in reversed(facs) if not f.dropped), None)
        return [] if last is None else [last]

    def _sentence_facilities(self, ms: list[MentionSpan], caps: list[Cap], places: list[Place], sent) -> list[Fac]:
        if not ms:
            return []
        text = self.text
        # 1. capacities to mentions
        for c in caps:
            if c.owner is not None:
                continue
            for idx, m in enumerate(ms):
                start = m.name_start if m.name_start is not None else m.start
                if c.end > start:
                    continue  # (the tests below need the figure before the mention)
                gap = text[c.end:start]
                if _PREMODIFIER_GAP.fullmatch(gap) and \
                        (gap.strip() == "" or gap.strip().lower() in MENTION_ADJ or gap.strip() == "-"):
                    c.owner, c.premod = idx, True
                    if c.trap in {"extension", "aggregate", "combined_total"}:
                        c.trap = None
                    break
        for idx, m in enumerate(ms):
            if m.part_of:
                for c in caps:
                    if not c.premod and c.start > m.end and c.owner is None and c.trap is None:
                        c.trap = "part_capacity"
        free = [c for c in caps if c.owner is None and c.trap is None]
        if len(free) >= 2 and "respectively" in sent.text:  # (a sentence's text is its slice of the text)
            before_ms = [i for i, m in enumerate(ms) if m.end <= free[0].start]
            if len(before_ms) >= len(free):
                for c, i in zip(free, before_ms[-len(free):]):
                    c.owner = i
            elif len(before_ms) == 1 and ms[before_ms[0]].plural:
                for c in free:
                    c.owner = before_ms[0]
        for c in free:
            if c.owner is not None:
                continue
            prev = [i for i, m in enumerate(ms) if m.end <= c.start]
            if prev:
                c.owner = prev[-1]
                if c.each:
                    # "the A wind farm and the B wind farm, of 50 MW each": the plants listed right before share it
                    run = [prev[-1]]
                    while run[0] > 0 and ms[run[0] - 1].type == ms[run[0]].type and \
                            _LISTED_PLANTS_GAP.fullmatch(text, ms[run[0] - 1].end, ms[run[0]].name_start or
                                                         ms[run[0]].start):
                        run.insert(0, run[0] - 1)
                    if len(run) > 1 and not any(o.owner in run for o in caps if o is not c):
                        c.shared_by = tuple(run[:-1])
            else:
                nxt = [i for i, m in enumerate(ms) if m.start >= c.end]
                if nxt and ms[nxt[0]].start - c.end < 60:
                    c.owner = nxt[0]
        for c in caps:
            if c.parts_total and c.owner is not None and c.owner >= 0 and (
                    ms[c.owner].list_of is not None or ms[c.owner].plural or (ms[c.owner].count or 0) > 1):
                c.trap = "part_rating"  # the parts of several plants ("the A and B wind farms will have ...")
        # 2. facilities per mention
        out: list[Fac] = []
        for idx, m in enumerate(ms):
            own_caps = [c for c in caps if (c.owner == idx or idx in c.shared_by) and c.trap is None]
            power = [c for c in own_caps if not c.cap.energy_only]
            energy = [c for c in own_caps if c.cap.energy_only]
            nxt_start = ms[idx + 1].start if idx + 1 < len(ms) else sent.end_char
            seg_places = [p for p in places if m.start <= p.start < nxt_start]
            if idx == 0:
                seg_places = [p for p in places if p.start < m.start] + seg_places
            if m.weak and not power and not (m.type == "battery_storage" and energy and False):
                continue
            if m.type == "battery_storage" and not power:
                continue
            if m.plural or (m.count or 0) > 1:
                if m.count and m.count > 6:
                    continue
                groups = self._plural_groups(m, power, seg_places, places)
                if not groups:
                    continue
                if m.pid.startswith("ana.") and not any(cap for cap, _ in groups) and \
                        not any(p.rank <= RANK["district"] for _, gp in groups for p in gp):
                    continue  # "allocated 310 MW of support to five projects": no kind, figure or place of their own
                if len(groups) > 1 and all(g[1] == groups[0][1] for g in groups) and \
                        _ACROSS_BEFORE.search(text, max(sent.start_char, m.start - 30), m.start):
                    continue  # a stock spread over plants ("1,000 MW of wind capacity across six wind farms")
                if not any(p.rank <= RANK["region"] for _, gp in groups for p in gp) and any(
                        c.trap in {"combined_total", "aggregate"} for c in caps):
                    continue  # a fleet ("operates three stations with a combined 2.4 GW"), not plants to record
                for cap, gplaces in groups:
                    f = Fac(m.type, m, cap.cap if cap else None, cap.pid if cap else None, gplaces, sent=m.sent,
                            group=id(m))
                    if cap is not None and not any(p.rank <= RANK["district"] and p.pid != "place.before_capacity"
                                                   for p in gplaces):
                        # "Kerben-1 (120 MW)", "Kalam (48 MW)": the item's name (also its place when it is one)
                        item = _LIST_ITEM_NAME.search(text, max(sent.start_char, cap.start - 60), cap.start)
                        if item and item.group(1).split()[0] not in STOP_CAPS:
                            f.item_name = item.group(1)
                    f.weak = cap is None and not any(p.rank <= RANK["district"] for p in gplaces)
                    f.pids = list(m.pids) + ([cap.pid] if cap else []) + [p.pid for p in gplaces]
                    out.append(f)
                continue
            # (its own premodifier first: "the 400 MWac plant, paired with a 150 MW battery")
            cap = next((c for c in power if c.premod), power[0]) if power else None
            capacity = cap.cap if cap else None
            if capacity and capacity.storage_mwh is None and energy:
                capacity = Capacity(capacity.value, capacity.unit, capacity.capacity_mw, capacity.capacity_range,
                                    capacity.qualifier, energy[0].cap.storage_mwh)
            plist = seg_places if any(p.rank <= _REGION_RANK for p in seg_places) else \
                seg_places + [p for p in places if p not in seg_places]
            f = Fac(m.type, m, capacity, cap.pid if cap else None, plist, sent=m.sent)
            f.weak = capacity is None and not m.name and not any(p.rank <= _DISTRICT_RANK for p in plist)
            f.pids = list(m.pids) + ([cap.pid] if cap else []) + [p.pid for p in plist]
            out.append(f)
        if any(m.list_of is not None for m in ms):
            self._pair_listed_places(out, places)
        return out

    def _pair_listed_places(self, facs: list[Fac], places: list[Place]) -> None:
        """The plants of one coordinated list take, in order, the places of a list of as many written after them
        ("the A and B wind farms, in the municipalities of X and Y"; "... in the X and Y districts respectively")."""
        lists: dict[int, list[Fac]] = {}
        for f in facs:
            if f.mention.list_of is not None:
                lists.setdefault(f.mention.list_of, []).append(f)
        for members in lists.values():
            end = members[-1].mention.end
            by_list: dict[int, list[Place]] = {}
            for p in places:
                if p.list_id is not None and p.start >= end:
                    by_list.setdefault(p.list_id, []).append(p)
            own = next((v for v in by_list.values() if len(v) == len(members)), None)
            if own is None or not _LIST_PLACES_GAP.fullmatch(self.text, end, own[0].start):
                continue  # (the list is where they are only when it follows them: not "which supply the cities of")
            for f, p in zip(members, own):
                f.places = [p] + [q for q in f.places if q not in own and q.rank > p.rank]
                if p.pid not in f.pids:
                    f.pids.append(p.pid)
    def _plural_groups(self, m: MentionSpan, power: list[Cap], seg_places: list[Place],
                       all_places: list[Place]) -> list[tuple[Cap | None, list[Place]]]:
        after = [p for p in seg_places if p.start >= m.end]
        before = [p for p in seg_places if p.start < m.start]
        if len(power) >= 2:
            paren = [p for p in before + after if p.pid == "place.before_capacity"]
            if paren:  # "Kalam (48 MW), Utror (36 MW)": each place goes with the figure in its brackets
                higher = [p for p in before + after if p.rank >= RANK["district"] and p not in paren]
                if paren[0].start > m.end:
                    # a list after the plants: the figures after it are not theirs ("... Utror (36 MW) and
                    # scrapped a 150 MW plant")
                    power = [c for c in power if c.start < paren[-1].end + 4]
                return [(c, [p for p in paren if 0 <= c.start - p.end <= 4] + higher) for c in power]
            slots: list[list[Place]] = []
            prev = m.end
            for c in power:
                slots.append([p for p in after if prev <= p.start < c.start])
                prev = c.end
            if not slots[0]:
                slots = []
                for i, c in enumerate(power):
                    nxt = power[i + 1].start if i + 1 < len(power) else 10 ** 9
                    slots.append([p for p in after if c.end <= p.start < nxt])
                if not any(slots[:-1]) and "respectively" in self.sents[m.sent].text:
                    # every place is written after the figures ("with capacities of 1.5 MW, 800 kW and 2.2 MW ...
                    # in the A, B and C districts respectively"): one run of places per figure, in order
                    runs = self._place_runs(slots[-1])
                    if len(runs) == len(power):
                        # an enclosing area after the last one is everyone's ("at A and B in the X region")
                        shared = [p for p in runs[-1][1:] if p.rank > runs[-1][0].rank] \
                            if all(len(r) == 1 for r in runs[:-1]) else []
                        slots = [r + [p for p in shared if p not in r] for r in runs]
            elif not any(slots[1:]) and "respectively" in self.sents[m.sent].text:
                # every place is written before the figures ("at A in X and at B in Y, with capacities of 7.5 MW
                # and 4.2 MW respectively"): the last runs of places, one per figure, in order
                runs = self._place_runs(slots[0])
                if len(runs) >= len(power):
                    lead = [p for r in runs[:len(runs) - len(power)] for p in r if p.rank >= RANK["district"]]
                    own = runs[len(runs) - len(power):]
                    # an enclosing area after the last one is everyone's ("in A soum and B soum of X aimag")
                    shared = [p for p in own[-1][1:] if p.rank > own[-1][0].rank] \
                        if all(len(r) == 1 for r in own[:-1]) else []
                    slots = [r + [p for p in shared if p not in r] + lead for r in own]
            filled = sum(1 for s in slots if any(p.rank <= RANK["district"] for p in s))
            if filled < len(power) - 1:
                shared = before + after
                return [(c, list(shared)) for c in power]
            shared_higher = [p for p in before if p.rank >= RANK["district"]]
            return [(c, s + shared_higher) for c, s in zip(power, slots)]
        lists: dict[int, list[Place]] = {}
        for p in after:
            if p.list_id is not None:
                lists.setdefault(p.list_id, []).append(p)
        dist = next((v for v in lists.values() if len(v) >= 2), None)
        if dist is None:
            low = [p for p in after if p.rank <= RANK["district"]]
            ranks = {p.rank for p in low}
            if len(low) >= 2 and len(ranks) == 1 and (m.count is None or m.count == len(low)):
                dist = low
        n = m.count or (len(dist) if dist else 0)
        if n == 0 or n > 6:
            return []
        each = bool(power) and power[0].each
        cap = power[0] if (power and each) else None
        if power and not each and m.count is None and dist is None:
            cap = power[0]
            n = 1
        if dist is None and m.count and n >= 2:
            # "two wind farms of 180 MW each, one near A in X County and the other outside B in Y County": one run
            # of places per plant
            runs = self._place_runs([p for p in after if p.rank <= RANK["region"]])
            if len(runs) == n and all(any(p.rank <= RANK["district"] for p in r) for r in runs):
                return [(cap, r + [p for p in before if p.rank > max(q.rank for q in r)]) for r in runs]
        if dist and len(dist) == n:
            others = [p for p in before + after if p not in dist]
            # "at A and B, in the X and Y regions respectively": the lower places pair with the list in order
            top = min(d.rank for d in dist)
            lower = [p for p in after if p.rank < top and p not in dist]
            if top > RANK["location"] and len(lower) == n:
                return [(cap, [lo, d] + [o for o in others if o.rank > d.rank and o not in lower])
                        for lo, d in zip(lower, dist)]
            return [(cap, [d] + [o for o in others if o.rank > d.rank]) for d in dist]
        shared = before + after
        return [(cap, list(shared)) for _ in range(n)]

    def _hybrid_figures(self, m: MentionSpan, caps: list[Cap], lower: str) -> dict[str, list[Cap]]:
        """The figures per technology written right after a hybrid's mention, in its sentence or the next ("220 MW
        of solar modules", "a 120 MW/480 MWh battery")."""
        end = self.sents[m.sent + 1].end_char if m.sent + 1 < len(self.sents) else self.sents[m.sent].end_char
        per_type: dict[str, list[Cap]] = {}
        for c in caps:
            if m.end <= c.start < end and not c.cap.energy_only:
                tech = _HYBRID_PART.match(lower, c.end)
                if tech:
                    per_type.setdefault(_HYBRID_TYPES[tech.group(1)], []).append(c)
        return per_type

    def _place_runs(self, places: list[Place]) -> list[list[Place]]:
        """Places split where a comma, "and" or "or" comes between two of them ("at A in X, and at B in Y" gives
        [A, X], [B, Y])."""
        runs: list[list[Place]] = []
        for p in sorted(places, key=lambda q: q.start):
            if runs and not _RUN_BREAK.search(self.text, runs[-1][-1].end, max(runs[-1][-1].end, p.start)):
                runs[-1].append(p)
            else:
                runs.append([p])
        return runs

    def _apply_status(self, f: Fac, cues, sent, others: Sequence[tuple[int, int]] = ()) -> None:
        """`others`: the sentence's other facility mentions (start, end): a cue written about one of them is not
        this facility's ("approved A and B and scrapped a plan for C"; "C, which has been running since 2016, and
        a new battery")."""
        st = self._nearest_status(cues, f.mention.start, f.mention.end, others) if cues else None  # (none without)
        if st:
            f.status, f.status_pid = st
        if f.mention.part_of and f.status in {"planned", "commissioned"}:
            f.status = "under_construction"

    def _nearest_status(self, cues, s: int, e: int, others: Sequence[tuple[int, int]] = ()) -> tuple[str, str] | None:
        if others:
            text = self.text
            # a cancellation written after this facility whose object is another one ("approved A and scrapped a
            # plan for B") is B's: B follows the cue within its clause
            cues = [c for c in cues if c[2] != "cancelled" or c[0] < e or not any(
                c[1] <= o <= c[1] + 60 and not _CLAUSE_BREAK.search(text, c[1], o) for o, _ in others)]
            # a cue in a relative clause of another facility ("B, which has been running since 2016, and A") is B's
            cues = [c for c in cues if not any(
                oe <= c[0] <= oe + 80 and _RELATIVE_CLAUSE_TO.match(text, oe, c[0]) for _, oe in others)]
            # ... and so is one in B's own clause before this facility's ("construction of B is 40 percent complete,
            # while A has secured its contract")
            cues = [c for c in cues if not (c[1] <= s and any(oe <= c[0] for _, oe in others) and
                                            _CONTRAST_BREAK.search(text, c[1], s))]
        for c0, c1, status, pid in cues:
            if status == "cancelled" and (-60 <= c0 - e <= 160 or 0 <= s - c1 <= 60):
                return status, pid
        best = None
        for c0, c1, status, pid in cues:
            dist = (s - c1) if c1 <= s else max(0, c0 - e)
            if status == "cancelled":
                dist = dist * 0.05
            if status == "operational" and pid.endswith(("currently", "already", "existing")):
                dist += 15
            if best is None or dist < best[0]:
                best = (dist, status, pid)
        if best and best[1] == "planned":
            # progress beats intention: "took the investment decision and has started construction" (unless the
            # progress is another plant's, written between: "construction of A is 40 percent complete, while B
            # has secured its contract")
            for c0, c1, status, pid in cues:
                if status == "under_construction" and (-40 <= c0 - e <= 160 or 0 <= s - c1 <= 80) and not any(
                        c1 <= o < s or e <= o < c0 for o, _ in others):
                    return status, pid
        return (best[1], best[2]) if best else None

    def _years(self, sent) -> list[tuple[int, str, str]]:
        text = sent.text
        if "19" not in text and "20" not in text and "21" not in text:
            return []  # every year _YEAR accepts starts with 19, 20 or 21
        out = []
        for m in _YEAR.finditer(text):
            ys, ye = m.span()
            after = text[ye:ye + 3]
            if after.startswith(("-", "–")) and _YEAR_RANGE_AFTER.match(after):
                continue
            out.append((int(m.group()), text[max(0, ys - 45):ys].lower(), text[ye:ye + 20].lower()))
        return out

    def _pick_year(self, years, status: str) -> int | None:
        if status not in _YEAR_STATUSES or not years:
            return None
        best = None
        for y, before, _after in years:
            # (each pattern tried only when a word it needs is written)
            if _PAST_YEAR_BEFORE.search(before) or ("since" in before and _SINCE_BEFORE.search(before)):
                continue
            if _contains_any(before, _START_YEAR_WORDS) and _START_YEAR_BEFORE.search(before):
                continue
            score = 1
            if _COMPLETION_YEAR_BEFORE.search(before):
                score = 3
            elif "by" in before and _BY_YEAR_BEFORE.search(before):
                score = 3
            elif _IN_YEAR_BEFORE.search(before):
                score = 2
            if best is None or score > best[0]:
                best = (score, y)
        return best[1] if best else None

    def _facility_orgs(self, s_orgs: list[Org], f: Fac) -> list[str]:
        good = [o for o in s_orgs if o.roles.isdisjoint(_NOT_OWNER_ROLES)]
        cued = [o for o in good if "developer" in o.roles and not _OWNER_CUE_PIDS.isdisjoint(o.pids)]
        chosen = cued or [o for o in good if not o.roles.isdisjoint(_OWNER_ROLES)]
        out: list[str] = []
        for o in chosen:
            if o.text not in out:
                out.append(o.text)
        return out

    def _country_of(self, f: Fac, s_places: list[Place], country_ctx: Place | None) -> str | None:
        for p in f.places:
            if p.country:
                return p.country
        for p in s_places:
            if p.rank == RANK["country"] and p.country:
                return p.country
        if f.region_ctx and f.region_ctx.country:
            return f.region_ctx.country
        return country_ctx.country if country_ctx else None

    # -- merging placeholders and duplicates
    def _places_compatible(self, a: Fac, b: Fac) -> bool:
        for rank in (RANK["location"], RANK["valley"], RANK["district"]):
            la = [fold(p.text) for p in a.places if p.rank == rank]
            lb = [fold(p.text) for p in b.places if p.rank == rank]
            if la and lb and not any(x in y or y in x for x in la for y in lb):
                return False
        ra, rb = self._region_key(a), self._region_key(b)
        return not (ra and rb and ra != rb)

    def _merge_duplicates(self, facs: list[Fac]) -> None:
        """The same plant written twice (headline and body, lead and detail): same type and capacity, places
        that do not disagree, related names."""
        for i, f in enumerate(facs):
            if f.dropped or f.weak:
                continue
            for j in range(i + 1, len(facs)):
                g = facs[j]
                if g.dropped or g.type != f.type or (g.group is not None and g.group == f.group):
                    continue
                same_cap = g.cap is not None and f.cap is not None and g.cap.capacity_mw == f.cap.capacity_mw
                na = fold(f.mention.name).split() if f.mention.name else []
                nb = fold(g.mention.name).split() if g.mention.name else []
                strong_name = len(na) >= 2 and len(nb) >= 2 and na[:2] == nb[:2]
                if not same_cap:
                    # a later mention without a capacity of its own, at the same place or under the same name
                    if (g.cap is not None and f.cap is not None) or g.weak:
                        continue
                    same_place = self._places_compatible(f, g) and any(
                        p.rank <= RANK["district"] for p in g.places)
                    f_locs = [fold(p.text) for p in f.places if p.rank <= RANK["district"]]
                    loc_in_name = bool(nb) and any(x and x in fold(g.mention.name or "") for x in f_locs)
                    # "approved a wind farm above Sanquhar ... The Craigenhoy Wind Farm will have 16 turbines": the
                    # plant written next under a name, with no place of its own and no plant of its type between
                    # (in the very next sentence; "the nearby X wind farm", "it also owns the X wind farm" is another)
                    named_next = not na and bool(nb) and g.mention.sent == f.mention.sent + 1 and \
                        not any(p.rank <= RANK["district"] for p in g.places) and \
                        not any(h.type == f.type and not h.dropped for h in facs[i + 1:j]) and \
                        not _OTHER_PLANT_BEFORE.search(self.text, self.sents[g.mention.sent].start_char,
                                                       g.mention.name_start or g.mention.start)
                    if not (strong_name or (same_place and not nb) or loc_in_name or named_next):
                        continue
                elif not strong_name:
                    if not self._places_compatible(f, g):
                        continue
                    if na and nb and na[0] != nb[0]:
                        continue
                if not any(p.rank <= RANK["district"] for p in f.places):
                    f.places = [p for p in g.places if p.rank <= RANK["district"]] + f.places
                have = {fold(p.text) for p in f.places}
                f.places += [p for p in g.places if fold(p.text) not in have and
                             not any(q.rank == p.rank for q in f.places)]
                if f.status == "unknown":
                    f.status, f.status_pid = g.status, g.status_pid
                if f.cap is None and g.cap is not None:
                    f.cap, f.cap_pid = g.cap, g.cap_pid
                if g.mention.name and (not f.mention.name or len(g.mention.name) > len(f.mention.name)):
                    f.mention.name = g.mention.name
                f.year = f.year or g.year
                f.orgs += [o for o in g.orgs if o not in f.orgs]
                f.country = f.country or g.country
                f.region_ctx = f.region_ctx or g.region_ctx
                g.dropped = True

    def _merge(self, facs: list[Fac]) -> list[Fac]:
        # the same placeholder group written twice ("two solar parks in X" in headline and lead)
        seen: set[tuple] = set()
        groups: dict[int, list[Fac]] = {}
        for f in facs:
            if f.weak and f.group is not None:
                groups.setdefault(f.group, []).append(f)
        for members in groups.values():
            key = (members[0].type, len(members), frozenset(fold(p.text) for p in members[0].places))
            if key in seen:
                for f in members:
                    f.dropped = True
            seen.add(key)
        self._merge_duplicates(facs)
        for i, f in enumerate(facs):
            if f.dropped or not f.mention.name:
                continue
            for g in facs[i + 1:]:
                if not g.dropped and g.type == f.type and g.mention.name and fold(g.mention.name) == fold(f.mention.name):
                    self._absorb(f, g)
                    g.dropped = True
        used: set[int] = set()
        for i, w in enumerate(facs):
            if w.dropped or not w.weak:
                continue
            w_reg = self._region_key(w)
            order = list(range(i + 1, len(facs))) + list(range(i - 1, -1, -1))
            for j in order:
                s = facs[j]
                if s.dropped or s.weak or s.type != w.type or j in used:
                    continue
                s_reg = self._region_key(s)
                if w_reg and s_reg and w_reg != s_reg:
                    continue
                used.add(j)
                self._absorb(s, w)
                w.dropped = True
                break
        return [f for f in facs if not f.dropped]

    def _region_key(self, f: Fac) -> str | None:
        for p in f.places:
            if p.rank == RANK["region"]:
                return fold(p.canonical or p.text.split()[0])
        return None

    def _absorb(self, keep: Fac, other: Fac) -> None:
        have = {fold(p.text) for p in keep.places}
        keep.places += [p for p in other.places if fold(p.text) not in have and p.rank >= RANK["district"] and
                        not any(q.rank == p.rank for q in keep.places)]
        if keep.status == "unknown":
            keep.status, keep.status_pid = other.status, other.status_pid
        keep.year = keep.year or other.year
        keep.cap = keep.cap or other.cap
        keep.orgs += [o for o in other.orgs if o not in keep.orgs]
        keep.country = keep.country or other.country
        if keep.region_ctx is None:
            keep.region_ctx = other.region_ctx

    # -- output
    # The records go to ExtractionResult as dicts of fields: it validates them all in one call, about twice as
    # fast as one Facility(...) or Mention(...) call per record (and the result is the same).
    def _result(self, facs: list[Fac], orgs: list[Org], places: list[Place],
                title_places: list[Place]) -> ExtractionResult:
        out_f = [self._facility_record(f) for f in facs]
        sent_starts, sentence_text = self.sent_starts, self.sentence_text
        org_mentions: list[dict] = []
        seen: set[str] = set()
        for o in orgs:
            key = fold(o.text)
            if key in seen:
                continue
            seen.add(key)
            sent_i = _bisect_right(sent_starts, o.start) - 1  # (sent_of, inlined)
            label = "government" if "government" in o.roles else "news_agency" if "news_agency" in o.roles else "company"
            org_mentions.append({"kind": "organisation", "text": o.text, "label": label, "start_char": o.start,
                                 "end_char": o.end, "sentence": sentence_text(sent_i if sent_i > 0 else 0),
                                 "pattern_ids": o.pids})
        loc_mentions: list[dict] = []
        seen = set()
        for p in title_places:
            key = fold(p.text)
            if key not in seen:
                seen.add(key)
                loc_mentions.append({"kind": "location", "text": p.text, "canonical": p.canonical,
                                     "label": f"{p.level} (title)", "start_char": 0, "end_char": 0,
                                     "sentence": self.title, "pattern_ids": ["title.place"]})
        for f, rec in zip(facs, out_f):
            location = rec["location"]
            if location and f.mention.name and not any(p.rank <= _DISTRICT_RANK for p in f.places):
                key = fold(location)
                if key not in seen:
                    seen.add(key)
                    start = rec["start_char"] or 0
                    loc_mentions.append({"kind": "location", "text": location, "label": "from plant name",
                                         "start_char": start, "end_char": start + len(location),
                                         "sentence": rec["sentence"], "pattern_ids": ["place.plant_name"]})
        for p in places:
            key = fold(p.text)
            if key in seen or p.plant_name:
                continue
            seen.add(key)
            sent_i = _bisect_right(sent_starts, p.start) - 1  # (sent_of, inlined)
            loc_mentions.append({"kind": "location", "text": p.text, "canonical": p.canonical, "label": p.level,
                                 "start_char": p.start, "end_char": p.end,
                                 "sentence": sentence_text(sent_i if sent_i > 0 else 0), "pattern_ids": [p.pid]})
        return ExtractionResult(id=self.doc_id, source=self.source, facilities=out_f, organisations=org_mentions,
                                locations=loc_mentions, extractor_version=EXTRACTOR_VERSION,
                                pattern_set_version=PATTERN_SET_VERSION)

    def _facility_record(self, f: Fac) -> dict:
        """The fields of `f`'s Facility record."""
        # the places below country level by rank, then position (filtering before the stable sort keeps the order)
        places = sorted([p for p in f.places if p.rank < _COUNTRY_RANK], key=_RANK_START)
        location = admin = None
        if places:
            location, rank0 = places[0].text, places[0].rank
            # the first place of a higher rank, else the next one of the same rank (every other place's rank is
            # rank0 or higher: they are sorted)
            admin = next((p.text for p in places if p.rank > rank0), None)
            if admin is None and len(places) > 1:
                admin = places[1].text
        region_p = next((p for p in places if p.rank == _REGION_RANK), None)
        if region_p is None and f.region_ctx is not None and (
                f.country is None or f.region_ctx.country is None or f.region_ctx.country == f.country):
            region_p = f.region_ctx
        if admin is None and region_p is not None and location is not None and region_p.text != location:
            admin = region_p.text
        name = f.item_name or m_name_of(f)
        if name and not (places and places[0].rank <= _DISTRICT_RANK):  # (the lowest rank is first)
            if location is not None and admin is None:
                admin = location
            location = None
        if location is None and name:
            lead = _FOREIGN_TYPE_LEAD.match(name)  # "Windpark Hoge Veld": the place is after the type
            base = name[lead.end():] if lead else _TYPE_WORDS_TAIL.sub("", name)
            base = _NUMBER_SUFFIX.sub("", base).strip()
            if base and (base != name or f.item_name):
                location = base
        cap = f.cap
        conf = _confidence(cap is not None, bool(location), f.status != "unknown", bool(f.mention.name), bool(f.orgs),
                           bool(f.weak))
        m = f.mention
        pids = list(dict.fromkeys(f.pids + ([f.status_pid] if f.status_pid else [])))
        return {
            "type": f.type, "name": f.item_name or m.name,
            "capacity_value": cap.value if cap else None, "capacity_unit": cap.unit if cap else None,
            "capacity_mw": cap.capacity_mw if cap else None, "storage_mwh": cap.storage_mwh if cap else None,
            "capacity_range": list(cap.capacity_range) if cap and cap.capacity_range else None,
            "capacity_qualifier": cap.qualifier if cap else None,
            "location": location, "admin_area": admin,
            "region": region_p.text if region_p else None,
            "region_canonical": region_p.canonical if region_p else None,
            "country": f.country, "status": f.status, "organisations": f.orgs, "target_year": f.year,
            "sentence": self.sentence_text(m.sent), "start_char": m.name_start if m.name_start is not None else m.start,
            "end_char": m.end, "pattern_ids": pids, "extractor_version": EXTRACTOR_VERSION,
            "pattern_set_version": PATTERN_SET_VERSION, "confidence": conf,
        }


@functools.lru_cache(maxsize=None)
def _confidence(cap: bool, location: bool, status: bool, name: bool, orgs: bool, weak: bool) -> float:
    """A facility record's confidence from what it has (64 combinations: worked out once each)."""
    conf = 0.45 + (0.15 if cap else 0) + (0.15 if location else 0) + (0.1 if status else 0) + \
        (0.05 if name else 0) + (0.05 if orgs else 0) - (0.15 if weak else 0)
    return round(min(0.95, max(0.1, conf)), 2)


def m_name_of(f: Fac) -> str | None:
    return f.mention.name


def assemble_doc(doc: Doc, *, doc_id: str, title: str | None = None, source: str | None = None) -> ExtractionResult:
    """Facilities, organisations and locations of one annotated Doc."""
    return _Assembler(doc, doc_id, title, source).run()
