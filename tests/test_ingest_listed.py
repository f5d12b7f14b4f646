"""The dates a feed or sitemap gives an item: a sign the archived page changed (it is fetched
again), and the article's date when its page gives none (newsarc.ingest_listed)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from newsarc.cli import cli
from newsarc.ingest_listed import archived_unchanged, changed_since, listed_date
from newsarc.ingest_work import Work
from tests.test_ingest import article_page, requested

FAST = ["--delay", "0", "--workers", "1", "--retries", "0"]
URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>{entries}</urlset>'
NEWS = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
# The text a changed page gains: archived only if the page is fetched again.
UPDATE = "update the mayor resigned on tuesday evening after the vote".split()


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def ingest(*args: str) -> tuple[int, ...]:
    """One ingest run; its counts (new, updated, unchanged, skipped, failed)."""
    from tests.test_cli_ingest import counts

    result = invoke("ingest", *args, *FAST)
    assert result.exit_code == 0, result.stderr
    return counts(result.stderr)


def shown(url: str) -> dict[str, Any]:
    result = invoke("show", url, "--json")
    assert result.exit_code == 0, result.stderr
    return dict(json.loads(result.stdout))


def serve(server: HTTPServer, routes: dict[str, tuple[bytes | str, str]]) -> None:
    """Answer each path with (body, content type), replacing what was served before."""
    server.clear_all_handlers()
    for path, (body, content_type) in routes.items():
        server.expect_request(path).respond_with_data(body, content_type=content_type)


def sitemap(server: HTTPServer, *entries: tuple[str, str]) -> str:
    """A urlset of (path, extra elements) entries."""
    body = "".join(f"<url><loc>{server.url_for(p)}</loc>{extra}</url>" for p, extra in entries)
    return URLSET.format(ns=NEWS, entries=body)


def backdate(db_path: Path, when: str) -> None:
    """Make every archived article look fetched at ``when`` (an archive of an earlier day)."""
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE articles SET fetched_at = ?", [when])
    conn.close()


HTML = "text/html; charset=utf-8"
XML = "application/xml"


# -- a sign of change -------------------------------------------------------------------


def test_a_page_whose_sitemap_lastmod_moves_past_its_fetch_is_fetched_again(server, db_path):
    page = article_page(4100, published="2024-04-30T10:00:00+00:00")
    changed = article_page(4100, published="2024-04-30T10:00:00+00:00", words=UPDATE * 30)
    url = server.url_for("/story")
    serve(server, {"/s.xml": (sitemap(server, ("/story", "<lastmod>2024-05-01</lastmod>")), XML),
                   "/story": (page, HTML)})  # fmt: skip
    assert ingest("--sitemap", server.url_for("/s.xml")) == (1, 0, 0, 0, 0)
    backdate(db_path, "2024-05-02T00:00:00+00:00")
    # Listed as before: skipped without a request (the common case).
    assert ingest("--sitemap", server.url_for("/s.xml")) == (0, 0, 0, 1, 0)
    assert requested(server).count("/story") == 1
    # The site updates the page and its lastmod: fetched again, the update archived.
    lastmod = "<lastmod>2024-06-01T09:00:00+02:00</lastmod>"
    serve(server, {"/s.xml": (sitemap(server, ("/story", lastmod)), XML),
                   "/story": (changed, HTML)})  # fmt: skip
    assert ingest("--sitemap", server.url_for("/s.xml")) == (0, 1, 0, 0, 0)
    assert "mayor resigned" in shown(url)["body"]
    # Fetched after that lastmod: skipped again.
    assert ingest("--sitemap", server.url_for("/s.xml")) == (0, 0, 0, 1, 0)
    assert requested(server).count("/story") == 2


def test_a_refetched_page_that_did_not_change_counts_unchanged(server, db_path):
    page = article_page(4110)
    serve(server, {"/s.xml": (sitemap(server, ("/story", "")), XML), "/story": (page, HTML)})
    assert ingest("--sitemap", server.url_for("/s.xml")) == (1, 0, 0, 0, 0)
    backdate(db_path, "2024-05-02T00:00:00+00:00")
    serve(server, {"/s.xml": (sitemap(server, ("/story", "<lastmod>2024-05-03</lastmod>")), XML),
                   "/story": (page, HTML)})  # fmt: skip
    assert ingest("--sitemap", server.url_for("/s.xml")) == (0, 0, 1, 0, 0)
    assert ingest("--sitemap", server.url_for("/s.xml")) == (0, 0, 0, 1, 0)


def test_a_lastmod_in_the_future_is_no_sign_of_change(server, db_path):
    serve(server, {"/s.xml": (sitemap(server, ("/story", "<lastmod>2999-01-01</lastmod>")), XML),
                   "/story": (article_page(4120), HTML)})  # fmt: skip
    assert ingest("--sitemap", server.url_for("/s.xml")) == (1, 0, 0, 0, 0)
    assert ingest("--sitemap", server.url_for("/s.xml")) == (0, 0, 0, 1, 0)
    assert requested(server).count("/story") == 1


def atom(server: HTTPServer, path: str, updated: str, published: str = "") -> str:
    stamp = f"<published>{published}</published>" if published else ""
    return (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        f"<id>urn:t</id><updated>{updated}</updated><entry><title>e</title><id>urn:e</id>"
        f'<link href="{server.url_for(path)}"/>{stamp}<updated>{updated}</updated></entry></feed>'
    )


def test_a_feed_entry_updated_after_its_fetch_is_fetched_again(server, db_path):
    feed = server.url_for("/atom.xml")
    kind = "application/atom+xml"
    first, later = "2024-05-01T10:00:00Z", "2024-05-03T10:00:00Z"
    serve(server, {"/atom.xml": (atom(server, "/story", first), kind),
                   "/story": (article_page(4130), HTML)})  # fmt: skip
    assert ingest("--feed", feed) == (1, 0, 0, 0, 0)
    backdate(db_path, "2024-05-02T00:00:00+00:00")
    assert ingest("--feed", feed) == (0, 0, 0, 1, 0)
    changed = article_page(4130, words=UPDATE * 30)
    serve(server, {"/atom.xml": (atom(server, "/story", later), kind),
                   "/story": (changed, HTML)})  # fmt: skip
    assert ingest("--feed", feed) == (0, 1, 0, 0, 0)
    assert "mayor resigned" in shown(server.url_for("/story"))["body"]


def test_only_the_articles_own_addresses_are_fetched_again(db):
    """A copy's address, or one that redirected to the article, would change nothing in the
    record (so its fetch time would never move, and it would be fetched on every run)."""
    from newsarc.model import Page
    from newsarc.pipeline import extract_page
    from newsarc.store import add_alias, save_article

    url = "https://news.example/story"
    page = Page(url, url, 200, {"Content-Type": HTML}, article_page(4140), "2024-05-02T00:00:00")
    article_id = save_article(db, extract_page(page), page).id
    add_alias(db, article_id, "https://mirror.example/story", kind="copy")
    add_alias(db, article_id, "https://news.example/latest", kind="requested")
    add_alias(db, article_id, "https://news.example/amp/story", kind="canonical")
    changed = Work(url, "s.xml", lastmod="2024-05-03")
    for address, refetched in (
        (url, True),
        ("https://mirror.example/story", False),
        ("https://news.example/latest", False),
    ):
        assert archived_unchanged(db, address, changed) is not refetched, address
        assert archived_unchanged(db, address, Work(url, "s.xml")), address  # undated
        assert archived_unchanged(db, address, Work(url, "s.xml", lastmod="2024-05-01"))
    assert not archived_unchanged(db, "https://news.example/other", changed)
    # an address only named as the record's canonical link was never fetched: it is, once
    # (store.addresses.fetched_from then makes it a requested address), dated or not
    assert not archived_unchanged(db, "https://news.example/amp/story", Work(url, "s.xml"))


def test_the_one_query_lookup_agrees_with_has_url(db):
    """``last_fetched`` replaced ``has_url`` as ingest's "archived?" test."""
    from newsarc.model import Page
    from newsarc.pipeline import extract_page
    from newsarc.store import add_alias, has_url, last_fetched, save_article

    url = "https://news.example/a"
    page = Page(url, "https://news.example/b", 200, {"Content-Type": HTML}, article_page(4150),
                "2024-05-02T00:00:00")  # fmt: skip
    article_id = save_article(db, extract_page(page), page).id
    add_alias(db, article_id, "https://mirror.example/a", kind="copy")
    keys = ["https://news.example/a", "https://news.example/b", "https://mirror.example/a",
            "https://news.example/c", "https://mirror.example/b"]  # fmt: skip
    found = {key: last_fetched(db, key) for key in keys}
    assert {key: value is not None for key, value in found.items()} == {
        key: has_url(db, key) for key in keys
    }
    record = "https://news.example/b"
    assert found["https://news.example/b"] == ("2024-05-02T00:00:00", "url", record)
    assert found["https://news.example/a"] == ("2024-05-02T00:00:00", "requested", record)
    assert found["https://mirror.example/a"] == ("2024-05-02T00:00:00", "copy", record)


