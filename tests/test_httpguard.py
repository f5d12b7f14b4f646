"""The shared alarm thread behind fetch deadlines (``httpguard.AlarmClock``), and watchdogs
that use it, alone and through a slow server."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from newsarc.errors import FetchError
from newsarc.fetch import FetchLimits, fetch
from newsarc.httpguard import AlarmClock, Watchdog
from newsarc.httpsession import make_session
from tests.rawserver import connecting_to, unanswered_port


def test_alarms_run_in_deadline_order_and_cancelled_ones_never() -> None:
    clock = AlarmClock()
    ran: list[str] = []
    done = threading.Event()
    clock.call_later(0.15, lambda: (ran.append("late"), done.set()))
    clock.call_later(0.05, lambda: ran.append("early"))
    dropped = clock.call_later(0.10, lambda: ran.append("cancelled"))
    clock.call_later(0.0, lambda: ran.append("now"))
    clock.cancel(dropped)
    assert done.wait(10)
    assert ran == ["now", "early", "late"]


def test_a_sooner_alarm_wakes_the_waiting_thread() -> None:
    clock = AlarmClock()
    clock.call_later(60, lambda: None)  # the thread now sleeps towards this one
    fired = threading.Event()
    clock.call_later(0.05, fired.set)
    assert fired.wait(10)  # not 60 s, nor the thread's 5 s nap


def test_the_thread_ends_when_no_alarm_is_left_and_comes_back() -> None:
    clock = AlarmClock()
    first = threading.Event()
    clock.call_later(0.0, first.set)
    assert first.wait(10)
    for _ in range(200):  # bounded: the thread notices the empty queue right after the alarm
        if clock._thread is None:
            break
        time.sleep(0.01)
    assert clock._thread is None
    second = threading.Event()
    clock.call_later(0.0, second.set)
    assert second.wait(10)


def test_a_failing_callback_does_not_stop_the_others() -> None:
    clock = AlarmClock()
    after = threading.Event()

    def boom() -> None:
        raise RuntimeError("callback bug")

    clock.call_later(0.0, boom)
    clock.call_later(0.02, after.set)
    assert after.wait(10)


def test_watchdog_on_a_shared_clock_shuts_its_sockets() -> None:
    clock = AlarmClock()
    left, right = socket.socketpair()
    dog = Watchdog(0.1, clock)
    dog.register(left)
    dog.start()
    left.settimeout(5)
    try:
        assert left.recv(1) == b""  # woken by the shutdown, long before the 5 s timeout
        assert dog.fired
    finally:
        dog.finish()
        left.close()
        right.close()


def test_finished_watchdog_on_a_shared_clock_never_fires() -> None:
    clock = AlarmClock()
    left, right = socket.socketpair()
    dog = Watchdog(0.05, clock)
    dog.register(left)
    dog.start()
    dog.finish()
    threading.Event().wait(0.15)
    try:
        assert not dog.fired
        right.sendall(b"x")
        assert left.recv(1) == b"x"
    finally:
        left.close()
        right.close()


def test_session_deadline_cuts_a_dripping_server(httpserver: HTTPServer) -> None:
    def drip(request: Request) -> Response:
        def body():  # type: ignore[no-untyped-def]
            for _ in range(100):
                time.sleep(0.1)
                yield b"<p>x</p>"

        return Response(body(), content_type="text/html")

    httpserver.expect_request("/drip").respond_with_handler(drip)
    session = make_session()
    started = time.monotonic()
    try:
        fetch(httpserver.url_for("/drip"), session=session, limits=FetchLimits(deadline=0.5))
    except FetchError as exc:
        assert "timed out after 0.5 s" in str(exc)
    else:
        raise AssertionError("the dripping page was accepted")
    assert time.monotonic() - started < 8  # bounded by the deadline, not by the 10 s drip
    # The same session goes on fetching normally, on the same shared clock.
    httpserver.expect_request("/ok").respond_with_data("<p>fine</p>", content_type="text/html")
    assert fetch(httpserver.url_for("/ok"), session=session).content == b"<p>fine</p>"


def test_ring_all_runs_the_pending_alarms_at_once_and_every_later_one() -> None:
    clock = AlarmClock()
    ran: list[str] = []
    clock.call_later(60, lambda: ran.append("pending"))
    dropped = clock.call_later(60, lambda: ran.append("cancelled"))
    clock.cancel(dropped)
    clock.ring_all()
    assert ran == ["pending"]  # run before ring_all returned, in the calling thread
    later = threading.Event()
    clock.call_later(60, later.set)
    assert later.wait(10)  # not 60 s: every deadline of this clock has passed
    clock.ring_all()  # again: nothing runs twice
    assert ran == ["pending"]


def test_watchdog_sleep_ends_when_it_fires() -> None:
    clock = AlarmClock()
    dog = Watchdog(60, clock)
    dog.start()
    woke = threading.Event()
    sleeper = threading.Thread(target=lambda: (dog.sleep(60), woke.set()), daemon=True)
    sleeper.start()
    clock.ring_all()
    assert woke.wait(10)
    assert dog.fired
    dog.finish()


class _Held:
    """A handler that holds its request until ``release`` is set (at most 30 s)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.arrived = threading.Event()

    def __call__(self, request: Request) -> Response:
        self.arrived.set()
        self.release.wait(30)
        return Response("<p>late</p>", content_type="text/html")


