"""Migration m003's work: the tables batch ingestion added (URL aliases, near-duplicate
stories, registered sources, failed fetches), and the aliases of the articles already archived.

Frozen as it shipped, as ``newsarc.store.initial`` is for m001; ``newsarc.store.schema``
registers it in order.
"""

from __future__ import annotations

from sqlite_utils import Database

from newsarc.store.lookups import normalized


def create(db: Database) -> None:
    """Create the tables and indexes of m003 and fill ``article_urls`` from ``articles``."""
    # kind: "url" (the article's own address), "final" (after redirects), "canonical",
    # "requested" (before redirects: only means "already fetched") or "manual".
    db.table("article_urls").create(
        {"url": str, "article_id": int, "kind": str},
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "kind"},
        defaults={"kind": "url"},
    )
    db.table("article_urls").create_index(["article_id"])
    # A row only for an article that is a copy of an earlier one; every other article is
    # its own story. Kept out of `articles` so that search can join it cheaply.
    db.table("story_copies").create(
        {"article_id": int, "story_id": int, "similarity": float},
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id"), ("story_id", "articles", "id")],
        not_null={"story_id"},
    )
    db.table("story_copies").create_index(["story_id"])
    db.table("story_bands").create(
        {"band": str, "article_id": int},
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"band", "article_id"},
    )
    db.table("story_bands").create_index(["band"])
    db.table("story_bands").create_index(["article_id"])
    db.table("sources").create(
        {
            "id": int,
            "url": str,
            "kind": str,
            "added_at": str,
            "last_run_at": str,
            "last_status": str,
            "last_found": int,
            "etag": str,
            "last_modified": str,
            "counts": str,
        },
        pk="id",
        not_null={"url", "kind", "added_at"},
    )
    db.table("sources").create_index(["url"], unique=True)
    db.table("failures").create(
        {
            "id": int,
            "url": str,
            "source": str,
            "reason": str,
            "status": int,
            "at": str,
        },
        pk="id",
        not_null={"url", "reason", "at"},
    )
    db.table("failures").create_index(["at"])
    db.table("failures").create_index(["url"])
    for article_id, url, canonical in db.execute(
        "SELECT id, url, canonical_url FROM articles ORDER BY id"
    ).fetchall():
        for alias, kind in ((url, "url"), (canonical, "canonical")):
            address = normalized(alias)
            # A front page declared as canonical is a site bug, not an alias.
            if address and address.split("/", 3)[-1] not in ("", "?"):
                db.execute(
                    "INSERT OR IGNORE INTO article_urls(url, article_id, kind) VALUES (?, ?, ?)",
                    (address, article_id, kind),
                )
