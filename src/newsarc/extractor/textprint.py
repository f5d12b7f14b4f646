"""Text reduced to its case-folded words, for telling whether two paragraphs, a paragraph and a
title, or a line and a body say the same thing whatever their spacing, case and punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"\w+")
_CACHED_CHARS = 2000  # longer texts (whole bodies) are fingerprinted without keeping them
# How much of a text ``opening`` reads: past a label that paragraphs may share ("Photo: ").
_OPENING = 24
# The start of a text in characters that NFKC and case folding leave as they are or turn into
# other characters outside \w, and that compose with nothing: ASCII, and the no-break space,
# quotation marks, dashes and the ellipsis of typeset text.
_PLAIN_START = re.compile(
    f"[\x00-\x7f\u00a0\u00ab\u00bb\u2010-\u2015\u2018-\u201f\u2026\u2039\u203a]{{0,{_OPENING + 1}}}"
)


def fingerprint(text: str) -> str:
    """Text reduced to case-folded word characters, for comparing paragraphs and titles."""
    # Each paragraph is compared several times (titles, standfirst, repeats, layout checks):
    # the answers for paragraph-sized texts are remembered.
    return _fingerprint(text) if len(text) <= _CACHED_CHARS else _fold(text)


@lru_cache(maxsize=1024)
def _fingerprint(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def opening(text: str) -> str | None:
    """The start of ``fingerprint(text)``, read from the first characters of ``text`` (at most
    ``_OPENING``) as far as they are plain (``_PLAIN_START``); None when it opens otherwise.
    Its last word may be cut short: it is a prefix of the fingerprint all the same.

    What NFKC does to a character may depend on the next (a letter and a combining accent
    compose), so the last plain character counts only when a plain one follows it or the
    text ends there; ASCII is case-folded as ``lower`` does.
    """
    plain = _PLAIN_START.match(text).end()  # type: ignore[union-attr]  # it matches ""
    if plain < len(text):
        plain -= 1
    if plain <= 0:
        return None
    return " ".join(_WORD.findall(text[: min(plain, _OPENING)].lower()))


def apart(a: str | None, b: str | None) -> bool:
    """Whether two texts whose ``opening`` are ``a`` and ``b`` have different fingerprints,
    as their openings show; False when they cannot tell."""
    if a is None or b is None:
        return False
    shorter = min(len(a), len(b))
    return a[:shorter] != b[:shorter]
