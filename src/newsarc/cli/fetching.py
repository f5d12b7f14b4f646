"""``newsarc fetch``: archive articles one by one, from URLs or saved pages."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import click

from newsarc.cli.common import (
    ADDRESS,
    WAIT_HINT,
    Seconds,
    db_option,
    echo_json,
    fetch_limit_options,
    limits_from,
    one_line,
    reports_errors,
)
from newsarc.errors import EXIT_ERROR, EXIT_PARTIAL, InputError, NewsarcError
from newsarc.model import Article

log = logging.getLogger(__name__)


def article_line(article: Article, *, latest_change: bool = False) -> str:
    """One tab-separated line: id, date, section, headline, words. The date is the
    publication's, or with ``latest_change`` the update's when there is one (the date
    ``--sort updated`` orders by)."""
    shown = (article.modified or article.published) if latest_change else article.published
    date = (shown or "-")[:10]
    fields = [
        str(article.id),
        date,
        article.section or "-",
        article.headline,
        str(article.word_count),
    ]
    return "\t".join(one_line(field) for field in fields)


@click.command(name="fetch")
@click.argument("targets", nargs=-1, required=True, metavar="URL_OR_FILE...", type=ADDRESS)
@click.option(
    "--url",
    "page_url",
    type=ADDRESS,
    metavar="URL",
    help="Original address of a saved page given as a file.",
)
@click.option("--json", "as_json", is_flag=True, help="Print each whole record as a JSON line.")
@fetch_limit_options
@db_option
@reports_errors
def fetch_command(
    targets: tuple[str, ...], page_url: str | None, as_json: bool, db_path: str, **limits: Any
) -> None:
    """Fetch article pages, extract them and archive them.

    Prints one tab-separated line per article: id, date, section, headline, words.
    A saved page is archived with --url giving its original address.

    \b
    Example:
        newsarc fetch https://example.com/world/2024/story.html
        newsarc fetch saved-page.html --url https://example.com/world/story.html
    """
    from newsarc.pipeline import extract_page, fetch_page, page_from_file, store_page
    from newsarc.store import check_writable, close, open_db

    # Anything that looks like an address is checked as one (so ftp://... is a bad URL, exit 1).
    files = [t for t in targets if "://" not in t and not t.lower().startswith(("http:", "https:"))]
    if page_url and len(targets) != 1:
        raise click.UsageError("--url goes with exactly one saved page")
    if files and not page_url:
        if not Path(files[0]).exists():
            raise click.UsageError(f"not an http(s) URL or an existing file: {files[0]}")
        raise click.UsageError(f"a saved page needs --url with its original address: {files[0]}")

    check_writable(db_path)  # before any fetch: an archive this version must not write
    fetch_limits = limits_from(limits)
    db = None
    failures = 0
    session = None
    try:
        for target in targets:
            try:
                if page_url:
                    page = page_from_file(target, page_url, max_bytes=fetch_limits.max_bytes)
                else:
                    if session is None:
                        from newsarc.fetch import make_session

                        session = make_session()
                    page = fetch_page(target, session=session, limits=fetch_limits)
                article = extract_page(page)
                if db is None:  # opened only once there is something to save
                    db = open_db(db_path)
                archived = store_page(db, page, article)
            except NewsarcError as exc:
                if len(targets) == 1:
                    raise
                failures += 1
                click.echo(f"Error: {one_line(str(exc))}", err=True)
                continue
            if archived.copy:
                log.info(
                    "%s: a copy of article %d, kept as its alias", page.url, archived.article.id
                )
            log.info("%s: %s", archived.status, article.url)
            if as_json:
                extra = {"status": archived.status} | ({"copy": True} if archived.copy else {})
                echo_json(archived.article.to_dict() | extra)
            else:
                click.echo(article_line(archived.article))
    finally:
        if db is not None:
            close(db)
    if failures:
        click.echo(f"{failures} of {len(targets)} failed", err=True)
        raise SystemExit(EXIT_ERROR if failures == len(targets) else EXIT_PARTIAL)


@click.command(name="reextract")
@click.argument("refs", metavar="[ID_OR_URL]...", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Re-extract every archived article.")
@click.option(
    "--wait",
    "wait_seconds",
    type=Seconds(min=0),
    default=0.0,
    help="Seconds to wait for a running ingest to finish  [default: fail at once, exit 4]",
)
@db_option
@reports_errors
def reextract_command(
    refs: tuple[str, ...], everything: bool, wait_seconds: float, db_path: str
) -> None:
    """Re-run the current extractor over the stored raw pages.

    Records whose text or metadata change are updated (the previous body is kept as a
    revision) and every record gets the current extractor version. An id or URL that names
    no archived article is an error (exit 1, or 3 when others were re-extracted).

    \b
    Example:
        newsarc reextract --all
        newsarc reextract 12 15
        newsarc reextract https://example.com/world/story.html
    """
    from newsarc.interrupt import stop_signals
    from newsarc.lock import ingest_lock
    from newsarc.pipeline import reextract
    from newsarc.store import close, open_db

    if bool(refs) == everything:
        raise click.UsageError("give article ids or --all")
    db_file = Path(db_path)
    if not db_file.exists():
        raise click.ClickException(f"no archive at {db_path} (run newsarc fetch first)")

    def report(article_id: int, reason: str) -> None:
        click.echo(f"Error: article {article_id}: {one_line(reason)}", err=True)

    # One batch writer at a time (an ingest, or this), as two would hold each other's writes
    # up; Ctrl-C or SIGTERM commits what is done and ends the run (see newsarc.interrupt).
    with (
        stop_signals() as sig,
        ingest_lock(db_file, wait=wait_seconds, stopped=sig.asked, hint=WAIT_HINT),
    ):
        db = open_db(db_file)
        try:
            ids, unknown = _article_ids(db, refs)
            counts = reextract(db, ids, on_failure=report, stopped=sig.asked)
        finally:
            close(db)
    if counts.stopped:
        click.echo(f"{counts.changed} of {counts.checked} changed, interrupted by {sig.name}")
        raise SystemExit(sig.exit_code)
    click.echo(f"{counts.changed} of {counts.checked} changed", err=False)
    failed = counts.failed + unknown
    if failed:
        raise SystemExit(EXIT_PARTIAL if failed < counts.checked + unknown else EXIT_ERROR)


def _article_ids(db: Any, refs: tuple[str, ...]) -> tuple[list[int] | None, int]:
    """The ids of the articles ``refs`` name (None for all, when there are none) and how many
    name none, each said in an ``Error:`` line as ``show`` says it: a typo is an error, not
    "0 of 0 changed". Exits 1 when none names an article (nothing to do)."""
    from newsarc.cli.filters import text_arg
    from newsarc.store import find_article_id

    if not refs:
        return None, 0
    ids: list[int] = []
    missing = 0
    for ref in map(text_arg, refs):
        try:
            found = find_article_id(db, ref)
        except InputError as exc:  # neither an id nor a URL
            click.echo(f"Error: {one_line(str(exc))}", err=True)
            found = None
        else:
            if found is None:
                click.echo(f"Error: no article with id or URL {one_line(ref)}", err=True)
        if found is None:
            missing += 1
        elif found not in ids:  # the same article by id and by URL is done once
            ids.append(found)
    if not ids:
        raise SystemExit(EXIT_ERROR)
    return ids, missing


COMMANDS = [fetch_command, reextract_command]
