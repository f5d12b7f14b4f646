"""A lean pool of worker processes: jobs go down one pipe that the workers share, each worker
sends its results back on a pipe of its own, and one thread of the parent collects them.

Why not ``concurrent.futures.ProcessPoolExecutor``: each of its tasks crosses three threads
of the parent (the submitter, the executor's manager thread, the call queue's feeder thread),
with a wake-up write per submit. Over a 2,000-page ingest that came to about a second of the
parent's CPU, on a 2-core machine where the parent's CPU is taken from the workers. Here the
submitting thread only queues a job (and wakes the collector thread, if a worker has room for
it); the collector hands jobs over, writing to the pipe without ever blocking (what does not
fit waits until the workers have read), reads results and settles futures. Jobs are pickled
there too, not in the submitting thread: in ``newsarc ingest`` that is the thread that hands
out fetches, and any time it spends is time fetch slots stand idle. Large bytes objects (the
page, the compressed page in the result) go beside the pickle rather than inside it, which
saves a copy of each.

Kept from the executor: a free worker takes the next job (one queue for all, so a slow job
holds up no other); only a few jobs more than there are workers are handed over, the rest
wait here and can still be cancelled; a worker that dies breaks the pool (every unfinished
job fails with ``BrokenProcessPool`` and the other workers are stopped); ``shutdown(wait,
cancel)`` lets the workers finish what they were given, or also what waits here.
"""

from __future__ import annotations

import itertools
import os
import pickle
import select
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from newsarc.procwire import IOV_MAX, STOP, PipeLock, encode, grow_pipe, receive, write_all

_BROKEN = "a worker process ended abruptly while the pool was running or starting jobs"


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker, attached as the exception's cause."""

    def __str__(self) -> str:
        return str(self.args[0])


