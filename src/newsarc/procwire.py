"""The messages of ``newsarc.procpool`` on its pipes, and reading and writing them.

A message is a fixed header (the pickle's length, the job's number, how many buffers
follow), the buffers' lengths, the pickle (protocol 5), then the buffers: large bytes objects
travel beside the pickle, written from where they are and read into their own object.

The workers take turns reading the shared job pipe with :class:`PipeLock`, a lock made of a
pipe, not a ``multiprocessing`` Lock: that is a named semaphore, which a run killed by
SIGKILL leaves to multiprocessing's resource tracker, and the tracker then warns about
"leaked semaphore objects" on the run's stderr (which cron mails).
"""

from __future__ import annotations

import os
import pickle
import struct
from typing import Any

# Every message: the pickle's length, the job's number, how many buffers follow the pickle
# (then their lengths, the pickle, the buffers). Job 0: "stop" to a worker, "stopped cleanly"
# from one.
HEADER = struct.Struct("<QQI")
STOP = HEADER.pack(0, 0, 0)
# Bytes objects from this size on travel out of band: written to the pipe from where they
# are and read into their own object, never copied into or out of a pickle (a page is about
# 300 KB; copying it once more cost the parent as much CPU as the executor's threads did).
OUT_OF_BAND = 16 * 1024
PIPE_SIZE = 1 << 20  # bytes: a whole page fits in the pipe, so writes rarely come back partial
IOV_MAX = 512  # buffers per writev call (the OS allows at least 1024)


def grow_pipe(fd: int) -> None:
    """Make the pipe of ``fd`` hold a whole page (Linux; elsewhere the default stays)."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_SIZE)  # type: ignore[attr-defined]
    except (ImportError, AttributeError, OSError):
        pass


def encode(job: int, value: object) -> list[Any]:
    """The message that carries ``value`` as job ``job``: buffers to write in turn."""
    buffers: list[pickle.PickleBuffer] = []
    data = pickle.dumps(detach(value), 5, buffer_callback=buffers.append)
    views = [buffer.raw() for buffer in buffers]
    sizes = struct.pack(f"<{len(views)}Q", *(view.nbytes for view in views))
    return [HEADER.pack(len(data), job, len(views)) + sizes, data, *views]


def detach(value: Any) -> Any:
    """``value`` with its large bytes objects (in tuples, at any depth) marked to travel out
    of band; they unpickle as the very bytes objects the reader made."""
    if type(value) is bytes:
        return pickle.PickleBuffer(value) if len(value) >= OUT_OF_BAND else value
    if type(value) is tuple:
        parts = [detach(part) for part in value]
        if any(new is not old for new, old in zip(parts, value, strict=True)):
            return tuple(parts)
    return value


def receive(fd: int) -> tuple[int, bytes, list[bytes]]:
    """Read one message: its job number, its pickle and the buffers that go with it."""
    size, job, count = HEADER.unpack(read_exactly(fd, HEADER.size))
    if not count:
        return job, read_exactly(fd, size) if size else b"", []
    head = read_exactly(fd, 8 * count + size)
    sizes = struct.unpack_from(f"<{count}Q", head)
    return job, head[8 * count :], [read_exactly(fd, length) for length in sizes]


def read_exactly(fd: int, size: int) -> bytes:
    """Exactly ``size`` bytes from ``fd``; EOFError if it ends first."""
    data = os.read(fd, size)
    if len(data) == size:
        return data
    if not data:
        raise EOFError
    buffer = bytearray(size)
    buffer[: len(data)] = data
    view, got = memoryview(buffer), len(data)
    while got < size:
        count = os.readv(fd, [view[got:]])
        if not count:
            raise EOFError
        got += count
    return bytes(buffer)


class PipeLock:
    """A lock between processes: a pipe holding one byte, the token. Acquiring reads it (and
    waits while another process has it), releasing writes it back.

    Made in the parent, then pickled into each worker (both ends travel as descriptors). A
    process killed while holding it takes the token along, as it would a semaphore's count:
    a pool breaks when a worker dies, and its other workers are ended.
    """

    def __init__(self, context: Any) -> None:
        self._reader, self._writer = context.Pipe(duplex=False)
        os.write(self._writer.fileno(), b"t")

    def __enter__(self) -> None:
        if not os.read(self._reader.fileno(), 1):
            raise EOFError  # cannot happen while this process holds the write end

    def __exit__(self, *exc: object) -> None:
        os.write(self._writer.fileno(), b"t")

    def close(self) -> None:
        """Close this process's ends (the workers hold their own)."""
        self._reader.close()
        self._writer.close()


def write_all(fd: int, parts: list[Any]) -> None:
    """Write all of ``parts`` to the blocking ``fd``."""
    views = [memoryview(part) for part in parts]
    while views:
        written = os.writev(fd, views)
        while views and written >= len(views[0]):
            written -= len(views.pop(0))
        if written:
            views[0] = views[0][written:]


__all__ = [
    "HEADER",
    "IOV_MAX",
    "STOP",
    "PipeLock",
    "encode",
    "grow_pipe",
    "read_exactly",
    "receive",
    "write_all",
]
