"""``newsarc export``: the records as JSON lines, CSV or Markdown, or the raw pages as WARC.

A reading command: it starts fast and opens the archive read-only (see newsarc.cli.reading).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import click

from newsarc.cli.common import db_option, fit_stdout, open_reader, reports_errors
from newsarc.cli.filters import filter_options, make_filters
from newsarc.errors import EXIT_PARTIAL, InputError


@click.command(name="export")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "md", "warc"]),
    help="jsonl, csv, md (Markdown with YAML front matter), or warc (the raw pages as"
    " WARC response records).  [default: by the output file's name (.csv, .md, .warc,"
    " .warc.gz), else jsonl]",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="File to write (md: a folder, one file "
    "per article, unless it ends in .md)  [default: stdout]",
)
@click.option("-q", "--query", help="Only articles matching this search query.")
@click.option(
    "--sort",
    type=click.Choice(["newest", "oldest", "updated"]),
    help="Date order; updated: the latest change first (an article's update, else its"
    " publication).  [default: the order archived]",
)
@click.option(
    "--all-fetches",
    is_flag=True,
    help="warc: every kept fetch of each article, oldest first  [default: the latest]",
)
@click.option(
    "--gzip",
    "gzipped",
    is_flag=True,
    help="warc: gzip each record (.warc.gz)  [default: when the output file ends in .gz]",
)
@filter_options
@db_option
@reports_errors
def export_command(
    fmt: str | None,
    output: str | None,
    query: str | None,
    sort: str | None,
    all_fetches: bool,
    gzipped: bool,
    db_path: str,
    **filters: Any,
) -> None:
    """Export archived articles as JSON lines, CSV, Markdown or WARC, streaming (any archive size).

    \b
    Example:
        newsarc export -o archive.jsonl
        newsarc export --format csv --since 2024-01 --section Politics -o politics.csv
        newsarc export --format md --query '"climate summit"' -o summit/
        newsarc export --updated-since 7d --sort updated -o changed.jsonl
        newsarc export --format warc --site example.com -o example.warc.gz
    """
    from newsarc import export
    from newsarc.search import iter_matches
    from newsarc.store import iter_articles

    fmt = fmt or _format_by_name(output)
    if fmt != "warc" and (all_fetches or gzipped):
        flag = "--all-fetches" if all_fetches else "--gzip"
        raise click.UsageError(f"{flag} goes with --format warc")
    to_stdout = output is None or output == "-"
    if fmt == "warc" and to_stdout and _is_terminal():
        raise InputError(
            "a WARC is binary and stdout is a terminal: write it to a file"
            " (-o FILE.warc.gz) or pipe it"
        )
    fit_stdout(data=True)
    conn = open_reader(db_path)
    chosen = make_filters(filters)
    if query:
        articles = iter_matches(conn, query, filters=chosen, sort=sort)
    else:
        articles = iter_articles(conn, chosen, sort=sort)
    if fmt == "warc":
        _export_warc(conn, articles, output, all_fetches, gzipped, db_path)
        return
    if fmt == "md" and output and not output.lower().endswith(".md"):
        n = export.write_markdown_dir(articles, Path(output))
    else:
        writer = {
            "jsonl": export.write_jsonl,
            "csv": export.write_csv,
            "md": export.write_markdown,
        }[fmt]
        n = _write_to(output, writer, articles, newline="" if fmt == "csv" else None)
    click.echo(f"exported {n} article{'s' * (n != 1)}", err=True)


# Output file names that say which format to write when --format is not given.
_FORMAT_BY_SUFFIX = {".csv": "csv", ".md": "md", ".warc": "warc", ".warc.gz": "warc"}


def _format_by_name(output: str | None) -> str:
    """The format an output file's name asks for ("politics.csv": csv), else jsonl. A
    compressed name other than .warc.gz is refused: only WARC is written compressed, and
    JSON lines under a .gz name would not be what the name says."""
    name = Path(output).name.lower() if output and output != "-" else ""
    for suffix, fmt in _FORMAT_BY_SUFFIX.items():
        if name.endswith(suffix):
            return fmt
    if name.endswith((".gz", ".bz2", ".xz", ".zst")):
        raise click.UsageError(
            f"only --format warc writes compressed files; for {Path(name).suffix} output,"
            " pipe the export into the compressor (newsarc export | gzip > FILE)"
        )
    return "jsonl"


def _export_warc(
    conn: Any, articles: Any, output: str | None, every: bool, gzipped: bool, db_path: str
) -> None:
    """Write the WARC to ``output`` (or stdout's bytes) and say what it holds."""
    from newsarc.exportwarc import WarcTally, write_warc
    from newsarc.store import kept_pages

    to_stdout = output is None or output == "-"
    gzipped = gzipped or (not to_stdout and str(output).lower().endswith(".gz"))
    what = "every kept fetch" if every else "the latest fetch"
    description = f"raw pages of newsarc archive {Path(db_path).name}: {what} of each article"

    def write(out: IO[bytes], filename: str | None) -> WarcTally:
        return write_warc(
            articles,
            lambda article_id: kept_pages(conn, article_id, every=every),
            out,
            gzip=gzipped,
            filename=filename,
            description=description,
        )

    if to_stdout:
        tally = write(sys.stdout.buffer, None)
        sys.stdout.buffer.flush()
    else:
        try:
            with open(str(output), "wb") as out:
                tally = write(out, Path(str(output)).name)
        except OSError as exc:
            raise InputError(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(tally.line(), err=True)
    if tally.damaged:  # pages the archive holds but could not give: a partial export
        raise SystemExit(EXIT_PARTIAL)


def _is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _write_to(
    output: str | None, writer: Callable[..., int], articles: Any, newline: str | None
) -> int:
    if output is None or output == "-":
        return writer(articles, sys.stdout)
    try:
        with open(output, "w", encoding="utf-8", newline=newline) as out:
            return writer(articles, out)
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror or exc}") from None


COMMANDS = [export_command]
