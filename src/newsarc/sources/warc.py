"""WARC files: the HTML pages a crawler (wget, Heritrix, browsertrix, ...) already fetched.

``read_warc`` streams records with warcio and yields each HTML ``response`` with status 200
as a Page; everything else (requests, metadata, PDFs, 404s) is skipped. Memory stays flat:
skipped payloads are never read into memory, HTML payloads are capped.

A caller that passes ``leads`` is also told of the records that lead to a page without
holding one (``Lead``): a redirect (a response with status 301, 302, 303, 307 or 308 and a
Location), and a ``revisit`` of an HTML page whose payload repeats an earlier capture's
(WARC-Profile identical-payload-digest or server-not-modified), named by its
WARC-Refers-To-Target-URI or, without one, found among this file's pages by
WARC-Refers-To (the record id) or its WARC-Payload-Digest. Ingest keeps them as aliases of
the article archived from the page they lead to (``newsarc.ingest_leads``).

An HTML response that cannot be taken (a payload over the size cap, a Content-Encoding that
does not decode) is reported to the caller's ``skipped`` callback with the reason, so that a
batch counts it as a failure instead of passing over it. So is a response record without
WARC-Target-URI (a broken writer's), or an HTML page whose target is no valid address (a tab
in it, no host), named by the file and the record's offset: it has no address to archive a
page under, and reading goes on with the next record. A target whose scheme is in capitals
(``HTTP://``) is read as any other: schemes are case-insensitive. Other records
without a target (warcinfo, metadata, conversion, a request) are passed over as any other
non-page is. warcio itself would end the file at such a request, response or revisit, and
writes what it notices about a record (a target with spaces, a record not followed by its
blank lines) to stderr or its own logger: ``warcrecords`` reads the records instead, and
says those things in newsarc's log (so ``ingest -q`` shows them only in ``--log``).

A damaged file is not silently cut short: warcio treats a truncated gzip member, or a file
that ends inside a record, as a clean end, so this module checks it. A ``.warc.gz`` is
decompressed by ``gunzip.Gunzip`` (which notices a missing end of stream and a failed
check), each record's block must have been read to its declared length, and nothing but
blank lines may follow the last record. On damage the pages before it have been yielded
already. In a ``.warc.gz``, whose records are gzip members of their own, reading then goes
on at the next member that starts a record, and the damaged one is reported to ``skipped``
by its offset in the compressed file (where ``warcio extract`` and CDX indexes count);
with no such member after it (a cut download, a WARC gzipped as one stream), or in a plain
WARC, InputError is raised naming the file, the number of records read and the byte offset
(in the uncompressed WARC).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from newsarc.errors import InputError
from newsarc.httpbody import BodyError, Decoder, too_large
from newsarc.model import Page
from newsarc.sources.gunzip import Gunzip, GzipDamaged
from newsarc.sources.item import Skipped, log_skipped
from newsarc.sources.warcleads import HTML_TYPES, REDIRECTS, Leads, Originals, tell, warc_date
from newsarc.urls import check_url

log = logging.getLogger(__name__)

MAX_PAGE_BYTES = 10 * 1024 * 1024  # the same default as a fetch
_GZIP_MAGIC = b"\x1f\x8b"
# warcio reads in blocks of this size (its default is 16 KB): each block costs a round of
# Python-level buffering, and news pages run to hundreds of KB.
_BLOCK = 256 * 1024


class _Tracked:
    """The (decompressed) WARC stream as warcio reads it, with the position and the tail."""

    def __init__(self, inner: IO[bytes] | Gunzip, prefix: bytes) -> None:
        self._inner = inner
        self._prefix = prefix
        self.position = 0
        self._last = self._before_last = b""

    def _seen(self, data: bytes) -> bytes:
        self.position += len(data)
        if data:
            self._before_last, self._last = self._last, data
        return data

    def read(self, size: int = -1) -> bytes:
        if self._prefix:
            data, self._prefix = self._prefix, b""
            return self._seen(data)
        return self._seen(self._inner.read(size))

    def tell(self) -> int:
        return self.position

    def tail(self, length: int) -> bytes | None:
        """The last ``length`` bytes read, if they are still at hand."""
        if length <= 0:
            return b""
        recent = self._before_last + self._last
        return recent[-length:] if length <= len(recent) else None


def _headers(record: Any) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in record.http_headers.headers:
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def _page(
    record: Any,
    max_bytes: int,
    name: str,
    offset: int,
    skipped: Skipped,
    leads: Originals | None = None,
) -> Page | None:
    """The record (at ``offset`` in file ``name``) as a Page if it is an HTML 200 response
    (payload read), else None; a redirect or a revisit is told to ``leads``."""
    if record.rec_type == "revisit" and leads is not None:
        tell(record, leads)
        return None
    if record.rec_type != "response":
        return None
    target = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    if not target:
        # No address to archive a page under, but a response all the same: counted.
        record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip()[:100]
        what = f"response record {record_id}" if record_id else "response record"
        skipped(f"{name} (record at offset {offset})", f"{what} has no WARC-Target-URI")
        return None
    if record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode()
    if status in REDIRECTS and leads is not None:
        tell(record, leads)
        return None
    if status != "200":
        return None
    media = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if media not in HTML_TYPES:
        return None
    try:
        url = check_url(target)
    except InputError as exc:
        # An HTML page whose address cannot be archived (a tab or a control character in it,
        # no host): counted, as a page with no target is.
        skipped(f"{name} (record at offset {offset})", f"its WARC-Target-URI is {exc}")
        return None
    try:
        content = _payload(record, max_bytes)
    except BodyError as exc:
        skipped(url, exc.reason)
        return None
    page = Page(url=url, final_url=url, status=200, headers=_headers(record), content=content)
    fetched_at = warc_date(record.rec_headers.get_header("WARC-Date"))
    if fetched_at:
        page.fetched_at = fetched_at
    if leads is not None:
        leads.remember(record, url, fetched_at)
    return page


def _payload(record: Any, max_bytes: int) -> bytes:
    """The HTTP payload, de-chunked and decoded from its Content-Encoding, within
    ``max_bytes``; BodyError if it is larger or does not decode.

    The decoding is newsarc's own (``httpbody``, as for a fetch): warcio's writes a message
    to stderr and returns the part it decoded when a body is corrupt or cut short. A body
    labelled gzip that is not gzip data is taken as it is: crawlers record some decoded
    payloads with their original header.
    """
    from warcio.bufferedreaders import ChunkedDataReader

    headers = record.http_headers
    stream = record.raw_stream
    if (headers.get_header("Transfer-Encoding") or "").strip().lower() == "chunked":
        stream = ChunkedDataReader(stream)
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    coding = (headers.get_header("Content-Encoding") or "").strip().lower()
    if coding in ("", "identity") or (coding in ("gzip", "x-gzip") and data[:2] != _GZIP_MAGIC):
        return data
    decoder = Decoder(coding, max_bytes)
    return decoder.feed(data) + decoder.finish()


def _open(path: Path) -> tuple[IO[bytes], IO[bytes] | Gunzip]:
    """(file, stream of WARC bytes): a .warc.gz is decompressed here, not by warcio."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read WARC file ({exc.strerror or exc})") from None
    gzipped = raw.read(2) == _GZIP_MAGIC
    raw.seek(0)
    return raw, Gunzip(raw) if gzipped else raw


