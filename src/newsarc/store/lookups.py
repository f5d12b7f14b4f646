"""Reading articles back: by id or any URL, newest first, streamed, raw pages, revisions."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from newsarc.errors import InputError
from newsarc.model import Article, Page
from newsarc.store.connection import Conn, raw
from newsarc.store.filters import Filters, date_order, row_count
from newsarc.urls import normalize_url

_LARGEST_ID = 2**63 - 1  # SQLite's largest integer
_LAST_FETCHED = (
    "SELECT fetched_at, 'url', url FROM articles WHERE url = ?1 UNION ALL"
    " SELECT a.fetched_at, u.kind, a.url FROM article_urls u"
    " JOIN articles a ON a.id = u.article_id WHERE u.url = ?1 LIMIT 1"
)


@dataclass
class Revision:
    """An earlier text of an article, kept when a re-fetch or re-extraction changed it."""

    id: int
    article_id: int
    headline: str
    body: str
    content_hash: str | None
    extractor_version: str | None
    replaced_at: str


def get_article(db: Conn, ref: int | str) -> Article | None:
    """An article by id, URL (normalized) or alias; None when the archive has no such one."""
    article_id = find_article_id(db, ref)
    if article_id is None:
        return None
    row = one(raw(db), "SELECT * FROM articles WHERE id = ?", [article_id])
    return Article.from_row(row) if row else None


def row_id(ref: int | str) -> int | None:
    """The row id ``ref`` spells (ASCII digits; "²" or "١" are digits to ``isdigit`` but no
    id), or None when it is no id. An id beyond SQLite's integers names no row: it is -1."""
    if isinstance(ref, int):
        return ref
    text = ref.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= _LARGEST_ID else -1


def find_article_id(db: Conn, ref: int | str) -> int | None:
    """The id that ``ref`` (an id, or any URL that led to an article) refers to.

    An address as people paste it finds its article too: without its scheme
    (``www.example.com/story``, read as https), or spelled otherwise than the archive has it
    (``matching.other_spellings``: http for https, a trailing slash, with or without
    ``www.``, the mobile host, its path's letters written out or percent-encoded): those
    spellings are tried only when the address as given leads nowhere.
    """
    conn = raw(db)
    if (number := row_id(ref)) is not None:
        found = conn.execute("SELECT id FROM articles WHERE id = ?", [number]).fetchone()
        return found[0] if found else None
    from newsarc.store.matching import other_spellings  # matching imports this module

    url = _address(str(ref))
    for spelling in [url, *other_spellings(url)]:
        found = conn.execute(_ID_AT, [spelling]).fetchone()
        if found is not None:
            return int(found[0])
    return None


# The article at an address, as its own address first, else as an alias.
_ID_AT = (
    "SELECT id FROM articles WHERE url = ?1 UNION ALL"
    " SELECT article_id FROM article_urls WHERE url = ?1 LIMIT 1"
)
# What starts an address pasted without its scheme: a host whose last label starts with a
# letter (not "1.0"), then a port, a path or nothing.
_BARE_HOST = re.compile(r"[^\s/:?#@]+\.[^\W\d_][^\s/:?#@.]*(?::\d+)?(?:[/?#]|$)")


def _address(ref: str) -> str:
    """``ref`` as a normalized address; InputError if it is no address."""
    text = ref.strip()
    if "://" not in text and _BARE_HOST.match(text):
        text = "https://" + text
    try:
        return normalize_url(text)
    except InputError:
        raise InputError(f"not an article id or URL: {ref!r}") from None


def has_url(db: Conn, url: str) -> bool:
    """True if ``url`` (normalized here) led to an archived article, as address or alias."""
    key = normalized(url)
    if key is None:
        return False
    conn = raw(db)
    return bool(
        conn.execute("SELECT 1 FROM article_urls WHERE url = ?", [key]).fetchone()
        or conn.execute("SELECT 1 FROM articles WHERE url = ?", [key]).fetchone()
    )


def last_fetched(db: Conn, key: str) -> tuple[str | None, str, str] | None:
    """When the article that normalized address ``key`` leads to was last fetched, what
    ``key`` is to it ("url": its own address, else the alias kind) and the article's address;
    None if nothing archived.

    One query, two index lookups (the article's address first, as ``matching.find_record``
    looks): ingest asks it for every item a source lists, most of them archived already.
    """
    row = raw(db).execute(_LAST_FETCHED, [key]).fetchone()
    return (row[0], row[1], row[2]) if row is not None else None


