"""A live blog's updates, opened up so the extractor reads them all, with their titles.

A live blog shows its updates one after the other in a common container, newest first: each
an ``<article>``, a ``<div class="update|entry|post">`` or a list item, with its time, often a
title, its text and its own share buttons. trafilatura takes the page's first ``<article>`` for
the story: it returns the newest update alone, or, when that one is short, falls back to the
loose paragraphs of the whole page, which never include headings; a title in a list item is
folded into the item's line, and one set in a ``<strong>`` or a ``<div class="title">`` is no
heading to it. Each update's time is a short line of its own that trafilatura keeps for some
updates and drops for others.

A page is a live blog when it says so: schema.org ``LiveBlogPosting``, or its headline, title
or address does ("UK riots live:", "LIVE UPDATES", "Liveticker", "EN DIRECT", "en directo",
"AO VIVO", "+++", ``/live/``: ``marked``) *and* it shows a run of updates (``find_updates``):
two or more sibling elements of one tag, each with a time of its own (a ``<time>``, or a short
element whose class names a time, date or minute) and none a teaser (a linked heading, mostly
link text) or in a part that lists other stories or comments (``stamps.other_part``, asides).
The words alone are not enough ("Watch live:", "Live music returns"), and the structure alone
is not either (an infinite scroll of stories, a timeline explainer, a "latest news" box).

On a live blog, newsarc.extractor.liveopen opens the updates for the body. The times read
for the dates (``update_times``) are the updates' full dates only (a ``datetime``, a
``data-time``, or a text with a day), never a bare "14:32": the newest is the blog's
``modified`` when the page declares none, and its first update is its publication when the
page declares no date (``first_posted``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

import lxml.html

from newsarc.extractor.dates import When, parse_date, plausible
from newsarc.extractor.stamps import other_part

_MIN_UPDATES = 2  # sibling elements that make a run of updates
# Words of a headline or title that call the page a live blog (read case-insensitively, but
# for the capitalised LIVE and the German "+++ ... +++" ticker title).
_LIVE_WORDS = re.compile(
    r"\blive\s*(?:[:|]|-?updates?\b|-?blog\b|-?ticker\b|coverage\b|results?\b|report\b"
    r"|minute|text\b|commentary\b|scores?\b)|\blive-?(?:ticker|blog)|\bnewsblog\b"
    r"|\bas it happened\b|\bminute[- ]by[- ]minute\b|\blatest\s*:|\blatest updates\b"
    r"|\ben direct\b|(?:^|[|:])\s*direct\b\s*[.:|]|\ben (?:directo|vivo)\b|\bminuto a minuto\b"
    r"|\bao vivo\b|\bem tempo real\b|\bin diretta\b|\bdiretta\s*[:|]|\bim ticker\b"
    r"|\bna żywo\b|\bcanlı\b|\bв прямом эфире\b|\bонлайн-трансляция\b"
    r"|随時更新|速報中|ライブ中継|直播|实时更新|實時更新|滚动更新|실시간|라이브",
    re.IGNORECASE,
)
# A letter run that every match of _LIVE_WORDS, _LIVE_CAPS and _LIVE_PATH holds, lower-cased.
_KEYS = (
    "live", "direct", "vivo", "diretta", "ticker", "newsblog", "happened", "minute", "minuto",
    "latest", "tempo real", "żywo", "canlı", "canli", "эфир", "онлайн", "+++", "随時更新",
    "速報中", "ライブ", "直播", "时更新", "時更新", "滚动更新", "실시간", "라이브",
)  # fmt: skip
_LIVE_CAPS = re.compile(r"\bLIVE\b|\bDIRECT\b|\bDIRETTA\b|\+\+\+")
# An address that names a live page: a /live/ folder, or a slug with live, liveblog, ticker...
# ("direct" only as a slug's first word: "-to-direct" is a verb)
_LIVE_PATH = re.compile(
    r"/live/|/direct[-_]|[-_/](?:live|liveblog|live-blog|liveticker|live-ticker|live-updates"
    r"|newsblog|en-direct|en-directo|en-vivo|ao-vivo|diretta|minute-by-minute|as-it-happened)"
    r"(?:[-_./,~]|$)",
    re.IGNORECASE,
)
_UPDATE_TAGS = frozenset({"article", "div", "li", "section"})
# A class word (between -, _ or spaces) of an element that shows a time, a date or a minute.
_TIME_CLASS = re.compile(
    r"(?:^|[\s_-])(?:time|date|timestamp|datetime|minute|clock|hour|uhrzeit|heure|hora)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)
_TIME_WORDS = 8  # a time element's text is at most this long
_TITLE_CLASS = re.compile(r"(?:^|[\s_-])(?:title|headline|heading)(?:$|[\s_-])", re.IGNORECASE)
_TITLE_WORDS = 25
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_OTHER_TAGS = frozenset({"aside", "nav"})
# Class or id words of the readers' parts that stamps.OTHER_PARTS does not name.
_READERS = re.compile(r"respons|repl(?:y|ies)|discussion|forum|review|guestbook", re.IGNORECASE)
_MIN_TEXT_WORDS = 8  # an update (at least two of the run) has this many words of its own
# Letters of the scripts written without spaces (Chinese, Japanese, Korean): two make a word.
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def marked(url: str, *texts: str | None) -> bool:
    """Whether the page's address or one of ``texts`` (its headline, title) calls it a live
    blog: cheap string checks, run on every page."""
    # The regular expressions cost 20 µs a text; a page without one of these letter runs in
    # its headline, title and address (nearly all pages) is settled by substring tests.
    folded = " ".join(text for text in (url, *texts) if text).lower()
    if not any(key in folded for key in _KEYS):
        return False
    for text in texts:
        if text and (_LIVE_WORDS.search(text) or _LIVE_CAPS.search(text)):
            return True
    path = url.split("://", 1)[-1]
    return bool(_LIVE_PATH.search(path[path.find("/") :] if "/" in path else ""))


@dataclass
class Updates:
    """A live blog's run of updates (page order) and, for each, its time elements."""

    members: list[lxml.html.HtmlElement]
    times: list[list[lxml.html.HtmlElement]]


