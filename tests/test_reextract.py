"""`newsarc reextract`: re-run the extractor over stored raw pages."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from newsarc.cli import cli
from newsarc.extractor import EXTRACTOR_VERSION
from newsarc.model import content_hash
from tests.conftest import fixture_path

SEED = "pages/seed-aggregator.html"


def run(*args: str, code: int = 0):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, list(args), catch_exceptions=code != 0)
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def archive_two(db_path: Path) -> None:
    run("fetch", str(fixture_path(SEED)), "--url", "https://news.example.com/world/fleeing")
    run(
        "fetch",
        str(fixture_path("pages/jsonld-newsarticle.html")),
        "--url",
        "https://news.example.com/business/story",
    )


def age(db_path: Path, article_id: int) -> None:
    """Make a record look as if an older extractor had produced it."""
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE articles SET body = 'Old text. READ MORE: junk', headline = 'Old',"
            " extractor_version = '0' WHERE id = ?",
            [article_id],
        )


def test_reextract_all_updates_changed_records_and_keeps_revisions(db_path: Path) -> None:
    archive_two(db_path)
    age(db_path, 1)
    result = run("reextract", "--all")
    assert result.stdout.strip() == "1 of 2 changed"
    record = json.loads(run("show", "1", "--json").stdout)
    assert record["body"].startswith("Russian men are fleeing their homeland")
    assert record["extractor_version"] == EXTRACTOR_VERSION
    with sqlite3.connect(db_path) as conn:
        old = conn.execute("SELECT body, extractor_version FROM revisions WHERE article_id = 1")
        assert old.fetchall() == [("Old text. READ MORE: junk", "0")]
    # the index follows the update
    assert [hit["id"] for hit in json.loads(run("search", "Georgia", "--json").stdout)] == [1]
    assert json.loads(run("search", "junk", "--json").stdout) == []
    assert run("reextract", "--all").stdout.strip() == "0 of 2 changed"


def test_reextract_selected_ids(db_path: Path) -> None:
    archive_two(db_path)
    age(db_path, 1)
    age(db_path, 2)
    assert run("reextract", "2").stdout.strip() == "1 of 1 changed"
    with sqlite3.connect(db_path) as conn:
        versions = dict(conn.execute("SELECT id, extractor_version FROM articles"))
    assert versions == {1: "0", 2: EXTRACTOR_VERSION}


def test_reextract_needs_ids_or_all(db_path: Path) -> None:
    archive_two(db_path)
    assert "give article ids or --all" in run("reextract", code=2).stderr
    assert "give article ids or --all" in run("reextract", "1", "--all", code=2).stderr


def test_reextract_without_archive(db_path: Path) -> None:
    result = run("reextract", "--all", code=1)
    assert result.stderr.startswith("Error: no archive at")
    assert not db_path.exists()


def test_reextract_of_an_id_or_url_not_archived_fails_as_show_does(db_path: Path) -> None:
    """A typo'd id is an error, as ``show`` makes it, not "0 of 0 changed" and exit 0."""
    archive_two(db_path)
    age(db_path, 1)
    shown = run("show", "999", code=1)
    alone = run("reextract", "999", code=1)
    assert alone.stderr == shown.stderr == "Error: no article with id or URL 999\n"
    assert alone.stdout == ""
    gone = run("reextract", "https://news.example.com/nowhere", code=1)
    assert gone.stderr == "Error: no article with id or URL https://news.example.com/nowhere\n"
    assert run("reextract", "no such thing", code=1).stderr.startswith("Error: not an article")
    with sqlite3.connect(db_path) as conn:  # nothing was done
        assert conn.execute("SELECT extractor_version FROM articles WHERE id = 1").fetchone() == (
            "0",
        )
    # the others are done all the same; the run exits 3, as a batch with failures does
    mixed = run("reextract", "1", "999", code=3)
    assert (mixed.stdout, mixed.stderr) == (
        "1 of 1 changed\n",
        "Error: no article with id or URL 999\n",
    )


def test_reextract_by_url_and_of_an_empty_archive(db_path: Path) -> None:
    from newsarc.store import close, open_db

    close(open_db(db_path))
    assert run("reextract", "--all").stdout == "0 of 0 changed\n"
    archive_two(db_path)
    age(db_path, 2)
    # an address, or an article named twice, is re-extracted once
    done = run("reextract", "https://news.example.com/business/story", "2")
    assert done.stdout == "1 of 1 changed\n"


