"""Streaming gzip that hands over every byte before the damage, then says it is damaged.

Python's GzipFile raises on a truncated stream before returning the data it decoded in the
same read, so the last pages of a cut WARC, or the last URLs of a cut sitemap, would be
lost with it. This reader returns them first, and raises ``GzipDamaged`` on the next read.

Inflating is done by zlib-ng (``zlib_ng``, the same API and output as the stdlib ``zlib``, about
twice as fast): a large WARC.gz is read by the single ingest process, where decompressing was
its largest CPU cost after the SQLite writes.
"""

from __future__ import annotations

import io
from typing import IO, cast

from zlib_ng import zlib_ng

CHUNK = 64 * 1024
_MEMBER = b"\x1f\x8b\x08"  # a gzip header's first bytes: the magic, then deflate
_HEADER_ROOM = 4096  # enough for a gzip header and the first bytes of its data
# zlib_ng's type stub declares ``error`` as an instance; it is the exception class.
_ZlibError = cast("type[Exception]", zlib_ng.error)


class GzipDamaged(Exception):
    """The gzip data is truncated or corrupt at the current position."""


class Gunzip:
    """A readable stream of the decompressed bytes of (multi-member) gzip data."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._inflater = zlib_ng.decompressobj(wbits=31)
        self._input = b""
        self._in_member = False
        self._taken = 0  # compressed bytes read from ``raw``
        self.member_start = 0  # where the member being read starts in the compressed data

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` decompressed bytes (a chunk if ``size`` < 1); b"" at the clean end."""
        size = size if size > 0 else CHUNK
        # Each pass consumes compressed input from a finite stream or returns.
        while True:
            data, self._input = self._input, b""
            if not data:
                data = self._raw.read(CHUNK)
                self._taken += len(data)
            if not data and not self._in_member:
                return b""
            if not self._in_member:
                self.member_start = self._taken - len(data)
            self._in_member = True
            try:
                # At the end of the input, b"" drains output zlib still holds back.
                out = self._inflater.decompress(data, size)
            except _ZlibError as exc:
                raise GzipDamaged(f"bad gzip data ({exc})") from None
            self._input = self._inflater.unconsumed_tail
            if self._inflater.eof:
                self._input = self._inflater.unused_data
                self._inflater = zlib_ng.decompressobj(wbits=31)
                self._in_member = False
            if out:
                return out
            if not data:
                raise GzipDamaged("the gzip data ends inside a member (truncated?)")

    def skip_to_member(self, starts: bytes) -> int | None:
        """After damage: go on at the first later member whose data begins with ``starts``
        (a WARC record's ``WARC/``), past the damaged one; its offset in the compressed data,
        or None when there is none (the stream is then at its end). ``raw`` must be seekable.

        Each record of a ``.warc.gz`` is a gzip member of its own, so the records after a
        damaged one can still be read: a member is found by the gzip header's first bytes,
        and taken only when it inflates to ``starts``, which bytes inside compressed data
        that look like a header do not.
        """
        base = self.member_start + 1  # the offset of window[0] in the compressed data
        self._raw.seek(base)
        window = self._raw.read(CHUNK)
        found = window.find(_MEMBER)
        # Each pass looks at one place or reads a chunk of a finite file.
        while True:
            if found == -1:
                more = self._raw.read(CHUNK)
                if not more:
                    self._restart(base + len(window))
                    return None
                keep = len(_MEMBER) - 1  # a header may straddle two chunks
                base += len(window) - keep
                window = window[-keep:] + more
                found = window.find(_MEMBER)
                continue
            while len(window) - found < _HEADER_ROOM and (more := self._raw.read(CHUNK)):
                window += more
            if _inflates_to(window[found : found + _HEADER_ROOM], starts):
                return self._restart(base + found)
            found = window.find(_MEMBER, found + 1)

    def _restart(self, offset: int) -> int:
        self._raw.seek(offset)
        self._taken = self.member_start = offset
        self._inflater = zlib_ng.decompressobj(wbits=31)
        self._input = b""
        self._in_member = False
        return offset


GZIP_MAGIC = b"\x1f\x8b"


def gunzip_head(data: bytes, size: int) -> tuple[bytes, str | None]:
    """The first ``size`` decompressed bytes of gzip ``data`` (all of them if fewer), and why
    it broke off (None: it did not). Bounded by ``size``, so a gzip bomb costs no more; the
    bytes before any damage are kept, as ``Gunzip`` hands them over."""
    reader = Gunzip(io.BytesIO(data))
    parts: list[bytes] = []
    got = 0
    # Each pass reads a chunk of a finite input, or ends.
    while got < size:
        try:
            chunk = reader.read(min(CHUNK, size - got))
        except GzipDamaged as exc:
            return b"".join(parts), str(exc)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts), None


def _inflates_to(data: bytes, starts: bytes) -> bool:
    """True when gzip ``data`` (a member's start) inflates to ``starts`` first."""
    try:
        return zlib_ng.decompressobj(wbits=31).decompress(data, len(starts)) == starts
    except _ZlibError:
        return False
