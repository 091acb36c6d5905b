"""Main text and metadata of a page (trafilatura), and the `Article` built from a fetched `Page`.

Pure: bytes in, records out. Errors are `MainTextError` (an `ExtractionError`) whose `reason` is a short code
the flow records as the entry's state:

* `not_html`    the bytes are a PDF, image, archive or other binary file  -> entry *skipped*
* `no_text`     nothing usable is left after boilerplate removal           -> entry *skipped*
* `not_english` the text is in another language (stop-word test)          -> entry *skipped*
* `timeout`     extraction exceeded its wall-clock deadline (sources.deadline) -> entry *failed*
* `parse_error` trafilatura raised                                         -> entry *failed*
* `worker_crashed` the isolated extraction worker died                    -> entry *failed*

`SKIP_REASONS` holds the codes that mean *skipped* rather than *failed*. For batches use
`extract_articles(pages, settings)`: killable workers with a per-page deadline.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import queue
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml import etree

from models.errors import ExtractionError
from models.records import Article, Page, sha256_hex
from models.settings import Settings
from sources.charset import decode_body
from sources.content import looks_binary
from sources.deadline import DeadlineExceeded, DeadlineWorker, WorkerCrashed, WorkerPool
from sources.urls import article_id, canonical_url

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 40
SKIP_REASONS = frozenset({"not_html", "no_text", "not_english"})
# Frequent English function words that are rarely words in other Latin-script languages ("a", "in", "on",
# "die", "also" are left out on purpose).
_ENGLISH_STOPWORDS = frozenset("""
the and of to is that for with was are were be been being has have had will would which who whom whose this
these those it its from by at as or but not they their them he his she her we our you your than then there
said says about after into over under more most other such can could should may might also been when where
while what how all any each only just very new year years per
""".split())
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_POOL = WorkerPool(preload=(__name__,))  # warm extraction children reused across batches
_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "section",
               "article", "pre", "dd", "dt", "figcaption")


class MainTextError(ExtractionError):
    """Main text could not be obtained; `reason` is one of the module docstring's codes."""

    def __init__(self, message: str, *, reason: str, url: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.url = url

    def __reduce__(self):  # keep reason/url across process boundaries (deadline workers)
        return (_rebuild_error, (str(self), self.reason, self.url))


def _rebuild_error(message: str, reason: str, url: str | None) -> "MainTextError":
    return MainTextError(message, reason=reason, url=url)


@dataclass(frozen=True)
class MainText:
    """What trafilatura found on a page."""

    text: str
    title: str | None = None
    author: str | None = None
    date: dt.date | None = None
    site: str | None = None
    encoding: str | None = None


def english_score(text: str) -> tuple[float, int]:
    """(share of words that are common English function words, number of words); Latin-script words only."""
    words = _WORD.findall(text.lower())
    if not words:
        return 0.0, 0
    latin = [w for w in words if w.isascii()]
    hits = sum(1 for w in latin if w in _ENGLISH_STOPWORDS)
    return hits / len(words), len(words)


def is_english(text: str, *, min_words: int = 25, threshold: float = 0.12) -> bool:
    """Cheap language check: English prose has ~30-50% function words (threshold 12%); short texts pass."""
    score, n = english_score(text)
    return n < min_words or score >= threshold


def extract_main_text(body: bytes, url: str | None = None, *, content_type: str | None = None,
                      require_english: bool = True) -> MainText:
    """Main text plus title, author, date and site name of an HTML page (comments excluded).

    Raises MainTextError with reason `not_html`, `no_text`, `not_english` or `parse_error`.
    """
    where = url or "<page>"
    if looks_binary(body):
        raise MainTextError(f"{where} is not an HTML page (binary content)", reason="not_html", url=url)
    html, encoding = decode_body(body, content_type)
    if not html.strip():
        raise MainTextError(f"{where} is empty", reason="no_text", url=url)
    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          include_tables=True, date_extraction_params=_date_params())
    except (ValueError, TypeError, etree.LxmlError, RecursionError) as exc:
        raise MainTextError(f"{where}: trafilatura failed: {exc}", reason="parse_error", url=url) from exc
    data = doc.as_dict() if doc is not None else {}
    text = (data.get("text") or "").strip()
    if len(text) < MIN_TEXT_CHARS:
        raise MainTextError(f"{where} has no usable main text ({len(text)} characters after boilerplate removal)",
                            reason="no_text", url=url)
    if require_english and not is_english(text):
        score, n = english_score(text)
        raise MainTextError(f"{where} is not in English ({score:.0%} English function words in {n} words)",
                            reason="not_english", url=url)
    return MainText(text=text, title=_clean(data.get("title")), author=_clean(data.get("author")),
                    date=_parse_date(data.get("date")), site=_clean(data.get("sitename")), encoding=encoding)


