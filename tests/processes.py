"""For the tests that kill or stop a real ingest: waiting for processes to be gone, and a
site whose story pages such a run fetches."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from pytest_httpserver import HTTPServer, URIPattern
from werkzeug import Request, Response


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


class _Stories(URIPattern):
    def match(self, uri: str) -> bool:
        return uri.startswith("/story/")


def story_site(answer: Callable[[Request], Response]) -> Iterator[HTTPServer]:
    """A threaded server on 127.0.0.1 answering ``/story/N`` with ``answer`` (404 otherwise,
    so there is no robots.txt); for a pytest fixture to ``yield from``."""
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.no_handler_status_code = 404
    server.expect_request(_Stories()).respond_with_handler(answer)
    server.start()
    yield server
    server.clear()
    server.stop()


def start_ingest(urls: Path, db: Path, *options: str) -> subprocess.Popen[bytes]:
    """``newsarc ingest --urls URLS --db DB OPTIONS`` started in a session of its own (a test
    can signal it and its workers as a group), its output captured and unbuffered."""
    return subprocess.Popen(
        [sys.executable, "-m", "newsarc", "ingest", "--urls", str(urls), "--db", str(db), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )
