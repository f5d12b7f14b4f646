"""A record's addresses: the aliases that lead to it (``article_urls``) and their kinds.

Each address leads to one record. The first kind recorded for an address stays, except where
a later event says more about it: the original that a copy named takes the record over
(``canonical_takes_over``), and a canonical link that was fetched becomes an address that was
requested (``fetched_from``). ``matching`` reads the kinds: which addresses are the record's
own page, which only lead to it.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from newsarc.model import Page
from newsarc.store.lookups import normalized


def canonical_alias(url: str | None) -> str | None:
    """A canonical URL worth trusting as an alias: valid, and not a site's front page.

    Some sites declare their home page as every article's canonical URL.
    """
    address = normalized(url)
    if address is None or address.split("/", 3)[-1] in ("", "?"):
        return None
    return address


def copy_aliases(
    url: str, canonical: str | None, page: Page | None
) -> list[tuple[str | None, str]]:
    """The addresses of another page with this article's text, as "copy" aliases (a URL
    requested before redirects stays "requested": it only means "already fetched")."""
    aliases: list[tuple[str | None, str]] = [(url, "copy"), (canonical, "copy")]
    if page is not None:
        aliases += [(normalized(page.final_url), "copy"), (normalized(page.url), "requested")]
    return aliases


def add_aliases(
    conn: sqlite3.Connection, article_id: int, aliases: list[tuple[str | None, str]]
) -> None:
    """What ``alias`` does for each in turn, in one statement: a URL listed twice (a page
    that was not redirected has the same address three times) would be ignored the second
    time anyway, as the first kind recorded for an address stays."""
    rows: dict[str, tuple[str, int, str]] = {}
    for alias, kind in aliases:
        if alias and alias not in rows:
            rows[alias] = (alias, article_id, kind)
    conn.executemany(
        "INSERT OR IGNORE INTO article_urls (url, article_id, kind) VALUES (?, ?, ?)",
        rows.values(),
    )


def fetched_from(conn: sqlite3.Connection, page: Page | None) -> None:
    """The address ``page`` was requested from has been fetched: if it was only known as a
    record's canonical link (another site's original, never fetched), it is now an address
    that was requested. Ingest fetches such an original once, so that it can take its copy's
    record over; when it redirected elsewhere, or its page turned out to be a copy, this is
    what keeps it from being fetched again on every run."""
    requested = normalized(page.url) if page is not None else None
    if requested:
        conn.execute(
            "UPDATE article_urls SET kind = 'requested' WHERE url = ? AND kind = 'canonical'",
            [requested],
        )


def canonical_takes_over(conn: sqlite3.Connection, article_id: int, old: str, new: str) -> None:
    """The page a record's canonical link names has come (the original after its AMP page, a
    wire story after a paper's syndicated copy): it becomes the record's address, as it is
    when it comes first, and the page the record was made from is a copy of it. Else the
    record kept the copy's address under the original's metadata (site, authors)."""
    conn.execute("UPDATE articles SET url = ? WHERE id = ?", [new, article_id])
    conn.execute(
        "UPDATE article_urls SET kind = 'copy' WHERE article_id = ? AND url = ? "
        "AND kind IN ('url', 'final')",
        [article_id, old],
    )


def alias(conn: sqlite3.Connection, article_id: int, url: str, kind: str) -> bool:
    """Record ``url`` as an address of the record, of ``kind``, unless it is one already;
    True when it was new."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO article_urls (url, article_id, kind) VALUES (?, ?, ?)",
        [url, article_id, kind],
    )
    return cursor.rowcount > 0


# The article at an address: as its own address first, else as an alias.
_LEADS_TO = (
    "SELECT id FROM articles WHERE url = ?1 UNION ALL"
    " SELECT article_id FROM article_urls WHERE url = ?1 LIMIT 1"
)


def leads_to(conn: sqlite3.Connection, url: str) -> int | None:
    """The id of the article normalized address ``url`` leads to, or None."""
    row = conn.execute(_LEADS_TO, [url]).fetchone()
    return int(row[0]) if row is not None else None


def seen_again(
    conn: sqlite3.Connection, article_id: int, at: str | None, original: str | None
) -> bool:
    """A capture at ``at`` held the same bytes as the one at ``original`` (a WARC's revisit
    record): when that capture is the article's last kept page, the article counts as
    fetched at ``at`` (as a fetch of the same bytes again does, see ``articles._save_page``)
    if that is later than its last fetch. True when its fetch time moved."""
    if not at or not original:
        return False
    last = conn.execute(
        "SELECT fetched_at FROM pages WHERE article_id = ? ORDER BY id DESC LIMIT 1",
        [article_id],
    ).fetchone()
    if last is None or _moment(last[0]) != _moment(original):
        return False
    row = conn.execute("SELECT fetched_at FROM articles WHERE id = ?", [article_id]).fetchone()
    mine, theirs = _moment(at), _moment(row[0] if row else None)
    if mine is None or (theirs is not None and mine <= theirs):
        return False
    conn.execute("UPDATE articles SET fetched_at = ? WHERE id = ?", [at, article_id])
    return True


def _moment(stamp: str | None) -> datetime | None:
    """An ISO 8601 stamp as an aware datetime to the second (naive = UTC), else None."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.replace(microsecond=0)