class ProcessPool:
    """``workers`` processes from ``context`` running ``fn(*args)`` jobs.

    The processes start with the first job (or ``start()``), run ``initializer(*initargs)``
    once, then take jobs until told to stop. At most ``2 * workers`` jobs are handed to them
    at a time, so each worker finds its next job waiting when it finishes one.
    """

    def __init__(
        self,
        workers: int,
        context: Any,
        initializer: Callable[..., object] | None = None,
        initargs: tuple[Any, ...] = (),
    ) -> None:
        self.workers = workers
        self._context = context
        self._initializer = initializer
        self._initargs = initargs
        self._limit = 2 * workers
        self._lock = threading.Lock()  # guards everything below, and every write to the pipe
        self._ids = itertools.count(1)
        self._running: dict[int, Future[Any]] = {}  # handed over, no result yet
        self._waiting: deque[tuple[int, Callable[..., Any], tuple[Any, ...], Future[Any]]]
        self._waiting = deque()
        self._unsent: deque[memoryview] = deque()  # handed over, not yet in the pipe
        self._started = self._shut = self._stops_sent = self._broken = False
        self._woken = False  # a wake-up is on its way to the collector
        self._jobs_conn: Any = None  # the pipe's write end, which owns _jobs_fd
        self._jobs_fd = -1
        self._wake_w = -1
        self._procs: list[_Worker] = []
        self._collector: threading.Thread | None = None

    @property
    def broken(self) -> bool:
        """True once a worker has died: the pool runs nothing more."""
        return self._broken

    @property
    def finished(self) -> bool:
        """True once the pool is shut down and every process it started has been reaped."""
        with self._lock:
            collector = self._collector
            return self._shut and (collector is None or not collector.is_alive())

    def start(self) -> None:
        """Start the processes now rather than with the first job."""
        with self._lock:
            if not self._started and not self._shut:
                self._start()

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """Run ``fn(*args)`` in a worker; a future of its result."""
        future: Future[Any] = Future()
        with self._lock:
            if self._shut:
                raise RuntimeError("cannot schedule new futures after shutdown")
            broken = self._broken
            if not broken:
                if not self._started:
                    self._start()
                self._waiting.append((next(self._ids), fn, args, future))
                # The collector hands jobs over; it needs waking only if there is room now
                # (else it does so as the next result comes in).
                if not self._woken and len(self._running) < self._limit:
                    self._woken = True
                    os.write(self._wake_w, b"j")
        if broken:
            future.set_exception(BrokenProcessPool(_BROKEN))
        return future

    def shutdown(self, wait: bool = True, cancel: bool = False) -> None:
        """Stop the workers once they have run every job submitted (with ``cancel``: every
        job already handed over; those still waiting here are cancelled); ``wait`` for them."""
        dropped: list[Future[Any]] = []
        failed: list[tuple[Future[Any], Exception]] = []
        with self._lock:
            if not self._shut:
                self._shut = True
                if cancel:
                    dropped = [future for _, _, _, future in self._waiting]
                    self._waiting.clear()
                if self._started:
                    failed = self._hand_over()
            collector = self._collector
        for future in dropped:
            future.cancel()
        _fail(failed)
        if wait and collector is not None and collector is not threading.current_thread():
            collector.join()

    # -- in the parent, under the lock ---------------------------------------------------

    def _start(self) -> None:
        """Start the processes and the collector (called with the lock held)."""
        jobs_r, jobs_w = self._context.Pipe(duplex=False)
        # One worker at a time reads the shared pipe. A pipe, not a semaphore (see procwire):
        # each worker gets its own copies of its ends as it starts.
        lock = PipeLock(self._context)
        try:
            grow_pipe(jobs_w.fileno())
            for number in range(self.workers):
                results_r, results_w = self._context.Pipe(duplex=False)
                grow_pipe(results_w.fileno())
                process = self._context.Process(
                    target=_work,
                    args=(number, jobs_r, lock, results_w, self._initializer, self._initargs),
                    daemon=True,  # ended at interpreter exit, should a shutdown not have
                )
                self._procs.append(_Worker(process, results_r))
                try:
                    process.start()
                finally:
                    results_w.close()  # the worker's copy is the only one: EOF when it dies
        except BaseException:
            for worker in self._procs:
                if worker.process.pid is not None:
                    worker.process.kill()
                    worker.process.join()
                worker.results.close()
            self._procs.clear()
            jobs_w.close()
            raise
        finally:
            jobs_r.close()
            lock.close()
        self._jobs_conn = jobs_w
        self._jobs_fd = jobs_w.fileno()
        os.set_blocking(self._jobs_fd, False)
        wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)  # one byte at a time: never full in practice
        self._started = True
        self._collector = threading.Thread(
            target=self._collect, args=(wake_r,), name="extract-results", daemon=True
        )
        self._collector.start()

    def _hand_over(self) -> list[tuple[Future[Any], Exception]]:
        """Move waiting jobs to the workers while fewer than the limit are theirs; after the
        last job of a pool being shut down, tell every worker to stop. The jobs that could
        not be pickled, to fail once the lock is released (their callbacks may take locks)."""
        failed = []
        while self._waiting and len(self._running) < self._limit:
            job, fn, args, future = self._waiting.popleft()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                message = encode(job, (fn, args))
            except Exception as exc:  # as the executor does: the job fails, not the pool
                failed.append((future, exc))
                continue
            self._running[job] = future
            self._write(message)
        if self._shut and not self._waiting and not self._stops_sent and not self._broken:
            self._stops_sent = True
            self._write([STOP] * self.workers)
        return failed

    def _write(self, parts: Iterable[bytes]) -> None:
        """Put ``parts`` in the pipe, as much as fits now; the rest when there is room."""
        idle = not self._unsent  # else the collector is waiting for room already
        self._unsent.extend(memoryview(part) for part in parts if len(part))
        if idle:
            self._flush()
            if self._unsent:
                os.write(self._wake_w, b"w")  # the collector must now wait for room

    def _flush(self) -> None:
        """Write what has not been written, without blocking."""
        unsent = self._unsent
        while unsent:
            try:
                written = os.writev(self._jobs_fd, list(itertools.islice(unsent, IOV_MAX)))
            except BlockingIOError:
                return
            except BrokenPipeError:  # every worker is gone; the collector fails the jobs
                unsent.clear()
                return
            while written and written >= len(unsent[0]):
                written -= len(unsent.popleft())
            if written:
                unsent[0] = unsent[0][written:]
                return  # a short write: the pipe is full

    # -- the collector thread ------------------------------------------------------------

    def _collect(self, wake_r: int) -> None:
        """Read results until every worker is gone; write out what did not fit the pipe."""
        poller = select.poll()
        by_fd: dict[int, _Worker] = {}
        for worker in self._procs:
            by_fd[worker.results.fileno()] = by_fd[worker.process.sentinel] = worker
            poller.register(worker.results.fileno(), select.POLLIN)
            poller.register(worker.process.sentinel, select.POLLIN)
        poller.register(wake_r, select.POLLIN)
        live = set(self._procs)
        writing = False
        try:
            while live:
                with self._lock:
                    unsent = bool(self._unsent)
                if unsent != writing:
                    if unsent:
                        poller.register(self._jobs_fd, select.POLLOUT)
                    else:
                        poller.unregister(self._jobs_fd)
                    writing = unsent
                for fd, _ in poller.poll():
                    if fd == wake_r:
                        os.read(wake_r, 4096)
                        with self._lock:
                            self._woken = False
                            failed = self._hand_over()
                        _fail(failed)
                    elif fd == self._jobs_fd:
                        with self._lock:
                            self._flush()
                    elif (worker := by_fd[fd]) in live:
                        if fd == worker.process.sentinel:
                            while worker.results.poll(0) and self._receive(worker):
                                pass
                            gone = True
                        else:
                            gone = not self._receive(worker)
                        if gone:
                            live.discard(worker)
                            poller.unregister(worker.results.fileno())
                            poller.unregister(worker.process.sentinel)
                            if not worker.stopped:
                                self._break(live)
        finally:
            self._close(wake_r)

    def _receive(self, worker: _Worker) -> bool:
        """Read one message from ``worker`` and settle its job; False at its end."""
        try:
            job, data, buffers = receive(worker.results.fileno())
        except (EOFError, OSError):
            return False
        if not job:
            worker.stopped = True
            return False
        with self._lock:
            future = self._running.pop(job, None)
            failed = self._hand_over()  # the worker's next job, before this result is read
        _fail(failed)
        if future is None:  # failed already, as the pool broke
            return True
        try:
            ok, value = pickle.loads(data, buffers=buffers)
        except Exception as exc:
            future.set_exception(exc)
            return True
        if ok:
            future.set_result(value)
        else:
            error, trace = value
            error.__cause__ = RemoteTraceback(trace)
            future.set_exception(error)
        return True

    def _break(self, live: set[_Worker]) -> None:
        """A worker died: fail every job not finished, and end the other workers."""
        with self._lock:
            self._broken = True
            running = list(self._running.values())
            waiting = [future for _, _, _, future in self._waiting]
            self._running.clear()
            self._waiting.clear()
            self._unsent.clear()
        for worker in live:
            worker.process.terminate()
        for future in running:
            future.set_exception(BrokenProcessPool(_BROKEN))
        for future in waiting:
            if future.set_running_or_notify_cancel():
                future.set_exception(BrokenProcessPool(_BROKEN))

    def _close(self, wake_r: int) -> None:
        """Reap the processes and close every descriptor of the pool.

        The processes are joined, not closed: joined, a process leaves multiprocessing's list
        of children, and its sentinel is closed with the pool. Closing it here raced
        multiprocessing's exit handler, which joins every child it listed a moment before
        ("process object is closed") when a pool was shut down without waiting for it.
        """
        for worker in self._procs:
            worker.process.join()
            worker.results.close()
        with self._lock:
            self._jobs_conn.close()
            os.close(self._wake_w)
            os.close(wake_r)
            self._jobs_fd = self._wake_w = -1


