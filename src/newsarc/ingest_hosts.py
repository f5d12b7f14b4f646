"""What a run does about a host that keeps failing: slow it down after each 429/503, and give
it up for the run after too many failures in a row.

A refusal's growing backoff would otherwise hold a cron run on one host for hours, and a dead
host would be asked for every page it has in the list.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING

from newsarc.errors import FetchError
from newsarc.ingest_work import HostQueue, Work

if TYPE_CHECKING:
    from newsarc.polite import HostLimiter

log = logging.getLogger(__name__)

DEAD_HOST = 5  # failures in a row (network failures or 429/503) after which a host is given up
MAX_BACKOFF = 300.0  # the longest a host is slowed down after refusals in a row


class HostTrouble:
    """Failures in a row per host, and what follows from them for one run."""

    def __init__(self, hosts: HostQueue, limiter: HostLimiter, delay: float) -> None:
        self._hosts = hosts
        self._limiter = limiter
        self._delay = delay
        self._failures: Counter[str] = Counter()

    def succeeded(self, host: str) -> None:
        """A page of ``host`` came: its failures are no longer in a row."""
        self._failures.pop(host, None)

    def failed(self, host: str, exc: FetchError) -> list[tuple[Work, str]]:
        """A page of ``host`` failed with ``exc``: slow the host down after a 429/503 (the
        fetcher honoured Retry-After for that page already), and when it has failed
        ``DEAD_HOST`` times in a row, give it up. Returns the pages given up with it, each
        with the reason to fail it (none unless the host was given up now)."""
        if exc.status not in (429, 503, None):
            return []
        self._failures[host] += 1
        count = self._failures[host]
        if exc.status is not None:
            backoff = min(max(self._delay, 1.0) * 2 ** (count - 1), MAX_BACKOFF)
            self._hosts.defer(host, backoff)
            self._limiter.defer(host, backoff)
        if count < DEAD_HOST:
            return []
        reason = f"given up, {host} failed {count} times in a row (last: {exc.reason})"
        # The pages already taken for the host and waiting for its turn are not sent either.
        self._limiter.give_up(host, reason)
        dropped = self._hosts.drop(host)
        if dropped:
            log.warning(
                "%s: %d failures in a row; %d more URLs given up", host, count, len(dropped)
            )
        return [(work, f"{work.url}: {reason}") for work in dropped]
