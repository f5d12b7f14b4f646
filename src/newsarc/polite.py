"""Politeness for concurrent fetching: per-host pacing and concurrency, and robots.txt.

``HostLimiter`` decides *when* a fetch thread may start a request; ``RobotsCache`` decides
*whether* a URL may be fetched at all. Neither does any I/O of its own: the limiter only
sleeps, and the robots cache fetches through the function it is given.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from newsarc.errors import FetchError, InputError, NewsarcError
from newsarc.robots import MAX_CRAWL_DELAY, Group, parse_robots, request_path
from newsarc.robots import MAX_ROBOTS_BYTES as MAX_ROBOTS_BYTES  # re-exported

log = logging.getLogger(__name__)

# A waiter is woken by notify_all on every change; this timeout only guards against a lost
# wake-up, so no thread can wait forever on a state nobody announces.
_SAFETY_WAIT = 1.0
# Concurrent callers wait this long for another thread's robots.txt fetch (newsarc.fetch's
# own deadline is 60 s) before deciding for themselves.
_ROBOTS_WAIT = 120.0
# How old a kept robots.txt may be and still stand in for one that cannot be read now (RFC
# 9309, 2.4: a cached copy may be used past its day while the file is unreachable, and its
# example period for "reasonably long" is 30 days).
STALE_ROBOTS_MAX = 30 * 24 * 3600.0


class Cancelled(NewsarcError):
    """A request the limiter will not start: the run is stopping, or its host was given up
    (``reason`` says which)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class HostLimiter:
    """Paces requests per host and caps concurrency, for many fetch threads at once.

    A request to ``host`` starts only when fewer than ``total`` requests are running overall,
    fewer than ``per_host`` to that host, and at least the host's delay has passed since the
    previous request to it *started* (and any ``defer`` has run out). Threads wanting the same
    host start in arrival order; threads wanting different hosts do not wait for each other's
    delays, only for the global slots.
    """

    def __init__(
        self,
        *,
        delay: float = 1.0,
        per_host: int = 2,
        total: int = 8,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        """``delay`` seconds between request starts to one host; ``clock``/``sleep`` for tests
        (by default a wait for a host's turn ends early when ``stop`` is called)."""
        _check_seconds("delay", delay)
        if per_host < 1 or total < 1:
            raise InputError(f"per-host ({per_host}) and total ({total}) must be at least 1")
        self._delay = delay
        self._per_host = per_host
        self._total = total
        self._clock = clock
        self._stopped = threading.Event()
        self._sleep = sleep or self._stopped.wait
        self._given_up: dict[str, str] = {}
        self._cond = threading.Condition()
        self._running = 0
        self._active: dict[str, int] = {}
        self._next_start: dict[str, float] = {}
        self._queues: dict[str, deque[object]] = {}
        self._delays: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Block until a request to ``host`` may start; the slot is held inside the ``with``."""
        key = host.lower()
        self._acquire(key)
        try:
            yield
        finally:
            self._release(key)

    def defer(self, host: str, seconds: float) -> None:
        """Start no request to ``host`` before ``seconds`` from now (Retry-After, backoff)."""
        _check_seconds("defer", seconds)
        key = host.lower()
        with self._cond:
            until = self._clock() + seconds
            if until > self._next_start.get(key, -math.inf):
                self._next_start[key] = until
                log.info("%s: no requests for %.1f s", key, seconds)
            self._cond.notify_all()

    def stop(self) -> None:
        """Start nothing more: every thread waiting for a turn, or that asks for one from now
        on, gets Cancelled (a run that is stopping must not send what was waiting)."""
        self._stopped.set()
        with self._cond:
            self._cond.notify_all()

    def give_up(self, host: str, reason: str) -> None:
        """Start no more requests to ``host`` in this limiter's life; those waiting for it get
        Cancelled(``reason``)."""
        with self._cond:
            self._given_up[host.lower()] = reason
            self._cond.notify_all()

    def set_delay(self, host: str, seconds: float) -> None:
        """Use ``seconds`` (e.g. robots.txt Crawl-delay) as ``host``'s delay when it is longer."""
        _check_seconds("delay", seconds)
        with self._cond:
            self._delays[host.lower()] = seconds

    def delay_for(self, host: str) -> float:
        """The delay in force between request starts to ``host``."""
        with self._cond:
            return max(self._delay, self._delays.get(host.lower(), 0.0))

    def _acquire(self, key: str) -> None:
        ticket = object()
        with self._cond:
            queue = self._queues.setdefault(key, deque())
            queue.append(ticket)
            try:
                self._wait_turn(key, queue, ticket)
            except BaseException:
                queue.remove(ticket)
                self._forget_if_idle(key)
                self._cond.notify_all()
                raise
            queue.popleft()
            now = self._clock()
            self._next_start[key] = now + max(self._delay, self._delays.get(key, 0.0))
            self._active[key] = self._active.get(key, 0) + 1
            self._running += 1
            # The next thread in this host's queue becomes the head and must re-check.
            self._cond.notify_all()

    def _wait_turn(self, key: str, queue: deque[object], ticket: object) -> None:
        """Return (holding the lock) once ``ticket`` may start a request to ``key``."""
        # Each pass either returns, sleeps until a known time, or waits for a notify; the
        # state it waits on changes only when some slot is released or a sleep runs out.
        while True:
            if self._stopped.is_set():
                raise Cancelled("the run is stopping")
            if key in self._given_up:
                raise Cancelled(self._given_up[key])
            head = queue[0] is ticket
            if head and self._active.get(key, 0) < self._per_host:
                wait = self._next_start.get(key, -math.inf) - self._clock()
                if wait > 0:
                    # Sleep outside the lock: other hosts go on; this host's later threads
                    # are queued behind us and cannot overtake.
                    self._cond.release()
                    try:
                        self._sleep(wait)
                    finally:
                        self._cond.acquire()
                    continue
                if self._running < self._total:
                    return
            self._cond.wait(timeout=_SAFETY_WAIT)

    def _release(self, key: str) -> None:
        with self._cond:
            self._active[key] -= 1
            self._running -= 1
            self._forget_if_idle(key)
            self._cond.notify_all()

    def _forget_if_idle(self, key: str) -> None:
        # A batch may touch many thousands of hosts: keep state only while it matters.
        if self._active.get(key, 0) == 0 and not self._queues.get(key):
            self._active.pop(key, None)
            self._queues.pop(key, None)
            if self._next_start.get(key, math.inf) <= self._clock():
                self._next_start.pop(key, None)


def _check_seconds(name: str, seconds: float) -> None:
    if not (seconds >= 0 and math.isfinite(seconds)):
        raise InputError(f"{name} must be a finite number of seconds >= 0, not {seconds!r}")


@dataclass(frozen=True)
class _Rules:
    """newsarc's group of one origin's robots.txt, or a blanket verdict when there is none."""

    group: Group | None
    allow_all: bool
    expires: float
    unreachable: str | None = None  # why robots.txt could not be read, when it could not


class RobotsCache:
    """robots.txt rules per origin (scheme, host and port), fetched once and kept ``ttl`` s.

    ``get(robots_url)`` returns ``(status, body)``; it may also raise FetchError (with a status
    for an HTTP error, without one for a network failure) or OSError. Following RFC 9309:
    a 2xx body is parsed (first 500 KiB); other 3xx/4xx mean there are no rules (allow all);
    429, 5xx and network failures mean the file is unreachable, so the whole origin is
    disallowed until the entry expires. Parsing and matching are newsarc.robots (RFC 9309:
    longest match, ``*`` and ``$``); only the group for ``user_agent`` is kept.
    """

    def __init__(
        self,
        get: Callable[[str], tuple[int, bytes]],
        *,
        user_agent: str,
        ttl: float = 3600,
        clock: Callable[[], float] = time.monotonic,
        stored: Mapping[str, tuple[int, bytes, float]] | None = None,
    ) -> None:
        """``user_agent`` is matched against robots.txt groups by its product token.

        ``stored`` are answers read before (origin -> status, body, age in seconds), used
        instead of a request while younger than ``ttl``; ``fetched`` collects the definite
        answers this cache got (origin -> status, body), for the caller to keep.
        """
        _check_seconds("ttl", ttl)
        self._get = get
        self._agent = user_agent
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, _Rules | threading.Event] = {}
        self._stored = dict(stored or {})
        self.fetched: dict[str, tuple[int, bytes]] = {}

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets newsarc fetch ``url``."""
        return self.refusal(url) is None

    def refusal(self, url: str) -> str | None:
        """Why newsarc may not fetch ``url`` (None: it may): its robots.txt disallows it, or
        could not be read (then the reason starts with "robots.txt unreachable")."""
        rules = self._rules(url)
        if rules.unreachable is not None:
            return f"robots.txt unreachable ({rules.unreachable})"
        if rules.group is None:
            return None if rules.allow_all else "disallowed by robots.txt"
        return None if rules.group.allowed(request_path(url)) else "disallowed by robots.txt"

    def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay (seconds, at most MAX_CRAWL_DELAY) ``url``'s robots.txt asks, if any."""
        group = self._rules(url).group
        if group is None or group.crawl_delay is None:
            return None
        return min(group.crawl_delay, MAX_CRAWL_DELAY)

    def _rules(self, url: str) -> _Rules:
        origin = robots_url(url)
        for _ in range(3):  # a waiter retries only if the fetching thread failed unexpectedly
            with self._lock:
                entry = self._entries.get(origin)
                if isinstance(entry, _Rules) and entry.expires > self._clock():
                    return entry
                if isinstance(entry, threading.Event):
                    pending: threading.Event | None = entry
                else:
                    pending = None
                    mine = threading.Event()
                    self._entries[origin] = mine
            if pending is not None:
                if not pending.wait(timeout=_ROBOTS_WAIT):
                    log.warning(
                        "%s: still not fetched after %.0f s; disallowing", origin, _ROBOTS_WAIT
                    )
                    late = f"not fetched within {_ROBOTS_WAIT:.0f} s"
                    return _Rules(None, allow_all=False, expires=-math.inf, unreachable=late)
                continue
            try:
                rules = self._load(origin)
            except BaseException:
                with self._lock:
                    self._entries.pop(origin, None)
                mine.set()
                raise
            with self._lock:
                self._entries[origin] = rules
            mine.set()
            return rules
        log.warning("%s: could not be fetched; disallowing", origin)
        return _Rules(None, allow_all=False, expires=-math.inf, unreachable="could not be fetched")

    def _load(self, origin: str) -> _Rules:
        kept = self._stored.pop(origin, None)
        if kept is not None and 0 <= kept[2] < self._ttl:
            log.debug("%s: as read %.0f s ago", origin, kept[2])
            return self._rules_of(origin, kept[0], kept[1], self._clock() + self._ttl - kept[2])
        expires = self._clock() + self._ttl
        try:
            status, body = self._get(origin)
        except FetchError as exc:
            if exc.status is None or 200 <= exc.status < 300:  # e.g. too large to read
                return self._unreachable(origin, exc.reason, expires, kept)
            status, body = exc.status, b""
        except OSError as exc:
            return self._unreachable(origin, str(exc) or type(exc).__name__, expires, kept)
        if not (200 <= status < 500) or status == 429:
            return self._unreachable(origin, f"HTTP {status}", expires, kept)
        rules = self._rules_of(origin, status, body, expires)
        with self._lock:
            self.fetched[origin] = (status, body)
        return rules

    def _rules_of(self, origin: str, status: int, body: bytes, expires: float) -> _Rules:
        if 200 <= status < 300:
            group = parse_robots(body).group_for(self._agent)
            log.debug("%s: %d bytes, %d rules for us", origin, len(body), len(group.rules))
            if group.crawl_delay is not None and group.crawl_delay > MAX_CRAWL_DELAY:
                log.warning(
                    "%s asks a Crawl-delay of %g s; using %g s",
                    origin,
                    group.crawl_delay,
                    MAX_CRAWL_DELAY,
                )
            return _Rules(group, allow_all=True, expires=expires)
        if 300 <= status < 500 and status != 429:
            log.debug("%s: HTTP %d, no rules: allowing all", origin, status)
            return _Rules(None, allow_all=True, expires=expires)
        return self._unreachable(origin, f"HTTP {status}", expires)

    def _unreachable(
        self,
        origin: str,
        reason: str,
        expires: float,
        kept: tuple[int, bytes, float] | None = None,
    ) -> _Rules:
        """The rules for an origin whose robots.txt cannot be read now: the copy a past run
        kept, when there is one not older than ``STALE_ROBOTS_MAX`` (a site whose robots.txt
        answers 503 for a moment keeps the rules it gave yesterday, rather than have every
        page and feed of it fail), else the whole site disallowed. The stale copy is not
        kept again (``fetched``), so the next run asks for the file anew."""
        if kept is not None and 0 <= kept[2] <= STALE_ROBOTS_MAX:
            status, body, age = kept
            rules = self._rules_of(origin, status, body, expires)
            if rules.unreachable is None:
                log.warning(
                    "%s unreachable (%s): using the copy read %s ago",
                    origin,
                    reason,
                    _age(age),
                )
                return rules
        log.warning("%s unreachable (%s): treating the whole site as disallowed", origin, reason)
        return _Rules(None, allow_all=False, expires=expires, unreachable=reason)


def _age(seconds: float) -> str:
    """An age for a log line: hours under two days, else days."""
    hours = seconds / 3600
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"


def robots_url(url: str) -> str:
    """The robots.txt URL governing ``url`` (same scheme, host and port)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InputError(f"not a valid URL: {url!r} ({exc})") from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in ("http", "https") or not host:
        raise InputError(f"not an http(s) URL: {url!r}")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != {"http": 80, "https": 443}[scheme]:
        netloc = f"{netloc}:{port}"
    return urlunsplit((scheme, netloc, "/robots.txt", "", ""))
