"""Cleaning the list of body paragraphs: boilerplate rules, lists of links, titles, repeats."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from newsarc.extractor.rulebook import EDGE, Rule
from newsarc.extractor.rulematch import following_rule, matching_rule
from newsarc.extractor.textprint import apart, fingerprint, opening

_LABEL_WORDS = 12  # a kicker or section label above a headline is at most this long
_HEADLINE_WORDS = 20  # a linked headline in a list is at most this long
_MAX_LIST = 15  # a list of links under a label has at most this many items
_SENTENCE_END = re.compile(r"[.!:;…][\"'”’)\]]*$")


def strip_boilerplate(
    paragraphs: Sequence[str],
    *,
    headlines: Iterable[str | None] = (),
    standfirst: str | None = None,
) -> list[str]:
    """The paragraphs of a body without boilerplate lines, a repeated headline or standfirst.

    ``headlines`` (the article headline, the page's ``<h1>`` texts) are removed when a paragraph
    at the start of the body repeats one of them; ``standfirst`` (the page description) when it
    opens the body and is repeated right below; a long paragraph repeated right after itself
    is kept once.
    """
    kept = [p.strip() for p in paragraphs if p.strip()]
    kept = drop_leading_titles(kept, headlines, standfirst)
    # Trailers stack up ("Share this", "Source link"), so the list is re-examined until stable;
    # bounded because every pass that continues removes at least one paragraph.
    for _ in range(len(kept) + 1):
        total = len(kept)
        kept = _apply_rules(kept)
        if len(kept) == total:
            break
    return drop_repeats(kept)


def headline_like(paragraph: str) -> bool:
    """Short and not ending like a sentence: a linked headline rather than body text."""
    # words counted only up to one past the limit
    short = len(paragraph.split(None, _HEADLINE_WORDS)) <= _HEADLINE_WORDS
    return short and not _SENTENCE_END.search(paragraph)


def _apply_rules(paragraphs: list[str]) -> list[str]:
    kept: list[str] = []
    in_list = 0  # items still allowed to be dropped under a list label
    total = len(paragraphs)
    list_tail = total - _short_run(paragraphs) - EDGE  # see Rule.list_tail
    previous: Rule | None = None  # the rule that removed the last paragraph (or its list)
    for index, paragraph in enumerate(paragraphs):
        found = matching_rule(paragraph, index, total) or following_rule(
            paragraph, previous, index >= list_tail
        )
        if found is not None:
            if found.heads_list:
                in_list = _MAX_LIST
            previous = found
            continue
        if in_list and headline_like(paragraph):
            in_list -= 1
            continue
        in_list = 0
        previous = None
        kept.append(paragraph)
    return kept


def _short_run(paragraphs: list[str]) -> int:
    """How many of the last paragraphs, at most ``_MAX_LIST``, are short lines of a list."""
    run = 0
    for paragraph in reversed(paragraphs[-_MAX_LIST:]):
        if not headline_like(paragraph):
            break
        run += 1
    return run


def drop_leading_titles(
    paragraphs: list[str], headlines: Iterable[str | None], standfirst: str | None
) -> list[str]:
    """Drop a headline repeated at the start (and short header lines above it) and a standfirst
    that is repeated in the paragraph below it."""
    titles = {fingerprint(h) for h in headlines if h} - {""}
    for k, paragraph in enumerate(paragraphs[: EDGE + 1]):
        if fingerprint(paragraph) in titles:
            # Whatever sits above a repeated headline is header matter (kicker, section
            # label), provided it is short; a long paragraph above it means the headline is
            # quoted inside the body, so leave everything alone.
            if all(len(p.split()) <= _LABEL_WORDS for p in paragraphs[:k]):
                paragraphs = paragraphs[k + 1 :]
            break
    stand = fingerprint(standfirst or "")
    if stand and paragraphs and fingerprint(paragraphs[0]) == stand:
        if any(stand in fingerprint(p) for p in paragraphs[1 : EDGE + 1]):
            paragraphs = paragraphs[1:]
    return paragraphs


def drop_repeats(paragraphs: list[str], min_words: int = 8) -> list[str]:
    """Drop a paragraph (of at least ``min_words`` words) that repeats the one just before it.

    Twin markup (a mobile and a desktop copy) doubles paragraphs in place; a repeat further
    down is left alone, since interviews repeat their questions.
    """
    kept: list[str] = []
    previous: str | None = None  # the paragraph kept last
    previous_start: str | None = None  # its opening (see textprint.opening)
    previous_key: str | None = None  # its fingerprint, once a paragraph needed it
    for paragraph in paragraphs:
        start = opening(paragraph)
        # fingerprints are taken only for neighbours whose openings do not tell them apart
        if previous is not None and not apart(start, previous_start):
            key = fingerprint(paragraph)
            if previous_key is None:
                previous_key = fingerprint(previous)
            if key == previous_key and len(key.split()) >= min_words:
                continue
            previous_key = key
        else:
            previous_key = None
        previous, previous_start = paragraph, start
        kept.append(paragraph)
    return kept
