"""A wall-clock deadline for requests that no server can stretch.

Socket timeouts bound each ``recv`` separately, so a server that drips one byte a second, or
sends header lines forever, never trips them. ``Watchdog`` is a timer that, when the deadline
passes, shuts down every socket the current fetch has touched; the blocked read then returns
at once and the fetcher reports the deadline. The sockets are found through urllib3
connection classes that register themselves with the watchdog of the calling context
(a ``ContextVar``, so threads sharing one session each see their own fetch).

The same shutdown ends fetches early on purpose: ``AlarmClock.ring_all`` makes every deadline
of a session pass at once (a batch run that stops gives up what is on the wire instead of
waiting for slow servers).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    LocationParseError,
    NameResolutionError,
    NewConnectionError,
)
from urllib3.poolmanager import PoolManager
from urllib3.util.connection import allowed_gai_family

log = logging.getLogger(__name__)

# The alarm thread wakes at least this often, so that cancelled alarms far in the future do not
# keep an idle thread alive for their whole span.
_ALARM_NAP = 5.0

_current: ContextVar[Watchdog | None] = ContextVar("newsarc_fetch_watchdog", default=None)


class Watchdog:
    """Shuts down the registered sockets once ``seconds`` have passed, unless finished first."""

    def __init__(self, seconds: float, clock: AlarmClock | None = None) -> None:
        """``clock``: a shared alarm thread to use (else the watchdog starts a timer of its own)."""
        self.seconds = seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._waiting: list[threading.Event] = []
        self._fired = threading.Event()
        self._done = False
        self._clock = clock
        self._alarm: list[Any] | None = None
        self._timer: threading.Timer | None = None
        if clock is None:
            self._timer = threading.Timer(max(seconds, 0.0), self._fire)
            self._timer.daemon = True

    @property
    def fired(self) -> bool:
        """Whether the deadline passed before the fetch finished."""
        return self._fired.is_set()

    def start(self) -> None:
        """Start the countdown."""
        if self._clock is not None:
            self._alarm = self._clock.call_later(self.seconds, self._fire)
        elif self._timer is not None:
            self._timer.start()

    def register(self, sock: socket.socket | None) -> None:
        """Watch ``sock`` (a socket the fetch reads from); shut it at once if already fired."""
        if sock is None:
            return
        with self._lock:
            if self._done:
                return
            if self._fired.is_set():
                _shut(sock)
                return
            if not any(s is sock for s in self._sockets):
                self._sockets.append(sock)

    def sleep(self, seconds: float) -> None:
        """Sleep ``seconds`` (a wait before a retry), or less when the watchdog fires meanwhile."""
        self._fired.wait(max(seconds, 0.0))

    def resolve(self, host: str, port: int, family: int) -> list[Any]:
        """``socket.getaddrinfo`` for a TCP connection to ``host``, given up (TimeoutError)
        when the watchdog fires first.

        The resolver cannot be interrupted, and its own timeouts (seconds per server, per
        try) are outside any socket's: the lookup runs in a daemon thread of its own, left to
        finish by itself if the fetch gives up on it, so it holds neither the fetch past its
        deadline nor a stopping run (nor the interpreter's exit). An address literal needs no
        lookup and is resolved at once.
        """
        if _is_literal(host):
            return socket.getaddrinfo(host, port, family, socket.SOCK_STREAM)
        answer: list[Any] = []
        finished = threading.Event()

        def look_up() -> None:
            try:
                answer.append(socket.getaddrinfo(host, port, family, socket.SOCK_STREAM))
            except BaseException as exc:  # handed to the fetch, raised there
                answer.append(exc)
            finally:
                finished.set()

        with self._lock:
            if self._fired.is_set():
                raise TimeoutError(f"name lookup of {host} not started: time is up")
            self._waiting.append(finished)
        try:
            threading.Thread(target=look_up, name="newsarc-dns", daemon=True).start()
            finished.wait()
        finally:
            with self._lock:
                self._waiting.remove(finished)
        if not answer:  # woken by the watchdog
            raise TimeoutError(f"name lookup of {host} cut short: time is up")
        if isinstance(answer[0], BaseException):
            raise answer[0]
        return answer[0]  # type: ignore[no-any-return]

    def finish(self) -> None:
        """Stop the countdown and forget the sockets (they go back to the pool intact)."""
        with self._lock:
            self._done = True
            self._sockets.clear()
        if self._clock is not None and self._alarm is not None:
            self._clock.cancel(self._alarm)
        elif self._timer is not None:
            self._timer.cancel()

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self._fired.set()
            sockets, self._sockets = self._sockets, []
            for waiting in self._waiting:
                waiting.set()
        log.debug("deadline of %g s passed: shutting %d socket(s)", self.seconds, len(sockets))
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    # shutdown() wakes a recv() blocked in another thread; close() alone does not on Linux.
    # The base-class call keeps an SSLSocket's own state untouched for the reading thread.
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed or detached: nothing left to wake


class AlarmClock:
    """One thread that runs callbacks at their deadlines, shared by many watchdogs.

    A thread per fetch costs more than a small request itself; a session's fetches share
    this one instead. The thread starts on the first alarm and ends once none is left, so an
    idle session holds no thread.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[list[Any]] = []  # [when, number, callback or None when cancelled]
        self._numbers = itertools.count()
        self._thread: threading.Thread | None = None
        self._ringing = False

    def call_later(self, seconds: float, callback: Callable[[], None]) -> list[Any]:
        """Run ``callback`` in the alarm thread after ``seconds`` (at once after ``ring_all``);
        returns a handle to cancel."""
        with self._cond:  # read under the lock: no alarm set during ring_all escapes it
            delay = 0.0 if self._ringing else max(seconds, 0.0)
            entry = [time.monotonic() + delay, next(self._numbers), callback]
            heapq.heappush(self._heap, entry)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="alarms", daemon=True)
                self._thread.start()
            elif self._heap[0] is entry:  # sooner than every other: wake the thread
                self._cond.notify()
        return entry

    def cancel(self, entry: list[Any]) -> None:
        """Forget an alarm (it is dropped from the queue when its time comes)."""
        entry[2] = None

    def ring_all(self) -> None:
        """Run every pending alarm now, in this thread, and from now on each alarm as soon as
        it is set: every deadline kept by this clock has passed.

        Why: a batch run that stops gives up its fetches. Their watchdogs shut their sockets,
        so a read blocked on a slow or silent server returns at once instead of after the
        read timeout or the deadline, and a fetch that starts later is cut as it starts.
        """
        with self._cond:
            self._ringing = True
            due = [entry[2] for entry in self._heap if entry[2] is not None]
            for entry in self._heap:
                entry[2] = None  # the alarm thread drops them; each runs once, here
            self._cond.notify()
        log.debug("ringing %d alarm(s) early", len(due))
        for callback in due:
            _call(callback)

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._heap and self._heap[0][2] is None:
                    heapq.heappop(self._heap)  # cancelled ones leave as they reach the top
                if not self._heap:
                    self._thread = None
                    return
                delay = self._heap[0][0] - time.monotonic()
                if delay > 0:
                    self._cond.wait(min(delay, _ALARM_NAP))
                    continue
                callback = heapq.heappop(self._heap)[2]
            if callback is not None:
                _call(callback)


