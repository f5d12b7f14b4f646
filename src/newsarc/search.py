"""Full-text search over the archive: ranked hits with snippets, counts, and matches for export.

Speed comes from three choices: FTS5's own ``ORDER BY rank`` (weights configured on the
index, see newsarc.store.schema) rather than ``ORDER BY bm25(...)``, whose SQLite sorter would
compute snippet() for every match; snippets made only for the hits shown; and a plain
sqlite3 connection (no sqlite-utils import).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from newsarc.errors import QueryError
from newsarc.model import Article
from newsarc.query import Plan, clean, parse, plan
from newsarc.snippets import Needles, marked, needles
from newsarc.snippets import snippet as snippet_of
from newsarc.store.batch import has_copies
from newsarc.store.connection import Conn
from newsarc.store.connection import raw as raw_connection
from newsarc.store.filters import DATE_ORDERS, Filters, row_count

SORTS = ("relevance", *DATE_ORDERS)
SNIPPET_TOKENS = 24
_INDEX = {"main": "articles_fts", "cjk": "articles_cjk"}
_STORY = "coalesce((SELECT story_id FROM story_copies WHERE article_id = a.id), a.id)"


@dataclass
class Hit:
    """One search result; ``snippet`` has the matches marked.

    ``score`` is the bm25 relevance (higher is better, headline matches weigh 10x) when
    sorting by relevance, None when sorting by date.
    """

    id: int
    url: str
    headline: str
    published: str | None
    section: str | None
    site: str | None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    modified: str | None = None  # when the page said it was last updated (Article.modified)
    snippet: str = ""
    score: float | None = None
    story_id: int | None = None  # the story's first article: the copies of a story share it
    topics: list[str] = field(default_factory=list)  # the publisher's tags (Article.topics)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with stable field names."""
        return asdict(self)


def search(
    db: Conn,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    sort: str = "relevance",
    filters: Filters | None = None,
    raw: bool = False,
    highlight: tuple[str, str] = ("[", "]"),
    all_copies: bool = False,
) -> list[Hit]:
    """The best ``limit`` hits for ``query``; each story once unless ``all_copies``.

    ``raw`` passes the query to FTS5 unchanged (experts); a bad expression is a
    QueryError. Otherwise the query language of newsarc.query applies.
    """
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r} (one of {', '.join(SORTS)})")
    limit, offset = row_count(limit, "limit"), row_count(offset, "offset")
    conn = raw_connection(db)
    compiled = _compile(query, raw)
    if limit <= 0:
        return []
    frm, where, params, driver = _matching(conn, compiled, filters or Filters())
    grouped = not all_copies and has_copies(conn)
    story = _STORY if grouped else "a.id"
    ranked = sort == "relevance" and driver is not None
    index = _INDEX.get(driver or "", "")
    columns = f"a.id, {story}"
    if ranked:
        # FTS5 consumes ORDER BY rank itself (no SQLite sorter), so the snippet in the select
        # list is computed only for the rows stepped through: the hits, plus skipped copies.
        columns += f", {index}.rank"
        if driver == "main":
            columns += ", snippet(articles_fts, 1, ?, ?, '…', ?)"
            params = [*highlight, SNIPPET_TOKENS, *params]
    # By instants (UTC), not the text with its offset (newsarc.store.filters); "relevance"
    # without words to rank (a filter-only query) lists newest first.
    order = f"ORDER BY {index}.rank" if ranked else DATE_ORDERS.get(sort, DATE_ORDERS["newest"])
    sql = f"SELECT {columns} FROM {frm} WHERE {where} {order}"
    if not grouped:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    with _reported(raw):
        rows = _first_stories(conn.execute(sql, params), limit, offset if grouped else 0)
        return _hits(conn, rows, compiled, driver, highlight)


