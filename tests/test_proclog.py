"""The workers' log records on one shared pipe (``newsarc.proclog``): records of any size from
several processes at once arrive whole and unmixed, and a record a killed worker left
incomplete is dropped without garbling the ones after it."""

from __future__ import annotations

import logging
import os
import pickle
from concurrent.futures import wait

import pytest

from newsarc.ingest_runners import process_context
from newsarc.proclog import FRAME, PAYLOAD, LogRelay, frames, worker_handler
from newsarc.procpool import ProcessPool, worker_number

LOGGER = "newsarc.test.proclog"


def log_through(conn: object) -> None:
    """A worker's initializer: its records go to the relay over ``conn``."""
    root = logging.getLogger()
    root.handlers[:] = [worker_handler(conn)]
    root.setLevel(logging.INFO)


def log_lines(tag: str, count: int, size: int) -> int:
    """Log ``count`` records of ``size`` characters, each naming ``tag``, its number and
    its worker; one of them with a traceback."""
    log = logging.getLogger(LOGGER)
    for n in range(count):
        text = f"{tag}-{n}:" + tag[0] * size
        if n == count // 2:
            try:
                raise ValueError(f"{tag} failed")
            except ValueError:
                log.exception(text)
        else:
            log.warning(text)
    return worker_number()


@pytest.fixture
def relayed(caplog: pytest.LogCaptureFixture):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger=LOGGER)
    relay = LogRelay(process_context())
    yield relay, caplog
    relay.close()


def _messages(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == LOGGER]


def test_records_of_several_workers_arrive_whole_and_unmixed(relayed) -> None:  # type: ignore[no-untyped-def]
    relay, caplog = relayed
    pool = ProcessPool(2, process_context(), initializer=log_through, initargs=(relay.writer,))
    try:
        # Records many frames long, from both workers at the same time.
        jobs = [pool.submit(log_lines, tag, 20, 3 * PAYLOAD + 17) for tag in ("a", "b", "c", "d")]
        done, _ = wait(jobs, timeout=60)
        assert len(done) == 4
        numbers = {job.result() for job in jobs}
    finally:
        pool.shutdown(wait=True)
    assert numbers <= {0, 1}  # each worker knows its place in the pool
    relay.close()  # hands over every record sent, then stops
    records = _messages(caplog)
    assert len(records) == 80
    for tag in "abcd":
        mine = [r.getMessage() for r in records if r.getMessage().startswith(f"{tag}-")]
        expected = [f"{tag}-{n}:" + tag * (3 * PAYLOAD + 17) for n in range(20)]
        # the traceback comes formatted into the message, as a QueueHandler sends it
        expected[10] += "\nTraceback (most recent call last):\n"
        assert [text[: len(want)] for text, want in zip(mine, expected, strict=True)] == expected
        assert mine[10].endswith(f"ValueError: {tag} failed")


def test_a_record_left_incomplete_is_dropped_and_the_next_ones_arrive(relayed) -> None:  # type: ignore[no-untyped-def]
    relay, caplog = relayed
    fd = relay.writer.fileno()

    def record(text: str) -> bytes:
        return pickle.dumps(logging.makeLogRecord({"name": LOGGER, "msg": text, "levelno": 30}))

    killed = frames(4242, record("cut short" + "x" * 2 * PAYLOAD))
    assert len(killed) == 3 and all(len(frame) <= FRAME.size + PAYLOAD for frame in killed)
    for frame in killed[:-1]:  # its writer died before the last frame
        os.write(fd, frame)
    for frame in frames(77, record("from another worker")):
        os.write(fd, frame)
    for frame in frames(4242, record("its pid, reused")):
        os.write(fd, frame)
    relay.close()
    assert [r.getMessage() for r in _messages(caplog)] == [
        "from another worker",
        "its pid, reused",
    ]


def test_frames_fit_an_atomic_pipe_write() -> None:
    assert FRAME.size + PAYLOAD <= getattr(__import__("select"), "PIPE_BUF", 512)
    assert frames(1, b"") == [FRAME.pack(1, 0, 3)]  # first and last at once
    data = bytes(range(256)) * 40
    parts = frames(9, data)
    assert b"".join(part[FRAME.size :] for part in parts) == data
    assert [FRAME.unpack_from(part)[2] for part in parts][:2] == [1, 0]
    assert FRAME.unpack_from(parts[-1])[2] == 2
