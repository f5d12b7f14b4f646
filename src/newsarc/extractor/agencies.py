"""News agencies' short names, which a byline gives alone or after a person's name.

Agencies sign with their codes, often in lower case: dpa writes itself "dpa", and "afp",
"epd", "kna" are as common as "AFP" on the sites that run their copy. A code is kept as the
page writes it, like every other name we read (``dedupe`` already folds case, so "dpa" and
"DPA" on one page are one author). Only whole codes count: an ordinary lower-case word after
"By" ("By request", "Von heute an") is prose.
"""

from __future__ import annotations

import re

# Case-folded codes and one-word names of wire services, national agencies first.
AGENCIES = frozenset(
    """dpa dpa-afx afx afp ap apa kna epd sda ats ansa efe reuters rtr upi anp belga tt ntb
    ritzau stt pap ctk čtk tass ria kyodo xinhua aap pti ians ddp dapd sid dts kap kathpress
    lusa bloomberg""".split()
)
# Agencies' full names, which an AP-style byline sets after the reporters' names with no comma
# ("By ZEKE MILLER and JOSH BOAK Associated Press").
_FULL_NAMES = (
    "associated press",
    "the associated press",
    "agence france-presse",
    "agence france presse",
    "deutsche presse-agentur",
    "united press international",
    "the canadian press",
    "australian associated press",
    "press association",
    "kyodo news",
)
# An agency's regional or topic desk, written after its code in lower case ("dpa/lnw"); three
# letters, so that a word ("dpa/heute") stays what it is.
_DESK = re.compile(r"[a-z]{3}")


def is_agency(name: str) -> bool:
    """True when ``name`` is an agency's code in any case ("dpa", "AFP", "Reuters")."""
    return name.casefold() in AGENCIES


def split_agencies(name: str) -> list[str]:
    """``"dpa/AFP"`` is two agencies; ``"dpa/lnw"`` is dpa (its regional desk's code after the
    slash: lnw, lby, tmn); ``"Josh Boak Associated Press"`` is a name and an agency's full name
    (two words or more before it: "Thomson Reuters" is one name); any other name, slashed or
    not, stays whole."""
    folded = name.casefold()
    for full in _FULL_NAMES:
        if folded.endswith(f" {full}") and len(name.split()) - len(full.split()) >= 2:
            cut = len(name) - len(full)
            return [name[:cut].strip(), name[cut:]]
    parts = [part.strip() for part in name.split("/")]
    if len(parts) < 2 or not is_agency(parts[0]):
        return [name]
    if all(is_agency(part) or _DESK.fullmatch(part) for part in parts[1:]):
        return [part for part in parts if is_agency(part)]
    return [name]