def test_changed_since_compares_instants_and_ignores_the_future():
    now = datetime(2024, 6, 1, 12, tzinfo=timezone.utc)
    fetched = "2024-05-02T10:00:00+00:00"
    work = Work("https://x.example/a", "s")

    def sign(**dates: str) -> str | None:
        return changed_since(Work(work.url, work.source, **dates), fetched, now)

    assert sign() is None
    assert sign(lastmod="2024-05-02T11:00:00+02:00") is None  # 09:00 UTC: before the fetch
    assert sign(lastmod="2024-05-02T11:00:00Z") == "2024-05-02T11:00:00Z"
    assert sign(lastmod="2024-05-02") is None  # a day alone: its start
    assert sign(lastmod="2024-05-03") == "2024-05-03"
    assert sign(lastmod="2024-06-02") is None  # the future: no sign yet
    assert sign(lastmod="2024-05-01", published="2024-05-20") == "2024-05-20"
    assert sign(lastmod="not a date") is None
    assert changed_since(Work(work.url, work.source, lastmod="2024-05-03"), None, now) is None


# -- the article's date -------------------------------------------------------------------


def rss_item(server: HTTPServer, path: str, date: str = "") -> str:
    stamp = f"<pubDate>{date}</pubDate>" if date else ""
    return f"<item><title>t</title><link>{server.url_for(path)}</link>{stamp}</item>"


