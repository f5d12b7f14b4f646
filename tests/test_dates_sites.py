"""Dates as instants and --site as a host, through the CLI on pages fetched from a local server.

``published`` keeps each page's own UTC offset; sorting and time filters must compare the
instants (migration m013's index), not the text. --site takes a host with or without its
port, ``host/`` or any address on the site.
"""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pytest_httpserver import HTTPServer
from sqlite_utils import Database

from newsarc import store
from newsarc.cli import cli
from newsarc.model import Article, utc_now
from newsarc.store.filters import NEWEST_FIRST, UTC_SQL, Filters, site_host, utc_instant
from newsarc.store.schema import migrations

# name: (published, words only this page has). NY is the latest instant though the earliest
# text; an undated page sorts last and passes no --since.
PAGES = {
    "ny": ("2024-03-05T20:00:00-05:00", "Manhattan"),  # 01:00 UTC on the 6th
    "london": ("2024-03-06T00:40:00", "Westminster"),  # no offset: counts as UTC
    "tokyo": ("2024-03-06T09:00:00+09:00", "Shinjuku"),  # 00:00 UTC on the 6th
    "lagos": ("2024-03-04", "Ikeja"),  # a date alone: its midnight
    "undated": (None, "Nowhere"),
}
NEWEST = ["ny", "london", "tokyo", "lagos", "undated"]


def page(name: str, published: str | None, word: str) -> str:
    date = f'<meta property="article:published_time" content="{published}">' if published else ""
    text = (
        f"Summit talks went on in {word} as delegates argued over the wording of the final"
        " communique, and officials said the negotiations would resume in the morning after"
        " a long night of drafting and redrafting the clauses on trade and security."
    )
    paragraphs = "".join(f"<p>{text} Paragraph {n} of the {name} report.</p>" for n in range(4))
    return (
        f"<html><head><title>Summit talks: {name} desk</title>{date}"
        '<meta property="og:site_name" content="Desk Wire"></head>'
        f"<body><article><h1>Summit talks: {name} desk</h1>{paragraphs}</article></body></html>"
    )


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


def names(output: str) -> list[str]:
    """The desk names of a --json or --jsonl output, in order."""
    text = output.strip()
    rows = json.loads(text) if text.startswith("[") else [json.loads(x) for x in text.splitlines()]
    return [row["headline"].split(": ")[1].split()[0] for row in rows]


@pytest.fixture
def desks(httpserver: HTTPServer, db_path: Path) -> str:
    """The five pages fetched into the archive; returns one of their addresses."""
    urls = []
    for name, (published, word) in PAGES.items():
        httpserver.expect_request(f"/{name}").respond_with_data(
            page(name, published, word), content_type="text/html; charset=utf-8"
        )
        urls.append(httpserver.url_for(f"/{name}"))
    run("fetch", *urls)
    stored = dict(sqlite3.connect(db_path).execute("SELECT headline, published FROM articles"))
    assert {h.split(": ")[1].split()[0]: p for h, p in stored.items()} == {
        name: published for name, (published, _) in PAGES.items()
    }
    return urls[0]


def test_sort_by_the_instant_not_the_text(desks: str) -> None:
    newest = run("search", "summit", "--sort", "newest", "--json").stdout
    assert names(newest) == NEWEST
    oldest = run("search", "summit", "--sort", "oldest", "--json").stdout
    assert names(oldest) == ["lagos", "tokyo", "london", "ny", "undated"]
    assert names(run("list", "--json").stdout) == NEWEST


@pytest.mark.parametrize("command", ["search", "list", "export"])
def test_time_filters_compare_instants(desks: str, command: str) -> None:
    args = {"search": ["search", "summit", "--json"], "list": ["list", "--json"],
            "export": ["export"]}[command]  # fmt: skip

    def chosen(*filters: str) -> set[str]:
        return set(names(run(*args, *filters).stdout))

    assert chosen("--since", "2024-03-06T00:30:00+00:00") == {"ny", "london"}
    assert chosen("--since", "2024-03-06T09:30:00+09:00") == {"ny", "london"}  # same instant
    assert chosen("--since", "2024-03-06T00:40:00") == {"ny", "london"}  # naive: UTC, inclusive
    assert chosen("--until", "2024-03-06T00:30:00+00:00") == {"tokyo", "lagos"}
    assert chosen("--until", "2024-03-06T00:00:00+00:00") == {"tokyo", "lagos"}  # inclusive
    between = ("--since", "2024-03-05T23:30:00-01:00", "--until", "2024-03-06T00:59:59+00:00")
    assert chosen(*between) == {"london"}


