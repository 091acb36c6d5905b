"""Deterministic generator of synthetic energy-news pages and RSS feeds for benchmarks.

Page `i` depends only on `(seed, i)`, so any page can be produced on demand and 10,000 pages never sit in
memory. Every sentence is written from the templates and invented vocabulary below (no corpus text). Pages carry
the clutter of real news sites (navigation, share bar, related links, comments, author bio, footer, inline
scripts and styles) and articles mix facilities of several types, units and statuses with traps (country
targets, money, generation, turbine ratings, distances, combined capacities, lenders and suppliers).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import format_datetime

GENERATOR_VERSION = "1"
DEFAULT_SEED = 20261129
DEFAULT_PER_FEED = 250
EPOCH = dt.datetime(2025, 1, 6, 7, 0, tzinfo=dt.timezone.utc)

PAGE_PATH_RE = re.compile(r"^/news/\d{4}/\d{2}/[a-z0-9-]+-(\d+)\.html$")
FEED_PATH_RE = re.compile(r"^/feeds/(\d+)-(\d+)\.xml$")

# ---------------------------------------------------------------------------------------------- vocabulary
_SYL_A = ("Kar", "Vel", "Ost", "Mir", "Tal", "Bren", "Zor", "Ashk", "Dol", "Per", "Sen", "Ulm", "Gav", "Ris",
          "Nor", "Bel", "Quor", "Hest", "Yar", "Lum", "Tor", "Vask", "Emb", "Fal", "Drel", "Sob", "Kesh", "Orm")
_SYL_B = ("a", "e", "o", "i", "u", "y", "")
_SYL_C = ("ovka", "ene", "ask", "mere", "dale", "grad", "ton", "uly", "avan", "esk", "ora", "ith", "ay", "brook",
          "sk", "ino", "abad", "holm", "pur", "ville")
_COUNTRIES = ("Chile", "Morocco", "Vietnam", "Poland", "Kenya", "Uzbekistan", "Brazil", "India", "Australia",
              "Turkey", "Egypt", "Mongolia", "Peru", "Romania", "South Africa", "Philippines", "Argentina",
              "Jordan", "Kyrgyzstan", "Georgia", "Indonesia", "Mexico", "Serbia", "Namibia")
_AREA_KINDS = ("district", "region", "province", "county")
_PLACE_KINDS = ("village", "town", "", "", "")
_COMPANY_SUFFIX = ("Energy", "Renewables", "Power", "Green Energy", "Solar", "Wind Partners", "Energy Holdings",
                   "Utilities", "Generation", "Infrastructure", "Power Company", "Clean Energy")
_BANK_SUFFIX = ("Development Bank", "Investment Bank", "Export Credit Agency", "Infrastructure Fund")
_SUPPLIERS = ("Northwind Turbines", "Helioforge Modules", "Coldstream Electric", "Aurel Inverters",
              "Stratos Batteries", "Granmark Hydro Equipment")
_AGENCIES = ("Meridian Wire", "Capital Newsline", "Steppe Business Service", "Overland Press Agency")
_FIRST = ("Anya", "Dmitri", "Laila", "Tomas", "Marek", "Sofia", "Idris", "Nadia", "Oren", "Petra", "Ravi",
          "Selin", "Yusuf", "Ilona", "Kofi", "Mei", "Bruno", "Elif", "Jonas", "Zara")
_LAST = ("Varga", "Okafor", "Lindqvist", "Haddad", "Petrenko", "Moreau", "Sato", "Novak", "Castellanos", "Iyer",
         "Brandt", "Kovacs", "Mensah", "Aliyev", "Duarte", "Ferris", "Halloran", "Osei", "Tanaka", "Wolski")
_ROLES = ("chief executive", "head of development", "project director", "regional governor",
          "deputy energy minister", "chief financial officer", "managing director")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")

# (facility type, phrases, units with weights, capacity range in the first unit)
_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[float, float]]] = {
    "solar": (("solar power plant", "solar park", "solar farm", "photovoltaic plant", "PV plant",
               "solar power station"), ("MW", "MW", "MWp", "kW"), (5, 400)),
    "wind": (("wind farm", "wind power plant", "wind park", "onshore wind project"), ("MW", "MW", "GW"),
             (10, 600)),
    "hydro": (("hydropower plant", "hydroelectric station", "small hydropower plant", "run-of-river plant"),
              ("MW", "MW", "kW"), (2, 900)),
    "biogas": (("biogas plant", "biogas unit"), ("MW", "kW"), (0.5, 12)),
    "biomass": (("biomass power plant", "wood-chip fired plant"), ("MW",), (5, 80)),
    "coal": (("coal-fired power plant", "coal power station"), ("MW", "GW"), (150, 2000)),
    "gas": (("gas-fired power plant", "combined-cycle gas plant", "gas turbine power station"), ("MW", "GW"),
            (50, 1500)),
    "nuclear": (("nuclear power plant",), ("MW", "GW"), (300, 2400)),
    "geothermal": (("geothermal plant", "geothermal power station"), ("MW",), (5, 120)),
    "battery_storage": (("battery energy storage system", "battery storage facility"), ("MW",), (10, 400)),
    "waste_to_energy": (("waste-to-energy plant", "waste incineration plant"), ("MW",), (5, 60)),
    "hydrogen": (("green hydrogen plant", "electrolyser plant"), ("MW",), (5, 300)),
}
_KIND_WEIGHTS = {"solar": 30, "wind": 22, "hydro": 10, "biogas": 5, "biomass": 4, "coal": 5, "gas": 7,
                 "nuclear": 2, "geothermal": 3, "battery_storage": 7, "waste_to_energy": 3, "hydrogen": 2}
_STATUS_WEIGHTS = {"planned": 40, "under_construction": 20, "commissioned": 18, "operational": 12,
                   "cancelled": 10}

_FACILITY_TEMPLATES: dict[str, tuple[str, ...]] = {
    "planned": (
        "{org} plans to build a {cap} {kind} near {loc} in the {area}, {country}, with commissioning scheduled "
        "for {year}.",
        "A {cap} {kind} is to be built in {loc}, {area}, under an agreement signed by {org}; the plant is due "
        "online in {year}.",
        "The authorities of the {area} approved the site for the {name} {kind}, a {cap} project that {org} "
        "expects to complete by {year}.",
        "{org} has applied for a grid connection for a proposed {cap} {kind} at {loc}.",
    ),
    "under_construction": (
        "Construction of the {cap} {name} {kind} near {loc} is under way, and {org} expects first power in "
        "{year}.",
        "{org} is building a {cap} {kind} in {loc} in the {area}.",
        "Work started in {month} on a {cap} {kind} at {loc}, developed by {org}.",
    ),
    "commissioned": (
        "The {cap} {kind} at {loc} in the {area} was put into operation on {day} {month}, {org} said.",
        "{org} commissioned the {name} {kind} ({cap}) near {loc} this week.",
        "A {cap} {kind} built by {org} in {loc} began commercial operation in {month}.",
    ),
    "operational": (
        "The {name} {kind}, a {cap} facility near {loc} operated by {org}, has been running since {year0}.",
        "{org} already operates a {cap} {kind} in {loc}, {area}.",
    ),
    "cancelled": (
        "{org} has shelved plans for a {cap} {kind} at {loc}, citing rising financing costs.",
        "The {cap} {kind} proposed for {loc} was scrapped after the grid operator refused a connection.",
        "Plans for the {cap} {name} {kind} in the {area} were dropped in {month}.",
    ),
}
_NO_CAPACITY_TEMPLATES = (
    "{org} will also build a {kind} in {loc} in the {area}.",
    "A {kind} is planned for {loc}, according to the regional administration.",
)
_RANGE_TEMPLATE = "{org} is studying a {lo}-{hi} {unit} {kind} near {loc}, with a decision expected in {year}."
_STORAGE_TEMPLATE = ("The plant will be paired with a {mw} MW/{mwh} MWh battery storage system at the same "
                     "site.")

_TRAPS = (
    "{country} aims to have {gw} GW of renewable capacity installed by {year}.",
    "The project is estimated to cost {money}.",
    "Once complete, the plant will generate about {gwh} GWh of electricity a year, enough for {homes} homes.",
    "Each of its {k} turbines has a rated output of {x} MW.",
    "The site lies {km} km north of {loc2}.",
    "Renewables supplied {p}% of the country's electricity last year, up from {p2}% in {year_prev}.",
    "{org2} already owns {n} MW of generating capacity across {k} countries.",
    "Together, the three plants will have a combined capacity of {mw_total} MW.",
    "Financing of {money} is being provided by {bank}.",
    "Equipment will be supplied by {supplier}, while {org2} has agreed to buy the output under a {k}-year "
    "power purchase agreement.",
    "{agency} reported the figures, citing the regional energy ministry.",
    "Peak demand on the regional grid reached {n} MW in {month}.",
    "The {area} currently imports about {p}% of the electricity it consumes.",
)
_FILLER = (
    "Officials said the project would create around {k} jobs during construction.",
    "The announcement comes as {country} seeks to diversify its power mix away from ageing thermal plants.",
    "Analysts say grid bottlenecks remain the main obstacle to new projects in the region.",
    "The tender attracted bids from {k} companies, according to the ministry.",
    "Electricity prices in the {area} have risen by {p}% over the past two years.",
    "Local residents raised concerns about land use at public hearings held in {month}.",
    "The transmission line connecting the site to the {loc2} substation will be {km} km long.",
    "\"{quote},\" said {person}, {role} at {org2}.",
    "{person}, {role} at {org2}, told reporters that permits were expected before the end of the year.",
    "The ministry did not say how the projects would be financed.",
    "Industry groups have called for clearer rules on grid access and curtailment.",
    "Several earlier projects in the area were delayed by disputes over land rights.",
    "The government introduced auctions for renewable capacity three years ago, replacing fixed tariffs.",
    "A feasibility study was completed last year with support from international consultants.",
    "Environmental assessments are expected to take several months.",
    "The company did not disclose the value of the contract.",
    "The {area} has some of the best solar and wind resources in {country}, according to a recent survey.",
    "{org2} said it would publish more details after the board meeting in {month}.",
    "Grid upgrades worth {money} are planned over the next five years.",
    "The regional development agency said it had received more than {k} applications for land allocation.",
    "Critics argue that subsidies for new plants should be matched by investment in the distribution network.",
    "The project is part of a programme agreed with foreign lenders in {year_prev}.",
    "Shares of {org2} rose {p2}% on the news.",
    "The ministry plans to hold its next capacity auction in {month} {year}.",
    "Part of the output will be used by mining and processing plants in the {area}.",
    "Winter shortages in recent years have pushed officials to speed up approvals.",
    "{person}, an analyst at {agency}, said the timeline looked ambitious but achievable.",
    "The contractor has previously built plants in neighbouring countries.",
)
_QUOTES = (
    "This is an important step for the energy security of the whole region",
    "We expect the first units to be connected to the grid ahead of schedule",
    "Investors are looking for stable rules, and that is what we are offering them",
    "The project shows that clean power can be built at a competitive price here",
    "We have learned a lot from our first plants and are applying it to this one",
)
_NO_FACILITY_LEADS = (
    "Energy regulators in {country} published draft rules on {day} {month} that would change how new power "
    "projects are connected to the grid.",
    "Lawmakers in {country} debated a bill on electricity market reform this week, the second such attempt in "
    "two years.",
    "Wholesale power prices in {country} fell in {month} as mild weather reduced demand.",
)
_COMMENTS = (
    "About time someone built this.", "Who pays for the grid connection though?",
    "Another announcement, let's see if it actually gets built.", "Great news for the region.",
    "The tariffs will go up again, you'll see.", "My village has waited ten years for a stable supply.",
    "Interesting that no price per kilowatt-hour was mentioned.", "Storage is the real bottleneck here.",
    "They said the same thing about the last project.", "Good to see local jobs being created.",
    "Does anyone know who the contractor is?", "The article could have mentioned the environmental review.",
)
_SITES = (
    ("Grid Wire Daily", "wire"), ("Power Markets Review", "trade"), ("Renewable Tribune", "trade"),
    ("Steppe Energy Journal", "regional"), ("Utility Press Desk", "release"), ("Continental Power News", "wire"),
)
_SECTIONS = ("Power", "Renewables", "Markets", "Grid", "Policy", "Storage", "Hydrogen", "Finance", "Regions",
             "Technology", "Opinion", "Events", "Data", "Jobs", "Podcasts", "Newsletters")


@dataclass(frozen=True)
class PlantedFacility:
    """A facility the generator wrote into an article (what an ideal extractor would find)."""

    type: str
    capacity_value: float | None
    capacity_unit: str | None
    status: str
    location: str


@dataclass(frozen=True)
class SyntheticArticle:
    """The content of one generated page before it is wrapped in HTML."""

    index: int
    title: str
    slug: str
    site: str
    author: str
    published: dt.datetime
    paragraphs: tuple[str, ...]
    facilities: tuple[PlantedFacility, ...] = field(default=())

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)

    @property
    def path(self) -> str:
        return f"/news/{self.published:%Y/%m}/{self.slug}-{self.index}.html"


def _place(rng: random.Random) -> str:
    return rng.choice(_SYL_A) + rng.choice(_SYL_B) + rng.choice(_SYL_C)


def _company(rng: random.Random) -> str:
    return f"{_place(rng)} {rng.choice(_COMPANY_SUFFIX)}"


def _fmt_number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 or value == int(value) else f"{value:.1f}"


def _capacity(rng: random.Random, ftype: str) -> tuple[float, str]:
    _, units, (lo, hi) = _KINDS[ftype]
    unit = rng.choice(units)
    value = rng.uniform(lo, hi)
    if unit == "kW":
        value = rng.choice((250, 500, 800, 1200, 2500, 4800))
    elif unit == "GW":
        value = round(rng.uniform(1.0, 3.6), 1)
    elif value >= 20:
        value = float(round(value / 5) * 5)
    else:
        value = round(value, 1)
    return float(value), unit


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:70].rstrip("-")


class NewsGenerator:
    """Builds article `i` of a seeded, unbounded synthetic news universe on demand."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self.seed = seed
        # the server asks for the same article several times per request (path check, validators, body)
        self.article = functools.lru_cache(maxsize=2048)(self._make_article)  # type: ignore[method-assign]

    def _rng(self, *key: object) -> random.Random:
        return random.Random(":".join(str(k) for k in (self.seed, GENERATOR_VERSION, *key)))

    # ------------------------------------------------------------------------------------- article content
    def article(self, i: int) -> SyntheticArticle:
        """The article content of page `i` (deterministic in seed and i)."""
        return self._make_article(i)

    def _make_article(self, i: int) -> SyntheticArticle:
        if i < 0:
            raise ValueError(f"article index must be >= 0, got {i}")
        rng = self._rng("article", i)
        country = rng.choice(_COUNTRIES)
        area = f"{_place(rng)} {rng.choice(_AREA_KINDS)}"
        orgs = [_company(rng) for _ in range(3)]
        ctx = {
            "country": country, "area": area, "org2": orgs[1], "bank": f"{_place(rng)} {rng.choice(_BANK_SUFFIX)}",
            "supplier": rng.choice(_SUPPLIERS), "agency": rng.choice(_AGENCIES),
        }
        target_words = int(rng.triangular(300, 1500, 650))
        no_facility = rng.random() < 0.08
        n_fac = 0 if no_facility else rng.choices((1, 2, 3, 4, 5, 6), weights=(12, 22, 26, 20, 12, 8))[0]
        planted: list[PlantedFacility] = []
        paragraphs: list[str] = []
        if no_facility:
            paragraphs.append(self._fill(rng, rng.choice(_NO_FACILITY_LEADS), ctx))
        for _ in range(n_fac):
            sentence, fac = self._facility_sentence(rng, ctx, orgs[0] if rng.random() < 0.6 else orgs[2])
            planted.append(fac)
            extra = [self._fill(rng, rng.choice(_TRAPS + _FILLER), ctx) for _ in range(rng.randint(1, 3))]
            if fac.type in ("solar", "wind") and rng.random() < 0.15:
                extra.insert(0, self._fill(rng, _STORAGE_TEMPLATE, ctx))
            paragraphs.append(" ".join([sentence, *extra]))
        words = sum(len(p.split()) for p in paragraphs)
        while words < target_words:
            para = " ".join(self._fill(rng, rng.choice(_FILLER + _TRAPS), ctx) for _ in range(rng.randint(2, 4)))
            paragraphs.insert(rng.randint(1, len(paragraphs)) if paragraphs else 0, para)
            words += len(para.split())
        title = self._title(rng, planted, ctx, orgs[0])
        published = EPOCH + dt.timedelta(minutes=37 * i)
        author = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        site = rng.choice(_SITES)[0]
        return SyntheticArticle(i, title, _slug(title), site, author, published, tuple(paragraphs), tuple(planted))

    def _fill(self, rng: random.Random, template: str, ctx: dict[str, str]) -> str:
        year = rng.randint(2025, 2031)
        values = {
            **ctx, "n": _fmt_number(rng.choice((rng.uniform(2, 60), rng.uniform(100, 4000)))),
            "k": rng.randint(3, 60), "x": rng.choice((3.6, 4.2, 5.0, 6.1, 7.2)), "p": rng.randint(21, 45),
            "p2": rng.randint(2, 20), "gw": rng.randint(5, 60), "gwh": _fmt_number(rng.uniform(20, 3000)),
            "homes": f"{rng.randint(20, 900) * 100:,}", "km": rng.randint(3, 240),
            "mw_total": _fmt_number(rng.choice((300, 450, 600, 900, 1200))), "year": year, "year_prev": year - rng.randint(4, 9),
            "money": rng.choice(("$", "EUR ", "USD ")) + f"{rng.randint(12, 900)} million",
            "loc2": _place(rng), "month": rng.choice(_MONTHS), "day": rng.randint(1, 28),
            "quote": rng.choice(_QUOTES), "person": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
            "role": rng.choice(_ROLES), "mw": rng.choice((20, 40, 60, 100)), "mwh": rng.choice((80, 160, 240)),
        }
        return template.format(**values)

    def _facility_sentence(self, rng: random.Random, ctx: dict[str, str], org: str) -> tuple[str, PlantedFacility]:
        ftype = rng.choices(list(_KIND_WEIGHTS), weights=list(_KIND_WEIGHTS.values()))[0]
        status = rng.choices(list(_STATUS_WEIGHTS), weights=list(_STATUS_WEIGHTS.values()))[0]
        kind = rng.choice(_KINDS[ftype][0])
        place_kind = rng.choice(_PLACE_KINDS)
        loc = _place(rng) + (f" {place_kind}" if place_kind else "")
        name_stem = _place(rng)
        values = {
            **ctx, "org": org, "kind": kind, "loc": loc, "name": f"{name_stem}-{rng.randint(1, 3)}",
            "year": rng.randint(2025, 2031), "year0": rng.randint(2008, 2022), "month": rng.choice(_MONTHS),
            "day": rng.randint(1, 28),
        }
        roll = rng.random()
        if roll < 0.06:
            sentence = rng.choice(_NO_CAPACITY_TEMPLATES).format(**values)
            return sentence, PlantedFacility(ftype, None, None, "planned", loc)
        if roll < 0.12 and ftype not in ("battery_storage",):
            lo = rng.randint(2, 8) * 10
            sentence = _RANGE_TEMPLATE.format(**values, lo=lo, hi=lo + rng.choice((10, 20, 30)), unit="MW")
            return sentence, PlantedFacility(ftype, None, "MW", "planned", loc)
        value, unit = _capacity(rng, ftype)
        written = f"{_fmt_number(value)}-{unit}" if rng.random() < 0.3 else f"{_fmt_number(value)} {unit}"
        template = rng.choice(_FACILITY_TEMPLATES[status])
        where = loc if "{loc}" in template else values["name"]
        return template.format(**values, cap=written), PlantedFacility(ftype, value, unit, status, where)

    def _title(self, rng: random.Random, planted: list[PlantedFacility], ctx: dict[str, str], org: str) -> str:
        if not planted:
            return f"{ctx['country']} weighs new rules for power market in {rng.choice(_MONTHS)}"
        first = planted[0]
        cap = f"{_fmt_number(first.capacity_value)} {first.capacity_unit} " if first.capacity_value else ""
        verb = {"planned": "to build", "under_construction": "starts work on", "commissioned": "commissions",
                "operational": "expands", "cancelled": "shelves"}[first.status]
        noun = _KINDS[first.type][0][0]
        more = f" and {len(planted) - 1} more projects" if len(planted) > 1 else ""
        return f"{org} {verb} {cap}{noun} in {ctx['area']}{more}"

    # ------------------------------------------------------------------------------------------------ HTML
    def page_path(self, i: int) -> str:
        """The URL path of page `i` (served by benchmarks.server)."""
        return self.article(i).path

    def page_html(self, i: int, base_url: str = "http://127.0.0.1") -> bytes:
        """The full HTML page of article `i` with realistic clutter (~30-60 KB)."""
        art = self.article(i)
        rng = self._rng("page", i)
        site_key = _SITES.index(next(s for s in _SITES if s[0] == art.site))
        e = html.escape
        body_parts: list[str] = []
        insert_at = max(1, len(art.paragraphs) // 2)
        for n, para in enumerate(art.paragraphs):
            if n == insert_at:
                body_parts.append(
                    '<div class="ad-slot" data-slot="mid-article"><span>Advertisement</span></div>'
                    f'<aside class="read-also"><strong>Read also:</strong> <a href="{self._related_path(rng)}">'
                    f"{e(self._teaser(rng))}</a></aside>"
                )
            body_parts.append(f"<p>{e(para)}</p>")
        related = "".join(
            f'<li><a href="{self._related_path(rng)}"><img src="/img/thumb-{rng.randint(1, 999)}.jpg" alt="" '
            f'loading="lazy" width="120" height="80"><span class="teaser">{e(self._teaser(rng))}</span></a>'
            f'<p class="dek">{e(self._teaser(rng))}. {e(rng.choice(_FILLER).split("{")[0])}</p></li>'
            for _ in range(rng.randint(10, 18))
        )
        comments = "".join(
            f'<li class="comment" id="c{i}-{c}"><div class="comment-meta"><span class="user">'
            f"{e(rng.choice(_FIRST).lower())}_{rng.randint(10, 99)}</span> <time>{rng.randint(1, 23)} hours ago"
            f'</time></div><div class="comment-body"><p>'
            f"{e(' '.join(rng.choice(_COMMENTS) for _ in range(rng.randint(1, 4))))}</p></div>"
            f'<div class="comment-actions"><button>Reply</button><button>Like ({rng.randint(0, 40)})</button>'
            "</div></li>"
            for c in range(rng.randint(3, 22))
        )
        tags = "".join(f'<a class="tag" href="/tag/{t.lower()}">{t}</a>' for t in rng.sample(_SECTIONS, 4))
        iso = art.published.isoformat()
        canonical = f"{base_url}{art.path}"
        jsonld = (
            '{"@context":"https://schema.org","@type":"NewsArticle","headline":"' + e(art.title) + '",'
            '"datePublished":"' + iso + '","author":{"@type":"Person","name":"' + e(art.author) + '"},'
            '"publisher":{"@type":"Organization","name":"' + e(art.site) + '"}}'
        )
        head = (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{e(art.title)} | {e(art.site)}'
            f'</title><meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="description" content="{e(art.paragraphs[0][:150])}">'
            f'<meta property="og:title" content="{e(art.title)}"><meta property="og:site_name" '
            f'content="{e(art.site)}"><meta property="og:type" content="article">'
            f'<meta name="author" content="{e(art.author)}"><meta property="article:published_time" '
            f'content="{iso}"><link rel="canonical" href="{canonical}">'
            f'<script type="application/ld+json">{jsonld}</script>{_site_style(site_key)}{_site_script(site_key, 0)}'
            "</head>"
        )
        article_html = (
            f'<main id="content"><article class="story"><header class="story-head">'
            f'<p class="kicker">{e(rng.choice(_SECTIONS))}</p><h1>{e(art.title)}</h1>'
            f'<div class="byline">By <a rel="author" href="/authors/{_slug(art.author)}">{e(art.author)}</a> '
            f'<time datetime="{iso}">{art.published:%d %B %Y, %H:%M}</time></div></header>'
            f"{_share_bar()}"
            f'<div class="story-body">{"".join(body_parts)}</div>'
            f'<div class="author-bio"><strong>{e(art.author)}</strong> covers power markets and grid policy for '
            f"{e(art.site)}. Before that, {e(art.author.split()[0])} reported on commodities and regional "
            f'politics.</div><div class="tags">{tags}</div></article>'
            f'<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>'
            f'<section class="comments"><h2>Comments</h2><ol>{comments}</ol>'
            '<form class="comment-form"><textarea name="c" placeholder="Join the discussion"></textarea>'
            "<button>Post</button></form></section></main>"
        )
        page = (
            f"{head}<body class=\"article-page\">{_cookie_banner()}{_site_nav(site_key)}"
            f'<nav class="breadcrumb"><a href="/">Home</a> &rsaquo; <a href="/power">Power</a> &rsaquo; '
            f"<span>{e(art.title[:40])}</span></nav>{article_html}{_site_footer(site_key)}"
            f"{_site_script(site_key, 1)}</body></html>"
        )
        return page.encode("utf-8")

    def _related_path(self, rng: random.Random) -> str:
        year, month = rng.randint(2022, 2024), rng.randint(1, 12)
        return f"/news/{year}/{month:02d}/archive-story-{rng.randint(1, 10**6)}.html"

    def _teaser(self, rng: random.Random) -> str:
        return rng.choice((
            f"{_company(rng)} wins auction for {rng.randint(50, 500)} MW of capacity",
            f"Grid operator warns of congestion in the {_place(rng)} {rng.choice(_AREA_KINDS)}",
            f"Opinion: why {rng.choice(_COUNTRIES)} needs a storage strategy",
            f"{_place(rng)} residents vote on new transmission corridor",
            f"Interview: {rng.choice(_FIRST)} {rng.choice(_LAST)} on financing the energy transition",
        ))

    # ------------------------------------------------------------------------------------------------ feeds
    def feed_xml(self, first: int, last: int, base_url: str) -> bytes:
        """An RSS 2.0 feed listing articles first..last-1 (newest first)."""
        if not 0 <= first < last:
            raise ValueError(f"feed range must satisfy 0 <= first < last, got {first}-{last}")
        e = html.escape
        items = []
        for i in range(last - 1, first - 1, -1):
            art = self.article(i)
            link = f"{base_url}{art.path}"
            items.append(
                f"<item><title>{e(art.title)}</title><link>{e(link)}</link><guid isPermaLink=\"true\">{e(link)}"
                f"</guid><pubDate>{format_datetime(art.published)}</pubDate><dc:creator>{e(art.author)}"
                f"</dc:creator><description>{e(art.paragraphs[0][:200])}</description></item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
            f"<title>Synthetic energy news {first}-{last}</title><link>{e(base_url)}/</link>"
            f"<description>Generated for gridscout benchmarks</description>"
            f"<lastBuildDate>{format_datetime(self.feed_modified(first, last))}</lastBuildDate>"
            f"{''.join(items)}</channel></rss>"
        ).encode("utf-8")

    def feed_modified(self, first: int, last: int) -> dt.datetime:
        """Last-Modified of a feed: the publication time of its newest article."""
        return EPOCH + dt.timedelta(minutes=37 * (last - 1))

    def etag(self, *key: object) -> str:
        """A strong ETag for a generated resource (stable for the same seed and key)."""
        digest = hashlib.sha256(":".join(str(k) for k in (self.seed, GENERATOR_VERSION, *key)).encode())
        return f'"{digest.hexdigest()[:20]}"'


def feed_paths(n_articles: int, per_feed: int = DEFAULT_PER_FEED, start: int = 0) -> list[str]:
    """URL paths of the feeds that together list articles start..start+n_articles-1."""
    if n_articles <= 0 or per_feed <= 0:
        raise ValueError(f"n_articles and per_feed must be positive, got {n_articles}, {per_feed}")
    end = start + n_articles
    return [f"/feeds/{a}-{min(a + per_feed, end)}.xml" for a in range(start, end, per_feed)]


def iter_pages(gen: NewsGenerator, n: int, base_url: str = "http://127.0.0.1") -> Iterator[tuple[str, bytes]]:
    """Stream (url, html bytes) of pages 0..n-1 without holding them all."""
    for i in range(n):
        yield f"{base_url}{gen.page_path(i)}", gen.page_html(i, base_url)


# Site-wide clutter is the same on every page of a site: build it once per site.
@functools.lru_cache(maxsize=None)
def _site_nav(site_key: int) -> str:
    rng = random.Random(f"nav:{site_key}")
    items = []
    for section in _SECTIONS:
        sub = "".join(
            f'<li><a href="/{section.lower()}/{_place(rng).lower()}">{_place(rng)} {rng.choice(_AREA_KINDS)}</a></li>'
            for _ in range(rng.randint(3, 7))
        )
        items.append(f'<li class="menu-item"><a href="/{section.lower()}">{section}</a><ul class="sub">{sub}</ul></li>')
    site = _SITES[site_key][0]
    return (
        f'<header class="site-header"><a class="logo" href="/">{html.escape(site)}</a>'
        '<form class="search" action="/search"><input name="q" placeholder="Search"></form>'
        f'<nav class="main-nav"><ul>{"".join(items)}</ul></nav>'
        '<div class="subscribe"><a href="/subscribe">Subscribe</a> <a href="/login">Sign in</a></div></header>'
    )


@functools.lru_cache(maxsize=None)
def _site_footer(site_key: int) -> str:
    rng = random.Random(f"footer:{site_key}")
    cols = "".join(
        f'<div class="col"><h4>{s}</h4><ul>'
        + "".join(f'<li><a href="/{s.lower()}/{n}">{_place(rng)} {s.lower()} briefing</a></li>' for n in range(6))
        + "</ul></div>"
        for s in _SECTIONS[:8]
    )
    site = html.escape(_SITES[site_key][0])
    return (
        f'<footer class="site-footer"><div class="newsletter"><h3>Get the {site} morning briefing</h3>'
        '<form><input type="email" placeholder="Email address"><button>Sign up</button></form></div>'
        f'<div class="cols">{cols}</div><p class="legal">&copy; 2025 {site}. All rights reserved. '
        'Reproduction without permission is prohibited. <a href="/privacy">Privacy</a> <a href="/terms">Terms'
        '</a> <a href="/cookies">Cookie settings</a> <a href="/contact">Contact</a></p></footer>'
    )


@functools.lru_cache(maxsize=None)
def _site_style(site_key: int) -> str:
    rng = random.Random(f"style:{site_key}")
    rules = "".join(
        f".{rng.choice(_SYL_A).lower()}-{n}{{margin:{rng.randint(0, 24)}px;padding:{rng.randint(0, 16)}px;"
        f"color:#{rng.randint(0, 0xFFFFFF):06x};font-size:{rng.randint(11, 22)}px}}"
        for n in range(90)
    )
    return f"<style>{rules}</style>"


@functools.lru_cache(maxsize=None)
def _site_script(site_key: int, part: int) -> str:
    rng = random.Random(f"script:{site_key}:{part}")
    stmts = "".join(
        f"var {rng.choice(_SYL_A).lower()}{n}=function(a,b){{return a.{rng.choice(('push', 'map', 'filter'))}"
        f"(b||{rng.randint(0, 999)})}};window.dl=window.dl||[];dl.push({{e:'v{n}',t:{rng.randint(0, 10**6)}}});"
        for n in range(70 + 40 * part)
    )
    return f"<script>{stmts}</script>"


@functools.lru_cache(maxsize=1)
def _share_bar() -> str:
    nets = ("Facebook", "X", "LinkedIn", "Telegram", "WhatsApp", "Email", "Print")
    return '<div class="share">' + "".join(f'<a class="share-{n.lower()}" href="#">{n}</a>' for n in nets) + "</div>"


@functools.lru_cache(maxsize=1)
def _cookie_banner() -> str:
    return (
        '<div class="cookie-banner" role="dialog"><p>We use cookies to personalise content and ads, to provide '
        "social media features and to analyse our traffic. You can change your settings at any time.</p>"
        "<button>Accept all</button><button>Manage preferences</button></div>"
    )
