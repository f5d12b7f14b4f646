"""Filters shared by list, search, stats and export, the SQL they become, and date order.

Dates: ``published`` keeps the page's own offset ("2024-03-05T20:00:00-05:00"), so two stored
strings do not compare as instants. :data:`UTC_SQL` is the instant in UTC, computed by SQLite;
an expression index on it (migration ``m013_published_utc``) serves newest-first listing and
time filters without a column to keep in step on every write; another, on the latest change
(:data:`CHANGED_SQL`, ``m016_latest_change_utc``), serves ``--sort updated`` and the
``--updated-since``/``--updated-until`` filters.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date, datetime, timezone
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from newsarc.errors import InputError
from newsarc.store.nocase import (
    author_sql,
    like_escaped,
    name_sql,
    plain,
    register,
    section_sql,
    topic_sql,
)

# The date an article is filed under, as text: when it was published (its own calendar date
# first, whatever its offset), else when it was fetched. --until dates and stats' months read it.
DATE_SQL = "coalesce({a}.published, {a}.fetched_at)"

# ``published`` as a UTC instant 'YYYY-MM-DD HH:MM:SS' (SQLite's datetime(): a date alone is
# its midnight, a time without an offset counts as UTC), NULL when undated. The test of the
# fifth character keeps datetime() from reading a bare number as a Julian day (cheaper than a
# GLOB: this runs for every match a search sorts by date); a date whose time SQLite cannot
# read keeps its date. The index of m013 holds the same expression on bare column names (an index
# may not name its table), and the planner uses it only for this very expression: changing it
# needs a new migration (tests check that the index serves the newest-first order).
UTC_SQL = (
    "CASE WHEN substr({a}.published, 5, 1) = '-'"
    " THEN coalesce(datetime({a}.published), datetime(substr({a}.published, 1, 10))) END"
)
_UTC = UTC_SQL.format(a="a")
# Undated articles last either way; then the latest fetch, then the newest id.
NEWEST_FIRST = f"ORDER BY {_UTC} DESC, a.fetched_at DESC, a.id DESC"
OLDEST_FIRST = f"ORDER BY {_UTC} NULLS LAST, a.fetched_at, a.id"  # once per row, not twice
# The instant of an article's last change: its update (``modified``, which the extractor keeps
# only when it is after the publication), else its publication; NULL when undated. The index
# of m016 holds it on bare column names, for ``--sort updated`` and --updated-since/-until:
# as with UTC_SQL, changing it needs a new migration (tests check the index serves it).
CHANGED_SQL = f"coalesce({UTC_SQL.replace('published', 'modified')}, {UTC_SQL})"
_CHANGED = CHANGED_SQL.format(a="a")
LATEST_CHANGE_FIRST = f"ORDER BY {_CHANGED} DESC, a.fetched_at DESC, a.id DESC"
# The date orders ``list`` and ``search`` offer, by name.
DATE_ORDERS = {"newest": NEWEST_FIRST, "oldest": OLDEST_FIRST, "updated": LATEST_CHANGE_FIRST}


def date_order(sort: str) -> str:
    """The ORDER BY clause of the date order named ``sort``; InputError if there is none."""
    try:
        return DATE_ORDERS[sort]
    except (KeyError, TypeError):
        raise InputError(f"unknown sort {sort!r} (one of {', '.join(DATE_ORDERS)})") from None


# The host (and port) of a stored, normalized URL: what lies between '://' and the next '/'.
NETLOC_SQL = (
    "substr({a}.url, instr({a}.url, '://') + 3,"
    " instr(substr({a}.url, instr({a}.url, '://') + 3) || '/', '/') - 1)"
)
_HOST_CHARS = re.compile(r"[a-z0-9._~\-\[\]:%]+")


# SQLite's largest integer: a larger LIMIT or OFFSET cannot be bound (and means "all").
MOST_ROWS = 2**63 - 1


def row_count(value: object, name: str) -> int:
    """A ``limit`` or ``offset`` as SQLite can bind it: clamped to 0 .. ``MOST_ROWS``, as the
    CLI clamps --limit (a larger number means "all", and overflowed the binding); anything
    but an int is an InputError naming the argument."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise InputError(f"{name}: not an int: {value!r}")
    return max(0, min(value, MOST_ROWS))


