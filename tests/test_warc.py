"""WARC files: only HTML 200 responses come out, streamed, and damage is reported."""

from __future__ import annotations

import gzip
import io
import logging
import re
import tracemalloc
from pathlib import Path
from typing import Any

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
        url: str | None,
        body: bytes,
        *,
        status: str = "200 OK",
        content_type: str = "text/html; charset=utf-8",
        headers: list[tuple[str, str]] | None = None,
        date: str = "2024-05-06T10:00:00Z",
    ) -> str:
        """Writes a response record (with no WARC-Target-URI if ``url`` is None); its id."""
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
        return str(record.rec_headers.get_header("WARC-Record-ID"))

    def request(self, url: str | None) -> None:
        http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        record = self.writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), http_headers=http
        )
        self.writer.write_record(record)

    def metadata(self) -> None:
        """A metadata record with no WARC-Target-URI, as some crawlers write."""
        record = self.writer.create_warc_record(
            None,
            "metadata",
            payload=io.BytesIO(b"via: newsarc tests\r\n"),
            warc_content_type="application/warc-fields",
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


def flipped_warc(path: Path, damaged: list[int], records: int = 6) -> tuple[Path, list[int]]:
    """A .warc.gz of ``records`` HTML responses (one gzip member each) with bytes in the
    middle of the ``damaged`` records' members zeroed; the members' offsets."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        starts = []
        for n in range(records):
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
    for n in damaged:
        middle = (starts[n] + starts[n + 1]) // 2
        data[middle : middle + 32] = bytes(32)
    path.write_bytes(bytes(data))
    return path, starts


def test_a_corrupt_member_is_reported_and_reading_goes_on_after_it(tmp_path: Path) -> None:
    """A damaged record of a .warc.gz loses that record alone: the pages before and after it
    come out, and the damaged member is told by its offset in the compressed file."""
    path, starts = flipped_warc(tmp_path / "flipped.warc.gz", damaged=[3])
    told: list[tuple[str, str]] = []
    pages = list(read_warc(path, skipped=lambda where, why: told.append((where, why))))
    assert [p.url.rsplit("/", 1)[-1] for p in pages] == [f"{n}.html" for n in (0, 1, 2, 4, 5)]
    assert [where for where, _ in told] == [f"{path} (gzip member at byte {starts[3]})"]
    assert "bad gzip data" in told[0][1] and f"record at byte {starts[4]}" in told[0][1]


def test_damage_in_several_members_and_at_the_end(tmp_path: Path) -> None:
    """Two damaged members next to each other, then one more: each is told; damage in the
    last member leaves nothing to read on from, and the file is reported damaged."""
    path, starts = flipped_warc(tmp_path / "flipped.warc.gz", damaged=[1, 2, 5])
    told: list[str] = []
    pages = []
    with pytest.raises(InputError, match="corrupt WARC after 3 records") as raised:
        for page in read_warc(path, skipped=lambda where, why: told.append(where)):
            pages.append(page)
    assert [p.url.rsplit("/", 1)[-1] for p in pages] == ["0.html", "3.html", "4.html"]
    # its offset counts from where reading went on
    assert str(raised.value).startswith(f"{path} (from byte {starts[3]}): truncated")
    assert told == [f"{path} (gzip member at byte {starts[n]})" for n in (1, 2)]


def test_damage_in_a_warc_gzipped_whole_still_ends_the_file(tmp_path: Path) -> None:
    """A WARC compressed as one gzip stream has no later member to read on from."""
    plain = mixed_warc(tmp_path / "crawl.warc", gz=False).read_bytes()
    data = bytearray(gzip.compress(plain * 20, mtime=0))
    data[len(data) // 2 : len(data) // 2 + 32] = bytes(32)
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="truncated or corrupt WARC"):
        list(read_warc(path))


def test_non_http_targets_are_skipped(tmp_path: Path) -> None:
    warc = Warc(tmp_path / "odd.warc", gz=False)
    warc.response("ftp://news.example/a.html", HTML)
    warc.response("https://news.example/ok.html", HTML)
    assert [p.url for p in read_warc(warc.close())] == ["https://news.example/ok.html"]


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_a_target_scheme_in_capitals_is_read_and_a_bad_address_is_reported(
    tmp_path: Path, gz: bool
) -> None:
    # warcio reads a record's HTTP headers only for a target starting with lower-case
    # "http:" or "https:"; the others were passed over unread and unreported.
    warc = Warc(tmp_path / ("caps.warc.gz" if gz else "caps.warc"), gz=gz)
    warc.response("HTTP://news.example/one.html", HTML)
    warc.response("Https://news.example/two.html", HTML)
    bad = warc.response("https://news.example/tab\there.html", HTML)
    warc.response("https://news.example/three.html", HTML)
    path = warc.close()
    told: list[tuple[str, str]] = []
    pages = list(read_warc(path, skipped=lambda where, why: told.append((where, why))))
    assert [p.url for p in pages] == [
        "HTTP://news.example/one.html",  # as written: the store normalizes addresses
        "Https://news.example/two.html",
        "https://news.example/three.html",
    ]
    assert all(p.content == HTML for p in pages)
    assert [where for where, _ in told] == [f"{path} (record at offset {record_offset(path, bad)})"]
    assert told[0][1].startswith("its WARC-Target-URI is not a valid URL")


def record_offset(path: Path, record_id: str) -> int:
    """Where the record with this WARC-Record-ID starts in the (uncompressed) WARC."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.rindex(b"WARC/1.0\r\n", 0, data.index(record_id.encode()))


def targetless_warc(path: Path, *, gz: bool, page: bytes = HTML) -> tuple[Path, str]:
    """Records without WARC-Target-URI of every kind, then a page: (path, the response's id)."""
    warc = Warc(path, gz=gz)
    warc.writer.write_record(warc.writer.create_warcinfo_record(None, {"software": "tests"}))
    warc.metadata()
    warc.request(None)
    record_id = warc.response(None, HTML)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    revisit = warc.writer.create_revisit_record(
        None,
        digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        refers_to_uri="https://news.example/before.html",
        refers_to_date="2024-05-01T00:00:00Z",
        http_headers=http,
    )
    warc.writer.write_record(revisit)
    warc.response("https://news.example/after.html", page)
    return warc.close(), record_id


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_records_without_target_do_not_end_the_file(tmp_path: Path, gz: bool) -> None:
    # warcio raised AttributeError on a request, response or revisit without target, which
    # ended its iterator: every later record of the file was lost.
    path, record_id = targetless_warc(tmp_path / ("t.warc.gz" if gz else "t.warc"), gz=gz)
    told: list[tuple[str, str]] = []
    pages = list(read_warc(path, skipped=lambda where, why: told.append((where, why))))
    assert [p.url for p in pages] == ["https://news.example/after.html"]
    assert pages[0].content == HTML
    # Only the response is reported; the other records are passed over as any non-page is.
    assert told == [
        (
            f"{path} (record at offset {record_offset(path, record_id)})",
            f"response record {record_id} has no WARC-Target-URI",
        )
    ]


def test_damage_after_a_record_without_target_still_raises(tmp_path: Path) -> None:
    path, _ = targetless_warc(tmp_path / "t.warc", gz=False)
    warc = Warc(tmp_path / "tail.warc", gz=False)
    warc.response("https://news.example/last.html", HTML * 10)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(path.read_bytes() + warc.close().read_bytes()[:-200])
    told: list[tuple[str, str]] = []
    pages = []
    with pytest.raises(InputError, match="truncated or corrupt WARC after 6 records"):
        for page in read_warc(cut, skipped=lambda where, why: told.append((where, why))):
            pages.append(page)
    assert [p.url for p in pages] == ["https://news.example/after.html"]
    assert len(told) == 1


TAIL = b"<!-- a last line the record's Content-Length leaves out -->\n"


def odd_warc(path: Path, pages: list[bytes]) -> Path:
    """Three pages in records warcio has something to say about: a WARC-Target-URI with a
    space, then a record whose Content-Length leaves out the block's last line (so no blank
    line follows it), then a plain one."""
    warc = Warc(path, gz=False)
    warc.response("https://news.example/a b.html", pages[0])
    warc.response("https://news.example/short.html", pages[1] + TAIL)
    warc.response("https://news.example/c.html", pages[2])
    data = warc.close().read_bytes()
    start = data.index(b"WARC-Target-URI: https://news.example/short.html")
    length = re.compile(rb"\r\nContent-Length: (\d+)\r\n").search(data, start)
    assert length
    declared = b"\r\nContent-Length: %d\r\n" % (int(length.group(1)) - len(TAIL))
    path.write_bytes(data[: length.start()] + declared + data[length.end() :])
    return path


def test_what_warcio_says_about_odd_records_goes_to_the_log_not_stderr(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    # warcio wrote "Record not followed by newline..." to sys.stderr, where `ingest -q`
    # showed it and --log missed it, and "Replacing spaces..." on its own logger.
    caplog.set_level(logging.DEBUG)
    path = odd_warc(tmp_path / "odd.warc", [HTML, HTML, HTML])
    pages = list(read_warc(path))
    assert [p.url for p in pages] == [
        "https://news.example/a%20b.html",
        "https://news.example/short.html",
        "https://news.example/c.html",
    ]
    assert capfd.readouterr().err == ""
    notes = [(r.name, r.levelname, r.getMessage()) for r in caplog.records]
    assert notes == [
        (
            "newsarc.sources.warcrecords",
            "INFO",
            f"{path}: spaces in WARC-Target-URI 'https://news.example/a b.html', "
            "read as https://news.example/a%20b.html",
        ),
        (
            "newsarc.sources.warcrecords",
            "WARNING",
            f"{path}: the record at offset {record_offset(path, 'short.html')} "
            "(https://news.example/short.html) is not followed by a blank line; its "
            f"Content-Length may be wrong, and its page cut short (next: {TAIL!r})",
        ),
    ]


def test_records_are_read_as_warcio_reads_them(tmp_path: Path) -> None:
    # Records replaces ArchiveIterator's end-of-record reading: same records, offsets and
    # lengths as warcio's own, on odd separators too.
    from warcio.archiveiterator import ArchiveIterator

    from newsarc.sources.warcrecords import Records

    plain = mixed_warc(tmp_path / "mixed.warc", gz=False).read_bytes()
    loose = plain.replace(b"\r\n\r\nWARC/1.0", b"\r\n\r\n\n \r\n\r\nWARC/1.0", 2)
    bare = plain.replace(b"\r\n\r\nWARC/1.0", b"\nWARC/1.0", 1)
    odd = odd_warc(tmp_path / "odd.warc", [HTML, XHTML, HTML]).read_bytes()
    for data in [plain, loose, bare, plain.rstrip(), odd, odd + b"\r\n\r\n\r\n"]:

        def walk(iterator: Any) -> list[tuple[Any, ...]]:
            seen = []
            for record in iterator:
                head = record.rec_headers
                where = (iterator.get_record_offset(), iterator.get_record_length())
                seen.append(
                    (head.get_header("WARC-Record-ID"), head.get_header("WARC-Target-URI"), where)
                )
            return [*seen, iterator.err_count]

        theirs = walk(ArchiveIterator(io.BytesIO(data), block_size=4096))
        ours = walk(Records(io.BytesIO(data), "x.warc", block_size=4096))
        assert ours == theirs
        assert len(theirs) > 3


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
