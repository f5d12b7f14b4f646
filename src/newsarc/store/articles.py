"""Saving articles: upsert by URL, alias or text, revisions, raw pages, the CJK index."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from newsarc import rawpage
from newsarc.errors import StoreError
from newsarc.model import Article, Page, utc_now
from newsarc.store.addresses import (
    add_aliases,
    alias,
    canonical_alias,
    canonical_takes_over,
    copy_aliases,
    fetched_from,
)
from newsarc.store.cjk import has_cjk, index_text
from newsarc.store.connection import Conn
from newsarc.store.lookups import normalized, one
from newsarc.store.matching import find_record
from newsarc.store.searchforms import search_form
from newsarc.store.stories import link_changed_story, link_new_story
from newsarc.store.writes import writing
from newsarc.urls import normalize_url

log = logging.getLogger(__name__)

# Stored in this order; `first_fetched_at` is the store's own.
COLUMNS = (
    "url", "canonical_url", "headline", "published", "section", "authors", "site", "language",
    "description", "word_count", "content_hash", "fetched_at", "first_fetched_at",
    "extractor_version", "body", "subheadings", "search_headline", "search_body", "modified",
    "topics",
)  # fmt: skip
# Metadata that a later extraction may fill in or correct; an empty new value never erases.
_META = (
    "canonical_url", "published", "section", "authors", "site", "language", "description",
    "topics",
)  # fmt: skip
# Response headers worth keeping as provenance (cookies and the like are not).
KEPT_HEADERS = frozenset({
    "content-type", "content-language", "last-modified", "etag", "date", "link",
    "x-robots-tag", "cache-control", "expires", "age", "server",
})  # fmt: skip


@dataclass
class SaveResult:
    """What saving one article did: its id and "new", "updated" or "unchanged"; ``copy``
    when the page is another page with a stored article's text (kept as its alias, the
    record left as it was)."""

    id: int
    status: str
    copy: bool = False


def save_article(
    db: Conn,
    article: Article,
    page: Page | None = None,
    *,
    commit: bool = True,
    raw: bytes | None = None,
) -> SaveResult:
    """Insert or update one article (and its raw page) in a single transaction.

    The record is found by normalized URL, then by alias, then by canonical URL (with the
    same headline or text), then by identical text with the same headline
    (``matching.find_record``). Only the record's own page (its URL or an alias of kind
    ``matching.SAME_PAGE_ALIASES``) updates it, keeping a changed text as a revision; another
    page found to be the same article only adds its addresses as "copy" aliases (status
    "unchanged"), so the first record keeps its identity. A new or
    changed text gets its near-duplicate band keys and story link (``link_story``). With
    ``commit=False`` the caller commits (batches). ``raw`` is the page's content already
    compressed by ``rawpage.compress`` (batch workers do it), else it is compressed here.
    """
    with writing(db, commit) as conn:
        result = _save(conn, article, page, raw, None, lean=False)
    return result


def save_and_link(
    db: Conn,
    article: Article,
    page: Page | None,
    bands: Sequence[str],
    *,
    commit: bool = True,
    raw: bytes | None = None,
    default_published: str | None = None,
) -> SaveResult:
    """``save_article`` with the band keys of ``article.body`` already computed (by a batch
    worker): what a batch writer does for each extracted page, as one atomic write with
    fewer statements. ``default_published`` is the date the article takes when neither its
    page nor its record has one (its feed's or sitemap's date for it).

    The same rows as the two calls (a test compares them), in one savepoint instead of two,
    without the lookups that cannot match for an article inserted just now (its last raw
    page, its band keys, its own story link: each would reference its id, which no row can
    before it exists, as foreign keys are on), and with its aliases in one ``executemany``.
    """
    with writing(db, commit) as conn:
        result = _save(conn, article, page, raw, bands, lean=True, default=default_published)
    return result


def update_extraction(db: Conn, article_id: int, article: Article, *, commit: bool = True) -> bool:
    """Store a new extraction of an archived article; True if its text or metadata changed.

    The URL and fetch times stay; a changed text is kept as a revision and gets new band
    keys and story link.
    """
    with writing(db, commit) as conn:
        row = one(conn, "SELECT * FROM articles WHERE id = ?", [article_id])
        if row is None:
            raise StoreError(f"no article with id {article_id}")
        canonical = canonical_alias(article.canonical_url)
        changed, text_changed = _apply(conn, row, article, canonical, fetched_at=None)
        if canonical:
            alias(conn, article_id, canonical, "canonical")
        if text_changed:
            link_changed_story(conn, article_id, _bands(article, None))
    return changed


# -- internals -------------------------------------------------------------------------


def _save(
    conn: sqlite3.Connection,
    article: Article,
    page: Page | None,
    raw: bytes | None,
    bands: Sequence[str] | None,
    *,
    lean: bool,
    default: str | None = None,
) -> SaveResult:
    """Save inside an open write; ``lean`` skips what cannot match for a new article.

    ``bands`` are the band keys of ``article.body``, or None to compute them if needed.
    ``default`` is the date ``article`` takes (set on it) when neither it nor its record has
    one: a date the record holds, from its page or a listing, is never replaced by a
    listing's.
    """
    url = normalize_url(article.url)
    canonical = canonical_alias(article.canonical_url)
    fetched = article.fetched_at or (page.fetched_at if page else None) or utc_now()
    row, own_page = find_record(conn, url, canonical, article)
    if default and not article.published and not (row and row["published"]):
        article.published = default
    if row is None:
        article_id = _insert(conn, article, url, canonical, fetched)
        status = "new"
        keys = _bands(article, bands)
        if keys:  # a short body has none, and a new article no story link to drop
            link_new_story(conn, article_id, keys)
    elif own_page and _earlier(fetched, row["fetched_at"]):
        # An older capture than the record's (a WARC of last month ingested after this
        # week's): history, not the record's text. Its text is kept as a revision.
        article_id = row["id"]
        _keep_earlier(conn, row, article, fetched)
        add_aliases(conn, article_id, [(url, "url"), (canonical, "canonical")])
        article.id = article_id
        return SaveResult(article_id, "unchanged")
    elif own_page:
        article_id = row["id"]
        if url != row["url"] and canonical_alias(row["canonical_url"]) == url:
            canonical_takes_over(conn, article_id, row["url"], url)
        changed, text_changed = _apply(conn, row, article, canonical, fetched_at=fetched)
        status = "updated" if changed else "unchanged"
        if text_changed:
            link_changed_story(conn, article_id, _bands(article, bands))
    else:
        # Another page with this article's text: its addresses lead here, but its metadata,
        # text and raw page are not this record's (a re-extraction reads the newest raw page).
        article_id = row["id"]
        add_aliases(conn, article_id, copy_aliases(url, canonical, page))
        fetched_from(conn, page)
        article.id = article_id
        return SaveResult(article_id, "unchanged", copy=True)
    aliases = [(url, "url"), (canonical, "canonical")]
    if page is not None:
        aliases += [
            (normalized(page.final_url), "final"),
            (normalized(page.url), "requested"),
        ]
        _save_page(conn, article_id, page, raw, first=lean and status == "new")
    if lean:
        add_aliases(conn, article_id, aliases)
    else:
        for address, kind in aliases:
            if address:
                alias(conn, article_id, address, kind)
    fetched_from(conn, page)
    article.id = article_id
    return SaveResult(article_id, status)


def _bands(article: Article, bands: Sequence[str] | None) -> Sequence[str]:
    """The band keys of ``article.body``: ``bands`` when a worker computed them, else
    computed here, with the shingles the story link confirms candidates with (one reading of
    the text, remembered by its content hash)."""
    if bands is not None:
        return bands
    from newsarc.dedupe import band_keys, fingerprint
    from newsarc.store.stories import remember_shingles

    sig, shingles = fingerprint(article.body)
    remember_shingles(article.content_hash, shingles)
    return band_keys(sig)


def _insert(
    conn: sqlite3.Connection, article: Article, url: str, canonical: str | None, fetched: str
) -> int:
    values = _values(article) | {
        "url": url,
        "canonical_url": canonical or article.canonical_url,
        "fetched_at": fetched,
        "first_fetched_at": fetched,
        "search_headline": search_form(article.headline or ""),
        "search_body": search_form(article.body or ""),
    }
    cursor = conn.execute(
        f"INSERT INTO articles ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
        [values[name] for name in COLUMNS],
    )
    article_id = cursor.lastrowid
    assert article_id is not None
    _index_cjk(conn, article_id, new=(article.headline, article.body))
    return article_id


def _earlier(fetched: str | None, stored: str | None) -> bool:
    """Whether a capture fetched at ``fetched`` is older than the stored one (ISO 8601)."""
    if not fetched or not stored:
        return False
    try:
        mine, theirs = datetime.fromisoformat(fetched), datetime.fromisoformat(stored)
    except ValueError:
        return False
    if mine.tzinfo is None:
        mine = mine.replace(tzinfo=timezone.utc)
    if theirs.tzinfo is None:
        theirs = theirs.replace(tzinfo=timezone.utc)
    return mine < theirs


def _keep_earlier(
    conn: sqlite3.Connection, row: dict[str, Any], article: Article, fetched: str
) -> None:
    """Record an older capture of a stored article: its text as a revision (when it differs
    from the current one and from the kept revisions), and its date as the first fetch when
    it is earlier."""
    new = _values(article)
    if article.body and new["content_hash"] != row["content_hash"]:
        known = conn.execute(
            "SELECT 1 FROM revisions WHERE article_id = ? AND content_hash = ?",
            [row["id"], new["content_hash"]],
        ).fetchone()
        if not known:
            conn.execute(
                "INSERT INTO revisions (article_id, headline, content_hash, extractor_version,"
                " replaced_at, body) VALUES (?, ?, ?, ?, ?, ?)",
                [row["id"], new["headline"], new["content_hash"], article.extractor_version,
                 fetched, new["body"]],
            )  # fmt: skip
    if _earlier(fetched, row.get("first_fetched_at")):
        conn.execute("UPDATE articles SET first_fetched_at = ? WHERE id = ?", [fetched, row["id"]])


def _apply(
    conn: sqlite3.Connection,
    row: dict[str, Any],
    article: Article,
    canonical: str | None,
    *,
    fetched_at: str | None,
) -> tuple[bool, bool]:
    """Update a stored row from a new extraction: (text or metadata changed, text changed)."""
    new = _values(article)
    if canonical:
        new["canonical_url"] = canonical
    sets: dict[str, Any] = {}
    text_changed = bool(article.body) and (
        (bool(article.headline) and article.headline != row["headline"])
        or new["content_hash"] != row["content_hash"]
    )
    if text_changed:
        conn.execute(
            "INSERT INTO revisions (article_id, headline, content_hash, extractor_version,"
            " replaced_at, body) VALUES (?, ?, ?, ?, ?, ?)",
            [row["id"], row["headline"], row["content_hash"], row["extractor_version"],
             utc_now(), row["body"]],
        )  # fmt: skip
        for name in ("headline", "body", "content_hash", "word_count"):
            sets[name] = new[name] or row[name]
        sets["search_headline"] = search_form(sets["headline"])
        sets["search_body"] = search_form(sets["body"])
    if article.body and new["subheadings"] != row["subheadings"]:
        sets["subheadings"] = new["subheadings"]
    for name in _META:
        if new[name] not in (None, "", "[]") and new[name] != row[name]:
            sets[name] = new[name]
    # ``modified`` is kept only after the page's own published date (extractor.modified), so
    # a page that gives one gives both: its modified replaces the stored one, and its having
    # none (never updated, or re-dated since) clears a time that may now precede the date.
    if (article.published or article.modified) and new["modified"] != row["modified"]:
        sets["modified"] = new["modified"]
    changed = bool(sets)
    if article.extractor_version and article.extractor_version != row["extractor_version"]:
        sets["extractor_version"] = article.extractor_version
    if fetched_at:
        sets["fetched_at"] = fetched_at
    if sets:
        assignments = ", ".join(f"{name} = ?" for name in sets)
        conn.execute(f"UPDATE articles SET {assignments} WHERE id = ?", [*sets.values(), row["id"]])
    if text_changed:
        _index_cjk(
            conn,
            row["id"],
            old=(row["headline"], row["body"]),
            new=(sets["headline"], sets["body"]),
        )
    return changed, text_changed


def _values(article: Article) -> dict[str, Any]:
    return {
        "url": article.url,
        "canonical_url": article.canonical_url,
        "headline": article.headline or "",
        "published": article.published,
        "modified": article.modified,
        "section": article.section,
        "authors": json.dumps(list(article.authors), ensure_ascii=False),
        "site": article.site,
        "language": article.language,
        "description": article.description,
        "word_count": article.word_count,
        "content_hash": article.content_hash or None,
        "fetched_at": article.fetched_at,
        "first_fetched_at": article.fetched_at,
        "extractor_version": article.extractor_version or None,
        "body": article.body or "",
        "subheadings": json.dumps(list(article.subheadings), ensure_ascii=False),
        "topics": json.dumps(list(article.topics), ensure_ascii=False),
    }


def _index_cjk(
    conn: sqlite3.Connection,
    article_id: int,
    *,
    old: tuple[str, str] | None = None,
    new: tuple[str, str] | None = None,
) -> None:
    """Keep the contentless bigram index in step: remove exactly what was added."""
    if old and (has_cjk(old[0]) or has_cjk(old[1])):
        conn.execute(
            "INSERT INTO articles_cjk(articles_cjk, rowid, headline, body)"
            " VALUES ('delete', ?, ?, ?)",
            [article_id, index_text(old[0]), index_text(old[1])],
        )
    if new and (has_cjk(new[0]) or has_cjk(new[1])):
        conn.execute(
            "INSERT INTO articles_cjk(rowid, headline, body) VALUES (?, ?, ?)",
            [article_id, index_text(new[0]), index_text(new[1])],
        )


def _save_page(
    conn: sqlite3.Connection, article_id: int, page: Page, blob: bytes | None, *, first: bool
) -> None:
    """Store a raw page unless it is the article's last one again (``first``: it has none)."""
    last = (
        None
        if first
        else conn.execute(
            "SELECT size, compression, content FROM pages WHERE article_id = ?"
            " ORDER BY id DESC LIMIT 1",
            [article_id],
        ).fetchone()
    )
    if (
        last is not None
        and last[0] == len(page.content)
        and last[1] in rawpage.KNOWN
        and rawpage.decompress(last[1], last[2]) == page.content
    ):
        return  # the same bytes again: the article's fetched_at records the new fetch
    if blob is None:
        blob = rawpage.compress(page.content)
    headers = {k: v for k, v in page.headers.items() if k.lower() in KEPT_HEADERS}
    conn.execute(
        "INSERT INTO pages (article_id, url, final_url, status, headers, encoding, fetched_at,"
        " size, compression, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [article_id, page.url, page.final_url, page.status,
         json.dumps(headers, ensure_ascii=False), page.encoding, page.fetched_at,
         len(page.content), rawpage.COMPRESSION, blob],
    )  # fmt: skip
