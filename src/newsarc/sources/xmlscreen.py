"""Screening XML bytes before a parser sees them: DTDs removed, wide encodings, item caps.

feedparser strips ENTITY declarations with regular expressions and re-inserts the ones it
judges safe; that is a filter, not a guarantee. Feeds never need a DTD, so ``screen`` removes
every markup declaration from the prolog (DOCTYPE with its internal subset included) with a
small scanner that honours quotes, brackets and comments. What is left can declare no entity,
so nothing can expand (billion laughs) or be read from a file or URL (XXE); references to the
removed entities stay as literal text.

Feeds and sitemaps are often written by HTML templates: ``&nbsp;``, ``&eacute;`` or a bare
``&`` in a query string, which no XML parser accepts. ``References`` rewrites those as XML
reads them (``&#160;``, ``&#233;``, ``&amp;``) before parsing, so one such title does not
make a feed "malformed" or cut a sitemap short.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from html.entities import html5
from xml.parsers import expat

_SPACE = re.compile(rb"\s*")
_NAME = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_DOCTYPE_NAME = re.compile(rb"<!DOCTYPE\s+([\w.:-]+)", re.IGNORECASE)
# Inside a declaration only quotes, brackets, '>' and comments change the scanner's state.
_DECL_TOKEN = re.compile(rb"<!--|[\"'\[\]>]")
_LEFTOVER = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DECLARED = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']"
)
_ENCODING_DECL = re.compile(r"^(\ufeff?\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[^\"']*\2")
# What ``References`` looks at: the bounds of CDATA sections and comments (where '&' is
# text), and each '&' with the reference it may start.
_REFERENCE = re.compile(
    rb"<!\[CDATA\[|\]\]>|<!--|-->"
    rb"|&(?:([A-Za-z][A-Za-z0-9]{0,31});|#[0-9]{1,7};|#x[0-9A-Fa-f]{1,6};)?"
)
_XML_NAMES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})
# A piece held back for want of a '>' is rewritten anyway past this size (memory stays bounded).
_HOLD = 1024 * 1024


@dataclass(frozen=True)
class Screened:
    """XML bytes without any DTD, and what the prolog said about the document."""

    data: bytes
    doctype: str | None  # the DOCTYPE's name, lower-cased ("html" for an HTML page)
    root: str | None  # the first element's name as written, None if there is none


def _wide_codec(data: bytes) -> str | None:
    """The codec of a UTF-16/32 document (by BOM or by how '<' is spelled), else None."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:4]
    if head == b"\x00\x00\x00<":
        return "utf-32-be"
    if head == b"<\x00\x00\x00":
        return "utf-32-le"
    if head[:2] == b"\x00<":
        return "utf-16-be"
    if head[:2] == b"<\x00":
        return "utf-16-le"
    return None


def ascii_compatible(data: bytes) -> bytes:
    """UTF-16/32 documents re-encoded as UTF-8 (with the declaration saying so); others as is."""
    codec = _wide_codec(data)
    if codec is None:
        return data
    text = data.decode(codec, errors="replace").lstrip("\ufeff")
    return _ENCODING_DECL.sub(r"\1\2utf-8\2", text, count=1).encode("utf-8")


def to_utf8(data: bytes) -> bytes:
    """The document re-encoded as UTF-8, its XML declaration saying so.

    The encoding comes from the BOM, else the XML declaration when the bytes fit it, else
    UTF-8, else detection (``newsarc.charset.decode_html``). Parsers downstream then never
    meet an unknown, misspelt or lying encoding label (feedparser crashes on some).
    """
    from newsarc.charset import decode_html

    data = ascii_compatible(data)
    declared = _DECLARED.match(data)
    label = declared.group(1).decode("ascii", "replace") if declared else None
    text = decode_html(data, label)[0].lstrip("\ufeff")
    return _ENCODING_DECL.sub(r"\1\2utf-8\2", text, count=1).encode("utf-8")


class References:
    """Rewrites an XML document's HTML named references (``&nbsp;``) as numeric ones and a
    bare ``&`` as text (``&amp;``), outside CDATA sections and comments. The five XML names,
    numeric references and names HTML does not know are kept: the last are the entities of a
    DTD ``screen`` removed (a bomb's ``&a7;``), which must still fail as they did.

    Fed in chunks (``feed``, then ``close``): the bytes after a chunk's last '>' wait for
    the next one, so no reference or CDATA bound is split. For ASCII-compatible encodings
    (UTF-8, Latin-1...; a UTF-16 document must be re-encoded first).
    """

    def __init__(self) -> None:
        self._held = b""
        self._in: bytes | None = None  # the bound that ends the CDATA or comment we are in

    def feed(self, chunk: bytes) -> bytes:
        data = self._held + chunk
        cut = data.rfind(b">") + 1
        if not cut and len(data) <= _HOLD:
            self._held = data
            return b""
        if not cut:
            cut = len(data)
        self._held = data[cut:]
        return _REFERENCE.sub(self._rewrite, data[:cut])

    def close(self) -> bytes:
        data, self._held = self._held, b""
        return _REFERENCE.sub(self._rewrite, data)

    def _rewrite(self, match: re.Match[bytes]) -> bytes:
        token = match.group()
        if self._in is not None:
            if token == self._in:
                self._in = None
            return token
        if token == b"<![CDATA[":
            self._in = b"]]>"
        elif token == b"<!--":
            self._in = b"-->"
        elif token[:1] != b"&" or token[1:2] == b"#":
            return token
        elif (name := match.group(1)) is None:
            return b"&amp;"
        elif name not in _XML_NAMES and (text := html5.get(name.decode("ascii") + ";")):
            return "".join(f"&#{ord(char)};" for char in text).encode("ascii")
        return token


