"""How a batch run talks HTTP: one session, robots.txt, and every request within its host's
rules.

Every request of a run (an article page, a feed, a sitemap, each hop of a redirect, each
retry) goes through ``PoliteClient.get``: robots.txt of the request's own origin first (read
once a day per origin, kept in the archive), then that host's slot in the ``HostLimiter``
(its delay, its per-host and the global concurrency). A 429 or 503 defers the whole host
before the slot is left, so that no other page of it slips in.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from newsarc.errors import NewsarcError
from newsarc.model import PERMANENT_REDIRECTS, Page
from newsarc.urls import host_of

if TYPE_CHECKING:
    from sqlite_utils import Database

    from newsarc.ingest import IngestOptions
    from newsarc.polite import HostLimiter, RobotsCache

log = logging.getLogger(__name__)

# robots.txt is read whatever --max-bytes says (RFC 9309 parses at least its first 500 KiB);
# a larger one cannot be read, so its site is treated as unreachable.
ROBOTS_MAX_BYTES = 16 * 1024 * 1024
# How long a robots.txt read is used, in this run and the next ones: RFC 9309 lets a crawler
# keep it up to 24 hours; a cron line every half hour then asks each host once a day.
ROBOTS_KEPT = 24 * 3600.0


class Disallowed(NewsarcError):
    """robots.txt does not let newsarc fetch this URL, or could not be read (``unreachable``:
    then the URL is a failure to retry, not a page the site keeps to itself)."""

    def __init__(self, url: str, reason: str = "disallowed by robots.txt") -> None:
        super().__init__(f"{url}: not fetched, {reason}")
        self.url = url
        self.reason = reason
        self.unreachable = reason.startswith("robots.txt unreachable")


class PoliteClient:
    """The HTTP side of one run: a pooled session, robots.txt, and the run's HostLimiter."""

    def __init__(self, db: Database, options: IngestOptions, limiter: HostLimiter) -> None:
        from newsarc.fetch import make_session
        from newsarc.httpguard import GuardedAdapter

        self.db = db
        self.options = options
        self.limiter = limiter
        self.session = make_session()
        # One pooled connection per fetch thread per host, for as many hosts as there are.
        adapter = GuardedAdapter(pool_connections=64, pool_maxsize=max(options.concurrency, 10))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._abandoned = threading.Event()
        self.robots = None if options.ignore_robots else self._robots_cache()
        self._delays_checked: set[str] = set()
        self._lock = threading.Lock()

    def close(self) -> None:
        """Release the HTTP connections."""
        self.session.close()

    def abandon(self) -> None:
        """Give up the requests on the wire, and any a thread still starts: each fails at once
        (its sockets shut), for a run that stops without waiting for slow servers."""
        self._abandoned.set()
        self.session.abandon()

    def get(
        self, url: str, accept: Any, headers: dict[str, str], *, moved_plain: bool = False
    ) -> Page:
        """Fetch ``url`` hop by hop, each request within its own host's rules.

        Every hop of a redirect is checked against its host's robots.txt and sent within that
        host's slot (its delay, per-host and global concurrency), whichever host it moves to.
        A 429 or 503 defers the whole host by its Retry-After (or the doubling backoff) before
        the page is asked for again, so that the host's other pages wait too. Redirects,
        retries and the deadline keep the limits of one fetch; the Page keeps ``url`` as its
        address, the last hop as ``final_url`` and each redirect's status (``redirects``).

        ``headers`` go with every hop, except, with ``moved_plain``, a hop that only permanent
        redirects (301, 308) led to: a registered source's validators belong to its own
        address (or to where a temporary redirect sends it), not to the address it moved to.
        """
        from newsarc.errors import FetchError
        from newsarc.fetch import Redirected, Refused, fetch, retry_wait

        limits = self.options.limits
        visited = [url]
        statuses: list[int] = []  # of the redirects followed
        retries = 0
        # Seconds of the deadline spent: on the wire (inside the hosts' slots) and waiting to
        # retry. Waiting for a host's turn between hops (its delay) does not count, as
        # waiting for the first slot does not.
        spent = [0.0]
        # Each pass sends one request and either returns, raises, follows one more redirect
        # (at most max_redirects) or spends one more retry (at most retries): it ends.
        while True:
            current = visited[-1]
            self.check_robots(current)
            host = host_of(current)
            remaining = limits.deadline - spent[0]
            if remaining <= 0:
                raise FetchError(url, f"timed out after {limits.deadline:g} s")
            hop_limits = dataclasses.replace(limits, deadline=remaining) if spent[0] else limits
            moved = bool(statuses) and all(s in PERMANENT_REDIRECTS for s in statuses)
            try:
                page = fetch(
                    current,
                    session=self.session,
                    limits=hop_limits,
                    accept=accept,
                    headers={} if moved_plain and moved else headers,
                    slot=_Marked(self.limiter.slot(host), spent, self._hold_back(host, retries)),
                    follow_redirects=False,
                    retry_refusals=False,
                )
            except Redirected as hop:
                if len(visited) > limits.max_redirects:
                    loop = f"; it loops back to {hop.target}" if hop.target in visited else ""
                    reason = f"too many redirects ({len(visited)}){loop}"
                    raise FetchError(url, reason, status=hop.status) from None
                log.debug("%s: redirected to %s", url, hop.target)
                visited.append(hop.target)
                statuses.append(hop.status)
                continue
            except Refused as refusal:  # the host is deferred already (hold_back)
                spent[0] += retry_wait(
                    url,
                    refusal.reason,
                    refusal.status,
                    refusal.wait,
                    limits=limits,
                    retries=retries,
                    remaining=limits.deadline - spent[0],
                )
                retries += 1
                continue
            except FetchError as exc:
                if current == url:
                    raise
                raise FetchError(url, exc.reason, status=exc.status) from None
            page.url = url
            page.redirects = tuple(statuses)
            return page

    def _hold_back(self, host: str, retries: int) -> Callable[[BaseException | None], None]:
        """What to do before a request's slot is released: after a 429/503, defer the whole
        host (by its Retry-After, else the backoff), so that no other page of it slips in."""
        from newsarc.fetch import Refused

        limits = self.options.limits

        def hold_back(exc: BaseException | None) -> None:
            if isinstance(exc, Refused):
                asked = exc.wait if exc.wait is not None else limits.backoff * 2**retries
                # Held as long as the page would wait: a longer Retry-After fails the page,
                # and the host's next pages ask again after --max-retry-after.
                self.limiter.defer(host, min(asked, limits.max_retry_after))

        return hold_back

    def check_robots(self, url: str) -> None:
        """Raise Disallowed unless robots.txt lets newsarc fetch ``url``; apply the host's
        Crawl-delay the first time."""
        if self.robots is None:
            return
        refusal = self.robots.refusal(url)
        if refusal is not None:
            raise Disallowed(url, refusal)
        self._crawl_delay(host_of(url), url)

    def _crawl_delay(self, host: str, url: str) -> None:
        assert self.robots is not None
        with self._lock:
            if host in self._delays_checked:
                return
            self._delays_checked.add(host)
        asked = self.robots.crawl_delay(url)  # capped (robots.MAX_CRAWL_DELAY), with a warning
        if asked is not None and asked > self.options.delay:
            self.limiter.set_delay(host, asked)

    def _robots_cache(self) -> RobotsCache:
        from newsarc.errors import FetchError
        from newsarc.fetch import fetch, user_agent
        from newsarc.httpaccept import EMPTY_BODY
        from newsarc.polite import Cancelled, RobotsCache

        limits = dataclasses.replace(self.options.limits, max_bytes=ROBOTS_MAX_BYTES)

        def get(robots_url: str) -> tuple[int, bytes]:
            try:
                page = fetch(
                    robots_url,
                    session=self.session,
                    limits=limits,
                    accept=None,
                    slot=self.limiter.slot(host_of(robots_url)),
                )
            except FetchError as exc:  # an empty robots.txt is a file with no rules
                if exc.reason == EMPTY_BODY and exc.status and 200 <= exc.status < 300:
                    return exc.status, b""
                if self._abandoned.is_set():  # cut by the stop: the site said nothing
                    raise Cancelled("the run is stopping") from None
                raise
            return page.status, page.content

        from newsarc.store import stored_robots

        return RobotsCache(
            get, user_agent=user_agent(), ttl=ROBOTS_KEPT, stored=stored_robots(self.db)
        )

    def save_robots(self) -> None:
        """Keep the robots.txt files this run read (in the main thread, in the last batch)."""
        from newsarc.model import utc_now
        from newsarc.store import save_robots

        if self.robots is not None and self.robots.fetched:
            now = utc_now()
            entries = [(o, status, body, now) for o, (status, body) in self.robots.fetched.items()]
            save_robots(self.db, entries, commit=False)


class _Marked(AbstractContextManager[None]):
    """``slot``, adding the seconds spent inside it to ``spent[0]``, and calling
    ``before_exit(exception)`` while it still holds the slot."""

    def __init__(
        self,
        slot: AbstractContextManager[Any],
        spent: list[float],
        before_exit: Callable[[BaseException | None], None],
    ) -> None:
        self._slot = slot
        self._spent = spent
        self._before_exit = before_exit
        self._entered = 0.0

    def __enter__(self) -> None:
        self._slot.__enter__()
        self._entered = time.monotonic()

    def __exit__(self, kind: Any, exc: BaseException | None, trace: Any) -> bool | None:
        self._spent[0] += time.monotonic() - self._entered
        try:
            self._before_exit(exc)
        finally:
            released = self._slot.__exit__(kind, exc, trace)
        return released
