"""The article's section: JSON-LD, meta tags, breadcrumbs, the title pattern, the URL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html

from newsarc.extractor import jsonld
from newsarc.extractor.titles import GENERIC_SECTIONS, clean_text, key, norm, split_title

_UNSPACED_COMMA = re.compile(r",\S")


def _clean_section(value: str | None, site_keys: set[str], headline: str | None) -> str | None:
    text = clean_text(value)
    # "Sport,Football,Premier League" and "Global,Innovation" are lists (a name with a comma
    # is written with a space after it): the first one
    if text.count(",") >= 2 or "," in text and (len(text) > 20 or _UNSPACED_COMMA.search(text)):
        text = text.split(",")[0].strip()
    if not text or len(text) > 60:
        return None
    if key(text) in site_keys or text.casefold() in GENERIC_SECTIONS:
        return None
    if headline and norm(text) == norm(headline):
        return None
    return text


def find_section(
    article: jsonld.JsonDict | None,
    metas: dict[str, list[str]],
    items: list[jsonld.JsonDict],
    tree: lxml.html.HtmlElement,
    title: str | None,
    headline: str | None,
    url: str,
    site_keys: set[str],
) -> str | None:
    """The section's display name, from the most trusted source that names one.

    In order: JSON-LD ``articleSection``, ``article:section``, the breadcrumb trail, the
    "Headline | Section | Site" title pattern, a section-like first URL path segment.
    """

    # Each source is read only when the ones before it name no section: the breadcrumb
    # search walks the whole page.
    def candidates() -> Iterator[str | None]:
        if article is not None:
            yield jsonld.text_of(article.get("articleSection"))
        yield from metas.get("article:section", [])
        yield _breadcrumb_section(items, tree, headline, url, site_keys)
        if title:
            yield from split_title(title, site_keys).sections[:1]
        yield _url_section(url)

    for candidate in candidates():
        cleaned = _clean_section(candidate, site_keys, headline)
        if cleaned:
            return cleaned
    return None


def _breadcrumb_section(
    items: list[jsonld.JsonDict],
    tree: lxml.html.HtmlElement,
    headline: str | None,
    url: str,
    site_keys: set[str],
) -> str | None:
    """The last crumb before the article itself, from JSON-LD or breadcrumb markup."""
    crumbs: list[tuple[str, str]] = []
    for item in items:
        if "breadcrumblist" in jsonld.types_of(item):
            elements = item.get("itemListElement")
            if isinstance(elements, list):
                ordered = sorted(
                    (e for e in elements if isinstance(e, dict)),
                    key=lambda e: _position(e.get("position")),
                )
                for element in ordered:
                    thing = element.get("item")
                    name = jsonld.text_of(element.get("name")) or jsonld.text_of(thing)
                    link = (
                        thing
                        if isinstance(thing, str)
                        else (thing.get("@id", "") if isinstance(thing, dict) else "")
                    )
                    if name:
                        crumbs.append((name, str(link)))
            if crumbs:
                break
    if not crumbs:
        crumbs = _markup_crumbs(tree)
    while crumbs and (
        (headline and (norm(crumbs[-1][0]) == norm(headline) or len(crumbs[-1][0]) > 60))
        or (crumbs[-1][1] and urljoin(url, crumbs[-1][1]).rstrip("/") == url.rstrip("/"))
    ):
        crumbs.pop()
    for name, _ in reversed(crumbs):
        if key(name) not in site_keys and name.casefold() not in GENERIC_SECTIONS:
            return name
    return None


def _position(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def _markup_crumbs(tree: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    for container in _crumb_containers(tree):
        entries = container.xpath(".//li") or container.xpath(".//a")
        crumbs = []
        for entry in entries[:15]:
            name = clean_text(entry.text_content())
            links = entry.xpath("descendant-or-self::a/@href")
            if name and len(name) <= 80:
                crumbs.append((name, str(links[0]) if links else ""))
        if crumbs:
            return crumbs
    return []


def _crumb_containers(tree: lxml.html.HtmlElement, limit: int = 3) -> list[lxml.html.HtmlElement]:
    """The first ``nav``/``ol``/``ul``/``div`` elements whose class, id or aria-label says
    "breadcrumb" (in any case), in page order."""
    # A walk in Python: an XPath lower-casing three attributes of every such element
    # (translate()) cost most of a millisecond on a large page.
    found: list[lxml.html.HtmlElement] = []
    for element in tree.iter("nav", "ol", "ul", "div"):
        for attribute in ("class", "aria-label", "id"):
            value = element.get(attribute)
            if value is not None and "breadcrumb" in value.lower():
                found.append(element)
                break
        if len(found) >= limit:
            break
    return found


_URL_STOP = GENERIC_SECTIONS | {
    "a",
    "p",
    "s",
    "c",
    "id",
    "de",
    "en",
    "fr",
    "es",
    "it",
    "nl",
    "pt",
    "amp",
    "html",
    "www",
    "stories",
    "story",
    "post",
    "posts",
    "page",
    "pages",
    "item",
    "items",
    "detail",
    "details",
    "read",
    "view",
    "node",
    "articles",
    "artikel",
    "inhalt",
    "meldung",
    "beitrag",
}


_URL_WORDS = re.compile(r"[a-zA-Z\u00c0-\u024f]+(?:[-_][a-zA-Z\u00c0-\u024f]+){0,2}")
_DASHES = re.compile(r"[-_]+")


def _url_section(url: str) -> str | None:
    """A section-like first path segment (/world/..., /politik/...) turned into a name."""
    segments = [unquote(s) for s in urlsplit(url).path.split("/") if s]
    if len(segments) < 2:
        return None
    first = segments[0]
    if not _URL_WORDS.fullmatch(first):
        return None
    if len(first) < 3 or len(first) > 30 or first.lower() in _URL_STOP:
        return None
    name = _DASHES.sub(" ", first)
    return name[:1].upper() + name[1:]
