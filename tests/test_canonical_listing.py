"""A canonical link that names the home page or a section front above the article is not the
article's canonical address (misconfigured themes give it to every article); an AMP, print or
page-number view's link to its article is."""

from __future__ import annotations

import pytest

from newsarc.extractor import extract
from newsarc.extractor.canonical import names_a_listing

STORY = "<p>" + "The harbour board met on Tuesday to discuss the new ferry timetable. " * 6 + "</p>"


@pytest.mark.parametrize(
    ("declared", "url", "listing"),
    [
        ("https://s.example/", "https://s.example/news/2024/05/story", True),
        ("https://www.s.example/news/", "https://s.example/news/2024/05/story", True),
        ("https://s.example/news/story/", "https://s.example/news/story/amp/", False),
        ("https://s.example/news/story", "https://s.example/news/story/print", False),
        ("https://s.example/news/story", "https://s.example/news/story/2", False),
        ("https://s.example/news/story", "https://s.example/news/story/page/3", False),
        ("https://s.example/story", "https://s.example/amp/story", False),
        ("https://s.example/news/story", "https://s.example/news/story", False),
        ("https://other.example/", "https://s.example/news/story", False),
        ("https://s.example/?p=123", "https://s.example/story", False),
    ],
)
def test_names_a_listing(declared: str, url: str, listing: bool) -> None:
    assert names_a_listing(declared, url) is listing


def page(canonical: str, og_url: str | None = None) -> str:
    og = f'<meta property="og:url" content="{og_url}">' if og_url else ""
    return (
        f'<html><head><title>Ferry timetable</title><link rel="canonical" href="{canonical}">'
        f"{og}</head><body><article><h1>Ferry timetable</h1>{STORY * 3}</article></body></html>"
    )


def test_a_home_page_canonical_is_not_the_articles() -> None:
    url = "https://harbour.example/news/2024/05/ferry-timetable"
    assert extract(page("https://harbour.example/"), url).canonical_url is None


def test_og_url_is_taken_when_the_canonical_link_names_a_listing() -> None:
    url = "https://harbour.example/news/2024/05/ferry-timetable?utm_source=x"
    own = "https://harbour.example/news/2024/05/ferry-timetable"
    article = extract(page("https://harbour.example/news/", og_url=own), url)
    assert article.canonical_url == own


def test_an_amp_views_canonical_is_kept() -> None:
    own = "https://harbour.example/news/ferry-timetable/"
    assert extract(page(own), own + "amp/").canonical_url == own
