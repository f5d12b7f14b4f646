"""Batch ingestion against a real local HTTP server: sources, incrementality, politeness, dedupe.

Pages, feeds and sitemaps are built from the templates in ``fixtures/ingest/``. Most runs use
``workers=1`` (extraction in a thread) and no delay, to keep the file fast; one test goes
through the process pool.
"""

from __future__ import annotations

import gzip
import io
import random
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from string import Template
from typing import Any

import pytest
from pytest_httpserver import HTTPServer, URIPattern
from werkzeug import Request, Response

from newsarc.fetch import FetchLimits
from newsarc.ingest import PAGES_PER_WORKER, Ingester, IngestOptions, Source, Summary
from tests.conftest import fixture_path

WORDS = (
    "government minister border police report city council election market energy prices "
    "court ruling hospital school workers union strike weather storm flood fire village "
    "officials said statement week month year people families community investigation "
    "company shares profit budget tax plan vote parliament president region army talks "
    "agreement protest crowd road rail airport train delays water supply health service"
).split()


def template(name: str) -> Template:
    """A template from fixtures/ingest/ (``$name`` placeholders)."""
    return Template(fixture_path(f"ingest/{name}").read_text(encoding="utf-8"))


def story_words(n: int, count: int = 240) -> list[str]:
    """A body of ``count`` words unique to ``n`` (fixed seed)."""
    rng = random.Random(n)
    return [rng.choice(WORDS) for _ in range(count)]


def article_page(
    n: int,
    *,
    headline: str | None = None,
    words: list[str] | None = None,
    canonical: str | None = None,
    published: str = "2024-05-01T10:00:00+00:00",
) -> bytes:
    """An article page for story ``n``: navigation, a byline, paragraphs, an aside."""
    words = words if words is not None else story_words(n)
    paragraphs = "\n".join(
        "<p>" + " ".join(words[i : i + 40]).capitalize() + ".</p>" for i in range(0, len(words), 40)
    )
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        template("article.html")
        .substitute(
            headline=headline or f"Story number {n} about the {WORDS[n % len(WORDS)]}",
            published=published,
            canonical=link,
            paragraphs=paragraphs,
        )
        .encode("utf-8")
    )


def rss(base: str, links: list[str]) -> bytes:
    """An RSS 2.0 feed listing ``links``, newest first."""
    item = template("rss2-item.xml")
    items = "\n".join(
        item.substitute(title=f"Item {i}", link=link, date="Wed, 01 May 2024 10:00:00 +0000")
        for i, link in enumerate(links)
    )
    return template("rss2.xml").substitute(base=base, items=items).encode("utf-8")


def serve_html(server: HTTPServer, path: str, body: bytes, **kwargs: Any) -> None:
    """Answer GET ``path`` with an HTML page."""
    server.expect_request(path).respond_with_data(
        body, content_type="text/html; charset=utf-8", **kwargs
    )


def base_of(server: HTTPServer) -> str:
    return server.url_for("/").rstrip("/")


def requested(server: HTTPServer) -> list[str]:
    """Paths the server was asked for, in order."""
    return [request.path for request, _ in server.log]


def options(**overrides: Any) -> IngestOptions:
    """Fast test options: one extraction thread, no delay, no retries."""
    values: dict[str, Any] = {
        "delay": 0.0,
        "workers": 1,
        "limits": FetchLimits(retries=0, read_timeout=5, deadline=10),
    }
    values.update(overrides)
    return IngestOptions(**values)


def run(db: Any, *sources: Source, **overrides: Any) -> Summary:
    """One ingest run over ``sources``."""
    return Ingester(db, options(**overrides)).run(sources)


def count(db: Any, sql: str, *params: Any) -> Any:
    return db.execute(sql, params).fetchone()[0]


def url_file(tmp_path: Path, urls: list[str]) -> str:
    path = tmp_path / "urls.txt"
    path.write_text("# test list\n\n" + "\n".join(urls) + "\n", encoding="utf-8")
    return str(path)


# -- URL lists, incrementality --------------------------------------------------------------


def test_url_list_archives_each_page_then_skips_them(db, server, tmp_path):
    for n in range(5):
        serve_html(server, f"/news/{n}", article_page(n))
    urls = [server.url_for(f"/news/{n}") for n in range(5)]
    source = Source("urls", url_file(tmp_path, urls + ["not a url"]))

    first = run(db, source)
    assert (first.new, first.failed) == (5, 1)  # the bad line is reported, not fatal
    assert count(db, "SELECT count(*) FROM articles") == 5
    assert "not a valid URL" in first.failures[0].reason

    server.clear_log()
    second = run(db, source)
    assert (second.new, second.skipped) == (0, 5)
    assert [p for p in requested(server) if p.startswith("/news/")] == []

    third = run(db, source, refresh=True)
    assert (third.new, third.unchanged) == (0, 5)


def test_a_long_list_starts_fetching_after_its_first_slice(db, server, tmp_path, monkeypatch):
    import newsarc.ingest as ingest
    from newsarc.ingest_work import HostQueue

    for n in range(12):
        serve_html(server, f"/news/{n}", article_page(n))
    monkeypatch.setattr(ingest, "FILL_SLICE", 4)
    admitted: list[str] = []
    first_fetches_after: list[int] = []
    admit, take = Ingester._admit, HostQueue.take

    def counting_admit(self: Ingester, work: Any) -> None:
        admitted.append(work.url)
        admit(self, work)

    def watching_take(self: HostQueue, limit: int) -> list[Any]:
        taken = take(self, limit)
        if taken and not first_fetches_after:
            first_fetches_after.append(len(admitted))
        return taken

    monkeypatch.setattr(Ingester, "_admit", counting_admit)
    monkeypatch.setattr(HostQueue, "take", watching_take)
    urls = [server.url_for(f"/news/{n}") for n in range(12)]
    summary = run(db, Source("urls", url_file(tmp_path, urls)))
    assert summary.new == 12
    # The first fetches went out when one slice of the list had been read, not all of it.
    assert first_fetches_after == [4]
    assert len(admitted) == 12


def test_same_url_twice_in_one_run_is_fetched_once(db, server, tmp_path):
    serve_html(server, "/news/1", article_page(1))
    url = server.url_for("/news/1")
    summary = run(db, Source("urls", url_file(tmp_path, [url, url + "?utm_source=x#top"])))
    assert (summary.new, summary.skipped) == (1, 1)
    assert requested(server).count("/news/1") == 1


def test_failures_are_counted_recorded_and_do_not_stop_the_run(db, server, tmp_path):
    serve_html(server, "/news/ok", article_page(1))
    server.expect_request("/news/gone").respond_with_data("gone", status=404)
    serve_html(server, "/news/empty", b"<html><body><nav>Home</nav></body></html>")
    urls = [server.url_for(p) for p in ("/news/gone", "/news/empty", "/news/ok")]
    summary = run(db, Source("urls", url_file(tmp_path, urls)))
    assert (summary.new, summary.failed) == (1, 2)
    assert summary.exit_code == 3
    rows = db.execute("SELECT url, status, reason FROM failures").fetchall()
    failed = {url.rsplit("/", 1)[-1]: (status, reason) for url, status, reason in rows}
    assert failed.keys() == {"gone", "empty"}
    assert failed["gone"][0] == 404 and "404" in failed["gone"][1]
    assert failed["empty"][0] is None and "no article text" in failed["empty"][1]


