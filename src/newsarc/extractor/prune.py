"""Markup that no reader sees as part of the article, removed before the body is extracted.

Three kinds, all recognised by structure rather than by site:

- markup without readable text: drawings (``<svg>``), scripts other than JSON-LD, styles,
  ``<meta>`` and ``<link>``. trafilatura drops them too, but only after running several
  whole-tree XPath prunes and copying the tree; a real news page has about 20% of its elements
  there. JSON-LD stays: trafilatura's baseline reads ``articleBody`` from it, and its forum check
  reads the schema.org type. Removing them changes no record of the 218 real dev pages or the
  fixtures (``benchmarks/extract_cpu.py --dump`` before and after) and takes about 5% off
  the extraction's CPU time.

- hidden copies: elements hidden with ``hidden`` or an inline ``display:none`` /
  ``visibility:hidden`` style. Sites use them for schema.org metadata blocks that repeat the
  headline, dates and the whole body. A large hidden element is removed only when its text also
  appears elsewhere on the page, because some pages hide the rest of the story until a
  "read more" button is pressed.
- dates in running text: trafilatura deletes every ``<time>`` with its words (its cleaning
  takes them for date lines), which cut "expected on <time>March 12</time>, two days later" to
  "expected on , two days later". A ``<time>`` inside a sentence becomes a ``<span>``; one
  that is the whole of a date line stays, for trafilatura and the boilerplate rules to drop.
- link cards inside paragraphs: a span of several headline-length links (a hover card or an
  inline "related" box) nested in a ``<p>`` would otherwise be read as part of the sentence.
- newsletter sign-up boxes, told by their class or id and their form (see signups).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

import lxml.etree
import lxml.html

from newsarc.extractor.anchors import only_body
from newsarc.extractor.signups import drop_signups

log = logging.getLogger(__name__)

# Elements that could be hidden; the style test itself runs in Python, where it is cheaper
# than XPath's translate() on every style attribute.
_MAYBE_HIDDEN = lxml.etree.XPath("//body//*[@hidden or @style]")
# The attributes themselves, below the <body>: libxml2 reads them for a third of the cost of the
# elements that have them, and each leads to its element (see _maybe_hidden).
_HIDING_ATTRIBUTES = lxml.etree.XPath("descendant::*/@style | descendant::*/@hidden")
_HIDING_STYLES = ("display:none", "visibility:hidden")
# Text outside scripts: a JSON-LD copy of the body must not count as a visible repeat.
_VISIBLE_TEXT = lxml.etree.XPath(
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or "
    "ancestor::template)]"
)
_INVISIBLE = frozenset({"script", "style", "noscript", "template"})
_TEXTLESS = ("svg", "script", "style", "meta", "link")
_JSON_LD = "application/ld+json"
_SMALL_HIDDEN_CHARS = 400  # a hidden element with less text than this is never the body
# Blocks of running text, the inline elements a <time> may sit in inside them, and the words
# besides the <time>'s own that make a block a sentence rather than a date line ("Published
# <time>…</time>" has one, "Updated <time>…</time> by Jane Doe" four).
_RUNNING_BLOCKS = frozenset({"p", "li", "blockquote", "dd", "td"})
_INLINE = frozenset(
    {"span", "a", "em", "strong", "b", "i", "u", "q", "mark", "small", "sup", "sub"}
)
_SENTENCE_WORDS = 5
_CARD_LINK_WORDS = 5  # a link this long reads as a headline, not as a linked phrase
_CARD_LINK_SHARE = 0.85  # share of a card's text that sits in links


def prune_tree(
    tree: lxml.html.HtmlElement,
    bodies: Sequence[lxml.html.HtmlElement] | None = None,
    controls: Sequence[lxml.html.HtmlElement] | None = None,
) -> int:
    """Remove markup without readable text, hidden copies, newsletter sign-up boxes and
    in-paragraph link cards from ``tree`` in place; returns how many hidden copies, boxes and
    link cards went. ``bodies`` are the page's ``<body>`` elements, and ``controls`` its form,
    input and button elements, when the caller has them (no removal changes the one ``<body>``;
    a control removed with a hidden copy leads only to elements removed with it)."""
    drop_textless(tree)
    hidden = _drop_hidden(tree, bodies)
    return hidden + drop_signups(tree, controls) + _drop_link_cards(tree)


def drop_textless(tree: lxml.html.HtmlElement) -> None:
    """Remove drawings, scripts (JSON-LD aside), styles, ``<meta>`` and ``<link>`` from
    ``tree``, keeping the text that follows each."""
    for element in list(tree.iter(_TEXTLESS)):
        if element.tag == "script" and (element.get("type") or "").strip().lower() == _JSON_LD:
            continue
        if element.getparent() is not None:
            element.drop_tree()


def _drop_hidden(
    tree: lxml.html.HtmlElement, bodies: Sequence[lxml.html.HtmlElement] | None
) -> int:
    hidden = [
        el for el in _maybe_hidden(tree, bodies) if el.tag not in ("html", "body") and _hidden(el)
    ]
    if not hidden:
        return 0
    page_text: str | None = None
    dropped = 0
    for element in hidden:
        if element.getparent() is None or _inside_any(element, hidden):
            continue
        text = element.text_content()
        if len(text) >= _SMALL_HIDDEN_CHARS:
            if page_text is None:
                texts = _visible_texts(tree, bodies)
                page_text = "\n".join(" ".join(t.split()) for t in texts)
            if not _repeated(element, page_text):
                continue
        element.drop_tree()
        dropped += 1
    return dropped


def _maybe_hidden(
    tree: lxml.html.HtmlElement, bodies: Sequence[lxml.html.HtmlElement] | None = None
) -> list[lxml.html.HtmlElement]:
    """The elements inside ``<body>`` with a ``hidden`` or a ``style`` attribute, in page order.

    The same as ``_MAYBE_HIDDEN``, read from the ``style`` and ``hidden`` attributes below the
    body (a loop over the body's elements in Python cost two and a half times as much, and that
    XPath more). libxml2 builds one ``<body>``; should a tree have several, the XPath answers.
    """
    body = only_body(tree, bodies)
    if body is None:
        return list(_MAYBE_HIDDEN(tree))
    elements: list[lxml.html.HtmlElement] = []
    for attribute in _HIDING_ATTRIBUTES(body):
        element = attribute.getparent()
        # in page order, an element with both attributes coming twice in a row
        if not elements or elements[-1] is not element:
            elements.append(element)
    return elements


def _visible_texts(
    tree: lxml.html.HtmlElement, bodies: Sequence[lxml.html.HtmlElement] | None = None
) -> list[str]:
    """The texts of ``_VISIBLE_TEXT`` (the body's text outside scripts, styles, noscripts and
    templates), in page order.

    A walk that skips those subtrees costs half the XPath, whose four ancestor tests run for
    every text node. An element's text and its tail are each one text node there: libxml2
    merges adjacent text when it parses, and lxml when text is set.
    """
    body = only_body(tree, bodies)
    if body is None:
        return [str(text) for text in _VISIBLE_TEXT(tree)]
    texts: list[str] = []
    walk = lxml.etree.iterwalk(body, events=("start", "end"))
    for event, element in walk:
        if event == "start":
            if element.tag in _INVISIBLE:
                walk.skip_subtree()  # its end event still comes, for its tail
            elif element.text and isinstance(element.tag, str):
                texts.append(element.text)
        elif element is not body and element.tail:
            texts.append(element.tail)
    return texts


def _hidden(element: lxml.html.HtmlElement) -> bool:
    if element.get("hidden") is not None:
        return True
    style = (element.get("style") or "").replace(" ", "")
    return any(value in style for value in _HIDING_STYLES)


def _inside_any(element: lxml.html.HtmlElement, others: list[lxml.html.HtmlElement]) -> bool:
    ancestors = set(element.iterancestors())
    return any(other in ancestors for other in others)


def _repeated(element: lxml.html.HtmlElement, page_text: str) -> bool:
    """Whether the longest text node of ``element`` occurs at least twice in the page text."""
    sample = max((" ".join(t.split()) for t in element.itertext()), key=len, default="")
    if len(sample) < 40:
        return True  # nothing prose-like in it: metadata, not a hidden story
    sample = sample[:200]
    first = page_text.find(sample)
    return first != -1 and page_text.find(sample, first + 1) != -1


def _drop_link_cards(tree: lxml.html.HtmlElement) -> int:
    cards = []
    for paragraph in tree.iter("p"):
        for element in paragraph.iterdescendants("span", "div", "aside", "ul"):
            if _is_link_card(element):
                cards.append(element)
    dropped = 0
    for card in cards:
        if card.getparent() is not None and not _inside_any(card, cards):
            card.drop_tree()
            dropped += 1
    return dropped


def _is_link_card(element: lxml.html.HtmlElement) -> bool:
    links = element.findall(".//a")
    if len(links) < 2:
        return False
    link_texts = [a.text_content() for a in links]
    long_links = sum(len(t.split()) >= _CARD_LINK_WORDS for t in link_texts)
    if long_links < 2:
        return False
    total = len(element.text_content().strip())
    return total > 0 and sum(len(t.strip()) for t in link_texts) >= _CARD_LINK_SHARE * total


def open_inline_times(times: Iterable[lxml.html.HtmlElement]) -> int:
    """Rename the ``<time>`` elements of ``times`` that sit inside a sentence to ``<span>``
    (see the module docstring); returns how many."""
    opened = 0
    for time in times:
        block = None
        for ancestor in time.iterancestors():
            if ancestor.tag in _INLINE:
                continue
            if ancestor.tag in _RUNNING_BLOCKS:
                block = ancestor
            break
        if block is None:
            continue
        own = len(time.text_content().split())
        if len(block.text_content().split()) - own >= _SENTENCE_WORDS:
            time.tag = "span"
            opened += 1
    return opened
