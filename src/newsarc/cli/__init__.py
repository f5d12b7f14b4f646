"""The ``newsarc`` command line: a thin layer of click commands over the library.

Each command family lives in its own module; heavy libraries are imported inside the
commands that need them, so ``newsarc search`` never loads trafilatura or requests.
"""

from __future__ import annotations

import logging

import click

from newsarc.cli import fetching, ingesting, reading, sourcing


@click.group()
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


for _module in (fetching, reading, ingesting, sourcing):
    for _command in _module.COMMANDS:
        cli.add_command(_command)
