"""The extraction pool: processes from a warm forkserver (or one thread), each page within a
time limit, and the workers' log records relayed to the parent (so ``-q`` and ``--log`` hold).

A page over its limit must not stall a cron batch. Worker processes stop it themselves
(``ingest_runners.timed_extract``); for code that does not return to Python, and for the
single extraction thread, a watch thread here notices a page far past its limit, fails it,
moves every other page of that pool to a new pool and kills (or abandons) the old one.
"""

from __future__ import annotations

import functools
import itertools
import logging
import sys
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from newsarc.ingest_runners import ProcessRunner, ThreadRunner, took_too_long
from newsarc.ingest_work import ExtractResult, Job, extract_job
from newsarc.proclog import LogRelay

log = logging.getLogger(__name__)

# The pool is replaced after this many pages per worker, so that a long run's memory stays
# flat whatever lxml or trafilatura keep around. (A whole new pool rather than workers that
# replace themselves, such as ProcessPoolExecutor's max_tasks_per_child, which on Python 3.11
# could let workers exit without replacing them, the run hanging with pages pending.)
RECYCLE_AFTER = 1000
DEFAULT_LIMIT = 30.0  # seconds to extract one page
_WATCH_EVERY = 0.25  # seconds between the watch thread's looks at the workers

Runner = ProcessRunner | ThreadRunner


def hard_limit(limit: float) -> float:
    """Seconds after which a worker process still on one page is killed.

    Past ``limit`` the worker's own alarm should have stopped the page; the grace covers a
    loaded machine, so a kill means code that did not return to Python.
    """
    return limit + min(max(limit, 2.0), 10.0)


@dataclass(eq=False)
class _Task:
    """One page on its way through the pool; ``inner`` is its current attempt."""

    seq: int
    job: Job
    outer: Future[ExtractResult]
    runner: Runner | None = None
    inner: Future[ExtractResult] | None = None
    seen: float | None = None  # when the watch thread first saw it running


