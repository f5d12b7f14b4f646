"""Headline and section from the page's title-like elements.

The headline is voted on by the ``<h1>``, ``og:title``, the JSON-LD headline and ``<title>``:
sites decorate each differently (a kicker in the ``<h1>``, " | Section | Site" in the title, a
shortened social title), and the text most of them agree on is the article's headline.
An ``<h1>`` that is the last crumb of a breadcrumb trail is no candidate; the titles that copy it
count less (see ``CRUMB_COPY``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

# Title separators; a colon is not one ("Russia news: Men fleeing..."), "::" is. A bar needs
# no spaces ("Headline|Site", Japanese "見出し｜サイト"), nor an underscore next to a letter of a
# script without spaces (Chinese "标题_网站"); between ASCII letters it is part of a name.
_SEPARATOR = re.compile(
    r"\s+(?:\||–|—|-|::|·|•|»|/{2})\s+|\s*[|｜]\s*|(?<=[^\x00-\x7f])_|_(?=[^\x00-\x7f])"
)
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

# The JSON-LD headline is the one the publisher declares and counts most, then the <h1>;
# og:title is often a shortened social variant and <title> carries SEO wording.
WEIGHTS = {"h1": 1.05, "jsonld": 1.2, "og": 1.0, "title": 0.9}
# A page whose only <h1> is the last crumb of its breadcrumb trail puts its search-engine title
# there, and <title> and JSON-LD usually copy that one string: copies of it count half, so the
# heading the reader sees (which og:title often repeats) is not outvoted by one string thrice.
CRUMB_COPY = 0.5


def clean_text(text: str | None) -> str:
    """Whitespace folded, soft hyphens and zero-width characters removed."""
    if not text:
        return ""
    return " ".join(_INVISIBLE.sub("", text).split())


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
    parts = _SEPARATOR.split(title)
    seps = _SEPARATOR.findall(title)
    if len(parts) < 2:
        return SplitTitle(title, [], False)
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
            and "|" in seps[-1]
            and "|" in seps[-2]
            and all(_short(p) for p in parts[-2:])
        ):
            site_at = len(parts) - 1
        else:
            while len(parts) > 1 and _DATE_SEGMENT.match(parts[-1]):
                parts.pop()
            return SplitTitle(_join(parts, seps), [], False)
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
    return SplitTitle(_join(parts[:end], seps), sections, True)


def _short(segment: str) -> bool:
    words = segment.split()
    return 0 < len(words) <= 3 and len(segment) <= 30 and not _SENTENCE_END.search(segment)


def _join(parts: list[str], seps: list[str]) -> str:
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=False):
        out += sep + part
    return out


def title_dates(*titles: str | None) -> list[str]:
    """Date segments of titles ("Headline | DW | 28.04.2023" gives "28.04.2023")."""
    found = []
    for title in titles:
        for part in _SEPARATOR.split(clean_text(title))[1:]:
            if _DATE_SEGMENT.match(part):
                found.append(part)
    return found


def prefixes(title: str) -> Iterable[str]:
    """Every leading run of a title's segments: "A - B | C" gives "A", "A - B"."""
    title = clean_text(title)
    parts = _SEPARATOR.split(title)
    seps = _SEPARATOR.findall(title)
    for end in range(1, len(parts)):
        yield _join(parts[:end], seps)


def suffixes(title: str) -> Iterable[str]:
    """The title without one or two short leading segments: "Politics | A - B" gives "A - B"."""
    title = clean_text(title)
    parts = _SEPARATOR.split(title)
    seps = _SEPARATOR.findall(title)
    for start in range(1, min(3, len(parts))):
        if not _short(parts[start - 1]):
            break
        yield _join(parts[start:], seps[start:])