def find_updates(tree: lxml.html.HtmlElement) -> Updates | None:
    """The page's run of live updates (see the module docstring), or None when it has none.

    One walk over the page finds the time elements; the run is the largest group of sibling
    elements of one tag that each hold one, counting the groups of the same tag and class
    elsewhere with it (a live blog that groups its updates by day), the shallowest of equal
    groups (a pair of dated parts inside one update is no run).
    """
    body = next(tree.iter("body"), tree)
    holders: dict[lxml.html.HtmlElement, list[lxml.html.HtmlElement]] = {}
    for element in body.iter():
        if isinstance(element.tag, str) and _time_like(element):
            parent = element.getparent()
            child = element
            while parent is not None and child is not body:
                holders.setdefault(child, []).append(element)
                child, parent = parent, parent.getparent()
    groups: dict[tuple[lxml.html.HtmlElement, str], list[lxml.html.HtmlElement]] = {}
    for holder in holders:
        parent = holder.getparent()
        if holder.tag in _UPDATE_TAGS and parent is not None:
            groups.setdefault((parent, holder.tag), []).append(holder)
    kinds: dict[tuple[str, str | None], int] = {}
    for run in groups.values():
        kinds[_kind(run[0])] = kinds.get(_kind(run[0]), 0) + len(run)

    def rank(run: list[lxml.html.HtmlElement]) -> tuple[int, int]:
        kind = _kind(run[0])
        size = kinds[kind] if kind[1] is not None else len(run)
        return -size, sum(1 for _ in run[0].iterancestors())

    runs = sorted((run for run in groups.values() if len(run) >= _MIN_UPDATES), key=rank)
    best = next((run for run in runs if _updates(run, body)), None)
    if best is None:
        return None
    members = [m for m in _same_kind(best, groups) if m in holders]
    return Updates(members, [[t for t in holders[m] if _outermost(t, m)] for m in members])


def _time_like(element: lxml.html.HtmlElement) -> bool:
    """A ``<time>``, or a short element with a digit whose class names a time or a date."""
    if element.tag != "time" and not _TIME_CLASS.search(element.get("class") or ""):
        return False
    text = element.text_content()
    if len(text.split()) > _TIME_WORDS:
        return False
    return element.tag == "time" or any(c.isdigit() for c in text) or _dated(element)


def _dated(element: lxml.html.HtmlElement) -> bool:
    return any(element.get(a) for a in ("datetime", "data-time", "data-timestamp", "title"))


def _outermost(time: lxml.html.HtmlElement, member: lxml.html.HtmlElement) -> bool:
    """Whether ``time`` is not inside another time element of ``member``."""
    for ancestor in time.iterancestors():
        if ancestor is member:
            return True
        if _time_like(ancestor):
            return False
    return True


def _kind(element: lxml.html.HtmlElement) -> tuple[str, str | None]:
    return element.tag, element.get("class")


def _updates(run: list[lxml.html.HtmlElement], body: lxml.html.HtmlElement) -> bool:
    """Whether ``run`` reads as live updates: not in an aside, a nav or a list of other
    stories or readers' comments, no teasers among them, two or more with text of their own,
    and, when none has a title, most of the page's paragraphs (untitled dated posts under an
    article are its readers')."""
    first = run[0]
    for ancestor in first.iterancestors():
        if ancestor.tag in ("body", "html"):
            break
        if ancestor.tag in _OTHER_TAGS or _elsewhere(ancestor):
            return False
    substantial = 0
    for member in run:
        if _elsewhere(member) or _teaser(member):
            return False
        links = sum(_words(a.text_content()) for a in member.iter("a"))
        if _words(member.text_content()) - links >= _MIN_TEXT_WORDS:
            substantial += 1
    if substantial < _MIN_UPDATES:
        return False
    return any(title_of(member) is not None for member in run) or _most_text(run, body)


