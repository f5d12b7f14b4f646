"""Which dated elements of a page stamp its own article, for the publication date.

A page shows many dates: the article's own (the byline's ``<time>``, a microdata
``datePublished``), and others that are not: the teasers of other stories (a related list, a
"Top stories" strip of ``<article>`` cards above the headline), readers' comments, and dates the
text mentions (``The vote is on <time datetime="2024-03-12">12 March</time>``). Only the first
kind says when the article was published; the others give the dates of other stories, of a
comment or of an event. Every rule here reads a convention many sites share:

- ``<aside>`` and ``<nav>``, and the parts whose class or id names a list of other stories or
  the comments (``related``, ``teaser``, ``comment``, ``recirculation``, ``sidebar``...), hold other
  dates: ``elsewhere``. A part that holds the headline ``<h1>`` is the article's, whatever its
  class says (themes put ``has-sidebar`` or ``with-comments`` on the page's wrapper).
- An ``<article>`` before the headline that does not hold it is another story's card.
- A ``<time>`` inside a sentence of running text is a date the text mentions.

``without_elsewhere`` gives a copy of the page without the parts of the first rule (and the
``datetime`` of the times of the third), for the text search of htmldate
(newsarc.extractor.dates), which would otherwise take a teaser's or a comment's date when the
article states none in markup.
"""

from __future__ import annotations

import re
from copy import deepcopy

import lxml.etree
import lxml.html

from newsarc.extractor.tagged import Tagged

# Class names of the page parts that list other stories or hold readers' comments.
OTHER_PARTS = re.compile(
    r"related|teaser|comment|recirc|sidebar|more-stories|most-read|mostread|trending"
    r"|recommend|read-more|readmore|also-read|popular|disqus",
    re.IGNORECASE,
)
# The same test on a lower-cased ASCII name: a case-blind search of a long class list costs
# twice a lower-casing and a plain search (it runs on every element of a page, see _doomed)
_OTHER_LOWER = re.compile(OTHER_PARTS.pattern)
_OTHER_TAGS = frozenset({"aside", "nav"})
# A <time> whose paragraph has this many more words is a date the text mentions.
_PROSE_WORDS = 12


def other_part(element: lxml.html.HtmlElement) -> bool:
    """Whether ``element``'s class or id names a list of other stories or the comments
    (``OTHER_PARTS``): ``class="related-posts"``, ``id="comments"``."""
    return _other_name(element.get("class")) or _other_name(element.get("id"))


def _other_name(value: str | None) -> bool:
    if not value:
        return False
    if value.isascii():  # else str.lower and the case-blind search may disagree ("ſ", "İ")
        return _OTHER_LOWER.search(value.lower()) is not None
    return OTHER_PARTS.search(value) is not None


def publication_times(tree: lxml.html.HtmlElement, tagged: Tagged | None = None) -> list[str]:
    """``<time datetime>`` values (and other elements' microdata ``datePublished``) that mark
    the publication, most telling first: itemprop/pubdate/"publish" class, then the first
    ``<time>`` in an ``<article>`` and the first after an ``<h1>``, in page order. None of them
    from another story, a comment or a sentence (see the module docstring)."""
    # A walk over the <time> and <h1> elements only: XPath's following:: axis from every <h1>
    # visited the rest of the page each time.
    headings: list[lxml.html.HtmlElement] = list((tagged or tree).iter("h1"))
    keep = _Keeper(headings)
    times: list[tuple[lxml.html.HtmlElement, bool]] = []  # (<time datetime>, after an <h1>)
    seen: list[lxml.html.HtmlElement] = []
    after_h1: lxml.html.HtmlElement | None = None
    for element in (tagged or tree).iter("time", "h1"):
        if element.tag == "h1":
            seen.append(element)
        elif element.get("datetime") is not None and keep.stamps(element):
            follows = False
            if seen:
                # after an <h1> in page order and not inside it: its following:: axis
                ancestors = set(element.iterancestors())
                follows = any(h1 not in ancestors for h1 in seen)
            times.append((element, follows))
            if after_h1 is None and follows:
                after_h1 = element
    marked = [
        t
        for t, _ in times
        if t.get("itemprop") == "datePublished"
        or t.get("pubdate") is not None
        or "publish" in (t.get("class") or "")
    ]
    in_article = next(
        (t for t, follows in times if keep.in_own_article(t, follows or not headings)), None
    )
    # page order, no repeat
    near: list[lxml.html.HtmlElement] = [t for t, _ in times if t in (in_article, after_h1)]
    # microdata on other elements: <span itemprop="datePublished" content="...">
    # (<meta itemprop> is read with the meta tags, <time> above)
    itemprops = [
        str(element.get("content") or element.get("datetime"))
        for element in (tagged or Tagged(tree)).microdata()
        if element.get("itemprop") == "datePublished"
        and element.tag not in ("meta", "time")
        and (element.get("content") or element.get("datetime"))
        and not keep.elsewhere(element)
    ]
    return [
        *(str(t.get("datetime")) for t in marked),
        *itemprops,
        *(str(t.get("datetime")) for t in near),
    ]


