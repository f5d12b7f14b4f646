"""Waiting for processes to be gone, for the tests that kill or stop them."""

from __future__ import annotations

import time
from collections.abc import Callable


def vanished(probe: Callable[[], object], within: float) -> bool:
    """True once ``probe`` (``os.kill(pid, 0)`` or ``os.killpg(group, 0)``) raises
    ProcessLookupError, checked until ``within`` seconds have passed. An exited process that
    is not reaped yet (a zombie) still counts as there."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            probe()
        except ProcessLookupError:
            return True
        time.sleep(0.02)
    return False