def _call(callback: Callable[[], None]) -> None:
    try:
        callback()
    except Exception:  # one alarm's failure must not stop the others
        log.exception("an alarm callback failed")


@contextmanager
def watch(seconds: float, clock: AlarmClock | None = None) -> Iterator[Watchdog]:
    """Run the block under a watchdog of ``seconds``; guarded connections register with it.

    With ``clock`` the deadline is kept by that shared alarm thread, else by a timer thread.
    """
    dog = Watchdog(seconds, clock)
    token = _current.set(dog)
    dog.start()
    try:
        yield dog
    finally:
        dog.finish()
        _current.reset(token)


def _open(
    address: tuple[str, int],
    timeout: Any,
    source_address: tuple[str, int] | None,
    options: list[tuple[int, int, int | bytes]] | None,
) -> socket.socket:
    """A socket connected to ``address`` as urllib3 connects one (every address the name
    resolves to, in order, within the families urllib3 allows), registered with the current
    watchdog before each ``connect``; the name lookup itself ends when the watchdog fires."""
    host, port = address
    host = host.strip("[]")  # an IPv6 literal, as urllib3 passes it
    try:
        host.encode("idna")
    except UnicodeError:
        raise LocationParseError(f"'{host}', label empty or too long") from None
    last: OSError | None = None
    dog = _current.get()
    if dog is None:
        found = socket.getaddrinfo(host, port, allowed_gai_family(), socket.SOCK_STREAM)
    else:
        found = dog.resolve(host, port, allowed_gai_family())
    for family, kind, proto, _name, where in found:
        sock = socket.socket(family, kind, proto)
        try:
            for option in options or ():
                sock.setsockopt(*option)
            if timeout is None or isinstance(timeout, int | float):  # else urllib3's "default"
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            _register(sock)
            sock.connect(where)
        except OSError as exc:
            sock.close()
            last = exc
            continue
        return sock
    raise last if last is not None else OSError(f"no address found for {host}")


