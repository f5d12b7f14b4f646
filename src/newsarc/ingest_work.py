"""The units of batch work and where they run: the host queue, the extraction job and pool.

Kept light on imports: extraction workers import this module, so it must not pull in the
fetcher or the store.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsarc.errors import NewsarcError
from newsarc.model import Article, Page

if TYPE_CHECKING:
    from newsarc.sources.warcleads import Lead

log = logging.getLogger(__name__)

# (article or None, the error when None, near-duplicate band keys, the compressed raw page,
# the body's shingles: a numpy array, for the writer's confirmation of near-duplicates)
ExtractResult = tuple[Article | None, str | None, list[str], bytes | None, Any]
Job = tuple[str, str, bytes, str | None, str | None, str]

# Test-only: "MARKER:SECONDS" makes the extraction of any page containing MARKER take SECONDS
# longer, in Python code that a time limit can interrupt; "MARKER:SECONDS:stuck" waits in
# one uninterruptible call instead, as a long C call would. Several specs: separate them with
# ";" (the first whose marker is in the page applies). See slow_page_for_tests.
SLOW_PAGE_HOOK = "NEWSARC_TEST_SLOW_EXTRACT"


@dataclass
class Work:
    """A unit moving through the pipeline: a URL to fetch, or a page already in hand."""

    url: str
    source: str
    page: Page | None = None
    page_source: bool = False  # from a WARC or a folder: never fetched
    error: str | None = None  # a source problem reported as this item's failure
    gone: bool = False  # a URL list's address that answered 404 or 410 lately: not asked again
    lead: Lead | None = None  # a WARC's redirect or revisit: an address of another page
    attempts: int = 0
    # The dates the feed or sitemap that listed it gave, as listed (see
    # ``newsarc.ingest_listed``): its publication date (a feed entry's date, a news sitemap's
    # publication date) and its modification date (<lastmod>, a feed entry's updated date).
    published: str | None = None
    lastmod: str | None = None

    @property
    def dated(self) -> bool:
        """Whether its listing dated it (so --since was applied to it when it was listed)."""
        return bool(self.published or self.lastmod)


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
    """Extract one page in a worker: (article, error, near-duplicate band keys, raw page,
    the body's shingles, with which the writer confirms near-duplicates).

    The raw page is compressed here, not by the writer: on real pages compressing costs
    about as much as everything else the single writer does for a page.
    """
    from newsarc import rawpage
    from newsarc.dedupe import band_keys, fingerprint
    from newsarc.pipeline import extract_page

    url, final_url, content, content_type, encoding, fetched_at = job
    slow_page_for_tests(content)
    headers = {"Content-Type": content_type} if content_type else {}
    page = Page(url, final_url, 200, headers, content, fetched_at, encoding)
    try:
        article = extract_page(page)
    except NewsarcError as exc:
        return None, str(exc), [], None, None
    sig, shingles = fingerprint(article.body)
    return article, None, band_keys(sig), rawpage.compress(content), shingles


def slow_page_for_tests(content: bytes) -> None:
    """Test-only: stall on a marked page when ``NEWSARC_TEST_SLOW_EXTRACT`` says so.

    The tests of the extraction time limit need a page that is slow for certain through the
    real CLI; a crafted page would be slow only on some machines. Unset, it costs one lookup.
    """
    specs = os.environ.get(SLOW_PAGE_HOOK)
    if not specs:
        return
    for spec in specs.split(";"):
        marker, _, rest = spec.partition(":")
        if marker and marker.encode() in content:
            seconds, _, mode = rest.partition(":")
            _stall(float(seconds), stuck=mode == "stuck")
            return


def _stall(seconds: float, *, stuck: bool) -> None:
    if stuck:
        # Signals stay pending and no Python code runs until the sleep ends.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        try:
            time.sleep(seconds)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        return
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.01)


_WARM_UP_TEXT = (
    "The council met on Tuesday evening to discuss the new budget for the coming year. "
    "Members of the public asked questions about road repairs, school places and the cost "
    "of running the library, and officials said a decision would be taken next month after "
    "a further round of consultation with residents and local businesses. "
) * 3


# How much extraction workers yield the CPU to the ingest process (see lower_priority).
WORKER_NICENESS = 10


def lower_priority(increment: int = WORKER_NICENESS) -> None:
    """Run this process ``increment`` nice levels below its parent (Unix ``nice``; elsewhere
    nothing); a process that already runs that low, having been started by a thread that ran
    that low (see ``lower_thread_priority``), is left as it is.

    Extraction is throughput work; the ingest process's fetch threads and writer are not: a
    fetch that waits for a CPU holds a politeness slot idle, and the workers then wait for
    pages. Niced workers still use every idle core, they just never delay the scheduler.
    """
    try:
        target = min(os.getpriority(os.PRIO_PROCESS, os.getppid()) + increment, 19)
        if os.getpriority(os.PRIO_PROCESS, 0) < target:
            os.setpriority(os.PRIO_PROCESS, 0, target)
    except (AttributeError, OSError) as exc:  # no priorities on this platform, or not allowed
        log.debug("could not lower the extraction workers' priority: %s", exc)


def lower_thread_priority(increment: int = WORKER_NICENESS) -> bool:
    """Lower the calling thread's priority by ``increment``, where a priority belongs to a
    thread (Linux); True if it did. The process's other threads keep theirs, and processes
    this thread starts inherit it, from their first instruction: an extraction forkserver
    started here imports and warms up the extractor at the lower priority throughout,
    instead of from the moment its own ``lower_priority`` runs.
    """
    if not sys.platform.startswith("linux"):
        return False  # elsewhere the nice value is the whole process's
    try:
        thread = threading.get_native_id()
        now = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(now + increment, 19))
    except OSError as exc:
        log.debug("could not lower the extraction starter's priority: %s", exc)
        return False
    return True


def warm_up(extract: Callable[[Job], ExtractResult] = extract_job) -> None:
    """Extract one small page, so that the extractor's lazily built state (the language
    model, parsers, compiled patterns) exists before worker processes are forked, and
    before the first page's time limit starts."""
    html = (
        "<html><head><title>Council meets on budget</title></head><body><article>"
        f"<h1>Council meets on budget</h1><p>{_WARM_UP_TEXT}</p></article></body></html>"
    )
    url = "https://warm-up.invalid/a"
    job = (url, url, html.encode(), "text/html; charset=utf-8", "utf-8", "2024-01-01T00:00:00Z")
    try:
        extract(job)
        _build_justext_stoplist()
    except Exception as exc:  # only a slower first page: never stop the forkserver
        log.warning("extractor warm-up failed (%s: %s)", type(exc).__name__, exc)


def _build_justext_stoplist() -> None:
    """Build trafilatura's jusText stoplist (every language's stop words) now.

    trafilatura builds it the first time a page needs its full cascade (see
    ``extractor.body.run_trafilatura``), which takes 0.2-0.3 s: in a batch, once in every
    worker, on the page that happened to need it first. Built before forking, it is shared.
    The function is internal to trafilatura, so it is looked up, not imported.
    """
    from trafilatura import external

    build = getattr(external, "jt_stoplist_init", None)
    if build is not None and getattr(external, "JT_STOPLIST", None) is None:
        build()


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
