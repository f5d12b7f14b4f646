"""Author names: from JSON-LD, meta tags and byline markup, cleaned, split and deduplicated."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from newsarc.extractor.agencies import is_agency, split_agencies
from newsarc.extractor.credits import authors_credits, unbracket_agencies, uninvert
from newsarc.extractor.jsonld import JsonDict, resolve, types_of
from newsarc.extractor.nameshape import (
    POSTED,
    cut_place,
    follows_name,
    name_suffix,
    person_words,
)

MAX_AUTHORS = 20

_EMAIL = re.compile(r"\S+@\S+\.\w+")
_URL = re.compile(r"(?:https?://|www\.)[^\s)\]]+", re.IGNORECASE)
_PARENS = re.compile(r"\s*[(\[][^)\]]{0,40}[)\]]")
# "By", "Von", "Par"... in front of a byline, and the longer "published/posted/written by" of
# CMS templates (Drupal's "Submitted by", WordPress's "Posted by") in the languages the single
# words cover. The phrases come first: "Publié par" must not leave "par" behind, nor "publié"
# be cut as a date (``_DATE_BITS``). Italian "di" is the plain "by" of Italian bylines; "Di"
# only before two words or more, as Di is also the first word of Italian surnames: "Di Stefano"
# is a name, "Di Giulia Conti" a byline.
_LEAD_PHRASES = (
    r"(?:submitted|posted|published|written|reported|words|story)\s+by|"
    r"(?:with\s+)?(?:additional\s+)?reporting\s+(?:by|from)|"
    r"(?:publié|écrit|rédigé|posté)e?\s+par|"
    r"(?:geschrieben|verfasst|veröffentlicht|erstellt)\s+von|ein\s+beitrag\s+von|"
    r"(?:publicad|escrit|redactad|postad)[oa]\s+por|"
    r"(?:pubblicat|scritt)[oa]\s+da|a\s+cura\s+di|"
    r"(?:geschreven|gepubliceerd|geplaatst)\s+door|"
    r"(?:skrevet|skriven|publisert|publicerad|publiceret)\s+a[vf]|"
    r"napisane\s+przez|napisał(?:a)?"
)
LEAD_WORDS = re.compile(
    rf"^(?:{_LEAD_PHRASES}|"
    r"by|von|par|por|door|av|af|przez|(?-i:di)|(?-i:Di)(?=\s+\S+\s+\S)|autor(?:in|a|e)?|author|"
    r"auteur|text|texto|texte|testo|tekst|текст|автор|بقلم)\s*:?\s+",
    re.IGNORECASE,
)
# Between names, or between a name and its role or date: commas, "and", and the bars, dots
# and spaced dashes that bylines set between "By Anna Berg · May 14, 2024".
# Captured, so that a part set off by a mark (not a word) can be told from a co-author.
_SPLIT = re.compile(
    r"(\s*(?:,|;|\||\s/\s|\s&\s|\s[·•]\s|\s[-–—]\s|"
    r"\s(?:and|und|og|och|et|y|e|ve|i|a|en|und von)\s|"
    # "with", lower case only: "By Jane Doe with John Roe", "Par Le Figaro avec AFP" ("Con
    # O'Neill" and "Mit Romney" are names)
    r"\s(?-i:with|avec|mit|con|com|met|med)\s)\s*)",
    re.IGNORECASE,
)
# A numeric date or time, or a "published"/"updated" label, with the "on"/"am"/"le" in front
# of it ("Submitted by Anna Berg on 12/07/2026"). "Published by" is a lead-in, not a label.
_DATE_BITS = re.compile(
    # the word before a date only in lower case: "Le" and "Den" are also surnames (Dan Le)
    r"(?:\b(?-i:on|am|le|el|il|op|den|vom)\s+)?"
    r"\b(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}:\d{2}|updated|aktualisiert|"
    r"(?:published|veröffentlicht|publié)(?!\s+(?:by|von|par)\b)|stand|mis à jour)\b.*$",
    re.IGNORECASE,
)
# Dates written with a month name, and relative ones, with everything after them: a byline's
# "on May 14, 2024 6:30 PM", "· Tue 14 May 2024", "| 2 hours ago". A month name counts only
# next to a number, so Theresa May and April Ryan keep their names.
_MONTH = (
    r"(?:jan(?:uary|uar|vier)?|feb(?:ruary|ruar)?|févr(?:ier)?|mar(?:ch|s)?|märz|apr(?:il)?|"
    r"avril|may|mai|june?|juni|juin|july?|juli|juil(?:let)?|aug(?:ust)?|août|"
    r"sep(?:t(?:ember|embre)?)?|oct(?:ober|obre)?|okt(?:ober)?|nov(?:ember|embre)?|"
    r"dec(?:ember)?|dez(?:ember)?|déc(?:embre)?)\.?"
)
_WORDED_DATE = re.compile(
    r"(?:\b(?:on|am|le)\s+)?"  # "on May 14", "am 14. Mai", "le 14 mai"
    r"(?:\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"  # a weekday in front
    rf"(?:\b\d{{1,2}}(?:st|nd|rd|th|\.)?\s+{_MONTH}(?![^\W\d_])|"  # 14 May, 14. Mai
    rf"\b{_MONTH}\s+\d{{1,4}}(?:st|nd|rd|th)?\b|"  # May 14, May 14th, May 2024
    r"\b\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)"
    r"\s+ago\b|"
    # a reading time: "4 min read", "3 Min. Lesezeit", "5 min de lecture"
    r"\b\d+\s*min(?:ute)?s?\.?\s+(?:read|lesezeit|lesedauer|de\s+lecture|de\s+lectura|"
    r"di\s+lettura|leestijd|lesetid|läsetid|czytania)\b|"
    r"\b(?:lesezeit|lesedauer|reading\s+time|temps\s+de\s+lecture|tiempo\s+de\s+lectura)\b|"
    r"\bvor\s+\d+\s+(?:sekunden|minuten|stunden|tagen|wochen|monaten|jahren)\b|"
    r"\bil y a\s+\d+\s+(?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans?)\b).*$",
    re.IGNORECASE,
)
# Job titles that follow or stand in for a name ("Kate Brown | Reporter").
_ROLES = set(
    """reporter journalist journalistin correspondent korrespondent korrespondentin editor
    redakteur redakteurin redaktør staff writer contributor columnist photographer fotograf fotos
    photos video freelance journaliste rédacteur redactor periodista autor autorin author text
    grafik graphics illustration producer""".split()
) | {"staff writer", "senior reporter", "senior correspondent", "contributing writer"}
# ... and a reporter's post, which a byline names with the place ("Correspondent in Kyiv",
# "envoyé spécial à Kiev"): nameshape.cut_place cuts the place, these drop the post
_ROLES |= POSTED
# A part ending in one of these is a role with an employer ("AP Sports Writer").
_ROLE_HEADS = {"writer", "editor", "correspondent", "reporter", "columnist", "producer"}
# A one-word label in front of a name: "Text: ...", "Texte : ...", "Текст: ...".
_LABEL = re.compile(r"^[^\W\d_]{2,12}\s?:\s+")


def clean_name(raw: str, *, places: bool = True) -> str:
    """One name with lead-ins ("By", "Von"), emails, URLs, dates and roles taken off, and a
    place after it ("Jane Doe in Kyiv") unless ``places`` is False (an organisation's name:
    "Evening News at Six")."""
    text = " ".join(html.unescape(raw).split())
    text = _URL.sub(" ", _EMAIL.sub(" ", text))
    text = _PARENS.sub("", text)
    text = _cut_dates(text).strip(_EDGES)  # "· By Anna Berg": the lead word after a dot
    for _ in range(3):
        stripped = _LABEL.sub("", LEAD_WORDS.sub("", text))
        if stripped == text:
            break
        text = stripped
    if places:
        text = cut_place(text.strip(_EDGES))
    text = text.strip(_EDGES)
    return " ".join(text.split())


_EDGES = " \t,;:|-–—·•/\"'“”«»"  # punctuation around a name, never part of it


def _cut_dates(text: str) -> str:
    """``text`` up to the first date or time in it (a byline often ends with its date)."""
    return _WORDED_DATE.sub("", _DATE_BITS.sub("", text))


# The accounts a CMS installs, which a site that never sets an author publishes under: the
# WordPress "admin" of an aggregator is nobody's name. Not among them: "Staff", "Editor" and
# "Redaktion", a newsroom's collective signatures, left to the role rules ("Staff" alone is a
# role word and dropped, "Staff Reporter" is kept as the desk when no person is named);
# "Anonymous", which an op-ed may be signed with on purpose.
_PLACEHOLDER = re.compile(
    r"(?:(?:site|super|sys|wp|web)[\s_-]?)?admin(?:istrat(?:or|eur|ore)|istrador)?[\s_-]?\d*|"
    r"webm(?:aster|estre)|root|wordpress|drupal|joomla",
    re.IGNORECASE,
)


def _plausible(name: str) -> bool:
    if not name or len(name) > 60 or name.casefold() in _ROLES:
        return False
    if _PLACEHOLDER.fullmatch(name) or LEAD_WORDS.fullmatch(f"{name} "):
        return False  # an account, or "By" on a line of its own ("<div>By</div> <a>...</a>")
    if sum(ch.isdigit() for ch in name) > 2:
        return False
    letters = sum(ch.isalpha() for ch in name)
    return letters >= 2 and len(name.split()) <= 7


def _is_role(name: str) -> bool:
    words = name.casefold().split()
    return len(words) <= 4 and words[-1] in _ROLE_HEADS


# Split on as "and" ("i" in Polish and Catalan, "a" in Czech, "en" in Dutch), these also mean
# "in" or "at" ("i" in Norwegian and Swedish, "a" in Italian, "en" in Spanish and French).
_IN_OR_AND = frozenset({"i", "a", "en"})


def split_names(raw: str, *, places: bool = True) -> list[str]:
    """``"A and B"``, ``"A, B & C"``, ``"Von A und B, dpa"`` become separate clean names
    (``places``: see ``clean_name``)."""
    text = " ".join(html.unescape(raw).split())
    text = _URL.sub(" ", _EMAIL.sub(" ", text))
    # "Texto: A | Fotos: B" names A; "Claire Martin (AFP)" names AFP too
    text = unbracket_agencies(authors_credits(text))
    text = _cut_dates(LEAD_WORDS.sub("", text))  # before splitting: "May 14, 2024" is no name
    # "Doe, Jane; Roe, Richard": a comma inside each name written surname first
    text = "; ".join(uninvert(group, _ROLES) for group in text.split(";"))
    pieces = _SPLIT.split(text)  # part, separator, part...
    names: list[str] = []
    for index in range(0, len(pieces), 2):
        # After a comma, a bar or a dash, or a word that is "in" as well as "and" ("Ola
        # Nordmann i Oslo", "inviato a Kiev"), a part may say where or what the person named
        # before is ("By Jane Doe, Berlin") or end their name ("Jr."); after "and", "und"...
        # it names a co-author.
        separator = pieces[index - 1].strip().casefold() if index else ""
        worded = separator.replace(" ", "").isalpha()  # "and", "und von", not "," or "|"
        marked = bool(names) and (not worded or separator in _IN_OR_AND)
        for name in split_agencies(_without_role(clean_name(pieces[index], places=places))):
            if not _plausible(name):
                continue
            if marked and name_suffix(name):
                names[-1] = f"{names[-1]} {name}"
            elif not (marked and places and follows_name(names[-1], name)):
                names.append(name)
    people = [n for n in names if not _is_role(n)]
    # "Tom Krisher, AP Auto Writer" loses the role; "Guardian staff reporter" alone is the desk
    return people or names


# A job title a byline writes after a name with no comma ("Jane Doe Reporter", "Jana Berg
# Redakteurin", "Ana Souza Periodista"): a person's job, never the last word of a name.
_TRAILING_ROLES = frozenset(
    """reporter reporterin journalist journalistin journaliste giornalista periodista
    correspondent correspondant correspondante corresponsal correspondente corrispondente
    korrespondent korrespondentin editor redakteur redakteurin redaktør redaktor rédacteur
    rédactrice redactor redactora redattore redattrice columnist kolumnist kolumnistin
    chroniqueur chroniqueuse columnista photographer fotograf fotografin photographe
    producer contributor""".split()
)
# Not "writer": a surname too, and "Staff Writer" is a two-word role already.
# Words that qualify a job title ("Chief Political Correspondent", "Senior Staff Writer",
# "White House Reporter"): the words before the title are then the post, not a name.
_ROLE_QUALIFIERS = frozenset(
    """chief senior junior deputy staff lead head principal associate assistant managing
    executive contributing special political politics foreign business sports sport science
    health tech technology investigative economics economic legal diplomatic defence defense
    security environment environmental climate education crime court courts arts culture
    fashion food travel music film royal national international local city metro state
    regional digital social data news features opinion weather energy markets finance
    financial money property transport medical religion affairs house hill global world
    freelance freier freie leitender leitende stellvertretender stellvertretende""".split()
)


def _without_role(name: str) -> str:
    """A person's name without a job title written after it with no comma ("Mike Ross Staff
    Writer", "Jane Doe Reporter", "Jana Berg Redakteurin"). The words before a one-word title
    must be a name with no word of a post in it: "Chief Political Correspondent" and "White
    House Reporter" are posts, kept whole for the role rules."""
    words = name.split()
    if len(words) > 3 and " ".join(words[-2:]).casefold() in _ROLES and person_words(words[:-2]):
        return " ".join(words[:-2])
    if len(words) in (3, 4) and words[-1].casefold() in _TRAILING_ROLES:
        before = words[:-1]
        if person_words(before) and not any(_of_post(w) for w in before):
            return " ".join(before)
    return name


