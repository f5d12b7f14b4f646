"""The batch writer's ``save_and_link`` (band keys computed by a worker) against what it
replaces: ``save_article``, which computes them itself. Both paths write the same articles
into two archives, which must then hold the same rows in every table (rowids included, FTS5
shadow tables too) and give the same search results."""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlite_utils

from newsarc import rawpage, store
from newsarc.dedupe import band_keys, signature
from newsarc.model import Article, Page
from newsarc.search import search

_WORDS = (
    "harbour council budget election river bridge school hospital train strike museum "
    "festival market storm flood court minister village library stadium airport tunnel "
    "vaccine farmers energy prices wages housing police station coast forest"
).split()
_CJK_BODY = "東京都庁で新しい予算が発表された。市民は道路の修理について質問した。" * 6


@dataclass
class Item:
    """One extracted page as the ingest writer gets it."""

    article: Article
    page: Page | None
    bands: list[str]
    raw: bytes | None


def _body(n: int, variant: int = 0) -> str:
    words = [_WORDS[(n * 7 + i * (3 + variant)) % len(_WORDS)] for i in range(90)]
    sentences = [" ".join(words[i : i + 9]).capitalize() + "." for i in range(0, 90, 9)]
    return f"Report {n}. " + " ".join(sentences)


def _page(url: str, final: str | None = None, content: bytes | None = None) -> Page:
    headers = {"Content-Type": "text/html; charset=utf-8", "ETag": f'"{url}"', "Set-Cookie": "x"}
    body = content if content is not None else f"<html><p>{url}</p></html>".encode()
    return Page(url, final or url, 200, headers, body, "2024-05-01T10:00:00+00:00")


def _item(
    url: str,
    body: str,
    *,
    headline: str | None = None,
    page: Page | None | bool = True,
    compressed: bool = True,
    **fields: object,
) -> Item:
    article = Article(url=url, headline=headline or body[:40], body=body, **fields)  # type: ignore[arg-type]
    the_page = _page(url) if page is True else page or None
    raw = rawpage.compress(the_page.content) if the_page is not None and compressed else None
    return Item(article, the_page, band_keys(signature(body)), raw)


def _items() -> Iterator[Item]:
    """New articles, copies, aliases, updates, re-fetches, CJK text and odd cases, in an
    order where later items find earlier ones."""
    for n in range(40):
        yield _item(f"https://news{n % 5}.example.com/story/{n}", _body(n))
    # near-duplicates: the same story with a line added, on other sites
    for n in range(0, 40, 4):
        yield _item(f"https://copies.example.org/{n}", f"Updated. {_body(n)}")
    # a redirect: requested, final and canonical addresses all differ
    redirected = _page("https://t.example/abc", "https://news1.example.com/story/long-read/1")
    yield _item(
        "https://news1.example.com/story/long-read",
        _body(100),
        page=redirected,
        canonical_url="https://news1.example.com/story/long-read?amp=1",
    )
    # the same URL again with the same page (unchanged, page not stored twice)
    yield _item("https://news0.example.com/story/0", _body(0))
    # the same URL again with a new text (updated, revision kept) and a new page
    yield _item(
        "https://news1.example.com/story/1",
        _body(1, variant=1),
        page=_page("https://news1.example.com/story/1", content=b"<html>v2</html>"),
    )
    # another address with an identical long text: the same article
    yield _item("https://mirror.example.net/2", _body(2))
    # a canonical URL that joins an AMP copy with the same headline
    yield _item(
        "https://news3.example.com/amp/3",
        _body(3, variant=2),
        headline=_body(3)[:40],
        canonical_url="https://news3.example.com/story/3",
    )
    # CJK text (the bigram index), no raw page compressed ahead, no page at all
    yield _item("https://jp.example.com/a", _CJK_BODY, headline="東京都の予算")
    yield _item("https://jp.example.com/b", _body(200), compressed=False)
    yield _item("https://nopage.example.com/c", _body(201), page=False)
    # a short text and no band keys
    item = _item("https://short.example.com/d", "Video unavailable.")
    yield Item(item.article, item.page, [], item.raw)
    # a front page as canonical (never an alias), and tracking parameters
    yield _item(
        "https://news4.example.com/story/9?utm_source=x",
        _body(300),
        canonical_url="https://news4.example.com/",
    )


def _write(db: sqlite_utils.Database, items: list[Item], *, new_path: bool) -> list[str]:
    statuses = []
    with store.batch_cache(db):
        for n, item in enumerate(copy.deepcopy(items)):
            if new_path:
                result = store.save_and_link(
                    db, item.article, item.page, item.bands, commit=False, raw=item.raw
                )
            else:
                result = store.save_article(db, item.article, item.page, commit=False, raw=item.raw)
            statuses.append(result.status)
            if n % 7 == 6:
                db.conn.commit()
        db.conn.commit()
    return statuses


