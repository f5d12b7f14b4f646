"""How far one fetch may go (``FetchLimits``), and how long it waits before trying again
(``retry_wait``).

Kept apart from ``newsarc.fetch`` and free of its HTTP imports: the CLI builds the limits from
its options, and the batch client (``ingest_http``) spends the retries, each without the other.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from newsarc.errors import FetchError, InputError

log = logging.getLogger("newsarc.fetch")  # its messages are the fetch's


@dataclass(frozen=True)
class FetchLimits:
    """How far one fetch may go. Times are seconds, sizes bytes."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 60.0  # whole fetch: redirects, retry waits and the body
    max_bytes: int = 10 * 1024 * 1024  # on the wire and after decompression
    max_redirects: int = 10
    retries: int = 3  # for 429/503 and dropped connections
    max_retry_after: float = 60.0  # a longer Retry-After fails at once
    backoff: float = 1.0  # first wait when the server names none; doubles each retry

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "deadline", "max_bytes"):
            if not getattr(self, name) > 0:
                raise InputError(f"fetch limit {name} must be positive, not {getattr(self, name)}")
        for name in ("max_redirects", "retries", "max_retry_after", "backoff"):
            if not getattr(self, name) >= 0:
                raise InputError(f"fetch limit {name} must not be negative: {getattr(self, name)}")


def retry_wait(
    url: str,
    reason: str,
    status: int | None,
    asked: float | None,
    *,
    limits: FetchLimits,
    retries: int,
    remaining: float,
) -> float:
    """The seconds to wait before trying ``url`` again after a transient failure (``asked``:
    the server's Retry-After, if any; ``retries`` spent so far; ``remaining`` seconds of the
    deadline), or the FetchError to give up with: no retry left, a Retry-After over the cap,
    or a wait that would pass the deadline."""
    if asked is not None and asked > limits.max_retry_after:
        raise FetchError(
            url,
            f"{reason}: Retry-After {asked:g} s exceeds the {limits.max_retry_after:g} s cap",
            status=status,
        )
    if retries >= limits.retries:
        plural = "retry" if limits.retries == 1 else "retries"
        tail = f" (gave up after {limits.retries} {plural})" if limits.retries else ""
        raise FetchError(url, reason + tail, status=status)
    wait = asked if asked is not None else limits.backoff * 2**retries
    if wait >= remaining:
        raise FetchError(
            url,
            f"{reason} (a retry in {wait:g} s would pass the {limits.deadline:g} s deadline)",
            status=status,
        )
    log.info("%s: %s; retry %d of %d in %g s", url, reason, retries + 1, limits.retries, wait)
    return wait
