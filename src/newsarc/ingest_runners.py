"""Where extraction jobs run: a pool of worker processes, or one thread of this process.

Both report which job each worker is busy with, so that ``ingest_pool.Extractors`` can notice
a page far past its time limit and replace the runner. Inside a worker process the limit is
also enforced softly: SIGALRM raises :class:`ExtractTimeout` in the worker's main thread and
the page comes back as an ordinary failure, without losing the worker. Code that does not
return to Python (a long C call in lxml or ``re``) cannot be interrupted that way: the parent
kills the worker instead.
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from newsarc.ingest_work import (
    SLOW_PAGE_HOOK,
    ExtractResult,
    Job,
    extract_job,
    lower_thread_priority,
    warm_up,
)

# At the top, so that the forkserver's preload of this module imports the workers' loop too.
from newsarc.proclog import worker_handler
from newsarc.procpool import ProcessPool, worker_number

log = logging.getLogger(__name__)

_PARENT_POLL = 0.5  # seconds between a worker's checks that the ingest process is alive
_PRELOAD = ["newsarc.ingest_runners", "newsarc.ingest_warmup"]
_REPEAT = 1.0  # seconds between further alarms, should something swallow the first one


class ExtractTimeout(BaseException):
    """Raised in a worker when its page is over the time limit.

    A BaseException, so that the extractor's ``except Exception`` clauses let it through.
    """


def took_too_long(url: str, limit: float) -> ExtractResult:
    """The result of a page whose extraction was stopped at ``limit`` seconds."""
    return None, f"{url}: extraction took longer than {limit:g} s", [], None, None


class ProcessRunner:
    """Extraction in ``workers`` processes forked from a warm forkserver.

    The processes come from a forkserver, not ``fork``: forking while fetch threads hold
    locks (requests' pools, logging) can deadlock the child, and a forked child would also
    inherit the ingest lock. The forkserver imports the extractor and runs one extraction
    before forking (``newsarc.ingest_warmup``), so no worker starts cold.
    """

    soft_limit = True  # the workers stop a page at its limit themselves

    def __init__(self, workers: int, log_pipe: Any, context: Any) -> None:
        self.workers = workers
        self.dead = False
        self._shut = False
        self._shut_lock = threading.Lock()
        # Two numbers per worker, written by the worker itself at its place in the pool: its
        # pid, and the job it is running (0: none). Plain shared memory, without a lock (that
        # would be a named semaphore, see procwire): reading it needs nothing from the worker.
        self.busy = context.Array("q", 2 * workers, lock=False)
        level = min(
            logging.getLogger().getEffectiveLevel(),
            logging.getLogger("newsarc").getEffectiveLevel(),
        )
        hook = os.environ.get(SLOW_PAGE_HOOK)
        # Not ProcessPoolExecutor: its manager and feeder threads cost the ingest process
        # twice the CPU per page (see newsarc.procpool).
        self.executor = ProcessPool(
            workers,
            context,
            initializer=_worker_init,
            initargs=(os.getpid(), log_pipe, level, self.busy, hook),
        )

    @property
    def broken(self) -> bool:
        """True when a worker died (killed, out of memory) and the pool is unusable."""
        return self.executor.broken

    def warm(self) -> None:
        """Start the processes now (else they start with the first page)."""
        self.executor.start()

    def submit(self, seq: int, job: Job, limit: float) -> Future[ExtractResult]:
        """Run job number ``seq`` with a soft limit of ``limit`` seconds."""
        return self.executor.submit(timed_extract, seq, job, limit)

    def running(self) -> list[int]:
        """Numbers of the jobs the workers are running now."""
        values = self.busy[:]
        return [values[i + 1] for i in range(0, len(values), 2) if values[i + 1]]

    def kill(self) -> None:
        """Kill the busy workers now (the pool breaks, and ends the others)."""
        self.dead = True
        values = self.busy[:]
        for i in range(0, len(values), 2):
            pid, seq = values[i], values[i + 1]
            if pid and seq:  # mid-job, so alive: its pid cannot have been reused
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.shutdown(wait=False, cancel=True)

    @property
    def finished(self) -> bool:
        """True once shut down and every worker process is reaped."""
        return self.executor.finished

    def shutdown(self, wait: bool = True, cancel: bool = False) -> None:
        """Let the workers finish what they were given (or drop what has not started); with
        ``wait``, wait until they are gone (also when told to stop before, without waiting)."""
        with self._shut_lock:  # the first call decides what is cancelled
            first, self._shut = not self._shut, True
        if first:
            self.executor.shutdown(wait=False, cancel=cancel)
        if wait:
            self.executor.shutdown(wait=True)


class ThreadRunner:
    """Extraction in one daemon thread of this process (``--workers 1``).

    There is no soft limit here (a signal cannot be aimed at a thread): a page over its
    limit is abandoned by the parent, which starts a new thread for the others and asks the
    old one to stop with an asynchronous exception. That lands only when the thread runs
    Python code again; until then the old thread keeps its CPU. A daemon thread, so a page
    that never ends does not keep the process from exiting.
    """

    soft_limit = False
    broken = False

    def __init__(self, extract: Callable[[Job], ExtractResult], limit: float) -> None:
        self.dead = False
        self._extract = extract
        self._limit = limit
        self._queue: queue.SimpleQueue[tuple[int, Job, Future[ExtractResult]] | None]
        self._queue = queue.SimpleQueue()
        self._current = 0
        self._thread = threading.Thread(target=self._run, name="extract", daemon=True)
        self._thread.start()

    @property
    def finished(self) -> bool:
        """True once the thread has ended."""
        return not self._thread.is_alive()

    def warm(self) -> None:
        """Nothing to start: the thread is running already."""

    def submit(self, seq: int, job: Job, limit: float) -> Future[ExtractResult]:
        """Queue job number ``seq``; the parent enforces the limit."""
        future: Future[ExtractResult] = Future()
        self._queue.put((seq, job, future))
        return future

    def running(self) -> list[int]:
        """The number of the job the thread is running now, if any."""
        current = self._current
        return [current] if current else []

    def kill(self) -> None:
        """Abandon the thread: drop its queue and stop its current page when it can."""
        self.dead = True
        self._drain()
        if self._current and self._thread.ident is not None:
            _raise_in_thread(self._thread.ident, _Abandoned)

    def shutdown(self, wait: bool = True, cancel: bool = False) -> None:
        """Stop after the queued jobs (or drop them); wait at most one time limit."""
        if cancel:
            self._drain()
        self._queue.put(None)
        if wait and not self.dead:
            self._thread.join(self._limit + 1.0)

    def _drain(self) -> None:
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                item[2].cancel()
        self._queue.put(None)

    def _run(self) -> None:
        try:
            warm_up(self._extract)  # imports and first-use state, outside any page's limit
            while (item := self._queue.get()) is not None:
                seq, job, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                self._current = seq
                try:
                    result = self._extract(job)
                except _Abandoned:
                    raise
                except BaseException as exc:
                    future.set_exception(exc)
                else:
                    future.set_result(result)
                finally:
                    self._current = 0
        except _Abandoned:  # may land anywhere in this loop: the thread just ends
            return


class _Abandoned(BaseException):
    """Raised in an abandoned extraction thread to end it."""


def _raise_in_thread(ident: int, exc_type: type[BaseException]) -> None:
    """Ask CPython to raise ``exc_type`` in thread ``ident`` (best effort, CPython only)."""
    try:
        import ctypes

        set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
    except (ImportError, AttributeError):
        return
    set_async_exc(ctypes.c_ulong(ident), ctypes.py_object(exc_type))


def process_context() -> Any:
    """The multiprocessing context for workers: newsarc's own forkserver, preloaded, where
    there is one (``newsarc.procserver``); else the shared forkserver, else spawn."""
    import multiprocessing
    from multiprocessing.context import BaseContext

    from newsarc.procserver import context as own_context

    own = own_context(_PRELOAD, _start_niced)
    if own is not None:
        return own
    context: BaseContext
    try:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
    except ValueError:  # no forkserver on this platform
        return multiprocessing.get_context("spawn")
    from multiprocessing import forkserver

    _start_niced(forkserver.ensure_running)
    return context


def _start_niced(ensure_running: Callable[[], None]) -> None:
    """Start the forkserver, unless it runs already, from a thread of its own whose priority is
    lowered first (where priorities are per thread, see ``lower_thread_priority``): it then
    imports and warms up the extractor at the workers' priority from its first instruction,
    leaving the CPU to the fetch threads at the start of a run. The thread ends at once, so
    no thread of this process that lives on (the collector, the log relay) is lowered.
    """

    try:  # shared by every process of this program: started at its normal priority
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()
    except Exception as exc:  # the forkserver's start tries again, and reports it
        log.debug("could not start multiprocessing's resource tracker: %s", exc)

    def start() -> None:
        lower_thread_priority()
        try:
            ensure_running()
        except Exception as exc:  # starting the first worker will try again, and report it
            log.debug("could not start the forkserver ahead of the workers: %s", exc)

    starter = threading.Thread(target=start, name="forkserver-start", daemon=True)
    starter.start()
    starter.join()


# -- in the worker processes -------------------------------------------------------------

_busy: Any = None  # the runner's shared array, and this worker's place in it
_slot = -1
_armed = False  # the alarm raises only while a page is being extracted


def _worker_init(parent: int, log_pipe: Any, level: int, busy: Any, hook: str | None) -> None:
    """In each worker: log through the parent, die with it, take a busy slot, set the alarm.

    Ctrl-C reaches every process of the terminal's process group; the ingest process decides
    what to do about it (see ``newsarc.interrupt``), so a worker ignores it (it is ignored
    from the fork on already: the forkserver's preload ignores it, see ``ingest_warmup``).
    """
    global _busy, _slot
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(worker_handler(log_pipe))
    root.setLevel(level)
    watch_parent(parent)
    # The forkserver's environment is the one it started with: pass on the parent's hook.
    if hook:
        os.environ[SLOW_PAGE_HOOK] = hook
    else:
        os.environ.pop(SLOW_PAGE_HOOK, None)
    _slot = worker_number()
    if 0 <= _slot < len(busy) // 2:
        _busy = busy
        busy[2 * _slot] = os.getpid()
    signal.signal(signal.SIGALRM, _on_alarm)


def _on_alarm(signum: int, frame: Any) -> None:
    if _armed:
        raise ExtractTimeout
    signal.setitimer(signal.ITIMER_REAL, 0)  # a late tick after the page: stop the timer


def timed_extract(seq: int, job: Job, limit: float) -> ExtractResult:
    """In a worker: ``extract_job`` stopped after ``limit`` seconds, reporting it is busy.

    Signals are handled only between bytecodes, and none of the plain stores below is one
    where that happens: ``_armed`` is cleared before any late alarm can raise outside the
    ``try``.
    """
    global _armed
    if _busy is not None:
        _busy[2 * _slot + 1] = seq
    _armed = True
    signal.setitimer(signal.ITIMER_REAL, limit, _REPEAT)
    try:
        result = extract_job(job)
    except ExtractTimeout:
        _armed = False
        result = took_too_long(job[0], limit)
    finally:
        _armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        if _busy is not None:
            _busy[2 * _slot + 1] = 0
    return result


def watch_parent(pid: int) -> None:
    """In a worker: exit when the ingest process ``pid`` is gone (even killed by SIGKILL).

    A pool worker waits on its task queue forever if the process that fed it dies without
    closing it, and the forkserver stays up as long as its children do: after a SIGKILL or
    an out-of-memory kill they would linger until the next reboot.
    """

    def watch() -> None:
        # Polls until the parent is gone; the worker then ends the whole process at once.
        while _alive(pid):
            time.sleep(_PARENT_POLL)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, but another user's: our parent died, its pid was reused
        return False
    try:  # a killed process not yet reaped by its own parent is a zombie: dead for us
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except OSError:
        return True  # no /proc (macOS): os.kill said it exists


__all__ = ["ExtractTimeout", "ProcessRunner", "ThreadRunner", "took_too_long"]
