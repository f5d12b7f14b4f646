"""Page titles cut into parts, and the comparison forms of title-like texts.

A title decorates the headline: " | Section | Site", "Site - ", a date segment. ``split_title``
cuts it into the headline, its sections and whether it named the site; ``prefixes`` and
``suffixes`` give the runs of segments the headline vote (``headline``) compares with the other
title-like elements.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from newsarc.extractor.titlelabels import is_byline_segment

# Title separators; a colon is not one ("Russia news: Men fleeing..."), "::" is. A bar needs
# no spaces ("Headline|Site", Japanese "見出し｜サイト"), nor an underscore or a doubled hyphen
# next to a letter of a script without spaces (Chinese "标题_网站", "标题--栏目--网站"); between
# ASCII letters it is part of a name. " < " runs the crumbs of Korean news CMS titles
# ("헤드라인 < 사회 < 기사본문 - 사이트").
SEPARATOR = re.compile(
    r"\s+(?:\||–|—|-|::|·|•|»|<|/{2})\s+|\s*[|｜]\s*|(?<=[^\x00-\x7f])_|_(?=[^\x00-\x7f])"
    r"|(?<=[^\x00-\x7f])-{2,}(?=[^\x00-\x7f])"
)
# "Site: Headline", the title form of Blogger and a few others: the site's name before a colon
_SITE_COLON = re.compile(r"^([^:]{2,40}?)\s*:\s+(?=\S)")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_DATE_SEGMENT = re.compile(r"^[\d\s./:-]{6,}$|^\d{1,2}\.\s?\w+\s\d{4}$")
# Words that are the name of no section in particular.
GENERIC_SECTIONS = set(
    """news nachrichten home homepage startseite aktuell aktuelles online article articles
    artikel story stories index latest noticias nieuws actualites actualités notizie nyheter
    uutiset haber haberler live video videos blog blogs content amp web www start accueil inicio
    forside etusivu detail details post posts all uncategorized uncategorised allgemein
    ongecategoriseerd okategoriserade ukategorisert ukategoriseret 未分類 未分类 記事 ニュース
    新闻 뉴스""".split()
) | {"top stories", "main page", "front page", "aktueller artikel", "current article"}
# WordPress's default category, in the languages it ships in: the posts nobody filed.
GENERIC_SECTIONS |= {
    "non classé",
    "sin categoría",
    "senza categoria",
    "sem categoria",
    "без рубрики",
    "bez kategorii",
    "kategorisiz",
}
# A CMS's default, and labels that say how new or prominent a story is, not what it is about;
# "news" and "home" in more languages.
GENERIC_SECTIONS |= {
    "default",
    "general news",
    "breaking",
    "breaking news",
    "latest news",
    "top news",
    "featured",
    "noticias de hoy",
    "notícias",
    "últimas notícias",
    "últimas noticias",
    "dernières actualités",
    "ultime notizie",
    "nyheder",
    "nyheiter",
    "wiadomości",
    "aktualności",
    "strona główna",
    "anasayfa",
    "ana sayfa",
    "início",
    "トップ",
    "ホーム",
    "首页",
}


def clean_text(text: str | None) -> str:
    """Whitespace folded, soft hyphens and zero-width characters removed."""
    if not text:
        return ""
    if not text.isascii():  # (a constant-time test) every one of _INVISIBLE is outside ASCII
        text = _INVISIBLE.sub("", text)
    return " ".join(text.split())


_DOMAIN_END = re.compile(r"\.\w{2,4}$")
_SENTENCE_END = re.compile(r"[?!.,]\s*$")
_QUOTES = re.compile("[\"'`\u00ab\u00bb\u2018-\u201f\u2039\u203a]")
_WORD = re.compile(r"\w+")


# Titles, headlines and site names are compared with each other many times per page: the
# comparison forms below are remembered (they are short strings).
@lru_cache(maxsize=1024)
def norm(text: str) -> str:
    """A comparison form: NFKC, case folded, quotes and dashes unified, spacing folded."""
    text = unicodedata.normalize("NFKC", clean_text(text)).casefold()
    text = _QUOTES.sub('"', text)
    if not text.isascii():  # the only ASCII dash punctuation is "-" itself
        text = "".join("-" if unicodedata.category(c) == "Pd" else c for c in text)
    return " ".join(text.split())


@lru_cache(maxsize=1024)
def key(text: str) -> str:
    """Letters and digits only, case folded: for matching site names ("BILD.de" ~ "bild de")."""
    return "".join(filter(str.isalnum, unicodedata.normalize("NFKD", text))).casefold()


def tokens(text: str) -> set[str]:
    """The word tokens of ``text``, case folded."""
    return set(_WORD.findall(text.casefold()))


def similarity(a: str, b: str) -> float:
    """Token-set overlap (Dice) of two strings, 0..1."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    return 2 * len(ta & tb) / (len(ta) + len(tb))


