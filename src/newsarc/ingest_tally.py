"""What an ingest run counts and reports: the summary, each source's counts, the failures
(shown in the summary and recorded in the archive, in the run's open batch) and the progress
line, at most five times a second.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from newsarc.ingest_batch import OpenBatch
from newsarc.ingest_summary import MAX_SHOWN_FAILURES, Failure, Summary
from newsarc.ingest_work import Work
from newsarc.pathtext import shown

if TYPE_CHECKING:
    from sqlite_utils import Database

# The run's messages, under the logger they have always had (a --log file names it).
log = logging.getLogger("newsarc.ingest")

Progress = Callable[[Summary], None]
_PROGRESS_EVERY = 0.2  # seconds between two progress lines


class Tally:
    """The counts of one run: ``summary`` for the whole run, ``by_source`` for each source
    (what a registered source's last run records)."""

    def __init__(self, db: Database, batch: OpenBatch, progress: Progress | None) -> None:
        self.summary = Summary()
        self.by_source: dict[str, Counter[str]] = {}
        self.started = time.monotonic()  # the run's start, for the progress line's seconds
        self._db = db
        self._batch = batch
        self._progress = progress
        self._last_progress = 0.0
        self._prune_before: int | None = None  # see store.batch.failures_kept_from

    def count(self, work: Work, status: str, number: int = 1) -> None:
        """``number`` items of ``work``'s source ended as ``status`` (a Summary count)."""
        setattr(self.summary, status, getattr(self.summary, status) + number)
        self.by_source.setdefault(work.source, Counter())[status] += number
        if self._progress and time.monotonic() - self._last_progress >= _PROGRESS_EVERY:
            self._last_progress = time.monotonic()
            self.summary.seconds = self._last_progress - self.started
            self._progress(self.summary)

    def fail(self, work: Work, reason: str, status: int | None = None) -> None:
        """``work`` failed: logged, shown in the summary (the first few), recorded in the
        archive with the HTTP ``status`` if there was one (its failures before the last
        ``FAILURE_DAYS`` pruned), and counted."""
        from newsarc.store.batch import failures_kept_from, record_failure

        # A local file's name that is not UTF-8 would reach the log and the database as lone
        # surrogates, which they refuse: said as \xNN escapes instead.
        url, reason, where = shown(work.url), shown(reason), shown(work.source)
        log.info("failed: %s", reason)
        if len(self.summary.failures) < MAX_SHOWN_FAILURES:
            self.summary.failures.append(Failure(url, reason, where))
        if self._prune_before is None:  # once a run: the failures of this run are newer
            self._prune_before = failures_kept_from(self._db)
        record_failure(
            self._db, url, reason, status, where, commit=False, prune_before=self._prune_before
        )
        self._batch.wrote()
        self.count(work, "failed")

    def disallowed(self, host: str) -> None:
        """One more page of ``host`` that its robots.txt kept this run from."""
        self.summary.disallowed[host] = self.summary.disallowed.get(host, 0) + 1

    def say_disallowed(self) -> None:
        """One warning a host for the pages its robots.txt kept this run from: counted as
        skipped alone, they read as archived already."""
        for host, number in sorted(self.summary.disallowed.items()):
            log.warning(
                "%d address%s on %s disallowed by robots.txt, not archived (--ignore-robots "
                "fetches them)",
                number,
                "" if number == 1 else "es",
                host,
            )
