"""fetch() against a real HTTP server on 127.0.0.1 (pytest-httpserver): the ordinary web.

Statuses, redirects, retries, content types, charsets and conditional GET. The hostile cases
(bombs, drips, stalls, resets) are in test_fetch_hostile.py.
"""

from __future__ import annotations

import codecs
import gzip
import logging
import threading
import zlib
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from pytest_httpserver import HTTPServer

from newsarc.errors import FetchError, InputError
from newsarc.fetch import (
    FEED_TYPES,
    HTML_TYPES,
    FetchLimits,
    fetch,
    make_session,
    user_agent,
)
from newsarc.httperrors import retry_after, status_reason
from newsarc.httpguard import GuardedAdapter
from tests.rawserver import reply, serving

# Short limits keep the whole file at a few seconds.
FAST = FetchLimits(connect_timeout=2, read_timeout=2, deadline=5, retries=3, backoff=0.01)
PAGE = "<!doctype html><html><head><title>Story</title></head><body><p>Hello</p></body></html>"
RUSSIAN = (
    "<html><head><title>Новости</title></head><body><p>Правительство объявило о новых мерах "
    "поддержки экономики. Министр финансов рассказал журналистам, что бюджет страны выдержит "
    "дополнительные расходы, а инфляция останется под контролем до конца года.</p></body></html>"
)


def served(httpserver: HTTPServer, path: str, body: bytes | str, **kwargs: object) -> str:
    """Serve ``body`` at ``path`` (200, text/html unless told) and return its URL."""
    kwargs.setdefault("content_type", "text/html; charset=utf-8")
    httpserver.expect_request(path).respond_with_data(body, **kwargs)  # type: ignore[arg-type]
    return httpserver.url_for(path)


def test_page_with_charset(httpserver: HTTPServer) -> None:
    url = served(httpserver, "/story", PAGE.encode())
    page = fetch(url, limits=FAST)
    assert page.url == url
    assert page.final_url == url
    assert page.status == 200
    assert page.content == PAGE.encode()
    assert page.encoding == "utf-8"
    assert page.content_type == "text/html"
    assert isinstance(page.headers, dict)
    assert page.header("content-type") == "text/html; charset=utf-8"
    assert "<title>Story</title>" in page.text()
    assert page.fetched_at.endswith("+00:00")


def test_user_agent_names_newsarc(httpserver: HTTPServer) -> None:
    url = served(httpserver, "/ua", PAGE)
    fetch(url, limits=FAST)
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"].startswith("newsarc/")
    assert request.headers["User-Agent"] == user_agent()
    assert "text/html" in request.headers["Accept"]
    assert request.headers["Accept-Encoding"] == "gzip, deflate"


def test_user_agent_format() -> None:
    agent = user_agent()
    assert agent.startswith("newsarc/")
    assert agent.endswith("(+https://github.com/newsarc/newsarc)")
    assert make_session().headers["User-Agent"] == agent


@pytest.mark.parametrize(
    ("contact", "tail"),
    [
        (
            "archive-team@example.org",
            "(+https://github.com/newsarc/newsarc; archive-team@example.org)",
        ),
        (
            "  x@example.org\r\nEvil: 1 (y) ",
            "(+https://github.com/newsarc/newsarc; x@example.org Evil: 1 y)",
        ),
        ("   ", "(+https://github.com/newsarc/newsarc)"),
    ],
)
def test_user_agent_carries_a_contact(
    monkeypatch: pytest.MonkeyPatch, contact: str, tail: str
) -> None:
    monkeypatch.setenv("NEWSARC_CONTACT", contact)
    user_agent.cache_clear()
    try:
        assert user_agent().endswith(" " + tail)
    finally:
        monkeypatch.delenv("NEWSARC_CONTACT")
        user_agent.cache_clear()


def test_windows_1251_page_without_http_charset(httpserver: HTTPServer) -> None:
    body = RUSSIAN.replace("<head>", '<head><meta charset="windows-1251">').encode("cp1251")
    url = served(httpserver, "/ru", body, content_type="text/html")
    page = fetch(url, limits=FAST)
    assert page.encoding == "cp1251"
    assert "Правительство объявило" in page.text()


def test_windows_1251_page_without_any_declaration(httpserver: HTTPServer) -> None:
    url = served(httpserver, "/ru-bare", RUSSIAN.encode("cp1251"), content_type="text/html")
    page = fetch(url, limits=FAST)
    assert "Правительство объявило" in page.text()


