"""Filtering and exporting by an article's latest change: ``Filters.updated_since`` /
``updated_until`` in the store, ``--updated-since``/``--updated-until`` in list, search and
export, ``export --sort``, and the index of migration m016 that serves them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner, Result

from newsarc import store
from newsarc.cli import cli
from newsarc.errors import InputError, QueryError
from newsarc.model import Article
from newsarc.search import iter_matches
from newsarc.store import Filters
from newsarc.store.filters import DATE_ORDERS
from newsarc.store.schema import migrations

# (slug, section, published, modified) and, in comments, the latest change in UTC
STORIES = [
    # updated on the evening of the 5th in New York: 04:30 UTC on the 6th
    ("late-ny", "World", "2024-03-01T09:00:00-05:00", "2024-03-05T23:30:00-05:00"),
    # updated on the morning of the 6th in Tokyo: 23:00 UTC on the 5th
    ("tokyo", "Asia", "2024-02-01", "2024-03-06T08:00:00+09:00"),
    ("plain", "World", "2024-03-05T12:00:00+00:00", None),  # never updated: 12:00 on the 5th
    ("old", "World", "2024-01-10T10:00:00+01:00", None),  # 09:00 UTC on 10 January
    ("undated", "World", None, None),
]
UPDATED_FIRST = ["late-ny", "tokyo", "plain", "old", "undated"]
NEWEST_FIRST = ["plain", "late-ny", "tokyo", "old", "undated"]
OLDEST_FIRST = ["old", "tokyo", "late-ny", "plain", "undated"]
ARCHIVED = [slug for slug, *_ in STORIES]


def save_stories(db: sqlite_utils.Database) -> None:
    for slug, section, published, modified in STORIES:
        store.save_article(
            db,
            Article(
                url=f"https://desk.example.com/{slug}",
                headline=f"Harbour dredging: {slug}",
                body=f"The harbour board's dredging story {slug}, in a few words. " * 3,
                published=published,
                modified=modified,
                section=section,
            ),
        )


def slugs(articles: object) -> list[str]:
    return [a.url.rsplit("/", 1)[1] for a in articles]  # type: ignore[attr-defined]


@pytest.fixture
def archive(db_path: Path) -> Path:
    db = store.open_db(db_path)
    save_stories(db)
    db.close()
    return db_path


@pytest.fixture
def conn(archive: Path) -> Iterator[sqlite3.Connection]:
    connection = store.connect(archive, readonly=True)
    yield connection
    connection.close()


def listed(conn: sqlite3.Connection, **filters: object) -> list[str]:
    return slugs(store.list_articles(conn, filters=Filters(**filters), sort="updated"))  # type: ignore[arg-type]


# -- the store ------------------------------------------------------------------------------


def test_a_date_is_a_day_in_utc(conn: sqlite3.Connection) -> None:
    """23:30 on the 5th at -05:00 is the 6th in UTC; 08:00 on the 6th at +09:00 the 5th."""
    assert listed(conn, updated_since="2024-03-06") == ["late-ny"]
    assert listed(conn, updated_until="2024-03-05") == ["tokyo", "plain", "old"]
    assert listed(conn, updated_since="2024-03-06", updated_until="2024-03-06") == ["late-ny"]


def test_without_an_update_the_publication_counts(conn: sqlite3.Connection) -> None:
    assert listed(conn, updated_since="2024-03-05") == ["late-ny", "tokyo", "plain"]
    assert listed(conn, updated_since="2024-01", updated_until="2024-01") == ["old"]
    # "2024-02" covers the whole month: tokyo was published then but updated in March
    assert listed(conn, updated_until="2024-02") == ["old"]


def test_a_date_time_is_an_instant_and_the_bounds_are_inclusive(conn: sqlite3.Connection) -> None:
    assert listed(conn, updated_since="2024-03-06T00:00:00+01:00") == ["late-ny", "tokyo"]
    assert listed(conn, updated_since="2024-03-05T23:00:00Z") == ["late-ny", "tokyo"]
    assert listed(conn, updated_until="2024-03-05T12:00:00+00:00") == ["plain", "old"]
    assert listed(conn, updated_until="2024-03-05T11:59:59") == ["old"]  # no offset: UTC


def test_undated_articles_pass_neither_bound(conn: sqlite3.Connection) -> None:
    assert "undated" not in listed(conn, updated_since="1970")
    assert "undated" not in listed(conn, updated_until="2999")
    # unlike --until, which passes an undated article fetched by then
    assert "undated" in listed(conn, until="2999")


def test_they_combine_with_the_other_filters(conn: sqlite3.Connection) -> None:
    # published in March (the page's own date) and changed on the 5th or later
    assert listed(conn, since="2024-03", updated_since="2024-03-05") == ["late-ny", "plain"]
    assert listed(conn, until="2024-02", updated_since="2024-03") == ["tokyo"]
    assert listed(conn, section="world", updated_until="2024-03-05") == ["plain", "old"]
    assert slugs(
        store.list_articles(conn, filters=Filters(updated_since="2024-03-05"), sort="newest")
    ) == ["plain", "late-ny", "tokyo"]


def test_the_library_takes_dates_and_ages_and_refuses_the_rest() -> None:
    from datetime import date, datetime, timezone

    assert Filters(updated_since=date(2024, 3, 6)).updated_since == "2024-03-06"
    moment = datetime(2024, 3, 6, 4, 30, tzinfo=timezone.utc)
    assert Filters(updated_until=moment).updated_until == "2024-03-06T04:30:00+00:00"
    assert Filters(updated_since="7d").updated_since is not None
    assert Filters(updated_since="7d").active()
    with pytest.raises(InputError, match=r"^updated_since: not a date: 'soon' \(use 2024"):
        Filters(updated_since="soon")
    with pytest.raises(InputError, match=r"^updated_until: not a date: 3"):
        Filters(updated_until=3)  # type: ignore[arg-type]


def test_iter_articles_streams_in_each_date_order(conn: sqlite3.Connection) -> None:
    assert slugs(store.iter_articles(conn)) == ARCHIVED  # the order archived, as before
    orders = {"newest": NEWEST_FIRST, "oldest": OLDEST_FIRST, "updated": UPDATED_FIRST}
    assert {sort: slugs(store.iter_articles(conn, sort=sort)) for sort in orders} == orders
    changed = Filters(updated_since="2024-03-05")
    assert slugs(store.iter_articles(conn, changed, sort="oldest")) == ["tokyo", "late-ny", "plain"]
    with pytest.raises(InputError, match="unknown sort 'best'"):
        next(store.iter_articles(conn, sort="best"))


def test_iter_matches_streams_in_each_date_order(conn: sqlite3.Connection) -> None:
    assert slugs(iter_matches(conn, "dredging")) == ARCHIVED
    assert slugs(iter_matches(conn, "dredging", sort="updated")) == UPDATED_FIRST
    assert slugs(iter_matches(conn, "dredging", sort="oldest")) == OLDEST_FIRST
    changed = Filters(updated_until="2024-03-05")
    assert slugs(iter_matches(conn, "dredging", filters=changed, sort="newest")) == [
        "plain",
        "tokyo",
        "old",
    ]
    with pytest.raises(QueryError, match="unknown sort 'best'"):
        next(iter_matches(conn, "dredging", sort="best"))


def plan(conn: sqlite3.Connection, filters: Filters, sort: str) -> str:
    where, params = filters.where()
    sql = f"SELECT a.* FROM articles a WHERE 1 = 1{where} {DATE_ORDERS[sort]} LIMIT 20"
    return " | ".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))


@pytest.mark.parametrize("sort", list(DATE_ORDERS))
def test_the_index_serves_the_filters_in_every_order(conn: sqlite3.Connection, sort: str) -> None:
    """The expression in the queries is the one m016 indexed: with a lower bound a range of
    the index is read, not every row to its end (``modified`` is stored after the body)."""
    for filters in (
        Filters(updated_since="7d"),
        Filters(updated_since="2024-03", updated_until="2024-03"),
        Filters(since="2024-01", updated_since="2024-03-05", section="World"),
    ):
        found = plan(conn, filters, sort)
        assert found.startswith("SEARCH a USING INDEX articles_changed_utc (<expr>>?"), found


def test_an_upper_bound_alone_walks_the_index_of_the_order(conn: sqlite3.Connection) -> None:
    """``--updated-until`` alone passes most articles: the listing walks its order's index
    and stops at the first rows that pass, never sorting the archive."""
    until = Filters(updated_until="2024-03")
    assert plan(conn, until, "newest") == "SCAN a USING INDEX articles_published_utc"
    assert plan(conn, until, "updated") == "SEARCH a USING INDEX articles_changed_utc (<expr><?)"


def test_the_index_serves_the_latest_change_first(conn: sqlite3.Connection) -> None:
    assert plan(conn, Filters(), "updated") == "SCAN a USING INDEX articles_changed_utc"


# -- the upgrade ------------------------------------------------------------------------------


def test_an_archive_made_before_m016_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "m015.db"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="m016_latest_change_utc")
    # rows as that release's store wrote them (today's writes columns of later migrations)
    for slug, section, published, modified in STORIES:
        old.execute(
            "INSERT INTO articles (url, headline, body, published, modified, section)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [f"https://desk.example.com/{slug}", f"Harbour dredging: {slug}",
             f"The harbour board's dredging story {slug}, in a few words. " * 3, published,
             modified, section],
        )  # fmt: skip
    old.conn.commit()
    assert not old.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'articles_changed_utc'"
    ).fetchone()
    old.close()
    # a reading command upgrades it as it opens it, and filters at once
    result = run("list", "--json", "--db", str(path), "--updated-since", "2024-03-06")
    assert [a["url"].rsplit("/", 1)[1] for a in json.loads(result.stdout)] == ["late-ny"]
    conn = store.connect(path, readonly=True)
    assert store.pending_migrations(conn) == []
    assert plan(conn, Filters(updated_since="7d"), "newest").startswith(
        "SEARCH a USING INDEX articles_changed_utc"
    )
    conn.close()
    # a write after the upgrade is in the index (SQLite keeps it)
    db = store.open_db(path)
    store.save_article(
        db,
        Article(
            url="https://desk.example.com/la",
            headline="Harbour dredging: la",
            body="The harbour board's dredging story la, in a few words. " * 3,
            published="2024-03-01",
            modified="2024-03-05T22:00:00-08:00",  # 06:00 UTC on the 6th
        ),
    )
    db.close()
    conn = store.connect(path, readonly=True)
    assert listed(conn, updated_since="2024-03-06") == ["la", "late-ny"]
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


# -- the CLI --------------------------------------------------------------------------------


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


def records(result: Result) -> list[str]:
    """The slugs of a --json array or JSON lines on stdout."""
    text = result.stdout.strip()
    rows = json.loads(text) if text.startswith("[") else [json.loads(x) for x in text.splitlines()]
    return [row["url"].rsplit("/", 1)[1] for row in rows]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--updated-since", "2024-03-06"], ["late-ny"]),
        (["--updated-until", "2024-03-05"], ["plain", "tokyo", "old"]),
        (["--updated-since", "2024-03-05", "--since", "2024-03"], ["plain", "late-ny"]),
        (["--updated-since", "2024-03-05", "--section", "Asia"], ["tokyo"]),
    ],
)
def test_list_and_search_filter_by_the_latest_change(
    archive: Path, options: list[str], expected: list[str]
) -> None:
    listed = run("list", "--json", *options)
    assert records(listed) == expected and listed.stderr == ""
    found = run("search", "dredging", "--sort", "newest", "--json", *options)
    assert records(found) == expected and found.stderr == ""
    assert run("search", "dredging", "--count", *options).stdout == f"{len(expected)}\n"


def test_list_by_the_latest_change_since_an_age(archive: Path) -> None:
    assert run("list", "--updated-since", "7d").stdout == ""  # every change is older
    assert records(run("list", "--jsonl", "--updated-until", "7d")) == NEWEST_FIRST[:-1]


def test_export_filters_by_the_latest_change(archive: Path) -> None:
    result = run("export", "--updated-since", "2024-03-06")
    assert records(result) == ["late-ny"]
    assert result.stderr == "exported 1 article\n"
    query = run("export", "-q", "dredging", "--updated-until", "2024-03-05", "--sort", "updated")
    assert records(query) == ["tokyo", "plain", "old"]
    assert query.stderr == "exported 3 articles\n"


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ([], ARCHIVED),
        (["--sort", "newest"], NEWEST_FIRST),
        (["--sort", "oldest"], OLDEST_FIRST),
        (["--sort", "updated"], UPDATED_FIRST),
    ],
)
def test_export_order(archive: Path, tmp_path: Path, sort: list[str], expected: list[str]) -> None:
    assert records(run("export", *sort)) == expected
    assert records(run("export", "--query", "harbour", *sort)) == expected
    csv_rows = run("export", "--format", "csv", *sort).stdout.splitlines()[1:]
    assert [row.split(",")[1].rsplit("/", 1)[1] for row in csv_rows] == expected
    run("export", "--format", "md", "-o", str(tmp_path / "md"), *sort)
    assert len(list((tmp_path / "md").iterdir())) == len(expected)


def test_the_text_lines_show_the_date_they_are_sorted_by(archive: Path) -> None:
    # each article's latest change as its page wrote it (the order is by UTC instants)
    updated = ["2024-03-05", "2024-03-06", "2024-03-05", "2024-01-10", "-"]
    published = ["2024-03-01", "2024-02-01", "2024-03-05", "2024-01-10", "-"]
    lines = run("list", "--sort", "updated").stdout.splitlines()
    assert [line.split("\t")[1] for line in lines] == updated
    lines = run("list", "--sort", "oldest").stdout.splitlines()
    assert [line.split("\t")[1] for line in lines] == [published[i] for i in (3, 1, 0, 2, 4)]
    heads = run("search", "dredging", "--sort", "updated").stdout.split("\n\n")
    assert [head.split()[1] for head in heads if head.strip()] == updated


@pytest.mark.parametrize("command", [["list"], ["search", "dredging"], ["export"]])
@pytest.mark.parametrize("option", ["--updated-since", "--updated-until"])
def test_a_bad_date_is_a_usage_error(archive: Path, command: list[str], option: str) -> None:
    result = CliRunner().invoke(cli, [*command, option, "soon"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert errors == [
        f"Error: Invalid value for '{option}': not a date: 'soon'"
        " (use 2024-03-01, 2024-03, 2024, 7d, 2w, 3m or 1y)"
    ]
    assert result.stderr.endswith(errors[0] + "\n")


def test_export_refuses_an_unknown_sort(archive: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "--sort", "best"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "Error: Invalid value for '--sort': 'best' is not one of" in result.stderr


@pytest.mark.parametrize("command", ["list", "search", "export"])
def test_the_help_says_undated_articles_are_left_out(command: str) -> None:
    text = " ".join(run(command, "--help").stdout.split())
    assert "--updated-since DATE Latest change (update, else publication)" in text
    assert "in UTC. Leaves out undated articles." in text
