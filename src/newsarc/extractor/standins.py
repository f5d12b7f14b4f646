"""Asides and footers set aside while trafilatura reads the page: it would drop them anyway.

trafilatura copies the tree it is given several times and runs whole-tree XPath prunes over it
(several with regular expressions called back into Python for every element with a class)
before its own cleaning deletes every ``<aside>`` and ``<footer>``. On real news pages a fifth
of the elements left after ``prune.drop_textless`` sit in them, so each of those passes reads
a fifth more than it keeps.

While trafilatura runs, each outermost ``<aside>`` and ``<footer>`` is swapped for an empty
element of the same tag with the same tail text; afterwards the originals go back, so the
rest of the extractor (placing paragraphs, the lead, a copy's "Source link") reads the whole
page. Every step of trafilatura's fast mode that runs before its cleaning, and the page
measure of its recall escalation, deletes or skips an ``<aside>`` or ``<footer>`` as a whole,
so a stand-in changes nothing it extracts (no record of the 218 real dev pages or the
fixtures changed), except on a page with an aside inside an aside (or a footer in a footer).
There trafilatura's cleaning, which deletes while it iterates, stops after deleting the outer
one, and later asides stayed in the body; with stand-ins every one goes, as it does on any
page without the nesting. Two kinds are left alone:

- an element that holds a script (only JSON-LD is left by then): trafilatura's baseline
  reads ``articleBody`` from JSON-LD anywhere on the page, and its forum test the type;
- every one on a page where no ``<p>`` stands outside the elements trafilatura's cleaning
  deletes: there its recall mode keeps them all rather than lose every paragraph.

Not used for trafilatura's full cascade: readability and jusText read the raw tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import lxml.html
from trafilatura.settings import MANUALLY_CLEANED

_SET_ASIDE = ("aside", "footer")


@contextmanager
def furniture_set_aside(tree: lxml.html.HtmlElement) -> Iterator[int]:
    """Within the block, ``tree``'s outermost asides and footers are empty stand-ins; gives
    how many were swapped. The tree is exactly as it was after the block, even on error."""
    swapped = _swap(tree)
    try:
        yield len(swapped)
    finally:
        for parent, stand_in, original in reversed(swapped):
            parent.replace(stand_in, original)  # each takes its own tail along


def _swap(
    tree: lxml.html.HtmlElement,
) -> list[tuple[lxml.html.HtmlElement, lxml.html.HtmlElement, lxml.html.HtmlElement]]:
    found = list(tree.iter(*_SET_ASIDE))
    if not found or not _free_paragraph(tree):
        return []
    chosen = set(found)
    swapped = []
    for element in found:
        parent = element.getparent()
        if parent is None or any(a in chosen for a in element.iterancestors(*_SET_ASIDE)):
            continue
        if element.find(".//script") is not None:
            continue
        stand_in = parent.makeelement(element.tag)
        stand_in.tail = element.tail
        parent.replace(element, stand_in)
        swapped.append((parent, stand_in, element))
    return swapped


def _free_paragraph(tree: lxml.html.HtmlElement) -> bool:
    """Whether some ``<p>`` has no ancestor that trafilatura's cleaning deletes."""
    return any(next(p.iterancestors(*MANUALLY_CLEANED), None) is None for p in tree.iter("p"))
