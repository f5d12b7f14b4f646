"""The extraction process pool: started from a warm forkserver, tied to its parent, and
relaying its workers' log records to the parent's handlers (so ``-q`` and ``--log`` hold).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import threading
import time
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

from newsarc.ingest_work import ExtractResult, Job, extract_job

log = logging.getLogger(__name__)

# The pool is replaced after this many pages per worker, so that a long run's memory stays
# flat whatever lxml or trafilatura keep around. (Not ProcessPoolExecutor's
# max_tasks_per_child: on Python 3.11 it can let workers exit without replacing them, and the
# run hangs with pages pending.)
RECYCLE_AFTER = 1000
_PARENT_POLL = 0.5  # seconds between a worker's checks that the ingest process is alive
_PRELOAD = ["newsarc.ingest_pool", "newsarc.ingest_warmup"]


class Extractors:
    """Runs ``extract_job`` in ``workers`` processes (one: in a thread of this process).

    The processes come from a forkserver, not ``fork``: forking while fetch threads hold
    locks (requests' pools, logging) can deadlock the child, and a forked child would also
    inherit the ingest lock. The forkserver imports the extractor and runs one extraction
    before forking (``newsarc.ingest_warmup``), so no worker starts cold.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._relay: _LogRelay | None = None
        # Started once there is a page to fetch or extract: a cron run that finds nothing new
        # starts no process.
        self._executor: Executor | None = None
        self._submitted = 0
        self._retired: list[Executor] = []  # old pools finishing their last pages

    def start(self) -> None:
        """Start the workers now (they take about a second), if not started yet."""
        if self._executor is None:
            self._executor = self._start()
            for _ in range(self.workers):  # processes are spawned as tasks arrive
                self._executor.submit(os.getpid)

    def submit(self, job: Job) -> Future[ExtractResult]:
        """Extract one page; the future's result is ``extract_job``'s."""
        self.start()
        assert self._executor is not None
        if self.workers > 1 and self._submitted >= RECYCLE_AFTER * self.workers:
            # The old workers finish what they were given, then exit; new ones take over.
            self._executor.shutdown(wait=False)
            self._retired.append(self._executor)
            self._executor = self._start()
            self._submitted = 0
        self._submitted += 1
        return self._executor.submit(extract_job, job)

    @property
    def broken(self) -> bool:
        """True when a worker died (killed, out of memory) and the pool must be restarted."""
        return bool(getattr(self._executor, "_broken", False))

    def restart(self) -> None:
        """Replace a broken pool with a new one."""
        log.warning("an extraction worker died; starting new ones")
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._start()

    def shutdown(self) -> None:
        """Stop the workers (pending extractions are cancelled) and the log relay."""
        for executor in [*self._retired, self._executor]:
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)
        self._retired.clear()
        if self._relay is not None:
            self._relay.close()
            self._relay = None

    def _start(self) -> Executor:
        if self.workers <= 1:
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract")
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing.context import BaseContext

        context: BaseContext
        try:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
        except ValueError:  # no forkserver on this platform
            context = multiprocessing.get_context("spawn")
        if self._relay is None:
            self._relay = _LogRelay(context)
        level = min(
            logging.getLogger().getEffectiveLevel(),
            logging.getLogger("newsarc").getEffectiveLevel(),
        )
        initargs = (os.getpid(), self._relay.queue, level)
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_worker_init,
            initargs=initargs,
        )


class _LogRelay:
    """A thread that hands the workers' log records to this process's loggers."""

    def __init__(self, context: Any) -> None:
        self.queue = context.Queue()
        self._thread = threading.Thread(target=self._run, name="worker-logs", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        # Ends on the None that close() sends.
        while (record := self.queue.get()) is not None:
            logger = logging.getLogger(record.name)
            if logger.isEnabledFor(record.levelno):
                logger.handle(record)

    def close(self) -> None:
        self.queue.put(None)
        self._thread.join(timeout=5)
        self.queue.close()
        self.queue.join_thread()


def _worker_init(parent: int, queue: Any, level: int) -> None:
    """In each worker: log through the parent, and die with it."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(logging.handlers.QueueHandler(queue))
    root.setLevel(level)
    watch_parent(parent)


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
