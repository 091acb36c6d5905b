"""HTML pages written for the source and main-text tests (own sentences; no corpus text)."""

from __future__ import annotations

ENGLISH_PARAGRAPHS = [
    "The regional council approved plans on Tuesday for a 45 MW solar park on former farmland north of the "
    "river, the developer said in a statement.",
    "Construction is expected to begin next spring, and the plant should be connected to the grid by the end "
    "of 2026, according to the company, which already runs two wind farms in the same district.",
    "Local residents raised concerns about traffic during the building phase, but the council said the "
    "developer had agreed to limit deliveries to weekdays and to repair the access road afterwards.",
    "The project is part of a wider plan to add more than 300 MW of renewable capacity in the province "
    "over the next five years, officials said at the hearing.",
]

RUSSIAN_PARAGRAPHS = [
    "Региональный совет во вторник одобрил строительство солнечной электростанции мощностью 45 МВт на "
    "бывших сельскохозяйственных землях к северу от реки, сообщил застройщик.",
    "Строительство планируется начать следующей весной, а подключение станции к сети ожидается к концу "
    "2026 года, говорится в сообщении компании, которая уже управляет двумя ветряными парками в районе.",
    "Жители выразили обеспокоенность движением грузовиков во время стройки, однако совет заявил, что "
    "компания согласилась ограничить поставки рабочими днями и отремонтировать дорогу.",
]


def article_page(paragraphs: list[str], *, title: str = "Council approves 45 MW solar park",
                 charset: str = "utf-8", lang: str = "en", author: str = "Mara Quinn",
                 date: str = "2024-05-14", site: str = "Grid Ledger") -> str:
    """A news page with navigation, related links, comments, an author bio and a footer around the story."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="{charset}"><title>{title} | {site}</title>
<meta name="author" content="{author}"><meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{date}T08:00:00Z"></head>
<body>
<header><nav><a href="/">Home</a> <a href="/solar">Solar</a> <a href="/wind">Wind</a> <a href="/about">About</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By {author}</p>
{body}
</article>
<aside class="related"><h3>Related</h3><ul><li><a href="/x">Grid operator warns of winter peaks</a></li>
<li><a href="/y">Offshore auction delayed again</a></li></ul></aside>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>COMMENT-MARKER: great news for the valley, finally something is happening here.</p></div>
</section></main>
<footer><p>About the author: {author} covers energy markets.</p><p>Copyright 2024 {site}. All rights reserved.</p></footer>
</body></html>"""


ENGLISH_PAGE = article_page(ENGLISH_PARAGRAPHS)
RUSSIAN_PAGE = article_page(RUSSIAN_PARAGRAPHS, title="Совет одобрил солнечную электростанцию", lang="ru")
# An English story whose quote keeps a Cyrillic name: decoded right only if cp1251 is honoured.
CP1251_PARAGRAPHS = ENGLISH_PARAGRAPHS[:2] + [
    "The plant will be built by Солнечный Ветер, a local contractor, and operated by the developer.",
]
LATIN1_PARAGRAPHS = ENGLISH_PARAGRAPHS[:2] + [
    "The turbines come from Müller Énergie, and the grid link will be built by Société Réseaux Nord.",
]
NAV_ONLY_PAGE = ("<html><head><title>Index</title></head><body><nav><a href='/a'>A</a> <a href='/b'>B</a>"
                 "</nav><footer>Copyright</footer></body></html>")
