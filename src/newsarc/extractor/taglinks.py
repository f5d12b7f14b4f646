"""The article's tags as the page shows them: a list of links to the site's tag or topic pages
("Themen: Ukraine · Russland · Nato", "Tags", "Schlagworte", "Sujets", "Temas").

Many publishers give an article's editorial tags only there, not in a meta tag or JSON-LD. A
link counts when its address is a tag or topic page ("/tag/venezuela/", "/thema/russland",
"/news/topics/c1vw6q14rzqt"), when the markup calls it or its list item a tag ("tag-link",
"tags__item"), or when it is ``rel=tag``; the links that sit together make a list. A list is
kept when it is only links (a paragraph's links, a teaser card's headline and topic label are
not a tag list), and is not part of the site's menus, footer or header ("trending" bars, tag
clouds, menus of sections), which count only inside the article or when the markup calls the
list itself a tag list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import lxml.etree
import lxml.html

# A tag or topic page: the step names a tag, the next one which ("/tag/venezuela/", "/thema/
# ukraine-198.html", "/tag/16901-polityka"). Written by first letter and without IGNORECASE:
# it is tried on every link of every page
_TAG_PATH = re.compile(
    r"/(?:t(?:ags?|opics?|hema|hemen|emas?|ag[yi])|s(?:chlagw(?:ö|oe?)rte?r?"
    r"|tichw(?:ö|oe?)rte?r?|ujets?)|argoment[io]|emner?|eti(?:quetas?|ketter?|ket)|mots?-cles?"
    r"|onderwerp|trefwoord|aihe|assuntos?)/[^/?#\s]"
)
_NAME_SPLIT = re.compile(r"[\s_\-:]+|(?<=[a-z])(?=[A-Z])")
_TAG_WORDS = frozenset(
    """tag tags taglist tagslist tagline topic topics keyword keywords thema themen schlagwort
    schlagworte schlagwörter stichwort stichworte stichwörter sujet sujets tema temas argomenti
    emne emner etiqueta etiquetas""".split()
) - {"tagline"}
# Names of the site's menus and widgets: a list there is not the article's ("trending-tags",
# "tag-cloud", "topics-menu", "nav-topics")
_TRAP_WORDS = frozenset(
    """trending trend trends popular hot cloud tagcloud breadcrumb breadcrumbs mostread
    meistgelesen sitemap ticker follow""".split()
)
# The site's header and footer: a list there is the article's only inside the article
_FRAME_WORDS = frozenset({"header", "footer", "masthead", "banner"})
# A label beside the list that says it is no tag list of the article
_TRAP_LABEL = re.compile(
    r"trend|popul|most read|meistgelesen|beliebt|top[ -]themen|im trend|tendencia|en ce moment"
    r"|i più letti|mais lidas|follow|folgen|weitere themen|more topics|other topics|autres sujets"
    r"|otros temas|altri temi|du jour|à la une",
    re.IGNORECASE,
)
_FRAME_TAGS = frozenset({"header", "footer"})
_FRAME_ROLES = frozenset({"banner", "contentinfo"})
_MENU_TAGS = frozenset({"nav", "aside"})
_MENU_ROLES = frozenset({"navigation", "complementary", "menu", "menubar", "dialog"})
# A label that calls the list the article's tags ("Themen:", "Tags:", "Mehr zum Thema")
_TAG_LABEL = re.compile(
    r"\s*(?:tags?|themen|thema|topics?|schlagw\w+|stichw\w+|sujets?|temas?|argomenti|emne\w*"
    r"|mots?[ -]cl\w+|etiquetas|keywords|mehr (?:zum thema|lesen über|über)|more (?:on|about))\b",
    re.IGNORECASE,
)
# A heading over a list that calls it the article's tags
_HEADING = re.compile(
    r"(?:tags?|themen|topics?|schlagw\w+|stichw\w+|sujets?(?: associés)?|temas?(?: relacionados)?"
    r"|argomenti|emneord|emner|mots?[ -]cl\w+|etiquetas|etiketler|keywords|onderwerpen"
    r"|ämnen(?: i artikeln)?|témata|assuntos|mehr (?:zum thema|lesen über|über)"
    r"|more (?:on|about)(?: this (?:story|topic))?|related topics|in this (?:article|story))\s*:?",
    re.IGNORECASE,
)
# A link that names the list, not a tag ("Themen", "Alle Themen", "All topics")
_LIST_LABEL = re.compile(
    r"(?:alle?s? |all )?(?:themen|tags|topics|schlagw\w+|sujets|temas|argomenti|mehr|more)\W*",
    re.IGNORECASE,
)
_CONTENT_TAGS = frozenset({"article", "main"})
_MAX_WORDS = 8  # a tag is a name, not a headline
_MAX_LABEL = 40  # characters of a list's own text beside its links ("Themen:", " · ")
_MAX_LINKS = 40
_DEPTH = 6  # levels between two links of one list and the element that holds them both


def tag_links(
    tree: lxml.html.HtmlElement, links: Iterable[lxml.html.HtmlElement] | None = None
) -> list[str]:
    """The texts of the links of the page's tag list, in page order (empty when it shows
    none). One pass over the page's links finds the candidates; only their lists are looked at
    further. When several lists qualify, the one in (or right after) the article that holds
    the page's h1 wins, then one the markup calls a tag list, then the first. ``links`` are
    the tree's ``<a>`` elements in page order, when the caller has them."""
    candidates = [a for a in (tree.iter("a") if links is None else links) if _candidate(a)]
    lists = []
    for links in _groups(candidates):
        listed = _list(links)
        if listed is not None:
            lists.append((listed, _container(links)))
    if not lists:
        return []
    (found, best), holder = max(lists, key=lambda item: item[0][1])
    # the lists of one tag block ("Topics", "People in this story", "Places in this story")
    block = _ancestors(holder, 3)
    texts: list[str] = []
    for (tags, rank), container in lists:
        if container is holder or (
            rank[0] == best[0] and any(e in block for e in _ancestors(container, 3))
        ):
            texts += tags
    return list(dict.fromkeys(texts))


