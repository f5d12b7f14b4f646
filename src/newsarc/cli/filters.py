"""The filters that search, list and export share (--since, --until, --updated-since,
--updated-until, --section, --site, --author, --topic, --lang): their options and the store Filters
they make. ``ingest`` takes --since from here too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from newsarc.errors import InputError

F = TypeVar("F", bound=Callable[..., Any])


class DateParam(click.ParamType):
    """A date such as 2024-03-01, 2024-03, 2024, or an age: 7d, 2w, 3m, 1y."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from newsarc.datearg import parse_date

        try:
            return parse_date(str(value))
        except InputError as exc:
            self.fail(str(exc), param, ctx)


def _check_site(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse a --site that looks like an address but names no host (it would match nothing)."""
    if not value:
        return value
    from newsarc.store.filters import site_host

    if site_host(value) is None and any(c in value for c in ":/"):
        raise click.BadParameter(f"not a site name, host or address: {value!r}", ctx, param)
    return value


def filter_options(func: F) -> F:
    """--since, --until, --updated-since, --updated-until, --section, --site, --author, --topic,
    --lang."""
    options = [
        click.option(
            "--since",
            type=DateParam(),
            help="From this date (2024-03-01, 2024-03, 7d, 2w, 3m, 1y).",
        ),
        click.option("--until", type=DateParam(), help="Up to and including this date."),
        click.option(
            "--updated-since",
            type=DateParam(),
            help="Latest change (update, else publication) from this date, in UTC."
            " Leaves out undated articles.",
        ),
        click.option(
            "--updated-until",
            type=DateParam(),
            help="Latest change up to and including this date, in UTC."
            " Leaves out undated articles.",
        ),
        click.option("--section", help="Only this section (case-insensitive)."),
        click.option(
            "--site",
            callback=_check_site,
            help="Only this site: its name, host (example.com, any port) or an address on it.",
        ),
        click.option(
            "--author",
            help="Only articles by an author whose name contains this (case-insensitive).",
        ),
        click.option(
            "--topic",
            help="Only articles with a topic (the publisher's tag or keyword) that contains"
            " this (case-insensitive).",
        ),
        click.option("--lang", "language", help="Only this language (en also matches en-GB)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_filters(options: dict[str, Any]) -> Any:
    """A store Filters from the values of :func:`filter_options`."""
    from newsarc.store import Filters

    names = (
        "since", "until", "section", "site", "author", "language", "updated_since",
        "updated_until", "topic",
    )  # fmt: skip
    values = {name: options.get(name) for name in names}
    return Filters(**{k: text_arg(v) if isinstance(v, str) else v for k, v in values.items()})


def text_arg(value: str) -> str:
    """A text argument safe to bind: bytes a non-UTF-8 terminal sent (lone surrogates to
    Python) read as Windows-1252 (``query.clean``); ASCII, the common case, as it is, without
    importing the query module."""
    if value.isascii():
        return value
    from newsarc.query import clean

    return clean(value)
