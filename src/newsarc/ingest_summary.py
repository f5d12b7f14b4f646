"""What a batch run reports: its counts, and the failures it keeps for the report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from newsarc.errors import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL

__all__ = ["MAX_SHOWN_FAILURES", "Failure", "Summary"]

MAX_SHOWN_FAILURES = 100  # kept for the report; the count is exact


@dataclass
class Failure:
    """One item that could not be archived."""

    url: str
    reason: str
    source: str | None = None


@dataclass
class Summary:
    """Counts of one run, printed as its last line."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    # Articles extracted and written but never committed: the archive refused their batch
    # (a full disk), which ends the run; the next run fetches them again.
    lost: int = 0
    seconds: float = 0.0
    sources: int = 0
    sources_failed: int = 0
    failures: list[Failure] = field(default_factory=list)
    # Pages robots.txt kept newsarc from, by host (counted in ``skipped`` too).
    disallowed: dict[str, int] = field(default_factory=dict)
    interrupted: str = ""  # what stopped the run early (SIGINT, SIGTERM); empty: it ran to the end
    # Each registered source that moved for good this run, as the warning that said so.
    moved: list[str] = field(default_factory=list)

    def line(self) -> str:
        """``new 3, updated 0, unchanged 1, skipped 10, failed 2 in 4.1 s`` (then
        ``, interrupted by SIGINT`` for a run that stopped early); a run whose last batch the
        archive refused says ``failed 2, lost 40 (not committed) in 4.1 s``."""
        lost = f", lost {self.lost} (not committed)" if self.lost else ""
        line = (
            f"new {self.new}, updated {self.updated}, unchanged {self.unchanged}, "
            f"skipped {self.skipped}, failed {self.failed}{lost} in {self.seconds:.1f} s"
        )
        return f"{line}, interrupted by {self.interrupted}" if self.interrupted else line

    def lose(self, batch: Mapping[str, int]) -> None:
        """Count the articles of an uncommitted batch (``status -> number``) as lost: a
        summary says what the archive holds, and those rows never reached it."""
        for status, number in batch.items():
            setattr(self, status, getattr(self, status) - number)
            self.lost += number

    @property
    def exit_code(self) -> int:
        """0 all fine, 3 when some items failed, 1 when every source failed and gave nothing."""
        gave = self.new + self.updated + self.unchanged + self.skipped
        if self.sources and self.sources_failed >= self.sources and not gave:
            return EXIT_ERROR
        return EXIT_PARTIAL if self.failed else EXIT_OK
