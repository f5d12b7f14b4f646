"""Where URLs and pages come from: URL lists, feeds, sitemaps, WARC files and saved HTML.

Pure parsers: nothing here opens a network connection. URL sources yield ``Item``s (a URL
to fetch, with the dates and title the source gave); WARC files and saved HTML yield
``newsarc.model.Page``s, since their pages were fetched already. Sitemap walking takes a
``get(url) -> bytes`` callable from the caller.
"""

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
