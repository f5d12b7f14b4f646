"""``newsarc ingest``: batch archiving, made for cron."""

from __future__ import annotations

import logging
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from newsarc.cli.common import (
    ADDRESS,
    WAIT_HINT,
    Seconds,
    db_option,
    fetch_limit_options,
    limits_from,
    one_line,
    reports_errors,
)
from newsarc.cli.filters import DateParam
from newsarc.errors import NewsarcError, UsageError

_LIMIT_KEYS = ("timeout", "deadline", "max_bytes", "max_redirects", "retries", "max_retry_after")
_SHOWN_ERRORS = 20


def _address(url: str) -> str:
    """A feed's or sitemap's address as ``sources add`` registers it, so that both find the
    same stored state; a malformed one is left for the run to report."""
    from newsarc.errors import InputError
    from newsarc.urls import source_address

    try:
        return source_address(url)
    except InputError:
        return url


def _base_url(url: str) -> str:
    from newsarc.errors import InputError
    from newsarc.urls import check_url

    try:
        return check_url(url)
    except InputError as exc:
        raise click.BadParameter(str(exc), param_hint="'--base-url'") from None


@click.command(name="ingest")
@click.option(
    "--urls",
    "url_files",
    multiple=True,
    metavar="FILE",
    help="File with one URL per line ('-' for stdin, '#' comments).",
)
@click.option(
    "--feed",
    "feeds",
    multiple=True,
    metavar="URL",
    type=ADDRESS,
    help="RSS or Atom feed, or a homepage whose feeds are discovered.",
)
@click.option(
    "--sitemap",
    "sitemaps",
    multiple=True,
    metavar="URL",
    type=ADDRESS,
    help="Sitemap, sitemap index or Google News sitemap (gzip ok).",
)
@click.option(
    "--warc",
    "warcs",
    multiple=True,
    metavar="FILE",
    help="WARC or WARC.gz file; its HTML responses are archived offline.",
)
@click.option(
    "--dir",
    "dirs",
    multiple=True,
    metavar="PATH",
    help="Folder (or file) of saved .html pages, archived offline.",
)
@click.option(
    "--base-url",
    metavar="URL",
    type=ADDRESS,
    help="With --dir: address of the folder, for pages that do not name their own.",
)
@click.option(
    "--refresh",
    is_flag=True,
    help="Fetch URLs that are archived already, and feeds/sitemaps in full.",
)
@click.option(
    "--since",
    type=DateParam(),
    metavar="DATE",
    help="Only items dated on or after DATE (2024-05-01, 2024-05, 7d, 2w, 3m, 1y).",
)
@click.option(
    "--delay",
    type=Seconds(min=0),
    default=1.0,
    show_default=True,
    help="Minimum seconds between requests to one host.",
)
@click.option(
    "--per-host",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Requests in flight to one host.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="Requests in flight in all.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Extraction processes  [default: one per core]",
)
@click.option(
    "--extract-timeout",
    type=Seconds(min=0.1),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Seconds allowed to extract one page; a slower page is a failure.",
)
@click.option("--ignore-robots", is_flag=True, help="Do not honour robots.txt.")
@click.option(
    "--max-items",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Items read per feed.",
)
@click.option(
    "--max-urls",
    type=click.IntRange(min=1),
    default=50_000,
    show_default=True,
    help="URLs read per sitemap (indexes included).",
)
@click.option(
    "--wait",
    "wait_seconds",
    type=Seconds(min=0),
    default=0.0,
    help="Seconds to wait for another run to finish (a finite number)  "
    "[default: fail at once, exit 4]",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option(
    "--log",
    "log_file",
    type=click.Path(dir_okay=False),
    help="Append a log of the run (each failure, the summary) to this file.",
)
@fetch_limit_options
@db_option
@reports_errors
def ingest_command(
    url_files: tuple[str, ...],
    feeds: tuple[str, ...],
    sitemaps: tuple[str, ...],
    warcs: tuple[str, ...],
    dirs: tuple[str, ...],
    wait_seconds: float,
    quiet: bool,
    log_file: str | None,
    db_path: str,
    **options: Any,
) -> None:
    """Archive many articles: from URL lists, feeds, sitemaps, WARC files or saved pages.

    With no source options it runs every source registered with `newsarc sources add`,
    so a crontab line needs no arguments. URLs already archived are skipped. Prints a
    summary line on stderr; exit status 0 when all went well, 3 when some items failed,
    1 when nothing could be read, 2 for bad options, 4 when another run holds the archive.
    Ctrl-C or SIGTERM stops the run cleanly: what was archived is kept, the summary says
    "interrupted", and the exit status is 130 (SIGINT) or 143 (SIGTERM).

    \b
    Example:
        newsarc ingest --feed https://example.com/rss.xml --urls links.txt
        newsarc ingest --warc CC-NEWS-20240101.warc.gz
        */30 * * * *  cd ~/news && newsarc ingest -q --log ingest.log
    """
    from newsarc.ingest import IngestOptions, Source
    from newsarc.ingest_summary import Summary
    from newsarc.interrupt import stop_signals
    from newsarc.lock import StoppedWaiting, ingest_lock

    given = list(  # a source given twice is read once
        dict.fromkeys(
            [Source("urls", f) for f in url_files]
            + [Source("feed", _address(u)) for u in feeds]
            + [Source("sitemap", _address(u)) for u in sitemaps]
            + [Source("warc", f) for f in warcs]
            + [Source("dir", d) for d in dirs]
        )
    )
    if options["base_url"] and not dirs:
        raise click.UsageError("--base-url goes with --dir")
    if options["base_url"]:
        options["base_url"] = _base_url(options["base_url"])
    run_options = IngestOptions(
        limits=limits_from(options),
        **{k: v for k, v in options.items() if k not in _LIMIT_KEYS and v is not None},
    )
    with _logging(quiet, log_file):
        if not given and not Path(db_path).exists():  # nothing registered: leave no archive
            raise UsageError(_NO_SOURCES)
        # A stop signal from here on ends the run cleanly (see newsarc.interrupt), also while
        # it waits for another run to finish (--wait): then it did nothing, and says so.
        with stop_signals() as sig:
            asked = time.monotonic()
            try:
                with ingest_lock(db_path, wait=wait_seconds, stopped=sig.asked, hint=WAIT_HINT):
                    summary = _run(db_path, given, run_options, quiet, sig)
            except StoppedWaiting:
                summary = Summary(
                    seconds=time.monotonic() - asked,
                    interrupted=f"{sig.name} while waiting for another run",
                )
                _report(summary, quiet)
    raise SystemExit(sig.exit_code if summary.interrupted else summary.exit_code)


_NO_SOURCES = (
    "no sources given and none registered (see newsarc ingest --help and newsarc sources add)"
)


def _run(db_path: str, given: list[Any], run_options: Any, quiet: bool, sig: Any) -> Any:
    """One ingest of ``given`` (else the registered sources) under the lock; its summary."""
    from newsarc.ingest import Ingester, Source
    from newsarc.store import list_sources, open_db

    db = open_db(db_path)
    try:
        sources = given or [Source(row["kind"], row["url"]) for row in list_sources(db)]
        if not sources:
            raise UsageError(_NO_SOURCES)
        progress = _progress_printer() if not quiet and _is_terminal() else None
        ingester = Ingester(db, run_options, progress)
        sig.notify(ingester.stop)
        try:
            summary = ingester.run(sources)
        finally:
            if progress:
                click.echo("", err=True)
    finally:
        db.close()
    _report(summary, quiet)
    return summary


def _report(summary: Any, quiet: bool) -> None:
    log = logging.getLogger("newsarc.ingest")
    for failure in summary.failures[:_SHOWN_ERRORS]:
        click.echo(f"Error: {one_line(failure.reason)}", err=True)
    if summary.failed > _SHOWN_ERRORS:
        click.echo(
            f"Error: {summary.failed - _SHOWN_ERRORS} more failures (see --log, or newsarc stats)",
            err=True,
        )
    log.info("%s", summary.line())
    if not quiet or summary.interrupted:  # a run cut short is worth a line even in cron mail
        click.echo(summary.line(), err=True)


def _is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def _logging(quiet: bool, log_file: str | None) -> Iterator[None]:
    """-q: only errors on stderr; --log FILE: newsarc's INFO records appended to FILE."""
    root = logging.getLogger()
    package = logging.getLogger("newsarc")
    shown = logging.ERROR if quiet else max(root.getEffectiveLevel(), logging.WARNING)
    if not log_file:
        old = root.level
        if quiet:
            root.setLevel(max(old, logging.ERROR))
        try:
            yield
        finally:
            root.setLevel(old)
        return
    try:
        handler = _LogFile(Path(log_file), encoding="utf-8")
    except OSError as exc:
        raise click.BadParameter(
            f"cannot write {log_file}: {exc.strerror or exc}", param_hint="--log"
        ) from None
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # The console handlers keep their threshold while the package logs INFO for the file.
    lowered = [h for h in root.handlers if h.level == logging.NOTSET]
    for existing in lowered:
        existing.setLevel(shown)
    old_level = package.level
    package.setLevel(min(root.getEffectiveLevel(), logging.INFO))
    package.addHandler(handler)
    try:
        yield
    except (NewsarcError, sqlite3.Error) as exc:  # what ends the run: the log says so too
        handler.handle(
            logging.makeLogRecord(
                {
                    "name": "newsarc",
                    "levelno": logging.ERROR,
                    "levelname": "ERROR",
                    "msg": one_line(str(exc)),
                }
            )
        )
        raise
    finally:
        package.removeHandler(handler)
        handler.close()
        package.setLevel(old_level)
        for existing in lowered:
            existing.setLevel(logging.NOTSET)
        if handler.failure is not None:
            click.echo(
                f"Error: cannot write the log {log_file} ({handler.failure}); "
                "the run went on without it",
                err=True,
            )


class _LogFile(logging.FileHandler):
    """The --log file: a write that fails (a full disk) is said once, when the run ends, not
    as a traceback for every record; the file is not written to after it."""

    failure: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.failure is None:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        error = sys.exc_info()[1]
        self.failure = (getattr(error, "strerror", None) or str(error)) if error else "error"

    def close(self) -> None:
        try:
            super().close()
        except OSError as exc:  # the last flush, on a full disk
            self.failure = self.failure or exc.strerror or str(exc)


def _progress_printer() -> Any:
    def show(summary: Any) -> None:
        click.echo(f"\r{summary.line()}\x1b[K", err=True, nl=False)

    return show


COMMANDS = [ingest_command]
