"""Ingest QA, session 15 round 2: a WARC's redirects and revisits, sitemap loops through a
redirect, the spellings of a registered address, the failures' retention and a source that
moved for good. Through WARCs written here with warcio and real servers on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import re

from warcio.statusandheaders import StatusAndHeaders

from newsarc.ingest import Source
from tests.test_ingest import article_page, count, run
from tests.test_warc import Warc

# -- a WARC's redirects and revisits -----------------------------------------------------


def redirect(warc: Warc, url: str, location: str, status: str = "301 Moved Permanently") -> None:
    """A redirect response, as a crawler that followed it recorded it."""
    warc.response(
        url,
        b"<html><body>Moved</body></html>",
        status=status,
        headers=[("Location", location), ("Content-Length", "30")],
    )


def revisit(
    warc: Warc,
    url: str,
    refers_to: str | None,
    refers_date: str | None,
    date: str,
    *,
    refers_to_record: str | None = None,
) -> None:
    """An identical-payload-digest revisit of an HTML page, with its HTTP headers."""
    http = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
    )
    record = warc.writer.create_revisit_record(
        url,
        digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        refers_to_uri=refers_to,
        refers_to_date=refers_date,
        http_headers=http,
    )
    record.rec_headers.replace_header("WARC-Date", date)
    for name in ("WARC-Refers-To-Target-URI", "WARC-Refers-To-Date"):
        if record.rec_headers.get_header(name) is None:
            record.rec_headers.remove_header(name)
    if refers_to_record:  # as wget writes it: the original record's id alone
        record.rec_headers.add_header("WARC-Refers-To", refers_to_record)
    warc.writer.write_record(record)


def test_a_warc_redirect_leads_to_the_article_archived_from_its_target(db_path, tmp_path):
    # Crawlers record the redirect (a short link, an old address, http -> https) as its own
    # response, before or after the page it led to; newsarc passed it over, so the short
    # link found nothing and a later run listing it fetched the page again.
    from tests.test_cli_ingest import FAST, counts, invoke

    warc = Warc(tmp_path / "crawl.warc.gz", gz=True)
    redirect(warc, "https://sho.rt/a1", "https://news.example/2024/05/story-one")
    warc.response("https://news.example/2024/05/story-one", article_page(1))
    warc.response("https://news.example/2024/05/story-two", article_page(2))
    # After its target, a temporary one, relative, and one to a redirect (a chain).
    redirect(
        warc,
        "http://news.example/2024/05/story-two",
        "https://news.example/2024/05/story-two",
        "302 Found",
    )
    redirect(warc, "https://news.example/story/2", "/2024/05/story-two", "308 Permanent")
    redirect(warc, "https://sho.rt/b2", "http://news.example/2024/05/story-two", "307 Temp")
    # One to a page this WARC does not hold (another segment's, an image's): skipped.
    redirect(warc, "https://sho.rt/c3", "https://news.example/elsewhere")
    path = warc.close()

    result = invoke("ingest", "--warc", str(path), *FAST)
    assert result.exit_code == 0, result.stderr
    assert counts(result.stderr) == (2, 0, 4, 1, 0)  # new, updated, unchanged, skipped, failed
    for short, story in [
        ("https://sho.rt/a1", 1),
        ("http://news.example/2024/05/story-two", 2),
        ("https://sho.rt/b2", 2),
        ("https://news.example/story/2", 2),
    ]:
        shown = invoke("show", short, "--json")
        assert shown.exit_code == 0, (short, shown.stderr)
        assert json.loads(shown.stdout)["url"].endswith(f"story-{['one', 'two'][story - 1]}")
    assert invoke("show", "https://sho.rt/c3").exit_code != 0
    # As a live fetch that followed the redirect keeps it: a "requested" address.
    from newsarc.store import open_db

    db = open_db(db_path)
    try:
        kinds = dict(db.execute("SELECT url, kind FROM article_urls").fetchall())
    finally:
        db.close()
    assert kinds["https://sho.rt/a1"] == "requested"
    # A second run over the file: nothing new, no alias added again.
    again = invoke("ingest", "--warc", str(path), *FAST)
    assert counts(again.stderr) == (0, 0, 0, 7, 0)


def test_a_redirect_is_kept_when_its_target_comes_in_a_later_file_of_the_run(db, tmp_path):
    first = Warc(tmp_path / "one.warc", gz=False)
    redirect(first, "https://sho.rt/x", "https://news.example/2024/05/later")
    second = Warc(tmp_path / "two.warc", gz=False)
    second.response("https://news.example/2024/05/later", article_page(5))
    summary = run(db, Source("warc", str(first.close())), Source("warc", str(second.close())))
    assert (summary.new, summary.unchanged, summary.skipped) == (1, 1, 0)
    assert count(db, "SELECT count(*) FROM article_urls WHERE url = 'https://sho.rt/x'") == 1
    # ... or by a past run.
    third = Warc(tmp_path / "three.warc", gz=False)
    redirect(third, "https://sho.rt/y", "https://news.example/2024/05/later")
    summary = run(db, Source("warc", str(third.close())))
    assert (summary.new, summary.unchanged, summary.skipped) == (0, 1, 0)


def test_a_redirect_loop_in_a_warc_is_skipped(db, tmp_path):
    warc = Warc(tmp_path / "loop.warc", gz=False)
    redirect(warc, "https://news.example/a", "https://news.example/b")
    redirect(warc, "https://news.example/b", "https://news.example/a")
    summary = run(db, Source("warc", str(warc.close())))
    assert (summary.new, summary.unchanged, summary.skipped, summary.failed) == (0, 0, 2, 0)


def test_a_revisit_at_another_address_leads_to_the_page_it_repeats(db, tmp_path):
    warc = Warc(tmp_path / "revisits.warc", gz=False)
    original = warc.response(
        "https://news.example/2024/05/story-nine", article_page(9), date="2024-05-06T10:00:00Z"
    )
    # Named by its target, and (as wget writes it) by the original record's id alone.
    revisit(
        warc,
        "https://news.example/2024/05/story-nine?output=amp",
        "https://news.example/2024/05/story-nine",
        "2024-05-06T10:00:00Z",
        "2024-05-07T10:00:00Z",
    )
    revisit(warc, "https://m.news.example/story-nine", None, None, "2024-05-07T11:00:00Z")
    # The same page again a week later: the archive's article counts as fetched then.
    revisit(
        warc,
        "https://news.example/2024/05/story-nine",
        "https://news.example/2024/05/story-nine",
        "2024-05-06T10:00:00Z",
        "2024-05-13T10:00:00Z",
    )
    # A revisit of a page the archive never had: skipped, not failed.
    revisit(
        warc,
        "https://news.example/2024/05/unknown",
        "https://news.example/2024/05/unknown",
        "2024-05-01T10:00:00Z",
        "2024-05-13T10:00:00Z",
    )
    summary = run(db, Source("warc", str(warc.close())))
    assert original
    assert (summary.new, summary.failed) == (1, 0)
    kinds = dict(db.execute("SELECT url, kind FROM article_urls").fetchall())
    assert kinds["https://news.example/2024/05/story-nine?output=amp"] == "copy"
    assert "https://m.news.example/story-nine" not in kinds  # its original is not named
    (fetched,) = db.execute("SELECT fetched_at FROM articles").fetchone()
    assert fetched == "2024-05-13T10:00:00+00:00"
    assert (summary.unchanged, summary.skipped) == (2, 2)


def test_a_revisit_named_by_the_original_record_id_is_found_in_the_file(db, tmp_path):
    warc = Warc(tmp_path / "wget.warc", gz=False)
    original = warc.response("https://news.example/2024/05/story-ten", article_page(10))
    revisit(
        warc,
        "https://news.example/2024/05/story-ten/",
        None,
        None,
        "2024-05-07T10:00:00Z",
        refers_to_record=original,
    )
    summary = run(db, Source("warc", str(warc.close())))
    assert (summary.new, summary.unchanged, summary.skipped) == (1, 1, 0)
    aliases = [row[0] for row in db.execute("SELECT url FROM article_urls WHERE kind = 'copy'")]
    assert aliases == ["https://news.example/2024/05/story-ten/"]


# -- a sitemap child that redirects back to its index --------------------------------------

SITEMAPS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def test_a_child_sitemap_redirecting_to_its_index_does_not_read_it_twice(db, server, caplog):
    # The index was read a second time through the redirect, and the warning then blamed the
    # child: "child.xml: this sitemap index lists itself".
    from tests.test_ingest import requested, serve_html

    base = server.url_for("/").rstrip("/")
    server.expect_request("/index.xml").respond_with_data(
        f"<sitemapindex {SITEMAPS}><sitemap><loc>{base}/child.xml</loc></sitemap>"
        f"<sitemap><loc>{base}/pages.xml</loc></sitemap></sitemapindex>",
        content_type="application/xml",
    )
    server.expect_request("/child.xml").respond_with_data(
        "", status=301, headers={"Location": f"{base}/index.xml"}
    )
    server.expect_request("/pages.xml").respond_with_data(
        f"<urlset {SITEMAPS}><url><loc>{base}/p/1</loc></url></urlset>",
        content_type="application/xml",
    )
    serve_html(server, "/p/1", article_page(31))
    with caplog.at_level(logging.INFO):
        summary = run(db, Source("sitemap", f"{base}/index.xml"))
    assert (summary.new, summary.skipped, summary.failed) == (1, 0, 0)
    assert requested(server).count("/pages.xml") == 1
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"{base}/index.xml: this sitemap index lists {base}/child.xml, which redirects back"
        " to it; not read again"
    ]


def test_two_children_redirected_to_one_sitemap_read_it_once(db, server, caplog):
    from tests.test_ingest import serve_html

    base = server.url_for("/").rstrip("/")
    server.expect_request("/index.xml").respond_with_data(
        f"<sitemapindex {SITEMAPS}><sitemap><loc>{base}/old.xml</loc></sitemap>"
        f"<sitemap><loc>{base}/new.xml</loc></sitemap></sitemapindex>",
        content_type="application/xml",
    )
    server.expect_request("/old.xml").respond_with_data(
        "", status=301, headers={"Location": f"{base}/new.xml"}
    )
    server.expect_request("/new.xml").respond_with_data(
        f"<urlset {SITEMAPS}><url><loc>{base}/p/2</loc></url></urlset>",
        content_type="application/xml",
    )
    serve_html(server, "/p/2", article_page(32))
    with caplog.at_level(logging.WARNING):
        summary = run(db, Source("sitemap", f"{base}/index.xml"))
    assert (summary.new, summary.skipped, summary.failed) == (1, 0, 0)  # not listed twice
    assert "itself" not in caplog.text


# -- spellings of a registered address --------------------------------------------------


def test_spellings_of_one_source_address_register_one_source(db_path):
    from tests.test_cli_ingest import invoke

    first = invoke("sources", "add", "https://news.example/feed.xml?format=rss&utm_source=x")
    assert first.exit_code == 0
    for spelling in [
        "https://news.example/%66eed.xml?format=rss&utm_source=x",
        "https://NEWS.example./feed.xml?%66ormat=rss&utm_source=x",
        "https://news.example:443/feed%2Exml?format=rss&utm_source=x",
    ]:
        again = invoke("sources", "add", spelling)
        assert again.exit_code == 0
        # The query is the server's to read: every parameter kept, in its order.
        assert (
            again.stdout
            == first.stdout
            == ("1\tfeed\thttps://news.example/feed.xml?format=rss&utm_source=x\n")
        )
        assert "registered already (source 1)" in again.stderr
    # Escapes that are no letter stay escaped, their hex digits in one case.
    other = invoke("sources", "add", "https://news.example/a%2fb.xml")
    assert other.stdout == "2\tfeed\thttps://news.example/a%2Fb.xml\n"
    assert invoke("sources", "remove", "https://news.example./a%2Fb.xml").exit_code == 0


# -- the failures' retention ------------------------------------------------------------


def test_failures_keep_the_last_days_and_each_address_latest(db, server, tmp_path):
    # One row per failure per run, for good: a URL failing every cron run for a year held
    # thousands. Now a failure prunes its address's failures older than FAILURE_DAYS.
    from datetime import datetime, timedelta, timezone

    from newsarc.store.batch import FAILURE_DAYS
    from tests.test_ingest import url_file

    server.expect_request("/down").respond_with_data("busy", status=500)
    down, other = server.url_for("/down"), server.url_for("/elsewhere")
    now = datetime.now(timezone.utc)
    for days, url in [(400, down), (200, down), (FAILURE_DAYS - 2, down), (300, other)]:
        stamp = (now - timedelta(days=days)).replace(microsecond=0).isoformat()
        db.execute(
            "INSERT INTO failures (url, reason, status, at) VALUES (?, 'HTTP 500', 500, ?)",
            [url, stamp],
        )
    db.conn.commit()
    summary = run(db, Source("urls", url_file(tmp_path, [down])))
    assert summary.failed == 1
    rows = db.execute("SELECT url, at FROM failures ORDER BY id").fetchall()
    # The old failures of the address that failed again are gone; the one of the last
    # FAILURE_DAYS stays, and so does the only (latest) failure of another address.
    assert [url for url, _ in rows] == [down, other, down]
    assert rows[0][1] > (now - timedelta(days=FAILURE_DAYS)).isoformat()


def test_the_migration_prunes_the_failures_an_archive_gathered(tmp_path):
    import sqlite3
    from datetime import datetime, timedelta, timezone

    from newsarc.store import open_db

    path = tmp_path / "old.db"
    db = open_db(path)
    now = datetime.now(timezone.utc)
    for days, url in [(300, "a"), (200, "a"), (100, "a"), (10, "a"), (300, "b"), (200, "b")]:
        stamp = (now - timedelta(days=days)).isoformat(timespec="seconds")
        db.execute(
            "INSERT INTO failures (url, reason, at) VALUES (?, 'x', ?)",
            [f"https://news.example/{url}", stamp],
        )
    db.execute(
        "DELETE FROM _sqlite_migrations WHERE name = ?", ["m018_source_moves_and_failures_kept"]
    )
    db.conn.commit()
    db.close()
    conn = sqlite3.connect(path)  # as an archive of the last version: no moved_from yet
    conn.execute("ALTER TABLE sources DROP COLUMN moved_from")
    conn.execute("ALTER TABLE sources DROP COLUMN moved_at")
    conn.commit()
    conn.close()
    db = open_db(path)
    kept = db.execute("SELECT url FROM failures ORDER BY id").fetchall()
    db.close()
    assert [url.rsplit("/", 1)[1] for (url,) in kept] == ["a", "b"]  # a's last days, b's latest


# -- a source that moved for good --------------------------------------------------------


def test_a_source_moving_for_good_is_listed_with_its_old_address(db_path, server):
    # The move was said at INFO, in --log only: `sources list` did not show it either.
    from tests.test_ingest import base_of, rss, serve_html

    serve_html(server, "/m/1", article_page(41))
    server.expect_request("/old.xml").respond_with_data(
        "", status=301, headers={"Location": server.url_for("/new.xml")}
    )
    server.expect_request("/new.xml").respond_with_data(
        rss(base_of(server), [server.url_for("/m/1")]), content_type="application/rss+xml"
    )
    from tests.test_cli_ingest import FAST, invoke

    old, new = server.url_for("/old.xml"), server.url_for("/new.xml")
    assert invoke("sources", "add", old).exit_code == 0
    first = invoke("ingest", "-q", *FAST)
    assert (first.exit_code, first.stderr) == (0, "")  # -q prints only errors
    (row,) = [line.split("\t") for line in invoke("sources", "list").stdout.splitlines()]
    assert row[2] == new
    assert re.fullmatch(
        rf"ok \(moved from {re.escape(old)} on \d{{4}}-\d\d-\d\d \d\d:\d\d UTC\)", row[4]
    )
    (listed,) = [
        json.loads(line) for line in invoke("sources", "list", "--json").stdout.splitlines()
    ]
    assert listed["moved_from"] == old
    # The next run asks the new address alone, and says nothing.
    second = invoke("ingest", "-q", *FAST)
    assert (second.exit_code, second.stderr) == (0, "")


def test_without_q_a_move_is_said_once_among_the_warnings(db_path, server):
    import subprocess
    import sys

    from tests.test_cli_ingest import FAST, invoke
    from tests.test_ingest import base_of, rss

    server.expect_request("/old.xml").respond_with_data(
        "", status=308, headers={"Location": server.url_for("/new.xml")}
    )
    server.expect_request("/new.xml").respond_with_data(
        rss(base_of(server), []), content_type="application/rss+xml"
    )
    assert invoke("sources", "add", server.url_for("/old.xml")).exit_code == 0
    # In a real process: the CLI's own stderr handler shows the warning.
    command = [sys.executable, "-m", "newsarc", "ingest", "--db", str(db_path), *FAST]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    (warning,) = [line for line in result.stderr.splitlines() if "moved" in line]
    assert warning.startswith(f"WARNING newsarc.ingest: {server.url_for('/old.xml')}: moved")