def _candidate(a: lxml.html.HtmlElement) -> bool:
    href = a.get("href")
    if href and _TAG_PATH.search(href):
        return True
    if a.get("rel") == "tag":
        return True
    # the link's class, then its parent's (written out: this runs on every link of a page)
    names = a.get("class")
    if names and _hinted(names.lower()) and _named(a):
        return True
    parent = a.getparent()
    if parent is None:
        return False
    names = parent.get("class")
    if names and _hinted(names.lower()) and _named(parent):
        return True
    # the first item of a list under a heading "Tags", "Themen", "Mehr lesen über"
    return parent.tag == "li" and parent.getprevious() is None and _headed(parent.getparent())


def _hinted(names: str) -> bool:
    """A quick look at a class for a word that may name a tag list (_named decides): plain
    substring tests, several times faster than a regular expression on long class lists."""
    return (
        "tag" in names
        or "topic" in names
        or "keyword" in names
        or "them" in names
        or "schlagw" in names
        or "sujet" in names
        or "tema" in names
    )


def _headed(element: lxml.html.HtmlElement | None) -> bool:
    """True when the element just before ``element`` is a short heading that calls it the
    article's tags."""
    previous = element.getprevious() if element is not None else None
    if previous is None or not isinstance(previous.tag, str):
        return False
    chunks: list[str] = []
    for count, chunk in enumerate(previous.itertext()):
        if count > 20 or len(chunks) > 3:
            return False  # more than a heading
        if not chunk.isspace():
            chunks.append(chunk)
    return _HEADING.fullmatch(" ".join(" ".join(chunks).split())) is not None


def _names(element: lxml.html.HtmlElement) -> set[str]:
    words: set[str] = set()
    for attribute in ("class", "id", "aria-label"):
        value = element.get(attribute)
        if value:
            words.update(w.lower() for w in _NAME_SPLIT.split(value) if w)
    return words


def _trap(words: set[str]) -> bool:
    return bool(words & _TRAP_WORDS) or any(
        "menu" in w or w.startswith("nav") or w.endswith("nav") for w in words
    )


def _named(element: lxml.html.HtmlElement) -> bool:
    words = _names(element)
    return bool(words & _TAG_WORDS) and not _trap(words)


def _groups(candidates: list[lxml.html.HtmlElement]) -> list[list[lxml.html.HtmlElement]]:
    """The candidates that sit together, in page order: a run of links that the same element
    holds, at most _DEPTH levels and as many levels above each (a list's items are alike; the
    links of a paragraph make one run, those of the next paragraph another)."""
    groups: list[list[lxml.html.HtmlElement]] = []
    holder = None
    last: list[lxml.html.HtmlElement] = []
    for a in candidates:
        chain = _ancestors(a, _DEPTH)
        level = next((i for i, e in enumerate(chain) if e in last), None)
        same = level is not None and level < len(last) and last[level] is chain[level]
        common = chain[level] if same and level is not None else None
        if groups and common is not None and (holder is None or common is holder):
            groups[-1].append(a)
            holder = common
        else:
            groups.append([a])
            holder = None
        last = chain
    return groups