def _words(text: str) -> int:
    """Words by spacing; in Chinese, Japanese and Korean, every two letters count as one more."""
    words = len(text.split())
    return words if text.isascii() else words + len(_CJK.findall(text)) // 2


def _elsewhere(element: lxml.html.HtmlElement) -> bool:
    """A part that lists other stories or holds readers' comments, responses or a forum."""
    return other_part(element) or bool(
        _READERS.search(element.get("class") or "") or _READERS.search(element.get("id") or "")
    )


def _most_text(run: list[lxml.html.HtmlElement], body: lxml.html.HtmlElement) -> bool:
    """Whether ``run``'s paragraphs hold twice the words of the page's other paragraphs."""
    inside = {p for member in run for p in member.iter("p")}
    words = [0, 0]
    for paragraph in body.iter("p"):
        words[paragraph in inside] += _words(paragraph.text_content())
    return words[1] >= 2 * words[0]


def title_of(member: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The update's heading, or its short element with a title class; None without one."""
    heading = next(member.iter(*HEADINGS), None)
    if heading is not None:
        return heading
    for element in member.iterdescendants():
        if not isinstance(element.tag, str) or element.tag == "a":
            continue
        if _TITLE_CLASS.search(element.get("class") or ""):
            words = len(element.text_content().split())
            if (
                0 < words <= _TITLE_WORDS
                and next(element.iterdescendants("p", "div"), None) is None
            ):
                return element
            return None
    return None


def _teaser(member: lxml.html.HtmlElement) -> bool:
    """A card of another story: its heading is a link, or its text is mostly link text."""
    for heading in member.iter(*HEADINGS):
        if next(heading.iter("a"), None) is not None or any(
            a.tag == "a" for a in heading.iterancestors()
        ):
            return True
    words = _words(member.text_content())
    links = sum(_words(a.text_content()) for a in member.iter("a"))
    return words > 0 and links * 2 > words


def _same_kind(
    best: list[lxml.html.HtmlElement],
    groups: dict[tuple[lxml.html.HtmlElement, str], list[lxml.html.HtmlElement]],
) -> list[lxml.html.HtmlElement]:
    """``best`` and the other groups of the same tag and class, in page order."""
    tag, cls = best[0].tag, best[0].get("class")
    if cls is None:
        return best
    found: list[lxml.html.HtmlElement] = []
    for (_, group_tag), run in groups.items():
        if run is best or (group_tag == tag and run[0].get("class") == cls):
            found.extend(run)
    order = {e: i for i, e in enumerate(best[0].getroottree().getroot().iter(tag))}
    return sorted(found, key=lambda e: order.get(e, 0))


def update_times(updates: Updates | None, now: datetime | None = None) -> list[When]:
    """The plausible full dates (a day, with or without a time) of ``updates``, one per update
    that shows one: the first of its time elements' ``datetime``/``data-time``/``title``
    values, else the words of all its time elements together ("March 16, 2024" "4:12 pm")."""
    found: list[When] = []
    if updates is None:
        return found
    for times in updates.times:
        when = _when(times)
        if when is not None and plausible(when, now):
            found.append(when)
    return found


def first_posted(published: str | None, times: Sequence[When]) -> str | None:
    """The live blog's publication date: ``published`` as the page declares it, unless it is
    the time of one of its later updates (read from the first ``<time>`` under the headline,
    the newest update's): then, as when the page gives none, its first update's time."""
    if not times:
        return published
    first = min(times, key=_instant)
    when = parse_date(published) if published else None
    if when is None or any(_instant(t) == _instant(when) for t in times):
        return first.iso()
    return published


def newest(times: Sequence[When]) -> When | None:
    """The newest of ``times`` (a live blog's last update), None when there are none."""
    return max(times, key=_instant) if times else None


def _instant(when: When) -> datetime:
    """A moment to order dates by: one without an offset read as UTC, a day as its start."""
    value = when.value
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _when(times: Sequence[lxml.html.HtmlElement]) -> When | None:
    for element in times:
        for node in element.iter():
            for name in ("datetime", "data-time", "data-timestamp", "title", "content"):
                when = parse_date(node.get(name))
                if when is not None:
                    return when
    return parse_date(" ".join(" ".join(t.text_content().split()) for t in times))


def open_updates(articles: Iterable[lxml.html.HtmlElement]) -> int:
    """Retag as ``<section>`` every one of ``articles`` (a live blog's ``<article>`` elements)
    that has another ``<article>`` for a sibling and no ``<h1>`` inside (the one that holds the
    headline is the whole story, not an update); returns how many were retagged."""
    runs: dict[lxml.html.HtmlElement, list[lxml.html.HtmlElement]] = {}
    for article in articles:
        parent = article.getparent()
        if parent is not None and article.tag == "article":
            runs.setdefault(parent, []).append(article)
    opened = 0
    for run in runs.values():
        if len(run) < _MIN_UPDATES:
            continue
        for article in run:
            if next(article.iter("h1"), None) is None:
                article.tag = "section"
                opened += 1
    return opened