def is_site_segment(segment: str, site_keys: set[str]) -> bool:
    """True when a title segment names the site ("SZ.de", "The Guardian", "n-tv.de")."""
    k = key(segment)
    if not k:
        return False
    if k in site_keys:
        return True
    if _DOMAIN_END.search(segment.strip()) and " " not in segment.strip():
        return True  # a bare domain name
    return any(len(s) >= 4 and (s in k or k in s) and len(k) <= len(s) + 12 for s in site_keys)


@dataclass
class SplitTitle:
    """A page title cut into the headline and its decorations."""

    headline: str
    sections: list[str]
    had_site: bool


def split_title(title: str, site_keys: set[str]) -> SplitTitle:
    """Cut "Headline | Section | Site" (also " - ", " – ", " :: ") into its parts.

    Segments that name the site or are dates are dropped; short segments next to the site
    segment are sections. Without a site segment only the 3-part "H | S | Site" form is cut.
    """
    title = clean_text(title)
    lead = _SITE_COLON.match(title)
    if lead and key(lead.group(1)) in site_keys:
        rest = split_title(title[lead.end() :], site_keys)
        return SplitTitle(rest.headline, rest.sections, True)
    parts = SEPARATOR.split(title)
    seps = SEPARATOR.findall(title)
    # "Headline - by Jane Doe - Newsletter": the author's segment is neither headline nor section
    for i in range(len(parts) - 1, 0, -1):
        if is_byline_segment(parts[i]):
            del parts[i], seps[i - 1]
    if len(parts) < 2:
        return SplitTitle(parts[0], [], False)
    site_at = next((i for i in range(1, len(parts)) if is_site_segment(parts[i], site_keys)), None)
    if site_at is None and is_site_segment(parts[0], site_keys):
        if len(parts) == 2:
            return SplitTitle(parts[1], [], True)  # "Site | Headline"
        if len(parts) == 3 and "|" in seps[0] and "|" in seps[1] and _short(parts[1]):
            # "Site | Topic | Headline": the middle names a topic as often as a section
            # ("The Daily Example | Winter Games | ..."), so the section is left to the others
            return SplitTitle(parts[2], [], True)
    if site_at is None:
        if (
            len(parts) >= 3
            and _is_bar(seps[-1])
            and _is_bar(seps[-2])
            and all(_short(p) for p in parts[-2:])
        ):
            site_at = len(parts) - 1
        else:
            while len(parts) > 1 and _DATE_SEGMENT.match(parts[-1]):
                parts.pop()
            return SplitTitle(join_segments(parts, seps), [], False)
    end = site_at
    sections: list[str] = []
    while end > 1 and _short(parts[end - 1]) and not _DATE_SEGMENT.match(parts[end - 1]):
        sections.insert(0, parts[end - 1])
        end -= 1
        if len(sections) >= 2:
            break
    if not sections:
        sections = [p for p in parts[site_at + 1 :] if _short(p) and not _DATE_SEGMENT.match(p)]
    sections = [s for s in sections if not is_site_segment(s, site_keys)]
    return SplitTitle(join_segments(parts[:end], seps), sections, True)


def _is_bar(separator: str) -> bool:
    # a bar, or the doubled hyphen Chinese portals write as theirs ("标题--栏目--网站")
    return "|" in separator or separator.startswith("--")


def _short(segment: str) -> bool:
    words = segment.split()
    return 0 < len(words) <= 3 and len(segment) <= 30 and not _SENTENCE_END.search(segment)


def join_segments(parts: list[str], seps: list[str]) -> str:
    """Title segments put back together with the separators that stood between them."""
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=False):
        out += sep + part
    return out


def title_dates(*titles: str | None) -> list[str]:
    """Date segments of titles ("Headline | DW | 28.04.2023" gives "28.04.2023")."""
    found = []
    for title in titles:
        for part in SEPARATOR.split(clean_text(title))[1:]:
            if _DATE_SEGMENT.match(part):
                found.append(part)
    return found


def prefixes(title: str) -> Iterable[str]:
    """Every leading run of a title's segments: "A - B | C" gives "A", "A - B"."""
    title = clean_text(title)
    parts = SEPARATOR.split(title)
    seps = SEPARATOR.findall(title)
    for end in range(1, len(parts)):
        yield join_segments(parts[:end], seps)


def suffixes(title: str) -> Iterable[str]:
    """The title without one or two short leading segments: "Politics | A - B" gives "A - B"."""
    title = clean_text(title)
    parts = SEPARATOR.split(title)
    seps = SEPARATOR.findall(title)
    for start in range(1, min(3, len(parts))):
        if not _short(parts[start - 1]):
            break
        yield join_segments(parts[start:], seps[start:])
