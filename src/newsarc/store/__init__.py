"""The archive: schema and migrations, saving and reading articles, sources, failures, stories.

Writers take a ``sqlite_utils.Database`` from :func:`open_db`; readers accept it or the plain
``sqlite3.Connection`` from :func:`connect` (the fast path of the reading commands, which never
imports sqlite-utils unless an old archive needs upgrading).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsarc.store.addresses import canonical_alias
    from newsarc.store.articles import (
        SaveResult,
        save_and_link,
        save_article,
        update_extraction,
    )
    from newsarc.store.batch import (
        SOURCE_KINDS,
        Validators,
        add_alias,
        add_source,
        aliases,
        get_source,
        get_validators,
        has_copies,
        list_sources,
        move_source,
        recent_failures,
        recently_gone,
        record_failure,
        remove_source,
        save_validators,
        set_story,
        story_candidates,
        story_members,
        story_of,
        update_source_run,
        update_source_validators,
    )
    from newsarc.store.connection import (
        MIGRATIONS,
        Conn,
        archive_path,
        check_writable,
        close,
        connect,
        migrate,
        open_db,
        pending_migrations,
        raw,
    )
    from newsarc.store.datedout import dated_out, forget_dated_out, remember_dated_out
    from newsarc.store.filters import Filters
    from newsarc.store.lookups import (
        Revision,
        find_article_id,
        get_article,
        has_url,
        iter_articles,
        last_fetched,
        latest_pages,
        list_articles,
        revisions,
    )
    from newsarc.store.rawpages import StoredPage, kept_pages
    from newsarc.store.reports import ArticleDetails, archive_size, article_details, stats
    from newsarc.store.robots import save_robots, stored_robots
    from newsarc.store.stories import link_story
    from newsarc.store.writes import batch_cache, write_error, writing

# Names load on first use: `newsarc search` needs only a few of these modules.
_LAZY = {
    "Revision": "newsarc.store.lookups",
    "SaveResult": "newsarc.store.articles",
    "canonical_alias": "newsarc.store.addresses",
    "find_article_id": "newsarc.store.lookups",
    "get_article": "newsarc.store.lookups",
    "has_url": "newsarc.store.lookups",
    "last_fetched": "newsarc.store.lookups",
    "iter_articles": "newsarc.store.lookups",
    "latest_pages": "newsarc.store.lookups",
    "list_articles": "newsarc.store.lookups",
    "revisions": "newsarc.store.lookups",
    "save_and_link": "newsarc.store.articles",
    "save_article": "newsarc.store.articles",
    "update_extraction": "newsarc.store.articles",
    "SOURCE_KINDS": "newsarc.store.batch",
    "Validators": "newsarc.store.batch",
    "add_alias": "newsarc.store.batch",
    "add_source": "newsarc.store.batch",
    "aliases": "newsarc.store.batch",
    "get_source": "newsarc.store.batch",
    "get_validators": "newsarc.store.batch",
    "has_copies": "newsarc.store.batch",
    "link_story": "newsarc.store.stories",
    "list_sources": "newsarc.store.batch",
    "move_source": "newsarc.store.batch",
    "recent_failures": "newsarc.store.batch",
    "recently_gone": "newsarc.store.batch",
    "record_failure": "newsarc.store.batch",
    "remove_source": "newsarc.store.batch",
    "save_validators": "newsarc.store.batch",
    "set_story": "newsarc.store.batch",
    "story_candidates": "newsarc.store.batch",
    "story_members": "newsarc.store.batch",
    "story_of": "newsarc.store.batch",
    "update_source_run": "newsarc.store.batch",
    "update_source_validators": "newsarc.store.batch",
    "MIGRATIONS": "newsarc.store.connection",
    "Conn": "newsarc.store.connection",
    "check_writable": "newsarc.store.connection",
    "close": "newsarc.store.connection",
    "connect": "newsarc.store.connection",
    "migrate": "newsarc.store.connection",
    "open_db": "newsarc.store.connection",
    "pending_migrations": "newsarc.store.connection",
    "raw": "newsarc.store.connection",
    "archive_path": "newsarc.store.connection",
    "batch_cache": "newsarc.store.writes",
    "write_error": "newsarc.store.writes",
    "writing": "newsarc.store.writes",
    "dated_out": "newsarc.store.datedout",
    "forget_dated_out": "newsarc.store.datedout",
    "remember_dated_out": "newsarc.store.datedout",
    "Filters": "newsarc.store.filters",
    "save_robots": "newsarc.store.robots",
    "stored_robots": "newsarc.store.robots",
    "StoredPage": "newsarc.store.rawpages",
    "kept_pages": "newsarc.store.rawpages",
    "ArticleDetails": "newsarc.store.reports",
    "archive_size": "newsarc.store.reports",
    "article_details": "newsarc.store.reports",
    "stats": "newsarc.store.reports",
}

__all__ = [
    "MIGRATIONS",
    "SOURCE_KINDS",
    "ArticleDetails",
    "Conn",
    "Filters",
    "Revision",
    "SaveResult",
    "StoredPage",
    "Validators",
    "add_alias",
    "add_source",
    "aliases",
    "archive_path",
    "archive_size",
    "batch_cache",
    "article_details",
    "canonical_alias",
    "check_writable",
    "close",
    "connect",
    "dated_out",
    "find_article_id",
    "forget_dated_out",
    "get_article",
    "get_source",
    "get_validators",
    "has_copies",
    "has_url",
    "iter_articles",
    "kept_pages",
    "last_fetched",
    "latest_pages",
    "link_story",
    "list_articles",
    "list_sources",
    "move_source",
    "migrate",
    "open_db",
    "pending_migrations",
    "raw",
    "recent_failures",
    "recently_gone",
    "record_failure",
    "remember_dated_out",
    "remove_source",
    "revisions",
    "save_and_link",
    "save_article",
    "save_robots",
    "save_validators",
    "set_story",
    "stats",
    "story_candidates",
    "story_members",
    "story_of",
    "stored_robots",
    "update_extraction",
    "update_source_run",
    "update_source_validators",
    "write_error",
    "writing",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'newsarc.store' has no attribute {name!r}")
