"""Issue 6 faults, through the real CLI: SIGKILL mid-batch, runs at the same time, old archives.

Every command runs as a subprocess (``python -m newsarc``) against pages served on loopback.
The archive is read from the test with plain read-only sqlite3 connections, which WAL lets
happen while newsarc writes.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import fixture_path
from tests.hostile_site import (
    Run,
    Site,
    Throttle,
    archive_problems,
    archived_urls,
    article_html,
    gated,
    newsarc_command,
    read_only,
    run_newsarc,
    serving,
)

FAST = ["--delay", "0", "--ignore-robots", "--retries", "0", "--timeout", "10"]


def publish(site: Site, prefix: str, numbers: range, throttle: Throttle) -> dict[int, str]:
    """Article ``n`` of ``numbers`` at ``/news/<prefix>-<n>.html``; returns the URLs by n."""
    return {
        n: site.route(
            f"/news/{prefix}-{n}.html",
            gated(article_html(f"{prefix} {prefix}{n}", 10_000 + n).encode(), throttle),
        )
        for n in numbers
    }


def url_file(path: Path, urls: list[str]) -> str:
    path.write_text("\n".join(urls) + "\n", encoding="utf-8")
    return str(path)


def duplicates(db: Path) -> dict[str, int]:
    """Counts that differ from the number of articles when anything is stored twice."""
    with read_only(db) as conn:
        return {
            name: conn.execute(sql).fetchone()[0]
            for name, sql in {
                "articles": "SELECT count(*) FROM articles",
                "urls": "SELECT count(DISTINCT url) FROM articles",
                "bodies": "SELECT count(DISTINCT content_hash) FROM articles",
                "pages": "SELECT count(*) FROM pages",
                "paged articles": "SELECT count(DISTINCT article_id) FROM pages",
            }.items()
        }


def wait_for(condition: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass; whether it held."""
    deadline = time.monotonic() + timeout
    # Bounded by the deadline.
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def session_alive(session: int) -> list[str]:
    """Processes of ``session`` that are still running (zombies excluded), as 'pid cmdline'."""
    alive = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == session and fields[0] != "Z":
            command = cmdline.replace(b"\0", b" ").decode(errors="replace")
            alive.append(f"{entry} {command[:120]}")
    return alive


def kill_session(session: int) -> None:
    """SIGKILL what is left of a session this test started (by pid, one by one)."""
    for line in session_alive(session):
        try:
            os.kill(int(line.split()[0]), signal.SIGKILL)
        except ProcessLookupError:
            pass


# -- crash safety ----------------------------------------------------------------------------

PAGES = 250
KILLS = 4
# One request at a time (--per-host 1), 50 ms each: at most 20 pages a second, about 30 by a
# run's first commit. The quota is a safety net: however fast the machine, no run finishes.
LATENCY = 0.05
PER_RUN = 50


def test_sigkill_at_random_moments_loses_nothing_committed(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    rng = random.Random(6)
    throttle = Throttle(latency=LATENCY)
    with serving("127.0.0.5") as site:
        urls = publish(site, "crash", range(PAGES), throttle)
        listed = list(urls.values())
        # The same pages again, under a tracking parameter or listed twice.
        listed += [f"{urls[n]}?utm_source=feed" for n in range(0, PAGES, 20)]
        listed += [urls[n] for n in range(5, PAGES, 25)]
        rng.shuffle(listed)
        command = newsarc_command(
            "ingest", "--urls", url_file(tmp_path / "urls.txt", listed), "--db", str(db),
            "--per-host", "1", *FAST,
        )  # fmt: skip
        committed: set[str] = set()
        kills = []
        for _ in range(KILLS):
            before = len(archived_urls(db))
            throttle.set(PER_RUN)
            process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                start_new_session=True,
            )  # fmt: skip
            try:
                # Kill at a random moment once the run has got going (after its first
                # commit), anywhere in the ~2 s until its next one.
                assert wait_for(lambda: len(archived_urls(db)) > before, timeout=60)  # noqa: B023
                time.sleep(rng.uniform(0.0, 2.0))
                assert process.poll() is None, "the run ended before it could be killed"
                seen = archived_urls(db)
                process.send_signal(signal.SIGKILL)
                process.communicate(timeout=30)
                committed |= seen
                kills.append(len(seen))
                # The extraction pool and its helpers go with their parent.
                assert wait_for(lambda: not session_alive(process.pid), timeout=15), (  # noqa: B023
                    session_alive(process.pid)
                )
            finally:
                kill_session(process.pid)
                if process.poll() is None:
                    process.kill()
                    process.communicate(timeout=30)
        throttle.set(None, latency=0.0)  # the last run may finish, and quickly
        last = run_newsarc(*command[3:], timeout=180)
    assert last.returncode == 0, last.stderr
    assert KILLS * PER_RUN < PAGES and kills == sorted(kills) and kills[-1] < PAGES, kills
    final = archived_urls(db)
    assert committed <= final, sorted(committed - final)
    assert final == set(urls.values())
    assert set(duplicates(db).values()) == {PAGES}, duplicates(db)
    assert archive_problems(db) == []


