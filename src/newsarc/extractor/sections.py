"""The article's section: JSON-LD, meta tags, breadcrumbs, the title pattern, the URL."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html

from newsarc.extractor import jsonld
from newsarc.extractor.authors import LEAD_WORDS
from newsarc.extractor.sectionforms import (
    NOT_SECTIONS,
    display_form,
    is_slug,
    needs_display_form,
    slug_holds,
    spells,
    url_section,
    url_section_step,
)
from newsarc.extractor.sectionhints import in_menu, last_section_hints
from newsarc.extractor.titles import clean_text, key, norm, split_title

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
    tag_lists: Callable[[], list[set[str]]] | None = None,
) -> str | None:
    """``value`` as a section's name, or None when it names none; ``tag_lists`` gives the
    page's tag lists (``_tag_lists``), asked only for a value that is a list."""
    text = clean_text(value)
    # "Sport,Football,Premier League" and "Global,Innovation" are lists (a name with a comma
    # is written with a space after it): the first one; unless the list is the page's tag
    # list, word for word: then the CMS wrote its tags there, which name no section
    if text.count(",") >= 2 or "," in text and (len(text) > 20 or _UNSPACED_COMMA.search(text)):
        listed = {key(part) for part in text.split(",")} - {""}
        if len(listed) >= 3 and tag_lists is not None and listed in tag_lists():
            return None
        text = text.split(",")[0].strip()
    text = _named_part(text, site_keys)
    if not text or len(text) > 60:
        return None
    if key(text) in site_keys or text.casefold() in NOT_SECTIONS:
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
        if len(others) > 1:
            # "Politics - News": a CMS joins the section to the one above it; "News - News"
            # names none
            others = [p for p in others if p.casefold() not in NOT_SECTIONS] or [""]
        if len(others) == 1:
            text = others[0]
    steps = _TRAIL_SEPARATOR.split(text)
    if len(steps) > 1:
        named = [s for s in steps if _names_a_section(s, site_keys)]
        return named[-1] if named else ""
    return text


def _names_a_section(name: str, site_keys: set[str]) -> bool:
    return bool(name) and key(name) not in site_keys and name.casefold() not in NOT_SECTIONS


def find_section(
    article: jsonld.JsonDict | None,
    metas: dict[str, list[str]],
    items: list[jsonld.JsonDict],
    tree: lxml.html.HtmlElement,
    title: str | None,
    headline: str | None,
    url: str,
    site_keys: set[str],
    links: Iterable[lxml.html.HtmlElement] | None = None,
) -> str | None:
    """The section's display name, from the most trusted source that names one.

    In order: JSON-LD ``articleSection``, ``article:section`` (and the other section metas),
    the breadcrumb trail, the "Headline | Section | Site" title pattern, a section-like URL
    path. A name written as a slug or in one case ("us_politics", "WORLD") takes the spelling
    the page shows elsewhere (a crumb, the title), else is spelled as a name. ``links`` are
    the tree's ``<a>`` elements in page order, when the caller has them.
    """
    # The breadcrumb search walks the whole page: it is done once, and only when needed.
    found_trail: list[list[tuple[str, str]]] = []

    def trail() -> list[tuple[str, str]]:
        if not found_trail:
            found_trail.append(_crumbs(items, tree, headline, url))
            # a page whose heading words the headline otherwise may end its trail with the
            # search-engine title, which the <title> writes too
            seo = split_title(title, site_keys).headline if title else None
            if seo and found_trail[0] and _is_article_crumb(*found_trail[0][-1], seo, url):
                found_trail[0] = _crumbs(items, tree, seo, url)
        return found_trail[0]

    # the tag lists are read only for a value written as a list (few are)
    found_tag_lists: list[list[set[str]]] = []

    def tag_lists() -> list[set[str]]:
        if not found_tag_lists:
            found_tag_lists.append(_tag_lists(article, metas))
        return found_tag_lists[0]

    def clean(value: str | None) -> str | None:
        return _clean_section(value, site_keys, headline, tag_lists)

    # Each source is read only when the ones before it name no section.
    def candidates() -> Iterator[tuple[str | None, str]]:
        if article is not None:
            declared = article.get("articleSection")
            entries = declared if isinstance(declared, list) else [declared]
            listed = [c for c in (clean(jsonld.text_of(e)) for e in entries) if c]
            if len(listed) > 1:
                # ["World", "Europe"]: when the breadcrumb trail names one of them, that one
                # (the trail ends at the most specific); else the first, as declared
                crumb = clean(_trail_section(trail(), site_keys))
                if crumb and key(crumb) in {key(x) for x in listed}:
                    yield crumb, "declared"
            yield from ((c, "declared") for c in listed)
        for name in _SECTION_METAS:
            yield from ((m, "declared") for m in metas.get(name, []))
        yield jsonld.text_of(parsely_page(metas).get("section")), "declared"
        yield _trail_section(trail(), site_keys), "trail"
        yield _category_link(tree, links), "category"
        if title:
            for part in split_title(title, site_keys).sections[:1]:
                if not LEAD_WORDS.match(f"{part} "):  # "Headline - by Dana Kim - Site"
                    yield part, "title"
        yield url_section(url), "url"
        # last hints, read only when nothing above names a section
        data_layer, menu = last_section_hints(tree, url)
        yield data_layer, "data layer"
        yield menu, "menu"

    for candidate, source in candidates():
        cleaned = clean(candidate)
        if not cleaned:
            continue
        if source == "url":
            # /politica/ and /caijing/: the site's own link to the section spells its name
            cleaned = clean(_link_text(tree, url, links)) or cleaned
        if is_slug(cleaned):
            # "news-politics-us", "wirtschaft_unternehmen": the CMS's machine name of the crumb
            # that names the section, the trail's most specific one written inside it
            for name, _ in reversed(trail()):
                if _names_a_section(name, site_keys) and slug_holds(cleaned, name):
                    return name
        if needs_display_form(cleaned):
            shown = [name for name, _ in trail()]
            if title:
                shown += split_title(title, site_keys).sections
            return display_form(cleaned, shown)
        return cleaned
    return None


