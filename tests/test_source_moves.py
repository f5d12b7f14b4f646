"""A registered feed or sitemap that moved for good: after a run whose request reached it through
permanent redirects only (301, 308) and read it there, it is registered at its new address, with
its id, counts and last run, and without the validators and cut-off of the old one. Anything
less (a temporary hop, a new address that fails or is no feed) keeps the registered address.
Seen through the CLI, against a real server on 127.0.0.1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from newsarc import store
from tests.test_cli_ingest import FAST, counts, invoke
from tests.test_ingest import article_page, base_of, requested, rss, serve_html
from tests.test_listing_state import Served, ago, articles, index, serve, urlset

RSS = "application/rss+xml"


def redirect(server: HTTPServer, path: str, to: str, status: int = 301) -> None:
    """Answer ``path`` with a redirect to ``to`` (a path on the same server)."""
    server.expect_request(path).respond_with_data(
        "", status=status, headers={"Location": server.url_for(to)}
    )


def feed_at(server: HTTPServer, path: str, *, first: int = 0, etag: str | None = None) -> Served:
    """An RSS feed at ``path`` listing two article pages, which are served too."""
    links = [server.url_for(f"/a/{n}") for n in (first, first + 1)]
    for n in (first, first + 1):
        serve_html(server, f"/a/{n}", article_page(7300 + n))
    return serve(server, path, rss(base_of(server), links).decode(), RSS, etag)


class Switch:
    """A path whose answer a test changes between runs: ``respond`` is the handler in use."""

    def __init__(self, respond: Any) -> None:
        self.respond = respond

    def __call__(self, request: Request) -> Response:
        response: Response = self.respond(request)
        return response


def moved_to(server: HTTPServer, path: str, status: int = 301) -> Any:
    """A handler that redirects to ``path`` on ``server``."""
    location = server.url_for(path)
    return lambda request: Response(status=status, headers={"Location": location})


def sources(*args: str) -> list[list[str]]:
    """``sources list`` as rows of fields."""
    out = invoke("sources", "list", *args).stdout
    return [line.split("\t") for line in out.splitlines()]


def as_json() -> list[dict[str, Any]]:
    return [json.loads(line) for line in invoke("sources", "list", "--json").stdout.splitlines()]


def ingest(tmp_path: Path, *args: str) -> tuple[Any, str]:
    """One ``newsarc ingest`` with a log; the result and what this run logged."""
    log = tmp_path / "run.log"
    log.unlink(missing_ok=True)
    result = invoke("ingest", *FAST, "--log", str(log), *args)
    return result, log.read_text(encoding="utf-8")


# -- permanent all the way: the source moves ---------------------------------------------


@pytest.mark.parametrize(
    "kind, hops",
    [
        ("feed", [301]),
        ("feed", [308]),
        ("feed", [301, 308]),
        ("sitemap", [301]),
    ],
    ids=["feed-301", "feed-308", "feed-301-308", "sitemap-301"],
)
def test_a_source_moved_for_good_is_registered_and_read_at_its_new_address(
    server, tmp_path, db_path, kind, hops
):
    new = server.url_for("/new")
    if kind == "feed":
        feed_at(server, "/new")
    else:
        for n in (0, 1):
            serve_html(server, f"/a/{n}", article_page(7300 + n))
        body = urlset(server, [("/a/0", ago(1)), ("/a/1", ago(1))])
        serve(server, "/new", body, "application/xml", None)
    paths = ["/old", *(f"/hop{n}" for n in range(1, len(hops))), "/new"]
    for path, to, status in zip(paths[:-1], paths[1:], hops, strict=True):
        redirect(server, path, to, status)
    invoke("sources", "add", server.url_for("/old"), "--kind", kind)

    first, logged = ingest(tmp_path)
    assert first.exit_code == 0, first.stderr
    assert counts(first.stderr)[0] == 2
    old = server.url_for("/old")
    assert f"{old}: moved permanently to {new}; registered address updated" in logged
    assert [row[:3] for row in sources()] == [["1", kind, new]]
    assert [(row["id"], row["url"], row["counts"]["new"]) for row in as_json()] == [(1, new, 2)]

    server.clear_log()
    second, logged = ingest(tmp_path)
    assert second.exit_code == 0, second.stderr
    assert requested(server) == ["/new"]  # straight to it; its pages are archived
    assert counts(second.stderr)[0] == 0
    assert "moved" not in logged
    assert articles(db_path) == {"0", "1"}
    (row,) = as_json()
    assert (row["url"], row["counts"]["runs"], row["counts"]["new"]) == (new, 2, 2)


def test_a_moved_source_gets_its_304_at_the_new_address(server, tmp_path):
    redirect(server, "/old", "/new")
    feed = feed_at(server, "/new", etag='"n1"')
    invoke("sources", "add", server.url_for("/old"))
    assert ingest(tmp_path)[0].exit_code == 0
    (row,) = as_json()
    assert (row["url"], row["etag"]) == (server.url_for("/new"), '"n1"')

    server.clear_log()
    second, _ = ingest(tmp_path)
    assert second.exit_code == 0, second.stderr
    assert requested(server) == ["/new"]
    assert feed.asked == [None, '"n1"']
    old = server.url_for("/old")
    assert sources()[0][4].startswith(f"not modified (moved from {old} on ")  # m018


def test_the_old_addresss_validators_are_not_sent_where_it_moved(server, tmp_path):
    # The feed was read at /feed.xml (ETag "same"); then it moves, and the new address would
    # answer that ETag with a 304 (a file moved as it was): sent there, the move would never
    # be seen, as the run would read nothing to check.
    links = [server.url_for(f"/a/{n}") for n in (0, 1)]
    for n in (0, 1):
        serve_html(server, f"/a/{n}", article_page(7300 + n))
    body = rss(base_of(server), links).decode()
    old = Served(body, RSS, '"same"')
    switch = Switch(old)
    server.expect_request("/feed.xml").respond_with_handler(switch)
    new = serve(server, "/moved.xml", body, RSS, '"same"')
    invoke("sources", "add", server.url_for("/feed.xml"))
    assert ingest(tmp_path)[0].exit_code == 0
    assert as_json()[0]["etag"] == '"same"'

    switch.respond = moved_to(server, "/moved.xml")
    second, logged = ingest(tmp_path)
    assert second.exit_code == 0, second.stderr
    assert new.asked == [None]
    assert "registered address updated" in logged
    (row,) = as_json()
    assert (row["url"], row["etag"], row["last_status"]) == (
        server.url_for("/moved.xml"),
        '"same"',  # earned at the new address this time
        "ok",
    )
    assert ingest(tmp_path)[0].exit_code == 0
    assert new.asked == [None, '"same"']


def test_a_moved_sitemap_index_reads_the_children_its_old_cut_off_would_pass_over(
    server, tmp_path, db_path
):
    # The cut-off (the last clean run) was earned reading the old index; the new one lists
    # another child, dated five days ago, which holds a new article.
    for slug in ("a-old", "b-new"):
        serve_html(server, f"/a/{slug}", article_page(7400 + ord(slug[0])))
    entries = {"a-old": ago(5), "b-new": ago(5)}
    for child, slug in (("/news.xml", "a-old"), ("/news2.xml", "b-new")):
        serve(
            server, child, urlset(server, [(f"/a/{slug}", entries[slug])]), "application/xml", None
        )

    def dated_index(child: str) -> str:
        return index(server, child).replace("</loc>", f"</loc><lastmod>{ago(5)}</lastmod>")

    switch = Switch(
        lambda request: Response(dated_index("/news.xml"), content_type="application/xml")
    )
    server.expect_request("/old-index.xml").respond_with_handler(switch)
    serve(server, "/index.xml", dated_index("/news2.xml"), "application/xml", None)
    invoke("sources", "add", server.url_for("/old-index.xml"), "--kind", "sitemap")
    assert counts(ingest(tmp_path)[0].stderr)[0] == 1

    switch.respond = moved_to(server, "/index.xml")
    second, _ = ingest(tmp_path)
    assert second.exit_code == 0, second.stderr
    assert "/news2.xml" in requested(server)
    assert articles(db_path) == {"a-old", "b-new"}
    assert [row[1:3] for row in sources()] == [["sitemap", server.url_for("/index.xml")]]


def test_a_homepage_moved_for_good_is_registered_at_its_new_address_not_at_its_feed(
    server, tmp_path
):
    # Reading a homepage through the feed it announces is no redirect: /home2 stays.
    for n, home in enumerate(("/home", "/home2")):
        feed_at(server, f"/feed{n}.xml", first=2 * n)
        page = f'<html><head><link rel="alternate" type="{RSS}" href="/feed{n}.xml"></head></html>'
        serve_html(server, home, page.encode())
    redirect(server, "/old-home", "/home")
    invoke("sources", "add", server.url_for("/old-home"))
    invoke("sources", "add", server.url_for("/home2"))
    result, _ = ingest(tmp_path)
    assert result.exit_code == 0, result.stderr
    assert counts(result.stderr)[0] == 4
    assert [row[:3] for row in sources()] == [
        ["1", "feed", server.url_for("/home")],
        ["2", "feed", server.url_for("/home2")],
    ]


# -- anything less: the registered address stays ------------------------------------------


STUB = '<html><head><meta http-equiv="refresh" content="0; url={}"></head></html>'


@pytest.mark.parametrize(
    "hops",
    [[302], [303], [307], [301, 307], [307, 301], [301, "refresh"]],
    ids=["302", "303", "307", "301-307", "307-301", "301-meta-refresh"],
)
def test_a_redirect_not_permanent_all_the_way_keeps_the_registered_address(server, tmp_path, hops):
    feed_at(server, "/new")
    paths = ["/old", *(f"/hop{n}" for n in range(1, len(hops))), "/new"]
    for path, to, status in zip(paths[:-1], paths[1:], hops, strict=True):
        if status == "refresh":
            serve_html(server, path, STUB.format(server.url_for(to)).encode())
        else:
            redirect(server, path, to, int(status))
    old = server.url_for("/old")
    invoke("sources", "add", old)
    result, logged = ingest(tmp_path)
    assert result.exit_code == 0, result.stderr
    assert counts(result.stderr)[0] == 2
    assert "moved" not in logged
    assert [row[2] for row in sources()] == [old]
    server.clear_log()
    ingest(tmp_path)
    assert requested(server)[0] == "/old"


LOGIN = b"<html><head><title>Sign in</title></head><body><form>Password</form></body></html>"


@pytest.mark.parametrize("kind", ["feed", "sitemap"])
@pytest.mark.parametrize("answer", ["404", "html"])
def test_a_permanent_redirect_to_what_is_not_the_source_keeps_the_registered_address(
    server, tmp_path, kind, answer
):
    redirect(server, "/old", "/new")
    if answer == "html":  # a login wall, a parked domain
        serve_html(server, "/new", LOGIN)
    else:
        server.expect_request("/new").respond_with_data("gone", status=404)
    old = server.url_for("/old")
    invoke("sources", "add", old, "--kind", kind)
    result, logged = ingest(tmp_path)
    assert result.exit_code != 0
    assert "moved" not in logged
    assert [row[2] for row in sources()] == [old]
    assert sources()[0][4].startswith("error: ")


@pytest.mark.parametrize("status", [301, 302])
def test_a_feed_sent_to_the_front_page_fails_and_reads_none_of_its_feeds(server, tmp_path, status):
    """A publisher that drops a feed often redirects it home. The front page's feeds are other
    feeds (here sports for a politics feed): reading them would archive the whole site under
    this source, and a 301 would register the front page in its place."""
    feed_at(server, "/sports.xml")
    home = f'<html><head><link rel="alternate" type="{RSS}" href="/sports.xml"></head></html>'
    serve_html(server, "/", home.encode())
    redirect(server, "/politics.xml", "/", status)
    old = server.url_for("/politics.xml")
    invoke("sources", "add", old)
    result, logged = ingest(tmp_path)
    assert result.exit_code != 0
    assert "redirected to the site's front page" in result.stderr
    assert "moved permanently" not in logged
    assert counts(result.stderr)[0] == 0  # no sports story
    assert "/sports.xml" not in requested(server)
    assert [row[2] for row in sources()] == [old]
    assert sources()[0][4].startswith("error: ")


def test_a_front_page_moved_for_good_to_another_front_page_moves(server, tmp_path):
    """A registered front page moving to its new domain (or to https) is the site itself."""
    new_site = HTTPServer(host="127.0.0.1")
    new_site.no_handler_status_code = 404  # no robots.txt: everything allowed
    new_site.start()
    try:
        feed_at(new_site, "/feed.xml")
        page = f'<html><head><link rel="alternate" type="{RSS}" href="/feed.xml"></head></html>'
        serve_html(new_site, "/", page.encode())
        server.expect_request("/").respond_with_data(
            "", status=301, headers={"Location": new_site.url_for("/")}
        )
        invoke("sources", "add", server.url_for("/"))
        result, logged = ingest(tmp_path)
        assert result.exit_code == 0, result.stderr
        assert counts(result.stderr)[0] == 2
        assert "moved permanently" in logged
        assert [row[2] for row in sources()] == [new_site.url_for("/")]
    finally:
        new_site.clear()
        new_site.stop()


# -- the new address registered already ---------------------------------------------------


@pytest.mark.parametrize("first", ["old", "new"])
def test_a_move_to_an_address_registered_already_leaves_one_source(
    server, tmp_path, db_path, first
):
    redirect(server, "/old", "/new")
    feed_at(server, "/new")
    old, new = server.url_for("/old"), server.url_for("/new")
    for url in (old, new) if first == "old" else (new, old):
        invoke("sources", "add", url)
    kept = "2" if first == "old" else "1"
    result, logged = ingest(tmp_path)
    assert result.exit_code == 0, result.stderr
    assert counts(result.stderr)[0] == 2
    assert f"{old}: moved permanently to {new}, registered already (source {kept})" in logged
    assert [row[:3] for row in sources()] == [[kept, "feed", new]]
    assert articles(db_path) == {"0", "1"}
    server.clear_log()
    assert ingest(tmp_path)[0].exit_code == 0
    assert "/old" not in requested(server)


def test_two_sources_moved_to_one_new_address_in_one_run_leave_one(server, tmp_path):
    redirect(server, "/old1", "/new")
    redirect(server, "/old2", "/new")
    feed_at(server, "/new")
    for path in ("/old1", "/old2"):
        invoke("sources", "add", server.url_for(path))
    result, _ = ingest(tmp_path)
    assert result.exit_code == 0, result.stderr
    assert [row[:3] for row in sources()] == [["1", "feed", server.url_for("/new")]]


# -- sources given on the command line -----------------------------------------------------


def test_a_feed_given_on_the_command_line_changes_no_registered_source(server, tmp_path):
    # It keeps its validators under the address given, sent along the redirect as before, so
    # a crontab line with an old --feed address still gets its 304s.
    redirect(server, "/old", "/new")
    feed = feed_at(server, "/new", etag='"n1"')
    new = server.url_for("/new")
    invoke("sources", "add", new)
    invoke("sources", "add", server.url_for("/other.xml"))
    server.expect_request("/other.xml").respond_with_data("nope", status=404)
    before = as_json()
    for _ in range(2):
        result, logged = ingest(tmp_path, "--feed", server.url_for("/old"))
        assert result.exit_code == 0, result.stderr
        assert "moved" not in logged
    assert as_json() == before
    assert feed.asked == [None, '"n1"']


# -- the store ------------------------------------------------------------------------------


def test_move_source_keeps_the_row_and_drops_what_the_old_address_earned(db):
    store.add_source(db, "https://example.com/old", "sitemap")
    store.update_source_run(db, "https://example.com/old", status="ok", found=3, clean=True)
    store.update_source_validators(
        db, "https://example.com/old", etag='"e"', last_modified="x", listed_since="7d"
    )
    before = store.get_source(db, "https://example.com/old")
    assert before is not None and before["clean_run_at"] is not None
    assert store.move_source(db, "https://example.com/old", "https://example.com/new") is None
    after = store.get_source(db, "https://example.com/new")
    assert after is not None and store.get_source(db, "https://example.com/old") is None
    for key in ("etag", "last_modified", "listed_since", "clean_run_at"):
        assert after[key] is None, key
    for key in ("id", "kind", "added_at", "last_run_at", "last_status", "last_found", "counts"):
        assert after[key] == before[key], key


def test_move_source_to_a_registered_address_keeps_that_one(db):
    kept = store.add_source(db, "https://example.com/new", "feed")
    store.update_source_validators(db, "https://example.com/new", etag='"n"', last_modified=None)
    store.add_source(db, "https://example.com/old", "feed")
    assert store.move_source(db, "https://example.com/old", "https://example.com/new") == kept
    (row,) = store.list_sources(db)
    assert (row["id"], row["url"], row["etag"]) == (kept, "https://example.com/new", '"n"')
