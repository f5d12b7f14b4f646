"""What every command shares: the --db option, error mapping and output helpers.

Kept free of heavy imports: reading commands must start fast.
"""

from __future__ import annotations

import functools
import json
import math
import sqlite3
import sys
from collections.abc import Callable, Iterable
from typing import Any, NoReturn, TypeVar

import click

from newsarc.errors import NewsarcError

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_DB = "archive.db"
# How a command's lock error ends: the option that waits for another run (lock.ingest_lock).
WAIT_HINT = "pass --wait SECONDS"


class Address(click.ParamType):
    """A URL, or the path of a local file where the command takes one.

    Bytes that are not UTF-8 (a Latin-1 terminal typing "café") reach Python as lone
    surrogates, which no URL, database or log line can hold: an address is read with them
    decoded as Windows-1252 (see ``query.clean``). An existing file's name is kept exactly,
    so that it still opens.
    """

    name = "address"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        import os

        from newsarc.query import clean

        text = str(value)
        if text.isascii() or os.path.exists(text):
            return text
        return clean(text)


ADDRESS = Address()


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
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it on the class


def reports_errors(func: F) -> F:
    """Turn NewsarcError, SQLite errors and a broken stdout pipe into a one-line ``Error:``
    and exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NewsarcError as exc:
            raise CommandError(one_line(str(exc)), exc.exit_code) from None
        except sqlite3.Error as exc:
            # What the library did not map itself (a write refused by a full disk, a lock
            # held past the busy timeout, a read-only file): still one line, never a traceback.
            from newsarc.store import write_error

            archive = kwargs.get("db_path") or "the archive"
            raise CommandError(one_line(str(write_error(archive, exc))), 1) from None
        except BrokenPipeError:
            stdout_closed()

    return wrapper  # type: ignore[return-value]


def stdout_closed() -> NoReturn:
    """Stop quietly, exit 0, once the reader of stdout has gone (``newsarc search ... |
    head``, ``newsarc --help | true``), as other Unix tools do.

    What is still buffered for stdout then goes to /dev/null: the interpreter flushes stdout
    on the way out, and a failing flush would print "Exception ignored" and exit 120.
    """
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no file behind stdout (tests, embedding)
        sys.stderr.close()
    raise SystemExit(0) from None


def open_reader(db_path: str) -> Any:
    """The archive opened for reading (``store.connect``), closed when the command ends.

    Closed explicitly, not left to the interpreter: the console script freezes the heap
    before exit (cli.main), so a connection left to the garbage collector would never close.
    """
    from newsarc.store import close, connect

    conn = connect(db_path, readonly=True)
    click.get_current_context().call_on_close(lambda: close(conn))
    return conn


def fit_stdout(*, data: bool) -> None:
    """Make stdout able to take what a reading command prints, whatever the locale says.

    Data (JSON, JSON lines, CSV, an export) is written as UTF-8: JSON must be (RFC 8259), and
    jq, Python's csv or a spreadsheet read an export back as UTF-8, not as the terminal's
    Latin-1 (and an ASCII locale raised UnicodeEncodeError halfway through an export). Text
    for people keeps the terminal's encoding, with "?" for a character it lacks (a Japanese
    headline, the snippet's "…" on a Latin-1 terminal), rather than a traceback.
    """
    import codecs

    stream = sys.stdout
    try:
        if codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "utf-8":
            return
    except LookupError:
        pass
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:  # not a TextIOWrapper: leave it as its owner made it
        return
    try:
        if data:
            reconfigure(encoding="utf-8", errors="strict")
        elif getattr(stream, "errors", None) == "strict":
            reconfigure(errors="replace")
    except (ValueError, OSError):  # a stream that cannot change encoding any more
        pass


def styled() -> bool:
    """Style output only for a terminal, and never when NO_COLOR is set."""
    import os

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


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


_SIZE_UNITS = {
    "": 1,
    "b": 1,
    "k": 1024,
    "kb": 1024,
    "kib": 1024,
    "m": 1024**2,
    "mb": 1024**2,
    "mib": 1024**2,
    "g": 1024**3,
    "gb": 1024**3,
    "gib": 1024**3,
}


LONGEST_SECONDS = 365 * 24 * 3600


class Seconds(click.FloatRange):
    """A finite number of seconds within a range: ``nan`` and ``inf`` are usage errors.

    click's FloatRange lets both through (``nan`` fails every comparison, ``inf`` passes a
    minimum), and each then breaks the run in its own way (an extraction limit of ``inf``
    fails every page).
    Capped at a year (``LONGEST_SECONDS``): sleeps and timers overflow on values like 1e300.
    """

    def __init__(self, min: float, max: float = 0) -> None:  # noqa: A002 (click's names)
        super().__init__(min=min, max=max or LONGEST_SECONDS)

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number of seconds", param, ctx)
        return float(number)


LARGEST_SIZE = 1024**4


class ByteSize(click.ParamType):
    """A size such as ``500000``, ``512K`` or ``10M`` (binary units)."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().lower()
        number = text.rstrip("kmgib")
        unit = text[len(number) :]
        try:
            size = int(float(number) * _SIZE_UNITS[unit])
        except (ValueError, KeyError, OverflowError):  # not a number, a unit, nan; inf
            self.fail(f"{value!r} is not a size like 500000, 512K or 10M", param, ctx)
        if size <= 0:
            self.fail("must be positive", param, ctx)
        if size > LARGEST_SIZE:  # reads take C sizes: 1e300 would overflow them
            self.fail(f"{value!r} is more than 1T", param, ctx)
        return size


def fetch_limit_options(func: F) -> F:
    """The per-page fetch limits shared by ``fetch`` and ``ingest``."""
    options = [
        click.option(
            "--timeout",
            type=Seconds(min=0.1),
            default=30.0,
            show_default=True,
            help="Seconds to wait for the server to send anything.",
        ),
        click.option(
            "--deadline",
            type=Seconds(min=0.1),
            default=60.0,
            show_default=True,
            help="Total seconds allowed per page, redirects and retries included.",
        ),
        click.option(
            "--max-bytes",
            type=ByteSize(),
            default="10M",
            show_default=True,
            help="Largest page accepted, after decompression.",
        ),
        click.option(
            "--max-redirects",
            type=click.IntRange(min=0),
            default=10,
            show_default=True,
            help="Redirects followed per page.",
        ),
        click.option(
            "--retries",
            type=click.IntRange(min=0),
            default=3,
            show_default=True,
            help="Retries on 429/503, refused and dropped connections.",
        ),
        click.option(
            "--max-retry-after",
            type=Seconds(min=0),
            default=60.0,
            show_default=True,
            help="Longest Retry-After honoured, in seconds.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def limits_from(options: dict[str, Any]) -> Any:
    """``FetchLimits`` from the values of :func:`fetch_limit_options`."""
    from newsarc.fetchlimits import FetchLimits

    return FetchLimits(
        read_timeout=options["timeout"],
        deadline=options["deadline"],
        max_bytes=options["max_bytes"],
        max_redirects=options["max_redirects"],
        retries=options["retries"],
        max_retry_after=options["max_retry_after"],
    )
