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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from newsarc.errors import InputError, NewsarcError
from newsarc.ingest_http import Disallowed, PoliteClient
from newsarc.ingest_work import Work
from newsarc.model import Page

if TYPE_CHECKING:
    from sqlite_utils import Database

    from newsarc.ingest import IngestOptions
    from newsarc.polite import HostLimiter
    from newsarc.sources import Item

log = logging.getLogger(__name__)

KINDS = ("urls", "feed", "sitemap", "warc", "dir")
# A sitemap child whose index lastmod is older than the last good run minus this margin was
# read then; the margin covers clocks that disagree and entries listed late.
SITEMAP_MARGIN = timedelta(days=1)
# A homepage given as a feed is read through the feeds it announces, at most this many.
MAX_DISCOVERED_FEEDS = 10
_SITEMAP_HINTS = (b"<urlset", b"<sitemapindex")
# Root elements of RSS 0.9x/2.0, Atom and RSS 1.0, looked for when a server labels a feed
# text/html (some do).
_FEED_HINTS = (b"<rss", b"<feed", b"<rdf:rdf")
_SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class Source:
    """One place work comes from. ``registered`` sources keep their state in the archive."""

    kind: str
    target: str
    registered: bool = False
    etag: str | None = None
    last_modified: str | None = None
    cutoff: str | None = None  # sitemap entries dated before this were read by a past run

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
    # a run is not a clean run, so its validators are not kept (see ``record_run``).
    partial: str | None = None
    # Whether the source's own validators may be kept. Not for a homepage read through the
    # feeds it announces: a 304 for an unchanged homepage would hide new items in its feeds.
    keeps_validators: bool = True