def test_a_source_that_cannot_be_read_is_fatal_only_when_it_is_the_only_one(db, tmp_path):
    missing = run(db, Source("urls", str(tmp_path / "nope.txt")))
    assert missing.failed == 1 and missing.exit_code == 1
    assert "cannot read URL list" in missing.failures[0].reason


def test_dead_host_is_given_up_after_a_few_failures(db, tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    urls = [f"http://127.0.0.1:{port}/news/{n}" for n in range(12)]
    summary = run(db, Source("urls", url_file(tmp_path, urls)), ignore_robots=True, per_host=1)
    assert summary.failed == 12
    reasons = [f.reason for f in summary.failures]
    assert sum("connection refused" in r for r in reasons) >= 5
    assert any(": given up, 127.0.0.1 failed 5 times in a row (last: " in r for r in reasons)


def test_retry_after_then_success(db, server, tmp_path):
    calls = []

    def flaky(request: Request) -> Response:
        calls.append(time.monotonic())
        if len(calls) == 1:
            return Response("busy", status=503, headers={"Retry-After": "1"})
        return Response(article_page(7), content_type="text/html; charset=utf-8")

    server.expect_request("/news/7").respond_with_handler(flaky)
    limits = FetchLimits(retries=2, read_timeout=5, deadline=10)
    summary = run(
        db, Source("urls", url_file(tmp_path, [server.url_for("/news/7")])), limits=limits
    )
    assert summary.new == 1
    assert calls[1] - calls[0] >= 0.95  # the server's Retry-After was honoured


# -- feeds ----------------------------------------------------------------------------------


def test_rss_feed_of_n_items(db, server):
    n = 12
    links = [server.url_for(f"/feed-story/{i}") for i in range(n)]
    server.expect_request("/rss.xml").respond_with_data(
        rss(base_of(server), links), content_type="application/rss+xml"
    )
    for i in range(n):
        serve_html(server, f"/feed-story/{i}", article_page(100 + i))
    summary = run(db, Source("feed", server.url_for("/rss.xml")))
    assert (summary.new, summary.failed) == (n, 0)
    urls = {row[0] for row in db.execute("SELECT url FROM articles")}
    assert urls == set(links)


def test_atom_and_rss1_feeds_and_max_items(db, server):
    base = base_of(server)
    server.expect_request("/atom.xml").respond_with_data(
        template("atom.xml").substitute(base=base), content_type="application/atom+xml"
    )
    server.expect_request("/rss1.rdf").respond_with_data(
        template("rss1.rdf").substitute(base=base), content_type="application/rdf+xml"
    )
    for i in (1, 2, 3):
        serve_html(server, f"/atom/{i}", article_page(200 + i))
    for i in (1, 2):
        serve_html(server, f"/rdf/{i}", article_page(210 + i))
    summary = run(
        db,
        Source("feed", server.url_for("/atom.xml")),
        Source("feed", server.url_for("/rss1.rdf")),
        max_items=2,
    )
    assert summary.new == 4
    assert "/atom/3" not in requested(server)  # past max_items


def test_homepage_feed_discovery_and_since(db, server):
    base = base_of(server)
    serve_html(server, "/", template("homepage.html").substitute().encode())
    server.expect_request("/atom.xml").respond_with_data(
        template("atom.xml").substitute(base=base), content_type="application/atom+xml"
    )
    for i in (1, 2, 3):
        serve_html(server, f"/atom/{i}", article_page(220 + i))
    summary = run(db, Source("feed", server.url_for("/")), since="2024-05-02")
    assert summary.new == 2
    paths = requested(server)
    assert "/atom/1" not in paths and "/comments/feed" not in paths


def test_registered_feed_conditional_get(db, server):
    from newsarc.store import add_source, get_source

    links = [server.url_for(f"/cond/{i}") for i in range(3)]
    seen_headers: list[dict[str, str]] = []

    def feed(request: Request) -> Response:
        seen_headers.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(
            rss(base_of(server), links),
            content_type="application/rss+xml",
            headers={"ETag": '"v1"', "Last-Modified": "Wed, 01 May 2024 10:00:00 GMT"},
        )

    server.expect_request("/cond.xml").respond_with_handler(feed)
    for i in range(3):
        serve_html(server, f"/cond/{i}", article_page(300 + i))
    url = server.url_for("/cond.xml")
    add_source(db, url, "feed")

    first = run(db, Source("feed", url))
    assert first.new == 3
    source = get_source(db, url)
    assert source["etag"] == '"v1"' and source["last_status"] == "ok"
    assert source["counts"]["new"] == 3

    server.clear_log()
    second = run(db, Source("feed", url))
    assert (second.new, second.skipped, second.failed) == (0, 0, 0)
    assert requested(server) == ["/cond.xml"]  # a 304 costs one request and nothing else
    assert seen_headers[-1]["If-None-Match"] == '"v1"'
    assert seen_headers[-1]["If-Modified-Since"] == "Wed, 01 May 2024 10:00:00 GMT"
    assert get_source(db, url)["last_status"] == "not modified"


def test_validators_are_not_kept_when_items_failed(db, server):
    from newsarc.store import add_source, get_source

    server.expect_request("/partial.xml").respond_with_data(
        rss(base_of(server), [server.url_for("/p/ok"), server.url_for("/p/broken")]),
        content_type="application/rss+xml",
        headers={"ETag": '"p1"'},
    )
    serve_html(server, "/p/ok", article_page(400))
    server.expect_request("/p/broken").respond_with_data("oops", status=500)
    url = server.url_for("/partial.xml")
    add_source(db, url, "feed")
    summary = run(db, Source("feed", url))
    assert (summary.new, summary.failed) == (1, 1)
    source = get_source(db, url)
    assert source["etag"] is None  # so the next run lists the feed again and retries
    assert source["last_status"] == "1 failed"


def dated_rss(base: str, items: list[tuple[str, str]]) -> bytes:
    """An RSS 2.0 feed of (link, RFC 822 date) items."""
    item = template("rss2-item.xml")
    body = "\n".join(
        item.substitute(title=f"Item {i}", link=link, date=date)
        for i, (link, date) in enumerate(items)
    )
    return template("rss2.xml").substitute(base=base, items=body).encode("utf-8")


def conditional_feed(server: HTTPServer, path: str, body: Any, etag: str) -> list[dict[str, str]]:
    """Serve a feed (``body()`` gives its bytes) that answers 304 to ``etag``; returns the
    headers of every request for it."""
    seen: list[dict[str, str]] = []

    def feed(request: Request) -> Response:
        seen.append(dict(request.headers))
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body(), content_type="application/rss+xml", headers={"ETag": etag})

    server.expect_request(path).respond_with_handler(feed)
    return seen


def part_feed(server: HTTPServer, db: Any) -> tuple[str, list[dict[str, str]]]:
    """A registered feed at /part.xml (ETag "e1") of /part/0-1, dated 2024-05-01, and
    /part/2, dated 2024-04-01; its URL and the headers of every request for it."""
    from newsarc.store import add_source

    dates = ["Wed, 01 May 2024 10:00:00 +0000"] * 2 + ["Mon, 01 Apr 2024 10:00:00 +0000"]
    links = [server.url_for(f"/part/{i}") for i in range(3)]
    items = list(zip(links, dates, strict=True))
    seen = conditional_feed(server, "/part.xml", lambda: dated_rss(base_of(server), items), '"e1"')
    for i in range(3):
        serve_html(server, f"/part/{i}", article_page(430 + i))
    url = server.url_for("/part.xml")
    add_source(db, url, "feed")
    return url, seen


