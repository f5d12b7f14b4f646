"""The lean process pool under the extraction workers (``newsarc.procpool``): results equal to
running the jobs in this process, a dead worker fails its jobs instead of hanging them,
shutdown with and without cancelling, and no process left behind."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import time
from concurrent.futures import FIRST_EXCEPTION, Future, as_completed, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from newsarc.ingest_runners import process_context
from newsarc.procpool import ProcessPool, RemoteTraceback, worker_number
from tests.processes import vanished

BOUND = 60  # seconds any wait below may take before the test fails instead of hanging


def digest(data: bytes, salt: int) -> tuple[int, str, int]:
    return salt, hashlib.sha256(data).hexdigest(), len(data)


def echo(data: bytes) -> bytes:
    return data[::-1]


def identity(value: object) -> object:
    return value


def fails(n: int) -> None:
    raise ValueError(f"job {n} failed")


def pid_after(wait_for: str) -> int:
    """Wait (bounded) until the file ``wait_for`` exists; this worker's pid."""
    deadline = time.monotonic() + BOUND
    while not os.path.exists(wait_for) and time.monotonic() < deadline:
        time.sleep(0.01)
    return os.getpid()


def announce_and_sleep(folder: str, seconds: float) -> int:
    """Say which worker runs this job (a file named after its pid), then sleep."""
    Path(folder, str(os.getpid())).touch()
    time.sleep(seconds)
    return os.getpid()


def mark_worker(folder: str) -> None:
    """An initializer: leaves a file named after the worker's pid."""
    Path(folder, f"init-{os.getpid()}").touch()


@pytest.fixture
def pool():
    made: list[ProcessPool] = []

    def make(workers: int = 2, **kwargs) -> ProcessPool:
        made.append(ProcessPool(workers, process_context(), **kwargs))
        return made[-1]

    yield make
    for each in made:
        each.shutdown(wait=True, cancel=True)


@pytest.fixture
def release(pool, tmp_path: Path):
    """A file that jobs of ``pid_after`` wait for; made at the latest when the test ends, so
    that a failing test does not wait for its jobs' bound before the pools shut down."""
    path = tmp_path / "release"
    yield path
    path.touch()


def gone(pid: int) -> bool:
    """True once ``pid`` has exited and been reaped (a zombie still counts as there)."""
    return vanished(lambda: os.kill(pid, 0), within=10)


def test_many_jobs_come_back_with_the_results_of_running_them_here(pool) -> None:
    # Sizes around and far beyond the pipe (1 MB): jobs and results that do not fit in one
    # write go out in pieces, and the order in which they finish is the workers'.
    rng = __import__("random").Random(5)
    payloads = [rng.randbytes(rng.choice([10, 5000, 300_000, 3_000_000])) for _ in range(60)]
    workers = pool(3)
    futures = {workers.submit(digest, data, n): n for n, data in enumerate(payloads)}
    echoes = [workers.submit(echo, data) for data in payloads[:12]]
    seen = {}
    for future in as_completed(futures, timeout=BOUND):
        seen[futures[future]] = future.result()
    assert seen == {n: digest(data, n) for n, data in enumerate(payloads)}
    assert [f.result(timeout=BOUND) for f in echoes] == [echo(data) for data in payloads[:12]]
    assert not workers.broken


def test_large_bytes_inside_other_values_come_back_as_they_were(pool) -> None:
    # Large bytes objects in tuples travel beside the pickle; in lists, inside it.
    big, other = os.urandom(200_000), os.urandom(50_000)
    value = ("page", (big, 7, (other, b"small")), [big], {"raw": other}, bytearray(other))
    back = pool(1).submit(identity, value).result(timeout=BOUND)
    assert back == value
    assert [type(part) for part in back] == [str, tuple, list, dict, bytearray]
    assert type(back[1][0]) is bytes and type(back[1][2][0]) is bytes


def test_an_exception_in_a_job_comes_back_with_the_workers_traceback(pool) -> None:
    workers = pool()
    future = workers.submit(fails, 7)
    with pytest.raises(ValueError, match="job 7 failed") as raised:
        future.result(timeout=BOUND)
    assert isinstance(raised.value.__cause__, RemoteTraceback)
    assert "in fails" in str(raised.value.__cause__)
    assert workers.submit(digest, b"x", 1).result(timeout=BOUND) == digest(b"x", 1)
    assert not workers.broken


def test_a_job_that_cannot_be_pickled_fails_alone(pool) -> None:
    workers = pool()
    bad = workers.submit(identity, lambda: None)
    good = workers.submit(digest, b"y", 2)
    with pytest.raises((AttributeError, TypeError, pickle.PicklingError)):
        bad.result(timeout=BOUND)
    assert good.result(timeout=BOUND) == digest(b"y", 2)
    assert not workers.broken


def test_the_initializer_runs_once_in_each_worker(pool, tmp_path: Path) -> None:
    workers = pool(2, initializer=mark_worker, initargs=(str(tmp_path),))
    pids = {workers.submit(os.getpid).result(timeout=BOUND) for _ in range(20)}
    workers.shutdown(wait=True)
    marks = sorted(p.name for p in tmp_path.iterdir())
    assert len(marks) == 2 and pids <= {int(m.removeprefix("init-")) for m in marks}


def numbered_after(wait_for: str) -> tuple[int, int]:
    """Wait (bounded) for the file ``wait_for``; this worker's pid and place in its pool."""
    return pid_after(wait_for), worker_number()


