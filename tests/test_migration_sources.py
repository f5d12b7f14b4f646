"""Migration m008: ``sources`` rebuilt with AUTOINCREMENT, so that a removed source's id is
never given to another; every row and id of an older archive is kept."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from newsarc import store
from newsarc.store.schema import _SOURCE_COLUMNS, migrations
from tests.conftest import fixture_path


def old_archive(path: Path) -> list[tuple[object, ...]]:
    """An archive as the release before m008 left it: four sources registered, the second
    and the newest removed, one with a run and validators recorded. Returns its rows."""
    db = Database(path)
    migrations.apply(db, stop_before="m008_source_ids_never_reused")
    for n in range(1, 5):
        store.add_source(db, f"https://s{n}.example/feed.xml", "feed")
    db.execute(  # as that release stored them (update_source_run and update_source_validators
        # know the columns of m011 and m017)
        "UPDATE sources SET last_run_at = ?, last_status = ?, last_found = ?, counts = ?,"
        " etag = ?, last_modified = ? WHERE url = ?",
        [
            "2024-07-02T10:00:00+00:00",
            "ok",
            7,
            '{"runs": 1, "found": 7, "new": 5}',
            '"e3"',
            "Tue, 02 Jul 2024",
            "https://s3.example/feed.xml",
        ],
    )
    db.conn.commit()
    store.remove_source(db, 2)
    store.remove_source(db, 4)
    rows = db.execute("SELECT * FROM sources ORDER BY id").fetchall()
    db.close()
    return rows


def table_sql(conn: sqlite3.Connection, name: str) -> str:
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [name]).fetchone()
    return str(row[0]) if row else ""


def test_upgrade_keeps_every_source_and_id_and_never_reuses_one(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    before = old_archive(path)
    assert [row[0] for row in before] == [1, 3]
    assert before[1][7] == '"e3"'
    # Why the migration exists: before it, the newest id removed is given again.
    unmigrated = tmp_path / "unmigrated.db"
    shutil.copy(path, unmigrated)
    with sqlite3.connect(unmigrated) as conn:
        store.remove_source(conn, 3)
        assert store.add_source(conn, "https://new.example/feed.xml", "feed") == 2
    db = store.open_db(path)
    assert store.pending_migrations(db) == []
    assert "AUTOINCREMENT" in table_sql(db.conn, "sources")
    columns = ", ".join(f'"{name}"' for name in _SOURCE_COLUMNS)
    after = db.execute(f"SELECT {columns} FROM sources ORDER BY id").fetchall()
    # every row and column kept, but the validators, which m011 forgets (see its docstring)
    assert after == [(*row[:7], None, None, *row[9:]) for row in before]
    kept = store.get_source(db, 3)
    assert kept is not None
    assert (kept["last_status"], kept["last_found"], kept["etag"]) == ("ok", 7, None)
    assert kept["counts"] == {"runs": 1, "found": 7, "new": 5}
    # the unique address index came back: a known address keeps its id
    assert store.add_source(db, "https://s1.example/feed.xml", "sitemap") == 1
    assert db.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'sources'"
                      " AND type = 'index'").fetchall() == [("idx_sources_url",)]  # fmt: skip
    # the newest source still there (3) is removed: its id is not given again
    store.remove_source(db, 3)
    assert store.add_source(db, "https://new.example/feed.xml", "feed") == 4
    db.close()


def test_the_first_archive_upgrades_with_a_sources_table_that_never_reuses_ids(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v1.db"
    shutil.copy(fixture_path("archive-v1.db"), path)
    db = store.open_db(path)
    assert "AUTOINCREMENT" in table_sql(db.conn, "sources")
    assert store.add_source(db, "https://a.example/feed.xml", "feed") == 1
    assert store.add_source(db, "https://b.example/feed.xml", "feed") == 2
    store.remove_source(db, 2)
    assert store.add_source(db, "https://c.example/feed.xml", "feed") == 3
    db.close()


def test_an_upgrade_that_rereads_a_large_archive_says_so_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from newsarc.store import connection

    small = tmp_path / "small.db"
    shutil.copy(fixture_path("archive-v1.db"), small)
    with caplog.at_level(logging.WARNING, logger="newsarc"):
        store.connect(small, readonly=True).close()
    assert not caplog.records  # a few articles: nothing to warn about
    monkeypatch.setattr(connection, "_LARGE_ARCHIVE", 1)  # as if it held thousands
    large = tmp_path / "large.db"
    shutil.copy(fixture_path("archive-v1.db"), large)
    with caplog.at_level(logging.WARNING, logger="newsarc"):
        store.connect(large, readonly=True).close()
    [warning] = caplog.records
    assert "upgrading the archive for this version of newsarc" in warning.getMessage()
    with caplog.at_level(logging.WARNING, logger="newsarc"):
        store.connect(large, readonly=True).close()  # upgraded: not again
    assert len(caplog.records) == 1
