"""Session 16's cuts to the body side's CPU give the answers of the plain ways they replaced.

``drop_repeats`` fingerprints only the neighbours whose openings (``textprint.opening``) do not
tell them apart; ``split_chunks`` fingerprints the extracted text only when there is a chunk to
compare; the menu test counts a line's words only up to one past its limit.
"""

from __future__ import annotations

import re
import unicodedata

import lxml.html
from hypothesis import given
from hypothesis import strategies as st

from newsarc.extractor import anchors
from newsarc.extractor.body import _HAN_KANA, _MENU_WORDS, _menu_like
from newsarc.extractor.layout import place, split_chunks
from newsarc.extractor.paragraphs import drop_repeats
from newsarc.extractor.textprint import _PLAIN_START, apart, fingerprint, opening

# Letters, digits, punctuation, typeset quotes and dashes, a no-break space, a combining accent
# (it composes with the letter before it), a ligature and an ellipsis (NFKC expands them), "ß"
# and "İ" (case folding expands them), Cyrillic and Han.
_ALPHABET = (
    "aAeEiIsSk1_ .,:-'\"\u2019\u201c\u201d\u2014\u00a0\u0301\ufb01\u2026\u00df\u0130\u0436\u4e2d"
)
_TEXTS = st.text(alphabet=_ALPHABET, max_size=40)


@given(_TEXTS)
def test_an_opening_is_the_start_of_the_fingerprint(text: str) -> None:
    start = opening(text)
    if start is not None:
        assert fingerprint(text).startswith(start)


@given(_TEXTS, _TEXTS)
def test_texts_told_apart_by_their_openings_have_different_fingerprints(a: str, b: str) -> None:
    if apart(opening(a), opening(b)):
        assert fingerprint(a) != fingerprint(b)


def test_openings_tell_apart_paragraphs_under_a_shared_label() -> None:
    a = "Photo: \u201cWe will rebuild,\u201d the mayor said on Monday."
    b = "Photo: The river rose two metres overnight."
    assert apart(opening(a), opening(b))
    assert not apart(opening(a), opening(a.upper()))
    assert opening("e\u0301t\u00e9") is None  # the accent composes with the first letter
    assert opening("\u0416\u0443\u0440\u043d\u0430\u043b") is None


def test_the_plain_characters_stay_out_of_words_and_compose_with_nothing() -> None:
    plain = [chr(c) for c in range(0x80, 0x2200) if _PLAIN_START.fullmatch(chr(c))]
    assert "\u2019" in plain and "\u00e9" not in plain
    for char in plain:
        assert not re.search(r"\w", unicodedata.normalize("NFKC", char).casefold())
        for other in ["a", "E", "\u0301", "\u0327", "\u0308"]:
            for pair in (char + other, other + char):
                assert unicodedata.normalize("NFKC", pair) == "".join(
                    unicodedata.normalize("NFKC", c) for c in pair
                )


def _plain_drop_repeats(paragraphs: list[str], min_words: int = 8) -> list[str]:
    kept: list[str] = []
    previous = ""
    for paragraph in paragraphs:
        key = fingerprint(paragraph)
        if key == previous and len(key.split()) >= min_words:
            continue
        previous = key
        kept.append(paragraph)
    return kept


_SENTENCES = st.sampled_from(
    [
        "Copy 1. The council met on Tuesday to discuss the budget for next year.",
        "Copy 1. THE COUNCIL MET ON TUESDAY TO DISCUSS THE BUDGET FOR NEXT YEAR!",
        "Copy 1. \u201cThe council met on Tuesday to discuss the budget for next year.\u201d",
        "Copy 1. The council met on Tuesday.",
        "Copy 1.",
        "Photo: Jane Doe",
        "e\u0301te\u0301 was hot and dry in the whole of the region this year again",
        "\u00e9t\u00e9 was hot and dry in the whole of the region this year again",
        "\u0416\u0443\u0440\u043d\u0430\u043b \u0436\u0443\u0440\u043d\u0430\u043b a b c d e f g h",
    ]
)


@given(st.lists(_SENTENCES, max_size=12), st.integers(min_value=0, max_value=10))
def test_drop_repeats_is_the_plain_comparison(paragraphs: list[str], min_words: int) -> None:
    assert drop_repeats(paragraphs, min_words) == _plain_drop_repeats(paragraphs, min_words)


def _plain_words(paragraph: str) -> int:
    words = len(paragraph.split())
    if words <= _MENU_WORDS and not paragraph.isascii():
        words += len(_HAN_KANA.findall(paragraph)) // 2
    return words


@given(st.lists(st.text(alphabet="ab \u4e2d\u3042", max_size=30), max_size=20))
def test_menu_lines_are_counted_as_before(lines: list[str]) -> None:
    short = sum(_plain_words(line) <= _MENU_WORDS for line in lines)
    assert _menu_like(lines) == (len(lines) >= 12 and short >= 0.6 * len(lines))


def test_split_chunks_still_finds_a_split_body() -> None:
    story = " ".join(
        f"Sentence {n} of the story is about the harbour and its boats." for n in range(3)
    )
    rest = " ".join(
        f"Line {n} of the second half says the boats came back at dawn." for n in range(3)
    )
    tree = lxml.html.fromstring(
        "<html><body><div class='grid'>"
        f"<div class='story-chunk body'><p>{story}</p></div><div class='ad'>Advert</div>"
        f"<div class='story-chunk body'><p>{rest}</p></div></div></body></html>"
    )
    _, box = place(tree, [story])
    assert box is not None
    chunks = split_chunks(box, [story])
    assert [c.get("class") for c in chunks] == ["story-chunk body", "story-chunk body"]
    assert split_chunks(box, [story, rest]) == []


def test_text_nodes_skip_only_the_invisible_parents() -> None:
    tree = lxml.html.fromstring(
        "<html><body>lead<noscript>n<b>in b</b>after b</noscript>tail of noscript"
        "<template>t</template><script type='application/ld+json'>{}</script>"
        "<p>p<i>i</i>i tail</p>\u00a0</body></html>"
    )
    found = [str(t) for t in anchors._text_nodes(tree)]
    assert found == ["lead", "in b", "tail of noscript", "p", "i", "i tail", "\u00a0"]
