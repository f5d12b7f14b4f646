"""Dates written out in the dateline under the headline, when the markup states none.

Many sites declare no date in their markup and show it only as text between the headline and
the story: "Published 5 March 2024, 14:30 GMT", "Veröffentlicht: 05.03.2024, 14:30 Uhr",
"Publié le 5 mars 2024 à 14h30", "5 de marzo de 2024", "March 5, 2024 2:30 p.m. ET",
"9:41 AM EDT, Tue October 8, 2024", "2024年3月5日 14時30分", "입력 2024.03.05 14:30",
"5 марта 2024, 14:30", "٥ مارس ٢٠٢٤" (digits other than ASCII are read as theirs). htmldate
finds the day of most of them but drops the time, and misses some forms (a Spanish "de", a
time before the day). Others show a day in markup and its time only there: the dateline then
completes the declared day (newsarc.extractor.dates).

Only the text between the ``<h1>`` and the first paragraph of running text is read (the
byline and dateline zone), without asides, navigation and teasers: a date further down is a
date the story mentions. A date labelled as an update ("Updated", "Aktualisiert", "mis à jour",
"Actualizado", "Обновлено", "수정", "更新") is the update time, never the publication. A zone
is kept only when the text names it, as the page's region reads it (newsarc.extractor.
datezones: IST is India's on an Indian page, CST China's on a Chinese one); a local time
without one stays without an offset, unless a data attribute of its element gives the
instant as Unix time (``data-timestamp="1709634060"``). Numeric dates with slashes are read
in the order ``datezones.month_first`` finds for the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

import lxml.html

from newsarc.extractor.authors import LEAD_WORDS
from newsarc.extractor.dates import When
from newsarc.extractor.datewords import MONTHS
from newsarc.extractor.datezones import month_first, page_region, zone_offset
from newsarc.extractor.stamps import other_part

_ZONE_TEXT_CHARS = 400  # a dateline zone longer than this is past the byline
_PROSE_WORDS = 20  # a paragraph with this many words is the story's text
_SKIP = frozenset({"script", "style", "noscript", "template", "aside", "nav", "figure", "button"})

# A month's name: one word, or the Levantine two (كانون الثاني, تشرين الأول) or آب; either may
# be followed by its other name, as Arabic pages write them in pairs (مارس/آذار, آذار (مارس)).
_ONE_MONTH = r"(?:(?:كانون|تشرين)\s(?:الأول|الاول|الثاني)|[^\W\d_]{3,10}|آب|اب)"
_MONTH = rf"(?P<mon>{_ONE_MONTH})\.?(?:\s?/\s?{_ONE_MONTH}|\s\({_ONE_MONTH}\))?"
# the year, and the م (Gregorian) that Arabic pages may write after it
_YEAR = r"(?P<y>(?:19|20)\d\d)(?:\s?م(?!\w))?"
# "5 March 2024", "5. März 2024", "5 de marzo de 2024", "05.mar.2024"
_DAY_FIRST = rf"\b(?P<d>[0-3]?\d)(?:er|º)?(?:\.\s*|\s+)(?:de\s+)?{_MONTH}\s*(?:de\s+)?{_YEAR}\b"
_MONTH_FIRST = rf"\b{_MONTH}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+{_YEAR}\b"
_CJK = r"(?P<y>(?:19|20)\d\d)\s?年\s?(?P<m>[01]?\d)\s?月\s?(?P<d>[0-3]?\d)\s?日"
_DOTTED = r"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)\d\d)\b"
_SLASHED = r"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>(?:19|20)\d\d)\b"
# 2024-03-05, and the year-first forms of East Asia: 2024.03.05, 2024/03/05
_YEAR_FIRST = r"\b(?P<y>(?:19|20)\d\d)(?P<sep>[-./])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)\b"
_DAYS = [
    re.compile(form) for form in (_DAY_FIRST, _MONTH_FIRST, _CJK, _DOTTED, _SLASHED, _YEAR_FIRST)
]
_TIME = (
    r"(?P<H>[0-2]?\d)(?:[:.h]|\s?時\s?)(?P<M>[0-5]\d)(?:\s?分)?"
    r"(?:\s*(?P<ampm>[aApP])\.?\s?[mM]\b\.?)?(?:\s*Uhr\b)?"
    r"(?:\s*\(?(?P<zone>[A-Z]{1,5})\b\)?)?"
)
# what may stand between a day and its time: commas, bars, slashes, "at", "à", "um", "a las",
# "às", "в", "o", "saat", "-"
_JOIN = (
    r"(?:[\s,،|·•–—/-]|\([^)]{1,3}\))*"
    r"(?:(?:at|à|a las|alle|um|om|kl\.|às|ás|в|o|saat|godz\.)\s+)?"
)
_TIME_AFTER = re.compile(_JOIN + _TIME)
_TIME_BEFORE = re.compile(_TIME + r"[\s,|·•–—-]*(?:[^\W\d_]{3,9}\.?,?\s+)?$")
_PUBLISHED_LABEL = re.compile(
    r"(?:\b(?:published|posted|on|publié|publiée|mis en ligne|veröffentlicht|erschienen|publicado"
    r"|pubblicato|gepubliceerd|opublikowano|опубликовано|yayınlanma|yayın tarihi)\b"
    r"|発行|公開|配信|发布|發布|입력|등록|نُ?شر|تاريخ النشر)[^0-9]{0,25}$",
    re.IGNORECASE,
)
# Class names of the elements that hold a date: a dateline, a timestamp, a byline's meta line.
_DATE_CLASS = re.compile(
    r"date|time|stamp|fecha|datum|publi|posted|byline|meta|signature|author", re.IGNORECASE
)
_BYLINE_CHARS = 160
_UPDATE_LABEL = re.compile(
    r"(?:(?:updated?|last modified|modified|aktualisiert|stand|mis à jour|mise à jour|modifié"
    r"|actualizado|actualización|aggiornato|bijgewerkt|atualizado|aktualizacja|zaktualizowano"
    r"|обновлено|обновлен|изменено|оновлено|güncelleme|güncellenme|güncellendi)\b"
    r"|更新|修正|수정|업데이트|آخر تحديث|تحديث)[^0-9]{0,25}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Dateline:
    """What the dateline zone says: when the article was published and last updated."""

    published: When | None
    updated: When | None


def read_dateline(tree: lxml.html.HtmlElement, url: str = "") -> Dateline:
    """The dates written in the zone under the page's headline ``<h1>`` (see the module
    docstring); both None when there is no heading or no date there. A publication date
    counts only when something vouches for it: its time, a label ("Published", "Posted",
    "Veröffentlicht", "Publié"...), or an element whose class names a date or a byline or
    whose text is a byline ("By Jane Morrow | 5 March 2024"); a bare "Vote set for 12 April
    2024" under the headline is a standfirst's mention, and so is one with its time or a
    label in a sentence ("Polls open on 12 April 2024 at 7:00 across the district").
    ``url``, the page's address, may tell the order of a slashed date
    (``datezones.month_first``)."""
    h1 = _headline(tree)
    if h1 is None:
        return Dateline(None, None)
    zone = _zone(h1)
    text = zone.text
    region = page_region(tree)
    reading = _Reading(region, "/" in text and month_first(text, region, url))
    published = updated = None
    for start, end, when in _dates_in(text, reading):
        before = text[max(0, start - 40) : start]
        if _UPDATE_LABEL.search(before):
            updated = updated or zone.exact(start, when)
        elif published is None and (
            (
                (when.has_time or _PUBLISHED_LABEL.search(before))
                and not zone.in_sentence(start, end)
            )
            or any(s <= start < e for s, e in zone.hinted)
        ):
            published = zone.exact(start, when)
    return Dateline(published, updated)


@dataclass(frozen=True)
class _Reading:
    """How to read this page's dateline: its region (for zone abbreviations) and whether its
    slashed dates are written month-first."""

    region: str
    month_first: bool


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


# (text, whether an element around it names a date or byline by its class, the Unix time a
# data attribute of its element gives)
_Pieces = list[tuple[str, bool, datetime | None]]
# Digits other than ASCII that datelines are written in: Arabic-Indic, Persian, full-width.
_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９", "0123456789" * 3
)  # fmt: skip
_EPOCH = re.compile(r"\d{10}(?:\d{3})?")
_EPOCH_DAYS = 1  # a data attribute's instant is the date's when this near its day (any zone)
_SENTENCE_WORDS = 4  # a date with its time among more words is one a sentence mentions


@dataclass(frozen=True)
class _Zone:
    """The dateline zone's text, the spans of it in elements of a date class, and the Unix
    times data attributes give, each with where its element's text starts."""

    text: str
    hinted: list[tuple[int, int]]
    stamps: list[tuple[int, datetime]]
    texts: list[tuple[int, int]]  # the spans of its text nodes

    def in_sentence(self, start: int, end: int) -> bool:
        """Whether the date written from ``start`` to ``end`` stands in a sentence: its text
        node has more than ``_SENTENCE_WORDS`` other words ("Madrid, 5 March 2024, 14:30" and
        "Tue 5 Mar 2024 14.30 GMT" have one; figures and signs are no words)."""
        for s, e in self.texts:
            if s <= start < e:
                rest = self.text[s:start] + " " + self.text[min(end, e) : e]
                words = [w for w in rest.split() if any(c.isalpha() for c in w)]
                return len(words) > _SENTENCE_WORDS
        return False

    def exact(self, start: int, when: When) -> When:
        """``when``, the date written at ``start``, as the exact instant a data attribute
        of its element gives (``data-timestamp="1709634060"``) when the text gives no zone of
        its own and the instant falls on its day in some zone of the world."""
        if when.value.tzinfo is not None:
            return when
        for at, instant in self.stamps:
            if at <= start < at + 60 and abs((instant.date() - when.value.date()).days) <= (
                _EPOCH_DAYS
            ):
                if not when.has_time or instant.minute == when.value.minute:
                    return When(instant, True)
        return when