class Extractors:
    """Runs ``extract_job`` in ``workers`` processes (one: in a thread of this process), each
    page within ``limit`` seconds.

    ``submit`` returns a future of its own that outlives pool replacements: a page moved to a
    new pool keeps its future, and a page over the limit gets an ordinary failure result.
    """

    def __init__(self, workers: int, limit: float = DEFAULT_LIMIT) -> None:
        if workers > 1:
            from newsarc.procserver import processes_usable

            if not processes_usable():
                log.info(
                    "extracting in one thread: worker processes could not import this "
                    "program's __main__ (%s)",
                    getattr(sys.modules.get("__main__"), "__file__", None),
                )
                workers = 1
        self.workers = workers
        self.limit = limit
        self._lock = threading.RLock()  # guards the tasks and the runners
        self._tasks: dict[int, _Task] = {}
        self._numbers = itertools.count(1)
        # Started once there is a page to fetch or extract: a cron run that finds nothing new
        # starts no process.
        self._runner: Runner | None = None
        self._started = False
        self._starter: threading.Thread | None = None
        self._pending: list[_Task] = []  # submitted while the workers were starting
        self._start_error: Exception | None = None
        self._retired: list[Runner] = []  # old pools finishing their last pages
        # Pools told to stop without waiting (replaced, killed, done with their last pages):
        # ``shutdown`` waits for them all, so no process or thread of a pool outlives the run.
        self._ending: list[Runner] = []
        self._submitted = 0
        self._relay: LogRelay | None = None
        self._context: Any = None
        self._closing = False
        self._stop = threading.Event()
        self._watch: threading.Thread | None = None

    def start(self) -> None:
        """Start the workers, if not started yet, without waiting for them.

        Starting worker processes takes about a second (the forkserver imports the extractor
        and warms it up first); it happens in a thread of its own, so the first fetches go
        out meanwhile. Pages submitted before the workers are up wait in ``_pending``.
        """
        with self._lock:
            if self._started:
                return
            self._started = True
            if self.workers <= 1:  # a thread of this process: nothing to wait for
                self._runner = self._new_runner()
            else:
                self._starter = threading.Thread(
                    target=self._start_processes, name="extract-start", daemon=True
                )
                self._starter.start()
            self._watch = threading.Thread(
                target=self._watch_loop, name="extract-watch", daemon=True
            )
            self._watch.start()

    def wait_started(self, timeout: float | None = None) -> bool:
        """Wait until the workers are up (or failed to start); False if ``timeout`` ran out."""
        starter = self._starter
        if starter is not None:
            starter.join(timeout)
            return not starter.is_alive()
        return True

    def _start_processes(self) -> None:
        """In the starter thread: make the first runner, then hand it the waiting pages."""
        try:
            runner = self._new_runner()
            runner.warm()
        except Exception as exc:  # e.g. no more processes allowed: every page fails with it
            # Not an error line of its own: each page's failure gives the reason, and a stop
            # that kills the forkserver as it starts (a signal to the process group) fails
            # it too, when no page is left to report.
            log.info("could not start the extraction workers: %s", exc)
            with self._lock:
                self._start_error = exc
                pending, self._pending = self._pending, []
                for task in pending:
                    self._drop(task).set_result(_not_started(task.job, exc))
            return
        with self._lock:
            self._runner = runner
            if self._closing:  # shutdown, waiting for this thread, stops it with the others
                return
            pending, self._pending = self._pending, []
            self._submitted += len(pending)
            for task in pending:
                self._send(task)

    def submit(self, job: Job) -> Future[ExtractResult]:
        """Extract one page; the future's result is ``extract_job``'s."""
        outer: Future[ExtractResult] = Future()
        with self._lock:
            self.start()
            task = _Task(next(self._numbers), job, outer)
            if self._start_error is not None:
                outer.set_result(_not_started(job, self._start_error))
                return outer
            self._tasks[task.seq] = task
            if self._runner is None:  # the workers are still starting
                self._pending.append(task)
                return outer
            if self._runner.broken:  # a worker died before ingest saw it: carry on regardless
                self.restart()
            if self.workers > 1 and self._submitted >= RECYCLE_AFTER * self.workers:
                # The old workers finish what they were given, then exit; new ones take over.
                self._runner.shutdown(wait=False)
                self._retired.append(self._runner)
                self._runner = self._new_runner()
                self._submitted = 0
            self._submitted += 1
            self._send(task)
        return outer

    @property
    def broken(self) -> bool:
        """True when a worker died (killed, out of memory) and the pool must be restarted."""
        return self._runner is not None and self._runner.broken

    def restart(self) -> None:
        """Replace a broken pool with a new one."""
        log.warning("an extraction worker died; starting new ones")
        with self._lock:
            if self._runner is not None:
                self._runner.dead = True
                self._runner.shutdown(wait=False, cancel=True)
                self._ending.append(self._runner)
            self._runner = self._new_runner()

    def shutdown(self, *, abandon: bool = False) -> None:
        """Stop the workers (pending extractions are cancelled) and the log relay; returns
        once every worker process of every pool this made is gone.

        ``abandon``: the pages being extracted are given up too (the busy workers are killed
        rather than waited for), for a run that is stopping early.
        """
        with self._lock:
            self._closing = True
            starter = self._starter
        if starter is not None:
            starter.join()  # the runner it made, if any, is self._runner by now
        with self._lock:
            runners = [r for r in (*self._ending, *self._retired, self._runner) if r is not None]
            pending, self._pending = self._pending, []
        for task in pending:
            self._drop(task).cancel()
        # Not under the lock: the pools' threads settle futures, which takes it. The watch
        # thread still runs, so a worker stuck in C code cannot hold this up for long.
        for runner in runners:
            if abandon:
                runner.kill()
            runner.shutdown(wait=True, cancel=True)
        self._stop.set()
        if self._watch is not None:
            self._watch.join()
        with self._lock:
            self._retired.clear()
            self._ending.clear()
        if self._relay is not None:
            self._relay.close()
            self._relay = None

    # -- running pages -------------------------------------------------------------------

    def _new_runner(self) -> Runner:
        if self.workers <= 1:
            return ThreadRunner(extract_job, self.limit)
        from newsarc.ingest_runners import process_context

        if self._context is None:
            self._context = process_context()
            self._relay = LogRelay(self._context)
        assert self._relay is not None
        return ProcessRunner(self.workers, self._relay.writer, self._context)

    def _send(self, task: _Task) -> None:
        """Hand ``task`` to the current runner (called with the lock held)."""
        assert self._runner is not None
        task.runner, task.seen = self._runner, None
        task.inner = inner = self._runner.submit(task.seq, task.job, self.limit)
        inner.add_done_callback(functools.partial(self._settle, task))

    def _settle(self, task: _Task, inner: Future[ExtractResult]) -> None:
        """An attempt ended: pass its outcome on, unless the task has moved on since."""
        with self._lock:
            if task.inner is not inner or task.outer.done():
                return
            self._tasks.pop(task.seq, None)
            if inner.cancelled():
                task.outer.cancel()
            elif (exc := inner.exception()) is not None:
                task.outer.set_exception(exc)
            else:
                task.outer.set_result(inner.result())

    # -- the time limit ------------------------------------------------------------------

    def _watch_loop(self) -> None:
        while not self._stop.wait(_WATCH_EVERY):
            try:
                self._check()
            except Exception:  # the watch must go on whatever one look hit
                log.exception("checking the extraction workers failed")

    def _check(self) -> None:
        """Replace any runner whose worker is on one page for too long."""
        now = time.monotonic()
        with self._lock:
            done = [r for r in self._retired if not self._tasks_on(r)]
            self._retired = [r for r in self._retired if r not in done]
            self._ending = [r for r in (*self._ending, *done) if not r.finished]
            for runner in [r for r in (self._runner, *self._retired) if r is not None]:
                allowed = hard_limit(self.limit) if runner.soft_limit else self.limit
                for seq in runner.running():
                    task = self._tasks.get(seq)
                    if task is None or task.runner is not runner:
                        continue
                    if task.seen is None:
                        task.seen = now
                    elif now - task.seen > allowed and not runner.dead:
                        self._replace(runner, task, now)

    def _tasks_on(self, runner: Runner) -> list[_Task]:
        return [t for t in self._tasks.values() if t.runner is runner]

    def _replace(self, runner: Runner, overdue: _Task, now: float) -> None:
        """Fail ``overdue`` (and any other page over the limit), move the runner's other pages
        to a new runner, and stop the old one."""
        tasks = self._tasks_on(runner)
        late = [t for t in tasks if t.seen is not None and now - t.seen > self.limit]
        others = [t for t in tasks if t not in late]
        running = set(runner.running())
        if runner.soft_limit:
            log.warning(
                "%s: extraction still running after %.0f s (limit %g s); killing its worker "
                "and starting new ones (%d other pages moved, %d of them mid-extraction)",
                overdue.job[0],
                now - (overdue.seen or now),
                self.limit,
                len(others),
                sum(t.seq in running for t in others),
            )
        else:
            log.info("%s: extraction over the %g s limit; abandoned", overdue.job[0], self.limit)
        if runner is self._runner and not self._closing:
            self._runner = self._new_runner()
            self._ending.append(runner)
        elif runner in self._retired:
            self._retired.remove(runner)
            self._ending.append(runner)
        for task in late:
            self._drop(task).set_result(took_too_long(task.job[0], self.limit))
        for task in others:
            if self._closing:
                self._drop(task).cancel()
            else:
                self._send(task)  # not a failure of theirs: no attempt counted
        runner.kill()

    def _drop(self, task: _Task) -> Future[ExtractResult]:
        """Forget ``task`` (its current attempt's outcome will be ignored); its future."""
        self._tasks.pop(task.seq, None)
        task.inner = None
        return task.outer


def _not_started(job: Job, exc: Exception) -> ExtractResult:
    """The result of a page whose workers could not be started: an ordinary failure."""
    return None, f"{job[0]}: the extraction workers could not start ({exc})", [], None, None


__all__ = ["DEFAULT_LIMIT", "RECYCLE_AFTER", "Extractors", "hard_limit"]
