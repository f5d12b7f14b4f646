"""HostLimiter (pacing, concurrency caps, defer) and RobotsCache against a real local server."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Callable

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from newsarc.errors import FetchError, InputError
from newsarc.fetch import FetchLimits, fetch
from newsarc.polite import MAX_ROBOTS_BYTES, Cancelled, HostLimiter, RobotsCache, robots_url
from newsarc.robots import MAX_CRAWL_DELAY
from newsarc.urls import host_of

JOIN = 30.0  # upper bound for a thread to finish; only reached if something is broken


class FakeClock:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def run_threads(target: Callable[[int], None], count: int) -> None:
    errors: list[BaseException] = []

    def wrapped(i: int) -> None:
        try:
            target(i)
        except BaseException as exc:  # re-raised in the test thread below
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(JOIN)
        assert not t.is_alive(), "a worker thread hung"
    if errors:
        raise errors[0]


# -- HostLimiter with a fake clock: exact waits, one thread ----------------------------------


def test_first_request_to_a_host_does_not_wait() -> None:
    clock = FakeClock()
    limiter = HostLimiter(delay=2.0, clock=clock, sleep=clock.sleep)
    with limiter.slot("a.example"):
        pass
    assert clock.sleeps == []


def test_second_request_waits_for_the_delay_since_the_previous_start() -> None:
    clock = FakeClock()
    limiter = HostLimiter(delay=2.0, clock=clock, sleep=clock.sleep)
    with limiter.slot("a.example"):
        clock.now += 0.5  # the request itself takes 0.5 s
    with limiter.slot("a.example"):
        assert clock.now == pytest.approx(1002.0)
    assert clock.sleeps == [pytest.approx(1.5)]


def test_no_wait_when_the_delay_has_already_passed() -> None:
    clock = FakeClock()
    limiter = HostLimiter(delay=2.0, clock=clock, sleep=clock.sleep)
    with limiter.slot("a.example"):
        clock.now += 5
    with limiter.slot("a.example"):
        pass
    assert clock.sleeps == []


def test_hosts_are_paced_independently_and_case_insensitively() -> None:
    clock = FakeClock()
    limiter = HostLimiter(delay=3.0, clock=clock, sleep=clock.sleep)
    with limiter.slot("a.example"):
        pass
    with limiter.slot("b.example"):
        pass
    assert clock.sleeps == []
    with limiter.slot("A.EXAMPLE"):
        pass
    assert clock.sleeps == [pytest.approx(3.0)]


def _waiting_for_a_turn(limiter: HostLimiter, host: str) -> tuple[threading.Thread, list]:
    """A thread asking for a slot to ``host``; the list gets what happened."""
    outcome: list = []

    def ask() -> None:
        try:
            with limiter.slot(host):
                outcome.append("sent")
        except Cancelled as exc:
            outcome.append(exc.reason)

    thread = threading.Thread(target=ask)
    thread.start()
    return thread, outcome


def test_stop_cancels_the_requests_waiting_for_their_turn() -> None:
    # A run stopped by Ctrl-C must not send, a minute later, what was waiting for a delay.
    limiter = HostLimiter(delay=60.0)
    with limiter.slot("slow.example"):
        pass
    thread, outcome = _waiting_for_a_turn(limiter, "slow.example")
    time.sleep(0.2)
    started = time.monotonic()
    limiter.stop()
    thread.join(timeout=5)
    assert not thread.is_alive() and time.monotonic() - started < 5
    assert outcome == ["the run is stopping"]
    with pytest.raises(Cancelled):  # and nothing starts afterwards
        with limiter.slot("other.example"):
            pass


def test_a_given_up_host_starts_nothing_more() -> None:
    limiter = HostLimiter(delay=0.0, per_host=1)
    with limiter.slot("dead.example"):
        thread, outcome = _waiting_for_a_turn(limiter, "dead.example")  # waits: per-host 1
        time.sleep(0.2)
        limiter.give_up("dead.example", "given up, dead.example failed 5 times in a row")
        thread.join(timeout=5)
    assert outcome == ["given up, dead.example failed 5 times in a row"]
    with limiter.slot("alive.example"):  # the other hosts go on
        pass


def test_defer_holds_back_only_that_host() -> None:
    clock = FakeClock()
    limiter = HostLimiter(delay=1.0, clock=clock, sleep=clock.sleep)
    limiter.defer("a.example", 30)
    with limiter.slot("b.example"):
        pass
    assert clock.sleeps == []
    with limiter.slot("a.example"):
        assert clock.now == pytest.approx(1030.0)
    assert clock.sleeps == [pytest.approx(30.0)]


def test_defer_never_shortens_an_earlier_deferral() -> None:
    clock = FakeClock()
    limiter = HostLimiter(delay=0.0, clock=clock, sleep=clock.sleep)
    limiter.defer("a.example", 30)
    limiter.defer("a.example", 5)
    with limiter.slot("a.example"):
        pass
    assert sum(clock.sleeps) == pytest.approx(30.0)


def test_defer_extends_the_delay_after_a_request() -> None:
    clock = FakeClock()
    limiter = HostLimiter(delay=1.0, clock=clock, sleep=clock.sleep)
    with limiter.slot("a.example"):
        limiter.defer("a.example", 10)  # e.g. the response was a 429 with Retry-After: 10
    with limiter.slot("a.example"):
        pass
    assert sum(clock.sleeps) == pytest.approx(10.0)


def test_set_delay_slows_a_host_down_but_never_speeds_it_up() -> None:
    clock = FakeClock()
    limiter = HostLimiter(delay=1.0, clock=clock, sleep=clock.sleep)
    limiter.set_delay("slow.example", 5.0)
    limiter.set_delay("fast.example", 0.1)
    assert limiter.delay_for("SLOW.example") == 5.0
    assert limiter.delay_for("fast.example") == 1.0
    assert limiter.delay_for("other.example") == 1.0
    for _ in range(2):
        with limiter.slot("slow.example"):
            pass
    assert clock.sleeps == [pytest.approx(5.0)]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"delay": -1},
        {"delay": float("nan")},
        {"delay": float("inf")},
        {"per_host": 0},
        {"total": 0},
    ],
)
def test_bad_settings_are_input_errors(kwargs: dict[str, float]) -> None:
    with pytest.raises(InputError):
        HostLimiter(**kwargs)  # type: ignore[arg-type]


def test_bad_defer_is_an_input_error() -> None:
    with pytest.raises(InputError):
        HostLimiter().defer("a.example", float("nan"))


def test_an_exception_inside_the_slot_releases_it() -> None:
    limiter = HostLimiter(delay=0.0, per_host=1, total=1)
    with pytest.raises(RuntimeError), limiter.slot("a.example"):
        raise RuntimeError("boom")
    done = threading.Event()

    def other() -> None:
        with limiter.slot("b.example"):
            done.set()

    run_threads(lambda _: other(), 1)
    assert done.is_set()


# -- HostLimiter with threads: caps are never exceeded, and are reached ---------------------


class Recorder:
    """Counts requests in flight (per host and overall) and keeps each start time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running: dict[str, int] = defaultdict(int)
        self.total = 0
        self.max_host: dict[str, int] = defaultdict(int)
        self.max_total = 0
        self.starts: dict[str, list[float]] = defaultdict(list)

    def enter(self, host: str) -> None:
        with self.lock:
            self.starts[host].append(time.monotonic())
            self.running[host] += 1
            self.total += 1
            self.max_host[host] = max(self.max_host[host], self.running[host])
            self.max_total = max(self.max_total, self.total)

    def leave(self, host: str) -> None:
        with self.lock:
            self.running[host] -= 1
            self.total -= 1


