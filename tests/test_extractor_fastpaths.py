"""The extractor's fast paths give the answers of the plain ways they replaced.

Each speed-up (bytes parsing, a plain element class, rules tried inline, walks in Python
instead of XPath, a short language sample first, reused trafilatura options) is checked here
against the straightforward computation, so a later change to either side shows up.
"""

from __future__ import annotations

import re

import lxml.html
import pytest
import trafilatura
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarc.charset import decode_html
from newsarc.errors import ExtractError
from newsarc.extractor import language
from newsarc.extractor.article import extract, parse_html
from newsarc.extractor.body import _menu_like, _trafilatura, split_paragraphs
from newsarc.extractor.boilerplate import RULES
from newsarc.extractor.markupbyline import byline_elements
from newsarc.extractor.paragraphs import headline_like
from newsarc.extractor.prune import drop_textless
from newsarc.extractor.rulematch import matching_rule
from newsarc.extractor.sections import _crumb_containers
from newsarc.extractor.stamps import publication_times
from newsarc.extractor.standins import furniture_set_aside
from newsarc.extractor.textprint import fingerprint
from tests.conftest import FIXTURES

URL = "https://news.example.com/world/2024/05/story"
STORY = " ".join(
    f"Sentence {n} of the story tells the council what the workers decided on Thursday."
    for n in range(12)
)

# --- parsing ---------------------------------------------------------------------------


def test_control_characters_and_noncharacters_are_dropped_before_parsing() -> None:
    tree = parse_html("<p>a\x00b\x01c\ufffed\uffffe\x1ff\tg\r\nh</p>", URL)
    assert tree.findtext(".//p") == "abcdef\tg\nh"


@given(st.text(alphabet="ab \x00\x01\x08\x0b\x0c\x1f\x7f\t\n\r\u00e9\ufffe", max_size=40))
def test_parsing_drops_exactly_the_control_characters_libxml2_rejects(text: str) -> None:
    kept = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe]", "", text)
    expected = lxml.html.tostring(parse_html(f"<p>x{kept}</p>", URL))
    assert lxml.html.tostring(parse_html(f"<p>x{text}</p>", URL)) == expected


@pytest.mark.parametrize(
    "prolog",
    [
        '<?xml version="1.0" encoding="iso-8859-1"?>',
        '<meta charset="iso-8859-1">',
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
        '<meta charset="utf-16">',
    ],
)
def test_decoded_text_is_not_decoded_again_by_a_declared_charset(prolog: str) -> None:
    text = "Café – naïve “quotes” 日本語 Привет"
    tree = parse_html(f"{prolog}<html><head>{prolog}</head><body><p>{text}</p></body></html>", URL)
    assert tree.findtext(".//p") == text


@pytest.mark.parametrize("html", ["", "   \n\t ", "\x00\x01 \x02", '<?xml version="1.0"?>  '])
def test_pages_without_markup_or_text_are_refused(html: str) -> None:
    with pytest.raises(ExtractError):
        parse_html(html, URL)


def test_every_element_is_a_plain_html_element() -> None:
    tree = parse_html('<form><input name="q"><select><option>a</option></select></form>', URL)
    assert {type(e) for e in tree.iter()} == {lxml.html.HtmlElement}
    assert tree.find(".//input").text_content() == ""


# --- trafilatura with reused options ----------------------------------------------------


def test_reused_trafilatura_options_give_the_text_of_explicit_ones() -> None:
    page = f"""<html><body><nav><a href="/">Home</a></nav><article><h1>Council vote</h1>
        <p>{STORY}</p><table><tr><td>Votes for</td><td>12</td></tr></table>
        <p>Second paragraph with <b>bold</b> words and a <a href="/x">link</a> in it.</p>
        </article><footer>Contact us</footer></body></html>"""
    explicit = trafilatura.bare_extraction(
        parse_html(page, URL),
        url=URL,
        with_metadata=False,
        fast=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
    )
    assert explicit is not None
    lines = _trafilatura(parse_html(page, URL), URL, fast=True)
    assert lines.texts == split_paragraphs(explicit.text)
    assert lines.headings == [0, None, None, None]  # the <h1>, then two paragraphs and a row
    assert _trafilatura(parse_html(page, URL), "https://other.example.org/", fast=True).texts