FRENCH = (
    "<html><body><p>Le gouvernement a annoncé mercredi une série de mesures destinées à "
    "soutenir les agriculteurs touchés par la sécheresse. Selon le ministre, les aides seront "
    "versées dès la fin du mois, après une réunion à Matignon.</p></body></html>"
)


def test_latin1_bytes_declared_utf8(httpserver: HTTPServer) -> None:
    url = served(
        httpserver, "/fr", FRENCH.encode("latin-1"), content_type="text/html; charset=utf-8"
    )
    page = fetch(url, limits=FAST)
    assert page.encoding == "cp1252"
    assert "une série de mesures destinées à soutenir" in page.text()


def test_latin1_bytes_declared_utf8_with_meta(httpserver: HTTPServer) -> None:
    html = FRENCH.replace("<body>", '<head><meta charset="iso-8859-1"></head><body>')
    url = served(
        httpserver, "/fr-meta", html.encode("latin-1"), content_type="text/html; charset=utf-8"
    )
    page = fetch(url, limits=FAST)
    assert page.encoding == "cp1252"
    assert "une série de mesures destinées à soutenir" in page.text()


def test_utf8_bytes_declared_latin1(httpserver: HTTPServer) -> None:
    body = "<html><body><p>Un café à Paris — naïve</p></body></html>".encode()
    url = served(httpserver, "/fr8", body, content_type="text/html; charset=iso-8859-1")
    page = fetch(url, limits=FAST)
    assert page.encoding == "utf-8"
    assert "Un café à Paris — naïve" in page.text()


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(httpserver: HTTPServer, codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    body = bom + "<html><body><p>Grüße aus Köln</p></body></html>".encode(codec)
    url = served(httpserver, "/u16", body, content_type="text/html")
    page = fetch(url, limits=FAST)
    assert page.encoding == codec
    assert "Grüße aus Köln" in page.text()


@pytest.mark.parametrize(
    ("status", "reason"),
    [(404, "HTTP 404 Not Found"), (410, "HTTP 410 Gone"), (500, "HTTP 500 Internal Server Error")],
)
def test_error_status(httpserver: HTTPServer, status: int, reason: str) -> None:
    url = served(httpserver, "/gone", "nope", status=status)
    with pytest.raises(FetchError) as caught:
        fetch(url, limits=FAST)
    assert caught.value.status == status
    assert caught.value.reason == reason
    assert caught.value.url == url
    assert str(caught.value) == f"{url}: {reason}"
    assert len(httpserver.log) == 1  # client errors and 500 are not retried


def test_redirect_chain_gives_final_url(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=301, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/c")}
    )
    httpserver.expect_request("/c").respond_with_data("", status=308, headers={"Location": "d?x=1"})
    final = served(httpserver, "/d", PAGE)
    page = fetch(httpserver.url_for("/a"), limits=FAST)
    assert page.url == httpserver.url_for("/a")
    assert page.final_url == final + "?x=1"
    assert page.status == 200
    assert [r.path for r, _ in httpserver.log] == ["/a", "/b", "/c", "/d"]
    assert page.redirects == (301, 302, 308)
    assert not page.moved_permanently  # the 302 says /a is still the address


def test_a_page_reached_through_permanent_redirects_only_has_moved(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=301, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=308, headers={"Location": "/c"})
    final = served(httpserver, "/c", PAGE)
    page = fetch(httpserver.url_for("/a"), limits=FAST)
    assert (page.final_url, page.redirects, page.moved_permanently) == (final, (301, 308), True)
    direct = fetch(final, limits=FAST)
    assert (direct.redirects, direct.moved_permanently) == ((), False)


def test_redirect_loop(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/x").respond_with_data("", status=302, headers={"Location": "/y"})
    httpserver.expect_request("/y").respond_with_data("", status=302, headers={"Location": "/x"})
    with pytest.raises(FetchError, match=r"too many redirects \(11\); it loops back to"):
        fetch(httpserver.url_for("/x"), limits=FAST)
    assert len(httpserver.log) == 11


def _chain(httpserver: HTTPServer, hops: int) -> None:
    for n in range(hops):
        httpserver.expect_request(f"/hop{n}").respond_with_data(
            "", status=301, headers={"Location": f"/hop{n + 1}"}
        )
    served(httpserver, f"/hop{hops}", PAGE)


def test_thirty_hop_chain_is_too_long(httpserver: HTTPServer) -> None:
    _chain(httpserver, 30)
    with pytest.raises(FetchError) as caught:
        fetch(httpserver.url_for("/hop0"), limits=FAST)
    assert caught.value.reason == "too many redirects (11)"
    assert len(httpserver.log) == 11


def test_thirty_hop_chain_within_a_raised_cap(httpserver: HTTPServer) -> None:
    _chain(httpserver, 30)
    limits = FetchLimits(deadline=10, max_redirects=30)
    page = fetch(httpserver.url_for("/hop0"), limits=limits)
    assert page.final_url == httpserver.url_for("/hop30")


def test_no_redirects_allowed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/r").respond_with_data("", status=301, headers={"Location": "/"})
    with pytest.raises(FetchError, match=r"too many redirects \(1\)"):
        fetch(httpserver.url_for("/r"), limits=FetchLimits(max_redirects=0))


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "ftp://example.com/story.html", "javascript:alert(1)"]
)
def test_redirect_to_unsupported_scheme(httpserver: HTTPServer, target: str) -> None:
    httpserver.expect_request("/r").respond_with_data("", status=302, headers={"Location": target})
    with pytest.raises(FetchError) as caught:
        fetch(httpserver.url_for("/r"), limits=FAST)
    assert caught.value.reason == f"redirect to unsupported scheme {target}"
    assert caught.value.status == 302


