"""The units of batch work and where they run: the host queue, the extraction job and pool.

Kept light on imports: extraction workers import this module, so it must not pull in the
fetcher or the store.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass

from newsarc.errors import NewsarcError
from newsarc.model import Article, Page

ExtractResult = tuple[Article | None, str | None, list[str]]
Job = tuple[str, str, bytes, str | None, str | None, str]
# Workers are replaced after this many pages, so a months-long cron archive's memory stays
# flat whatever lxml or trafilatura keep around.
TASKS_PER_WORKER = 500
_PARENT_POLL = 0.5  # seconds between a worker's checks that the ingest process is alive


@dataclass
class Work:
    """A unit moving through the pipeline: a URL to fetch, or a page already in hand."""

    url: str
    source: str
    page: Page | None = None
    page_source: bool = False  # from a WARC or a folder: never fetched
    error: str | None = None  # a source problem reported as this item's failure
    attempts: int = 0


def job_of(page: Page) -> Job:
    """What an extraction worker needs of a page, as plain values (they pickle fastest)."""
    return (
        page.url,
        page.final_url,
        page.content,
        page.header("Content-Type"),
        page.encoding,
        page.fetched_at,
    )


def extract_job(job: Job) -> ExtractResult:
    """Extract one page in a worker: (article, error, near-duplicate band keys)."""
    from newsarc.dedupe import band_keys, signature
    from newsarc.pipeline import extract_page

    url, final_url, content, content_type, encoding, fetched_at = job
    headers = {"Content-Type": content_type} if content_type else {}
    page = Page(url, final_url, 200, headers, content, fetched_at, encoding)
    try:
        article = extract_page(page)
    except NewsarcError as exc:
        return None, str(exc), []
    return article, None, band_keys(signature(article.body))


def extraction_pool(workers: int) -> Executor:
    """``workers`` processes from a forkserver that imported the extractor once (1: a thread).

    Not ``fork``: forking while fetch threads hold locks (requests' pools, logging) can
    deadlock the child, and a forked child would also inherit the ingest lock.
    """
    if workers <= 1:
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract")
    import multiprocessing
    import sys
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.context import BaseContext

    context: BaseContext
    try:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(
            ["newsarc.ingest_work", "newsarc.pipeline", "newsarc.extractor", "newsarc.dedupe"]
        )
    except ValueError:  # no forkserver on this platform
        context = multiprocessing.get_context("spawn")
    if sys.version_info >= (3, 11):
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=watch_parent,
            initargs=(os.getpid(),),
            max_tasks_per_child=TASKS_PER_WORKER,
        )
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=watch_parent, initargs=(os.getpid(),)
    )


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


class HostQueue:
    """URLs waiting to be fetched, by host, handed out round-robin when politeness allows.

    Mirrors the HostLimiter's rules (per-host concurrency, delay between starts) so that a
    fetch starts only when its slot is free and no fetch thread sits blocked behind one slow
    host while others are idle; the limiter still enforces the rules exactly.
    """

    def __init__(self, per_host: int, delay_for: Callable[[str], float]) -> None:
        self._per_host = per_host
        self._delay_for = delay_for
        self._queues: dict[str, deque[Work]] = {}
        self._order: deque[str] = deque()
        self._running: Counter[str] = Counter()
        self._next: dict[str, float] = {}
        self.size = 0

    def add(self, host: str, work: Work) -> None:
        """Queue a URL of ``host``."""
        if host not in self._queues:
            self._queues[host] = deque()
            self._order.append(host)
        self._queues[host].append(work)
        self.size += 1

    def take(self, limit: int) -> list[Work]:
        """Up to ``limit`` URLs that may start now, one host after another; marks them running."""
        taken: list[Work] = []
        now = time.monotonic()
        progress = True
        # Each pass visits every queued host once and ends unless it took something.
        while progress and len(taken) < limit and self._order:
            progress = False
            for _ in range(len(self._order)):
                if len(taken) >= limit or not self._order:
                    break
                host = self._order[0]
                self._order.rotate(-1)
                if self._running[host] >= self._per_host or self._next.get(host, 0.0) > now:
                    continue
                taken.append(self._pop(host))
                self._running[host] += 1
                self._next[host] = now + self._delay_for(host)
                progress = True
        return taken

    def _pop(self, host: str) -> Work:
        queue = self._queues[host]
        work = queue.popleft()
        self.size -= 1
        if not queue:
            del self._queues[host]
            self._order.remove(host)
        return work

    def done(self, host: str) -> None:
        """A fetch of ``host`` that ``take`` handed out has finished."""
        self._running[host] -= 1
        if self._running[host] <= 0:
            del self._running[host]
            if host not in self._queues and self._next.get(host, 0.0) <= time.monotonic():
                self._next.pop(host, None)  # many thousands of hosts: keep only live state

    def defer(self, host: str, seconds: float) -> None:
        """Start nothing on ``host`` for ``seconds`` (backoff after 429/503 or failures)."""
        self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + seconds)

    def drop(self, host: str) -> list[Work]:
        """Remove and return every queued URL of ``host`` (a dead host)."""
        queue = self._queues.pop(host, deque())
        if queue:
            self._order.remove(host)
            self.size -= len(queue)
        return list(queue)

    def ready_in(self) -> float | None:
        """Seconds until a queued URL may start (0: now), None when nothing is queued."""
        if not self._order:
            return None
        now = time.monotonic()
        waits = [
            max(self._next.get(h, 0.0) - now, 0.0)
            for h in self._order
            if self._running[h] < self._per_host
        ]
        return min(waits) if waits else 1.0