def parsely_page(metas: dict[str, list[str]]) -> jsonld.JsonDict:
    """Parse.ly's older page metadata, a JSON object in one meta tag ("parsely-page") with
    the article's "section" and "tags"; empty when the page has none or it does not parse."""
    for value in metas.get("parsely-page", [])[:1]:
        try:
            found = json.loads(value)
        except ValueError:
            return {}
        return found if isinstance(found, dict) else {}
    return {}


_XML_SPACES = str.maketrans("\t\n\r", "   ")


def _category_link(
    tree: lxml.html.HtmlElement, links: Iterable[lxml.html.HtmlElement] | None = None
) -> str | None:
    """The first link a blog theme marks as the post's category (``rel="category tag"``,
    WordPress's markup for the categories a post is filed in)."""
    for link in tree.iter("a") if links is None else links:
        rel = link.get("rel")
        # a word of rel, apart by XML's spaces (as XPath's normalize-space)
        if rel and "category" in rel and "category" in rel.translate(_XML_SPACES).split(" "):
            return clean_text(link.text_content())
    return None


def _link_text(
    tree: lxml.html.HtmlElement, url: str, links: Iterable[lxml.html.HtmlElement] | None = None
) -> str | None:
    """The name the page's own links to the section give it, the section that the URL's path
    names: a link whose text spells the path's step ("Kapitalmärkte" for /kapitalmaerkte),
    else the first such link in a menu (``nav``, or a class or id with "nav" or "menu").
    A link's text is its first piece ("Schleswig-Holstein" of "Schleswig-Holstein<b>SH</b>")."""
    found = url_section_step(url)
    if not found:
        return None
    name, path = found[0], found[1].lower()
    last = path.rsplit("/", 1)[-1]
    host = urlsplit(url).hostname
    menu_text = None
    for link in tree.iter("a") if links is None else links:
        href = link.get("href")
        # a cheap test first: few links name the step, and urljoin costs microseconds
        if not href or last not in href.lower():
            continue
        target = urlsplit(urljoin(url, href.strip()))
        if target.hostname != host or unquote(target.path).rstrip("/").lower() != path:
            continue
        text = next((t for t in (clean_text(p) for p in link.itertext()) if t), "")
        if not 0 < len(text) <= 40 or not any(c.isalpha() for c in text):
            continue
        if spells(text, name):
            return text
        if menu_text is None and in_menu(link):
            menu_text = text
    return menu_text


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
        # all its attributes' values at once first: most name no breadcrumb
        values = element.values()
        if not values or "breadcrumb" not in " ".join(values).lower():
            continue
        for attribute in ("class", "aria-label", "id", "itemtype"):
            value = element.get(attribute)
            if value is not None and "breadcrumb" in value.lower():
                found.append(element)
                break
        if len(found) >= limit:
            break
    return found
