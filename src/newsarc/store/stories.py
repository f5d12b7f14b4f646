"""Linking near-duplicates into stories: band-key candidates, confirmed on the two bodies.

Band keys (``newsarc.dedupe.band_keys``) only find candidates: a pair shares a key with
probability 6 % even at an estimated similarity of 0.5. Each candidate (at most
``CANDIDATES``, those sharing the most keys) is confirmed on the two stored bodies: the exact
Jaccard similarity of their word 5-shingles must reach ``dedupe.THRESHOLD``, and one of:

- the headlines agree (``dedupe.headlines_agree``): the same story, perhaps re-titled a little;
- or, when the two are on different sites (``urls.same_site``) or one has no headline, the
  two bodies share at least ``MIN_SHARED`` shingles.

So one site's two pages under two headlines that disagree are never one story, and two sites'
pages are when their shared text is a story's length. The first holds for a story as a whole
(``_at_odds``): pairs are confirmed one at a time, and another site's copy of one stub shares
the notice with every other stub of the site, so without it they all joined its story.
This is the guard against boilerplate.
A paywall or subscription notice, a cookie wall or an "article unavailable" page is the same
text on many different articles of one site, under their own headlines; a teaser sentence in
front of it leaves the similarity of two such stubs near or above the threshold, and two
notices alone are identical. Similarity cannot tell those apart from a copy, and frequency in
the archive cannot either until many stubs have been seen (the first pair would be linked;
and a wire story re-titled by every paper that runs it is a text under many headlines too).
The headline and the site decide from the first pair on:

- One site does not publish one text under two unrelated headlines: among the real pages of
  the benchmarks (218 articles of 151 sites, 79 pairs of one site's articles), no such pair
  shares more than 25 shingles or has agreeing headlines. A long notice is the one text a
  site shows under many headlines, however long it is.
- Another site that re-titles a story is a copy (a scraper or aggregator, like the seed's
  copy, or a paper running a wire story under its own headline), when the shared text is
  longer than a notice (``MIN_SHARED``).
- A missing headline is no evidence of another article: the length rule applies.

What this leaves: a site that moves a story to a new address under an unrelated headline,
with no redirect or canonical link tying the two (``matching``), shows it twice in search
rather than hiding another article behind it; and one publisher's notice of more than
``MIN_SHARED`` words on two of its domains still links their stubs (sibling subdomains of one
registrable domain are one site for ``same_site``).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from newsarc.store.batch import story_candidates, story_of
from newsarc.store.connection import Conn
from newsarc.store.writes import writing

if TYPE_CHECKING:
    from newsarc.dedupe import U64

# Candidates confirmed per article: each costs one body read and one set intersection.
CANDIDATES = 3
# Distinct 5-shingles two differently titled bodies of two sites must share to be one story:
# about a 150-word passage, longer than the subscription notices and cookie walls seen in
# practice (the longest we met was 123 words) and shorter than almost every real news story.
MIN_SHARED = 150


def link_story(db: Conn, article_id: int, bands: Sequence[str], *, commit: bool = True) -> int:
    """Store an article's LSH band keys and join it to the story of its nearest earlier copy.

    The nearest copy is the confirmed candidate with the highest similarity (ties: the one
    sharing more band keys, then the oldest). Returns the story id: the id of the story's
    first article, or ``article_id`` itself when no candidate is confirmed. Calling it again
    (the article's text changed) replaces its band keys and its own story link.
    """
    with writing(db, commit) as conn:
        return _link(conn, article_id, bands, new=False)


def link_new_story(conn: sqlite3.Connection, article_id: int, bands: Sequence[str]) -> int:
    """``link_story`` for an article inserted in the caller's open write (no savepoint of its
    own): it has no band keys to replace and no story link to look up yet."""
    return _link(conn, article_id, bands, new=True)


def link_changed_story(conn: sqlite3.Connection, article_id: int, bands: Sequence[str]) -> int:
    """``link_story`` for an article whose text changed in the caller's open write."""
    return _link(conn, article_id, bands, new=False)


