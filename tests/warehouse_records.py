"""Hand-made Article/ExtractionResult records for warehouse and review tests (no extractor involved)."""

from __future__ import annotations

import datetime as dt

from models.records import Article, ExtractionResult, Facility, Mention, sha256_hex

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)

# (type, name, location, admin_area, country, capacity MW, status) -- invented places and firms
PLANTS = [
    ("solar", None, "Brenmoor village", "Ostvale district", "Norland", 40.0, "planned"),
    ("wind", "Harrow Ridge wind farm", "Harrow", None, "Norland", 60.0, "under_construction"),
    ("biogas", None, "Little Tarn", "Fellside district", "Norland", None, "planned"),
    ("solar", None, "Quenby", None, "Estmark", 100.0, "operational"),
]


def article(n: int, *, text: str | None = None, title: str | None = None) -> Article:
    body = text or f"Article {n}. " + " ".join(
        f"A {cap or 'small'} MW {typ} plant is {status} at {loc}." for typ, _n, loc, _a, _c, cap, status in PLANTS
    )
    url = f"https://news.example.org/story-{n}"
    return Article(
        article_id=sha256_hex(url), url=url, canonical_url=url, title=title or f"Story {n}",
        published=dt.date(2026, 2, n % 27 + 1), author="A. Writer", site="Example News", text=body,
        content_hash=sha256_hex(body), fetched_at=NOW, source="https://news.example.org/feed.xml",
    )


def result(art: Article, *, version: str = "1.0", shift: int = 0, plants=PLANTS) -> ExtractionResult:
    facilities = []
    for i, (typ, name, loc, admin, country, cap, status) in enumerate(plants):
        start = art.text.find(loc) + shift
        facilities.append(Facility(
            type=typ, name=name, location=loc, admin_area=admin, country=country,
            capacity_value=cap, capacity_unit="MW" if cap is not None else None, capacity_mw=cap,
            status=status, organisations=["Fjord Power AS"] if i % 2 == 0 else [], target_year=2027,
            sentence=f"A {cap} MW {typ} plant is {status} at {loc}.", start_char=start, end_char=start + len(loc),
            pattern_ids=[f"{typ}_capacity_v1", "place_at"], extractor_version=version, pattern_set_version="ps1",
            confidence=0.8,
        ))
    orgs = [Mention(kind="organisation", text="Fjord Power AS", label="company", start_char=0, end_char=5)]
    locs = [Mention(kind="location", text=p[2], start_char=i * 10, end_char=i * 10 + 5)
            for i, p in enumerate(plants)]
    return ExtractionResult(id=art.article_id, facilities=facilities, organisations=orgs, locations=locs,
                            extractor_version=version, pattern_set_version="ps1")


def batch(ns: range | list[int], **kw) -> tuple[list[Article], list[ExtractionResult]]:
    arts = [article(n) for n in ns]
    return arts, [result(a, **kw) for a in arts]
