"""A batch's new articles enter the main full-text index once per batch (``store.ftswait``,
m020): the index must hold exactly what the per-article triggers gave, through inserts,
re-fetches that change a waiting or an indexed article, deletes, re-extractions, other
programs' writes, and a run killed mid-batch."""

from __future__ import annotations

import copy
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlite_utils

from newsarc import store
from newsarc.ingest_batch import OpenBatch
from newsarc.model import Article
from newsarc.search import search
from newsarc.store.ftswait import TABLE, index_later, index_waiting
from tests.test_store_batchwrite import Item, _body, _item, _items

QUERIES = ["harbour", "bridge school", '"updated report"', "report 7", "東京", "予算", "updated"]


def _write(db: sqlite_utils.Database, items: list[Item], *, batched: bool) -> None:
    """Save ``items`` as the ingest writer does, committing every 7 articles; ``batched``:
    through ``OpenBatch`` with the index written per batch, else one by one."""
    batch = OpenBatch(db.conn, size=7, seconds=60)
    with store.batch_cache(db):
        for item in copy.deepcopy(items):
            if batched:
                batch.index_later()
            store.save_and_link(db, item.article, item.page, item.bands, commit=False, raw=item.raw)
            batch.wrote()
            if batch.due():
                batch.commit() if batched else db.conn.commit()
        batch.commit() if batched else db.conn.commit()


def _index(db: sqlite_utils.Database) -> list[tuple[object, ...]]:
    """Every term instance of the main index, by article URL."""
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab"
        " USING fts5vocab(main, articles_fts, 'instance')"
    )
    return sorted(
        db.execute(
            "SELECT term, (SELECT url FROM articles WHERE id = doc), col, offset FROM temp.vocab"
        ).fetchall()
    )


def _check(db: sqlite_utils.Database) -> None:
    """The index agrees with the rows, and nothing waits."""
    db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    assert db.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] == 0
    indexed = db.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0]
    assert indexed == db.execute("SELECT count(*) FROM articles").fetchone()[0]


def _hits(db: sqlite_utils.Database) -> dict[str, list[tuple[int, str]]]:
    return {q: [(h.id, h.snippet) for h in search(db, q, limit=100)] for q in QUERIES}


@pytest.fixture
def pair(tmp_path: Path) -> tuple[sqlite_utils.Database, sqlite_utils.Database]:
    """The same items (new articles, copies, a re-fetch with a new text in the same batch as
    its first capture, CJK text) written one by one and per batch."""
    items = list(_items())
    one, batched = store.open_db(tmp_path / "one.db"), store.open_db(tmp_path / "batched.db")
    _write(one, items, batched=False)
    _write(batched, items, batched=True)
    return one, batched


def test_the_index_and_the_hits_are_the_same_as_one_by_one(pair) -> None:  # type: ignore[no-untyped-def]
    one, batched = pair
    for db in pair:
        _check(db)
    assert _index(batched) == _index(one)
    assert _hits(batched) == _hits(one)
    assert all(_hits(one).values())


def test_a_refetch_in_the_same_batch_indexes_the_new_text_once(db: sqlite_utils.Database) -> None:
    first = _item("https://news.example.com/a", _body(1), headline="Harbour plan approved")
    again = _item("https://news.example.com/a", _body(1, variant=1), headline="Harbour plan halted")
    again.article.fetched_at = "2024-06-01T00:00:00+00:00"
    _write(db, [first, again], batched=True)
    _check(db)
    assert db.execute("SELECT count(*) FROM revisions").fetchone()[0] == 1
    assert [h.id for h in search(db, "halted")] == [1]
    assert [h.id for h in search(db, "approved")] == []


def test_a_refetch_in_a_later_batch_replaces_the_indexed_text(db: sqlite_utils.Database) -> None:
    _write(
        db,
        [_item("https://news.example.com/a", _body(1), headline="Harbour plan approved")],
        batched=True,
    )
    again = _item("https://news.example.com/a", _body(1, variant=1), headline="Harbour plan halted")
    again.article.fetched_at = "2024-06-01T00:00:00+00:00"
    _write(db, [again, _item("https://news.example.com/b", _body(2))], batched=True)
    _check(db)
    assert [h.id for h in search(db, "halted")] == [1]
    assert [h.id for h in search(db, "approved")] == []


def _delete(conn: sqlite3.Connection, article_id: int) -> None:
    for table in ("pages", "article_urls", "story_bands", "story_copies", "revisions"):
        conn.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])
    conn.execute("DELETE FROM story_copies WHERE story_id = ?", [article_id])
    conn.execute("DELETE FROM articles WHERE id = ?", [article_id])


