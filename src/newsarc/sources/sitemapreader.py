"""Reading one sitemap document as a stream of Items, in bounded memory whatever it holds.

The bytes are decompressed (gzip) and parsed in 64 KB chunks by defusedxml's parser, which
refuses entity declarations and external references. The parser's target keeps no tree:
it collects only the few fields newsarc uses, each capped, so neither a 50,000-URL sitemap
nor megabytes of stray text between elements build up in memory.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any, BinaryIO
from xml.etree.ElementTree import ParseError

from newsarc.errors import InputError
from newsarc.sources.gunzip import Gunzip, GzipDamaged
from newsarc.sources.item import Item
from newsarc.sources.urllist import UrlList
from newsarc.sources.xmlscreen import References, ascii_compatible, local_name, screen
from newsarc.urls import link_url

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
MAX_FIELD = 4096  # characters kept of one <loc>, <lastmod>, <news:title>...
_GZIP_MAGIC = b"\x1f\x8b"
_WARN_ENTRIES = 10
_ENTRY_FIELDS = frozenset({"loc", "lastmod"})  # direct children of <url> / <sitemap>
_NEWS_FIELDS = frozenset({"publication_date", "title"})  # children of <news:news>
_BOM = b"\xef\xbb\xbf"
_BLANK = b" \t\r\n"


class Broken(Exception):
    """The document is truncated or corrupt (bad gzip data, malformed XML)."""


class _Capped(io.RawIOBase):
    """A (decompressing) reader that refuses to produce more than ``limit`` bytes."""

    def __init__(self, inner: BinaryIO | Gunzip, limit: int, label: str) -> None:
        self._inner, self._limit, self._label, self._count = inner, limit, label, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            chunk = self._inner.read(len(buffer))
        except GzipDamaged as exc:
            raise Broken(str(exc)) from None
        self._count += len(chunk)
        if self._count > self._limit:
            raise InputError(
                f"{self._label}: more than {self._limit // 2**20} MB once decompressed; refused"
            )
        buffer[: len(chunk)] = chunk
        return len(chunk)


def open_sitemap(data: bytes, label: str, max_bytes: int) -> io.BufferedReader:
    """A stream of the sitemap's bytes, gunzipped if they are gzip, capped at ``max_bytes``."""
    if data.startswith(_GZIP_MAGIC):
        inner: BinaryIO | Gunzip = Gunzip(io.BytesIO(data))
    elif len(data) > max_bytes:
        raise InputError(f"{label}: sitemap larger than {max_bytes // 2**20} MB; refused")
    else:
        inner = io.BytesIO(data)
    return io.BufferedReader(_Capped(inner, max_bytes, label), buffer_size=CHUNK)


class _Collector:
    """An XMLParser target that keeps only the root's name and finished entries' fields."""

    def __init__(self) -> None:
        self.root: str | None = None
        self.ready: list[dict[str, str]] = []
        self._depth = 0
        self._in_news = False
        self._entry: dict[str, str] | None = None
        self._field: str | None = None
        self._field_depth = 0
        self._parts: list[str] = []
        self._size = 0

    def start(self, tag: str, attrib: Any) -> None:
        name = local_name(tag)
        self._depth += 1
        if self.root is None:
            self.root = name
        elif self._depth == 2:
            self._entry = {}
        elif self._entry is None or self._field is not None:
            return
        elif self._depth == 3 and name in _ENTRY_FIELDS:
            self._field = name
        elif self._depth == 3 and name == "news":
            self._in_news = True
        elif self._depth == 4 and self._in_news and name in _NEWS_FIELDS:
            self._field = f"news:{name}"
        if self._field is not None and not self._field_depth:
            self._field_depth = self._depth

    def data(self, text: str) -> None:
        if self._field is not None and self._size <= MAX_FIELD:
            self._parts.append(text)
            self._size += len(text)

    def end(self, tag: str) -> None:
        if self._field is not None and self._depth == self._field_depth:
            value = "".join(self._parts).strip()
            if len(value) > MAX_FIELD:
                # A cut URL would be a wrong URL: drop it (the entry is then skipped).
                value = "" if self._field == "loc" else value[:MAX_FIELD]
            if self._entry is not None and self._field not in self._entry:
                self._entry[self._field] = value
            self._field, self._field_depth, self._parts, self._size = None, 0, [], 0
        if self._depth == 3:
            self._in_news = False
        elif self._depth == 2 and self._entry is not None:
            self.ready.append(self._entry)
            self._entry = None
        self._depth -= 1

    def close(self) -> None:
        return None