# --- asides and footers set aside while trafilatura runs -----------------------------------

_FURNISHED = f"""<html><head><title>Vote</title></head><body>
    <header><a href="/">Home</a></header>
    <aside class="share">Share this <a href="/s">now</a><aside>Inner</aside></aside>after aside
    <article><h1>Council vote</h1><p>{STORY}</p>
    <aside class="pullquote"><p>A quote pulled out of the story for the reader.</p></aside>
    tail of the pull quote
    <p>Second paragraph with <b>bold</b> words in it, and more words to read here.</p>
    <footer class="entry-footer"><a href="https://elsewhere.example.org/a">Source link</a></footer>
    </article>
    <footer><p>Contact us</p><aside>Nested aside</aside></footer>after footer
    </body></html>"""


def test_set_aside_swaps_outermost_asides_and_footers_and_restores_the_tree() -> None:
    tree = parse_html(_FURNISHED, URL)
    before = lxml.html.tostring(tree)
    with furniture_set_aside(tree) as swapped:
        assert swapped == 4  # the nested aside of the first and the one in the last footer go along
        stand_ins = list(tree.iter("aside", "footer"))
        assert [len(e) for e in stand_ins] == [0, 0, 0, 0]
        assert [e.text for e in stand_ins] == [None] * 4
        assert [(e.tail or "").split()[:2] for e in stand_ins] == [
            ["after", "aside"],
            ["tail", "of"],
            [],
            ["after", "footer"],
        ]
        assert "Source link" not in tree.text_content()
    assert lxml.html.tostring(tree) == before


def test_set_aside_restores_the_tree_when_the_block_fails() -> None:
    tree = parse_html(_FURNISHED, URL)
    before = lxml.html.tostring(tree)
    with pytest.raises(RuntimeError), furniture_set_aside(tree):
        raise RuntimeError("trafilatura failed")
    assert lxml.html.tostring(tree) == before


def test_set_aside_keeps_an_aside_with_json_ld_and_pages_without_a_free_paragraph() -> None:
    json_ld = '<script type="application/ld+json">{"articleBody": "text"}</script>'
    tree = parse_html(f"<body><p>{STORY}</p><footer>{json_ld}</footer><aside>x</aside></body>", URL)
    with furniture_set_aside(tree) as swapped:
        assert swapped == 1
        assert tree.find(".//footer/script") is not None
    # Every paragraph inside elements trafilatura deletes: its recall mode keeps them all.
    tree = parse_html(f"<body><nav><p>{STORY}</p></nav><aside><p>{STORY}</p></aside></body>", URL)
    with furniture_set_aside(tree) as swapped:
        assert swapped == 0


def _fast_lines(html: str, *, set_aside: bool) -> tuple[list[str], list[int | None]]:
    tree = parse_html(html, URL)
    drop_textless(tree)
    if not set_aside:
        lines = _trafilatura(tree, URL, fast=True)
    else:
        with furniture_set_aside(tree):
            lines = _trafilatura(tree, URL, fast=True)
    return lines.texts, lines.headings


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "pages").glob("*.html")))
def test_trafilatura_extracts_the_same_text_with_asides_and_footers_set_aside(name: str) -> None:
    html, _ = decode_html((FIXTURES / "pages" / name).read_bytes())
    assert _fast_lines(html, set_aside=True) == _fast_lines(html, set_aside=False)


def test_set_aside_asides_are_all_dropped_even_after_a_nested_one() -> None:
    # trafilatura deletes asides while iterating over them: once it has deleted one that holds
    # another, it stops, and a later aside (here a pull quote) stays in the body. Stand-ins hold
    # nothing, so every aside goes, as on the same page without the nesting.
    texts, _ = _fast_lines(_FURNISHED, set_aside=False)
    assert "A quote pulled out of the story for the reader." in texts
    texts, _ = _fast_lines(_FURNISHED, set_aside=True)
    assert "A quote pulled out of the story for the reader." not in texts
    assert "tail of the pull quote" in texts
    flat, _ = _fast_lines(_FURNISHED.replace("<aside>Inner</aside>", ""), set_aside=False)
    assert flat == texts