def _zone(h1: lxml.html.HtmlElement) -> _Zone:
    """The text after ``h1`` up to the first paragraph of running text, at most
    ``_ZONE_TEXT_CHARS`` characters, its digits in ASCII, and what ``_Zone`` holds of it."""
    pieces: _Pieces = [(h1.tail or "", False, None)]
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
    texts: list[tuple[int, int]] = []
    stamps: list[tuple[int, datetime]] = []
    for piece, hinted, stamp in pieces:
        if stamp is not None:
            stamps.append((len(text) + 1 if text else 0, stamp))
        piece = " ".join(piece.split())
        if not piece:
            continue
        text += " " if text else ""
        texts.append((len(text), len(text) + len(piece)))
        if hinted:
            spans.append(texts[-1])
        text += piece
    return _Zone(text[:_ZONE_TEXT_CHARS].translate(_DIGITS), spans, stamps, texts)


def _collect(element: lxml.html.HtmlElement, pieces: _Pieces, hinted: bool) -> bool:
    """Add ``element``'s text to ``pieces``; True once the story's text (or enough) is
    reached. ``hinted``: an element around it has a date class."""
    if not isinstance(element.tag, str) or element.tag in _SKIP or other_part(element):
        pieces.append((element.tail or "", hinted, None))
        return False
    if element.tag == "p" and len(element.text_content().split()) >= _PROSE_WORDS:
        return True
    inside = hinted or bool(_DATE_CLASS.search(element.get("class") or ""))
    if not inside:  # a byline: "By Jane Morrow | 5 March 2024"
        own = element.text_content().strip()
        inside = len(own) <= _BYLINE_CHARS and bool(LEAD_WORDS.match(own))
    pieces.append((element.text or "", inside, _stamp(element)))
    for child in element:
        if _collect(child, pieces, inside):
            return True
    pieces.append((element.tail or "", hinted, None))
    return sum(len(p) for p, _, _ in pieces) >= _ZONE_TEXT_CHARS