def xml_references(data: bytes) -> bytes:
    """``data`` with its HTML references rewritten for XML (see ``References``)."""
    references = References()
    return references.feed(data) + references.close()


def _declaration_end(data: bytes, start: int) -> int:
    """Index just past the '>' closing the ``<!...`` declaration at ``start``; -1 if none."""
    depth, quote, pos = 0, b"", start + 2
    # Each pass moves ``pos`` forward past a token, so the loop ends.
    while True:
        if quote:
            close = data.find(quote, pos)
            if close < 0:
                return -1
            quote, pos = b"", close + 1
            continue
        match = _DECL_TOKEN.search(data, pos)
        if match is None:
            return -1
        token, pos = match.group(), match.end()
        if token == b"<!--":
            close = data.find(b"-->", pos)
            if close < 0:
                return -1
            pos = close + 3
        elif token in (b'"', b"'"):
            quote = token
        elif token == b"[":
            depth += 1
        elif token == b"]":
            depth = max(0, depth - 1)
        elif depth == 0:  # '>' outside the internal subset
            return pos


def screen(data: bytes) -> Screened:
    """``data`` with every ``<!...>`` declaration and comment removed from the prolog.

    The XML declaration, processing instructions and a UTF-8 BOM are kept; leading
    whitespace is dropped (it makes strict parsers reject the XML declaration).
    """
    data = ascii_compatible(data)
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    pos = len(bom)
    kept: list[bytes] = []
    doctype: str | None = None
    # Each pass consumes one prolog construct or stops, so the loop ends.
    while True:
        pos = _SPACE.match(data, pos).end()  # type: ignore[union-attr]  # \s* always matches
        if data.startswith(b"<?", pos):
            end = data.find(b"?>", pos)
            if end < 0:
                break
            kept.append(data[pos : end + 2])
            pos = end + 2
        elif data.startswith(b"<!--", pos):
            end = data.find(b"-->", pos + 4)
            pos = len(data) if end < 0 else end + 3
        elif data.startswith(b"<!", pos):
            name = _DOCTYPE_NAME.match(data, pos)
            if name and doctype is None:
                doctype = name.group(1).decode("ascii", "replace").lower()
            end = _declaration_end(data, pos)
            pos = len(data) if end < 0 else end
        else:
            break
    root = _NAME.match(data, pos)
    prolog = b"".join(part + b"\n" for part in kept)
    return Screened(
        data=bom + prolog + data[pos:],
        doctype=doctype,
        root=root.group(1).decode("utf-8", "replace") if root else None,
    )


def has_declarations(data: bytes) -> bool:
    """True if DOCTYPE or ENTITY markup is left anywhere (it only belongs in a prolog)."""
    return _LEFTOVER.search(data) is not None


def local_name(name: str) -> str:
    """An element name without its namespace prefix or ``{uri}``, lower-cased."""
    return name.rpartition("}")[2].rpartition(":")[2].lower()


class _Enough(Exception):
    """Raised from an expat handler to stop once enough items were seen."""


def cut_after(data: bytes, names: frozenset[str], limit: int) -> bytes:
    """``data`` cut after the ``limit``-th element named in ``names`` (local names), re-closed.

    A fast expat pre-pass, so that a 10,000-entry feed costs the parser ``limit`` entries of
    work and memory. The open ancestors are closed again, so the result stays well-formed.
    Documents with fewer such elements, or that expat cannot read that far, come back as is
    (the caller's parser then does what it can with them). ``data`` must have been screened.
    """
    parser = expat.ParserCreate()
    open_names: list[str] = []
    seen = 0
    where = -1  # read inside the handler: after the abort expat reports another position

    def start(name: str, attrs: object) -> None:
        open_names.append(name)

    def end(name: str) -> None:
        nonlocal seen, where
        open_names.pop()
        if local_name(name) in names:
            seen += 1
            if seen >= limit:
                where = parser.CurrentByteIndex
                raise _Enough

    def refuse(*args: object) -> None:  # screened data has no DTD; never expand one anyway
        raise expat.ExpatError("entity declaration")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except _Enough:
        close = data.find(b">", where)
        if close < 0 or not all(name.isascii() for name in open_names):
            return data
        closers = b"".join(b"</" + name.encode("ascii") + b">" for name in reversed(open_names))
        return data[: close + 1] + closers
    except (expat.ExpatError, ValueError, LookupError):  # e.g. an unknown encoding label
        return data
    return data