def _tables(db: sqlite_utils.Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every stored table (FTS5 shadow tables included), rowids included."""
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
            " AND name NOT IN ('_sqlite_migrations', 'sqlite_sequence') ORDER BY name"
        )
    ]
    tables = {}
    for name in names:
        without_rowid = (
            "WITHOUT ROWID"
            in db.execute("SELECT sql FROM sqlite_master WHERE name = ?", [name])
            .fetchone()[0]
            .upper()
        )
        columns = "*" if without_rowid else "rowid, *"
        tables[name] = db.execute(f'SELECT {columns} FROM "{name}" ORDER BY 1, 2').fetchall()
    return tables


@pytest.fixture
def archives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[sqlite_utils.Database, sqlite_utils.Database, list[str], list[str]]]:
    # Revisions record when they were made: the same clock for both paths.
    monkeypatch.setattr("newsarc.store.articles.utc_now", lambda: "2024-06-01T00:00:00+00:00")
    items = list(_items())
    old = store.open_db(tmp_path / "old.db")
    new = store.open_db(tmp_path / "new.db")
    old_statuses = _write(old, items, new_path=False)
    new_statuses = _write(new, items, new_path=True)
    yield old, new, old_statuses, new_statuses
    old.close()
    new.close()


def test_every_table_holds_the_same_rows(archives) -> None:  # type: ignore[no-untyped-def]
    old, new, old_statuses, new_statuses = archives
    assert new_statuses == old_statuses
    # the cases the items are meant to cover all happened
    assert {"new", "updated", "unchanged"} <= set(old_statuses)
    old_tables, new_tables = _tables(old), _tables(new)
    assert sorted(old_tables) == sorted(new_tables)
    assert "articles_fts_data" in old_tables and "articles_cjk_data" in old_tables
    for name, rows in old_tables.items():
        assert new_tables[name] == rows, name
    counts = {name: len(rows) for name, rows in old_tables.items()}
    assert counts["story_copies"] >= 8 and counts["revisions"] >= 1
    assert counts["pages"] < len(old_statuses)  # a page already stored is not stored again
    kinds = {row[3] for row in old_tables["article_urls"]}
    assert kinds == {"url", "final", "requested", "canonical", "copy"}


@pytest.mark.parametrize(
    "query", ["harbour", "bridge school", '"updated report"', "report 7", "東京", "予算", "updated"]
)
def test_search_gives_the_same_hits(archives, query: str) -> None:  # type: ignore[no-untyped-def]
    old, new, _, _ = archives
    for all_copies in (False, True):
        found = [
            [(hit.id, hit.snippet) for hit in search(db, query, limit=100, all_copies=all_copies)]
            for db in (old, new)
        ]
        assert found[0] == found[1]
    assert found[0], query


def test_integrity_of_both_indexes(archives) -> None:  # type: ignore[no-untyped-def]
    for db in archives[:2]:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


# -- fewer statements, one atomic write ---------------------------------------------------


def _statements(db: sqlite_utils.Database, item: Item, *, new_path: bool) -> list[str]:
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        if new_path:
            store.save_and_link(db, item.article, item.page, item.bands, commit=False, raw=item.raw)
        else:
            result = store.save_article(db, item.article, item.page, commit=False, raw=item.raw)
            store.link_story(db, result.id, item.bands, commit=False)
    finally:
        db.conn.set_trace_callback(None)
    return [s for s in seen if not s.lstrip().startswith("--")]  # FTS5's own statements


def test_a_new_article_costs_fewer_statements(tmp_path: Path) -> None:
    old = store.open_db(tmp_path / "old.db")
    new = store.open_db(tmp_path / "new.db")
    for db, new_path in ((old, False), (new, True)):
        _statements(db, _item("https://a.example/1", _body(1)), new_path=new_path)
    before = _statements(old, _item("https://a.example/2", _body(2)), new_path=False)
    after = _statements(new, _item("https://a.example/2", _body(2)), new_path=True)
    assert sum(s.startswith("SAVEPOINT") for s in before) == 2
    assert sum(s.startswith("SAVEPOINT") for s in after) == 1
    assert not [s for s in after if s.startswith(("DELETE", "SELECT size"))]
    assert len(after) < len(before) - 5
    old.close()
    new.close()


def test_a_failure_anywhere_leaves_nothing_of_the_article(db: sqlite_utils.Database) -> None:
    store.save_and_link(db, *_args(_item("https://a.example/1", _body(1))), commit=False)
    # the band keys fail (NOT NULL) after the article, its page and aliases are written
    bad = _item("https://a.example/2", _body(2))
    with pytest.raises(sqlite3.IntegrityError):
        store.save_and_link(db, bad.article, bad.page, [None], raw=bad.raw, commit=False)  # type: ignore[list-item]
    assert db.conn.in_transaction  # the batch goes on
    db.conn.commit()
    for table in ("articles", "pages", "article_urls", "story_bands", "articles_fts_docsize"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] <= 16, table
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 1
    assert db.execute("SELECT count(DISTINCT article_id) FROM story_bands").fetchone()[0] == 1
    assert not store.has_url(db, "https://a.example/2")
    assert db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'report'").fetchall()


def _args(item: Item) -> tuple[Article, Page | None, list[str]]:
    return item.article, item.page, item.bands


def test_existing_article_keeps_the_checks_of_save_article(db: sqlite_utils.Database) -> None:
    item = _item("https://a.example/1", _body(1))
    first = store.save_and_link(db, *_args(item), raw=item.raw)
    again = store.save_and_link(db, *_args(copy.deepcopy(item)), raw=item.raw)
    assert (first.status, again.status) == ("new", "unchanged")
    assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 1  # same bytes: not again
    assert db.execute("SELECT count(*) FROM story_bands").fetchone()[0] == len(set(item.bands))
