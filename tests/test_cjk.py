"""CJK detection and the bigram text the store indexes (newsarc.store.cjk), the search forms
of the main index (newsarc.store.searchforms) and its tokenizer's marks."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsarc.store.cjk import CJK_CLASS, cjk_runs, has_cjk, index_text, without_cjk
from newsarc.store.folding import folded, has_foldable
from newsarc.store.searchforms import search_form, width_folded
from newsarc.store.tokenizers import INDIC_MARKS

_ANY_CJK = re.compile(f"[{CJK_CLASS}]")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", False),
        ("Council meets on budget", False),
        ("Caf\u00e9 \u201cquoted\u201d \u2014 it\u2019s na\u00efve", False),  # Latin, punctuation
        ("\u0dff", False),  # the last code point below the first CJK one
        ("\u0e01", True),  # Thai, the first (written without spaces, as Chinese)
        ("\u10ff", False),  # Georgian, between Myanmar and Hangul Jamo
        ("\u1100", True),  # Hangul Jamo
        ("\u0926\u093f\u0932\u094d\u0932\u0940", False),  # Hindi is written with spaces
        ("The \u6771\u4eac office", True),
        ("\U00020000", True),  # supplementary ideograph plane
        ("emoji \U0001f600 only", False),  # beyond the first CJK code point, not CJK
        ("\u0416\u0443\u0440\u043d\u0430\u043b \u05e2\u05d9\u05ea\u05d5\u05df", False),
    ],
)
def test_has_cjk(text: str, expected: bool) -> None:
    assert has_cjk(text) is expected


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])))
def test_has_cjk_agrees_with_the_character_class(text: str) -> None:
    assert has_cjk(text) == bool(_ANY_CJK.search(text))
    assert cjk_runs(text) == re.findall(f"[{CJK_CLASS}]+", text)
    assert without_cjk(text) == re.sub(f"[{CJK_CLASS}]+", " ", text)


def test_index_text_is_bigrams_of_each_run() -> None:
    assert index_text("\u201cthe \u6771\u4eac\u90fd\u5e81 and \u5927\u962a\u201d") == (
        "\u6771\u4eac \u4eac\u90fd \u90fd\u5e81 \u5e81 \u5927\u962a \u962a"
    )
    assert index_text("plain \u2019 text") == ""


def test_search_form_holds_what_unicode61_cannot_find() -> None:
    assert search_form("G7峰会今天在日本广岛开幕。iPhone15在, COVID-19疫情") == (
        "G7 。iPhone15 , COVID-19"
    )
    assert search_form("ＮＡＴＯ加盟国は３１か国") == "NATO 31"
    assert search_form("Full-width ＮＡＴＯ in English") == "Full-width NATO in English"
    # every word of these is found as written: nothing to add
    for text in ("plain ASCII", "Müller café", "Москва", "دمشق", "दिल्ली", "只有中文。", ""):
        assert search_form(text) == ""


def test_width_folded() -> None:
    assert width_folded("ＮＡＴＯ３１") == "NATO31"
    assert width_folded("Müller ½") == "Müller ½"  # NFKC only for full-width Latin


def test_indic_marks_are_the_nonspacing_marks_of_devanagari_to_sinhala() -> None:
    assert all(unicodedata.category(c) == "Mn" for c in INDIC_MARKS)
    if unicodedata.unidata_version == "14.0.0":  # the version the list was made from
        expected = [c for c in map(chr, range(0x0900, 0x0E00)) if unicodedata.category(c) == "Mn"]
        assert list(INDIC_MARKS) == expected


# (no lone combining accent: after a removed Thai mark NFKC would reorder it, to no effect on
# the words unicode61 makes)
@given(st.text(alphabet=st.sampled_from("aZ9 ,.-，。峰会ＮＡＴＯ３１ｱﾞ㊀가กุéßØłё")))
def test_search_form_agrees_with_nfkc_of_the_whole_text(text: str) -> None:
    """search_form cuts CJK runs before NFKC and looks for everything it needs in one scan
    (for speed): the same as NFKC first, and as looking for each thing in turn."""
    whole = " ".join(without_cjk(unicodedata.normalize("NFKC", text)).split())
    cut = folded(whole) if any(c.isalnum() for c in whole) else ""
    needed = has_cjk(text) or re.search("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]", text)
    expected = cut if needed else folded(text) if has_foldable(text) else ""
    assert search_form(text) == expected
