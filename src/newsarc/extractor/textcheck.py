"""Is this text a page, and is it readable? Binary data, mojibake and error pages, recognised.

Every test here works on the characters alone, for any language: it never looks at a site.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

# File signatures of what a page body turns out to be when it is not HTML. A str that was
# decoded from such bytes still starts with the same code points (cp1252 or Latin-1), except
# where a byte became U+FFFD, which _prefix_bytes turns back into a wildcard.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office/EPUB document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"(\xb5/\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"OggS", "Ogg audio/video"),
    (b"ID3", "an MP3 file"),
    (b"fLaC", "FLAC audio"),
    (b"\x1aE\xdf\xa3", "a Matroska/WebM video"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"\x00\x01\x00\x00\x00", "a font"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"%!PS", "a PostScript document"),
    (b"{\\rtf", "an RTF document"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
# Signatures a line of plain text could start with: they count only when binary bytes follow.
_WEAK = frozenset((b"BM", b"MZ", b"ID3", b"BZh", b"OggS", b"fLaC", b"wOFF", b"wOF2"))
_WILDCARD = 0x100  # stands for U+FFFD: a byte that was lost in decoding


def _prefix_codes(text: str, size: int = 16) -> list[int]:
    """The byte values the first characters of ``text`` were decoded from, as far as known."""
    codes = []
    for char in text[:size]:
        point = ord(char)
        if point == 0xFFFD:
            codes.append(_WILDCARD)
        elif point < 0x100:
            codes.append(point)
        else:
            try:
                codes.append(char.encode("cp1252")[0])
            except UnicodeEncodeError:
                codes.append(-1)  # cannot come from a single byte
    return codes


def binary_kind(data: bytes | str) -> str | None:
    """What non-HTML file ``data`` starts like ("a PDF document"), or None."""
    # a signature sits at the very start; a little leading whitespace is tolerated
    if isinstance(data, str):
        codes = _prefix_codes(data[:64].lstrip("\ufeff \t\r\n"), 16)
    else:
        codes = list(data[:64].lstrip(b" \t\r\n")[:16])
    for signature, kind in SIGNATURES:
        if len(codes) >= len(signature) and all(
            code in (byte, _WILDCARD) for code, byte in zip(codes, signature, strict=False)
        ):
            if signature in _WEAK and _looks_textual(codes):
                continue
            return kind
    # ISO media (MP4, MOV, HEIC, AVIF): a box size, then "ftyp"
    if len(codes) >= 8 and codes[4:8] == list(b"ftyp"):
        return "an MP4/HEIF media file"
    if (
        len(codes) >= 12
        and codes[0:4] == list(b"RIFF")
        and codes[8:12]
        in (
            list(b"WEBP"),
            list(b"WAVE"),
            list(b"AVI "),
        )
    ):
        return "a RIFF media file (WebP/WAV/AVI)"
    return None


def _looks_textual(codes: list[int]) -> bool:
    return all(32 <= code < 127 or code in (9, 10, 13) for code in codes)


# Control characters that never belong in a web page; \t \n \r and form feed are left alone.
# Counted as UTF-8 bytes: a byte below 0x80 is always a character of its own in UTF-8, and
# numpy compares a page's bytes a hundred times faster than a regular expression reads text
# that holds characters beyond Latin-1 (and three times faster than bytes.translate deletes).
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_C0_CONTROLS = np.zeros(0x20, dtype=bool)  # the C0 bytes among _CONTROL_BYTES (all but 0x7F)
_C0_CONTROLS[list(_CONTROL_BYTES[:-1])] = True
_SAMPLE = 65_536


def samples(text: str) -> list[str]:
    """Up to three slices of ``text`` (start, middle, end) that stand for the whole."""
    if len(text) <= 3 * _SAMPLE:
        return [text]
    middle = len(text) // 2
    return [text[:_SAMPLE], text[middle : middle + _SAMPLE], text[-_SAMPLE:]]


class Sample(NamedTuple):
    """The slices of a text that stand for it (``samples``), and each of them as UTF-8."""

    parts: list[str]
    data: list[bytes]


def sample(text: str, encoded: bytes | None = None) -> Sample:
    """``text``'s samples and their UTF-8; ``encoded`` is ``text`` as UTF-8 when the caller has
    it. Taken once for ``control_share`` and ``readability``, which read the same samples."""
    parts = samples(text)
    return Sample(parts, _encoded_samples(parts, encoded))


def control_share(
    text: str, encoded: bytes | None = None, *, taken: Sample | None = None
) -> tuple[float, float]:
    """(share of NUL characters, share of all control characters) in a sample of ``text``;
    ``encoded`` is ``text`` as UTF-8 when the caller has it, ``taken`` its sample."""
    parts, encoded_parts = taken if taken is not None else sample(text, encoded)
    total = sum(len(part) for part in parts) or 1
    nuls = controls = 0
    for data in encoded_parts:
        values = as_array(data)
        c0 = values[values < 0x20]  # a few: nearly all newlines (NUL is a byte of its own too)
        nuls += int(np.count_nonzero(c0 == 0))
        controls += int(np.count_nonzero(_C0_CONTROLS[c0])) + int(np.count_nonzero(values == 0x7F))
    return nuls / total, controls / total


def as_array(data: bytes) -> npt.NDArray[np.uint8]:
    """The bytes of ``data`` as a numpy array (no copy)."""
    return np.frombuffer(data, dtype=np.uint8)


def utf8(text: str) -> bytes:
    """``text`` as UTF-8, lone surrogates included (as their three bytes)."""
    return text.encode("utf-8", "surrogatepass")


def _encoded_samples(parts: list[str], encoded: bytes | None) -> list[bytes]:
    """The samples as UTF-8: the caller's encoding when the one sample is the whole text."""
    if encoded is not None and len(parts) == 1:
        return [encoded]
    return [utf8(part) for part in parts]


