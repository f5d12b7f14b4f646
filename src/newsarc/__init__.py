"""newsarc: keep a searchable archive of news articles.

Heavy names (``extract``) load on first use, so that commands which only read
the archive never import trafilatura, lxml or requests.
"""

from __future__ import annotations

import logging
from importlib import import_module
from typing import Any

from newsarc.errors import (
    ExtractError,
    FetchError,
    InputError,
    NewsarcError,
    QueryError,
    StoreError,
)
from newsarc.model import Article, Page

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
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = import_module(_LAZY[name])
        return getattr(module, name)
    raise AttributeError(f"module 'newsarc' has no attribute {name!r}")
