"""The search query language, parsed and translated into safe FTS5 expressions.

    election fraud          both words (in any order)
    "border crossing"       the exact phrase
    "border cross*"         the phrase, its last word a prefix (also "border cross"*)
    putin OR kremlin        either word
    -opinion                not this word (also NOT opinion)
    elect*                  words starting with "elect"
    headline:georgia        only in the headline (also title:, body:, text:)

Every word and phrase reaches FTS5 as a double-quoted string, so no user text is ever read as
FTS5 syntax: stray quotes, operators, parentheses, NEAR(, column names or SQL are just words.
Matching folds case, accents and width (é = e, ü = u: "Muller" finds "Müller"; "ＮＡＴＯ" finds
"NATO") and the letters of newsarc.store.folding (ß = ss, ø = o, ł = l, ё = е: every word is
folded here, and the index holds the folded form of a text with such a letter); terms in
Chinese, Japanese, Korean or Thai go to the bigram index (see newsarc.store.cjk), their Latin
letters and digits to the main index (see newsarc.store.searchforms).
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# Where parse_date lived: the parser of --since/--until is newsarc.datearg's, for the library too.
from newsarc.charset import utf8_else_windows_1252
from newsarc.datearg import parse_date as parse_date
from newsarc.errors import QueryError
from newsarc.store.cjk import cjk_runs, query_tokens, without_cjk
from newsarc.store.folding import folded
from newsarc.store.searchforms import width_folded

# Value types are NamedTuples, not frozen dataclasses: creating those classes costs ~0.5 ms
# each at import, and every millisecond of start-up shows in `newsarc search`.

# More terms than this is a pasted text, not a query; FTS5 would take long on it.
MAX_TERMS = 64
COLUMNS = {"headline": "headline", "title": "headline", "body": "body", "text": "body"}
_COLUMN_PREFIX = re.compile(r"(headline|title|body|text):(?=\S)", re.IGNORECASE)
_OPERATORS = ("OR", "AND", "NOT")


class Term(NamedTuple):
    """One word or phrase as the user wrote it."""

    text: str
    phrase: bool = False
    prefix: bool = False
    column: str | None = None


class Query(NamedTuple):
    """Every group must match; a group matches when any of its terms does."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()


class Plan(NamedTuple):
    """A query as FTS5 expressions over the two indexes.

    ``main`` runs on ``articles_fts``, ``cjk`` on ``articles_cjk``; both must match where
    both are set. ``main_not``/``cjk_not`` exclude matches when that index has nothing
    positive to run. ``mixed`` holds OR groups whose terms span both indexes: each is a
    tuple of alternatives, each alternative a (main, cjk) pair that must both match.
    ``words`` are the plain texts to highlight when a snippet is built in Python, a prefix
    term's ending in "*".
    """

    main: str | None = None
    cjk: str | None = None
    main_not: str | None = None
    cjk_not: str | None = None
    mixed: tuple[tuple[tuple[str | None, str | None], ...], ...] = ()
    words: tuple[str, ...] = ()


def clean(text: str) -> str:
    """User text made safe to bind: no lone surrogates, control characters become spaces.

    Bytes that are not UTF-8 reach Python as lone surrogates (a Latin-1 terminal, or a script,
    typing "café"); they are read as Windows-1252, which is what such a terminal meant for
    Western text, rather than dropped.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            data = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a surrogate that stands for no byte
            data = text.encode("utf-8", "replace")
        text = utf8_else_windows_1252(data)
    return "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)


def has_token(text: str) -> bool:
    """True if FTS5's unicode61 tokenizer finds a token in ``text`` (letters, digits)."""
    return any(unicodedata.category(c)[0] in "LN" or unicodedata.category(c) == "Co" for c in text)


