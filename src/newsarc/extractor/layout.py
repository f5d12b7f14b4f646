"""Layout checks on an extracted body, using where its paragraphs sit in the page.

- split bodies: some sites cut the story into several sibling containers with ads between them,
  and the extractor keeps only the first; the siblings are merged so a second pass sees it all.
- a dropped lead: loose text at the start of the body's own container that was skipped.
- outliers at the edges: a standfirst or a headline-like line from outside the body's container
  at the top, an "about us" box from outside it at the bottom, sidebar text above the headline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import lxml.etree
import lxml.html

from newsarc.extractor.anchors import BLOCK_TAGS, Distances, SourceMap, container
from newsarc.extractor.paragraphs import headline_like
from newsarc.extractor.rulebook import EDGE
from newsarc.extractor.textprint import fingerprint

_PROSE_WORDS = 15  # a paragraph this long is story text rather than a label or a caption
_LEAD_WORDS = 12  # a lost lead is a sentence of at least this many words
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
# How far above the body container split chunks are looked for: grid layouts wrap each stretch
# of the story in row > column > row > content boxes, so the chunks part five levels up.
_MAX_LEVELS = 5
_CLASS_OVERLAP = 0.6  # class-token overlap (Jaccard) of two chunks of one body
_STANDFIRST_SIMILARITY = 0.9  # word overlap with the page description that makes a standfirst
_TAIL_SHARE = 0.3  # an outlying tail is dropped only when it is a small part of the body
_LINK_LIST_ITEMS = 3  # a trailing list this long, made of links, is a "more stories" box
_LINKY = 0.4  # share of an item's text in links; related-story items often link only part
_LINK_LIST_SHARE = 0.6  # share of such items in the trailing list
_LINK_ROW_SHARE = 0.5  # share of a table row's text in links that makes it a teaser row
_SUBHEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_TITLE_WORDS = 20  # a heading moved along with a split chunk is at most this long
_BREAKS = BLOCK_TAGS | {"br", "img", "hr", "figure", "center", "iframe"}


@dataclass
class Placed:
    """A paragraph and how far outside the body's container it sits (None: not found)."""

    text: str
    distance: int | None
    block: lxml.html.HtmlElement | None = None


def place(
    tree: lxml.html.HtmlElement,
    paragraphs: Sequence[str],
    bodies: Sequence[lxml.html.HtmlElement] | None = None,
) -> tuple[list[Placed], lxml.html.HtmlElement | None]:
    """Locate every paragraph in ``tree``; returns them placed, and the body container.
    ``bodies`` are the page's ``<body>`` elements, when the caller has them."""
    source = SourceMap(tree, bodies)
    blocks: list[lxml.html.HtmlElement | None] = []
    cursor = 0
    for paragraph in paragraphs:
        block, cursor = source.find(paragraph, cursor)
        blocks.append(block)
    box = container([b for b in blocks if b is not None])
    distance = Distances(box) if box is not None else None
    placed = []
    for paragraph, block in zip(paragraphs, blocks, strict=True):
        if block is None or distance is None:
            placed.append(Placed(paragraph, None, block))
            continue
        far = distance(block)
        if far:
            # The same text may also stand inside the container (a standfirst repeated as the
            # lead, which the extractor kept only once): then it belongs to the body.
            far = min((distance(b) for b in source.find_all(paragraph)), default=far)
        placed.append(Placed(paragraph, far, block))
    return placed, box


# --- split bodies ------------------------------------------------------------------------


