"""extractor/listing.py: which pages are front or section listings, sign by sign."""

from __future__ import annotations

import lxml.html
import pytest

from newsarc.extractor.listing import listing_reason, page_kind, teaser_texts

URL = "https://news.example/section/news"


@pytest.mark.parametrize(
    ("metas", "article", "webpage", "addresses", "kind"),
    [
        ({"og:type": ["website"]}, None, None, [URL], "listing"),
        ({"og:type": ["Article"]}, None, None, ["https://news.example/"], "article"),
        ({"og:type": ["website"]}, {"@type": "NewsArticle"}, None, [URL], "article"),
        ({}, None, {"@type": "CollectionPage"}, [URL], "listing"),
        ({}, None, {"@type": "WebPage"}, [URL], None),
        ({}, None, None, ["https://news.example/", URL], "listing"),
        ({}, None, None, ["https://news.example/?page=2"], None),
        ({}, None, None, [URL], None),
    ],
)
def test_page_kind(metas, article, webpage, addresses, kind) -> None:  # type: ignore[no-untyped-def]
    assert page_kind(metas, article, webpage, addresses) == kind


def test_teasers_are_linked_headings_outside_the_chrome() -> None:
    tree = lxml.html.fromstring(
        "<html><body><nav><h3><a href='/sport/'>Sport</a></h3></nav>"
        "<div class='card'><h3><a href='/news/a'>A opens</a></h3><p>Blurb of a.</p></div>"
        "<ul><li><a href='/news/b'><h4>B closes</h4></a><p>Blurb of b.</p></li>"
        "<li><h4><a href='#comments'>Comments</a></h4></li>"
        "<li><h4><a href='/section/news'>This page</a></h4></li></ul>"
        "<aside><h3><a href='/news/c'>C elsewhere</a></h3></aside></body></html>"
    )
    # the list holds one teaser: its other headings link to this page
    assert teaser_texts(tree, URL) == [
        "A opens Blurb of a.",
        "B closes Blurb of b. Comments This page",
    ]


def test_a_teaser_never_takes_in_another_teaser_or_a_long_text() -> None:
    long_text = " ".join(["word"] * 120)
    tree = lxml.html.fromstring(
        f"<html><body><article><p>{long_text}</p>"
        "<div><h3><a href='/news/a'>A</a></h3><p>a.</p></div>"
        "<div><h3><a href='/news/b'>B</a></h3><p>b.</p></div></article>"
        f"<div><p>{long_text}</p><h3><a href='/news/c'>C</a></h3></div></body></html>"
    )
    assert teaser_texts(tree, URL) == ["A a.", "B b.", "C"]


def test_listing_reason_needs_three_teasers_holding_half_the_words() -> None:
    teasers = ["A opens the fair today", "B closes the road", "C wins the cup final"]
    body = "A opens the fair today\n\nB closes the road\n\nC wins the cup final"
    assert listing_reason(body, teasers[:2]) is None
    reason = listing_reason(body, teasers)
    assert reason is not None and "3 teasers" in reason and "100%" in reason
    own = "The council met on Tuesday and voted on the budget for next year after a long debate"
    assert listing_reason(f"{own}\n\n{body}", teasers) is None  # 13 of 30 words
    assert listing_reason("", teasers) is None
