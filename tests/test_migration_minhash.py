"""Migration m006: band keys stored by version 1 of the signature are recomputed, so a copy
ingested after the upgrade still joins the story of its original ingested before it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from newsarc import store
from newsarc.dedupe import band_keys, signature
from newsarc.model import Article
from newsarc.store.schema import migrations
from tests.test_dedupe import SEED, scraped_copy

# What version 1 of newsarc.dedupe stored for SEED (computed with it before version 2 came).
V1_SEED_BANDS = [
    "0:20f1e177550f9012", "1:6ab429e6e9bd0576", "2:293032992b1b0030", "3:1d388616dd3dda0c",
    "4:05b21f2d87a86e02", "5:01d2dc08442e79ab", "6:f930573e2829cfe5", "7:4ab350c0b1df634f",
    "8:686a8b04e4f8901b", "9:3cd8afda7afd9d32", "10:554d72bcc04695e0", "11:d5dd89f82b6e796a",
    "12:3dae703c84464dfa", "13:5c92157f674c5bb7", "14:504b10b33290c04a", "15:fd8a39f6f4a586ed",
]  # fmt: skip


def old_archive(path: Path) -> tuple[int, int]:
    """An archive as the release before m006 left it: the seed story ingested with its version-1
    band keys, and a short article that had none. Returns their ids."""
    db = Database(path)
    migrations.apply(db, stop_before="m006_minhash_v2")
    insert = "INSERT INTO articles (url, headline, body, word_count) VALUES (?, ?, ?, ?)"
    story = db.execute(insert, ["https://a.example/story", "Men flee", SEED, 400]).lastrowid
    stub = db.execute(insert, ["https://a.example/stub", "Stub", "Too short.", 2]).lastrowid
    assert story is not None and stub is not None
    db.conn.executemany(
        "INSERT INTO story_bands (band, article_id) VALUES (?, ?)",
        [(band, story) for band in V1_SEED_BANDS],
    )
    db.conn.commit()
    db.close()
    return story, stub


def stored_bands(conn: sqlite3.Connection, article_id: int) -> list[str]:
    rows = conn.execute("SELECT band FROM story_bands WHERE article_id = ?", [article_id])
    return sorted(row[0] for row in rows)


def test_version_1_keys_never_match_version_2(tmp_path: Path) -> None:
    # Why the migration exists: before it, the copy finds no candidate at all.
    path = tmp_path / "old.db"
    old_archive(path)
    with sqlite3.connect(path) as conn:
        assert store.story_candidates(conn, band_keys(signature(SEED))) == []


def test_upgrade_recomputes_band_keys_and_copies_still_join_their_story(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    story, stub = old_archive(path)
    db = store.open_db(path)
    assert store.pending_migrations(db) == []
    assert stored_bands(db.conn, story) == sorted(band_keys(signature(SEED)))
    assert stored_bands(db.conn, stub) == []

    copied = Article(url="https://b.example/copy", headline="Men flee", body=scraped_copy())
    copy = store.save_article(db, copied).id
    assert store.link_story(db, copy, band_keys(signature(scraped_copy()))) == story
    assert store.story_members(db, copy) == [story, copy]
    db.close()


def test_a_reading_command_upgrades_the_keys_too(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    story, _ = old_archive(path)
    conn = store.connect(path, readonly=True)
    assert stored_bands(conn, story) == sorted(band_keys(signature(SEED)))
    conn.close()


def test_articles_of_an_archive_older_than_band_keys_get_them(tmp_path: Path) -> None:
    """An archive of the first release (no band keys at all): its articles get keys on the
    upgrade, so a copy ingested afterwards joins the story of its original (m010)."""
    path = tmp_path / "v1.db"
    db = Database(path)
    migrations.apply(db, stop_before="m002_cjk_index")
    insert = "INSERT INTO articles (url, headline, body, word_count) VALUES (?, ?, ?, ?)"
    story = db.execute(insert, ["https://a.example/story", "Men flee", SEED, 400]).lastrowid
    stub = db.execute(insert, ["https://a.example/stub", "Stub", "Too short.", 2]).lastrowid
    db.conn.commit()
    db.close()
    upgraded = store.open_db(path)
    assert store.pending_migrations(upgraded) == []
    assert stored_bands(upgraded.conn, story) == sorted(band_keys(signature(SEED)))
    assert stored_bands(upgraded.conn, stub) == []
    copied = Article(url="https://b.example/copy", headline="Men flee", body=scraped_copy())
    copy = store.save_article(upgraded, copied).id
    assert store.story_members(upgraded, copy) == [story, copy]
    upgraded.close()
