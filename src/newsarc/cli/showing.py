"""``newsarc show``: one archived article in full, its earlier texts, or its raw page.

A reading command like those of newsarc.cli.reading: light imports, the archive opened with
plain sqlite3 and never created.
"""

from __future__ import annotations

import sys
from dataclasses import asdict
from typing import Any

import click

from newsarc.cli.common import (
    db_option,
    echo_json,
    fit_stdout,
    one_line,
    open_reader,
    reports_errors,
    styled,
)
from newsarc.cli.filters import text_arg
from newsarc.errors import InputError


@click.command(name="show")
@click.argument("ref", metavar="ID_OR_URL")
@click.option("--json", "as_json", is_flag=True, help="Print the whole record as JSON.")
@click.option(
    "--revisions",
    "with_revisions",
    is_flag=True,
    help="Also print the earlier texts of the article (what a re-fetch replaced).",
)
@click.option(
    "--raw",
    is_flag=True,
    help="Print only the raw page last fetched, as archived (HTML bytes).",
)
@db_option
@reports_errors
def show_command(ref: str, as_json: bool, with_revisions: bool, raw: bool, db_path: str) -> None:
    """Show one archived article in full, with its aliases, copies and fetches.

    \b
    Example:
        newsarc show 42
        newsarc show https://example.com/world/story.html --json
        newsarc show 42 --revisions        # what the article said before its last edits
        newsarc show 42 --raw > page.html  # the page as fetched
    """
    from newsarc.store import article_details, find_article_id, revisions

    if raw and (as_json or with_revisions):
        raise click.UsageError("--raw prints the page alone: it takes no --json or --revisions")
    fit_stdout(data=as_json)
    conn = open_reader(db_path)
    ref = text_arg(ref)
    article_id = find_article_id(conn, ref)
    details = article_details(conn, article_id) if article_id is not None else None
    if article_id is None or details is None:
        raise InputError(f"no article with id or URL {ref}")
    if raw:
        _write_raw_page(conn, article_id)
        return
    record = details.to_dict()
    earlier = [_revision_dict(r) for r in revisions(conn, article_id)] if with_revisions else []
    if as_json:
        echo_json({**record, "earlier_texts": earlier} if with_revisions else record)
        return
    click.echo(_details_text(record, styled()))
    for n, revision in enumerate(reversed(earlier), start=1):
        click.echo("\n" + _revision_text(revision, n, len(earlier)))


def _write_raw_page(conn: Any, article_id: int) -> None:
    """The newest raw page of the article, its bytes as archived, to stdout."""
    from newsarc.store import latest_pages

    pages = [page for _id, page in latest_pages(conn, [article_id])]
    if not pages:
        raise InputError(f"no raw page is kept for article {article_id}")
    sys.stdout.flush()
    sys.stdout.buffer.write(pages[0].content)
    sys.stdout.buffer.flush()


def _revision_dict(revision: Any) -> dict[str, Any]:
    record = asdict(revision)
    del record["article_id"]
    return record


def _revision_text(revision: dict[str, Any], n: int, total: int) -> str:
    """An earlier text, newest first: a rule naming when it was replaced, its headline, its
    body."""
    rule = f"── earlier text {n} of {total}, replaced {revision['replaced_at']} ──"
    return "\n".join([rule, one_line(revision["headline"] or ""), "", revision["body"] or ""])


def _details_text(record: dict[str, Any], styled: bool) -> str:
    headline = one_line(record["headline"])
    lines = [click.style(headline, bold=True) if styled else headline, ""]
    fields = [
        ("id", record["id"]),
        ("url", record["url"]),
        ("canonical", record["canonical_url"]),
        ("published", record["published"]),
        ("modified", record["modified"]),
        ("section", record["section"]),
        ("authors", ", ".join(record["authors"])),
        ("topics", "; ".join(record["topics"])),
        ("site", record["site"]),
        ("language", record["language"]),
        ("words", record["word_count"]),
        ("fetched", record["fetched_at"]),
        ("first fetched", record["first_fetched_at"]),
        ("revisions", record["revisions"] or None),
    ]
    lines += [f"{name + ':':<15}{value}" for name, value in fields if value not in (None, "")]
    lines += [f"{'alias:':<15}{alias['url']} ({alias['kind']})" for alias in record["aliases"]]
    lines += [f"{'copy:':<15}{copy['id']}  {copy['url']}" for copy in record["copies"]]
    lines += [
        f"{'fetch:':<15}{f['fetched_at']}  {f['status']}  {f['final_url'] or f['url']}"
        for f in record["fetches"]
    ]
    lines += [f"{'subheading:':<15}{one_line(text)}" for text in record["subheadings"]]
    return "\n".join([*lines, "", record["body"]])


COMMANDS = [show_command]
