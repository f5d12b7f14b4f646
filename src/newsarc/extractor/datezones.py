"""What a dateline's words mean on a given page: its zone abbreviations, and the order of a
numeric date written with slashes.

Both depend on where the page is from, which its ``lang`` attribute tells (``en-IN``,
``zh-CN``, ``en-US``), and on the rest of the dateline:

- A zone abbreviation most sites agree on (GMT, CET, EDT, JST: ``datewords.ZONES``) is read as such
  everywhere; ET/CT/MT/PT are the US zones at that date, summer time or not. IST and CST name
  several zones: IST is India's on a page from India (or in an Indian language), Ireland's on
  an Irish page, Israel's on an Israeli or Hebrew one; CST is China's on a Chinese page, the US
  Central zone on a US page. Anywhere else they give no offset: a time with an offset the page
  did not state is worse than a local time.
- ``03/05/2024`` is read month-first or day-first by, in order: the dateline's own other
  slashed dates when one can be read only one way (``03/14/2024``), a US zone named in the
  dateline on a page of no other region (a page that writes "2:30 PM ET" writes its days the
  US way), the day the page's address names (``/2024/03/05/``) when it is one of the two
  readings, and the page's region (month-first in the US); else day-first, as most of the
  world writes.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import lxml.html

from newsarc.extractor.datewords import ZONES

_US_ZONES = {"et": "America/New_York", "ct": "America/Chicago", "mt": "America/Denver",
             "pt": "America/Los_Angeles"}  # fmt: skip
# Abbreviations that name several zones: the offset in the regions where each is meant.
_REGIONAL_ZONES: dict[str, dict[str, float]] = {
    "ist": {"in": 5.5, "ie": 1, "il": 2},
    "cst": {"us": -6, "cn": 8, "tw": 8, "mo": 8, "cu": -5},
}
# The region a language without a region subtag stands for, where that is clear.
_LANGUAGE_REGIONS = {
    **dict.fromkeys(("hi", "mr", "ta", "te", "bn", "gu", "kn", "ml", "pa", "or", "as"), "in"),
    "he": "il",
    "iw": "il",
    "ga": "ie",
    "zh": "cn",
}
# Zones named after a time in the US way: "2:30 PM ET", "9:41 PM EST".
_US_ZONE_WORDS = re.compile(r"\d\s*(?:(?i:[ap]\.?\s?m\.?)\s*)?\(?(?:[ECMP][SD]?T|AKST|AKDT|HST)\b")
_SLASHED_PAIRS = re.compile(r"\b([0-3]?\d)/([0-3]?\d)/(?:19|20)\d\d\b")
# Regions and languages that write numeric dates year-first or both ways round (Canada, the
# Philippines); every other region and language, but English of no region, writes them
# day-first.
_NOT_DAY_FIRST = frozenset("us ca ph cn jp kr kp tw hu lt mn ir fm".split())
_NOT_DAY_FIRST_LANGUAGES = frozenset("en zh ja ko hu lt mn fa eu".split())
# Country domains of countries that write numeric dates day-first (generic-use ones such as
# .co, .io, .tv, .me left out).
_DAY_FIRST_DOMAINS = frozenset(
    "uk ie au nz in za fr de es it pt nl be at ch br ar mx cl pe ru ua pl tr gr dk no fi cz"
    " sk ro bg hr rs si lb sy jo iq eg sa ae qa kw om bh ma dz tn ps il ng gh pk bd lk my sg"
    " id vn th ve uy ec bo py gt cr pa do cu ni hn sv".split()
)
_URL_DAY = re.compile(r"/((?:19|20)\d\d)[/-]?([01]\d)[/-]?([0-3]\d)(?=[/_.-]|$)")


def page_region(tree: lxml.html.HtmlElement) -> str:
    """The page's region as its ``lang`` attribute gives it (``en-IN``: "in"), or the region
    its language stands for (``hi``: "in"); "" when neither says."""
    lang = (tree.get("lang") or "").strip().lower().replace("_", "-")
    language, _, rest = lang.partition("-")
    for subtag in rest.split("-"):
        if len(subtag) == 2 and subtag.isalpha():
            return subtag
    return _LANGUAGE_REGIONS.get(language, "")


def zone_offset(abbreviation: str, local: datetime, region: str) -> timezone | None:
    """The UTC offset ``abbreviation`` names for the wall-clock time ``local`` on a page from
    ``region`` (see the module docstring); None when it names no zone or none for sure."""
    zone = abbreviation.lower()
    if zone in ZONES:
        return timezone(timedelta(hours=ZONES[zone]))
    if zone in _US_ZONES:
        try:
            offset = local.replace(tzinfo=ZoneInfo(_US_ZONES[zone])).utcoffset()
        except ZoneInfoNotFoundError:
            return None
        return timezone(offset) if offset is not None else None
    hours = _REGIONAL_ZONES.get(zone, {}).get(region)
    return timezone(timedelta(hours=hours)) if hours is not None else None


def month_first(text: str, region: str, url: str) -> bool:
    """Whether the slashed dates of the dateline ``text`` are written month-first (see the
    module docstring)."""
    pairs = [(int(a), int(b)) for a, b in _SLASHED_PAIRS.findall(text)]
    for a, b in pairs:
        if a > 12 >= b:
            return False
        if b > 12 >= a:
            return True
    if region in ("", "us") and _US_ZONE_WORDS.search(text):
        return True
    by_url = _url_order(pairs, url)
    return by_url if by_url is not None else region == "us"


def _url_order(pairs: list[tuple[int, int]], url: str) -> bool | None:
    """Whether the day the page's address names (``/2024/03/05/``) is one of ``pairs`` read
    month-first (True) or day-first (False); None when it is neither or both."""
    match = _URL_DAY.search(urlsplit(url).path) if url and pairs else None
    if match is not None:
        month, day = int(match[2]), int(match[3])
        for a, b in pairs:
            if (a, b) == (month, day) != (day, month):
                return True
            if (a, b) == (day, month) != (month, day):
                return False
    return None


def declared_order(values: list[str], tree: lxml.html.HtmlElement, url: str) -> bool | None:
    """Whether the slashed dates of the page's declared dates ``values`` (meta tags, JSON-LD)
    are written month-first (True) or day-first (False), or None when nothing on the page
    tells: a value that reads only one way (``03/14/2024``), the day the page's address names,
    then the page's language and region and its country's domain, which must not disagree.
    Unlike a dateline's (``month_first``), undecided is no day-first: a declared date read
    the wrong way round is worse than the next source's."""
    pairs = [(int(a), int(b)) for value in values for a, b in _SLASHED_PAIRS.findall(value)]
    for a, b in pairs:
        if a > 12 >= b:
            return False
        if b > 12 >= a:
            return True
    by_url = _url_order(pairs, url)
    if by_url is not None:
        return by_url
    by_lang = _language_order(tree)
    host = (urlsplit(url).hostname or "").rpartition(".")[2]
    by_host = True if host == "us" else False if host in _DAY_FIRST_DOMAINS else None
    if by_lang is None or by_host is None or by_lang == by_host:
        return by_lang if by_lang is not None else by_host
    return None


def _language_order(tree: lxml.html.HtmlElement) -> bool | None:
    """The order the page's ``lang`` writes numeric dates in: month-first for US English,
    day-first for a region or a language that writes them so, None for English of no region
    and the regions and languages that write them year-first or both ways."""
    language = (tree.get("lang") or "").strip().lower().replace("_", "-").partition("-")[0]
    region = page_region(tree)
    if region == "us":
        return True if language == "en" else None
    if region:
        return None if region in _NOT_DAY_FIRST else False
    return False if language and language not in _NOT_DAY_FIRST_LANGUAGES else None
