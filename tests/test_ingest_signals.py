"""Ctrl-C (SIGINT to the whole process group, as a terminal sends it) and SIGTERM (``timeout``,
systemd, ``kill``) stop a real `python -m newsarc ingest` cleanly: what was archived is
committed, the summary says so and goes to --log, the exit status is 128 + the signal, nothing
else reaches stderr (no worker traceback, no leaked-semaphore warning), and a rerun completes
the archive without duplicates. A stop does not wait for requests a server holds: they are cut,
their pages are left for the next run.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from newsarc.interrupt import stop_signals
from tests.processes import story_site, vanished
from tests.rawserver import connecting_to, unanswered_port
from tests.test_ingest import article_page
from tests.test_ingest_kill import _committed

PAGES = 120
LATENCY = 0.2  # seconds per page: the run lasts several seconds, with commits along the way


def _slow_page(request: Request) -> Response:
    time.sleep(LATENCY)
    n = int(request.path.rsplit("/", 1)[-1])
    return Response(article_page(5000 + n), content_type="text/html; charset=utf-8")


@pytest.fixture
def site() -> Iterator[HTTPServer]:
    yield from story_site(_slow_page)


def _ingest(urls: Path, db: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsarc", "ingest", "--urls", str(urls), "--db", str(db)]
        + ["--delay", "0.005", "--per-host", "4", "--concurrency", "4", "--retries", "0"]
        + list(extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.parametrize(
    ("signum", "quiet"), [(signal.SIGINT, False), (signal.SIGTERM, True)], ids=["INT", "TERM"]
)
def test_a_stop_signal_to_the_group_ends_the_run_cleanly(site, tmp_path, signum, quiet):
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(site.url_for(f"/story/{n}") for n in range(PAGES)) + "\n")
    db, log = tmp_path / "stopped.db", tmp_path / "run.log"
    proc = _ingest(urls, db, "--log", str(log), *(["-q"] if quiet else []))
    with _reaped(proc):
        _wait_until_committed(db, 5, proc)
        assert proc.poll() is None, "the run finished before it could be stopped"
        stderr, _ = _stop(proc, signum, timeout=60)
    name = signal.Signals(signum).name
    committed = _committed(db)
    lines = stderr.decode().strip().splitlines()
    assert proc.returncode == 128 + signum, stderr.decode()
    assert len(lines) == 1, stderr.decode()  # the summary, and nothing else (even with -q)
    assert lines[0].startswith(f"new {len(committed)}, ")  # all it counted is committed
    assert lines[0].endswith(f", interrupted by {name}")
    assert lines[0] in log.read_text()
    assert len(committed) < PAGES

    _rerun_archives_the_rest(urls, db, PAGES - len(committed), PAGES)


@contextmanager
def _reaped(proc: subprocess.Popen[bytes]) -> Iterator[None]:
    """No process of the run's group outlives the block, whatever fails in it."""
    try:
        yield
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _wait_until_committed(db: Path, count: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and len(_committed(db)) < count:
        time.sleep(0.02)


def _stop(proc: subprocess.Popen[bytes], signum: int, *, timeout: float) -> tuple[bytes, float]:
    """Send ``signum`` to the run's whole group, as a terminal or a timeout does; its stderr
    and the seconds it took to end, once every process of the group is gone."""
    signalled = time.monotonic()
    os.killpg(proc.pid, signum)
    _, stderr = proc.communicate(timeout=timeout)
    took = time.monotonic() - signalled
    assert vanished(lambda: os.killpg(proc.pid, 0), within=5.0)
    return stderr, took


def _rerun_archives_the_rest(urls: Path, db: Path, rest: int, pages: int) -> None:
    """A run after the interrupted one archives the ``rest`` it left, and the archive then
    holds each of the ``pages`` once and is whole."""
    rerun = _ingest(urls, db)
    _, stderr = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, stderr.decode()
    assert stderr.decode().strip().startswith(f"new {rest}, ")
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone() == (
            pages,
            pages,
        )
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_stop_signals_tell_the_listeners_and_restore_the_handlers() -> None:
    heard: list[str] = []
    before = signal.getsignal(signal.SIGINT)
    with stop_signals() as caught:
        caught.notify(heard.append)
        os.kill(os.getpid(), signal.SIGINT)  # no KeyboardInterrupt: only a stop request
        time.sleep(0.01)  # the handler runs between bytecodes of this thread
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.01)
    assert heard == ["SIGINT", "SIGINT"]  # the first signal names the stop
    assert caught.exit_code == 130
    assert signal.getsignal(signal.SIGINT) is before