def _link(conn: sqlite3.Connection, article_id: int, bands: Sequence[str], *, new: bool) -> int:
    copies = [] if new else _copies_of(conn, article_id)
    if not copies:
        return _link_one(conn, article_id, bands, new=new)
    # The first article of a story, whose text changed: it stays the story's first, and each
    # copy, confirmed on the old text, is confirmed again on the new one; one that is not
    # any more is linked anew (to another story, or to none).
    conn.execute("DELETE FROM story_bands WHERE article_id = ?", [article_id])
    conn.executemany(
        "INSERT INTO story_bands (band, article_id) VALUES (?, ?)",
        [(key, article_id) for key in dict.fromkeys(bands)],
    )
    dropped = []
    for copy in copies:
        _, confirmed = _ranked(conn, copy, [article_id])
        if not confirmed:
            dropped.append(copy)
            conn.execute("DELETE FROM story_copies WHERE article_id = ?", [copy])
        else:
            conn.execute(
                "UPDATE story_copies SET similarity = ? WHERE article_id = ?",
                [round(confirmed[0][1], 3), copy],
            )
    # Only once none of them hangs on the old text: they may still be copies of each other.
    for copy in dropped:
        keys = [row[0] for row in conn.execute(
            "SELECT band FROM story_bands WHERE article_id = ?", [copy]
        )]  # fmt: skip
        _link_one(conn, copy, keys, new=False)
    return article_id


def _copies_of(conn: sqlite3.Connection, article_id: int) -> list[int]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT article_id FROM story_copies WHERE story_id = ? ORDER BY article_id",
            [article_id],
        )
    ]


def _link_one(conn: sqlite3.Connection, article_id: int, bands: Sequence[str], *, new: bool) -> int:
    keys = list(dict.fromkeys(bands))
    if not new:
        conn.execute("DELETE FROM story_bands WHERE article_id = ?", [article_id])
        conn.execute("DELETE FROM story_copies WHERE article_id = ?", [article_id])
    candidates = story_candidates(conn, keys, exclude=article_id, limit=CANDIDATES)
    if keys:
        conn.executemany(
            "INSERT INTO story_bands (band, article_id) VALUES (?, ?)",
            [(key, article_id) for key in keys],
        )
    joined = _story_to_join(conn, article_id, [candidate for candidate, _ in candidates])
    if joined is None:
        return article_id
    story, similarity = joined
    if story == article_id:  # the candidate is a copy of this article, the story's first
        return story
    conn.execute(
        "INSERT INTO story_copies (article_id, story_id, similarity) VALUES (?, ?, ?)",
        [article_id, story, round(similarity, 3)],
    )
    # Its own copies follow it: a story is one level deep.
    conn.execute("UPDATE story_copies SET story_id = ? WHERE story_id = ?", [story, article_id])
    return story


def _story_to_join(
    conn: sqlite3.Connection, article_id: int, candidates: list[int]
) -> tuple[int, float] | None:
    """The story of the most similar confirmed candidate that the article may join, with
    that similarity (the article's own id when the candidate is already its copy)."""
    mine, ranked = _ranked(conn, article_id, candidates)
    if mine is None:
        return None
    for candidate, similarity in ranked:
        story = story_of(conn, candidate)
        if story == article_id or not _at_odds(conn, mine, story):
            return story, similarity
    return None


def _at_odds(conn: sqlite3.Connection, mine: _Side, story: int) -> bool:
    """Whether the article (``mine``) may not join ``story``: one of the story's articles is
    on the article's site under a headline that disagrees with its own.

    Candidates are confirmed one pair at a time, so without this one site's stubs under
    their own headlines became one story through another site's copy of one of them: the
    copy shares the notice with each (module docstring).
    """
    from newsarc.dedupe import headlines_agree
    from newsarc.urls import same_site

    if not mine.headline.strip():
        return False
    members = conn.execute(
        "SELECT url, headline FROM articles WHERE id = ?1"
        " OR id IN (SELECT article_id FROM story_copies WHERE story_id = ?1)",
        [story],
    )
    return any(
        other_headline.strip()
        and same_site(mine.url, other_url)
        and not headlines_agree(mine.headline, other_headline)
        for other_url, other_headline in members
    )


