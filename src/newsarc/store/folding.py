"""Letters search treats as another spelling: ß = ss, ø = o, ł = l, đ = d, ё = е, ...

The main index's unicode61 tokenizer folds case and the accents it can take off a letter
(é = e, ü = u, ç = c), but a letter that is not an accented form of another stays a letter of
its own, so "strasse" missed "Straße", "lodz" missed "Łódź" and "петр" missed "Пётр". Those
letters are folded here, before unicode61 sees the text, following published tables rather
than our own:

- Latin: Lucene's ASCIIFoldingFilter (Elasticsearch's ``asciifolding`` filter), for the letters
  in use in European languages that unicode61 leaves apart: ß ẞ -> ss, æ -> ae, œ -> oe,
  ø -> o, ð -> d, đ -> d, þ -> th, ł -> l, ı -> i, ħ -> h (and their capitals);
- Cyrillic ё -> е: Unicode decomposes ё into е and a diaeresis, which ICU's search folding
  (UTR #30 diacritic removal) drops and unicode61 drops only from Latin letters. Russian writes
  ё optionally, so texts and users spell the same word both ways. й, ї and ў are not folded:
  in Russian, Ukrainian and Belarusian they are letters every word spells the same way, and
  folding them would merge different words (мой and мои).

The store writes the folded text of a headline or body that has such a letter into the
index's search columns (newsarc.store.searchforms) and the query folds every word the same
way, so either spelling finds both. Folding maps a letter to letters, never to a separator,
so a text has the same words, in the same places, before and after.
"""

from __future__ import annotations

import functools
import re

FOLDS = {
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
    "ð": "d", "Ð": "D", "đ": "d", "Đ": "D", "þ": "th", "Þ": "TH", "ł": "l", "Ł": "L",
    "ı": "i", "ħ": "h", "Ħ": "H", "ё": "е", "Ё": "Е",
}  # fmt: skip
LETTERS = "".join(FOLDS)


@functools.cache
def _foldable() -> re.Pattern[str]:
    # One character class: a search stops at the first hit (most German texts have a ß early).
    # Compiled on first use, not at import: 0.5 ms of every `newsarc search` start otherwise.
    return re.compile(f"[{LETTERS}]")


def has_foldable(text: str) -> bool:
    """True when ``text`` has a letter that :func:`folded` changes (ASCII never does)."""
    return not text.isascii() and _foldable().search(text) is not None


def folded(text: str) -> str:
    """``text`` with every letter of :data:`FOLDS` spelt as the table says; the same string
    (not a copy) when it has none."""
    if not has_foldable(text):
        return text
    return _foldable().sub(_spelt, text)


def _spelt(match: re.Match[str]) -> str:
    return FOLDS[match.group()]
