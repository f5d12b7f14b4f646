"""Saved HTML files: a folder (searched recursively) or a single file, as Pages.

Each file's address is, in this order: its ``<link rel="canonical">``, its ``og:url``, the
URL a browser recorded when saving it (``<!-- saved from url=(0042)https://... -->``, or
SingleFile's ``url:`` comment), then ``base_url`` joined with the file's path relative to
the folder, and as a last resort a ``file://`` URL. A declared address that is a site's front
page, or that an earlier file of the folder declared already, is a template's mistake, not
the page's address, and is passed over. The pipeline decides what to do with a
``file://`` URL (newsarc's URL checks accept only http(s), so it cannot be archived as is).
A file name that is not UTF-8 is percent-encoded by its own bytes, and shown in logs and
errors with ``\\xNN`` escapes (``pathtext.shown``). The ``NAME_files`` folder a browser
saves beside ``NAME.html`` (its resources and frames) is not read.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

from newsarc.errors import InputError
from newsarc.model import Page
from newsarc.pathtext import shown
from newsarc.sources.item import Skipped, log_skipped
from newsarc.urls import check_url

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 10 * 1024 * 1024
SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
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
            url = check_url(urljoin(base, candidate) if base else candidate)
        except (InputError, ValueError):
            continue
        if urlsplit(url).path in ("", "/"):  # a site's front page: a template's mistake
            continue
        return url
    return None


def _files(root: Path, skipped: Skipped) -> Iterator[Path]:
    """HTML files under ``root`` in a stable order. Symlinked folders are not entered, nor
    hidden ones (``.git``), nor the ``NAME_files`` folder of a page saved complete beside
    ``NAME.html``; macOS's ``._`` resource-fork files are not pages."""

    def unreadable(exc: OSError) -> None:
        skipped(shown(exc.filename or root), f"cannot read folder: {exc.strerror or exc}")

    # os.walk without followlinks cannot loop; each folder is listed once.
    for folder, subfolders, names in os.walk(root, onerror=unreadable):
        resources = _resource_folders(subfolders, names)
        for name in sorted(resources):
            log.debug(
                "%s: not read: the resources of the page saved beside it (its frames are no"
                " articles)",
                shown(Path(folder) / name),
            )
        subfolders[:] = sorted(
            name for name in subfolders if not name.startswith(".") and name not in resources
        )
        for name in sorted(names):
            if name.lower().endswith(SUFFIXES) and not name.startswith("._"):
                yield Path(folder) / name


def _resource_folders(subfolders: list[str], names: list[str]) -> set[str]:
    """The folders among ``subfolders`` that a browser's "Save Page As, complete" wrote
    beside a page: ``NAME_files`` next to ``NAME.html`` (or .htm...). They hold its
    stylesheets, images and the frames it embeds (``saved_resource.html``: ads, widgets),
    which are not articles."""
    stems = {name.rsplit(".", 1)[0].casefold() for name in names if name.lower().endswith(SUFFIXES)}
    return {
        name
        for name in subfolders
        if name.casefold().endswith("_files") and name[: -len("_files")].casefold() in stems
    }


def _fallback_url(file: Path, root: Path, base_url: str | None) -> str:
    """``base_url`` joined with the file's path under ``root`` (each byte of a name that is
    not UTF-8 percent-encoded as it is on disk), else a ``file://`` URL."""
    if base_url:
        if file == root and not base_url.endswith("/"):
            return base_url  # a single file: the page's own address
        relative = file.relative_to(root).as_posix() if file != root else file.name
        # The name's own bytes, as as_uri does: quote() of its text would fail on surrogates.
        path = quote(os.fsencode(relative))
        return urljoin(base_url if base_url.endswith("/") else base_url + "/", path)
    return file.resolve().as_uri()


def read_html_dir(
    path: str | Path,
    *,
    base_url: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    skipped: Skipped = log_skipped,
) -> Iterator[Page]:
    """Saved .html/.htm/.xhtml/.shtml files under ``path`` (recursive; or ``path`` itself)
    as Pages.

    URL: see the module docstring (canonical, og:url, saved-from comment, ``base_url`` +
    relative path, else ``file://``; for a single file, a ``base_url`` not ending in ``/`` is
    the page's own address). ``status`` is 200, ``headers`` has only a text/html
    Content-Type, ``fetched_at`` is the file's modification time (UTC). Files over
    ``max_bytes``, unreadable files and unreadable folders are passed to
    ``skipped(path, reason)`` (by default: logged as a warning); a folder without any such
    file is logged. Raises InputError if ``path`` does not exist.
    """
    root = Path(path)
    if base_url is not None:
        base_url = check_url(base_url)
    if root.is_file():
        files: Iterator[Path] = iter([root])
    elif root.is_dir():
        files = _files(root, skipped)
    else:
        raise InputError(f"{shown(root)}: no such file or folder")
    found = 0
    declared: dict[str, Path] = {}  # each declared address, and the first file declaring it
    for file in files:
        found += 1
        try:
            stat = file.stat()
            if stat.st_size > max_bytes:
                skipped(shown(file), f"over {max_bytes} bytes")
                continue
            content = file.read_bytes()
        except OSError as exc:
            skipped(shown(file), f"cannot read: {exc.strerror or exc}")
            continue
        fallback = _fallback_url(file, root, base_url)
        url = _declared_url(content, fallback if fallback.startswith("http") else None)
        if url is not None and declared.setdefault(url, file) != file:
            # Two saved pages declaring one address: a template's canonical or og:url, not
            # theirs. The later one is addressed by its path, or fails asking for --base-url.
            first = shown(declared[url])
            log.info("%s declares the address of %s (%s); not used", shown(file), first, url)
            url = None
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
    if not found:
        log.warning("%s: no %s files found", shown(root), "/".join(SUFFIXES))
