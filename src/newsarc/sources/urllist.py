"""URL lists: one URL per line, ``#`` comments, blank lines ignored.

A list is read as UTF-8; bytes that are not UTF-8 are read as Windows-1252 (a list saved as
Notepad's "ANSI"), said once in the log. A line's URL is read as a feed's links are: a space
inside it is percent-encoded (``%20``), as a browser would; a tab, or a second address after
a space, makes the line no URL.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, TextIO

from newsarc.charset import bomless_utf16, utf8_else_windows_1252
from newsarc.errors import InputError
from newsarc.pathtext import shown
from newsarc.sources.item import Item
from newsarc.urls import check_url, link_url

log = logging.getLogger(__name__)

MAX_LINE = 8192  # longer lines are not URLs anyone meant; they are skipped, never held whole
_WARN_LINES = 20  # invalid lines logged one by one; the rest only counted
_INLINE_COMMENT = re.compile(r"\s+#.*$")
# Bytes looked at to tell the encoding (or binary data) before reading.
_SNIFF = 4096
# Fewer bytes than this (a pipe's first short write) tell nothing: they are read as UTF-8.
_MIN_SNIFF = 16
# A byte that is not UTF-8, as the surrogateescape error handler decodes it.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
# A second address after a space: two URLs on one line, not one URL with a space in it.
_ANOTHER_URL = re.compile(r"\s.*https?://", re.IGNORECASE)
# Whitespace and the invisible characters a line's ends pick up: a byte order mark inside a
# file (two lists joined with ``cat``), zero-width spaces and joiners, direction marks
# (pasted from a web page or a chat).
_EDGES = re.compile(r"^[\s\u200b-\u200f\u2060\ufeff]+|[\s\u200b-\u200f\u2060\ufeff]+$")


class UrlList(Iterator[Item]):
    """An iterator of Items read from a URL list, counting what it had to skip.

    After (or during) iteration, ``lines`` is the number of lines read, ``invalid`` the number
    of non-comment lines skipped because they were not absolute http(s) URLs (each logged as a
    warning, the first few one by one), and ``problems`` the first of those as
    ``(line number, reason)`` pairs. Iterate it once; it closes a file it opened at the end.
    """

    def __init__(self, stream: TextIO, *, source: str = "-", owns_stream: bool = False) -> None:
        self.source = source
        self.lines = 0
        self.invalid = 0
        self.problems: list[tuple[int, str]] = []
        self._stream = stream
        self._owns = owns_stream
        self._done = False
        self._windows_1252 = False  # whether a line held bytes that are not UTF-8

    def __iter__(self) -> UrlList:
        return self

    def __next__(self) -> Item:
        # Each pass consumes one line of a finite stream, so the loop ends.
        while not self._done:
            raw = self._read_line()
            if raw is None:
                self._finish()
                break
            self.lines += 1
            if len(raw) > MAX_LINE:
                self._skip(f"line longer than {MAX_LINE} characters")
                continue
            if _ESCAPED_BYTE.search(raw):
                raw = self._from_windows_1252(raw)
            text = _EDGES.sub("", raw)
            if not text or text.startswith("#"):
                continue
            text = _INLINE_COMMENT.sub("", text)
            try:
                return Item(url=_line_url(text), source=self.source)
            except InputError as exc:
                self._skip(str(exc))
        raise StopIteration

    def _read_line(self) -> str | None:
        """The next line; an over-long one is drained in bounded chunks and returned truncated."""
        line = self._stream.readline(MAX_LINE + 1)
        if not line:
            return None
        if len(line) > MAX_LINE and not line.endswith("\n"):
            # Bounded: each chunk is at most MAX_LINE characters of a finite stream.
            while chunk := self._stream.readline(MAX_LINE):
                if chunk.endswith("\n"):
                    break
        return line

    def _from_windows_1252(self, line: str) -> str:
        """``line`` with each byte that is not UTF-8 (a lone surrogate of surrogateescape)
        read as Windows-1252; the first time, said in the log."""
        if not self._windows_1252:
            self._windows_1252 = True
            log.warning(
                '%s:%d: not UTF-8: bytes that are not UTF-8 are read as Windows-1252 ("ANSI");'
                " save the list as UTF-8 to be sure of its addresses",
                self.source,
                self.lines,
            )
        return utf8_else_windows_1252(line.encode("utf-8", "surrogateescape"))

    def _skip(self, reason: str) -> None:
        self.invalid += 1
        if len(self.problems) < _WARN_LINES:
            self.problems.append((self.lines, reason))
            log.info("%s:%d: skipped: %s", self.source, self.lines, reason)

    def _finish(self) -> None:
        self._done = True
        if self.invalid > _WARN_LINES:
            log.info("%s: %d invalid lines skipped in all", self.source, self.invalid)
        self.close()

    def close(self) -> None:
        """Close the underlying file if this list opened it."""
        self._done = True
        if self._owns:
            self._stream.close()

    def __enter__(self) -> UrlList:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def read_url_list(stream: TextIO, *, source: str = "-") -> UrlList:
    """Items for the URLs in ``stream``, one per line.

    Blank lines, lines starting with ``#`` and `` # comments`` after a URL are ignored;
    surrounding whitespace and invisible characters (a byte order mark, zero-width spaces)
    are stripped and a space inside a URL is percent-encoded. Lines
    that are not absolute http(s) URLs are skipped
    with a logged warning and counted on the returned ``UrlList`` (``invalid``, ``problems``).
    """
    return UrlList(stream, source=source)


def read_url_list_file(path: str | Path) -> UrlList:
    """Like ``read_url_list`` for a file path (``-`` is stdin); raises InputError if unreadable.

    The file is read as UTF-8 (a BOM is ignored; bytes that are not UTF-8 are read as
    Windows-1252, with a warning), or as UTF-16
    or UTF-32 when it starts with their byte order mark (as Windows PowerShell writes files), or
    as UTF-16LE/BE without one when its first 4 KiB have a zero byte every other byte (ASCII
    text in UTF-16, as some Windows tools write it). Other bytes with zeros among them are not
    text: InputError, one line, rather than a failed item for each "line" of a binary file.
    """
    name = str(path)
    if name == "-":
        raw = getattr(sys.stdin, "buffer", None)
        if raw is None or not hasattr(raw, "peek"):  # a replaced stdin: text already
            return UrlList(sys.stdin, source="-")
        return UrlList(_text(raw, "-"), source="-")
    try:
        binary = open(name, "rb")  # noqa: SIM115 - UrlList closes it when done
    except OSError as exc:
        raise InputError(f"{shown(name)}: cannot read URL list ({exc.strerror or exc})") from None
    try:
        stream = _text(binary, name)
    except OSError as exc:  # e.g. a directory on some systems, found at the first read
        binary.close()
        raise InputError(f"{shown(name)}: cannot read URL list ({exc.strerror or exc})") from None
    except InputError:
        binary.close()
        raise
    return UrlList(stream, source=shown(name), owns_stream=True)


def _text(binary: BinaryIO, name: str) -> TextIO:
    """``binary`` (with ``peek``) as text in the encoding its byte order mark names, or the
    UTF-16 its bytes show; InputError for binary data."""
    head = binary.peek(_SNIFF)[:_SNIFF]  # type: ignore[attr-defined]
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif bomless := bomless_utf16(head):
        log.info(
            "%s: read as %s (no byte order mark, but a zero byte every other byte)", name, bomless
        )
        encoding = bomless
    elif b"\0" in head and len(head) >= _MIN_SNIFF:
        raise InputError(
            f"{shown(name)}: not a URL list (binary data, with zero bytes); "
            "give a text file (UTF-8 or UTF-16), one URL per line"
        )
    else:  # bytes that are not UTF-8 kept as they are, for UrlList to read as Windows-1252
        return io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape")
    return io.TextIOWrapper(binary, encoding=encoding, errors="replace")


def _line_url(text: str) -> str:
    """The URL a list's line (stripped, its comment cut) gives: a space inside is encoded as
    in a feed's link (``link_url``). Raises InputError for a line that is no one URL."""
    if "\t" in text or _ANOTHER_URL.search(text):  # pasted columns, or two addresses
        raise InputError(f"not a valid URL: {text!r} (more than one field on the line)")
    if not text.lower().startswith(("http://", "https://")):
        return check_url(text)  # raises, saying why
    return link_url(text, text)
