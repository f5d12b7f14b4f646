"""fetch() against servers that misbehave: bombs, floods, drips, stalls, resets, lies.

The limits here are short (deadline 2 s, read timeout 1 s) so the file runs in seconds.
Wall-time checks are bounds with generous slack (deadline + 3 s), not speed targets.
"""

from __future__ import annotations

import gzip
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from newsarc.errors import FetchError
from newsarc.fetch import FetchLimits, fetch, make_session
from newsarc.httpbody import BodyError, BodyTooLarge, Decoder, decompress, human_size, sniff
from newsarc.httpguard import Watchdog
from tests.conftest import fixture_path
from tests.rawserver import (
    closed_port,
    drip,
    endless_headers,
    head,
    long_header_line,
    reply,
    reset_after,
    serving,
    short_body,
    silence,
    stall_after_headers,
)

QUICK = FetchLimits(connect_timeout=1, read_timeout=1, deadline=2, retries=0, backoff=0.01)
SLACK = 3.0
MIB = 1 << 20


def timed(call: Callable[[], object]) -> tuple[BaseException | None, float]:
    """Run ``call``; return the exception it raised (or None) and the seconds it took."""
    started = time.monotonic()
    try:
        call()
    except Exception as exc:  # handed back to the test to assert on
        return exc, time.monotonic() - started
    return None, time.monotonic() - started


def peak_memory(call: Callable[[], object]) -> tuple[BaseException | None, int]:
    """Run ``call`` under tracemalloc; return its exception (or None) and the peak bytes."""
    tracemalloc.start()
    try:
        error, _ = timed(call)
        return error, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- size: bombs and floods -----------------------------------------------------------------


def test_gzip_bomb_is_stopped_with_low_memory(httpserver: HTTPServer) -> None:
    bomb = fixture_path("fetch/zeros-1gib.html.gz").read_bytes()
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    url = httpserver.url_for("/bomb")
    error, peak = peak_memory(lambda: fetch(url, limits=FetchLimits(deadline=10)))
    assert isinstance(error, FetchError)
    assert error.reason == "body larger than 10 MiB"
    # 10 MiB of output, the 1 MiB bomb held by the server thread, and some slack.
    assert peak < 48 * MIB, f"peak {peak / MIB:.0f} MiB"


def test_deflate_bomb(httpserver: HTTPServer) -> None:
    packer = zlib.compressobj(9)
    bomb = b"".join(packer.compress(bytes(MIB)) for _ in range(64)) + packer.flush()
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, content_type="text/html", headers={"Content-Encoding": "deflate"}
    )
    with pytest.raises(FetchError, match="body larger than 1 MiB"):
        fetch(httpserver.url_for("/bomb"), limits=FetchLimits(max_bytes=MIB))


def test_nested_gzip_bomb(httpserver: HTTPServer) -> None:
    inner = gzip.compress(bytes(32 * MIB), compresslevel=9)
    httpserver.expect_request("/bomb").respond_with_data(
        gzip.compress(inner), content_type="text/html", headers={"Content-Encoding": "gzip, gzip"}
    )
    with pytest.raises(FetchError, match="body larger than 1 MiB"):
        fetch(httpserver.url_for("/bomb"), limits=FetchLimits(max_bytes=MIB))


def test_unsupported_encoding(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/br").respond_with_data(
        b"\x1b\x00\x00", content_type="text/html", headers={"Content-Encoding": "br"}
    )
    with pytest.raises(FetchError) as caught:
        fetch(httpserver.url_for("/br"), limits=QUICK)
    assert caught.value.reason == "unsupported Content-Encoding br"


def test_corrupt_gzip(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/bad").respond_with_data(
        b"<html>not gzip at all</html>",
        content_type="text/html",
        headers={"Content-Encoding": "gzip"},
    )
    with pytest.raises(FetchError, match=r"corrupt gzip body"):
        fetch(httpserver.url_for("/bad"), limits=QUICK)


