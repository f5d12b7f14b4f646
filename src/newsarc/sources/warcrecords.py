"""warcio's record iterator as ``read_warc`` uses it: records without a target, and what
warcio has to say about a record going to newsarc's log rather than to stderr.

Three methods of warcio's loader and iterator are overridden in subclasses that only
``read_warc`` uses (warcio's own ``WARCIterator`` sets its attributes after
``ArchiveIterator.__init__`` the same way); nothing of warcio is patched, so other users of
warcio in the process are not affected. Two of those methods are private
(``_ensure_target_uri_format``, ``_consume_blanklines``): written against warcio 1.8, and
``tests/test_warc.py`` compares the records, offsets and lengths this iterator gives with
those of warcio's own, so an upgrade that changes them shows there.
"""

from __future__ import annotations

import logging
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecordLoader

log = logging.getLogger(__name__)


class _Loader(ArcWarcRecordLoader):
    """warcio's record loader, for records with no WARC-Target-URI or one with spaces."""

    def __init__(self, name: str) -> None:
        super().__init__(verify_http=False, arc2warc=False)  # ArchiveIterator's defaults
        self._name = name

    def load_http_headers(self, rec_type: Any, uri: Any, stream: Any, length: Any) -> Any:
        """No HTTP headers for a record without a target; those of an http(s) target whose
        scheme is written in capitals.

        warcio parses the HTTP headers of a request, response or revisit only when its
        target is http(s), and tests that with ``uri.startswith``: with no WARC-Target-URI
        it raises AttributeError inside ArchiveIterator's generator, which ends the
        generator and so the reading of every later record in the file. Such a record
        gets what a ``dns:`` target gets: its block is left unparsed (and is passed over to
        its declared length); ``read_warc`` reports a response without target.
        """
        if uri is None:
            return None
        # warcio tests the scheme case-sensitively; schemes are not (RFC 3986 3.1), and a
        # crawler that wrote "HTTP://" made a page that would otherwise be passed over unread.
        scheme, colon, rest = uri.partition(":")
        if colon and scheme.lower() in ("http", "https"):
            uri = scheme.lower() + colon + rest
        return super().load_http_headers(rec_type, uri, stream, length)

    def _ensure_target_uri_format(self, rec_headers: Any) -> Any:
        """Spaces in WARC-Target-URI become %20, as warcio would, said in newsarc's log.

        warcio makes the same repair but says so on its own logger at WARNING, which a
        ``newsarc ingest`` shows on stderr and does not write to ``--log``; the page is
        archived all the same, so here it is an INFO line naming the file.
        """
        uri = rec_headers.get_header("WARC-Target-URI")
        if uri is not None and " " in uri:
            repaired = uri.replace(" ", "%20")
            log.info(
                "%s: spaces in WARC-Target-URI %r, read as %s",
                self._name,
                uri[:200],
                repaired[:200],
            )
            rec_headers.replace_header("WARC-Target-URI", repaired)
        return super()._ensure_target_uri_format(rec_headers)


class Records(ArchiveIterator):
    """warcio's ArchiveIterator over an uncompressed WARC stream, with ``_Loader`` and the
    end of each record checked without writing to stderr."""

    def __init__(self, stream: Any, name: str, *, block_size: int) -> None:
        super().__init__(stream, block_size=block_size)
        self.loader = _Loader(name)
        self._name = name

    def _consume_blanklines(self) -> tuple[bytes | None, int]:
        """Read the blank lines after a record: (the first line after them or None at the
        end, the bytes they took).

        As warcio does, a first line that is not blank is taken as the separator (its
        Content-Length was probably wrong, so that line belonged to the record); warcio
        writes its warning for that straight to ``sys.stderr``, where ``ingest -q`` would
        show it and ``--log`` would miss it. Here it is a WARNING in newsarc's log.
        """
        taken = 0
        line = self.reader.readline()
        if line.rstrip():
            self.err_count += 1
            target = self.record.rec_headers.get_header("WARC-Target-URI") if self.record else None
            log.warning(
                "%s: the record at offset %d (%s) is not followed by a blank line; its "
                "Content-Length may be wrong, and its page cut short (next: %r)",
                self._name,
                self.offset,
                target or "no WARC-Target-URI",
                line[:80],
            )
            taken += len(line)
            line = self.reader.readline()
        while line and not line.rstrip():
            taken += len(line)
            line = self.reader.readline()
        return line or None, taken
