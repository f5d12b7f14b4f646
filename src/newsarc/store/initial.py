"""The archive's first schema, as migration m001 made it: articles, raw pages, revisions and
the FTS5 index over headline and body.

Frozen as it shipped (archives were made with it); every change since is a later migration in
``newsarc.store.schema``, which applies this one first.
"""

from __future__ import annotations

from sqlite_utils import Database

FTS_TOKENIZER = "unicode61 remove_diacritics 2"  # m001's; m012 replaced it (store.tokenizers)
# bm25 weights per column (headline, body): a match in the headline counts ten times more.
RANK = "bm25(10.0, 1.0)"


def create(db: Database) -> None:
    """Create the tables, indexes, FTS5 index and triggers of the first schema."""
    db.table("articles").create(
        {
            "id": int,
            "url": str,
            "canonical_url": str,
            "headline": str,
            "published": str,
            "section": str,
            "authors": str,
            "site": str,
            "language": str,
            "description": str,
            "word_count": int,
            "content_hash": str,
            "fetched_at": str,
            "first_fetched_at": str,
            "extractor_version": str,
            "body": str,
        },
        pk="id",
        not_null={"url", "headline", "authors", "word_count", "body"},
        defaults={"headline": "", "authors": "[]", "word_count": 0, "body": ""},
    )
    articles = db.table("articles")
    articles.create_index(["url"], unique=True)
    articles.create_index(["canonical_url"])
    articles.create_index(["content_hash"])
    articles.create_index(["published", "fetched_at"])
    articles.create_index(["section"])
    articles.create_index(["site"])
    db.table("pages").create(
        {
            "id": int,
            "article_id": int,
            "url": str,
            "final_url": str,
            "status": int,
            "headers": str,
            "encoding": str,
            "fetched_at": str,
            "size": int,
            "compression": str,
            "content": bytes,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "url", "compression", "content"},
        defaults={"compression": "zlib"},
    )
    db.table("pages").create_index(["article_id"])
    db.table("revisions").create(
        {
            "id": int,
            "article_id": int,
            "headline": str,
            "content_hash": str,
            "extractor_version": str,
            "replaced_at": str,
            "body": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "replaced_at"},
    )
    db.table("revisions").create_index(["article_id"])
    # External content (content="articles") is what `datasette` and sqlite-utils'
    # detect_fts() look for; the update trigger fires only when the text changes.
    db.execute(
        f"""CREATE VIRTUAL TABLE articles_fts USING FTS5(
            headline, body, content="articles", content_rowid="id",
            tokenize='{FTS_TOKENIZER}')"""
    )
    db.execute(
        """CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, headline, body)
            VALUES (new.id, new.headline, new.body);
        END"""
    )
    db.execute(
        """CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, headline, body)
            VALUES ('delete', old.id, old.headline, old.body);
        END"""
    )
    db.execute(
        """CREATE TRIGGER articles_au AFTER UPDATE OF headline, body ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, headline, body)
            VALUES ('delete', old.id, old.headline, old.body);
            INSERT INTO articles_fts(rowid, headline, body)
            VALUES (new.id, new.headline, new.body);
        END"""
    )
    db.execute(f"INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', '{RANK}')")
