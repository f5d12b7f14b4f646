"""The batch pipeline: sources -> fetch (threads) -> extract (processes) -> store (one writer).

The main thread is the only writer and the only scheduler. It pulls work from the sources
lazily, queues URLs by host and starts a fetch only when politeness allows it (so fetch
threads never sit blocked behind one slow host), keeps a bounded number of extractions in
flight (so memory stays flat on a large WARC), and commits in small batches. A run killed at
any moment loses at most the uncommitted batch; the next run, skipping what is archived,
fetches it again. Feed validators and sitemap cut-offs are written only at the very end of a
run that was not interrupted, so an interrupted run never makes the next one skip items it
did not archive (its sources' last run and committed counts are recorded all the same).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from queue import Empty, SimpleQueue
from typing import TYPE_CHECKING, Any, TypeVar

from newsarc.errors import FetchError, NewsarcError
from newsarc.ingest_batch import OpenBatch
from newsarc.ingest_hosts import HostTrouble
from newsarc.ingest_leads import Leads
from newsarc.ingest_listed import archived_unchanged, listed_date
from newsarc.ingest_options import IngestOptions
from newsarc.ingest_pool import Extractors
from newsarc.ingest_since import Since
from newsarc.ingest_sources import Disallowed, Listing, Source, SourceReader
from newsarc.ingest_sourcestate import failing_note
from newsarc.ingest_summary import Summary
from newsarc.ingest_tally import Progress, Tally
from newsarc.ingest_work import ExtractResult, HostQueue, Work, job_of
from newsarc.model import Article, Page
from newsarc.pathtext import shown
from newsarc.urls import host_of, normalize_url

if TYPE_CHECKING:
    from sqlite_utils import Database


__all__ = ["IngestOptions", "Ingester", "Source", "Summary"]

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Future[Any])

# Pages handed to the extraction pool ahead of it, per worker: enough to smooth out bursts of
# fetches, few enough that memory stays flat (at most this many pages are held per worker).
PAGES_PER_WORKER = 6
# Fetched pages may wait for extraction up to this many: enough to cover the workers' start
# (about a second of fetching at full speed) and bursts, bounded so that memory stays flat
# when extraction is slower than fetching. Pages read from files need no such margin.
FETCHED_BACKLOG = 128
# Items taken from the sources in one pass of the loop before it starts the fetches it can:
# the first requests go out while the rest of a long URL list is still being read.
FILL_SLICE = 64


class Ingester:
    """Runs sources through the pipeline into one archive (the caller holds the ingest lock).

    With ``workers > 1`` extraction runs in processes forked from newsarc's own forkserver
    (``newsarc.procserver``), which runs only newsarc's code: the caller's ``__main__`` is
    not imported again, so a script read from stdin works, and the caller's own
    multiprocessing pools never share newsarc's server.
    """

    def __init__(
        self, db: Database, options: IngestOptions, progress: Progress | None = None
    ) -> None:
        from newsarc.polite import HostLimiter

        self.db = db
        self.options = options
        self.limiter = HostLimiter(
            delay=options.delay, per_host=options.per_host, total=options.concurrency
        )
        self.reader = SourceReader(db, options, self.limiter)
        self._hosts = HostQueue(options.per_host, self.limiter.delay_for)
        # Each address taken this run, with the capture date of its page when a WARC or a
        # folder gave it (a later, newer capture of it in the same run is taken too).
        self._seen: dict[str, str | None] = {}
        self._since = Since(db, options.since_text, refresh=options.refresh)
        self._trouble = HostTrouble(self._hosts, self.limiter, options.delay)
        self._batch = OpenBatch(db.conn, size=options.batch_size, seconds=options.batch_seconds)
        self._book = Tally(db, self._batch, progress)
        self.summary = self._book.summary
        self._leads = Leads(db, self._book.count, self._batch.wrote)
        # Every future of a run reports here when it is done (see _pump); ``stop`` puts None.
        self._finished: SimpleQueue[Future[Any] | None] = SimpleQueue()
        self._stop_reason = ""

    def stop(self, reason: str = "stop requested") -> None:
        """Ask the run to stop soon: nothing new is started, what is archived is committed and
        the summary says ``interrupted by <reason>``. Safe to call from a signal handler or
        another thread (it sets a value and wakes the main loop through a reentrant queue)."""
        self._stop_reason = self._stop_reason or reason
        self._finished.put(None)

    def run(self, sources: Iterable[Source]) -> Summary:
        """Ingest every source; returns the summary (one bad item never stops the run).

        An archive that refuses writes (disk full, locked by another program past the busy
        timeout, read-only) ends the run: StoreError, one line naming the archive, what to do
        and the run's counts so far. What was committed before stays, and the counts are of
        what was committed: the articles of the batch the archive refused are counted as
        lost, not as new or updated (the next run fetches them again).
        """
        from newsarc.store import archive_path, batch_cache, write_error

        try:
            with batch_cache(self.db):
                return self._run(sources)
        except sqlite3.Error as exc:
            self.summary.lose(self._batch.lost())
            self.summary.seconds = time.monotonic() - self._book.started
            raise write_error(
                archive_path(self.db), exc, f"this run: {self.summary.line()}"
            ) from None

    def _run(self, sources: Iterable[Source]) -> Summary:
        started = self._book.started = time.monotonic()
        finished: bool | None = None  # True: ran to the end; False: stopped (see ``stop``)
        try:
            prepared = self.reader.prepare(list(sources))
            self.summary.sources = len(prepared)
            finished = self._pump(prepared)
        except sqlite3.Error:
            self._batch.refused()
            raise
        finally:
            self.summary.seconds = time.monotonic() - started
            if finished is not None:  # each source's run and validators, in the last batch
                self._leads.finish()  # a WARC's redirects whose page was not stored
                self.reader.finish(self._book.by_source, interrupted=not finished)
                self.summary.moved = self.reader.moved
            self._batch.commit()
            self.reader.close()
            self._book.say_disallowed()
        return self.summary

    # -- the pipeline --------------------------------------------------------------------

    def _pump(self, sources: list[Source]) -> bool:
        """Run the sources through; False when stopped early (see ``stop``)."""
        opts = self.options
        # A few fetches more than the limiter lets run wait inside it, ready to start the
        # moment a slot frees, without a round trip through this thread.
        in_flight = opts.concurrency + max(2, opts.concurrency // 2)
        fetchers = ThreadPoolExecutor(max_workers=in_flight, thread_name_prefix="fetch")
        listers = ThreadPoolExecutor(
            max_workers=min(4, opts.concurrency), thread_name_prefix="source"
        )
        self._pool = Extractors(opts.workers, opts.extract_timeout)
        # Every future of this run reports to _finished when it is done, so each pass takes what
        # has finished without installing a waiter on every future in flight (``wait`` does).
        feeders: deque[tuple[Source, Iterator[Work]]] = deque()
        listing: dict[Future[Listing], Source] = {}
        fetching: dict[Future[Page], Work] = {}
        self._extracting: dict[Future[ExtractResult], Work] = {}
        for source in sources:
            if source.kind in ("feed", "sitemap"):
                listing[self._watched(listers.submit(self.reader.list_source, source))] = source
            else:
                feeders.append((source, self.reader.local(source)))
        try:
            # Each pass either pulls from a finite source, starts or finishes a bounded
            # amount of work, or waits for some; it ends when all of it is done.
            while not self._stop_reason:
                more = self._fill(feeders)
                if len(self._extracting) < self._backlog():
                    for work in self._hosts.take(in_flight - len(fetching)):
                        fetching[self._watched(fetchers.submit(self._fetch, work))] = work
                if not (listing or fetching or self._extracting):
                    if not feeders and not self._hosts.size:
                        break
                    if not more:
                        pause = min(self._hosts.ready_in() or 0.0, 1.0)
                        time.sleep(self._batch.before_wait(pause))
                    continue
                ready = self._hosts.ready_in()
                timeout = 1.0 if ready is None else min(max(ready, 0.005), 1.0)
                if more:  # take the next slice at once; only collect what is done already
                    timeout = 0
                # Waiting with nothing to write, the run commits soon (see OpenBatch.before_wait).
                for future in self._done(self._batch.before_wait(timeout)):
                    if self._stop_reason:  # e.g. no new pool for workers killed by the signal
                        break
                    if future in listing:
                        self._listed(listing.pop(future), future, feeders)
                    elif future in fetching:
                        self._fetched(fetching.pop(future), future)
                    elif future in self._extracting:
                        self._extracted(self._extracting.pop(future), future)
                self._maybe_commit()
        finally:
            stopping = bool(self._stop_reason)
            if stopping:  # before waiting for anything: a SIGKILL that follows loses no more
                self._batch.commit()
                # Nothing that waits for its host's turn (a delay, a Retry-After) is sent, and
                # what is on the wire is given up (its sockets shut), not waited for: like the
                # pages being extracted, those pages are fetched again by the next run.
                self.limiter.stop()
                self.reader.abandon()
            for pool in (listers, fetchers):
                pool.shutdown(wait=not stopping, cancel_futures=True)
            # Stopping, the pages still being extracted are given up (refetched next run).
            self._pool.shutdown(abandon=stopping)
            for pool in (listers, fetchers):  # at once when stopping: their requests are cut
                pool.shutdown(wait=True)
        if stopping:  # a stop asked for once all was done changes nothing
            self.summary.interrupted = self._stop_reason
            log.info("interrupted by %s: stopped early", self._stop_reason)
            return False
        return True

    def _watched(self, future: F) -> F:
        """``future``, which will report to ``_finished`` once it is done."""
        future.add_done_callback(self._finished.put)
        return future

    def _done(self, timeout: float) -> list[Future[Any] | None]:
        """The futures finished since the last call, in the order they finished; waits up to
        ``timeout`` seconds for the first when there is none (0: does not wait)."""
        try:
            first = self._finished.get(block=timeout > 0, timeout=timeout or None)
        except Empty:
            return []
        done = [first]
        while True:
            try:
                done.append(self._finished.get_nowait())
            except Empty:
                return done

    def _backlog(self, *, fetching: bool = True) -> int:
        """How many pages may be in the extraction pool or waiting for it."""
        steady = max(self.options.workers, 1) * PAGES_PER_WORKER
        return max(steady, FETCHED_BACKLOG) if fetching else steady

    def _fill(self, feeders: deque[tuple[Source, Iterator[Work]]]) -> bool:
        """Pull from the sources round-robin until the queues are full or the sources dry,
        or ``FILL_SLICE`` items are taken; True when it stopped at the slice (more to take)."""
        # Each pass takes one item from a finite source, or drops a source, or stops.
        passes = taken = 0
        while feeders and passes < len(feeders):
            if taken >= FILL_SLICE:
                return True
            source, items = feeders[0]
            pages = source.kind in ("warc", "dir")
            if (pages and len(self._extracting) >= self._backlog(fetching=False)) or (
                not pages and self._hosts.size >= self.options.lookahead
            ):
                feeders.rotate(-1)
                passes += 1
                continue
            passes = 0
            try:
                work = next(items, None)
            except NewsarcError as exc:
                self._source_failed(source, str(exc))
                work = None
            if work is None:
                feeders.popleft()
                continue
            feeders.rotate(-1)
            taken += 1
            self._admit(work)
        return False

    def _admit(self, work: Work) -> None:
        if work.error is not None:
            self._book.fail(work, f"{work.url}: {work.error}")
            return
        if work.lead is not None:  # a WARC's redirect or revisit (see ingest_leads)
            self._leads.admit(work)
            return
        if work.gone and not self.options.refresh:  # see ingest_sources.GONE_DAYS
            log.info("%s: gone (404 or 410) when last asked for; skipped", work.url)
            self._book.count(work, "skipped")
            return
        try:
            key = normalize_url(work.url)
        except NewsarcError as exc:
            hint = " (no address found in the file: pass --base-url)" if work.page_source else ""
            self._book.fail(work, f"{exc}{hint}")
            return
        if key in self._seen:
            if not self._newer_capture(key, work):
                self._book.count(work, "skipped")
                return
        elif not self.options.refresh and archived_unchanged(self.db, key, work):
            self._book.count(work, "skipped")
            return
        elif self._since.left_out_before(key, work):
            self.reader.left_out(work.source, "--since")
            self._book.count(work, "skipped")
            return
        self._seen[key] = work.page.fetched_at if work.page is not None else None
        # The workers warm up while the first pages are being fetched.
        self._pool.start()
        if work.page is not None:
            self._extract(work)
        else:
            self._hosts.add(host_of(work.url), work)

    def _newer_capture(self, key: str, work: Work) -> bool:
        """Whether ``work`` is a page of ``key`` captured after the one this run took (a
        WARC holding a page twice): the store keeps the newer text, whichever comes first."""
        from newsarc.sources import is_before

        earlier = self._seen[key]
        return work.page is not None and is_before(earlier, work.page.fetched_at)

    def _listed(
        self, source: Source, future: Future[Listing], feeders: deque[tuple[Source, Iterator[Work]]]
    ) -> None:
        try:
            result = future.result()
        except NewsarcError as exc:
            self._source_failed(source, str(exc))
            return
        except Exception as exc:  # a parser bug on one source must not end the run
            log.exception("%s: reading the source crashed", shown(source.target))
            self._source_failed(source, f"{source.target}: crashed ({type(exc).__name__}: {exc})")
            return
        for url, reason in result.failures:
            self._book.fail(Work(url, source.target), reason)
        if result.unusable:  # entries without a usable link, each said in a warning
            self._book.count(Work(source.target, source.target), "skipped", result.unusable)
        for work in result.gone:  # a 404 or 410 of a past run (see ingest_sources.GONE_DAYS)
            log.info("%s: gone (404 or 410) when last asked for; skipped", work.url)
            self._book.count(work, "skipped")
        feeders.append((source, iter(result.items)))

    def _fetch(self, work: Work) -> Page:
        """In a fetch thread: robots.txt, then the page within the host's politeness."""
        return self.reader.fetch_page(work.url)

    def _fetched(self, work: Work, future: Future[Page]) -> None:
        from newsarc.polite import Cancelled

        host = host_of(work.url)
        self._hosts.done(host)
        try:
            work.page = future.result()
        except Cancelled as exc:  # its host was given up while it waited for its turn
            self._book.fail(work, f"{work.url}: {exc.reason}")
            return
        except Disallowed as exc:
            if exc.unreachable:  # not the site's wish: a failure, retried by the next run
                self._book.fail(work, str(exc))
                return
            log.info("%s: disallowed by robots.txt; skipped (see --ignore-robots)", work.url)
            self._book.disallowed(host_of(exc.url))
            self._book.count(work, "skipped")
            return
        except FetchError as exc:
            self._fetch_failed(host, work, exc)
            return
        except NewsarcError as exc:
            self._book.fail(work, str(exc))
            return
        except Exception as exc:  # a bug in one fetch must not end a months-long batch
            log.exception("%s: fetch crashed", work.url)
            self._book.fail(work, f"{work.url}: fetch crashed ({type(exc).__name__}: {exc})")
            return
        self._trouble.succeeded(host)
        self._extract(work)

    def _fetch_failed(self, host: str, work: Work, exc: FetchError) -> None:
        self._book.fail(work, str(exc), exc.status)
        if exc.status in (404, 410):  # gone: no bar to its source's validators
            self._book.by_source[work.source]["gone"] += 1
        for other, reason in self._trouble.failed(host, exc):
            self._book.fail(other, reason)

    def _extract(self, work: Work) -> None:
        assert work.page is not None
        self._extracting[self._watched(self._pool.submit(job_of(work.page)))] = work

    def _extracted(self, work: Work, future: Future[ExtractResult]) -> None:
        try:
            article, error, bands, raw, shingles = future.result()
        except BrokenProcessPool:
            self._restart_pool(work)
            return
        except Exception as exc:  # a bug in the extractor must not end a months-long batch
            log.exception("%s: extractor crashed", work.url)
            self._book.fail(work, f"{work.url}: extractor crashed ({type(exc).__name__}: {exc})")
            return
        if article is None:
            reason = error or "nothing extracted"
            self._book.fail(work, reason if work.url in reason else f"{work.url}: {reason}")
            return
        if shingles is not None:
            from newsarc.store.stories import remember_shingles

            remember_shingles(article.content_hash, shingles)
        self._store(work, article, bands, raw)

    def _restart_pool(self, work: Work) -> None:
        """A worker died (out of memory, a crash in lxml): retry its page once, then fail it."""
        work.attempts += 1
        if work.attempts > 1:
            self._book.fail(work, f"{work.url}: the extraction worker died on this page")
            return
        if self._pool.broken:
            self._pool.restart()
        self._extract(work)

    def _store(self, work: Work, article: Article, bands: list[str], raw: bytes | None) -> None:
        from newsarc.store import save_and_link

        assert work.page is not None
        if self._since.leaves_out(work, article):
            self.reader.left_out(work.source, "--since")
            self._batch.wrote()
            self._book.count(work, "skipped")
            return
        try:
            dated = listed_date(work)  # the article's date if its page gives none
            self._batch.index_later()
            result = save_and_link(
                self.db, article, work.page, bands, commit=False, raw=raw, default_published=dated
            )
        except sqlite3.Error:  # the run ends (see ``run``): this article is not archived
            self.summary.lost += 1
            raise
        self._batch.wrote(result.status)
        self._book.count(work, result.status)
        self._since.archived(work)
        self._leads.stored(work.page.final_url, result.id)

    # -- bookkeeping ---------------------------------------------------------------------

    def _source_failed(self, source: Source, reason: str) -> None:
        self.summary.sources_failed += 1
        self.reader.errors[source.target] = reason  # its status: the same words every run
        self._book.fail(Work(source.target, source.target), reason + failing_note(source))

    def _maybe_commit(self) -> None:
        if self._batch.due():
            self._batch.commit()
