"""Finding where extracted paragraphs came from in the page, and the container of the body.

trafilatura returns text without references into the page. To reason about layout (is this
paragraph inside the article's container or in a sidebar? is there more story text next to the
container it took?) we look each paragraph up again: a probe taken from the paragraph is searched
among the page's text nodes, and the block element holding the match is the paragraph's source.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

import lxml.etree
import lxml.html

BLOCK_TAGS = frozenset(
    "p div li h1 h2 h3 h4 h5 h6 blockquote pre td th dd dt figcaption section article main "
    "aside header footer ul ol dl table tr form center body".split()
)
_PROBE_CHARS = 32  # long enough to be unique on a page, short enough to sit in one text node
# The text nodes searched: the body's, outside scripts, styles, noscripts and templates.
_TEXTS = lxml.etree.XPath(
    "//body//text()[normalize-space()][not(parent::script or parent::style or parent::noscript "
    "or parent::template)]"
)
# The same nodes read from the <body> down: "//body//" walks the whole page to find the body and
# merges the node sets of every element on the way, a sixth of the cost on real pages. The test
# of their parent is made in Python (_text_nodes) on the few nodes with text: in the XPath, its
# four parent steps for every text node cost as much as the rest of it.
_BODY_TEXTS = lxml.etree.XPath("descendant::text()[normalize-space()]")
_INVISIBLE = frozenset({"script", "style", "noscript", "template"})


def _probes(paragraph: str) -> list[str]:
    """Substrings to search for: the start, then windows further in (inline markup may split
    the start of a paragraph over several text nodes)."""
    # List items come out of the extractor with a "- " marker the page does not have.
    text = " ".join(paragraph.split()).removeprefix("- ")
    if len(text) <= _PROBE_CHARS:
        return [text] if len(text) >= 12 else []
    starts = [0, len(text) // 2, max(0, len(text) - _PROBE_CHARS - 1)]
    probes = []
    for start in starts:
        # Begin and end on word boundaries so the probe never straddles an inline tag mid-word.
        begin = text.find(" ", start) + 1 if start else 0
        chunk = text[begin : begin + _PROBE_CHARS]
        chunk = chunk.rsplit(" ", 1)[0] if " " in chunk else chunk
        if len(chunk) >= 12 and chunk not in probes:
            probes.append(chunk)
    return probes


def block_of(element: lxml.html.HtmlElement | None) -> lxml.html.HtmlElement | None:
    """The nearest block-level element at or above ``element``."""
    while element is not None and element.tag not in BLOCK_TAGS:
        element = element.getparent()
    return element


class SourceMap:
    """The page's visible text nodes, searchable for where a paragraph came from."""

    def __init__(
        self, tree: lxml.html.HtmlElement, bodies: Sequence[lxml.html.HtmlElement] | None = None
    ) -> None:
        """``bodies`` are the page's ``<body>`` elements, when the caller has them."""
        self._nodes: list[Any] = []
        self._starts: list[int] = []
        parts: list[str] = []
        offset = 0
        for node in _text_nodes(tree, bodies):
            text = " ".join(node.split())
            if text:
                self._nodes.append(node)
                self._starts.append(offset)
                parts.append(text)
                offset += len(text) + 1
        # One string with a newline between nodes: a probe (which has no newline) found in it
        # lies within a single text node.
        self._text = "\n".join(parts)

    def locate(self, paragraph: str) -> lxml.html.HtmlElement | None:
        """The block element that holds ``paragraph`` (None when it cannot be found)."""
        return self.find(paragraph)[0]

    def find(self, paragraph: str, after: int = 0) -> tuple[lxml.html.HtmlElement | None, int]:
        """The block holding ``paragraph`` and the offset of the match, looking first past
        ``after`` (so a repeated text is found where it repeats); (None, after) if not found."""
        for probe in _probes(paragraph):
            at = self._text.find(probe, after)
            if at == -1 and after:
                at = self._text.find(probe)
            if at == -1:
                continue
            return self._block_at(at), at
        return None, after

    def find_all(self, paragraph: str, limit: int = 5) -> list[lxml.html.HtmlElement]:
        """The blocks of up to ``limit`` places where the start of ``paragraph`` occurs."""
        for probe in _probes(paragraph)[:1]:
            found: list[lxml.html.HtmlElement] = []
            at = self._text.find(probe)
            while at != -1 and len(found) < limit:
                block = self._block_at(at)
                if block is not None:
                    found.append(block)
                at = self._text.find(probe, at + 1)
            return found
        return []

    def _block_at(self, offset: int) -> lxml.html.HtmlElement | None:
        node = self._nodes[bisect_right(self._starts, offset) - 1]
        owner = node.getparent()
        if owner is not None and node.is_tail:
            owner = owner.getparent()
        return block_of(owner)


