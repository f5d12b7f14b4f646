"""Matching a body's paragraphs against the boilerplate rules (``boilerplate.RULES``): which
rule removes a paragraph at its place in the body, and which rule goes on removing the lines
after a removed label. Every paragraph of every page comes through here, so the rules are
sorted ahead by the word counts and places they look at.
"""

from __future__ import annotations

from newsarc.extractor.boilerplate import RULES
from newsarc.extractor.rulebook import EDGE, Rule, Where

_RULES_BY_NAME = {rule.name: rule for rule in RULES}


def rule(name: str) -> Rule:
    """The rule called ``name`` (KeyError if there is none)."""
    return _RULES_BY_NAME[name]


_LONGEST = max(r.max_words for r in RULES)
# The rules that may also apply beyond their place (``Rule.list_tail``, ``Rule.after``).
_FOLLOWERS = tuple(r for r in RULES if r.list_tail or r.after)


def following_rule(paragraph: str, previous: Rule | None, in_list_tail: bool) -> Rule | None:
    """The rule that removes ``paragraph`` beyond its usual place: a ``list_tail`` rule when
    ``paragraph`` is in the tail counted before a final list of short lines, or a rule that
    follows ``previous``, the rule that removed the paragraph before (or its list)."""
    for candidate in _FOLLOWERS:
        allowed = in_list_tail and candidate.list_tail
        if allowed or (previous is not None and previous.name in candidate.after):
            if candidate.matches(paragraph, 0, 1):  # the first of one: at the head and the tail
                return candidate
    return None


def _applies(where: Where, head: bool, tail: bool) -> bool:
    """Whether a rule for ``where`` looks at a paragraph at the head and/or tail of a body."""
    if where is Where.HEAD:
        return head
    if where is Where.TAIL:
        return tail
    return where is Where.ANYWHERE or head or tail


# Every paragraph of every page goes through the rules and almost none matches, so
# matching_rule does what Rule.matches does for each rule in order, inlined: for each word
# count and place (at the head, at the tail), the rules that look at such a paragraph, with
# their parts unpacked.
_RULES_BY_PLACE = {
    (words, head, tail): tuple(
        (r, r.hints, r.pattern.fullmatch)
        for r in RULES
        if r.max_words >= words and _applies(r.where, head, tail)
    )
    for words in range(_LONGEST + 1)
    for head in (False, True)
    for tail in (False, True)
}


def matching_rule(paragraph: str, index: int, total: int) -> Rule | None:
    """The first rule that removes ``paragraph`` (the ``index``-th of ``total``), if any."""
    text = paragraph.strip()
    words = len(text.split(None, _LONGEST))  # past _LONGEST words, the exact count is not needed
    if not text or words > _LONGEST:
        return None
    lowered = None  # case-folded when a rule with hints is reached
    for candidate, hints, fullmatch in _RULES_BY_PLACE[words, index < EDGE, index >= total - EDGE]:
        if hints:
            if lowered is None:
                lowered = text.casefold()
            for hint in hints:  # a plain loop: a generator costs more than the tests
                if hint in lowered:
                    break
            else:
                continue
        if fullmatch(text) is not None:
            return candidate
    return None
