"""Saved HTML files: a folder (searched recursively) or a single file, as Pages.

Each file's address is, in this order: its ``<link rel="canonical">``, its ``og:url``, the
URL a browser recorded when saving it (``<!-- saved from url=(0042)https://... -->``, or
SingleFile's ``url:`` comment), then ``base_url`` joined with the file's path relative to
the folder, and as a last resort a ``file://`` URL. The pipeline decides what to do with a
``file://`` URL (newsarc's URL checks accept only http(s), so it cannot be archived as is).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote, urljoin

from newsarc.errors import InputError
from newsarc.model import Page
from newsarc.urls import check_url

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 10 * 1024 * 1024
SUFFIXES = (".html", ".htm")
_HEAD_BYTES = 256 * 1024  # where <head> links and the saved-from comment live
_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)
_SINGLEFILE = re.compile(rb"<!--\s*Page saved with SingleFile\s+url:\s*(\S+)", re.IGNORECASE)


def _declared_url(content: bytes, base: str | None) -> str | None:
    """The page's own address as the file states it, absolute and http(s), or None."""
    import lxml.html
    from lxml import etree

    head = content[:_HEAD_BYTES]
    candidates: list[str] = []
    parser = lxml.html.HTMLParser(no_network=True)
    try:
        doc = lxml.html.document_fromstring(head, parser=parser)
    except (etree.ParserError, ValueError):
        doc = None
    if doc is not None:
        for link in doc.iter("link"):
            if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
                candidates.append(link.get("href", ""))
                break
        for meta in doc.iter("meta"):
            if (meta.get("property") or meta.get("name") or "").lower() == "og:url":
                candidates.append(meta.get("content") or "")
                break
    for pattern in (_SAVED_FROM, _SINGLEFILE):
        match = pattern.search(head)
        if match:
            candidates.append(match.group(1).decode("utf-8", "replace"))
    for candidate in candidates:
        candidate = candidate.strip()
        try:
            return check_url(urljoin(base, candidate) if base else candidate)
        except (InputError, ValueError):
            continue
    return None


def _files(root: Path) -> Iterator[Path]:
    """HTML files under ``root`` in a stable order; symlinked folders are not entered."""
    # os.walk without followlinks cannot loop; each folder is listed once.
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            if name.lower().endswith(SUFFIXES):
                yield Path(folder) / name


def _fallback_url(file: Path, root: Path, base_url: str | None) -> str:
    if base_url:
        relative = file.relative_to(root).as_posix() if file != root else file.name
        return urljoin(base_url if base_url.endswith("/") else base_url + "/", quote(relative))
    return file.resolve().as_uri()


def read_html_dir(
    path: str | Path, *, base_url: str | None = None, max_bytes: int = MAX_FILE_BYTES
) -> Iterator[Page]:
    """Saved .html/.htm files under ``path`` (recursive; or ``path`` itself) as Pages.

    URL: see the module docstring (canonical, og:url, saved-from comment, ``base_url`` +
    relative path, else ``file://``). ``status`` is 200, ``headers`` has only a text/html
    Content-Type, ``fetched_at`` is the file's modification time (UTC). Files over
    ``max_bytes`` or unreadable are skipped with a warning. Raises InputError if ``path``
    does not exist.
    """
    root = Path(path)
    if base_url is not None:
        base_url = check_url(base_url)
    if root.is_file():
        files: Iterator[Path] = iter([root])
    elif root.is_dir():
        files = _files(root)
    else:
        raise InputError(f"{root}: no such file or folder")
    for file in files:
        try:
            stat = file.stat()
            if stat.st_size > max_bytes:
                log.warning("%s: skipped (over %d bytes)", file, max_bytes)
                continue
            content = file.read_bytes()
        except OSError as exc:
            log.warning("%s: skipped (%s)", file, exc.strerror or exc)
            continue
        fallback = _fallback_url(file, root, base_url)
        url = _declared_url(content, fallback if fallback.startswith("http") else None)
        yield Page(
            url=url or fallback,
            final_url=url or fallback,
            status=200,
            headers={"Content-Type": "text/html"},
            content=content,
            fetched_at=datetime.fromtimestamp(stat.st_mtime, timezone.utc)
            .replace(microsecond=0)
            .isoformat(),
        )
