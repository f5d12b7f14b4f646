"""What the batch pipeline's sources are, and what listing one found (``SourceReader`` in
``newsarc.ingest_sources`` reads them; ``newsarc.ingest_sourcestate`` keeps their state)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsarc.errors import InputError
from newsarc.ingest_work import Work

if TYPE_CHECKING:
    from newsarc.sources import Item

KINDS = ("urls", "feed", "sitemap", "warc", "dir")


@dataclass(frozen=True)
class Source:
    """One place work comes from. ``registered`` sources keep their state in the archive."""

    kind: str
    target: str
    registered: bool = False
    etag: str | None = None
    last_modified: str | None = None
    cutoff: str | None = None  # child sitemaps dated before this were read by a past run
    # A registered source's id, and when its runs began to end in an error (None: its last
    # run read it), for the error line of a source that is failing run after run.
    source_id: int | None = None
    failing_since: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InputError(f"unknown source kind {self.kind!r} (one of {', '.join(KINDS)})")


@dataclass
class Listing:
    """What listing a feed or sitemap found."""

    items: list[Work] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    # Why the items are not all the source lists ("--max-items", "--since", ...), if so: such
    # a run is not a clean run, so its validators are not kept (see ``record_run``), unless
    # --since alone left items out: then they are kept with ``since``.
    partial: str | None = None
    # Whether the source's own validators may be kept. Not for a homepage read through the
    # feeds it announces, nor for a sitemap index: a 304 for an unchanged homepage or index
    # would hide new items in its feeds or child sitemaps.
    keeps_validators: bool = True
    # Entries left out for their link (none, or no http(s) URL), said in a warning already:
    # counted as skipped. Reading the source again would not change them.
    unusable: int = 0
    since: str | None = None  # the run's --since, which the listing was read under
    gone: list[Work] = field(default_factory=list)  # entries that are gone (GONE_DAYS)
    # Where a registered source's address led through permanent redirects only (301/308), to
    # an answer read as its feed or sitemap: its new registered address (see ``record_run``).
    moved_to: str | None = None


def work_of(item: Item, source: Source) -> Work:
    """The work of an item a feed or sitemap lists, with the dates the listing gave it."""
    return Work(item.url, source.target, published=item.published, lastmod=item.lastmod)