class _FilterFields(NamedTuple):
    """The fields of :class:`Filters`, as stored (dates as ISO text)."""

    since: str | None = None
    until: str | None = None
    section: str | None = None
    site: str | None = None
    author: str | None = None
    language: str | None = None
    updated_since: str | None = None
    updated_until: str | None = None
    topic: str | None = None


class Filters(_FilterFields):
    """Which articles to consider; every field is optional and they combine with AND.

    A NamedTuple rather than a frozen dataclass for start-up time (see newsarc.query); its
    ``__new__`` checks the values (a NamedTuple class cannot define one, hence the base).

    ``since`` and ``until`` take what ``--since``/``--until`` take ("2024-03-01", "2024-03",
    "7d", "yesterday", an ISO date-time) or a ``date``/``datetime``, and hold it as an ISO date
    or date-time, possibly partial ("2024", "2024-03"); anything else is an InputError here,
    not an empty result later.
    A date is the article's own calendar date, as it shows: ``since`` is inclusive, ``until``
    includes everything that starts with it, so ``until="2024-03"`` covers all of March. A
    date-time is an instant: it is compared in UTC with the article's (a time without an
    offset counts as UTC). An undated article never passes ``since`` (nothing shows it is that
    recent) and passes ``until`` when it was fetched by then (it was published by its fetch).
    ``updated_since`` and ``updated_until`` take the same values and bound the article's latest
    change (its update, ``modified``, else its publication) as an instant in UTC, dates too: an
    update at 23:30-05:00 on the 5th counts as the 6th; ``updated_until`` a date includes all
    of it, as ``until`` does. An article without either date passes neither.
    ``site`` matches the site name, or the host of a URL or host given (``example.com`` also
    matches ``www.example.com`` and any port; ``example.com:8080`` only that port);
    ``author`` matches part of any author's name, ``topic`` part of any topic (a tag or
    keyword of the publisher's, ``Article.topics``); ``language`` "en" also matches "en-GB".
    Matching is case-insensitive: in every script for ``section``, ``author``, ``topic`` and a
    ``site`` name (newsarc.store.nocase; on a connection newsarc did not open, call
    :meth:`prepare` first), in ASCII for a host and ``language`` (codes).
    """

    __slots__ = ()

    def __new__(
        cls,
        since: str | date | None = None,
        until: str | date | None = None,
        section: str | None = None,
        site: str | None = None,
        author: str | None = None,
        language: str | None = None,
        updated_since: str | date | None = None,
        updated_until: str | date | None = None,
        topic: str | None = None,
    ) -> Filters:
        from newsarc.datearg import date_arg

        texts = {
            "section": section, "site": site, "author": author, "language": language,
            "topic": topic,
        }  # fmt: skip
        for name, value in texts.items():
            if value is not None and not isinstance(value, str):
                raise InputError(f"{name}: not a str: {value!r}")
        return super().__new__(
            cls,
            date_arg(since, "since"),
            date_arg(until, "until"),
            section,
            site,
            author,
            language,
            date_arg(updated_since, "updated_since"),
            date_arg(updated_until, "updated_until"),
            topic,
        )

    def active(self) -> bool:
        """True when at least one filter is set."""
        return any(self)

    def prepare(self, conn: sqlite3.Connection) -> None:
        """Give ``conn`` what :meth:`where` needs, the case folding SQL function, when a
        ``section``, ``author``, ``topic`` or ``site`` is outside ASCII or has an apostrophe
        and ``conn`` lacks it. Only a connection opened outside newsarc can lack it: ``store``
        adds it to each of its own."""
        names = (self.section, self.author, self.site, self.topic)
        if any(value and not plain(value) for value in names):
            register(conn)

    def where(self, alias: str = "a") -> tuple[str, list[Any]]:
        """SQL conditions (``""`` or starting with `` AND``) and their parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.since:
            since = utc_instant(self.since)
            if since is None:
                clauses.append(f"{alias}.published >= ?")
                params.append(self.since)
            else:
                clauses.append(f"{UTC_SQL.format(a=alias)} >= ?")
                params.append(since)
        if self.until:
            until = utc_instant(self.until)
            if until is None:
                clauses.append(f"substr({DATE_SQL.format(a=alias)}, 1, ?) <= ?")
                params += [len(self.until), self.until]
            else:
                clauses.append(
                    f"coalesce({UTC_SQL.format(a=alias)}, datetime({alias}.fetched_at)) <= ?"
                )
                params.append(until)
        # unlikely(): without statistics the planner would walk the index of another order
        # (newest first) and test each row, reading ``modified`` from its end, past the body;
        # the hint makes it read the range of m016's index instead and sort what it holds.
        # Only on the lower bound, the recent changes: an upper bound alone mostly passes
        # nearly everything, and a walk in order stops at the first rows (benchmarks/updated.py).
        if self.updated_since:
            clauses.append(f"unlikely({CHANGED_SQL.format(a=alias)} >= ?)")
            params.append(utc_instant(self.updated_since) or self.updated_since)
        if self.updated_until:
            clauses.append(f"{CHANGED_SQL.format(a=alias)} <= ?")
            params.append(utc_instant(self.updated_until) or _through(self.updated_until))
        if self.section:
            clause, values = section_sql(self.section, alias)
            clauses.append(clause)
            params += values
        if self.site:
            clause, values = _site_sql(self.site, alias)
            clauses.append(clause)
            params += values
        if self.author:
            clause, values = author_sql(self.author, alias)
            clauses.append(clause)
            params += values
        if self.topic:
            clause, values = topic_sql(self.topic, alias)
            clauses.append(clause)
            params += values
        if self.language:
            clauses.append(
                f"({alias}.language = ? COLLATE NOCASE OR {alias}.language LIKE ? ESCAPE '\\')"
            )
            params += [self.language, f"{like_escaped(self.language)}-%"]
        sql = "".join(f" AND {clause}" for clause in clauses)
        return sql, params


def _through(day: str) -> str:
    """The largest instant (in :data:`UTC_SQL`'s form) that starts with the date ``day``
    ("2024-03-05", "2024-03", "2024"): its characters are digits, '-', ' ' and ':', which
    all sort before '~'. A plain ``<=`` on it, unlike ``substr``, lets the index serve it."""
    return f"{day}~"


def utc_instant(bound: str) -> str | None:
    """A date-time bound as UTC in :data:`UTC_SQL`'s form; None for a date (or a partial one),
    which is compared as the article's own calendar date."""
    text = bound.strip()
    if len(text) <= 10:
        return None
    if text[-1:] in ("Z", "z"):  # fromisoformat reads 'Z' only from Python 3.11
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def site_host(value: str) -> tuple[str, int | None] | None:
    """The host (lower-case) and port that a --site value names, if it names one.

    Accepts a host (``example.com``, ``example.com:8080``, ``example.com/``) or any address on
    the site (``https://example.com/world/``: its path is not a filter). A default port
    (80, 443) is no port: stored addresses drop it. None for text that is no host, such as a
    site name with spaces.
    """
    text = value.strip().lower()
    try:
        parts = urlsplit(text if "://" in text else f"//{text}")
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host or not _HOST_CHARS.fullmatch(host):
        return None
    if port in (80, 443):
        port = None
    return host.rstrip("."), port


def _site_sql(site: str, alias: str) -> tuple[str, list[Any]]:
    """The site name, or the host of the article's address (subdomains and ports included)."""
    named = site_host(site)
    name, name_params = name_sql("site", site.strip(), alias)
    if named is None:
        return name, name_params
    host, port = named
    netloc = NETLOC_SQL.format(a=alias)
    exact = like_escaped(host) + (f":{port}" if port else "")
    patterns = [exact, f"%.{exact}"]
    if port is None:
        patterns += [f"{exact}:%", f"%.{exact}:%"]
    matches = " OR ".join(f"{netloc} LIKE ? ESCAPE '\\'" for _ in patterns)
    # The plain substring test first: it rules out most rows at a third of the cost of
    # cutting the host out of the address (measured on 20k articles, one site in 40).
    return (
        f"({name} OR ({alias}.url LIKE ? ESCAPE '\\' AND ({matches})))",
        [*name_params, f"%{exact}%", *patterns],
    )