def test_each_worker_knows_its_own_place_in_the_pool(pool, release: Path) -> None:
    workers = pool(3)
    # Three jobs that wait for the file: each worker holds one, so all three answer.
    jobs = [workers.submit(numbered_after, str(release)) for _ in range(3)]
    time.sleep(0.5)
    release.touch()
    answers = {job.result(timeout=BOUND) for job in jobs}
    assert len({pid for pid, _ in answers}) == 3
    assert sorted(number for _, number in answers) == [0, 1, 2]
    assert worker_number() == -1  # not a worker


def test_a_worker_killed_mid_job_fails_the_jobs_and_breaks_the_pool(pool, tmp_path) -> None:
    workers = pool(2)
    jobs = [workers.submit(announce_and_sleep, str(tmp_path), 600) for _ in range(6)]
    deadline = time.monotonic() + BOUND
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    busy = [int(p.name) for p in tmp_path.iterdir()]
    assert len(busy) == 2  # both workers are mid-job
    os.kill(busy[0], signal.SIGKILL)
    done, _ = wait(jobs, timeout=BOUND)
    assert len(done) == len(jobs)  # none left hanging, running or waiting
    for future in jobs:
        with pytest.raises(BrokenProcessPool):
            future.result(timeout=0)
    assert workers.broken
    later = workers.submit(os.getpid)  # a broken pool fails new jobs at once
    with pytest.raises(BrokenProcessPool):
        later.result(timeout=BOUND)
    workers.shutdown(wait=True)  # returns: the other worker was ended too
    assert all(gone(pid) for pid in busy)


def test_shutdown_with_cancel_drops_the_waiting_jobs(pool, release: Path) -> None:
    workers = pool(2)
    jobs = [workers.submit(pid_after, str(release)) for _ in range(20)]
    deadline = time.monotonic() + BOUND
    while not all(f.running() for f in jobs[:4]) and time.monotonic() < deadline:
        time.sleep(0.01)  # handed over by the collector thread, as the workers have room
    workers.shutdown(wait=False, cancel=True)
    handed = [f for f in jobs if not f.cancelled()]
    # Only those handed to the workers (two per worker) still run; the rest were cancelled.
    assert jobs[:4] == handed
    release.touch()
    workers.shutdown(wait=True)
    assert all(f.done() and isinstance(f.result(), int) for f in handed)
    with pytest.raises(RuntimeError, match="after shutdown"):
        workers.submit(os.getpid)


def test_shutdown_finishes_every_job_submitted(pool, release: Path) -> None:
    workers = pool(2)
    jobs = [workers.submit(pid_after, str(release)) for _ in range(20)]
    release.touch()
    workers.shutdown(wait=True)
    assert all(f.done() for f in jobs)
    done, not_done = wait(jobs, timeout=0, return_when=FIRST_EXCEPTION)
    assert not not_done and all(isinstance(f.result(), int) for f in done)


def test_shutdown_ends_every_worker_cleanly(pool) -> None:
    workers = pool(3)
    workers.start()  # idle workers, never given a job
    pids = [worker.process.pid for worker in workers._procs]
    assert workers.submit(os.getpid).result(timeout=BOUND) in pids
    workers.shutdown(wait=True)
    assert all(worker.stopped for worker in workers._procs)  # each said goodbye
    assert all(gone(pid) for pid in pids)
    assert not workers.broken


def test_a_pool_shut_down_without_waiting_never_has_a_closed_process_joined(pool) -> None:
    # multiprocessing's exit handler lists the live children, then joins each. The collector
    # used to close the pool's processes as it reaped them, and one closed between that
    # listing and its join raised "process object is closed" (in 5 to 7 of 30 rounds here).
    for _ in range(30):
        workers = pool(2)
        workers.start()
        ours = {worker.process for worker in workers._procs}
        workers.shutdown(wait=False)
        for child in multiprocessing.active_children():
            if child in ours:
                child.join(BOUND)
        workers.shutdown(wait=True)
        assert workers.finished and all(not p.is_alive() for p in ours)


def test_a_pool_never_started_shuts_down_at_once(pool) -> None:
    workers = pool(2)
    workers.shutdown(wait=True)
    assert workers._procs == [] and not workers.broken


def test_a_cancelled_job_is_not_run(pool, release: Path) -> None:
    workers = pool(1)
    first = [workers.submit(pid_after, str(release)) for _ in range(2)]  # the worker's share
    waiting: Future[int] = workers.submit(pid_after, str(release))
    assert waiting.cancel()  # still in this process: it can be
    release.touch()
    assert all(isinstance(f.result(timeout=BOUND), int) for f in first)
    assert waiting.cancelled()


def test_the_interpreter_exits_with_a_worker_mid_job(tmp_path: Path) -> None:
    # No shutdown at all: the workers are daemons, ended when the process exits.
    script = (
        "import os, sys, time\n"
        "from newsarc.ingest_runners import process_context\n"
        "from newsarc.procpool import ProcessPool\n"
        "pool = ProcessPool(2, process_context())\n"
        "pool.submit(time.sleep, 600)\n"
        "pool.submit(time.sleep, 600)\n"
        "print(' '.join(str(w.process.pid) for w in pool._procs), flush=True)\n"
        "time.sleep(0.5)\n"
    )
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=BOUND
    )
    assert run.returncode == 0, run.stderr
    assert time.monotonic() - started < BOUND
    assert all(gone(int(pid)) for pid in run.stdout.split())
