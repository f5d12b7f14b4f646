"""The guard's fast paths give the answers of the plain computations they replaced.

- ``extract`` skips the defuse scan where ``precheck.plain`` and ``precheck.too_deep`` show it
  would change nothing: whatever ``plain`` accepts, the scan leaves alone, and extract's
  answer (article or error) is the one the full guard gives;
- control characters and mojibake are looked for in UTF-8 bytes, and the junk count looks up
  each distinct character once; each is checked against the straightforward version.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarc.errors import ExtractError
from newsarc.extractor import article as article_module
from newsarc.extractor import extract
from newsarc.extractor.article import parse_html
from newsarc.extractor.defuse import MarkupLimits, defuse
from newsarc.extractor.guard import check_page
from newsarc.extractor.precheck import plain, too_deep
from newsarc.extractor.textcheck import (
    MOJIBAKE,
    Readability,
    _junk_count,
    control_share,
    readability,
    sample,
    samples,
    undo_sequence,
    utf8,
)
from tests.conftest import FIXTURES
from tests.test_extract_hostile import BARE_INPUTS, URL, article_markup, nested, page

# --- precheck.plain: what it accepts, the scan leaves alone -----------------------------------

FRAGMENTS = [
    "<div>", "</div>", "<p>", "</p>", "<body>", "</body>", "</BODY >", "</html>", "<html>",
    "</bodyx>", "<!--", "-->", "<!-- c -->", "<!---->", "<!-->", "<!doctype html>", "<?x?>",
    "<!x>", '"', "'", "=", " ", "\n", "\t", ">", "<", "</", "<x", "text", "word", "&nbsp;",
    "<script>", "</script>", "<style>", "</style>", "<title>", "</title>", "<textarea>",
    "</textarea>", "<iframe>", "</iframe>", "<noscript>", "<link>", "<meta>", "<br/>",
    '<a b="', "<a b='", '<a title="</body>">', "<img src=x>", "x</body>y",
]  # fmt: skip
TINY = MarkupLimits(
    max_wrapper_depth=3, max_depth=4, max_elements=6, max_tags=6, max_run=5, max_chars=40
)
markup = st.lists(st.sampled_from(FRAGMENTS), max_size=24).map("".join)


@settings(max_examples=400, deadline=None)
@given(markup, st.sampled_from([MarkupLimits(), TINY]))
def test_what_plain_accepts_the_scan_leaves_alone(html: str, limits: MarkupLimits) -> None:
    if not plain(html, limits):
        return
    result = defuse(html, limits)
    assert result.has_markup
    assert (result.stray_ends, result.dropped_runs, result.cut_at) == (0, 0, None)
    assert result.unwrapped or result.html is html  # depth is left to too_deep


@pytest.mark.parametrize(
    "html",
    [
        page(article_markup()),
        page(article_markup()) + "\n<!-- cached 12:00 -->\n",
        page(article_markup()).upper(),
        "<p>" + "word " * 50,
    ],
)
def test_ordinary_pages_are_plain(html: str) -> None:
    assert plain(html)


@pytest.mark.parametrize(
    ("html", "limits"),
    [
        (page(article_markup()) + "<p>after the end</p>", MarkupLimits()),  # stray </html>
        (page(article_markup()) + "<script>x()</script>", MarkupLimits()),  # unsure: scan
        ("just text, no markup at all", MarkupLimits()),
        ("<!-- only a comment <p>x</p> -->", MarkupLimits()),
        (page(article_markup(40)), MarkupLimits(max_elements=40)),
        (page(article_markup(4)), MarkupLimits(max_run=100)),
    ],
)
def test_pages_plain_cannot_vouch_for(html: str, limits: MarkupLimits) -> None:
    assert not plain(html, limits)


def test_too_deep_reads_the_depth_libxml2_built() -> None:
    assert not too_deep(parse_html(page(article_markup()), URL))
    assert not too_deep(parse_html(nested(90), URL))
    assert too_deep(parse_html(nested(120), URL))
    assert too_deep(parse_html(nested(3000), URL))  # libxml2 stopped at its own limit
    assert too_deep(parse_html(nested(20), URL), MarkupLimits(max_wrapper_depth=10))


# --- extract: the fast path answers as the full guard does -----------------------------------


def full_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make extract() take the full guard for every page."""
    monkeypatch.setattr(article_module, "plain", lambda html, **_: False)


def outcome(html: str | bytes) -> dict[str, object]:
    try:
        found = extract(html, URL)
    except ExtractError as exc:
        return {"error": str(exc)}
    return dataclasses.asdict(found)