# --- text helpers -----------------------------------------------------------------------


@given(st.text(alphabet=" \t\u00a0\u3000\u2009\u200bab.\n\ré\u2028", max_size=60))
def test_split_paragraphs_folds_spacing_like_the_regular_expression(text: str) -> None:
    expected = [" ".join(_fold(line).split(" ")).strip() for line in text.splitlines()]
    assert split_paragraphs(text) == [line for line in expected if line]


def _fold(line: str) -> str:
    out: list[str] = []
    for char in line:
        spacing = char in " \t\u00a0\u202f\u205f\u3000" or "\u2000" <= char <= "\u200b"
        if not (spacing and out and out[-1] == " "):
            out.append(" " if spacing else char)
    return "".join(out)


def test_long_texts_get_the_same_fingerprint_as_short_ones() -> None:
    paragraph = "“Hello,” she said — ＨＥＬＬＯ! "
    long_text = paragraph * 200  # past the remembered length
    assert len(long_text) > 2000
    assert fingerprint(long_text) == " ".join([fingerprint(paragraph)] * 200)


PIECES = [
    "Read more:",
    "Follow us on Twitter",
    "By Jane Smith",
    "Advertisement",
    "Share this article",
    "Source: AP",
    "Tags: politics, vote",
    "Photo: Getty Images",
    "Updated 10:30 a.m.",
    "Sign up for our newsletter",
    "Click here",
    "[VIDEO]",
    "comments",
    "More:",
    "RELATED:",
    "the council voted",
    "on Thursday.",
    "—",
    "12",
]


@settings(max_examples=300)
@given(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=6),
    st.integers(min_value=0, max_value=12),
    st.integers(min_value=1, max_value=12),
)
def test_matching_rule_is_the_first_rule_that_matches(
    pieces: list[str], index: int, total: int
) -> None:
    paragraph = " ".join(pieces)
    index = min(index, total - 1)
    expected = next((r for r in RULES if r.matches(paragraph.strip(), index, total)), None)
    assert matching_rule(paragraph, index, total) is expected


def test_chinese_and_japanese_prose_is_not_a_menu_but_their_navigation_is() -> None:
    prose = [
        f"新華社北京4月24日電 第{n}段落では、会議の決定について詳しく伝えている。"
        for n in range(14)
    ]
    navigation = ["政治", "経済", "国際", "社会", "スポーツ", "文化", "科学"] * 2
    assert not _menu_like(prose)
    assert _menu_like(navigation)
    assert _menu_like(["Home", "World", "Business news", "Sport", "Contact us"] * 3)
    assert not _menu_like([STORY] * 14)


# --- metadata walks -----------------------------------------------------------------------


def test_byline_candidates_come_in_page_order_whatever_the_case_of_the_class() -> None:
    tree = parse_html(
        """<html><body><a rel="author" href="/p/1">One</a>
        <div class="ByLine-Wrapper">Two</div><span itemprop="author">Three</span>
        <a href="/author/four">Four, outside any article</a>
        <article><a href="/autoren/five">Five</a><p class="AUTOR">Six</p></article>
        <p class="authoritative">Seven</p><p class="other">Not a byline</p></body></html>""",
        URL,
    )
    texts = [e.text_content() for e in byline_elements(tree)]
    assert texts == ["One", "Two", "Three", "Five", "Six", "Seven"]


def test_byline_candidates_are_bounded() -> None:
    tree = parse_html("<body>" + '<span class="author">x</span>' * 100 + "</body>", URL)
    assert len(byline_elements(tree)) == 60


def test_breadcrumb_containers_are_the_first_three_in_any_case() -> None:
    tree = parse_html(
        """<body><span class="breadcrumb">not a container tag</span>
        <nav aria-label="BreadCrumb">1</nav><ol id="Breadcrumbs">2</ol>
        <div class="site-BREADCRUMB">3</div><ul class="breadcrumb">4</ul></body>""",
        URL,
    )
    assert [e.text_content() for e in _crumb_containers(tree)] == ["1", "2", "3"]


