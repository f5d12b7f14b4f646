"""``ingest --since``: which items a run leaves out as too old, and what it remembers of them.

An item that its feed or sitemap dated was judged by that date when it was listed (see
``newsarc.sources``). Any other (URL lists, WARC files, folders, undated entries) is judged by
its article's own date, so it has to be fetched and extracted first. A fetched page left out
that way is remembered with its date (``newsarc.store.datedout``): a later run whose --since
is still after that date skips the address without a request, and a run with an earlier
--since fetches it again and forgets it once it is archived. WARC and folder pages are not
remembered: they are in hand already, so skipping them would save no request.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from newsarc.ingest_work import Work
from newsarc.model import Article
from newsarc.urls import normalize_url

if TYPE_CHECKING:
    from sqlite_utils import Database

log = logging.getLogger(__name__)


class Since:
    """The --since rule of one run over one archive (``since`` None: nothing is left out)."""

    def __init__(self, db: Database, since: str | None, *, refresh: bool) -> None:
        self.db = db
        self.since = since
        self.refresh = refresh
        # Addresses a past run left out, fetched again by this one (an earlier --since):
        # their memory goes once they are archived.
        self._recalled: set[str] = set()

    def left_out_before(self, key: str, work: Work) -> bool:
        """Whether a past run fetched ``work`` (at normalized address ``key``) and left it out,
        its article dated before this run's --since too: then it is skipped unfetched. Asked
        only for an address that is not archived; never with --refresh, or for an item that a
        listing dated or that is in hand (a WARC or folder page)."""
        if not self.since or self.refresh or work.page is not None or work.dated:
            return False
        from newsarc.sources import is_before
        from newsarc.store import dated_out

        published = dated_out(self.db, key)
        if published is None:
            return False
        if is_before(published, self.since):
            log.info("%s: dated %s, before --since (seen by a past run); skipped", key, published)
            return True
        self._recalled.add(key)  # an earlier --since: fetched and judged afresh
        return False

    def leaves_out(self, work: Work, article: Article) -> bool:
        """Whether ``article`` (extracted from ``work``) is left out as dated before --since;
        a fetched one is then remembered, in the writer's open transaction."""
        from newsarc.sources import is_before

        if work.dated or not is_before(article.published, self.since):
            return False
        if not work.page_source:  # fetched: the next run need not fetch it to know
            from newsarc.store import remember_dated_out

            assert article.published is not None
            remember_dated_out(self.db, normalize_url(work.url), article.published, commit=False)
        return True

    def archived(self, work: Work) -> None:
        """``work`` is archived now: a memory of it as too old goes (in the open transaction)."""
        if self._recalled and (key := normalize_url(work.url)) in self._recalled:
            from newsarc.store import forget_dated_out

            forget_dated_out(self.db, key, commit=False)
            self._recalled.discard(key)
