"""Reading sources for the batch pipeline (the HTTP side is ``newsarc.ingest_http``).

Feeds and sitemaps are listed in a worker thread (they need the network); URL lists, WARC
files and folders are read lazily by the pipeline's main thread. Registered sources carry
their stored state (validators, last run) in; feeds and sitemaps given on the command line
carry the validators remembered for their URL (table ``source_validators``), so a crontab
line with explicit ``--feed`` flags gets 304s too. ``record_run`` writes state back at the end
of a run, in the main thread, the archive's only writer.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from newsarc.errors import FetchError, InputError, NewsarcError
from newsarc.ingest_http import Disallowed, PoliteClient
from newsarc.ingest_work import Work
from newsarc.model import Page

if TYPE_CHECKING:
    from sqlite_utils import Database

    from newsarc.ingest import IngestOptions
    from newsarc.polite import HostLimiter
    from newsarc.sources import Item
    from newsarc.sources.warcleads import Lead

log = logging.getLogger(__name__)

KINDS = ("urls", "feed", "sitemap", "warc", "dir")
# A page that answered 404 or 410 is not asked for again for this long (it still counts as
# skipped each time a listing or URL list gives it): one dead link must not make a feed or a
# cron line's URL list fail every run.
GONE_DAYS = 7
# A homepage given as a feed is read through the feeds it announces, at most this many.
MAX_DISCOVERED_FEEDS = 10
_SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class Source:
    """One place work comes from. ``registered`` sources keep their state in the archive."""

    kind: str
    target: str
    registered: bool = False
    etag: str | None = None
    last_modified: str | None = None
    cutoff: str | None = None  # child sitemaps dated before this were read by a past run
    # A registered source's id, and when its runs began to end in an error (None: its last
    # run read it), for the error line of a source that is failing run after run.
    source_id: int | None = None
    failing_since: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InputError(f"unknown source kind {self.kind!r} (one of {', '.join(KINDS)})")


@dataclass
class Listing:
    """What listing a feed or sitemap found."""

    items: list[Work] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    # Why the items are not all the source lists ("--max-items", "--since", ...), if so: such
    # a run is not a clean run, so its validators are not kept (see ``record_run``), unless
    # --since alone left items out: then they are kept with ``since``.
    partial: str | None = None
    # Whether the source's own validators may be kept. Not for a homepage read through the
    # feeds it announces, nor for a sitemap index: a 304 for an unchanged homepage or index
    # would hide new items in its feeds or child sitemaps.
    keeps_validators: bool = True
    # Entries left out for their link (none, or no http(s) URL), said in a warning already:
    # counted as skipped. Reading the source again would not change them.
    unusable: int = 0
    since: str | None = None  # the run's --since, which the listing was read under
    gone: list[Work] = field(default_factory=list)  # entries that are gone (GONE_DAYS)
    # Where a registered source's address led through permanent redirects only (301/308), to
    # an answer read as its feed or sitemap: its new registered address (see ``record_run``).
    moved_to: str | None = None


class SourceReader:
    """Lists sources and fetches pages for one run, sharing one session and one limiter."""

    def __init__(self, db: Database, options: IngestOptions, limiter: HostLimiter) -> None:
        self.db = db
        self.options = options
        self.limiter = limiter
        self.http = PoliteClient(db, options, limiter)
        self.errors: dict[str, str] = {}
        # What the registered sources that moved for good this run are said in (``finish``).
        self.moved: list[str] = []
        self._listings: dict[str, Listing] = {}
        self._sources: list[Source] = []
        self._gone: set[str] = set()
        self._lock = threading.Lock()

    def close(self) -> None:
        """Release the HTTP connections."""
        self.http.close()

    def abandon(self) -> None:
        """Give up every fetch and listing on the wire (see ``PoliteClient.abandon``)."""
        self.http.abandon()

    # -- sources (main thread) -----------------------------------------------------------

    def prepare(self, sources: list[Source]) -> list[Source]:
        """Sources with their stored state (read in the main thread): a registered source's
        row, or the validators remembered for a feed or sitemap given on the command line;
        validators and cut-off only when earned under a --since not later than this run's."""
        from newsarc.ingest_sourcestate import with_stored_state
        from newsarc.store import recently_gone

        prepared = with_stored_state(self.db, sources, self.options)
        self._sources = prepared
        listings = any(s.kind in ("feed", "sitemap", "urls") for s in prepared)
        refresh = self.options.refresh
        self._gone = recently_gone(self.db, GONE_DAYS) if listings and not refresh else set()
        return prepared

    def finish(self, tallies: Mapping[str, Mapping[str, int]], *, interrupted: bool) -> None:
        """Record the run of every source whose state is kept (registered sources, and feeds
        and sitemaps, whose validators are remembered), from ``tallies`` (counts by source:
        what was committed); and, unless the run was interrupted, the robots.txt it read."""
        for source in self._sources:
            if source.registered or source.kind in ("feed", "sitemap"):
                tally = dict(tallies.get(source.target, {}))
                moved = self.record_run(source, tally, interrupted=interrupted)
                if moved:
                    self.moved.append(moved)
        if not interrupted:
            self.http.save_robots()

    def record_run(
        self, source: Source, tally: dict[str, int], *, interrupted: bool = False
    ) -> str | None:
        """Store how a source's run went (see ``ingest_sourcestate.record_run``); what its
        move for good is said in, if it moved."""
        from newsarc.ingest_sourcestate import record_run

        listing = self._listings.get(source.target)
        error = self.errors.get(source.target)
        return record_run(self.db, source, listing, tally, error=error, interrupted=interrupted)

    def left_out(self, target: str, reason: str) -> None:
        """Note that this run left out an item ``target`` listed after listing it (--since
        judged by the article's own date): the listing was not read in full, so the run is
        not clean (see ``record_run``)."""
        with self._lock:
            listing = self._listings.get(target)
            if listing is None or reason in (listing.partial or ""):
                return
            listing.partial = f"{listing.partial}, {reason}" if listing.partial else reason

    def local(self, source: Source) -> Iterator[Work]:
        """Work from a URL list, a WARC file or a folder of saved pages, read lazily."""
        from newsarc import sources as src

        if source.kind == "urls":
            urls = src.read_url_list_file(source.target)
            for item in urls:  # a page gone lately is skipped, as a feed's entry is
                yield Work(item.url, source.target, gone=item.url in self._gone)
            for line, reason in urls.problems:
                yield Work(f"{source.target}:{line}", source.target, error=reason)
            if urls.invalid > len(urls.problems):
                more = urls.invalid - len(urls.problems)
                yield Work(source.target, source.target, error=f"{more} more invalid lines")
            return
        # What the reader could not take (a page over --max-bytes, a body that does not
        # decode, an unreadable file or folder) becomes a failed item, in file order.
        skipped: list[Work] = []

        def report(where: str, reason: str) -> None:
            skipped.append(Work(where, source.target, error=reason))

        if source.kind == "warc":
            limit = self.options.limits.max_bytes

            def lead(found: Lead) -> None:  # in file order with the pages and failures
                skipped.append(Work(found.url, source.target, page_source=True, lead=found))

            pages = src.read_warc(source.target, max_bytes=limit, skipped=report, leads=lead)
        else:
            pages = src.read_html_dir(
                source.target,
                base_url=self.options.base_url,
                max_bytes=self.options.limits.max_bytes,
                skipped=report,
            )
        try:
            for page in pages:
                yield from _drain(skipped)
                yield Work(page.url, source.target, page=page, page_source=True)
        except NewsarcError:  # a damaged file: what was reported before the damage first
            yield from _drain(skipped)
            raise
        yield from _drain(skipped)

    # -- listing feeds and sitemaps (worker threads) -------------------------------------

    def list_source(self, source: Source) -> Listing:
        """The URLs a feed or sitemap lists now (a 304 lists none)."""
        from newsarc.httpaccept import FEED_TYPES, HTML_TYPES

        accept = None if source.kind == "sitemap" else FEED_TYPES | HTML_TYPES
        conditional = _conditional(source)
        page = self._get(source.target, accept, conditional, moved_plain=source.registered)
        if page.status == 304 and not conditional:
            # Not an answer to anything asked (a cache or proxy gone wrong): taken as "not
            # modified", it would leave the source unread, and its run "ok", for good.
            raise FetchError(
                source.target,
                "HTTP 304 Not Modified to a request that sent no ETag or Last-Modified",
                status=304,
            )
        moved = _moved_to(source, page)
        if moved is not None:  # its cut-off was earned reading the old address
            source = dataclasses.replace(source, cutoff=None)
        if page.status == 304:
            log.info("%s: not modified since the last run", source.target)
            listing = Listing(not_modified=True)
        elif source.kind == "sitemap" or _looks_like_sitemap(page.content):
            listing = self._walk(source, page)
        else:
            listing = self._feed(source, page)
        if page.status != 304 and listing.keeps_validators:
            listing.etag, listing.last_modified = page.header("ETag"), page.header("Last-Modified")
        listing.since = self.options.since_text
        listing.moved_to = moved  # the answer was read as a feed or sitemap (else it raised)
        if self._gone:
            live = [work for work in listing.items if work.url not in self._gone]
            listing.gone = [work for work in listing.items if work.url in self._gone]
            listing.items = live
        with self._lock:
            self._listings[source.target] = listing
        return listing

    def _feed(self, source: Source, page: Page) -> Listing:
        from newsarc.httpaccept import HTML_TYPES

        if page.content_type in HTML_TYPES and not _looks_like_feed(page.content):
            return self._announced(source, page)
        items, partial, unusable = self._feed_items(page)
        return Listing([_work(item, source) for item in items], partial=partial, unusable=unusable)

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
                    listing.items.append(_work(item, source))
        if len(errors) == len(feeds):
            raise errors[0]
        listing.partial = ", ".join(reasons) or None
        return listing

    def _announced_feed(self, url: str) -> Page:
        """A feed a homepage announces, told by its bytes as a ``--feed`` is: many servers
        label a feed text/html. Raises InputError for an HTML page that is not a feed."""
        from newsarc.httpaccept import FEED_TYPES, HTML_TYPES

        page = self._get(url, FEED_TYPES | HTML_TYPES, {})
        if page.content_type in HTML_TYPES and not _looks_like_feed(page.content):
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

    def _walk(self, source: Source, root: Page) -> Listing:
        from newsarc.sources import walk_sitemap

        first = {"pending": True}
        landed: dict[str, str] = {}  # where each sitemap came from, after redirects

        def get(url: str) -> bytes:
            if first.pop("pending", False):
                landed[url] = root.final_url
                return root.content  # the root, fetched already (conditionally)
            page = self._get(url, None, {})
            landed[url] = page.final_url
            return page.content

        walk = walk_sitemap(
            source.target,
            get,
            max_urls=self.options.max_urls,
            since=self.options.since_text,
            read_before=source.cutoff,  # child sitemaps only (see walk_sitemap)
            landed=landed.get,
        )
        items = [_work(item, source) for item in walk]
        failures = [(f.url, f"{f.url}: {f.reason}") for f in walk.failures]
        reasons = []
        if walk.truncated:  # the walk has said which limit, as a warning
            reasons.append("--max-urls" if walk.urls >= self.options.max_urls else "a limit")
        if walk.dated_out:
            reasons.append("--since")
        partial = ", ".join(reasons) or None
        return Listing(
            items,
            failures,
            partial=partial,
            unusable=walk.invalid,
            keeps_validators=not walk.index,
        )

    def _get(
        self, url: str, accept: Any, headers: dict[str, str], *, moved_plain: bool = False
    ) -> Page:
        """A feed or sitemap, fetched as every request of a run is (``PoliteClient.get``)."""
        return self.http.get(url, accept, headers, moved_plain=moved_plain)

    # -- article pages (fetch threads) ---------------------------------------------------

    def fetch_page(self, url: str) -> Page:
        """Fetch an article page: robots.txt first, then within the host's politeness."""
        from newsarc.httpaccept import HTML_TYPES

        return self.http.get(url, HTML_TYPES, {})