def test_reextract_moves_subheadings_of_an_older_extraction_out_of_the_body(
    db_path: Path,
) -> None:
    url = "https://www.estuarypost.example/news/2024/06/12/harbourton-swing-bridge-rebuild"
    run("fetch", str(fixture_path("pages/subheadings.html")), "--url", url)
    current = json.loads(run("show", "1", "--json").stdout)
    assert current["subheadings"] == [
        "Why the bridge matters",
        "What it will cost and who pays",
        "Timeline",
    ]
    # What extractor version 1 stored: the subheadings as body paragraphs, none listed apart.
    paragraphs = current["body"].split("\n\n")
    old_body = "\n\n".join([*paragraphs[:2], "Why the bridge matters", *paragraphs[2:]])
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE articles SET body = ?, content_hash = ?, subheadings = '[]',"
            " extractor_version = '1'",
            [old_body, content_hash(old_body)],
        )
    assert json.loads(run("show", "1", "--json").stdout)["subheadings"] == []
    assert run("reextract", "--all").stdout.strip() == "1 of 1 changed"
    record = json.loads(run("show", "1", "--json").stdout)
    assert (record["body"], record["subheadings"]) == (current["body"], current["subheadings"])
    assert record["extractor_version"] == EXTRACTOR_VERSION
    with sqlite3.connect(db_path) as conn:
        old = conn.execute("SELECT body FROM revisions WHERE article_id = 1").fetchall()
    assert old == [(old_body,)]
    shown = run("show", "1").stdout
    assert "subheading:    Why the bridge matters\n" in shown
    assert "\nWhy the bridge matters\n\n" not in shown  # not in the body text


def test_reextract_waits_for_no_ingest_and_says_so(db_path: Path) -> None:
    """A running ingest holds the archive's batch lock: reextract does not write under it."""
    import fcntl

    from newsarc.lock import lock_path

    archive_two(db_path)
    with open(lock_path(db_path), "w") as ingest:
        fcntl.flock(ingest, fcntl.LOCK_EX)
        result = run("reextract", "--all", code=4)
    assert result.stderr.startswith("Error: another newsarc run")
    assert "pass --wait SECONDS" in result.stderr
    assert run("reextract", "--all").stdout.strip() == "0 of 2 changed"


def test_a_stopped_reextract_commits_what_it_did(db_path: Path) -> None:
    from newsarc import store
    from newsarc.pipeline import reextract

    archive_two(db_path)
    age(db_path, 1)
    age(db_path, 2)
    asked = iter([False, True])  # stop once the first article is done
    db = store.open_db(db_path)
    counts = reextract(db, stopped=lambda: next(asked))
    db.close()
    assert (counts.checked, counts.changed, counts.stopped) == (1, 1, True)
    with sqlite3.connect(db_path) as conn:  # committed: another connection sees it
        versions = sorted(row[0] for row in conn.execute("SELECT extractor_version FROM articles"))
    assert versions == ["0", EXTRACTOR_VERSION]


def test_ctrl_c_stops_reextract_cleanly(db_path: Path, tmp_path: Path) -> None:
    """SIGINT to the whole group, as a terminal sends it: the articles done so far stay
    committed, it says how far it got, and exits 130 (it printed "Aborted!" with exit 1)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from newsarc import store
    from newsarc.lock import lock_path
    from newsarc.model import Article, Page
    from tests.test_ingest import article_page
    from tests.test_ingest_signals import _has_open

    db = store.open_db(db_path)
    for n in range(300):
        url = f"https://news.example.com/story/{n}"
        page = Page(url=url, final_url=url, status=200, headers={}, content=article_page(n))
        store.save_article(db, Article(url=url, headline=f"Old {n}", body="Old text."), page)
    db.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsarc", "reextract", "--all", "--db", str(db_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        for _ in range(3000):  # bounded: until it holds the lock, its handlers set
            if proc.poll() is not None or _has_open(proc.pid, lock_path(db_path)):
                break
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, (stdout, stderr)
    changed, checked = (int(n) for n in stdout.decode().split(" changed")[0].split(" of "))
    assert stdout.decode() == f"{changed} of {checked} changed, interrupted by SIGINT\n"
    assert stderr == b""
    assert checked < 300
    with sqlite3.connect(db_path) as conn:
        done = conn.execute(
            "SELECT count(*) FROM articles WHERE extractor_version = ?", [EXTRACTOR_VERSION]
        ).fetchone()[0]
    assert done == checked
