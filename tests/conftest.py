"""Shared test fixtures: a migrated archive, fixture files, and NEWSARC_DB in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def fixture_path(name: str) -> Path:
    """The path of a file under ``fixtures/`` (it must exist)."""
    path = FIXTURES / name
    assert path.exists(), f"missing fixture {path}"
    return path


@pytest.fixture(autouse=True, scope="session")
def _cache_outside_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The language model's copy (newsarc.langmodel) goes to a folder of this test session,
    for every test and every command a test runs, never to the user's ~/.cache."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSARC_CACHE_DIR", str(folder))
        yield


@pytest.fixture(autouse=True)
def _isolated_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own archive path; nothing touches ./archive.db."""
    path = tmp_path / "archive.db"
    monkeypatch.setenv("NEWSARC_DB", str(path))
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The archive path NEWSARC_DB points at."""
    return tmp_path / "archive.db"


@pytest.fixture
def db(db_path: Path):  # type: ignore[no-untyped-def]
    """A migrated archive under tmp_path."""
    from newsarc.store import open_db

    database = open_db(db_path)
    yield database
    database.close()


@pytest.fixture
def server(httpserver: HTTPServer) -> Iterator[HTTPServer]:
    """The pytest-httpserver server, answering 404 for anything not expected: no robots.txt
    (everything allowed) and no page where a test serves none."""
    httpserver.no_handler_status_code = 404
    yield httpserver
    httpserver.no_handler_status_code = 500
