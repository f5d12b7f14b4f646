"""One page through the stages: fetch -> extract -> store. The batch pipeline builds on this."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsarc.errors import InputError, NewsarcError
from newsarc.model import Article, Page, utc_now
from newsarc.urls import check_url

if TYPE_CHECKING:
    import requests
    from sqlite_utils import Database

    from newsarc.fetch import FetchLimits

log = logging.getLogger(__name__)


@dataclass
class Archived:
    """What archiving one page produced: the article as the archive now holds it."""

    article: Article
    status: str  # "new", "updated" or "unchanged"
    copy: bool = False  # the page is another page of a stored article (see SaveResult)


def page_from_file(path: str | Path, url: str, *, max_bytes: int | None = None) -> Page:
    """A saved HTML file standing in for a fetched page at ``url`` (at most ``max_bytes``)."""
    url = check_url(url)
    file = Path(path)
    try:
        if max_bytes is not None and file.stat().st_size > max_bytes:
            raise InputError(f"{path}: larger than the {max_bytes:,}-byte limit (--max-bytes)")
        content = file.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    return Page(url=url, final_url=url, status=200, headers={}, content=content)


def extract_page(page: Page) -> Article:
    """Extract the article from a fetched page (pure; the page's final URL is the article URL)."""
    from newsarc.extractor import extract

    text, utf8 = page.decoded()
    article = extract(text, page.final_url or page.url, utf8=utf8)
    article.fetched_at = page.fetched_at or utc_now()
    return article


def store_page(db: Database, page: Page, article: Article) -> Archived:
    """Save an extracted article with its raw page."""
    import sqlite3

    from newsarc.store import archive_path, get_article, save_article, write_error

    try:
        result = save_article(db, article, page)
        # What the archive holds, not what this page gave: a copy keeps the record's own
        # metadata, and a page matched to a record by its canonical link (an AMP page, the
        # original of a syndicated copy) keeps the record's address.
        stored = get_article(db, result.id)
    except sqlite3.Error as exc:
        raise write_error(archive_path(db), exc) from None
    article.id = result.id
    return Archived(stored or article, result.status, copy=result.copy)


def fetch_page(
    url: str, *, session: requests.Session | None = None, limits: FetchLimits | None = None
) -> Page:
    """Fetch one article page with newsarc's polite client."""
    from newsarc.fetch import FetchLimits, fetch

    return fetch(check_url(url), session=session, limits=limits or FetchLimits())


@dataclass
class Reextracted:
    """Counts of a ``reextract`` run."""

    checked: int = 0
    changed: int = 0
    failed: int = 0
    stopped: bool = False  # asked to stop before every article was done


def reextract(
    db: Database,
    ids: list[int] | None = None,
    *,
    on_failure: Callable[[int, str], None] | None = None,
    batch_size: int = 200,
    stopped: Callable[[], bool] | None = None,
) -> Reextracted:
    """Run the current extractor over stored raw pages and update the records that change.

    The previous text is kept as a revision; every record gets the current extractor version.
    ``stopped`` is asked before each article: once true, what is done is committed and the
    run ends (a rerun does the rest: its records are the ones not yet at this version).
    """
    from newsarc.store import latest_pages, update_extraction

    counts = Reextracted()
    for article_id, page in latest_pages(db, ids):
        if stopped is not None and stopped():
            counts.stopped = True
            break
        counts.checked += 1
        try:
            article = extract_page(page)
        except NewsarcError as exc:
            counts.failed += 1
            if on_failure:
                on_failure(article_id, str(exc))
            continue
        if update_extraction(db, article_id, article, commit=False):
            counts.changed += 1
        if counts.checked % batch_size == 0:
            db.conn.commit()
    if db.conn.in_transaction:
        db.conn.commit()
    return counts
