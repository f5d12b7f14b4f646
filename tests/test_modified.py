"""When an article was last updated (``modified``): its sources, their order, and what is
not kept (fixtures/modified/, pages of our own)."""

from __future__ import annotations

from datetime import datetime, timezone

import lxml.html
import pytest

from newsarc.extractor import extract
from newsarc.extractor.dates import parse_date
from newsarc.extractor.metadata import extract_metadata
from newsarc.extractor.modified import META_KEYS, after, best_modified
from tests.conftest import fixture_path

URL = "https://news.example/2024/03/14/dredging"


def extracted(name: str) -> tuple[str | None, str | None]:
    """(published, modified) of a fixture page as extract() reads them."""
    article = extract(fixture_path(f"modified/{name}").read_bytes(), URL)
    return article.published, article.modified


@pytest.mark.parametrize(
    "name, published, modified",
    [
        # the JSON-LD article's own dateModified (fraction dropped, Z as +00:00), not the
        # WebPage's, the WebSite's, a part's, another story's or the meta tags'
        ("jsonld-priority", "2024-03-14T09:30:00+00:00", "2024-03-14T12:05:00+00:00"),
        # the WebPage item's, when the JSON-LD has no article (as for published)
        ("webpage-only", "2024-03-14T09:30:00+01:00", "2024-03-14T11:45:00+01:00"),
        # article:modified_time before og:updated_time, whatever their order in the page
        ("meta-tags", "2024-03-14T09:30:00+01:00", "2024-03-14T11:15:00+01:00"),
        # Dublin Core's day, completed by the time of that day from another meta tag
        ("dublin-core", "2024-03-14", "2024-03-15T08:20:00+01:00"),
        # <meta itemprop="dateModified"> in RFC 2822, with its GMT offset
        ("meta-itemprop", "2024-03-14T09:30:00+01:00", "2024-03-15T07:10:00+00:00"),
        # <time itemprop="dateModified"> in the article, not the asides' teaser dates
        ("time-itemprop", "2024-03-14T09:30:00+01:00", "2024-03-14T17:40:00+01:00"),
        # hAtom: WordPress's <time class="updated">
        ("hatom-updated", "2024-03-14T09:30:00+00:00", "2024-03-16T10:02:00+00:00"),
        # a live blog's own dateModified, not its posts'
        ("liveblog", "2024-03-14T08:00:00+01:00", "2024-03-14T17:25:00+01:00"),
        # a live blog without one: its newest plausible post (16:45Z is after 17:20+01:00)
        ("liveblog-updates-only", "2024-03-14T08:00:00+01:00", "2024-03-14T16:45:00+00:00"),
        # kept with the page's own offset: 13:05 UTC, after 12:30 UTC
        ("timezone", "2024-03-14T13:30:00+01:00", "2024-03-14T08:05:00-05:00"),
        # a template placeholder, zeros, a year 2099 and a word skipped for a real value
        ("garbage", "2024-03-14T09:30:00+01:00", "2024-03-15T08:00:00+01:00"),
        # earlier than published (a draft saved before a scheduled publication): dropped
        ("earlier", "2024-03-14T20:00:00+01:00", None),
        # the same instant as published, written in another offset: dropped
        ("equal", "2024-03-14T09:30:00+00:00", None),
        # 08:30 UTC is before 10:00 UTC, though its wall-clock time (11:30) is later
        ("timezone-earlier", "2024-03-14T10:00:00+00:00", None),
        # nothing but values no date can be read from, or implausible ones
        ("garbage-only", "2024-03-14T09:30:00+01:00", None),
        # no update time anywhere (an "Updated at 1:23 p.m." line has no day)
        ("none", "2024-03-14T09:30:00+01:00", None),
    ],
)
def test_fixture_page(name: str, published: str | None, modified: str | None) -> None:
    assert extracted(f"{name}.html") == (published, modified)


def head_page(head: str, body: str = "") -> str:
    return (
        f"<html><head><title>A story</title>{head}</head><body><article><h1>A story</h1>"
        f"{body}<p>Text of the story.</p></article></body></html>"
    )


def modified_of(html: str) -> str | None:
    tree = lxml.html.document_fromstring(html)
    return extract_metadata(tree, html, URL).modified


@pytest.mark.parametrize("key", META_KEYS)
@pytest.mark.parametrize("attribute", ["property", "name"])
def test_every_meta_key_is_read(key: str, attribute: str) -> None:
    # written as sites write them: any case
    meta = f'<meta {attribute}="{key.upper()}" content="2024-03-15T08:00:00+01:00">'
    published = '<meta property="article:published_time" content="2024-03-14T09:30:00+01:00">'
    assert modified_of(head_page(published + meta)) == "2024-03-15T08:00:00+01:00"
    assert modified_of(head_page(published)) is None


def test_the_meta_tags_come_after_the_json_ld_and_before_the_elements() -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A story",'
        ' "datePublished": "2024-03-14T09:30:00Z", "dateModified": "2024-03-14T10:00:00Z"}'
        "</script>"
    )
    meta = '<meta property="article:modified_time" content="2024-03-14T11:00:00Z">'
    time = '<time itemprop="dateModified" datetime="2024-03-14T12:00:00Z">12:00</time>'
    assert modified_of(head_page(ld + meta, time)) == "2024-03-14T10:00:00+00:00"
    assert modified_of(head_page(ld.replace("dateModified", "x") + meta, time)) == (
        "2024-03-14T11:00:00+00:00"
    )
    assert modified_of(head_page(ld.replace("dateModified", "x"), time)) == (
        "2024-03-14T12:00:00+00:00"
    )


