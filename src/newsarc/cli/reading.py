"""The reading commands: search, list and stats (show: newsarc.cli.showing; export:
newsarc.cli.exporting).

They must start fast: only click, the stdlib and newsarc's light modules are imported, and
the archive is opened with plain sqlite3 (newsarc.store.connect), never created.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from newsarc.cli.common import (
    db_option,
    echo_json,
    echo_jsonl,
    fit_stdout,
    one_line,
    open_reader,
    reports_errors,
)
from newsarc.cli.common import styled as _styling
from newsarc.cli.filters import filter_options, make_filters

F = TypeVar("F", bound=Callable[..., Any])

# Private-use characters mark matches until the output format decides how to show them.
_MARK = ("\ue000", "\ue001")
SEARCH_FIELDS = tuple(
    "id story_id url headline published modified section site authors topics language score"
    " snippet".split()
)
# SQLite's largest integer: a larger --limit or --offset cannot be bound (and means "all").
_MOST = 2**63 - 1  # newsarc.store.filters.MOST_ROWS, without importing the store here
# search's and list's paging past --limit
_offset_option = click.option(
    "--offset",
    type=click.IntRange(min=0),
    callback=lambda _ctx, _param, value: min(value, _MOST),
    default=0,
    help="Skip this many first (the next page: --offset 20).",
)
LIST_FIELDS = tuple(
    "id url canonical_url headline published modified section authors topics site language"
    " description word_count content_hash fetched_at extractor_version".split()
)


def format_options(func: F) -> F:
    """--json, --jsonl, --csv (one of them; the default is text for people)."""
    options = [
        click.option("--json", "fmt", flag_value="json", help="Print a JSON array."),
        click.option("--jsonl", "fmt", flag_value="jsonl", help="Print one JSON object per line."),
        click.option("--csv", "fmt", flag_value="csv", help="Print CSV with a header row."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


class _QueryFirst(click.Command):
    """A command whose query may start with "-" (``search "-opinion border"``): an argument
    of one dash that holds a space can be no option, so it is read as the query, as if it
    came after ``--``. A one-word query starting with "-" still needs the ``--``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" not in args:
            for n, arg in enumerate(args):
                spaced = any(c.isspace() for c in arg)
                if spaced and arg.startswith("-") and not arg.startswith("--"):
                    args = [*args[:n], *args[n + 1 :], "--", arg]
                    break
        return super().parse_args(ctx, args)


@click.command(name="search", cls=_QueryFirst)
@click.argument("query")
@click.option(
    "-n",
    "--limit",
    type=click.IntRange(min=1),
    callback=lambda _ctx, _param, value: min(value, _MOST),
    default=20,
    show_default=True,
    help="Most hits to show.",
)
@_offset_option
@click.option(
    "--sort",
    type=click.Choice(["relevance", "newest", "oldest", "updated"]),
    default="relevance",
    show_default=True,
    help="updated: the latest change first (an article's update, else its publication),"
    " and the date shown is that change's.",
)
@click.option("--count", "count_only", is_flag=True, help="Print only the number of matches.")
@click.option("--all-copies", is_flag=True, help="Show every copy of a story, not just the best.")
@click.option("--fts", "raw_fts", is_flag=True, help="QUERY is a raw FTS5 expression (experts).")
@filter_options
@format_options
@db_option
@reports_errors
def search_command(
    query: str,
    limit: int,
    offset: int,
    sort: str,
    count_only: bool,
    all_copies: bool,
    raw_fts: bool,
    fmt: str | None,
    db_path: str,
    **filters: Any,
) -> None:
    """Search the archive: all words must match; "phrases", OR, -word, prefix*, headline:word.

    Prints the best matches first, each story once, with the matching words highlighted.

    \b
    Example:
        newsarc search '"border crossing" georgia -opinion' --since 30d
        newsarc search 'elect* headline:senate' --site example.com --json
    """
    from newsarc.search import count, search

    fit_stdout(data=fmt is not None)
    conn = open_reader(db_path)
    options = dict(filters=make_filters(filters), raw=raw_fts, all_copies=all_copies)
    if count_only:
        click.echo(count(conn, query, **options))
        return
    marks = _MARK if fmt is None else ("[", "]")
    hits = search(conn, query, limit=limit, offset=offset, sort=sort, highlight=marks, **options)
    records = [hit.to_dict() for hit in hits]
    if fmt is not None:
        _emit(records, fmt, SEARCH_FIELDS)
        return
    styled = _styling()
    for record in records:
        click.echo(_hit_text(record, styled, latest_change=sort == "updated"))