def test_many_threads_respect_per_host_total_and_delay_in_real_time() -> None:
    delay, per_host, total = 0.05, 2, 3
    limiter = HostLimiter(delay=delay, per_host=per_host, total=total)
    rec = Recorder()
    hosts = ["a.example", "b.example", "c.example"]

    def worker(i: int) -> None:
        host = hosts[i % len(hosts)]
        with limiter.slot(host):
            rec.enter(host)
            time.sleep(0.03)  # longer than zero, shorter than the delay: starts overlap
            rec.leave(host)

    run_threads(worker, 18)
    assert all(len(rec.starts[h]) == 6 for h in hosts)
    assert max(rec.max_host.values()) <= per_host
    assert rec.max_total <= total
    for host in hosts:
        starts = sorted(rec.starts[host])
        gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
        # The limiter guarantees the full delay between its own start decisions; the
        # tolerance only covers the moment between that decision and our time stamp.
        assert min(gaps) >= delay - 0.01, (host, gaps)


def test_per_host_cap_is_reached_and_never_exceeded() -> None:
    limiter = HostLimiter(delay=0.0, per_host=2, total=8)
    inside = threading.Semaphore(0)
    release = threading.Event()
    rec = Recorder()

    def worker(_: int) -> None:
        with limiter.slot("a.example"):
            rec.enter("a.example")
            inside.release()
            assert release.wait(JOIN)
            rec.leave("a.example")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    # Two requests get in at once (the cap is reached) ...
    assert inside.acquire(timeout=JOIN) and inside.acquire(timeout=JOIN)
    # ... and a third cannot while they run.
    assert not inside.acquire(timeout=0.2)
    assert rec.total == 2
    release.set()
    for t in threads:
        t.join(JOIN)
    assert rec.max_host["a.example"] == 2
    assert len(rec.starts["a.example"]) == 5


