"""The metadata's cheaper paths (session 16): sources read only when the ones before them leave
the question open, walks that stop or are shared, and the same answers as before."""

from __future__ import annotations

import json

import lxml.etree
import lxml.html
import pytest

from newsarc.extractor import authors as author_rules
from newsarc.extractor import markupbyline, sections, stamps, topics
from newsarc.extractor.headline import choose_headline
from newsarc.extractor.metadata import extract_metadata
from newsarc.extractor.tagged import Tagged
from newsarc.extractor.titles import clean_text

URL = "https://news.example.org/2025/03/harbour-plan"
TEXT = "<p>The council voted on Tuesday to back the plan for the harbour, after a debate.</p>" * 3


def _page(head: str = "", body: str = "") -> str:
    return f"<html><head><title>Harbour plan backed</title>{head}</head><body>{body}</body></html>"


def _meta(html: str):  # type: ignore[no-untyped-def]
    return extract_metadata(lxml.html.document_fromstring(html), html, URL)


def _ld(item: dict[str, object]) -> str:
    return f'<script type="application/ld+json">{json.dumps(item)}</script>'


def test_meta_authors_not_read_when_the_json_ld_names_a_person(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unread(metas: dict[str, list[str]]) -> list[list[str]]:
        raise AssertionError("meta authors read")

    monkeypatch.setattr(author_rules, "from_meta", unread)
    head = _ld({"@type": "NewsArticle", "headline": "Harbour plan", "author": "Dana Kim"})
    head += '<meta name="author" content="Lee Park">'
    assert _meta(_page(head, f"<article><h1>Harbour plan</h1>{TEXT}</article>")).authors == [
        "Dana Kim"
    ]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        # the JSON-LD names only the site: the meta author's person wins
        (
            _ld({"@type": "NewsArticle", "author": {"@type": "Organization", "name": "News"}})
            + '<meta property="og:site_name" content="News">'
            + '<meta name="author" content="Lee Park">',
            ["Lee Park"],
        ),
        # only the site everywhere: the byline below the headline
        (
            _ld({"@type": "NewsArticle", "author": {"@type": "Organization", "name": "News"}})
            + '<meta property="og:site_name" content="News">',
            ["Dana Kim"],
        ),
    ],
)
def test_a_site_named_as_author_gives_way_to_a_later_source(head: str, expected: list[str]) -> None:
    body = f'<article><h1>Harbour plan</h1><p class="byline">By Dana Kim</p>{TEXT}</article>'
    assert _meta(_page(head, body)).authors == expected


def test_byline_reading_stops_past_the_first_bylines_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    teasers = "".join(
        f'<div class="teaser"><span class="author">Writer {n}</span></div>' for n in range(5)
    )
    body = (
        '<article><h1>Harbour plan</h1><div class="meta"><span class="author">Dana Kim</span>'
        f'<span class="author">Lee Park</span></div>{TEXT}</article>{teasers}'
    )
    tree = lxml.html.document_fromstring(_page(body=body))
    seen: list[str] = []
    real = markupbyline.in_chrome

    def spy(element: lxml.html.HtmlElement, **kwargs: bool) -> bool:
        seen.append(element.text_content())
        return real(element, **kwargs)

    monkeypatch.setattr(markupbyline, "in_chrome", spy)
    assert markupbyline.from_markup(tree) == ["Dana Kim", "Lee Park"]
    assert seen == ["Dana Kim", "Lee Park"]  # the teasers' authors are never looked at
    assert markupbyline.from_markup(tree, Tagged(tree)) == ["Dana Kim", "Lee Park"]