def test_redirect_without_location(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/r").respond_with_data("", status=301)
    with pytest.raises(FetchError, match="301 Moved Permanently without a Location header"):
        fetch(httpserver.url_for("/r"), limits=FAST)


def test_redirect_to_utf8_location(httpserver: HTTPServer) -> None:
    # The server sends the header as raw UTF-8 bytes, as many real servers do.
    httpserver.expect_request("/r").respond_with_data(
        "", status=302, headers={"Location": "/новости"}
    )
    httpserver.expect_request("/новости").respond_with_data(PAGE, content_type="text/html")
    page = fetch(httpserver.url_for("/r"), limits=FAST)
    assert page.final_url.endswith("/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8")


def test_redirect_to_a_latin_1_location(httpserver: HTTPServer) -> None:
    """A Location in Latin-1 bytes (not UTF-8) is read as Latin-1, as browsers do; requests,
    working out a redirect newsarc follows itself, failed on it first ('utf-8' codec)."""
    httpserver.expect_request("/news/café").respond_with_data(PAGE, content_type="text/html")
    target = httpserver.url_for("/news/").encode() + "café".encode("latin-1")
    answer = b"HTTP/1.1 302 Found\r\nLocation: " + target + b"\r\nContent-Length: 0\r\n\r\n"
    with serving(reply(answer)) as server:
        page = fetch(f"http://127.0.0.1:{server.port}/r", limits=FAST)
    assert page.final_url == httpserver.url_for("/news/caf%C3%A9")


def test_credentials_stay_on_the_original_host(httpserver: HTTPServer) -> None:
    # localhost and 127.0.0.1 reach the same server but are different hosts to a browser.
    other = f"http://127.0.0.1:{httpserver.port}/elsewhere"
    httpserver.expect_request("/r").respond_with_data("", status=302, headers={"Location": other})
    served(httpserver, "/elsewhere", PAGE)
    fetch(
        httpserver.url_for("/r"),
        limits=FAST,
        headers={"Authorization": "Bearer secret", "If-None-Match": '"v1"'},
    )
    first, second = (request for request, _ in httpserver.log)
    assert first.headers["Authorization"] == "Bearer secret"
    assert "Authorization" not in second.headers
    assert second.headers["If-None-Match"] == '"v1"'


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_then_success(httpserver: HTTPServer, status: int) -> None:
    httpserver.expect_oneshot_request("/busy").respond_with_data(
        "slow down", status=status, headers={"Retry-After": "1"}
    )
    url = served(httpserver, "/busy", PAGE)
    limits = FetchLimits(deadline=5, max_retry_after=2, backoff=0.01)
    page = fetch(url, limits=limits)
    assert page.status == 200
    assert len(httpserver.log) == 2


def test_retry_without_retry_after_uses_backoff(httpserver: HTTPServer) -> None:
    for _ in range(2):
        httpserver.expect_oneshot_request("/busy").respond_with_data("", status=503)
    url = served(httpserver, "/busy", PAGE)
    page = fetch(url, limits=FAST)
    assert page.status == 200
    assert len(httpserver.log) == 3


def test_retries_run_out(httpserver: HTTPServer) -> None:
    url = served(httpserver, "/down", "", status=503)
    limits = FetchLimits(deadline=5, retries=2, backoff=0.01)
    with pytest.raises(FetchError) as caught:
        fetch(url, limits=limits)
    assert caught.value.reason == "HTTP 503 Service Unavailable (gave up after 2 retries)"
    assert caught.value.status == 503
    assert len(httpserver.log) == 3


def test_retry_after_above_cap_fails_at_once(httpserver: HTTPServer) -> None:
    url = served(httpserver, "/later", "", status=429, headers={"Retry-After": "3600"})
    limits = FetchLimits(deadline=5, max_retry_after=2)
    with pytest.raises(FetchError) as caught:
        fetch(url, limits=limits)
    assert caught.value.reason == (
        "HTTP 429 Too Many Requests: Retry-After 3600 s exceeds the 2 s cap"
    )
    assert caught.value.status == 429
    assert len(httpserver.log) == 1


def test_retry_after_past_the_deadline_fails_at_once(httpserver: HTTPServer) -> None:
    url = served(httpserver, "/later", "", status=503, headers={"Retry-After": "5"})
    limits = FetchLimits(deadline=2, max_retry_after=10)
    with pytest.raises(FetchError, match=r"a retry in 5 s would pass the 2 s deadline"):
        fetch(url, limits=limits)
    assert len(httpserver.log) == 1


def test_retry_is_logged(httpserver: HTTPServer, caplog: pytest.LogCaptureFixture) -> None:
    httpserver.expect_oneshot_request("/busy").respond_with_data("", status=503)
    url = served(httpserver, "/busy", PAGE)
    with caplog.at_level(logging.INFO, logger="newsarc.fetch"):
        fetch(url, limits=FAST)
    assert any("retry 1 of 3" in r.getMessage() for r in caplog.records)


def test_retry_after_parsing() -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after("120") == 120
    assert retry_after(" 1.5 ") == 1.5
    assert retry_after("-3") == 0
    assert retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert retry_after(format_datetime(now - timedelta(hours=1), usegmt=True), now) == 0
    assert retry_after("soon") is None
    assert retry_after("nan") is None
    assert retry_after("") is None
    assert retry_after(None) is None


def test_status_reason() -> None:
    assert status_reason(404) == "HTTP 404 Not Found"
    assert status_reason(404, "NOT FOUND") == "HTTP 404 Not Found"
    assert status_reason(599) == "HTTP 599"
    assert status_reason(599, "Network Connect Timeout") == "HTTP 599 Network Connect Timeout"


def test_non_html_content_type(httpserver: HTTPServer) -> None:
    url = served(httpserver, "/doc.pdf", b"%PDF-1.7 ...", content_type="application/pdf")
    with pytest.raises(FetchError) as caught:
        fetch(url, limits=FAST)
    assert caught.value.reason == "not HTML (application/pdf)"
    assert caught.value.status == 200


def test_any_type_when_accept_is_none(httpserver: HTTPServer) -> None:
    url = served(httpserver, "/doc.pdf", b"%PDF-1.7 ...", content_type="application/pdf")
    page = fetch(url, limits=FAST, accept=None)
    assert page.content == b"%PDF-1.7 ..."
    assert page.encoding is None


def test_feed_types(httpserver: HTTPServer) -> None:
    rss = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
    url = served(httpserver, "/feed", rss, content_type="application/rss+xml")
    assert fetch(url, limits=FAST, accept=FEED_TYPES).content == rss
    with pytest.raises(FetchError, match=r"not HTML \(application/rss\+xml\)"):
        fetch(url, limits=FAST)
    html = served(httpserver, "/page", PAGE)
    with pytest.raises(FetchError, match=r"unexpected content type \(text/html\)"):
        fetch(html, limits=FAST, accept=FEED_TYPES)


def test_gzipped_sitemap_file_is_left_compressed(httpserver: HTTPServer) -> None:
    data = gzip.compress(b"<?xml version='1.0'?><urlset></urlset>")
    url = served(httpserver, "/sitemap.xml.gz", data, content_type="application/x-gzip")
    page = fetch(url, limits=FAST, accept=FEED_TYPES)
    assert page.content == data
    assert page.encoding is None


@pytest.mark.parametrize(
    ("body", "looks"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (bytes(range(256)) * 4, "application/octet-stream"),
    ],
)
def test_binary_labelled_html(httpserver: HTTPServer, body: bytes, looks: str) -> None:
    url = served(httpserver, "/fake.html", body)
    with pytest.raises(FetchError) as caught:
        fetch(url, limits=FAST)
    assert caught.value.reason == f"binary content labelled text/html (looks like {looks})"


def test_empty_200(httpserver: HTTPServer) -> None:
    url = served(httpserver, "/empty", b"")
    with pytest.raises(FetchError) as caught:
        fetch(url, limits=FAST)
    assert caught.value.reason == "empty body"
    assert caught.value.status == 200


def test_whitespace_only_body_is_empty(httpserver: HTTPServer) -> None:
    url = served(httpserver, "/blank", b" \r\n\t\n")
    with pytest.raises(FetchError, match="empty body"):
        fetch(url, limits=FAST)


def test_conditional_get_304(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/cached", headers={"If-None-Match": '"abc"'}).respond_with_data(
        "", status=304, headers={"ETag": '"abc"'}
    )
    served(httpserver, "/cached", PAGE, headers={"ETag": '"abc"'})
    url = httpserver.url_for("/cached")
    fresh = fetch(url, limits=FAST)
    assert fresh.status == 200
    assert fresh.header("ETag") == '"abc"'
    page = fetch(url, limits=FAST, headers={"If-None-Match": '"abc"'})
    assert page.status == 304
    assert page.content == b""
    assert page.final_url == url


@pytest.mark.parametrize("coding", ["gzip", "deflate-zlib", "deflate-raw"])
def test_compressed_page(httpserver: HTTPServer, coding: str) -> None:
    raw = PAGE.encode() * 50
    if coding == "gzip":
        data, header = gzip.compress(raw), "gzip"
    elif coding == "deflate-zlib":
        data, header = zlib.compress(raw), "deflate"
    else:
        packer = zlib.compressobj(wbits=-15)
        data, header = packer.compress(raw) + packer.flush(), "deflate"
    url = served(httpserver, "/z", data, headers={"Content-Encoding": header})
    page = fetch(url, limits=FAST)
    assert page.content == raw


def test_malformed_url_is_an_input_error() -> None:
    with pytest.raises(InputError):
        fetch("not a url")
    with pytest.raises(InputError):
        fetch("ftp://example.com/file")


def test_session_is_reused(httpserver: HTTPServer) -> None:
    url = served(httpserver, "/again", PAGE)
    session = make_session()
    assert isinstance(session.get_adapter(url), GuardedAdapter)
    for _ in range(3):
        assert fetch(url, session=session, limits=FAST).status == 200
    assert len(httpserver.log) == 3
    session.close()


def test_plain_session_gets_the_guarded_adapter(httpserver: HTTPServer) -> None:
    url = served(httpserver, "/plain", PAGE)
    session = requests.Session()
    page = fetch(url, session=session, limits=FAST)
    assert page.status == 200
    assert isinstance(session.get_adapter(url), GuardedAdapter)
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"] == user_agent()
    session.close()


def test_caller_headers_are_sent(httpserver: HTTPServer) -> None:
    url = served(httpserver, "/h", PAGE)
    fetch(url, limits=FAST, headers={"If-Modified-Since": "Wed, 01 May 2024 10:00:00 GMT"})
    request, _ = httpserver.log[0]
    assert request.headers["If-Modified-Since"] == "Wed, 01 May 2024 10:00:00 GMT"


def test_html_types() -> None:
    assert {"text/html", "application/xhtml+xml"} == HTML_TYPES
    assert {"application/rss+xml", "application/atom+xml", "text/xml"} <= FEED_TYPES


class _KeepAlive(BaseHTTPRequestHandler):
    """An HTTP/1.1 handler (werkzeug's test server speaks 1.0 and closes every connection)."""

    protocol_version = "HTTP/1.1"
    connections = 0

    def setup(self) -> None:
        super().setup()
        type(self).connections += 1

    def do_GET(self) -> None:  # noqa: N802 - the name http.server looks up
        body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture
def keepalive_server() -> Iterator[ThreadingHTTPServer]:
    """A stdlib HTTP/1.1 server on 127.0.0.1 that keeps connections open."""
    _KeepAlive.connections = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _KeepAlive)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_session_keeps_the_connection_alive(keepalive_server: ThreadingHTTPServer) -> None:
    url = f"http://127.0.0.1:{keepalive_server.server_port}/story"
    session = make_session()
    for _ in range(3):
        assert fetch(url, session=session, limits=FAST).content == PAGE.encode()
    session.close()
    assert _KeepAlive.connections == 1


