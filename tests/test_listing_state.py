"""What ingest remembers of a feed or sitemap between runs, seen through the CLI: validators
that are not kept for a sitemap index (its 304 would hide its changed children), validators
kept under --since for a run whose --since is not earlier, a 404 or 410 entry remembered as
gone instead of failing every run, and an interrupted run recorded for its sources.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from sqlite_utils import Database
from werkzeug import Request, Response

from newsarc import store
from newsarc.store.schema import migrations
from tests.processes import story_site
from tests.test_cli_ingest import FAST, counts, invoke
from tests.test_ingest import article_page, base_of, requested, rss, serve_html
from tests.test_ingest_kill import _committed
from tests.test_ingest_signals import _reaped, _stop, _wait_until_committed

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


class Served:
    """A document whose body and ETag can change between runs; it answers 304 to a request
    carrying its current ETag, and notes the If-None-Match of every request."""

    def __init__(self, body: str, content_type: str, etag: str | None) -> None:
        self.body, self.content_type, self.etag = body, content_type, etag
        self.asked: list[str | None] = []

    def __call__(self, request: Request) -> Response:
        self.asked.append(request.headers.get("If-None-Match"))
        headers = {"ETag": self.etag} if self.etag else {}
        if self.etag and request.headers.get("If-None-Match") == self.etag:
            return Response(status=304, headers=headers)
        return Response(self.body, content_type=self.content_type, headers=headers)


def serve(server: HTTPServer, path: str, body: str, ctype: str, etag: str | None) -> Served:
    served = Served(body, ctype, etag)
    server.expect_request(path).respond_with_handler(served)
    return served


def ago(days: int) -> str:
    return (datetime.now(timezone.utc) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def urlset(server: HTTPServer, entries: list[tuple[str, str]]) -> str:
    rows = "".join(
        f"<url><loc>{server.url_for(path)}</loc><lastmod>{lastmod}</lastmod></url>"
        for path, lastmod in entries
    )
    return f'<?xml version="1.0"?><urlset xmlns="{SITEMAP_NS}">{rows}</urlset>'


def index(server: HTTPServer, *children: str) -> str:
    rows = "".join(f"<sitemap><loc>{server.url_for(c)}</loc></sitemap>" for c in children)
    return f'<?xml version="1.0"?><sitemapindex xmlns="{SITEMAP_NS}">{rows}</sitemapindex>'


def articles(db_path: Path) -> set[str]:
    conn = sqlite3.connect(db_path)
    try:
        return {url.rsplit("/", 1)[-1] for (url,) in conn.execute("SELECT url FROM articles")}
    finally:
        conn.close()


def source_row(db_path: Path, url: str) -> dict[str, Any]:
    conn = sqlite3.connect(db_path)
    try:
        row = store.get_source(conn, url)
    finally:
        conn.close()
    assert row is not None
    return row


# -- a sitemap index: its 304 stands for none of its children --------------------------------


def index_site(server: HTTPServer) -> tuple[Served, Served]:
    """/sitemap_index.xml (a fixed ETag) lists /news.xml (no lastmod), which lists a-old."""
    for n, slug in enumerate(("a-old", "b-late", "c-today")):
        serve_html(server, f"/a/{slug}", article_page(9100 + n))
    root = serve(
        server, "/sitemap_index.xml", index(server, "/news.xml"), "application/xml", '"i1"'
    )
    news = serve(
        server, "/news.xml", urlset(server, [("/a/a-old", ago(5))]), "application/xml", None
    )
    return root, news


@pytest.mark.parametrize("registered", [True, False], ids=["registered", "command-line"])
def test_a_sitemap_index_that_has_not_changed_still_has_its_children_read(
    server, db_path, registered
):
    root, news = index_site(server)
    url = server.url_for("/sitemap_index.xml")
    args = ["ingest", *FAST] if registered else ["ingest", "--sitemap", url, *FAST]
    if registered:
        invoke("sources", "add", url, "--kind", "sitemap")
    assert counts(invoke(*args).stderr)[0] == 1
    # Only the child changes: it gains an entry dated 3 days ago (listed late) and one of today.
    news.body = urlset(
        server, [("/a/a-old", ago(5)), ("/a/b-late", ago(3)), ("/a/c-today", ago(0))]
    )
    second = invoke(*args)
    assert second.exit_code == 0, second.stderr
    assert root.asked[-1] is None  # the index is not asked conditionally: read in full
    assert counts(second.stderr)[:4] == (2, 0, 0, 1)
    assert articles(db_path) == {"a-old", "b-late", "c-today"}
    if registered:
        assert (source_row(db_path, url)["etag"], source_row(db_path, url)["last_status"]) == (
            None,
            "ok",
        )
    else:
        conn = sqlite3.connect(db_path)
        assert store.get_validators(conn, url).etag is None
        conn.close()


def test_a_urlset_keeps_its_validators(server, db_path):
    body = urlset(server, [("/a/one", ago(1))])
    sitemap = serve(server, "/news.xml", body, "application/xml", '"u1"')
    serve_html(server, "/a/one", article_page(9110))
    url = server.url_for("/news.xml")
    invoke("ingest", "--sitemap", url, *FAST)
    assert counts(invoke("ingest", "--sitemap", url, *FAST).stderr) == (0, 0, 0, 0, 0)
    assert sitemap.asked == [None, '"u1"']


def test_a_registered_index_reads_only_the_children_changed_since_its_last_clean_run(
    server, db_path
):
    # The cut-off of a clean run spares the requests for children the index dates as
    # unchanged; the entries of the children it reads are not judged by it (one listed late
    # would be lost for good).
    for n, slug in enumerate(("old-1", "late-2", "new-3")):
        serve_html(server, f"/a/{slug}", article_page(9120 + n))
    rows = "".join(
        f"<sitemap><loc>{server.url_for(path)}</loc><lastmod>{lastmod}</lastmod></sitemap>"
        for path, lastmod in (("/2020.xml", "2020-01-01"), ("/now.xml", ago(0)))
    )
    body = f'<?xml version="1.0"?><sitemapindex xmlns="{SITEMAP_NS}">{rows}</sitemapindex>'
    serve(server, "/idx.xml", body, "application/xml", '"i"')
    serve(
        server, "/2020.xml", urlset(server, [("/a/old-1", "2020-01-01")]), "application/xml", None
    )
    now = serve(server, "/now.xml", urlset(server, []), "application/xml", None)
    url = server.url_for("/idx.xml")
    invoke("sources", "add", url, "--kind", "sitemap")
    assert counts(invoke("ingest", *FAST).stderr)[0] == 1
    now.body = urlset(server, [("/a/late-2", ago(4)), ("/a/new-3", ago(0))])
    server.clear_log()
    second = invoke("ingest", *FAST)
    assert "/2020.xml" not in requested(server)
    assert counts(second.stderr)[0] == 2
    assert articles(db_path) == {"old-1", "late-2", "new-3"}


def test_the_upgrade_forgets_validators_and_cut_offs_stored_before_it(server, tmp_path):
    # An archive of the release before m011: its registered index kept its ETag and its last
    # run was a 304, which hid the child's new entries and made a cut-off that passed them over.
    root, news = index_site(server)
    news.body = urlset(server, [("/a/a-old", ago(5)), ("/a/b-late", ago(3))])
    url = server.url_for("/sitemap_index.xml")
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m011_listing_state")
    store.add_source(old, url, "sitemap")
    old.execute(
        "UPDATE sources SET etag = '\"i1\"', last_modified = 'Wed, 01 May 2024 10:00:00 GMT',"
        " last_status = 'not modified', last_run_at = ?",
        [datetime.now(timezone.utc).isoformat()],
    )
    old.execute(
        "INSERT INTO source_validators (url, etag, last_modified, updated_at)"
        " VALUES (?, '\"v\"', NULL, '2024-05-01T00:00:00+00:00')",
        [server.url_for("/feed.xml")],
    )
    old.conn.commit()
    old.close()

    result = invoke("ingest", "--db", str(path), *FAST)
    assert result.exit_code == 0, result.stderr
    assert root.asked == [None]  # the old ETag is forgotten
    assert articles(path) == {"a-old", "b-late"}  # the cut-off is gone too: b-late is read
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM source_validators").fetchone()[0] == 0
        row = store.get_source(conn, url)
        assert row is not None
        assert (row["etag"], row["listed_since"], row["last_status"]) == (None, None, "ok")
        assert row["clean_run_at"] is not None
    finally:
        conn.close()


# -- --since: validators kept with the --since they were earned under ------------------------


def test_a_cron_line_with_since_gets_304s(server, db_path):
    body = urlset(server, [("/a/stale", "2020-01-01"), ("/a/fresh", ago(0))])
    sitemap = serve(server, "/news-sitemap.xml", body, "application/xml", '"same"')
    serve_html(server, "/a/stale", article_page(9130))
    serve_html(server, "/a/fresh", article_page(9131))
    url = server.url_for("/news-sitemap.xml")
    for _ in range(3):
        result = invoke("ingest", "--sitemap", url, "--since", "7d", *FAST)
        assert result.exit_code == 0, result.stderr
    assert sitemap.asked == [None, '"same"', '"same"']
    assert requested(server).count("/a/fresh") == 1
    assert articles(db_path) == {"fresh"}
    # an earlier --since, or none, must see what the 7-day runs left out: read in full
    invoke("ingest", "--sitemap", url, "--since", "30d", *FAST)
    assert sitemap.asked[-1] is None
    assert counts(invoke("ingest", "--sitemap", url, *FAST).stderr)[0] == 1
    assert sitemap.asked[-1] is None
    assert articles(db_path) == {"fresh", "stale"}
    invoke("ingest", "--sitemap", url, *FAST)
    assert sitemap.asked[-1] == '"same"'  # read in full once: a 304 again


def test_a_registered_sitemap_under_since_keeps_its_state(server, db_path):
    body = urlset(server, [("/a/stale", "2020-01-01"), ("/a/fresh", ago(0))])
    sitemap = serve(server, "/news-sitemap.xml", body, "application/xml", '"same"')
    serve_html(server, "/a/fresh", article_page(9131))
    url = server.url_for("/news-sitemap.xml")
    invoke("sources", "add", url, "--kind", "sitemap")
    invoke("ingest", "--since", "7d", *FAST)
    row = source_row(db_path, url)
    assert (row["etag"], row["last_status"], row["clean_run_at"] is not None) == (
        '"same"',
        "ok",
        True,
    )
    invoke("ingest", "--since", "7d", *FAST)
    assert sitemap.asked == [None, '"same"']
    assert source_row(db_path, url)["last_status"] == "not modified"


# -- a dead entry: remembered as gone, not a failure of every run ---------------------------


def dead_feed(server: HTTPServer, status: int = 404) -> tuple[Served, str]:
    links = [server.url_for("/a/fine"), server.url_for("/gone")]
    feed = serve(
        server, "/rss.xml", rss(base_of(server), links).decode(), "application/rss+xml", '"v1"'
    )
    serve_html(server, "/a/fine", article_page(9140))
    server.expect_request("/gone").respond_with_data("gone", status=status)
    return feed, server.url_for("/rss.xml")


@pytest.mark.parametrize("status", [404, 410])
def test_a_dead_entry_is_reported_once_then_skipped(server, db_path, status):
    feed, url = dead_feed(server, status)
    invoke("sources", "add", url)
    first = invoke("ingest", *FAST)
    assert first.exit_code == 3  # reported the first time
    assert f"/gone: HTTP {status}" in first.stderr
    row = source_row(db_path, url)
    assert (row["etag"], row["last_status"]) == ('"v1"', "ok, 1 gone")  # no bar to a 304
    second = invoke("ingest", *FAST)
    assert (second.exit_code, feed.asked[-1]) == (0, '"v1"')
    # The feed changes, still listing the dead link: not asked for, counted as skipped.
    feed.etag = '"v2"'
    feed.body = rss(base_of(server), [server.url_for("/gone"), server.url_for("/a/fine")]).decode()
    server.clear_log()
    third = invoke("ingest", *FAST)
    assert third.exit_code == 0, third.stderr
    assert "/gone" not in requested(server)
    assert counts(third.stderr) == (0, 0, 0, 2, 0)
    assert source_row(db_path, url)["etag"] == '"v2"'


def test_a_gone_page_is_asked_for_again_after_some_days_and_with_refresh(server, db_path):
    _, url = dead_feed(server)
    assert invoke("ingest", "--feed", url, *FAST).exit_code == 3
    server.clear_log()
    assert invoke("ingest", "--feed", url, "--refresh", *FAST).exit_code == 3
    assert "/gone" in requested(server)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE failures SET at = ?", [ago(8)])
        conn.execute("DELETE FROM source_validators")
    conn.close()
    server.clear_log()
    assert invoke("ingest", "--feed", url, *FAST).exit_code == 3  # a week on: tried again
    assert "/gone" in requested(server)


def test_a_transient_failure_still_keeps_no_validators(server, db_path):
    links = [server.url_for("/a/fine"), server.url_for("/busy")]
    feed = serve(
        server, "/rss.xml", rss(base_of(server), links).decode(), "application/rss+xml", '"v1"'
    )
    serve_html(server, "/a/fine", article_page(9150))
    server.expect_request("/busy").respond_with_data("busy", status=500)
    url = server.url_for("/rss.xml")
    for _ in range(2):
        assert invoke("ingest", "--feed", url, *FAST).exit_code == 3
    assert feed.asked == [None, None]
    assert requested(server).count("/busy") == 2


# -- an interrupted run is recorded for its sources ------------------------------------------


@pytest.fixture
def held() -> Iterator[tuple[HTTPServer, threading.Event]]:
    """A threaded server whose /story/0 and /story/1 are held until the event is set."""
    release = threading.Event()

    def answer(request: Request) -> Response:
        n = int(request.path.rsplit("/", 1)[-1])
        if n < 2:
            release.wait(30)
        return Response(article_page(9200 + n), content_type="text/html; charset=utf-8")

    try:
        yield from ((server, release) for server in story_site(answer))
    finally:
        release.set()


def test_an_interrupted_run_is_recorded_for_its_sources_and_keeps_their_validators(held, tmp_path):
    server, release = held
    db = tmp_path / "stopped.db"
    links = [server.url_for(f"/story/{n}") for n in range(6)]
    feed = serve(
        server,
        "/feed.xml",
        rss(base_of(server), links[2:4]).decode(),
        "application/rss+xml",
        '"f1"',
    )
    url = server.url_for("/feed.xml")
    invoke("sources", "add", url, "--db", str(db))
    assert counts(invoke("ingest", "--db", str(db), *FAST).stderr)[0] == 2
    feed.body, feed.etag = rss(base_of(server), links).decode(), '"f2"'
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsarc", "ingest", "--db", str(db), *FAST, "--per-host", "8"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )
    with _reaped(proc):
        _wait_until_committed(db, 4, proc)  # /story/4-5 archived, /story/0-1 held
        assert proc.poll() is None
        stderr, _ = _stop(proc, signal.SIGTERM, timeout=60)
    assert proc.returncode == 143, stderr.decode()
    committed = len(_committed(db))
    row = source_row(db, url)
    assert row["last_status"] == "interrupted"
    assert row["counts"]["runs"] == 2 and row["counts"]["new"] == committed
    assert row["last_found"] == 6
    assert row["etag"] == '"f1"'  # untouched: the next run must not get a 304 for '"f2"'
    listed = invoke("sources", "list", "--db", str(db)).stdout
    assert f"\tinterrupted\t6\t{committed} new in 2 runs" in listed

    release.set()
    rerun = invoke("ingest", "--db", str(db), *FAST)
    assert rerun.exit_code == 0, rerun.stderr
    assert feed.asked[-1] == '"f1"'  # answered in full: '"f1"' is not the feed's ETag now
    row = source_row(db, url)
    assert (row["last_status"], row["etag"], row["counts"]["new"]) == ("ok", '"f2"', 6)