def test_a_feed_read_in_part_keeps_no_validators(db, server):
    # A run that left entries out is not a clean run: with the ETag kept, every later run
    # would get a 304 and never archive them.
    from newsarc.store import get_source

    url, seen = part_feed(server, db)
    assert run(db, Source("feed", url), max_items=2).new == 2
    source = get_source(db, url)
    assert source["etag"] is None
    assert source["last_status"] == "listed in part (--max-items)"
    later = run(db, Source("feed", url))
    assert "If-None-Match" not in seen[-1]
    assert (later.new, later.skipped) == (1, 2)
    assert get_source(db, url)["etag"] == '"e1"'  # that run read it all: now kept


def test_a_feed_read_under_since_keeps_its_validators_for_that_since_only(db, server):
    # --since leaves out what the user asked to leave out: the validators are kept with it,
    # and hold for a run whose --since is not earlier (a relative --since moves forward), so a
    # cron line with --since costs a 304 when nothing changed; an earlier or no --since reads
    # the feed in full.
    from newsarc.store import get_source

    url, seen = part_feed(server, db)
    assert run(db, Source("feed", url), since="2024-04-15").new == 2
    source = get_source(db, url)
    assert (source["etag"], source["listed_since"]) == ('"e1"', "2024-04-15")
    assert source["last_status"] == "ok"
    for since in ("2024-04-15", "2024-04-20"):
        again = run(db, Source("feed", url), since=since)
        assert seen[-1].get("If-None-Match") == '"e1"'
        assert (again.new, again.skipped) == (0, 0)  # a 304
    earlier = run(db, Source("feed", url), since="2024-03-01")
    assert "If-None-Match" not in seen[-1]
    assert (earlier.new, earlier.skipped) == (1, 2)
    assert get_source(db, url)["listed_since"] == "2024-03-01"
    assert run(db, Source("feed", url)).skipped == 3  # no --since: read in full
    assert "If-None-Match" not in seen[-1]
    assert get_source(db, url)["listed_since"] is None
    run(db, Source("feed", url), since="2024-03-01")  # and then a 304 for any --since
    assert seen[-1].get("If-None-Match") == '"e1"'


def undated_feed(server, name: str, seed: int) -> str:
    """A feed at /NAME.xml (ETag "NAME") of two undated entries: /NAME/old, an article dated
    2024-05-01, and /NAME/new, dated 2024-07-01; its URL."""
    links = "".join(
        f"<item><title>x</title><link>{server.url_for(f'/{name}/{age}')}</link></item>"
        for age in ("old", "new")
    )
    server.expect_request(f"/{name}.xml").respond_with_data(
        template("rss2.xml").substitute(base=base_of(server), items=links),
        content_type="application/rss+xml",
        headers={"ETag": f'"{name}"'},
    )
    for offset, (age, day) in enumerate((("old", "2024-05-01"), ("new", "2024-07-01"))):
        serve_html(
            server, f"/{name}/{age}", article_page(seed + offset, published=f"{day}T10:00:00+00:00")
        )
    return server.url_for(f"/{name}.xml")


def test_an_undated_entry_left_out_by_its_article_date_keeps_validators_for_that_since(db, server):
    from newsarc.store import get_validators

    url = undated_feed(server, "ud", 480)
    first = run(db, Source("feed", url), since="2024-06-01")
    assert (first.new, first.skipped) == (1, 1)
    # kept for a run with this --since or a later one: /ud/old is still to be read by others
    assert get_validators(db, url) == ('"ud"', None, "2024-06-01")
    assert run(db, Source("feed", url)).new == 1
    asked = [request for request, _ in server.log if request.path == "/ud.xml"]
    assert "If-None-Match" not in asked[-1].headers
    assert get_validators(db, url) == ('"ud"', None, None)


def test_an_undated_entry_remembered_as_too_old_is_not_fetched(db, server):
    from newsarc.store import get_validators

    url = undated_feed(server, "rm", 482)
    first = run(db, Source("feed", url), since="2024-06-01")
    assert (first.new, first.skipped, requested(server).count("/rm/old")) == (1, 1, 1)
    second = run(db, Source("feed", url), since="2024-06-01")
    assert (second.new, second.skipped, requested(server).count("/rm/old")) == (0, 2, 1)
    # Left out unfetched is still left out: the feed was read under --since, so the next run
    # (here with no --since) must not get a 304 and miss /rm/old.
    assert get_validators(db, url).listed_since == "2024-06-01"
    third = run(db, Source("feed", url))
    assert (third.new, requested(server).count("/rm/old")) == (1, 2)


def test_a_sitemap_cut_by_max_urls_keeps_no_validators(db, server):
    from newsarc.store import get_validators

    urlset = "".join(f"<url><loc>{server.url_for(f'/cut/{i}')}</loc></url>" for i in range(3))
    server.expect_request("/cut.xml").respond_with_data(
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urlset}</urlset>',
        content_type="application/xml",
        headers={"ETag": '"s1"'},
    )
    for i in range(3):
        serve_html(server, f"/cut/{i}", article_page(440 + i))
    url = server.url_for("/cut.xml")
    assert run(db, Source("sitemap", url), max_urls=2).new == 2
    assert get_validators(db, url) == (None, None, None)
    assert run(db, Source("sitemap", url)).new == 1
    assert get_validators(db, url)[0] == '"s1"'


def test_a_homepage_is_read_through_all_its_feeds_in_full_each_run(db, server):
    # An unchanged homepage must not hide new items of its feeds behind a 304, and every
    # feed it announces is read (comment feeds are not).
    base = base_of(server)
    homepage = (
        '<html><head><link rel="alternate" type="application/rss+xml" title="Main" '
        'href="feeds/main.xml"><link rel="alternate" type="application/atom+xml" '
        'title="Sport" href="/feeds/sport.xml"><link rel="alternate" '
        'type="application/rss+xml" title="Comments" href="/comments.xml"></head>'
        "<body><p>Front page.</p></body></html>"
    )
    home_seen: list[dict[str, str]] = []

    def home(request: Request) -> Response:
        home_seen.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"h1"':
            return Response(status=304, headers={"ETag": '"h1"'})
        return Response(homepage, content_type="text/html", headers={"ETag": '"h1"'})

    server.expect_request("/home").respond_with_handler(home)
    main = [server.url_for("/hp/1")]
    server.expect_request("/feeds/main.xml").respond_with_handler(
        lambda request: Response(rss(base, main), content_type="application/rss+xml")
    )
    server.expect_request("/feeds/sport.xml").respond_with_data(
        template("atom.xml").substitute(base=base), content_type="application/atom+xml"
    )
    for path, n in [("/hp/1", 450), ("/hp/2", 451), ("/atom/1", 452), ("/atom/2", 453)]:
        serve_html(server, path, article_page(n))
    serve_html(server, "/atom/3", article_page(454))
    url = server.url_for("/home")
    first = run(db, Source("feed", url))
    assert first.new == 4  # /hp/1 and the sport feed's three
    assert "/comments.xml" not in requested(server)
    main.append(server.url_for("/hp/2"))
    second = run(db, Source("feed", url))
    assert all("If-None-Match" not in headers for headers in home_seen)
    assert (second.new, second.skipped) == (1, 4)


