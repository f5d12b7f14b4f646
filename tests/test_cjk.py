"""CJK detection and the bigram text the store indexes (newsarc.store.cjk)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsarc.store.cjk import _CJK_CLASS, cjk_runs, has_cjk, index_text, without_cjk

_ANY_CJK = re.compile(f"[{_CJK_CLASS}]")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", False),
        ("Council meets on budget", False),
        ("Caf\u00e9 \u201cquoted\u201d \u2014 it\u2019s na\u00efve", False),  # Latin, punctuation
        ("\u10ff", False),  # the last code point below the first CJK one
        ("\u1100", True),  # Hangul Jamo, the first
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
    assert cjk_runs(text) == re.findall(f"[{_CJK_CLASS}]+", text)
    assert without_cjk(text) == re.sub(f"[{_CJK_CLASS}]+", " ", text)


def test_index_text_is_bigrams_of_each_run() -> None:
    assert index_text("\u201cthe \u6771\u4eac\u90fd\u5e81 and \u5927\u962a\u201d") == (
        "\u6771\u4eac \u4eac\u90fd \u90fd\u5e81 \u5e81 \u5927\u962a \u962a"
    )
    assert index_text("plain \u2019 text") == ""