def parse(text: str) -> Query:
    """Parse the query language; QueryError when nothing is left to search for."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = negate_next = False
    for term, negated, operator in _lex(clean(text)):
        if operator:
            join_next = operator == "OR" and bool(groups)
            negate_next = operator == "NOT"
            continue
        if not has_token(term.text):
            continue
        if negated or negate_next:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = negate_next = False
    if not groups:
        if excluded:
            raise QueryError("the query only excludes words: add at least one word to look for")
        raise QueryError("nothing to search for: the query has no words")
    count = sum(len(g) for g in groups) + len(excluded)
    if count > MAX_TERMS:
        raise QueryError(f"the query has {count} words; at most {MAX_TERMS} are allowed")
    return Query(tuple(tuple(g) for g in groups), tuple(excluded))


def plan(query: Query) -> Plan:
    """Translate a parsed query into FTS5 expressions (every string double-quoted)."""
    main: list[str] = []
    cjk: list[str] = []
    mixed: list[tuple[tuple[str | None, str | None], ...]] = []
    for group in query.groups:
        pairs = [_term_exprs(term) for term in group]
        if all(c is None for _, c in pairs):
            main.append(_any([m for m, _ in pairs if m]))
        elif all(m is None for m, _ in pairs):
            cjk.append(_any([c for _, c in pairs if c]))
        elif len(pairs) == 1:
            main.append(pairs[0][0] or "")
            cjk.append(pairs[0][1] or "")
        else:
            mixed.append(tuple(pairs))
    main_out = [m for m, _ in map(_term_exprs, query.excluded) if m]
    cjk_out = [c for _, c in map(_term_exprs, query.excluded) if c]
    # a prefix term's text ends in "*" (never part of a word: unicode61 cuts there)
    words = tuple(
        term.text.rstrip("*") + "*" * term.prefix for group in query.groups for term in group
    )
    return Plan(
        main=_without(_all(main), main_out),
        cjk=_without(_all(cjk), cjk_out),
        main_not=_any(main_out) if main_out and not main else None,
        cjk_not=_any(cjk_out) if cjk_out and not cjk else None,
        mixed=tuple(mixed),
        words=words,
    )


def quote(text: str) -> str:
    """An FTS5 string: the text between double quotes, inner quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


# -- internals -------------------------------------------------------------------------


def _lex(text: str) -> list[tuple[Term, bool, str | None]]:
    """Split into (term, negated, operator) items; an operator item carries no term."""
    items: list[tuple[Term, bool, str | None]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        if negated:
            i += 1
        column = None
        match = _COLUMN_PREFIX.match(text, i)
        if match:
            column = COLUMNS[match.group(1).lower()]
            i = match.end()
        if text[i] == '"':
            end = text.find('"', i + 1)
            end = n if end == -1 else end
            body, i = text[i + 1 : end], end + 1
            prefix = i < n and text[i] == "*"
            i += prefix
            # "georgia bord*": the star typed inside the quotes means what it means after them
            stripped = body.rstrip()
            if stripped.endswith("*") and has_token(stripped):
                body, prefix = stripped.rstrip("*").rstrip(), True
            items.append((Term(body, phrase=True, prefix=prefix, column=column), negated, None))
            continue
        end = i
        while end < n and not text[end].isspace() and text[end] != '"':
            end += 1
        word, i = text[i:end], end
        if not negated and column is None and word in _OPERATORS:
            items.append((Term(""), False, word))
            continue
        stripped = word.rstrip("*")
        items.append((Term(stripped, prefix=stripped != word, column=column), negated, None))
    return items


def _term_exprs(term: Term) -> tuple[str | None, str | None]:
    """A term as (expression on articles_fts, expression on articles_cjk); None: no part."""
    runs = cjk_runs(term.text)
    if runs:
        pieces = [p for p in _folded(without_cjk(term.text)).split() if has_token(p)]
        main = _all([quote(p) for p in pieces])
        cjk = _all(
            [quote(" ".join(query_tokens(run))) + (" *" if len(run) == 1 else "") for run in runs]
        )
    else:
        main, cjk = quote(_folded(term.text)) + (" *" if term.prefix else ""), None
    if term.column:
        # the main index holds a column's words also in the column's search form
        main = f"{{{term.column} search_{term.column}}} : ({main})" if main else None
        cjk = f"{term.column} : ({cjk})" if cjk else None
    return main, cjk


def _folded(text: str) -> str:
    """A query word as the main index holds it: width and letters folded ("ＮＡＴＯ" -> "NATO",
    "Straße" -> "Strasse"), so that it finds the text and the search form alike."""
    return folded(width_folded(text))


def _all(exprs: list[str]) -> str | None:
    exprs = [e for e in exprs if e]
    if not exprs:
        return None
    return exprs[0] if len(exprs) == 1 else " AND ".join(f"({e})" for e in exprs)


def _any(exprs: list[str]) -> str:
    return exprs[0] if len(exprs) == 1 else "(" + " OR ".join(f"({e})" for e in exprs) + ")"


def _without(expr: str | None, excluded: list[str]) -> str | None:
    if expr is None or not excluded:
        return expr
    return f"({expr}) NOT {_any(excluded)}"