def test_user_agent_chosen_by_the_caller_is_kept(httpserver: HTTPServer) -> None:
    url = served(httpserver, "/ua", PAGE)
    session = make_session()
    session.headers["User-Agent"] = "UniArchive/2.0 (newsarc; +mailto:lib@example.org)"
    fetch(url, session=session, limits=FAST)
    fetch(url, limits=FAST, headers={"User-Agent": "Per-Call/1.0"})
    first, second = (request.headers["User-Agent"] for request, _ in httpserver.log)
    assert first == "UniArchive/2.0 (newsarc; +mailto:lib@example.org)"
    assert second == "Per-Call/1.0"
    session.close()


def test_classify_wrapped_network_errors() -> None:
    import socket

    import urllib3.exceptions as u3

    from newsarc.httperrors import classify_body, classify_request

    gaierror = socket.gaierror(-2, "Name or service not known")
    dns = u3.NameResolutionError("news.example", None, gaierror)  # type: ignore[arg-type]
    wrapped = requests.ConnectionError(u3.MaxRetryError(None, "/", dns))  # type: ignore[arg-type]
    assert classify_request(wrapped, "news.example").reason == "cannot resolve host news.example"
    assert not classify_request(wrapped, "news.example").retry
    reset = requests.ConnectionError(u3.ProtocolError("aborted", ConnectionResetError(104, "x")))
    assert classify_request(reset, "h").reason == "connection reset"
    assert classify_request(reset, "h").retry
    timeout = classify_request(requests.ReadTimeout("slow"), "h")
    assert timeout.timeout == "read"
    assert timeout.reason.format("30") == "no response within 30 s"
    short = u3.ProtocolError("broken", u3.IncompleteRead(10, 90))
    assert classify_body(short, 0, 100) == classify_body(short, 5, None)
    failure = classify_body(short, 0, 100)
    assert failure is not None
    assert failure.reason == "incomplete body (got 10 of 100 bytes)"
    assert classify_body(KeyError("bug"), 0, None) is None


