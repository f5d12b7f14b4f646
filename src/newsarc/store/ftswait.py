"""A batch's new articles enter the main full-text index once per batch, not one by one.

FTS5 keeps the terms of the rows written in a transaction in memory and writes them out as a
new segment of its index (then merges segments) whenever a savepoint begins: each article a
batch saves is one savepoint (``writes.writing``), and its ``INSERT`` another (a statement
with triggers), so every article became a segment of its own. Over a 2,000-page batch of real
articles that was about 0.2 s of the writer's CPU, in a process whose every CPU second is
taken from the extraction workers. Now a batch writer (``ingest_batch.OpenBatch``) asks for
its new articles to wait (:func:`index_later`), and indexes them all in one statement just
before it commits (:func:`index_waiting`): one segment a batch.

While the open transaction of a batch holds row 0 of ``fts_waiting`` (m020), the insert
trigger lists each new article there instead of indexing it; the update and delete triggers
leave an article that waits out of the index (it is not in it yet), and a deleted one out of
the list. An article is so always either in the index or in the list. The list is emptied in
the transaction that filled it, so a committed archive has none: another program (Datasette,
sqlite-utils) that writes ``articles`` finds the list empty, and its writes are indexed at
once, as before. A run killed before it commits loses its batch, list and all; should a
commit ever leave the list filled (a caller committing on its own), the archive's next
writer indexes it when it opens it (``connection.open_db``). Meanwhile nothing is wrong,
only late: the index holds no entry of an article that waits, and the next list emptied
(the batch writer's next commit) indexes every article in it.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

TABLE = "fts_waiting"
# Row 0 (no article's id: ids start at 1) says that the open transaction's new articles wait.
_BATCH_MARK = 0
_COLUMNS = "headline, body, search_headline, search_body"
_WAITS = f"EXISTS (SELECT 1 FROM {TABLE} WHERE article_id = old.id)"


def create(db: Database) -> None:
    """Migration m020's work: the list of waiting articles, and the triggers that use it
    (the index they keep is m012's, unchanged). Frozen as it shipped."""
    db.execute(f"CREATE TABLE {TABLE} (article_id INTEGER PRIMARY KEY)")
    for trigger in ("articles_ai", "articles_ad", "articles_au"):
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    new = "new.headline, new.body, new.search_headline, new.search_body"
    old = "old.headline, old.body, old.search_headline, old.search_body"
    db.execute(
        f"""CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, {_COLUMNS}) SELECT new.id, {new}
            WHERE NOT EXISTS (SELECT 1 FROM {TABLE});
            INSERT INTO {TABLE}(article_id) SELECT new.id WHERE EXISTS (SELECT 1 FROM {TABLE});
        END"""
    )
    db.execute(
        f"""CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, {_COLUMNS})
            SELECT 'delete', old.id, {old} WHERE NOT {_WAITS};
            DELETE FROM {TABLE} WHERE article_id = old.id;
        END"""
    )
    db.execute(
        f"""CREATE TRIGGER articles_au AFTER UPDATE OF {_COLUMNS} ON articles
        WHEN NOT {_WAITS} BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, {_COLUMNS})
            VALUES ('delete', old.id, {old});
            INSERT INTO articles_fts(rowid, {_COLUMNS}) VALUES (new.id, {new});
        END"""
    )


def index_later(conn: sqlite3.Connection) -> None:
    """Let the articles this transaction inserts from now on wait for :func:`index_waiting`
    (opening the transaction, with the write lock, if none is open). The caller must call
    it before it commits."""
    if not conn.in_transaction:
        conn.execute("BEGIN IMMEDIATE")
    conn.execute(f"INSERT OR IGNORE INTO {TABLE} (article_id) VALUES (?)", [_BATCH_MARK])


def index_waiting(conn: sqlite3.Connection) -> bool:
    """Index the articles that wait, in one statement, and empty the list (the writes that
    follow in this transaction are indexed one by one again); True if any list was there."""
    if conn.execute(f"SELECT 1 FROM {TABLE} LIMIT 1").fetchone() is None:
        return False
    conn.execute(
        f"INSERT INTO articles_fts(rowid, {_COLUMNS}) SELECT id, {_COLUMNS} FROM articles"
        f" WHERE id IN (SELECT article_id FROM {TABLE}) ORDER BY id"
    )
    conn.execute(f"DELETE FROM {TABLE}")
    return True