def fragment_to_text(html: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content), one paragraph per block element."""
    if not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", html).strip()
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
    lines = (re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip() for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def page_to_article(page: Page, *, require_english: bool = True) -> Article:
    """An `Article` from a fetched page (or from the feed entry's own content when `from_feed_content`).

    `article_id` is the hash of the canonical final URL (so redirects and tracking parameters collapse to one
    id); `content_hash` hashes the text. Raises MainTextError.
    """
    entry = page.entry
    url = page.final_url or entry.url
    if page.from_feed_content:
        text = fragment_to_text(page.body.decode("utf-8", errors="replace"))
        if len(text) < MIN_TEXT_CHARS:
            raise MainTextError(f"{entry.url}: the feed entry's content has no usable text", reason="no_text",
                                url=entry.url)
        if require_english and not is_english(text):
            raise MainTextError(f"{entry.url}: the feed entry's content is not in English", reason="not_english",
                                url=entry.url)
        main = MainText(text=text, title=entry.title, author=entry.author)
    else:
        main = extract_main_text(page.body, url, content_type=page.content_type, require_english=require_english)
    published = main.date or (entry.published.date() if entry.published else None)
    return Article(
        article_id=article_id(url),
        url=url,
        canonical_url=canonical_url(url),
        title=main.title or entry.title,
        published=published,
        author=main.author or entry.author,
        site=main.site,
        text=main.text,
        content_hash=sha256_hex(main.text, length=32),
        fetched_at=page.fetched_at,
        source=entry.feed,
    )


def _date_params() -> dict[str, object]:
    """Dates from markup and metadata only: the extensive search guesses from years in the text."""
    return {"original_date": True, "extensive_search": False, "max_date": dt.date.today().isoformat()}


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _article_or_error(page: Page, require_english: bool) -> Article | MainTextError:
    try:
        return page_to_article(page, require_english=require_english)
    except MainTextError as exc:
        return exc


def extract_articles(pages: list[Page], settings: Settings, *, isolate: bool | None = None,
                     require_english: bool = True) -> list[Article | MainTextError]:
    """`page_to_article` over a batch; one result per page, in order: an Article or the MainTextError.

    With `isolate` (default: when `settings.parse_deadline` > 0) pages run in killable worker processes
    (`settings.workers`, 0 = one per CPU; kept warm between calls) and a page that runs past `parse_deadline` seconds becomes a
    MainTextError with reason `timeout` (its worker is killed and replaced); `isolate=False` runs in-process.
    """
    if isolate is None:
        isolate = settings.parse_deadline > 0
    if not isolate or not pages:
        return [_article_or_error(page, require_english) for page in pages]
    size = max(1, min(len(pages), settings.workers or os.cpu_count() or 1))
    with _POOL.borrow(size) as workers:
        idle: queue.SimpleQueue[DeadlineWorker] = queue.SimpleQueue()
        for worker in workers:
            idle.put(worker)

        def run(page: Page) -> Article | MainTextError:
            worker = idle.get()
            try:
                return worker.call(settings.parse_deadline, _article_or_error, page, require_english)
            except DeadlineExceeded as exc:
                log.warning("main text of %s: %s", page.final_url, exc)
                return MainTextError(f"{page.final_url}: main-text extraction {exc}", reason="timeout",
                                     url=page.final_url)
            except WorkerCrashed as exc:
                log.warning("main text of %s: worker crashed: %s", page.final_url, exc)
                return MainTextError(f"{page.final_url}: extraction worker crashed ({exc})",
                                     reason="worker_crashed", url=page.final_url)
            except Exception as exc:  # noqa: BLE001 - an unexpected bug on one page must not sink the batch
                log.exception("main text of %s failed unexpectedly", page.final_url)
                return MainTextError(f"{page.final_url}: {type(exc).__name__}: {exc}", reason="parse_error",
                                     url=page.final_url)
            finally:
                idle.put(worker)

        with ThreadPoolExecutor(max_workers=size, thread_name_prefix="main-text") as pool:
            return list(pool.map(run, pages))