def test_tagged_elements_and_microdata_are_the_walks() -> None:
    html = _page(
        '<meta itemprop="datePublished" content="2025-03-04">',
        '<article itemscope><span itemprop="dateModified" content="2025-03-05">5 March</span>'
        '<span itemprop="author">Dana Kim</span></article>',
    )
    tree = lxml.html.document_fromstring(html)
    tagged = Tagged(tree)
    assert tagged.elements() == list(tree.iter(lxml.etree.Element))
    assert tagged.microdata() == [e for e in tree.iter() if e.get("itemprop") is not None]
    assert [e.get("itemprop") for e in tagged.microdata()] == [
        "datePublished",
        "dateModified",
        "author",
    ]


def test_microdata_dates_are_read_from_elements() -> None:
    body = (
        '<article><h1>Harbour plan</h1><span itemprop="datePublished" content="2025-03-04T09:00">'
        '4 March</span><span itemprop="dateModified" content="2025-03-06T10:00">6 March</span>'
        f"{TEXT}</article>"
        '<aside><span itemprop="dateModified" content="2025-04-01">x</span></aside>'
    )
    meta = _meta(_page(body=body))
    assert (meta.published, meta.modified) == ("2025-03-04T09:00:00", "2025-03-06T10:00:00")


def test_page_texts_not_read_for_a_list_of_names(monkeypatch: pytest.MonkeyPatch) -> None:
    def unread(*args: object) -> list[list[str]]:
        raise AssertionError("page texts read")

    monkeypatch.setattr(topics, "_page_texts", unread)
    names = "Dana Kim, Lee Park, Harbour Board, City Hall, Port Town"
    head = f'<meta name="keywords" content="{names}">'
    found = _meta(_page(head, f"<article><h1>Harbour plan</h1>{TEXT}</article>")).topics
    assert found == ["Dana Kim", "Lee Park", "Harbour Board", "City Hall", "Port Town"]


def test_tag_lists_read_only_for_a_section_written_as_a_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unread(*args: object) -> list[set[str]]:
        raise AssertionError("tag lists read")

    monkeypatch.setattr(sections, "_tag_lists", unread)
    head = '<meta property="article:section" content="Politics">'
    head += '<meta property="article:tag" content="Harbour">'
    assert _meta(_page(head, f"<article><h1>Harbour plan</h1>{TEXT}</article>")).section == (
        "Politics"
    )


@pytest.mark.parametrize(
    "texts",
    [
        ["Harbour plan backed by the council after a long debate…"] * 4,
        ["Harbour plan backed"] * 3,
        ["Harbour plan backed", "Harbour plan backed", "Harbour  plan backed"],
    ],
)
def test_unanimous_titles_give_their_text(texts: list[str]) -> None:
    h1, og, ld, title = (texts + [texts[-1]])[:4]
    assert choose_headline([h1], og, ld, title, None, {"newsexampleorg"}) == clean_text(texts[0])


def test_htmldate_copy_drops_the_same_parts() -> None:
    html = _page(
        body='<div id="wrap"><article><h1>Harbour plan</h1><p>Text <time datetime="2025-03-04">'
        "4 March</time> tail</p></article>"
        '<div class="related-posts"><div class="comments">c</div>after</div>tail one'
        '<aside><p>aside</p></aside>tail two<nav class="teaser">n</nav></div>'
    )
    tree = lxml.html.document_fromstring(html)
    before = lxml.etree.tostring(tree)
    copy = stamps.without_elsewhere(tree)
    shared = stamps.without_elsewhere(tree, Tagged(tree))
    assert lxml.etree.tostring(tree) == before  # the page itself is left untouched
    assert lxml.etree.tostring(copy) == lxml.etree.tostring(shared)
    text = copy.text_content()
    assert "tail one" in text and "tail two" in text and "Harbour plan" in text
    assert "aside" not in text and "after" not in text


@pytest.mark.parametrize("text", ["plain  text ", "soft\u00adhyphen", "zero\u200bwidth  x", ""])
def test_clean_text_folds_and_drops_invisible_characters(text: str) -> None:
    assert clean_text(text) == " ".join(text.replace("\u00ad", "").replace("\u200b", "").split())