# -- a stop while requests hang on the wire -------------------------------------------------

FAST = 6  # pages answered at once, archived before the signal
HOLD = 30.0  # seconds a held page keeps its request waiting: far past the bound below
ENDS_WITHIN = 8.0  # seconds from the signal to the end of the run (a functional bound)


class _HeldSite:
    """Pages /story/0 and /story/1 are held (0 before its headers, 1 after half its body)
    until ``release`` is set, at most HOLD seconds; the others answer at once."""

    held = (0, 1)

    def __init__(self) -> None:
        self.release = threading.Event()
        self.requests: list[str] = []
        self.on_the_wire = threading.Semaphore(0)

    def answer(self, request: Request) -> Response:
        n = int(request.path.rsplit("/", 1)[-1])
        self.requests.append(request.path)
        body = article_page(7000 + n)
        if n not in self.held or self.release.is_set():
            return Response(body, content_type="text/html; charset=utf-8")
        self.on_the_wire.release()
        if n == 0:
            self.release.wait(HOLD)
            return Response(body, content_type="text/html; charset=utf-8")

        def drip() -> Iterator[bytes]:
            yield body[: len(body) // 2]
            self.release.wait(HOLD)
            yield body[len(body) // 2 :]

        return Response(drip(), content_type="text/html; charset=utf-8")


@pytest.fixture
def held_site() -> Iterator[tuple[HTTPServer, _HeldSite]]:
    held = _HeldSite()
    try:
        for server in story_site(held.answer):
            yield server, held
    finally:
        held.release.set()  # no server thread outlives the test by HOLD seconds


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_a_stop_does_not_wait_for_requests_hanging_on_the_wire(held_site, tmp_path, signum):
    server, held = held_site
    pages = len(held.held) + FAST
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(server.url_for(f"/story/{n}") for n in range(pages)) + "\n")
    db, log = tmp_path / "held.db", tmp_path / "run.log"
    proc = _ingest(urls, db, "--log", str(log), "-q")
    with _reaped(proc):
        for _ in held.held:  # both held requests are on the wire ...
            assert held.on_the_wire.acquire(timeout=60)
        _wait_until_committed(db, FAST, proc)  # ... and every other page is archived
        assert len(_committed(db)) == FAST
        assert proc.poll() is None
        sent = len(held.requests)
        stderr, took = _stop(proc, signum, timeout=HOLD * 2)
    name = signal.Signals(signum).name
    assert not Path(f"{db}-wal").exists()  # closed and checkpointed (looked at before reading)
    assert took < ENDS_WITHIN, f"the run took {took:.1f} s to stop"
    assert proc.returncode == 128 + signum, stderr.decode()
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1, stderr.decode()  # no traceback, no "Exception in thread"
    assert lines[0].startswith(f"new {FAST}, updated 0, unchanged 0, skipped 0, failed 0 in ")
    assert lines[0].endswith(f", interrupted by {name}")
    assert lines[0] in log.read_text()
    assert len(held.requests) == sent  # the abandoned requests were not tried again
    committed = _committed(db)
    assert sorted(committed) == sorted(
        server.url_for(f"/story/{n}") for n in range(len(held.held), pages)
    )

    held.release.set()
    # the lock is free, and the held pages are fetched now
    _rerun_archives_the_rest(urls, db, len(held.held), pages)


def test_a_stop_does_not_wait_for_a_host_that_never_answers_the_handshake(tmp_path):
    """A host that drops packets holds a connection being opened for the whole connect
    timeout (10 s); a stop cuts it at once, as it cuts a request on the wire."""
    urls, db = tmp_path / "urls.txt", tmp_path / "dropped.db"
    with unanswered_port() as port:
        urls.write_text(f"http://127.0.0.1:{port}/story/1\n")
        proc = _ingest(urls, db)
        with _reaped(proc):
            for _ in range(3000):  # bounded: until its robots.txt request's SYN is out
                if connecting_to(port) or proc.poll() is not None:
                    break
                time.sleep(0.01)
            assert proc.poll() is None
            stderr, took = _stop(proc, signal.SIGTERM, timeout=60)
    assert took < 5, f"the run took {took:.1f} s to stop"  # the old code: the 10 s timeout
    assert proc.returncode == 128 + signal.SIGTERM, stderr.decode()
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1, stderr.decode()
    assert lines[0].startswith("new 0, updated 0, unchanged 0, skipped 0, failed 0 in ")
    assert lines[0].endswith(", interrupted by SIGTERM")


# Put on PYTHONPATH, this makes every lookup of a name under .slow-dns.test hang for 30 s (a
# resolver that does not answer) in the run's processes; nothing leaves the machine.
_SLOW_DNS = """
import socket, time
_real = socket.getaddrinfo
def _slow(host, *args, **kwargs):
    if isinstance(host, str) and host.endswith(".slow-dns.test"):
        open(__file__ + ".looking-up", "w").close()
        time.sleep(30)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    return _real(host, *args, **kwargs)
socket.getaddrinfo = _slow
"""


def test_a_stop_does_not_wait_for_a_name_lookup_that_hangs(tmp_path):
    """A lookup the resolver does not answer held a stopping run until the resolver gave up
    (30 s here); a stop now gives the lookup up, as it gives up a request on the wire."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_SLOW_DNS)
    urls, db = tmp_path / "urls.txt", tmp_path / "lookup.db"
    urls.write_text("http://news.slow-dns.test/story/1\n")
    path = os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")]))
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsarc", "ingest", "--urls", str(urls), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=os.environ | {"PYTHONUNBUFFERED": "1", "PYTHONPATH": path},
    )
    looking_up = hook / "sitecustomize.py.looking-up"
    with _reaped(proc):
        for _ in range(3000):  # bounded: until its robots.txt lookup has started
            if looking_up.exists() or proc.poll() is not None:
                break
            time.sleep(0.01)
        assert proc.poll() is None, proc.communicate()[1].decode()
        stderr, took = _stop(proc, signal.SIGTERM, timeout=60)
    assert took < 5, f"the run took {took:.1f} s to stop"  # the old code: the 30 s lookup
    assert proc.returncode == 128 + signal.SIGTERM, stderr.decode()
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1, stderr.decode()
    assert lines[0].startswith("new 0, updated 0, unchanged 0, skipped 0, failed 0 in ")
    assert lines[0].endswith(", interrupted by SIGTERM")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_a_stop_while_waiting_for_another_run_ends_cleanly(tmp_path, signum):
    """A cron run queued behind another (--wait) and stopped there: it did nothing, says so
    in its summary line and in --log, and exits 128 + the signal (it printed "Aborted!" and
    exited 1, or died of SIGTERM, with an empty log)."""
    import fcntl

    from newsarc.lock import lock_path

    db, log, urls = tmp_path / "queued.db", tmp_path / "run.log", tmp_path / "urls.txt"
    urls.write_text("http://127.0.0.1:9/never\n")
    lock = lock_path(db)
    with open(lock, "w") as other_run:
        fcntl.flock(other_run, fcntl.LOCK_EX)
        proc = _ingest(urls, db, "-q", "--log", str(log), "--wait", "600")
        with _reaped(proc):
            for _ in range(3000):  # bounded: until it has the lock file open, waiting
                if proc.poll() is not None or _has_open(proc.pid, lock):
                    break
                time.sleep(0.01)
            assert proc.poll() is None
            stderr, took = _stop(proc, signum, timeout=60)
    name = signal.Signals(signum).name
    assert took < 10
    assert proc.returncode == 128 + signum, stderr.decode()
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1, stderr.decode()
    assert lines[0].startswith("new 0, updated 0, unchanged 0, skipped 0, failed 0 in ")
    assert lines[0].endswith(f", interrupted by {name} while waiting for another run")
    assert lines[0] in log.read_text()
    assert not db.exists()  # nothing was run


def _has_open(pid: int, path: Path) -> bool:
    """Whether process ``pid`` has ``path`` open (Linux, /proc)."""
    try:
        return any(
            os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd")
        )
    except OSError:
        return False
