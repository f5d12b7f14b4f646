"""What a batch run keeps of each feed and sitemap between runs, and when it may use it.

A source's validators (ETag, Last-Modified) let the next run ask "changed since?" and a 304
cost nothing; a registered sitemap index's last clean run lets the next run pass over the
child sitemaps dated before it. Both are kept only after a clean run (the whole listing read,
every item archived or skipped), and each with the ``--since`` it was earned under: they
hold for a later run only if that run wants nothing earlier (``_holds``). A registered
source that answered from another address through permanent redirects only is registered at
that address from then on, without what it earned at the old one (``_move``).
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

    from newsarc.ingest import IngestOptions
    from newsarc.ingest_listing import Listing, Source

log = logging.getLogger(__name__)
# A move is said under the run's logger, as the run's other warnings are.
_said = logging.getLogger("newsarc.ingest")

# A sitemap child whose index lastmod is older than the last clean run minus this margin was
# read then; the margin covers clocks that disagree.
SITEMAP_MARGIN = timedelta(days=1)


def with_stored_state(db: Database, sources: list[Source], options: IngestOptions) -> list[Source]:
    """``sources`` with their stored state: a registered source's row, or the validators
    remembered for a feed or sitemap given on the command line; validators and cut-off only
    when earned under a --since not later than this run's, and none with ``--refresh``."""
    from newsarc.pathtext import shown
    from newsarc.store import get_source, get_validators

    refresh, since = options.refresh, options.since_text
    prepared = []
    for source in sources:
        stored = source.kind in ("feed", "sitemap", "urls")
        # A list whose file name is not UTF-8 cannot have been registered (nor looked up).
        stored = stored and shown(source.target) == source.target
        row = get_source(db, source.target) if stored else None
        if row is not None:
            holds = not refresh and _holds(row.get("listed_since"), since)
            source = dataclasses.replace(
                source,
                registered=True,
                source_id=row.get("id"),
                failing_since=row.get("failing_since"),
                etag=row.get("etag") if holds else None,
                last_modified=row.get("last_modified") if holds else None,
                cutoff=_cutoff(row) if holds else None,
            )
        elif source.kind in ("feed", "sitemap") and not refresh:
            kept = get_validators(db, source.target)
            if _holds(kept.listed_since, since):
                source = dataclasses.replace(
                    source, etag=kept.etag, last_modified=kept.last_modified
                )
        prepared.append(source)
    return prepared


def record_run(
    db: Database,
    source: Source,
    listing: Listing | None,
    tally: dict[str, int],
    *,
    error: str | None = None,
    interrupted: bool = False,
) -> str | None:
    """Store how a source's run went (counts of what was committed); validators only
    after a clean run. Returns what a registered source's move for good (see below) is
    said in, once, the run it moves; else None.

    "Clean" means the feed or sitemap was read in full (no --max-items or --max-urls left
    entries out; entries left out by --since alone are allowed, and the validators are
    then kept with that --since: see ``with_stored_state``) and every item it listed was archived
    (or skipped, or found gone: a 404 or 410): otherwise the next run must list it again,
    not get a 304 and miss the rest. A registered sitemap index's next run does not read
    the child sitemaps dated before its last clean run (``clean_run_at``), so a partial
    run is not clean either; nor is an interrupted one, whose validators and cut-off stay
    as they were.

    A registered source whose address moved for good (``Listing.moved_to``) is re-registered
    at its new address first, and this run's state recorded there.
    """
    moved = None
    from newsarc.store import save_validators, update_source_run, update_source_validators

    gone = tally.get("gone", 0)
    blocking = _blocking(listing.partial) if listing is not None else None
    if error is not None:
        status = f"error: {error}"[:500]
    elif listing is not None and listing.not_modified:
        status = "not modified"
    elif interrupted:
        status = "interrupted"
    elif tally.get("failed", 0) > gone:
        status = f"{tally['failed']} failed"
    elif blocking:
        status = f"listed in part ({blocking})"
    else:
        status = f"ok, {gone} gone" if gone else "ok"
    clean = status == "not modified" or status.startswith("ok")
    target: str | None = source.target
    if source.registered and listing is not None and listing.moved_to is not None:
        target, moved = _move(db, source, listing.moved_to)
    if target is None:  # merged into the source registered where it moved
        return moved
    if source.registered:
        found = len(listing.items) if listing is not None else 0
        update_source_run(
            db,
            target,
            status=status,
            found=found,
            counts=tally,
            clean=clean,
            commit=False,
        )
    if not status.startswith("ok") or listing is None:
        return moved
    save = update_source_validators if source.registered else save_validators
    save(
        db,
        target,
        etag=listing.etag,
        last_modified=listing.last_modified,
        listed_since=listing.since,
        commit=False,
    )
    return moved