def rss_of(*items: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://x/</link>'
        f"<description>d</description>{''.join(items)}</channel></rss>"
    )


def test_a_feeds_date_dates_an_article_whose_page_gives_none(server):
    serve(server, {
        "/feed.xml": (rss_of(
            rss_item(server, "/undated", "Fri, 10 May 2024 10:00:00 GMT"),
            rss_item(server, "/dated", "Fri, 10 May 2024 10:00:00 GMT"),
            rss_item(server, "/no-date-anywhere"),
        ), "application/rss+xml"),
        "/undated": (article_page(4200, published=""), HTML),
        "/dated": (article_page(4201, published="2024-05-09T08:00:00+02:00"), HTML),
        "/no-date-anywhere": (article_page(4202, published=""), HTML),
    })  # fmt: skip
    assert ingest("--feed", server.url_for("/feed.xml")) == (3, 0, 0, 0, 0)
    assert shown(server.url_for("/undated"))["published"] == "2024-05-10T10:00:00+00:00"
    assert shown(server.url_for("/dated"))["published"] == "2024-05-09T08:00:00+02:00"
    assert shown(server.url_for("/no-date-anywhere"))["published"] is None
    listed = invoke("list", "--since", "2024-05-10", "--until", "2024-05-10")
    assert [line.split("\t")[1] for line in listed.stdout.splitlines()] == ["2024-05-10"]


