"""Last hints of an article's section, read only when no declared name, crumb, title or URL
gives one: the analytics data layer's section key, and the menu item the page marks as the
one it belongs to."""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html

from newsarc.extractor.sectionforms import NOT_SECTIONS, is_language_step
from newsarc.extractor.titles import clean_text

# The analytics objects that name the page's section (Google Tag Manager's dataLayer,
# Tealium's utag_data, the W3C's digitalData), and their well-known keys for it.
_DATA_LAYERS = ("dataLayer", "utag_data", "digitalData")
# The statement that sets one: "dataLayer.push({...})", "var utag_data = {...}"
_DATA_LAYER_SET = re.compile(r"(?:dataLayer|utag_data|digitalData)\s*(?:=(?!=)|\.push\()")
_CURRENT = ("page", "true", "location", "step")
_SECTION_KEY = re.compile(
    r"""["']?\b(?:section|sectionName|section_name|pageSection|page_section|contentSection"""
    r"""|content_section|siteSection|site_section|articleSection|primaryCategory)["']?"""
    r"""\s*[:=]\s*["']([^"'\\<>]{1,60})["']"""
)
# "nachrichten:politik", "news/world", "news > politics", "News, Politics": the section's
# path, last step last
_PATH_STEP = re.compile(r"\s*[:/>|,]\s*|\s+-\s+")
# Values that name no section: a page kind, an empty default
_NO_SECTION = NOT_SECTIONS | {
    "article",
    "story",
    "page",
    "content",
    "detail",
    "undefined",
    "null",
    "none",
    "n/a",
    "other",
    "false",
    "true",
}
# "active", "current-menu-item", "is-active", "menu-item--active-trail", "selected"
_ACTIVE = re.compile(r"(?:^|[\s_-])(?:active|current|selected)(?:$|[\s_-])")


def last_section_hints(tree: lxml.html.HtmlElement, url: str) -> tuple[str | None, str | None]:
    """The section an inline analytics data layer names, and the one the menu marks as the
    page's own (see :func:`data_layer_section`, :func:`active_menu_section`); both found in
    one walk over the page's scripts, list items and links."""
    scripts: list[str] = []
    marked: list[lxml.html.HtmlElement] = []
    for element in tree.iter("script", "li", "a"):
        if element.tag == "script":
            text = element.text
            if text and any(mark in text for mark in _DATA_LAYERS) and not element.get("src"):
                scripts.append(text)
            continue
        # substring tests first: the walk passes every list item and link of the page
        marks = element.get("class")
        if marks and ("activ" in marks or "current" in marks or "selected" in marks):
            if _ACTIVE.search(marks):
                marked.append(element)
        elif element.tag == "a" and element.get("aria-current") in _CURRENT:
            marked.append(element)
    return data_layer_section(scripts), active_menu_section(marked, url)


def data_layer_section(scripts: list[str]) -> str | None:
    """The section an inline analytics data layer names (``dataLayer.push({"section":
    "Politics"})``, ``utag_data = {"page_section": "sports"}``, ``digitalData.page.category.
    primaryCategory``): the last step of its value ("politik" of "nachrichten:politik"), or
    None. Only the statements of ``scripts`` that set one of those objects are read."""
    for text in scripts:
        for mark in _DATA_LAYERS:
            start = text.find(mark)
            while start >= 0:
                setting = _DATA_LAYER_SET.match(text, start)
                start = text.find(mark, start + len(mark))
                if setting is None:
                    continue
                # the statement only ("window.dataLayer = window.dataLayer || [];" names
                # nothing): a page's other state can hold a "section" key of its own
                end = text.find(";", setting.end())
                found = _SECTION_KEY.search(text, setting.end(), end if end >= 0 else len(text))
                if found is None:
                    continue
                steps = [clean_text(s) for s in _PATH_STEP.split(found.group(1))]
                named = [s for s in steps if s and s.casefold() not in _NO_SECTION]
                if named and any(c.isalpha() for c in named[-1]):
                    return named[-1]
    return None


def active_menu_section(marked: list[lxml.html.HtmlElement], url: str) -> str | None:
    """The text of the menu link the page marks as its own (``marked``: a list item or link
    with a class "active", "current", "selected", or ``aria-current``) whose address is a
    section above the page's: a path that the page's own path continues. That rules out a
    language switcher, tabs and pagination (they point at the page itself or at a language's
    root); of several, the deepest."""
    page = urlsplit(url)
    page_path = unquote(page.path).lower()
    best: tuple[int, str] | None = None
    for element in marked:
        link = element if element.tag == "a" else element.find(".//a")
        href = link.get("href") if link is not None else None
        if not href or not in_menu(element):
            continue
        target = urlsplit(urljoin(url, href.strip()))
        path = unquote(target.path).rstrip("/").lower()
        if target.hostname != page.hostname or not path or not page_path.startswith(path + "/"):
            continue
        if is_language_step(path.strip("/")) and _switches_language(link):
            continue  # "/en/": the language switcher ("/tv/" is a section)
        text = next((t for t in (clean_text(p) for p in link.itertext()) if t), "")
        if 0 < len(text) <= 40 and any(c.isalpha() for c in text):
            if best is None or len(path) > best[0]:
                best = (len(path), text)
    return best[1] if best else None


def _switches_language(link: lxml.html.HtmlElement) -> bool:
    """True for a language switcher's link: it has ``hreflang`` or ``lang``, or it or a
    container up to four levels above says "lang" in its class or id ("wpml-ls-current-language",
    "lang-item", "language-menu")."""
    if link.get("hreflang") or link.get("lang"):
        return True
    for depth, above in enumerate([link, *link.iterancestors()]):
        if "lang" in f"{above.get('class', '')} {above.get('id', '')}".lower():
            return True
        if depth >= 4:
            break
    return False


def in_menu(element: lxml.html.HtmlElement) -> bool:
    """True for an element inside a menu: a ``nav``, or an element whose class or id says
    "nav" or "menu", up to six levels above it."""
    for depth, above in enumerate(element.iterancestors()):
        marks = f"{above.get('class', '')} {above.get('id', '')}".lower()
        if above.tag == "nav" or "nav" in marks or "menu" in marks:
            return True
        if depth >= 6:
            return False
    return False
