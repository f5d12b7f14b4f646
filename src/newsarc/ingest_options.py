"""``IngestOptions``: how a batch run behaves, checked when made.

A library caller builds these by hand (the CLI from its flags, parsed already): a setting the
run would misread is refused here, with the setting's name, instead of changing what the run
archives (``since="7d"`` compared as text left out every article).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from newsarc.datearg import date_arg

if TYPE_CHECKING:
    from newsarc.fetchlimits import FetchLimits


def _default_limits() -> FetchLimits:
    from newsarc.fetchlimits import FetchLimits  # not newsarc.fetch: no requests import

    return FetchLimits()


@dataclass
class IngestOptions:
    """How a batch run behaves; every limit has a default and a CLI flag."""

    limits: FetchLimits = field(default_factory=_default_limits)
    refresh: bool = False
    # What ``--since`` takes ("2024-03-01", "7d", "yesterday") or a date; held as ISO text.
    since: str | date | None = None
    delay: float = 1.0
    per_host: int = 2
    concurrency: int = 8
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    extract_timeout: float = 30.0  # seconds to extract one page (see ingest_pool)
    ignore_robots: bool = False
    max_items: int = 1000
    max_urls: int = 50_000
    base_url: str | None = None
    batch_size: int = 200
    batch_seconds: float = 2.0
    lookahead: int = 2000  # URLs read ahead of the fetchers, to spread them over hosts

    def __setattr__(self, name: str, value: object) -> None:
        # On every assignment, not only in __init__: a setting changed later is checked too.
        if name == "since":
            value = date_arg(value, "since")
        super().__setattr__(name, value)

    @property
    def since_text(self) -> str | None:
        """``since`` as the ISO date or date-time the run compares (it is held as one)."""
        return self.since if isinstance(self.since, str) else None


__all__ = ["IngestOptions"]