# UTF-8 read as cp1252 (or Latin-1): each multi-byte sequence becomes a lead letter from
# U+00C2..U+00F4 followed by one to three characters standing for the bytes 0x80..0xBF.
def _continuation_chars() -> dict[str, int]:
    chars = {}
    for byte in range(0x80, 0xC0):
        chars[chr(byte)] = byte  # Latin-1 reading (C1 controls for 0x80..0x9F)
        try:
            chars[bytes([byte]).decode("cp1252")] = byte
        except UnicodeDecodeError:
            pass  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined in cp1252
    return chars


_CONTINUATION = _continuation_chars()
_BYTE_OF = {**_CONTINUATION, **{chr(b): b for b in range(0xC2, 0xF5)}}
# U+FFFD stands for a continuation byte that cp1252 could not map (0x81, 0x8D, 0x8F, 0x90,
# 0x9D): such a sequence is found, but cannot be turned back.
_CONT_CLASS = "[" + "".join(re.escape(c) for c in sorted(_CONTINUATION)) + "\ufffd]"
MOJIBAKE = re.compile(
    f"[\u00c2-\u00df]{_CONT_CLASS}|[\u00e0-\u00ef]{_CONT_CLASS}{{2}}|[\u00f0-\u00f4]{_CONT_CLASS}{{3}}"
)
# Where MOJIBAKE can match at all: a lead letter followed by a continuation character, as
# UTF-8 bytes. Its literal first byte lets the regular expression engine skip through a page
# at memchr speed, where MOJIBAKE itself tries its three branches at every character.
_SEQUENCE_START = re.compile(
    b"\xc3[\x82-\xb4](?:"
    + b"|".join(re.escape(c.encode("utf-8")) for c in sorted({*_CONTINUATION, "\ufffd"}))
    + b")"
)
# A page is mojibake when at least this many sequences make up at least this share of its
# non-ASCII characters. A double-encoded page is close to 100%; a correct page that quotes a
# few sequences (an article about mojibake) stays far below.
MIN_BAD = 3
BAD_SHARE = 0.5
LOST_SHARE = 0.25  # U+FFFD: a quarter of the non-ASCII text lost is too much to keep


def _plausible(char: str) -> bool:
    """A character that text is made of: not a control, private-use or unassigned code point,
    and not a combining mark outside the common diacritics (German "ß«" would decode to one)."""
    category = unicodedata.category(char)
    if category[0] in "LNPS" or category == "Zs":
        return True
    return category == "Mn" and 0x300 <= ord(char) < 0x370


def undo_sequence(sequence: str) -> str | None:
    """The character a UTF-8-read-as-cp1252 sequence stands for, or None if it stands for none."""
    try:
        char = bytes(_BYTE_OF[c] for c in sequence).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return None
    return char if _plausible(char) else None


@dataclass
class Readability:
    """How much of a text's non-ASCII is broken: double-encoded UTF-8 and lost characters."""

    non_ascii: int = 0
    double_encoded: int = 0  # characters inside UTF-8-read-as-cp1252 sequences
    sequences: int = 0  # sequences that can be turned back into a character
    broken: int = 0  # sequences whose continuation was lost (U+FFFD)
    replacement: int = 0  # U+FFFD

    @property
    def mojibake(self) -> bool:
        """Whether double-encoded UTF-8 dominates the non-ASCII text."""
        return (
            self.sequences + self.broken >= MIN_BAD
            and self.double_encoded >= BAD_SHARE * self.non_ascii
        )

    @property
    def lossy(self) -> bool:
        """Whether many characters were lost (U+FFFD) when the bytes were decoded."""
        return self.replacement >= MIN_BAD and self.replacement >= LOST_SHARE * self.non_ascii


