"""What a cron user meets: one-line errors and the documented exit codes, never a traceback."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsarc.cli import cli
from newsarc.errors import StoreError
from tests.conftest import fixture_path
from tests.test_ingest import article_page


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def warc_of(tmp_path: Path, *numbers: int) -> str:
    """A WARC holding one article page per number (an offline ingest source)."""
    from tests.test_warc import Warc

    warc = Warc(tmp_path / f"pages-{numbers[0]}.warc", gz=False)
    for n in numbers:
        warc.response(f"https://news.example/{n}", article_page(n))
    return str(warc.close())


def test_ingest_creates_the_folder_of_a_new_archive(tmp_path: Path) -> None:
    db = tmp_path / "new" / "folder" / "archive.db"
    result = invoke("ingest", "-q", "--warc", warc_of(tmp_path, 3100), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    assert db.exists() and Path(f"{db}.lock").exists()


def test_a_cron_run_over_an_odd_warc_prints_only_its_failure(tmp_path: Path) -> None:
    # In a real process the CLI's stderr handler is in place: warcio's own notes (one it
    # wrote to sys.stderr, one it logged at WARNING) must not reach it under -q.
    from tests.test_warc import odd_warc, record_offset, targetless_warc

    odd = odd_warc(tmp_path / "odd.warc", [article_page(3200 + n) for n in range(3)])
    targetless, record_id = targetless_warc(tmp_path / "t.warc", gz=False, page=article_page(3203))
    path = tmp_path / "crawl.warc"
    path.write_bytes(odd.read_bytes() + targetless.read_bytes())
    command = [sys.executable, "-m", "newsarc", "ingest", "--warc", str(path), "--workers", "1"]
    error = (
        f"Error: {path} (record at offset {record_offset(path, record_id)}): "
        f"response record {record_id} has no WARC-Target-URI"
    )
    quiet = subprocess.run([*command, "-q"], capture_output=True, text=True, check=False)
    assert (quiet.returncode, quiet.stderr.splitlines()) == (3, [error])
    # Without -q the warning is shown, the INFO note (a repaired URL) is not.
    loud = subprocess.run(
        [*command, "--db", str(tmp_path / "loud.db")], capture_output=True, text=True, check=False
    )
    assert loud.returncode == 3, loud.stderr
    warning, failure, summary = loud.stderr.splitlines()
    assert warning.startswith("WARNING newsarc.sources.warcrecords: ")
    assert "short.html) is not followed by a blank line" in warning
    assert failure == error
    assert summary.startswith("new 4, updated 0, unchanged 0, skipped 0, failed 1 in ")


def one_error_line(result: Any, fragment: str, code: int = 1) -> str:
    assert result.exit_code == code, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert fragment in lines[0], lines[0]
    assert "Traceback" not in result.output
    return str(lines[0])


def counted(line: str) -> dict[str, int]:
    """The counts of a run's summary line, e.g. ``{"new": 3, ..., "lost": 0}``."""
    match = re.search(
        r"new (\d+), updated (\d+), unchanged (\d+), skipped (\d+), failed (\d+)"
        r"(?:, lost (\d+) \(not committed\))? in [\d.]+ s",
        line,
    )
    assert match, line
    names = ("new", "updated", "unchanged", "skipped", "failed", "lost")
    return {name: int(value or 0) for name, value in zip(names, match.groups(), strict=True)}


def archived_whole(path: Path) -> list[int]:
    """The ids of the articles in ``path``, checked to be whole: each with its raw page and its
    index entry, the file sound."""
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [row[0] for row in conn.execute("SELECT id FROM articles ORDER BY id")]
        assert [row[0] for row in conn.execute("SELECT article_id FROM pages ORDER BY 1")] == ids
        assert [row[0] for row in conn.execute("SELECT rowid FROM articles_fts ORDER BY 1")] == ids
    conn.close()
    return ids