def read_warc(
    path: str | Path,
    *,
    max_bytes: int = MAX_PAGE_BYTES,
    skipped: Skipped = log_skipped,
    leads: Leads | None = None,
) -> Iterator[Page]:
    """Stream the HTML pages of a WARC or WARC.gz file as Pages, in file order.

    Only ``response`` records with HTTP status 200 and a text/html or application/xhtml+xml
    Content-Type are yielded: ``url`` and ``final_url`` are the WARC-Target-URI, ``headers``
    the HTTP response headers, ``content`` the HTTP payload as warcio gives it (de-chunked
    and decoded from Content-Encoding), ``fetched_at`` the WARC-Date. A payload over
    ``max_bytes``, or one that does not decode, is passed to ``skipped(url, reason)``
    (by default: logged as a warning); so is a response record without a valid
    WARC-Target-URI, as ``skipped("FILE (record at offset N)", reason)`` (N in the
    uncompressed WARC). In a WARC.gz, a damaged record's gzip member is passed to
    ``skipped("FILE (gzip member at byte N)", reason)`` (N in the compressed file), and
    reading goes on at the next record's member. ``leads``, if given, is told of each
    redirect and revisit record (see ``Lead``), in file order with the pages. Raises
    InputError if the file cannot be read or is not a WARC; if it is truncated or corrupt
    with no record after the damage, after yielding every complete page before it.
    """
    file_path = Path(path)
    raw, stream = _open(file_path)
    read = _Read(Originals(leads) if leads is not None else None)
    with raw:
        try:
            head = stream.read(5)
        except GzipDamaged as exc:
            raise InputError(f"{file_path}: not a WARC file ({exc})") from None
        if head != b"WARC/":
            raise InputError(f"{file_path}: not a WARC file (it does not start with 'WARC/')")
        name = str(file_path)
        source = _Tracked(stream, head)
        # Each pass reads on from a later gzip member of a finite file, or returns.
        while True:
            try:
                yield from _records(source, name, max_bytes, skipped, read)
                return
            except _Damage as damage:
                if not isinstance(stream, Gunzip):
                    raise damage.error(name, read.records) from None
                member = stream.member_start
                resumed = stream.skip_to_member(b"WARC/")
                if resumed is None:
                    raise damage.error(name, read.records) from None
                skipped(
                    f"{file_path} (gzip member at byte {member})",
                    f"damaged WARC record ({str(damage.cause)[:200]}); read on from the "
                    f"record at byte {resumed}",
                )
                # Offsets in what is said from here on count from the resumed member.
                name = f"{file_path} (from byte {resumed})"
                source = _Tracked(stream, b"")


