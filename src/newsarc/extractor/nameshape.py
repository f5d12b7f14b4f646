"""What a person's name looks like, and the place a byline may set after it.

Shared by the byline readers: a plain line is a byline only when its names are written as
names, and a name loses the place after it ("Jane Doe in Kyiv") only when the words before
the place are a person's name, not a title or a desk ("The Week in Review", "Our
Correspondent in Washington") nor an organisation's name.
"""

from __future__ import annotations

import re

from newsarc.extractor.agencies import is_agency
from newsarc.extractor.placenames import is_place

# Lower-case words that belong inside names ("Ludwig van Beethoven", "Ana de la Cruz").
PARTICLES = frozenset(
    "van von der den de da di du del della des la le bin ibn al el ter ten y dos das do zu".split()
)
_ELIDED = re.compile(r"^[dlo]['’]", re.IGNORECASE)  # d'Alembert, O'Brien
# Articles and possessives that start a title or a desk's signature, never a person's name
# ("The Editors", "Our Correspondent", "Das Team", "Notre envoyé"). Not "Le", "La", "El",
# "De", "Da": they start names too (Le Van Thanh, La Toya, El Mostafa, De Wet).
_DETERMINERS = frozenset(
    """the a an our my der die das ein eine unser unsere unserem unseren les notre nos los las
    nuestro nuestra il gli het een onze os nosso nossa""".split()
)
# A reporter posted somewhere, as a byline names the post ("Correspondent in Washington",
# "envoyé spécial à Kiev"); the byline rules drop these as roles once the place is cut. Not
# "Staff" ("Staff at The Harbor Times" is a desk's signature).
POSTED = frozenset(
    """correspondent korrespondent korrespondentin correspondant correspondante corresponsal
    correspondente corrispondente inviato inviata reporter""".split()
) | {
    "envoyé spécial",
    "envoyée spéciale",
    "enviado especial",
    "enviada especial",
    "inviato speciale",
    "inviata speciale",
}
# A place after a name, set off by a preposition: "Jane Doe in Kyiv", "Max Muster aus Berlin",
# or a part of its own after a comma ("Jean Dupont, à Paris"). The place starts with a capital:
# in "Sophie in 't Veld" the "in" belongs to the name. Not "da", "de", "di" (particles of
# names: "da Silva") nor "en" (Dutch "and", split on).
_PLACE_WORD = re.compile(r"(?:^|(?<=\s))(?:in|at|from|aus|à|depuis|desde|em|uit)\s+(?=\w)")


def written_as_name(name: str) -> bool:
    """True when every word is capitalised (or uncased, or a particle such as "van")."""
    for word in name.split():
        word = _ELIDED.sub("", word) or word
        if word[0].islower() and word.casefold() not in PARTICLES:
            return False
    return True


def cut_place(text: str) -> str:
    """``text`` without a place named after it. Cut after a person's name (two words or more,
    written as a name, no article in front), after a reporter's post ("Correspondent in
    Washington", "envoyé spécial à Kiev": the post is a role, dropped as one), or when the
    place is all there is ("à Paris", a part of its own). One other word before the place is
    no name to end ("Letter from America" is a column's title)."""
    for match in _PLACE_WORD.finditer(text):
        if not text[match.end()].isupper():
            continue
        before = text[: match.start()].split()
        if not before or " ".join(before).casefold() in POSTED or person_words(before):
            return text[: match.start()]
    return text


def person_words(words: list[str]) -> bool:
    """True for a person's name's words: two or more, written as a name, no article or
    possessive in front ("The Editors", "Our Correspondent" are desks)."""
    return (
        len(words) > 1
        and words[0].casefold() not in _DETERMINERS
        and written_as_name(" ".join(words))
    )


# First words of the two-word place names a byline sets after a name ("By Jane Doe, New
# York", "Max Muster, Sankt Gallen"), and the last word of others ("Mexico City"): no
# person's name starts (or ends) with them. Not "Abu", "Hong", "Rio", "Ho": names start
# with those too.
_PLACE_HEADS = frozenset(
    """new san santa santo são sao los las saint st st. sankt port fort mount cape tel buenos
    kuala puerto porto""".split()
)
_PLACE_TAILS = frozenset({"city"})
# Written after a name with a comma, and part of it ("Martin Luther King, Jr.").
_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())


def name_suffix(part: str) -> bool:
    """True for "Jr.", "Sr.", "III": a part of the name before it, not a name of its own."""
    return part.casefold() in _SUFFIXES


def follows_name(before: str, part: str) -> bool:
    """True when ``part``, set after the name ``before`` by a comma (or a bar, or a dash), says
    where the person is or what they are rather than naming another author: one word that is
    no agency's code ("By Jane Doe, Berlin", "Jane Doe, MD"), words not written as a name
    ("Professor of History at Yale"), or a place's name ("New York", "Mexico City", "Hong
    Kong": ``placenames``). Only
    after a person's name or an agency ("By Jane Doe, Reuters, London"): after one word
    ("Doe, Jane") the part may be the rest of the name."""
    if not (person_words(before.split()) or is_agency(before)):
        return False
    words = part.split()
    if len(words) == 1:
        return not is_agency(part)
    return (
        not written_as_name(part)
        or words[0].casefold() in _PLACE_HEADS
        or words[-1].casefold() in _PLACE_TAILS
        or is_place(part)
    )
