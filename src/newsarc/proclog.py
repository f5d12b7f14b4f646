"""The extraction workers' log records, relayed to the parent over one pipe they share.

Not a ``multiprocessing`` Queue: its three locks are named semaphores, which a run killed by
SIGKILL leaves to multiprocessing's resource tracker, and the tracker then warns about
"leaked semaphore objects" on the run's stderr (which cron mails). A pipe needs no lock:
a write of at most ``PIPE_BUF`` bytes to a pipe is atomic, whoever else writes to it. So a
worker cuts each pickled record into frames that small, each tagged with its pid, and the
relay thread in the parent puts a record's frames back together. A worker killed between two
frames of a record leaves an incomplete record, which is dropped, never a torn frame that
would garble the others' records (as a killed worker holding a Queue's lock blocked them).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import pickle
import select
import struct
import threading
from typing import Any

from newsarc.procwire import read_exactly

# Every frame: the writer's pid, the payload's length, flags (first and last of a record).
FRAME = struct.Struct("<IHB")
_FIRST, _LAST = 1, 2
_STOP = FRAME.pack(0, 0, 0)  # from the parent itself: the relay thread ends
# Payload per frame, so that a whole frame is one atomic write (POSIX: PIPE_BUF >= 512).
PAYLOAD = getattr(select, "PIPE_BUF", 512) - FRAME.size


def frames(pid: int, data: bytes) -> list[bytes]:
    """``data`` cut into frames of ``pid``, each small enough to be written atomically."""
    chunks = [data[i : i + PAYLOAD] for i in range(0, len(data), PAYLOAD)] or [b""]
    last = len(chunks) - 1
    return [
        FRAME.pack(pid, len(chunk), (_FIRST if n == 0 else 0) | (_LAST if n == last else 0)) + chunk
        for n, chunk in enumerate(chunks)
    ]


class _PipeWriter:
    """What a worker's ``QueueHandler`` puts its records to: the relay's pipe."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn  # kept: the descriptor closes with it

    def put_nowait(self, record: logging.LogRecord) -> None:
        """Write ``record`` (prepared by the handler: message formatted, no arguments) in
        frames; the handler's lock keeps a record's frames from mixing with another thread's
        of the same process."""
        fd = self._conn.fileno()
        try:
            for frame in frames(os.getpid(), pickle.dumps(record)):
                os.write(fd, frame)  # one atomic write: at most PIPE_BUF bytes, blocking
        except OSError:  # the parent is gone (the worker follows it): nobody to tell
            pass


def worker_handler(conn: Any) -> logging.Handler:
    """In a worker: a handler that sends every record to the relay over ``conn``."""
    return logging.handlers.QueueHandler(_PipeWriter(conn))  # type: ignore[arg-type]


class LogRelay:
    """A thread that hands the workers' log records to this process's loggers.

    ``writer`` is the pipe's write end the workers get (see ``worker_handler``).
    """

    def __init__(self, context: Any) -> None:
        self._reader, self.writer = context.Pipe(duplex=False)
        self._thread = threading.Thread(target=self._run, name="worker-logs", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        """Read frames until the parent's stop frame; hand over each complete record."""
        fd = self._reader.fileno()
        partial: dict[int, list[bytes]] = {}  # the frames so far of a record, by writer
        while True:
            try:
                pid, size, flags = FRAME.unpack(read_exactly(fd, FRAME.size))
                payload = read_exactly(fd, size) if size else b""
            except (EOFError, OSError):
                return
            if not pid:
                return
            if flags & _FIRST:  # a record left incomplete by a killed writer is dropped
                partial[pid] = []
            if pid not in partial:
                continue
            partial[pid].append(payload)
            if flags & _LAST:
                self._handle(b"".join(partial.pop(pid)))

    @staticmethod
    def _handle(data: bytes) -> None:
        """Log one relayed record here, if its logger takes its level."""
        try:
            record = pickle.loads(data)
        except Exception:  # e.g. a class this process cannot import: the record is lost
            logging.getLogger(__name__).debug("a worker's log record could not be read")
            return
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)

    def close(self) -> None:
        """Hand over the records sent so far, then stop."""
        try:
            os.write(self.writer.fileno(), _STOP)
        except OSError:
            pass
        self._thread.join(timeout=5)
        self.writer.close()
        if not self._thread.is_alive():  # else it still reads (from a stuck pipe): leave it
            self._reader.close()


__all__ = ["FRAME", "PAYLOAD", "LogRelay", "frames", "worker_handler"]
