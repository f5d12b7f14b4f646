"""trafilatura's ``bare_extraction`` without the tree copy that its fast mode never reads.

trafilatura prepares the page for its extractors in ``_prepare_tree``: it cleans a copy of the
tree, then copies the cleaned tree again as a backup for the comparison with readability and
jusText (full mode only) and for forum comments (with comments on only). newsarc runs the fast
mode with comments off, so the backup is never read, yet copying it (and freeing it) cost about
half a millisecond per page, a twentieth of trafilatura's own time.

``bare_extraction`` here is trafilatura's own function, and so are the two it calls that call
``_prepare_tree`` (``trafilatura_sequence``, ``_recall_retry``): the same code objects, given a
private copy of their module's names in which ``_prepare_tree`` leaves the backup out when the
options say it cannot be read. Nothing in trafilatura is changed, and every other option goes
through trafilatura's ``_prepare_tree`` as before.

That the backup is unread was checked in trafilatura's source, so this is used only with the
release it was checked against (``CHECKED_RELEASE``); with any other, ``bare_extraction`` is
trafilatura's own. ``tests/test_extractor_cascade.py`` compares the two on pages, and fails when
the installed release is not the checked one, so that an upgrade is checked again.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from copy import copy
from typing import Any

import trafilatura
import trafilatura.core as _core
from trafilatura.htmlprocessing import convert_tags, tree_cleaning
from trafilatura.settings import Extractor

CHECKED_RELEASE = "2.3.1"


def _lean_prepare_tree(tree: Any, options: Extractor, url: str | None) -> tuple[Any, Any]:
    """trafilatura's ``_prepare_tree``, without the backup copy when nothing reads it.

    In trafilatura 2.3.1 the backup goes to ``compare_extraction`` (only when not
    ``options.fast``) and to the forum-comment path (only with ``options.comments``); the
    recall retry copies the options, so it keeps both settings.
    """
    if options.fast and not options.comments:
        return convert_tags(tree_cleaning(copy(tree), options), options, url), None
    return _core._prepare_tree(tree, options, url)


def _rebound(function: Any, names: dict[str, Any]) -> Any:
    """``function``'s code with ``names`` as its module's names."""
    clone = types.FunctionType(
        function.__code__, names, function.__name__, function.__defaults__, function.__closure__
    )
    clone.__kwdefaults__ = function.__kwdefaults__
    clone.__doc__ = function.__doc__
    return clone


def _lean_bare_extraction() -> Callable[..., Any]:
    """trafilatura's ``bare_extraction`` calling ``_lean_prepare_tree``, or trafilatura's own
    when the installed release is not the checked one."""
    if trafilatura.__version__ != CHECKED_RELEASE:
        return trafilatura.bare_extraction
    names = dict(vars(_core))  # a copy: trafilatura's module keeps its own names
    names["_prepare_tree"] = _lean_prepare_tree
    for name in ("_recall_retry", "trafilatura_sequence", "bare_extraction"):
        names[name] = _rebound(getattr(_core, name), names)
    return names["bare_extraction"]


bare_extraction = _lean_bare_extraction()
