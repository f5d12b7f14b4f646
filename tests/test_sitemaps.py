"""Sitemaps: parsing, gzip, walking indexes, limits, and hostile documents (issue 6)."""

from __future__ import annotations

import gzip
import logging
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from newsarc.errors import FetchError, InputError
from newsarc.sources import MAX_SITEMAP_BYTES, Item, parse_sitemap, walk_sitemap
from newsarc.sources.item import is_before
from newsarc.sources.sitemapreader import MAX_FIELD
from tests.conftest import fixture_path

MARKER = "NEWSARC-SECRET-51e0"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def sitemap(name: str) -> bytes:
    return fixture_path(f"sitemaps/{name}").read_bytes()


def urlset(urls: list[str], *, lastmod: str | None = None) -> bytes:
    stamp = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    body = "".join(f"<url><loc>{url}</loc>{stamp}</url>" for url in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>{body}</urlset>'.encode()


def index(children: list[str], lastmods: dict[str, str] | None = None) -> bytes:
    lastmods = lastmods or {}
    body = "".join(
        f"<sitemap><loc>{url}</loc>"
        + (f"<lastmod>{lastmods[url]}</lastmod>" if url in lastmods else "")
        + "</sitemap>"
        for url in children
    )
    return f"<sitemapindex {NS}>{body}</sitemapindex>".encode()


class Site:
    """A dict-backed ``get`` that records every request."""

    def __init__(self, pages: dict[str, bytes | Exception]) -> None:
        self.pages = pages
        self.requested: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.requested.append(url)
        page = self.pages.get(url)
        if page is None:
            raise FetchError(url, "HTTP 404 Not Found", status=404)
        if isinstance(page, Exception):
            raise page
        return page


# -- one document ----------------------------------------------------------------------


def test_urlset(caplog: pytest.LogCaptureFixture) -> None:
    parsed = parse_sitemap(sitemap("urlset.xml"), "https://news.example/sitemap.xml")
    assert parsed.kind == "urlset"
    assert parsed.error is None
    assert parsed.entries == [
        Item(
            url="https://news.example/2024/05/06/budget.html",  # not the image:loc
            lastmod="2024-05-06T10:15:00+02:00",
            source="https://news.example/sitemap.xml",
        ),
        Item(
            url="https://news.example/2024/04/01/old.html",  # whitespace stripped
            lastmod="2024-04-01",
            source="https://news.example/sitemap.xml",
        ),
        Item(url="https://news.example/undated.html", source="https://news.example/sitemap.xml"),
    ]
    skipped = [r.getMessage() for r in caplog.records if "skipped entry" in r.getMessage()]
    assert len(skipped) == 2  # the ftp: URL and the entry without <loc>


def test_index() -> None:
    parsed = parse_sitemap(sitemap("index.xml"), "https://news.example/sitemap_index.xml")
    assert parsed.kind == "index"
    assert [(e.url, e.lastmod) for e in parsed.entries] == [
        ("https://news.example/sitemap-2024-05.xml", "2024-05-06T12:00:00Z"),
        ("https://news.example/sitemap-2024-04.xml.gz", "2024-04-30T23:59:00Z"),
        ("https://news.example/sitemap-news.xml", None),
    ]


def test_google_news_sitemap() -> None:
    parsed = parse_sitemap(sitemap("news.xml"), "https://news.example/news.xml")
    assert parsed.entries == [
        Item(
            url="https://news.example/2024/05/06/flood.html",
            published="2024-05-06T07:45:00+02:00",
            title="River floods the old town",  # not the video:title
            source="https://news.example/news.xml",
        ),
        Item(
            url="https://news.example/2024/05/05/storm.html",
            published="2024-05-05",
            lastmod="2024-05-06T01:00:00Z",
            title="Storm warning",
            source="https://news.example/news.xml",
        ),
    ]


def test_text_sitemap(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="newsarc.sources")
    parsed = parse_sitemap(sitemap("sitemap.txt"), "https://news.example/sitemap.txt")
    assert parsed.kind == "urlset"
    assert [e.url for e in parsed.entries] == [
        "https://news.example/2024/05/06/budget.html",
        "https://news.example/2024/05/05/storm.html",
    ]
    assert any("not a valid URL: 'not a url'" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "root",
    [
        "<urlset>",  # no namespace
        '<urlset xmlns="http://www.google.com/schemas/sitemap/0.84">',  # the old one
        '<s:urlset xmlns:s="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ],
)
def test_namespaces_are_not_required_to_match(root: str) -> None:
    name = root[1:].split()[0].rstrip(">")
    data = f"{root}<url><loc>/relative/page</loc></url></{name}>".encode()
    parsed = parse_sitemap(data, "https://site.example/maps/sitemap.xml")
    assert [e.url for e in parsed.entries] == ["https://site.example/relative/page"]


def test_gzip_is_detected() -> None:
    plain = parse_sitemap(sitemap("news.xml"), "https://news.example/news.xml.gz")
    zipped = parse_sitemap(gzip.compress(sitemap("news.xml")), "https://news.example/news.xml.gz")
    assert zipped == plain
    text = parse_sitemap(gzip.compress(sitemap("sitemap.txt")), "https://news.example/s.txt.gz")
    assert len(text.entries) == 2


def test_truncated_gzip_keeps_what_was_read() -> None:
    data = gzip.compress(urlset([f"https://site.example/{i}" for i in range(3000)]))
    parsed = parse_sitemap(data[: len(data) * 2 // 3], "https://site.example/s.xml.gz")
    assert 0 < len(parsed.entries) < 3000
    assert parsed.entries[0].url == "https://site.example/0"
    assert parsed.error is not None and parsed.error.startswith("broke off after")


def test_malformed_xml_after_entries_keeps_them() -> None:
    data = (
        b"<urlset><url><loc>https://site.example/a</loc></url>"
        b"<url><loc>https://site.example/b</loc></url><url><loc>x</oops></urlset>"
    )
    parsed = parse_sitemap(data, "https://site.example/s.xml")
    assert [e.url for e in parsed.entries] == ["https://site.example/a", "https://site.example/b"]
    assert parsed.error is not None and "malformed XML" in parsed.error


def test_max_urls() -> None:
    data = urlset([f"https://site.example/{i}" for i in range(100)])
    parsed = parse_sitemap(data, "https://site.example/s.xml", max_urls=10)
    assert [e.url for e in parsed.entries][-1] == "https://site.example/9"
    assert len(parsed.entries) == 10


def test_a_sitemap_holding_exactly_the_limit_is_not_cut(caplog: pytest.LogCaptureFixture) -> None:
    # Only an entry past the limit cuts a sitemap; exactly the limit was reported as cut
    # (and an ingest kept no validators for it, so it never got a 304).
    caplog.set_level(logging.WARNING)
    ten = urlset([f"https://site.example/{i}" for i in range(10)])
    walk = walk_sitemap("https://site.example/s.xml", lambda url: ten, max_urls=10)
    assert len(list(walk)) == 10 and not walk.truncated
    assert len(parse_sitemap(ten, "https://site.example/s.xml", max_urls=10).entries) == 10
    assert caplog.records == []
    eleven = urlset([f"https://site.example/{i}" for i in range(11)])
    walk = walk_sitemap("https://site.example/s.xml", lambda url: eleven, max_urls=10)
    assert len(list(walk)) == 10 and walk.truncated
    assert "stopped after 10 entries (limit)" in caplog.text


def test_an_index_whose_children_hold_exactly_the_limit_is_read_in_full() -> None:
    children = [f"https://u.example/{n}.xml" for n in range(3)]
    pages: dict[str, bytes | Exception] = {"https://u.example/index.xml": index(children)}
    for n, url in enumerate(children):
        pages[url] = urlset([f"https://u.example/{n}/{i}" for i in range(5)])
    site = Site(pages)
    walk = walk_sitemap("https://u.example/index.xml", site, max_urls=15)
    assert len(list(walk)) == 15
    assert site.requested == ["https://u.example/index.xml", *children]
    assert not walk.truncated


def test_entries_past_the_readers_limit_cut_the_walk_though_dated_out() -> None:
    # 12 entries, all before --since: the walk yields none, but the reader stopped at 10 and
    # never saw the last two, so the listing was not read in full.
    data = urlset([f"https://site.example/{i}" for i in range(12)], lastmod="2020-01-01")
    walk = walk_sitemap("https://site.example/s.xml", lambda url: data, max_urls=10, since="2024")
    assert list(walk) == [] and walk.dated_out == 10
    assert walk.truncated


def test_over_long_loc_is_skipped_not_cut() -> None:
    long_url = "https://site.example/" + "a" * (MAX_FIELD + 10)
    data = urlset([long_url, "https://site.example/ok"])
    assert [e.url for e in parse_sitemap(data, "https://site.example/s").entries] == [
        "https://site.example/ok"
    ]


def test_a_loc_with_spaces_is_read_as_browsers_read_it(caplog: pytest.LogCaptureFixture) -> None:
    data = urlset(["https://site.example/a b", "https://site.example/c\td", " /e f "])
    entries = parse_sitemap(data, "https://site.example/s").entries
    assert [e.url for e in entries] == [
        "https://site.example/a%20b",
        "https://site.example/cd",
        "https://site.example/e%20f",
    ]
    assert "WARNING" not in caplog.text


def test_walk_counts_the_entries_skipped_for_their_loc() -> None:
    site = Site(
        {
            ROOT: index(["https://news.example/a.xml", "https://news.example/b.xml"]),
            "https://news.example/a.xml": urlset(
                ["ftp://news.example/1", "https://news.example/2"]
            ),
            "https://news.example/b.xml": urlset(["mailto:x@news.example", "javascript:x()"]),
        }
    )
    walk = walk_sitemap(ROOT, site)
    assert [item.url for item in walk] == ["https://news.example/2"]
    assert walk.invalid == 3


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty document"),
        (b"\n  \n", "empty document"),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "got an HTML page"),
        (b"<html><head><title>x</title></head><body><p>a<br>b</body></html>", "got an HTML page"),
        (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>', "HTML page"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "root element <rss>"),
        (b"<urlset><url><loc>https://a.example/</lo", "malformed XML"),
        (b'<?xml version="1.0" encoding="nope-9"?><urlset/>', "malformed XML"),
        (b"random words, not urls\nmore words", "neither XML nor a list of URLs"),
        (gzip.compress(b"")[:-4] + b"junk", "not a sitemap"),
    ],
)
def test_not_a_sitemap(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_sitemap(data, "https://site.example/sitemap.xml")
    assert str(caught.value).startswith("https://site.example/sitemap.xml: not a sitemap (")
    assert reason in str(caught.value)


def test_fifty_thousand_urls_stream_in_flat_memory() -> None:
    # 50,001: one past the protocol's maximum per file, and the default max_urls
    urls = [f"https://site.example/story/{i}.html" for i in range(50_001)]
    data = urlset(urls, lastmod="2024-05-06")
    del urls
    tracemalloc.start()
    try:
        walk = walk_sitemap("https://site.example/sitemap.xml", lambda url: data)
        count, first, last = 0, None, None
        for item in walk:
            count += 1
            first = first or item
            last = item
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 50_000  # max_urls default
    assert walk.truncated
    assert first is not None and first.url == "https://site.example/story/0.html"
    assert last is not None and last.url == "https://site.example/story/49999.html"
    assert last.lastmod == "2024-05-06"
    assert peak < 4 * 1024 * 1024, peak  # the items are not held; the 2.9 MB input is not counted


# -- hostile documents (issue 6) -------------------------------------------------------


def _bomb(size: int) -> bytes:
    """A gzip sitemap that inflates to ``size`` bytes, built without holding them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(f"<urlset {NS}><url><loc>https://b.example/</loc></url>".encode())]
    block = b" " * (1024 * 1024)
    for _ in range(size // len(block) + 1):
        parts.append(packer.compress(block))
    parts.append(packer.compress(b"</urlset>"))
    parts.append(packer.flush())
    return b"".join(parts)


def test_gzip_bomb_is_refused_at_the_cap() -> None:
    bomb = _bomb(MAX_SITEMAP_BYTES + 1024 * 1024)
    assert len(bomb) < 200 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="more than 50 MB once decompressed; refused"):
            parse_sitemap(bomb, "https://b.example/sitemap.xml.gz")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, peak  # decompressed and parsed chunk by chunk


def test_size_cap_is_a_parameter() -> None:
    with pytest.raises(InputError, match="more than 1 MB once decompressed"):
        parse_sitemap(_bomb(2 * 1024 * 1024), "https://b.example/s.gz", max_bytes=1024 * 1024)
    with pytest.raises(InputError, match="sitemap larger than 1 MB; refused"):
        parse_sitemap(b" " * (1024 * 1024 + 1), "https://b.example/s", max_bytes=1024 * 1024)


def test_external_entities_are_refused(tmp_path: Path, httpserver: HTTPServer) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(MARKER)
    httpserver.expect_request("/xxe").respond_with_data(MARKER)
    for prolog in (
        f'<!DOCTYPE urlset [<!ENTITY f SYSTEM "file://{secret}">]>',
        f'<!DOCTYPE urlset [<!ENTITY n SYSTEM "{httpserver.url_for("/xxe")}">]>',
        f'<!DOCTYPE urlset [<!ENTITY % p SYSTEM "{httpserver.url_for("/xxe")}"> %p;]>',
        f'<!DOCTYPE urlset SYSTEM "{httpserver.url_for("/xxe")}">',
    ):
        data = f"{prolog}<urlset {NS}><url><loc>https://x.example/&f;&n;</loc></url></urlset>"
        try:
            parsed = parse_sitemap(data.encode(), "https://x.example/sitemap.xml")
        except InputError as exc:
            assert MARKER not in str(exc)
            assert "refused" in str(exc) or "malformed" in str(exc)
        else:  # only a DOCTYPE without entities may pass, and nothing is loaded for it
            assert MARKER not in repr(parsed)
    assert httpserver.log == []


def test_billion_laughs_is_refused() -> None:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    data = (
        f"<!DOCTYPE urlset [{''.join(levels)}]>"
        f"<urlset {NS}><url><loc>https://x.example/&lol9;</loc></url></urlset>"
    ).encode()
    with pytest.raises(InputError, match="refused: the sitemap declares XML entities"):
        parse_sitemap(data, "https://x.example/sitemap.xml")
    with pytest.raises(InputError, match="refused"):
        list(walk_sitemap("https://x.example/sitemap.xml", lambda url: data))


# -- walking ---------------------------------------------------------------------------

ROOT = "https://news.example/sitemap_index.xml"


def news_site() -> Site:
    return Site(
        {
            ROOT: sitemap("index.xml"),
            "https://news.example/sitemap-2024-05.xml": sitemap("urlset.xml"),
            "https://news.example/sitemap-2024-04.xml.gz": gzip.compress(
                urlset(["https://news.example/april.html"], lastmod="2024-04-15")
            ),
            "https://news.example/sitemap-news.xml": sitemap("news.xml"),
        }
    )


def test_walk_follows_the_index_in_order() -> None:
    site = news_site()
    walk = walk_sitemap(ROOT, site)
    items = list(walk)
    assert [i.url for i in items] == [
        "https://news.example/2024/05/06/budget.html",
        "https://news.example/2024/04/01/old.html",
        "https://news.example/undated.html",
        "https://news.example/april.html",
        "https://news.example/2024/05/06/flood.html",
        "https://news.example/2024/05/05/storm.html",
    ]
    assert items[3].source == "https://news.example/sitemap-2024-04.xml.gz"
    assert site.requested == [ROOT, *[url for url in site.pages if url != ROOT]]
    assert (walk.fetched, walk.urls, walk.failures, walk.truncated) == (4, 6, [], False)


def test_walk_since_skips_old_items_and_unchanged_sitemaps() -> None:
    site = news_site()
    items = list(walk_sitemap(ROOT, site, since="2024-05-01"))
    assert [i.url for i in items] == [
        "https://news.example/2024/05/06/budget.html",
        "https://news.example/undated.html",  # undated: kept
        "https://news.example/2024/05/06/flood.html",
        "https://news.example/2024/05/05/storm.html",  # published 05-05 (lastmod is newer)
    ]
    assert "https://news.example/sitemap-2024-04.xml.gz" not in site.requested


def test_index_listing_itself_and_cycles_end() -> None:
    a, b = "https://loop.example/a.xml", "https://loop.example/b.xml"
    site = Site(
        {
            a: index([a, b, "https://LOOP.example/a.xml"]),
            b: index([a, b, "https://loop.example/leaf.xml"]),
            "https://loop.example/leaf.xml": urlset(["https://loop.example/page"]),
        }
    )
    walk = walk_sitemap(a, site)
    assert [i.url for i in walk] == ["https://loop.example/page"]
    assert site.requested == [a, b, "https://loop.example/leaf.xml"]
    assert walk.failures == []


def test_child_failures_are_recorded_and_the_walk_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="newsarc.sources")
    root = "https://f.example/index.xml"
    broken = gzip.compress(urlset([f"https://f.example/cut/{i}" for i in range(2000)]))
    site = Site(
        {
            root: index(
                [
                    "https://f.example/missing.xml",
                    "https://f.example/html.xml",
                    "https://f.example/timeout.xml",
                    "https://f.example/cut.xml.gz",
                    "https://f.example/good.xml",
                ]
            ),
            "https://f.example/html.xml": b"<!DOCTYPE html><html><body>Not found</body></html>",
            "https://f.example/timeout.xml": FetchError(
                "https://f.example/timeout.xml", "timed out"
            ),
            "https://f.example/cut.xml.gz": broken[: len(broken) // 2],
            "https://f.example/good.xml": urlset(["https://f.example/ok"]),
        }
    )
    walk = walk_sitemap(root, site)
    urls = [i.url for i in walk]
    assert urls[0] == "https://f.example/cut/0"
    assert urls[-1] == "https://f.example/ok"
    reasons = {f.url: f.reason for f in walk.failures}
    assert reasons["https://f.example/missing.xml"] == "HTTP 404 Not Found"
    assert reasons["https://f.example/html.xml"] == "not a sitemap (got an HTML page)"
    assert reasons["https://f.example/timeout.xml"] == "timed out"
    assert reasons["https://f.example/cut.xml.gz"].startswith("broke off after")
    assert len(walk.failures) == 4
    assert sum("html.xml" in r.getMessage() for r in caplog.records) == 1


@pytest.mark.parametrize(
    ("page", "error", "message"),
    [
        (None, FetchError, "HTTP 404"),
        (b"<html><body>login</body></html>", InputError, "got an HTML page"),
        (b"", InputError, "empty document"),
    ],
)
def test_root_errors_are_raised(page: bytes | None, error: type[Exception], message: str) -> None:
    site = Site({} if page is None else {ROOT: page})
    with pytest.raises(error, match=message):
        list(walk_sitemap(ROOT, site))


def test_root_must_be_an_http_url() -> None:
    with pytest.raises(InputError, match="not an http"):
        walk_sitemap("file:///etc/passwd", Site({}))


def test_max_depth() -> None:
    chain = {
        f"https://d.example/{n}.xml": index([f"https://d.example/{n + 1}.xml"]) for n in range(6)
    }
    chain["https://d.example/6.xml"] = urlset(["https://d.example/deep"])
    site = Site(dict(chain))
    walk = walk_sitemap("https://d.example/0.xml", site, max_depth=2)
    assert list(walk) == []
    assert site.requested == [f"https://d.example/{n}.xml" for n in range(3)]
    assert walk.truncated
    assert walk.failures[0].url == "https://d.example/2.xml"
    assert "nested deeper than max_depth=2" in walk.failures[0].reason
    assert [
        i.url for i in walk_sitemap("https://d.example/0.xml", Site(dict(chain)), max_depth=6)
    ] == ["https://d.example/deep"]


def test_max_sitemaps() -> None:
    children = [f"https://m.example/{n}.xml" for n in range(10)]
    pages: dict[str, bytes | Exception] = {"https://m.example/index.xml": index(children)}
    pages.update({url: urlset([url.replace(".xml", ".html")]) for url in children})
    site = Site(pages)
    walk = walk_sitemap("https://m.example/index.xml", site, max_sitemaps=4)
    assert [i.url for i in walk] == [f"https://m.example/{n}.html" for n in range(3)]
    assert len(site.requested) == 4
    assert walk.truncated
    assert walk.failures[-1].reason == "7 sitemaps not read: max_sitemaps=4 reached"


def test_max_urls_across_sitemaps_stops_fetching() -> None:
    children = [f"https://u.example/{n}.xml" for n in range(3)]
    pages: dict[str, bytes | Exception] = {"https://u.example/index.xml": index(children)}
    for n, url in enumerate(children):
        pages[url] = urlset([f"https://u.example/{n}/{i}" for i in range(10)])
    site = Site(pages)
    walk = walk_sitemap("https://u.example/index.xml", site, max_urls=15)
    items = list(walk)
    assert len(items) == 15
    assert items[-1].url == "https://u.example/1/4"
    assert site.requested == ["https://u.example/index.xml", *children[:2]]
    assert walk.truncated


def test_walk_through_fetch_on_a_local_server(httpserver: HTTPServer) -> None:
    from newsarc.fetch import fetch

    child = httpserver.url_for("/sitemap-1.xml.gz")
    httpserver.expect_request("/index.xml").respond_with_data(
        index([child, httpserver.url_for("/gone.xml")]), content_type="application/xml"
    )
    httpserver.expect_request("/sitemap-1.xml.gz").respond_with_data(
        gzip.compress(urlset([httpserver.url_for("/story.html")])), content_type="application/gzip"
    )
    httpserver.expect_request("/gone.xml").respond_with_data("gone", status=410)

    def get(url: str) -> bytes:
        return fetch(url, accept=None).content

    get_bytes: Callable[[str], bytes] = get
    walk = walk_sitemap(httpserver.url_for("/index.xml"), get_bytes)
    assert [i.url for i in walk] == [httpserver.url_for("/story.html")]
    assert [f.url for f in walk.failures] == [httpserver.url_for("/gone.xml")]
    assert "410" in walk.failures[0].reason


def test_walk_logs_nothing_on_a_clean_site(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="newsarc.sources")
    list(
        walk_sitemap(
            "https://c.example/s.xml",
            Site({"https://c.example/s.xml": urlset(["https://c.example/a"])}),
        )
    )
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize(
    ("stamp", "since", "before"),
    [
        ("2024-05-01", "2024-05-02", True),
        ("2024-05-02", "2024-05-02", False),
        ("2024-05-02T00:30:00+02:00", "2024-05-02", True),  # 2024-05-01T22:30Z
        ("2024-05-02T10:00:00Z", "2024-05-02T09:00", False),
        ("2024-05-02T10:00:00.123+0100", "2024-05-02T08:30", False),
        ("2024-05-02T10:00:00.123+0100", "2024-05-02T09:30", True),
        ("2024-05", "2024-05-20", False),  # coarse stamps compare on what they have
        ("2024-04", "2024-05-20", True),
        ("2023", "2024-01-01", True),
        ("garbage", "2024-05-01", False),  # unreadable dates are kept
        (None, "2024-05-01", False),
        ("2024-05-01", None, False),
    ],
)
def test_is_before(stamp: str | None, since: str | None, before: bool) -> None:
    assert is_before(stamp, since) is before


# -- what sitemap templates write (QA session 14) -----------------------------------------

NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def test_blank_lines_before_the_xml_declaration_are_read_past(httpserver: HTTPServer) -> None:
    # A template's stray newlines before <?xml ...?>, which expat refuses ("XML or text
    # declaration not at start of entity"): plain, after a BOM, and gzipped.
    from newsarc.fetch import fetch

    story = httpserver.url_for("/story.html")
    bodies = {
        "/plain.xml": b"\n\n  " + urlset([story]),
        "/bom.xml": b"\xef\xbb\xbf\r\n" + urlset([story]),
        "/zipped.xml.gz": gzip.compress(b"\n" + urlset([story])),
    }
    for path, body in bodies.items():
        httpserver.expect_request(path).respond_with_data(body, content_type="application/xml")
    for path in bodies:
        walk = walk_sitemap(httpserver.url_for(path), lambda url: fetch(url, accept=None).content)
        assert [i.url for i in walk] == [story], path
        assert walk.failures == []


def test_html_references_and_bare_ampersands_are_read_as_browsers_read_them(
    httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    # Google News sitemaps whose titles an HTML template escaped (&eacute;, &nbsp;) and locs
    # with a bare '&': each once broke the sitemap off, losing the entries after it.
    from newsarc.fetch import fetch

    base = httpserver.url_for("/")
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS} {NEWS_NS}>'
        f"<url><loc>{base}a</loc><news:news><news:publication_date>2024-05-01"
        "</news:publication_date><news:title>L&eacute;gislatives&nbsp;: &amp; "
        "<![CDATA[&nbsp;]]></news:title></news:news></url>"
        f"<url><loc>{base}b?x=1&y=2&amp;z=3</loc></url><!-- &copy; & -->"
        f"<url><loc>{base}c</loc></url></urlset>"
    ).encode()
    httpserver.expect_request("/news.xml").respond_with_data(body, content_type="text/xml")
    walk = walk_sitemap(
        httpserver.url_for("/news.xml"), lambda url: fetch(url, accept=None).content
    )
    items = list(walk)
    assert [i.url for i in items] == [f"{base}a", f"{base}b?x=1&y=2&z=3", f"{base}c"]
    assert items[0].title == "Législatives : & &nbsp;"
    assert walk.failures == []
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_references_split_across_chunks_are_rewritten_whole() -> None:
    from newsarc.sources.sitemapreader import CHUNK

    # Pad so that references and CDATA bounds fall across every 64 KB chunk boundary.
    entries = "".join(
        f"<url><loc>https://news.example/{i}?a=1&b=2</loc><news:news><news:title>"
        f"{'x' * (i % 97)}&eacute;<![CDATA[&nbsp;]]></news:title></news:news></url>"
        for i in range(3000)
    )
    data = f"<urlset {NS} {NEWS_NS}>{entries}</urlset>".encode()
    assert len(data) > 3 * CHUNK
    result = parse_sitemap(data, "https://news.example/s.xml")
    assert result.error is None
    assert len(result.entries) == 3000
    assert all(e.url.endswith("?a=1&b=2") for e in result.entries)
    assert all(e.title and e.title.endswith("é&nbsp;") for e in result.entries)