@click.command(name="list")
@click.option(
    "-n",
    "--limit",
    type=click.IntRange(min=1),
    callback=lambda _ctx, _param, value: min(value, _MOST),
    default=20,
    show_default=True,
    help="Most articles to show.",
)
@_offset_option
@click.option(
    "--sort",
    type=click.Choice(["newest", "oldest", "updated"]),
    default="newest",
    show_default=True,
    help="updated: the latest change first (an article's update, else its publication),"
    " and the date shown is that change's.",
)
@filter_options
@format_options
@db_option
@reports_errors
def list_command(
    limit: int, offset: int, sort: str, fmt: str | None, db_path: str, **filters: Any
) -> None:
    """List archived articles, newest first: id, date, section, headline, words.

    \b
    Example:
        newsarc list --since 7d --section World
        newsarc list -n 100 --jsonl | jq .headline
    """
    from newsarc.cli.fetching import article_line
    from newsarc.store import list_articles

    fit_stdout(data=fmt is not None)
    conn = open_reader(db_path)
    articles = list_articles(
        conn, limit=limit, offset=offset, filters=make_filters(filters), sort=sort
    )
    if fmt is None:
        for article in articles:
            click.echo(article_line(article, latest_change=sort == "updated"))
        return
    records = [{k: a.to_dict()[k] for k in LIST_FIELDS} for a in articles]
    _emit(records, fmt, LIST_FIELDS)


@click.command(name="stats")
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@db_option
@reports_errors
def stats_command(as_json: bool, db_path: str) -> None:
    """Show what the archive holds: totals, sites, sections, topics, months, failures, size.

    \b
    Example:
        newsarc stats
        newsarc stats --json | jq .failures
    """
    from newsarc.store import stats

    fit_stdout(data=as_json)
    figures = stats(open_reader(db_path))
    if as_json:
        echo_json(figures)
    else:
        click.echo(_stats_text(figures))


def _emit(records: list[dict[str, Any]], fmt: str, fields: tuple[str, ...]) -> None:
    if fmt == "json":
        echo_json(records)
    elif fmt == "jsonl":
        echo_jsonl(records)
    else:
        import csv

        from newsarc.export import csv_row

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(fields)
        for record in records:
            writer.writerow(csv_row(record, fields))


def _marked(text: str, styled: bool) -> str:
    if not styled:
        return text.replace(_MARK[0], "[").replace(_MARK[1], "]")
    parts = text.replace(_MARK[1], _MARK[0]).split(_MARK[0])
    return "".join(click.style(p, bold=True) if i % 2 else p for i, p in enumerate(parts))


def _hit_text(record: dict[str, Any], styled: bool, *, latest_change: bool = False) -> str:
    """Three lines per hit: id, date, site, section and headline; the URL; the snippet. The
    date is the publication's, or with ``latest_change`` the update's when there is one."""
    shown = record["published"]
    if latest_change and record["modified"]:
        shown = record["modified"]
    date = (shown or "")[:10] or "-"
    where = " · ".join(one_line(v) for v in (record["site"], record["section"]) if v)
    headline = one_line(record["headline"] or "(no headline)")
    if styled:
        headline = click.style(headline, bold=True)
    head = f"{record['id']}  {date}  " + (f"{where}  " if where else "") + headline
    snippet = _marked(one_line(record["snippet"] or ""), styled)
    return f"{head}\n    {record['url']}\n    {snippet}\n"


def _stats_text(figures: dict[str, Any]) -> str:
    failures = figures["failures"]
    plural = "s" * (failures["urls"] != 1)
    span = " … ".join(str(figures[k] or "-")[:10] for k in ("first_fetched_at", "last_fetched_at"))
    lines = [
        f"articles   {figures['articles']:,} ({figures['stories']:,} stories)",
        f"pages      {figures['pages']:,} ({_size(figures['raw_bytes'])} before compression)",
        f"revisions  {figures['revisions']:,}",
        f"aliases    {figures['aliases']:,}",
        f"words      {figures['words']:,}",
        f"fetched    {span}",
        f"sources    {figures['sources']:,}",
        f"failures   {failures['total']:,} ({failures['urls']:,} URL{plural})",
        f"archive    {_size(figures['archive_bytes'])}",
    ]
    for title, key in (
        ("sites", "site"),
        ("sections", "section"),
        ("topics", "topic"),
        ("languages", "language"),
        ("months", "month"),
    ):
        if figures[title]:
            lines += ["", title]
            lines += [f"  {row['articles']:>9,}  {row[key] or '-'}" for row in figures[title]]
    if failures["recent"]:
        lines += ["", "recent failures"]
        lines += [
            f"  {f['at'][:19]}  {f['url']}  {one_line(f['reason'])}" for f in failures["recent"]
        ]
    return "\n".join(lines)


def _size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


COMMANDS = [search_command, list_command, stats_command]
