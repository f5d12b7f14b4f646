"""``modified`` in the archive: migration m015 on an old archive, saving, revisions and
re-extraction."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import sqlite_utils

from newsarc import store
from newsarc.model import Article
from newsarc.store.schema import migrations
from tests.conftest import fixture_path

URL = "https://example.com/news/harbour"
BODY = "The harbour board voted to dredge the eastern channel before the storms. " * 12
PUBLISHED = "2024-03-14T09:30:00+01:00"


def article(**fields: object) -> Article:
    values: dict = {"headline": "Harbour board votes", "body": BODY, "published": PUBLISHED}
    values.update(fields)
    return Article(url=URL, **values)  # type: ignore[arg-type]


def stored(db: sqlite_utils.Database) -> tuple[str | None, str | None]:
    """(published, modified) of the archive's one article, as its row holds them."""
    row = db.execute("SELECT published, modified FROM articles").fetchone()
    return row[0], row[1]


def test_an_archive_of_the_first_release_gets_the_column_in_place(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    shutil.copy(fixture_path("archive-v1.db"), path)
    with sqlite3.connect(path) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM articles ORDER BY id")]
        columns = [row[1] for row in conn.execute("PRAGMA table_info(articles)")]
    assert ids and "modified" not in columns
    conn = store.connect(path, readonly=True)  # a reading command upgrades it
    assert store.pending_migrations(conn) == []
    info = {row[1]: row for row in conn.execute("PRAGMA table_info(articles)")}
    assert info["modified"][2] == "TEXT" and info["modified"][3] == 0  # nullable
    assert [row[0] for row in conn.execute("SELECT modified FROM articles")] == [None] * len(ids)
    old = store.get_article(conn, ids[0])
    assert old is not None and old.modified is None and old.to_dict()["modified"] is None
    conn.close()
    db = store.open_db(path)  # written to afterwards, the value reads back
    saved = store.save_article(db, article(modified="2024-03-14T11:00:00+01:00"))
    again = store.get_article(db, saved.id)
    assert again is not None and again.modified == "2024-03-14T11:00:00+01:00"
    # re-extracted (reextract), an old record gets the value its page gives
    assert store.update_extraction(db, ids[0], replace(old, modified="2024-03-15"))
    assert store.get_article(db, ids[0]).modified == "2024-03-15"  # type: ignore[union-attr]
    db.close()


def test_the_migration_adds_the_column_to_an_archive_with_articles(tmp_path: Path) -> None:
    path = tmp_path / "m014.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m015_modified")
    db.execute("INSERT INTO articles (url, headline, body, published) VALUES (?, ?, ?, ?)",
               [URL, "Harbour board votes", BODY, PUBLISHED])  # fmt: skip
    db.conn.commit()
    db.close()
    db = store.open_db(path)
    assert stored(db) == (PUBLISHED, None)
    db.close()


def test_a_revision_keeps_the_new_modified(db: sqlite_utils.Database) -> None:
    first = store.save_article(db, article(modified="2024-03-14T11:00:00+01:00"))
    assert stored(db) == (PUBLISHED, "2024-03-14T11:00:00+01:00")
    changed = article(body=BODY + "Work starts in June.", modified="2024-03-14T17:40:00+01:00")
    second = store.save_article(db, changed)
    assert (second.id, second.status) == (first.id, "updated")
    assert stored(db) == (PUBLISHED, "2024-03-14T17:40:00+01:00")
    assert len(store.revisions(db, first.id)) == 1
    # the same text with a later update time (a correction of the metadata only) is an update
    third = store.save_article(db, replace(changed, id=None, modified="2024-03-15"))
    assert third.status == "updated" and stored(db)[1] == "2024-03-15"
    assert len(store.revisions(db, first.id)) == 1


def test_a_page_with_a_date_and_no_update_clears_an_older_modified(
    db: sqlite_utils.Database,
) -> None:
    store.save_article(db, article(modified="2024-03-14T11:00:00+01:00"))
    # republished on the 16th: the old update time would now precede the date
    result = store.save_article(db, article(published="2024-03-16T08:00:00+01:00"))
    assert result.status == "updated"
    assert stored(db) == ("2024-03-16T08:00:00+01:00", None)


def test_a_page_without_any_date_leaves_the_record_as_it_was(db: sqlite_utils.Database) -> None:
    store.save_article(db, article(modified="2024-03-14T11:00:00+01:00"))
    assert store.save_article(db, article(published=None)).status == "unchanged"
    assert stored(db) == (PUBLISHED, "2024-03-14T11:00:00+01:00")


def test_reextraction_fills_modified(db: sqlite_utils.Database) -> None:
    saved = store.save_article(db, article())
    assert stored(db) == (PUBLISHED, None)
    assert store.update_extraction(db, saved.id, article(modified="2024-03-14T12:00:00+01:00"))
    assert stored(db) == (PUBLISHED, "2024-03-14T12:00:00+01:00")
    assert not store.update_extraction(db, saved.id, article(modified="2024-03-14T12:00:00+01:00"))


def test_the_record_round_trips_through_its_row() -> None:
    record = article(modified="2024-03-14T12:00:00+01:00", id=3)
    row = record.to_row()
    assert row["modified"] == "2024-03-14T12:00:00+01:00"
    assert Article.from_row(row) == record
    assert list(record.to_dict()).index("modified") == list(record.to_dict()).index("published") + 1