def test_a_feed_labelled_html_is_read_as_a_feed(db, server):
    server.expect_request("/mislabelled.xml").respond_with_data(
        rss(base_of(server), [server.url_for("/ml/1")]), content_type="text/html"
    )
    serve_html(server, "/ml/1", article_page(460))
    assert run(db, Source("feed", server.url_for("/mislabelled.xml"))).new == 1


def test_since_applies_to_undated_items_by_the_article_date(db, server, tmp_path):
    # A URL list gives no dates: the article's own decides. A feed's dated item was judged by
    # its feed date, which stands (an old story the feed lists as new again is kept).
    serve_html(server, "/old", article_page(470, published="2024-05-01T10:00:00+00:00"))
    serve_html(server, "/new", article_page(471, published="2024-07-01T10:00:00+00:00"))
    serve_html(server, "/relisted", article_page(472, published="2024-05-01T10:00:00+00:00"))
    server.expect_request("/relist.xml").respond_with_data(
        dated_rss(
            base_of(server), [(server.url_for("/relisted"), "Mon, 01 Jul 2024 10:00:00 +0000")]
        ),
        content_type="application/rss+xml",
    )
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server.url_for('/old')}\n{server.url_for('/new')}\n")
    summary = run(
        db,
        Source("urls", str(urls)),
        Source("feed", server.url_for("/relist.xml")),
        since="2024-06-01",
    )
    assert (summary.new, summary.skipped) == (2, 1)
    stored = {row[0].rsplit("/", 1)[-1] for row in db.execute("SELECT url FROM articles")}
    assert stored == {"new", "relisted"}


# -- sitemaps -------------------------------------------------------------------------------


def serve_sitemaps(server: HTTPServer, recent: str) -> None:
    base = base_of(server)
    server.expect_request("/sitemap-index.xml").respond_with_data(
        template("sitemap-index.xml").substitute(base=base, recent=recent),
        content_type="application/xml",
    )
    server.expect_request("/sitemap-2020.xml").respond_with_data(
        template("sitemap-2020.xml").substitute(base=base), content_type="application/xml"
    )
    recent_xml = template("sitemap-recent.xml").substitute(base=base, recent=recent)
    server.expect_request("/sitemap-recent.xml.gz").respond_with_data(
        gzip.compress(recent_xml.encode()), content_type="application/x-gzip"
    )
    server.expect_request("/news-sitemap.xml").respond_with_data(
        template("news-sitemap.xml").substitute(base=base), content_type="application/xml"
    )
    for i, path in enumerate(
        ["/old/1", "/old/2", "/recent/1", "/recent/2", "/recent/3", "/news/1", "/news/2"]
    ):
        serve_html(server, path, article_page(500 + i))


def test_sitemap_index_gzip_and_news_sitemap(db, server):
    serve_sitemaps(server, recent="2024-05-02")
    summary = run(db, Source("sitemap", server.url_for("/sitemap-index.xml")))
    assert (summary.new, summary.failed) == (7, 0)


def test_sitemap_since_skips_old_children_and_entries(db, server):
    serve_sitemaps(server, recent="2024-05-02")
    summary = run(db, Source("sitemap", server.url_for("/sitemap-index.xml")), since="2024-01-01")
    paths = requested(server)
    assert "/sitemap-2020.xml" not in paths  # the index said it has not changed since 2020
    assert "/news/2" not in paths  # published 2023-12-30
    assert summary.new == 4  # recent/1-3 (recent/3 undated is kept) and news/1


def test_registered_sitemap_honours_lastmod_since_the_last_run(db, server):
    from datetime import datetime, timezone

    from newsarc.store import add_source

    serve_sitemaps(server, recent=datetime.now(timezone.utc).date().isoformat())
    url = server.url_for("/sitemap-index.xml")
    add_source(db, url, "sitemap")
    assert run(db, Source("sitemap", url)).new == 7
    server.clear_log()
    second = run(db, Source("sitemap", url))
    paths = requested(server)
    assert "/sitemap-2020.xml" not in paths  # unchanged since the last good run
    assert "/sitemap-recent.xml.gz" in paths
    # recent/1-3 and news/1-2 are listed again and skipped as archived: an entry is not judged
    # by the cut-off (one listed later than its lastmod would be lost), only a child sitemap
    assert (second.skipped, second.new) == (5, 0)
    # --refresh reads everything again
    server.clear_log()
    run(db, Source("sitemap", url), refresh=True)
    assert "/sitemap-2020.xml" in requested(server)


def test_a_broken_child_sitemap_is_a_failure_not_the_end(db, server):
    base = base_of(server)
    server.expect_request("/idx.xml").respond_with_data(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/missing.xml</loc></sitemap>"
        f"<sitemap><loc>{base}/news-sitemap.xml</loc></sitemap></sitemapindex>",
        content_type="application/xml",
    )
    server.expect_request("/news-sitemap.xml").respond_with_data(
        template("news-sitemap.xml").substitute(base=base), content_type="application/xml"
    )
    serve_html(server, "/news/1", article_page(601))
    serve_html(server, "/news/2", article_page(602))
    summary = run(db, Source("sitemap", server.url_for("/idx.xml")))
    assert (summary.new, summary.failed) == (2, 1)
    assert "missing.xml" in summary.failures[0].reason


# -- robots.txt and politeness --------------------------------------------------------------


def test_robots_txt_is_honoured_and_fetched_once(db, server, tmp_path):
    server.expect_request("/robots.txt").respond_with_data(
        template("robots.txt").substitute(), content_type="text/plain"
    )
    for path in ("/news/1", "/news/2", "/private/3"):
        serve_html(server, path, article_page(700 + int(path[-1])))
    urls = [server.url_for(p) for p in ("/news/1", "/private/3", "/news/2")]
    summary = run(db, Source("urls", url_file(tmp_path, urls)))
    assert (summary.new, summary.skipped, summary.failed) == (2, 1, 0)
    paths = requested(server)
    assert "/private/3" not in paths
    assert paths.count("/robots.txt") == 1
    agents = {request.headers.get("User-Agent") for request, _ in server.log}
    assert len(agents) == 1 and agents.pop().startswith("newsarc/")

    server.clear_log()
    again = run(db, Source("urls", url_file(tmp_path, urls)), ignore_robots=True)
    assert again.new == 1
    assert requested(server) == ["/private/3"]


def test_an_unreadable_robots_txt_makes_failures_not_skips(db, server, tmp_path):
    # A robots.txt answering 503 disallows the site (RFC 9309), but that is not the site's
    # wish: the pages are failures, so the run is not clean and the next one tries again.
    from newsarc.store import add_source, get_source

    server.expect_request("/robots.txt").respond_with_data("busy", status=503)
    links = [server.url_for(f"/ur/{i}") for i in range(2)]
    server.expect_request("/ur.xml").respond_with_data(
        rss(base_of(server), links), content_type="application/rss+xml", headers={"ETag": '"u"'}
    )
    url = server.url_for("/ur.xml")
    add_source(db, url, "feed")
    summary = run(db, Source("feed", url), ignore_robots=False)
    assert (summary.new, summary.skipped) == (0, 0)
    assert summary.failed == 1  # the feed itself: its host's robots.txt is unreachable
    source = get_source(db, url)
    assert source["etag"] is None and source["last_status"].startswith("error:")
    assert "robots.txt unreachable (HTTP 503)" in source["last_status"]
    assert "/ur.xml" not in requested(server)

    server.clear_log()
    pages = run(db, Source("urls", url_file(tmp_path, links)))
    assert (pages.new, pages.skipped, pages.failed) == (0, 0, 2)