def readability(
    text: str, encoded: bytes | None = None, *, taken: Sample | None = None
) -> Readability:
    """Measure the mojibake in ``text`` (in samples of it, when it is long); ``encoded`` is
    ``text`` as UTF-8 when the caller has it, ``taken`` its sample."""
    result = Readability()
    parts, encoded_parts = taken if taken is not None else sample(text, encoded)
    for part, data in zip(parts, encoded_parts, strict=True):
        if part.isascii():
            continue
        # the characters but those written as one byte (each ASCII character, and only those)
        result.non_ascii += len(part) - len(data) + int(np.count_nonzero(as_array(data) >= 0x80))
        result.replacement += part.count("\ufffd")
        if not _SEQUENCE_START.search(data):
            continue  # no sequence anywhere: the usual case, found without MOJIBAKE
        for sequence in MOJIBAKE.findall(part):
            if "\ufffd" in sequence:
                result.broken += 1
            elif undo_sequence(sequence) is not None:
                result.sequences += 1
            else:
                continue
            result.double_encoded += len(sequence)
    return result


def _undo(match: re.Match[str]) -> str:
    return undo_sequence(match.group()) or match.group()


# After a repair, a lead letter left next to a non-Latin letter is the rest of a sequence whose
# continuation byte was dropped ("Ñ люблю" for "я люблю"): the text cannot be fully recovered.
_RESIDUE = re.compile(
    r"[\u00c2-\u00f4](?=[^\W\u0000-\u024f])|(?<=[^\W\u0000-\u024f])[\u00c2-\u00f4]"
)


def residue(text: str) -> int:
    """How many lone lead letters of double-encoded UTF-8 sit among non-Latin letters."""
    return sum(len(_RESIDUE.findall(part)) for part in samples(text))


def repair_double_encoding(text: str) -> str:
    """``text`` with every UTF-8-read-as-cp1252 sequence turned back into its character.

    Only call this on text that ``readability`` found to be mojibake: a correct page can hold
    a sequence on purpose (an article about mojibake).
    """
    return MOJIBAKE.sub(_undo, text)


# Character categories that do not occur in prose in any quantity: controls, private use,
# unassigned, surrogates, and the replacement character counted on its own.
_JUNK_CATEGORIES = frozenset(("Cc", "Co", "Cn", "Cs"))
JUNK_SHARE = 0.1
_LONG_TOKEN = 60
_LONG_ASCII_TOKEN = re.compile(rf"[A-Za-z0-9+/=_-]{{{_LONG_TOKEN},}}")
TOKEN_SHARE = 0.5


def junk_reason(text: str) -> str | None:
    """Why ``text`` is not prose (binary residue, base64, hex dumps), or None when it may be."""
    head = text[: 2 * _SAMPLE]
    words = head.split()
    joined = "".join(words)
    sample = joined[:_SAMPLE]
    if not sample:
        return None
    junk = _junk_count(sample)
    if junk > JUNK_SHARE * len(sample):
        return f"{junk} of {len(sample)} characters are control or unprintable characters"
    # a long token never spans whitespace, so it lies inside one of the words
    if max(map(len, words)) >= _LONG_TOKEN:
        in_tokens = sum(len(m) for m in _LONG_ASCII_TOKEN.findall(head))
        if in_tokens > TOKEN_SHARE * len(joined):
            return "it is mostly long unbroken tokens (encoded data, not text)"
    return None


def _junk_count(sample: str) -> int:
    """How many characters of ``sample`` (no whitespace in it) are U+FFFD or of a junk category.

    Without whitespace, ``str.isprintable`` is false exactly for the categories Cc, Cf, Cs, Co
    and Cn, so printable text (nearly every body) only needs its U+FFFD counted; otherwise each
    distinct character is looked up once, not each character.
    """
    if sample.isprintable():
        return sample.count("\ufffd")
    return sum(
        sample.count(char)
        for char in set(sample)
        if char == "\ufffd" or unicodedata.category(char) in _JUNK_CATEGORIES
    )


