"""The elements of a few tags in a parsed page, found in one walk.

Each ``tree.iter(tag)`` walks the whole tree, and a real page has a thousand elements or more.
The metadata reads the meta, link, script, title, h1 and time elements (and the article and
main elements to find the text to tell the language from, and the links for the tags and the
section), and the body the h1 elements again, the body elements and the form controls (for
newsletter sign-up boxes, see signups): one walk for them all costs a third of the separate
walks.
"""

from __future__ import annotations

import lxml.etree
import lxml.html

TAGS = (
    "meta",
    "link",
    "script",
    "title",
    "h1",
    "time",
    "article",
    "main",
    "body",
    "form",
    "input",
    "button",
    "a",  # the links: the tag list (taglinks) and the section's links (sections) read them all
)


class Tagged:
    """The elements of ``TAGS`` in a tree, in page order: true to the tree until it changes."""

    def __init__(self, tree: lxml.html.HtmlElement) -> None:
        self._tree = tree
        self._all: list[lxml.html.HtmlElement] | None = None
        self._microdata: list[lxml.html.HtmlElement] | None = None
        self._elements: list[lxml.html.HtmlElement] = list(tree.iter(*TAGS))
        self._by_tag: dict[str, list[lxml.html.HtmlElement]] = {tag: [] for tag in TAGS}
        for element in self._elements:
            self._by_tag[element.tag].append(element)

    def iter(self, *tags: str) -> list[lxml.html.HtmlElement]:
        """What ``tree.iter(*tags)`` yields (every one of ``tags`` is in ``TAGS``)."""
        if len(tags) == 1:
            return self._by_tag[tags[0]]
        return [element for element in self._elements if element.tag in tags]

    def elements(self) -> list[lxml.html.HtmlElement]:
        """Every element of the tree, in page order (``tree.iter(lxml.etree.Element)``); found
        on first use. The readers that look at every element (bylines, Drupal's fields,
        microdata, the parts that hold other stories' dates) share this one walk: most of a
        walk's cost in Python is making an object for each element, which the list keeps."""
        if self._all is None:
            self._all = list(self._tree.iter(lxml.etree.Element))
        return self._all

    def microdata(self) -> list[lxml.html.HtmlElement]:
        """The tree's elements with an ``itemprop`` attribute, in page order; found on first
        use and shared by the readers of microdata dates (an XPath search for each one's
        ``itemprop`` visited the whole tree each time, and more slowly than a walk)."""
        if self._microdata is None:
            self._microdata = [e for e in self.elements() if e.get("itemprop") is not None]
        return self._microdata
