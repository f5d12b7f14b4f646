"""WARC files: only HTML 200 responses come out, streamed, and damage is reported."""

from __future__ import annotations

import gzip
import io
import logging
import tracemalloc
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsarc.errors import InputError
from newsarc.sources import read_warc

HTML = b"<html><head><title>A</title></head><body><p>Story A</p></body></html>"
XHTML = b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Story B</p></body></html>'


class Warc:
    """Writes records with warcio's WARCWriter."""

    def __init__(self, path: Path, *, gz: bool) -> None:
        self.path = path
        self._file = path.open("wb")
        self.writer = WARCWriter(self._file, gzip=gz)

    def response(
        self,
        url: str,
        body: bytes,
        *,
        status: str = "200 OK",
        content_type: str = "text/html; charset=utf-8",
        headers: list[tuple[str, str]] | None = None,
        date: str = "2024-05-06T10:00:00Z",
    ) -> None:
        http = StatusAndHeaders(
            status,
            [("Content-Type", content_type), *(headers or [("Content-Length", str(len(body)))])],
            protocol="HTTP/1.1",
        )
        record = self.writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": date},
        )
        self.writer.write_record(record)

    def request(self, url: str) -> None:
        http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        record = self.writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), http_headers=http
        )
        self.writer.write_record(record)

    def revisit(self, url: str) -> None:
        record = self.writer.create_revisit_record(
            url,
            digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            refers_to_uri=url,
            refers_to_date="2024-05-01T00:00:00Z",
        )
        self.writer.write_record(record)

    def close(self) -> Path:
        self._file.close()
        return self.path