def test_total_cap_across_hosts_is_reached_and_never_exceeded() -> None:
    limiter = HostLimiter(delay=0.0, per_host=4, total=3)
    inside = threading.Semaphore(0)
    release = threading.Event()
    rec = Recorder()

    def worker(i: int) -> None:
        host = f"h{i}.example"
        with limiter.slot(host):
            rec.enter(host)
            inside.release()
            assert release.wait(JOIN)
            rec.leave(host)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for _ in range(3):
        assert inside.acquire(timeout=JOIN)
    assert not inside.acquire(timeout=0.2)
    assert rec.total == 3
    release.set()
    for t in threads:
        t.join(JOIN)
    assert rec.max_total == 3


def test_a_host_waiting_for_its_delay_does_not_block_other_hosts() -> None:
    clock = FakeClock()
    parked = threading.Event()
    wake = threading.Event()

    def sleep(seconds: float) -> None:
        parked.set()
        assert wake.wait(JOIN)
        clock.sleep(seconds)

    limiter = HostLimiter(delay=60.0, per_host=2, total=2, clock=clock, sleep=sleep)
    with limiter.slot("slow.example"):
        pass
    slow_done = threading.Event()

    def slow() -> None:
        with limiter.slot("slow.example"):  # 60 s away: parked in sleep()
            slow_done.set()

    slow_thread = threading.Thread(target=slow)
    slow_thread.start()
    assert parked.wait(JOIN)
    fast_done = threading.Event()

    def fast(_: int) -> None:
        with limiter.slot("fast.example"):
            fast_done.set()

    run_threads(fast, 1)
    assert fast_done.is_set() and not slow_done.is_set()
    wake.set()
    slow_thread.join(JOIN)
    assert slow_done.is_set()
    assert clock.sleeps == [pytest.approx(60.0)]


def test_same_host_requests_start_in_arrival_order() -> None:
    limiter = HostLimiter(delay=0.0, per_host=1, total=1)
    order: list[int] = []

    def worker(i: int) -> None:
        with limiter.slot("a.example"):
            order.append(i)

    def queued() -> int:
        with limiter._cond:  # white-box: how many threads wait in line for the host
            return len(limiter._queues.get("a.example", ()))

    threads = []
    with limiter.slot("a.example"):
        for i in range(4):
            t = threading.Thread(target=worker, args=(i,))
            t.start()
            threads.append(t)
            for _ in range(2000):  # until the thread stands in line (bounded)
                if queued() == i + 1:
                    break
                time.sleep(0.005)
            assert queued() == i + 1
    for t in threads:
        t.join(JOIN)
    assert order == [0, 1, 2, 3]


def test_real_time_defer_delays_the_next_start() -> None:
    limiter = HostLimiter(delay=0.0)
    before = time.monotonic()
    limiter.defer("a.example", 0.1)
    with limiter.slot("a.example"):
        started = time.monotonic()
    assert started - before >= 0.1 - 0.01


# -- RobotsCache against a real server -------------------------------------------------------

ROBOTS = b"""User-agent: *
Disallow: /private
Crawl-delay: 7

User-agent: otherbot
Disallow: /
"""

LIMITS = FetchLimits(retries=0, deadline=10.0, connect_timeout=2.0, read_timeout=5.0)


def real_get(robots: str) -> tuple[int, bytes]:
    """What the ingest passes in: newsarc.fetch, with an HTTP error's status returned."""
    try:
        page = fetch(robots, limits=LIMITS, accept=None)
    except FetchError as exc:
        if exc.status is None:
            raise
        return exc.status, b""
    return page.status, page.content


def robots_hits(httpserver: HTTPServer) -> int:
    return sum(1 for request, _ in httpserver.log if request.path == "/robots.txt")


