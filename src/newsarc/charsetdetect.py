"""Page bytes with no charset to go by (no BOM, no declaration the bytes agree with, not UTF-8)
→ the likeliest codec: charset-normalizer, on the page's text, with the web's tie-break.

Why the text: the detector weighs how plausible the decoded characters are, and markup is
ASCII that any codec decodes alike. A news page's head holds 20 KB or more of inline script and
style; given the whole page, a windows-1251 article with 6 KB of markup before its text came out
as cp1006, cp1250 or cp1252, and CJK pages as other CJK codecs. The text alone (tags, scripts,
styles and comments cut out) decides it in a fraction of the time.
"""

from __future__ import annotations

import re

# Markup cut from the sample: a script or style with its content (an unclosed one runs to the
# end), a comment, a tag. Content is matched a run of non-``<`` bytes at a time; the legacy
# multi-byte codecs (Shift_JIS, EUC-*, GBK, Big5) never use ``<`` or ``>`` inside a character.
_MARKUP = re.compile(
    rb"""<(?:(?P<raw>script|style)\b[^<]*(?:<(?!/(?P=raw)\s*>)[^<]*)*(?:</(?P=raw)\s*>|\Z)"""
    rb"""|!--[^-]*(?:-(?!->)[^-]*)*(?:-->|\Z)"""
    rb"""|[A-Za-z/!?][^>]*(?:>|\Z))""",
    re.IGNORECASE,
)
_SPACES = re.compile(rb"\s+")
# Bytes of the page read for the sample, and of the sample given to the detector (as much as
# it was given of the whole page before): an article's text is far shorter.
_PAGE_LIMIT = 2_000_000
_SAMPLE_LIMIT = 200_000

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
# The detector's names for the codecs browsers use under a web name: its Shift_JIS is cp932
# (Windows-31J, what browsers decode as Shift_JIS), its EUC-KR cp949, and so on. Unmapped, they
# ranked after every listed codec: gb18030 won over the cp932 the detector had put first.
_WEB_NAMES = {
    "cp932": "shift_jis",
    "shift_jis_2004": "shift_jis",
    "shift_jisx0213": "shift_jis",
    "cp949": "euc_kr",
    "euc_jis_2004": "euc_jp",
    "euc_jisx0213": "euc_jp",
    "gb2312": "gbk",
    "cp950": "big5",
    "big5hkscs": "big5",
}


def web_rank(encoding: str) -> int:
    """Where the detector's ``encoding`` stands in ``_WEB_ORDER`` (unlisted: after all)."""
    name = _WEB_NAMES.get(encoding, encoding)
    return _WEB_ORDER.index(name) if name in _WEB_ORDER else len(_WEB_ORDER)


def text_sample(data: bytes) -> bytes:
    """The page's text as bytes, for the detector: tags, scripts, styles and comments cut,
    whitespace runs made one space. The page itself when that leaves no byte above ASCII (the
    non-ASCII is in the markup), or when it holds ESC: ISO-2022 encodings, 7-bit, use ``<``
    and ``>`` inside characters."""
    if b"\x1b" not in data:
        sample = _SPACES.sub(b" ", _MARKUP.sub(b" ", data[:_PAGE_LIMIT]))
        if not sample.isascii():
            return sample[:_SAMPLE_LIMIT]
    return data[:_SAMPLE_LIMIT]


def likeliest(data: bytes) -> str | None:
    """The detector's name for the likeliest encoding of ``data`` (None: it found none), judged
    on the text sample; among candidates that fit about equally well, the web's commonest."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(text_sample(data)))
    if not matches:
        return None
    best = matches[0]
    close = [
        m for m in matches if m.chaos <= best.chaos + 0.02 and m.coherence >= best.coherence - 0.05
    ]
    return min(close, key=lambda m: web_rank(m.encoding)).encoding
