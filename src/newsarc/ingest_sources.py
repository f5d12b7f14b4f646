"""Reading sources for the batch pipeline (the HTTP side is ``newsarc.ingest_http``, what a
source is and what its listing holds ``newsarc.ingest_listing``, a feed answer read into a
listing ``newsarc.ingest_feedlist``).

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
from typing import TYPE_CHECKING, Any

from newsarc.errors import FetchError, NewsarcError
from newsarc.ingest_feedlist import FeedReader
from newsarc.ingest_http import Disallowed, PoliteClient
from newsarc.ingest_listing import KINDS, Listing, Source, work_of
from newsarc.ingest_work import Work
from newsarc.model import Page

if TYPE_CHECKING:
    from sqlite_utils import Database

    from newsarc.ingest import IngestOptions
    from newsarc.polite import HostLimiter
    from newsarc.sources.warcleads import Lead

log = logging.getLogger(__name__)

# A page that answered 404 or 410 is not asked for again for this long (it still counts as
# skipped each time a listing or URL list gives it): one dead link must not make a feed or a
# cron line's URL list fail every run.
GONE_DAYS = 7
_SHOWN_PROBLEMS = 20


class SourceReader:
    """Lists sources and fetches pages for one run, sharing one session and one limiter."""

    def __init__(self, db: Database, options: IngestOptions, limiter: HostLimiter) -> None:
        self.db = db
        self.options = options
        self.limiter = limiter
        self.http = PoliteClient(db, options, limiter)
        self._feeds = FeedReader(self.http, options)
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
            listing = self._feeds.listing(source, page)
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
        items = [work_of(item, source) for item in walk]
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


def _moved_to(source: Source, page: Page) -> str | None:
    """A registered source's new address, spelled as ``sources add`` registers it: where its
    answer came from, through permanent redirects only (a 304 is not that answer)."""
    from newsarc.urls import source_address

    if not source.registered or page.status == 304 or not page.moved_permanently:
        return None
    moved = source_address(page.final_url)
    return moved if moved != source.target else None


def _conditional(source: Source) -> dict[str, str]:
    headers = {}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    return headers


def _looks_like_sitemap(content: bytes) -> bool:
    """Whether what a ``--feed`` URL answered is a sitemap (see ``newsarc.sources.sniff``)."""
    from newsarc.sources.sniff import looks_like_sitemap

    return looks_like_sitemap(content)


__all__ = ["KINDS", "Disallowed", "Listing", "Source", "SourceReader"]
