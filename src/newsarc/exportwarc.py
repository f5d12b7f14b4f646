"""The WARC export: the raw pages the archive kept, as WARC/1.0 ``response`` records.

What another tool needs to replay or re-extract a capture (pywb, a Common Crawl-style
pipeline, another newsarc archive through ``newsarc ingest --warc``):

- a ``warcinfo`` record first, naming newsarc and its version and what was exported;
- per kept fetch, a ``response`` record: WARC-Target-URI is the address that answered (the
  fetch's final URL), WARC-Date the time of the fetch, the block an HTTP status line and
  the headers the archive kept, then the page's bytes. The archive keeps a page decoded from
  its transfer (no gzip, no chunks), so Content-Encoding and Transfer-Encoding are left out
  and Content-Length is the stored body's; a page saved from a file, which has no headers,
  gets ``Content-Type: text/html`` (it was read as HTML). warcio adds the block and payload
  digests (SHA-1, base32) and the record's own Content-Length;
- when the fetch was redirected, a ``metadata`` record concurrent to the response, whose
  ``via`` field gives the address that was asked for (the redirect's own response was not
  kept, so none is made up).

Every record is its own gzip member with ``gzip`` (a ``.warc.gz``), as the WARC standard's
annex and every replay tool expect. One page is in memory at a time.
"""

from __future__ import annotations

import http
import importlib.metadata
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from typing import IO, TYPE_CHECKING, Any

from newsarc.errors import StoreError
from newsarc.model import Article

if TYPE_CHECKING:
    from newsarc.store.rawpages import StoredPage

log = logging.getLogger(__name__)

WARC_VERSION = "1.0"  # what every replay and indexing tool reads; 1.1 only adds microseconds
# Headers that describe the bytes as they crossed the wire, not as the archive kept them.
_TRANSFER_HEADERS = frozenset({"content-length", "content-encoding", "transfer-encoding"})


@dataclass
class WarcTally:
    """What a WARC export wrote: articles with at least one record, response records, and
    the articles it could not give (no raw page kept, or every kept page damaged)."""

    articles: int = 0
    records: int = 0
    no_page: int = 0
    damaged: int = 0

    def line(self) -> str:
        """The summary for stderr: ``exported 3 articles (4 fetches) as WARC``, and what
        was left out."""
        line = (
            f"exported {self.articles} article{'s' * (self.articles != 1)}"
            f" ({self.records} fetch{'es' * (self.records != 1)}) as WARC"
        )
        if self.no_page:
            line += (
                f"; {self.no_page} article{'s' * (self.no_page != 1)} left out: no raw page"
                " kept (see newsarc show --json)"
            )
        if self.damaged:
            line += f"; {self.damaged} damaged raw page{'s' * (self.damaged != 1)} left out"
        return line


def write_warc(
    articles: Iterable[Article],
    pages: Callable[[int], Iterable[StoredPage]],
    out: IO[bytes],
    *,
    gzip: bool,
    filename: str | None = None,
    description: str = "",
) -> WarcTally:
    """Write a warcinfo record, then the response records of ``pages(article.id)`` for every
    article in order; returns the tally. A damaged raw page is logged and counted, and the
    export goes on."""
    from warcio.warcwriter import WARCWriter

    writer = WARCWriter(out, gzip=gzip, warc_version=WARC_VERSION)
    writer.write_record(writer.create_warcinfo_record(filename or "", _info(description)))
    tally = WarcTally()
    for article in articles:
        written = damaged = 0
        for page in pages(article.id or 0):
            try:
                content = page.content()
            except StoreError as exc:
                log.warning("article %s: %s: left out of the WARC", article.id, exc)
                damaged += 1
                continue
            response = response_record(writer, page, content)
            writer.write_record(response)
            if page.url != page.final_url:
                writer.write_record(via_record(writer, page, response))
            written += 1
        tally.records += written
        tally.damaged += damaged
        if written:
            tally.articles += 1
        elif not damaged:
            log.info("article %s (%s): no raw page kept", article.id, article.url)
            tally.no_page += 1
    return tally


def _info(description: str) -> dict[str, str]:
    try:
        version = importlib.metadata.version("newsarc")
    except importlib.metadata.PackageNotFoundError:
        version = "0+unknown"
    return {
        "software": f"newsarc/{version} (+https://github.com/newsarc/newsarc)",
        "format": f"WARC File Format {WARC_VERSION}",
        "conformsTo": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latest.pdf",
        "description": description,
    }


def response_record(writer: Any, page: StoredPage, content: bytes) -> Any:
    """The ``response`` record of one kept fetch (``content``: its decompressed bytes)."""
    from warcio.statusandheaders import StatusAndHeaders

    http_headers = StatusAndHeaders(
        status_line(page.status), http_header_list(page.headers, len(content)), protocol="HTTP/1.1"
    )
    return writer.create_warc_record(
        page.final_url,
        "response",
        payload=BytesIO(content),
        length=len(content),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Date": warc_date(page.fetched_at)},
    )


def via_record(writer: Any, page: StoredPage, response: Any) -> Any:
    """A ``metadata`` record beside a redirected fetch's response: ``via`` is the address
    that was asked for."""
    fields = f"via: {_one_line(page.url)}\r\n".encode()
    return writer.create_warc_record(
        page.final_url,
        "metadata",
        payload=BytesIO(fields),
        length=len(fields),
        warc_content_type="application/warc-fields",
        warc_headers_dict={
            "WARC-Date": response.rec_headers.get_header("WARC-Date"),
            "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
        },
    )


def status_line(status: int) -> str:
    """``200 OK``: the status and its reason phrase (none for a code HTTP does not name)."""
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def http_header_list(headers: dict[str, str], length: int) -> list[tuple[str, str]]:
    """The kept headers as they go into the record, consistent with the stored body."""
    kept = [
        (_one_line(name), _one_line(str(value)))
        for name, value in headers.items()
        if name.lower() not in _TRANSFER_HEADERS and _one_line(name)
    ]
    if not any(name.lower() == "content-type" for name, _ in kept):
        kept.insert(0, ("Content-Type", "text/html"))
    return [*kept, ("Content-Length", str(length))]


def warc_date(fetched_at: str | None) -> str:
    """A fetch time as WARC-Date (``2024-03-05T12:00:00Z``, UTC, seconds); the time of the
    export when the archive has none it can read."""
    moment = None
    if fetched_at:
        try:
            moment = datetime.fromisoformat(fetched_at.strip().replace("Z", "+00:00"))
        except ValueError:
            moment = None
    if moment is None:
        moment = datetime.now(timezone.utc)
    elif moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _one_line(text: str) -> str:
    """No line break may reach a header: it would end the record's header block."""
    return " ".join(text.split())
