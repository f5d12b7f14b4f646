"""Case-insensitive --section, --author, --topic and --site names in every script, not only
for ASCII letters.

SQLite's ``COLLATE NOCASE`` and ``LIKE`` fold only A-Z, so "łódź" missed "Łódź" and "KÖLN"
"Köln". Names are compared here after :func:`fold_case`: Python's ``casefold``, one letter for
one. A letter whose full case folding is longer (ß -> ss, ŉ -> ʼn) keeps its one-letter lower
case (ẞ -> ß), so a filter compares names as written, case aside: "strasse" does not find
"Straße" (search folds such letters; a filter names a section or a person). A letter outside
ASCII never folds to an ASCII one (ſ and the Kelvin sign stay as they are), so for an ASCII value
the fold is exactly SQLite's, and an ASCII ``--section`` or ``--author`` keeps the plain SQL
(no Python function called per row). Accents are kept: "Koln" does not find "Köln".

Apostrophes are one: the typographic ’ (what web pages and word processors write, "Jane
O’Brien", "Children’s") and the ʼ modifier letter are the typewriter ' that people type, and
the other way round. A value with an apostrophe goes through the function like a non-ASCII one.

A value with letters outside ASCII is compared through the SQL function
``newsarc_casefold``, which :func:`register` adds to every connection newsarc opens (readers
and writers alike: it reads, it never writes).
"""

from __future__ import annotations

import functools
import re
import sqlite3

FUNCTION = "newsarc_casefold"
# Letters outside ASCII whose casefold is one ASCII letter (Unicode 14): ſ, the Kelvin sign.
TO_ASCII = "\u017f\u212a"
_ASCII_RUN = r"[A-Za-z0-9]{2,}"
# Apostrophes written in names, each compared as the typewriter one (one character for one).
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\uff07", "'"))


def plain(value: str) -> bool:
    """Whether ``value`` compares as SQLite compares ASCII, without :data:`FUNCTION`: ASCII
    with no apostrophe (which must also find the typographic ones)."""
    return value.isascii() and "'" not in value


def fold_case(text: str) -> str:
    """``text`` with every letter's case folded, one letter for one (see the module doc)."""
    if text.isascii():
        return text.lower()
    folded = text.casefold()
    if len(folded) != len(text) or any(c in text for c in TO_ASCII):
        folded = "".join(map(_fold_letter, text))
    # else every letter folded to one letter, none to ASCII: the common case
    return folded.translate(_APOSTROPHES)


@functools.cache
def _fold_letter(char: str) -> str:
    for folded in (char.casefold(), char.lower()):
        if len(folded) == 1 and (char.isascii() or not folded.isascii()):
            return folded
    return char


def register(conn: sqlite3.Connection) -> None:
    """Give ``conn`` the SQL function the non-ASCII filters call, unless it has it already.

    ``store.connection`` does this for every connection it opens, so newsarc's own readers
    and writers always have it; :meth:`Filters.prepare` does it for a connection opened
    elsewhere. An existing function is never added again: adding one expires the
    connection's prepared statements (every later list and search would be planned anew),
    and SQLite refuses it while a statement runs (an export streaming its rows).
    """
    try:
        conn.execute(f"SELECT {FUNCTION}('')").fetchone()
        return
    except sqlite3.OperationalError:
        pass  # "no such function": add it
    # Not declared deterministic: SQLite would then push section_sql's test on the distinct
    # names down into their subquery and fold every article's section (100,000 calls, 40 ms on
    # a 100k archive, rather than one per distinct name).
    conn.create_function(FUNCTION, 1, _sql_fold)


def _sql_fold(value: str | None) -> str | None:
    return fold_case(value) if isinstance(value, str) else value


def section_sql(value: str, alias: str) -> tuple[str, list[str]]:
    """The section is ``value``, case aside (see :func:`name_sql`)."""
    return name_sql("section", value, alias)


def name_sql(column: str, value: str, alias: str) -> tuple[str, list[str]]:
    """``column`` (``section`` or ``site``: a name with an index) is ``value``, case aside.

    A :func:`plain` value is SQLite's NOCASE comparison. Any other value is looked up among the
    archive's distinct names (one pass over the column's index, folding each distinct name
    once, not each article's), and those names are then matched as stored.
    """
    if plain(value):
        return f"{alias}.{column} = ? COLLATE NOCASE", [value]
    names = (
        f"SELECT name FROM (SELECT DISTINCT {column} AS name FROM articles"
        f" WHERE {column} IS NOT NULL) WHERE {FUNCTION}(name) = ?"
    )
    return f"{alias}.{column} IN ({names})", [fold_case(value)]


def author_sql(value: str, alias: str) -> tuple[str, list[str]]:
    """Some author's name contains ``value``, case aside (see :func:`list_sql`)."""
    return list_sql("authors", value, alias)


def topic_sql(value: str, alias: str) -> tuple[str, list[str]]:
    """Some topic (a tag or keyword) contains ``value``, case aside (see :func:`list_sql`)."""
    return list_sql("topics", value, alias)


def list_sql(column: str, value: str, alias: str) -> tuple[str, list[str]]:
    """Some item of the JSON list ``column`` (``authors`` or ``topics``) contains ``value``,
    case aside.

    A :func:`plain` value is SQLite's LIKE (its case folding is ASCII's). Any other value is
    compared through :data:`FUNCTION`; its longest run of ASCII letters or digits ("ukasz" in
    "łukasz"), if any, rules out most articles first by a LIKE on the stored JSON list, where
    it is written as it is in the item.
    """
    items = f"json_each({alias}.{column})"
    if plain(value):
        return (
            f"EXISTS (SELECT 1 FROM {items} WHERE value LIKE ? ESCAPE '\\')",
            [f"%{like_escaped(value)}%"],
        )
    sql = f"EXISTS (SELECT 1 FROM {items} WHERE instr({FUNCTION}(value), ?) > 0)"
    params = [fold_case(value)]
    runs = sorted(re.findall(_ASCII_RUN, value), key=len)
    if runs:
        sql = f"{alias}.{column} LIKE ? AND {sql}"
        params.insert(0, f"%{runs[-1]}%")
    return f"({sql})", params


def like_escaped(text: str) -> str:
    """Escape LIKE wildcards so user text matches literally (with ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
