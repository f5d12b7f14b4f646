"""Addresses that ``ingest --since`` fetched and left out, with their article's date.

A URL list (or an undated feed or sitemap entry) gives no date: the page has to be fetched
and extracted before --since can judge it, and since nothing is archived, every later run
fetched it again. Remembering the date lets a run whose --since is still after it skip the
address without a request, for ``TRUSTED_DAYS``. Only addresses that are not archived are
ever looked up (ingest asks ``has_url`` first), so a row never hides an article archived
since, by any command.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from newsarc.model import utc_now
from newsarc.store.connection import Conn, raw
from newsarc.store.writes import writing

# How long a remembered date is trusted: a page can be re-dated by its site, or its date
# misread by an older extractor; after this the address is fetched and judged again (and
# remembered again if it is still too old). A cron line with a long list of old URLs then
# costs one request per address a month, not one a run.
TRUSTED_DAYS = 30


def dated_out(db: Conn, key: str) -> str | None:
    """The article date remembered for ``key`` (a ``normalize_url`` address) within the last
    ``TRUSTED_DAYS`` days, or None."""
    since = (datetime.now(timezone.utc) - timedelta(days=TRUSTED_DAYS)).replace(microsecond=0)
    row = (
        raw(db)
        .execute(
            "SELECT published FROM dated_out WHERE url = ? AND at >= ?", [key, since.isoformat()]
        )
        .fetchone()
    )
    return str(row[0]) if row else None


def remember_dated_out(db: Conn, key: str, published: str, *, commit: bool = True) -> None:
    """Remember that ``key``'s article is dated ``published`` (replacing an older date)."""
    with writing(db, commit) as conn:
        conn.execute(
            "INSERT INTO dated_out (url, published, at) VALUES (?, ?, ?)"
            " ON CONFLICT(url) DO UPDATE SET published = excluded.published, at = excluded.at",
            [key, published, utc_now()],
        )


def forget_dated_out(db: Conn, key: str, *, commit: bool = True) -> None:
    """Drop what is remembered for ``key`` (its article is archived now)."""
    with writing(db, commit) as conn:
        conn.execute("DELETE FROM dated_out WHERE url = ?", [key])
