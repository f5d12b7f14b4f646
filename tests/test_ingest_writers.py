"""Other writers during an ingest: the run keeps no write transaction open while it only waits.

The open batch holds SQLite's write lock, and another writer (``newsarc fetch``, ``sources
add``) waits for it up to its busy timeout. A paced run waiting for slow pages held it 4 s of
every 5 (once 10 s at a stretch), and a ``fetch`` took up to 15.7 s. A run now commits once it
has had nothing to write for ``IDLE_COMMIT`` seconds; a run that extracts pages back to back
(a WARC) still commits in full batches.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from newsarc.ingest_batch import IDLE_COMMIT, OpenBatch
from tests.processes import start_ingest, story_site
from tests.test_ingest import article_page
from tests.test_ingest_kill import _committed

SLOW = 0.4  # seconds each page takes to come


def _slow_page(request: Request) -> Response:
    time.sleep(SLOW)
    n = int(request.path.rsplit("/", 1)[-1])
    return Response(article_page(5000 + n), content_type="text/html; charset=utf-8")


@pytest.fixture
def slow_site() -> Iterator[HTTPServer]:
    yield from story_site(_slow_page)


def test_another_writer_gets_the_lock_at_once_during_a_paced_ingest(slow_site, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(slow_site.url_for(f"/story/{n}") for n in range(40)) + "\n")
    db = tmp_path / "archive.db"
    proc = start_ingest(urls, db, "--delay", "1", "--per-host", "1", "-q")
    waits: list[float] = []
    refused: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while not _committed(db) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)  # the first article is archived: the run is writing
        archived = len(_committed(db))
        assert archived, "the run archived nothing"
        other = sqlite3.connect(db, timeout=2.0, isolation_level=None)
        try:
            # For 6 s of the run, another writer takes the lock 4 times a second.
            until = time.monotonic() + 6
            while time.monotonic() < until and proc.poll() is None:
                started = time.monotonic()
                try:
                    other.execute("BEGIN IMMEDIATE")
                    other.execute("ROLLBACK")
                except sqlite3.OperationalError as exc:  # "database is locked" after 2 s
                    refused.append(str(exc))
                waits.append(time.monotonic() - started)
                time.sleep(0.25)
        finally:
            other.close()
        assert proc.poll() is None, "the run ended before the other writer was done"
        during = len(_committed(db)) - archived
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
        proc.communicate(timeout=60)
    assert during >= 3  # the run kept archiving meanwhile (one page a second)
    assert refused == []
    assert max(waits) < 2.0


def test_a_warc_ingest_still_commits_in_full_batches(db, tmp_path):
    """Extraction results come every few milliseconds: the run is never idle long enough to
    commit early, and 400 pages take about 2 commits of 200 (not one per page)."""
    from newsarc.ingest import Ingester, IngestOptions, Source
    from tests.test_cli_cron import warc_of

    warc = warc_of(tmp_path, *range(6000, 6400))
    ingester = Ingester(db, IngestOptions(workers=2))
    summary = ingester.run([Source("warc", warc)])
    assert summary.new == 400
    # Generous for a loaded machine (a pause of the workers commits early); idle commits
    # before every wait for a result would make it hundreds.
    assert ingester._batch.commits <= 12


class _Clock:
    """A stand-in for ``time.monotonic`` that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_batch_waiting_with_nothing_to_write_commits_once_it_was_idle_for_a_while(
    monkeypatch,
) -> None:
    clock = _Clock()
    monkeypatch.setattr("newsarc.ingest_batch.time.monotonic", clock)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x)")
    batch = OpenBatch(conn, size=200, seconds=2.0)
    assert batch.before_wait(1.0) == 1.0  # nothing open: wait as long as asked
    conn.execute("INSERT INTO t VALUES (1)")
    batch.wrote("new")
    clock.now += 0.03
    # Written a moment ago: not committed yet, but the wait ends when it is due.
    assert batch.before_wait(1.0) == pytest.approx(IDLE_COMMIT - 0.03)
    assert batch.before_wait(0.01) == 0.01
    assert batch.before_wait(0) == 0  # not waiting: nothing done
    assert conn.in_transaction and batch.commits == 0
    clock.now += IDLE_COMMIT
    assert batch.before_wait(1.0) == 1.0  # idle long enough: committed, then waits
    assert not conn.in_transaction and batch.commits == 1
    assert batch.lost() == {}  # the article counts as archived
    conn.execute("INSERT INTO t VALUES (2)")  # a write the batch was not told of
    assert batch.before_wait(1.0) == pytest.approx(IDLE_COMMIT)  # as old as the commit
    clock.now += IDLE_COMMIT
    assert batch.before_wait(1.0) == 1.0
    assert not conn.in_transaction and batch.commits == 2
