"""A cron line over months: sources and hosts that break for a while, through real servers on
127.0.0.1 (pytest-httpserver)."""

from __future__ import annotations

import json
import logging
import re

from newsarc.ingest import Source
from tests.test_ingest import article_page, requested, run, serve_html, url_file


def age_robots(db, when: str = "2020-01-01T00:00:00+00:00") -> None:
    db.execute("UPDATE robots SET fetched_at = ?", [when])
    db.conn.commit()


def test_a_robots_txt_unreachable_for_a_while_keeps_the_rules_read_before(
    db, server, tmp_path, caplog
):
    # A robots.txt answering 503 at the one run after its day is up made every page and feed
    # of its site fail; RFC 9309 lets a crawler go on with the copy it read before.
    from datetime import datetime, timedelta, timezone

    server.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    serve_html(server, "/kept/1", article_page(801))
    run(db, Source("urls", url_file(tmp_path, [server.url_for("/kept/1")])))
    two_days_ago = datetime.now(timezone.utc) - timedelta(days=2)
    age_robots(db, two_days_ago.isoformat(timespec="seconds"))
    server.clear()
    server.expect_request("/robots.txt").respond_with_data("busy", status=503)
    serve_html(server, "/kept/2", article_page(802))
    serve_html(server, "/private/3", article_page(803))
    urls = [server.url_for("/kept/2"), server.url_for("/private/3")]
    with caplog.at_level(logging.WARNING):
        summary = run(db, Source("urls", url_file(tmp_path, urls)))
    assert (summary.new, summary.skipped, summary.failed) == (1, 1, 0)
    assert "/private/3" not in requested(server)  # the old rules still hold
    assert "using the copy read 2 days ago" in caplog.text
    # The old copy is not kept again as if just read: the next run asks for it anew.
    (fetched_at,) = db.execute("SELECT fetched_at FROM robots").fetchone()
    assert fetched_at == two_days_ago.isoformat(timespec="seconds")


def test_a_robots_txt_unreachable_with_no_recent_copy_still_keeps_the_site_out(
    db, server, tmp_path
):
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    serve_html(server, "/old/1", article_page(811))
    run(db, Source("urls", url_file(tmp_path, [server.url_for("/old/1")])))
    age_robots(db)  # years ago: too old to stand in
    server.clear()
    server.expect_request("/robots.txt").respond_with_data("busy", status=503)
    serve_html(server, "/old/2", article_page(812))
    summary = run(db, Source("urls", url_file(tmp_path, [server.url_for("/old/2")])))
    assert (summary.new, summary.failed) == (0, 1)
    assert "/old/2" not in requested(server)


def test_a_registered_feed_failing_run_after_run_says_since_when(server, db_path):
    # A feed gone for good (410) failed every cron run in the same words, and `sources list`
    # showed only the last run: a dead source could not be told from a bad moment.
    from tests.test_cli_ingest import FAST, invoke
    from tests.test_ingest import base_of, rss

    feed = server.url_for("/gone.xml")
    serve_html(server, "/gone/1", article_page(821))
    server.expect_oneshot_request("/gone.xml").respond_with_data(
        rss(base_of(server), ["/gone/1"]), content_type="application/rss+xml"
    )
    server.expect_request("/gone.xml").respond_with_data("gone", status=410)
    assert invoke("sources", "add", feed).exit_code == 0
    assert invoke("ingest", "-q", *FAST).exit_code == 0
    first = invoke("ingest", "-q", *FAST)
    assert first.exit_code == 1
    assert first.stderr.strip() == f"Error: {feed}: HTTP 410 Gone"  # once may be a bad moment
    listed = invoke("sources", "list").stdout
    (since,) = re.findall(r"\(failing since (\d{4}-\d\d-\d\d \d\d:\d\d UTC)\)", listed)
    second = invoke("ingest", "-q", *FAST)
    assert second.exit_code == 1
    assert second.stderr.strip() == (
        f"Error: {feed}: HTTP 410 Gone (failing since {since};"
        " `newsarc sources remove 1` unregisters it)"
    )
    (row,) = [json.loads(line) for line in invoke("sources", "list", "--json").stdout.splitlines()]
    assert row["last_status"] == f"error: {feed}: HTTP 410 Gone"  # the status as it was
    assert row["failing_since"] is not None
    # Back again: the run that reads it ends the streak.
    server.clear()
    server.expect_request("/gone.xml").respond_with_data(
        rss(base_of(server), []), content_type="application/rss+xml"
    )
    assert invoke("ingest", "-q", *FAST).exit_code == 0
    assert "failing since" not in invoke("sources", "list").stdout
    (row,) = [json.loads(line) for line in invoke("sources", "list", "--json").stdout.splitlines()]
    assert row["failing_since"] is None


