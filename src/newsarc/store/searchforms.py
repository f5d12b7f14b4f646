"""The words of a headline or body that the main index cannot find as written.

``articles_fts`` (unicode61) splits text at spaces and punctuation and folds case and accents,
which misses three things:

- Latin letters and digits written against Chinese, Japanese, Korean or Thai ("G7峰会",
  "iPhone15在", "2024年") are inside one token with the text around them, so "G7" or "2024"
  never matches;
- full-width Latin letters and digits ("ＮＡＴＯ", "３１") fold to themselves, not to "nato";
- letters that are not an accented form of another (ß, ø, ł, đ, æ, ё: newsarc.store.folding)
  stay letters of their own, so "strasse" never matches "Straße", nor "lodz" "Łódź".

For such a text the store fills ``search_headline`` / ``search_body``, two more columns of
``articles_fts``, with :func:`search_form`. A text with CJK or full-width characters gets the
text in NFKC (width-folded) with its runs of those scripts cut out (they are in
``articles_cjk``), in order, so that phrases of Latin words ("COVID-19") still match. A text
with only letters to fold gets the whole text folded ("Große Koalition" -> "Grosse Koalition"),
so that phrases and column filters work across the folded letters as they do on the text
itself. The query folds its words the same way (newsarc.query). Every other text (ASCII, and
most French, Spanish, Hindi or Arabic text) gets an empty form, so its index is what unicode61
makes of headline and body alone.

The columns are filled only by newsarc's store: a tool that edits ``headline`` or ``body``
leaves them as they were, as it leaves ``articles_cjk``.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from newsarc.store.cjk import CJK_CLASS, without_cjk
from newsarc.store.folding import LETTERS, folded

# Full-width digits and Latin letters (ＮＡＴＯ, ３１): NFKC folds them to ASCII.
_FULL_WIDTH_CLASS = "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_FULL_WIDTH = re.compile(f"[{_FULL_WIDTH_CLASS}]")


@functools.cache
def _pattern(kind: str) -> re.Pattern[str]:
    # compiled on first use: the CJK ranges cost milliseconds, which `newsarc search` never needs
    if kind == "any":  # anything that needs a form: one scan of a text that needs none
        return re.compile(f"[{CJK_CLASS}{_FULL_WIDTH_CLASS}{LETTERS}]")
    return re.compile(f"[{CJK_CLASS}{_FULL_WIDTH_CLASS}]")  # "cut": needs cutting and NFKC


def width_folded(text: str) -> str:
    """``text`` in NFKC when it holds full-width Latin or digits (a query word: "ＮＡＴＯ" must
    find "NATO", which :func:`search_form` stores for it), else unchanged."""
    return unicodedata.normalize("NFKC", text) if _FULL_WIDTH.search(text) else text


def search_form(text: str) -> str:
    """What the main index gets beside ``text``: its words that unicode61 cannot find as
    written ("G7峰会" -> "G7", "ＮＡＴＯ" -> "NATO", "Straße" -> "Strasse"), or "" when it
    finds every word."""
    if text.isascii():
        return ""
    first = _pattern("any").search(text)
    if first is None:  # the common case: one scan, no copy
        return ""
    if _pattern("cut").search(text, first.start()) is None:
        return folded(text)
    # cut first (NFKC of a long CJK text costs ten times more), then again what NFKC made CJK
    form = " ".join(without_cjk(unicodedata.normalize("NFKC", without_cjk(text))).split())
    return folded(form) if any(char.isalnum() for char in form) else ""
