"""Front pages and section listings: pages of teasers for other articles, never an article.

A front page or a section page ("Local news") gives trafilatura a body made of the teasers'
blurbs and their "2 hours ago" lines, and a headline taken from the site's tagline. Archived,
it is a record that no reader asked for, and the next fetch of the page replaces its text with
the day's other teasers. A page is refused as a listing only when every sign agrees:

- its markup does not call it an article (no JSON-LD article item, no ``og:type`` article)
  and it carries no publication date;
- its markup calls it a listing: ``og:type`` website, a JSON-LD ``CollectionPage`` (or
  ``SearchResultsPage``) as the page item, or an address (its canonical link or its own URL)
  that is the site's front page;
- what the body extracted is mostly teasers: at least three headings that link to other
  pages, and at least half of the body's words in the blocks around those headings.

Each sign alone occurs on real articles: og:type website, no date, a canonical link to the
front page (a template's mistake, see the README), "related stories" teasers. None of the 218
real benchmark pages has all three (none lacks a date without calling itself an article).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

import lxml.html

from newsarc.extractor import jsonld

MIN_TEASERS = 3
MIN_TEASER_SHARE = 0.5  # of the body's words, in paragraphs that are teaser text
MAX_TEASER_WORDS = 100  # a block around a heading with more words is more than a teaser
_LISTING_PAGE_TYPES = ("collectionpage", "searchresultspage")
_TEASER_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_CHROME = frozenset(("nav", "header", "footer", "aside"))
_MAX_LEVELS = 3  # a teaser's block is at most this many levels above its heading


def page_kind(
    metas: dict[str, list[str]],
    article: jsonld.JsonDict | None,
    webpage: jsonld.JsonDict | None,
    addresses: Iterable[str],
) -> str | None:
    """What the page's markup says it is: "article", "listing", or None when it says neither.

    ``metas`` are the page's meta tags by lower-cased name, ``article`` and ``webpage`` its
    JSON-LD article and page items, ``addresses`` its URL and canonical link.
    """
    og_types = [t.strip().lower() for t in metas.get("og:type", [])]
    if article is not None or any(t.startswith("article") for t in og_types):
        return "article"
    if "website" in og_types:
        return "listing"
    if webpage is not None and any(t in _LISTING_PAGE_TYPES for t in jsonld.types_of(webpage)):
        return "listing"
    if any(urlsplit(a).path in ("", "/") and not urlsplit(a).query for a in addresses):
        return "listing"
    return None


def teaser_texts(tree: lxml.html.HtmlElement, url: str) -> list[str]:
    """The text of each teaser on the page, whitespace-normalized: for each heading that links
    to another page (outside navigation, headers, footers and asides), the widest element
    around it, up to three levels up, that holds no other such heading and at most 100 words.

    Read before the body prunes the tree.
    """
    own = _without_fragment(url)
    headings: list[lxml.html.HtmlElement] = []
    for heading in tree.iter(*_TEASER_HEADINGS):
        ancestors = list(heading.iterancestors())
        if any(a.tag in _CHROME for a in ancestors):
            continue
        link = next(iter(heading.iter("a")), None)
        if link is None:
            link = next((a for a in ancestors[:2] if a.tag == "a"), None)
        href = (link.get("href") or "").strip() if link is not None else ""
        if href and not href.startswith("#") and _without_fragment(urljoin(url, href)) != own:
            headings.append(heading)
    # how many of those headings each element near them holds: a teaser holds one
    holding = Counter(a for h in headings for a in h.iterancestors())
    texts: list[str] = []
    for heading in headings:
        text = _text(heading)
        for ancestor in list(heading.iterancestors())[:_MAX_LEVELS]:
            if holding[ancestor] > 1:
                break
            wider = _text(ancestor)
            if len(wider.split()) > MAX_TEASER_WORDS:
                break
            text = wider
        texts.append(text)
    return texts


def listing_reason(body: str, teasers: list[str]) -> str | None:
    """Why the extracted ``body`` (paragraphs joined by newlines) is a list of ``teasers``
    (see ``teaser_texts``), or None when it is not."""
    if len(teasers) < MIN_TEASERS:
        return None
    blob = "\n".join(teasers)
    words = in_teasers = 0
    for line in body.splitlines():
        paragraph = " ".join(line.split())
        if paragraph:
            count = len(paragraph.split())
            words += count
            if paragraph in blob:
                in_teasers += count
    if not words or in_teasers < MIN_TEASER_SHARE * words:
        return None
    return (
        f"a front page or section listing, not an article: {len(teasers)} teasers of other "
        f"articles make up {in_teasers / words:.0%} of its text"
    )


def _text(element: lxml.html.HtmlElement) -> str:
    """The element's text with its pieces apart: a heading and the blurb after it are two."""
    return " ".join(" ".join(element.itertext()).split())


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]