def test_a_full_disk_ends_the_run_in_one_line_and_keeps_what_was_committed(
    tmp_path: Path,
) -> None:
    from newsarc.ingest import Ingester, IngestOptions, Source
    from newsarc.store import open_db

    path = tmp_path / "archive.db"
    db = open_db(path)
    try:
        first = Ingester(db, IngestOptions(workers=1)).run([Source("warc", warc_of(tmp_path, 1))])
        assert first.new == 1
        # The archive may not grow by a page: SQLite fails as on a full disk (SQLITE_FULL).
        pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
        db.conn.execute(f"PRAGMA max_page_count = {pages}")
        more = [Source("warc", warc_of(tmp_path, *range(2, 40)))]
        with pytest.raises(StoreError) as failed:
            Ingester(db, IngestOptions(workers=1)).run(more)
    finally:
        db.close()
    message = str(failed.value)
    assert message.startswith(f"cannot write to {path}: database or disk is full; free some")
    assert (
        "what was committed is kept, and the next run takes up the rest (this run: new" in message
    )
    assert "\n" not in message
    # The first run's article is kept, and whatever else was committed (a batch that fit in
    # the file's free pages) is whole, none of the 38 left half-written.
    ids = archived_whole(path)
    assert ids[0] == 1 and len(ids) < 39
    # The line counts what the archive holds; the article whose write was refused is lost.
    counts = counted(message)
    assert counts["new"] == len(ids) - 1
    assert counts["lost"] == 1


# Run the CLI with every file it writes limited to LIMIT bytes (RLIMIT_FSIZE; Python ignores
# SIGXFSZ, so a write past it fails with EFBIG): the archive's write-ahead log cannot take a
# batch, and its commit fails, as on a disk that filled up during the run. py3langid unpacks
# its model into a temporary file: that is done before the limit.
LIMITED_CLI = """\
import resource, sys
from newsarc.langmodel import identifier
identifier()
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), resource.RLIM_INFINITY))
from newsarc.cli import main
sys.argv[1:2] = []
main()
"""


