"""Sitemaps: urlsets, sitemap indexes, Google News sitemaps and text sitemaps, gzip or not.

Parsing streams (see ``sitemapreader``): a 50,000-URL sitemap costs the Items, not a tree.
defusedxml refuses any entity declaration and external reference (billion laughs, XXE). A
gzip body is decompressed on the fly and refused past ``max_bytes`` (50 MB, the sitemaps.org
limit for one sitemap), so a gzip bomb costs at most that much reading and no more memory
than a chunk. Nothing here fetches: ``walk_sitemap`` takes ``get``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from newsarc.errors import NewsarcError
from newsarc.sources.item import Item, is_before
from newsarc.sources.sitemapreader import SitemapReader
from newsarc.urls import check_url, normalize_url

log = logging.getLogger(__name__)

MAX_SITEMAP_BYTES = 50 * 1024 * 1024


@dataclass
class Sitemap:
    """One parsed sitemap: ``kind`` is "index" (entries are sitemaps) or "urlset" (pages).

    ``error`` is set when the document broke off (malformed XML, truncated gzip) after some
    entries had been read; ``entries`` then holds those.
    """

    kind: str
    entries: list[Item] = field(default_factory=list)
    error: str | None = None


@dataclass(frozen=True)
class SitemapFailure:
    """A sitemap below the root that could not be read completely, and why.

    ``reason`` does not repeat the URL (``"not a sitemap (got an HTML page)"``).
    """

    url: str
    reason: str


def parse_sitemap(
    data: bytes, base_url: str, *, max_urls: int = 50_000, max_bytes: int = MAX_SITEMAP_BYTES
) -> Sitemap:
    """Parse one sitemap document (gzip auto-detected) into a ``Sitemap``.

    Handles ``<urlset>`` (with Google News ``news:publication_date`` and ``news:title``),
    ``<sitemapindex>`` and plain-text sitemaps; keeps at most ``max_urls`` entries. Raises
    InputError for HTML, other XML, garbage, entity declarations, or more than ``max_bytes``
    once decompressed.
    """
    reader = SitemapReader(
        data, base_url, max_urls=max_urls, max_index=max_urls, max_bytes=max_bytes
    )
    entries = list(reader)
    return Sitemap(kind=reader.kind, entries=entries, error=reader.error)


class SitemapWalk(Iterator[Item]):
    """Iterates the page URLs below a sitemap, following indexes; see ``walk_sitemap``.

    While and after iterating: ``failures`` lists child sitemaps that could not be read (or
    broke off, or were not followed because of a limit), ``fetched`` counts sitemaps
    requested, ``urls`` counts Items yielded, ``dated_out`` the entries and child sitemaps
    left out by ``since``, ``invalid`` the entries skipped for a <loc> that is no http(s) URL
    (each reader warns), and ``truncated`` says whether a limit cut the walk short.
    ``index`` says whether the root is a sitemap index (its own answer stands for none of
    its children's: a 304 for it says nothing of theirs).
    """

    def __init__(
        self,
        url: str,
        get: Callable[[str], bytes],
        *,
        max_urls: int,
        max_depth: int,
        max_sitemaps: int,
        since: str | None,
        max_bytes: int,
        read_before: str | None = None,
        landed: Callable[[str], str | None] | None = None,
    ) -> None:
        self.root = check_url(url)
        self.failures: list[SitemapFailure] = []
        self.fetched = 0
        self.urls = 0
        self.dated_out = 0
        self.invalid = 0
        self.truncated = False
        self.index = False
        self._get = get
        self._max_urls, self._max_depth = max_urls, max_depth
        self._max_sitemaps, self._since, self._max_bytes = max_sitemaps, since, max_bytes
        self._read_before = read_before
        self._landed = landed
        self._items = self._walk()

    def __next__(self) -> Item:
        return next(self._items)

    def _first_read(self, url: str, parent: str, read: dict[str, str]) -> bool:
        """Whether the sitemap just fetched from ``url`` (listed by ``parent``) is to be read:
        not when a redirect brought it from a sitemap read already (a child that redirects
        back to its index, two children redirected to one). Its address after redirects is
        what tells; one that leads back to its own index is a broken index, said as such."""
        landed = self._landed(url) if self._landed is not None else None
        keys = {normalize_url(url)}
        if landed and landed != url:
            keys.add(normalize_url(landed))
        known = next((read[key] for key in keys if key in read), None)
        if known is None:
            read.update(dict.fromkeys(keys, url))
            return True
        if known == parent:
            log.warning(
                "%s: this sitemap index lists %s, which redirects back to it; not read again",
                parent,
                url,
            )
        else:
            log.debug("%s: read already, through a redirect; not read again", url)
        return False

    def _fail(self, url: str, reason: str) -> None:
        log.info("%s: %s", url, reason)
        self.failures.append(SitemapFailure(url, reason))

    def _walk(self) -> Iterator[Item]:
        seen = {normalize_url(self.root)}
        # The sitemaps read, by their addresses before and after redirects.
        read: dict[str, str] = {}
        pending: list[tuple[str, int, str]] = [(self.root, 0, self.root)]
        # Each sitemap is pushed at most once (``seen``) and at most max_sitemaps are read.
        while pending:
            if self.fetched >= self._max_sitemaps:
                self.truncated = True
                self._fail(
                    self.root,
                    f"{len(pending)} sitemaps not read: max_sitemaps={self._max_sitemaps} reached",
                )
                return
            url, depth, parent = pending.pop()
            self.fetched += 1
            children: list[Item] = []
            reader: SitemapReader | None = None
            try:
                data = self._get(url)
                if not self._first_read(url, parent, read):
                    continue
                reader = SitemapReader(
                    data,
                    url,
                    max_urls=self._max_urls,
                    max_index=self._max_urls,
                    max_bytes=self._max_bytes,
                )
                for item in reader:
                    if reader.kind == "index":
                        children.append(item)
                        continue
                    if is_before(item.published or item.lastmod, self._since):
                        self.dated_out += 1
                        continue
                    if self.urls >= self._max_urls:  # a URL past the limit: exactly is not cut
                        self.truncated = True
                        log.warning("%s: stopped after max_urls=%d URLs", self.root, self.urls)
                        return
                    yield item
                    self.urls += 1
            except NewsarcError as exc:
                if url == self.root:
                    raise
                reason = str(exc)
                self._fail(url, reason[len(url) + 2 :] if reason.startswith(f"{url}: ") else reason)
                continue
            finally:
                self.invalid += reader.invalid if reader is not None else 0
            # The reader's own limit (it has warned) left entries of this sitemap unread,
            # some of them dated out: the walk did not see them all.
            self.truncated = self.truncated or reader.cut
            if reader.error:
                self._fail(url, reader.error)
            if reader.kind == "index":
                self.index = self.index or depth == 0
                self._follow(children, depth, seen, pending, url)

    def _follow(
        self,
        children: list[Item],
        depth: int,
        seen: set[str],
        pending: list[tuple[str, int, str]],
        parent: str,
    ) -> None:
        if depth >= self._max_depth:
            self.truncated = True
            limit = self._max_depth
            self._fail(parent, f"index not followed: nested deeper than max_depth={limit}")
            return
        for child in reversed(children):  # a stack: reversed, so they are read in order
            key = normalize_url(child.url)
            if key in seen:
                if key == normalize_url(parent):  # a broken index; say so, cron users read logs
                    log.warning("%s: this sitemap index lists itself; not read again", parent)
                else:
                    log.debug("%s: %s listed again; read once", parent, child.url)
                continue
            if is_before(child.lastmod, self._since):
                self.dated_out += 1
                log.debug("%s: unchanged since %s, not read", child.url, self._since)
                continue
            if is_before(child.lastmod, self._read_before):
                log.debug("%s: unchanged since a past run read it, not read", child.url)
                continue
            seen.add(key)
            pending.append((child.url, depth + 1, parent))


def walk_sitemap(
    url: str,
    get: Callable[[str], bytes],
    *,
    max_urls: int = 50_000,
    max_depth: int = 3,
    max_sitemaps: int = 1000,
    since: str | None = None,
    max_bytes: int = MAX_SITEMAP_BYTES,
    read_before: str | None = None,
    landed: Callable[[str], str | None] | None = None,
) -> SitemapWalk:
    """The page URLs below sitemap ``url``, following sitemap indexes depth-first, in order.

    ``get(url) -> bytes`` fetches one sitemap. Each sitemap is fetched at most once (an index
    that lists itself, or a cycle, ends). An error on the root sitemap is raised; an error on
    a child is logged, recorded in ``failures`` and the walk goes on. Indexes nested deeper
    than ``max_depth`` are not followed; at most ``max_sitemaps`` are fetched and
    ``max_urls`` Items yielded. With ``since``, Items dated (news publication date, else
    lastmod) before it are skipped, and so are child sitemaps whose index lastmod is before
    it; undated ones are kept. Child sitemaps whose index lastmod is before ``read_before``
    (when a past run read them) are not read either, but their entries are not judged by it:
    a sitemap may list a page later than its lastmod says, and one passed over so would be
    lost for good. ``landed(url)``, if given, is where the last ``get(url)`` ended after
    redirects: a sitemap that a redirect brought from one read already is not read again.
    """
    return SitemapWalk(
        url,
        get,
        max_urls=max_urls,
        max_depth=max_depth,
        max_sitemaps=max_sitemaps,
        since=since,
        max_bytes=max_bytes,
        read_before=read_before,
        landed=landed,
    )