# What servers, CDNs and CMSs show instead of an article. Matched only against short pages (see
# guard.check_article), so an article *about* a 404 error or a denied visa is never caught.
ERROR_MAX_WORDS_HEADLINE = 300
ERROR_MAX_WORDS_BODY = 150
_STATUS = r"(?:400|401|403|404|410|429|451|500|502|503|504)"
_STATUS_WORDS = (
    r"error|not\s+found|forbidden|unauthori[sz]ed|gone|service\s+unavailable|internal\s+server"
    r"|bad\s+gateway|gateway\s+time-?out|too\s+many\s+requests|page\s+not\s+found"
    r"|seite\s+nicht\s+gefunden|page\s+introuvable|p[áa]gina\s+no\s+encontrada"
)
ERROR_HEADLINES = re.compile(
    rf"^\W*(?:http\s*)?(?:error|fehler|erreur|errore|código|code)\s*[:#-]?\s*{_STATUS}\b"
    rf"|^\W*{_STATUS}\s*[-:|–—.]?\s*(?:{_STATUS_WORDS}|\W*$)"
    r"|\b(?:page|file|article|content|story|url|document)\s+(?:was\s+)?not\s+found\b"
    r"|^\W*(?:not\s+found|access\s+denied|forbidden|unauthori[sz]ed|service\s+unavailable"
    r"|internal\s+server\s+error|bad\s+gateway|gateway\s+time-?out|too\s+many\s+requests"
    r"|just\s+a\s+moment|attention\s+required|security\s+check|one\s+more\s+step"
    r"|are\s+you\s+a\s+robot|verify\s+you\s+are\s+(?:a\s+)?human|request\s+blocked"
    r"|page\s+(?:unavailable|does\s*n[o']t\s+exist))\W*$"
    r"|seite\s+(?:wurde\s+)?nicht\s+gefunden|page\s+(?:introuvable|non\s+trouv[ée]e)"
    r"|p[áa]gina\s+(?:no\s+encontrada|n[ãa]o\s+encontrada)|pagina\s+non\s+trovata"
    r"|pagina\s+niet\s+gevonden|sidan\s+(?:kunde\s+inte\s+hittas|hittades\s+inte)"
    r"|strona\s+nie\s+(?:zosta[łl]a\s+znaleziona|istnieje)|стр[аa]ница\s+не\s+найдена"
    r"|ページが見つかりません|页面不存在|找不到(?:该)?页面|页面未找到|페이지를\s*찾을\s*수\s*없습니다",
    re.IGNORECASE,
)
ERROR_BODIES = re.compile(
    r"\b(?:page|article|url|content)\b[^.!?]{0,80}?\b(?:can\s*not|can'?t|could\s*not|couldn'?t)"
    r"\s+be\s+(?:found|located|displayed)"
    r"|\b(?:page|article|url)\b[^.!?]{0,80}?\b(?:does\s*not|doesn'?t|no\s+longer)\s+exists?"
    r"|\bwe\s+(?:can\s*not|can'?t|could\s*not|couldn'?t)\s+find\s+(?:the|that|this|your)\s+page"
    r"|\bthe\s+requested\s+url\b[^.!?]{0,200}?\bwas\s+not\s+found"
    r"|\byou\s+(?:don'?t|do\s+not)\s+have\s+permission\s+to\s+access"
    r"|\baccess\s+to\s+this\s+(?:page|resource|site)\s+has\s+been\s+denied"
    r"|\bchecking\s+(?:if\s+the\s+site\s+connection\s+is\s+secure|your\s+browser)"
    r"|\b(?:ray|reference|incident)\s+id\s*[:#]"
    r"|\bthis\s+(?:page|site)\s+(?:is\s+)?(?:temporarily\s+)?(?:unavailable|down\s+for\s+maintenance)"
    r"|die\s+(?:angeforderte\s+)?seite\s+(?:konnte\s+nicht\s+gefunden|existiert\s+nicht)"
    r"|la\s+page\s+(?:demand[ée]e\s+)?(?:n'existe\s+pas|est\s+introuvable)"
    r"|la\s+p[áa]gina\s+(?:que\s+buscas\s+)?no\s+(?:existe|se\s+encuentra)",
    re.IGNORECASE,
)


def error_page_phrase(headline: str, body: str, *, body_words: int) -> str | None:
    """The error-page wording of a short page's headline or body, or None.

    A headline that reads as an error counts on pages of up to ``ERROR_MAX_WORDS_HEADLINE``
    words (soft-404 pages often list related links under the message); error wording in the
    body counts on pages of up to ``ERROR_MAX_WORDS_BODY`` words.
    """
    checks = (
        (ERROR_HEADLINES, headline, ERROR_MAX_WORDS_HEADLINE),
        (ERROR_BODIES, body[:2000], ERROR_MAX_WORDS_BODY),
    )
    for pattern, text, max_words in checks:
        if body_words <= max_words:
            match = pattern.search(text)
            if match:
                return " ".join(match.group().split())
    return None
