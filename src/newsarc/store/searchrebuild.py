"""Migration m012's work: both full-text indexes made again, with the search forms of
``newsarc.store.searchforms`` and the tokenizers of ``newsarc.store.tokenizers``.

Frozen as it shipped, as ``newsarc.store.initial`` is for m001; ``newsarc.store.schema``
registers it in order (its docstring says what the migration changed).
"""

from __future__ import annotations

from sqlite_utils import Database

from newsarc.store.cjk import has_cjk, index_text
from newsarc.store.initial import RANK
from newsarc.store.searchforms import search_form
from newsarc.store.tokenizers import CJK_TOKENIZER, MAIN_TOKENIZER

# The same for articles_fts since m012: headline, body, search_headline, search_body.
MAIN_RANK = "bm25(10.0, 1.0, 10.0, 1.0)"
_BATCH = 500  # articles per query: well under SQLite's limit on bound parameters


def rebuild(db: Database) -> None:
    """Drop and make again ``articles_fts`` and ``articles_cjk`` and their triggers, adding
    the search forms of every archived article."""
    for trigger in ("articles_ai", "articles_ad", "articles_au"):
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    db.execute("DROP TABLE IF EXISTS articles_fts")
    db.execute("DROP TABLE IF EXISTS articles_cjk")
    articles = db.table("articles")
    articles.add_column("search_headline", str, not_null_default="")
    articles.add_column("search_body", str, not_null_default="")
    db.execute(
        f"""CREATE VIRTUAL TABLE articles_cjk USING FTS5(
            headline, body, content='', tokenize="{CJK_TOKENIZER}")"""
    )
    db.execute(f"INSERT INTO articles_cjk(articles_cjk, rank) VALUES ('rank', '{RANK}')")
    last = 0
    while True:
        rows = db.execute(
            "SELECT id, headline, body FROM articles WHERE id > ? ORDER BY id LIMIT ?",
            [last, _BATCH],
        ).fetchall()
        if not rows:
            break
        last = rows[-1][0]
        forms = [(search_form(h), search_form(b), i) for i, h, b in rows]
        db.conn.executemany(
            "UPDATE articles SET search_headline = ?, search_body = ? WHERE id = ?",
            [form for form in forms if form[0] or form[1]],
        )
        db.conn.executemany(
            "INSERT INTO articles_cjk(rowid, headline, body) VALUES (?, ?, ?)",
            [(i, index_text(h), index_text(b)) for i, h, b in rows if has_cjk(h) or has_cjk(b)],
        )
    # External content (content="articles") is what `datasette` and sqlite-utils'
    # detect_fts() look for; the update trigger fires only when the indexed text changes.
    db.execute(
        f"""CREATE VIRTUAL TABLE articles_fts USING FTS5(
            headline, body, search_headline, search_body, content="articles", content_rowid="id",
            tokenize="{MAIN_TOKENIZER}")"""
    )
    columns = "headline, body, search_headline, search_body"
    new = "new.headline, new.body, new.search_headline, new.search_body"
    old = "old.headline, old.body, old.search_headline, old.search_body"
    db.execute(
        f"""CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, {columns}) VALUES (new.id, {new});
        END"""
    )
    db.execute(
        f"""CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, {columns})
            VALUES ('delete', old.id, {old});
        END"""
    )
    db.execute(
        f"""CREATE TRIGGER articles_au AFTER UPDATE OF {columns} ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, {columns})
            VALUES ('delete', old.id, {old});
            INSERT INTO articles_fts(rowid, {columns}) VALUES (new.id, {new});
        END"""
    )
    db.execute(f"INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', '{MAIN_RANK}')")
    db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
