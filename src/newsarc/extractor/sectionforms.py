"""A section's name as a reader sees it: from a URL path, a slug or a one-case label."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from newsarc.extractor.titles import GENERIC_SECTIONS, key

# Names that are no section, beyond the generic ones of titles.GENERIC_SECTIONS: "Headlines"
# (like "Top stories", how prominent a story is), the home crumb and "news" in more languages,
# the crumb Chinese sites give the article itself ("正文", the text), "breaking news" in Turkish.
NOT_SECTIONS = GENERIC_SECTIONS | {
    "headlines",
    "top headlines",
    "hem",
    "startsida",
    "hjem",
    "domů",
    "úvod",
    "zprávy",
    "zpravy",
    "správy",
    "spravy",
    "wiadomosci",
    "portada",
    "página inicial",
    "pagina iniziale",
    "главная",
    "головна",
    "новости",
    "новини",
    "son dakika",
    "son dakika haber",
    "son dakika haberleri",
    "正文",
    "首頁",
    "홈",
}
# Path steps that are no section, beyond those names: the kind of page, a file name's parts.
_URL_STOP = NOT_SECTIONS | {
    "a",
    "p",
    "s",
    "c",
    "id",
    "html",
    "page",
    "pages",
    "item",
    "items",
    "read",
    "view",
    "node",
    "inhalt",
    "meldung",
    "doc",
    "beitrag",
    "category",
    "categories",
    "rubrik",
    "rubrique",
    "section",
    "sections",
    "photo",
    "photos",
    "fotos",
    "gallery",
    "galleries",
    "bilder",
    "podcast",
    "podcasts",
    "audio",
}
# "/de/", "/en-gb/", "/pt-br/": the page's language, before its sections
_LANGUAGE_STEP = re.compile(r"[a-z]{2}(?:[-_][a-z]{2})?")
_URL_WORDS = re.compile(r"[a-zA-Z\u00c0-\u024f]+(?:[-_][a-zA-Z\u00c0-\u024f]+){0,2}")
_DASHES = re.compile(r"[-_]+")
_BARE_ID = re.compile(r"\d+(?:\.\w+)?")
_SLUG = re.compile(r"[^\W_A-Z]+(?:[-_][^\W_A-Z]+)+")
# German slugs and host names write umlauts out ("kapitalmaerkte")
UMLAUT_FOLDS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
# Two-letter words that are words, not initials, in the languages of section slugs.
_LITTLE = frozenset(
    "in on of to at by an as is it or up de la le el en et da di do du im am um zu".split()
)


def url_section(url: str) -> str | None:
    """The section named by the URL's path, as a name (see :func:`url_section_step`)."""
    found = url_section_step(url)
    return found[0] if found else None


def url_section_step(url: str) -> tuple[str, str] | None:
    """The first section-like step of the path, as a name: /world/... gives "World",
    /de/politik/... and /news/world/... give "Politik" and "World".

    A language step and generic ones ("news", "story") are passed over; a date or an id ends
    the sections. The article's own steps are never read: the last one, and a slug before a
    bare id (/nyheter/angsten-vil-oke/84057530). Below the first step a name is one or two
    words (a longer one is a slug). Deeper steps ("europe" in /news/world/europe/) are not
    read: a path's lower steps are as often topics, people or content kinds as sections.
    Returned with the path up to that step ("/news/world"), where the site's own link to the
    section points.
    """
    steps = [unquote(s) for s in urlsplit(url).path.split("/") if s]
    own = 1
    if len(steps) >= 3 and _BARE_ID.fullmatch(steps[-1]) and _DASHES.search(steps[-2]):
        own = 2
    for depth, step in enumerate(steps[:-own]):
        lower = step.lower()
        if depth == 0 and _LANGUAGE_STEP.fullmatch(lower):
            continue
        if not _URL_WORDS.fullmatch(step):
            return None  # a date, an id: the article's own part of the path
        if _DASHES.sub(" ", lower) in _URL_STOP or len(step) < 3 or len(step) > 30:
            continue
        if _two_generic_words(lower):
            continue
        if depth > 0 and len(_DASHES.split(step)) > 2:
            return None
        return _as_name(_DASHES.sub(" ", step)), "/" + "/".join(steps[: depth + 1])
    return None


def is_language_step(step: str) -> bool:
    """True for a path step that names a language ("de", "en-gb", "pt_br")."""
    return bool(_LANGUAGE_STEP.fullmatch(step.lower()))


def _two_generic_words(step: str) -> bool:
    """True for a step run together from two generic words ("homenews", "latestnews")."""
    return any(
        step[:i] in NOT_SECTIONS and step[i:] in NOT_SECTIONS for i in range(3, len(step) - 2)
    )


def needs_display_form(name: str) -> bool:
    """True for a slug ("world-news", "us_politics"), a name all in lower case ("politics")
    and one in capitals ("WORLD", "BREAKING NEWS"; short words may be initials: "USA",
    "U.S. NEWS")."""
    if _SLUG.fullmatch(name) or (name.lower() == name and name.upper() != name):
        return True
    words = [w for w in name.split() if any(c.isalpha() for c in w)]
    return (
        name.upper() == name
        and name.lower() != name
        and all(sum(c.isalpha() for c in w) >= 4 for w in words)
    )


def spells(text: str, name: str) -> bool:
    """True when ``text`` is ``name`` written out, with its accents, capitals and marks
    ("Kapitalmärkte" for "Kapitalmaerkte", "West Virginia" for "West virginia")."""
    folded = text.translate(UMLAUT_FOLDS)
    return key(name) in {key(text), key(folded)}


def is_slug(name: str) -> bool:
    """True for a CMS's machine name of a section: lower-case words joined by dashes or
    underscores ("news-politics-us", "wirtschaft_unternehmen")."""
    return bool(_SLUG.fullmatch(name))


def slug_holds(slug: str, name: str) -> bool:
    """True when the words of ``name`` run, in order, inside the machine name ``slug``:
    "Politics" in "news-politics-us", "Lifestyle" in "culture_culture-lifestyle"."""
    inside = _DASHES.split(slug.lower())
    words = _DASHES.split("-".join(name.lower().split()))
    return any(inside[i : i + len(words)] == words for i in range(len(inside) - len(words) + 1))


def display_form(name: str, shown: list[str]) -> str:
    """The spelling of ``name`` among the names the page ``shown`` (crumbs, title segments),
    else ``name`` with its slug dashes made spaces and a capital first letter."""
    for other in shown:
        if key(other) == key(name) and not needs_display_form(other):
            return other
    if _SLUG.fullmatch(name):
        return _as_name(_DASHES.sub(" ", name))
    words = name.lower() if name.upper() == name else name
    return words[:1].upper() + words[1:]


def _as_name(words: str) -> str:
    """Words of a lower-case slug as a name: a capital first letter, and a two-letter word
    in capitals, as section slugs write initials ("us news", "uk politics") unless it is one
    of the little words ("in depth")."""
    spelled = [
        w.upper() if len(w) == 2 and w.isalpha() and w not in _LITTLE else w for w in words.split()
    ]
    text = " ".join(spelled)
    return text[:1].upper() + text[1:]
