"""What a body fetched for ``--feed`` holds, whatever its Content-Type says: a feed, a sitemap
or (neither) an HTML page that may announce feeds.

Servers label feeds text/html, and serve ``feed.xml.gz`` or ``sitemap.xml.gz`` as
application/x-gzip with no Content-Encoding, so the bytes decide. The root element is found
past the whole prolog (XML declaration, comments, DOCTYPE), however long it is; a gzip body
is looked into (its first ``GZIP_HEAD`` bytes, decompressed); a JSON object is taken for a
JSON Feed (the feed parser says so if it is not one). Pure functions on bytes.
"""

from __future__ import annotations

from newsarc.sources.gunzip import GZIP_MAGIC, gunzip_head
from newsarc.sources.xmlscreen import local_name, screen

# Root elements (local names) of RSS 0.9x/2.0, Atom and RSS 1.0 (rdf:RDF), and of sitemaps.
FEED_ROOTS = frozenset({"rss", "feed", "rdf"})
SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})
# Decompressed bytes of a gzip body looked at: a prolog longer than this is not met in practice.
GZIP_HEAD = 256 * 1024
# The first bytes are searched for these too (see ``_feed``).
_HEAD = 4096
_FEED_HINTS = (b"<rss", b"<feed", b"<rdf:rdf")
_SITEMAP_HINTS = (b"<urlset", b"<sitemapindex")
_BLANK = b"\xef\xbb\xbf \t\r\n"


def looks_like_feed(content: bytes) -> bool:
    """Whether ``content`` (gzip or not) is an RSS or Atom feed, or JSON (a JSON Feed?)."""
    data = _plain(content)
    return _feed(data, _root(data))


def looks_like_sitemap(content: bytes) -> bool:
    """Whether ``content`` is a sitemap rather than a feed. A gzip body that is no feed counts
    as one (a text sitemap, gzipped, has no root element to tell it by); the sitemap reader
    then says what it is if it is no sitemap either."""
    data = _plain(content)
    root = _root(data)
    if root is not None and local_name(root) in SITEMAP_ROOTS:
        return True
    if _feed(data, root):
        return False
    if any(hint in data[:_HEAD].lower() for hint in _SITEMAP_HINTS):
        return True
    return content.startswith(GZIP_MAGIC)


def _feed(data: bytes, root: str | None) -> bool:
    if data[:1024].lstrip(_BLANK)[:1] == b"{":
        return True
    if root is not None and local_name(root) in FEED_ROOTS:
        return True
    # Text before the XML (a PHP warning) or a prolog cut off hides the root element.
    head = data[:_HEAD].lower()
    return b"<html" not in head and any(hint in head for hint in _FEED_HINTS)


def _plain(content: bytes) -> bytes:
    """The bytes to look at: a gzip body's first decompressed bytes, others as they are."""
    if content.startswith(GZIP_MAGIC):
        return gunzip_head(content, GZIP_HEAD)[0]
    return content


def _root(data: bytes) -> str | None:
    """The name of the first element after the prolog, None if there is none."""
    return screen(data).root
