"""The writer's open transaction in a batch run: when it is committed, and what it holds.

A run commits every ``size`` writes or ``seconds`` seconds, so a kill loses at most one batch
(the next run, skipping what is archived, does it again). The articles written in the open
transaction are counted as archived only once it is committed: if the archive refuses a
write (a full disk, an I/O error), SQLite may roll the whole transaction back, and those
articles are reported as lost, not as new or updated.

A run also commits once it has had nothing to write for ``IDLE_COMMIT`` seconds (see
``before_wait``). The open transaction holds SQLite's write lock, and every other writer (a
``newsarc fetch``, ``sources add``) waits for it, up to its 30 s busy timeout: a paced run
(``--delay 1 --per-host 1``) waiting for slow pages held it 4 s of every 5, and a ``fetch``
took 5.7-15.7 s instead of 0.44 s.
"""

from __future__ import annotations

import sqlite3
import time
from collections import Counter

from newsarc.store.ftswait import index_later, index_waiting

# Seconds without a write after which a waiting run commits. Short, so that another writer
# hardly waits; long next to the gaps between the results of a run that extracts pages back to
# back (a WARC, a folder: a few milliseconds), which so still commits in full batches.
IDLE_COMMIT = 0.1


class OpenBatch:
    """The writes since the last commit on ``conn``."""

    def __init__(self, conn: sqlite3.Connection, *, size: int, seconds: float) -> None:
        self._conn = conn
        self._size = size
        self._seconds = seconds
        self._writes = 0
        self._articles: Counter[str] = Counter()  # the statuses of the articles written
        self._refused = False
        self._last_commit = self._last_write = time.monotonic()
        self.commits = 0  # how many times the run committed a transaction
        self._index_waits = False  # the open transaction's new articles wait for the commit

    def wrote(self, status: str | None = None) -> None:
        """One write done in the transaction; ``status`` is an article's ("new", "updated",
        "unchanged"), counted as archived once the batch is committed."""
        self._writes += 1
        self._last_write = time.monotonic()
        if status is not None:
            self._articles[status] += 1

    def index_later(self) -> None:
        """The articles saved next enter the full-text index when the batch is committed,
        all in one statement (``store.ftswait``), not one by one."""
        # One statement a transaction, not one an article: the mark stays until the commit
        # empties the list (should it ever be missing, articles are indexed at once, as before).
        if not (self._index_waits and self._conn.in_transaction):
            index_later(self._conn)
            self._index_waits = True

    def due(self) -> bool:
        """Whether the batch is full or old enough to be committed."""
        return self._writes >= self._size or (
            self._writes > 0 and time.monotonic() - self._last_commit >= self._seconds
        )

    def before_wait(self, timeout: float) -> float:
        """How long a run about to wait up to ``timeout`` seconds for work should wait.

        With a transaction open and nothing written for ``IDLE_COMMIT`` seconds, it is
        committed first: the run has nothing to write meanwhile, and other writers get the
        lock. Until then the wait is cut short, so that the run wakes up to commit on time.
        """
        if timeout <= 0 or not self._conn.in_transaction:
            return timeout
        # A write not counted by ``wrote`` (none is made today) is as old as the transaction.
        quiet = time.monotonic() - max(self._last_write, self._last_commit)
        if quiet >= IDLE_COMMIT:
            self.commit()
            return timeout
        return min(timeout, IDLE_COMMIT - quiet)

    def refused(self) -> None:
        """The archive refused a write: the run is ending, and the batch may be gone."""
        self._refused = True

    def commit(self) -> None:
        """Commit the batch; only then are its articles archived for good."""
        if self._index_waits and not self._refused:
            index_waiting(self._conn)
        if self._conn.in_transaction:
            self._conn.commit()
            self.commits += 1
        elif self._refused and self._articles:
            # SQLite rolled the whole transaction back with the write it refused: the
            # batch is gone, and ``lost`` tells what it held.
            return
        self._articles.clear()
        self._writes = 0
        self._index_waits = False
        self._last_commit = time.monotonic()

    def lost(self) -> Counter[str]:
        """The statuses of the articles written since the last commit, which a refused
        write took with it; the batch is empty afterwards."""
        articles, self._articles = self._articles, Counter()
        return articles
