"""The archive: schema and migrations, upserts and revisions, raw pages, aliases, sources,
failures, stories, and opening archives that are missing, foreign or old."""

from __future__ import annotations

import dataclasses
import re
import shutil
import sqlite3
import threading
import zlib
from functools import partial
from pathlib import Path

import pytest
import sqlite_utils

from newsarc import rawpage, store
from newsarc.errors import InputError, StoreError
from newsarc.model import Article, Page
from newsarc.store import Filters, writes
from tests.conftest import fixture_path

LONG_BODY = " ".join(f"Sentence {i} about the harbour expansion plan." for i in range(12))


def article(url: str = "https://example.com/news/a", **fields: object) -> Article:
    values: dict = {"headline": "Harbour expansion approved", "body": LONG_BODY}
    values.update(fields)
    return Article(url=url, **values)  # type: ignore[arg-type]


def page(url: str, final: str | None = None, content: bytes = b"<html>x</html>") -> Page:
    headers = {"Content-Type": "text/html", "Set-Cookie": "session=secret", "ETag": '"v1"'}
    return Page(url=url, final_url=final or url, status=200, headers=headers, content=content)


def fts_ids(db: sqlite_utils.Database, expression: str, table: str = "articles_fts") -> list[int]:
    rows = db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", [expression])
    return sorted(row[0] for row in rows)


# -- opening -----------------------------------------------------------------------------


def test_open_db_creates_folder_and_applies_every_migration(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "archive.db"
    db = store.open_db(path)
    assert path.exists()
    from newsarc.store.schema import migrations

    assert [m.name for m in migrations.applied(db)] == list(store.MIGRATIONS)
    assert store.pending_migrations(db) == []
    tables = set(db.table_names())
    assert {"articles", "pages", "revisions", "articles_fts", "articles_cjk", "article_urls",
            "story_copies", "story_bands", "sources", "failures"} <= tables  # fmt: skip


def test_connection_settings(db: sqlite_utils.Database) -> None:
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000


def test_batch_cache_is_larger_during_a_batch_then_restored(db: sqlite_utils.Database) -> None:
    def cache_size() -> int:
        return int(db.execute("PRAGMA cache_size").fetchone()[0])

    def temp_store() -> int:
        return int(db.execute("PRAGMA temp_store").fetchone()[0])

    before, temp_before = cache_size(), temp_store()
    assert temp_before != writes.TEMP_STORE_MEMORY
    with store.batch_cache(db):
        assert cache_size() == -writes.BATCH_CACHE_KIB
        assert temp_store() == writes.TEMP_STORE_MEMORY
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # durability as before
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (cache_size(), temp_store()) == (before, temp_before)
    with pytest.raises(RuntimeError), store.batch_cache(db):
        raise RuntimeError("a batch that fails")
    assert (cache_size(), temp_store()) == (before, temp_before)


def test_batch_cache_restores_what_it_can_inside_an_open_transaction(
    db: sqlite_utils.Database,
) -> None:
    # SQLite refuses to change temp_store in a transaction once temporary tables exist.
    with store.batch_cache(db):
        db.execute("CREATE TEMP TABLE scratch (x)")
        db.conn.execute("BEGIN")
        db.execute("INSERT INTO scratch VALUES (1)")
    assert db.execute("PRAGMA cache_size").fetchone()[0] == -2000
    db.conn.rollback()


def test_a_rolled_back_savepoint_in_a_batch_restores_every_page(
    db: sqlite_utils.Database,
) -> None:
    """The sub-journal in memory still undoes a failed article inside a long batch."""
    with store.batch_cache(db):
        for n in range(30):
            store.save_article(db, article(f"https://example.com/{n}", body=f"{LONG_BODY} {n}"),
                               page(f"https://example.com/{n}", content=b"x" * 20_000 * (n + 1)),
                               commit=False)  # fmt: skip
        broken = page("https://example.com/3")
        broken.content = None  # type: ignore[assignment]  # fails after the article row is written
        with pytest.raises(TypeError):
            store.save_article(db, article("https://example.com/3", body="changed"), broken,
                               commit=False)  # fmt: skip
        db.conn.commit()
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.get_article(db, 4).body == f"{LONG_BODY} 3"  # type: ignore[union-attr]
    assert db.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0
    assert fts_ids(db, "changed") == []
    assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 30


def test_migration_names_match_the_registered_migrations() -> None:
    from newsarc.store.schema import migrations

    assert tuple(m.name for m in migrations._migrations) == store.MIGRATIONS


def test_every_public_name_loads_lazily_and_none_is_a_module() -> None:
    import subprocess
    import sys
    import types

    assert set(store.__all__) == set(store._LAZY)
    for name in store.__all__:
        assert not isinstance(getattr(store, name), types.ModuleType), name
    # `newsarc search` loads only what it needs from the store
    code = "import sys, newsarc.search; print(sorted(m for m in sys.modules if 'store.' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "articles" not in out.stdout and "schema" not in out.stdout


def test_open_db_twice_is_idempotent(db_path: Path) -> None:
    store.open_db(db_path).close()
    db = store.open_db(db_path)
    rows = db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert rows == len(store.MIGRATIONS)


def test_text_file_is_not_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    for opener in (store.open_db, store.connect):
        with pytest.raises(StoreError, match="is not a newsarc archive"):
            opener(path)
    assert path.read_text().startswith("these are my notes")


def test_foreign_sqlite_database_with_an_articles_table(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT)")
    before = path.read_bytes()
    for opener in (store.open_db, store.connect, partial(store.connect, readonly=True)):
        with pytest.raises(
            StoreError, match=r"is not a newsarc archive \(it holds other tables: articles\)"
        ):
            opener(path)
    assert path.read_bytes() == before  # left as it was, journal mode included


def test_another_programs_database_is_never_made_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "places.sqlite"
    with sqlite3.connect(path) as conn:
        for name in ("moz_places", "moz_bookmarks", "moz_origins", "moz_keywords"):
            conn.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY, url TEXT)")
        # sqlite-utils' migrations table, of another project
        conn.execute("CREATE TABLE _sqlite_migrations (migration_set TEXT, name TEXT)")
        conn.execute("INSERT INTO _sqlite_migrations VALUES ('bookmarks', 'm001')")
    before = path.read_bytes()
    for opener in (store.open_db, store.connect, partial(store.connect, readonly=True)):
        with pytest.raises(StoreError) as caught:
            opener(path)
        assert str(caught.value) == (
            f"{path} is not a newsarc archive (it holds other tables: "
            "_sqlite_migrations, moz_bookmarks, moz_keywords and 2 more)"
        )
    assert path.read_bytes() == before