class _Worker:
    """A worker process as the collector sees it."""

    def __init__(self, process: Any, results: Any) -> None:
        self.process = process
        self.results = results  # the read end of its result pipe
        self.stopped = False  # it said it stops cleanly


def _fail(failed: list[tuple[Future[Any], Exception]]) -> None:
    """Settle the jobs that could not be handed over (outside the pool's lock)."""
    for future, exc in failed:
        future.set_exception(exc)


# -- in the worker processes -------------------------------------------------------------


_number = -1  # in a worker: its place in its pool, 0 to workers - 1


def worker_number() -> int:
    """In a worker: its place in its pool, from 0 to ``workers - 1`` (-1 elsewhere)."""
    return _number


def _work(
    number: int,
    jobs: Any,
    lock: PipeLock,
    results: Any,
    initializer: Callable[..., object] | None,
    initargs: tuple[Any, ...],
) -> None:
    """A worker's life: set up, then run jobs until told to stop."""
    global _number
    _number = number
    if initializer is not None:
        initializer(*initargs)  # if it fails the worker ends, and the pool breaks
    jobs_fd, results_fd = jobs.fileno(), results.fileno()
    try:
        _serve(jobs_fd, lock, results_fd)
    except (EOFError, BrokenPipeError):  # the parent is gone: end quietly, without "stopped"
        pass


def _serve(jobs_fd: int, lock: PipeLock, results_fd: int) -> None:
    """Run jobs from the shared pipe until a stop message."""
    while True:
        with lock:
            job, data, buffers = receive(jobs_fd)
        if not job:
            write_all(results_fd, [STOP])
            return
        try:
            fn, args = pickle.loads(data, buffers=buffers)
            outcome: tuple[bool, Any] = (True, fn(*args))
        except BaseException as exc:  # sent to the parent, as the executor does
            outcome = (False, (exc, traceback.format_exc()))
        try:
            reply = encode(job, outcome)
        except Exception as exc:  # an unpicklable result or exception: say so instead
            error = RuntimeError(f"the job's outcome could not be pickled: {exc!r}")
            reply = encode(job, (False, (error, traceback.format_exc())))
        write_all(results_fd, reply)


__all__ = ["ProcessPool", "RemoteTraceback", "worker_number"]
