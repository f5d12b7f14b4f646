"""Feeds: RSS 0.9x/1.0/2.0 and Atom (via feedparser), JSON Feed, and feed discovery in HTML.

Everything here works on bytes already fetched; nothing opens a file or a URL. feedparser is
only ever given a byte stream: given bytes, ``feedparser.parse`` would first try them as a
*file name* (so a response body such as ``/etc/passwd`` would be read from disk). A gzip body
(``feed.xml.gz`` served as application/x-gzip, with no Content-Encoding) is decompressed
first, within a size limit.
"""

from __future__ import annotations

import html
import io
import json
import logging
import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin

from newsarc.errors import InputError
from newsarc.sources.gunzip import GZIP_MAGIC, gunzip_head
from newsarc.sources.item import Item
from newsarc.sources.xmlscreen import cut_after, has_declarations, screen, to_utf8, xml_references
from newsarc.urls import link_url

log = logging.getLogger(__name__)

FEED_LINK_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/x-rss+xml",
        "application/feed+json",  # JSON Feed
        "text/xml",  # older sites announce their RSS so
    }
)
_ENTRY_NAMES = frozenset({"item", "entry"})
_TAG = re.compile(r"<[^<>]{0,2000}>")
_HTML_HINT = re.compile(rb"<(html|head|body)[\s>]", re.IGNORECASE)
MAX_TITLE = 1000
# A gzip feed is refused past this size once decompressed (the default --max-bytes, which
# caps a body sent with Content-Encoding the same way).
MAX_FEED_BYTES = 10 * 1024 * 1024
NO_LINK = "no link"  # why an entry was skipped, as ``parse_feed`` tells ``skipped``
# bozo reasons that say the labels were wrong, not that the XML was broken
_HARMLESS_BOZO = ("CharacterEncodingOverride", "NonXMLContentType")
# Where a feed proxy (FeedBurner, Pheedo) keeps the article's own link, the entry's link
# being its redirector (feedparser's names for <feedburner:origLink>, <pheedo:origLink>).
_ORIGINAL_LINKS = ("feedburner_origlink", "pheedo_origlink")


def parse_feed(
    data: bytes,
    base_url: str,
    *,
    max_items: int = 1000,
    max_bytes: int = MAX_FEED_BYTES,
    skipped: Callable[[str], None] | None = None,
) -> list[Item]:
    """The entries of an RSS, Atom or JSON feed as Items, in feed order, at most ``max_items``.

    An entry's link is its ``<link>`` (Atom: the alternate one), else its id if that is an
    http(s) URL; a feed proxy's ``<feedburner:origLink>`` comes first (the article's own
    address, where the link is the proxy's redirector). Links are read as browsers read them
    (``newsarc.urls.link_url``: a space becomes ``%20``) and made absolute against
    ``base_url`` (the feed's final URL); duplicates are dropped. An entry without a link (a
    feed of full texts), or whose link is still no http(s) URL, is skipped, and ``skipped``
    is told why (``NO_LINK``, or the link quoted), so the caller can say so: such an entry
    never becomes an article. ``published`` is the entry's published date (else its updated
    date), ``lastmod`` its updated date, both ISO 8601 UTC. A malformed feed that still
    yields entries is accepted with a logged warning. Raises InputError
    ``"<base_url>: not a feed (...)"`` for HTML, garbage, other XML, or a malformed feed with
    no entries, and for gzip data over ``max_bytes`` once decompressed. Any DTD is removed
    before parsing, so entities are never expanded; HTML's named references (``&nbsp;``) and
    a bare ``&`` are read as a browser reads them.
    """
    if max_items < 1:
        raise ValueError("max_items must be at least 1")
    if data.startswith(GZIP_MAGIC):
        data = _gunzip(data, base_url, max_bytes)
    note = skipped or _ignore
    start = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start:
        raise InputError(f"{base_url}: not a feed (empty document)")
    if start[:1] == b"{":
        return _json_feed(data, base_url, max_items, note)
    screened = screen(to_utf8(data))
    root = (screened.root or "").lower()
    if screened.doctype == "html" or root == "html" or (not root and _HTML_HINT.search(start)):
        raise InputError(f"{base_url}: not a feed (got an HTML page)")
    if has_declarations(screened.data):
        raise InputError(f"{base_url}: not a feed (DOCTYPE or ENTITY markup inside the document)")
    import feedparser

    # HTML's references (&nbsp;, a bare '&') as XML reads them: else the strict parser fails,
    # and feedparser's loose one reads the feed with a "malformed" warning every run.
    body = cut_after(xml_references(screened.data), _ENTRY_NAMES, max_items)
    try:
        parsed: Any = feedparser.parse(
            io.BytesIO(body),
            response_headers={"content-location": base_url},
            sanitize_html=False,  # summaries are not used; titles are stripped of tags below
            resolve_relative_uris=False,
        )
    except (ValueError, LookupError) as exc:  # feedparser on some hostile bytes
        raise InputError(f"{base_url}: not a feed (unreadable: {str(exc)[:100]})") from None
    entries = parsed.entries
    broken = _malformed(parsed)
    if not parsed.get("version") and not entries:
        found = f"root element <{screened.root}>" if screened.root else "no RSS or Atom markup"
        raise InputError(f"{base_url}: not a feed ({found})")
    if broken and not entries:
        raise InputError(f"{base_url}: not a feed (malformed XML, no entries: {broken})")
    if broken:
        log.warning("%s: malformed feed (%s); kept %d entries", base_url, broken, len(entries))
    return _dedupe((_entry_item(entry, base_url, note) for entry in entries), max_items)


