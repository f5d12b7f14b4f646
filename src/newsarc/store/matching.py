"""Which stored record a page belongs to, and whether the page is the record's own.

The record's URL or a same-page alias is its own page (a re-fetch, or its canonical page after
its AMP version): it may update the record. A page whose canonical link points at a record,
or whose long text and headline are a record's, is another page of the same article (a
"copy"): it leads to the record but never changes it. Matches on any other address need the
headline or the text to agree.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any
from urllib.parse import quote, unquote, urlsplit, uses_netloc

from newsarc.model import Article
from newsarc.store.lookups import one
from newsarc.store.stories import same_story_text

# Two pages with the same body text are one article only if the text is this long:
# short bodies ("This video is unavailable") are shared by unrelated pages.
MIN_WORDS_SAME_TEXT = 50
# Alias kinds that are the article's own page: a page fetched from one of them again is a
# re-fetch, which may update the record. A "copy" is another page found to be the same
# article (its canonical link points here, or it has the same long text and headline): it
# leads to the record but never changes it. A "requested" URL (before redirects) only means
# "already fetched", since /latest-style addresses redirect to a different story each day.
SAME_PAGE_ALIASES = ("url", "final", "canonical", "manual")
IDENTITY_ALIASES = (*SAME_PAGE_ALIASES, "copy")
# What a path keeps as it is when percent-encoding it: RFC 3986's unreserved and sub-delims,
# ":" "@" "/", and "%" (escapes already there).
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_ESCAPE = re.compile("%[0-9a-fA-F]{2}")
_NON_ASCII_ESCAPES = re.compile("(?:%[89A-F][0-9A-F])+")


def find_record(
    conn: sqlite3.Connection, url: str, canonical: str | None, article: Article
) -> tuple[dict[str, Any] | None, bool]:
    """The record this extraction belongs to, and whether the page is the record's own.

    The record's URL or a same-page alias is its own page (a re-fetch, or its canonical page
    arriving after its AMP version). A page whose canonical link points at the record (an AMP
    or syndicated copy) or whose long text and headline are the record's (a mirror) is
    another page: the same article, but not its source.
    """
    spellings = other_spellings(url)
    same_text_too = article.word_count >= MIN_WORDS_SAME_TEXT and bool(article.content_hash)
    text = article.content_hash if same_text_too else None
    if not _anything_known(conn, [url, canonical, *spellings], text):
        # Most of a batch's articles are new: one statement answers for every lookup below
        # (each of which would find nothing), in place of five or six.
        return None, False
    row = one(conn, "SELECT * FROM articles WHERE url = ?", [url])
    if row is not None:
        return row, True
    row, kind = _by_alias(conn, url)
    if row is not None and (kind != "canonical" or _agrees(row, article)):
        # A page whose address is another record's canonical link is that record's own page
        # (its canonical page after its AMP version) only when the text agrees: saved pages
        # or sections may name one address for different stories.
        return row, kind in SAME_PAGE_ALIASES
    if canonical:
        candidate = one(conn, "SELECT * FROM articles WHERE url = ?", [canonical])
        candidate = candidate or _by_alias(conn, canonical)[0]
        # A canonical URL shared by pages with different headlines and texts is a site bug
        # (a section page as everyone's canonical), not one story.
        if candidate and (
            same_text(candidate["headline"], article.headline)
            or candidate["content_hash"] == article.content_hash
        ):
            return candidate, False
    for candidate in _at_other_spellings(conn, spellings):
        # The page at the other scheme, or with(out) a trailing slash: the same page when its
        # headline or text agrees (a short brief has no canonical and too few words for the
        # text to identify it).
        if _agrees(candidate, article):
            return candidate, True
    if same_text_too:
        # Different articles can share one text (a paywall notice under each headline): the
        # headline must agree too, as on the canonical path.
        row = one(
            conn,
            "SELECT * FROM articles WHERE content_hash = ? ORDER BY id LIMIT 1",
            [article.content_hash],
        )
        if row is not None and same_text(row["headline"], article.headline):
            return row, False
    return None, False


def _agrees(row: dict[str, Any], article: Article) -> bool:
    """Whether a stored record and an extraction of a page at one of its addresses are the
    same article: the same headline, the same text, or a text edited since (an update
    rewrites the headline and a paragraph or two: the two bodies are near-duplicates)."""
    return (
        same_text(row["headline"], article.headline)
        or (bool(article.content_hash) and row["content_hash"] == article.content_hash)
        or same_story_text(row["body"], row["content_hash"], article.body, article.content_hash)
    )


# A site's own host names for one page: the bare domain, "www." and the mobile host.
_HOST_TWINS = ("www.", "m.", "mobile.")
# A folder's index page, which the server also gives for the folder's own address.
_INDEX_FILE = re.compile(r"/(?:index|default)\.(?:html?|shtml|php|aspx?)$", re.IGNORECASE)


def other_spellings(url: str) -> list[str]:
    """``url`` (normalized) with the other of http/https, its host with or without "www."
    or as the site's mobile host ("m."), with or without a trailing slash on its path or a
    folder's ``index.html``, its path's letters beyond ASCII written out or percent-encoded,
    and each combination: addresses that nearly always lead to the same page (which is why
    a match there still needs the headline or the text to agree)."""
    parts = urlsplit(url)
    schemes = [parts.scheme, {"http": "https", "https": "http"}.get(parts.scheme, parts.scheme)]
    paths = _path_spellings(parts.path)
    folder = _INDEX_FILE.sub("/", parts.path)
    if folder != parts.path:
        paths += [folder, folder.rstrip("/") or "/"]
    elif parts.path not in ("", "/"):
        paths += [p[:-1] if p.endswith("/") else p + "/" for p in paths]
        if parts.path.endswith("/"):  # a folder: its index page is the same page
            paths += [p + "index.html" for p in paths if p.endswith("/")]
    spellings = [
        _unsplit(scheme, host, path, parts.query)
        for scheme in dict.fromkeys(schemes)
        for host in _host_spellings(parts.netloc)
        for path in dict.fromkeys(paths)
    ]
    return [spelling for spelling in spellings if spelling != url]


def _unsplit(scheme: str, netloc: str, path: str, query: str) -> str:
    """``urlunsplit((scheme, netloc, path, query, ""))`` for the str parts of an absolute
    address, in a fraction of its time: a new article of a batch asks for a dozen spellings
    or more (and the store's writer is one process for all the batch's workers)."""
    if netloc or (scheme and scheme in uses_netloc and path[:2] != "//"):
        if path and path[:1] != "/":
            path = "/" + path
        path = "//" + netloc + path
    if scheme:
        path = scheme + ":" + path
    return path + "?" + query if query else path


def _host_spellings(netloc: str) -> list[str]:
    """``netloc``, then the same site's other host names for a page: with "www." added or
    taken away, and its mobile host. An address (an IP) has none; nor has a bare host of
    one label."""
    bare = netloc
    for twin in _HOST_TWINS:
        if netloc.startswith(twin):
            bare = netloc[len(twin) :]
            break
    host = bare.rsplit(":", 1)[0] if not bare.endswith("]") else bare
    if "." not in host or host.replace(".", "").isdigit() or host.startswith("["):
        return [netloc]
    return list(dict.fromkeys([netloc, bare, f"www.{bare}", f"m.{bare}"]))


def _path_spellings(path: str) -> list[str]:
    """``path``, and the same path with its letters beyond ASCII percent-encoded as UTF-8
    (what a browser sends) or written out (what a link or a pasted address shows): one page,
    two spellings that browsers and feeds use interchangeably."""
    if path.isascii() and "%" not in path:
        return [path]
    quoted = quote(path, safe=_PATH_SAFE)
    encoded = _ESCAPE.sub(lambda m: m.group().upper(), quoted)
    lower = _ESCAPE.sub(lambda m: m.group().lower(), quoted)  # as some sites write them
    written = _NON_ASCII_ESCAPES.sub(_written_out, encoded)
    return list(dict.fromkeys([path, encoded, lower, written]))


def _written_out(escapes: re.Match[str]) -> str:
    """A run of percent-escapes as the text it encodes in UTF-8 (kept when it is none)."""
    try:
        return unquote(escapes.group(), errors="strict")
    except UnicodeDecodeError:
        return escapes.group()


def _anything_known(
    conn: sqlite3.Connection, addresses: list[str | None], content_hash: str | None
) -> bool:
    """Whether any of ``addresses`` is an archived record's address or alias (of any kind),
    or a record has the text of ``content_hash``: what each of :func:`find_record`'s
    lookups needs to find anything."""
    known = list(dict.fromkeys(address for address in addresses if address))
    marks = ", ".join("?" * len(known))
    sql = (
        f"SELECT EXISTS (SELECT 1 FROM articles WHERE url IN ({marks}))"
        f" OR EXISTS (SELECT 1 FROM article_urls WHERE url IN ({marks}))"
    )
    params = [*known, *known]
    if content_hash:
        sql += " OR EXISTS (SELECT 1 FROM articles WHERE content_hash = ?)"
        params.append(content_hash)
    return bool(conn.execute(sql, params).fetchone()[0])


def _at_other_spellings(conn: sqlite3.Connection, spellings: list[str]) -> list[dict[str, Any]]:
    """The records at an address's other ``spellings``, as address or identifying alias
    (one statement for all of them)."""
    marks = ", ".join("?" * len(spellings))
    kinds = ", ".join("?" * len(IDENTITY_ALIASES))
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    found = [
        dict(row)
        for row in cursor.execute(
            f"SELECT * FROM articles WHERE url IN ({marks})"
            " UNION SELECT a.* FROM article_urls u JOIN articles a ON a.id = u.article_id"
            f" WHERE u.url IN ({marks}) AND u.kind IN ({kinds})",
            [*spellings, *spellings, *IDENTITY_ALIASES],
        )
    ]
    return sorted(found, key=lambda row: row["id"])


def _by_alias(conn: sqlite3.Connection, url: str) -> tuple[dict[str, Any] | None, str | None]:
    """The record an identifying alias leads to, and the alias's kind."""
    kinds = ", ".join("?" * len(IDENTITY_ALIASES))
    row = one(
        conn,
        "SELECT a.*, u.kind AS alias_kind FROM article_urls u"
        " JOIN articles a ON a.id = u.article_id"
        f" WHERE u.url = ? AND u.kind IN ({kinds})",
        [url, *IDENTITY_ALIASES],
    )
    if row is None:
        return None, None
    return row, row.pop("alias_kind")


def same_text(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