def _is_literal(host: str) -> bool:
    """Whether ``host`` is an IPv4 or IPv6 address rather than a name to look up."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, host.split("%", 1)[0])
        except (OSError, ValueError):
            continue
        return True
    return False


def _register(sock: socket.socket | None) -> None:
    dog = _current.get()
    if dog is not None:
        dog.register(sock)


class _GuardMixin:
    """Registers the connection's socket with the current watchdog at each blocking step."""

    sock: socket.socket | None

    def _new_conn(self) -> socket.socket:
        """urllib3's new connection, with the socket watched from before its ``connect``: a
        host that never answers the handshake is cut by the deadline (or a stop) like a
        silent read, not waited for until the connect timeout. The socket stays watched
        through the TLS handshake, before it is wrapped; the name lookup before it is given
        up when the watchdog fires (``Watchdog.resolve``).
        """
        host: str = self._dns_host  # type: ignore[attr-defined]
        try:
            sock = _open(
                (host, self.port),  # type: ignore[attr-defined]
                self.timeout,  # type: ignore[attr-defined]
                self.source_address,  # type: ignore[attr-defined]
                self.socket_options,  # type: ignore[attr-defined]
            )
        # urllib3's own exceptions for each failure, so requests reports them as it would.
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc  # type: ignore[attr-defined,arg-type]
        except TimeoutError as exc:
            reason = f"Connection to {self.host} timed out. (connect timeout={self.timeout})"  # type: ignore[attr-defined]
            raise ConnectTimeoutError(self, reason) from exc
        except OSError as exc:
            reason = f"Failed to establish a new connection: {exc}"
            raise NewConnectionError(self, reason) from exc  # type: ignore[arg-type]
        sys.audit("http.client.connect", self, self.host, self.port)  # type: ignore[attr-defined]
        return sock

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        _register(self.sock)

    def request(self, *args: Any, **kwargs: Any) -> None:
        _register(self.sock)  # a kept-alive connection: no connect() this time
        super().request(*args, **kwargs)  # type: ignore[misc]

    def getresponse(self) -> Any:
        _register(self.sock)
        return super().getresponse()  # type: ignore[misc]


class GuardedHTTPConnection(_GuardMixin, HTTPConnection):
    """urllib3's HTTP connection, watched by the fetch deadline."""


class GuardedHTTPSConnection(_GuardMixin, HTTPSConnection):
    """urllib3's HTTPS connection, watched by the fetch deadline."""


class GuardedHTTPConnectionPool(HTTPConnectionPool):
    """A pool of guarded HTTP connections."""

    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    """A pool of guarded HTTPS connections."""

    ConnectionCls = GuardedHTTPSConnection


_POOLS = {"http": GuardedHTTPConnectionPool, "https": GuardedHTTPSConnectionPool}


def _guard(manager: Any) -> Any:
    # SOCKS managers bring their own connection classes; those stay unguarded (read timeouts
    # still apply) rather than losing the proxy.
    if type(manager).__name__ != "SOCKSProxyManager" and isinstance(manager, PoolManager):
        manager.pool_classes_by_scheme = dict(_POOLS)
    return manager


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose connections honour :func:`watch`."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """Build the pool manager with guarded connection pools."""
        super().init_poolmanager(*args, **kwargs)
        _guard(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        """The proxy manager for ``proxy``, with guarded connection pools."""
        return _guard(super().proxy_manager_for(proxy, **proxy_kwargs))