def _stamp(element: lxml.html.HtmlElement) -> datetime | None:
    """The instant a ``data-`` attribute of ``element`` gives as Unix time, in seconds or
    milliseconds (``data-timestamp="1709634060"``), as UTC; None when none does."""
    for name, value in element.attrib.items():
        if name.startswith("data-") and _EPOCH.fullmatch(value):
            return datetime.fromtimestamp(int(value[:10]), timezone.utc)
    return None


def _dates_in(text: str, reading: _Reading) -> list[tuple[int, int, When]]:
    """Every date of ``text`` with where it starts (its time's start when the time comes
    first) and ends (its time's end when the time follows), completed by the time written
    next to it."""
    found: list[tuple[int, int, When]] = []
    taken: list[tuple[int, int]] = []
    for form in _DAYS:
        for match in form.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            day = _day(match, reading.month_first)
            if day is None:
                continue
            taken.append((match.start(), match.end()))
            found.append((match.start(), match.end(), When(day, False)))
    found.sort(key=lambda f: f[0])
    timed: list[tuple[int, int, When]] = []
    used_until = 0  # a time is one date's: never also the time before the next date
    for start, end, when in found:
        when, start, end = _with_time(when.value, text, start, end, used_until, reading.region)
        used_until = max(used_until, end)
        timed.append((start, end, when))
    return sorted(timed, key=lambda f: f[0])


def _day(match: re.Match[str], month_first: bool) -> datetime | None:
    g = match.groupdict()
    if g.get("mon"):
        month = MONTHS.get(g["mon"].lower())
    elif g.get("a"):
        first, second = int(g["a"]), int(g["b"])
        month, g["d"] = (first, g["b"]) if month_first else (second, g["a"])
        if month > 12:  # 03/14/2024 on a page written day-first, or the other way round
            month, g["d"] = (second, g["a"]) if month_first else (first, g["b"])
    else:
        month = int(g["m"])
    if month is None:
        return None
    try:
        return datetime(int(g["y"]), month, int(g["d"]))
    except ValueError:
        return None


def _with_time(
    day: datetime, text: str, start: int, end: int, free_from: int, region: str
) -> tuple[When, int, int]:
    """``day`` with the time written right after it (or right before it, after
    ``free_from``), else the day alone; where the two start in ``text``, and where they
    end."""
    window = max(free_from, start - 30)
    match = _TIME_AFTER.match(text, end)
    if match is not None:
        return _timed(day, match, region), start, match.end()
    before = _TIME_BEFORE.search(text[window:start]) if window < start else None
    if before is not None:
        return _timed(day, before, region), window + before.start(), end
    return When(day, False), start, end


def _timed(day: datetime, match: re.Match[str], region: str) -> When:
    """``day`` at the time ``match`` read, in the zone it names."""
    hour, minute = int(match["H"]), int(match["M"])
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return When(day, False)
        hour = hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
    if hour > 23:
        return When(day, False)
    local = day.replace(hour=hour, minute=minute)
    offset = zone_offset(match["zone"], local, region) if match["zone"] else None
    return When(local.replace(tzinfo=offset) if offset else local, True)
