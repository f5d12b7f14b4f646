"""The page's canonical address, as its ``<link rel="canonical">`` or ``og:url`` declares it,
unless the address names a listing rather than the article.

Misconfigured themes give every article the site's home page, or the section's front
(``/news/``), as its canonical link. Taken as the article's, it made the front page's address
an alias of the first article archived from the site (``newsarc show https://site/`` opened
that article, and a run listing the front page passed over it as archived). A declared address
on the page's own host whose path is a proper part of the page's path (the root, or a folder
above the article) is a listing, unless what the page's path adds to it is only a view of the
same article: an AMP or print view (``/story/amp/``), an index file, or a page number of an
article split over pages (``/story/2``).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from newsarc.extractor.tagged import Tagged
from newsarc.urls import site_host

# What a page's path may add to its article's canonical path and still be the same article.
_SAME_ARTICLE_VIEW = re.compile(
    r"(?:amp|print|full|all|index\.(?:html?|php|aspx?)|amp\.html|\d{1,3}|page/\d{1,3})",
    re.IGNORECASE,
)


def find_canonical(tagged: Tagged, og_url: str | None, url: str) -> str | None:
    """The canonical address the page declares (its first canonical link, else ``og:url``),
    made absolute against ``url``; None when it declares none, or only listings' addresses."""
    declared: list[str] = []
    for link in tagged.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rels and href:
            declared.append(urljoin(url, href))
            break
    if og_url and og_url.startswith(("http://", "https://", "/")):
        declared.append(urljoin(url, og_url))
    return next((d for d in declared if not names_a_listing(d, url)), None)


def names_a_listing(declared: str, url: str) -> bool:
    """Whether ``declared``, a canonical address the page at ``url`` gives, is the home page
    or a section front above the page on its own host (see the module docstring)."""
    a, b = urlsplit(declared), urlsplit(url)
    if site_host(declared) != site_host(url) or a.query:
        return False
    outer = [part for part in a.path.split("/") if part]
    inner = [part for part in b.path.split("/") if part]
    if len(outer) >= len(inner) or inner[: len(outer)] != outer:
        return False
    rest = "/".join(inner[len(outer) :])
    return not _SAME_ARTICLE_VIEW.fullmatch(rest)