def test_a_robots_txt_too_large_to_read_is_unreachable_not_permission(
    db, server, tmp_path, monkeypatch
):
    import newsarc.ingest_http as ingest_http

    monkeypatch.setattr(ingest_http, "ROBOTS_MAX_BYTES", 2000)
    server.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /\n" + "# padding\n" * 300, content_type="text/plain"
    )
    serve_html(server, "/big-robots/1", article_page(710))
    urls = [server.url_for("/big-robots/1")]
    summary = run(db, Source("urls", url_file(tmp_path, urls)))
    assert (summary.new, summary.failed) == (0, 1)
    assert "/big-robots/1" not in requested(server)


def test_robots_txt_is_read_whatever_max_bytes_says(db, server, tmp_path):
    server.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\n" + "# padding\n" * 300, content_type="text/plain"
    )
    serve_html(server, "/private/1", article_page(711))
    urls = [server.url_for("/private/1")]
    limits = FetchLimits(retries=0, read_timeout=5, deadline=10, max_bytes=1000)
    summary = run(db, Source("urls", url_file(tmp_path, urls)), limits=limits)
    assert (summary.new, summary.skipped, summary.failed) == (0, 1, 0)
    assert "/private/1" not in requested(server)


def test_feeds_and_sitemaps_honour_robots_txt(db, server):
    server.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /feeds/\n", content_type="text/plain"
    )
    server.expect_request("/feeds/closed.xml").respond_with_data(
        rss(base_of(server), [server.url_for("/fc/1")]), content_type="application/rss+xml"
    )
    summary = run(db, Source("feed", server.url_for("/feeds/closed.xml")))
    assert (summary.new, summary.failed) == (0, 1)
    assert "/feeds/closed.xml" not in requested(server)


def test_a_host_refusing_every_page_is_given_up(db, server, tmp_path, monkeypatch):
    # 503 after 503: each refusal doubles the host's backoff (up to 5 minutes); without a
    # limit a cron run would wait on such a host for hours. (Backoff shortened for the test.)
    import newsarc.ingest_hosts as ingest_hosts

    monkeypatch.setattr(ingest_hosts, "MAX_BACKOFF", 0.01)
    server.expect_request(RecordingServer.Any()).respond_with_data("busy", status=503)
    urls = [server.url_for(f"/busy/{i}") for i in range(8)]
    summary = run(db, Source("urls", url_file(tmp_path, urls)), per_host=1)
    assert summary.failed == 8
    assert sum(p.startswith("/busy/") for p in requested(server)) == 5


def test_robots_txt_is_kept_for_a_day_across_runs(db, server, tmp_path):
    from newsarc.store import stored_robots

    server.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    for n in (1, 2):
        serve_html(server, f"/kept/{n}", article_page(720 + n))
    serve_html(server, "/private/9", article_page(729))
    first = [server.url_for("/kept/1"), server.url_for("/private/9")]
    run(db, Source("urls", url_file(tmp_path, first)))
    assert requested(server).count("/robots.txt") == 1
    (origin,) = stored_robots(db)
    server.clear_log()
    second = [server.url_for("/kept/2"), server.url_for("/private/9")]
    summary = run(db, Source("urls", url_file(tmp_path, second)))
    assert (summary.new, summary.skipped) == (1, 1)  # the kept rules still apply
    assert "/robots.txt" not in requested(server)
    # A day later it is read again.
    db.execute("UPDATE robots SET fetched_at = '2020-01-01T00:00:00+00:00'")
    db.conn.commit()
    server.clear_log()
    run(db, Source("urls", url_file(tmp_path, second)), refresh=True)
    assert requested(server).count("/robots.txt") == 1
    assert stored_robots(db)[origin][2] < 60


def test_an_unreachable_robots_txt_is_not_kept(db, server, tmp_path):
    from newsarc.store import stored_robots

    server.expect_request("/robots.txt").respond_with_data("busy", status=503)
    run(db, Source("urls", url_file(tmp_path, [server.url_for("/nk/1")])))
    assert stored_robots(db) == {}


class RecordingServer:
    """A threaded server on one loopback address that records when each request ran."""

    def __init__(self, address: str, hold: float) -> None:
        self.hold = hold
        self.spans: list[tuple[str, str, float, float]] = []
        self._lock = threading.Lock()
        self.server = HTTPServer(host=address, threaded=True)
        self.server.no_handler_status_code = 404
        self.server.expect_request("/robots.txt").respond_with_data("", status=404)
        self.server.expect_request(RecordingServer.Any()).respond_with_handler(self.handle)
        self.server.start()

    class Any(URIPattern):
        """Matches every path but robots.txt."""

        def match(self, uri: str) -> bool:
            return uri != "/robots.txt"

    def handle(self, request: Request) -> Response:
        started = time.monotonic()
        time.sleep(self.hold)
        n = int(request.path.rsplit("/", 1)[-1])
        with self._lock:
            self.spans.append((request.host.split(":")[0], request.path, started, time.monotonic()))
        return Response(article_page(n), content_type="text/html; charset=utf-8")

    def url(self, path: str) -> str:
        return self.server.url_for(path)

    def stop(self) -> None:
        self.server.clear()
        if self.server.is_running():
            self.server.stop()


def most_at_once(spans: list[tuple[str, str, float, float]]) -> int:
    """The largest number of requests the server was handling at the same moment."""
    events = sorted([(s, 1) for _, _, s, _ in spans] + [(e, -1) for _, _, _, e in spans])
    running = peak = 0
    for _, step in events:
        running += step
        peak = max(peak, running)
    return peak


def test_per_host_concurrency_delay_and_global_limit(db, tmp_path):
    hosts = [RecordingServer(f"127.0.0.{i}", hold=0.15) for i in (1, 2, 3)]
    try:
        urls = [host.url(f"/news/{100 * i + n}") for n in range(6) for i, host in enumerate(hosts)]
        summary = run(
            db, Source("urls", url_file(tmp_path, urls)), delay=0.3, per_host=2, concurrency=4
        )
        assert summary.new == 18
        spans = [span for host in hosts for span in host.spans]
        assert most_at_once(spans) <= 4  # the global limit
        for host in hosts:
            assert len(host.spans) == 6
            assert most_at_once(host.spans) <= 2  # per host
            starts = sorted(start for _, _, start, _ in host.spans)
            gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
            # The delay, measured by the server itself. The server stamps a request when its
            # handler thread gets to run, which on a loaded machine can lag the client's start
            # by tens of ms (once by more than 50 ms in a full run), so allow 100 ms; with no
            # delay two requests start together (gap ~0).
            assert min(gaps) >= 0.2
        # the three hosts were worked on side by side, not one after another
        assert most_at_once(spans) >= 2
    finally:
        for host in hosts:
            host.stop()


def test_crawl_delay_from_robots_txt(db, tmp_path):
    host = RecordingServer("127.0.0.4", hold=0.0)
    host.server.clear_all_handlers()
    host.server.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nCrawl-delay: 0.4\n", content_type="text/plain"
    )
    host.server.expect_request(RecordingServer.Any()).respond_with_handler(host.handle)
    try:
        urls = [host.url(f"/news/{n}") for n in range(3)]
        assert run(db, Source("urls", url_file(tmp_path, urls)), delay=0.0).new == 3
        starts = sorted(start for _, _, start, _ in host.spans)
        assert min(b - a for a, b in zip(starts, starts[1:], strict=False)) >= 0.39
    finally:
        host.stop()


