"""The reading commands as people use them (session 15 QA): terminals that are not UTF-8,
addresses pasted in other spellings, names with typographic apostrophes, paging."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newsarc import store
from newsarc.cli import cli
from newsarc.model import Article

ARTICLES = [
    Article(
        url="https://www.gazette.example/politics/2024/03/05/budget",
        headline='Mayor\'s "austerity" budget, cuts and all, passes',
        body="The budget passed by seven votes to two, Councillor O\u2019Brien said.\n\n"
        "Critics called it a sham, and the harbour fund was cut by half.",
        published="2024-03-05T09:00:00-05:00",
        section="Children\u2019s news",
        site="The Gazette",
        authors=["Jane O\u2019Brien"],
        language="en",
    ),
    Article(
        url="https://news.shinbun.example/society/sakura",
        headline="東京で桜が満開",
        body="気象庁は一日、東京都心で桜が満開になったと発表した。平年より五日遅い。",
        published="2024-04-01T10:00:00+09:00",
        section="社会",
        site="東京新聞",
        authors=["山田太郎"],
        language="ja",
    ),
    Article(
        url="https://zeitung.example/zuerich/tram",
        headline="Zürich bekommt eine neue Tramlinie",
        body="Die Stadt Zürich baut eine neue Tramlinie nach Oerlikon, teilte der Stadtrat mit.",
        published="2024-02-10",
        section="Schweiz",
        authors=["Luc D'Amato"],
        language="de",
    ),
]


@pytest.fixture
def archive(db_path: Path) -> Path:
    db = store.open_db(db_path)
    for article in ARTICLES:
        store.save_article(db, article)
    store.close(db)
    return db_path


def invoke(*args: str, charset: str = "utf-8") -> Result:
    result = CliRunner(charset=charset).invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


# -- a terminal that is not UTF-8 ----------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["search", "桜"],
        ["search", "zürich"],  # the snippet's "…" is no Latin-1 character
        ["show", "2"],
        ["list"],
        ["stats"],
    ],
)
def test_text_output_on_a_latin1_terminal_replaces_what_it_cannot_show(
    archive: Path, args: list[str]
) -> None:
    result = invoke(*args, charset="latin-1")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_text_output_keeps_what_a_latin1_terminal_can_show(archive: Path) -> None:
    out = invoke("search", "zurich", charset="latin-1").stdout_bytes
    assert "Zürich".encode("latin-1") in out  # the terminal's own encoding, not UTF-8
    out = invoke("search", "桜", charset="latin-1").stdout_bytes.decode("latin-1")
    assert "2  2024-04-01" in out and "?" in out


@pytest.mark.parametrize("charset", ["ascii", "latin-1"])
@pytest.mark.parametrize(
    "args",
    [
        ["export"],
        ["export", "--format", "csv"],
        ["export", "--format", "md"],
        ["list", "--json"],
        ["list", "--csv"],
        ["search", "桜", "--jsonl"],
        ["show", "2", "--json"],
        ["stats", "--json"],
    ],
)
def test_data_output_is_utf8_whatever_the_locale(
    archive: Path, args: list[str], charset: str
) -> None:
    result = invoke(*args, charset=charset)
    assert result.exit_code == 0, result.output
    text = result.stdout_bytes.decode("utf-8")
    assert "東京" in text


def test_csv_export_on_an_ascii_terminal_reads_back(archive: Path) -> None:
    out = invoke("export", "--format", "csv", charset="ascii").stdout_bytes.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [row["headline"] for row in rows] == [a.headline for a in ARTICLES]
    assert rows[0]["body"] == ARTICLES[0].body  # its blank line and quotes intact


# -- show: an address pasted in another spelling ---------------------------------------------


@pytest.mark.parametrize(
    "ref",
    [
        "http://www.gazette.example/politics/2024/03/05/budget",  # http for https
        "https://www.gazette.example/politics/2024/03/05/budget/",  # a trailing slash
        "https://gazette.example/politics/2024/03/05/budget",  # without www.
        "http://gazette.example/politics/2024/03/05/budget/",  # all three
        "www.gazette.example/politics/2024/03/05/budget",  # no scheme (an address bar)
        " gazette.example/politics/2024/03/05/budget?utm_source=x ",
        "https://www.zeitung.example/zuerich/tram",  # with www. added
    ],
)
def test_show_finds_an_address_in_another_spelling(archive: Path, ref: str) -> None:
    result = invoke("show", ref, "--json")
    assert result.exit_code == 0, result.output
    expected = "budget" if "gazette" in ref else "tram"
    assert json.loads(result.stdout)["url"].endswith(expected)


@pytest.mark.parametrize("ref", ["1.0", "abc", "gazette", "Zürich"])
def test_show_still_refuses_what_is_no_address(archive: Path, ref: str) -> None:
    result = invoke("show", ref)
    assert result.exit_code == 1
    assert result.stderr == f"Error: not an article id or URL: {ref!r}\n"


def test_show_does_not_find_another_page_of_the_site(archive: Path) -> None:
    result = invoke("show", "https://www.gazette.example/politics/2024/03/05/other")
    assert result.exit_code == 1
    assert "no article with id or URL" in result.stderr


def test_get_article_prefers_the_address_as_given(db_path: Path) -> None:
    db = store.open_db(db_path)
    for url in ("https://example.com/a", "http://example.com/a"):
        store.save_article(db, Article(url=url, headline=url, body="Text of " + url))
    store.close(db)
    conn = store.connect(db_path, readonly=True)
    try:
        for url in ("https://example.com/a", "http://example.com/a"):
            found = store.get_article(conn, url)
            assert found is not None and found.headline == url
    finally:
        conn.close()


# -- filters: apostrophes as typed and as printed ---------------------------------------------


@pytest.mark.parametrize(
    "option, value, expected",
    [
        ("--author", "o'brien", [1]),  # typed: the record has the typographic O’Brien
        ("--author", "O\u2019Brien", [1]),
        ("--author", "d\u2019amato", [3]),  # printed: the record has the typed D'Amato
        ("--author", "D'Amato", [3]),
        ("--author", "d\u02bcamato", [3]),  # the modifier letter apostrophe
        ("--section", "children's news", [1]),
        ("--section", "CHILDREN\u2019S NEWS", [1]),
        ("--author", "o'brian", []),
        ("--section", "children", []),  # a section is matched whole
    ],
)
def test_filters_take_either_apostrophe(
    archive: Path, option: str, value: str, expected: list[int]
) -> None:
    result = invoke("list", option, value, "--json")
    assert result.exit_code == 0, result.output
    assert [a["id"] for a in json.loads(result.stdout)] == expected
    result = invoke("search", "budget OR tramlinie", option, value, "--json")
    assert [a["id"] for a in json.loads(result.stdout)] == expected


def test_filters_with_an_apostrophe_on_a_connection_opened_elsewhere(archive: Path) -> None:
    import sqlite3

    from newsarc.store import Filters, list_articles

    conn = sqlite3.connect(archive)
    try:
        filters = Filters(author="o'brien")
        filters.prepare(conn)
        assert [a.id for a in list_articles(conn, filters=filters)] == [1]
    finally:
        conn.close()


# -- search: the next page -----------------------------------------------------------------


def test_search_pages_with_offset(archive: Path) -> None:
    def ids(*args: str) -> list[int]:
        result = invoke("search", "budget OR tramlinie OR 桜", *args, "--json")
        assert result.exit_code == 0, result.output
        return [hit["id"] for hit in json.loads(result.stdout)]

    everything = ids()
    assert len(everything) == 3
    assert ids("-n", "2") + ids("-n", "2", "--offset", "2") == everything
    assert ids("--offset", "3") == []
    assert ids("--offset", "99999999999999999999") == []
    assert invoke("search", "budget", "--offset", "-1").exit_code == 2


# -- the query language: a star typed inside the quotes --------------------------------------


@pytest.mark.parametrize("query", ['"tram*"', '"neue tram*"', '"neue tram *"', '"neue tram"*'])
def test_a_star_inside_a_phrase_makes_its_last_word_a_prefix(archive: Path, query: str) -> None:
    from newsarc.query import Term, parse

    assert parse(query).groups[0][0] == Term(query.strip('"*').rstrip(" *"), True, True)
    result = invoke("search", query, "--json")
    assert [hit["id"] for hit in json.loads(result.stdout)] == [3]
    assert "[neue Tramlinie]" in result.stdout or "[Tramlinie]" in result.stdout


# -- show: earlier texts and the raw page -----------------------------------------------------


@pytest.fixture
def revised(db_path: Path) -> Path:
    from newsarc.model import Page

    url = "https://news.example/politics/story"
    db = store.open_db(db_path)
    for n, body in enumerate(["The first text of the story.", "The corrected text of it."]):
        html = f"<html><body><h1>Story</h1><p>{body}</p><p>é {n}</p></body></html>"
        page = Page(url=url, final_url=url, status=200, headers={}, content=html.encode())
        store.save_article(db, Article(url=url, headline=f"Story {n}", body=body), page)
    store.close(db)
    return db_path


def test_show_revisions_prints_the_earlier_texts(revised: Path) -> None:
    out = invoke("show", "1", "--revisions").stdout
    now, earlier = out.split("\n── earlier text 1 of 1, replaced ")
    assert now.startswith("Story 1\n") and "The corrected text of it." in now
    assert earlier.splitlines()[1:] == ["Story 0", "", "The first text of the story."]
    assert "earlier text" not in invoke("show", "1").stdout


def test_show_revisions_json(revised: Path) -> None:
    record = json.loads(invoke("show", "1", "--revisions", "--json").stdout)
    assert record["revisions"] == 1
    [earlier] = record["earlier_texts"]
    assert earlier["headline"] == "Story 0" and earlier["body"] == "The first text of the story."
    assert set(earlier) == {"id", "headline", "body", "content_hash", "extractor_version",
                            "replaced_at"}  # fmt: skip
    assert "earlier_texts" not in json.loads(invoke("show", "1", "--json").stdout)


@pytest.mark.parametrize("charset", ["utf-8", "latin-1"])
def test_show_raw_prints_the_last_page_as_archived(revised: Path, charset: str) -> None:
    result = invoke("show", "https://news.example/politics/story", "--raw", charset=charset)
    assert result.exit_code == 0, result.output
    assert (
        result.stdout_bytes
        == (
            "<html><body><h1>Story</h1><p>The corrected text of it.</p><p>é 1</p></body></html>"
        ).encode()
    )


def test_show_raw_without_a_page(archive: Path) -> None:
    result = invoke("show", "1", "--raw")
    assert result.exit_code == 1
    assert result.stderr == "Error: no raw page is kept for article 1\n"


@pytest.mark.parametrize("other", ["--json", "--revisions"])
def test_show_raw_stands_alone(revised: Path, other: str) -> None:
    result = invoke("show", "1", "--raw", other)
    assert result.exit_code == 2 and result.stdout == ""


# -- an archive a newer newsarc has upgraded ----------------------------------------------------


def test_reading_an_archive_from_a_newer_version_warns(
    archive: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import sqlite3

    invoke("list")
    assert not caplog.records
    conn = sqlite3.connect(archive)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('newsarc', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    result = invoke("list", "--json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 3
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "WARNING",
            f"{archive} was upgraded by a newer newsarc (m999_from_the_future); this version"
            " reads it as it can: upgrade newsarc",
        )
    ]
