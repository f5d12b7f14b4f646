"""Article metadata: headline, dates, section, authors, site, language, description, URL, topics.

Structured markup comes first (JSON-LD, OpenGraph and other meta tags), then visible markup
(``<h1>``, breadcrumbs, bylines, ``<time>``), then the title pattern and the URL. No rule here
knows any particular site: every one reads a convention that many publishers share.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import lxml.html

from newsarc.extractor import authors as author_rules
from newsarc.extractor import jsonld, liveblog
from newsarc.extractor.canonical import find_canonical
from newsarc.extractor.dates import best_published
from newsarc.extractor.drupalfields import from_drupal_fields
from newsarc.extractor.headings import h1_text, heading_parts, stands_alone
from newsarc.extractor.headline import choose_headline
from newsarc.extractor.language import best_language, declared_languages, page_text
from newsarc.extractor.listing import page_kind
from newsarc.extractor.markupbyline import from_markup
from newsarc.extractor.modified import best_modified
from newsarc.extractor.plainbyline import from_plain_line, from_text_credits
from newsarc.extractor.sections import find_section
from newsarc.extractor.sitename import copyright_lines, declared_names, find_site
from newsarc.extractor.tagged import Tagged
from newsarc.extractor.titles import clean_text, key, title_dates
from newsarc.extractor.topics import find_topics
from newsarc.urls import site_host

log = logging.getLogger(__name__)

_TAG = re.compile(r"<[^>]{0,200}>")


@dataclass
class Metadata:
    """What the page says about its article, apart from the body."""

    headline: str | None = None
    published: str | None = None
    modified: str | None = None  # last updated, only when after published
    section: str | None = None
    authors: list[str] = field(default_factory=list)
    site: str | None = None
    language: str | None = None
    description: str | None = None
    canonical_url: str | None = None
    topics: list[str] = field(default_factory=list)  # keywords/tags
    # what the markup calls the page: "article", "listing" (a front or section page) or None
    kind: str | None = None
    # a live blog: schema.org LiveBlogPosting, or one by its words and its run of updates
    live: bool = False


def collect_metas(
    tree: lxml.html.HtmlElement, tagged: Tagged | None = None
) -> dict[str, list[str]]:
    """Meta tag contents by lower-cased name/property/itemprop/http-equiv, in page order.
    ``tagged`` holds the tree's elements of a few tags, when the caller has them."""
    metas: dict[str, list[str]] = {}
    for meta in (tagged or tree).iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        content = content.strip()
        if not content:
            continue
        names: set[str] = set()
        for attr in _META_NAMES:
            name = meta.get(attr)
            if name:
                name = name.strip().lower()
                if name and name not in names:
                    names.add(name)
                    metas.setdefault(name, []).append(content)
    return metas


_META_NAMES = ("property", "name", "itemprop", "http-equiv")


def _first(metas: dict[str, list[str]], *keys: str) -> str | None:
    for k in keys:
        for value in metas.get(k, []):
            text = clean_text(value)
            if text:
                return text
    return None


def extract_metadata(
    tree: lxml.html.HtmlElement, html: str, url: str, tagged: Tagged | None = None
) -> Metadata:
    """Read the article's metadata from a parsed page; pure, and ``tree`` is left untouched.

    ``html`` is the decoded page the tree was parsed from and ``url`` its address (used to
    resolve relative links and as a last hint for the site and section); ``tagged`` holds the
    tree's elements of a few tags, when the caller has them.
    """
    tagged = tagged or Tagged(tree)
    metas = collect_metas(tree, tagged)
    canonical = find_canonical(tagged, _first(metas, "og:url"), url)
    items = jsonld.parse_blocks(tree, tagged)
    by_id = jsonld.index_by_id(items)
    page_urls = [u for u in (url, canonical) if u]
    article = jsonld.pick_article(items, page_urls)
    webpage = jsonld.pick_page(items, page_urls)

    # tree.find(".//title"): the first <title> below the root
    title_el = next((t for t in tagged.iter("title") if t is not tree), None)
    title = clean_text(title_el.text_content()) if title_el is not None else None
    named, structured = declared_names(metas, article, items, by_id)
    site = find_site(named, structured, url, title, copyright_lines(tree))
    site_keys = _site_keys(site, metas, article, by_id, url)

    og_title = _first(metas, "og:title")
    ld_headline = (
        jsonld.text_of(article.get("headline") or article.get("name")) if article else None
    )
    headings, crumbs = _headings(tree, tagged)
    parts = [heading_parts(h) for h in headings]
    heading_texts = [text for text, _ in parts]
    headline = choose_headline(
        heading_texts,
        og_title,
        ld_headline,
        title,
        _first(metas, "twitter:title"),
        site_keys,
        crumbs,
        {text: labels for text, labels in parts},
        lambda text: any(
            stands_alone(h, url) for h, t in zip(headings, heading_texts, strict=True) if t == text
        ),
    )

    description = _first(metas, "og:description", "description", "twitter:description")
    if description is None and article is not None:
        description = jsonld.text_of(article.get("description"))
    if description and "<" in description:
        description = clean_text(_TAG.sub(" ", description)) or None

    structured = []
    for item in (article, webpage):
        if item is not None:
            structured += [jsonld.text_of(item.get(k)) for k in ("datePublished", "dateCreated")]
    published = best_published(
        structured, metas, tree, url, title_dates(title, og_title), tagged=tagged
    )
    schema_live = article is not None and "liveblogposting" in jsonld.types_of(article)
    # the updates are looked for only on a page whose words call it live (see liveblog)
    marked = schema_live or liveblog.marked(url, headline, title)
    updates = liveblog.find_updates(tree) if marked else None
    times = liveblog.update_times(updates)
    published = liveblog.first_posted(published, times)
    modified = best_modified(
        article, webpage, metas, tree, published, tagged=tagged, url=url, updates=times
    )

    # the heading that shows the headline (else the first): a plain "By ..." line is looked
    # for below it
    shown = next(
        (h for h, t in zip(headings, heading_texts, strict=True) if t == headline),
        headings[0] if headings else None,
    )
    found_authors = _authors(article, by_id, metas, tree, site_keys, shown, tagged)

    links = tagged.iter("a")
    section = find_section(article, metas, items, tree, title, headline, url, site_keys, links)
    topics = find_topics(article, metas, tree, site_keys, links)

    ld_language = None
    for item in (article, webpage):
        if item is not None and ld_language is None:
            ld_language = jsonld.text_of(item.get("inLanguage"))
    declared = declared_languages(tree, metas, ld_language)
    text = " ".join(x for x in (headline, description, page_text(tree, tagged=tagged)) if x)
    language = best_language(declared, text)

    return Metadata(
        headline=headline,
        published=published,
        modified=modified,
        section=section,
        authors=found_authors,
        site=site,
        language=language,
        description=description,
        canonical_url=canonical,
        topics=topics,
        kind=page_kind(metas, article, webpage, page_urls),
        live=schema_live or updates is not None,
    )


