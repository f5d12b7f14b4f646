"""What a dateline's words mean on a given page: its zone abbreviations, and the order of a
numeric date written with slashes.

Both depend on where the page is from, which its ``lang`` attribute tells (``en-IN``,
``zh-CN``, ``en-US``), and on the rest of the dateline:

- A zone abbreviation most sites agree on (GMT, CET, EDT, JST: ``dates.ZONES``) is read as such
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

from newsarc.extractor.dates import ZONES

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
    match = _URL_DAY.search(urlsplit(url).path) if url and pairs else None
    if match is not None:
        month, day = int(match[2]), int(match[3])
        for a, b in pairs:
            if (a, b) == (month, day) != (day, month):
                return True
            if (a, b) == (day, month) != (month, day):
                return False
    return region == "us"
