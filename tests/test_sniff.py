"""Telling a feed from a sitemap or an HTML page by its bytes (QA session 9, findings 7 and 8)."""

from __future__ import annotations

import gzip
import json

import pytest

from newsarc.sources.sniff import looks_like_feed, looks_like_sitemap
from tests.conftest import fixture_path


def _fixture(name: str) -> bytes:
    return fixture_path(name).read_bytes()


def _old_feed(content: bytes) -> bool:
    """What ``_looks_like_feed`` answered before: hints in the first 4 KB."""
    head = content[:4096].lower()
    return b"<html" not in head and any(h in head for h in (b"<rss", b"<feed", b"<rdf:rdf"))


def _old_sitemap(content: bytes) -> bool:
    """What ``_looks_like_sitemap`` answered before: any gzip, or hints in the first 4 KB."""
    head = content[:4096].lower()
    return content[:2] == b"\x1f\x8b" or any(h in head for h in (b"<urlset", b"<sitemapindex"))


FEEDS = ["feeds/rss20.xml", "feeds/atom.xml", "feeds/rss10.rdf", "feeds/rss091.xml"]
FEEDS += ["feeds/malformed.xml", "ingest/atom.xml", "ingest/rss1.rdf"]
SITEMAPS = ["sitemaps/index.xml", "sitemaps/news.xml", "sitemaps/urlset.xml"]
SITEMAPS += ["ingest/sitemap-index.xml", "ingest/news-sitemap.xml", "ingest/sitemap-recent.xml"]
PAGES = ["feeds/homepage.html", "feeds/article.html", "ingest/homepage.html"]
PAGES += ["ingest/article.html", "ingest/seed-original.html"]


@pytest.mark.parametrize("name", FEEDS + SITEMAPS + PAGES)
def test_plain_documents_are_told_apart_as_before(name: str) -> None:
    content = _fixture(name)
    assert looks_like_feed(content) == _old_feed(content) == (name in FEEDS)
    assert looks_like_sitemap(content) == _old_sitemap(content) == (name in SITEMAPS)


@pytest.mark.parametrize("name", FEEDS + SITEMAPS)
def test_gzip_is_looked_into(name: str) -> None:
    zipped = gzip.compress(_fixture(name))
    assert looks_like_sitemap(zipped) == (name in SITEMAPS)
    assert looks_like_feed(zipped) == (name in FEEDS)


def test_a_gzipped_text_sitemap_is_still_a_sitemap() -> None:
    zipped = gzip.compress(_fixture("sitemaps/sitemap.txt"))
    assert looks_like_sitemap(zipped) and not looks_like_feed(zipped)


def test_damaged_gzip_goes_to_the_sitemap_reader_as_before() -> None:
    cut = gzip.compress(_fixture("sitemaps/urlset.xml"))[:20]
    assert looks_like_sitemap(cut)


def test_the_root_is_found_past_a_long_prolog() -> None:
    feed = _fixture("feeds/rss20.xml")
    declaration, _, rest = feed.partition(b"?>")
    long = declaration + b"?>\n<!-- " + b"x" * 100_000 + b" -->\n" + rest
    assert looks_like_feed(long) and not _old_feed(long)
    assert not looks_like_sitemap(long)
    sitemap = b"<!-- " + b"y" * 10_000 + b" -->" + _fixture("sitemaps/urlset.xml").split(b"?>")[1]
    assert looks_like_sitemap(sitemap) and not _old_sitemap(sitemap)
    assert looks_like_sitemap(gzip.compress(sitemap)) and not looks_like_feed(sitemap)


def test_json_is_taken_for_a_json_feed() -> None:
    assert looks_like_feed(_fixture("feeds/feed.json"))
    assert looks_like_feed(b"\xef\xbb\xbf\n " + json.dumps({"items": []}).encode())
    assert looks_like_feed(gzip.compress(_fixture("feeds/feed.json")))
    assert not looks_like_sitemap(_fixture("feeds/feed.json"))


def test_text_before_the_xml_still_finds_the_feed_by_its_hints() -> None:
    # A PHP warning printed before the feed hides its root element; the old hints still work.
    feed = b"<br />\n<b>Warning</b>: something on line 3<br />\n" + _fixture("feeds/rss20.xml")
    assert looks_like_feed(feed)
    assert not looks_like_sitemap(feed)


def test_an_html_page_mentioning_rss_is_no_feed() -> None:
    page = b"<!DOCTYPE html><html><head><title>Our <rss> feeds</title></head></html>"
    assert not looks_like_feed(page) and not looks_like_sitemap(page)
