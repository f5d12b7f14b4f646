"""One ingest run per archive at a time: an exclusive flock on ``<db>.lock``, next to the real file.

``flock`` rather than a pid file because the kernel drops the lock when its holder dies, even
by SIGKILL or a power cut followed by a reboot, so a crashed cron run never leaves a stale lock
that needs a human to delete it. The pid written into the file is only there to name the
holder in the error message; it is never trusted to decide anything.

Notes for callers:
- The lock file is never deleted: unlinking a flock'd file lets two processes each lock a
  different inode of the same name.
- A child made with ``os.fork`` (multiprocessing's default start method on Linux before
  Python 3.14) would share the lock's open file description and so keep the archive locked
  after a SIGKILLed parent, for as long as its orphaned pool workers live. A fork hook closes
  the lock's descriptor in every forked child, which leaves the lock to the parent alone.
- Works on local file systems and on NFS (Linux maps flock to NFS byte-range locks). There is
  no fcntl on Windows: there the run goes on unlocked, with a warning.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from newsarc.errors import InputError, LockedError, StoreError

try:
    import fcntl
except ImportError:  # Windows: see the module docstring
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

# Lock descriptors this process holds, for the fork hook below. Process-wide by nature: a fork
# copies every descriptor, whoever opened it.
_held: set[int] = set()


def _close_in_child() -> None:
    # Only close: LOCK_UN here would release the parent's lock too.
    for fd in _held:
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)

# Polling is how flock waits with a deadline (LOCK_EX without LOCK_NB cannot time out).
_FIRST_POLL = 0.05
_MAX_POLL = 1.0


def lock_path(db_path: str | Path) -> Path:
    """The lock file guarding ``db_path``: its real path with ``.lock`` appended.

    The real path (symlinks resolved, made absolute), so ``--db link.db`` and ``--db real.db``,
    or ``./a.db`` and ``a.db`` from another folder, take the same lock, which sits next to the
    archive itself.
    """
    return Path(f"{os.path.realpath(db_path)}.lock")


class StoppedWaiting(Exception):
    """A stop was asked for (``stopped`` turned true) while waiting for the lock."""


@contextmanager
def ingest_lock(
    db_path: str | Path,
    *,
    wait: float = 0,
    stopped: Callable[[], bool] | None = None,
    hint: str = "pass wait=SECONDS",
) -> Iterator[None]:
    """Hold the archive's ingest lock inside the ``with``; raise LockedError if it is taken.

    ``wait`` is how many seconds to keep trying (0: fail at once); ``stopped``, looked at
    between tries, ends the wait with StoppedWaiting (Ctrl-C or a SIGTERM while a cron run
    queues behind another); ``hint`` ends the LockedError's message, in the caller's terms
    (the CLI says "pass --wait SECONDS"). An in-memory database (``":memory:"``) is private to its
    process, so it needs no lock.
    """
    if not (wait >= 0 and math.isfinite(wait)):
        raise InputError(f"wait must be a finite number of seconds >= 0, not {wait!r}")
    if os.fspath(db_path) == ":memory:":
        yield
        return
    if fcntl is None:
        log.warning("no file locking on this platform: nothing stops two runs on %s", db_path)
        yield
        return
    path = lock_path(db_path)
    try:
        # The archive's folder may not exist yet: opening the archive creates it (store.open_db).
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the folder for {db_path}: {exc.strerror or exc}") from None
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot create the lock file {path}: {exc.strerror or exc}") from None
    try:
        _lock(fd, db_path, wait, stopped, hint)
    except BaseException:
        os.close(fd)
        raise
    owner = os.getpid()
    _held.add(fd)
    try:
        _write_holder(fd)
        yield
    finally:
        # A forked child leaving the block must not touch the descriptor: the fork hook
        # closed it there, and the number may now be another file's.
        if os.getpid() == owner:
            # Blank the pid first, so nobody names a process that no longer holds the lock.
            _clear(fd)
            _held.discard(fd)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _lock(
    fd: int, db_path: str | Path, wait: float, stopped: Callable[[], bool] | None, hint: str
) -> None:
    deadline = time.monotonic() + wait
    poll = _FIRST_POLL
    while True:
        if stopped is not None and stopped():
            raise StoppedWaiting(f"stopped while waiting for {lock_path(db_path)}")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        except OSError as exc:  # e.g. ENOLCK on a file system without locking
            raise StoreError(f"cannot lock {lock_path(db_path)}: {exc.strerror or exc}") from None
        left = deadline - time.monotonic()
        if left <= 0:
            raise LockedError(_message(fd, db_path, wait, hint))
        time.sleep(min(poll, left))
        poll = min(poll * 2, _MAX_POLL)


def _message(fd: int, db_path: str | Path, wait: float, hint: str) -> str:
    holder = _read_holder(fd)
    who = f"another newsarc run (pid {holder})" if holder else "another newsarc run"
    waited = f" (waited {wait:g} s)" if wait > 0 else ""
    longer = f" over {wait:g}" if wait > 0 else ""  # it waited already: a longer wait, then
    return f"{who} is using {os.fspath(db_path)}{waited}; try again later or {hint}{longer}"


def _write_holder(fd: int) -> None:
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    except OSError as exc:
        # The lock holds without the pid; only the error message of a rival run is poorer.
        log.debug("could not write the pid into the lock file: %s", exc)


def _clear(fd: int) -> None:
    try:
        os.ftruncate(fd, 0)
    except OSError as exc:
        log.debug("could not clear the lock file: %s", exc)


def _read_holder(fd: int) -> int | None:
    try:
        text = os.pread(fd, 64, 0).decode("ascii", errors="replace")
    except OSError:
        return None
    first = text.split(maxsplit=1)[:1]
    return int(first[0]) if first and first[0].isdigit() else None