@pytest.mark.parametrize(
    "bad", [{"deadline": 0}, {"max_bytes": -1}, {"retries": -1}, {"read_timeout": float("nan")}]
)
def test_limits_are_checked(bad: dict[str, float]) -> None:
    with pytest.raises(InputError, match="fetch limit"):
        FetchLimits(**bad)  # type: ignore[arg-type]


class RecordingSlot:
    """A slot that records when it is entered and left, and what the server saw meanwhile."""

    def __init__(self, events: list[str], wait: float = 0.0) -> None:
        self.events = events
        self.wait = wait

    def __enter__(self) -> None:
        if self.wait:
            threading.Event().wait(self.wait)
        self.events.append("enter")

    def __exit__(self, *exc_info: object) -> None:
        self.events.append("exit" if exc_info[0] is None else f"exit:{exc_info[0].__name__}")


def recording_session(events: list[str]) -> requests.Session:
    session = make_session()
    real = session.prepare_request

    def prepare(request: requests.Request) -> requests.PreparedRequest:
        events.append("prepare")
        return real(request)

    session.prepare_request = prepare  # type: ignore[method-assign]
    return session


def test_the_slot_is_held_only_while_the_request_is_on_the_wire(httpserver: HTTPServer) -> None:
    events: list[str] = []

    def answer(request: object) -> object:
        from werkzeug import Response

        events.append("served")
        return Response(PAGE, content_type="text/html")

    httpserver.expect_request("/story").respond_with_handler(answer)
    page = fetch(
        httpserver.url_for("/story"),
        session=recording_session(events),
        limits=FAST,
        slot=RecordingSlot(events),
    )
    assert page.content == PAGE.encode()
    assert events == ["prepare", "enter", "served", "exit"]