def test_time_elements_marked_first_then_in_article_and_after_h1_in_page_order() -> None:
    tree = parse_html(
        """<body><time datetime="2020-01-01">before</time>
        <h1>Title <time datetime="2020-01-02">inside the h1</time></h1>
        <time datetime="2020-01-03">after the h1</time>
        <article><time datetime="2020-01-04">in the article</time>
        <time class="published" datetime="2020-01-05">marked</time></article></body>""",
        URL,
    )
    assert publication_times(tree) == ["2020-01-05", "2020-01-03", "2020-01-04"]


def test_one_time_element_both_in_article_and_after_h1_counts_once() -> None:
    tree = parse_html(
        '<body><h1>T</h1><article><time datetime="2020-01-04">x</time></article></body>', URL
    )
    assert publication_times(tree) == ["2020-01-04"]


def test_page_text_reads_article_paragraphs_once_then_main_then_all() -> None:
    long = "x" * 40
    nested = parse_html(
        f"<body><p>{long}a</p><article><p>{long}b</p><article><p>{long}c</p></article>"
        f"</article><main><p>{long}d</p></main></body>",
        URL,
    )
    assert language.page_text(nested) == f"{long}b {long}c"
    no_article = parse_html(
        f"<body><p>{long}a</p><article><p>short</p></article><main><p>{long}d</p></main></body>",
        URL,
    )
    assert language.page_text(no_article) == ""  # <article> has paragraphs, all too short
    plain = parse_html(f"<body><p>{long}a</p><div><p>{long}b</p></div></body>", URL)
    assert language.page_text(plain) == f"{long}a {long}b"


# --- language ------------------------------------------------------------------------------

SWAHILI = (
    "Watu kumi na nane wamekamatwa kwa makosa mbalimbali katika operesheni iliyofanywa na "
    "jeshi la polisi mkoani humo wiki hii, kwa mujibu wa taarifa iliyotolewa na kamanda wa "
    "polisi wa mkoa. Amesema operesheni hiyo itaendelea hadi hali ya usalama itakapoimarika "
    "na wananchi waendelee kutoa taarifa za uhalifu."
)


def test_text_that_agrees_with_the_markup_keeps_the_declared_language() -> None:
    assert language.best_language(["en"], STORY) == "en"
    assert language.best_language(["nb"], "Dette er en tekst på dansk. " * 20) == "nb"


def test_confident_text_in_another_language_still_overrules_the_markup() -> None:
    assert language.best_language(["en"], SWAHILI) == "sw"
    assert language.best_language(["en"], SWAHILI[:150]) == "en"  # too short to overrule
    assert language.best_language([], SWAHILI) == "sw"
    assert language.best_language(["en", "sw"], SWAHILI) == "sw"


def test_detection_reads_the_text_it_would_read_folded_whole() -> None:
    spaced = ("  \n\t " * 3000) + SWAHILI
    assert language.detect(spaced) == language.detect(" ".join(spaced.split()))
    assert language.detect(SWAHILI, 60) == language.detect(" ".join(SWAHILI.split())[:60], 60)


@pytest.mark.parametrize("extra", [-1, 0, 1, 2])
def test_matching_rule_counts_words_up_to_the_longest_rule(extra: int) -> None:
    longest = max(r.max_words for r in RULES)
    opening = "If you enjoyed this story, please consider supporting us"
    paragraph = opening + " now" * (longest + extra - len(opening.split()))
    expected = next((r for r in RULES if r.matches(paragraph, 3, 10)), None)
    assert (expected is None) == (extra > 0)
    assert matching_rule(paragraph, 3, 10) is expected


@pytest.mark.parametrize("words", [19, 20, 21, 22])
def test_headline_like_counts_words_up_to_its_limit(words: int) -> None:
    assert headline_like(" ".join(["word"] * words)) == (words <= 20)


@pytest.mark.parametrize("extra", [0, 1])
def test_a_script_notice_is_at_most_sixty_words(extra: int) -> None:
    notice = "Please enable JavaScript to read this article. " + "More words here. " * 16
    notice += "word " * (60 - len(notice.split()) + extra)
    html = f"<html><body><article><p>{notice}</p></article></body></html>"
    if extra:
        assert "enable JavaScript" in extract(html, URL).body
    else:
        with pytest.raises(ExtractError, match="needs JavaScript"):
            extract(html, URL)
