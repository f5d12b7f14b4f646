"""Where URLs and pages come from: URL lists, feeds, sitemaps, WARC files and saved HTML.

Pure parsers: nothing here opens a network connection. URL sources yield ``Item``s (a URL
to fetch, with the dates and title the source gave); WARC files and saved HTML yield
``newsarc.model.Page``s, since their pages were fetched already. Sitemap walking takes a
``get(url) -> bytes`` callable from the caller.

Each name is imported from its module when first asked for, so a run over a URL list does
not import the feed, sitemap and WARC readers before its first request.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsarc.sources.feeds import FEED_LINK_TYPES, discover_feeds, parse_feed
    from newsarc.sources.files import read_html_dir
    from newsarc.sources.item import Item, is_before
    from newsarc.sources.sitemaps import (
        MAX_SITEMAP_BYTES,
        Sitemap,
        SitemapFailure,
        SitemapWalk,
        parse_sitemap,
        walk_sitemap,
    )
    from newsarc.sources.urllist import UrlList, read_url_list, read_url_list_file
    from newsarc.sources.warc import read_warc

# Each public name -> the module of this package that defines it.
_MODULES = {
    "FEED_LINK_TYPES": "feeds",
    "discover_feeds": "feeds",
    "parse_feed": "feeds",
    "read_html_dir": "files",
    "Item": "item",
    "is_before": "item",
    "MAX_SITEMAP_BYTES": "sitemaps",
    "Sitemap": "sitemaps",
    "SitemapFailure": "sitemaps",
    "SitemapWalk": "sitemaps",
    "parse_sitemap": "sitemaps",
    "walk_sitemap": "sitemaps",
    "UrlList": "urllist",
    "read_url_list": "urllist",
    "read_url_list_file": "urllist",
    "read_warc": "warc",
}

__all__ = [
    "FEED_LINK_TYPES",
    "MAX_SITEMAP_BYTES",
    "Item",
    "Sitemap",
    "SitemapFailure",
    "SitemapWalk",
    "UrlList",
    "discover_feeds",
    "is_before",
    "parse_feed",
    "parse_sitemap",
    "read_html_dir",
    "read_url_list",
    "read_url_list_file",
    "read_warc",
    "walk_sitemap",
]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # asked once: later lookups find it directly
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