def _text_nodes(
    tree: lxml.html.HtmlElement, bodies: Sequence[lxml.html.HtmlElement] | None = None
) -> list[Any]:
    """The text nodes of ``_TEXTS``, in page order."""
    body = only_body(tree, bodies)
    if body is None:
        return _TEXTS(tree)
    nodes = []
    for node in _BODY_TEXTS(body):
        # the XPath's parent: a tail's is the parent of the element it follows
        parent = node.getparent()
        if node.is_tail:
            parent = parent.getparent()
        if parent.tag not in _INVISIBLE:
            nodes.append(node)
    return nodes


def only_body(
    tree: lxml.html.HtmlElement, bodies: Sequence[lxml.html.HtmlElement] | None = None
) -> lxml.html.HtmlElement | None:
    """The page's ``<body>`` when it has exactly one, as nearly every page does (libxml2 builds
    a second one for a ``<body>`` tag after ``</body>``); the XPaths over ``//body`` answer
    for the others. ``bodies`` are the page's ``<body>`` elements when the caller has them:
    finding them walks the whole tree."""
    if bodies is None:
        bodies = list(tree.iter("body"))
    return bodies[0] if len(bodies) == 1 else None


def ancestors(element: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """``element`` and its ancestors, innermost first."""
    return [element, *element.iterancestors()]


def container(
    elements: Sequence[lxml.html.HtmlElement],
    weights: Sequence[float] | None = None,
    share: float = 0.6,
) -> lxml.html.HtmlElement | None:
    """The innermost element holding at least ``share`` of ``elements`` (their main container),
    each counted with its weight (e.g. its paragraph's length)."""
    if not elements:
        return None
    if weights is None:
        weights = [1.0] * len(elements)
    # Parents, not the blocks themselves: a single paragraph's container is what holds it.
    parents = [e.getparent() if e.getparent() is not None else e for e in elements]
    need = share * sum(weights)
    totals: dict[lxml.html.HtmlElement, float] = {}
    depth: dict[lxml.html.HtmlElement, int] = {}
    for element, weight in zip(parents, weights, strict=True):
        chain = ancestors(element)
        for level, ancestor in enumerate(chain):
            totals[ancestor] = totals.get(ancestor, 0.0) + weight
            depth[ancestor] = len(chain) - level
    best = [e for e, total in totals.items() if total >= need]
    return max(best, key=lambda e: depth[e]) if best else None


def distance(element: lxml.html.HtmlElement, box: lxml.html.HtmlElement) -> int:
    """How many levels above ``box`` the common ancestor of ``element`` and ``box`` sits
    (0 when ``element`` is inside ``box``)."""
    return Distances(box)(element)


class Distances:
    """``distance(element, box)`` for many elements and one ``box``, whose ancestors are
    listed once; each element's are read up to the first they share (the common ancestor)."""

    def __init__(self, box: lxml.html.HtmlElement) -> None:
        self._levels = {ancestor: level for level, ancestor in enumerate(ancestors(box))}

    def __call__(self, element: lxml.html.HtmlElement) -> int:
        levels = self._levels
        if element in levels:
            return levels[element]
        for ancestor in element.iterancestors():
            if ancestor in levels:
                return levels[ancestor]
        return len(levels)
