"""The words of a headline or body that the main index cannot find as written.

``articles_fts`` (unicode61) splits text at spaces and punctuation and folds case and accents,
which misses two things common in Chinese, Japanese, Korean and Thai news:

- Latin letters and digits written against those scripts ("G7峰会", "iPhone15在", "2024年")
  are inside one token with the text around them, so "G7" or "2024" never matches;
- full-width Latin letters and digits ("ＮＡＴＯ", "３１") fold to themselves, not to "nato".

For such a text the store fills ``search_headline`` / ``search_body``, two more columns of
``articles_fts``, with :func:`search_form`: the text in NFKC (width-folded) with its runs of
those scripts cut out (they are in ``articles_cjk``), in order, so that phrases of Latin words
("COVID-19") still match. Every other text (ASCII, Latin, Cyrillic, Arabic, Indic) gets an empty
form, so its index is what unicode61 makes of headline and body alone.

The columns are filled only by newsarc's store: a tool that edits ``headline`` or ``body``
leaves them as they were, as it leaves ``articles_cjk``.
"""

from __future__ import annotations

import re
import unicodedata

from newsarc.store.cjk import has_cjk, without_cjk

# Full-width digits and Latin letters (ＮＡＴＯ, ３１): NFKC folds them to ASCII.
_FULL_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def width_folded(text: str) -> str:
    """``text`` in NFKC when it holds full-width Latin or digits (a query word: "ＮＡＴＯ" must
    find "NATO", which :func:`search_form` stores for it), else unchanged."""
    return unicodedata.normalize("NFKC", text) if _FULL_WIDTH.search(text) else text


def search_form(text: str) -> str:
    """What the main index gets beside ``text``: its words that unicode61 cannot find as
    written ("G7峰会" -> "G7", "ＮＡＴＯ" -> "NATO"), or "" when it finds every word."""
    if text.isascii() or not (has_cjk(text) or _FULL_WIDTH.search(text)):
        return ""
    # cut first (NFKC of a long CJK text costs ten times more), then again what NFKC made CJK
    form = " ".join(without_cjk(unicodedata.normalize("NFKC", without_cjk(text))).split())
    return form if any(char.isalnum() for char in form) else ""
