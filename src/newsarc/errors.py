"""newsarc's exception hierarchy and the exit codes the CLI maps them to."""

from __future__ import annotations

# Documented exit codes (README "Exit codes").
EXIT_OK = 0
EXIT_ERROR = 1  # the command failed: nothing (more) was archived
EXIT_USAGE = 2  # bad arguments or options (click's own code)
EXIT_PARTIAL = 3  # a batch finished but some items failed
EXIT_LOCKED = 4  # another newsarc run holds the archive's ingest lock


class NewsarcError(Exception):
    """Base class of every error newsarc reports to the user as one line."""

    exit_code = EXIT_ERROR


class InputError(NewsarcError):
    """A URL, file or option value that newsarc cannot use."""


class FetchError(NewsarcError):
    """Fetching a URL failed; the message names the URL and the reason."""

    def __init__(self, url: str, reason: str, *, status: int | None = None):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status


class ExtractError(NewsarcError):
    """No article could be extracted from a page."""


class StoreError(NewsarcError):
    """The archive could not be opened, read or written."""


class QueryError(NewsarcError):
    """A search query that cannot be run (only with raw FTS syntax)."""


class UsageError(NewsarcError):
    """The command cannot run as given (e.g. no sources at all)."""

    exit_code = EXIT_USAGE


class LockedError(NewsarcError):
    """Another run holds the archive's ingest lock."""

    exit_code = EXIT_LOCKED
