"""The per-page extraction time limit, through the real CLI and on the pool itself.

A page is made slow for certain with the test-only hook ``NEWSARC_TEST_SLOW_EXTRACT``
(``newsarc.ingest_work.slow_page_for_tests``): in "slow" mode it stalls in Python code, which
the worker's own alarm interrupts; in "stuck" mode it waits with SIGALRM blocked, as a long C
call would, so only the parent's hard backstop (killing the worker, or abandoning the
extraction thread) gets the batch going again.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from newsarc.ingest_pool import Extractors
from newsarc.ingest_work import SLOW_PAGE_HOOK, job_of
from newsarc.model import Page
from tests.hostile_site import run_newsarc
from tests.test_ingest import article_page

MARKER = "slow-page-marker"
STALL = 600  # seconds the marked page would take without a limit
BOUND = 90.0  # a run that waited for the marked page would take STALL seconds
BASE = "https://limit.invalid/news/"
GOOD = 15


def saved_pages(folder: Path) -> list[str]:
    """GOOD article pages and one marked page (early, so that others are in flight)."""
    folder.mkdir()
    names = []
    for n in range(GOOD + 1):
        page = article_page(1200 + n)
        if n == 2:
            page = page.replace(b"</body>", f"<!-- {MARKER} --></body>".encode())
        name = f"{n:02d}.html"
        (folder / name).write_bytes(page)
        names.append(name)
    return names


def archive(db: Path) -> tuple[list[str], list[tuple[str, str]]]:
    conn = sqlite3.connect(db)
    try:
        urls = [row[0] for row in conn.execute("SELECT url FROM articles ORDER BY url")]
        failures = list(conn.execute("SELECT url, reason FROM failures"))
    finally:
        conn.close()
    return urls, failures


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("mode", ["slow", "stuck"])
def test_a_slow_page_is_one_failure_and_the_batch_goes_on(tmp_path, workers, mode):
    folder = tmp_path / "saved"
    names = saved_pages(folder)
    db = tmp_path / "limit.db"
    log = tmp_path / "run.log"
    spec = f"{MARKER}:{STALL}" + (":stuck" if mode == "stuck" else "")
    env = dict(os.environ, **{SLOW_PAGE_HOOK: spec, "PYTHONWARNINGS": "ignore"})
    env.pop("NEWSARC_DB", None)
    run = run_newsarc(
        *("ingest", "--dir", str(folder), "--base-url", BASE, "--db", str(db)),
        *("--workers", workers, "--extract-timeout", "2", "--log", str(log)),
        timeout=BOUND + 30,
        env=env,
    )
    slow_url = BASE + names[2]
    assert run.returncode == 3, run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [f"Error: {slow_url}: extraction took longer than 2 s"]
    assert re.search(rf"new {GOOD}, updated 0, unchanged 0, skipped 0, failed 1 in ", run.stderr)
    assert run.seconds < BOUND
    urls, failures = archive(db)
    assert urls == sorted(BASE + name for name in names if name != names[2])  # no duplicate
    assert failures == [(slow_url, f"{slow_url}: extraction took longer than 2 s")]
    killed = "killing its worker" in log.read_text()
    # Only a page stuck outside Python, in a worker process, costs the pool its workers.
    assert killed == (mode == "stuck" and workers == "2")


def page_job(n: int, mark: str = "") -> Any:
    url = f"https://pool.invalid/news/{n}"
    content = article_page(1300 + n)
    if mark:
        content = content.replace(b"</body>", f"<!-- {mark} --></body>".encode())
    headers = {"Content-Type": "text/html; charset=utf-8"}
    return job_of(Page(url, url, 200, headers, content, "2024-05-01T00:00:00Z"))


def extract_all(pool: Extractors, marks: list[str]) -> list[Any]:
    """Submit one page per mark at once; every result, in order."""
    try:
        futures = [pool.submit(page_job(n, mark)) for n, mark in enumerate(marks)]
        return [future.result(timeout=60) for future in futures]
    finally:
        pool.shutdown()


def test_pages_mid_extraction_on_a_killed_pool_are_moved_not_failed(monkeypatch, caplog):
    # Worker A is stuck on page 0 (killed after hard_limit(3) = 6 s); worker B extracts the
    # 2.5 s pages 1-3 one after another, so it is mid-way through page 3 at the kill.
    monkeypatch.setenv(SLOW_PAGE_HOOK, f"{MARKER}:{STALL}:stuck;slow-but-fine:2.5")
    marks = [MARKER, *["slow-but-fine"] * 3, *[""] * 4]
    results = extract_all(Extractors(2, limit=3.0), marks)
    assert results[0] == (
        None,
        "https://pool.invalid/news/0: extraction took longer than 3 s",
        [],
        None,
        None,
    )
    assert [article.url for article, *_ in results[1:]] == [
        f"https://pool.invalid/news/{n}" for n in range(1, 8)
    ]
    kills = [r.getMessage() for r in caplog.records if "killing its worker" in r.getMessage()]
    assert len(kills) == 1
    assert re.search(r"\(\d+ other pages moved, 1 of them mid-extraction\)", kills[0])


def test_with_one_thread_a_stuck_page_is_abandoned_and_the_rest_go_on(monkeypatch):
    monkeypatch.setenv(SLOW_PAGE_HOOK, f"{MARKER}:{STALL}:stuck")
    pool = Extractors(1, limit=2.0)
    pool.start()
    first = pool._runner
    results = extract_all(pool, ["", MARKER, *[""] * 6])
    assert pool._runner is not first  # a new thread took over
    assert [article is None for article, *_ in results] == [n == 1 for n in range(8)]
    assert results[1][1] == "https://pool.invalid/news/1: extraction took longer than 2 s"


def test_a_stuck_page_on_a_retired_pool_is_handled_too(monkeypatch):
    import newsarc.ingest_pool

    monkeypatch.setattr(newsarc.ingest_pool, "RECYCLE_AFTER", 2)  # a new pool every 4 pages
    monkeypatch.setenv(SLOW_PAGE_HOOK, f"{MARKER}:{STALL}:stuck")
    results = extract_all(Extractors(2, limit=2.0), [MARKER, *[""] * 9])
    assert results[0][0] is None and "took longer than 2 s" in str(results[0][1])
    assert all(article is not None for article, *_ in results[1:])
