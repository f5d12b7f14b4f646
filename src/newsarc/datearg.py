"""Date settings as users give them (``--since``, ``--until``, ``IngestOptions.since``,
``Filters``): one parser for the CLI and the library, so that ``"7d"`` means seven days ago
wherever it is written, and what is not a date is refused where it is given instead of being
compared as a string (``"7d"`` sorted after every ISO date and matched nothing).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from newsarc.errors import InputError

_AGO = re.compile(r"(\d{1,5})\s*([dwmy])")
_PARTIAL = re.compile(r"\d{4}(-\d{2}){0,2}")
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


def parse_date(text: str, *, today: date | None = None) -> str:
    """A --since/--until value as an ISO date (or date-time) prefix.

    Accepts 2024, 2024-03, 2024-03-01, an ISO date-time, ``today``, ``yesterday``, and ages:
    ``7d`` (days), ``2w`` (weeks), ``3m`` (30-day months), ``1y`` (365-day years) ago.
    An ISO value it returned is returned unchanged, so parsing twice is harmless.
    """
    value = text.strip().lower()
    now = today or datetime.now(timezone.utc).date()
    ago = _AGO.fullmatch(value)
    if ago:
        days = int(ago.group(1)) * _DAYS[ago.group(2)]
        return (now - timedelta(days=min(days, 365 * 200))).isoformat()
    if value in ("today", "yesterday"):
        return (now - timedelta(days=value == "yesterday")).isoformat()
    if _PARTIAL.fullmatch(value):
        padded = value + "-01-01"[len(value) - 4 :]
        try:
            date.fromisoformat(padded)
        except ValueError:
            raise InputError(f"not a date: {text!r} (no such month or day)") from None
        return value
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise InputError(
            f"not a date: {text!r} (use 2024-03-01, 2024-03, 2024, 7d, 2w, 3m or 1y)"
        ) from None


def date_arg(value: object, name: str = "date") -> str | None:
    """A library caller's date setting as the ISO text the archive compares: None stays None,
    a ``date`` or ``datetime`` is written out (a naive date-time counts as UTC, as in
    ``Filters``), text goes through :func:`parse_date`; anything else is an InputError naming
    the setting."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return parse_date(value)
        except InputError as exc:
            raise InputError(f"{name}: {exc}") from None
    raise InputError(
        f"{name}: not a date: {value!r} (give a str such as '2024-03-01' or '7d', "
        "a datetime.date or a datetime.datetime)"
    )


__all__ = ["date_arg", "parse_date"]
