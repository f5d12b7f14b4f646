"""newsarc: keep a searchable archive of news articles.

The names here:

- ``extract(html, url) -> Article``: one page's clean record (no network; see README).
- ``open_db(path)``: an archive opened for writing, created and upgraded as needed.
- ``Article``, ``Page``: the record, and what was fetched.
- ``NewsarcError`` and its kinds: ``FetchError``, ``ExtractError``, ``StoreError``,
  ``QueryError``, ``InputError`` (a bad argument or setting).

The rest of the library is in its modules: ``newsarc.pipeline`` (fetch and archive one
page), ``newsarc.search``, ``newsarc.store`` (reading articles, ``Filters``),
``newsarc.ingest`` (batch runs) and ``newsarc.lock`` (one run per archive); README.md,
"Using from Python", shows each job.

Heavy names (``extract``, ``open_db``) load on first use, so that commands which only read
the archive never import trafilatura, lxml or requests; type checkers see them through the
``TYPE_CHECKING`` imports below.
"""

from __future__ import annotations

import logging
from importlib import import_module
from typing import TYPE_CHECKING, Any

from newsarc.errors import (
    ExtractError,
    FetchError,
    InputError,
    NewsarcError,
    QueryError,
    StoreError,
)
from newsarc.model import Article, Page

if TYPE_CHECKING:
    from newsarc.extractor import extract
    from newsarc.store import open_db

logging.getLogger(__name__).addHandler(logging.NullHandler())

# Only names that differ from submodule names: importing a submodule binds its name on the
# package, which would shadow a function of the same name (hence ``newsarc.extractor``).
_LAZY = {
    "extract": "newsarc.extractor",
    "open_db": "newsarc.store",
}

__all__ = [
    "Article",
    "ExtractError",
    "FetchError",
    "InputError",
    "NewsarcError",
    "Page",
    "QueryError",
    "StoreError",
    "extract",
    "open_db",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = import_module(_LAZY[name])
        return getattr(module, name)
    raise AttributeError(f"module 'newsarc' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The lazy names too, so that ``dir(newsarc)`` and completion list them."""
    return sorted({*globals(), *_LAZY})
