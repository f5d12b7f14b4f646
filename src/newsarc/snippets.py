"""Snippets made in Python, marking the words the indexes matched: whole words, as FTS5 does.

FTS5's snippet() marks tokens of the stored body only. A word matched through the body's search
form (newsarc.store.searchforms: "strasse" for "Straße", "G7" in "G7峰会") or through the CJK
bigram index is not marked by it, so newsarc.search makes those snippets here. They must agree
with the index, or they mark what did not match ("er" inside "meddeler", "мой" for "мои"):

- words are cut as the main index's unicode61 cuts them (newsarc.store.tokenizers): runs of
  letters, digits, private-use characters, spacing marks and the Indic vowel signs, which may
  carry the combining accents unicode61 drops inside a word ("e" + U+0301);
- a word is folded as the index folds it: width (NFKC) and the letters of
  newsarc.store.folding, then case, and accents of Latin letters only (é = e, but й stays й);
- a query word matches whole words (a prefix term: words starting with it), and a phrase
  consecutive words;
- runs of the bigram scripts (newsarc.store.cjk) are matched as written, anywhere in a run, as
  their bigram index does; they are no part of the words around them.

The first hit is looked for word by word without folding the whole text: most words are ASCII
and need only ``str.lower``, and only words whose folded start could begin a needle are folded
whole.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from newsarc.store.cjk import cjk_runs, has_cjk, without_cjk
from newsarc.store.folding import folded
from newsarc.store.searchforms import width_folded
from newsarc.store.tokenizers import INDIC_MARKS

# Combining accents unicode61 keeps inside a word and then drops (its "diacritic" code points:
# "Cafe\u0301" is the one word "cafe"); elsewhere they separate words, as other marks do.
ABSORBED = (
    "\u0300\u0301\u0302\u0303\u0304\u0306\u0307\u0308\u0309\u030a\u030b\u030c\u030f\u0311"
    "\u031b\u0323\u0324\u0325\u0326\u0327\u0328\u032d\u032e\u0330\u0331"
)
# Latin letters with accents that SQLite's diacritic table (fts5_unicode2.c) leaves as they are.
_KEPT = {"ǡ": "ǡ", "Ǡ": "ǡ"}
# neither ASCII nor space nor a letter or digit
_EXOTIC = r"[^\w\s\x00-\x7f]"
_MARGIN = 64  # characters read on either side of a snippet's window


# One query word: its folded words in order (a phrase) and whether the last is a prefix. Plain
# tuples and a slotted class: a NamedTuple costs 0.2 ms of every `newsarc search` start.
Needle = tuple[tuple[str, ...], bool]


class Needles:
    """What a snippet marks: words of the main index, and runs of the bigram scripts."""

    __slots__ = ("words", "runs")

    def __init__(self, words: tuple[Needle, ...], runs: tuple[str, ...]) -> None:
        self.words = words
        self.runs = runs

    def size(self) -> int:
        """How many needles there are (words and runs)."""
        return len(self.words) + len(self.runs)


def needles(words: tuple[str, ...]) -> Needles:
    """The query's words (newsarc.query.Plan.words: a prefix term ends in "*") as needles."""
    found: dict[Needle, None] = {}
    runs: dict[str, None] = {}
    for word in words:
        prefix = word.endswith("*")
        text = word.rstrip("*")
        for run in cjk_runs(text):
            runs[run] = None
        # a term with CJK is one FTS5 string per space-separated piece (newsarc.query)
        pieces = without_cjk(text).split() if has_cjk(text) else [text]
        for n, piece in enumerate(pieces):
            tokens = tuple(fold(t) for t, _, _ in tokens_of(piece))
            if tokens:
                found[(tokens, prefix and n == len(pieces) - 1)] = None
    return Needles(tuple(found), tuple(runs))


def spans(text: str, needles: Needles) -> Iterator[tuple[int, int, int]]:
    """(start, end, needle number) of each match in ``text``, in order of start; needle numbers
    count the word needles first, then the runs."""
    yield from _merged(_word_spans(text, needles.words), _run_spans(text, needles))