# -- runs at the same time -------------------------------------------------------------------


def test_two_ingests_and_searches_at_once(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with serving("127.0.0.6") as site:
        # Slow enough (30 ms a page, two at a time) that the first run outlasts the checks.
        urls = publish(site, "conc", range(180), Throttle(latency=0.03))
        seed = run_newsarc(
            "ingest", "--urls", url_file(tmp_path / "seed.txt", [urls[n] for n in range(3)]),
            "--db", str(db), *FAST,
        )  # fmt: skip
        assert seed.returncode == 0, seed.stderr
        first = url_file(tmp_path / "first.txt", [urls[n] for n in range(120)])
        second = url_file(tmp_path / "second.txt", [urls[n] for n in range(60, 180)])
        lock = Path(f"{db}.lock")
        procs: dict[str, subprocess.Popen[str]] = {}
        searches: list[Run] = []
        try:
            procs["first"] = _start("ingest", "--urls", first, "--db", str(db), "--workers", "1",
                                    *FAST)  # fmt: skip
            assert wait_for(lambda: lock.exists() and lock.read_text().strip() != "", 30)
            # A third run that does not wait is refused at once, with one line.
            refused = run_newsarc("ingest", "--urls", second, "--db", str(db), *FAST)
            procs["second"] = _start("ingest", "--urls", second, "--db", str(db), "--wait", "120",
                                     "--workers", "1", *FAST)  # fmt: skip
            # A single-page fetch writes without the ingest lock: it must queue, not fail.
            procs["fetch"] = _start("fetch", urls[100], "--db", str(db))
            # Bounded: at most 60 searches, and only while a writer is running.
            for _ in range(60):
                if all(p.poll() is not None for p in procs.values()):
                    break
                searches.append(run_newsarc("search", "conc", "--count", "--db", str(db)))
            results = {name: _finish(p) for name, p in procs.items()}
        finally:
            for process in procs.values():
                if process.poll() is None:
                    process.kill()
                    process.communicate(timeout=30)
    assert refused.returncode == 4
    assert re.fullmatch(
        r"Error: another newsarc run \(pid \d+\) is using \S+; try again later or pass "
        r"--wait SECONDS",
        refused.stderr.strip(),
    ), refused.stderr
    for name, (code, stderr) in results.items():
        assert code == 0, f"{name}: {stderr}"
    # The second run waited for the first to finish, then skipped what it had archived.
    assert re.search(r"new 60, updated 0, unchanged 0, skipped 60, failed 0", results["second"][1])
    everything = [stderr for _, stderr in results.values()] + [s.stderr for s in searches]
    assert not any("locked" in text.lower() for text in everything), everything
    assert len(searches) >= 3
    assert all(s.returncode == 0 for s in searches), [s.stderr for s in searches]
    counts = [int(s.stdout) for s in searches]
    assert counts == sorted(counts) and 3 <= counts[0] and counts[-1] <= 180, counts
    assert archived_urls(db) == set(urls.values())
    assert set(duplicates(db).values()) == {180}, duplicates(db)
    assert archive_problems(db) == []


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        newsarc_command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, stderr = process.communicate(timeout=180)
    return process.returncode, stderr


# -- archives made by the first release ------------------------------------------------------

V1_COLUMNS = (
    "id, url, canonical_url, headline, published, section, authors, site, language, "
    "description, word_count, content_hash, fetched_at, first_fetched_at, extractor_version, body"
)


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row the first schema defined, table by table."""
    with read_only(db) as conn:
        return {
            "articles": conn.execute(f"SELECT {V1_COLUMNS} FROM articles ORDER BY id").fetchall(),
            "pages": conn.execute("SELECT * FROM pages ORDER BY id").fetchall(),
            "revisions": conn.execute("SELECT * FROM revisions ORDER BY id").fetchall(),
        }


def migrations(db: Path) -> list[str]:
    with read_only(db) as conn:
        return [
            row[0]
            for row in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'newsarc' ORDER BY id"
            )
        ]


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    """A copy of the archive the first schema wrote (never the fixture itself)."""
    copy = tmp_path / "archive-v1.db"
    shutil.copyfile(fixture_path("archive-v1.db"), copy)
    assert migrations(copy) == ["m001_initial"]
    return copy


def all_migrations() -> list[str]:
    from newsarc.store.connection import MIGRATIONS

    return list(MIGRATIONS)


def test_v1_archive_upgrades_in_place_under_a_reading_command(v1: Path) -> None:
    before = snapshot(v1)
    found = run_newsarc("search", "Georgia border", "--json", "--db", str(v1))
    assert found.returncode == 0, found.stderr
    assert "border-crossing" in found.stdout
    assert migrations(v1) == all_migrations()
    assert snapshot(v1) == before
    # The upgrade indexed the old articles for CJK search and for their addresses.
    cjk = run_newsarc("search", "投票率", "--count", "--db", str(v1))
    assert cjk.returncode == 0 and cjk.stdout.strip() == "1", cjk.stderr
    shown = run_newsarc("list", "--jsonl", "--db", str(v1))
    assert shown.returncode == 0 and len(shown.stdout.splitlines()) == len(before["articles"])
    record = run_newsarc("show", "1", "--json", "--db", str(v1))
    assert record.returncode == 0, record.stderr
    assert json.loads(record.stdout)["subheadings"] == []
    assert archive_problems(v1) == []


def test_v1_archive_upgrades_in_place_under_a_writing_command(v1: Path, tmp_path: Path) -> None:
    before = snapshot(v1)
    saved = tmp_path / "saved.html"
    saved.write_text(article_html("upgrademarker", 77), encoding="utf-8")
    wrote = run_newsarc(
        "fetch", str(saved), "--url", "https://news.example.com/world/2024/05/02/upgrade",
        "--db", str(v1),
    )  # fmt: skip
    assert wrote.returncode == 0, wrote.stderr
    assert migrations(v1) == all_migrations()
    after = snapshot(v1)
    assert after["articles"][: len(before["articles"])] == before["articles"]
    assert len(after["articles"]) == len(before["articles"]) + 1
    assert after["pages"][: len(before["pages"])] == before["pages"]
    assert after["revisions"] == before["revisions"]
    for query in ("upgrademarker", "Müller", "Georgia"):
        hits = run_newsarc("search", query, "--count", "--db", str(v1))
        assert hits.returncode == 0 and hits.stdout.strip() == "1", (query, hits.stderr)
    assert archive_problems(v1) == []


def test_v1_archive_opened_by_two_commands_at_once_upgrades_once(v1: Path) -> None:
    before = snapshot(v1)
    results: list[Run] = []
    threads = [
        threading.Thread(target=lambda a=args: results.append(run_newsarc(*a, "--db", str(v1))))
        for args in (("search", "Bayern", "--count"), ("stats", "--json"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == 2
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    assert migrations(v1) == all_migrations()
    assert snapshot(v1) == before
    assert archive_problems(v1) == []
