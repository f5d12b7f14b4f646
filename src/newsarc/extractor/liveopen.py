"""A live blog's updates opened up for the body (found by newsarc.extractor.liveblog).

Every update is read as a section: an ``<article>`` becomes a ``<section>`` (trafilatura takes
a page's first ``<article>`` for the whole story), a list of updates a run of ``<div>``s (a
title in a list item is folded into the item's line), a title without heading markup an
``<h3>``; the element that holds them all is marked as the article body, so trafilatura neither
takes one update whose class names an article's text (``class="entry"``) for the story nor
falls back to the page's loose paragraphs, which never include headings. Each update's time
goes (trafilatura kept the short time line of some updates and dropped others; the record keeps
the newest as ``modified``), and so do its share and reaction bar, the "Load more" buttons
after the run and the "LIVE" badge. A date inside an update's sentence stays, as words.
"""

from __future__ import annotations

import re

import lxml.html

from newsarc.extractor.liveblog import HEADINGS, find_updates, open_updates, title_of
from newsarc.extractor.tagged import Tagged

# Class words of an update's share, reaction and action bars.
_BAR_CLASS = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|likes?|reactions?|actions|foot|footer)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BAR_WORDS = 12
# After the run: a short button, link or box to load more updates, page through them, or
# credit the live-blog service.
_MORE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:more|load|pagination|pager|paging|powered|navigation)(?:$|[\s_-])",
    re.IGNORECASE,
)
_MORE_WORDS = 6
_BADGE = re.compile(
    r"(?:live|live now|en direct|direct|en directo|en vivo|ao vivo|diretta|in diretta"
    r"|liveticker|live-ticker|liveblog|live blog|live updates)",
    re.IGNORECASE,
)
_PROSE = frozenset({"p", "li", "td", "blockquote", *HEADINGS})


def open_live(tree: lxml.html.HtmlElement, tagged: Tagged | None = None) -> int:
    """Open a live blog's updates for the body (see the module docstring); returns how many
    were opened. A page without a run of dated updates (``find_updates``; a page that calls
    itself a ``LiveBlogPosting``) gets ``open_updates``."""
    updates = find_updates(tree)
    if updates is None:
        return open_updates((tagged or tree).iter("article"))
    for member, times in zip(updates.members, updates.times, strict=True):
        for time in times:
            if _standalone(time, member):
                time.drop_tree()
            elif time.tag == "time":
                time.tag = "span"  # trafilatura drops a <time>'s words, even in a sentence
        _drop_bars(member)
        _title_as_heading(member)
        for inner in [member, *member.iter("article")]:
            if inner.tag == "article" and next(inner.iter("h1"), None) is None:
                inner.tag = "section"
        if member.tag == "li":
            member.tag = "div"
            parent = member.getparent()
            if parent is not None and parent.tag in ("ul", "ol"):
                parent.tag = "div"
    _drop_more(updates.members[-1])
    _drop_badges(tree)
    _mark_feed(updates.members)
    return len(updates.members)


def _mark_feed(members: list[lxml.html.HtmlElement]) -> None:
    """Mark the element that holds all the updates as the article body (microdata's
    ``itemprop="articleBody"``, the first thing trafilatura looks for), unless it is one
    already or is inside one: trafilatura would otherwise take the first update whose class names
    an article's text (``class="entry"``, ``post-body``) for the whole story, or, finding no
    such container, the page's loose paragraphs without their headings."""
    feed = members[0].getparent()
    while feed is not None and not all(feed in m.iterancestors() for m in members[1:]):
        feed = feed.getparent()
    if feed is None or feed.tag not in ("div", "section", "article", "main"):
        return
    if any(e.get("itemprop") == "articleBody" for e in (feed, *feed.iterancestors())):
        return
    feed.set("itemprop", "articleBody")


def _standalone(time: lxml.html.HtmlElement, member: lxml.html.HtmlElement) -> bool:
    """Whether ``time`` is a line of its own, not a date inside a sentence of the text."""
    words = len(time.text_content().split())
    for ancestor in time.iterancestors():
        if ancestor is member:
            return True
        if ancestor.tag in _PROSE and len(ancestor.text_content().split()) > words + 4:
            return False
    return True


def _drop_bars(member: lxml.html.HtmlElement) -> None:
    """Drop the update's short share, reaction and action bars and its buttons."""
    doomed = [
        element
        for element in member.iter()
        if element is not member
        and isinstance(element.tag, str)
        and (element.tag in ("footer", "button") or _BAR_CLASS.search(element.get("class") or ""))
        and len(element.text_content().split()) <= _BAR_WORDS
    ]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


def _title_as_heading(member: lxml.html.HtmlElement) -> None:
    """An update without heading markup whose title is a short element with a title class:
    that element becomes an ``<h3>``."""
    title = title_of(member)
    if title is not None and title.tag not in HEADINGS:
        title.tag = "h3"


def _drop_more(last: lxml.html.HtmlElement) -> None:
    """Drop the short "Load more" / "Show more updates" / pagination / "Powered by" parts that
    follow the run: beside its last update, beside their container and beside that one's."""
    level: lxml.html.HtmlElement | None = last
    for _ in range(3):
        if level is None:
            return
        for sibling in list(level.itersiblings()):
            if isinstance(sibling.tag, str) and _more(sibling):
                sibling.drop_tree()
        level = level.getparent()


def _more(element: lxml.html.HtmlElement) -> bool:
    """A short button or link, a box holding just one, or a short part named for paging."""
    words = len(element.text_content().split())
    if words > _MORE_WORDS:
        return False
    if element.tag in ("button", "a") or _MORE_CLASS.search(element.get("class") or ""):
        return True
    return len(element) == 1 and element[0].tag in ("button", "a")


def _drop_badges(tree: lxml.html.HtmlElement) -> None:
    """Drop the "LIVE" / "EN DIRECT" badges: an element whose whole text is that word."""
    doomed = [
        element
        for element in tree.iter("span", "p", "div", "strong", "b", "em", "mark")
        if len(element) == 0 and _BADGE.fullmatch((element.text or "").strip())
    ]
    for element in doomed:
        element.drop_tree()