class SourceReader:
    """Lists sources and fetches pages for one run, sharing one session and one limiter."""

    def __init__(self, db: Database, options: IngestOptions, limiter: HostLimiter) -> None:
        self.db = db
        self.options = options
        self.limiter = limiter
        self.http = PoliteClient(db, options, limiter)
        self.errors: dict[str, str] = {}
        self._listings: dict[str, Listing] = {}
        self._sources: list[Source] = []
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
        row, or the validators remembered for a feed or sitemap given on the command line."""
        from newsarc.store import get_source, get_validators

        refresh = self.options.refresh
        prepared = []
        for source in sources:
            stored = source.kind in ("feed", "sitemap", "urls")
            row = get_source(self.db, source.target) if stored else None
            if row is not None:
                source = dataclasses.replace(
                    source,
                    registered=True,
                    etag=None if refresh else row.get("etag"),
                    last_modified=None if refresh else row.get("last_modified"),
                    cutoff=None if refresh else _cutoff(row),
                )
            elif source.kind in ("feed", "sitemap") and not refresh:
                etag, last_modified = get_validators(self.db, source.target)
                source = dataclasses.replace(source, etag=etag, last_modified=last_modified)
            prepared.append(source)
        self._sources = prepared
        return prepared

    def with_state(self) -> list[Source]:
        """The sources of this run whose state is stored at its end: registered sources, and
        feeds and sitemaps (whose validators are remembered)."""
        return [s for s in self._sources if s.registered or s.kind in ("feed", "sitemap")]

    def record_run(self, source: Source, tally: dict[str, int]) -> None:
        """Store how a source's run went; validators only after a clean run.

        "Clean" means the feed or sitemap was read in full (no --max-items, --max-urls or
        --since left entries out) and every item it listed was archived (or skipped):
        otherwise the next run must list it again, not get a 304 and miss the rest. A
        registered sitemap's next run skips entries dated before its last clean run, so a
        partial run is not recorded as "ok" either.
        """
        from newsarc.store import save_validators, update_source_run, update_source_validators

        listing = self._listings.get(source.target)
        if source.target in self.errors:
            status = f"error: {self.errors[source.target]}"[:500]
        elif listing is not None and listing.not_modified:
            status = "not modified"
        elif tally.get("failed"):
            status = f"{tally['failed']} failed"
        elif listing is not None and listing.partial:
            status = f"listed in part ({listing.partial})"
        else:
            status = "ok"
        if source.registered:
            found = len(listing.items) if listing is not None else 0
            update_source_run(
                self.db, source.target, status=status, found=found, counts=tally, commit=False
            )
        if status != "ok" or listing is None or not (listing.etag or listing.last_modified):
            return
        save = update_source_validators if source.registered else save_validators
        save(
            self.db,
            source.target,
            etag=listing.etag,
            last_modified=listing.last_modified,
            commit=False,
        )

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
            for item in urls:
                yield Work(item.url, source.target)
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
            pages = src.read_warc(source.target, max_bytes=limit, skipped=report)
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
        page = self._get(source.target, accept, _conditional(source))
        if page.status == 304:
            log.info("%s: not modified since the last run", source.target)
            listing = Listing(not_modified=True)
        elif source.kind == "sitemap" or _looks_like_sitemap(page.content):
            listing = self._walk(source, page)
        else:
            listing = self._feed(source, page)
        if page.status != 304 and listing.keeps_validators:
            listing.etag, listing.last_modified = page.header("ETag"), page.header("Last-Modified")
        with self._lock:
            self._listings[source.target] = listing
        return listing

    def _feed(self, source: Source, page: Page) -> Listing:
        from newsarc.httpaccept import HTML_TYPES

        if page.content_type in HTML_TYPES and not _looks_like_feed(page.content):
            return self._announced(source, page)
        items, partial = self._feed_items(page)
        return Listing([_work(item, source) for item in items], partial=partial)

    def _announced(self, source: Source, page: Page) -> Listing:
        """The items of the feeds a homepage announces (comment feeds only when it announces
        nothing else), each fetched in full: see ``Listing.keeps_validators``."""
        from newsarc import sources as src
        from newsarc.httpaccept import FEED_TYPES

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
                items, partial = self._feed_items(self._get(url, FEED_TYPES, {}))
            except NewsarcError as exc:
                errors.append(exc)
                listing.failures.append((url, str(exc) if url in str(exc) else f"{url}: {exc}"))
                continue
            reasons += [partial] if partial and partial not in reasons else []
            for item in items:
                if item.url not in listed:
                    listed.add(item.url)
                    listing.items.append(_work(item, source))
        if len(errors) == len(feeds):
            raise errors[0]
        listing.partial = ", ".join(reasons) or None
        return listing

    def _feed_items(self, page: Page) -> tuple[list[Item], str | None]:
        """The items of one feed within --max-items and --since, and what left any out."""
        from newsarc.sources import is_before, parse_feed

        limit, since = self.options.max_items, self.options.since
        # One entry past the limit tells a feed that was cut from one that fits exactly.
        items = parse_feed(page.content, page.final_url, max_items=limit + 1)
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
        return recent, ", ".join(reasons) or None

    def _walk(self, source: Source, root: Page) -> Listing:
        from newsarc.sources import is_before, walk_sitemap

        since = self.options.since
        if source.cutoff and (since is None or is_before(since, source.cutoff)):
            since = source.cutoff
        first = {"pending": True}

        def get(url: str) -> bytes:
            if first.pop("pending", False):
                return root.content  # the root, fetched already (conditionally)
            return self._get(url, None, {}).content

        walk = walk_sitemap(source.target, get, max_urls=self.options.max_urls, since=since)
        items = [_work(item, source) for item in walk]
        failures = [(f.url, f"{f.url}: {f.reason}") for f in walk.failures]
        reasons = []
        if walk.truncated:  # the walk has said which limit, as a warning
            reasons.append("--max-urls" if walk.urls >= self.options.max_urls else "a limit")
        if walk.dated_out and since == self.options.since:  # not only what a past run read
            reasons.append("--since")
        return Listing(items, failures, partial=", ".join(reasons) or None)

    def _get(self, url: str, accept: Any, headers: dict[str, str]) -> Page:
        """A feed or sitemap, fetched as every request of a run is (``PoliteClient.get``)."""
        return self.http.get(url, accept, headers)

    # -- article pages (fetch threads) ---------------------------------------------------

    def fetch_page(self, url: str) -> Page:
        """Fetch an article page: robots.txt first, then within the host's politeness."""
        from newsarc.httpaccept import HTML_TYPES

        return self.http.get(url, HTML_TYPES, {})

    def save_robots(self) -> None:
        """Keep the robots.txt files this run read (see ``PoliteClient.save_robots``)."""
        self.http.save_robots()


def _drain(works: list[Work]) -> Iterator[Work]:
    while works:
        yield works.pop(0)


def _work(item: Item, source: Source) -> Work:
    """The work of an item a feed or sitemap lists, with the dates the listing gave it."""
    return Work(item.url, source.target, published=item.published, lastmod=item.lastmod)


def _conditional(source: Source) -> dict[str, str]:
    headers = {}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    return headers


def _cutoff(row: dict[str, Any]) -> str | None:
    """Entries dated before this were listed by the last clean run of a registered sitemap."""
    last = row.get("last_run_at")
    if (
        row.get("kind") != "sitemap"
        or not last
        or row.get("last_status")
        not in (
            "ok",
            "not modified",
        )
    ):
        return None
    try:
        moment = datetime.fromisoformat(last)
    except ValueError:
        return None
    return (moment - SITEMAP_MARGIN).isoformat()


def _looks_like_feed(content: bytes) -> bool:
    """Whether a page labelled HTML is an RSS or Atom feed after all (its root element)."""
    head = content[:4096].lower()
    return b"<html" not in head and any(hint in head for hint in _FEED_HINTS)


def _looks_like_sitemap(content: bytes) -> bool:
    head = content[:4096].lower()
    return content[:2] == b"\x1f\x8b" or any(hint in head for hint in _SITEMAP_HINTS)


__all__ = ["KINDS", "Disallowed", "Listing", "Source", "SourceReader"]