@pytest.mark.parametrize("command", ["search", "list", "export"])
def test_dates_are_the_articles_own_calendar_dates(desks: str, command: str) -> None:
    """A date without a time is the date the article shows, whatever its offset; an undated
    article never passes --since, and passes --until once it was fetched by then."""
    args = {"search": ["search", "summit", "--json"], "list": ["list", "--json"],
            "export": ["export"]}[command]  # fmt: skip

    def chosen(*filters: str) -> set[str]:
        return set(names(run(*args, *filters).stdout))

    assert chosen("--since", "2024-03-06") == {"london", "tokyo"}
    assert chosen("--since", "2024-03") == {"ny", "london", "tokyo", "lagos"}
    assert chosen("--since", "2024-03-06T00:00:00+00:00") == {"ny", "london", "tokyo"}
    assert chosen("--until", "2024-03-05") == {"ny", "lagos"}
    assert chosen("--until", "2999") == set(PAGES)  # fetched by then
    assert chosen("--until", "2999-01-01T00:00:00+00:00") == set(PAGES)
    assert "undated" not in chosen("--since", "1990")


def test_site_takes_a_host_with_or_without_port_or_an_address(desks: str) -> None:
    host_port = desks.split("/")[2]
    host, port = host_port.split(":")
    everything = set(PAGES)

    def chosen(site: str) -> set[str]:
        return set(names(run("list", "--json", "--site", site).stdout))

    for site in (host, host_port, f"{host}/", f"{host_port}/", desks, f"http://{host}/",
                 f"HTTP://{host_port.upper()}/x?y=1", f"{host}.", "desk wire"):  # fmt: skip
        assert chosen(site) == everything, site
    assert set(names(run("search", "summit", "--json", "--site", desks).stdout)) == everything
    assert set(names(run("export", "--site", f"{host}/").stdout)) == everything
    other_port = int(port) + 1 if int(port) < 65535 else 1024
    for site in (f"{host}:{other_port}", f"x{host}", host[1:], "example.com", "Desk"):
        assert chosen(site) == set(), site


@pytest.mark.parametrize("site", ["https://", "http:///path", "localhost:port", "/"])
def test_a_site_that_names_no_host_is_an_error(desks: str, site: str) -> None:
    result = CliRunner().invoke(cli, ["list", "--site", site])
    assert result.exit_code == 2, result.output
    assert "not a site name, host or address" in result.stderr
    assert "Traceback" not in result.output


def test_site_host_and_subdomains(db: Database) -> None:
    for url in (
        "https://www.example.com/a",
        "https://news.example.com:8443/b",
        "https://example.com/c",
        "https://badexample.com/d",
        "https://other.org/e?u=https://www.example.com/",
        "https://example.com.evil.org/f",
    ):
        store.save_article(db, Article(url=url, headline=url, body="text " * 60))
    found = {a.url for a in store.list_articles(db, filters=Filters(site="example.com"))}
    assert found == {
        "https://www.example.com/a",
        "https://news.example.com:8443/b",
        "https://example.com/c",
    }
    ported = store.list_articles(db, filters=Filters(site="https://example.com:8443/x"))
    assert [a.url for a in ported] == ["https://news.example.com:8443/b"]
    assert site_host("https://Example.com:443/") == ("example.com", None)
    assert site_host("example.com:8080/") == ("example.com", 8080)
    assert site_host("The Guardian") is None
    assert site_host("host:notaport") is None


# -- the SQL expression against Python's own reading of the same dates ----------------------


