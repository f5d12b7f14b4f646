"""Newsletter sign-up boxes, told by their markup: removed before the body is extracted.

A sign-up box inside an article ("The Morning Ledger / Markets news and analysis delivered to
your inbox", an email field, a "Sign up" button) says what it is in its class or id; its words
are a newsletter's name and pitch, which no wording rule can tell from a sentence. trafilatura
deletes the form and the button, and keeps the name and the pitch as paragraphs.

A box is the outermost element around a form, an input or a button whose class or id names a
newsletter, a sign-up or a subscription, within a few levels of that control; the walk up
stops at ``<article>``, ``<main>`` and ``<body>``, and at an element whose class or id names
an article container (body, article, story, entry, content, text) and no sign-up. A box is
left alone when it may be the article instead, as when a story about newsletters sits in a
``NewsletterStory_body`` container or a paywalled story in ``article-body--subscriber``:

- a box holds no ``<h1>`` and at most ``MAX_CHARS`` characters of text;
- the page's longest paragraph is not inside it (the story is elsewhere);
- a box whose class or id also names an article container holds a form or a field: a
  button alone ("Show full article", "Share") proves nothing there.

Only the controls and the elements a few levels above them are looked at on every page (a
real page has 17 controls on average, most of them in a few forms, so the names of each
element are read once); the page's paragraphs are measured only on a page with a box.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import chain

import lxml.html

MAX_CHARS = 600  # a name, a pitch, a field, a button and a line of small print
_LEVELS = 8  # how far above a control its box may be
_SIGNUP = re.compile(r"newsletter|sign[-_]?up|subscri(?:be(?![rd])|ption)|mailing[-_]?list")
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_ARTICLE_WORDS = frozenset({"body", "article", "story", "entry", "content", "text"})
_STOP_TAGS = frozenset({"article", "main", "body", "html"})
CONTROLS = ("form", "input", "button")
# What an element's class and id say: a sign-up, an article container (the walk up stops), or
# neither.
_SIGNUP_NAME, _ARTICLE_NAME, _OTHER_NAME = 1, 2, 0


def drop_signups(
    tree: lxml.html.HtmlElement, controls: Iterable[lxml.html.HtmlElement] | None = None
) -> int:
    """Remove the newsletter sign-up boxes from ``tree`` in place; returns how many went.
    ``controls`` are the tree's form, input and button elements, when the caller has them."""
    boxes: list[lxml.html.HtmlElement] = []
    kinds: dict[lxml.html.HtmlElement, int] = {}
    for control in tree.iter(CONTROLS) if controls is None else controls:
        box = _box(control, kinds)
        if box is not None and not any(box is b for b in boxes):
            boxes.append(box)
    if not boxes:
        return 0
    longest: list[lxml.html.HtmlElement | None] = []  # found once, for the first box it may keep
    dropped = 0
    for box in boxes:
        if box.getparent() is None or box.find(".//h1") is not None:
            continue
        if len(box.text_content()) > MAX_CHARS:
            continue
        if _article_words(box) and next(box.iter("form", "input"), None) is None:
            continue
        if not longest:
            longest.append(_longest_paragraph(tree))
        if _inside(longest[0], box):
            continue
        box.drop_tree()
        dropped += 1
    return dropped


def _box(
    control: lxml.html.HtmlElement, kinds: dict[lxml.html.HtmlElement, int]
) -> lxml.html.HtmlElement | None:
    """The outermost element within ``_LEVELS`` above ``control`` (itself included) whose
    class or id names a sign-up, below any article container; None when there is none.
    ``kinds`` keeps what the names of the elements seen so far say."""
    box = None
    # the ancestors read lazily: a control sits twenty levels deep or more, only nine are read
    for level, element in enumerate(chain((control,), control.iterancestors())):
        if level > _LEVELS or element.tag in _STOP_TAGS:
            break
        kind = kinds.get(element)
        if kind is None:
            kind = kinds[element] = _kind(element)
        if kind == _SIGNUP_NAME:
            box = element
        elif kind == _ARTICLE_NAME:
            break
    return box


def _kind(element: lxml.html.HtmlElement) -> int:
    names = _names(element)
    if not names:
        return _OTHER_NAME
    lowered = names.lower()
    if _SIGNUP.search(lowered):
        return _SIGNUP_NAME
    # the substring test first: splitting the names into words costs more
    if any(word in lowered for word in _ARTICLE_WORDS) and _article_words(element):
        return _ARTICLE_NAME
    return _OTHER_NAME


def _names(element: lxml.html.HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}".strip()


def _article_words(element: lxml.html.HtmlElement) -> bool:
    """Whether the class or id of ``element`` has a word naming an article container
    (CSS-module and camel-case names split into their words)."""
    words = _WORD.findall(_names(element))
    return any(word.lower() in _ARTICLE_WORDS for word in words)


def _longest_paragraph(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    return max(tree.iter("p"), key=lambda p: len(p.text_content().strip()), default=None)


def _inside(element: lxml.html.HtmlElement | None, box: lxml.html.HtmlElement) -> bool:
    if element is None:
        return False
    return element is box or any(a is box for a in element.iterancestors())
