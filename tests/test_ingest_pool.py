"""The extraction pool's start-up: it never blocks the caller, pages submitted meanwhile are
extracted once it is up, and its workers run at a lower CPU priority than the ingest process."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

import pytest

from newsarc.ingest_pool import Extractors
from newsarc.ingest_work import SLOW_PAGE_HOOK, WORKER_NICENESS, job_of
from newsarc.model import Page
from tests.test_ingest import article_page


def job(n: int) -> tuple:
    url = f"https://pool.invalid/news/{n}"
    page = Page(url, url, 200, {"Content-Type": "text/html; charset=utf-8"}, article_page(1500 + n))
    return job_of(page)


@contextmanager
def started_pool() -> Iterator[tuple[Extractors, Any]]:
    """Two worker processes, up and running: the pool and its runner; shut down after."""
    pool = Extractors(2)
    try:
        pool.start()
        assert pool.wait_started(120)
        runner = pool._runner
        assert runner is not None
        yield pool, runner
    finally:
        pool.shutdown()


def test_start_returns_at_once_and_early_pages_are_extracted() -> None:
    pool = Extractors(2)
    try:
        pool.start()
        # Starting the worker processes can take a second (a new forkserver imports and warms
        # up the extractor); pages submitted meanwhile wait for the workers.
        futures = [pool.submit(job(n)) for n in range(8)]
        results = [f.result(timeout=120) for f in futures]
    finally:
        pool.shutdown()
    assert pool.wait_started(0)  # up: the starter thread is done
    assert [r[0].url for r in results] == [f"https://pool.invalid/news/{n}" for n in range(8)]
    assert all(error is None and raw for _, error, _, raw, _ in results)
    assert all(shingles.size for *_, shingles in results)  # for the writer's confirmation


def test_shutdown_while_starting_cancels_waiting_pages() -> None:
    pool = Extractors(2)
    pool.start()
    futures = [pool.submit(job(n)) for n in range(3)]
    pool.shutdown()
    assert pool.wait_started(0)
    for future in futures:  # each either finished or was cancelled: none is left hanging
        assert future.done()


def test_shutdown_returns_once_every_worker_it_started_is_gone() -> None:
    # Shut down while the starter thread is still starting the workers (as a run whose URLs all
    # fail at once does): the pool it made used to be told to stop without anyone waiting for
    # it, so the run ended with its processes alive, racing multiprocessing's exit handler.
    before = set(multiprocessing.active_children())
    for _ in range(5):
        pool = Extractors(2)
        pool.start()
        pool.shutdown()
        assert set(multiprocessing.active_children()) <= before


def test_shutdown_abandoning_kills_the_pages_being_extracted(monkeypatch) -> None:
    monkeypatch.setenv(SLOW_PAGE_HOOK, "MARKER-STUCK:60")
    with started_pool() as (pool, _):
        url = "https://pool.invalid/news/stuck"
        page = Page(url, url, 200, {"Content-Type": "text/html"}, article_page(7) + b"MARKER-STUCK")
        future = pool.submit(job_of(page))
        deadline = time.monotonic() + 60
        while not pool._runner.running() and time.monotonic() < deadline:  # type: ignore[union-attr]
            time.sleep(0.02)
        pool.shutdown(abandon=True)  # returns without waiting for the page's 60 s
        assert future.done()


def test_workers_run_niced() -> None:
    with started_pool() as (_, runner):
        worker = runner.executor.submit(os.nice, 0).result(timeout=60)
    assert worker >= min(os.nice(0) + WORKER_NICENESS, 19)


def thread_niceness() -> dict[str, int]:
    """The nice value of each thread of this process, by name (Linux)."""
    found = {}
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        with open(f"/proc/self/task/{task}/comm") as comm:
            found[f"{comm.read().strip()}-{task}"] = int(fields[16])
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priorities: Linux")
def test_the_ingest_process_threads_keep_their_priority() -> None:
    before = os.nice(0)
    with started_pool() as (_, runner):
        assert runner.executor.submit(os.nice, 0).result(timeout=60) >= min(
            before + WORKER_NICENESS, 19
        )
        assert set(thread_niceness().values()) == {before}  # the collector, the log relay...


def test_the_warm_up_builds_the_stoplist_of_the_full_cascade() -> None:
    # in a fresh interpreter: a test before this one may have built it already
    code = (
        "from trafilatura import external; from newsarc.ingest_work import warm_up; "
        "assert external.JT_STOPLIST is None; warm_up(); print(len(external.JT_STOPLIST) > 1000)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_lower_priority_in_a_process() -> None:
    code = (
        "import os; from newsarc.ingest_work import lower_priority; "
        "before = os.nice(0); lower_priority(3); print(os.nice(0) - before)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    expected = min(os.nice(0) + 3, 19) - os.nice(0)
    assert out.stdout.strip() == str(expected)


def test_lower_priority_is_relative_to_the_parent_not_cumulative() -> None:
    # A process started already lowered (by a lowered thread) is not lowered again.
    code = (
        "import os; os.nice(3); from newsarc.ingest_work import lower_priority; "
        "lower_priority(3); print(os.nice(0))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(min(os.nice(0) + 3, 19))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priorities: Linux")
def test_a_lowered_thread_starts_lowered_processes_and_leaves_the_others() -> None:
    code = (
        "import os, subprocess, sys, threading\n"
        "from newsarc.ingest_work import lower_thread_priority\n"
        "out = []\n"
        "def start():\n"
        "    out.append(lower_thread_priority(4))\n"
        "    child = [sys.executable, '-c', 'import os; print(os.nice(0))']\n"
        "    out.append(int(subprocess.run(child, capture_output=True, text=True).stdout))\n"
        "t = threading.Thread(target=start); t.start(); t.join()\n"
        "print(out[0], out[1] - os.nice(0))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", str(min(os.nice(0) + 4, 19) - os.nice(0))]


def test_workers_that_cannot_start_fail_each_page_with_the_reason(monkeypatch) -> None:
    def cannot(self: Extractors) -> None:
        raise OSError("Resource temporarily unavailable (no more processes)")

    monkeypatch.setattr(Extractors, "_new_runner", cannot)
    pool = Extractors(2)
    try:
        early = pool.submit(job(1))
        assert pool.wait_started(30)
        late = pool.submit(job(2))
        for n, future in ((1, early), (2, late)):
            article, error, _, _, _ = future.result(timeout=30)
            assert article is None
            assert error == (
                f"https://pool.invalid/news/{n}: the extraction workers could not start "
                "(Resource temporarily unavailable (no more processes))"
            )
        assert pool.wait_started(0)  # up: the starter thread is done
    finally:
        pool.shutdown()


def test_a_worker_that_dies_mid_page_fails_it_as_a_broken_pool_and_restart_recovers(
    monkeypatch,
) -> None:
    # What ingest sees when a worker dies on its own (out of memory, a crash in lxml): the
    # page's future fails with BrokenProcessPool, the pool says it is broken, and after
    # restart() the same page extracts (ingest retries it once: Ingester._restart_pool).
    monkeypatch.setenv(SLOW_PAGE_HOOK, "dies-here-marker:600")
    url = "https://pool.invalid/news/dies"
    content = article_page(1600).replace(b"</body>", b"<!-- dies-here-marker --></body>")
    marked = job_of(Page(url, url, 200, {"Content-Type": "text/html; charset=utf-8"}, content))
    with started_pool() as (pool, runner):
        slow, other = pool.submit(marked), pool.submit(job(2))
        deadline = time.monotonic() + 60
        while not runner.running() and time.monotonic() < deadline:
            time.sleep(0.02)
        values = runner.busy[:]
        pids = [values[i] for i in range(0, len(values), 2) if values[i + 1]]
        assert pids
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        with pytest.raises(BrokenProcessPool):
            slow.result(timeout=60)
        assert pool.broken
        wait([other], timeout=60)  # finished, or failed with the pool: not left hanging
        assert other.done()
        monkeypatch.delenv(SLOW_PAGE_HOOK)
        pool.restart()
        assert not pool.broken and pool._runner is not runner
        article, error, _, _, _ = pool.submit(marked).result(timeout=120)
    assert error is None and article is not None and article.url == url