def mixed_warc(path: Path, *, gz: bool) -> Path:
    warc = Warc(path, gz=gz)
    warcinfo = warc.writer.create_warcinfo_record(path.name, {"software": "newsarc tests"})
    warc.writer.write_record(warcinfo)
    warc.request("https://news.example/a.html")
    warc.response("https://news.example/a.html", HTML)
    warc.response(
        "https://news.example/report.pdf", b"%PDF-1.7 ...", content_type="application/pdf"
    )
    warc.response("https://news.example/missing", b"<html>gone</html>", status="404 Not Found")
    warc.response("https://news.example/moved", b"", status="301 Moved Permanently")
    warc.revisit("https://news.example/a.html")
    warc.response(
        "https://news.example/b.xhtml",
        XHTML,
        content_type="application/xhtml+xml",
        date="2024-05-06T11:30:00.123456Z",
    )
    warc.response("https://news.example/data.json", b"{}", content_type="application/json")
    return warc.close()


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_only_html_200_responses_come_out(tmp_path: Path, gz: bool) -> None:
    path = mixed_warc(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"), gz=gz)
    pages = list(read_warc(path))
    assert [p.url for p in pages] == ["https://news.example/a.html", "https://news.example/b.xhtml"]
    first, second = pages
    assert first.final_url == first.url
    assert first.status == 200
    assert first.content == HTML
    assert first.header("content-type") == "text/html; charset=utf-8"
    assert first.fetched_at == "2024-05-06T10:00:00+00:00"
    assert second.content == XHTML
    assert second.fetched_at == "2024-05-06T11:30:00+00:00"  # WARC/1.1 fractions dropped
    assert second.text() == XHTML.decode()


def test_payload_is_dechunked_and_decompressed(tmp_path: Path) -> None:
    packed = gzip.compress(HTML)
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(packed), packed)
    warc = Warc(tmp_path / "c.warc", gz=False)
    warc.response(
        "<https://news.example/c.html>",  # the bracketed form some WARC/1.1 writers use
        chunked,
        headers=[("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
    )
    pages = list(read_warc(warc.close()))
    assert [(p.url, p.content) for p in pages] == [("https://news.example/c.html", HTML)]


def test_oversized_payload_is_skipped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    warc = Warc(tmp_path / "big.warc.gz", gz=True)
    warc.response("https://news.example/huge.html", b"<p>" + b"x" * 5000 + b"</p>")
    warc.response("https://news.example/small.html", HTML)
    path = warc.close()
    pages = list(read_warc(path, max_bytes=1000))
    assert [p.url for p in pages] == ["https://news.example/small.html"]
    assert any("huge.html (body larger than 1000 bytes)" in r.getMessage() for r in caplog.records)
    told: list[tuple[str, str]] = []
    list(read_warc(path, max_bytes=1000, skipped=lambda url, why: told.append((url, why))))
    assert told == [("https://news.example/huge.html", "body larger than 1000 bytes")]


def test_a_body_that_does_not_decode_is_reported_not_archived(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    # warcio's own decoding wrote "Error -3 while decompressing data" to stderr and returned
    # the part it had decoded, which was archived as if it were the whole page.
    packed = gzip.compress(HTML * 200)
    warc = Warc(tmp_path / "bad-body.warc.gz", gz=True)
    for name, body in [
        ("corrupt", packed[:40] + bytes(64) + packed[104:]),
        ("cut", packed[: len(packed) // 2]),
        ("plain", HTML),  # labelled gzip but stored decoded, as some crawlers do
        ("good", packed),
    ]:
        headers = [("Content-Encoding", "gzip"), ("Content-Length", str(len(body)))]
        warc.response(f"https://news.example/{name}.html", body, headers=headers)
    told: list[tuple[str, str]] = []
    pages = list(read_warc(warc.close(), skipped=lambda url, why: told.append((url, why))))
    assert [(p.url.rsplit("/", 1)[-1], len(p.content)) for p in pages] == [
        ("plain.html", len(HTML)),
        ("good.html", len(HTML) * 200),
    ]
    assert [(url.rsplit("/", 1)[-1], why.split(" (")[0]) for url, why in told] == [
        ("corrupt.html", "corrupt gzip body"),
        ("cut.html", "incomplete body"),
    ]
    assert capfd.readouterr().err == ""


def test_a_corrupt_member_loses_no_complete_record_before_it(tmp_path: Path) -> None:
    path = tmp_path / "flipped.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        starts = []
        for n in range(6):
            starts.append(out.tell())
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            body = HTML.replace(b"Story A", b"Story %d " % n + bytes(range(48, 122)) * 20)
            writer.write_record(
                writer.create_warc_record(
                    f"https://news.example/{n}.html",
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=http,
                )
            )
        starts.append(out.tell())
    data = bytearray(path.read_bytes())
    middle = (starts[3] + starts[4]) // 2
    data[middle : middle + 32] = bytes(32)  # damage inside the fourth record's member
    path.write_bytes(bytes(data))
    pages = []
    with pytest.raises(InputError, match="corrupt WARC after 3 records"):
        pages.extend(read_warc(path))
    assert [p.url.rsplit("/", 1)[-1] for p in pages] == ["0.html", "1.html", "2.html"]


def test_non_http_targets_are_skipped(tmp_path: Path) -> None:
    warc = Warc(tmp_path / "odd.warc", gz=False)
    warc.response("ftp://news.example/a.html", HTML)
    warc.response("https://news.example/ok.html", HTML)
    assert [p.url for p in read_warc(warc.close())] == ["https://news.example/ok.html"]


def test_pages_are_yielded_as_they_are_read(tmp_path: Path) -> None:
    path = mixed_warc(tmp_path / "crawl.warc.gz", gz=True)
    pages = read_warc(path)
    assert next(pages).url == "https://news.example/a.html"
    pages.close()  # abandoning the generator closes the file


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_truncated_file_yields_the_good_pages_then_raises(tmp_path: Path, gz: bool) -> None:
    path = mixed_warc(tmp_path / "full", gz=gz)
    data = path.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    cut.write_bytes(data[: len(data) - 60])  # inside the last record
    pages = []
    with pytest.raises(InputError) as caught:
        for page in read_warc(cut):
            pages.append(page)
    assert [p.url for p in pages] == ["https://news.example/a.html", "https://news.example/b.xhtml"]
    assert str(caught.value).startswith(f"{cut}: truncated or corrupt WARC after 8 records")


def test_truncated_inside_an_html_record_does_not_yield_it(tmp_path: Path) -> None:
    warc = Warc(tmp_path / "full.warc", gz=False)
    warc.response("https://news.example/a.html", HTML)
    warc.response("https://news.example/b.html", HTML * 10)
    data = warc.close().read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: len(data) - 200])
    pages = []
    with pytest.raises(InputError, match="the file ends inside a record"):
        for page in read_warc(cut):
            pages.append(page)
    assert [p.url for p in pages] == ["https://news.example/a.html"]


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_every_cut_point_either_completes_or_raises(tmp_path: Path, gz: bool) -> None:
    warc = Warc(tmp_path / "full", gz=gz)
    warc.response("https://news.example/a.html", HTML)
    warc.response("https://news.example/b.html", XHTML)
    data = warc.close().read_bytes()
    cut = tmp_path / "cut"
    for end in range(1, len(data), 7):
        cut.write_bytes(data[:end])
        pages = []
        try:
            for page in read_warc(cut):
                pages.append(page)
        except InputError:
            pass
        # Whatever happens, no page comes out cut short.
        assert all(p.content in (HTML, XHTML) for p in pages), end


def test_garbage_after_the_last_record_is_reported(tmp_path: Path) -> None:
    path = mixed_warc(tmp_path / "crawl.warc", gz=False)
    with path.open("ab") as out:
        out.write(b"this is not a record\r\n")
    pages = []
    with pytest.raises(InputError, match="truncated or corrupt WARC"):
        for page in read_warc(path):
            pages.append(page)
    assert len(pages) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a WARC file"),
        (b"hello, this is not a WARC\n" * 10, "not a WARC file"),
        (gzip.compress(b"<html>not a warc</html>"), "not a WARC file"),
        (b"\x1f\x8b\x08\x00garbage", "not a WARC file (the gzip data ends inside a member"),
        (b"\x1f\x8b\xff\xff" + b"x" * 20, "not a WARC file (bad gzip data"),
    ],
)
def test_not_a_warc(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.warc.gz"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        list(read_warc(path))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read WARC file"):
        list(read_warc(tmp_path / "nope.warc"))


def test_memory_stays_flat_on_a_big_warc(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    warc = Warc(tmp_path / "big.warc.gz", gz=True)
    for n in range(2000):
        body = b"<html><body>" + b"<p>paragraph %d</p>" % n * 300 + b"</body></html>"
        if n % 10 == 9:
            warc.response(f"https://news.example/{n}.pdf", body, content_type="application/pdf")
        else:
            warc.response(f"https://news.example/{n}.html", body)
    path = warc.close()
    tracemalloc.start()
    try:
        count = total = 0
        for page in read_warc(path):
            count += 1
            total += len(page.content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 1800
    assert total > 10_000_000  # about 11 MB of pages went through...
    assert peak < 2 * 1024 * 1024, peak  # ...in well under 2 MB
    assert not caplog.records