def count(
    db: Conn,
    query: str,
    *,
    filters: Filters | None = None,
    raw: bool = False,
    all_copies: bool = False,
) -> int:
    """How many stories (or articles, with ``all_copies``) match."""
    conn = raw_connection(db)
    compiled = _compile(query, raw)
    frm, where, params, _ = _matching(conn, compiled, filters or Filters())
    grouped = not all_copies and has_copies(conn)
    what = f"count(DISTINCT {_STORY})" if grouped else "count(*)"
    with _reported(raw):
        return int(conn.execute(f"SELECT {what} FROM {frm} WHERE {where}", params).fetchone()[0])


def iter_matches(
    db: Conn,
    query: str,
    *,
    filters: Filters | None = None,
    raw: bool = False,
    sort: str | None = None,
) -> Iterator[Article]:
    """Every matching article (all copies) in id order, or in the date order ``sort`` names
    (newsarc.store.filters.DATE_ORDERS), streamed from a cursor. QueryError for another
    ``sort``."""
    if sort is not None and sort not in DATE_ORDERS:
        raise QueryError(f"unknown sort {sort!r} (one of {', '.join(DATE_ORDERS)})")
    conn = raw_connection(db)
    compiled = _compile(query, raw)
    frm, where, params, driver = _matching(conn, compiled, filters or Filters())
    if sort is not None:
        order = DATE_ORDERS[sort]
    else:  # the index's rowid is the article's id: the same order, without a sort
        order = f"ORDER BY {_INDEX[driver]}.rowid" if driver else "ORDER BY a.id"
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    with _reported(raw):
        rows = cursor.execute(f"SELECT a.* FROM {frm} WHERE {where} {order}", params)
    with _reported(raw):
        for row in rows:
            yield Article.from_row(dict(row))


# -- internals -------------------------------------------------------------------------


def _compile(query: str, raw: bool) -> Plan:
    if not raw:
        return plan(parse(query))
    expression = clean(query).strip()
    if not expression:
        raise QueryError("nothing to search for: the query is empty")
    return Plan(main=expression)


def _matching(
    conn: sqlite3.Connection, compiled: Plan, filters: Filters
) -> tuple[str, str, list[Any], str | None]:
    """FROM and WHERE for the articles ``a`` matching a plan, and which index drives it."""
    conditions: list[str] = []
    params: list[Any] = []

    def inside(index: str, expression: str, negate: bool = False) -> str:
        params.append(expression)
        return (
            f"a.id {'NOT ' if negate else ''}IN (SELECT rowid FROM {index} WHERE {index} MATCH ?)"
        )

    if compiled.main:
        frm, driver = "articles_fts CROSS JOIN articles a ON a.id = articles_fts.rowid", "main"
        conditions.append("articles_fts MATCH ?")
        params.append(compiled.main)
        if compiled.cjk:
            conditions.append(inside("articles_cjk", compiled.cjk))
    elif compiled.cjk:
        frm, driver = "articles_cjk CROSS JOIN articles a ON a.id = articles_cjk.rowid", "cjk"
        conditions.append("articles_cjk MATCH ?")
        params.append(compiled.cjk)
    else:
        frm, driver = "articles a", None
    if compiled.main_not:
        conditions.append(inside("articles_fts", compiled.main_not, negate=True))
    if compiled.cjk_not:
        conditions.append(inside("articles_cjk", compiled.cjk_not, negate=True))
    for group in compiled.mixed:
        alternatives = []
        for main, cjk in group:
            parts = []
            if main:
                parts.append(inside("articles_fts", main))
            if cjk:
                parts.append(inside("articles_cjk", cjk))
            alternatives.append("(" + " AND ".join(parts) + ")")
        conditions.append("(" + " OR ".join(alternatives) + ")")
    filters.prepare(conn)
    filter_sql, filter_params = filters.where("a")
    return frm, (" AND ".join(conditions) or "1") + filter_sql, params + filter_params, driver