def test_a_news_sitemaps_publication_date_dates_an_article_but_a_lastmod_does_not(server):
    news = "<news:news><news:publication_date>{}</news:publication_date></news:news>"
    serve(server, {
        "/news.xml": (sitemap(
            server,
            ("/a", news.format("2024-05-10T12:00:00+02:00")),
            ("/b", news.format("2024-05-11")),
            ("/c", "<lastmod>2024-05-12T10:00:00Z</lastmod>"),
            ("/d", news.format("yesterday")),
        ), XML),
        **{f"/{p}": (article_page(4210 + n, published=""), HTML) for n, p in enumerate("abcd")},
    })  # fmt: skip
    assert ingest("--sitemap", server.url_for("/news.xml")) == (4, 0, 0, 0, 0)
    dates = [shown(server.url_for(f"/{p}"))["published"] for p in "abcd"]
    assert dates == ["2024-05-10T12:00:00+02:00", "2024-05-11", None, None]


def test_an_archived_date_is_kept_when_the_listing_date_moves(server, db_path):
    """An Atom entry with no published date is dated by its updated date; when that moves
    on (the page changed), the article keeps the date it was first given."""
    feed, kind = server.url_for("/atom.xml"), "application/atom+xml"
    serve(server, {"/atom.xml": (atom(server, "/story", "2024-05-01T10:00:00Z"), kind),
                   "/story": (article_page(4220, published=""), HTML)})  # fmt: skip
    assert ingest("--feed", feed) == (1, 0, 0, 0, 0)
    assert shown(server.url_for("/story"))["published"] == "2024-05-01T10:00:00+00:00"
    backdate(db_path, "2024-05-02T00:00:00+00:00")
    changed = article_page(4220, published="", words=UPDATE * 30)
    serve(server, {"/atom.xml": (atom(server, "/story", "2024-05-03T10:00:00Z"), kind),
                   "/story": (changed, HTML)})  # fmt: skip
    assert ingest("--feed", feed) == (0, 1, 0, 0, 0)
    record = shown(server.url_for("/story"))
    assert "mayor resigned" in record["body"]
    assert record["published"] == "2024-05-01T10:00:00+00:00"


def test_listed_date_takes_plausible_dates_only():
    now = datetime(2024, 6, 1, tzinfo=timezone.utc)

    def date(stamp: str | None) -> str | None:
        return listed_date(Work("https://x.example/a", "s", published=stamp), now)

    assert date(None) is None
    assert date("2024-05-10T10:00:00+00:00") == "2024-05-10T10:00:00+00:00"
    assert date(" 2024-05-10T10:00:00.123Z ") == "2024-05-10T10:00:00+00:00"
    assert date("2024-05-10T10:00:00") == "2024-05-10T10:00:00+00:00"  # naive: UTC
    assert date("2024-05-10") == "2024-05-10"
    assert date("2024-05") is None  # no day
    assert date("1970-01-01T00:00:00+00:00") is None  # a generator's zero
    assert date("2024-06-01T20:00:00+00:00") == "2024-06-01T20:00:00+00:00"  # clock skew
    assert date("2024-06-03") is None  # the future
    assert date("Friday") is None


def test_the_fast_date_comparison_agrees_with_the_pattern():
    """``is_before`` reads stamps with ``datetime.fromisoformat`` first, in place of its
    regular expression: the same answers for every pair of W3C stamps."""
    from itertools import product

    from newsarc.sources.item import _before_by_pattern as before
    from newsarc.sources.item import is_before

    days = ["2024-05-01", "2024-05-02", "2024-04-30", "2024-12-31", "2025-01-01"]
    times = ["", "T00:00", "T10:00", "T10:00:30", "T10:00:30.5", "T23:59:59", " 10:00:00"]
    zones = ["", "Z", "z", "+02:00", "-0500", "+00:00", "+14:00", "-12:00"]
    stamps = ["2024", "2024-05", "2025", "2024-04", "Friday", ""]
    stamps += [d + t + z for d, t, z in product(days, times, zones) if t or not z]
    differ = [(a, b) for a in stamps for b in stamps if before(a, b) != is_before(a, b)]
    assert differ == []
