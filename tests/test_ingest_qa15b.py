"""Ingest QA, session 15 round 2: a WARC's redirects and revisits, sitemap loops through a
redirect, the spellings of a registered address, the failures' retention and a source that
moved for good. Through WARCs written here with warcio and real servers on 127.0.0.1."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest
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


def _unused(value: Any) -> Any:  # keeps imports used while the sections below grow
    return value, io, Path, pytest