def test_redirects_are_followed_inside_the_one_slot(httpserver: HTTPServer) -> None:
    events: list[str] = []
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": "/new"}
    )
    served(httpserver, "/new", PAGE)
    page = fetch(
        httpserver.url_for("/old"),
        session=recording_session(events),
        limits=FAST,
        slot=RecordingSlot(events),
    )
    assert page.final_url == httpserver.url_for("/new")
    assert events == ["prepare", "enter", "prepare", "exit"]


def test_the_page_is_checked_after_the_slot_is_left(httpserver: HTTPServer) -> None:
    # An empty body is refused by the check after the body is read: the slot is left first,
    # without the error, since the request itself is over.
    events: list[str] = []
    url = served(httpserver, "/empty", "   ")
    with pytest.raises(FetchError, match="empty body"):
        fetch(url, limits=FAST, slot=RecordingSlot(events))
    assert events == ["enter", "exit"]


def test_an_error_on_the_wire_leaves_the_slot_with_it(httpserver: HTTPServer) -> None:
    events: list[str] = []
    httpserver.expect_request("/gone").respond_with_data("", status=404)
    with pytest.raises(FetchError, match="404"):
        fetch(httpserver.url_for("/gone"), limits=FAST, slot=RecordingSlot(events))
    assert events == ["enter", "exit:FetchError"]


