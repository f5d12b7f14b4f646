"""Feeds: RSS/Atom/JSON parsing, discovery, and hardening against hostile XML (issue 6)."""

from __future__ import annotations

import gzip
import json
import logging
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from newsarc.errors import InputError
from newsarc.sources import Item, discover_feeds, parse_feed
from newsarc.sources.feeds import NO_LINK
from newsarc.sources.xmlscreen import cut_after, screen
from tests.conftest import fixture_path

MARKER = "NEWSARC-SECRET-7f3a9c"


def feed(name: str) -> bytes:
    return fixture_path(f"feeds/{name}").read_bytes()


def rss(items: str, *, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?>\n{prolog}<rss version="2.0"><channel><title>T</title>'
        f"<link>https://feed.example/</link>{items}</channel></rss>"
    ).encode()


def many_items(count: int) -> str:
    return "".join(
        f"<item><title>Story {i}</title><link>https://feed.example/{i}</link>"
        f"<pubDate>Mon, 06 May 2024 10:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;Body {i}&lt;/p&gt;</description></item>"
        for i in range(count)
    )


# -- formats ---------------------------------------------------------------------------


def test_rss20() -> None:
    items = parse_feed(feed("rss20.xml"), "https://news.example/rss")
    assert items == [
        Item(
            url="https://news.example/2024/05/06/budget.html?utm_source=rss",
            published="2024-05-06T08:15:00+00:00",  # +0200 turned into UTC
            title="Council approves budget & new bus lanes",
            source="https://news.example/rss",
        ),
        Item(
            url="https://news.example/2024/05/05/relative.html",  # made absolute
            published="2024-05-05T08:00:00+00:00",
            lastmod="2024-05-05T08:00:00+00:00",  # dc:date is feedparser's "updated"
            title="Relative link story",
            source="https://news.example/rss",
        ),
        Item(
            url="https://news.example/2024/05/04/guid.html",  # a permalink guid
            published="2024-05-04T07:00:00+00:00",
            title="Permalink guid only",
            source="https://news.example/rss",
        ),
    ]  # no link, a mailto: link and a duplicate were dropped


def test_atom() -> None:
    items = parse_feed(feed("atom.xml"), "https://blog.example/atom.xml")
    assert items == [
        Item(
            url="https://blog.example/posts/ice-melts.html",  # xml:base applied
            published="2024-05-06T07:30:00+00:00",
            lastmod="2024-05-06T09:00:00+00:00",
            title="Ice melts early",  # type="html": tags stripped
            source="https://blog.example/atom.xml",
        ),
        Item(
            url="https://blog.example/posts/only-updated",
            published="2024-05-01T00:00:00+00:00",  # no published: updated stands in
            lastmod="2024-05-01T00:00:00+00:00",
            title="Only updated",
            source="https://blog.example/atom.xml",
        ),
    ]


def test_rss10_rdf() -> None:
    items = parse_feed(feed("rss10.rdf"), "https://rdf.example/rss")
    assert [(i.url, i.published, i.title) for i in items] == [
        ("https://rdf.example/a", "2024-04-30T10:00:00+00:00", "First RDF item"),
        ("https://rdf.example/b", None, "Second RDF item"),
    ]


def test_rss091_with_netscape_doctype_and_latin1() -> None:
    items = parse_feed(feed("rss091.xml"), "http://old.example/rss")
    assert items == [
        Item(
            url="http://old.example/cafe.html", title="Café crème", source="http://old.example/rss"
        )
    ]


def test_json_feed() -> None:
    items = parse_feed(feed("feed.json"), "https://json.example/feed.json")
    assert items == [
        Item(
            url="https://json.example/one",
            published="2024-05-06T10:00:00+00:00",
            title="One story",
            source="https://json.example/feed.json",
        ),
        Item(
            url="https://json.example/two",
            published="2024-05-05T10:00:00Z",
            lastmod="2024-05-05T10:00:00Z",
            source="https://json.example/feed.json",
        ),
    ]


def test_utf16_feed() -> None:
    text = rss(many_items(3)).decode().replace('version="1.0"', 'version="1.0" encoding="utf-16"')
    items = parse_feed(text.encode("utf-16"), "https://feed.example/rss", max_items=2)
    assert [i.url for i in items] == ["https://feed.example/0", "https://feed.example/1"]


