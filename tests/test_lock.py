"""ingest_lock between real processes: fail fast, wait, and survive a SIGKILLed holder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsarc.errors import EXIT_LOCKED, InputError, LockedError, StoreError
from newsarc.lock import ingest_lock, lock_path

JOIN = 30.0

# Takes the lock, says so, releases it when told to, says so, then waits for stdin to close.
HOLDER = """
import sys
from newsarc.lock import ingest_lock
with ingest_lock(sys.argv[1]):
    print("locked", flush=True)
    sys.stdin.readline()
print("released", flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def holder(db_path: Path) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "locked\n"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=JOIN)


def test_second_process_fails_at_once_naming_the_holder(
    db_path: Path, holder: subprocess.Popen[str]
) -> None:
    with pytest.raises(LockedError) as info, ingest_lock(db_path):
        pytest.fail("got a lock another process holds")
    message = str(info.value)
    assert message == (
        f"another newsarc run (pid {holder.pid}) is using {db_path}; "
        "try again later or pass wait=SECONDS"  # the library's terms; the CLI's: --wait
    )
    assert info.value.exit_code == EXIT_LOCKED


def test_short_wait_still_fails_and_says_it_waited(
    db_path: Path, holder: subprocess.Popen[str]
) -> None:
    with pytest.raises(LockedError, match=r"\(waited 0.2 s\); try again later"):
        with ingest_lock(db_path, wait=0.2):
            pytest.fail("got a lock another process holds")


def test_waiting_run_gets_the_lock_once_the_holder_releases(
    db_path: Path, holder: subprocess.Popen[str]
) -> None:
    assert holder.stdin is not None and holder.stdout is not None
    stdin = holder.stdin

    def release() -> None:
        stdin.write("release\n")
        stdin.flush()

    timer = threading.Timer(0.3, release)
    timer.start()
    try:
        with ingest_lock(db_path, wait=JOIN):
            # We only got here after the holder left its lock.
            assert holder.stdout.readline() == "released\n"
            assert lock_path(db_path).read_text() == f"{os.getpid()}\n"
    finally:
        timer.cancel()


def test_sigkilled_holder_releases_the_lock(db_path: Path, holder: subprocess.Popen[str]) -> None:
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(JOIN)
    assert lock_path(db_path).read_text() == f"{holder.pid}\n"  # stale pid left behind ...
    with ingest_lock(db_path):  # ... but the kernel dropped the lock
        assert lock_path(db_path).read_text() == f"{os.getpid()}\n"


FORKING_HOLDER = """
import os, sys, time
from newsarc.lock import ingest_lock
with ingest_lock(sys.argv[1]):
    child = os.fork()  # what a fork-started process pool does
    if child == 0:
        # The fork hooks have run once fork() returns here; say so, or on a loaded machine
        # the test could go on before the child ever ran (still holding the descriptor).
        os.write(1, b"child ready\\n")  # one write each: the two lines cannot interleave
        time.sleep(60)
        os._exit(0)
    os.write(1, f"{child}\\n".encode())
    sys.stdin.readline()
"""


def test_forked_child_does_not_keep_the_lock_of_a_killed_parent(db_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", FORKING_HOLDER, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    lines = {parent.stdout.readline().strip() for _ in range(2)}  # in either order
    assert "child ready" in lines
    child = int((lines - {"child ready"}).pop())
    try:
        with pytest.raises(LockedError), ingest_lock(db_path):
            pytest.fail("the parent still holds the lock")
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(JOIN)
        os.kill(child, 0)  # the orphaned child is still alive ...
        with ingest_lock(db_path):  # ... and does not hold the lock
            pass
    finally:
        os.kill(child, signal.SIGKILL)  # first: it holds the parent's stdout open
        if parent.poll() is None:
            parent.kill()
        parent.communicate(timeout=JOIN)


def test_lock_file_is_kept_and_blanked_after_release(db_path: Path) -> None:
    with ingest_lock(db_path):
        assert lock_path(db_path).read_text() == f"{os.getpid()}\n"
    assert lock_path(db_path).exists()
    assert lock_path(db_path).read_text() == ""
    with ingest_lock(db_path):  # and it can be taken again
        pass


def test_nested_lock_in_one_process_is_refused(db_path: Path) -> None:
    with ingest_lock(db_path):
        with pytest.raises(LockedError, match=rf"\(pid {os.getpid()}\)"):
            with ingest_lock(db_path):
                pytest.fail("flock must be exclusive per open file, even in one process")


def test_lock_is_released_when_the_body_raises(db_path: Path) -> None:
    with pytest.raises(RuntimeError), ingest_lock(db_path):
        raise RuntimeError("ingest failed")
    with ingest_lock(db_path):
        pass


def test_other_archives_are_not_locked(tmp_path: Path, db_path: Path) -> None:
    with ingest_lock(db_path), ingest_lock(tmp_path / "other.db"):
        assert lock_path(tmp_path / "other.db").exists()


def test_lock_path_appends_lock_to_the_real_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path.resolve()
    assert lock_path(tmp_path / "a.db") == real / "a.db.lock"
    monkeypatch.chdir(tmp_path)
    assert lock_path("archive.db") == real / "archive.db.lock"
    assert lock_path("./sub/../archive.db") == real / "archive.db.lock"
    (tmp_path / "real.db").touch()
    (tmp_path / "link.db").symlink_to("real.db")
    assert lock_path("link.db") == real / "real.db.lock"
    (tmp_path / "folder").mkdir()
    (tmp_path / "linked").symlink_to("folder")
    assert lock_path("linked/x.db") == real / "folder" / "x.db.lock"


def test_a_symlink_and_its_target_share_the_lock(tmp_path: Path) -> None:
    real = tmp_path / "real.db"
    real.touch()
    link = tmp_path / "link.db"
    link.symlink_to(real)
    with ingest_lock(real):
        with pytest.raises(LockedError, match="link.db"):
            with ingest_lock(link):
                pytest.fail("two runs on one archive through a symlink")
    assert not (tmp_path / "link.db.lock").exists()


def test_memory_database_needs_no_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with ingest_lock(":memory:"), ingest_lock(":memory:"):
        pass
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_created_as_opening_the_archive_would(tmp_path: Path) -> None:
    with ingest_lock(tmp_path / "no" / "such" / "dir" / "a.db"):
        assert (tmp_path / "no" / "such" / "dir" / "a.db.lock").exists()


def test_folder_that_cannot_be_made_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create the folder for .*a.db: Not a directory"):
        with ingest_lock(tmp_path / "file" / "sub" / "a.db"):
            pytest.fail("locked a file under a regular file")


@pytest.mark.parametrize("wait", [-1, float("nan"), float("inf")])
def test_bad_wait_is_an_input_error(db_path: Path, wait: float) -> None:
    with pytest.raises(InputError), ingest_lock(db_path, wait=wait):
        pytest.fail("accepted a bad --wait")
