"""Listing what a ``--feed`` address answered: the feed itself, or, when it answered with an
HTML page, the feeds that page announces (``<link rel="alternate">``), each fetched in full.

Used by ``newsarc.ingest_sources.SourceReader`` from its listing threads; fetches go through the
run's ``PoliteClient`` as every request of a run does.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newsarc.errors import InputError, NewsarcError
from newsarc.ingest_listing import Listing, Source, work_of
from newsarc.model import Page

if TYPE_CHECKING:
    from newsarc.ingest import IngestOptions
    from newsarc.ingest_http import PoliteClient
    from newsarc.sources import Item

# Its warnings name the source reader, as they did before this module was split from it.
log = logging.getLogger("newsarc.ingest_sources")

# A homepage given as a feed is read through the feeds it announces, at most this many.
MAX_DISCOVERED_FEEDS = 10


class FeedReader:
    """Reads feed answers into listings for one run (``--max-items``, ``--since``)."""

    def __init__(self, http: PoliteClient, options: IngestOptions) -> None:
        self.http = http
        self.options = options

    def listing(self, source: Source, page: Page) -> Listing:
        """The items of the feed ``page`` is, or of the feeds it announces if it is a page."""
        from newsarc.httpaccept import HTML_TYPES

        if page.content_type in HTML_TYPES and not looks_like_feed(page.content):
            return self._announced(source, page)
        items, partial, unusable = self._feed_items(page)
        return Listing(
            [work_of(item, source) for item in items], partial=partial, unusable=unusable
        )

    def _announced(self, source: Source, page: Page) -> Listing:
        """The items of the feeds a homepage announces (comment feeds only when it announces
        nothing else), each fetched in full: see ``Listing.keeps_validators``."""
        from newsarc import sources as src

        if page.redirects and _front_page(page.final_url) and not _front_page(source.target):
            # The publisher dropped the feed and sends its readers home. Reading the feeds the
            # front page announces would archive the whole site under this source, and a
            # permanent redirect would register the front page in its place.
            raise InputError(
                f"{source.target}: redirected to the site's front page {page.final_url}, not to"
                " a feed: the feed may have moved or been dropped"
            )
        feeds = src.discover_feeds(page.content, page.final_url, comments=False)
        feeds = feeds or src.discover_feeds(page.content, page.final_url)[:1]
        if not feeds:
            raise InputError(f"{source.target}: no feed announced on this page")
        if len(feeds) > MAX_DISCOVERED_FEEDS:
            log.warning(
                "%s: announces %d feeds; reading the first %d (give others with --feed)",
                source.target,
                len(feeds),
                MAX_DISCOVERED_FEEDS,
            )
            feeds = feeds[:MAX_DISCOVERED_FEEDS]
        listing = Listing(keeps_validators=False)
        listed: set[str] = set()
        reasons: list[str] = []
        errors: list[NewsarcError] = []
        for url in feeds:
            log.info("%s: reading its feed %s", source.target, url)
            try:
                items, partial, unusable = self._feed_items(self._announced_feed(url))
            except NewsarcError as exc:
                errors.append(exc)
                listing.failures.append((url, str(exc) if url in str(exc) else f"{url}: {exc}"))
                continue
            listing.unusable += unusable
            reasons += [partial] if partial and partial not in reasons else []
            for item in items:
                if item.url not in listed:
                    listed.add(item.url)
                    listing.items.append(work_of(item, source))
        if len(errors) == len(feeds):
            raise errors[0]
        listing.partial = ", ".join(reasons) or None
        return listing

    def _announced_feed(self, url: str) -> Page:
        """A feed a homepage announces, told by its bytes as a ``--feed`` is: many servers
        label a feed text/html. Raises InputError for an HTML page that is not a feed."""
        from newsarc.httpaccept import FEED_TYPES, HTML_TYPES

        page = self.http.get(url, FEED_TYPES | HTML_TYPES, {})
        if page.content_type in HTML_TYPES and not looks_like_feed(page.content):
            raise InputError(f"{url}: an HTML page ({page.content_type}), not a feed")
        return page

    def _feed_items(self, page: Page) -> tuple[list[Item], str | None, int]:
        """The items of one feed within --max-items and --since, what left any out, and how
        many entries it skipped for their link (said in a warning)."""
        from newsarc.sources import is_before, parse_feed

        limit, since = self.options.max_items, self.options.since_text
        unusable: list[str] = []
        # One entry past the limit tells a feed that was cut from one that fits exactly.
        items = parse_feed(
            page.content,
            page.final_url,
            max_items=limit + 1,
            max_bytes=self.options.limits.max_bytes,
            skipped=unusable.append,
        )
        _warn_unusable(page.final_url, unusable)
        reasons = []
        if len(items) > limit:
            log.warning(
                "%s: more than --max-items=%d entries; read the first %d",
                page.final_url,
                limit,
                limit,
            )
            items = items[:limit]
            reasons.append("--max-items")
        recent = [i for i in items if not is_before(i.published or i.lastmod, since)]
        if len(recent) < len(items):
            reasons.append("--since")
        return recent, ", ".join(reasons) or None, len(unusable)


def _front_page(url: str) -> bool:
    """Whether ``url`` is a site's front page (its root path), not a section or a feed."""
    return urlsplit(url).path in ("", "/")


def looks_like_feed(content: bytes) -> bool:
    """Whether a page labelled HTML is a feed after all (see ``newsarc.sources.sniff``)."""
    from newsarc.sources.sniff import looks_like_feed as sniffed

    return sniffed(content)


def _warn_unusable(feed: str, reasons: list[str]) -> None:
    """Say which entries of a feed were skipped for their link: they never become articles,
    and nothing else would tell (the run is otherwise clean)."""
    from newsarc.sources.feeds import NO_LINK

    if not reasons:
        return
    unlinked = reasons.count(NO_LINK)
    links = [reason for reason in reasons if reason != NO_LINK]
    parts = [f"{_entries(unlinked)} without a link to a page"] if unlinked else []
    if links:
        shown = ", ".join(links[:3]) + (f" and {len(links) - 3} more" if len(links) > 3 else "")
        parts.append(f"{_entries(len(links))} whose link is not an http(s) URL ({shown})")
    log.warning("%s: skipped %s", feed, " and ".join(parts))


def _entries(number: int) -> str:
    return f"{number} entry" if number == 1 else f"{number} entries"
