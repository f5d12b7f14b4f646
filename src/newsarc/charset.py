"""Page bytes to text: BOM, then the declared charset, then <meta charset> (anywhere in the
head), then UTF-8 (with a stray invalid byte or two), then detection (``charsetdetect``).

Declarations are often wrong, so a declaration is trusted only when the bytes agree with it:
bytes that are valid multi-byte UTF-8 are read as UTF-8 whatever a single-byte label says, and
a label whose codec rejects the bytes is passed over.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from newsarc.charsetdetect import likeliest

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# What the head holds for ``_meta_charset``, first match wins at each ``<``: text that only looks
# like tags (script, style, title, textarea, comment; an unclosed one runs to the end), a
# charset declaration, or the end of the head. Cheap enough to run on every page without a
# header charset (13 us a page on the dev pages): the one leading ``<`` lets the regex engine
# jump from ``<`` to ``<``, and raw text is matched a run of non-``<`` bytes at a time
# (``[^<]*``) rather than byte by byte (``.*?``); each was worth a factor of 3 to 8.
_HEAD_TOKENS = re.compile(
    rb"""<(?:(?P<raw>script|style|title|textarea)\b[^<]*(?:<(?!/(?P=raw)\s*>)[^<]*)*"""
    rb"""(?:</(?P=raw)\s*>|\Z)"""
    rb"""|!--[^-]*(?:-(?!->)[^-]*)*(?:-->|\Z)"""
    rb"""|meta\b[^>]*?charset\s*=\s*["']?\s*(?P<charset>[A-Za-z0-9_.:-]+)"""
    rb"""|(?P<end>/head\s*>|body\b))""",
    re.IGNORECASE,
)
# The longest head among the 218 dev pages ends at 965 KB; the latest charset declaration
# among them is at 91 KB.
_HEAD_LIMIT = 1 << 20
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Labels that browsers treat as windows-1252 (WHATWG Encoding Standard).
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "x-user-defined": "cp1252",
    "utf8": "utf-8",
}


# UTF-16 without a byte-order mark: zero bytes in at least this share of one byte position.
_UTF16_NULS = 0.3


def bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the bytes look like UTF-16 that lost its byte-order mark:
    mostly ASCII text, so a zero byte every other byte (after each character in little-endian,
    before it in big-endian). Windows tools write such files; a *label* saying UTF-16 is
    nearly always wrong (see ``_codec``), the bytes themselves are not. Looks at 4 KiB."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 8:
        return None
    even = sample[0 : 2 * half : 2].count(0) / half
    odd = sample[1 : 2 * half : 2].count(0) / half
    if odd >= _UTF16_NULS and even < 0.05:
        return "utf-16-le"
    if even >= _UTF16_NULS and odd < 0.05:
        return "utf-16-be"
    return None


def charset_from_content_type(value: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header value, if any."""
    if not value:
        return None
    match = _HEADER_CHARSET.search(value)
    return match.group(1) if match else None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):  # ValueError: a label with a NUL byte
        return None
    # A page that declares UTF-16 but reached us without a BOM is almost always mislabelled.
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return None
    return name


def _decoded(data: bytes, codec: str) -> str | None:
    """``data`` decoded with ``codec``, or None when the codec rejects the bytes (one decode
    both tests and converts: a page is 100 KB or more)."""
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode an HTML document; returns ``(text, codec_name)``.

    ``declared`` is the charset from the HTTP header, if there was one.
    """
    text, codec, _ = _decode(data, declared)
    return text, codec


def decode_html_utf8(data: bytes, declared: str | None = None) -> tuple[str, bytes | None]:
    """``decode_html``'s text, and the text as UTF-8 when that is ``data`` itself (the bytes
    were read as strict UTF-8, so encoding the text again would give them back), else None.
    Extraction scans and parses the UTF-8: this spares encoding a page it already has."""
    text, _, exact = _decode(data, declared)
    return text, data if exact and type(data) is bytes else None


def _decode(data: bytes, declared: str | None) -> tuple[str, str, bool]:
    """(text, codec, whether the text is ``data`` read as strict UTF-8)."""
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(bom_codec.replace("-sig", ""), errors="replace")
            return text, bom_codec, False
    for label in _labels(data, declared):
        codec = _codec(label)
        if codec is None:
            continue
        # bytes that are valid multi-byte UTF-8 are UTF-8, whatever a single-byte label says
        if codec != "utf-8" and not data.isascii():
            as_utf8 = _decoded(data, "utf-8")
            if as_utf8 is not None:
                return as_utf8, "utf-8", True
        as_label = _decoded(data, codec)
        if as_label is not None:
            return as_label, codec, codec == "utf-8"
    as_utf8 = _decoded(data, "utf-8")
    if as_utf8 is not None:
        return as_utf8, "utf-8", True
    as_utf8 = _mostly_utf8(data)
    if as_utf8 is not None:
        return as_utf8, "utf-8", False
    codec = _codec(likeliest(data)) or "cp1252"
    return data.decode(codec, errors="replace"), codec, False


# A page with at least _UTF8_MIN_CHARS valid multi-byte UTF-8 characters is UTF-8 with stray
# bytes when it has at most one invalid byte, plus one per _UTF8_PER_STRAY valid characters.
_UTF8_PER_STRAY = 50
_UTF8_MIN_CHARS = 8


def _mostly_utf8(data: bytes) -> str | None:
    """``data`` as UTF-8, its few invalid bytes replaced, when it is plainly UTF-8 with a stray
    byte or two (a truncated character, a pasted cp1252 quote); else None. Such a page read as
    the detector's guess (windows-1252 nearly always: the stray byte makes no codec fit better)
    was all mojibake. Legacy-encoded text almost never forms valid multi-byte UTF-8."""
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd")
    stray = replaced - data.count(b"\xef\xbf\xbd")  # U+FFFD the page itself holds are valid
    valid = len(text) - len(text.encode("ascii", errors="ignore")) - replaced
    if valid >= _UTF8_MIN_CHARS and stray <= 1 + valid // _UTF8_PER_STRAY:
        return text
    return None


def _labels(data: bytes, declared: str | None) -> Iterator[str | None]:
    """The header's charset, then the page's own declaration: the head is read only when the
    header gave no charset the bytes agree with."""
    yield declared
    yield _meta_charset(data)


def _meta_charset(data: bytes) -> str | None:
    """The charset of the first ``<meta charset>`` or ``http-equiv`` Content-Type in the head,
    however late: browsers re-read the page when they meet one past their 1 KB prescan, and
    news pages put 20 KB of inline script or style before it. The head ends at ``</head>`` or
    ``<body``; a ``<meta`` inside a script, a style, a title or a comment is not a tag.
    Looks at 1 MiB at most (``_HEAD_LIMIT``): a sitemap or feed has no head to end."""
    for match in _HEAD_TOKENS.finditer(data, 0, _HEAD_LIMIT):
        if match.lastgroup == "charset":
            return match.group("charset").decode("ascii", "replace")
        if match.lastgroup == "end":
            return None
    return None


def utf8_else_windows_1252(data: bytes) -> str:
    """``data`` as UTF-8, each stretch of bytes that is not UTF-8 read as Windows-1252: what
    a Latin-1 terminal or a list saved as Notepad's "ANSI" meant, for Western text."""
    parts: list[str] = []
    while data:
        try:
            parts.append(data.decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            parts.append(data[: exc.start].decode("utf-8"))
            parts.append(data[exc.start : exc.end].decode("cp1252", "replace"))
            data = data[exc.end :]
    return "".join(parts)
