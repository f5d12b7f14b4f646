"""Ctrl-C and SIGTERM during a batch run: a clean stop instead of a dead process.

A terminal sends SIGINT to its whole process group; ``timeout``, systemd and ``kill`` send
SIGTERM. Left alone, SIGINT raises KeyboardInterrupt wherever the main thread happens to be
(and in every extraction worker), and SIGTERM ends the process on the spot: the work since the
last commit is thrown away, no summary is written, and the resource tracker complains about
the semaphores the process never released. While :func:`stop_signals` is active either signal
only asks the run to stop; the run then commits what it has, and the command reports it and
exits with 128 + the signal's number, as a shell reports a process killed by it.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["STOP_SIGNALS", "StopSignals", "stop_signals"]

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopSignals:
    """What :func:`stop_signals` caught: the first stop signal, and who to tell about it."""

    def __init__(self) -> None:
        self.received: int | None = None
        self._listeners: list[Callable[[str], None]] = []

    @property
    def name(self) -> str:
        """The first signal's name (``SIGINT``), or empty."""
        return signal.Signals(self.received).name if self.received is not None else ""

    @property
    def exit_code(self) -> int:
        """128 + the first signal's number (130 for SIGINT, 143 for SIGTERM)."""
        assert self.received is not None
        return 128 + self.received

    def asked(self) -> bool:
        """Whether a stop signal came (a ``stopped`` callback for loops that look between
        steps)."""
        return self.received is not None

    def notify(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(name)`` on every stop signal (at once if one came already).

        It runs in a signal handler, between two bytecodes of the main thread: it must only
        set flags or put on a reentrant queue (``queue.SimpleQueue``), never take a lock.
        """
        self._listeners.append(listener)
        if self.received is not None:
            listener(self.name)

    def handle(self, signum: int, frame: FrameType | None = None) -> None:
        """The signal handler: remember the first signal and tell the listeners."""
        if self.received is None:
            self.received = signum
        for listener in self._listeners:
            listener(self.name)


@contextmanager
def stop_signals() -> Iterator[StopSignals]:
    """SIGINT and SIGTERM, while inside, ask for a stop instead of ending the process.

    Handlers can be set only from the main thread; elsewhere (a caller's thread) the signals
    keep their handlers, and the object never receives anything.
    """
    caught = StopSignals()
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return
    previous = {sig: signal.signal(sig, caught.handle) for sig in STOP_SIGNALS}
    try:
        yield caught
    finally:
        for sig, handler in previous.items():
            # None: a handler not set from Python; the default is the nearest we can restore.
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)
