"""Short human reasons for what HTTP responses and network errors mean to the fetcher.

requests and urllib3 wrap the real cause several layers deep (ConnectionError ->
MaxRetryError -> NewConnectionError -> ConnectionRefusedError); ``classify`` digs it out and
says whether it is worth a retry.
"""

from __future__ import annotations

import email.utils
import http.client
import logging
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from http import HTTPStatus

import requests
import urllib3.exceptions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Failure:
    """What went wrong: a reason, whether to retry, and which timeout fired (if one did)."""

    reason: str  # for a timeout, with a {} where the seconds go
    retry: bool = False
    timeout: str | None = None  # "connect" or "read"


def status_reason(status: int, phrase: str | None = None) -> str:
    """``HTTP 404 Not Found``: the status line as people quote it.

    The standard phrase wins over the server's (which may be upper-cased or localised);
    the server's is used only for codes the standard does not name.
    """
    try:
        text = HTTPStatus(status).phrase
    except ValueError:
        text = " ".join((phrase or "").split())[:80]
    return f"HTTP {status} {text}".rstrip()


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP-date); None if unusable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            log.debug("ignoring unreadable Retry-After %r", value)
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - (now or datetime.now(timezone.utc))).total_seconds()
    if seconds != seconds or seconds == float("inf"):  # NaN or "inf" are not waits
        return None
    return max(seconds, 0.0)


def iter_causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and every exception it wraps (args, ``reason``, cause, context), each once."""
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    # Exception chains are short; the cap only guards against pathological self-reference.
    while stack and len(seen) < 50:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        linked.extend(current.args)
        stack.extend(e for e in linked if isinstance(e, BaseException))


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _first(causes: list[BaseException], kinds: type | tuple[type, ...]) -> BaseException | None:
    return next((c for c in causes if isinstance(c, kinds)), None)


def classify_request(exc: requests.RequestException, host: str) -> Failure:
    """Why a request got no response at all (connecting, sending, or reading the headers)."""
    if isinstance(exc, requests.ConnectTimeout):
        return Failure("connection timed out after {} s", timeout="connect")
    if isinstance(exc, requests.ReadTimeout):
        return Failure("no response within {} s", timeout="read")
    if isinstance(exc, requests.exceptions.SSLError):
        return Failure(f"TLS error ({_short(exc)})")
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader)):
        return Failure(f"invalid request ({_short(exc)})")
    causes = list(iter_causes(exc))
    if _first(causes, (urllib3.exceptions.NameResolutionError, socket.gaierror)):
        return Failure(f"cannot resolve host {host}")
    if _first(causes, ConnectionRefusedError):
        return Failure("connection refused", retry=True)
    if _first(causes, http.client.RemoteDisconnected):
        return Failure("connection closed before a response", retry=True)
    if _first(causes, ConnectionResetError):
        return Failure("connection reset", retry=True)
    bad = _first(causes, http.client.HTTPException)
    if bad is not None:
        return Failure(f"malformed response ({_short(bad)})")
    if _first(causes, (socket.timeout, urllib3.exceptions.TimeoutError)):
        return Failure("no response within {} s", timeout="read")
    return Failure(f"connection failed ({_short(exc)})", retry=True)


def classify_body(exc: BaseException, received: int, declared: int | None) -> Failure | None:
    """Why reading a body failed after the headers came; None for errors that are bugs."""
    causes = list(iter_causes(exc))
    short = _first(causes, http.client.IncompleteRead)
    if short is not None:
        got, total = received, declared
        partial, expected = getattr(short, "partial", None), getattr(short, "expected", None)
        # urllib3's IncompleteRead holds byte counts; http.client's holds the bytes.
        if isinstance(partial, int) and isinstance(expected, int):
            got, total = partial, partial + expected
        of = f" of {total}" if total is not None else ""
        return Failure(f"incomplete body (got {got}{of} bytes)", retry=True)
    if _first(causes, (socket.timeout, urllib3.exceptions.ReadTimeoutError)):
        return Failure("no data for {} s", timeout="read")
    if _first(causes, ConnectionResetError):
        return Failure("connection reset", retry=True)
    if _first(causes, (urllib3.exceptions.HTTPError, OSError, http.client.HTTPException)):
        return Failure(f"connection broken ({_short(exc)})", retry=True)
    return None
