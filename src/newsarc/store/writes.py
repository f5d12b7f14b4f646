"""Writing to an archive: one atomic write, a batch writer's cache, and a refused write said
as one line.

Kept apart from ``connection`` (opening and upgrading archives): these are what every writer
of the store uses once a connection is open.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsarc.errors import StoreError
from newsarc.store import connection
from newsarc.store.connection import Conn, raw

log = logging.getLogger(__name__)


@contextmanager
def writing(db: Conn, commit: bool = True) -> Iterator[sqlite3.Connection]:
    """One atomic write: everything inside is kept, or nothing is.

    Starts ``BEGIN IMMEDIATE`` when no transaction is open (so the write lock is taken before
    anything is read, and a second writer queues on busy_timeout instead of failing later).
    With ``commit=False`` the transaction stays open for the caller to commit a batch.
    """
    conn = raw(db)
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN IMMEDIATE")
    conn.execute("SAVEPOINT newsarc_write")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK TO newsarc_write")
            conn.execute("RELEASE newsarc_write")
            if began:
                conn.rollback()
        raise
    conn.execute("RELEASE newsarc_write")
    if commit:
        conn.commit()


# Page cache of a batch writer, in KiB (SQLite's default is 2 MiB). FTS5 merging its segments
# and the indexes read back pages written earlier in the run; with the default each such read
# goes back to the WAL file: about a tenth of the writer's CPU on a batch of real articles.
BATCH_CACHE_KIB = 32 * 1024
# SQLite's temp_store value that keeps temporary files in memory.
TEMP_STORE_MEMORY = 2


@contextmanager
def batch_cache(db: Conn) -> Iterator[None]:
    """A larger page cache and in-memory temporary storage for one long run of writes; the
    connection's own settings come back after.

    Each article a batch saves is one savepoint (and each statement with triggers or
    constraints a statement savepoint) inside the batch's transaction; to be able to roll one
    back, SQLite copies every page it changes that existed before into a sub-journal. By
    default that sub-journal spills to a temporary file past 64 KiB, so a batch of 2,000 real
    articles wrote about 420 MB to ``/var/tmp`` in 200,000 ``pwrite`` calls: a quarter of the
    writer's CPU. In memory (``temp_store = MEMORY``) it is emptied when each article's
    savepoint is released, so it holds one article's pages at most.

    Durability is untouched: the sub-journal only serves rolling back a savepoint inside the
    open transaction and is never read after a crash (the WAL is); how many pages the
    connection keeps in memory changes nothing on disk. (Changing temp_store drops the
    connection's temporary tables; newsarc makes none.)
    """
    conn = raw(db)
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    temp_store = conn.execute("PRAGMA temp_store").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-BATCH_CACHE_KIB}")
    conn.execute(f"PRAGMA temp_store = {TEMP_STORE_MEMORY}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
        try:
            conn.execute(f"PRAGMA temp_store = {int(temp_store)}")
        except sqlite3.OperationalError:
            # Refused only inside a transaction when temporary tables exist (a failed batch
            # of a caller that made some): keeping them in memory is harmless.
            log.debug("temp_store left in memory: a transaction is still open")


def write_error(archive: str | Path, exc: sqlite3.Error, done: str = "") -> StoreError:
    """A write that SQLite refused, as one line naming the archive and what to do about it.

    ``done`` (e.g. a batch run's counts: what it committed, and what it lost with the batch
    that was refused) is added to the line. Whatever was committed stays in the archive:
    SQLite rolls back only the transaction that failed, and a batch run skips what is
    archived, so the next run fetches the lost batch again.
    """
    message = str(exc)
    lowered = message.lower()
    if "disk is full" in lowered:
        what = f"cannot write to {archive}: {message}; free some disk space and run again"
    elif "database is locked" in lowered or "database table is locked" in lowered:
        what = (
            f"cannot write to {archive}: another program kept it locked for more than "
            f"{connection.BUSY_TIMEOUT:g} s; close it (or wait for it to finish) and run again"
        )
    elif "readonly" in lowered or "read-only" in lowered:
        what = (
            f"cannot write to {archive}: it is read-only; check the permissions of the file "
            "and of its folder (SQLite writes -wal and -shm files beside it)"
        )
    elif "malformed" in lowered or "not a database" in lowered:
        what = f"cannot write to {archive}: the archive is damaged ({message})"
    else:
        what = f"cannot write to {archive}: {message}"
    kept = "; what was committed is kept, and the next run takes up the rest"
    return StoreError(f"{what}{kept}" + (f" ({done})" if done else ""))