def _fetch_in_thread(
    url: str, session: requests.Session, **limits: float
) -> tuple[threading.Event, list[object]]:
    """Fetch ``url`` in a thread of its own: set when done, and the Page or the FetchError."""
    done = threading.Event()
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(fetch(url, session=session, limits=FetchLimits(**limits)))
        except FetchError as exc:
            outcome.append(exc)
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done, outcome


def test_abandon_cuts_a_fetch_waiting_on_a_silent_server(httpserver: HTTPServer) -> None:
    held = _Held()
    httpserver.expect_request("/held").respond_with_handler(held)
    session = make_session()
    try:
        done, outcome = _fetch_in_thread(httpserver.url_for("/held"), session)
        assert held.arrived.wait(10)
        assert not done.wait(0.2)  # on the wire, waiting for the answer
        session.abandon()
        assert done.wait(10)  # not the 30 s hold, nor the 30 s read timeout
        assert isinstance(outcome[0], FetchError)
        # A fetch that starts afterwards is given up too, whatever the server would do.
        held.release.set()
        httpserver.expect_request("/ok").respond_with_data("<p>ok</p>", content_type="text/html")
        done, outcome = _fetch_in_thread(httpserver.url_for("/ok"), session)
        assert done.wait(10)
        assert isinstance(outcome[0], FetchError)
    finally:
        held.release.set()
        session.close()


def test_abandon_cuts_the_wait_before_a_retry(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/busy").respond_with_data(
        "busy", status=503, headers={"Retry-After": "30"}
    )
    session = make_session()
    try:
        done, outcome = _fetch_in_thread(httpserver.url_for("/busy"), session, deadline=60)
        for _ in range(500):  # bounded: the 503 comes at once, then the 30 s wait starts
            if httpserver.log:
                break
            time.sleep(0.01)
        assert len(httpserver.log) == 1
        assert not done.wait(0.2)
        session.abandon()
        assert done.wait(10)  # not after the 30 s Retry-After
        assert isinstance(outcome[0], FetchError)
        assert len(httpserver.log) == 1  # and not asked again
    finally:
        session.close()


def test_abandon_cuts_a_connect_the_host_never_answers() -> None:
    """A host that drops the handshake holds ``connect`` for the whole connect timeout (30 s
    here); giving the session up cuts it at once, as it cuts a silent read."""
    session = make_session()
    try:
        with unanswered_port() as port:
            url = f"http://127.0.0.1:{port}/story"
            done, outcome = _fetch_in_thread(url, session, connect_timeout=30, deadline=60)
            for _ in range(1000):  # bounded: until the fetch's SYN is out
                if connecting_to(port):
                    break
                time.sleep(0.01)
            assert not done.wait(0.2)
            session.abandon()
            assert done.wait(10)  # not the 30 s connect timeout
        assert isinstance(outcome[0], FetchError)
        assert "timed out" in outcome[0].reason
    finally:
        session.close()


class _SlowResolver:
    """``socket.getaddrinfo`` for names under ``.slow-dns.test``: the lookup hangs (as with a
    resolver that does not answer) for ``hang`` seconds, then fails; any other name resolves
    as usual. Nothing leaves the machine: the hung names never reach a resolver."""

    def __init__(self, hang: float) -> None:
        self.hang = hang
        self.started = threading.Event()
        self._real = socket.getaddrinfo

    def __call__(self, host: object, *args: object, **kwargs: object) -> object:
        if isinstance(host, str) and host.endswith(".slow-dns.test"):
            self.started.set()
            time.sleep(self.hang)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return self._real(host, *args, **kwargs)  # type: ignore[arg-type]


def test_the_deadline_cuts_a_name_lookup_that_hangs(monkeypatch) -> None:
    """The resolver's own timeouts are outside every socket's: a lookup that hangs held the
    fetch for as long (10 s here) whatever --deadline said; now the deadline ends it."""
    resolver = _SlowResolver(hang=10)
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch("http://story.slow-dns.test/a", limits=FetchLimits(deadline=0.5))
    assert time.monotonic() - started < 5
    assert resolver.started.is_set()
    assert "timed out after 0.5 s" in caught.value.reason


def test_abandon_cuts_a_name_lookup_that_hangs(monkeypatch) -> None:
    resolver = _SlowResolver(hang=10)
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    session = make_session()
    try:
        done, outcome = _fetch_in_thread("http://story.slow-dns.test/a", session, deadline=60)
        assert resolver.started.wait(10)
        assert not done.wait(0.2)  # looking the name up
        session.abandon()
        assert done.wait(5)  # not after the 10 s lookup
        assert isinstance(outcome[0], FetchError)
    finally:
        session.close()


def test_a_name_lookup_within_the_deadline_and_its_failure_are_as_before(monkeypatch) -> None:
    """A name resolves through the lookup thread as it did directly, and a failed lookup is
    reported as one (not as a timeout)."""
    server = HTTPServer(host="localhost")
    server.expect_request("/a").respond_with_data("<p>hello</p>", content_type="text/html")
    server.start()
    try:
        page = fetch(f"http://localhost:{server.port}/a", limits=FetchLimits(deadline=10))
        assert page.status == 200 and page.content == b"<p>hello</p>"
    finally:
        server.clear()
        server.stop()
    monkeypatch.setattr(socket, "getaddrinfo", _SlowResolver(hang=0))
    with pytest.raises(FetchError) as caught:
        fetch("http://story.slow-dns.test/a", limits=FetchLimits(deadline=10, retries=0))
    assert "timed out" not in caught.value.reason
