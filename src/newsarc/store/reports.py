"""Read-only summaries: one article with its provenance, and the archive's statistics."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from newsarc.model import Article
from newsarc.store.batch import aliases, recent_failures, story_of
from newsarc.store.connection import Conn, raw
from newsarc.store.filters import DATE_SQL, NETLOC_SQL

# The host part of a stored (normalized) URL, in SQL.
_HOST_SQL = NETLOC_SQL.format(a="articles")


@dataclass
class ArticleDetails:
    """An article with where it came from: aliases, fetches, revisions and story copies."""

    article: Article
    first_fetched_at: str | None
    story_id: int
    aliases: list[dict[str, str]] = field(default_factory=list)
    copies: list[dict[str, Any]] = field(default_factory=list)
    fetches: list[dict[str, Any]] = field(default_factory=list)
    revisions: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The article's fields plus the provenance, JSON-ready."""
        return self.article.to_dict() | {
            "first_fetched_at": self.first_fetched_at,
            "story_id": self.story_id,
            "aliases": self.aliases,
            "copies": self.copies,
            "fetches": self.fetches,
            "revisions": self.revisions,
        }


def article_details(db: Conn, article_id: int) -> ArticleDetails | None:
    """Everything the archive knows about one article, or None if there is no such id."""
    conn = raw(db)
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    row = cursor.execute("SELECT * FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        return None
    article = Article.from_row(dict(row))
    story = story_of(conn, article_id)
    copies = [
        dict(copy)
        for copy in cursor.execute(
            "SELECT a.id, a.url, a.headline, a.site, a.published FROM articles a"
            " WHERE a.id != ? AND (a.id = ?"
            " OR a.id IN (SELECT article_id FROM story_copies WHERE story_id = ?))"
            " ORDER BY a.id",
            [article_id, story, story],
        )
    ]
    fetches = [
        dict(page)
        for page in cursor.execute(
            "SELECT fetched_at, status, url, final_url, size FROM pages WHERE article_id = ?"
            " ORDER BY id",
            [article_id],
        )
    ]
    revisions = conn.execute(
        "SELECT count(*) FROM revisions WHERE article_id = ?", [article_id]
    ).fetchone()[0]
    return ArticleDetails(
        article=article,
        first_fetched_at=row["first_fetched_at"],
        story_id=story,
        aliases=[a for a in aliases(conn, article_id) if a["url"] != article.url],
        copies=copies,
        fetches=fetches,
        revisions=revisions,
    )


def stats(db: Conn, *, top: int = 20) -> dict[str, Any]:
    """Totals, counts per site, section, topic, language and month, failures and archive
    size."""
    conn = raw(db)

    def scalar(sql: str) -> Any:
        return conn.execute(sql).fetchone()[0]

    def counts(expr: str, key: str, order: str = "articles DESC, value") -> list[dict[str, Any]]:
        rows = conn.execute(
            f"SELECT {expr} AS value, count(*) AS articles FROM articles"
            f" GROUP BY value COLLATE NOCASE ORDER BY {order} LIMIT ?",
            [top],
        )
        return [{key: value, "articles": n} for value, n in rows]

    articles = scalar("SELECT count(*) FROM articles")
    copies = scalar("SELECT count(*) FROM story_copies")
    return {
        "articles": articles,
        "stories": articles - copies,
        "pages": scalar("SELECT count(*) FROM pages"),
        "revisions": scalar("SELECT count(*) FROM revisions"),
        "aliases": scalar("SELECT count(*) FROM article_urls WHERE kind != 'url'"),
        "words": scalar("SELECT coalesce(sum(word_count), 0) FROM articles"),
        "raw_bytes": scalar("SELECT coalesce(sum(size), 0) FROM pages"),
        "first_fetched_at": scalar("SELECT min(first_fetched_at) FROM articles"),
        "last_fetched_at": scalar("SELECT max(fetched_at) FROM articles"),
        "sites": counts(f"coalesce(site, {_HOST_SQL})", "site"),
        "sections": counts("section", "section"),
        "topics": _topic_counts(conn, top),
        "languages": counts("language", "language"),
        "months": counts(f"substr({DATE_SQL.format(a='articles')}, 1, 7)", "month", "value DESC"),
        "failures": {
            "total": scalar("SELECT count(*) FROM failures"),
            "urls": scalar("SELECT count(DISTINCT url) FROM failures"),
            "recent": recent_failures(conn, 10),
        },
        "sources": scalar("SELECT count(*) FROM sources"),
        "archive_bytes": archive_size(conn),
    }


def _topic_counts(conn: sqlite3.Connection, top: int) -> list[dict[str, Any]]:
    """The most common topics (case aside, as written first), with their articles."""
    rows = conn.execute(
        "SELECT t.value AS value, count(DISTINCT a.id) AS articles"
        " FROM articles a, json_each(a.topics) t"
        " GROUP BY value COLLATE NOCASE ORDER BY articles DESC, value LIMIT ?",
        [top],
    )
    return [{"topic": value, "articles": n} for value, n in rows]


def archive_size(db: Conn) -> int:
    """Bytes on disk: the database file plus its write-ahead log."""
    conn = raw(db)
    path = next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")
    if not path:
        return 0
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
