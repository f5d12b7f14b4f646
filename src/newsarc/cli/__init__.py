"""The ``newsarc`` command line: a thin layer of click commands over the library.

Each command family lives in its own module; heavy libraries are imported inside the
commands that need them, so ``newsarc search`` never loads trafilatura or requests.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

import click

from newsarc.cli import exporting, fetching, ingesting, reading, showing, sourcing
from newsarc.cli.common import stdout_closed

_EXTRACTION_LIBRARIES = ("trafilatura", "htmldate", "courlan", "justext", "readability")


class _Newsarc(click.Group):
    """The command group, whose help and version output, and any command's help, tolerate a
    closed stdout as the reading commands do (``common.stdout_closed``): click itself ends a
    broken pipe with exit 1, so ``newsarc --help | true`` failed."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        """The group's context; ``--help`` and ``--version`` print while it is made."""
        try:
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:
            stdout_closed()

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; its ``--help`` prints while its context is made in here."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            stdout_closed()


@click.group(cls=_Newsarc)
@click.version_option(package_name="newsarc", prog_name="newsarc")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
def cli(verbose: int) -> None:
    """Keep a searchable archive of news articles.

    \b
    Example:
        newsarc fetch https://example.com/news/story.html
        newsarc search "Georgia border"
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    # The extraction libraries warn about what they make of a page ("discarding data"), which
    # says nothing the user can act on; newsarc reports a page it could not use itself. -v
    # shows them again.
    for name in _EXTRACTION_LIBRARIES:
        logging.getLogger(name).setLevel(level if verbose else logging.ERROR)


for _module in (fetching, reading, showing, exporting, ingesting, sourcing):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """The ``newsarc`` console script: run the command line, then exit without a last collection.

    When a command is done, the interpreter's shutdown would walk every object an ingest
    built up (~45 ms after a 1,000-page run) only to free memory the OS takes back anyway.
    Freezing them first skips that walk. It also means an object in a reference cycle is
    never finalized, so every command closes its archive itself (``store.close``, or
    ``common.open_reader`` for readers) before it returns: a connection left open would keep
    what it wrote in ``archive.db-wal``, and a backup of ``archive.db`` alone would miss it.
    """
    try:
        cli()
    finally:
        gc.freeze()