@dataclass
class _Read:
    """How many records have been read whole, and the pages a revisit may repeat."""

    originals: Originals | None = None
    records: int = 0


class _Damage(Exception):
    """The WARC data is damaged at ``offset`` (in the uncompressed stream read so far)."""

    def __init__(self, offset: int, cause: object) -> None:
        super().__init__(cause)
        self.offset, self.cause = offset, cause

    def error(self, name: str, records: int) -> InputError:
        return _damaged(name, records, self.offset, self.cause)


def _records(
    source: _Tracked, name: str, max_bytes: int, skipped: Skipped, read: _Read
) -> Iterator[Page]:
    """The pages of the records in ``source``; _Damage where its data is damaged, after
    every complete page before the damage."""
    from warcio.exceptions import ArchiveLoadFailed

    from newsarc.sources.warcrecords import Records

    damage = (GzipDamaged, ArchiveLoadFailed, ValueError)
    end = 0
    iterator = Records(source, name, block_size=_BLOCK)
    # Each pass reads one record of a finite file, so the loop ends.
    while True:
        try:
            record = next(iterator, None)
        except damage as exc:
            raise _Damage(end, exc) from None
        if record is None:
            break
        # Content-Length is mandatory; warcio reads a record without one to EOF.
        if not record.rec_headers.get_header("Content-Length"):
            raise _Damage(end, "a record header without Content-Length")
        try:
            # iterator.offset: where this record starts (warcio moves it past the record
            # only when it reads on to the next one).
            page = _page(record, max_bytes, name, iterator.offset, skipped, read.originals)
        except damage as exc:
            raise _Damage(end, exc) from None
        try:
            # Reading to the end of the record tells whether it was complete. It also
            # reads the blank lines after it, which in a .warc.gz are in the next
            # member: damage there is after this record, which is whole.
            end = iterator.get_record_offset() + iterator.get_record_length()
        except damage as exc:
            if getattr(record.raw_stream, "limit", 1) > 0:
                raise _Damage(end, exc) from None
            read.records += 1
            if page is not None:
                yield page
            raise _Damage(source.position, exc) from None
        if getattr(record.raw_stream, "limit", 0) > 0:
            raise _Damage(end, "the file ends inside a record")
        read.records += 1
        if page is not None:
            yield page
    rest = source.tail(source.position - end)
    if rest is None or rest.strip():
        raise _Damage(end, "data after the last record is not a record")


def _damaged(name: str, records: int, offset: int, cause: object) -> InputError:
    return InputError(
        f"{name}: truncated or corrupt WARC after {records} records "
        f"(offset {offset}): {str(cause)[:200]}"
    )
