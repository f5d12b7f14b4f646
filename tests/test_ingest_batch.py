"""The writer's open transaction: when it is due, and what a refused write takes with it."""

from __future__ import annotations

import sqlite3
import time
from collections import Counter

from newsarc.ingest_batch import OpenBatch


def _conn() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    return conn


def test_a_batch_is_due_when_full_or_old() -> None:
    batch = OpenBatch(_conn(), size=3, seconds=3600)
    assert not batch.due()  # an empty batch never is
    batch.wrote("new")
    batch.wrote()
    assert not batch.due()
    batch.wrote("updated")
    assert batch.due()
    batch.commit()
    assert not batch.due()
    old = OpenBatch(_conn(), size=100, seconds=0.01)
    old.wrote()
    time.sleep(0.02)
    assert old.due()


def test_committed_articles_are_not_lost_and_a_rolled_back_batch_is() -> None:
    conn = _conn()
    batch = OpenBatch(conn, size=100, seconds=3600)
    conn.execute("INSERT INTO t VALUES (1)")
    batch.wrote("new")
    batch.commit()
    assert batch.lost() == Counter()
    conn.execute("INSERT INTO t VALUES (2)")
    batch.wrote("new")
    conn.execute("INSERT INTO t VALUES (3)")
    batch.wrote("updated")
    conn.rollback()  # as SQLite does on some refused writes (a full disk, an I/O error)
    batch.refused()
    batch.commit()  # nothing to commit: the batch is gone, and what it held is kept to report
    assert batch.lost() == Counter({"new": 1, "updated": 1})
    assert batch.lost() == Counter()
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (1,)