class SitemapReader(Iterator[Item]):
    """Streams the entries of one sitemap document.

    ``kind`` ("index" or "urlset"; text sitemaps are urlsets) is known once the first entry
    came out, or the iteration ended. ``error`` is set when the document broke off after some
    entries. At most ``max_urls`` (urlset) or ``max_index`` (index) entries are read; ``cut``
    says whether the document held more.
    InputError is raised for HTML, other XML, empty or garbage documents and entity
    declarations (when created, or at the first ``next``).
    """

    def __init__(
        self, data: bytes, url: str, *, max_urls: int, max_index: int, max_bytes: int
    ) -> None:
        self.url = url
        self.kind = "urlset"
        self.error: str | None = None
        self.count = 0
        self.invalid = 0
        self.cut = False  # whether the limit left entries unread
        self._limits = {"urlset": max_urls, "index": max_index}
        self._entries = self._start(open_sitemap(data, url, max_bytes))

    def __next__(self) -> Item:
        return next(self._entries)

    def _start(self, stream: io.BufferedReader) -> Iterator[Item]:
        try:
            head = stream.peek(4096)[:4096]
        except Broken as exc:
            raise InputError(f"{self.url}: not a sitemap ({exc})") from None
        if not head.lstrip(b"\xef\xbb\xbf \t\r\n"):
            raise InputError(f"{self.url}: not a sitemap (empty document)")
        screened = screen(head)
        if screened.doctype == "html" or (screened.root or "").lower() == "html":
            raise InputError(f"{self.url}: not a sitemap (got an HTML page)")
        if ascii_compatible(head) is not head:  # UTF-16/32: expat reads it as it is
            return self._guarded(self._xml_entries(stream, plain=False))
        if head.lstrip(_BOM + _BLANK)[:1] == b"<":
            return self._guarded(self._xml_entries(stream, plain=True))
        return self._guarded(self._text_entries(stream))

    def _xml_entries(self, stream: io.BufferedReader, *, plain: bool) -> Iterator[Item]:
        """The entries of an XML sitemap. ``plain``: an ASCII-compatible encoding, whose
        blank lines before the XML declaration are dropped (a template's, which expat would
        refuse) and whose HTML references are rewritten (``xmlscreen.References``)."""
        from defusedxml import DefusedXmlException
        from defusedxml.ElementTree import DefusedXMLParser

        collector = _Collector()
        checked = False
        references = References() if plain else None
        first = plain  # the first chunk holds the first markup (``_start`` peeked at it)
        parser = DefusedXMLParser(target=collector, forbid_dtd=False, forbid_entities=True,
                                  forbid_external=True)  # fmt: skip
        # Each pass reads one chunk of a capped stream, so the loop ends.
        while True:
            broken: Exception | None = None
            try:
                chunk = stream.read1(CHUNK)  # read1: never drops bytes read before damage
                data = chunk
                if first:
                    first = False
                    bom = _BOM if data.startswith(_BOM) else b""
                    data = bom + data[len(bom) :].lstrip(_BLANK)
                if references is not None:
                    data = references.feed(data) if chunk else references.close()
                if data:
                    parser.feed(data)
                if not chunk:
                    parser.close()
            except (ParseError, LookupError) as exc:  # LookupError: unknown encoding label
                if collector.root is None:
                    raise InputError(f"{self.url}: not a sitemap (malformed XML: {exc})") from None
                broken, chunk = exc, b""
            except DefusedXmlException as exc:
                raise InputError(
                    f"{self.url}: refused: the sitemap declares XML entities ({type(exc).__name__})"
                ) from None
            if not checked and collector.root is not None:
                self._check_root(collector.root)
                checked = True
            for fields in collector.ready:
                item = self._item(fields)
                if item is not None:
                    yield item
            collector.ready.clear()
            if broken is not None:  # after the entries read before the damage
                raise Broken(f"malformed XML ({broken})")
            if not chunk:
                return

    def _check_root(self, name: str) -> None:
        if name == "sitemapindex":
            self.kind = "index"
        elif name == "html":
            raise InputError(f"{self.url}: not a sitemap (got an HTML page)")
        elif name != "urlset":
            raise InputError(f"{self.url}: not a sitemap (root element <{name}>)")

    def _guarded(self, entries: Iterator[Item]) -> Iterator[Item]:
        """Entries up to the limit; a document that breaks off ends with ``error`` set."""
        try:
            for item in entries:
                if self.count >= self._limits[self.kind]:
                    # Only an entry past the limit cuts the document: one holding exactly
                    # the limit (50,000 is the protocol's maximum per file) is read in full.
                    self.cut = True
                    log.warning("%s: stopped after %d entries (limit)", self.url, self.count)
                    return
                yield item
                self.count += 1
        except Broken as exc:
            if not self.count:
                raise InputError(f"{self.url}: not a sitemap ({exc})") from None
            self.error = f"broke off after {self.count} entries: {exc}"
            log.info("%s: %s", self.url, self.error)
        if self.invalid > _WARN_ENTRIES:
            log.warning("%s: %d entries without a valid URL skipped", self.url, self.invalid)

    def _item(self, fields: dict[str, str]) -> Item | None:
        loc = fields.get("loc", "")
        try:
            if not loc:
                raise InputError("no <loc>")
            # Locations are absolute by the protocol; joining is only for strays.
            url = link_url(self.url, loc)  # "/a/with space" is fetched as browsers do
        except (InputError, ValueError):
            self.invalid += 1
            if self.invalid <= _WARN_ENTRIES:
                log.warning("%s: skipped entry with invalid <loc> %r", self.url, loc[:200])
            return None
        return Item(
            url=url,
            published=fields.get("news:publication_date") or None,
            lastmod=fields.get("lastmod") or None,
            title=" ".join(fields.get("news:title", "").split())[:1000] or None,
            source=self.url,
        )

    def _text_entries(self, stream: io.BufferedReader) -> Iterator[Item]:
        """A text sitemap: one URL per line (sitemaps.org "Text file")."""
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace")
        lines = UrlList(text, source=self.url)
        yield from lines
        if not self.count and lines.invalid:
            raise InputError(f"{self.url}: not a sitemap (neither XML nor a list of URLs)")