class Site:
    """A server on its own loopback address (its own host), logging when each path was asked."""

    def __init__(self, address: str, robots: str = "") -> None:
        self.server = HTTPServer(host=address, threaded=True)
        self.server.no_handler_status_code = 404
        self.asked: list[tuple[str, float]] = []
        self.server.expect_request("/robots.txt").respond_with_handler(
            lambda request: self._log(request, Response(robots, content_type="text/plain"))
        )
        self.server.start()

    def _log(self, request: Request, response: Response) -> Response:
        self.asked.append((request.path, time.monotonic()))
        return response

    def on(self, path: str, answer: Any) -> None:
        """Answer ``path`` with ``answer(request)`` (a Response)."""
        self.server.expect_request(path).respond_with_handler(
            lambda request: self._log(request, answer(request))
        )

    def page(self, path: str, n: int) -> None:
        self.on(path, lambda request: Response(article_page(n), content_type="text/html"))

    def url(self, path: str) -> str:
        return self.server.url_for(path)

    def times(self, path: str) -> list[float]:
        return [t for p, t in self.asked if p == path]

    def stop(self) -> None:
        self.server.clear()
        if self.server.is_running():
            self.server.stop()


@pytest.fixture
def two_sites() -> Iterator[tuple[Site, Site]]:
    sites = (Site("127.0.0.5"), Site("127.0.0.6", robots="User-agent: *\nDisallow: /private/\n"))
    yield sites
    for site in sites:
        site.stop()


def test_a_redirect_to_another_host_keeps_to_that_hosts_rules(db, tmp_path, two_sites):
    # Feed items behind a redirector (t.co, feedproxy): the target host's robots.txt decides,
    # and its delay applies to the redirected request as to its own pages.
    origin, target = two_sites
    origin.on("/go/ok", lambda r: Response(status=302, headers={"Location": target.url("/ok")}))
    origin.on(
        "/go/private",
        lambda r: Response(status=302, headers={"Location": target.url("/private/1")}),
    )
    target.page("/ok", 810)
    target.page("/private/1", 811)
    target.page("/direct", 812)
    urls = [origin.url("/go/ok"), target.url("/direct"), origin.url("/go/private")]
    summary = run(db, Source("urls", url_file(tmp_path, urls)), delay=0.4, per_host=2)
    assert (summary.new, summary.skipped, summary.failed) == (2, 1, 0)
    assert target.times("/private/1") == []  # its robots.txt said no
    starts = sorted(target.times("/ok") + target.times("/direct"))
    assert len(starts) == 2 and starts[1] - starts[0] >= 0.39  # the target host's delay
    known = {row[0] for row in db.execute("SELECT url FROM article_urls")}
    assert origin.url("/go/ok") in known  # the address it was asked for, kept as an alias


def test_waiting_for_the_hosts_turn_between_hops_is_not_the_pages_deadline(db, tmp_path, two_sites):
    # A three-hop redirect on a host with a long delay: the page's own time is its time on
    # the wire, as for its first request; the turns it waits for are the host's politeness.
    site, _ = two_sites
    site.on("/r1", lambda r: Response(status=302, headers={"Location": site.url("/r2")}))
    site.on("/r2", lambda r: Response(status=302, headers={"Location": site.url("/r3")}))
    site.on("/r3", lambda r: Response(status=302, headers={"Location": site.url("/end")}))
    site.page("/end", 830)
    limits = FetchLimits(retries=0, read_timeout=5, deadline=1.5)
    summary = run(
        db, Source("urls", url_file(tmp_path, [site.url("/r1")])), limits=limits, delay=1.0
    )
    assert (summary.new, summary.failed) == (1, 0)
    assert site.times("/end")[0] - site.times("/r1")[0] >= 2.95  # three turns of 1 s


def test_a_retry_after_over_the_cap_holds_the_host_for_the_cap(db, tmp_path, two_sites):
    site, _ = two_sites
    site.on("/closed", lambda r: Response("later", status=429, headers={"Retry-After": "86400"}))
    site.page("/next", 831)
    limits = FetchLimits(retries=1, read_timeout=5, deadline=10, max_retry_after=0.8)
    urls = [site.url("/closed"), site.url("/next")]
    summary = run(db, Source("urls", url_file(tmp_path, urls)), limits=limits, per_host=1)
    assert (summary.new, summary.failed) == (1, 1)
    waited = site.times("/next")[0] - site.times("/closed")[0]
    assert 0.75 <= waited < 5  # held for --max-retry-after, not the day the server asked


def test_a_429_holds_back_the_whole_host_and_retries_keep_its_delay(db, tmp_path, two_sites):
    site, _ = two_sites
    answers = iter([Response("slow down", status=429, headers={"Retry-After": "1"})])
    site.on(
        "/busy",
        lambda r: next(answers, None) or Response(article_page(820), content_type="text/html"),
    )
    site.page("/other", 821)
    urls = [site.url("/busy"), site.url("/other")]
    limits = FetchLimits(retries=2, read_timeout=5, deadline=10, backoff=0.05)
    # Per-host 2 with a 0.2 s delay: /other would start 0.2 s after /busy.
    summary = run(db, Source("urls", url_file(tmp_path, urls)), limits=limits, delay=0.2)
    assert (summary.new, summary.failed) == (2, 0)
    refused_at = site.times("/busy")[0]
    assert min(site.times("/other")) - refused_at >= 0.95  # not while the host said wait
    assert site.times("/busy")[1] - refused_at >= 0.95

    # With no Retry-After, the backoff (0.05 s) is shorter than the host's delay: the delay wins.
    site.on(
        "/flaky",
        lambda r: (
            Response(article_page(822), content_type="text/html")
            if site.times("/flaky")
            else Response("down", status=503)
        ),
    )
    again = run(
        db, Source("urls", url_file(tmp_path, [site.url("/flaky")])), limits=limits, delay=0.5
    )
    assert again.new == 1
    first, second = site.times("/flaky")
    assert second - first >= 0.49


# -- offline sources ------------------------------------------------------------------------


def write_warc(path: Path, pages: dict[str, bytes], extra: bool = True) -> None:
    """A gzipped WARC with an HTML response per page, plus records that must be skipped."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)

        def record(url: str, status: str, ctype: str, body: bytes, kind: str = "response") -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, kind, payload=io.BytesIO(body), http_headers=headers)
            )

        for url, body in pages.items():
            record(url, "200 OK", "text/html; charset=utf-8", body)
        if extra:
            record("https://warc.invalid/missing", "404 Not Found", "text/html", b"<p>no</p>")
            record("https://warc.invalid/logo.png", "200 OK", "image/png", b"\x89PNG....")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open an internet socket fails the test."""
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError(f"network used: {address}")
        real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


def test_warc_is_ingested_offline(db, tmp_path, no_network):
    pages = {f"https://warc.invalid/news/{n}": article_page(800 + n) for n in range(6)}
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, pages)
    summary = run(db, Source("warc", str(warc)))
    assert (summary.new, summary.failed) == (6, 0)
    fetched = {row[0] for row in db.execute("SELECT url FROM pages")}
    assert fetched == set(pages)
    assert run(db, Source("warc", str(warc))).skipped == 6


