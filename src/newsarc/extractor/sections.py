"""The article's section: JSON-LD, meta tags, breadcrumbs, the title pattern, the URL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin

import lxml.html

from newsarc.extractor import jsonld
from newsarc.extractor.sectionforms import display_form, needs_display_form, url_section
from newsarc.extractor.titles import (
    GENERIC_SECTIONS,
    clean_text,
    key,
    norm,
    split_title,
)

_UNSPACED_COMMA = re.compile(r",\S")
# "BBC News - World", "Opinion | The Times": the site's name beside the section's
_SITE_SEPARATOR = re.compile(r"\s+(?:\||–|—|-|::|·|•)\s+")
# "Sport > Football", "News » World", "Home / News / World": a trail, most specific last
_TRAIL_SEPARATOR = re.compile(r"\s*(?:>|›|»|→)\s*|\s+/\s+")
_ELLIPSIS = re.compile(r"(?:…|\.\.\.)$")
# Meta tags that name the section, after article:section: schema.org microdata's
# articleSection, and the og:/Parse.ly/plain "section" names some CMSs write instead
_SECTION_METAS = ("article:section", "articlesection", "og:section", "parsely-section", "section")
_TAG_METAS = ("article:tag", "news_keywords", "keywords", "parsely-tags", "sailthru.tags")


def _clean_section(
    value: str | None,
    site_keys: set[str],
    headline: str | None,
    tag_lists: list[set[str]] | None = None,
) -> str | None:
    text = clean_text(value)
    # "Sport,Football,Premier League" and "Global,Innovation" are lists (a name with a comma
    # is written with a space after it): the first one; unless the list is the page's tag
    # list, word for word: then the CMS wrote its tags there, which name no section
    if text.count(",") >= 2 or "," in text and (len(text) > 20 or _UNSPACED_COMMA.search(text)):
        listed = {key(part) for part in text.split(",")} - {""}
        if len(listed) >= 3 and listed in (tag_lists or []):
            return None
        text = text.split(",")[0].strip()
    text = _named_part(text, site_keys)
    if not text or len(text) > 60:
        return None
    if key(text) in site_keys or text.casefold() in GENERIC_SECTIONS:
        return None
    if headline and norm(text) == norm(headline):
        return None
    return text


def _named_part(text: str, site_keys: set[str]) -> str:
    """The section's own name in a value that also names the site or the sections above it:
    "BBC News - World" and "Opinion | The Times" give "World" and "Opinion", "Sport > Football"
    gives "Football"."""
    parts = _SITE_SEPARATOR.split(text)
    if len(parts) > 1:
        # the site's own name, word for word: a looser match would take "Health" for the
        # site on healthnewstoday.com
        others = [p for p in parts if key(p) not in site_keys]
        if len(others) == 1:
            text = others[0]
    steps = _TRAIL_SEPARATOR.split(text)
    if len(steps) > 1:
        named = [s for s in steps if _names_a_section(s, site_keys)]
        return named[-1] if named else ""
    return text


def _names_a_section(name: str, site_keys: set[str]) -> bool:
    return bool(name) and key(name) not in site_keys and name.casefold() not in GENERIC_SECTIONS


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

    In order: JSON-LD ``articleSection``, ``article:section`` (and the other section metas),
    the breadcrumb trail, the "Headline | Section | Site" title pattern, a section-like URL
    path. A name written as a slug or in one case ("us_politics", "WORLD") takes the spelling
    the page shows elsewhere (a crumb, the title), else is spelled as a name.
    """
    # The breadcrumb search walks the whole page: it is done once, and only when needed.
    found_trail: list[list[tuple[str, str]]] = []

    def trail() -> list[tuple[str, str]]:
        if not found_trail:
            found_trail.append(_crumbs(items, tree, headline, url))
        return found_trail[0]

    tag_lists = _tag_lists(article, metas)

    def clean(value: str | None) -> str | None:
        return _clean_section(value, site_keys, headline, tag_lists)

    # Each source is read only when the ones before it name no section.
    def candidates() -> Iterator[str | None]:
        if article is not None:
            declared = article.get("articleSection")
            entries = declared if isinstance(declared, list) else [declared]
            listed = [c for c in (clean(jsonld.text_of(e)) for e in entries) if c]
            if len(listed) > 1:
                # ["World", "Europe"]: when the breadcrumb trail names one of them, that one
                # (the trail ends at the most specific); else the first, as declared
                crumb = clean(_trail_section(trail(), site_keys))
                if crumb and key(crumb) in {key(x) for x in listed}:
                    yield crumb
            yield from listed
        for name in _SECTION_METAS:
            yield from metas.get(name, [])
        yield _trail_section(trail(), site_keys)
        if title:
            yield from split_title(title, site_keys).sections[:1]
        yield url_section(url)

    for candidate in candidates():
        cleaned = clean(candidate)
        if cleaned:
            if needs_display_form(cleaned):
                shown = [name for name, _ in trail()]
                if title:
                    shown += split_title(title, site_keys).sections
                return display_form(cleaned, shown)
            return cleaned
    return None


def _tag_lists(article: jsonld.JsonDict | None, metas: dict[str, list[str]]) -> list[set[str]]:
    """The comparison keys of each of the page's tag and keyword lists (article:tag, keywords,
    JSON-LD keywords...), to tell a tag list written as the section from a list of sections."""
    sources = [metas.get(name, []) for name in _TAG_METAS]
    if article is not None:
        sources.append(list(jsonld.iter_strings(article.get("keywords"))))
    found = []
    for values in sources:
        keys = {key(part) for value in values for part in value.split(",")} - {""}
        if keys:
            found.append(keys)
    return found


def _crumbs(
    items: list[jsonld.JsonDict], tree: lxml.html.HtmlElement, headline: str | None, url: str
) -> list[tuple[str, str]]:
    """The breadcrumb trail (name, link) from JSON-LD or breadcrumb markup, without the
    crumb that is the article itself."""
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
    while crumbs and _is_article_crumb(*crumbs[-1], headline, url):
        crumbs.pop()
    return crumbs


def _is_article_crumb(name: str, link: str, headline: str | None, url: str) -> bool:
    """The trail's last crumb names the article: its headline, a long text, a link to the page
    itself, or an unlinked crumb that shortens the headline ("Council weighs plan to…")."""
    if link and urljoin(url, link).rstrip("/") == url.rstrip("/"):
        return True
    if not headline:
        return False
    if norm(name) == norm(headline) or len(name) > 60:
        return True
    start = norm(_ELLIPSIS.sub("", name)).rstrip()
    return not link and (
        bool(_ELLIPSIS.search(name)) or len(start) >= 20 and norm(headline).startswith(start)
    )


def _trail_section(crumbs: list[tuple[str, str]], site_keys: set[str]) -> str | None:
    """The last crumb that names a section."""
    for name, _ in reversed(crumbs):
        if _names_a_section(name, site_keys):
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
    """The first ``nav``/``ol``/``ul``/``div`` elements whose class, id, aria-label or
    microdata itemtype (schema.org's BreadcrumbList) says "breadcrumb" (in any case), in page
    order."""
    # A walk in Python: an XPath lower-casing three attributes of every such element
    # (translate()) cost most of a millisecond on a large page.
    found: list[lxml.html.HtmlElement] = []
    for element in tree.iter("nav", "ol", "ul", "div"):
        for attribute in ("class", "aria-label", "id", "itemtype"):
            value = element.get(attribute)
            if value is not None and "breadcrumb" in value.lower():
                found.append(element)
                break
        if len(found) >= limit:
            break
    return found