def test_reextracting_and_deleting_waiting_articles(db: sqlite_utils.Database) -> None:
    conn = db.conn
    index_later(conn)
    for n in range(3):
        item = _item(f"https://news.example.com/{n}", _body(n), headline=f"Story {n} quokka")
        store.save_and_link(db, item.article, item.page, item.bands, commit=False, raw=item.raw)
    # still waiting: a re-extraction changes the text, a delete removes one
    changed = Article(url="https://news.example.com/0", headline="Story 0 zeppelin", body=_body(9))
    assert store.update_extraction(db, 1, changed, commit=False)
    _delete(conn, 2)
    assert [row[0] for row in conn.execute(f"SELECT article_id FROM {TABLE}")] == [0, 1, 3]
    assert index_waiting(conn)
    conn.commit()
    _check(db)
    assert [h.id for h in search(db, "zeppelin")] == [1]
    assert sorted(h.id for h in search(db, "quokka")) == [3]
    # indexed now: the same changes go through the index
    store.update_extraction(
        db, 3, Article(url="https://news.example.com/2", headline="Story 3 gondola", body=_body(8))
    )
    _delete(conn, 1)
    conn.commit()
    _check(db)
    assert [h.id for h in search(db, "gondola")] == [3]
    assert search(db, "zeppelin") == []


def test_another_programs_insert_is_indexed_at_once(
    db_path: Path, db: sqlite_utils.Database
) -> None:
    _write(db, [_item("https://news.example.com/a", _body(1))], batched=True)
    with sqlite3.connect(db_path) as other:
        other.execute(
            "INSERT INTO articles (url, headline, body)"
            " VALUES ('https://x.example/1', 'Kayak race', 'A kayak race.')"
        )
    assert db.execute("SELECT rowid FROM articles_fts('kayak')").fetchall() == [(2,)]
    _check(db)


def test_a_commit_that_skipped_the_index_is_mended_on_open(db_path: Path) -> None:
    db = store.open_db(db_path)
    index_later(db.conn)
    item = _item("https://news.example.com/a", _body(1), headline="Harbour plan approved")
    store.save_and_link(db, item.article, item.page, item.bands, commit=False, raw=item.raw)
    db.conn.commit()  # not through OpenBatch: the article waits, committed
    assert db.execute("SELECT rowid FROM articles_fts('approved')").fetchall() == []
    db.close()
    db = store.open_db(db_path)
    _check(db)
    assert [h.id for h in search(db, "approved")] == [1]
    db.close()


def test_a_commit_of_another_write_delays_the_index_but_never_breaks_it(
    db_path: Path, db: sqlite_utils.Database
) -> None:
    batch = OpenBatch(db.conn, size=100, seconds=60)
    batch.index_later()
    item = _item("https://news.example.com/a", _body(1), headline="Harbour plan approved")
    store.save_and_link(db, item.article, item.page, item.bands, commit=False, raw=item.raw)
    store.add_source(db, "https://news.example.com/feed", "feed")  # commits, list and all
    with sqlite3.connect(db_path) as other:  # committed, listed, not found yet
        assert other.execute(f"SELECT article_id FROM {TABLE}").fetchall() == [(0,), (1,)]
        assert other.execute("SELECT count(*) FROM articles_fts('approved')").fetchone() == (0,)
    batch.commit()  # nothing left open, but the list is emptied all the same
    _check(db)
    assert [h.id for h in search(db, "approved")] == [1]


_KILLED = """
import os, signal, sys
from newsarc import store
from newsarc.ingest_batch import OpenBatch
from tests.test_store_batchwrite import _body, _item
db = store.open_db(sys.argv[1])
batch = OpenBatch(db.conn, size=3, seconds=60)
for n in range(5):
    batch.index_later()
    item = _item(f"https://news.example.com/{n}", _body(n), headline=f"Story {n} harbour")
    store.save_and_link(db, item.article, item.page, item.bands, commit=False, raw=item.raw)
    batch.wrote()
    if batch.due():
        batch.commit()
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_run_killed_mid_batch_leaves_no_article_out_of_the_index(db_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)])}
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_KILLED), str(db_path)], env=env, cwd=root
    )
    assert run.returncode == -signal.SIGKILL
    with sqlite3.connect(db_path) as conn:  # as another program finds it, before newsarc
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
        assert conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] == 0
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        assert conn.execute("SELECT count(*) FROM articles_fts('harbour')").fetchone()[0] == 3
    db = store.open_db(db_path)
    _check(db)
    db.close()


def test_an_archive_of_the_last_release_is_upgraded(tmp_path: Path) -> None:
    from newsarc.store.schema import migrations

    path = tmp_path / "m019.db"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="m020_index_per_batch")
    old.execute(
        "INSERT INTO articles (url, headline, body)"
        " VALUES ('https://x.example/1', 'Kayak race', 'A kayak race.')"
    )
    old.conn.commit()
    old.close()
    db = store.open_db(path)
    _write(db, [_item("https://news.example.com/a", _body(1))], batched=True)
    _check(db)
    assert [h.id for h in search(db, "kayak")] == [1]
    assert [h.id for h in search(db, "harbour")] == [2]
    db.close()
