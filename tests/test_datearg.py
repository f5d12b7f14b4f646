"""Date settings given from Python (``IngestOptions.since``, ``Filters(since=, until=)``) mean
what the CLI's --since/--until mean: the same parser, date objects too, and anything else
refused where it is given (a string such as "7d" compared as text matched nothing)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from newsarc.datearg import date_arg, parse_date
from newsarc.errors import InputError
from newsarc.ingest import IngestOptions, Source
from newsarc.store import Filters, connect, dated_out, list_articles
from tests.test_ingest import article_page, run, url_file


def today() -> date:
    return datetime.now(timezone.utc).date()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("7d", (today() - timedelta(days=7)).isoformat()),
        ("yesterday", (today() - timedelta(days=1)).isoformat()),
        ("2024-03", "2024-03"),
        (date(2024, 1, 1), "2024-01-01"),
        (datetime(2024, 1, 1, 12, 30), "2024-01-01T12:30:00"),
        (datetime(2024, 1, 1, 12, tzinfo=timezone.utc), "2024-01-01T12:00:00+00:00"),
    ],
)
def test_date_arg_takes_what_the_cli_takes_and_date_objects(value, expected) -> None:
    assert date_arg(value) == expected
    assert Filters(since=value).since == expected
    assert Filters(until=value).until == expected
    assert IngestOptions(since=value).since == expected


@pytest.mark.parametrize("value", ["last week", "7x", "", 2024, 1.5, b"2024", ["2024"]])
def test_anything_else_is_refused_at_construction(value) -> None:
    with pytest.raises(InputError, match="since: not a date"):
        Filters(since=value)
    with pytest.raises(InputError, match="until: not a date"):
        Filters(until=value)
    with pytest.raises(InputError, match="since: not a date"):
        IngestOptions(since=value)


def test_a_setting_changed_after_construction_is_checked_too() -> None:
    options = IngestOptions()
    options.since = "1d"
    assert options.since == options.since_text == (today() - timedelta(days=1)).isoformat()
    with pytest.raises(InputError):
        options.since = "soon"


def test_the_other_filters_must_be_text() -> None:
    with pytest.raises(InputError, match="site: not a str"):
        Filters(site=123)  # type: ignore[arg-type]


def test_parsing_twice_changes_nothing() -> None:
    for text in ("2024", "2024-03", "2024-03-01", "2024-03-01T10:00:00+02:00", "7d"):
        once = parse_date(text)
        assert parse_date(once) == once


def test_since_and_until_from_python_on_todays_article(db, server, tmp_path) -> None:
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    server.expect_request("/today.html").respond_with_data(
        article_page(1, published=now), content_type="text/html; charset=utf-8"
    )
    url = server.url_for("/today.html")
    summary = run(db, Source("urls", url_file(tmp_path, [url])), since="7d")
    assert (summary.new, summary.skipped) == (1, 0)
    assert dated_out(db, url) is None
    db.conn.commit()
    reader = connect(db.conn.execute("PRAGMA database_list").fetchone()[2], readonly=True)
    try:
        for filters, found in [
            (Filters(since="7d"), 1),
            (Filters(since="1y"), 1),
            (Filters(since="yesterday"), 1),
            (Filters(since=today()), 1),
            (Filters(until="yesterday"), 0),
            (Filters(until=today() - timedelta(days=1)), 0),
            (Filters(since="1d", until="today"), 1),
        ]:
            assert len(list_articles(reader, filters=filters)) == found, filters
    finally:
        reader.close()


@pytest.mark.parametrize("value", ["2024-13", "2024-02-30", "2024-00"])
def test_an_impossible_month_or_day_is_named_as_such(value) -> None:
    with pytest.raises(InputError, match=rf"^not a date: '{value}' \(no such month or day\)$"):
        parse_date(value)