def test_wrong_declared_encoding_is_not_reported_as_malformed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = rss("<item><title>crème</title><link>https://feed.example/c</link></item>")
    data = data.decode().replace('version="1.0"', 'version="1.0" encoding="utf-8"')
    items = parse_feed(data.encode("latin-1"), "https://feed.example/rss")
    assert [i.title for i in items] == ["crème"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_empty_but_valid_feed_has_no_items() -> None:
    assert parse_feed(rss(""), "https://feed.example/rss") == []


# -- limits ----------------------------------------------------------------------------


def test_ten_thousand_items_are_cut_at_max_items(caplog: pytest.LogCaptureFixture) -> None:
    data = rss(many_items(10_000))
    items = parse_feed(data, "https://feed.example/rss", max_items=1000)
    assert len(items) == 1000
    assert items[0].url == "https://feed.example/0"
    assert items[-1].url == "https://feed.example/999"
    assert items[-1].published == "2024-05-06T10:00:00+00:00"
    # The cut is re-closed, so feedparser sees a well-formed feed: no "malformed" warning.
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_default_max_items_is_1000() -> None:
    assert len(parse_feed(rss(many_items(1200)), "https://feed.example/rss")) == 1000


def test_max_items_on_atom_and_rdf() -> None:
    entries = "".join(
        f"<entry><title>E{i}</title><id>urn:e:{i}</id>"
        f'<link href="https://feed.example/e{i}"/></entry>'
        for i in range(50)
    )
    atom = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>{entries}</feed>'
    assert [i.title for i in parse_feed(atom.encode(), "https://feed.example/a", max_items=3)] == [
        "E0",
        "E1",
        "E2",
    ]
    assert len(parse_feed(feed("rss10.rdf"), "https://rdf.example/", max_items=1)) == 1


def test_cut_after_keeps_the_document_well_formed() -> None:
    data = screen(rss(many_items(20))).data
    cut = cut_after(data, frozenset({"item"}), 5)
    root = ET.fromstring(cut)
    assert len(root.findall("./channel/item")) == 5
    assert cut_after(data, frozenset({"item"}), 50) is data  # fewer items: untouched


def test_max_items_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_items"):
        parse_feed(rss(""), "https://feed.example/", max_items=0)


# -- not feeds -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty document"),
        (b"  \n\t ", "empty document"),
        (b"\x00\x01\x02 binary garbage \xff", "no RSS or Atom markup"),
        (b"just some words", "no RSS or Atom markup"),
        (b"<html><body>x</body></html>", "got an HTML page"),
        (b"<!doctype html><title>x</title><p>hi", "got an HTML page"),
        (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>', "HTML page"),
        (b'<?xml version="1.0"?><urlset><url/></urlset>', "root element <urlset>"),
        (b'{"hello": "world"}', "JSON, but not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": ', "invalid JSON"),
        (b"{" + b'"a":[' * 100_000, "invalid JSON"),
    ],
)
def test_not_a_feed(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_feed(data, "https://site.example/feed")
    assert str(caught.value).startswith("https://site.example/feed: not a feed (")
    assert reason in str(caught.value)


def test_html_page_fixture_is_not_a_feed() -> None:
    with pytest.raises(InputError, match=r"^https://news.example/a: not a feed \(got an HTML page"):
        parse_feed(feed("article.html"), "https://news.example/a")


def test_malformed_feed_keeps_parsed_entries(caplog: pytest.LogCaptureFixture) -> None:
    items = parse_feed(feed("malformed.xml"), "https://broken.example/rss")
    assert [i.url for i in items] == ["https://broken.example/one", "https://broken.example/two"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert warnings[0].startswith("https://broken.example/rss: malformed feed (")
    assert warnings[0].endswith("kept 2 entries")


def test_malformed_feed_without_entries_is_an_error() -> None:
    data = b'<rss version="2.0"><channel><title>x &nbsp; <b>y</title></channel>'
    with pytest.raises(InputError, match=r"not a feed \(malformed XML, no entries"):
        parse_feed(data, "https://broken.example/rss")


# -- hostile XML (issue 6) -------------------------------------------------------------


def _no_request_reached(server: HTTPServer) -> None:
    assert server.log == [], [str(request) for request, _ in server.log]


def test_external_entities_never_read_files_or_urls(tmp_path: Path, httpserver: HTTPServer) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(MARKER)
    httpserver.expect_request("/xxe").respond_with_data(MARKER + "-NET")
    httpserver.expect_request("/evil.dtd").respond_with_data(f'<!ENTITY leak "{MARKER}-DTD">')
    net, dtd = httpserver.url_for("/xxe"), httpserver.url_for("/evil.dtd")
    prolog = (
        f'<!DOCTYPE rss SYSTEM "{dtd}" [\n'
        f'  <!ENTITY file SYSTEM "file://{secret}">\n'
        f'  <!ENTITY net SYSTEM "{net}">\n'
        f'  <!ENTITY % remote SYSTEM "{dtd}"> %remote;\n'
        f"]>\n"
    )
    data = rss(
        "<item><title>a &file; b &net; c &leak;</title>"
        "<link>https://feed.example/&file;</link><description>&file;&net;</description></item>"
        "<item><title>second</title><link>https://feed.example/2</link></item>",
        prolog=prolog,
    )
    items = parse_feed(data, "https://feed.example/rss")
    assert MARKER not in repr(items)
    assert [i.url for i in items][-1] == "https://feed.example/2"
    _no_request_reached(httpserver)


def test_external_entities_in_utf16_feed(tmp_path: Path, httpserver: HTTPServer) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(MARKER)
    httpserver.expect_request("/xxe").respond_with_data(MARKER)
    prolog = (
        f'<!DOCTYPE rss [<!ENTITY file SYSTEM "file://{secret}">'
        f'<!ENTITY net SYSTEM "{httpserver.url_for("/xxe")}">]>'
    )
    text = rss(
        "<item><title>&file;&net;</title><link>https://feed.example/1</link></item>",
        prolog=prolog,
    ).decode()
    text = text.replace('version="1.0"', 'version="1.0" encoding="utf-16"')
    items = parse_feed(text.encode("utf-16"), "https://feed.example/rss")
    assert MARKER not in repr(items)
    assert [i.url for i in items] == ["https://feed.example/1"]
    _no_request_reached(httpserver)


def test_billion_laughs_is_not_expanded() -> None:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    data = rss(
        "<item><title>&lol9;</title><link>https://feed.example/laughs</link>"
        "<description>&lol9;&lol9;</description></item>",
        prolog="<!DOCTYPE rss [" + "".join(levels) + "]>",
    )
    items = parse_feed(data, "https://feed.example/rss")
    assert [i.url for i in items] == ["https://feed.example/laughs"]
    assert items[0].title is not None and len(items[0].title) < 50
    assert "lollol" not in (items[0].title or "")


def test_quadratic_blowup_is_not_expanded() -> None:
    data = rss(
        "<item><title>" + "&big;" * 20_000 + "</title><link>https://feed.example/q</link></item>",
        prolog='<!DOCTYPE rss [<!ENTITY big "' + "x" * 50_000 + '">]>',
    )
    items = parse_feed(data, "https://feed.example/rss")
    assert [i.url for i in items] == ["https://feed.example/q"]
    assert "xxxx" not in (items[0].title or "")


def test_a_body_that_names_a_local_file_is_not_read(tmp_path: Path) -> None:
    # feedparser.parse(bytes) opens its argument as a path if it can; we never let it.
    local = tmp_path / "feed.xml"
    local.write_bytes(rss(f"<item><title>{MARKER}</title><link>https://x.example/</link></item>"))
    with pytest.raises(InputError, match="not a feed"):
        parse_feed(str(local).encode(), "https://feed.example/rss")


@pytest.mark.parametrize(
    "doctype",
    [
        # '>' and ']' inside quoted entity values and comments must not end the DTD early
        '<!DOCTYPE rss [<!ENTITY a "x>y]>"> <!-- ]> <rss> --> <!ENTITY f SYSTEM "file:///x">]>',
        '<!DOCTYPE rss [<!ENTITY a \'it"s\'> <!ENTITY f SYSTEM "file:///x">]>',
        '<!DOCTYPE rss PUBLIC "-//x//EN" "http://127.0.0.1:9/x.dtd">',
        "<!-- comment first --><!DOCTYPE rss [<!ENTITY f SYSTEM 'file:///x'>]><!-- and after -->",
    ],
)
def test_screen_removes_the_whole_dtd(doctype: str) -> None:
    data = f'<?xml version="1.0"?>\n{doctype}\n<rss version="2.0"><channel/></rss>'.encode()
    screened = screen(data)
    assert screened.data == b'<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>'
    assert screened.doctype == "rss"
    assert screened.root == "rss"


def test_entity_markup_after_the_prolog_is_refused() -> None:
    data = b'<rss version="2.0"><!DOCTYPE x [<!ENTITY a "b">]><channel/></rss>'
    with pytest.raises(InputError, match="DOCTYPE or ENTITY markup inside the document"):
        parse_feed(data, "https://feed.example/rss")


def test_unterminated_doctype_is_not_a_feed() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "never closed'
    with pytest.raises(InputError, match="not a feed"):
        parse_feed(data, "https://feed.example/rss")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_give_items_or_input_error(data: bytes) -> None:
    try:
        items = parse_feed(data, "https://feed.example/rss")
    except InputError as exc:
        assert "https://feed.example/rss: not a feed" in str(exc)
    else:
        assert all(i.url.startswith(("http://", "https://")) for i in items)


@settings(max_examples=150, deadline=None)
@given(cut=st.integers(min_value=0, max_value=2000), junk=st.binary(max_size=20))
def test_damaged_real_feeds_give_items_or_input_error(cut: int, junk: bytes) -> None:
    original = feed("rss20.xml")
    data = original[: cut % len(original)] + junk + original[cut % len(original) :][len(junk) :]
    try:
        items = parse_feed(data, "https://news.example/rss")
    except InputError:
        return
    assert all(i.source == "https://news.example/rss" for i in items)


# -- discovery -------------------------------------------------------------------------


def test_discover_feeds_on_a_homepage() -> None:
    found = discover_feeds(feed("homepage.html"), "https://news.example/")
    assert found == [
        "https://news.example/feed/",
        "https://news.example/section/atom.xml",  # relative to <base href>
        "https://news.example/comments/feed/",  # comment feeds last
    ]  # stylesheet, hreflang, JSON and javascript: links ignored; duplicates dropped


def test_discover_feeds_without_comment_feeds() -> None:
    found = discover_feeds(feed("homepage.html"), "https://news.example/", comments=False)
    assert found == ["https://news.example/feed/", "https://news.example/section/atom.xml"]


def test_discover_feeds_of_json_feed_and_text_xml_types() -> None:
    page = (
        '<html><head><link rel="alternate" type="application/feed+json" href="/feed.json">'
        '<link rel="alternate" type="text/xml" title="RSS" href="/rss.xml">'
        '<link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/1">'
        "</head></html>"
    )
    assert discover_feeds(page, "https://site.example/") == [
        "https://site.example/feed.json",
        "https://site.example/rss.xml",
    ]  # a WordPress API link (application/json) is not a feed


def test_discover_feeds_accepts_str_and_resolves_against_the_page() -> None:
    page = (
        '<?xml version="1.0" encoding="utf-8"?><html><head>'
        '<link rel="alternate feed" type="APPLICATION/RSS+XML" href="rss.xml"></head></html>'
    )
    assert discover_feeds(page, "https://site.example/news/today") == [
        "https://site.example/news/rss.xml"
    ]


def test_discover_feeds_with_a_legacy_charset() -> None:
    page = (
        '<html><head><meta charset="windows-1252"><link rel="alternate" '
        'type="application/atom+xml" title="Caf\xe9" href="/caf\xe9.xml"></head></html>'
    ).encode("cp1252")
    assert discover_feeds(page, "https://site.example/") == ["https://site.example/café.xml"]


@pytest.mark.parametrize("page", ["", b"", "<p>no head</p>", b"\x00\x01", "plain text"])
def test_discover_feeds_finds_nothing(page: str | bytes) -> None:
    assert discover_feeds(page, "https://site.example/") == []


def test_json_feed_fixture_is_valid_json() -> None:
    # guards the fixture itself: a broken fixture would turn test_json_feed into a no-op
    assert json.loads(feed("feed.json"))["version"].endswith("1.1")


# -- gzip, and entries skipped for their link (QA session 9) -------------------------------


def test_a_gzip_feed_is_decompressed() -> None:
    plain = parse_feed(feed("rss20.xml"), "https://feed.example/rss")
    assert parse_feed(gzip.compress(feed("rss20.xml")), "https://feed.example/rss") == plain
    assert parse_feed(gzip.compress(feed("feed.json")), "https://json.example/feed.json")


def test_a_gzip_feed_over_max_bytes_is_refused() -> None:
    data = gzip.compress(rss(many_items(50)))
    with pytest.raises(InputError, match="feed larger than 0 MB once decompressed; refused"):
        parse_feed(data, "https://feed.example/rss", max_bytes=1000)


def test_a_broken_gzip_feed_keeps_what_came_before(caplog: pytest.LogCaptureFixture) -> None:
    data = gzip.compress(rss(many_items(200)))
    items = parse_feed(data[: len(data) // 2], "https://feed.example/rss")
    assert 0 < len(items) < 200
    assert "the gzip data breaks off" in caplog.text
    with pytest.raises(InputError, match="not a feed"):
        parse_feed(data[:15], "https://feed.example/rss")


def test_entry_links_are_read_as_browsers_read_them() -> None:
    items = "".join(
        f"<item><title>{n}</title><link>{link}</link></item>"
        for n, link in enumerate(["https://feed.example/a b", " /rel\tative ", "c d"])
    )
    urls = [item.url for item in parse_feed(rss(items), "https://feed.example/feeds/main")]
    expected = ["https://feed.example/a%20b", "https://feed.example/relative"]
    assert urls == [*expected, "https://feed.example/feeds/c%20d"]


def test_entries_without_a_usable_link_are_told_to_skipped() -> None:
    rss_items = (
        "<item><title>Full text</title><description>all of it</description></item>"
        '<item><guid isPermaLink="false">tag:x,2024:1</guid></item>'
        "<item><link>mailto:desk@feed.example</link></item>"
        "<item><link>https://feed.example/ok</link></item>"
    )
    told: list[str] = []
    items = parse_feed(rss(rss_items), "https://feed.example/rss", skipped=told.append)
    assert [item.url for item in items] == ["https://feed.example/ok"]
    assert told == [NO_LINK, NO_LINK, "'mailto:desk@feed.example'"]
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        b"<entry><title>no link</title><id>urn:x:1</id></entry></feed>"
    )
    told.clear()
    assert parse_feed(atom, "https://feed.example/atom", skipped=told.append) == []
    assert told == [NO_LINK]
    entries = [{"id": "1"}, {"id": "2", "url": "ftp://feed.example/x"}, {"id": "3", "url": 5}]
    doc = {"version": "https://jsonfeed.org/version/1.1", "items": entries}
    told.clear()
    assert parse_feed(json.dumps(doc).encode(), "https://j.example/f", skipped=told.append) == []
    assert told == [NO_LINK, "'ftp://feed.example/x'", NO_LINK]


# -- what feed templates and proxies write (QA session 14) --------------------------------


def test_html_references_in_a_feed_are_not_malformed_xml(caplog: pytest.LogCaptureFixture) -> None:
    # WordPress titles with &nbsp; or &hellip;, a bare '&' in a link: once a "malformed
    # feed" warning every run, and a feed read by feedparser's loose parser.
    data = rss(
        "<item><title>Caf&eacute;&nbsp;&hellip; &amp; more</title>"
        "<link>https://feed.example/a?x=1&y=2</link></item>"
        "<item><title><![CDATA[Tom &amp; Jerry]]></title><link>https://feed.example/b</link></item>"
    )
    items = parse_feed(data, "https://feed.example/rss")
    assert [(i.url, i.title) for i in items] == [
        ("https://feed.example/a?x=1&y=2", "Café … & more"),
        ("https://feed.example/b", "Tom & Jerry"),
    ]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_feed_proxys_original_link_is_taken_over_its_redirector() -> None:
    data = rss(
        "<item><title>A</title><link>https://feedproxy.google.com/~r/x/~3/abc/</link>"
        "<feedburner:origLink>https://news.example/a</feedburner:origLink></item>"
        "<item><title>B</title><link>https://feedproxy.google.com/~r/x/~3/def/</link>"
        "<feedburner:origLink>not a url</feedburner:origLink></item>"
    ).replace(
        b'<rss version="2.0">',
        b'<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">',
    )
    items = parse_feed(data, "https://feeds.feedburner.com/x")
    assert [i.url for i in items] == [
        "https://news.example/a",
        "https://feedproxy.google.com/~r/x/~3/def/",
    ]


def test_a_json_feed_items_url_id_stands_for_its_missing_url() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "T",
        "items": [
            {"id": "https://news.example/a", "content_text": "x"},
            {"id": "42", "content_text": "no address"},
        ],
    }
    skipped: list[str] = []
    items = parse_feed(json.dumps(doc).encode(), "https://news.example/feed.json",
                       skipped=skipped.append)  # fmt: skip
    assert [i.url for i in items] == ["https://news.example/a"]
    assert skipped == [NO_LINK]