def test_best_modified_judges_against_the_published_date_it_is_given() -> None:
    metas = {"article:modified_time": ["2024-03-14T11:00:00+01:00"]}
    tree = lxml.html.document_fromstring(head_page(""))
    now = datetime(2024, 3, 20, tzinfo=timezone.utc)
    assert best_modified(None, None, metas, tree, None, now) == "2024-03-14T11:00:00+01:00"
    assert best_modified(None, None, metas, tree, "2024-03-14T10:59:59+01:00", now) == (
        "2024-03-14T11:00:00+01:00"
    )
    assert best_modified(None, None, metas, tree, "2024-03-14T11:00:00+01:00", now) is None
    # not after tomorrow: a clock or a template gone wrong
    early = datetime(2024, 3, 12, tzinfo=timezone.utc)
    assert best_modified(None, None, metas, tree, None, early) is None


@pytest.mark.parametrize(
    "modified, published, later",
    [
        ("2024-03-14T10:00:01+00:00", "2024-03-14T10:00:00+00:00", True),
        ("2024-03-14T10:00:00+00:00", "2024-03-14T10:00:00+00:00", False),
        ("2024-03-14T11:00:00+01:00", "2024-03-14T10:00:00+00:00", False),  # the same instant
        ("2024-03-14T09:00:00-05:00", "2024-03-14T12:00:00+00:00", True),  # 14:00 UTC
        ("2024-03-14T12:00:00+03:00", "2024-03-14T10:00:00+00:00", False),  # 09:00 UTC
        # one without an offset: wall-clock times compare
        ("2024-03-14T10:30:00", "2024-03-14T10:00:00+01:00", True),
        ("2024-03-14T09:30:00", "2024-03-14T10:00:00+01:00", False),
        ("2024-03-14T10:30:00+05:00", "2024-03-14T10:00:00", True),
        # a day alone: later only on a later day
        ("2024-03-15", "2024-03-14T23:00:00+00:00", True),
        ("2024-03-14", "2024-03-14T09:00:00+00:00", False),
        ("2024-03-14", "2024-03-14", False),
        ("2024-03-13", "2024-03-14", False),
        # a time on the published day alone says more than the day
        ("2024-03-14T00:05:00+00:00", "2024-03-14", True),
        ("2024-03-13T23:55:00+00:00", "2024-03-14", False),
    ],
)
def test_after(modified: str, published: str, later: bool) -> None:
    mine, theirs = parse_date(modified), parse_date(published)
    assert mine is not None and theirs is not None
    assert after(mine, theirs) is later


def test_a_nested_or_related_article_never_lends_its_date() -> None:
    # the page's article has no dateModified; a related story in its own block does
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A story",'
        f' "url": "{URL}", "datePublished": "2024-03-14T09:30:00Z",'
        ' "relatedLink": {"@type": "NewsArticle", "headline": "Another",'
        ' "datePublished": "2024-03-10T09:00:00Z", "dateModified": "2024-03-16T09:00:00Z"}}'
        '</script><script type="application/ld+json">{"@type": "NewsArticle",'
        ' "headline": "Other story", "url": "https://news.example/other",'
        ' "datePublished": "2024-03-12T09:00:00Z", "dateModified": "2024-03-17T09:00:00Z"}'
        "</script>"
    )
    assert modified_of(head_page(ld)) is None


def test_an_update_time_in_a_related_posts_section_is_another_storys() -> None:
    """A "related posts" block's ``<time class="updated">`` is the other post's time; the
    same element in the article is this one's."""
    head = '<meta property="article:published_time" content="2026-12-01T08:00:00+00:00">'
    time = '<time class="entry-date updated" datetime="2026-12-06T08:00:00+00:00">6 Dec</time>'
    assert modified_of(head_page(head, f"<p>{time}</p>")) == "2026-12-06T08:00:00+00:00"
    related = f'<section class="related-posts"><h2>More</h2><p>{time}</p></section>'
    assert modified_of(head_page(head, related)) is None


@pytest.mark.parametrize(
    ("dateline", "modified"),
    [
        ("Veröffentlicht: 15.03.2024, 14:30 Uhr · Aktualisiert: 16.03.2024, 09:12 Uhr",
         "2024-03-16T09:12:00"),
        ("Publié le 15 mars 2024 à 14h30, mis à jour le 16 mars 2024 à 09h12",
         "2024-03-16T09:12:00"),
        ("Posted: Fri 6:45 PM, Mar 15, 2024 | Updated: Sat 8:31 PM, Mar 16, 2024",
         "2024-03-16T20:31:00"),
        # no day: nothing to go by
        ("Published 15 March 2024 · Updated 2 hours ago", None),
        ("Published 15 March 2024 · Updated at 1:23 p.m.", None),
    ],
)  # fmt: skip
def test_an_update_written_in_the_dateline(dateline: str, modified: str | None) -> None:
    """A labelled update with its day under the headline, when the markup declares none (the
    address gives the publication day, 14 March)."""
    story = "".join(
        "<p>The council voted on the harbour budget after a long debate, and residents who"
        " attended the meeting were divided over the plan for the sea wall repairs.</p>"
        for _ in range(3)
    )
    html = (
        "<html><head><title>Budget</title></head><body><article><h1>Budget</h1>"
        f'<p class="meta">{dateline}</p>{story}</article></body></html>'
    )
    assert modified_of(html) == modified
