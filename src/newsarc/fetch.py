"""URL -> Page: the one place newsarc talks HTTP.

Every limit is enforced here: a total wall-clock deadline (see ``httpguard``), a size cap on
the wire and after decompression (``httpbody``), a redirect cap with every hop checked,
allowed content types, and retries with backoff and Retry-After for 429/503 and dropped
connections. Every failure is a FetchError naming the URL and a short reason.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import requote_uri

from newsarc.errors import FetchError, InputError
from newsarc.fetchlimits import FetchLimits as FetchLimits  # re-exported
from newsarc.fetchlimits import retry_wait as retry_wait  # re-exported
from newsarc.httpaccept import FEED_TYPES as FEED_TYPES  # re-exported
from newsarc.httpaccept import HTML_TYPES, check_body, refresh_target, refused_label
from newsarc.httpbody import SUPPORTED_ENCODINGS, BodyError, Decoder, too_large
from newsarc.httperrors import Failure, classify_body, classify_request, retry_after, status_reason
from newsarc.httpguard import GuardedAdapter, Watchdog, watch
from newsarc.httpsession import make_session, user_agent
from newsarc.model import Page
from newsarc.urls import check_url, host_of

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUSES = frozenset({429, 503})
_ORIGIN_HEADERS = ("authorization", "cookie", "proxy-authorization")


class Redirected(Exception):
    """The redirect a ``fetch(..., follow_redirects=False)`` hands back: ``target`` is the
    absolute, checked URL it points to (``status`` 301-308)."""

    def __init__(self, url: str, target: str, status: int) -> None:
        super().__init__(f"{url}: redirected to {target}")
        self.url, self.target, self.status = url, target, status


class Refused(Exception):
    """The 429/503 a ``fetch(..., retry_refusals=False)`` hands back instead of waiting and
    retrying itself: ``wait`` is the server's Retry-After in seconds, if it gave one."""

    def __init__(self, url: str, reason: str, status: int, wait: float | None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.status, self.wait = url, reason, status, wait


def fetch(
    url: str,
    *,
    session: requests.Session | None = None,
    limits: FetchLimits = FetchLimits(),  # noqa: B008 - frozen, so sharing it is safe
    accept: Collection[str] | None = HTML_TYPES,
    headers: Mapping[str, str] | None = None,
    slot: AbstractContextManager[Any] | None = None,
    follow_redirects: bool = True,
    retry_refusals: bool = True,
) -> Page:
    """Fetch ``url`` within ``limits`` and return the Page (final URL, status, headers, bytes).

    ``accept`` lists the media types wanted (None: any). ``headers`` are sent with every hop,
    e.g. If-None-Match for a conditional GET, whose 304 comes back as a Page with status 304
    and no content. ``slot`` (e.g. a politeness slot from ``HostLimiter.slot``) is held while
    the fetch is on the wire: entered once the first request is prepared, left once the last
    body is read, before the page is checked; the deadline runs inside it. Raises InputError
    for a malformed URL and FetchError for anything else. A plain ``requests.Session`` passed
    in gets newsarc's guarded adapters mounted.

    A caller that paces each request itself (the batch, whose every request to a host goes
    through that host's slot and robots.txt) passes ``follow_redirects=False`` to get a
    redirect back as ``Redirected``, and ``retry_refusals=False`` to get a 429/503 back as
    ``Refused`` (both raised once the slot is left) instead of fetch following or waiting.
    """
    url = check_url(url)
    own = session is None
    active = make_session() if session is None else _guarded(session)
    try:
        attempt = _Fetch(url, active, limits, accept, headers)
        attempt.follow_redirects, attempt.retry_refusals = follow_redirects, retry_refusals
        return attempt.run(slot or nullcontext())
    finally:
        if own:
            active.close()


def _guarded(session: requests.Session) -> requests.Session:
    for prefix in ("http://", "https://"):
        if type(session.get_adapter(prefix)) is HTTPAdapter:
            log.debug("mounting newsarc's guarded adapter for %s on the given session", prefix)
            session.mount(prefix, GuardedAdapter())
    return session


# A prepared request and the keyword arguments to send it with (proxies, verify, ...).
_Prepared = tuple[requests.PreparedRequest, Mapping[str, Any]]


class _Transient(Exception):
    """A failure worth retrying: 429/503 or a dropped connection."""

    def __init__(self, reason: str, *, status: int | None = None, wait: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.wait = wait  # seconds the server asked for (Retry-After), if it did


class _Fetch:
    """The state of one fetch: the hop being fetched, redirects followed, retries spent."""

    def __init__(
        self,
        url: str,
        session: requests.Session,
        limits: FetchLimits,
        accept: Collection[str] | None,
        headers: Mapping[str, str] | None,
    ) -> None:
        self.url = url
        self.session = session
        self.limits = limits
        self.accept = None if accept is None else frozenset(t.lower() for t in accept)
        self.extra = dict(headers or {})
        self.dog: Watchdog | None = None
        self.started = time.monotonic()
        self.retries = 0
        self.follow_redirects = True
        self.retry_refusals = True
        self.last_status = 0  # of the last redirect
        self.hops: list[int] = []  # the status of each redirect followed (Page.redirects)

    def fail(self, reason: str, status: int | None = None) -> FetchError:
        """The FetchError for this fetch's URL."""
        return FetchError(self.url, reason, status=status)

    def timed_out(self) -> FetchError:
        """The error for a fetch that ran past its deadline."""
        return self.fail(f"timed out after {self.limits.deadline:g} s")

    def remaining(self) -> float:
        """Seconds left before the deadline."""
        return self.limits.deadline - (time.monotonic() - self.started)

    def run(self, slot: AbstractContextManager[Any]) -> Page:
        """Prepare the first request, then follow redirects and retries inside ``slot`` until a
        Page (checked once out of it) or a FetchError."""
        first = self.prepare(self.url)
        with slot:
            # A NewsarcSession keeps its fetches' deadlines in one shared alarm thread.
            alarms = getattr(self.session, "alarms", None)
            with watch(self.limits.deadline, alarms) as self.dog:
                self.started = time.monotonic()
                page, media = self.follow(first)
        return page if page.status == 304 else self.finish(page, media)

    def follow(self, first: _Prepared) -> tuple[Page, str]:
        """Follow redirects and retries until a Page with its body read, or a FetchError."""
        current = self.url
        visited = {current}
        redirects = 0
        prepared: _Prepared | None = first
        # Each pass follows a redirect, spends a retry, returns or raises: this bounds it.
        for _ in range(self.limits.max_redirects + self.limits.retries + 2):
            if self.remaining() <= 0 or self.fired:  # fired early: the session gave it up
                raise self.timed_out()
            try:
                outcome = self.hop(current, prepared or self.prepare(current))
            except _Transient as transient:
                if transient.status is not None and not self.retry_refusals:
                    raise Refused(
                        self.url, transient.reason, transient.status, transient.wait
                    ) from None
                self.wait_to_retry(transient)
                continue
            finally:
                prepared = None  # a request is sent once: a retry or redirect prepares anew
            if isinstance(outcome, tuple):
                outcome[0].redirects = tuple(self.hops)
                return outcome
            if not self.follow_redirects:
                raise Redirected(self.url, outcome, self.last_status)
            redirects += 1
            self.hops.append(self.last_status)
            if redirects > self.limits.max_redirects:
                loop = f"; it loops back to {outcome}" if outcome in visited else ""
                raise self.fail(f"too many redirects ({redirects}){loop}")
            log.debug("%s: redirected to %s", self.url, outcome)
            visited.add(outcome)
            current = outcome
        raise self.fail(f"too many redirects ({redirects})")

    def wait_to_retry(self, transient: _Transient) -> None:
        """Sleep before the next try, or raise when no retry is left or the wait can't fit."""
        wait = retry_wait(
            self.url,
            transient.reason,
            transient.status,
            transient.wait,
            limits=self.limits,
            retries=self.retries,
            remaining=self.remaining(),
        )
        self.retries += 1
        assert self.dog is not None  # retries happen under the deadline
        self.dog.sleep(wait)  # cut short when the session gives its fetches up

    def request_headers(self, current: str) -> CaseInsensitiveDict[str]:
        """Headers for one hop: Accept, our encodings, the caller's headers, our User-Agent."""
        sent: CaseInsensitiveDict[str] = CaseInsensitiveDict()
        types = sorted(self.accept) if self.accept else []
        sent["Accept"] = ", ".join([*types, "*/*;q=0.1"]) if types else "*/*"
        # We decompress ourselves (bounded), so only offer what httpbody can undo.
        sent["Accept-Encoding"] = ", ".join(SUPPORTED_ENCODINGS)
        same_origin = host_of(current) == host_of(self.url)
        for name, value in self.extra.items():
            if same_origin or name.lower() not in _ORIGIN_HEADERS:
                sent[name] = value
        # A session that kept requests' default gets ours; one set on purpose is respected.
        agent = str(self.session.headers.get("User-Agent") or "")
        if "User-Agent" not in sent and (not agent or agent.startswith("python-requests/")):
            sent["User-Agent"] = user_agent()
        return sent

    def prepare(self, current: str) -> _Prepared:
        """The request for one hop, with the session's settings, ready to send.

        Done as ``Session.request`` does it (prepare_request, merge_environment_settings), so
        that it can happen before the caller's slot is taken. A URL that cannot be prepared
        (e.g. a host IDNA rejects) is a FetchError.
        """
        try:
            prepared = self.session.prepare_request(
                requests.Request("GET", current, headers=self.request_headers(current))
            )
            settings = self.session.merge_environment_settings(prepared.url, {}, True, None, None)
        except requests.RequestException as exc:  # e.g. InvalidURL: as if sending had failed
            raise self.fail(classify_request(exc, host_of(current)).reason) from exc
        except (ValueError, urllib3.exceptions.HTTPError) as exc:
            raise self.fail(f"invalid request ({exc})") from exc
        return prepared, settings

    def hop(self, current: str, request: _Prepared) -> tuple[Page, str] | str:
        """One request: a Page with its body read (and its media type), or the next URL when
        the server redirects."""
        remaining = self.remaining()
        timeout = (
            min(self.limits.connect_timeout, remaining),
            min(self.limits.read_timeout, remaining),
        )
        prepared, settings = request
        try:
            response = self.session.send(
                prepared, allow_redirects=False, timeout=timeout, **settings
            )
        except requests.RequestException as exc:
            raise self.failed(classify_request(exc, host_of(current)), timeout) from exc
        except (ValueError, urllib3.exceptions.HTTPError) as exc:  # e.g. a host IDNA rejects
            if self.fired:
                raise self.timed_out() from exc
            raise self.fail(f"invalid request ({exc})") from exc
        except Exception as exc:
            if self.fired:  # whatever a socket shut mid-read raised, the deadline caused it
                raise self.timed_out() from exc
            raise
        try:
            return self.handle(current, response, timeout)
        finally:
            response.close()

    @property
    def fired(self) -> bool:
        """Whether the deadline has passed."""
        return self.dog is not None and self.dog.fired

    def failed(self, failure: Failure, timeout: tuple[float, float]) -> Exception:
        """The FetchError (or _Transient, to retry) for a classified failure."""
        if self.fired:
            return self.timed_out()
        if failure.timeout is not None:
            connect, read = timeout
            used, limit = (
                (connect, self.limits.connect_timeout)
                if failure.timeout == "connect"
                else (read, self.limits.read_timeout)
            )
            if used < limit:  # the timeout had been cut short to fit the deadline
                return self.timed_out()
            return self.fail(failure.reason.format(f"{used:g}"))
        return _Transient(failure.reason) if failure.retry else self.fail(failure.reason)

    def handle(
        self, current: str, response: requests.Response, timeout: tuple[float, float]
    ) -> tuple[Page, str] | str:
        """Turn one response into a Page with its body read (and its media type), a redirect
        target, or an error."""
        status = response.status_code
        if status in _REDIRECTS:
            self.last_status = status
            return self.redirect_target(current, response)
        if status in _RETRY_STATUSES:
            raise _Transient(
                status_reason(status, response.reason),
                status=status,
                wait=retry_after(response.headers.get("Retry-After")),
            )
        page = Page(
            url=self.url,
            final_url=current,
            status=status,
            headers=dict(response.headers),
            content=b"",
        )
        media = page.content_type
        if status == 304:
            return page, media
        if not 200 <= status < 300:
            raise self.fail(status_reason(status, response.reason), status)
        refused = refused_label(media, self.accept)
        if refused:
            raise self.fail(refused, status)
        page.content = self.read_body(response, timeout)
        if self.accept is not None and media in HTML_TYPES and media in self.accept:
            stub = refresh_target(page.content, current)
            if stub is not None:  # an old address kept as a page that sends browsers on
                self.last_status = status
                return self.checked_target(stub, status)
        return page, media

    def redirect_target(self, current: str, response: requests.Response) -> str:
        """The absolute, checked http(s) URL a redirect points to."""
        location = response.headers.get("Location", "").strip()
        status = response.status_code
        if not location:
            reason = status_reason(status, response.reason)
            raise self.fail(f"{reason} without a Location header", status)
        try:  # http.client reads headers as latin-1; servers mostly send UTF-8
            location = location.encode("latin-1").decode("utf-8")
        except UnicodeError:
            pass  # not UTF-8 after all: keep the latin-1 reading
        return self.checked_target(urljoin(current, location), status)

    def checked_target(self, target: str, status: int) -> str:
        """A redirect's absolute target as a checked http(s) URL, or a FetchError."""
        scheme = urlsplit(target).scheme.lower()
        if scheme not in ("http", "https"):
            raise self.fail(f"redirect to unsupported scheme {target[:200]}", status)
        try:
            return check_url(requote_uri(target))
        except InputError:
            raise self.fail(f"redirect to a malformed URL {target[:200]!r}", status) from None

    def read_body(self, response: requests.Response, timeout: tuple[float, float]) -> bytes:
        """The decoded body, streamed within max_bytes and the deadline."""
        limit = self.limits.max_bytes
        declared = _content_length(response.headers.get("Content-Length"))
        if declared is not None and declared > limit:
            raise self.fail(too_large(limit).reason, response.status_code)
        raw = response.raw
        # A response whose connection the guarded adapter did not see (a custom adapter).
        assert self.dog is not None  # the body is read under the deadline
        self.dog.register(getattr(getattr(raw, "connection", None), "sock", None))
        received = 0
        out = bytearray()
        try:
            decoder = Decoder(response.headers.get("Content-Encoding"), limit)
            # Each pass adds at least one byte to ``received``, which is capped: it ends.
            while chunk := raw.read(CHUNK, decode_content=False):
                received += len(chunk)
                if received > limit:
                    raise too_large(limit)
                out += decoder.feed(chunk)
                if len(out) > limit:
                    raise too_large(limit)
                if self.remaining() <= 0:
                    raise self.timed_out()
            if self.fired:  # a shut socket reads as a clean end of the body
                raise self.timed_out()
            if declared is not None and received < declared:
                raise _Transient(f"incomplete body (got {received} of {declared} bytes)")
            out += decoder.finish()
        except BodyError as exc:
            raise self.fail(exc.reason, response.status_code) from None
        except (FetchError, _Transient):
            raise
        except Exception as exc:
            if self.fired:
                raise self.timed_out() from exc
            failure = classify_body(exc, received, declared)
            if failure is None:
                raise
            raise self.failed(failure, timeout) from exc
        if len(out) > limit:
            raise self.fail(too_large(limit).reason, response.status_code)
        return bytes(out)

    def finish(self, page: Page, media: str) -> Page:
        """Check the body against its label and the wanted types; pick the encoding."""
        label = page.header("Content-Type")
        try:
            page.encoding = check_body(page.content, media, label, self.accept)
        except BodyError as exc:
            raise self.fail(exc.reason, page.status) from None
        return page


def _content_length(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())
