"""A Python caller's mistakes get errors that name them, not an AttributeError, TypeError or
OverflowError from deep inside: extract's arguments, search and list limits past what SQLite
binds, an in-memory "archive", and the lock's advice in the caller's own terms."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarc import InputError, extract, open_db
from newsarc.lock import LockedError, ingest_lock
from newsarc.search import search
from newsarc.store import close, connect, list_articles, save_article
from tests.test_ingest import article_page

URL = "https://example.com/news/a.html"


@pytest.mark.parametrize(
    ("html", "url", "message"),
    [
        (None, URL, "html must be str or bytes, not NoneType"),
        (article_page(1), None, "url must be str, not NoneType"),
        (article_page(1), URL.encode(), "url must be str, not bytes"),
        (12, URL, "html must be str or bytes, not int"),
    ],
)
def test_extract_names_the_argument_of_the_wrong_type(html, url, message) -> None:
    with pytest.raises(TypeError, match=message):
        extract(html, url)


@pytest.fixture
def archived(db_path: Path) -> Path:
    db = open_db(db_path)
    for n in range(3):
        save_article(db, extract(article_page(n), f"https://example.com/news/{n}.html"))
    close(db)
    return db_path


@pytest.mark.parametrize("limit", [2**63 - 1, 2**63, 2**70])
def test_a_limit_past_sqlites_integers_means_all(archived: Path, limit: int) -> None:
    conn = connect(archived, readonly=True)
    try:
        assert len(search(conn, "story", limit=limit)) == 3
        assert len(search(conn, "story", limit=1, offset=limit)) == 0
        assert len(list_articles(conn, limit=limit)) == 3
        assert len(list_articles(conn, limit=limit, offset=2**70)) == 0
        assert len(list_articles(conn, limit=2, offset=-5)) == 2
    finally:
        conn.close()


def test_a_limit_that_is_no_int_is_an_input_error(archived: Path) -> None:
    conn = connect(archived, readonly=True)
    try:
        with pytest.raises(InputError, match="limit: not an int: '5'"):
            search(conn, "story", limit="5")  # type: ignore[arg-type]
        with pytest.raises(InputError, match="offset: not an int: 1.5"):
            list_articles(conn, offset=1.5)  # type: ignore[arg-type]
    finally:
        conn.close()


@pytest.mark.parametrize("name", [":memory:", ""])
def test_an_archive_is_a_file(tmp_path: Path, monkeypatch, name: str) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="an archive is a file"):
        open_db(name)
    with pytest.raises(InputError, match="an archive is a file"):
        connect(name)
    assert list(tmp_path.iterdir()) == []  # no file named ":memory:"


def test_the_lock_error_speaks_the_callers_terms(db_path: Path) -> None:
    import subprocess
    import sys

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom newsarc.lock import ingest_lock\n"
            f"with ingest_lock({str(db_path)!r}):\n    print('held', flush=True)\n"
            "    sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(LockedError) as library, ingest_lock(db_path):
            pass
        assert str(library.value).endswith("try again later or pass wait=SECONDS")
        assert "--wait" not in str(library.value)
        with pytest.raises(LockedError) as cli, ingest_lock(db_path, hint="pass --wait SECONDS"):
            pass
        assert str(cli.value).endswith("try again later or pass --wait SECONDS")
    finally:
        holder.communicate("", timeout=30)
    with pytest.raises(InputError, match="^wait must be a finite number"):
        with ingest_lock(db_path, wait=-1):
            pass