def _classes(element: lxml.html.HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


def _alike(a: lxml.html.HtmlElement, b: lxml.html.HtmlElement) -> bool:
    if a.tag != b.tag:
        return False
    ca, cb = _classes(a), _classes(b)
    if not ca or not cb:
        return False
    return len(ca & cb) / len(ca | cb) >= _CLASS_OVERLAP


def _follow(
    start: lxml.html.HtmlElement, path: list[lxml.html.HtmlElement]
) -> lxml.html.HtmlElement | None:
    """The descendant of ``start`` reached by children alike to each step of ``path``."""
    node = start
    for step in path:
        node = next((child for child in node if _alike(child, step)), None)
        if node is None:
            return None
    return node


def _new_prose(element: lxml.html.HtmlElement, extracted: str) -> bool:
    for paragraph in element.iter("p"):
        text = fingerprint(paragraph.text_content())
        if len(text.split()) >= _PROSE_WORDS and text[:120] not in extracted:
            return True
    return False


def split_chunks(
    box: lxml.html.HtmlElement, extracted: Iterable[str]
) -> list[lxml.html.HtmlElement]:
    """Containers alike to ``box`` (the body container) that hold story text not yet extracted,
    in document order and including ``box``; empty when the body is not split."""
    known: str | None = None  # the extracted text, fingerprinted once a chunk is compared
    path: list[lxml.html.HtmlElement] = []
    node = box
    for _ in range(_MAX_LEVELS):
        parent = node.getparent()
        if parent is None or node.tag in ("body", "html"):
            break
        peers = [child for child in parent if child is node or _alike(child, node)]
        chunks = [c for c in (_follow(p, path) for p in peers) if c is not None]
        others = [c for c in chunks if c is not box]
        if others and known is None:
            known = "\n".join(fingerprint(p) for p in extracted)
        if others and any(_new_prose(c, known or "") for c in others):
            # Whole other stories (an infinite scroll) carry their own headline; chunks don't.
            if not any(c.tag == "article" or c.find(".//h1") is not None for c in others):
                return chunks
            return []
        path.insert(0, node)
        node = parent
    return []


def merge_chunks(chunks: list[lxml.html.HtmlElement]) -> None:
    """Move the content of every chunk into the first one, in document order, each chunk's
    content after the headings that precede it in its own container (the title of a live
    blog's update sits in the update's header, beside the chunk rather than in it); the first
    chunk's own such headings move into it too, ahead of its content."""
    target = chunks[0]
    for heading in reversed(_headings_before(target, chunks[1])):
        target.insert(0, heading)
    for chunk in chunks[1:]:
        for heading in _headings_before(chunk, target):
            target.append(heading)
        for child in list(chunk):
            target.append(child)


def _headings_before(
    chunk: lxml.html.HtmlElement, other: lxml.html.HtmlElement
) -> list[lxml.html.HtmlElement]:
    """The subheadings that come before ``chunk`` in the largest container of it that does not
    hold ``other``."""
    holding_other = {other, *other.iterancestors()}
    own = chunk
    for ancestor in chunk.iterancestors():
        if ancestor in holding_other:
            break
        own = ancestor
    headings = []
    for element in own.iter(lxml.etree.Element):
        if element is chunk:
            break
        if element.tag in _SUBHEADINGS and len(element.text_content().split()) <= _TITLE_WORDS:
            headings.append(element)
    return headings


# --- the lead --------------------------------------------------------------------------


def _segments(block: lxml.html.HtmlElement) -> list[str]:
    """The runs of loose text in ``block`` between line breaks and nested blocks."""
    segments = [block.text or ""]
    for child in block:
        if not isinstance(child.tag, str):
            segments[-1] += child.tail or ""
            continue
        if child.tag in _BREAKS:
            segments.append(child.tail or "")
        else:
            segments[-1] += child.text_content() + (child.tail or "")
    return [" ".join(s.split()) for s in segments]


def lost_lead(first: str, block: lxml.html.HtmlElement | None, extracted: str) -> list[str]:
    """Story sentences that precede the first extracted paragraph inside its own block."""
    if block is None:
        return []
    probe = " ".join(first.split())[:30]
    segments = _segments(block)
    at = next((i for i, s in enumerate(segments) if probe and probe in s), None)
    if not at:
        return []
    known = fingerprint(extracted)
    lead = []
    for segment in segments[:at]:
        if (
            len(segment.split()) >= _LEAD_WORDS
            and _SENTENCE_END.search(segment)
            and fingerprint(segment)[:120] not in known
        ):
            lead.append(segment)
    return lead


# --- outliers at the edges -----------------------------------------------------------------


def _similar(a: str, b: str) -> float:
    wa, wb = set(fingerprint(a).split()), set(fingerprint(b).split())
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def drop_outliers(
    placed: list[Placed], headlines: Iterable[str | None], description: str | None
) -> list[Placed]:
    """The paragraphs without edge paragraphs that sit outside the body's container."""
    titles = {fingerprint(h) for h in headlines if h} - {""}
    start = 0
    # Sidebar or header text above a repeated headline.
    for k, item in enumerate(placed[: EDGE + 1]):
        if fingerprint(item.text) in titles:
            if all(
                (p.distance or 0) >= 1 or len(p.text.split()) < _PROSE_WORDS for p in placed[:k]
            ):
                start = k + 1
            break
    # A standfirst or a headline-like line from outside the container at the top.
    while start < min(len(placed), EDGE) and (placed[start].distance or 0) >= 1:
        text = placed[start].text
        if headline_like(text) or (
            description and _similar(text, description) >= _STANDFIRST_SIMILARITY
        ):
            start += 1
        else:
            break
    # A standfirst that is a list of points goes whole, however many points it has.
    while 0 < start < len(placed) and _same_list(placed[start - 1], placed[start]):
        start += 1
    end = _drop_link_list(placed, start)
    words = sum(len(p.text.split()) for p in placed[start:])
    tail = 0
    last = end
    while end - 1 > start and end > last - EDGE and (placed[end - 1].distance or 0) >= 2:
        tail += len(placed[end - 1].text.split())
        end -= 1
    if tail > _TAIL_SHARE * words:
        end = last
    return [p for p in placed[start:end] if not _link_row(p)]


def _same_list(dropped: Placed, item: Placed) -> bool:
    """Whether ``item`` is the next point of the list that ``dropped`` (an item outside the
    body's container) is a point of."""
    if dropped.block is None or item.block is None or dropped.block.tag != "li":
        return False
    if (dropped.distance or 0) < 1:
        return False
    return item.block.tag == "li" and item.block.getparent() is dropped.block.getparent()


def _link_row(item: Placed) -> bool:
    """A table row (rendered "| a | b |") made mostly of links: a layout table of teasers."""
    if not item.text.startswith("|") or item.block is None:
        return False
    row = item.block if item.block.tag == "tr" else next(item.block.iterancestors("tr"), None)
    return row is not None and link_share(row) >= _LINK_ROW_SHARE


def link_share(element: lxml.html.HtmlElement) -> float:
    """The share of an element's text that sits inside links."""
    total = len("".join(element.itertext()).strip())
    if not total:
        return 0.0
    linked = sum(len("".join(a.itertext()).strip()) for a in element.iter("a"))
    return min(1.0, linked / total)


def _drop_link_list(placed: list[Placed], start: int) -> int:
    """The end of the body once a trailing list of links to other stories is cut off."""
    end = len(placed)
    run = end
    while run - 1 > start and _list_item(placed[run - 1]):
        run -= 1
    located = [p.block for p in placed[run:end] if p.block is not None]
    if len(located) < _LINK_LIST_ITEMS:
        return end
    linky = sum(link_share(block) >= _LINKY for block in located)
    return run if linky >= _LINK_LIST_SHARE * len(located) else end


def _list_item(item: Placed) -> bool:
    if item.block is not None:
        return bool(item.block.tag == "li")
    return item.text.startswith("- ")  # not found in the page, but marked as a list item
