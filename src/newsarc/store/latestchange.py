"""Migration m016's work: an index on the instant of an article's latest change, in UTC.

Kept out of ``newsarc.store.schema``, which registers it (in order, as ``m016_latest_change_utc``),
to keep that module readable.
"""

from __future__ import annotations

from sqlite_utils import Database

# newsarc.store.filters.CHANGED_SQL on bare column names, written out: what a shipped migration
# built must not change when that constant does (a change there needs a new migration, and the
# tests that check the planner uses this index say so).
_UTC_OF = (
    "CASE WHEN substr({c}, 5, 1) = '-'"
    " THEN coalesce(datetime({c}), datetime(substr({c}, 1, 10))) END"
)
CHANGED_INDEX_SQL = (
    "CREATE INDEX articles_changed_utc ON articles("
    f"(coalesce({_UTC_OF.format(c='modified')}, {_UTC_OF.format(c='published')})),"
    " fetched_at, id)"
)


def create_changed_index(db: Database) -> None:
    """Index the latest change (``modified``, else ``published``) as a UTC instant.

    What ``--updated-since``/``--updated-until`` filter on and ``--sort updated`` orders by.
    Without it each of them read every row to its end: ``modified`` is the last column, after
    the body, so in overflow pages (a scan of 100k articles read the whole file). An index on an
    expression, as m013's: SQLite keeps it on every write, and building it fills it for the
    articles already archived. ``fetched_at`` and ``id`` complete the latest-change-first order.
    """
    db.execute(CHANGED_INDEX_SQL)
