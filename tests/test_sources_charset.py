"""Charset detection: BOM, header, <meta>, XML declaration, detection, replacement."""

from __future__ import annotations

import pytest

from sources.charset import decode_body, declared_charset, header_charset

RUSSIAN = "Ветряная электростанция мощностью 60 МВт будет построена в области в следующем году."
GERMAN = "Die Windkraftanlage läuft seit März; größere Türme folgen."


@pytest.mark.parametrize(("content_type", "expected"), [
    ("text/html; charset=UTF-8", "utf-8"),
    ("text/html; charset=\"windows-1251\"", "cp1251"),
    ("text/html;charset=iso-8859-1", "cp1252"),
    ("text/html", None),
    (None, None),
    ("text/html; charset=no-such-codec", None),
])
def test_header_charset(content_type: str | None, expected: str | None) -> None:
    assert header_charset(content_type) == expected


@pytest.mark.parametrize(("head", "expected"), [
    (b'<html><head><meta charset="windows-1251">', "cp1251"),
    (b"<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-1'>", "cp1252"),
    (b'<?xml version="1.0" encoding="koi8-r"?><html>', "koi8-r"),
    (b"<html><head><title>none</title>", None),
])
def test_declared_charset(head: bytes, expected: str | None) -> None:
    assert declared_charset(head) == expected


@pytest.mark.parametrize(("body", "content_type", "text", "encoding"), [
    (RUSSIAN.encode("cp1251"), "text/html; charset=windows-1251", RUSSIAN, "cp1251"),
    (b'<meta charset="windows-1251">' + RUSSIAN.encode("cp1251"), "text/html", None, "cp1251"),
    (GERMAN.encode("latin-1"), "text/html; charset=iso-8859-1", GERMAN, "cp1252"),
    (GERMAN.encode("utf-8"), "text/html; charset=iso-8859-1", None, None),  # wrong header: still not mojibake
    (("\ufeff" + GERMAN).encode("utf-8"), None, GERMAN, "utf-8"),
    (GERMAN.encode("utf-16"), None, GERMAN, "utf-16"),
    ((RUSSIAN * 4).encode("cp1251"), None, RUSSIAN * 4, None),  # undeclared: detected
    (GERMAN.encode("utf-8"), None, GERMAN, "utf-8"),
])
def test_decode_body(body: bytes, content_type: str | None, text: str | None, encoding: str | None) -> None:
    decoded, used = decode_body(body, content_type)
    if text is not None:
        assert decoded.endswith(text)
    if encoding is not None:
        assert used == encoding
    assert "Ã" not in decoded and "\ufffd" not in decoded


def test_undecodable_bytes_are_replaced_not_raised() -> None:
    decoded, _ = decode_body(b"ok broken \x80\xff end", "text/html; charset=utf-8")
    assert "broken" in decoded