def test_an_interrupted_run_neither_starts_nor_ends_a_failing_streak(db):
    from newsarc.store import add_source, get_source, update_source_run

    url = "https://example.com/feed.xml"
    add_source(db, url, "feed")
    update_source_run(db, url, status=f"error: {url}: HTTP 404 Not Found")
    since = get_source(db, url)["failing_since"]
    update_source_run(db, url, status="interrupted")
    assert get_source(db, url)["failing_since"] == since
    update_source_run(db, url, status="2 failed")  # it was read; some of its pages failed
    assert get_source(db, url)["failing_since"] is None
    update_source_run(db, url, status="interrupted")
    assert get_source(db, url)["failing_since"] is None


def test_sources_remove_on_a_missing_archive_makes_none(tmp_path):
    from tests.test_cli_ingest import invoke

    missing = tmp_path / "typo.db"
    result = invoke("sources", "remove", "2", "--db", str(missing))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: no source with id or URL 2 (no archive at {missing})"
    assert list(tmp_path.iterdir()) == []


def test_sources_add_of_a_registered_source_says_so(db_path):
    from tests.test_cli_ingest import invoke

    first = invoke("sources", "add", "https://example.com/rss.xml")
    assert (first.stdout, first.stderr) == ("1\tfeed\thttps://example.com/rss.xml\n", "")
    again = invoke("sources", "add", "HTTPS://Example.com:443/rss.xml#top")
    assert again.exit_code == 0
    assert again.stdout == first.stdout  # the line scripts read is the same
    assert again.stderr == "https://example.com/rss.xml: registered already (source 1)\n"
    kind = invoke("sources", "add", "https://example.com/rss.xml", "--kind", "sitemap")
    assert kind.stdout == "1\tsitemap\thttps://example.com/rss.xml\n"
    assert kind.stderr.endswith("registered already (source 1), now as a sitemap\n")


def test_a_feed_restamping_its_links_with_campaign_codes_is_not_fetched_again(db, server):
    # Feeds add where-from codes (or a session id) to their links, and change them (per feed,
    # per day, per request): each change made every archived entry look new, so every run
    # fetched the whole feed again.
    from tests.test_ingest import base_of, rss

    for n in (1, 2, 3):
        serve_html(server, f"/story/{n}", article_page(830 + n))
    stamps = [
        "?xtor=RSS-3208",
        "?xtor=RSS-3209&wt_mc=rss.red.ho.ho.atom",
        "?CMP=feed_rss&pk_campaign=rss&mtm_source=feed",
        ";jsessionid=8F3A21C0?PHPSESSID=9c1e",  # a new session for every feed request
    ]
    feed = Source("feed", server.url_for("/feed.xml"))
    for run_number, stamp in enumerate(stamps):
        links = [f"/story/{n}{stamp}" for n in (1, 2, 3)]
        server.expect_oneshot_request("/feed.xml").respond_with_data(
            rss(base_of(server), links), content_type="application/rss+xml"
        )
        server.clear_log()
        summary = run(db, feed)
        fetched = [p for p in requested(server) if p.startswith("/story/")]
        if run_number == 0:
            assert (summary.new, len(fetched)) == (3, 3)
        else:
            assert (summary.new, summary.skipped, fetched) == (0, 3, [])