def _headings(
    tree: lxml.html.HtmlElement, tagged: Tagged
) -> tuple[list[lxml.html.HtmlElement], list[str]]:
    """The page's headline headings, and the texts of ``<h1>`` crumbs of a breadcrumb trail.

    An ``<h1>`` inside a breadcrumb trail or a ``<nav>`` is navigation (often the SEO title put
    there for search engines), not the headline. A page whose only ``<h1>`` is such a crumb shows
    its headline as the first ``<h2>`` of the article: that heading stands in for the ``<h1>``.
    """
    found: list[lxml.html.HtmlElement] = []
    crumbs: list[str] = []
    for h1 in tagged.iter("h1"):
        crumb = h1.get("itemprop") == "itemListElement" or any(
            a.tag == "nav"
            or a.get("itemprop") == "itemListElement"
            or "breadcrumb" in (a.get("class") or "").lower()
            or a.get("itemtype", "").endswith("BreadcrumbList")
            for a in h1.iterancestors()
        )
        if crumb:
            crumbs.append(h1_text(h1))
        else:
            found.append(h1)
        if len(found) >= 10:
            break
    if found or not crumbs:
        return found, []
    for h2 in tree.iter("h2"):
        tags = {a.tag for a in h2.iterancestors()}
        if tags & {"nav", "aside", "footer"}:
            continue
        if tags & {"article", "main", "header"}:
            return [h2], crumbs
    return [], crumbs


def _site_keys(
    site: str | None,
    metas: dict[str, list[str]],
    article: jsonld.JsonDict | None,
    by_id: dict[str, jsonld.JsonDict],
    url: str,
) -> set[str]:
    """Comparison keys of every name the site goes by (brand, publisher, host)."""
    names = [site, *metas.get("og:site_name", []), *metas.get("application-name", [])]
    if article is not None:
        names.append(jsonld.text_of(jsonld.resolve(article.get("publisher"), by_id)))
    host = site_host(url)
    if host:
        labels = host.split(".")
        names += [host, ".".join(labels[-2:])]
        names += [label for label in labels[:-1] if len(label) >= 3]
    return {k for k in (key(n) for n in names if n) if len(k) >= 2}


def _authors(
    article: jsonld.JsonDict | None,
    by_id: dict[str, jsonld.JsonDict],
    metas: dict[str, list[str]],
    tree: lxml.html.HtmlElement,
    site_keys: set[str],
    headline: lxml.html.HtmlElement | None,
    tagged: Tagged | None = None,
) -> list[str]:
    """The first source with names wins. When it names only the site, and no second
    structured source confirms the brand as the author, a later source that names people
    (a meta author, a byline) is taken instead. The page's bylines are marked-up ones, else
    a plain "By ..." line below the ``headline`` element, else a Drupal theme's author
    field, else a labelled credit further down or a wire dateline's agency. ``tagged`` holds
    the tree's elements, when the caller has them."""

    def on_page() -> list[str]:
        return (
            from_markup(tree, tagged)
            or from_plain_line(headline)
            or from_drupal_fields(tree, tagged)
            or from_text_credits(headline)
        )

    # Each source is read only when the ones before it leave the question open: the JSON-LD
    # names people on most pages, and the page's bylines are a walk over the whole tree.
    from_jsonld = author_rules.from_jsonld(article, by_id)
    if from_jsonld and not all(_is_site_name(n, site_keys) for n in from_jsonld):
        return from_jsonld
    sources = [s for s in (from_jsonld, *author_rules.from_meta(metas)) if s]
    if not sources:
        return on_page()
    first = sources[0]
    if not all(_is_site_name(n, site_keys) for n in first):
        return first
    if any(any(_is_site_name(n, site_keys) for n in later) for later in sources[1:]):
        return first
    if len(sources) > 1:
        return sources[1]  # names no site: the test above
    later = on_page()
    if later and not any(_is_site_name(n, site_keys) for n in later):
        return later
    return first


def _is_site_name(name: str, site_keys: set[str]) -> bool:
    k = key(name)
    return bool(k) and any(k == s or (len(s) >= 4 and s in k) for s in site_keys)
