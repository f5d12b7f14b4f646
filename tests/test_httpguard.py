"""The shared alarm thread behind fetch deadlines (``httpguard.AlarmClock``), and watchdogs
that use it, alone and through a slow server."""

from __future__ import annotations

import socket
import threading
import time

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from newsarc.errors import FetchError
from newsarc.fetch import FetchLimits, fetch
from newsarc.httpguard import AlarmClock, Watchdog
from newsarc.httpsession import make_session


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
