"""robots.txt files as last read, per origin, so that runs within a day read each one once.

RFC 9309 lets a crawler keep a robots.txt for up to 24 hours; a cron line every half hour
would otherwise ask every host for it 48 times a day. Only definite answers are kept (a file,
or a status meaning there is none): an unreachable robots.txt is asked for again next run.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from newsarc.store.connection import Conn, raw
from newsarc.store.writes import writing


def stored_robots(db: Conn) -> dict[str, tuple[int, bytes, float]]:
    """Every kept robots.txt: origin -> (HTTP status, body, age in seconds)."""
    now = datetime.now(timezone.utc)
    kept = {}
    for origin, status, body, fetched_at in raw(db).execute(
        "SELECT origin, status, body, fetched_at FROM robots"
    ):
        try:
            moment = datetime.fromisoformat(fetched_at)
        except (TypeError, ValueError):
            continue  # unreadable: as if never read
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        kept[origin] = (int(status), bytes(body), (now - moment).total_seconds())
    return kept


def save_robots(
    db: Conn, entries: Iterable[tuple[str, int, bytes, str]], *, commit: bool = True
) -> None:
    """Keep ``(origin, status, body, fetched_at)`` entries, replacing older ones."""
    with writing(db, commit) as conn:
        conn.executemany(
            "INSERT INTO robots (origin, status, body, fetched_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(origin) DO UPDATE SET status = excluded.status,"
            " body = excluded.body, fetched_at = excluded.fetched_at",
            list(entries),
        )
