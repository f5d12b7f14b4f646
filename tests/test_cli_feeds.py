"""`newsarc ingest --feed/--sitemap` through click: what a feed URL answers, whatever its label
(gzip, JSON Feed or a long prolog served as text/html), links read as browsers read them, and
entries that can never become articles said so (QA session 9, findings 3, 7, 8 and 10)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from typing import Any

from pytest_httpserver import HTTPServer

from tests.test_cli_ingest import FAST, counts, invoke
from tests.test_ingest import article_page, base_of, rss, serve_html


def archived(db_path: Any) -> list[str]:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        return sorted(row[0] for row in conn.execute("SELECT url FROM articles"))


def feed_body(server: HTTPServer, items: str) -> str:
    base = base_of(server)
    return (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>'
        f"<link>{base}/</link><description>d</description>{items}</channel></rss>"
    )


def test_a_feed_link_with_spaces_tabs_or_newlines_is_fetched_as_a_browser_would(server, db_path):
    base = base_of(server)
    items = (
        f"<item><title>s</title><link>{base}/sp/with space</link></item>"
        f"<item><title>t</title><link>\n  {base}/sp/tab\tbed\n</link></item>"
        f"<item><title>p</title><link>{base}/sp/plain</link></item>"
    )
    server.expect_request("/space.xml").respond_with_data(
        feed_body(server, items), content_type="application/rss+xml"
    )
    for n, path in enumerate(["/sp/with space", "/sp/tabbed", "/sp/plain"]):
        serve_html(server, path, article_page(3000 + n))
    result = invoke("ingest", "--feed", server.url_for("/space.xml"), *FAST)
    assert result.exit_code == 0, result.stderr
    assert counts(result.stderr) == (3, 0, 0, 0, 0)
    assert archived(db_path) == [f"{base}/sp/plain", f"{base}/sp/tabbed", f"{base}/sp/with%20space"]


def test_a_sitemap_loc_with_a_space_is_fetched_encoded_and_a_bad_one_counted(server, db_path):
    base = base_of(server)
    listed = (f"{base}/sm/a b", f"{base}/sm/c\td", "ftp://files.example/x")
    locs = "".join(f"<url><loc>{loc}</loc></url>" for loc in listed)
    server.expect_request("/sitemap.xml").respond_with_data(
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>',
        content_type="application/xml",
    )
    serve_html(server, "/sm/a b", article_page(3010))
    serve_html(server, "/sm/cd", article_page(3011))
    result = invoke("ingest", "--sitemap", server.url_for("/sitemap.xml"), *FAST)
    assert result.exit_code == 0, result.stderr
    assert counts(result.stderr) == (2, 0, 0, 1, 0)  # the ftp:// one skipped (with a warning)
    assert archived(db_path) == [f"{base}/sm/a%20b", f"{base}/sm/cd"]


def test_a_sitemap_of_exactly_max_urls_is_read_in_full_and_gets_a_304_next_run(server, db_path):
    # It was said to be cut ("stopped after max_urls=2 URLs") and kept no validators.
    base = base_of(server)
    locs = "".join(f"<url><loc>{base}/ex/{i}</loc></url>" for i in range(2))
    body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'

    def sitemap(request: Any) -> Any:
        from werkzeug import Response

        if request.headers.get("If-None-Match") == '"e1"':
            return Response(status=304, headers={"ETag": '"e1"'})
        return Response(body, content_type="application/xml", headers={"ETag": '"e1"'})

    server.expect_request("/exact.xml").respond_with_handler(sitemap)
    for i in range(2):
        serve_html(server, f"/ex/{i}", article_page(3060 + i))
    args = ("ingest", "--sitemap", server.url_for("/exact.xml"), "--max-urls", "2", *FAST)
    first = invoke(*args)
    assert first.exit_code == 0, first.stderr
    assert "stopped after" not in first.stderr
    assert counts(first.stderr) == (2, 0, 0, 0, 0)
    server.clear_log()
    second = invoke(*args)
    assert counts(second.stderr) == (0, 0, 0, 0, 0)
    assert [r.path for r, _ in server.log] == ["/exact.xml"]
    assert server.log[0][1].status_code == 304


def test_a_gzipped_feed_served_as_x_gzip_is_read_as_a_feed(server, db_path):
    base = base_of(server)
    body = rss(base, [f"{base}/gz/1", f"{base}/gz/2"])
    server.expect_request("/feed.xml.gz").respond_with_data(
        gzip.compress(body), content_type="application/x-gzip"
    )
    serve_html(server, "/gz/1", article_page(3020))
    serve_html(server, "/gz/2", article_page(3021))
    result = invoke("ingest", "--feed", server.url_for("/feed.xml.gz"), *FAST)
    assert result.exit_code == 0, result.stderr
    assert counts(result.stderr) == (2, 0, 0, 0, 0)


def test_gzipped_sitemaps_given_as_feeds_are_still_read_as_sitemaps(server, db_path):
    base = base_of(server)
    xml = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{base}/gs/1</loc></url></urlset>"
    )
    server.expect_request("/sitemap.xml.gz").respond_with_data(
        gzip.compress(xml.encode()), content_type="application/x-gzip"
    )
    # a text sitemap has no root element to tell it by: gzipped, it is still a sitemap
    server.expect_request("/sitemap.txt.gz").respond_with_data(
        gzip.compress(f"{base}/gs/2\n".encode()), content_type="application/x-gzip"
    )
    serve_html(server, "/gs/1", article_page(3030))
    serve_html(server, "/gs/2", article_page(3031))
    for path in ("/sitemap.xml.gz", "/sitemap.txt.gz"):
        result = invoke("ingest", "--feed", server.url_for(path), *FAST)
        assert result.exit_code == 0, result.stderr
        assert counts(result.stderr) == (1, 0, 0, 0, 0)


def test_a_gzipped_feed_too_large_once_decompressed_is_refused(server):
    base = base_of(server)
    padding = f"<!-- {'x' * 2_000_000} -->"
    body = rss(base, [f"{base}/big/1"]).replace(b"<channel>", padding.encode() + b"<channel>")
    server.expect_request("/big.xml.gz").respond_with_data(
        gzip.compress(body), content_type="application/x-gzip"
    )
    result = invoke("ingest", "--feed", server.url_for("/big.xml.gz"), "--max-bytes", "1M", *FAST)
    assert result.exit_code == 1
    assert "feed larger than 1 MB once decompressed; refused" in result.stderr


def test_a_json_feed_or_a_long_prolog_rss_served_as_html_is_read_as_a_feed(server, db_path):
    base = base_of(server)
    json_feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "items": [{"id": "1", "url": f"{base}/lbl/json"}],
    }
    server.expect_request("/feed.json").respond_with_data(
        json.dumps(json_feed), content_type="text/html; charset=utf-8"
    )
    prolog = f'<?xml version="1.0"?>\n<!-- {"x" * 5000} -->\n'.encode()
    body = rss(base, [f"{base}/lbl/long"]).replace(b'<?xml version="1.0" encoding="UTF-8"?>', b"")
    server.expect_request("/long.xml").respond_with_data(prolog + body, content_type="text/html")
    serve_html(server, "/lbl/json", article_page(3040))
    serve_html(server, "/lbl/long", article_page(3041))
    for path in ("/feed.json", "/long.xml"):
        result = invoke("ingest", "--feed", server.url_for(path), *FAST)
        assert result.exit_code == 0, result.stderr
        assert counts(result.stderr) == (1, 0, 0, 0, 0)
    assert archived(db_path) == [f"{base}/lbl/json", f"{base}/lbl/long"]


def test_a_feed_a_homepage_announces_is_told_by_its_bytes_as_a_feed_given_directly(server, db_path):
    # The announced feed served as text/html was refused ("unexpected content type") though
    # the same address given as --feed was read.
    base = base_of(server)
    homepage = (
        "<!doctype html><html><head><title>Home</title>"
        '<link rel="alternate" type="application/rss+xml" href="/feed/">'
        '<link rel="alternate" type="application/atom+xml" href="/page/">'
        "</head><body><h1>Front</h1></body></html>"
    )
    serve_html(server, "/", homepage.encode())
    server.expect_request("/feed/").respond_with_data(
        rss(base, [f"{base}/ann/1"]), content_type="text/html; charset=utf-8"
    )
    serve_html(server, "/page/", b"<html><body><p>Not a feed at all</p></body></html>")
    serve_html(server, "/ann/1", article_page(3050))
    result = invoke("ingest", "--feed", server.url_for("/"), *FAST)
    assert result.exit_code == 3, result.stderr
    assert counts(result.stderr) == (1, 0, 0, 0, 1)
    assert f"Error: {base}/page/: an HTML page (text/html), not a feed" in result.stderr
    assert archived(db_path) == [f"{base}/ann/1"]


def test_entries_without_a_usable_link_are_skipped_and_said_so(server, db_path):
    base = base_of(server)
    items = "".join(
        f'<item><title>Full text {n}</title><guid isPermaLink="false">tag:x:{n}</guid>'
        f"<content:encoded><![CDATA[<p>Story {n}</p>]]></content:encoded></item>"
        for n in range(3)
    )
    items += "<item><title>Mail</title><link>mailto:desk@news.example</link></item>"
    items += f"<item><title>ok</title><link>{base}/nl/ok</link></item>"
    server.expect_request("/full.xml").respond_with_data(
        feed_body(server, items), content_type="application/rss+xml", headers={"ETag": '"v1"'}
    )
    serve_html(server, "/nl/ok", article_page(3050))
    feed = server.url_for("/full.xml")
    assert invoke("sources", "add", feed, "--db", str(db_path)).exit_code == 0
    # In a real process, as cron runs it: the CLI's own stderr handler shows the warning.
    command = [sys.executable, "-m", "newsarc", "ingest", "--db", str(db_path), *FAST]
    run = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    assert run.returncode == 0, run.stderr
    warning, summary = run.stderr.splitlines()
    assert warning == (
        f"WARNING newsarc.ingest_sources: {feed}: skipped 3 entries without a link to a page"
        " and 1 entry whose link is not an http(s) URL ('mailto:desk@news.example')"
    )
    assert counts(summary) == (1, 0, 0, 4, 0)
    row = json.loads(invoke("sources", "list", "--json", "--db", str(db_path)).stdout)
    assert row["counts"]["skipped"] == 4 and row["last_status"] == "ok"


def test_feedburner_orig_links_and_html_entities_are_read_without_warnings(server, db_path):
    # QA session 14: the proxy's redirector is not fetched (it is another host, often dead),
    # and a title's &nbsp; does not make the feed "malformed" in every run's log.
    base = base_of(server)
    items = (
        "<item><title>A&nbsp;story &hellip;</title>"
        f"<link>{base}/proxy/abc</link>"
        f"<feedburner:origLink>{base}/orig/a</feedburner:origLink></item>"
    )
    body = feed_body(server, items).replace(
        "<rss ", '<rss xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0" '
    )
    server.expect_request("/fb.xml").respond_with_data(body, content_type="application/rss+xml")
    serve_html(server, "/orig/a", article_page(3100))
    result = invoke("ingest", "--feed", server.url_for("/fb.xml"), *FAST)
    assert result.exit_code == 0, result.stderr
    assert counts(result.stderr) == (1, 0, 0, 0, 0)
    assert "malformed" not in result.stderr
    assert archived(db_path) == [f"{base}/orig/a"]
    assert not [r for r, _ in server.log if r.path.startswith("/proxy/")]
