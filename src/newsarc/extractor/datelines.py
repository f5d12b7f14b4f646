"""Dates written out in the dateline under the headline, when the markup states none.

Many sites declare no date in their markup and show it only as text between the headline and
the story: "Published 5 March 2024, 14:30 GMT", "Veröffentlicht: 05.03.2024, 14:30 Uhr",
"Publié le 5 mars 2024 à 14h30", "5 de marzo de 2024", "March 5, 2024 2:30 p.m. ET",
"9:41 AM EDT, Tue October 8, 2024", "2024年3月5日 14時30分". htmldate finds the day of most of
them but drops the time, and misses some forms (a Spanish "de", a time before the day).

Only the text between the ``<h1>`` and the first paragraph of running text is read (the
byline and dateline zone), without asides, navigation and teasers: a date further down is a
date the story mentions. A date labelled as an update ("Updated", "Aktualisiert", "mis à jour",
"Actualizado") is the update time, never the publication. A zone is kept only when the text
names it (GMT, CET, EDT; ET/CT/MT/PT as the US zone at that date, summer time or not); a
local time without one stays without an offset. Numeric dates with slashes are read
month-first on pages in US English (``lang="en-US"``), day-first elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import lxml.html

from newsarc.extractor.authors import LEAD_WORDS
from newsarc.extractor.dates import MONTHS, ZONES, When
from newsarc.extractor.stamps import OTHER_PARTS

_ZONE_TEXT_CHARS = 400  # a dateline zone longer than this is past the byline
_PROSE_WORDS = 20  # a paragraph with this many words is the story's text
_SKIP = frozenset({"script", "style", "noscript", "template", "aside", "nav", "figure", "button"})
_US_ZONES = {"et": "America/New_York", "ct": "America/Chicago", "mt": "America/Denver",
             "pt": "America/Los_Angeles"}  # fmt: skip

_MONTH = r"(?P<mon>[^\W\d_]{3,10})\.?"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_DAY_FIRST = rf"\b(?P<d>[0-3]?\d)(?:\.|er|º)?\s+(?:de\s+)?{_MONTH}\s+(?:de\s+)?{_YEAR}\b"
_MONTH_FIRST = rf"\b{_MONTH}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+{_YEAR}\b"
_CJK = r"(?P<y>(?:19|20)\d\d)\s?年\s?(?P<m>[01]?\d)\s?月\s?(?P<d>[0-3]?\d)\s?日"
_DOTTED = r"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)\d\d)\b"
_SLASHED = r"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>(?:19|20)\d\d)\b"
_ISO_DAY = r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"
_DAYS = [re.compile(form) for form in (_DAY_FIRST, _MONTH_FIRST, _CJK, _DOTTED, _SLASHED, _ISO_DAY)]
_TIME = (
    r"(?P<H>[0-2]?\d)(?:[:.h]|\s?時\s?)(?P<M>[0-5]\d)(?:\s?分)?"
    r"(?:\s*(?P<ampm>[aApP])\.?\s?[mM]\b\.?)?(?:\s*Uhr\b)?"
    r"(?:\s*\(?(?P<zone>[A-Z]{1,5})\b\)?)?"
)
# what may stand between a day and its time: commas, bars, "at", "à", "um", "a las", "-"
_JOIN = r"(?:[\s,|·•–—-]|\([^)]{1,3}\))*(?:(?:at|à|a las|alle|um|om|kl\.)\s+)?"
_TIME_AFTER = re.compile(_JOIN + _TIME)
_TIME_BEFORE = re.compile(_TIME + r"[\s,|·•–—-]*(?:[^\W\d_]{3,9}\.?,?\s+)?$")
_PUBLISHED_LABEL = re.compile(
    r"\b(?:published|posted|on|publié|publiée|mis en ligne|veröffentlicht|erschienen|publicado"
    r"|pubblicato|gepubliceerd|opublikowano)\b[^0-9]{0,25}$",
    re.IGNORECASE,
)
# Class names of the elements that hold a date: a dateline, a timestamp, a byline's meta line.
_DATE_CLASS = re.compile(
    r"date|time|stamp|fecha|datum|publi|posted|byline|meta|signature|author", re.IGNORECASE
)
_BYLINE_CHARS = 160
_UPDATE_LABEL = re.compile(
    r"(?:updated?|last modified|modified|aktualisiert|stand|mis à jour|mise à jour|modifié"
    r"|actualizado|actualización|aggiornato|bijgewerkt|atualizado)\b[^0-9]{0,25}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Dateline:
    """What the dateline zone says: when the article was published and last updated."""

    published: When | None
    updated: When | None


def read_dateline(tree: lxml.html.HtmlElement) -> Dateline:
    """The dates written in the zone under the page's headline ``<h1>`` (see the module
    docstring); both None when there is no heading or no date there. A publication date
    counts only when something vouches for it: its time, a label ("Published", "Posted",
    "Veröffentlicht", "Publié"...), or an element whose class names a date or a byline or
    whose text is a byline ("By Jane Morrow | 5 March 2024"); a bare "Vote set for 12 April
    2024" under the headline is a standfirst's mention."""
    h1 = _headline(tree)
    if h1 is None:
        return Dateline(None, None)
    text, hinted = _zone(h1)
    us = _us_english(tree)
    published = updated = None
    for start, when in _dates_in(text, us):
        before = text[max(0, start - 40) : start]
        if _UPDATE_LABEL.search(before):
            updated = updated or when
        elif published is None and (
            when.has_time
            or _PUBLISHED_LABEL.search(before)
            or any(s <= start < e for s, e in hinted)
        ):
            published = when
    return Dateline(published, updated)


