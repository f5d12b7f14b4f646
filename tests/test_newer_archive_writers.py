"""Writers refuse an archive a newer newsarc has upgraded (readers only warn): one Error line,
exit 1, nothing fetched and nothing written."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from newsarc.cli import cli
from newsarc.errors import StoreError
from tests.conftest import fixture_path

PAGE = "pages/german.html"
FUTURE = "m999_from_the_future"


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def upgraded_by_a_newer_version(db_path: Path) -> str:
    """An archive with one article, then marked as upgraded by a newer newsarc; returns a
    digest of its file."""
    result = invoke("fetch", str(fixture_path(PAGE)), "--url", "https://example.com/a")
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES ('newsarc', ?, '2030-01-01')",
            [FUTURE],
        )
    conn.close()
    return digest(db_path)


def digest(db_path: Path) -> str:
    return hashlib.sha256(db_path.read_bytes()).hexdigest()


def assert_refused(result: Any, db_path: Path) -> None:
    assert result.exit_code == 1, (result.exit_code, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"Error: {db_path} was upgraded by a newer newsarc ({FUTURE}); this version does not"
        " write to it, which could damage what the newer one keeps: upgrade newsarc (reading"
        " commands still work)"
    ]


@pytest.mark.parametrize("targets", [1, 3])
def test_fetch_refuses_before_fetching_anything(
    db_path: Path, server: HTTPServer, targets: int
) -> None:
    before = upgraded_by_a_newer_version(db_path)
    server.expect_request("/story").respond_with_data(
        fixture_path(PAGE).read_bytes(), content_type="text/html"
    )
    urls = [server.url_for("/story") + f"?n={n}" for n in range(targets)]
    assert_refused(invoke("fetch", *urls), db_path)
    assert server.log == []  # not even robots.txt
    assert digest(db_path) == before


def test_fetch_of_a_saved_page_refuses(db_path: Path) -> None:
    before = upgraded_by_a_newer_version(db_path)
    result = invoke("fetch", str(fixture_path(PAGE)), "--url", "https://example.com/b")
    assert_refused(result, db_path)
    assert digest(db_path) == before


def test_ingest_reextract_and_sources_refuse(db_path: Path, tmp_path: Path) -> None:
    before = upgraded_by_a_newer_version(db_path)
    urls = tmp_path / "urls.txt"
    urls.write_text("https://example.com/c\n")
    assert_refused(invoke("ingest", "--urls", str(urls)), db_path)
    assert_refused(invoke("ingest", "--urls", str(urls), "-q"), db_path)
    assert_refused(invoke("reextract", "--all"), db_path)
    assert_refused(invoke("sources", "add", "https://example.com/feed.xml"), db_path)
    assert digest(db_path) == before
    assert invoke("list").exit_code == 0  # reading still works (with its warning)


def test_open_db_refuses_and_check_writable_says_so(db_path: Path) -> None:
    from newsarc.store import check_writable, open_db

    upgraded_by_a_newer_version(db_path)
    with pytest.raises(StoreError, match="upgraded by a newer newsarc"):
        open_db(db_path)
    with pytest.raises(StoreError, match="upgraded by a newer newsarc"):
        check_writable(db_path)


def test_check_writable_leaves_other_archives_to_open_db(tmp_path: Path) -> None:
    from newsarc.store import check_writable

    check_writable(tmp_path / "missing.db")
    (tmp_path / "empty.db").write_bytes(b"")
    check_writable(tmp_path / "empty.db")
    (tmp_path / "text.db").write_text("not a database")
    check_writable(tmp_path / "text.db")
    check_writable(tmp_path)