def _ignore(reason: str) -> None:
    return None


def _gunzip(data: bytes, base_url: str, max_bytes: int) -> bytes:
    """A gzip feed's decompressed bytes (up to any damage; the parser then sees it broken)."""
    content, damage = gunzip_head(data, max_bytes + 1)
    if len(content) > max_bytes:
        limit = max_bytes // 2**20
        raise InputError(f"{base_url}: feed larger than {limit} MB once decompressed; refused")
    if damage and not content:
        raise InputError(f"{base_url}: not a feed ({damage})")
    if damage:
        log.warning(
            "%s: the gzip data breaks off after %d bytes (%s)", base_url, len(content), damage
        )
    return content


def _malformed(parsed: Any) -> str | None:
    """Why feedparser found the document malformed, or None if it did not."""
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    if type(exc).__name__ in _HARMLESS_BOZO:
        return None
    return str(exc)[:200] if exc is not None else "unknown error"


def _dedupe(items: Any, limit: int) -> list[Item]:
    kept: list[Item] = []
    seen: set[str] = set()
    for item in items:
        if item is None or item.url in seen:
            continue
        seen.add(item.url)
        kept.append(item)
        if len(kept) >= limit:
            break
    return kept


def _iso(parsed_time: Any) -> str | None:
    """feedparser's UTC ``time.struct_time`` as ISO 8601."""
    if not parsed_time:
        return None
    try:
        year, month, day, hour, minute, second = (int(part) for part in parsed_time[:6])
        return datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc).isoformat()
    except (TypeError, ValueError):
        return None


def _title(entry: Any) -> str | None:
    title = entry.get("title")
    if not isinstance(title, str):
        return None
    detail = entry.get("title_detail") or {}
    if "html" in str(detail.get("type", "")):
        title = html.unescape(_TAG.sub(" ", title))
    title = " ".join(title.split())[:MAX_TITLE]
    return title or None


def _absolute(base_url: str, link: str) -> str | None:
    """``link`` made absolute and checked, or None (logged) if it is not an http(s) URL."""
    try:
        return link_url(base_url, link)
    except (InputError, ValueError):
        log.info("%s: skipped entry link %r (not an http(s) URL)", base_url, link[:200])
        return None


def _original(entry: Any, base_url: str) -> str | None:
    """The article's own link that a feed proxy kept beside its redirector, if it is an
    absolute http(s) URL (else the entry's link stands)."""
    for key in _ORIGINAL_LINKS:
        link = entry.get(key)
        if isinstance(link, str) and link.strip().lower().startswith(("http://", "https://")):
            url = _absolute(base_url, link)
            if url is not None:
                return url
    return None


