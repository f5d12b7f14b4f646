"""SIGKILL a real `python -m newsarc ingest` mid-run, twice, then let a third run finish.

Nothing committed may be lost, nothing may be archived twice, the archive must pass
``PRAGMA integrity_check``, and the lock must be free at once for the next run (a process-pool
child inheriting it would make the rerun exit 4).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.processes import start_ingest, story_site, vanished
from tests.test_ingest import article_page

PAGES = 300


def _page(request: Request) -> Response:
    n = int(request.path.rsplit("/", 1)[-1])
    return Response(article_page(3000 + n), content_type="text/html; charset=utf-8")


@pytest.fixture
def site() -> Iterator[HTTPServer]:
    yield from story_site(_page)


def _committed(db: Path) -> dict[str, tuple[int, str]]:
    """url -> (id, content_hash) of every committed article, read by another connection."""
    try:
        with db.open("rb") as file:
            header = file.read(20)
    except FileNotFoundError:
        return {}
    if len(header) < 20 or header[18] != 2:
        # Not in WAL mode yet (file format byte 18): a reader now could keep the run from
        # switching to it.
        return {}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        rows = conn.execute("SELECT url, id, content_hash FROM articles").fetchall()
    except sqlite3.OperationalError:  # the schema is not created yet
        return {}
    finally:
        conn.close()
    return {url: (article_id, digest) for url, article_id, digest in rows}


def _ingest(urls: Path, db: Path, *extra: str) -> subprocess.Popen[bytes]:
    return start_ingest(
        urls, db, "--delay", "0.005", "--per-host", "4", "--concurrency", "4", "--retries", "0",
        *extra,
    )  # fmt: skip


def _kill_when(proc: subprocess.Popen[bytes], db: Path, at_least: int) -> dict:
    """SIGKILL ``proc`` once ``at_least`` articles are committed; return what was committed."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if len(_committed(db)) >= at_least:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    # Its output pipes close only when every process holding them has gone: the extraction
    # workers and the forkserver must follow their killed parent, not linger as orphans.
    proc.communicate(timeout=20)
    left = "processes of the killed run are still alive"
    assert vanished(lambda: os.killpg(proc.pid, 0), within=5.0), left
    committed = _committed(db)
    assert len(committed) >= at_least
    return committed


def test_sigkill_mid_run_loses_nothing_and_the_next_run_resumes(site, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(site.url_for(f"/story/{n}") for n in range(PAGES)) + "\n")
    db = tmp_path / "killed.db"
    before: dict = {}
    groups = []
    try:
        for at_least in (20, 120):
            proc = _ingest(urls, db)
            groups.append(proc.pid)
            committed = _kill_when(proc, db, at_least)
            # Everything committed before an earlier kill is still there, unchanged.
            assert {u: committed[u] for u in before} == before
            before = committed

        final = _ingest(urls, db)  # no --wait: the killed run's lock must be gone
        groups.append(final.pid)
        _, stderr = final.communicate(timeout=120)
        assert final.returncode == 0, stderr.decode()
        summary = stderr.decode().strip().splitlines()[-1]
        assert summary.startswith(f"new {PAGES - len(before)}, ")
        assert f"skipped {len(before)}," in summary
    finally:
        for pid in groups:  # the runs' extraction processes, should any have outlived them
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    after = _committed(db)
    assert len(after) == PAGES
    assert {u: after[u] for u in before} == before
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(DISTINCT url) FROM articles").fetchone()[0] == PAGES
        assert conn.execute("SELECT count(DISTINCT content_hash) FROM articles").fetchone()[0] == (
            PAGES
        )
        fts = conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'story'")
        assert fts.fetchone()[0] == PAGES  # the full-text index kept step with every commit
    finally:
        conn.close()


def _shared_memory_files(group: int) -> set[str]:
    """The files under /dev/shm that the processes of ``group`` map and that still have a
    name: named semaphores (``sem.mp-...``) a SIGKILLed run would leave behind. (Linux.)"""
    named: set[str] = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                if int(stat.read().rsplit(b")", 1)[-1].split()[2]) != group:
                    continue
            with open(f"/proc/{entry}/maps") as maps:
                lines = maps.read().splitlines()
        except (OSError, ValueError):  # gone meanwhile
            continue
        for line in lines:
            fields = line.split(maxsplit=5)
            path = fields[5] if len(fields) == 6 else ""
            if path.startswith("/dev/shm/") and not path.endswith(" (deleted)"):
                named.add(path)
    return named


def test_a_killed_run_leaves_no_semaphores_and_no_warning_on_stderr(site, tmp_path):
    """cron mails whatever a run writes to stderr. A run killed by SIGKILL (an out-of-memory
    kill, a stuck job's ``kill -9``) wrote multiprocessing's "resource_tracker: There appear
    to be 5 leaked semaphore objects to clean up at shutdown": its extraction workers shared
    a Lock, a Value and a Queue, each backed by named semaphores in /dev/shm."""
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(site.url_for(f"/story/{n}") for n in range(PAGES)) + "\n")
    db = tmp_path / "killed.db"
    proc = _ingest(urls, db, "--workers", "2")
    try:
        deadline = time.monotonic() + 60
        while len(_committed(db)) < 20 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)  # pages extracted and committed: the workers are up
        assert proc.poll() is None, "the run finished before it could be killed"
        mapped = _shared_memory_files(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        # Returns once every process holding the run's stderr has gone: the workers, the
        # forkserver and multiprocessing's resource tracker, which warns as it ends.
        _, stderr = proc.communicate(timeout=20)
        assert vanished(lambda: os.killpg(proc.pid, 0), within=5.0)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert len(_committed(db)) >= 20
    assert stderr.decode() == ""
    assert mapped == set()  # nothing in /dev/shm to leave behind
