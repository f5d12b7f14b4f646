"""Shortcuts in the extractor that skip work give the answers of the work they skip.

Each one is checked against the plain computation it stands in front of, on generated input.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsarc.charset import decode_html, decode_html_utf8
from newsarc.extractor import body, extract, jsonld
from newsarc.extractor.defuse import MarkupLimits
from newsarc.extractor.precheck import plain
from newsarc.model import Page
from newsarc.pipeline import extract_page

# The characters the comment expression reacts to, and some others.
_BLOCK_TEXT = st.text(alphabet="\n \r\t\x0b\x0c\u2028\u00a0/x{};", max_size=40)


@settings(max_examples=3000, deadline=None)
@given(_BLOCK_TEXT)
def test_comment_edges_skipped_only_when_nothing_matches(text: str) -> None:
    assert jsonld._strip_comment_edges(text) == jsonld._JS_COMMENT_EDGES.sub("", text)


def test_comment_edges_are_removed() -> None:
    block = '//<![CDATA[\n{"@type": "NewsArticle"}\n  // ]]>\n'
    assert jsonld._strip_comment_edges(block) == '{"@type": "NewsArticle"}'
    assert jsonld._strip_comment_edges('{"url": "https://example.com/a"}') == (
        '{"url": "https://example.com/a"}'
    )


_LABELS = st.sampled_from([None, "utf-8", "UTF8", "iso-8859-1", "cp1251", "shift_jis", "ascii"])
_PAGE_BYTES = st.one_of(
    st.binary(max_size=60),
    st.text(max_size=40).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(max_size=40).map(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8", "surrogatepass")),
    st.text(alphabet="aé€<>", max_size=20).map(
        lambda t: b'<meta charset="cp1252">' + t.encode("cp1252", "replace")
    ),
)


@settings(max_examples=2000, deadline=None)
@given(_PAGE_BYTES, _LABELS)
def test_decode_html_utf8_is_decode_html(data: bytes, label: str | None) -> None:
    """The text is ``decode_html``'s; bytes come back only when they are its exact UTF-8."""
    text, utf8 = decode_html_utf8(data, label)
    assert text == decode_html(data, label)[0]
    if utf8 is not None:
        assert utf8 is data
        assert text.encode("utf-8") == data


def test_decode_html_utf8_gives_back_plain_utf8_pages() -> None:
    page = "<p>Grüße, “quoted” 東京</p>".encode()
    assert decode_html_utf8(page, None) == (page.decode(), page)
    assert decode_html_utf8(page, "iso-8859-1")[1] is page  # valid UTF-8 wins over the label
    assert decode_html_utf8(b"\xef\xbb\xbf" + page, None)[1] is None  # a BOM is not the text
    assert decode_html_utf8("<p>Grüße</p>".encode("cp1252"), None)[1] is None


def test_extract_page_reads_the_page_as_page_text() -> None:
    """``extract_page`` decodes as ``Page.text()`` does and extracts the same article."""
    story = "".join(
        f"<p>Paragraph {n} of the story, with words enough. Grüße.</p>" for n in range(12)
    )
    html = f"<html><body><article><h1>Story</h1>{story}</article></body></html>"
    for content, header in [
        (html.encode("utf-8"), "text/html; charset=utf-8"),
        (html.encode("cp1252"), "text/html; charset=iso-8859-1"),
        (b"\xef\xbb\xbf" + html.encode("utf-8"), "text/html"),
    ]:
        url = "https://example.com/a"
        page = Page(url, url, 200, {"Content-Type": header}, content, "2026-01-01T00:00:00+00:00")
        expected = extract(page.text(), url)
        expected.fetched_at = page.fetched_at
        assert extract_page(page) == expected


def test_only_ascii_letters_case_fold_to_the_end_tag_names() -> None:
    """What lets precheck read the page's UTF-8 instead of its text."""
    letters = re.compile("[bodyhtml]", re.IGNORECASE)
    folding = [chr(c) for c in range(0x80, 0x110000) if letters.fullmatch(chr(c))]
    assert folding == []


_TAIL_PIECES = ["</body>", "</HTML >", "</Body", "<!-- x -->", "<!-- é€ -->", "<!--", "-->"]
_PAGE_TAIL = st.lists(
    st.sampled_from([*_TAIL_PIECES, " ", "\n", "\f", "é", "\U0001f600", "<p>", "'", '"', "x"]),
    max_size=12,
).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_PAGE_TAIL)
def test_plain_reads_utf8_as_it_reads_text(tail: str) -> None:
    html = "<p>story</p>" + tail
    assert plain(html, utf8=html.encode("utf-8")) == plain(html)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["<b>", "</b>", "é", "<", "日本", "x", "\U0001f600"]), max_size=14))
def test_plain_counts_tags_in_utf8_as_in_text(pieces: list[str]) -> None:
    html = "<p>story</p>" + "".join(pieces)
    limits = MarkupLimits(max_elements=6, max_tags=8)
    assert plain(html, limits, utf8=html.encode("utf-8")) == plain(html, limits)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=" \t\n\r\u00a0\u3000\u2009\u200b\u202fab.", max_size=60))
def test_split_paragraphs_folds_only_what_changes(text: str) -> None:
    assert body._FOLD.sub(" ", text) == body._SPACES.sub(" ", text)
