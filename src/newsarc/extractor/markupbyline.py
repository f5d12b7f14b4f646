"""Bylines in the page's markup: microdata ``itemprop=author``, ``rel=author`` links, elements
with a byline or author class, author-page links inside an article; and the helpers every
byline reader shares: a small element's visible text, and whether an element is page
furniture (navigation, footers, other stories' teasers).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import deepcopy

import lxml.etree
import lxml.html

from newsarc.extractor.authors import MAX_AUTHORS, dedupe, split_names
from newsarc.extractor.credits import ends_other_credit
from newsarc.extractor.tagged import Tagged

_AUTHOR_PATHS = ("/author/", "/autor/", "/autoren/", "/authors/")
_MAX_BYLINES = 60


def byline_elements(
    tree: lxml.html.HtmlElement, tagged: Tagged | None = None
) -> list[lxml.html.HtmlElement]:
    """Elements that may hold a byline, in page order (at most 60): ``itemprop=author``,
    ``rel=author`` links, elements with a byline/author class, author-page links in an article.
    ``tagged`` holds the tree's elements, when the caller has them.
    """
    return list(_byline_walk(tree, tagged))


def _byline_walk(
    tree: lxml.html.HtmlElement, tagged: Tagged | None = None
) -> Iterator[lxml.html.HtmlElement]:
    """``byline_elements``, lazily: a reader that has what it needs stops the walk."""
    # One walk over the elements in Python: an XPath lower-casing every class attribute
    # (translate()) cost several milliseconds on a large page.
    found = 0
    for element in tagged.elements() if tagged is not None else tree.iter(lxml.etree.Element):
        cls = element.get("class")
        lowered = cls.lower() if cls is not None else ""
        if (
            element.get("itemprop") == "author"
            or "byline" in lowered
            or "author" in lowered
            or "autor" in lowered
            or (element.tag == "a" and _author_link(element))
        ):
            yield element
            found += 1
            if found >= _MAX_BYLINES:
                return


def _author_link(link: lxml.html.HtmlElement) -> bool:
    if link.get("rel") == "author":
        return True
    href = link.get("href")
    # "/aut" first: it runs on every link of the page, and every one of _AUTHOR_PATHS has it
    if href is None or "/aut" not in href or not any(path in href for path in _AUTHOR_PATHS):
        return False
    return any(ancestor.tag == "article" for ancestor in link.iterancestors())


# Parts of an author box that are not the name.
_NOT_NAME_CLASS = re.compile(
    r"avatar|image|img|photo|picture|bio|description|desc|job|role|position|date|time|"
    r"follow|social|twitter|mail|more|count|label|title",
    re.IGNORECASE,
)


# Parts of a rendered author profile inside a byline element, beside the name: "Senior
# Reporter", "Jane covers housing for the paper", the photo, the follow buttons. Not "title":
# the profile's heading is the name ("node__title").
_PROFILE_PARTS = re.compile(
    r"bio|description|job|role|position|follow|social|twitter|mail|avatar|photo|image"
)


def from_markup(tree: lxml.html.HtmlElement, tagged: Tagged | None = None) -> list[str]:
    """Names from microdata ``itemprop=author``, ``rel=author`` links and byline elements.
    ``tagged`` holds the tree's elements, when the caller has them.

    The first byline element that yields a name counts, with its siblings (one ``<li>`` per
    author); later ones are usually other stories' teasers or author boxes.
    """
    names: list[str] = []
    anchor: lxml.html.HtmlElement | None = None
    for element in _byline_walk(tree, tagged):
        if anchor is not None and not _related(anchor, element):
            # past the block around the first byline: so is every later element (the walk
            # goes in page order, and the block's elements come one after another in it)
            break
        if not isinstance(element, lxml.html.HtmlElement) or in_chrome(element):
            continue
        if _NOT_NAME_CLASS.search(element.get("class") or "") and element.get("itemprop") is None:
            continue
        if _after_other_credit(element):
            continue  # "Reviewed by <a class="author-link">...</a>": a reviewer, an editor
        inner = element.xpath('.//*[@itemprop="name"]')
        if inner:
            text = inner[0].get("content") or inner[0].text_content()
        else:
            text = element.get("content") or visible_text(element, without=_PROFILE_PARTS)
        if not text or len(text) > 120:
            continue
        found = split_names(text)
        if found and anchor is None:
            anchor = element
        names.extend(found)
        if len(names) >= MAX_AUTHORS:
            break
    return dedupe(names)


def _after_other_credit(element: lxml.html.HtmlElement) -> bool:
    """True when the text just before ``element`` (in its parent, or before its parent when
    it opens it) credits other work: "Reviewed by", "Fact-checked by", "Fotos:"."""
    node: lxml.html.HtmlElement | None = element
    for _ in range(2):
        if node is None:
            return False
        previous = node.getprevious()
        if previous is not None:
            before = (previous.text_content() if len(previous) < 4 else "") + (previous.tail or "")
        else:
            parent = node.getparent()
            before = (parent.text or "") if parent is not None else ""
        if before.strip():
            return ends_other_credit(before[-60:])
        node = node.getparent()
    return False


def _related(anchor: lxml.html.HtmlElement, element: lxml.html.HtmlElement) -> bool:
    """True when ``element`` sits in the same byline as ``anchor`` (within two levels)."""
    scope = anchor.getparent()
    if scope is not None and scope.getparent() is not None:
        scope = scope.getparent()
    if scope is None:
        return False
    return any(a is scope for a in element.iterancestors())


def visible_text(element: lxml.html.HtmlElement, *, without: re.Pattern[str] | None = None) -> str:
    """Text of a small element without screen-reader-only labels, scripts and times, nor the
    elements inside whose class ``without`` finds."""
    copy = deepcopy(element)
    for node in list(copy.iterdescendants()):
        cls = (node.get("class") or "").lower() if isinstance(node.tag, str) else ""
        hidden = any(w in cls for w in ("offscreen", "sr-only", "visually-hidden"))
        if without is not None and cls and without.search(cls):
            hidden = True
        if hidden or node.tag in ("script", "style", "noscript", "time", "button", "svg"):
            node.drop_tree()
        elif node.tag in _LINE_BREAKS:
            # "By Anna Berg<br>May 14, 2024" shows two lines: joined, they were one name
            node.tail = f" · {node.tail or ''}"
            if node.tag != "br":
                node.text = f" · {node.text or ''}"
    return " ".join(copy.text_content().split())


# Elements that start a new line inside a byline; split_names splits at the " · " put there.
_LINE_BREAKS = frozenset(("br", "div", "p", "li"))


def in_chrome(element: lxml.html.HtmlElement, *, article_footer: bool = False) -> bool:
    """True inside page furniture (navigation, footers, teasers of other stories).

    With ``article_footer``, a ``<footer>`` inside an ``<article>`` is the article's own (HTML5
    and Drupal templates put "Submitted by ..." there), not the page's.
    """
    for ancestor in element.iterancestors():
        if ancestor.tag == "footer" and article_footer:
            if any(outer.tag == "article" for outer in ancestor.iterancestors()):
                continue
            return True
        if ancestor.tag in ("nav", "footer", "aside"):
            return True
        if ancestor.tag in ("body", "html"):
            break  # their classes name the page's layout ("one-sidebar", "has-footer")
        cls = (ancestor.get("class") or "").lower()
        if any(word in cls for word in ("teaser", "related", "comment", "footer", "sidebar")):
            return True
    return False