def _entry_item(entry: Any, base_url: str, skipped: Callable[[str], None]) -> Item | None:
    link = _original(entry, base_url) or entry.get("link") or ""
    if not link:
        links = entry.get("links", [])
        alternates = [ln for ln in links if ln.get("rel", "alternate") == "alternate"]
        link = alternates[0].get("href", "") if alternates else ""
    if not link:
        ident = entry.get("id") or ""
        link = ident if ident.startswith(("http://", "https://")) else ""
    if not link:
        log.info("%s: skipped an entry without a link", base_url)
        skipped(NO_LINK)
        return None
    url = _absolute(base_url, link)
    if url is None:
        # feedparser gives an entry's id as its link ("tag:...", "urn:..."): no link at all
        skipped(NO_LINK if link == entry.get("id") else repr(link[:200]))
        return None
    # dict.get: FeedParserDict.get would fall back from "updated" to "published".
    updated = _iso(dict.get(entry, "updated_parsed"))
    return Item(
        url=url,
        published=_iso(entry.get("published_parsed")) or updated,
        lastmod=updated,
        title=_title(entry),
        source=base_url,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _json_feed(
    data: bytes, base_url: str, max_items: int, skipped: Callable[[str], None]
) -> list[Item]:
    """JSON Feed 1.x (https://jsonfeed.org/version/1.1)."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InputError(f"{base_url}: not a feed (invalid JSON: {str(exc)[:100]})") from None
    if (
        not isinstance(doc, dict)
        or "jsonfeed.org" not in str(doc.get("version", ""))
        or not isinstance(doc.get("items"), list)
    ):
        raise InputError(f"{base_url}: not a feed (JSON, but not a JSON Feed)")

    def item(entry: Any) -> Item | None:
        if not isinstance(entry, dict):
            return None
        link = entry.get("url") or entry.get("external_url")
        ident = entry.get("id")
        if not link and isinstance(ident, str) and ident.startswith(("http://", "https://")):
            link = ident  # "ideally, the id is the full URL of the resource" (the spec)
        if not isinstance(link, str) or not link:
            skipped(NO_LINK)
            return None
        url = _absolute(base_url, link)
        if url is None:
            skipped(repr(link[:200]))
            return None
        published, modified = entry.get("date_published"), entry.get("date_modified")
        title = entry.get("title")
        if isinstance(title, str):
            title = " ".join(title.split())[:MAX_TITLE] or None
        return Item(
            url=url,
            published=published if isinstance(published, str) else _text(modified),
            lastmod=_text(modified),
            title=title if isinstance(title, str) else None,
            source=base_url,
        )

    return _dedupe((item(entry) for entry in doc["items"]), max_items)


def discover_feeds(html_page: str | bytes, base_url: str, *, comments: bool = True) -> list[str]:
    """Absolute URLs of the feeds a page announces with ``<link rel="alternate">``.

    In page order, duplicates dropped, comment feeds last (left out with ``comments=False``);
    ``<base href>`` is honoured. Returns an empty list for a page without feed links (or that
    is not HTML at all).
    """
    import lxml.html
    from lxml import etree

    if isinstance(html_page, bytes):
        from newsarc.charset import decode_html

        html_page = decode_html(html_page)[0]
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True)
    try:
        doc = lxml.html.document_fromstring(html_page.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return []
    base = base_url
    for element in doc.iter("base"):
        href = element.get("href")
        if href:
            try:
                base = urljoin(base_url, href.strip())
            except ValueError:  # e.g. an unbalanced '[' read as an IPv6 host
                log.info("%s: ignored unusable <base href=%r>", base_url, href[:200])
            break
    found: list[tuple[bool, str]] = []
    seen: set[str] = set()
    for element in doc.iter("link"):
        rel = (element.get("rel") or "").lower().split()
        kind = (element.get("type") or "").split(";")[0].strip().lower()
        href = (element.get("href") or "").strip()
        if "alternate" not in rel or kind not in FEED_LINK_TYPES or not href:
            continue
        url = _absolute(base, href)
        if url is None or url in seen:
            continue
        seen.add(url)
        hint = f"{element.get('title') or ''} {url}".lower()
        found.append(("comment" in hint, url))
    ordered = sorted(found, key=lambda pair: pair[0])
    return [url for comment, url in ordered if comments or not comment]