def _ancestors(element: lxml.html.HtmlElement, depth: int) -> list[lxml.html.HtmlElement]:
    found: list[lxml.html.HtmlElement] = []
    parent = element.getparent()
    while parent is not None and len(found) < depth:
        found.append(parent)
        parent = parent.getparent()
    return found


def _container(links: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement | None:
    """The element that holds all the links: for one link, its list (the parent of its list
    item, else its parent)."""
    if len(links) == 1:
        parent = links[0].getparent()
        if parent is not None and parent.tag == "li":
            parent = parent.getparent()
        return parent
    second = _ancestors(links[1], _DEPTH)
    return next((e for e in _ancestors(links[0], _DEPTH) if e in second), None)


def _list(links: list[lxml.html.HtmlElement]) -> tuple[list[str], tuple[int, int]] | None:
    """The tags of a run of candidate links, and its rank, or None when it is no tag list."""
    container = _container(links)
    if container is None:
        return None
    all_links = list(container.iter("a"))
    if len(all_links) > _MAX_LINKS:
        return None
    named = (
        any(_named(e) for e in (container, *_ancestors(container, 2)))
        or any(_named(e) for a in links[:3] for e in (a, a.getparent()) if e is not None)
        or _headed(container)
    )
    # rel=tag: the markup says which links are the tags, whatever stands beside them
    marked = all(a.get("rel") == "tag" for a in links)
    if len(links) == 1 and not named and not marked:
        return None  # a kicker, a teaser's topic label
    if not named and not marked and 4 * len(links) < 3 * len(all_links):
        return None  # a teaser's headline beside its topic label, a menu with a few topic pages
    shown = all_links if named and not marked else links
    texts = [" ".join(a.text_content().split()) for a in shown]
    if any(len(t) > 60 or t.count(" ") >= _MAX_WORDS for t in texts):
        return None  # headlines: a list of teasers
    own = len(" ".join(container.text_content().split())) - sum(len(t) + 1 for t in texts)
    if own > _MAX_LABEL and not marked:
        return None  # a paragraph's links, a teaser's text
    label = _label(container)
    if label and _TRAP_LABEL.search(label) and not marked:
        return None
    if container.tag == "p" and not named and not _TAG_LABEL.match(label):
        return None  # places or names a paragraph lists ("Miyazaki: Takanabe, Shintomi")
    place = _place(container, named, marked)
    if place < 0:
        return None
    tags = [t for t in texts if t and not _LIST_LABEL.fullmatch(t)]
    return tags, (place + named, len(tags) > 1)


def _place(container: lxml.html.HtmlElement, named: bool, marked: bool = False) -> int:
    """2 in or right after the story (the article element with the h1), 1 elsewhere in an
    article or main element, 0 outside, -1 in the site's header, footer or menus, or in a
    widget named for what is trending or popular."""
    menu = frame = False
    for depth, element in enumerate([container, *container.iterancestors()]):
        if element.tag in _CONTENT_TAGS or element.get("role") == "main":
            story = element.tag == "article" and next(element.iter("h1"), None) is not None
            return 2 if story else 1
        previous = element.getprevious() if depth < 3 else None
        if previous is not None and previous.tag == "article":
            return 2 if next(previous.iter("h1"), None) is not None else 1
        words = _names(element)
        if depth < _DEPTH and not marked and _trap(words):
            return -1
        if (
            element.tag in _FRAME_TAGS
            or element.get("role") in _FRAME_ROLES
            or words & _FRAME_WORDS
        ):
            frame = True
        if element.tag in _MENU_TAGS or element.get("role") in _MENU_ROLES:
            menu = True
    return -1 if frame or (menu and not named) else 0


def _label(container: lxml.html.HtmlElement) -> str:
    """The text before the list: its own first words, or the heading just before it."""
    text = (container.text or "").strip()
    first = next(container.iterchildren(lxml.etree.Element), None)  # not a comment or a PI
    if not text and first is not None and first.tag not in ("a", "li"):
        text = " ".join(first.text_content().split())[:_MAX_LABEL]
    previous = container.getprevious()
    if previous is not None and previous.tag in ("h2", "h3", "h4", "h5", "h6", "p", "span", "div"):
        text += " " + " ".join(previous.text_content().split())[:_MAX_LABEL]
    return text
