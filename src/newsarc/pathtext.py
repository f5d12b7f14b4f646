"""File paths as text a log line, an error message or a database row can hold."""

from __future__ import annotations

import os
from pathlib import Path


def shown(path: str | Path) -> str:
    """``path`` (or any text that may hold one) with no lone surrogates.

    A file name that is not UTF-8 (copied from an old Latin-1 system, or out of a zip)
    reaches Python with lone surrogates, which a UTF-8 log file and SQLite refuse; its bytes
    that are not UTF-8 are shown as ``\\xe9`` escapes, which name the file exactly. Text
    without them comes back unchanged.
    """
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # surrogateescape gives back a name's own bytes; surrogatepass any other surrogate.
        data = text.encode("utf-8", "surrogateescape" if _escaped_only(text) else "surrogatepass")
        return data.decode("utf-8", "backslashreplace")
    return text


def _escaped_only(text: str) -> bool:
    """Whether every lone surrogate in ``text`` stands for a byte (U+DC80..U+DCFF), as
    ``os.fsdecode`` makes them."""
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in text)