def _first_stories(
    rows: Iterator[tuple[Any, ...]], limit: int, offset: int
) -> list[tuple[Any, ...]]:
    """The first row of each of the first ``limit`` stories after skipping ``offset`` of them.

    A row is (id, story, [rank, [snippet]]).
    """
    seen: set[int] = set()
    chosen: list[tuple[Any, ...]] = []
    for row in rows:
        if row[1] in seen:
            continue
        seen.add(row[1])
        if len(seen) > offset:
            chosen.append(row)
            if len(chosen) >= limit:
                break
    return chosen


def _hits(
    conn: sqlite3.Connection,
    found: list[tuple[Any, ...]],
    compiled: Plan,
    driver: str | None,
    highlight: tuple[str, str],
) -> list[Hit]:
    """Hits for the chosen rows: stored fields, plus any snippet the first query did not make."""
    if not found:
        return []
    ids = [row[0] for row in found]
    marks = ", ".join("?" * len(ids))
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    body = "a.body" if driver != "main" else "NULL"
    stored = {
        row["id"]: row
        for row in cursor.execute(
            "SELECT a.id, a.url, a.headline, a.published, a.modified, a.section, a.site,"
            f" a.authors, a.topics, a.language, {body} AS body, {_STORY} AS story_id"
            f" FROM articles a WHERE a.id IN ({marks})",
            ids,
        )
    }
    wanted = needles(compiled.words)
    hits = []
    for article_id, _, *extra in found:
        row = stored[article_id]
        score = extra[0] if extra else None
        if len(extra) == 2:
            snippet = extra[1]
        elif driver == "main":
            # One statement per hit, without rank: bm25 would recount the whole doclist of
            # every term each time, which for a common word costs milliseconds per hit.
            snippet = conn.execute(
                "SELECT snippet(articles_fts, 1, ?, ?, '…', ?) FROM articles_fts"
                " WHERE articles_fts MATCH ? AND rowid = ?",
                [*highlight, SNIPPET_TOKENS, compiled.main, article_id],
            ).fetchone()[0]
        else:
            snippet = snippet_of(row["body"] or "", wanted, highlight)
        if driver == "main":
            snippet = _marked(conn, article_id, snippet, wanted, highlight)
        hits.append(
            Hit(
                id=article_id,
                url=row["url"],
                headline=row["headline"],
                published=row["published"],
                modified=row["modified"],
                section=row["section"],
                site=row["site"],
                authors=json.loads(row["authors"] or "[]"),
                topics=json.loads(row["topics"] or "[]"),
                language=row["language"],
                snippet=snippet,
                score=None if score is None else round(-score, 4),
                story_id=row["story_id"],
            )
        )
    return hits


def _marked(
    conn: sqlite3.Connection,
    article_id: int,
    snippet: str,
    wanted: Needles,
    highlight: tuple[str, str],
) -> str:
    """FTS5's snippet, or one made in Python when that marks more of the query's words.

    FTS5 marks whole tokens of the body only; a word matched through the body's search form
    (newsarc.store.searchforms: "G7" in "G7峰会", "NATO" for "ＮＡＴＯ", "strasse" for "Straße")
    is inside a longer token or written otherwise, and stays unmarked. Only when FTS5 left a word
    of the query unmarked is the article read again, and only if it has a search form; the
    snippet made then (newsarc.snippets) marks whole words as the index holds them.
    """
    if not highlight[0]:
        return snippet
    found = marked(snippet, wanted, highlight)
    if len(found) == wanted.size():
        return snippet
    row = conn.execute(
        "SELECT body FROM articles WHERE id = ? AND search_body != ''", [article_id]
    ).fetchone()
    if row is None:
        return snippet
    made = snippet_of(row[0], wanted, highlight)
    return made if len(marked(made, wanted, highlight)) > len(found) else snippet


@contextmanager
def _reported(raw: bool) -> Iterator[None]:
    """Turn SQLite's complaint about a raw FTS5 expression into a one-line QueryError."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if raw:
            raise QueryError(f"bad FTS5 query: {exc}") from None
        raise
