"""Commands close the archive before the console script exits, so its file alone is complete.

Run through ``python -m newsarc`` (the console script's ``main``, which freezes the heap before
exit: a connection left to the garbage collector would never be closed, and what a command
wrote would stay in ``archive.db-wal``).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import fixture_path

SEED = "pages/seed-aggregator.html"
COMMAND = [sys.executable, "-m", "newsarc"]


def newsarc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *args], capture_output=True, text=True, check=False)


def count_in_copy(db_path: Path, tmp_path: Path) -> int:
    """Articles in a copy of the archive file alone (a backup that leaves out -wal and -shm)."""
    copy = tmp_path / "backup" / "archive.db"
    copy.parent.mkdir()
    shutil.copyfile(db_path, copy)
    with sqlite3.connect(copy) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def test_fetch_leaves_everything_in_the_archive_file(tmp_path: Path, db_path: Path) -> None:
    page = str(fixture_path(SEED))
    done = newsarc("fetch", page, "--url", "https://example.com/a", "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    assert not Path(f"{db_path}-wal").exists()
    assert count_in_copy(db_path, tmp_path) == 1


def test_fetch_checkpoints_while_a_reader_keeps_the_archive_open(
    tmp_path: Path, db_path: Path
) -> None:
    page = str(fixture_path(SEED))
    first = newsarc("fetch", page, "--url", "https://example.com/a", "--db", str(db_path))
    assert first.returncode == 0, first.stderr
    reader = sqlite3.connect(db_path)  # open, so the fetch below is not the last to close
    reader.execute("SELECT count(*) FROM articles").fetchone()
    try:
        other = str(fixture_path("pages/german.html"))
        second = newsarc("fetch", other, "--url", "https://example.com/b", "--db", str(db_path))
        assert second.returncode == 0, second.stderr
        assert count_in_copy(db_path, tmp_path) == 2
    finally:
        reader.close()


def test_reextract_closes_the_archive(db_path: Path) -> None:
    page = str(fixture_path(SEED))
    assert newsarc("fetch", page, "--url", "https://example.com/a").returncode == 0
    done = newsarc("reextract", "--all", "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    assert not Path(f"{db_path}-wal").exists()


def _leave_a_log(db_path: Path) -> None:
    """A writer that dies without closing: its commit stays in the -wal file."""
    code = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "c.execute('UPDATE articles SET section = ?', ('World',))\n"
        "c.commit()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(db_path)], check=True)
    assert Path(f"{db_path}-wal").stat().st_size > 0


def test_reading_commands_close_the_archive(db_path: Path) -> None:
    page = str(fixture_path(SEED))
    assert newsarc("fetch", page, "--url", "https://example.com/a").returncode == 0
    for args in (["search", "Georgia"], ["show", "1"], ["list"], ["stats"], ["export"]):
        _leave_a_log(db_path)
        done = newsarc(*args, "--db", str(db_path))
        assert done.returncode == 0, (args, done.stderr)
        # The last connection to close folds the log into the file and deletes it.
        assert not Path(f"{db_path}-wal").exists(), args
