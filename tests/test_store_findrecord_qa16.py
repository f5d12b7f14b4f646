"""The writer's lookups for a new article: one statement tells that nothing archived matches
(``matching.find_record``), and a batch marks its transaction's articles as waiting for the
index once (``OpenBatch.index_later``); the records found when something does match are the
same as before."""

from __future__ import annotations

import sqlite_utils

from newsarc import store
from newsarc.ingest_batch import OpenBatch
from tests.test_store_batchwrite import _body, _item, _page


def _traced(db: sqlite_utils.Database, action) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        action()
    finally:
        db.conn.set_trace_callback(None)
    return [s.strip() for s in seen if not s.lstrip().startswith("--")]  # FTS5's own


def _save(db: sqlite_utils.Database, item) -> store.SaveResult:  # type: ignore[no-untyped-def]
    return store.save_and_link(db, item.article, item.page, item.bands, commit=False, raw=item.raw)


def test_a_new_article_is_looked_up_in_one_statement(db: sqlite_utils.Database) -> None:
    _save(db, _item("https://a.example/news/1", _body(1), canonical_url="https://a.example/n/1"))
    item = _item("https://a.example/news/2", _body(2), canonical_url="https://a.example/n/2")
    seen = _traced(db, lambda: _save(db, item))
    lookups = seen[: next(i for i, s in enumerate(seen) if s.startswith("INSERT INTO articles"))]
    assert len([s for s in lookups if s.startswith("SELECT")]) == 1


def test_what_is_archived_is_still_found(db: sqlite_utils.Database) -> None:
    first = _save(db, _item("https://www.b.example/story/", _body(3), headline="Harbour plan"))
    # another spelling of its address, with the same headline: the same page
    again = _save(db, _item("http://b.example/story", _body(4), headline="Harbour plan"))
    assert (again.id, again.copy) == (first.id, False)
    # its canonical link names the record (the text updated since): a copy
    canonical = "https://www.b.example/story/"
    amp = _save(db, _item("https://b.example/amp/1", _body(4), canonical_url=canonical))
    assert (amp.id, amp.copy) == (first.id, True)
    # the same long text and headline at an unrelated address: a copy
    mirror = _save(db, _item("https://c.example/x", _body(4), headline="Harbour plan"))
    assert (mirror.id, mirror.copy) == (first.id, True)
    # an address only known as where a page was asked for (a redirect): not the record's
    page = _page("https://d.example/latest", final="https://d.example/2024/story")
    _save(db, _item("https://d.example/2024/story", _body(5), page=page))
    other = _save(db, _item("https://d.example/latest", _body(6)))
    assert other.status == "new"


def test_a_batch_marks_its_transaction_once(db: sqlite_utils.Database) -> None:
    batch = OpenBatch(db.conn, size=100, seconds=60)

    def three_articles() -> None:
        for n in range(3):
            batch.index_later()
            _save(db, _item(f"https://e.example/{n}", _body(10 + n)))
            batch.wrote("new")

    marks = [s for s in _traced(db, three_articles) if "fts_waiting" in s and "INSERT" in s]
    assert len(marks) == 1
    batch.commit()
    seen = _traced(db, batch.index_later)  # a new transaction: marked again
    assert len([s for s in seen if "fts_waiting" in s and "INSERT" in s]) == 1
    _save(db, _item("https://e.example/9", _body(19)))
    batch.commit()
    db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    assert db.execute("SELECT count(*) FROM fts_waiting").fetchone()[0] == 0
    found = db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'report'")
    assert found.fetchone()[0] == 4