def test_warc_through_the_process_pool_keeps_few_pages_in_flight(db, tmp_path, monkeypatch):
    import newsarc.ingest_pool

    # Replace the pool every 6 pages: every page must still come back, none twice.
    monkeypatch.setattr(newsarc.ingest_pool, "RECYCLE_AFTER", 3)
    pages = {f"https://warc.invalid/pool/{n}": article_page(850 + n) for n in range(40)}
    warc = tmp_path / "pool.warc"
    write_warc(warc, pages, extra=False)
    peak = []

    class Watching(Ingester):
        def _extract(self, work: Any) -> None:
            super()._extract(work)
            peak.append(len(self._extracting))

    summary = Watching(db, options(workers=2)).run([Source("warc", str(warc))])
    assert (summary.new, summary.failed) == (40, 0)
    assert count(db, "SELECT count(*) FROM articles") == 40
    # streamed: never more than a few pages per worker in memory
    assert max(peak) <= 2 * PAGES_PER_WORKER


def damaged_warc(path: Path, pages: int, first: int, damage: str) -> Path:
    """A WARC.gz of ``pages`` article pages (numbered from ``first``), damaged: "cut" loses
    its last 300 bytes (inside the last record), "flipped" has 32 bytes zeroed in the middle
    (inside the middle record's gzip member)."""
    write_warc(
        path,
        {f"https://warc.invalid/{damage}/{n}": article_page(first + n) for n in range(pages)},
        extra=False,
    )
    data = bytearray(path.read_bytes())
    if damage == "cut":
        del data[-300:]
    else:
        middle = len(data) // 2
        data[middle : middle + 32] = bytes(32)
    path.write_bytes(bytes(data))
    return path


def test_damaged_warc_keeps_the_pages_before_the_damage(db, tmp_path):
    warc = damaged_warc(tmp_path / "cut.warc.gz", 4, 900, "cut")
    summary = run(db, Source("warc", str(warc)))
    assert summary.new == 3 and summary.failed == 1
    assert summary.exit_code == 3  # some pages archived: not a fatal run
    assert "truncated or corrupt" in summary.failures[0].reason


def test_a_damaged_record_in_a_warc_gz_costs_that_record_alone(db, tmp_path):
    warc = damaged_warc(tmp_path / "flipped.warc.gz", 5, 960, "flipped")
    summary = run(db, Source("warc", str(warc)))
    assert summary.new == 4 and summary.failed == 1
    assert summary.exit_code == 3
    assert "gzip member at byte" in summary.failures[0].url
    assert "damaged WARC record" in summary.failures[0].reason


def test_folder_of_saved_pages(db, tmp_path, no_network):
    folder = tmp_path / "saved"
    (folder / "2024").mkdir(parents=True)
    (folder / "2024" / "a.html").write_bytes(
        article_page(950, canonical="https://saved.invalid/news/a")
    )
    (folder / "b.htm").write_bytes(article_page(951, canonical="https://saved.invalid/news/b"))
    (folder / "bare.html").write_bytes(article_page(952))
    (folder / "notes.txt").write_text("not a page")
    summary = run(db, Source("dir", str(folder)))
    assert (summary.new, summary.failed) == (2, 1)
    assert "--base-url" in summary.failures[0].reason
    again = run(db, Source("dir", str(folder)), base_url="https://saved.invalid/archive/")
    assert (again.new, again.skipped) == (1, 2)
    assert (
        count(
            db,
            "SELECT count(*) FROM articles WHERE url = ?",
            "https://saved.invalid/archive/bare.html",
        )
        == 1
    )


def test_sources_combined_in_one_run(db, server, tmp_path):
    serve_html(server, "/news/1", article_page(1000))
    server.expect_request("/rss.xml").respond_with_data(
        rss(base_of(server), [server.url_for("/news/2")]), content_type="application/rss+xml"
    )
    serve_html(server, "/news/2", article_page(1001))
    warc = tmp_path / "w.warc.gz"
    write_warc(warc, {"https://warc.invalid/w/1": article_page(1002)}, extra=False)
    summary = run(
        db,
        Source("urls", url_file(tmp_path, [server.url_for("/news/1")])),
        Source("feed", server.url_for("/rss.xml")),
        Source("warc", str(warc)),
    )
    assert (summary.new, summary.failed) == (3, 0)


# -- one story, one record ------------------------------------------------------------------


def test_identical_content_under_two_urls_is_one_article_with_aliases(db, server, tmp_path):
    from newsarc.store import aliases, find_article_id

    body = article_page(1100)
    serve_html(server, "/a/story", body)
    serve_html(server, "/b/mirror", body)
    canonical = server.url_for("/a/story")
    serve_html(server, "/c/amp", article_page(1100, canonical=canonical))
    urls = [server.url_for(p) for p in ("/a/story", "/b/mirror", "/c/amp")]
    summary = run(db, Source("urls", url_file(tmp_path, urls)), per_host=1)
    # the copy declaring a canonical URL adds it to the record: "updated"
    assert (summary.new, summary.unchanged + summary.updated) == (1, 2)
    assert count(db, "SELECT count(*) FROM articles") == 1
    article_id = find_article_id(db, urls[1])
    assert article_id == find_article_id(db, urls[0]) == find_article_id(db, urls[2])
    known = {a["url"] for a in aliases(db, article_id)}
    assert set(urls) <= known
    # the next run skips every one of them
    assert run(db, Source("urls", url_file(tmp_path, urls))).skipped == 3


def test_near_duplicate_republished_copy_is_linked_as_the_same_story(db, server, tmp_path):
    from newsarc.store import find_article_id, story_members

    serve_html(server, "/original", fixture_path("ingest/seed-original.html").read_bytes())
    serve_html(server, "/scraped", fixture_path("pages/seed-aggregator.html").read_bytes())
    serve_html(server, "/unrelated", article_page(1200))
    urls = [server.url_for(p) for p in ("/original", "/scraped", "/unrelated")]
    # the scraper is another site (the story links never join one site's two headlines):
    # the loopback server under its other name
    urls[1] = urls[1].replace("//localhost:", "//127.0.0.1:", 1)
    assert urls[1] != server.url_for("/scraped")
    summary = run(db, Source("urls", url_file(tmp_path, urls)), per_host=1)
    assert summary.new == 3  # two records: the texts differ
    original, scraped, unrelated = (find_article_id(db, u) for u in urls)
    # two hosts are fetched side by side: either page may be stored, and be the story, first
    assert sorted(story_members(db, scraped)) == sorted([original, scraped])
    assert story_members(db, unrelated) == [unrelated]


def test_the_original_a_copy_names_is_fetched_once_and_takes_the_record_over(db, server, tmp_path):
    """A scraped copy archived first names its original ("Source link"); the original's
    address is then only the copy's canonical link, never fetched. A run that lists it
    fetches it once: it becomes the record. The run after skips it."""
    from newsarc.store import aliases, find_article_id

    original = server.url_for("/news/original-story")
    # the scraper is another site: the loopback server under its other name
    copy = server.url_for("/scraped/copy").replace("//localhost:", "//127.0.0.1:", 1)
    page = article_page(1150).decode()
    trailer = f'<p><a href="{original}" rel="nofollow">Source link</a></p></article>'
    serve_html(server, "/scraped/copy", page.replace("</article>", trailer).encode())
    serve_html(server, "/news/original-story", page.replace("Test Gazette", "The Paper").encode())
    assert run(db, Source("urls", url_file(tmp_path, [copy]))).new == 1
    article_id = find_article_id(db, copy)
    assert count(db, "SELECT canonical_url FROM articles WHERE id = ?", article_id) == original
    summary = run(db, Source("urls", url_file(tmp_path, [original, copy])))
    assert (summary.updated, summary.skipped) == (1, 1)
    assert requested(server).count("/news/original-story") == 1
    assert count(db, "SELECT url FROM articles WHERE id = ?", article_id) == original
    assert {"url": copy, "kind": "copy"} in aliases(db, article_id)
    assert run(db, Source("urls", url_file(tmp_path, [original, copy]))).skipped == 2
    assert requested(server).count("/news/original-story") == 1


