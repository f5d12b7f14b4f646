"""What batch ingestion keeps: URL aliases, near-duplicate stories, sources and failures."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple

from newsarc.errors import InputError
from newsarc.model import utc_now
from newsarc.store.connection import Conn, raw
from newsarc.store.lookups import row_id
from newsarc.store.writes import writing
from newsarc.urls import check_url, normalize_url

SOURCE_KINDS = ("feed", "sitemap", "urls")
# How long every failure of an address is kept; after that only its latest stays (what
# ``recently_gone`` and ``newsarc stats`` read): a URL failing every run adds a row a run, and
# the table had no end. Far longer than ``ingest_sources.GONE_DAYS``, which reads the last week.
FAILURE_DAYS = 90


# -- aliases ---------------------------------------------------------------------------


def add_alias(
    db: Conn, article_id: int, url: str, *, kind: str = "manual", commit: bool = True
) -> bool:
    """Record that ``url`` (normalized) leads to an article; False if it was already known.

    An address already recorded for another article keeps pointing there.
    """
    key = normalize_url(url)
    with writing(db, commit) as conn:
        cursor = conn.execute(
            "INSERT OR IGNORE INTO article_urls (url, article_id, kind) VALUES (?, ?, ?)",
            [key, article_id, kind],
        )
    return cursor.rowcount > 0


def aliases(db: Conn, article_id: int) -> list[dict[str, str]]:
    """Every address recorded for an article: ``{"url": ..., "kind": ...}``."""
    rows = raw(db).execute(
        "SELECT url, kind FROM article_urls WHERE article_id = ? ORDER BY rowid", [article_id]
    )
    return [{"url": url, "kind": kind} for url, kind in rows]


# -- near-duplicate stories ------------------------------------------------------------


def story_candidates(
    db: Conn, bands: Sequence[str], *, exclude: int | None = None, limit: int = 10
) -> list[tuple[int, int]]:
    """Articles sharing band keys with ``bands``: ``(article_id, shared)``, most shared first."""
    keys = list(dict.fromkeys(bands))
    if not keys:
        return []
    marks = ", ".join("?" * len(keys))
    rows = raw(db).execute(
        f"SELECT article_id, count(*) AS shared FROM story_bands WHERE band IN ({marks})"
        " AND article_id != ? GROUP BY article_id ORDER BY shared DESC, article_id LIMIT ?",
        [*keys, -1 if exclude is None else exclude, limit],
    )
    return [(article_id, shared) for article_id, shared in rows]


def story_of(db: Conn, article_id: int) -> int:
    """The story an article belongs to (the id of the story's first article)."""
    row = (
        raw(db)
        .execute("SELECT story_id FROM story_copies WHERE article_id = ?", [article_id])
        .fetchone()
    )
    return row[0] if row else article_id


def story_members(db: Conn, article_id: int) -> list[int]:
    """Ids of every article in the same story as ``article_id``, first article first."""
    story = story_of(db, article_id)
    rows = raw(db).execute(
        "SELECT article_id FROM story_copies WHERE story_id = ? ORDER BY article_id", [story]
    )
    return [story, *(row[0] for row in rows)]


def set_story(
    db: Conn,
    article_id: int,
    story_id: int | None,
    *,
    similarity: float | None = None,
    commit: bool = True,
) -> None:
    """Make an article a copy in ``story_id``'s story, or its own story again with None."""
    with writing(db, commit) as conn:
        conn.execute("DELETE FROM story_copies WHERE article_id = ?", [article_id])
        if story_id is None:
            return
        story = story_of(conn, story_id)
        if story != article_id:
            conn.execute(
                "INSERT INTO story_copies (article_id, story_id, similarity) VALUES (?, ?, ?)",
                [article_id, story, similarity],
            )


def has_copies(db: Conn) -> bool:
    """True when any article is linked as a copy (search can skip story grouping otherwise)."""
    return raw(db).execute("SELECT EXISTS (SELECT 1 FROM story_copies)").fetchone()[0] == 1


# -- sources ---------------------------------------------------------------------------


def add_source(db: Conn, url: str, kind: str, *, commit: bool = True) -> int:
    """Register a feed, sitemap or URL list (idempotent: a known URL keeps its id).

    A new source gets an id never given before, even to a removed source (m008). A known one
    is updated, not upserted: an ``INSERT ... ON CONFLICT`` that ends as an update still
    advances the AUTOINCREMENT sequence, so each ``sources add`` of a known URL would burn an id.
    """
    if kind not in SOURCE_KINDS:
        raise InputError(f"unknown source kind {kind!r} (one of {', '.join(SOURCE_KINDS)})")
    if kind != "urls":
        url = check_url(url)
    with writing(db, commit) as conn:
        row = conn.execute("SELECT id FROM sources WHERE url = ?", [url]).fetchone()
        if row is not None:
            conn.execute("UPDATE sources SET kind = ? WHERE id = ?", [kind, row[0]])
            return int(row[0])
        cursor = conn.execute(
            "INSERT INTO sources (url, kind, added_at) VALUES (?, ?, ?)", [url, kind, utc_now()]
        )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def get_source(db: Conn, ref: int | str) -> dict[str, Any] | None:
    """A registered source by id or URL, as a dict (``counts`` decoded), or None."""
    rows = _sources(raw(db), ref)
    return rows[0] if rows else None


def list_sources(db: Conn) -> list[dict[str, Any]]:
    """Every registered source, oldest first."""
    return _sources(raw(db), None)


def remove_source(db: Conn, ref: int | str, *, commit: bool = True) -> dict[str, Any]:
    """Unregister a source by id or URL and return it; its articles stay archived."""
    source = get_source(db, ref)
    if source is None:
        raise InputError(f"no source with id or URL {ref}")
    with writing(db, commit) as conn:
        conn.execute("DELETE FROM sources WHERE id = ?", [source["id"]])
    return source


def move_source(db: Conn, url: str, new_url: str, *, commit: bool = True) -> int | None:
    """Re-register the source at ``url`` under ``new_url``, where it moved for good (a
    permanent redirect); None once done, or the id of the source registered at ``new_url``
    already, which is then the one kept, and the source at ``url`` is removed.

    The source keeps its id, kind, counts and last run, and records where it moved from and
    when (``moved_from``, ``moved_at``: m018). What it earned at its old address is
    dropped: validators (they would be sent to another address), the --since they were
    earned under and its last clean run (a sitemap index's cut-off).
    """
    with writing(db, commit) as conn:
        known = conn.execute("SELECT id FROM sources WHERE url = ?", [new_url]).fetchone()
        if known is not None:
            conn.execute("DELETE FROM sources WHERE url = ?", [url])
            return int(known[0])
        conn.execute(
            "UPDATE sources SET url = ?, etag = NULL, last_modified = NULL, listed_since = NULL,"
            " clean_run_at = NULL, moved_from = ?, moved_at = ? WHERE url = ?",
            [new_url, url, utc_now(), url],
        )
    return None


def update_source_run(
    db: Conn,
    url: str,
    *,
    status: str,
    found: int = 0,
    counts: dict[str, int] | None = None,
    clean: bool = False,
    commit: bool = True,
) -> None:
    """Record a run of a registered source: when, how it went, how many items it listed.

    ``counts`` (e.g. new/failed) are added to the source's running totals. A ``clean`` run
    (one that listed the source in full, or under its --since, and archived all it listed)
    is remembered as the source's last clean one (a sitemap's cut-off). A run whose
    ``status`` is an error starts the source's ``failing_since`` unless an earlier one did;
    a run that read the source ends it; an interrupted one says nothing either way.
    """
    with writing(db, commit) as conn:
        row = conn.execute("SELECT counts FROM sources WHERE url = ?", [url]).fetchone()
        if row is None:
            return
        totals: dict[str, int] = json.loads(row[0] or "{}")
        totals["runs"] = totals.get("runs", 0) + 1
        totals["found"] = totals.get("found", 0) + found
        for key, value in (counts or {}).items():
            totals[key] = totals.get(key, 0) + value
        now = utc_now()
        conn.execute(
            "UPDATE sources SET last_run_at = ?, last_status = ?, last_found = ?, counts = ?"
            " WHERE url = ?",
            [now, status, found, json.dumps(totals), url],
        )
        if clean:
            conn.execute("UPDATE sources SET clean_run_at = ? WHERE url = ?", [now, url])
        if status.startswith("error"):
            conn.execute(
                "UPDATE sources SET failing_since = COALESCE(failing_since, ?) WHERE url = ?",
                [now, url],
            )
        elif status != "interrupted":
            conn.execute("UPDATE sources SET failing_since = NULL WHERE url = ?", [url])


class Validators(NamedTuple):
    """A feed's or sitemap's ETag and Last-Modified, and the --since of the run that earned
    them (None: it read the whole listing)."""

    etag: str | None
    last_modified: str | None
    listed_since: str | None = None


def update_source_validators(
    db: Conn,
    url: str,
    *,
    etag: str | None,
    last_modified: str | None,
    listed_since: str | None = None,
    commit: bool = True,
) -> None:
    """Remember a feed's ETag and Last-Modified for the next conditional GET, with the
    --since of the run that earned them."""
    with writing(db, commit) as conn:
        conn.execute(
            "UPDATE sources SET etag = ?, last_modified = ?, listed_since = ? WHERE url = ?",
            [etag, last_modified, listed_since, url],
        )


def get_validators(db: Conn, url: str) -> Validators:
    """The validators remembered for an unregistered feed or sitemap."""
    row = (
        raw(db)
        .execute(
            "SELECT etag, last_modified, listed_since FROM source_validators WHERE url = ?", [url]
        )
        .fetchone()
    )
    return Validators(*row) if row else Validators(None, None)


def save_validators(
    db: Conn,
    url: str,
    *,
    etag: str | None,
    last_modified: str | None,
    listed_since: str | None = None,
    commit: bool = True,
) -> None:
    """Remember an unregistered feed's or sitemap's validators for the next conditional GET."""
    with writing(db, commit) as conn:
        conn.execute(
            "INSERT INTO source_validators (url, etag, last_modified, listed_since, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,"
            " last_modified = excluded.last_modified, listed_since = excluded.listed_since,"
            " updated_at = excluded.updated_at",
            [url, etag, last_modified, listed_since, utc_now()],
        )


def _sources(conn: sqlite3.Connection, ref: int | str | None) -> list[dict[str, Any]]:
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    if ref is None:
        rows = cursor.execute("SELECT * FROM sources ORDER BY id")
    elif (number := row_id(ref)) is not None:
        rows = cursor.execute("SELECT * FROM sources WHERE id = ?", [number])
    else:
        rows = cursor.execute("SELECT * FROM sources WHERE url = ?", [str(ref).strip()])
    result = []
    for row in rows:
        item = dict(row)
        item["counts"] = json.loads(item["counts"] or "{}")
        result.append(item)
    return result


# -- failures --------------------------------------------------------------------------


def record_failure(
    db: Conn,
    url: str,
    reason: str,
    status: int | None = None,
    source: str | None = None,
    *,
    commit: bool = True,
    prune_before: int | None = None,
) -> int:
    """Record a URL that could not be fetched or extracted (shown by ``newsarc stats``).

    With ``prune_before`` (``failures_kept_from``), the URL's earlier failures recorded
    before that id go: what is kept of an address is its latest failure and those of the
    last ``FAILURE_DAYS``. One range of the ``url`` index (url, then id) per failure, the rows
    deleted alone: a table of millions costs a run no scan.
    """
    with writing(db, commit) as conn:
        if prune_before is not None:
            conn.execute("DELETE FROM failures WHERE url = ? AND id < ?", [url, prune_before])
        cursor = conn.execute(
            "INSERT INTO failures (url, source, reason, status, at) VALUES (?, ?, ?, ?, ?)",
            [url, source, reason, status, utc_now()],
        )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def failures_kept_from(db: Conn, days: float = FAILURE_DAYS) -> int:
    """The id of the first failure recorded in the last ``days`` (the next id when there is
    none): ids grow with time, so the failures before it are older. One step of the ``at``
    index, asked once a run (``record_failure(prune_before=...)``)."""
    since = (datetime.now(timezone.utc) - timedelta(days=days)).replace(microsecond=0)
    conn = raw(db)
    row = conn.execute(
        "SELECT id FROM failures WHERE at >= ? ORDER BY at LIMIT 1", [since.isoformat()]
    ).fetchone()
    if row is not None:
        return int(row[0])
    return int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM failures").fetchone()[0])


def recently_gone(db: Conn, days: float) -> set[str]:
    """Addresses whose last failure, within ``days``, was a 404 or 410: gone pages, which
    ingest does not ask for again until then (a feed that still lists one would otherwise
    fail, and exit 3, on every run)."""
    since = (datetime.now(timezone.utc) - timedelta(days=days)).replace(microsecond=0)
    rows = raw(db).execute(
        "SELECT url FROM failures AS f WHERE at >= ? AND status IN (404, 410) AND NOT EXISTS"
        " (SELECT 1 FROM failures AS later WHERE later.url = f.url AND later.id > f.id)",
        [since.isoformat()],
    )
    return {row[0] for row in rows}


def recent_failures(db: Conn, limit: int = 10) -> list[dict[str, Any]]:
    """The latest failures, newest first."""
    cursor = raw(db).cursor()
    cursor.row_factory = sqlite3.Row
    rows = cursor.execute(
        "SELECT url, source, reason, status, at FROM failures ORDER BY id DESC LIMIT ?", [limit]
    )
    return [dict(row) for row in rows]
