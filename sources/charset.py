"""Character-set detection for fetched pages: BOM, valid UTF-8, HTTP header, `<meta>`, then detection."""

from __future__ import annotations

import codecs
import logging
import re

log = logging.getLogger(__name__)

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)["']""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_SNIFF_BYTES = 4096


def header_charset(content_type: str | None) -> str | None:
    """The `charset=` parameter of a Content-Type header, if any and known to Python."""
    if not content_type:
        return None
    m = _HEADER_CHARSET.search(content_type)
    return _known(m.group(1)) if m else None


def declared_charset(body: bytes) -> str | None:
    """The charset a document declares in its first bytes (`<meta charset>`, http-equiv or XML declaration)."""
    head = body[:_SNIFF_BYTES]
    for pattern in (_XML_DECL, _META_CHARSET):
        m = pattern.search(head)
        if m:
            found = _known(m.group(1).decode("ascii", errors="ignore"))
            if found:
                return found
    return None


def _known(name: str) -> str | None:
    try:
        codec = codecs.lookup(name.strip().lower())
    except LookupError:
        return None
    # WHATWG: pages labelled latin-1/ascii are decoded as windows-1252
    return "cp1252" if codec.name in ("latin-1", "iso8859-1", "ascii") else codec.name


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode page bytes to text; returns (text, encoding used). Never raises."""
    for bom, codec in _BOMS:
        if body.startswith(bom):  # the utf-16/32 codecs consume their BOM themselves
            return body[len(bom):].decode(codec, errors="replace") if codec == "utf-8" else \
                body.decode(codec, errors="replace"), codec
    try:  # valid UTF-8 with multi-byte sequences is UTF-8 whatever the label says (mislabelled pages)
        text = body.decode("utf-8")
        if not body.isascii():
            return text, "utf-8"
    except UnicodeDecodeError:
        pass
    for candidate in (header_charset(content_type), declared_charset(body)):
        if candidate:
            try:
                return body.decode(candidate), candidate
            except (UnicodeDecodeError, LookupError):
                log.debug("declared charset %s does not decode the body; detecting", candidate)
    if body.isascii():
        return body.decode("ascii"), "ascii"
    detected = _detect(body)
    if detected:
        try:
            return body.decode(detected), detected
        except (UnicodeDecodeError, LookupError):
            pass
    return body.decode("utf-8", errors="replace"), "utf-8"


def _detect(body: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # optional: fall back to utf-8 with replacement
        return None
    best = from_bytes(body[: 256 * 1024]).best()
    return best.encoding if best is not None else None
