"""Chinese, Japanese, Korean and Thai-like text as overlapping character bigrams.

FTS5's unicode61 tokenizer splits on spaces and punctuation only, so a run of Chinese,
Japanese, Thai, Lao, Khmer or Myanmar text (written without spaces between words) becomes one
long token and no word inside it can be found; Thai and its neighbours are also cut at every
vowel sign. The ``articles_cjk`` index therefore holds every run of these scripts (named "CJK"
throughout, for the first three) as overlapping bigrams of code points ("東京都庁" -> "東京 京都
都庁") plus the run's last character alone, so that:

- a query run of 2+ characters is the phrase of its bigrams (a substring match);
- a 1-character query is the prefix query ``"東" *`` (bigrams starting with it, or the
  final single character of a run).

The index is contentless, maintained by the store: deleting a row from it needs exactly the
tokens that were inserted, so :func:`index_text` must never change without a migration that
rebuilds ``articles_cjk`` ("delete-all", then re-insert).
"""

from __future__ import annotations

import functools
import re

# Thai, Lao, Myanmar, Hangul Jamo, Khmer, the ideographic iteration and closing marks (々〆〇),
# kana, Hangul compatibility Jamo, CJK extension A, unified ideographs, Hangul syllables and
# Jamo extensions, compatibility ideographs, half-width katakana, and the supplementary
# ideograph planes. (Korean is written with spaces, but its particles attach to the word.)
CJK_CLASS = (
    "\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff"
    "\u3005-\u3007\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003134f"
)
# Below the first CJK code point nothing can match: text without any character from there up
# (ASCII, most Latin, Greek, Cyrillic, Arabic and Indic text without typographic quotes or
# dashes) skips the CJK expression, whose compilation alone costs milliseconds.
_BEYOND_FIRST = "[\u0e00-\U0010ffff]"
_PATTERNS = {"run": f"[{CJK_CLASS}]+", "char": f"[{CJK_CLASS}]", "beyond": _BEYOND_FIRST}


@functools.cache
def _pattern(kind: str) -> re.Pattern[str]:
    return re.compile(_PATTERNS[kind])


def _may_have_cjk(text: str) -> bool:
    # isascii() is a flag lookup and the one-range search stops at the first hit; max(text)
    # boxed every character (50 us a news body, twice for every article a batch stores).
    return not text.isascii() and _pattern("beyond").search(text) is not None


def has_cjk(text: str) -> bool:
    """True when ``text`` contains at least one CJK character."""
    return _may_have_cjk(text) and _pattern("char").search(text) is not None


def cjk_runs(text: str) -> list[str]:
    """The maximal runs of CJK characters in ``text``, in order."""
    return _pattern("run").findall(text) if _may_have_cjk(text) else []


def without_cjk(text: str) -> str:
    """``text`` with every CJK run replaced by a space."""
    return _pattern("run").sub(" ", text) if _may_have_cjk(text) else text


def run_tokens(run: str) -> list[str]:
    """The overlapping bigrams of one CJK run, then its last character alone."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def index_text(text: str) -> str:
    """What ``articles_cjk`` stores for a headline or body: CJK bigram tokens only."""
    return " ".join(token for run in cjk_runs(text) for token in run_tokens(run))


def query_tokens(run: str) -> list[str]:
    """The bigrams a query run must match, as consecutive tokens (a phrase)."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]