def test_a_batch_the_disk_refuses_at_commit_is_counted_as_lost_not_new(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    assert invoke("ingest", "-q", "--warc", warc_of(tmp_path, 1), "--db", str(path)).exit_code == 0
    assert not Path(f"{path}-wal").exists()  # checkpointed: the next run's log starts empty
    log = tmp_path / "ingest.log"
    command = [sys.executable, "-c", LIMITED_CLI, str(64 * 1024), "ingest", "-q"]
    args = ["--warc", warc_of(tmp_path, *range(2, 40)), "--workers", "1", "--log", str(log)]
    run = subprocess.run(
        [*command, *args, "--db", str(path)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 1, run.stderr
    (line,) = run.stderr.splitlines()
    assert line.startswith(f"Error: cannot write to {path}: "), line
    assert "what was committed is kept, and the next run takes up the rest" in line
    counts = counted(line)
    # The line says what the archive holds: none of the 38 was committed, all are lost.
    new = len(archived_whole(path)) - 1
    assert (counts["new"], counts["updated"], counts["lost"]) == (new, 0, 38 - new)
    assert counts["lost"] > 0
    assert line.removeprefix("Error: ") in log.read_text(encoding="utf-8")
    # The next run, with room to write, takes up what was lost.
    again = invoke("ingest", *args, "--db", str(path))
    assert again.exit_code == 0, again.stderr
    assert counted(again.stderr)["new"] == counts["lost"]
    assert len(archived_whole(path)) == 39


@pytest.fixture
def held_archive(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An archive whose write lock another program holds (the busy timeout cut to 0.2 s)."""
    from newsarc.store import close, open_db

    close(open_db(db_path))
    monkeypatch.setattr("newsarc.store.connection.BUSY_TIMEOUT", 0.2)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield db_path
    other.execute("ROLLBACK")
    other.close()


def test_an_archive_locked_by_another_program_is_one_error_line(
    held_archive: Path, tmp_path: Path
) -> None:
    result = invoke("ingest", "-q", "--warc", warc_of(tmp_path, 5, 6), "--workers", "1")
    line = one_error_line(result, f"cannot write to {held_archive}: another program kept it")
    assert "locked for more than 0.2 s; close it" in line
    assert "(this run: new 0, " in line
    page = str(fixture_path("pages/german.html"))
    fetched = invoke("fetch", page, "--url", "https://example.com/de")
    one_error_line(fetched, f"cannot write to {held_archive}: another program kept it locked")
    added = invoke("sources", "add", "https://example.com/feed.xml")
    one_error_line(added, f"cannot write to {held_archive}: another program kept it locked")


def test_a_read_only_archive_is_named_with_what_to_check(db_path: Path) -> None:
    from newsarc.store import close, open_db, write_error

    close(open_db(db_path))
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA query_only = ON")  # refuses writes as a read-only file does (root
    try:  # would write through file permissions)
        with pytest.raises(sqlite3.OperationalError) as refused:
            conn.execute("INSERT INTO sources (url, kind) VALUES ('x', 'feed')")
    finally:
        conn.close()
    message = str(write_error(db_path, refused.value))
    assert message.startswith(f"cannot write to {db_path}: it is read-only; check the perm")


NUMBERS = ["nan", "inf", "-inf", "1e400", "1e300"]
SECONDS_OPTIONS = ["--delay", "--wait", "--extract-timeout", "--timeout", "--deadline"]


@pytest.mark.parametrize("value", NUMBERS)
@pytest.mark.parametrize("option", [*SECONDS_OPTIONS, "--max-retry-after", "--max-bytes"])
def test_numeric_options_refuse_values_that_are_not_finite(
    option: str, value: str, tmp_path: Path
) -> None:
    urls = tmp_path / "none.txt"
    urls.write_text("")
    result = CliRunner().invoke(cli, ["ingest", "--urls", str(urls), option, value])
    assert result.exit_code == 2, (option, value, result.output)
    assert f"Invalid value for '{option}'" in result.stderr
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("value", ["inf", "1e400", "nan"])
def test_fetch_refuses_a_size_that_is_not_finite(value: str) -> None:
    result = CliRunner().invoke(cli, ["fetch", "https://example.com/a", "--max-bytes", value])
    assert result.exit_code == 2
    assert "Invalid value for '--max-bytes'" in result.stderr


def test_a_year_of_seconds_is_accepted(tmp_path: Path) -> None:
    args = [arg for option in SECONDS_OPTIONS for arg in (option, "31536000")]
    result = invoke("ingest", "-q", "--warc", warc_of(tmp_path, 7), "--workers", "1", *args)
    assert result.exit_code == 0, result.stderr


def test_an_archive_the_user_may_only_read_is_opened_read_only(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, whom permissions never stop: the check that decides is faked, the
    # SQLite modes it picks are real.
    from newsarc.store import close, connection, open_db

    close(open_db(db_path))
    assert connection.reading_modes(db_path) == ["mode=rw"]
    monkeypatch.setattr(connection.os, "access", lambda path, mode: Path(path) != db_path.parent)
    assert connection.reading_modes(db_path) == ["mode=ro", "immutable=1"]
    tried: list[str] = []
    real_open = connection._open

    def refusing_ro(file: Path, *, create: bool, params: str = "") -> sqlite3.Connection:
        tried.append(params)
        if params == "mode=ro":  # as when the -shm file cannot be created either
            raise StoreError(f"cannot open archive {file}: unable to open database file")
        return real_open(file, create=create, params=params)

    monkeypatch.setattr(connection, "_open", refusing_ro)
    result = invoke("list")
    assert result.exit_code == 0, result.stderr
    assert tried == ["mode=ro", "immutable=1"]
    tried.clear()
    result = invoke("sources", "list")  # it only reads, too (it opened the archive to write)
    assert result.exit_code == 0, result.stderr
    assert tried == ["mode=ro", "immutable=1"]
    monkeypatch.setattr(connection, "_open", real_open)
    assert invoke("stats").exit_code == 0
