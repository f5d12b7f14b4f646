"""--section and --author ignore case in every script (newsarc.store.nocase), through the CLI:
list, search, search --count and export, on an archive opened to write and one opened
read-only; and for ASCII values the fold is exactly SQLite's NOCASE and LIKE, which serve them."""

from __future__ import annotations

import html
import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarc.cli import cli
from newsarc.store.nocase import TO_ASCII, fold_case

BASE = "https://nocase.example/"
# page: (language, section, author, headline)
PAGES = {
    "pl/park.html": ("pl", "Łódź", "Łukasz Żółkiewski", "Łódź: nowy park w centrum"),
    "de/dom.html": ("de", "Köln", "Jürgen Weiß", "Der Dom und der Park am Rhein"),
    "ru/duma.html": ("ru", "Политика", "Иван Петров", "Дума обсудила новый парк"),
    "en/park.html": ("en", "Politics", "John Smith", "A new park for the city"),
    "de/strasse.html": ("de", "Straße", "Ulrich Strauss", "Eine Straße wird zum Park"),
}
# page: its og:site_name (the others have none: their site is the host)
SITES = {
    "pl/park.html": "Gazeta Łódzka",
    "ru/duma.html": "Коммерсантъ",
    "en/park.html": "City News",
}
TEMPLATE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{headline}</title><meta name="author" content="{author}">
<meta property="article:section" content="{section}">
<meta property="article:published_time" content="2024-07-01T10:00:00Z"></head>
<body><article><h1>{headline}</h1>{paragraphs}</article></body></html>"""
BODY = (
    "The park opened on Monday in the centre of the city, the council said in a statement. "
    "Residents praised the new trees, the paths and the playground, and asked for more. "
)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("saved")
    for path, (lang, section, author, headline) in PAGES.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        paragraphs = "".join(f"<p>{html.escape(BODY)} {n}</p>" for n in range(3))
        fields = {"lang": lang, "section": section, "author": author, "headline": headline}
        page = TEMPLATE.format(**{k: html.escape(v) for k, v in fields.items()}, paragraphs="")
        if path in SITES:
            site = f'<meta property="og:site_name" content="{html.escape(SITES[path])}">'
            page = page.replace("</head>", site + "</head>")
        target.write_text(page.replace("</h1>", "</h1>" + paragraphs), encoding="utf-8")
    db = folder / "archive.db"
    result = CliRunner().invoke(
        cli, ["ingest", "--dir", str(folder), "--base-url", BASE, "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    return db


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def listed(db: Path, *args: str) -> list[str]:
    """The pages ``list`` shows with these filters (through export's JSON lines)."""
    lines = run(db, "export", *args).splitlines()
    return sorted(json.loads(line)["url"].removeprefix(BASE) for line in lines)


def test_the_archive_has_the_names(archive: Path) -> None:
    rows = [json.loads(line) for line in run(archive, "export").splitlines()]
    names = {row["url"].removeprefix(BASE): (row["section"], row["authors"]) for row in rows}
    assert names == {page: (s, [a]) for page, (_, s, a, _) in PAGES.items()}


@pytest.mark.parametrize(
    "section, pages",
    [
        ("Łódź", ["pl/park.html"]),
        ("łódź", ["pl/park.html"]),
        ("ŁÓDŹ", ["pl/park.html"]),
        ("KÖLN", ["de/dom.html"]),
        ("köln", ["de/dom.html"]),
        ("политика", ["ru/duma.html"]),
        ("ПОЛИТИКА", ["ru/duma.html"]),
        ("POLITICS", ["en/park.html"]),
        ("STRASSE", []),  # letters as written: ß is not ss in a name
        ("STRAẞE", ["de/strasse.html"]),  # the capital sharp s is the case of ß
        ("koln", []),  # accents as written
        ("Łód", []),  # the whole name
    ],
)
def test_section_ignores_case_in_every_script(
    archive: Path, section: str, pages: list[str]
) -> None:
    assert listed(archive, "--section", section) == pages
    lines = run(archive, "list", "--section", section).splitlines()
    assert len(lines) == len(pages)
    hits = json.loads(run(archive, "search", "--json", "park", "--section", section))
    assert sorted(h["url"].removeprefix(BASE) for h in hits) == pages
    assert run(archive, "search", "--count", "park", "--section", section).strip() == str(
        len(pages)
    )


@pytest.mark.parametrize(
    "author, pages",
    [
        ("łukasz", ["pl/park.html"]),
        ("ŁUKASZ", ["pl/park.html"]),
        ("ŻÓŁKIEWSKI", ["pl/park.html"]),
        ("kasz żół", ["pl/park.html"]),
        ("иван", ["ru/duma.html"]),
        ("ПЕТРОВ", ["ru/duma.html"]),
        ("WEIß", ["de/dom.html"]),
        ("jürgen", ["de/dom.html"]),
        ("JÜRGEN", ["de/dom.html"]),
        ("smith", ["en/park.html"]),
        ("weiss", []),  # letters as written
        ("strauß", []),
        ("jurgen", []),  # accents as written
    ],
)
def test_author_ignores_case_in_every_script(archive: Path, author: str, pages: list[str]) -> None:
    assert listed(archive, "--author", author) == pages
    lines = run(archive, "list", "--author", author).splitlines()
    assert len(lines) == len(pages)
    assert run(archive, "search", "--count", "park", "--author", author).strip() == str(len(pages))


def test_filters_combine_on_an_archive_opened_read_only(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, whom permissions never stop: the check that decides is faked, the
    # read-only connection it opens is real.
    from newsarc.store import connection

    monkeypatch.setattr(connection.os, "access", lambda path, mode: not mode & os.W_OK)
    assert connection.reading_modes(archive) == ["mode=ro", "immutable=1"]
    assert listed(archive, "--section", "ŁÓDŹ", "--author", "łukasz") == ["pl/park.html"]
    assert listed(archive, "--section", "ŁÓDŹ", "--author", "иван") == []
    assert run(archive, "search", "--count", "park", "--author", "łukasz").strip() == "1"
    assert len(run(archive, "list", "--section", "köln").splitlines()) == 1
    modes: list[str] = []
    real_open = connection._open

    def noted(file: Path, *, create: bool, params: str = "") -> sqlite3.Connection:
        modes.append(params)
        return real_open(file, create=create, params=params)

    monkeypatch.setattr(connection, "_open", noted)
    assert run(archive, "search", "--count", "park", "--section", "ПОЛИТИКА").strip() == "1"
    assert modes == ["mode=ro"]


# -- the fold ---------------------------------------------------------------------------------


def test_only_the_listed_letters_casefold_into_ascii() -> None:
    into_ascii = [
        chr(c)
        for c in range(0x80, 0x110000)
        if len(chr(c).casefold()) == 1 and chr(c).casefold().isascii()
    ]
    assert "".join(into_ascii) == TO_ASCII


def test_the_fold_is_one_letter_for_one() -> None:
    for text in ("Łódź", "Straße STRAẞE", "İstanbul", "ŉ ſ \u212a", "ΟΔΟΣ οδος", "ﬁnal"):
        assert len(fold_case(text)) == len(text)
    assert fold_case("ŁÓDŹ") == "łódź" and fold_case("ΟΔΟΣ") == fold_case("οδος") == "οδοσ"
    assert fold_case("STRAẞE") == "straße" and fold_case("ſ\u212a") == "ſ\u212a"


NAMES = st.text(st.sampled_from(list("aAbBkKsSzZ iIß ſ\u212aÅåÆæŁłİı-_%")), max_size=8)
ASCII = st.text(st.sampled_from(list("aAbBkKsSzZ iI-")), min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(NAMES, ASCII)
def test_an_ascii_value_matches_as_sqlite_nocase_and_like_do(name: str, value: str) -> None:
    """The plain SQL that serves an ASCII --section or --author gives what the fold would."""
    conn = sqlite3.connect(":memory:")
    [(equal, contains)] = conn.execute(
        "SELECT ? = ? COLLATE NOCASE, ? LIKE ?", [name, value, name, f"%{value}%"]
    )
    assert bool(equal) == (fold_case(name) == fold_case(value))
    assert bool(contains) == (fold_case(value) in fold_case(name))


def test_the_function_is_there_while_a_filtered_statement_runs(archive: Path) -> None:
    """A filter on a connection where a statement that calls the function is still being read
    (an export streaming its rows): SQLite refuses to replace the function then."""
    from newsarc.store import close, connect
    from newsarc.store.filters import Filters
    from newsarc.store.lookups import list_articles
    from newsarc.store.nocase import FUNCTION, register

    conn = connect(archive, readonly=True)
    try:
        register(conn)
        running = conn.execute(f"SELECT {FUNCTION}(section) FROM articles ORDER BY id")
        assert running.fetchone() is not None
        found = list_articles(conn, filters=Filters(section="KÖLN"))
        assert [article.section for article in found] == ["Köln"]
        assert len(running.fetchall()) == len(PAGES) - 1
    finally:
        close(conn)


@pytest.mark.parametrize(
    ("value", "pages"),
    [
        ("коммерсантъ", ["ru/duma.html"]),
        ("КОММЕРСАНТЪ", ["ru/duma.html"]),
        ("gazeta łódzka", ["pl/park.html"]),
        ("GAZETA ŁÓDZKA", ["pl/park.html"]),
        ("city news", ["en/park.html"]),
        ("gazeta lodzka", []),  # accents as written
        ("nocase.example", sorted(set(PAGES) - set(SITES)) + sorted(SITES)),  # the host: all
    ],
)
def test_a_site_name_ignores_case_in_every_script(archive: Path, value: str, pages) -> None:
    assert listed(archive, "--site", value) == sorted(pages)
    found = json.loads(run(archive, "search", "park", "--json", "--site", value))
    assert sorted(hit["url"].removeprefix(BASE) for hit in found) == sorted(pages)


@pytest.mark.parametrize("how", ["open_db", "connect", "connect read-only"])
def test_every_connection_newsarc_opens_can_filter_names_in_any_script(
    archive: Path, how: str
) -> None:
    """No step before ``Filters.where``: a caller that runs its SQL on a connection from
    ``store`` straight away finds the folding function there."""
    from newsarc.store import close, connect, open_db
    from newsarc.store.connection import raw
    from newsarc.store.filters import Filters

    if how == "open_db":
        db = open_db(archive)
    else:
        db = connect(archive, readonly=how.endswith("read-only"))
    try:
        sql, params = Filters(section="KÖLN", author="jürgen", site="коммерсантъ").where("a")
        assert raw(db).execute(f"SELECT count(*) FROM articles a WHERE 1 {sql}", params).fetchone()
        sql, params = Filters(section="KÖLN", author="jürgen").where("a")
        rows = raw(db).execute(f"SELECT a.section FROM articles a WHERE 1 {sql}", params)
        assert [section for (section,) in rows] == ["Köln"]
    finally:
        close(db)


def test_a_connection_opened_elsewhere_is_prepared_by_the_filter(archive: Path) -> None:
    from newsarc.store.filters import Filters

    conn = sqlite3.connect(archive)
    try:
        filters = Filters(section="ŁÓDŹ")
        filters.prepare(conn)
        sql, params = filters.where("a")
        rows = conn.execute(f"SELECT a.section FROM articles a WHERE 1 {sql}", params)
        assert [section for (section,) in rows] == ["Łódź"]
    finally:
        conn.close()


def test_register_never_replaces_the_function_a_connection_has() -> None:
    """Adding a function expires the connection's prepared statements, so a connection that
    has it keeps the one it has."""
    from newsarc.store.nocase import FUNCTION, register

    conn = sqlite3.connect(":memory:")
    conn.create_function(FUNCTION, 1, lambda value: "kept")
    register(conn)
    assert conn.execute(f"SELECT {FUNCTION}('Łódź')").fetchone() == ("kept",)
    fresh = sqlite3.connect(":memory:")
    register(fresh)
    assert fresh.execute(f"SELECT {FUNCTION}('ŁÓDŹ')").fetchone() == ("łódź",)