PAGES = {
    **{f"fixture-{path.stem}": path.read_bytes() for path in sorted(FIXTURES.glob("*/*.html"))},
    **BARE_INPUTS,
    "scripts-only": page("<script>document.write('<p>hi</p>')</script>"),
    "entities-only": page("<p>&nbsp;&#160;</p>"),
    "notice": page("<p>Please enable JavaScript to read this article.</p>"),
    "ninety-deep": page("<div>" * 90 + article_markup() + "</div>" * 90),
    "deep": page("<div>" * 130 + article_markup()),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_extract_gives_the_full_guards_answer(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = outcome(PAGES[name])
    full_guard(monkeypatch)
    assert outcome(PAGES[name]) == fast


@pytest.mark.parametrize("name", ["fixture-german", "fixture-russian-cp1251", "lone-surrogates"])
def test_the_shared_encoding_is_what_the_parser_would_encode(name: str) -> None:
    checked = check_page(PAGES[name], URL)
    if "\ud800" in checked.text:
        assert checked.utf8 is None
    else:
        assert checked.utf8 == checked.text.encode("utf-8", "replace")
    shared = parse_html(checked.text, URL, encoded=checked.utf8)
    assert lxml.html.tostring(shared) == lxml.html.tostring(parse_html(checked.text, URL))


def test_a_page_of_scripts_fails_with_the_guards_own_reason() -> None:
    html = page("<script>document.write('<p>hi</p>')</script>")
    assert plain(html)
    with pytest.raises(ExtractError, match="no visible text, only scripts and markup"):
        extract(html, URL)


# --- textcheck: byte-level scans and the junk count -----------------------------------------

_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_JUNK = frozenset(("Cc", "Co", "Cn", "Cs"))
ALPHABET = (
    "aeé \n\t\x0c\x00\x01\x1f\x7f\x80\x9f\xa0©»ÂÃâïðô€™œŸ–—\ufffd\u00ad\u200b\u200e\ufeff"
    "日本語Привет\ue000\U000e0fff\ud800\U0001f600"
)
texts = st.text(alphabet=ALPHABET, max_size=300)


def plain_control_share(text: str) -> tuple[float, float]:
    parts = samples(text)
    total = sum(len(part) for part in parts) or 1
    nuls = sum(part.count("\x00") for part in parts)
    return nuls / total, sum(len(_CONTROL.findall(part)) for part in parts) / total


def plain_readability(text: str) -> Readability:
    result = Readability()
    for part in samples(text):
        result.non_ascii += len(part) - len(part.encode("ascii", "ignore"))
        result.replacement += part.count("\ufffd")
        for sequence in MOJIBAKE.findall(part):
            if "\ufffd" in sequence:
                result.broken += 1
            elif undo_sequence(sequence) is not None:
                result.sequences += 1
            else:
                continue
            result.double_encoded += len(sequence)
    return result


def plain_junk_count(sample: str) -> int:
    return sum(1 for char in sample if char == "\ufffd" or unicodedata.category(char) in _JUNK)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_control_share_counts_as_the_regular_expression(text: str) -> None:
    assert control_share(text) == plain_control_share(text)
    assert control_share(text, utf8(text)) == plain_control_share(text)
    assert control_share(text, taken=sample(text, utf8(text))) == plain_control_share(text)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_readability_finds_what_the_full_scan_finds(text: str) -> None:
    assert readability(text) == plain_readability(text)
    assert readability(text, utf8(text)) == plain_readability(text)
    assert readability(text, taken=sample(text, utf8(text))) == plain_readability(text)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_junk_count_is_the_per_character_count(text: str) -> None:
    sample = "".join(text.split())
    assert _junk_count(sample) == plain_junk_count(sample)


def test_byte_scans_on_long_text_and_real_mojibake() -> None:
    german = "Straße, Größe und Übermut: ä ö ü é — “Zitat” » «. "
    mojibake = german.encode("utf-8").decode("cp1252", errors="replace")
    for text in (german * 9000, mojibake * 9000, ("x\x01" + german) * 5000):
        assert len(samples(text)) == 3
        assert control_share(text) == plain_control_share(text)
        assert readability(text) == plain_readability(text)
        taken = sample(text, utf8(text))
        assert control_share(text, taken=taken) == plain_control_share(text)
        assert readability(text, taken=taken) == plain_readability(text)
    assert readability(mojibake * 10).mojibake