def make_snippet(
    text: str, words: tuple[str, ...], highlight: tuple[str, str], width: int = 160
) -> str:
    """A window of ``text`` around the first of ``words`` found, each match marked; the start of
    ``text`` when none is in it (the article matched elsewhere: its headline)."""
    return snippet(text, needles(words), highlight, width)


def snippet(text: str, wanted: Needles, highlight: tuple[str, str], width: int = 160) -> str:
    """:func:`make_snippet` for needles made once for many texts."""
    text = " ".join(text.split())
    first = next(spans(text, wanted), None) if wanted.size() else None
    start = 0 if first is None else max(0, first[0] - width // 3)
    if start and not has_cjk(text[start]):
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    stop = start + width
    window = text[start:stop]
    pieces, last = [], 0
    if first is not None:
        # the words around the window too, so that a word it cuts is not taken for a whole one
        around = max(0, start - _MARGIN)
        for begin, end, _ in spans(text[around : stop + _MARGIN], wanted):
            begin, end = begin + around - start, end + around - start
            if begin < last or end > width:
                continue
            pieces += [window[last:begin], highlight[0], window[begin:end], highlight[1]]
            last = end
    pieces.append(window[last:])
    return ("…" if start else "") + "".join(pieces) + ("…" if stop < len(text) else "")


def marked(snippet: str, wanted: Needles, highlight: tuple[str, str]) -> set[int]:
    """The numbers of the needles whose first word (or run) is inside a marked stretch of
    ``snippet``: FTS5 marks whole words, phrases as one stretch."""
    stretches = _marks(highlight).findall(snippet)
    words: set[str] = set()
    for stretch in stretches:
        if stretch.isascii():  # most: a word FTS5 marked in an ASCII text
            words.update(_token_pattern("").findall(stretch.lower()))
        else:
            words.update(fold(word) for word, _, _ in tokens_of(stretch))
    found = {
        number
        for number, (phrase, prefix) in enumerate(wanted.words)
        if any(_same(phrase[0], w, prefix and len(phrase) == 1) for w in words)
    }
    offset = len(wanted.words)
    found.update(
        offset + number
        for number, run in enumerate(wanted.runs)
        if any(run in stretch for stretch in stretches)
    )
    return found


def tokens_of(text: str) -> Iterator[tuple[str, int, int]]:
    """The words of ``text`` as the main index cuts them: (word, start, end); runs of the
    bigram scripts are not words of this index."""
    if has_cjk(text):
        text = _blank_runs(text)
    for match in _token_pattern(_extra_word_chars(text)).finditer(text):
        yield match.group(), match.start(), match.end()


def fold(word: str) -> str:
    """A word as the main index holds it (see the module docstring)."""
    if word.isascii():
        return word.lower()
    return folded(width_folded(word)).translate(_UNICODE61)


# -- internals -------------------------------------------------------------------------


def _word_spans(text: str, wanted: tuple[Needle, ...]) -> Iterator[tuple[int, int, int]]:
    if not wanted:
        return
    if has_cjk(text):
        text = _blank_runs(text)
    extra = _extra_word_chars(text)
    words = _token_pattern(extra)
    # Only the words that may fold to a needle's start reach Python: an ASCII first letter
    # must be one of theirs (either case); any other first letter may fold to one.
    heads = "".join(
        sorted({h for phrase, _ in wanted for h in (phrase[0][0], phrase[0][0].upper())})
    )
    for match in _candidate_pattern(extra, heads).finditer(text):
        word = fold(match.group())
        for number, (phrase, prefix) in enumerate(wanted):
            if not _same(phrase[0], word, prefix and len(phrase) == 1):
                continue
            if len(phrase) == 1:
                end: int | None = match.end()
            else:
                end = _phrase_end(text, words, (phrase, prefix), match.end())
            if end is not None:
                yield match.start(), end, number
                break


def _same(needle: str, word: str, prefix: bool) -> bool:
    return word.startswith(needle) if prefix else word == needle


def _phrase_end(text: str, words: re.Pattern[str], needle: Needle, after: int) -> int | None:
    """Where the rest of a phrase ends when the words from ``after`` on are its next words."""
    phrase, prefix = needle
    count = len(phrase)
    for k, match in enumerate(words.finditer(text, after), start=1):
        if not _same(phrase[k], fold(match.group()), prefix and k == count - 1):
            return None
        if k == count - 1:
            return match.end()
    return None


def _run_spans(text: str, wanted: Needles) -> Iterator[tuple[int, int, int]]:
    offset = len(wanted.words)
    for number, run in enumerate(wanted.runs):
        at = text.find(run)
        while at >= 0:
            yield at, at + len(run), offset + number
            at = text.find(run, at + len(run))


def _merged(
    words: Iterator[tuple[int, int, int]], runs: Iterator[tuple[int, int, int]]
) -> Iterator[tuple[int, int, int]]:
    """Word matches come in order; run matches are few (CJK text): sort them in."""
    pending = sorted(runs)
    for span in words:
        while pending and pending[0] < span:
            yield pending.pop(0)
        yield span
    yield from pending


def _blank_runs(text: str) -> str:
    """``text`` with each character of the bigram scripts made a space (same offsets)."""
    pieces = []
    at = 0
    for run in cjk_runs(text):
        where = text.find(run, at)
        pieces += [text[at:where], " " * len(run)]
        at = where + len(run)
    pieces.append(text[at:])
    return "".join(pieces)


def _extra_word_chars(text: str) -> str:
    """The characters of ``text`` that unicode61 counts as parts of words and ``\\w`` does not
    (spacing marks, Indic vowel signs, private use; accents inside a word)."""
    if text.isascii():
        return ""
    return "".join(sorted(c for c in set(re.findall(_EXOTIC, text)) if _is_extra(c)))


@functools.cache
def _is_extra(char: str) -> bool:
    return char in ABSORBED or unicodedata.category(char) in ("Mc", "Co") or char in INDIC_MARKS


@functools.cache
def _token_pattern(extra: str) -> re.Pattern[str]:
    # accents unicode61 absorbs continue a word but never start one
    starting = re.escape("".join(c for c in extra if c not in ABSORBED))
    first = f"(?:[^\\W_]|[{starting}])" if starting else r"[^\W_]"
    rest = f"(?:[^\\W_]|[{re.escape(extra)}])*" if extra else r"[^\W_]*"
    return re.compile(first + rest)


@functools.cache
def _marks(highlight: tuple[str, str]) -> re.Pattern[str]:
    start, end = map(re.escape, highlight)
    return re.compile(f"{start}(.*?){end}", re.DOTALL)


@functools.cache
def _candidate_pattern(extra: str, heads: str) -> re.Pattern[str]:
    """Whole words of :func:`_token_pattern` that start with one of ``heads`` or not ASCII."""
    before = f"(?<![^\\W_])(?<![{re.escape(extra)}])" if extra else r"(?<![^\W_])"
    first = f"(?=[{re.escape(heads)}]|[^\\x00-\\x7f])"
    return re.compile(before + first + _token_pattern(extra).pattern)


class _Folds(dict[int, str]):
    """unicode61's folding of one character, computed on first sight: case, then the accents
    of a Latin letter (a letter whose decomposition is an ASCII letter and marks); the accents
    it keeps inside a word it drops."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in ABSORBED:
            value = ""
        elif char in _KEPT:
            value = _KEPT[char]
        else:
            value = char.casefold()
            if len(value) != 1:
                value = char.lower() if len(char.lower()) == 1 else char
            parts = unicodedata.normalize("NFD", value)
            if len(parts) > 1 and parts[0].isascii() and parts[0].isalpha():
                if all(unicodedata.combining(p) for p in parts[1:]):
                    value = parts[0].lower()
        self[code] = value
        return value


_UNICODE61 = _Folds()