def test_campaign_codes_go_but_a_query_that_picks_the_page_stays():
    from newsarc.urls import normalize_url

    assert normalize_url("https://h.example/n-1.html?wt_mc=rss.red&seite=all") == (
        "https://h.example/n-1.html?seite=all"
    )
    assert normalize_url("https://n.example/a?INTCMP=x&page=2&ncid=rss") == (
        "https://n.example/a?page=2"
    )
    assert normalize_url("https://n.example/a?compare=1&cmpx=2&xtorx=3") == (
        "https://n.example/a?cmpx=2&compare=1&xtorx=3"
    )
    assert normalize_url("https://j.example/a;v=2/b.html;JSESSIONID=8F3A?id=3") == (
        "https://j.example/a;v=2/b.html?id=3"
    )


def test_a_url_list_does_not_ask_again_for_pages_gone_lately(db, server, tmp_path):
    # A cron line's URL list (or a registered one) reported its dead links, and exited 3,
    # on every run for good; a feed's dead entries are left alone for GONE_DAYS.
    serve_html(server, "/live/1", article_page(841))
    server.expect_request("/dead/404").respond_with_data("no", status=404)
    server.expect_request("/dead/410").respond_with_data("gone", status=410)
    server.expect_request("/down/503").respond_with_data("busy", status=503)
    paths = ["/live/1", "/dead/404", "/dead/410", "/down/503"]
    urls = Source("urls", url_file(tmp_path, [server.url_for(p) for p in paths]))
    first = run(db, urls)
    assert (first.new, first.failed) == (1, 3)
    server.clear_log()
    second = run(db, urls)
    assert (second.skipped, second.failed) == (3, 1)  # the 503 is tried again
    assert requested(server) == ["/down/503"]
    server.clear_log()
    run(db, urls, refresh=True)
    assert {"/dead/404", "/dead/410"} <= set(requested(server))


def test_a_304_to_a_request_that_asked_nothing_is_an_error_not_an_unchanged_feed(db, server):
    # A cache or proxy answering 304 to every request left a feed unread, its run "not
    # modified" and exit 0, for good.
    from newsarc.store import add_source, get_source

    feed = server.url_for("/cached.xml")
    server.expect_request("/cached.xml").respond_with_data("", status=304)
    add_source(db, feed, "feed")
    summary = run(db, Source("feed", feed))
    assert (summary.failed, summary.sources_failed) == (1, 1)
    status = get_source(db, feed)["last_status"]
    assert status == (
        f"error: {feed}: HTTP 304 Not Modified to a request that sent no ETag or Last-Modified"
    )


def test_a_run_that_waited_in_vain_asks_for_a_longer_wait(server, tmp_path, db_path):
    # It said "pass --wait SECONDS" to a run given --wait already.
    from newsarc.lock import ingest_lock
    from tests.test_cli_ingest import FAST, invoke

    links = url_file(tmp_path, [server.url_for("/w/1")])
    with ingest_lock(db_path):
        waited = invoke("ingest", "--urls", links, "--wait", "0.3", *FAST)
        at_once = invoke("ingest", "--urls", links, *FAST)
    assert waited.exit_code == at_once.exit_code == 4
    assert waited.stderr.rstrip().endswith(
        "(waited 0.3 s); try again later or pass --wait SECONDS over 0.3"
    )
    assert at_once.stderr.rstrip().endswith("; try again later or pass --wait SECONDS")


def test_sources_add_registers_many_at_once_and_none_when_one_is_bad(db_path):
    # Hundreds of sources took one process (and one archive opening) each.
    from tests.test_cli_ingest import invoke

    added = invoke(
        "sources",
        "add",
        "https://a.example/feed.xml",
        "HTTPS://A.example/feed.xml",  # the same source: one line
        "https://b.example/news-sitemap.xml",
    )
    assert added.exit_code == 0
    assert added.stdout.splitlines() == [
        "1\tfeed\thttps://a.example/feed.xml",
        "2\tsitemap\thttps://b.example/news-sitemap.xml",
    ]
    bad = invoke("sources", "add", "https://c.example/feed.xml", "ftp://c.example/feed")
    assert bad.exit_code == 1
    assert "not an http(s) URL" in bad.stderr
    assert len(invoke("sources", "list").stdout.splitlines()) == 2  # c not registered