def test_an_empty_file_becomes_an_archive_only_for_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    for opener in (store.connect, partial(store.connect, readonly=True)):
        with pytest.raises(StoreError, match="is an empty database, no archive yet"):
            opener(path)
    assert path.stat().st_size == 0
    store.open_db(path).close()
    assert store.pending_migrations(store.connect(path, readonly=True)) == []


def test_connect_never_creates_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    with pytest.raises(
        StoreError, match=r"^no archive at .*missing.db \(run newsarc fetch first\)$"
    ):
        store.connect(path)
    assert not path.exists()
    with pytest.raises(StoreError, match="is a directory"):
        store.connect(tmp_path)


def test_readonly_connection_refuses_writes(db: sqlite_utils.Database, db_path: Path) -> None:
    conn = store.connect(db_path, readonly=True)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM articles")


def test_old_archive_upgrades_in_place_with_nothing_lost(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    shutil.copy(fixture_path("archive-v1.db"), path)
    with sqlite3.connect(path) as conn:
        cursor = conn.execute("SELECT * FROM articles ORDER BY id")
        before = cursor.fetchall()
        columns = ", ".join(d[0] for d in cursor.description)
        pages = conn.execute("SELECT * FROM pages ORDER BY id").fetchall()
        assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")] == [
            "m001_initial"
        ]
    conn = store.connect(path, readonly=True)  # a reading command upgrades it
    assert store.pending_migrations(conn) == []
    assert conn.execute(f"SELECT {columns} FROM articles ORDER BY id").fetchall() == before
    # articles from before subheadings were kept apart have none (reextract moves them out)
    assert {r[0] for r in conn.execute("SELECT subheadings FROM articles")} == {"[]"}
    assert store.get_article(conn, 1).subheadings == []  # type: ignore[union-attr]
    assert conn.execute("SELECT * FROM pages ORDER BY id").fetchall() == pages
    assert store.revisions(conn, 1)[0].body == "Men queued at the border crossing."
    # the indexes cover the old rows: words, folded accents, and CJK through the new index
    assert [r[0] for r in conn.execute(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'muller'")] == [2]  # fmt: skip
    assert [r[0] for r in conn.execute(
        "SELECT rowid FROM articles_cjk WHERE articles_cjk MATCH '\"投票\"'")] == [3]  # fmt: skip
    assert store.has_url(conn, "https://zeitung.example.de/politik/mueller-gewinnt?utm_source=x")
    assert store.get_article(conn, 3).headline == "東京都知事選挙の投票率が上昇"  # type: ignore[union-attr]
    assert dict(next(store.latest_pages(conn, [2]))[1].headers) == {
        "Content-Type": "text/html; charset=utf-8"
    }
    conn.close()
    db = store.open_db(path)  # and it can be written to afterwards
    assert store.save_article(db, article("https://example.com/new")).status == "new"


# -- saving --------------------------------------------------------------------------------


def test_save_new_then_unchanged(db: sqlite_utils.Database) -> None:
    first = store.save_article(db, article(fetched_at="2024-01-01T00:00:00+00:00"))
    again = store.save_article(db, article(fetched_at="2024-01-02T00:00:00+00:00"))
    assert (first.status, again.status, first.id) == ("new", "unchanged", again.id)
    row = db.execute("SELECT fetched_at, first_fetched_at FROM articles").fetchone()
    assert row == ("2024-01-02T00:00:00+00:00", "2024-01-01T00:00:00+00:00")
    assert db.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0


def test_tracking_parameters_never_make_a_second_record(db: sqlite_utils.Database) -> None:
    a = store.save_article(db, article("https://Example.com/news/a?utm_source=tw#top"))
    b = store.save_article(db, article("https://example.com/news/a?fbclid=1"))
    assert a.id == b.id
    assert db.execute("SELECT url FROM articles").fetchall() == [("https://example.com/news/a",)]


def test_changed_text_keeps_the_old_one_as_a_revision(db: sqlite_utils.Database) -> None:
    first = store.save_article(db, article(extractor_version="1"))
    second = store.save_article(
        db, article(headline="Harbour expansion halted", body="The plan was halted.",
                    extractor_version="2")
    )  # fmt: skip
    assert (second.id, second.status) == (first.id, "updated")
    [old] = store.revisions(db, first.id)
    assert (old.headline, old.body, old.extractor_version) == (
        "Harbour expansion approved", LONG_BODY, "1")  # fmt: skip
    current = store.get_article(db, first.id)
    assert current is not None and current.body == "The plan was halted."
    # the FTS index follows the text: new words found, old ones gone
    assert fts_ids(db, "halted") == [first.id]
    assert fts_ids(db, "approved") == []


def test_an_older_capture_does_not_replace_a_newer_one(db: sqlite_utils.Database) -> None:
    # A WARC of May ingested (with --refresh) after one of June: May's text is history.
    june = page("https://example.com/news/a")
    june.fetched_at = "2024-06-01T10:00:00+00:00"
    first = store.save_article(db, article(body=LONG_BODY + " The minister resigned."), june)
    may = page("https://example.com/news/a", content=b"<html>may</html>")
    may.fetched_at = "2024-05-01T10:00:00+00:00"
    older = store.save_article(db, article(section="Archive"), may)
    assert (older.id, older.status) == (first.id, "unchanged")
    current = store.get_article(db, first.id)
    assert current is not None
    assert current.body.endswith("The minister resigned.") and current.section is None
    assert current.fetched_at == "2024-06-01T10:00:00+00:00"
    first_fetched = db.execute("SELECT first_fetched_at FROM articles").fetchone()[0]
    assert first_fetched == "2024-05-01T10:00:00+00:00"
    assert [r.body for r in store.revisions(db, first.id)] == [LONG_BODY]
    again = store.save_article(db, article(), may)  # the same old capture twice: kept once
    assert again.status == "unchanged" and len(store.revisions(db, first.id)) == 1


def test_a_short_brief_under_another_scheme_or_slash_is_one_record(
    db: sqlite_utils.Database,
) -> None:
    # Under 50 words the text cannot identify a page, and a brief often has no canonical link.
    brief = "Fire crews were called to a warehouse on Dock Road at 6am. Nobody was hurt."
    first = store.save_article(db, article("https://news.example/brief/fire", body=brief))
    for url in ("http://news.example/brief/fire", "http://news.example/brief/fire/"):
        again = store.save_article(db, article(url, body=brief))
        assert (again.id, again.status) == (first.id, "unchanged")
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    assert store.has_url(db, "http://news.example/brief/fire/")
    other = store.save_article(db, article("https://news.example/brief/fire/?page=2", body=brief))
    assert other.id != first.id  # another query: another page
    unlike = store.save_article(
        db, article("https://news.example/brief/", headline="Briefs", body="Today's briefs.")
    )
    slashless = store.save_article(
        db, article("https://news.example/brief", headline="Brief: fire", body="Other text.")
    )
    assert slashless.id != unlike.id  # another headline and text: not the same page


def test_a_page_at_another_records_canonical_address_is_its_own_unless_the_text_agrees(
    db: sqlite_utils.Database,
) -> None:
    # Saved pages naming a section page as their og:url: the one stored first makes that
    # address its canonical alias; the other page, saved under that address, is another story.
    first = store.save_article(
        db,
        article(
            "https://news.example/saved/og-1.html",
            canonical_url="https://news.example/world/",
            headline="Og story 1",
        ),
    )
    other = store.save_article(
        db,
        article(
            "https://news.example/world/",
            headline="Og story 0",
            body=" ".join(f"Another sentence {i} on a different matter." for i in range(12)),
        ),
    )
    assert other.status == "new" and other.id != first.id
    kept = store.get_article(db, first.id)
    assert kept is not None and kept.headline == "Og story 1"
    # The canonical page itself, after its AMP version: the same record, updated.
    amp = store.save_article(
        db, article("https://news.example/amp/b", canonical_url="https://news.example/b")
    )
    page_b = store.save_article(db, article("https://news.example/b", section="World"))
    assert page_b.id == amp.id


def test_metadata_change_is_an_update_and_empty_values_never_erase(
    db: sqlite_utils.Database,
) -> None:
    store.save_article(db, article(section="World", authors=["Ann Lee"], published="2024-01-01"))
    result = store.save_article(db, article(section="Europe"))
    stored = store.get_article(db, result.id)
    assert result.status == "updated"
    assert stored is not None
    assert (stored.section, stored.authors, stored.published) == (
        "Europe",
        ["Ann Lee"],
        "2024-01-01",
    )
    assert db.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0


def test_canonical_url_joins_an_amp_copy_with_the_same_headline(db: sqlite_utils.Database) -> None:
    original = store.save_article(db, article("https://example.com/news/a"))
    amp = store.save_article(
        db,
        article("https://example.com/amp/news/a", canonical_url="https://example.com/news/a",
                body="Shorter AMP text."),
    )  # fmt: skip
    assert amp.id == original.id
    assert store.has_url(db, "https://example.com/amp/news/a")
    assert store.get_article(db, "https://example.com/amp/news/a").id == original.id  # type: ignore[union-attr]


def test_a_shared_canonical_with_other_text_is_a_different_article(
    db: sqlite_utils.Database,
) -> None:
    section = "https://example.com/world/"
    a = store.save_article(db, article("https://example.com/world/a", canonical_url=section))
    b = store.save_article(
        db, article("https://example.com/world/b", canonical_url=section,
                    headline="Another story", body="Entirely different words here.")
    )  # fmt: skip
    assert a.id != b.id


def test_front_page_canonical_is_never_an_alias(db: sqlite_utils.Database) -> None:
    a = store.save_article(
        db, article("https://example.com/a", canonical_url="https://example.com/")
    )
    assert store.canonical_alias("https://example.com/") is None
    assert not store.has_url(db, "https://example.com/")
    b = store.save_article(
        db, article("https://example.com/b", canonical_url="https://example.com/",
                    headline="Other", body="Other text entirely.")
    )  # fmt: skip
    assert a.id != b.id


def test_identical_long_text_and_headline_at_another_address_is_the_same_article(
    db: sqlite_utils.Database,
) -> None:
    a = store.save_article(db, article("https://example.com/news/a"))
    b = store.save_article(db, article("https://mirror.example.org/copy"))
    assert a.id == b.id
    short = "Video unavailable."
    c = store.save_article(db, article("https://example.com/v1", body=short))
    d = store.save_article(db, article("https://example.com/v2", body=short))
    assert c.id != d.id


def test_identical_japanese_text_at_another_address_is_the_same_article(
    db: sqlite_utils.Database,
) -> None:
    """Japanese has no spaces between words: a 300-character story is one "run" of word
    characters per sentence, and was counted as 16 words, too short to be matched by its
    text. It counts two characters a word now, as its prose holds."""
    body = "\n\n".join(
        "東京都は十四日、市内のバス路線網を全面的に見直す計画を正式に承認した。" * 2
        for _ in range(4)
    )
    headline = "東京都、バス路線網の見直しを承認"
    a = store.save_article(db, article("https://example.jp/news/1", headline=headline, body=body))
    b = store.save_article(
        db, article("https://example.jp/news/1?ref=top-story", headline=headline, body=body)
    )
    assert b.id == a.id
    assert db.execute("SELECT word_count FROM articles").fetchone()[0] >= 100


@pytest.mark.parametrize(
    ("first", "then"),
    [("/news/ändrad-story", "/news/%C3%A4ndrad-story"), ("/news/%c3%a4ndrad", "/news/ändrad")],
)
def test_the_address_written_out_or_percent_encoded_is_one_page(
    db: sqlite_utils.Database, first: str, then: str
) -> None:
    """Browsers and feeds give a path's letters beyond ASCII either way: a re-fetch under
    the other spelling updates the record (it made a second record)."""
    a = store.save_article(db, article(f"https://example.se{first}"))
    edited = LONG_BODY + "\n\nUPDATE: the council voted again."
    b = store.save_article(db, article(f"https://example.se{then}", body=edited))
    assert (b.id, b.status) == (a.id, "updated")
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_the_page_a_record_names_as_canonical_takes_the_record_over(
    db: sqlite_utils.Database,
) -> None:
    """A paper's syndicated copy, archived first, names the wire's page as canonical; when the
    wire's page comes, the record is the wire's: its address with its metadata (it kept the
    paper's address under the wire's site and authors), and the paper's page is a copy."""
    wire = "https://wire.example.org/world/bus-overhaul"
    paper = article(
        "https://courier.example.com/syndicated", canonical_url=wire, site="Daily Courier"
    )
    first = store.save_article(db, paper)
    original = article(wire, canonical_url=wire, site="Wire Service", authors=["Peter Holm"])
    second = store.save_article(db, original)
    assert second.id == first.id
    record = store.get_article(db, first.id)
    assert record is not None and (record.url, record.site) == (wire, "Wire Service")
    kinds = dict(db.execute("SELECT url, kind FROM article_urls").fetchall())
    assert kinds["https://courier.example.com/syndicated"] == "copy"
    # The paper's page, fetched again, leads to the record and changes nothing.
    again = store.save_article(db, paper)
    assert (again.id, again.status, again.copy) == (first.id, "unchanged", True)
    assert store.get_article(db, first.id).site == "Wire Service"  # type: ignore[union-attr]


def test_identical_text_under_another_headline_is_another_article(
    db: sqlite_utils.Database,
) -> None:
    """Two paywalled articles: each its own headline over the same subscription notice."""
    mayor = store.save_article(db, article("https://example.com/p/mayor", headline="Mayor resigns"))
    flood = store.save_article(
        db, article("https://example.com/p/flood", headline="Flood defences fail")
    )
    assert mayor.id != flood.id and flood.status == "new"
    assert db.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0
    assert not store.has_copies(db)  # the same text is no evidence of one story either


def _original() -> Article:
    return article(
        "https://example.com/news/a", published="2024-03-06", section="Local",
        authors=["Jane Writer"], site="Daily Example", canonical_url="https://example.com/news/a",
    )  # fmt: skip


def _identity(db: sqlite_utils.Database, article_id: int) -> tuple:
    stored = store.get_article(db, article_id)
    assert stored is not None
    return (stored.url, stored.published, stored.section, stored.authors, stored.site,
            stored.headline, stored.body, stored.canonical_url)  # fmt: skip


def test_a_copy_of_the_text_elsewhere_never_overwrites_the_record(
    db: sqlite_utils.Database,
) -> None:
    first = store.save_article(db, _original(), page("https://example.com/news/a"))
    before = _identity(db, first.id)
    scraper = article(
        "https://scraper.example/2024/03/07/a", published="2024-03-08", section="Politics",
        authors=["Bot Writer"], site="Scraper Central",
        canonical_url="https://scraper.example/2024/03/07/a",
    )  # fmt: skip
    for _ in range(2):  # found by its text, then again by its alias
        copy = store.save_article(db, scraper, page("https://scraper.example/2024/03/07/a"))
        assert (copy.id, copy.status) == (first.id, "unchanged")
    assert _identity(db, first.id) == before
    assert {"url": "https://scraper.example/2024/03/07/a", "kind": "copy"} in store.aliases(
        db, first.id
    )
    assert store.get_article(db, "https://scraper.example/2024/03/07/a").id == first.id  # type: ignore[union-attr]
    # the copy's raw page is not the record's: a re-extraction still reads the original
    [(_, latest)] = list(store.latest_pages(db, [first.id]))
    assert latest.url == "https://example.com/news/a"
    assert db.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0


def test_a_syndicated_copy_pointing_at_the_original_never_overwrites_it(
    db: sqlite_utils.Database,
) -> None:
    first = store.save_article(db, _original())
    before = _identity(db, first.id)
    syndicated = article(
        "https://yahoo.example/syndicated/a", canonical_url="https://example.com/news/a",
        body="(Reuters) - " + LONG_BODY + " Reporting by a desk.", published="2024-03-07",
        site="Yahoo-like News", authors=[],
    )  # fmt: skip
    result = store.save_article(db, syndicated)
    assert (result.id, result.status) == (first.id, "unchanged")
    assert _identity(db, first.id) == before
    again = store.save_article(db, article("https://yahoo.example/syndicated/a", body="Edited."))
    assert again.id == first.id and _identity(db, first.id) == before


def test_the_records_own_page_still_updates_it(db: sqlite_utils.Database) -> None:
    """An AMP page archived first, then its canonical page: the record's own page arriving."""
    amp = store.save_article(
        db, article("https://example.com/amp/a", canonical_url="https://example.com/news/a",
                    body="Short AMP text.", site="AMP")
    )  # fmt: skip
    canonical = store.save_article(db, _original())
    assert (canonical.id, canonical.status) == (amp.id, "updated")
    stored = store.get_article(db, amp.id)
    assert stored is not None and (stored.body, stored.site) == (LONG_BODY, "Daily Example")
    assert [r.body for r in store.revisions(db, amp.id)] == ["Short AMP text."]
    assert stored.url == "https://example.com/news/a"  # the canonical page is the record now
    # A re-fetch of the AMP page is a copy's, as when the canonical page comes first ...
    again = store.save_article(db, article("https://example.com/amp/a", body="AMP text again."))
    assert (again.id, again.copy) == (amp.id, True)
    assert store.get_article(db, amp.id).body == LONG_BODY  # type: ignore[union-attr]
    # ... and the record's own page updates it.
    corrected = dataclasses.replace(_original(), body="Corrected text.", content_hash="")
    store.save_article(db, corrected)
    assert store.get_article(db, amp.id).body == "Corrected text."  # type: ignore[union-attr]


def test_a_redirecting_address_only_means_already_fetched(db: sqlite_utils.Database) -> None:
    monday = store.save_article(
        db, article("https://example.com/news/monday"),
        page("https://example.com/latest", "https://example.com/news/monday"),
    )  # fmt: skip
    assert store.has_url(db, "https://example.com/latest")
    tuesday = store.save_article(
        db, article("https://example.com/latest", headline="Tuesday", body="New day."),
    )  # fmt: skip
    assert tuesday.id != monday.id and tuesday.status == "new"


def test_raw_page_is_compressed_and_only_kept_headers_stored(db: sqlite_utils.Database) -> None:
    html = ("<html><body>" + "<p>words</p>" * 2000 + "</body></html>").encode()
    result = store.save_article(db, article(), page("https://example.com/news/a", content=html))
    size, stored, headers = db.execute("SELECT size, content, headers FROM pages").fetchone()
    assert size == len(html) and len(stored) < len(html) / 10
    assert rawpage.decompress("zstd", stored) == html
    assert db.execute("SELECT compression FROM pages").fetchone()[0] == "zstd"
    assert "Set-Cookie" not in headers and "ETag" in headers
    [(article_id, newest)] = list(store.latest_pages(db))
    assert article_id == result.id and newest.content == html and newest.status == 200


def test_same_page_again_is_not_stored_twice_but_a_new_one_is(db: sqlite_utils.Database) -> None:
    url = "https://example.com/news/a"
    store.save_article(db, article(), page(url, content=b"<p>one</p>"))
    store.save_article(db, article(), page(url, content=b"<p>one</p>"))
    assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 1
    store.save_article(db, article(), page(url, content=b"<p>two</p>"))
    assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 2
    assert [p.content for _, p in store.latest_pages(db, [1])] == [b"<p>two</p>"]


def test_page_compressed_by_a_worker_is_stored_as_given(db: sqlite_utils.Database) -> None:
    url, html = "https://example.com/news/a", b"<p>one</p>" * 50
    blob = rawpage.compress(html)
    store.save_article(db, article(), page(url, content=html), raw=blob)
    assert db.execute("SELECT content, compression FROM pages").fetchone() == (blob, "zstd")
    assert [p.content for _, p in store.latest_pages(db, [1])] == [html]


def old_zlib_page(db: sqlite_utils.Database, article_id: int, url: str, html: bytes) -> None:
    """A raw page as archives before zstd stored it."""
    db.execute(
        "INSERT INTO pages (article_id, url, final_url, status, headers, fetched_at, size,"
        " compression, content) VALUES (?, ?, ?, 200, '{}', '2024-01-01T00:00:00Z', ?, 'zlib', ?)",
        [article_id, url, url, len(html), zlib.compress(html, 6)],
    )


def test_same_bytes_as_an_old_zlib_page_are_not_stored_again(db: sqlite_utils.Database) -> None:
    url, html = "https://example.com/news/a", b"<p>one</p>" * 50
    result = store.save_article(db, article())
    old_zlib_page(db, result.id, url, html)
    store.save_article(db, article(), page(url, content=html))
    assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 1
    store.save_article(db, article(), page(url, content=html + b"<p>two</p>"))
    assert db.execute("SELECT compression FROM pages ORDER BY id").fetchall() == [
        ("zlib",),
        ("zstd",),
    ]


def test_old_zlib_and_new_zstd_pages_are_both_read(db: sqlite_utils.Database) -> None:
    old_url = "https://example.com/old"
    old = store.save_article(db, article(old_url), page(old_url))
    db.execute("DELETE FROM pages")
    old_zlib_page(db, old.id, "https://example.com/old", b"<p>from an old archive</p>")
    store.save_article(
        db,
        article("https://example.com/new", body="Another story altogether."),
        page("https://example.com/new", content=b"<p>n</p>"),
    )
    contents = [p.content for _, p in store.latest_pages(db)]
    assert contents == [b"<p>from an old archive</p>", b"<p>n</p>"]


@pytest.mark.parametrize(
    ("compression", "content", "message"),
    [
        ("lzma", b"anything", "unknown compression 'lzma'"),
        ("zstd", b"not a zstd frame", "damaged raw page (zstd"),
        ("zlib", b"not a zlib stream", "damaged raw page (zlib"),
    ],
)
def test_unreadable_raw_page_is_a_store_error(
    db: sqlite_utils.Database, compression: str, content: bytes, message: str
) -> None:
    result = store.save_article(db, article(), page("https://example.com/news/a"))
    db.execute("UPDATE pages SET compression = ?, content = ?", [compression, content])
    with pytest.raises(StoreError, match=re.escape(message)):
        list(store.latest_pages(db, [result.id]))


def test_latest_pages_for_chosen_ids_in_order(db: sqlite_utils.Database) -> None:
    for n in range(3):
        url = f"https://example.com/{n}"
        store.save_article(db, article(url, body=f"text {n}"), page(url, content=f"{n}".encode()))
    assert [(i, p.content) for i, p in store.latest_pages(db, [3, 1])] == [(1, b"0"), (3, b"2")]
    assert list(store.latest_pages(db, [])) == []


def test_failed_save_leaves_nothing_behind(db: sqlite_utils.Database) -> None:
    store.save_article(db, article())
    broken = page("https://example.com/news/a")
    broken.content = None  # type: ignore[assignment]  # fails after the article row is written
    with pytest.raises(TypeError):
        store.save_article(db, article(body="changed text"), broken)
    assert not db.conn.in_transaction
    assert store.get_article(db, 1).body == LONG_BODY  # type: ignore[union-attr]
    assert db.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0


def test_commit_false_leaves_the_batch_to_the_caller(db: sqlite_utils.Database) -> None:
    store.save_article(db, article("https://example.com/1"), commit=False)
    store.record_failure(db, "https://example.com/2", "404", commit=False)
    assert db.conn.in_transaction
    db.conn.rollback()
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    store.save_article(db, article("https://example.com/1"), commit=False)
    db.conn.commit()
    assert store.has_url(db, "https://example.com/1")


def test_second_writer_waits_instead_of_failing(db: sqlite_utils.Database, db_path: Path) -> None:
    holder = sqlite3.connect(db_path, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO failures (url, reason, at) VALUES ('u', 'held', 'now')")
    released = threading.Timer(0.3, holder.commit)
    released.start()
    try:
        assert store.save_article(db, article()).status == "new"  # queued behind the holder
    finally:
        released.join()
        holder.close()
    assert db.execute("SELECT count(*) FROM failures").fetchone()[0] == 1


def test_update_extraction(db: sqlite_utils.Database) -> None:
    saved = store.save_article(db, article(extractor_version="1"))
    same = article(extractor_version="2")
    assert store.update_extraction(db, saved.id, same) is False
    assert store.get_article(db, saved.id).extractor_version == "2"  # type: ignore[union-attr]
    better = article(body="Cleaner text without the newsletter box.", extractor_version="3")
    assert store.update_extraction(db, saved.id, better) is True
    assert [r.extractor_version for r in store.revisions(db, saved.id)] == ["2"]
    with pytest.raises(StoreError, match="no article with id 99"):
        store.update_extraction(db, 99, better)


def test_subheadings_are_stored_and_follow_a_new_extraction(db: sqlite_utils.Database) -> None:
    saved = store.save_article(db, article(subheadings=["Why now", "What next"]))
    assert store.get_article(db, saved.id).subheadings == ["Why now", "What next"]  # type: ignore[union-attr]
    # the same running text with other subheadings is a change, kept without a revision
    assert store.update_extraction(db, saved.id, article(subheadings=["Why now"])) is True
    assert store.get_article(db, saved.id).subheadings == ["Why now"]  # type: ignore[union-attr]
    assert store.update_extraction(db, saved.id, article(subheadings=["Why now"])) is False
    assert store.revisions(db, saved.id) == []
    # an empty extraction never erases them
    assert store.update_extraction(db, saved.id, article(body="")) is False
    assert store.get_article(db, saved.id).subheadings == ["Why now"]  # type: ignore[union-attr]


def test_get_article_by_id_url_and_alias(db: sqlite_utils.Database) -> None:
    saved = store.save_article(db, article())
    store.add_alias(db, saved.id, "https://short.example/x1")
    for ref in (saved.id, str(saved.id), "https://example.com/news/a?utm_medium=x",
                "https://short.example/x1"):  # fmt: skip
        found = store.get_article(db, ref)
        assert found is not None and found.id == saved.id and found.authors == []
    assert store.get_article(db, 42) is None
    assert store.get_article(db, "https://example.com/other") is None
    with pytest.raises(InputError, match="not an article id or URL: 'nonsense'"):
        store.get_article(db, "nonsense")


def test_aliases_keep_their_first_article(db: sqlite_utils.Database) -> None:
    a = store.save_article(db, article("https://example.com/a", body="a"))
    b = store.save_article(db, article("https://example.com/b", body="b"))
    assert store.add_alias(db, a.id, "https://example.com/x") is True
    assert store.add_alias(db, b.id, "https://example.com/x") is False
    assert store.find_article_id(db, "https://example.com/x") == a.id
    assert {"url": "https://example.com/x", "kind": "manual"} in store.aliases(db, a.id)


# -- listing -------------------------------------------------------------------------------


def _listing_archive(db: sqlite_utils.Database) -> None:
    rows = [
        ("https://a.example.com/1", "2024-03-01T10:00:00+01:00", "World", ["Ann Lee"], "en"),
        ("https://www.b.example.org/2", "2024-01-15", "Sport", ["Bob Stone"], "en-GB"),
        ("https://a.example.com/3", None, "World", [], "de"),
        ("https://a.example.com/4", "2023-12-31", "world", ["Ann Lee", "Cy Twombly"], "fr"),
    ]
    for i, (url, published, section, authors, lang) in enumerate(rows):
        store.save_article(
            db, article(url, body=f"text {i}", published=published, section=section,
                        authors=authors, language=lang, fetched_at=f"2024-04-0{i + 1}")
        )  # fmt: skip


def test_list_newest_first_undated_last(db: sqlite_utils.Database) -> None:
    _listing_archive(db)
    assert [a.id for a in store.list_articles(db)] == [1, 2, 4, 3]
    assert [a.id for a in store.list_articles(db, limit=2, offset=1)] == [2, 4]


@pytest.mark.parametrize(
    "filters, ids",
    [
        (Filters(section="WORLD"), [1, 4, 3]),
        (Filters(site="b.example.org"), [2]),
        (Filters(site="a.example.com"), [1, 4, 3]),
        (Filters(author="ann"), [1, 4]),
        (Filters(language="en"), [1, 2]),
        (Filters(since="2024-01-15"), [1, 2]),  # undated: not shown to be that recent
        (Filters(until="2024-01"), [2, 4]),
        (Filters(until="2024-04-03"), [1, 2, 4, 3]),  # 3 undated, fetched by then
        (Filters(until="2024-04-02"), [1, 2, 4]),
        (Filters(since="2024-01", until="2024-02-28"), [2]),
        (Filters(author="50%_"), []),
    ],
)
def test_list_filters(db: sqlite_utils.Database, filters: Filters, ids: list[int]) -> None:
    _listing_archive(db)
    assert [a.id for a in store.list_articles(db, filters=filters)] == ids


def test_filters_active_and_has_url_on_garbage(db: sqlite_utils.Database) -> None:
    assert not Filters().active() and Filters(site="x").active()
    assert store.has_url(db, "not a url") is False
    assert store.has_url(db, "") is False


def test_iter_articles_streams_in_id_order(db: sqlite_utils.Database) -> None:
    _listing_archive(db)
    stream = store.iter_articles(db, Filters(section="world"))
    assert next(stream).id == 1
    assert [a.id for a in stream] == [3, 4]


# -- FTS compatibility ---------------------------------------------------------------------


def test_sqlite_utils_and_datasette_find_the_index(
    db: sqlite_utils.Database, db_path: Path
) -> None:
    store.save_article(db, article(headline="Café owners protest", body="Owners of cafés met."))
    other = sqlite_utils.Database(db_path)
    assert other.table("articles").detect_fts() == "articles_fts"
    hits = list(other.table("articles").search("cafe", columns=["id", "headline"]))
    assert hits == [{"id": 1, "headline": "Café owners protest"}]


def test_deleting_an_article_row_removes_it_from_the_index(db: sqlite_utils.Database) -> None:
    store.save_article(db, article())
    db.execute("DELETE FROM article_urls")
    db.execute("DELETE FROM story_bands")
    db.execute("DELETE FROM articles")
    db.conn.commit()
    assert fts_ids(db, "harbour") == []
    db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


def test_cjk_index_follows_updates(db: sqlite_utils.Database) -> None:
    saved = store.save_article(db, article(headline="東京の天気", body="東京は晴れ。"))
    assert fts_ids(db, '"東京"', "articles_cjk") == [saved.id]
    store.save_article(db, article(headline="大阪の天気", body="大阪は雨。"))
    assert fts_ids(db, '"東京"', "articles_cjk") == []
    assert fts_ids(db, '"大阪"', "articles_cjk") == [saved.id]
    store.save_article(db, article(headline="Weather", body="Plain English now."))
    assert fts_ids(db, '"大阪"', "articles_cjk") == []
    db.execute("INSERT INTO articles_cjk(articles_cjk) VALUES ('integrity-check')")


# -- sources, failures, stories ------------------------------------------------------------


def test_sources_crud(db: sqlite_utils.Database) -> None:
    feed = store.add_source(db, "https://example.com/rss.xml", "feed")
    assert store.add_source(db, "https://example.com/rss.xml", "feed") == feed
    sitemap = store.add_source(db, "https://example.com/sitemap.xml", "sitemap")
    assert [s["url"] for s in store.list_sources(db)] == [
        "https://example.com/rss.xml", "https://example.com/sitemap.xml"]  # fmt: skip
    store.update_source_run(db, "https://example.com/rss.xml", status="ok", found=5,
                            counts={"new": 3})  # fmt: skip
    store.update_source_run(db, "https://example.com/rss.xml", status="ok", found=2)
    store.update_source_validators(db, "https://example.com/rss.xml", etag='"e1"',
                                   last_modified="Mon, 01 Jan 2024 00:00:00 GMT")  # fmt: skip
    row = store.get_source(db, feed)
    assert row is not None
    assert (row["last_status"], row["last_found"], row["etag"]) == ("ok", 2, '"e1"')
    assert row["counts"] == {"runs": 2, "found": 7, "new": 3}
    assert store.get_source(db, "https://example.com/sitemap.xml")["id"] == sitemap  # type: ignore[index]
    assert store.remove_source(db, str(sitemap))["kind"] == "sitemap"
    with pytest.raises(InputError, match="no source with id or URL 77"):
        store.remove_source(db, "77")
    with pytest.raises(InputError, match="unknown source kind 'blog'"):
        store.add_source(db, "https://example.com/", "blog")
    with pytest.raises(InputError, match="not an http"):
        store.add_source(db, "ftp://example.com/feed", "feed")


def test_failures_are_recorded_and_counted(db: sqlite_utils.Database) -> None:
    store.record_failure(db, "https://example.com/a", "404 Not Found", status=404, source="feed")
    store.record_failure(db, "https://example.com/a", "timed out")
    store.record_failure(db, "https://example.com/b", "no article text")
    figures = store.stats(db)["failures"]
    assert (figures["total"], figures["urls"]) == (3, 2)
    assert figures["recent"][0]["reason"] == "no article text"
    assert figures["recent"][2]["status"] == 404


# -- details and stats ---------------------------------------------------------------------


def test_article_details(db: sqlite_utils.Database) -> None:
    url = "https://example.com/news/a"
    first = store.save_article(db, article(), page("https://t.co/abc", url))
    copy = store.save_article(db, article("https://other.example/a", body=LONG_BODY + " More."))
    store.save_article(db, article(body="Corrected text. " + LONG_BODY))
    details = store.article_details(db, first.id)
    assert details is not None
    record = details.to_dict()
    assert record["aliases"] == [{"url": "https://t.co/abc", "kind": "requested"}]
    assert [c["id"] for c in record["copies"]] == [copy.id]
    assert record["revisions"] == 1 and record["story_id"] == first.id
    assert record["fetches"][0]["final_url"] == url
    assert store.article_details(db, copy.id).copies[0]["id"] == first.id  # type: ignore[union-attr]
    assert store.article_details(db, 99) is None


def test_stats(db: sqlite_utils.Database) -> None:
    _listing_archive(db)
    figures = store.stats(db)
    assert (figures["articles"], figures["stories"], figures["pages"]) == (4, 4, 0)
    assert figures["sites"][0] == {"site": "a.example.com", "articles": 3}
    # sections group case-insensitively, as the --section filter matches
    assert [(s["section"].lower(), s["articles"]) for s in figures["sections"]][0] == ("world", 3)
    assert figures["months"][0] == {"month": "2024-04", "articles": 1}
    assert figures["archive_bytes"] > 0
