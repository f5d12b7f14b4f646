"""The FTS5 tokenizers of the two indexes, as migration m012 declares them.

Both are SQLite's own ``unicode61`` with options, never a custom tokenizer: Datasette and
sqlite-utils must be able to read ``articles_fts`` (and anything else that opens the archive
must be able to write ``articles``, whose triggers feed it).

Main index (``articles_fts``): ``unicode61`` counts only letters, digits and private-use
characters as parts of a word, so the vowel signs and viramas of Devanagari, Bengali, Tamil and
the other Indic scripts split every word into single consonants ("दिल्ली" was stored as
"द ल ल", and "दाल" matched it). Spacing marks (category Mc) are therefore word characters, and
so are the non-spacing marks (Mn) of the Indic blocks U+0900-U+0DFF, listed below. Other
non-spacing marks stay separators: Arabic and Hebrew vowel points are optional, and a word
written with them must still match one written without (as before).

Bigram index (``articles_cjk``): every mark is part of a bigram ("รุ" keeps its vowel), so that
two Thai words differing only in a vowel or tone mark are different words.
"""

from __future__ import annotations

# Every non-spacing mark (Mn) in U+0900-U+0DFF (Devanagari to Sinhala) in Unicode 14.
_INDIC_MARKS = (
    (0x0900, 0x0902), (0x093A, 0x093A), (0x093C, 0x093C), (0x0941, 0x0948), (0x094D, 0x094D),
    (0x0951, 0x0957), (0x0962, 0x0963), (0x0981, 0x0981), (0x09BC, 0x09BC), (0x09C1, 0x09C4),
    (0x09CD, 0x09CD), (0x09E2, 0x09E3), (0x09FE, 0x09FE), (0x0A01, 0x0A02), (0x0A3C, 0x0A3C),
    (0x0A41, 0x0A42), (0x0A47, 0x0A48), (0x0A4B, 0x0A4D), (0x0A51, 0x0A51), (0x0A70, 0x0A71),
    (0x0A75, 0x0A75), (0x0A81, 0x0A82), (0x0ABC, 0x0ABC), (0x0AC1, 0x0AC5), (0x0AC7, 0x0AC8),
    (0x0ACD, 0x0ACD), (0x0AE2, 0x0AE3), (0x0AFA, 0x0AFF), (0x0B01, 0x0B01), (0x0B3C, 0x0B3C),
    (0x0B3F, 0x0B3F), (0x0B41, 0x0B44), (0x0B4D, 0x0B4D), (0x0B55, 0x0B56), (0x0B62, 0x0B63),
    (0x0B82, 0x0B82), (0x0BC0, 0x0BC0), (0x0BCD, 0x0BCD), (0x0C00, 0x0C00), (0x0C04, 0x0C04),
    (0x0C3C, 0x0C3C), (0x0C3E, 0x0C40), (0x0C46, 0x0C48), (0x0C4A, 0x0C4D), (0x0C55, 0x0C56),
    (0x0C62, 0x0C63), (0x0C81, 0x0C81), (0x0CBC, 0x0CBC), (0x0CBF, 0x0CBF), (0x0CC6, 0x0CC6),
    (0x0CCC, 0x0CCD), (0x0CE2, 0x0CE3), (0x0D00, 0x0D01), (0x0D3B, 0x0D3C), (0x0D41, 0x0D44),
    (0x0D4D, 0x0D4D), (0x0D62, 0x0D63), (0x0D81, 0x0D81), (0x0DCA, 0x0DCA), (0x0DD2, 0x0DD4),
    (0x0DD6, 0x0DD6),
)  # fmt: skip
INDIC_MARKS = "".join(chr(c) for start, end in _INDIC_MARKS for c in range(start, end + 1))

MAIN_TOKENIZER = (
    f"unicode61 remove_diacritics 2 categories 'L* N* Co Mc' tokenchars '{INDIC_MARKS}'"
)
CJK_TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