def _flood(total: int, with_length: bool) -> Callable[[Request], Response]:
    chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"

    def stream() -> Iterator[bytes]:
        for _ in range(total // len(chunk)):
            yield chunk

    def handler(request: Request) -> Response:
        headers = {"Content-Length": str(total // len(chunk) * len(chunk))} if with_length else {}
        return Response(stream(), content_type="text/html", headers=headers)

    return handler


@pytest.mark.parametrize("with_length", [True, False])
def test_fifty_megabyte_page(httpserver: HTTPServer, with_length: bool) -> None:
    httpserver.expect_request("/huge").respond_with_handler(_flood(50 * 1000 * 1000, with_length))
    url = httpserver.url_for("/huge")
    error, peak = peak_memory(lambda: fetch(url, limits=FetchLimits(deadline=10)))
    assert isinstance(error, FetchError)
    assert error.reason == "body larger than 10 MiB"
    assert peak < 40 * MIB, f"peak {peak / MIB:.0f} MiB"


def test_page_just_under_the_cap(httpserver: HTTPServer) -> None:
    body = b"<html><body>" + b"a" * (MIB - 26) + b"</body></html>"
    httpserver.expect_request("/fits").respond_with_data(body, content_type="text/html")
    page = fetch(httpserver.url_for("/fits"), limits=FetchLimits(max_bytes=MIB))
    assert page.content == body


def test_announced_length_over_the_cap_fails_before_reading() -> None:
    behave = reply(head(headers={"Content-Length": str(50 * MIB)}) + b"<html>")
    with serving(behave) as server:
        with pytest.raises(FetchError, match="body larger than 10 MiB"):
            fetch(server.url(), limits=QUICK)


# --- time: drips, stalls, endless headers ---------------------------------------------------


@pytest.mark.parametrize("content_length", [True, False])
def test_drip_hits_the_deadline(content_length: bool) -> None:
    # A byte every 0.25 s never trips the 1 s read timeout; only the deadline can stop it.
    with serving(drip(0.25, content_length=content_length)) as server:
        error, elapsed = timed(lambda: fetch(server.url(), limits=QUICK))
    assert isinstance(error, FetchError)
    assert error.reason == "timed out after 2 s"
    assert elapsed < QUICK.deadline + SLACK


def test_stall_after_headers_hits_the_read_timeout() -> None:
    with serving(stall_after_headers()) as server:
        error, elapsed = timed(lambda: fetch(server.url(), limits=QUICK))
    assert isinstance(error, FetchError)
    assert error.reason == "no data for 1 s"
    assert elapsed < QUICK.deadline + SLACK


def test_stall_with_long_read_timeout_hits_the_deadline() -> None:
    limits = FetchLimits(read_timeout=30, deadline=2, retries=0)
    with serving(stall_after_headers()) as server:
        error, elapsed = timed(lambda: fetch(server.url(), limits=limits))
    assert isinstance(error, FetchError)
    assert error.reason == "timed out after 2 s"
    assert elapsed < limits.deadline + SLACK


def test_slow_endless_headers_hit_the_deadline() -> None:
    with serving(endless_headers(0.1)) as server:
        error, elapsed = timed(lambda: fetch(server.url(), limits=QUICK))
    assert isinstance(error, FetchError)
    assert error.reason == "timed out after 2 s"
    assert elapsed < QUICK.deadline + SLACK


def test_fast_endless_headers_are_malformed() -> None:
    with serving(endless_headers(0)) as server:
        with pytest.raises(FetchError, match=r"malformed response \(got more than 100 headers\)"):
            fetch(server.url(), limits=QUICK)


def test_header_line_too_long() -> None:
    with serving(long_header_line()) as server:
        with pytest.raises(FetchError, match=r"malformed response \(got more than 65536 bytes"):
            fetch(server.url(), limits=QUICK)


def test_server_that_never_answers() -> None:
    with serving(silence()) as server:
        with pytest.raises(FetchError, match=r"no response within 1 s"):
            fetch(server.url(), limits=QUICK)


def test_retry_waits_count_against_the_deadline(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/busy").respond_with_data("", status=503)
    limits = FetchLimits(deadline=2, retries=10, backoff=0.5)
    error, elapsed = timed(lambda: fetch(httpserver.url_for("/busy"), limits=limits))
    assert isinstance(error, FetchError)
    assert "would pass the 2 s deadline" in error.reason
    assert error.status == 503
    assert elapsed < limits.deadline + SLACK
    assert len(httpserver.log) == 3  # waits of 0.5 and 1 s fit, 2 s does not


def test_threads_sharing_a_session_keep_their_own_deadline(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ok").respond_with_data(
        "<html>fine</html>", content_type="text/html"
    )
    session = make_session()
    with serving(drip(0.25)) as slow, ThreadPoolExecutor(2) as pool:
        dripping = pool.submit(fetch, slow.url(), session=session, limits=QUICK)
        quick = [
            pool.submit(fetch, httpserver.url_for("/ok"), session=session, limits=QUICK)
            for _ in range(5)
        ]
        assert all(f.result().status == 200 for f in quick)
        with pytest.raises(FetchError, match="timed out after 2 s"):
            dripping.result()
    session.close()


# --- broken connections ---------------------------------------------------------------------


def test_connection_reset_mid_body() -> None:
    with serving(reset_after(b"<html><body>" + b"a" * 5000)) as server:
        with pytest.raises(FetchError) as caught:
            fetch(server.url(), limits=QUICK)
    assert caught.value.reason == "connection reset"
    assert server.requests == 1


def test_connection_reset_is_retried() -> None:
    limits = FetchLimits(read_timeout=1, deadline=5, retries=2, backoff=0.01)
    with serving(reset_after(b"<html><body>" + b"a" * 5000)) as server:
        with pytest.raises(FetchError) as caught:
            fetch(server.url(), limits=limits)
    assert caught.value.reason == "connection reset (gave up after 2 retries)"
    assert server.requests == 3


def test_body_shorter_than_content_length() -> None:
    with serving(short_body(b"<html>abc", 100)) as server:
        with pytest.raises(FetchError) as caught:
            fetch(server.url(), limits=QUICK)
    assert caught.value.reason == "incomplete body (got 9 of 100 bytes)"


def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{closed_port()}/"
    with pytest.raises(FetchError) as caught:
        fetch(url, limits=QUICK)
    assert caught.value.reason == "connection refused"
    assert caught.value.status is None
    limits = FetchLimits(connect_timeout=1, deadline=5, retries=1, backoff=0.01)
    with pytest.raises(FetchError, match=r"connection refused \(gave up after 1 retry\)"):
        fetch(url, limits=limits)


def test_closed_without_a_response() -> None:
    with serving(lambda conn, stopping: None) as server:
        with pytest.raises(FetchError, match="connection closed before a response"):
            fetch(server.url(), limits=QUICK)


def test_not_http_at_all() -> None:
    with serving(reply(b"SSH-2.0-OpenSSH_9.6\r\n")) as server:
        with pytest.raises(FetchError, match="malformed response"):
            fetch(server.url(), limits=QUICK)


def test_missing_content_type_with_html_is_accepted() -> None:
    body = b"<!DOCTYPE html><html><body><p>hello</p></body></html>"
    raw = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    with serving(reply(raw)) as server:
        page = fetch(server.url(), limits=QUICK)
    assert page.content == body
    assert page.content_type == ""


def test_missing_content_type_with_pdf_is_refused() -> None:
    body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    raw = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    with serving(reply(raw)) as server:
        with pytest.raises(FetchError) as caught:
            fetch(server.url(), limits=QUICK)
    assert caught.value.reason == "not HTML (no Content-Type; content looks like application/pdf)"


# --- the pieces: decoder, sniffing, watchdog ------------------------------------------------


def test_decoder_multi_member_gzip_and_trailing_garbage() -> None:
    data = gzip.compress(b"<html>one ") + gzip.compress(b"two</html>") + b"\x00" * 16
    decoder = Decoder("gzip", 1000)
    out = b"".join(decoder.feed(data[i : i + 7]) for i in range(0, len(data), 7))
    assert out + decoder.finish() == b"<html>one two</html>"


def test_decoder_truncated_gzip() -> None:
    data = gzip.compress(b"<html>" + b"words " * 1000)
    decoder = Decoder("x-gzip", 100_000)
    decoder.feed(data[: len(data) // 2])
    with pytest.raises(BodyError, match="gzip stream ends early"):
        decoder.finish()


def test_decoder_identity_and_limits() -> None:
    assert Decoder(None, 10).feed(b"abc") == b"abc"
    assert Decoder("identity", 10).feed(b"abc") == b"abc"
    with pytest.raises(BodyTooLarge, match="body larger than 1 KiB"):
        decompress(gzip.compress(bytes(2048)), "gzip", 1024)
    assert decompress(gzip.compress(bytes(1024)), "gzip", 1024) == bytes(1024)
    with pytest.raises(BodyError, match="unsupported Content-Encoding zstd"):
        Decoder("gzip, zstd", 10)


def test_sniff() -> None:
    assert sniff(b"  <!DOCTYPE html><html>") == "text/html"
    assert sniff("<html><body>é</body></html>".encode("utf-16")) == "text/html"
    assert sniff(b'<?xml version="1.0"?><rss version="2.0">') == "text/xml"
    assert sniff(b'<?xml version="1.0"?><!DOCTYPE html><html>') == "text/html"
    assert sniff(b"%PDF-1.7") == "application/pdf"
    assert sniff(b"\x1f\x8b\x08\x00") == "application/gzip"
    assert sniff(bytes(100)) == "application/octet-stream"
    assert sniff(b"\x00h\x00t\x00m\x00l", "utf-16-be") is None
    assert sniff(b"just some words") is None


def test_human_size() -> None:
    assert human_size(10 * MIB) == "10 MiB"
    assert human_size(512 * 1024) == "512 KiB"
    assert human_size(1500) == "1500 bytes"
    assert human_size(10_000_000) == "9.5 MiB"


def test_watchdog_shuts_registered_sockets() -> None:
    import socket

    left, right = socket.socketpair()
    dog = Watchdog(0.1)
    dog.register(left)
    dog.start()
    left.settimeout(5)
    assert left.recv(1) == b""  # woken by the shutdown, long before the 5 s timeout
    assert dog.fired
    dog.finish()
    left.close()
    right.close()


def test_finished_watchdog_never_fires() -> None:
    import socket

    left, right = socket.socketpair()
    dog = Watchdog(0.05)
    dog.register(left)
    dog.start()
    dog.finish()
    threading.Event().wait(0.15)
    assert not dog.fired
    right.sendall(b"x")
    assert left.recv(1) == b"x"
    left.close()
    right.close()


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS])
def test_decoder_deflate_byte_by_byte(wbits: int) -> None:
    packer = zlib.compressobj(wbits=wbits)
    text = b"<html>" + b"deflated words " * 200 + b"</html>"
    data = packer.compress(text) + packer.flush()
    decoder = Decoder("deflate", 100_000)
    out = b"".join(decoder.feed(data[i : i + 1]) for i in range(len(data)))
    assert out + decoder.finish() == text
