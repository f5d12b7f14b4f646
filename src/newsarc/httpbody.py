"""Response bodies: bounded decompression and content sniffing. Pure functions, no I/O.

``Decoder`` undoes a Content-Encoding chunk by chunk and never produces more than its limit,
so a gzip bomb (a megabyte that inflates to gigabytes) costs at most ``limit`` bytes of memory
and the time to inflate that much. ``sniff`` looks at the first bytes to tell HTML, XML and
binary formats apart, for servers whose Content-Type is missing or wrong.
"""

from __future__ import annotations

import codecs
import logging
import zlib

log = logging.getLogger(__name__)

SNIFF_BYTES = 4096

# Leading bytes of formats that are never a web page.
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"%!PS", "application/postscript"),
    (b"OggS", "audio/ogg"),
    (b"ID3", "audio/mpeg"),
    (b"\x7fELF", "application/x-executable"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword"),
)
_HTML_MARKS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<title", b"<meta", b"<article")
_XML_MARKS = (b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf:rdf")
# C0 controls that never appear in text; tab, LF, FF, CR and ESC (ISO-2022) are left out.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class BodyError(Exception):
    """A body that cannot be used; ``reason`` is the short text for FetchError."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BodyTooLarge(BodyError):
    """More bytes than the limit, on the wire or after decompression."""


def human_size(n: int) -> str:
    """``10 MiB``, ``512 KiB`` or ``1500 bytes``: a byte count as people write it."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MiB"
    return f"{n} bytes"


def too_large(limit: int) -> BodyTooLarge:
    """The error for a body over ``limit`` bytes."""
    return BodyTooLarge(f"body larger than {human_size(limit)}")


class _Inflate:
    """One zlib-family stage (gzip, zlib or raw deflate) with an output cap."""

    def __init__(self, name: str, limit: int) -> None:
        self.name = name
        self.limit = limit
        self.produced = 0
        self.fed = False
        self._trailing = False  # garbage after the last gzip member, ignored as browsers do
        # deflate is sent both with and without the zlib header; decide on the first bytes.
        self._pending = b"" if name == "deflate" else None
        self._obj = self._new(16 + zlib.MAX_WBITS if name == "gzip" else zlib.MAX_WBITS)

    @staticmethod
    def _new(wbits: int) -> zlib._Decompress:
        return zlib.decompressobj(wbits)

    def _take(self, data: bytes) -> bytes:
        out = self._obj.decompress(data, self.limit - self.produced + 1)
        self.produced += len(out)
        # With max_length = room + 1, unconsumed input implies the cap was hit too.
        if self.produced > self.limit:
            raise too_large(self.limit)
        return out

    def feed(self, data: bytes) -> bytes:
        if not data or self._trailing:
            return b""
        self.fed = True
        if self._pending is not None:
            return self._feed_deflate(data)
        parts = []
        try:
            parts.append(self._take(data))
            # Each loop consumes a whole gzip member from ``data``, so it ends.
            while self.name == "gzip" and self._obj.eof and self._obj.unused_data:
                rest = self._obj.unused_data
                self._obj = self._new(16 + zlib.MAX_WBITS)
                try:
                    parts.append(self._take(rest))
                except zlib.error:
                    log.debug("ignoring %d bytes after the last gzip member", len(rest))
                    self._obj = self._new(16 + zlib.MAX_WBITS)
                    self._trailing = True
                    break
        except zlib.error as exc:
            raise BodyError(f"corrupt {self.name} body ({exc})") from None
        return b"".join(parts)

    def _feed_deflate(self, data: bytes) -> bytes:
        assert self._pending is not None
        self._pending += data
        failure: zlib.error | None = None
        # Until the format is settled, each try starts afresh on everything seen so far;
        # nothing was returned yet, so nothing is produced twice.
        for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
            self._obj = self._new(wbits)
            try:
                out = self._take(self._pending)
                break
            except zlib.error as exc:
                failure = exc
        else:
            raise BodyError(f"corrupt deflate body ({failure})")
        if out or len(self._pending) > 64:
            self._pending = None
        else:
            self.produced = 0
        return out

    def finish(self) -> bytes:
        try:
            out = self._obj.flush()
        except zlib.error as exc:
            raise BodyError(f"corrupt {self.name} body ({exc})") from None
        self.produced += len(out)
        if self.produced > self.limit:
            raise too_large(self.limit)
        if self.fed and not self._obj.eof and not self._trailing:
            raise BodyError(f"incomplete body ({self.name} stream ends early)")
        return out


_STAGES = {"gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate"}
SUPPORTED_ENCODINGS = ("gzip", "deflate")


class Decoder:
    """Undoes a Content-Encoding header (e.g. ``gzip`` or ``gzip, deflate``) within ``limit``.

    Raises BodyError for an encoding it cannot undo and BodyTooLarge when any stage would
    produce more than ``limit`` bytes.
    """

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        names = [n.strip().lower() for n in (content_encoding or "").split(",")]
        names = [n for n in names if n and n != "identity"]
        unknown = [n for n in names if n not in _STAGES]
        if unknown:
            raise BodyError(f"unsupported Content-Encoding {', '.join(unknown)}")
        # Codings are listed in the order applied, so they are undone last first.
        self._stages = [_Inflate(_STAGES[n], limit) for n in reversed(names)]
        self.limit = limit

    def feed(self, data: bytes) -> bytes:
        """Decoded bytes for the next piece of the body."""
        for stage in self._stages:
            data = stage.feed(data)
        return data

    def finish(self) -> bytes:
        """Whatever the stages still hold once the body has ended."""
        data = b""
        for stage in self._stages:
            data = stage.feed(data) + stage.finish()
        return data


def decompress(data: bytes, content_encoding: str, limit: int) -> bytes:
    """Undo ``content_encoding`` ("gzip", "deflate") on a whole body, never beyond ``limit``.

    For callers holding compressed files such as ``sitemap.xml.gz``.
    """
    decoder = Decoder(content_encoding, limit)
    out = decoder.feed(data) + decoder.finish()
    if len(out) > limit:
        raise too_large(limit)
    return out


def _text_sample(data: bytes) -> bytes:
    sample = data[:SNIFF_BYTES]
    for bom in _WIDE_BOMS:
        if sample.startswith(bom):
            codec = {2: "utf-16", 4: "utf-32"}[len(bom)]
            return sample.decode(codec, errors="replace").encode("utf-8", errors="replace")
    return sample.removeprefix(codecs.BOM_UTF8)


def binary_type(data: bytes, declared_charset: str | None = None) -> str | None:
    """The media type of a binary format ``data`` starts with, else None.

    Finds common file signatures, and text that is mostly control bytes
    (``application/octet-stream``). UTF-16/32 text (by BOM or by the declared charset)
    is text, NULs and all.
    """
    head = data[:64].lstrip(b" \t\r\n")
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    if data[:4].startswith(_WIDE_BOMS):
        return None
    if declared_charset and declared_charset.strip().lower().startswith(("utf-16", "utf-32")):
        return None
    sample = data[:SNIFF_BYTES]
    bad = len(sample) - len(sample.translate(None, _CONTROL))  # one pass, in C
    if bad >= 2 and bad * 20 > len(sample):
        return "application/octet-stream"
    return None


def sniff(data: bytes, declared_charset: str | None = None) -> str | None:
    """A guess at the media type of ``data``: a binary type, ``text/html``, ``text/xml`` or None."""
    found = binary_type(data, declared_charset)
    if found:
        return found
    sample = _text_sample(data).lstrip().lower()
    if sample.startswith(b"<?xml") and not any(m in sample for m in _HTML_MARKS[:2]):
        return "text/xml"
    if any(mark in sample for mark in _HTML_MARKS):
        return "text/html"
    if any(mark in sample for mark in _XML_MARKS):
        return "text/xml"
    return None