def _ranked(
    conn: sqlite3.Connection, article_id: int, candidates: list[int]
) -> tuple[_Side | None, list[tuple[int, float]]]:
    """The article as compared, and the confirmed candidates with their exact similarity to
    it, most similar first (none, and the article unread, when there are no candidates)."""
    if not candidates:
        return None, []
    from newsarc.dedupe import shingles

    ids = [article_id, *candidates]
    marks = ", ".join("?" * len(ids))
    rows = {
        row[0]: row[1:]
        for row in conn.execute(
            f"SELECT id, url, headline, content_hash FROM articles WHERE id IN ({marks})", ids
        )
    }
    bodies = _bodies(conn, [i for i in ids if rows[i][2] not in _SHINGLES])
    url, headline, key = rows[article_id]
    mine = _Side(_shingles_of(key, bodies.get(article_id, ""), shingles), headline, url)
    confirmed = []
    for candidate in candidates:
        other_url, other_headline, other_key = rows[candidate]
        theirs = _shingles_of(other_key, bodies.get(candidate, ""), shingles)
        similarity = _confirmed(mine, _Side(theirs, other_headline, other_url))
        if similarity is not None:
            confirmed.append((candidate, similarity))
    return mine, sorted(confirmed, key=lambda pair: -pair[1])  # stable: ties keep the order


# The shingles of recent bodies, by content hash (which the shingles depend on alone: both
# fold case and spacing), up to _SHINGLES_BYTES of them. A story's first article is the
# candidate of each of its copies, and a new article the next copy's candidate: each body
# is shingled once, not once per comparison (that had doubled the writer's CPU in a batch of
# syndicated copies), and a batch's worker hands over the shingles it computed already.
_SHINGLES: OrderedDict[str, U64] = OrderedDict()
_SHINGLES_BYTES = 64 * 1024 * 1024
_SHINGLES_LOCK = threading.Lock()  # two threads may write to two archives
_held = [0]  # bytes in _SHINGLES


def forget_shingles() -> None:
    """Drop every remembered body's shingles."""
    with _SHINGLES_LOCK:
        _SHINGLES.clear()
        _held[0] = 0


def remember_shingles(key: str, found: U64) -> None:
    """Keep ``found``, the shingles of a body whose content hash is ``key`` (computed by
    ``dedupe.shingles`` or ``dedupe.fingerprint``), for the next confirmations."""
    if not key:
        return
    with _SHINGLES_LOCK:
        old = _SHINGLES.pop(key, None)
        _held[0] += found.nbytes - (old.nbytes if old is not None else 0)
        _SHINGLES[key] = found
        while _held[0] > _SHINGLES_BYTES and len(_SHINGLES) > 1:
            _, dropped = _SHINGLES.popitem(last=False)
            _held[0] -= dropped.nbytes


def _bodies(conn: sqlite3.Connection, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    return dict(conn.execute(f"SELECT id, body FROM articles WHERE id IN ({marks})", ids))


def _shingles_of(key: str | None, body: str, compute: Callable[[str], U64]) -> U64:
    """``compute(body)``, remembered by the body's content hash ``key``."""
    if not key:
        return compute(body)
    with _SHINGLES_LOCK:
        found = _SHINGLES.get(key)
        if found is not None:
            _SHINGLES.move_to_end(key)
            return found
    found = compute(body)
    remember_shingles(key, found)
    return found


def same_story_text(
    body: str | None, key: str | None, other_body: str | None, other_key: str | None
) -> bool:
    """Whether two bodies (with their content hashes, by which shingles are remembered) are
    near-duplicates: the exact Jaccard similarity of their 5-shingles reaches
    ``dedupe.THRESHOLD``. Short bodies never are (``dedupe.MIN_WORDS``)."""
    from newsarc.dedupe import THRESHOLD, overlap, shingles

    if not body or not other_body:
        return False
    mine = _shingles_of(key, body, shingles)
    theirs = _shingles_of(other_key, other_body, shingles)
    return overlap(mine, theirs).jaccard >= THRESHOLD


class _Side(NamedTuple):
    """One article of a candidate pair, as its confirmation sees it."""

    shingles: U64
    headline: str
    url: str


def _confirmed(one: _Side, other: _Side) -> float | None:
    """The two bodies' similarity if they are one story (module docstring), else None."""
    from newsarc.dedupe import THRESHOLD, headlines_agree, overlap
    from newsarc.urls import same_site

    shared, similarity = overlap(one.shingles, other.shingles)
    if similarity < THRESHOLD:
        return None
    if headlines_agree(one.headline, other.headline):
        return similarity
    if one.headline.strip() and other.headline.strip() and same_site(one.url, other.url):
        return None  # one site, two headlines: two articles over one stub (module docstring)
    if shared >= MIN_SHARED:
        return similarity
    return None
