"""Extraction throughput: gridscout's extractor vs spaCy's bare English tokenizer on the same text.

Generates >= `size_mb` MB of news-like English (our own templates: facilities, capacities, places, statuses and
the usual traps), then in one run times (median of `repeats`) `spacy.blank("en").tokenizer` and the full
extraction (`build_nlp()` once, then `extract_batch`) over the same articles, and reports words/s of both and
their ratio (issue 3 asks for >= 5 %).

    python -m benchmarks.extraction_throughput [--size-mb 1.0] [--repeats 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import math
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from models.records import Article, sha256_hex

logger = logging.getLogger(__name__)

TARGET_RATIO = 0.05

_SYLLABLES = ["kar", "ta", "bel", "su", "ar", "ok", "zhan", "mir", "to", "bay", "ku", "li", "dor", "sa", "ne",
              "vo", "rin", "ash", "tel", "gor", "ma", "ul", "den", "pa", "zor", "ki", "lan", "e", "bu", "or"]
_PLACE_ENDINGS = ["", "", "ovka", "sk", "abad", "pur", "ville", "ino", "kent", "ton", "ovo", "ay"]
_FIRST = ["North", "Blue", "Silver", "Green", "Steppe", "Golden", "Clear", "Red", "Eastern", "Union", "Nova",
          "High", "Sky", "River", "Delta", "Summit", "Prairie", "Coastal", "Granite", "Aurora"]
_SECOND = ["Energy", "Power", "Renewables", "Solar", "Wind", "Hydro", "Generation", "Utilities", "Grid",
           "Resources", "Electric", "Infrastructure"]
_FORMS = ["LLP", "JSC", "LLC", "Ltd", "PLC", "GmbH", "S.A.", "AG", "FZE", ""]
_COUNTRIES = ["Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Georgia", "Armenia", "Mongolia", "Kenya", "India",
              "Poland", "Mexico", "Chile", "Vietnam", "Turkey", "Morocco", "Brazil", "Romania"]
_FACILITY_WORDS = {
    "solar": ["solar power plant", "solar park", "PV plant", "photovoltaic station", "solar farm"],
    "wind": ["wind farm", "wind power plant", "wind park", "WPP"],
    "hydro": ["hydropower plant", "small hydropower plant", "HPP", "run-of-river plant"],
    "gas": ["gas-fired power plant", "combined-cycle gas turbine plant", "CCGT"],
    "coal": ["coal-fired power plant", "thermal power plant", "TPP"],
    "battery_storage": ["battery energy storage system", "BESS", "battery storage facility"],
    "biogas": ["biogas plant", "biogas station"],
    "biomass": ["biomass plant", "wood-fired heat and power plant"],
    "geothermal": ["geothermal power plant", "geothermal unit"],
    "waste_to_energy": ["waste-to-energy plant", "waste incineration plant"],
    "hydrogen": ["green hydrogen electrolyser", "electrolysis plant"],
    "nuclear": ["nuclear power plant", "NPP"],
}
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
_FILLER = [
    "Officials said the grid needs new investment to cope with demand that has grown every year since {year}.",
    "The ministry did not give further details, but said more announcements would follow in the coming months.",
    "Analysts at {company} said the move was in line with the country's long-term energy strategy.",
    "Local residents have been invited to public hearings on the environmental assessment next month.",
    "The {region} region has some of the best solar irradiation and wind speeds in {country}, experts say.",
    "Electricity prices for households rose by {pct}% in {year}, according to the statistics committee.",
    "The plant is located {km} km from the regional centre and about {km2} km from the nearest substation.",
    "The governor said the investment would create around {jobs} jobs during construction.",
    "Transmission bottlenecks remain a concern, and the operator plans to upgrade two {kv} kV lines.",
    "The news agency was unable to reach the company for comment on Friday.",
    "Environmental groups welcomed the decision but warned that migratory birds and steppe antelope must be protected.",
    "Shares of {company} climbed {pct}% in early trading after the announcement, outperforming the benchmark index.",
    "Critics argue that subsidised tariffs distort competition and burden consumers who cannot install rooftop panels.",
    "A parliamentary committee is expected to debate amendments to the electricity law before the summer recess.",
    "Drought has reduced reservoir levels across the basin, forcing dispatchers to import power from neighbours.",
    "Engineers completed a feasibility study last autumn, examining soil conditions, irradiation and grid access.",
    "The regulator approved a tariff increase of {pct}% for industrial customers starting from the first of July.",
    "Several villages in the {region} region still rely on diesel generators during winter blackouts, residents say.",
    "The contractor, which also builds roads and bridges, hired local subcontractors for earthworks and fencing.",
    "According to the feasibility report, the site receives more than {jobs}0 hours of sunshine annually.",
    "Opposition lawmakers questioned the transparency of the tender and demanded that the documents be published.",
    "Investors have grown cautious after currency devaluation eroded returns on dollar-denominated contracts.",
    "The mayor told reporters that revenues from land lease payments would fund schools and a new clinic.",
    "Meteorologists forecast unusually strong winds along the mountain passes during the coming weeks.",
    "Farmers near the proposed site complained that access roads would cut across grazing pastures.",
    "The utility has struggled with ageing Soviet-era equipment, and transmission losses exceed {pct}% in places.",
    "Consultants hired by the lenders will review compliance with international environmental and social standards.",
    "Negotiations over the power purchase agreement took almost {km2} months, people familiar with the talks said.",
    "The initiative forms part of a broader push to diversify an economy heavily dependent on hydrocarbon exports.",
    "Workers will undergo safety training, and a fire brigade will be stationed on site throughout construction.",
    "Demand usually peaks in January, when temperatures in the north can plunge below minus {km2} degrees Celsius.",
    "Neighbouring countries are discussing a regional market that would allow cross-border trading of electricity.",
    "The chief executive, speaking at an investment forum, promised to reinvest profits in modernising substations.",
    "Local universities have launched courses in turbine maintenance to prepare technicians for the new jobs.",
    "Inflation, logistics bottlenecks and higher interest rates have pushed up equipment costs since {year}.",
]


def _rng_name(rng: random.Random, syllables: tuple[int, int] = (2, 3)) -> str:
    word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(*syllables))) + rng.choice(_PLACE_ENDINGS)
    return word.capitalize()


def _company(rng: random.Random) -> str:
    return " ".join(x for x in (rng.choice(_FIRST), rng.choice(_SECOND), rng.choice(_FORMS)) if x)


def _capacity(rng: random.Random) -> tuple[str, float]:
    mw = rng.choice([0.8, 1.2, 5, 10, 12.5, 20, 24, 30, 40, 48, 50, 60, 100, 150, 200, 250, 300, 500, 1200])
    style = rng.randrange(7)
    if mw >= 1000 and style < 3:
        return f"{mw / 1000:g} GW", mw
    if mw < 1 and style < 4:
        return f"{mw * 1000:g} kW", mw
    if style == 0:
        return f"{mw:g}-MW", mw
    if style == 1:
        return f"{mw:g} megawatts", mw
    if style == 2 and mw >= 1000:
        return f"{mw:,.0f} MW", mw
    if style == 3:
        return f"{mw:g}MW", mw
    if style == 4:
        return f"{mw:g} MWp", mw
    return f"{mw:g} MW", mw


def _place_phrase(rng: random.Random, place: str, district: str, region: str) -> str:
    return rng.choice([
        f"in the village of {place} in {district} district of the {region} region",
        f"near {place}, {region} region",
        f"in {place} village, {district} district",
        f"in the town of {place}",
        f"in {district} district of {region} province",
        f"at {place} settlement",
    ])


def _paragraphs(rng: random.Random) -> list[str]:
    country = rng.choice(_COUNTRIES)
    region, district, place = _rng_name(rng), _rng_name(rng), _rng_name(rng)
    company, lender = _company(rng), _company(rng)
    ftype = rng.choice(list(_FACILITY_WORDS))
    word = rng.choice(_FACILITY_WORDS[ftype])
    cap, mw = _capacity(rng)
    year = rng.randint(2024, 2031)
    day, month = rng.choice(_DAYS), rng.choice(_MONTHS)
    where = _place_phrase(rng, place, district, region)
    status = rng.choice([
        f"will build a {cap} {word} {where}, with commissioning planned by {year}",
        f"has put into operation a {cap} {word} {where}",
        f"started construction of a {cap} {word} {where} last {month}",
        f"signed a memorandum with the regional government to develop a {cap} {word} {where}",
        f"reported that its {cap} {word} {where} has been operating since {year - 10}",
        f"has scrapped plans for a {cap} {word} {where} after local objections",
    ])
    paras = [f"{company} {status}, the company said on {day}."]
    second_cap, _ = _capacity(rng)
    p2, p3 = _rng_name(rng), _rng_name(rng)
    paras.append(rng.choice([
        f"The project includes {rng.randint(8, 60)} turbines of {rng.choice([3, 4.5, 6])} MW each and is expected to "
        f"generate about {rng.randint(50, 900)} million kWh of electricity a year, enough for "
        f"{rng.randint(20, 400)},000 households.",
        f"The company also plans two plants of {second_cap} each in the {p2} and {p3} districts, and three further "
        f"stations with a combined capacity of {rng.randint(3, 9)}00 MW.",
        f"The {p2} HPP and the {p3} HPP, with capacities of {rng.randint(5, 30)} MW and {rng.randint(2, 19)}.5 MW "
        f"respectively, are being built on the {p2} river.",
        f"Other projects in the pipeline include solar parks in {p2} city ({rng.randint(2, 9)}0 MW), "
        f"{p3} settlement ({rng.randint(1, 9)}5 MW) and a {rng.randint(20, 80)} MW/{rng.randint(80, 320)} MWh "
        f"battery next to the substation.",
        f"The facility will be connected to the national grid through a {rng.choice([110, 220, 500])} kV line, "
        f"and the plant's first unit of {rng.randint(10, 90)} MW is due in the fourth quarter of {year}.",
    ]))
    paras.append(
        f"The ${rng.randint(20, 900)} million project is financed by {lender}, with equipment supplied by "
        f"{_company(rng)}. {country}'s installed renewable capacity reached {rng.randint(2, 19)}.{rng.randint(1, 9)} GW "
        f"in {year - 2}, or {rng.randint(5, 40)}% of the total, and the government targets {rng.randint(20, 50)}% "
        f"by 2030."
    )
    person = f"{_rng_name(rng, (2, 2))} {_rng_name(rng, (2, 3))}{rng.choice(['ov', 'ova', 'ev', 'uly', ''])}"
    role = rng.choice(["chief executive of", "a spokesperson for", "head of development at", "deputy director of"])
    paras.append(rng.choice([
        f'"We expect the first electricity to flow within {rng.randint(8, 30)} months," said {person}, {role} {company}.',
        f"{person}, {role} {company}, told reporters the schedule depended on deliveries from abroad.",
        f'"This is an important step for the {region} region," {person}, {role} {company}, said in a statement.',
    ]))
    fill = {"year": year - 5, "company": _company(rng), "region": region, "country": country,
            "pct": rng.randint(3, 25), "km": rng.randint(5, 90), "km2": rng.randint(1, 30),
            "jobs": rng.randint(50, 900), "kv": rng.choice([110, 220, 500])}
    for template in rng.sample(_FILLER, k=rng.randint(4, 8)):
        paras.append(template.format(**fill))
    paras.append(
        f"The Ministry of Energy of {country} said the {mw:g} MW plant would help cut emissions by "
        f"{rng.randint(10, 900)},000 tonnes of CO2 a year. It is the {rng.choice(['second', 'third', 'largest'])} "
        f"project of its kind in the {region} region."
    )
    return paras


def generate_articles(size_mb: float = 1.0, seed: int = 7) -> list[tuple[str, str]]:
    """(title, text) pairs of synthetic news totalling at least `size_mb` MB of UTF-8 text."""
    rng = random.Random(seed)
    target = int(size_mb * 1_000_000)
    out: list[tuple[str, str]] = []
    total = 0
    while total < target:
        paras = _paragraphs(rng) + _paragraphs(rng)[:4]
        text = "\n\n".join(paras)
        title = paras[0].split(",")[0][:90]
        out.append((title, text))
        total += len(text.encode("utf-8"))
    return out


def _seconds(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, this process's CPU seconds) of one call; CPU time is robust to other load on the box."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def _articles(pairs: list[tuple[str, str]]) -> list[Article]:
    now = dt.datetime.now(dt.timezone.utc)
    articles = []
    for i, (title, text) in enumerate(pairs):
        url = f"https://bench.invalid/news/{i}"
        articles.append(Article(article_id=sha256_hex(url), url=url, canonical_url=url, title=title, text=text,
                                content_hash=sha256_hex(text), fetched_at=now, source="benchmark"))
    return articles


def corpus_articles(folders: list[Path], size_mb: float = 1.0) -> list[tuple[str, str]]:
    """(title, text) of every corpus-format article (`*.json` with `text`) in `folders`, repeated in order until
    they hold at least `size_mb` MB of UTF-8 text (a small corpus of real-looking news, for comparison)."""
    found: list[tuple[str, str]] = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.json")):
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise SystemExit(f"{path}: not a readable corpus article ({exc})") from exc
            if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
                raise SystemExit(f"{path}: no 'text' string (corpus format expected)")
            found.append((str(doc.get("title") or ""), doc["text"]))
    if not found:
        raise SystemExit(f"no corpus articles (*.json) in {', '.join(map(str, folders))}")
    size = sum(len(t.encode("utf-8")) for _, t in found)
    if size == 0:
        raise SystemExit(f"every article's text is empty in {', '.join(map(str, folders))}")
    return found * max(1, math.ceil(size_mb * 1_000_000 / size))


def run(size_mb: float = 1.0, repeats: int = 3, corpus: list[Path] | None = None) -> dict[str, Any]:
    """Time the bare tokenizer and the full extraction over the same text (generated, or `corpus` folders'
    articles repeated to `size_mb`); return the figures."""
    import spacy

    from extractors.pipeline import build_nlp, extract_batch

    pairs = corpus_articles(corpus, size_mb) if corpus else generate_articles(size_mb)
    texts = [text for _, text in pairs]
    words = sum(len(text.split()) for text in texts)
    size_bytes = sum(len(text.encode("utf-8")) for text in texts)
    articles = _articles(pairs)

    tokenizer = spacy.blank("en").tokenizer
    start = time.perf_counter()
    nlp = build_nlp()
    build_s = time.perf_counter() - start
    # warm-up: lazy set-up and first-seen words must not count against either side (medians skip the rest)
    for doc_text in texts:
        tokenizer(doc_text)
    warm = extract_batch(articles[:3], nlp=nlp)
    logger.debug("warm-up found %d facilities", sum(len(r.facilities) for r in warm))

    def tokenize_all() -> None:
        for doc_text in texts:
            tokenizer(doc_text)

    results: list[Any] = []

    def extract_all() -> None:
        results[:] = extract_batch(articles, nlp=nlp)

    # interleaved, so both paths see the same machine load; the median of each counts. One tokenizer pass is
    # short enough for scheduling noise to matter, so each tokenizer sample averages passes over >= 0.5 s.
    inner = max(1, math.ceil(0.5 / max(_seconds(tokenize_all)[0], 1e-6)))
    tok_times: list[tuple[float, float]] = []
    ext_times: list[tuple[float, float]] = []
    for _ in range(repeats):
        wall, cpu = _seconds(lambda: [tokenize_all() for _ in range(inner)])
        tok_times.append((wall / inner, cpu / inner))
        ext_times.append(_seconds(extract_all))
    tok_s = statistics.median(t[0] for t in tok_times)
    ext_s = statistics.median(t[0] for t in ext_times)
    tok_cpu = statistics.median(t[1] for t in tok_times)
    ext_cpu = statistics.median(t[1] for t in ext_times)
    tok_wps = words / tok_s
    ext_wps = words / ext_s
    ratio = ext_wps / tok_wps
    return {
        "benchmark": "extraction_throughput",
        "size_bytes": size_bytes,
        "articles": len(articles),
        "words": words,
        "repeats": repeats,
        "tokenizer_passes_per_sample": inner,
        "tokenizer_seconds": round(tok_s, 4),
        "extraction_seconds": round(ext_s, 4),
        "tokenizer_words_per_s": round(tok_wps),
        "extraction_words_per_s": round(ext_wps),
        "ratio": round(ratio, 4),
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio >= TARGET_RATIO,
        "ratio_cpu_time": round(tok_cpu / ext_cpu, 4) if ext_cpu > 0 else None,
        "tokenizer_cpu_seconds": round(tok_cpu, 4),
        "extraction_cpu_seconds": round(ext_cpu, 4),
        "build_nlp_seconds": round(build_s, 3),
        "facilities_found": sum(len(r.facilities) for r in results),
        "tokenizer_times": [round(t[0], 4) for t in tok_times],
        "extraction_times": [round(t[0], 4) for t in ext_times],
    }


def _print_table(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Extraction throughput ({result['size_bytes'] / 1e6:.2f} MB, {result['words']:,} words, "
                        f"{result['articles']} articles, median of {result['repeats']})")
    table.add_column("path")
    table.add_column("seconds", justify="right")
    table.add_column("words/s", justify="right")
    table.add_row("spaCy blank('en') tokenizer", f"{result['tokenizer_seconds']:.3f}",
                  f"{result['tokenizer_words_per_s']:,}")
    table.add_row("gridscout extraction (extract_batch)", f"{result['extraction_seconds']:.3f}",
                  f"{result['extraction_words_per_s']:,}")
    verdict = "meets" if result["meets_target"] else "BELOW"
    table.caption = (f"ratio {result['ratio']:.2%} ({verdict} the {result['target_ratio']:.0%} target); "
                     f"by CPU time {result['ratio_cpu_time']:.2%}; build_nlp {result['build_nlp_seconds']:.2f} s, not timed above")
    Console().print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.extraction_throughput", description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=float, default=1.0, help="MB of generated text (default 1.0)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each path; the median counts")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--corpus", type=Path, action="append",
                        help="measure on the corpus-format articles of this folder (repeatable) instead of "
                             "generated text, repeated to --size-mb")
    args = parser.parse_args(argv)
    if args.size_mb <= 0 or args.repeats < 1:
        parser.error("--size-mb must be > 0 and --repeats >= 1")
    result = run(args.size_mb, args.repeats, args.corpus)
    result["text"] = ("corpus: " + ", ".join(map(str, args.corpus))) if args.corpus else "generated"
    _print_table(result)
    text = json.dumps(result, indent=2)
    sys.stdout.write(text + "\n")
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