def test_robots_disallows_the_private_path(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(ROBOTS, content_type="text/plain")
    cache = RobotsCache(real_get, user_agent="newsarc/0.1 (+https://example.org)")
    assert cache.allowed(httpserver.url_for("/news/story.html"))
    assert not cache.allowed(httpserver.url_for("/private"))
    assert not cache.allowed(httpserver.url_for("/private/x.html?a=1"))
    assert cache.crawl_delay(httpserver.url_for("/news/")) == 7.0
    assert robots_hits(httpserver) == 1


def test_robots_group_for_our_agent_wins(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(
        b"User-agent: newsarc\nDisallow: /news/\n\nUser-agent: *\nDisallow: /\n"
    )
    cache = RobotsCache(real_get, user_agent="newsarc/0.1")
    assert cache.allowed(httpserver.url_for("/about"))
    assert not cache.allowed(httpserver.url_for("/news/a"))
    assert cache.crawl_delay(httpserver.url_for("/")) is None


def test_wildcards_and_longest_match_through_the_cache(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(
        b"User-agent: *\nDisallow: /\n\n"
        b"User-agent: NewsArc\nDisallow: /news/\nAllow: /news/*/story-*.html$\n"
        b"Disallow: /*?print=\nCrawl-delay: 1.5\n",
        content_type="text/plain",
    )
    cache = RobotsCache(real_get, user_agent="newsarc/0.1")
    assert cache.allowed(httpserver.url_for("/about"))
    assert cache.allowed(httpserver.url_for("/news/2024/story-1.html"))
    assert not cache.allowed(httpserver.url_for("/news/2024/story-1.html?x=1"))
    assert not cache.allowed(httpserver.url_for("/news/2024/index.html"))
    assert not cache.allowed(httpserver.url_for("/about?print=1"))
    assert cache.allowed(httpserver.url_for("/robots.txt"))
    assert cache.crawl_delay(httpserver.url_for("/")) == 1.5
    assert robots_hits(httpserver) == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.25", 0.25), ("10", 10.0), ("60", 60.0), ("3600", MAX_CRAWL_DELAY), ("soon", None)],
)
def test_crawl_delay_is_a_float_capped_when_applied(value: str, expected: float | None) -> None:
    body = f"User-agent: *\nCrawl-delay: {value}\n".encode()
    cache = RobotsCache(lambda _: (200, body), user_agent="newsarc")
    assert cache.crawl_delay("http://x.example/a") == expected


def test_a_capped_crawl_delay_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    cache = RobotsCache(lambda _: (200, b"User-agent: *\nCrawl-delay: 600\n"), user_agent="n")
    with caplog.at_level(logging.INFO, logger="newsarc.polite"):
        assert cache.crawl_delay("http://x.example/") == MAX_CRAWL_DELAY
    assert "600" in caplog.text


def test_crawl_delay_applied_through_the_limiter() -> None:
    # What the ingest does before taking a slot for a URL.
    clock = FakeClock()
    limiter = HostLimiter(delay=1.0, clock=clock, sleep=clock.sleep)
    cache = RobotsCache(lambda _: (200, b"User-agent: *\nCrawl-delay: 2.5\n"), user_agent="n")
    for url in ("http://Slow.example/a", "http://slow.example/b"):
        delay = cache.crawl_delay(url)
        if delay is not None:
            limiter.set_delay(host_of(url), delay)
        with limiter.slot(host_of(url)):
            pass
    assert limiter.delay_for("slow.example") == 2.5
    assert clock.sleeps == [pytest.approx(2.5)]


def test_missing_robots_allows_everything(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("nope", status=404)
    cache = RobotsCache(real_get, user_agent="newsarc")
    assert cache.allowed(httpserver.url_for("/private"))
    assert cache.crawl_delay(httpserver.url_for("/")) is None


@pytest.mark.parametrize("status", [500, 429])
def test_server_error_disallows_everything_and_logs(
    httpserver: HTTPServer, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("down", status=status)
    cache = RobotsCache(real_get, user_agent="newsarc")
    with caplog.at_level(logging.WARNING, logger="newsarc.polite"):
        assert not cache.allowed(httpserver.url_for("/news/story.html"))
    assert "unreachable" in caplog.text and f"HTTP {status}" in caplog.text
    assert not cache.allowed(httpserver.url_for("/other"))
    assert robots_hits(httpserver) == 1  # the verdict is kept for the run


def test_network_error_disallows_everything() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on the port any more: connection refused.
    cache = RobotsCache(real_get, user_agent="newsarc")
    assert not cache.allowed(f"http://127.0.0.1:{port}/story")


def test_get_may_return_a_5xx_status_or_raise_oserror() -> None:
    cache = RobotsCache(lambda _: (503, b""), user_agent="newsarc")
    assert not cache.allowed("http://a.example/")

    def broken(_: str) -> tuple[int, bytes]:
        raise ConnectionResetError("reset by peer")

    assert not RobotsCache(broken, user_agent="newsarc").allowed("http://a.example/")


def test_fetch_error_with_a_status_is_read_as_that_status() -> None:
    def gone(url: str) -> tuple[int, bytes]:
        raise FetchError(url, "HTTP 410", status=410)

    assert RobotsCache(gone, user_agent="newsarc").allowed("http://a.example/private")


def test_robots_fetched_once_with_eight_threads_at_once(httpserver: HTTPServer) -> None:
    started = threading.Event()

    def slow_robots(request: Request) -> Response:
        started.set()
        time.sleep(0.2)  # keep the fetch in flight while the other threads ask
        return Response(ROBOTS, content_type="text/plain")

    httpserver.expect_request("/robots.txt").respond_with_handler(slow_robots)
    cache = RobotsCache(real_get, user_agent="newsarc")
    barrier = threading.Barrier(8)
    answers: list[bool] = []

    def ask(i: int) -> None:
        barrier.wait(JOIN)
        path = "/private/x" if i % 2 else "/public/x"
        answers.append(cache.allowed(httpserver.url_for(path)) == (i % 2 == 0))

    run_threads(ask, 8)
    assert started.is_set()
    assert answers == [True] * 8
    assert robots_hits(httpserver) == 1


def test_each_origin_has_its_own_rules() -> None:
    asked: list[str] = []

    def get(url: str) -> tuple[int, bytes]:
        asked.append(url)
        return (200, b"User-agent: *\nDisallow: /\n") if "https" in url else (404, b"")

    cache = RobotsCache(get, user_agent="newsarc")
    assert cache.allowed("http://a.example/x")
    assert not cache.allowed("https://a.example/x")
    assert cache.allowed("http://a.example:80/y")  # the same origin as http://a.example
    assert asked == ["http://a.example/robots.txt", "https://a.example/robots.txt"]


def test_rules_expire_after_ttl() -> None:
    clock = FakeClock()
    bodies = [b"User-agent: *\nDisallow: /a\n", b"User-agent: *\nDisallow: /b\n"]

    def get(_: str) -> tuple[int, bytes]:
        return 200, bodies.pop(0)

    cache = RobotsCache(get, user_agent="newsarc", ttl=60, clock=clock)
    assert not cache.allowed("http://x.example/a")
    clock.now += 59
    assert not cache.allowed("http://x.example/a")
    clock.now += 2
    assert cache.allowed("http://x.example/a")
    assert not cache.allowed("http://x.example/b")


def test_body_is_capped_at_500_kib() -> None:
    filler = b"# " + b"x" * 100 + b"\n"
    head = b"User-agent: *\nDisallow: /early\n"
    padding = filler * (MAX_ROBOTS_BYTES // len(filler) + 1)
    body = head + padding + b"Disallow: /late\n"
    cache = RobotsCache(lambda _: (200, body), user_agent="newsarc")
    assert not cache.allowed("http://x.example/early")
    assert cache.allowed("http://x.example/late")  # past the cap: never read


def test_an_unexpected_error_is_raised_and_not_cached() -> None:
    calls: list[str] = []

    def flaky(url: str) -> tuple[int, bytes]:
        calls.append(url)
        if len(calls) == 1:
            raise ValueError("bug in the getter")
        return 200, b"User-agent: *\nDisallow: /p\n"

    cache = RobotsCache(flaky, user_agent="newsarc")
    with pytest.raises(ValueError):
        cache.allowed("http://x.example/")
    assert not cache.allowed("http://x.example/p")
    assert len(calls) == 2


def test_bom_and_crlf_are_accepted() -> None:
    body = b"\xef\xbb\xbfUser-agent: *\r\nDisallow: /private\r\n"
    cache = RobotsCache(lambda _: (200, body), user_agent="newsarc")
    assert not cache.allowed("http://x.example/private/a")
    assert cache.allowed("http://x.example/public")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://A.Example/news/1?x=2#f", "http://a.example/robots.txt"),
        ("https://a.example:443/x", "https://a.example/robots.txt"),
        ("https://a.example:8443/x", "https://a.example:8443/robots.txt"),
        ("http://user:pw@a.example/x", "http://a.example/robots.txt"),
        ("http://[::1]:8080/x", "http://[::1]:8080/robots.txt"),
    ],
)
def test_robots_url(url: str, expected: str) -> None:
    assert robots_url(url) == expected


@pytest.mark.parametrize("url", ["ftp://a.example/x", "/relative", "http://a.example:x/"])
def test_robots_url_rejects_what_cannot_be_fetched(url: str) -> None:
    with pytest.raises(InputError):
        robots_url(url)