def test_an_original_that_redirects_elsewhere_is_fetched_only_once(db, server, tmp_path):
    """Fetched, the named original led to another address: it was requested, and is not
    fetched on every run after."""
    original = server.url_for("/news/moved-story")
    copy = server.url_for("/scraped/copy2").replace("//localhost:", "//127.0.0.1:", 1)
    page = article_page(1151).decode()
    trailer = f'<p><a href="{original}">Read the original article</a></p></article>'
    serve_html(server, "/scraped/copy2", page.replace("</article>", trailer).encode())
    server.expect_request("/news/moved-story").respond_with_data(
        "", status=301, headers={"Location": server.url_for("/news/moved-story-2")}
    )
    serve_html(server, "/news/moved-story-2", page.encode())
    assert run(db, Source("urls", url_file(tmp_path, [copy]))).new == 1
    run(db, Source("urls", url_file(tmp_path, [original])))
    run(db, Source("urls", url_file(tmp_path, [original])))
    assert requested(server).count("/news/moved-story") == 1


def test_a_same_site_canonical_page_named_by_an_amp_page_is_fetched_once(db, server, tmp_path):
    """An AMP page archived first names its canonical page on its own site, which was never
    fetched: a run that lists it fetches it once (the AMP view often lacks the page's date and
    byline), it takes the record over, and later runs pass over it."""
    canonical = server.url_for("/news/story-page")
    serve_html(server, "/amp/story-page", article_page(1152, canonical=canonical))
    later = "2024-05-01T11:30:00+00:00"  # the article page shows its update time
    serve_html(server, "/news/story-page", article_page(1152, canonical=canonical, published=later))
    amp = server.url_for("/amp/story-page")
    assert run(db, Source("urls", url_file(tmp_path, [amp]))).new == 1
    second = run(db, Source("urls", url_file(tmp_path, [canonical])))
    assert second.new == 0 and second.failed == 0
    assert requested(server).count("/news/story-page") == 1
    assert count(db, "SELECT count(*) FROM articles") == 1
    assert count(db, "SELECT count(*) FROM pages WHERE url LIKE '%/news/story-page'") == 1
    assert count(db, "SELECT published FROM articles") == later
    third = run(db, Source("urls", url_file(tmp_path, [canonical])))
    assert third.skipped == 1
    assert requested(server).count("/news/story-page") == 1


def test_a_feed_address_that_serves_a_sitemap_is_read_as_one(db, server):
    server.expect_request("/feed-or-sitemap").respond_with_data(
        template("news-sitemap.xml").substitute(base=base_of(server)),
        content_type="application/xml",
    )
    serve_html(server, "/news/1", article_page(1300))
    serve_html(server, "/news/2", article_page(1301))
    assert run(db, Source("feed", server.url_for("/feed-or-sitemap"))).new == 2


def test_since_filters_offline_pages_by_their_own_date(db, tmp_path):
    pages = {
        "https://warc.invalid/dated/old": article_page(1400, published="2023-01-05T08:00:00Z"),
        "https://warc.invalid/dated/new": article_page(1401, published="2024-06-01T08:00:00Z"),
    }
    warc = tmp_path / "dated.warc.gz"
    write_warc(warc, pages, extra=False)
    summary = run(db, Source("warc", str(warc)), since="2024-01-01")
    assert (summary.new, summary.skipped) == (1, 1)
    assert count(db, "SELECT url FROM articles") == "https://warc.invalid/dated/new"
    assert count(db, "SELECT count(*) FROM dated_out") == 0  # in hand: nothing to spare


def test_progress_is_reported_while_the_run_goes_on(db, tmp_path):
    pages = {f"https://warc.invalid/progress/{n}": article_page(1500 + n) for n in range(30)}
    warc = tmp_path / "progress.warc"
    write_warc(warc, pages, extra=False)
    seen: list[tuple[int, float]] = []
    Ingester(db, options(), lambda s: seen.append((s.new, s.seconds))).run(
        [Source("warc", str(warc))]
    )
    assert seen and seen[0][0] >= 1
    assert [new for new, _ in seen] == sorted(new for new, _ in seen)


def test_host_queue_round_robin_per_host_limit_defer_and_drop():
    from newsarc.ingest_work import HostQueue, Work

    queue = HostQueue(per_host=2, delay_for=lambda host: 0.0)
    for n in range(4):
        queue.add("a", Work(f"http://a/{n}", "s"))
    queue.add("b", Work("http://b/0", "s"))
    first = [w.url for w in queue.take(10)]
    assert first == ["http://a/0", "http://b/0", "http://a/1"]  # hosts alternate
    assert queue.take(10) == []  # a has 2 running: its per-host limit
    queue.done("a")
    assert [w.url for w in queue.take(10)] == ["http://a/2"]
    queue.done("a")
    queue.defer("a", 60)
    assert queue.take(10) == [] and queue.ready_in() > 50
    assert [w.url for w in queue.drop("a")] == ["http://a/3"]
    assert queue.size == 0 and queue.ready_in() is None


def test_worker_processes_log_through_the_parent(caplog):
    import logging

    from newsarc.ingest_pool import Extractors

    caplog.set_level(logging.INFO)
    pool = Extractors(2)
    try:
        pool.start()
        assert pool.wait_started(30)
        executor = pool._runner.executor
        worker_log = logging.getLogger("newsarc.test.worker")
        executor.submit(worker_log.warning, "hello from pid %s", "a worker").result(10)
        executor.submit(worker_log.debug, "too detailed").result(10)
    finally:
        pool.shutdown()  # waits for the relay to hand over every record
    messages = [r.getMessage() for r in caplog.records if r.name == "newsarc.test.worker"]
    assert messages == ["hello from pid a worker"]  # relayed, and the level still applies


def test_a_newer_capture_later_in_the_same_warc_is_the_one_kept(db, tmp_path):
    from tests.test_warc import Warc

    url = "https://news.example/beta"
    may = article_page(900, headline="Beta story", published="2024-05-01T09:00:00+00:00")
    june = article_page(
        900,
        headline="Beta story",
        words=[*story_words(900), "minister", "resigned", "later", "on"],
        published="2024-05-01T09:00:00+00:00",
    )
    warc = Warc(tmp_path / "two.warc.gz", gz=True)
    warc.response(url, may, date="2024-05-02T10:00:00Z")
    warc.response(url, june, date="2024-06-02T10:00:00Z")
    warc.response(url, may, date="2024-05-03T10:00:00Z")  # an older one again: not taken
    summary = run(db, Source("warc", str(warc.close())))
    assert (summary.new, summary.skipped) == (1, 1)
    assert summary.updated + summary.unchanged == 1
    body, fetched = db.execute("SELECT body, fetched_at FROM articles").fetchone()
    assert body.rstrip(".").endswith("later on") and fetched.startswith("2024-06-02")
