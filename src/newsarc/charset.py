"""Page bytes to text: BOM, then the declared charset, then <meta charset>, then detection.

Declarations are often wrong, so a declaration is trusted only when the bytes agree with it:
bytes that are valid multi-byte UTF-8 are read as UTF-8 whatever a single-byte label says, and
a label whose codec rejects the bytes is passed over.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
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
    for label in (declared, _meta_charset(data)):
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
    return (*_detect(data), False)


def _meta_charset(data: bytes) -> str | None:
    match = _META.search(data[:8192])
    return match.group(1).decode("ascii", "replace") if match else None


# Encodings by how common they are on the web: among detector candidates that fit the bytes
# about equally well (short pages often fit several), the more common one wins.
_WEB_ORDER = [
    "cp1252",
    "cp1251",
    "gb18030",
    "gbk",
    "shift_jis",
    "euc_kr",
    "big5",
    "cp1250",
    "iso8859_2",
    "euc_jp",
    "cp1256",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp874",
    "koi8_r",
    "iso8859_15",
    "cp1257",
    "cp1258",
]


def _detect(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:200_000]))
    codec = "cp1252"
    if matches:
        best = matches[0]
        close = [
            m
            for m in matches
            if m.chaos <= best.chaos + 0.02 and m.coherence >= best.coherence - 0.05
        ]
        close.sort(
            key=lambda m: (
                _WEB_ORDER.index(m.encoding) if m.encoding in _WEB_ORDER else len(_WEB_ORDER)
            )
        )
        codec = _codec(close[0].encoding) or codec
    return data.decode(codec, errors="replace"), codec