class _Keeper:
    """Answers for one page whether a dated element is the article's own."""

    def __init__(self, headings: list[lxml.html.HtmlElement]) -> None:
        # the elements that hold a headline: never another story's part
        self.holders: set[lxml.html.HtmlElement] = set()
        for h1 in headings:
            self.holders.update(h1.iterancestors())

    def elsewhere(self, element: lxml.html.HtmlElement) -> bool:
        """Whether ``element`` is in an aside, a nav or a part listing other stories or
        comments, below everything that holds a headline."""
        for ancestor in element.iterancestors():
            if ancestor in self.holders or ancestor.tag in ("body", "html"):
                return False
            if ancestor.tag in _OTHER_TAGS:
                return True
            if other_part(ancestor):
                return True
        return False

    def stamps(self, time: lxml.html.HtmlElement) -> bool:
        """Whether a ``<time>`` may stamp the article: not elsewhere, not in a sentence."""
        return not self.elsewhere(time) and not _in_prose(time)

    def in_own_article(self, time: lxml.html.HtmlElement, follows: bool) -> bool:
        """Whether ``time`` is in an ``<article>`` that may be this page's: one that holds a
        headline, or any when the time comes after the headline (``follows``; also true when
        the page has no ``<h1>``). An ``<article>`` before the headline is another story's
        card."""
        for ancestor in time.iterancestors():
            if ancestor.tag == "article" and (follows or ancestor in self.holders):
                return True
        return False


def _in_prose(time: lxml.html.HtmlElement) -> bool:
    """Whether ``time`` stands in a paragraph of running text (a date the text mentions): a
    ``<p>`` with ``_PROSE_WORDS`` more words that ends as a sentence ends (a byline, however
    long, does not)."""
    for ancestor in time.iterancestors():
        if ancestor.tag == "p":
            text = ancestor.text_content().strip()
            rest = len(text.split()) - len(time.text_content().split())
            return rest >= _PROSE_WORDS and text.endswith((".", "!", "?", '"', "”", "»"))
        if ancestor.tag in ("div", "article", "section", "body", "header", "footer"):
            return False
    return False


def without_elsewhere(
    tree: lxml.html.HtmlElement, tagged: Tagged | None = None
) -> lxml.html.HtmlElement:
    """A copy of ``tree`` without the parts that hold other stories' or comments' dates, and
    without the ``datetime`` of the times that running text mentions. ``tagged`` holds the
    tree's elements, when the caller has them."""
    doomed = _doomed(tree, tagged)
    if not doomed and not _prose_times(tree):
        return tree  # nothing to take out: no copy (it cost 1 ms on a large page)
    copy = deepcopy(tree)
    if doomed:
        # the parts found above, in the copy: by their place in it (a second search of the
        # copy cost as much as the first), each found down the same child positions (listing
        # the nodes of both trees to match them cost about as much again); all are found
        # before any is dropped, which moves the others' positions
        for element in [_counterpart(copy, _position(tree, part)) for part in doomed]:
            if element.getparent() is not None:
                element.drop_tree()  # its tail text stays
    for time in _prose_times(copy):
        del time.attrib["datetime"]  # a date the text mentions: its words stay
    return copy


def _position(root: lxml.html.HtmlElement, element: lxml.html.HtmlElement) -> list[int]:
    """The child positions that lead from ``root`` down to ``element`` (one of its nodes)."""
    steps: list[int] = []
    while element is not root:
        parent = element.getparent()
        steps.append(parent.index(element))
        element = parent
    steps.reverse()
    return steps


def _counterpart(root: lxml.html.HtmlElement, steps: list[int]) -> lxml.html.HtmlElement:
    """The node of ``root`` that ``steps`` (``_position``) lead to."""
    for step in steps:
        root = root[step]
    return root


def _doomed(
    tree: lxml.html.HtmlElement, tagged: Tagged | None = None
) -> list[lxml.html.HtmlElement]:
    """The parts of ``tree`` that hold other stories' or comments' dates."""
    holders = _Keeper(list((tagged or tree).iter("h1"))).holders
    elements = tagged.elements() if tagged is not None else tree.iter(lxml.etree.Element)
    return [
        element
        for element in elements
        if (element.tag in _OTHER_TAGS or other_part(element)) and element not in holders
    ]


def _prose_times(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The ``<time datetime>``s of ``tree`` that running text mentions."""
    return [t for t in tree.iter("time") if t.get("datetime") is not None and _in_prose(t)]