def python_utc(published: str) -> str:
    moment = datetime.fromisoformat(published)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def test_the_sql_instant_agrees_with_python() -> None:
    """UTC_SQL (SQLite's datetime()) stands in for Python's parsing: both on many dates."""
    rng = random.Random(5)
    values = ["2024-03-05", "2024-02-29T23:59:59", "2024-12-31T23:30:00-05:00"]
    for _ in range(2000):
        moment = datetime(2000, 1, 1) + timedelta(seconds=rng.randrange(40 * 365 * 86400))
        minutes = rng.choice([0, 30, 45]) * rng.choice([1, -1]) + 60 * rng.randrange(-12, 15)
        zone = timezone(timedelta(minutes=minutes))
        values.append(
            rng.choice(
                [
                    moment.replace(tzinfo=zone).isoformat(),
                    moment.isoformat(),
                    moment.date().isoformat(),
                    moment.replace(tzinfo=timezone.utc).isoformat(),
                ]
            )
        )
    conn = sqlite3.connect(":memory:")
    sql = f"SELECT {UTC_SQL.format(a='a')} FROM (SELECT ? AS published) a"
    for value in values:
        assert conn.execute(sql, [value]).fetchone()[0] == python_utc(value), value
        assert utc_instant(value) in (None, python_utc(value))  # None: a date alone
    for odd in (None, "2024", "2024-03", "20240305", "yesterday", ""):
        assert conn.execute(sql, [odd]).fetchone()[0] is None, odd
    # a time SQLite cannot read keeps its date
    assert conn.execute(sql, ["2024-03-05T20:00:00+0530"]).fetchone()[0] == "2024-03-05 00:00:00"
    assert utc_instant("2024-03-06T00:30:00Z") == "2024-03-06 00:30:00"
    assert utc_instant("2024-03") is None


# -- the index and the migration that makes it ----------------------------------------------


def plan(conn: sqlite3.Connection, filters: Filters) -> str:
    where, params = filters.where()
    rows = conn.execute(
        f"EXPLAIN QUERY PLAN SELECT a.* FROM articles a WHERE 1 = 1{where} {NEWEST_FIRST} LIMIT 20",
        params,
    ).fetchall()
    return " ".join(row[-1] for row in rows)


def test_the_index_serves_newest_first_and_time_filters(db: Database) -> None:
    """The expression in the queries is the one m013 indexed (else every listing sorts)."""
    assert plan(db.conn, Filters()) == "SCAN a USING INDEX articles_published_utc"
    since = plan(db.conn, Filters(since="2024-03-06T00:30:00+00:00"))
    assert since == "SEARCH a USING INDEX articles_published_utc (<expr>>?)"
    assert "TEMP B-TREE" not in plan(db.conn, Filters(until="2024-03-05"))


def test_an_archive_made_before_m013_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m013_published_utc")
    # rows as that release's store wrote them (today's writes columns of later migrations)
    for name, (published, word) in PAGES.items():
        old.execute(
            "INSERT INTO articles (url, headline, body, published, fetched_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [f"https://desk.example.com/{name}", f"Summit talks: {name} desk",
             f"Summit talks in {word}. " * 30, published, utc_now()],
        )  # fmt: skip
    old.conn.commit()
    assert old.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'articles_published_utc'"
    ).fetchone() == (0,)
    old.close()
    # the reading commands upgrade it as they open it, and sort by the instant at once
    assert names(run("list", "--json", "--db", str(path)).stdout) == NEWEST
    conn = sqlite3.connect(path)
    applied = {row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations")}
    assert "m013_published_utc" in applied
    assert plan(conn, Filters()) == "SCAN a USING INDEX articles_published_utc"
    newest = run("search", "summit", "--sort", "newest", "--json", "--db", str(path)).stdout
    assert names(newest) == NEWEST
    since = run("list", "--json", "--db", str(path), "--since", "2024-03-06T00:30+00:00").stdout
    assert set(names(since)) == {"ny", "london"}
    # a write after the upgrade is in the index (SQLite keeps it): the order stays right
    db = store.open_db(path)
    store.save_article(
        db,
        Article(
            url="https://desk.example.com/la",
            headline="Summit talks: la desk",
            body="Summit talks in Hollywood. " * 30,
            published="2024-03-05T17:30:00-08:00",  # 01:30 UTC on the 6th
        ),
    )
    db.close()
    assert names(run("list", "--json", "--db", str(path)).stdout) == ["la", *NEWEST]
    check = conn.execute("PRAGMA integrity_check").fetchone()
    assert check == ("ok",)
    conn.close()