def choose_headline(
    h1s: list[str],
    og: str | None,
    jsonld: str | None,
    title: str | None,
    twitter: str | None,
    site_keys: set[str],
    crumbs: Iterable[str] = (),
    labels: Mapping[str, list[str]] | None = None,
) -> str | None:
    """The headline most title-like elements agree on (see the module docstring).

    ``crumbs`` are the texts of ``<h1>`` crumbs in a breadcrumb trail or ``<nav>`` (which are
    not headline candidates); a title-like text equal to one counts ``CRUMB_COPY``.
    ``labels`` holds each heading's labels by its text (``heading_parts``).
    """
    og = og or twitter  # the Twitter card title is the same social title, as a fallback
    metas = [clean_text(x) for x in (og, jsonld, title) if x and clean_text(x)]
    candidates: list[tuple[str, str]] = []
    h1 = _best_h1(h1s, metas, site_keys)
    if h1:
        candidates.append(("h1", h1))
    for source, raw in (("jsonld", jsonld), ("og", og), ("title", title)):
        text = clean_text(raw)
        if text:
            candidates.append((source, text))
    if not candidates:
        return None
    # Site and date segments are never part of a headline. Beyond that, a decorated title
    # votes for the text it decorates when another element has that text ("<h1> - Politik").
    candidates = [
        (source, text if source == "h1" else split_title(text, site_keys).headline)
        for source, text in candidates
    ]
    original = list(candidates)
    # A heading whose spans glued a kicker to the headline ('"Es wird bald beginnen"Trump')
    # votes for the title that writes the same words with their separators ('...": Trump').
    keys = {_vote_key(t) for s, t in original if s != "h1"}
    for index, (source, text) in enumerate(original):
        if source == "h1" and _vote_key(text) not in keys:
            letters = _letters(text)
            spelled = [t for s, t in original if s != "h1" and _letters(t) == letters]
            if spelled:
                candidates[index] = (source, spelled[0])
    if h1 and labels and labels.get(h1):
        _drop_labels(candidates, original, h1, labels[h1], keys)
    for index, (source, text) in enumerate(original):
        if source == "h1" or candidates[index][1] != text:
            continue
        # a headline cut short ("...", or at the 110 characters JSON-LD used to be allowed)
        # votes for the whole one; a title that puts a short label before the heading's text
        # ("Politics | <h1>", "Football - <h1>") votes for the heading, as one that puts it after
        whole = _untruncated(text, [t for i, (_, t) in enumerate(original) if i != index])
        if not whole and h1 and any(_vote_key(p) == _vote_key(h1) for p in suffixes(text)):
            whole = h1
        if whole:
            candidates[index] = (source, whole)
            continue
        others = {_vote_key(t) for i, (_, t) in enumerate(original) if i != index}
        if _vote_key(text) in others:
            continue
        matching = [p for p in prefixes(text) if _vote_key(p) in others]
        if matching:
            candidates[index] = (source, matching[-1])
    # Texts that differ only in spacing are one vote ("Demo:Der" from adjacent <span>s).
    scores: dict[str, float] = {}
    members: dict[str, list[str]] = {}
    seo = {_vote_key(c) for c in crumbs}
    for source, text in candidates:
        n = _vote_key(text)
        weight = _weight(source, text, h1, metas, site_keys)
        if source != "h1" and n in seo:
            weight *= CRUMB_COPY
        scores[n] = scores.get(n, 0.0) + weight
        members.setdefault(n, []).append(text)
    order = {_vote_key(text): i for i, (_, text) in reversed(list(enumerate(candidates)))}
    best = max(scores, key=lambda n: (scores[n], -order[n]))
    # the best-spaced form of the winner: markup glues words that titles keep apart; and one
    # that keeps its letters' case over a heading written in capitals ("STORM CHAOS: ...")
    return max(members[best], key=lambda t: (len(t.split()), not t.isupper())) or None


def _drop_labels(
    candidates: list[tuple[str, str]],
    original: list[tuple[str, str]],
    h1: str,
    labels: list[str],
    keys: set[str],
) -> None:
    """A heading's label (a "Live" badge) is no part of its headline: a title that writes it
    before the heading's text ("LIVE: Election ...") votes for the heading's text, and a
    heading that runs a leading label into a title's text ("AnalysisWhy ...") votes for that
    title. (A kicker the titles write before the headline stays: "Tarifstreit: Bahn ...".)"""
    marks = [m for m in (_letters(x) for x in labels) if m]
    h1_letters = _letters(h1)
    for index, (source, text) in enumerate(original):
        if source != "h1":
            if any(_letters(text) == m + h1_letters for m in marks):
                candidates[index] = (source, h1)
        elif text == h1 and candidates[index][1] == h1 and _vote_key(h1) not in keys:
            rests = {h1_letters[len(m) :] for m in marks if h1_letters.startswith(m)} - {""}
            spelled = [t for s, t in original if s != "h1" and _letters(t) in rests]
            if spelled:
                candidates[index] = (source, spelled[0])


_ELLIPSIS = re.compile(r"\s*(?:…|\.{3})$")


def _untruncated(text: str, others: list[str]) -> str | None:
    """The whole headline ``text`` was cut from: another candidate it begins, when it ends in
    an ellipsis, in the middle of a word, or at 100 characters or more."""
    stem = norm(_ELLIPSIS.sub("", text))
    if len(stem) < 20:
        return None
    for other in others:
        whole = norm(other)
        if len(whole) > len(stem) and whole.startswith(stem):
            if _SEPARATOR.match(whole, len(stem)):
                continue  # the whole text and a site's name: "<text> — Example News"
            mid_word = stem[-1].isalnum() and whole[len(stem)].isalnum()
            if mid_word or len(stem) >= 100 or _ELLIPSIS.search(text):
                return other
    return None


def _vote_key(text: str) -> str:
    return norm(text).replace(" ", "")


def _letters(text: str) -> str:
    return "".join(filter(str.isalnum, norm(text)))


def _weight(source: str, text: str, h1: str | None, metas: list[str], site_keys: set[str]) -> float:
    weight = WEIGHTS[source]
    if source == "h1" and metas and max(similarity(text, m) for m in metas) < 0.3:
        weight = 0.5  # an <h1> unlike every title is often the logo or a section name
    if key(text) in site_keys:
        weight = 0.05
    return weight


def _best_h1(h1s: list[str], metas: list[str], site_keys: set[str]) -> str | None:
    texts = [t for t in (clean_text(h) for h in h1s) if t and key(t) not in site_keys]
    if not texts:
        return None
    if not metas:
        return texts[0]
    return max(texts, key=lambda t: (max(similarity(t, m) for m in metas), -texts.index(t)))
