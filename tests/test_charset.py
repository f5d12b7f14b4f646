"""Decoding page bytes: BOM, declared charset checked against the bytes, <meta>, detection."""

from __future__ import annotations

import codecs

from newsarc.charset import charset_from_content_type, decode_html
from newsarc.model import Page

RUSSIAN = (
    "<html><head><title>Новости</title></head><body><p>Мужчины бегут в Грузию, "
    "чтобы избежать мобилизации. Очереди на границе растянулись на километры.</p></body></html>"
)


def test_header_charset_is_used() -> None:
    text, codec = decode_html(RUSSIAN.encode("koi8-r"), "koi8-r")
    assert text == RUSSIAN and codec == "koi8-r"


def test_meta_charset_when_no_header() -> None:
    html = RUSSIAN.replace("<head>", '<head><meta charset="windows-1251">')
    text, codec = decode_html(html.encode("cp1251"))
    assert text == html and codec == "cp1251"


def test_undeclared_windows_1251_is_detected() -> None:
    text, _ = decode_html(RUSSIAN.encode("cp1251"))
    assert "Мужчины бегут в Грузию" in text


def test_utf8_bytes_declared_latin1_are_read_as_utf8() -> None:
    text, codec = decode_html("<p>Müller sagte: „Gut“.</p>".encode(), "iso-8859-1")
    assert text == "<p>Müller sagte: „Gut“.</p>" and codec == "utf-8"


def test_latin1_bytes_declared_utf8_fall_back() -> None:
    text, _ = decode_html("<p>Café crème à la française</p>".encode("latin-1"), "utf-8")
    assert text == "<p>Café crème à la française</p>"


def test_utf16_with_bom() -> None:
    data = codecs.BOM_UTF16_LE + RUSSIAN.encode("utf-16-le")
    text, codec = decode_html(data, "utf-8")
    assert text == RUSSIAN and codec.startswith("utf-16")


def test_utf8_bom_is_stripped() -> None:
    text, _ = decode_html(codecs.BOM_UTF8 + b"<p>hi</p>")
    assert text == "<p>hi</p>"


def test_unknown_label_is_ignored() -> None:
    text, codec = decode_html("<p>naïve</p>".encode(), "x-no-such-charset")
    assert text == "<p>naïve</p>" and codec == "utf-8"


def test_charset_from_content_type() -> None:
    assert charset_from_content_type('text/html; charset="UTF-8"') == "UTF-8"
    assert charset_from_content_type("text/html") is None
    assert charset_from_content_type(None) is None


def test_page_text_uses_header_case_insensitively() -> None:
    page = Page(
        "u",
        "u",
        200,
        {"content-type": "text/html; charset=windows-1251"},
        "Привет".encode("cp1251"),
    )
    assert page.text() == "Привет"
    assert page.content_type == "text/html"
