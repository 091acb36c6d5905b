"""Read one input file for `gridscout extract`: .txt as is, .html/.htm via main-text extraction, corpus .json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from models.errors import ExtractionError
from models.records import sha256_hex


@dataclass(frozen=True)
class ExtractInput:
    """Text to extract from, with its id, title and source."""

    path: Path
    id: str
    text: str
    title: str | None
    source: str


def read_input(path: Path) -> ExtractInput:
    """Load `path`; raise ExtractionError naming the file when it is missing, unreadable or malformed."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ExtractionError(f"{path}: no such file") from exc
    except OSError as exc:
        raise ExtractionError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _read_corpus_json(path, raw)
    if suffix in {".html", ".htm"}:
        from extractors.main_text import extract_main_text

        main = extract_main_text(raw, url=path.resolve().as_uri())
        return ExtractInput(path, sha256_hex(str(path.resolve())), main.text, main.title, str(path))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExtractionError(f"{path}: not UTF-8 text (byte {exc.start}); convert it or pass .html") from exc
    if not text.strip():
        raise ExtractionError(f"{path}: the file is empty")
    first = text.strip().splitlines()[0].strip()
    title = first if len(first) < 200 else None
    return ExtractInput(path, path.stem, text, title, str(path))


def _read_corpus_json(path: Path, raw: bytes) -> ExtractInput:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExtractionError(f"{path}: invalid JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise ExtractionError(f"{path}: expected a corpus-format object with a string 'text' field")
    doc_id = str(data.get("id") or path.stem)
    title = data.get("title") if isinstance(data.get("title"), str) else None
    source = data.get("url") if isinstance(data.get("url"), str) else str(path)
    return ExtractInput(path, doc_id, data["text"], title, source)
