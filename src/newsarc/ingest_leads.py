"""A WARC's records that lead to a page without holding one: redirects and revisits.

A crawler that followed a redirect recorded it as a response of its own (301, 302, 303, 307
or 308, with a Location), and the page it led to as another, before or after it in the
file. A live fetch that follows a redirect keeps the address it asked for as a "requested"
alias of the article it archived (``store.articles``); the redirect record does the same
here, so that ``newsarc show`` and the "archived?" test of later runs know the short link,
the old address, the http one. A revisit record (WARC-Profile identical-payload-digest or
server-not-modified) holds the payload of an earlier capture again: at another address it
is a "copy" alias of that capture's article; at the same address the article was seen
unchanged then, and counts as fetched then if that capture is its last kept page
(``store.addresses.seen_again``).

The page a record leads to may come later in the file, or in a later file of the run, and is
archived only once its extraction is done: such a record waits (``pending``, by the
normalized address it leads to) until an article is stored from that address (``stored``,
which also settles a redirect that led to this one: chains) or the end of the run
(``finish``: the archive is asked once more, since the page may have been archived by a past
run, or be a copy of another page). One that leads nowhere archived is counted as skipped:
its page was not in the WARC (another segment's, an image's), or left out; the article
counts of a run that archives a redirect's target do not change. Each record that adds an
address counts as unchanged (an article it leads to, unchanged); one whose address was known
already (a second run over the same file) as skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from newsarc.errors import NewsarcError
from newsarc.ingest_work import Work
from newsarc.urls import normalize_url

if TYPE_CHECKING:
    from sqlite_utils import Database

log = logging.getLogger("newsarc.ingest")

Count = Callable[[Work, str], None]


class Leads:
    """The redirect and revisit records of a run, settled as their pages are archived."""

    def __init__(self, db: Database, count: Count, wrote: Callable[[], None]) -> None:
        self._db = db
        self._count = count
        self._wrote = wrote
        self.pending: dict[str, list[Work]] = {}

    def admit(self, work: Work) -> None:
        """Take a lead (``work.lead``): settled now if its page is archived, else kept."""
        from newsarc.store.addresses import leads_to

        lead = work.lead
        assert lead is not None
        try:
            key = normalize_url(lead.url)
            target = normalize_url(lead.target) if lead.target else None
        except NewsarcError:
            target = None
        if target is None:  # a revisit whose page is not named, nor in the file
            log.info("%s: revisit of a page not in this WARC; skipped", lead.url)
            self._count(work, "skipped")
            return
        if target == key and lead.kind == "redirect":  # only a tracking parameter dropped
            self._count(work, "skipped")
            return
        article = leads_to(self._db.conn, target)
        if article is None:
            self.pending.setdefault(target, []).append(work)
            return
        self._settle([(work, article)])

    def stored(self, url: str, article_id: int) -> None:
        """An article was stored from ``url``: the leads waiting for it are settled."""
        if not self.pending:
            return
        try:
            key = normalize_url(url)
        except NewsarcError:
            return
        waiting = self.pending.pop(key, None)
        if waiting:
            self._settle([(work, article_id) for work in waiting])

    def finish(self) -> None:
        """At the end of a run: the leads whose page the archive holds now (archived by a
        past run, or stored under another address) are settled; the others are skipped."""
        from newsarc.store.addresses import leads_to

        for target in list(self.pending):
            waiting = self.pending.pop(target, None)
            if not waiting:  # settled meanwhile, as the end of a chain
                continue
            article = leads_to(self._db.conn, target)
            if article is not None:
                self._settle([(work, article) for work in waiting])
                continue
            for work in waiting:
                assert work.lead is not None
                log.info(
                    "%s: %s to %s, which is not archived; skipped",
                    work.lead.url,
                    work.lead.kind,
                    work.lead.target,
                )
                self._count(work, "skipped")

    def _settle(self, settled: list[tuple[Work, int]]) -> None:
        """Record each lead as an address of its article; then the leads waiting for that
        address (a redirect to a redirect) are settled too."""
        from newsarc.store import writing
        from newsarc.store.addresses import alias, seen_again

        # A stack, not recursion: a chain of redirects may be long. Each lead is popped
        # from ``pending`` once, so this ends.
        while settled:
            work, article_id = settled.pop()
            lead = work.lead
            assert lead is not None
            key = normalize_url(lead.url)
            with writing(self._db, False) as conn:
                if lead.kind == "redirect":
                    added = alias(conn, article_id, key, "requested")
                elif key != normalize_url(lead.target):
                    added = alias(conn, article_id, key, "copy")
                else:
                    added = seen_again(conn, article_id, lead.at, lead.target_date)
            self._wrote()
            self._count(work, "unchanged" if added else "skipped")
            settled += [(other, article_id) for other in self.pending.pop(key, [])]
