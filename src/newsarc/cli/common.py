"""What every command shares: the --db option, error mapping and output helpers.

Kept free of heavy imports: reading commands must start fast.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

from newsarc.errors import NewsarcError

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_DB = "archive.db"


def db_option(func: F) -> F:
    """``--db PATH`` backed by ``NEWSARC_DB``, default ``./archive.db``."""
    return click.option(
        "--db",
        "db_path",
        envvar="NEWSARC_DB",
        default=DEFAULT_DB,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="Archive file (env NEWSARC_DB).",
    )(func)


class CommandError(click.ClickException):
    """A ClickException that carries the exit code of the NewsarcError behind it."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


def reports_errors(func: F) -> F:
    """Turn NewsarcError (and a broken stdout pipe) into a one-line ``Error:`` and exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NewsarcError as exc:
            raise CommandError(one_line(str(exc)), exc.exit_code) from None
        except BrokenPipeError:
            # `newsarc search ... | head`: stop quietly, as other Unix tools do.
            sys.stderr.close()
            raise SystemExit(0) from None

    return wrapper  # type: ignore[return-value]


def one_line(text: str) -> str:
    """Collapse whitespace so an error message stays on one line."""
    return " ".join(text.split())


def echo_json(value: Any) -> None:
    """Print one value as a JSON document on one line (UTF-8, not ASCII-escaped)."""
    click.echo(json.dumps(value, ensure_ascii=False))


def echo_jsonl(values: Iterable[Any]) -> None:
    """Print each value as one JSON line."""
    for value in values:
        echo_json(value)
