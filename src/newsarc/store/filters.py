"""Filters shared by list, search, stats and export, and the SQL they become."""

from __future__ import annotations

from typing import Any, NamedTuple

# The date an article is filed under: when it was published, else when it was fetched.
DATE_SQL = "coalesce({a}.published, {a}.fetched_at)"


class Filters(NamedTuple):
    """Which articles to consider; every field is optional and they combine with AND.

    A NamedTuple rather than a frozen dataclass for start-up time (see newsarc.query).

    ``since`` and ``until`` are ISO dates or date-times, possibly partial ("2024", "2024-03"):
    ``since`` is inclusive, ``until`` includes everything that starts with it, so
    ``until="2024-03"`` covers all of March. ``site`` matches the site name or the host
    (``example.com`` also matches ``www.example.com``); ``author`` matches part of any
    author's name; ``language`` "en" also matches "en-GB". Matching is case-insensitive.
    """

    since: str | None = None
    until: str | None = None
    section: str | None = None
    site: str | None = None
    author: str | None = None
    language: str | None = None

    def active(self) -> bool:
        """True when at least one filter is set."""
        return any(self)

    def where(self, alias: str = "a") -> tuple[str, list[Any]]:
        """SQL conditions (``""`` or starting with `` AND``) and their parameters."""
        date = DATE_SQL.format(a=alias)
        clauses: list[str] = []
        params: list[Any] = []
        if self.since:
            clauses.append(f"{date} >= ?")
            params.append(self.since)
        if self.until:
            clauses.append(f"substr({date}, 1, ?) <= ?")
            params += [len(self.until), self.until]
        if self.section:
            clauses.append(f"{alias}.section = ? COLLATE NOCASE")
            params.append(self.section)
        if self.site:
            host = self.site.lower().strip()
            clauses.append(
                f"({alias}.site = ? COLLATE NOCASE OR {alias}.url LIKE ? ESCAPE '\\'"
                f" OR {alias}.url LIKE ? ESCAPE '\\')"
            )
            params += [self.site, f"%://{_like(host)}/%", f"%://%.{_like(host)}/%"]
        if self.author:
            clauses.append(
                f"EXISTS (SELECT 1 FROM json_each({alias}.authors) WHERE value LIKE ? ESCAPE '\\')"
            )
            params.append(f"%{_like(self.author)}%")
        if self.language:
            clauses.append(
                f"({alias}.language = ? COLLATE NOCASE OR {alias}.language LIKE ? ESCAPE '\\')"
            )
            params += [self.language, f"{_like(self.language)}-%"]
        sql = "".join(f" AND {clause}" for clause in clauses)
        return sql, params


def _like(text: str) -> str:
    """Escape LIKE wildcards so user text matches literally (with ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
