"""Decoding page bytes: BOM, declared charset checked against the bytes, <meta>, detection."""

from __future__ import annotations

import codecs
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsarc.charset import _HEAD_LIMIT, _meta_charset, charset_from_content_type, decode_html
from newsarc.model import Page
from tests.conftest import fixture_path
from tests.legacy_pages import FRENCH, HEADS, JAPANESE, LEGACY, Story, page
from tests.legacy_pages import RUSSIAN as RUSSIAN_STORY

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


@pytest.mark.parametrize("late", [False, True], ids=["undeclared", "declared-late"])
@pytest.mark.parametrize("head", sorted(HEADS))
@pytest.mark.parametrize(
    ("story", "codec", "label"), LEGACY, ids=[f"{s.lang}-{c}" for s, c, _ in LEGACY]
)
def test_pages_behind_a_long_head_decode_exactly(
    story: Story, codec: str, label: str, head: str, late: bool
) -> None:
    # The detector read the page's markup: windows-1251 came out as cp1252, Shift_JIS as
    # GB18030 or ISO-8859-2, EUC-KR and GB2312 as cp1252; a <meta charset> past 8 KB was unseen.
    html = page(story, head, label if late else None)
    text, found = decode_html(html.encode(codec))
    assert text == html
    if late:
        assert found == codecs.lookup(label).name or found == "utf-8"


def test_a_late_meta_charset_in_the_head_is_read() -> None:
    html = page(RUSSIAN_STORY, "script", "koi8-r")
    assert len(html[: html.index("<meta charset")].encode()) > 16_000
    text, codec = decode_html(html.encode("koi8-r"))
    assert text == html and codec == "koi8-r"


def test_a_meta_charset_inside_a_script_comment_or_title_is_not_the_page_s() -> None:
    head = (
        "<script>document.write('<meta charset=\"iso-8859-1\">');</script>"
        '<!-- <meta charset="iso-8859-2"> -->'
        '<title>about <meta charset="iso-8859-5"></title>'
        '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
    )
    html = RUSSIAN.replace("<head>", "<head>" + head)
    text, codec = decode_html(html.encode("koi8-r"))
    assert text == html and codec == "koi8-r"


def test_a_meta_charset_after_the_head_is_not_read() -> None:
    # A page quoting markup, or an embed: browsers read the head's declaration, and the bytes
    # decide without one (this one would read as koi8-r, which decodes any bytes).
    html = RUSSIAN.replace("<p>", '<p><meta charset="koi8-r">', 1)
    text, codec = decode_html(html.encode("cp1251"))
    assert text == html and codec == "cp1251"
    end = "<html><head><title>x</title></head><meta charset=koi8-r><body>"
    assert decode_html(end.encode())[1] == "utf-8"


def test_an_unclosed_script_ends_the_search() -> None:
    html = '<html><head><script>var a = "<meta charset=koi8-r>"; Привет'
    assert decode_html(html.encode("cp1251"))[1] != "koi8-r"


# The straightforward form of the head scan: raw text matched byte by byte (``.*?``).
_PLAIN_HEAD = re.compile(
    rb"""<(?P<raw>script|style|title|textarea)\b.*?(?:</(?P=raw)\s*>|\Z)"""
    rb"""|<!--.*?(?:-->|\Z)"""
    rb"""|<meta\b[^>]*?charset\s*=\s*["']?\s*(?P<charset>[A-Za-z0-9_.:-]+)"""
    rb"""|(?P<end></head\s*>|<body\b)""",
    re.IGNORECASE | re.DOTALL,
)


def _plain_meta_charset(data: bytes) -> str | None:
    for match in _PLAIN_HEAD.finditer(data[:_HEAD_LIMIT]):
        if match.lastgroup == "charset":
            return match.group("charset").decode("ascii", "replace")
        if match.lastgroup == "end":
            return None
    return None


_HEAD_BITS = st.sampled_from(
    [
        "<script>", "</script>", "</script >", "<SCRIPT type=x>", "</SCRIPT>", "<scripts>",
        "<style>", "</style>", "<title>", "</title>", "<textarea>", "</textarea>",
        "<!--", "-->", "--", "-", "<!-->", "<", ">", "</", "x", " ", "\n", "é",
        "<meta charset=koi8-r>", "<META CHARSET='cp1251'>", '<meta charset="">',
        '<meta http-equiv="Content-Type" content="text/html; charset=euc-jp">',
        "<meta name=x>", "<metax charset=big5>", "</head>", "</HEAD >", "<body>", "<bodyx>",
        "<p>",
    ]
)  # fmt: skip


@given(st.lists(_HEAD_BITS, max_size=30))
def test_head_scan_finds_what_the_plain_scan_finds(bits: list[str]) -> None:
    data = "".join(bits).encode()
    assert _meta_charset(data) == _plain_meta_charset(data)


def test_head_scan_on_the_dev_pages_is_the_plain_scan() -> None:
    # The shortcut on the pages of every fixture (the head scan runs on every page).
    for path in sorted(fixture_path("").rglob("*.htm*")):
        data = path.read_bytes()
        assert _meta_charset(data) == _plain_meta_charset(data), path


def test_utf8_with_a_stray_byte_is_utf8() -> None:
    # A truncated character or a pasted windows-1252 quote made the detector guess (cp1252
    # nearly always): the whole page was mojibake, or refused as such.
    for story in (RUSSIAN_STORY, JAPANESE, FRENCH):
        html = page(story, "script", None)
        data = html.encode().replace(b"</article>", b"\x92</article>")
        text, codec = decode_html(data)
        assert codec == "utf-8"
        assert text == html.replace("</article>", "\ufffd</article>")
        # declared UTF-8 with a stray byte: the same
        assert decode_html(data, "utf-8") == (text, codec)


def test_legacy_text_is_not_taken_for_utf8_with_stray_bytes() -> None:
    html = page(FRENCH, "style", None)
    text, codec = decode_html(html.encode("cp1252"))
    assert codec == "cp1252" and text == html
    # a page's own U+FFFD are valid UTF-8, not stray bytes
    few = "<p>" + "é" * 9 + "\ufffd" * 40 + "</p>"
    assert decode_html(few.encode() + b"\xff") == (few + "\ufffd", "utf-8")