def _of_post(word: str) -> bool:
    """True for a word of a post rather than a name: a title's qualifier ("Chief"), an
    agency's or a broadcaster's code ("AP Auto Writer", "BBC Sport Reporter")."""
    return (
        word.casefold() in _ROLE_QUALIFIERS
        or is_agency(word)
        or (word.isupper() and 2 <= len(word) <= 4)
    )


def dedupe(names: Iterable[str]) -> list[str]:
    """Drop repeats that differ only in case, accents or punctuation, keeping the first form."""
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        key = name_key(name)
        if key and key not in seen:
            seen.add(key)
            out.append(name)
    return out[:MAX_AUTHORS]


def name_key(name: str) -> str:
    """A comparison key: accents stripped, case folded, only letters and digits."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def from_jsonld(article: JsonDict | None, by_id: dict[str, JsonDict]) -> list[str]:
    """Names of the JSON-LD article's ``author`` (people, organisations, strings, lists)."""
    if article is None:
        return []
    value = resolve(article.get("author") or article.get("creator"), by_id)
    names: list[str] = []
    for entry in value if isinstance(value, list) else [value]:
        names.extend(_entry_names(resolve(entry, by_id)))
    return dedupe(names)


def _entry_names(entry: Any) -> list[str]:
    if isinstance(entry, str):
        return [] if _URL.match(entry.strip()) else split_names(entry)
    if isinstance(entry, list):
        return [n for e in entry for n in _entry_names(e)]
    if not isinstance(entry, dict):
        return []
    name = entry.get("name")
    if isinstance(name, list):
        name = " ".join(str(n) for n in name if isinstance(n, str))
    if not isinstance(name, str) or not name.strip():
        given, family = entry.get("givenName"), entry.get("familyName")
        name = " ".join(x for x in (given, family) if isinstance(x, str))
    # an organisation's name is whole: "at Six" in "Evening News at Six" is no place
    people = not any(t.endswith("organization") for t in types_of(entry))
    return split_names(name, places=people) if name else []


# Meta keys that carry author names (values that are URLs are skipped).
META_KEYS = (
    "author",
    "article:author",
    "article:author_name",
    "articleauthor",
    "parsely-author",
    "sailthru.author",
    "cxenseparse:author",
    "mrf:authors",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "twitter:misc:written by",
)


def from_meta(metas: dict[str, list[str]]) -> list[list[str]]:
    """Author name lists from meta tags, one list per key that has any, in trust order."""
    found: list[list[str]] = []
    for key in META_KEYS:
        names = [n for v in metas.get(key, []) if not _URL.match(v.strip()) for n in split_names(v)]
        if names:
            found.append(dedupe(names))
    for index in range(1, 5):
        label = " ".join(metas.get(f"twitter:label{index}", [])).casefold()
        if label.startswith(("written by", "verfasst von", "geschrieben von", "écrit par")):
            names = [n for v in metas.get(f"twitter:data{index}", []) for n in split_names(v)]
            if names:
                found.append(dedupe(names))
    return found