def test_a_request_that_cannot_be_prepared_never_takes_the_slot() -> None:
    events: list[str] = []
    session = make_session()

    def refuse(request: requests.Request) -> requests.PreparedRequest:
        raise requests.exceptions.InvalidURL("no host in this URL")

    session.prepare_request = refuse  # type: ignore[method-assign]
    with pytest.raises(FetchError, match="invalid request"):
        fetch("http://news.invalid/story", session=session, slot=RecordingSlot(events))
    assert events == []


def test_waiting_for_the_slot_does_not_count_against_the_deadline(httpserver: HTTPServer) -> None:
    url = served(httpserver, "/story", PAGE)
    limits = FetchLimits(connect_timeout=2, read_timeout=2, deadline=0.5)
    events: list[str] = []
    page = fetch(url, limits=limits, slot=RecordingSlot(events, wait=1.0))
    assert page.content == PAGE.encode()


def _refresh_stub(target: str, delay: int = 0) -> str:
    return (
        f'<html><head><meta http-equiv="refresh" content="{delay}; url={target}">'
        f'<title>Moved</title></head><body><a href="{target}">moved</a></body></html>'
    )


def test_a_meta_refresh_stub_is_followed_as_a_redirect(httpserver: HTTPServer) -> None:
    """An old address kept as a small page that sends browsers on: the page it sends to is
    fetched (it failed as "no article text found")."""
    httpserver.expect_request("/old").respond_with_data(
        _refresh_stub("/news/moved"), content_type="text/html"
    )
    served(httpserver, "/news/moved", PAGE)
    page = fetch(httpserver.url_for("/old"), limits=FAST)
    assert page.url == httpserver.url_for("/old")
    assert page.final_url == httpserver.url_for("/news/moved")
    assert page.content == PAGE.encode()


@pytest.mark.parametrize(
    "head",
    [
        '<meta http-equiv="refresh" content="300">',  # a live page reloading itself
        '<meta http-equiv="refresh" content="0; url=/live">',  # ... by its own address
        '<meta http-equiv="refresh" content="60; url=/elsewhere">',  # not a redirect's delay
    ],
)
def test_a_page_that_reloads_itself_is_the_page(httpserver: HTTPServer, head: str) -> None:
    body = f"<html><head>{head}</head><body><p>Live updates.</p></body></html>"
    httpserver.expect_request("/live").respond_with_data(body, content_type="text/html")
    page = fetch(httpserver.url_for("/live"), limits=FAST)
    assert page.final_url == httpserver.url_for("/live")


def test_a_meta_refresh_stub_in_a_batch_goes_through_the_hosts_rules(server, tmp_path) -> None:
    """In ``ingest`` the stub's target is one more hop: robots.txt and its host's slot, and
    the article is archived under the address the list gave."""
    from click.testing import CliRunner

    from newsarc.cli import cli
    from tests.test_ingest import article_page

    server.expect_request("/old").respond_with_data(
        _refresh_stub("/news/moved"), content_type="text/html"
    )
    server.expect_request("/news/moved").respond_with_data(
        article_page(4242), content_type="text/html"
    )
    urls = tmp_path / "urls.txt"
    urls.write_text(server.url_for("/old") + "\n")
    db = tmp_path / "a.db"
    result = CliRunner().invoke(
        cli, ["ingest", "--urls", str(urls), "--db", str(db), "--delay", "0"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("new 1, ")
    asked = [request.path for request, _ in server.log]
    assert asked.count("/robots.txt") == 1 and "/news/moved" in asked