def failing_note(source: Source) -> str:
    """What to add to the error line of a registered source whose past runs ended in an
    error too: since when, and how to unregister it ('' for any other source). A feed that is
    gone for good fails every cron run in the same words; this tells a dead source from a
    bad moment, and says what to do about it."""
    if not source.registered or not source.failing_since:
        return ""
    how = f"; `newsarc sources remove {source.source_id}` unregisters it"
    return f" (failing since {shown_moment(source.failing_since)}{how})"


def shown_moment(moment: str) -> str:
    """A stored UTC moment (``2026-11-20T05:30:25+00:00``) as a line shows it:
    ``2026-11-20 05:30 UTC``; anything else as it is."""
    try:
        parsed = datetime.fromisoformat(moment)
    except ValueError:
        return moment
    if parsed.utcoffset() != timedelta(0):
        return moment
    return parsed.strftime("%Y-%m-%d %H:%M UTC")


def _move(db: Database, source: Source, new_url: str) -> tuple[str | None, str]:
    """Re-register a source that moved for good at ``new_url`` (its state earned at its old
    address dropped: ``store.move_source``) and say so, as a warning: the user learns it the
    run it moves, once (the next run asks the new address). (Its address now, or None when
    ``new_url`` was registered already, as another source, which is kept, and this one
    removed; what was said.)"""
    from newsarc.store import move_source

    url = source.target
    kept = move_source(db, url, new_url, commit=False)
    if kept is None:
        said = (
            f"{url}: moved permanently to {new_url}; registered address updated"
            f" (source {source.source_id})"
        )
        _said.warning("%s", said)
        return new_url, said
    said = (
        f"{url}: moved permanently to {new_url}, registered already (source {kept}); source"
        f" {source.source_id} removed, its articles stay archived"
    )
    _said.warning("%s", said)
    return None, said


def _cutoff(row: dict[str, Any]) -> str | None:
    """Child sitemaps dated before this were read by the last clean run of a registered
    sitemap index."""
    last = row.get("clean_run_at")
    if row.get("kind") != "sitemap" or not last:
        return None
    try:
        moment = datetime.fromisoformat(last)
    except ValueError:
        return None
    return (moment - SITEMAP_MARGIN).isoformat()


def _holds(listed_since: str | None, since: str | None) -> bool:
    """Whether validators (and a cut-off) earned by a run under --since ``listed_since``
    hold for a run under ``since``: that run archived all the listing gave from
    ``listed_since`` on, so a 304 now stands for this run only if it wants nothing earlier.
    A relative --since (7d) moves forward from run to run, so a cron line keeps its 304s."""
    from newsarc.sources import is_before

    if listed_since is None:
        return True
    return since is not None and (since == listed_since or is_before(listed_since, since))


def _blocking(partial: str | None) -> str | None:
    """The reasons a listing was read in part that make its run not clean: all but --since
    (whose run keeps its validators with that --since: see ``_holds``)."""
    reasons = [r for r in (partial or "").split(", ") if r and r != "--since"]
    return ", ".join(reasons) or None