def _headline(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The ``<h1>`` with the longest text outside navigation and asides (a masthead's logo is
    an ``<h1>`` on some sites, above the article's)."""
    best: lxml.html.HtmlElement | None = None
    longest = -1
    for h1 in tree.iter("h1"):
        if any(a.tag in ("nav", "aside") for a in h1.iterancestors()):
            continue
        length = len(h1.text_content().strip())
        if length > longest:
            best, longest = h1, length
    return best


def _us_english(tree: lxml.html.HtmlElement) -> bool:
    return (tree.get("lang") or "").strip().lower().replace("_", "-") == "en-us"


# (text, whether an element around it names a date or byline by its class)
_Pieces = list[tuple[str, bool]]


def _zone(h1: lxml.html.HtmlElement) -> tuple[str, list[tuple[int, int]]]:
    """The text after ``h1`` up to the first paragraph of running text, at most
    ``_ZONE_TEXT_CHARS`` characters, and the spans of it in elements of a date class."""
    pieces: _Pieces = [(h1.tail or "", False)]
    node: lxml.html.HtmlElement | None = h1
    done = False
    while node is not None and not done:
        for sibling in node.itersiblings():
            if _collect(sibling, pieces, False):
                done = True
                break
        node = node.getparent()
        if node is not None and node.tag == "body":
            break
    text = ""
    spans: list[tuple[int, int]] = []
    for piece, hinted in pieces:
        piece = " ".join(piece.split())
        if not piece:
            continue
        text += " " if text else ""
        if hinted:
            spans.append((len(text), len(text) + len(piece)))
        text += piece
    return text[:_ZONE_TEXT_CHARS], spans


def _collect(element: lxml.html.HtmlElement, pieces: _Pieces, hinted: bool) -> bool:
    """Add ``element``'s text to ``pieces``; True once the story's text (or enough) is
    reached. ``hinted``: an element around it has a date class."""
    if (
        not isinstance(element.tag, str)
        or element.tag in _SKIP
        or OTHER_PARTS.search(element.get("class") or "")
    ):
        pieces.append((element.tail or "", hinted))
        return False
    if element.tag == "p" and len(element.text_content().split()) >= _PROSE_WORDS:
        return True
    inside = hinted or bool(_DATE_CLASS.search(element.get("class") or ""))
    if not inside:  # a byline: "By Jane Morrow | 5 March 2024"
        own = element.text_content().strip()
        inside = len(own) <= _BYLINE_CHARS and bool(LEAD_WORDS.match(own))
    pieces.append((element.text or "", inside))
    for child in element:
        if _collect(child, pieces, inside):
            return True
    pieces.append((element.tail or "", hinted))
    return sum(len(p) for p, _ in pieces) >= _ZONE_TEXT_CHARS


def _dates_in(text: str, us: bool) -> list[tuple[int, When]]:
    """Every date of ``text`` with where it starts (its time's start when the time comes
    first), completed by the time written next to it."""
    found: list[tuple[int, int, When]] = []
    taken: list[tuple[int, int]] = []
    for form in _DAYS:
        for match in form.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            day = _day(match, us)
            if day is None:
                continue
            taken.append((match.start(), match.end()))
            when, start = _with_time(day, text, match.start(), match.end())
            found.append((start, match.end(), when))
    return [(start, when) for start, _, when in sorted(found, key=lambda f: f[0])]


def _day(match: re.Match[str], us: bool) -> datetime | None:
    g = match.groupdict()
    if g.get("mon"):
        month = MONTHS.get(g["mon"].lower())
    elif g.get("a"):
        first, second = int(g["a"]), int(g["b"])
        month, g["d"] = (first, g["b"]) if us else (second, g["a"])
    else:
        month = int(g["m"])
    if month is None:
        return None
    try:
        return datetime(int(g["y"]), month, int(g["d"]))
    except ValueError:
        return None


def _with_time(day: datetime, text: str, start: int, end: int) -> tuple[When, int]:
    """``day`` with the time written right after it (or right before it), else the day alone;
    and where the two start in ``text``."""
    window = max(0, start - 30)
    match = _TIME_AFTER.match(text, end)
    before = None if match else _TIME_BEFORE.search(text[window:start])
    if before is not None:
        match, start = before, window + before.start()
    return _timed(day, match), start


def _timed(day: datetime, match: re.Match[str] | None) -> When:
    """``day`` at the time ``match`` read, in the zone it names."""
    if match is None:
        return When(day, False)
    hour, minute = int(match["H"]), int(match["M"])
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return When(day, False)
        hour = hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
    if hour > 23:
        return When(day, False)
    local = day.replace(hour=hour, minute=minute)
    zone = (match["zone"] or "").lower()
    if zone in ZONES:
        return When(local.replace(tzinfo=timezone(timedelta(hours=ZONES[zone]))), True)
    if zone in _US_ZONES:
        try:
            offset = local.replace(tzinfo=ZoneInfo(_US_ZONES[zone])).utcoffset()
        except ZoneInfoNotFoundError:
            offset = None
        if offset is not None:
            return When(local.replace(tzinfo=timezone(offset)), True)
    return When(local, True)
