"""Help, version and data output tolerate a reader that went away (``newsarc --help | true``):
exit 0 and nothing on stderr, as ``newsarc search ... | head`` already did. Run as a real
process writing to a pipe whose reading end is closed before it starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import fixture_path

SRC = Path(__file__).resolve().parent.parent / "src"


def into_closed_pipe(*args: str) -> subprocess.CompletedProcess[bytes]:
    reading, writing = os.pipe()
    os.close(reading)  # every write of the child fails with EPIPE
    env = os.environ | {"PYTHONPATH": str(SRC)}
    try:
        return subprocess.run(
            [sys.executable, "-m", "newsarc", *args],
            stdout=writing,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
            timeout=60,
        )
    finally:
        os.close(writing)


@pytest.mark.parametrize(
    "args",
    [["--help"], ["--version"], ["search", "--help"], ["export", "--help"], ["ingest", "--help"]],
)
def test_help_and_version_into_a_closed_pipe(args: list[str]) -> None:
    done = into_closed_pipe(*args)
    assert (done.returncode, done.stderr) == (0, b"")


def test_data_into_a_closed_pipe(db_path: Path) -> None:
    page = str(fixture_path("pages/german.html"))
    fetched = subprocess.run(
        [sys.executable, "-m", "newsarc", "fetch", page, "--url", "https://example.com/a"],
        capture_output=True,
        env=os.environ | {"PYTHONPATH": str(SRC)},
        check=False,
        timeout=60,
    )
    assert fetched.returncode == 0, fetched.stderr
    for args in (["list"], ["export"], ["export", "--format", "warc"]):
        done = into_closed_pipe(*args, "--db", str(db_path))
        assert (done.returncode, done.stderr) == (0, b""), args


def test_usage_errors_keep_their_code() -> None:
    done = into_closed_pipe("--no-such-option")
    assert done.returncode == 2
    assert b"No such option" in done.stderr
