"""Text reduced to its case-folded words, for telling whether two paragraphs, a paragraph and a
title, or a line and a body say the same thing whatever their spacing, case and punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"\w+")
_CACHED_CHARS = 2000  # longer texts (whole bodies) are fingerprinted without keeping them


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