def _drain(works: list[Work]) -> Iterator[Work]:
    while works:
        yield works.pop(0)


def _work(item: Item, source: Source) -> Work:
    """The work of an item a feed or sitemap lists, with the dates the listing gave it."""
    return Work(item.url, source.target, published=item.published, lastmod=item.lastmod)


def _moved_to(source: Source, page: Page) -> str | None:
    """A registered source's new address, spelled as ``sources add`` registers it: where its
    answer came from, through permanent redirects only (a 304 is not that answer)."""
    from newsarc.urls import source_address

    if not source.registered or page.status == 304 or not page.moved_permanently:
        return None
    moved = source_address(page.final_url)
    return moved if moved != source.target else None


def _front_page(url: str) -> bool:
    """Whether ``url`` is a site's front page (its root path), not a section or a feed."""
    return urlsplit(url).path in ("", "/")


def _conditional(source: Source) -> dict[str, str]:
    headers = {}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    return headers


def _looks_like_feed(content: bytes) -> bool:
    """Whether a page labelled HTML is a feed after all (see ``newsarc.sources.sniff``)."""
    from newsarc.sources.sniff import looks_like_feed

    return looks_like_feed(content)


def _looks_like_sitemap(content: bytes) -> bool:
    """Whether what a ``--feed`` URL answered is a sitemap (see ``newsarc.sources.sniff``)."""
    from newsarc.sources.sniff import looks_like_sitemap

    return looks_like_sitemap(content)


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


__all__ = ["KINDS", "Disallowed", "Listing", "Source", "SourceReader"]
