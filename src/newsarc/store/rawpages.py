"""The raw pages an article keeps, one at a time, for whoever hands them on (the WARC export).

Each row is read with its compressed bytes and decompressed only when asked
(:meth:`StoredPage.content`), so a damaged page is one page's error, not the end of a stream.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from newsarc.store.connection import Conn, raw


@dataclass
class StoredPage:
    """One fetch as the archive kept it: addresses, status, kept headers, time, and the
    compressed bytes (``compression``, ``blob``)."""

    id: int
    article_id: int
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    encoding: str | None
    fetched_at: str | None
    compression: str
    blob: bytes

    def content(self) -> bytes:
        """The page's bytes as fetched (decoded from the HTTP transfer); StoreError if the
        stored copy is damaged."""
        from newsarc import rawpage  # only readers of raw pages need the decompressors

        return rawpage.decompress(self.compression, self.blob, label=f"page {self.id}")


def kept_pages(db: Conn, article_id: int, *, every: bool = False) -> Iterator[StoredPage]:
    """The article's newest raw page, or with ``every`` all its kept pages oldest first (a
    page is kept only when its bytes differ from the fetch before). None for an article
    saved without a page (the Python API allows it)."""
    order = "ORDER BY id" if every else "ORDER BY id DESC LIMIT 1"
    cursor = raw(db).cursor()
    cursor.row_factory = sqlite3.Row
    rows = cursor.execute(f"SELECT * FROM pages WHERE article_id = ? {order}", [article_id])
    for row in rows:
        headers = json.loads(row["headers"] or "{}")
        yield StoredPage(
            id=row["id"],
            article_id=row["article_id"],
            url=row["url"],
            final_url=row["final_url"] or row["url"],
            status=row["status"] or 200,
            headers=headers if isinstance(headers, dict) else {},
            encoding=row["encoding"],
            fetched_at=row["fetched_at"],
            compression=row["compression"],
            blob=row["content"],
        )