def list_articles(
    db: Conn,
    *,
    limit: int = 20,
    offset: int = 0,
    filters: Filters | None = None,
    sort: str = "newest",
) -> list[Article]:
    """Articles newest first (the instant of publication, undated last, then last fetch), or
    ``sort="oldest"``, or ``"updated"``: the latest change (an update, else the publication)
    first. InputError for another ``sort``."""
    order = date_order(sort)
    limit, offset = row_count(limit, "limit"), row_count(offset, "offset")
    filters = filters or Filters()
    filters.prepare(raw(db))
    where, params = filters.where()
    rows = all_rows(
        raw(db),
        f"SELECT a.* FROM articles a WHERE 1 = 1{where} {order} LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return [Article.from_row(row) for row in rows]


def iter_articles(
    db: Conn, filters: Filters | None = None, *, sort: str | None = None
) -> Iterator[Article]:
    """Every matching article in id order (the order archived), or in the date order ``sort``
    names (as :func:`list_articles`), streamed from a cursor (constant memory: an order no
    index gives, SQLite sorts in temporary files). InputError for an unknown ``sort``."""
    order = date_order(sort) if sort is not None else "ORDER BY a.id"
    filters = filters or Filters()
    filters.prepare(raw(db))
    where, params = filters.where()
    cursor = raw(db).cursor()
    cursor.row_factory = sqlite3.Row
    for row in cursor.execute(f"SELECT a.* FROM articles a WHERE 1 = 1{where} {order}", params):
        yield Article.from_row(dict(row))


def latest_pages(db: Conn, ids: Iterable[int] | None = None) -> Iterator[tuple[int, Page]]:
    """The newest raw page of each article (or of ``ids``), decompressed, in article order."""
    conn = raw(db)
    sql = (
        "SELECT * FROM pages WHERE id IN (SELECT max(id) FROM pages{where} GROUP BY article_id)"
        " ORDER BY article_id"
    )
    if ids is None:
        yield from _pages(conn, sql.format(where=""), [])
        return
    chunk: list[int] = []
    for article_id in ids:
        chunk.append(article_id)
        if len(chunk) == 500:
            yield from _pages(conn, sql.format(where=_in("article_id", chunk)), chunk)
            chunk = []
    if chunk:
        yield from _pages(conn, sql.format(where=_in("article_id", chunk)), chunk)


def revisions(db: Conn, article_id: int) -> list[Revision]:
    """Earlier texts of an article, oldest first."""
    rows = all_rows(
        raw(db),
        "SELECT id, article_id, headline, body, content_hash, extractor_version, replaced_at"
        " FROM revisions WHERE article_id = ? ORDER BY id",
        [article_id],
    )
    return [Revision(**row) for row in rows]


def _pages(conn: sqlite3.Connection, sql: str, params: list[Any]) -> Iterator[tuple[int, Page]]:
    from newsarc import rawpage  # only readers of raw pages need the decompressors

    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    for row in cursor.execute(sql, params):
        page = Page(
            url=row["url"],
            final_url=row["final_url"] or row["url"],
            status=row["status"] or 200,
            headers=json.loads(row["headers"] or "{}"),
            content=rawpage.decompress(
                row["compression"], row["content"], label=f"page {row['id']}"
            ),
            fetched_at=row["fetched_at"],
            encoding=row["encoding"],
        )
        yield row["article_id"], page


def normalized(url: str | None) -> str | None:
    """``url`` normalized, or None when it is missing or not a valid http(s) URL."""
    if not url:
        return None
    try:
        return normalize_url(url)
    except InputError:
        return None


def _in(column: str, values: list[int]) -> str:
    return f" WHERE {column} IN ({', '.join('?' * len(values))})"


def one(conn: sqlite3.Connection, sql: str, params: list[Any]) -> dict[str, Any] | None:
    """The first row of a query as a dict, or None (the connection's row_factory is untouched)."""
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    row = cursor.execute(sql, params).fetchone()
    return dict(row) if row is not None else None


def all_rows(conn: sqlite3.Connection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    """Every row of a query as dicts."""
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    return [dict(row) for row in cursor.execute(sql, params)]
