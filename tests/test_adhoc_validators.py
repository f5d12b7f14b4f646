"""Conditional GET for feeds and sitemaps named on the command line (not registered).

A crontab line such as ``newsarc ingest --feed URL`` must cost one 304 when the feed has not
changed, as a registered source does; and, as for registered sources, validators are kept
only after a run that read the feed and archived everything it listed.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from werkzeug import Request, Response

from newsarc.ingest import Ingester, Source
from tests.test_cli_ingest import FAST, counts, invoke
from tests.test_ingest import article_page, base_of, options, requested, rss, serve_html

ETAG = '"feed-v1"'
LAST_MODIFIED = "Wed, 01 May 2024 10:00:00 GMT"


class Conditional:
    """A feed or sitemap that answers 304 to a request carrying its current validators."""

    def __init__(self, body: bytes, content_type: str, *, etag: str | None = ETAG) -> None:
        self.body = body
        self.content_type = content_type
        self.etag = etag
        self.seen: list[dict[str, str]] = []

    def __call__(self, request: Request) -> Response:
        self.seen.append(dict(request.headers))
        headers = {"Last-Modified": LAST_MODIFIED}
        if self.etag:
            headers["ETag"] = self.etag
        matches = (
            request.headers.get("If-None-Match") == self.etag
            if self.etag
            else request.headers.get("If-Modified-Since") == LAST_MODIFIED
        )
        if matches:
            return Response(status=304, headers=headers)
        return Response(self.body, content_type=self.content_type, headers=headers)


def stored(db: Path) -> list[tuple[str, str | None, str | None]]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute("SELECT url, etag, last_modified FROM source_validators"))
    finally:
        conn.close()


def serve_feed(server: Any, count: int = 3, *, etag: str | None = ETAG) -> Conditional:
    links = [server.url_for(f"/adhoc/{i}") for i in range(count)]
    feed = Conditional(rss(base_of(server), links), "application/rss+xml", etag=etag)
    server.expect_request("/feed.xml").respond_with_handler(feed)
    for i in range(count):
        serve_html(server, f"/adhoc/{i}", article_page(2600 + i))
    return feed


def test_a_feed_given_on_the_command_line_costs_one_304_on_the_next_run(server, db_path):
    feed = serve_feed(server)
    url = server.url_for("/feed.xml")
    first = invoke("ingest", "--feed", url, *FAST)
    assert first.exit_code == 0, first.stderr
    assert counts(first.stderr) == (3, 0, 0, 0, 0)
    assert "If-None-Match" not in feed.seen[0]
    assert stored(db_path) == [(url, ETAG, LAST_MODIFIED)]

    server.clear_log()
    second = invoke("ingest", "--feed", url, *FAST)
    assert second.exit_code == 0, second.stderr
    assert counts(second.stderr) == (0, 0, 0, 0, 0)
    assert requested(server) == ["/feed.xml"]  # one request, answered 304
    assert feed.seen[-1]["If-None-Match"] == ETAG
    assert feed.seen[-1]["If-Modified-Since"] == LAST_MODIFIED
    assert invoke("sources", "list").stdout == ""  # remembered, not registered


def test_a_sitemap_without_etag_is_asked_if_modified_since(server, db_path):
    base = base_of(server)
    urlset = "".join(f"<url><loc>{base}/sm/{i}</loc></url>" for i in range(2))
    body = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{urlset}</urlset>"
    ).encode()
    sitemap = Conditional(body, "application/xml", etag=None)
    server.expect_request("/sitemap.xml").respond_with_handler(sitemap)
    for i in range(2):
        serve_html(server, f"/sm/{i}", article_page(2700 + i))
    url = server.url_for("/sitemap.xml")
    assert counts(invoke("ingest", "--sitemap", url, *FAST).stderr) == (2, 0, 0, 0, 0)
    assert stored(db_path) == [(url, None, LAST_MODIFIED)]

    server.clear_log()
    second = invoke("ingest", "--sitemap", url, *FAST)
    assert counts(second.stderr) == (0, 0, 0, 0, 0)
    assert requested(server) == ["/sitemap.xml"]
    assert sitemap.seen[-1]["If-Modified-Since"] == LAST_MODIFIED
    assert "If-None-Match" not in sitemap.seen[-1]


def test_no_validators_are_kept_when_an_item_failed(server, db_path):
    feed = serve_feed(server, count=2)
    server.expect_request("/adhoc/broken").respond_with_data("oops", status=500)
    feed.body = rss(base_of(server), [server.url_for("/adhoc/0"), server.url_for("/adhoc/broken")])
    url = server.url_for("/feed.xml")
    result = invoke("ingest", "--feed", url, *FAST)
    assert result.exit_code == 3
    assert stored(db_path) == []
    # so the next run lists the feed in full and retries the failed item
    server.clear_log()
    again = invoke("ingest", "--feed", url, *FAST)
    assert "If-None-Match" not in feed.seen[-1]
    assert [p for p in requested(server) if p != "/robots.txt"] == ["/feed.xml", "/adhoc/broken"]
    assert counts(again.stderr) == (0, 0, 0, 1, 1)


def test_an_interrupted_run_keeps_no_validators(server, db, db_path):
    feed = serve_feed(server, count=4)
    url = server.url_for("/feed.xml")

    class Interrupted(Ingester):
        def _store(self, work: Any, article: Any, bands: list[str], raw: bytes | None) -> None:
            super()._store(work, article, bands, raw)
            if self.summary.new == 2:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Interrupted(db, options()).run([Source("feed", url)])
    assert stored(db_path) == []
    # The next run reads the feed in full and archives the two it missed.
    summary = Ingester(db, options()).run([Source("feed", url)])
    assert "If-None-Match" not in feed.seen[-1]
    assert (summary.new, summary.skipped) == (2, 2)
    assert stored(db_path) == [(url, ETAG, LAST_MODIFIED)]


def test_refresh_sends_no_validators_and_keeps_the_new_ones(server, db_path):
    feed = serve_feed(server, count=1)
    url = server.url_for("/feed.xml")
    invoke("ingest", "--feed", url, *FAST)
    feed.etag = '"feed-v2"'
    result = invoke("ingest", "--feed", url, "--refresh", *FAST)
    assert result.exit_code == 0
    assert "If-None-Match" not in feed.seen[-1]
    assert counts(result.stderr)[2] == 1  # fetched again: unchanged
    assert stored(db_path) == [(url, '"feed-v2"', LAST_MODIFIED)]
