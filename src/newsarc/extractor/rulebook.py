"""What a boilerplate rule is: the paragraph it matches, where in a body it applies, how long a
paragraph it looks at, and the cheap hints that spare its regular expression. The rules
themselves are in ``boilerplate``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Where(Enum):
    """Which paragraphs a rule may remove."""

    ANYWHERE = "anywhere"
    HEAD = "head"  # within the first few paragraphs
    TAIL = "tail"  # within the last few paragraphs
    EDGES = "edges"  # head or tail


EDGE = 3  # how many paragraphs count as the head or the tail of a body


@dataclass(frozen=True)
class Rule:
    """One kind of boilerplate paragraph."""

    name: str
    description: str
    pattern: re.Pattern[str]  # must match the whole (stripped) paragraph
    where: Where = Where.ANYWHERE
    max_words: int = 30  # a longer paragraph is body text whatever it starts with
    heads_list: bool = False  # a label over a list of headline links
    # A TAIL rule whose last lines may be followed by a list of short lines (an offer and its
    # benefits): the tail is counted before that list.
    list_tail: bool = False
    # Rules right after whose lines (or their list) this one applies wherever it is: the
    # offer after a paywall's prompt, in a box between a teaser and the full text.
    after: tuple[str, ...] = ()
    # Lower-case words of which a matching paragraph contains at least one: a cheap test that
    # spares the regular expression on most paragraphs.
    hints: tuple[str, ...] = ()

    def matches(self, paragraph: str, index: int, total: int, words: int | None = None) -> bool:
        """Whether this rule removes ``paragraph``, the ``index``-th of ``total``."""
        head, tail = index < EDGE, index >= total - EDGE
        if self.where is Where.HEAD and not head or self.where is Where.TAIL and not tail:
            return False
        if self.where is Where.EDGES and not (head or tail):
            return False
        if (len(paragraph.split()) if words is None else words) > self.max_words:
            return False
        if self.hints:
            lowered = paragraph.casefold()
            if not any(hint in lowered for hint in self.hints):
                return False
        return self.pattern.fullmatch(paragraph) is not None


def rx(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """A rule's pattern: case-insensitive, and ``.`` also matches a line break."""
    return re.compile(pattern, flags | re.DOTALL)
