"""The page's language as a primary subtag ("en", "de"): declared markup checked against text."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from itertools import islice

import lxml.html

from newsarc.extractor.langcodes import ISO639_1, NAMES, THREE_LETTER, THREE_TO_TWO
from newsarc.extractor.tagged import Tagged
from newsarc.langmodel import identifier

log = logging.getLogger(__name__)

# Old or alternative codes mapped onto the ones the rest of the world uses. Filipino has no
# two-letter code: it is standard Tagalog, which the detector names "tl", so a page declared
# "fil" and one detected as Tagalog are filtered alike.
_ALIASES = {
    "nb": "no",
    "nn": "no",
    "iw": "he",
    "in": "id",
    "ji": "yi",
    "jw": "jv",
    "mo": "ro",
    "fil": "tl",
}
# Languages the detector mixes up with each other: text never overrules markup within a group.
_CLOSE = (
    {"no", "da", "sv", "nn", "nb", "fo", "is"},
    {"ms", "id", "jv"},
    {"hr", "sr", "bs", "sl", "mk"},
    {"cs", "sk"},
    {"es", "gl", "ca", "pt", "oc", "an", "ext", "it"},
    {"de", "lb", "nl", "af", "fy"},
    {"xh", "zu", "st", "nso", "sn"},
    {"zh", "ja", "wuu", "yue"},
    {"ru", "uk", "be", "bg"},
    {"fr", "wa", "ht"},
    {"mr", "gom"},
)
_CODE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_].*)?$")
_NAME = re.compile(r"[\W\d_]+")
MIN_TEXT = 200  # characters of text below which detection is only a tie-breaker
CONFIDENT = 0.99
SAMPLE = 4000  # characters the detector reads to decide
# Characters read first when the markup declares a language: the detector's cost grows with
# the text, and on almost every page a short sample already agrees with the markup. It is
# taken from the middle of the text, in the body, past a headline that may be in another
# language than the story.
QUICK_SAMPLE = 100


def primary_subtag(value: str | None) -> str | None:
    """``"de-DE"``, ``"de_AT"``, ``"DE"`` -> ``"de"``; None for anything that is not a code."""
    if not value:
        return None
    value = value.strip()
    match = _CODE.match(value)
    if not match:
        # A language's name where a code belongs ("English", "Deutsch" in a meta tag)
        return NAMES.get(_NAME.sub("", value.partition("(")[0]).casefold())
    code = match.group(1).lower()
    if len(code) == 3:
        # ISO 639-2 codes ("ger", "eng") of languages with a two-letter code; other
        # three-letter codes only for languages without one ("utf-8" is a charset)
        code = THREE_TO_TWO.get(code, code if code in THREE_LETTER else "")
    elif code not in ISO639_1:
        return None  # "zz", "xx": placeholders, not languages
    return _ALIASES.get(code, code) or None


def detect(text: str, limit: int = SAMPLE) -> tuple[str | None, float]:
    """The language of ``text`` (its first ``limit`` characters, spacing folded) by py3langid,
    and its probability ((None, 0) for no text)."""
    head = _sample(text, limit)
    if head is None:
        return None, 0.0
    code, probability = identifier().classify(head)
    return primary_subtag(str(code)), float(probability)


def detect_group(text: str, limit: int = SAMPLE) -> tuple[str | None, float]:
    """Like ``detect``, but the probability is that of the detected language's group of close
    languages: on a Malay text the detector may say Malay at 0.6 and Indonesian at 0.4, and is
    then sure of the group though not of the language."""
    head = _sample(text, limit)
    if head is None:
        return None, 0.0
    ranked = identifier().rank(head)
    code = primary_subtag(str(ranked[0][0]))
    if code is None:
        return None, 0.0
    return code, sum(float(p) for c, p in ranked if _close(code, primary_subtag(str(c)) or ""))


def _sample(text: str, limit: int) -> str | None:
    """The first ``limit`` characters of ``text`` with spacing folded; None below 20."""
    # Folding a slice, not the whole page text: only ``limit`` characters are needed. A slice
    # twice as long is enough unless the text is mostly whitespace; then fold it all.
    head = " ".join(text[: 2 * limit].split())
    if len(head) < limit and len(text) > 2 * limit:
        head = " ".join(text.split())
    return head[:limit] if len(head) >= 20 else None


def _weight(text: str) -> int:
    """The length of ``text`` counted in Latin-script letters: a Chinese, Japanese or Korean
    character carries the information of about three, so 80 of them are enough to tell."""
    if len(text) >= MIN_TEXT:
        return len(text)
    return len(text) + 2 * sum(1 for c in text if c >= "\u1100" and _wide(c))


def _wide(c: str) -> bool:
    return (
        "\u1100" <= c <= "\u11ff"  # Hangul jamo
        or "\u3040" <= c <= "\u30ff"  # kana
        or "\u3400" <= c <= "\u9fff"  # CJK ideographs
        or "\uac00" <= c <= "\ud7af"  # Hangul syllables
    )


def _close(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in _CLOSE)


def declared_languages(
    tree: lxml.html.HtmlElement, metas: dict[str, list[str]], jsonld_language: str | None
) -> list[str]:
    """Language codes the page declares, in trust order, as primary subtags."""
    values = [
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        tree.get("xml:lang"),
        *metas.get("content-language", []),
        *metas.get("language", []),
        *metas.get("dc.language", []),
        jsonld_language,
        *metas.get("og:locale", []),
    ]
    out = []
    for value in values:
        code = primary_subtag(value)
        if code and code not in out:
            out.append(code)
    return out


def page_text(tree: lxml.html.HtmlElement, limit: int = 4000, tagged: Tagged | None = None) -> str:
    """Paragraph text of the page (article paragraphs first), enough to tell the language.
    ``tagged`` holds the tree's elements of a few tags, when the caller has them."""
    parts: list[str] = []
    size = 0
    for p in islice(_paragraphs(tree, tagged), 200):
        text = " ".join(p.text_content().split())
        if len(text) < 30 and _weight(text) < 30:  # a Korean or Japanese sentence is shorter
            continue
        parts.append(text)
        size += len(text)
        if size > limit:
            break
    return " ".join(parts)


def _paragraphs(
    tree: lxml.html.HtmlElement, tagged: Tagged | None = None
) -> Iterator[lxml.html.HtmlElement]:
    """The ``<p>`` elements inside ``<article>`` elements, else inside ``<main>``, else all of
    them, in page order; lazily, since only the first few are usually read."""
    for container_tag in ("article", "main"):
        if next(_inside(tree, container_tag, tagged), None) is not None:
            yield from _inside(tree, container_tag, tagged)
            return
    yield from tree.iter("p")


def _inside(
    tree: lxml.html.HtmlElement, container_tag: str, tagged: Tagged | None = None
) -> Iterator[lxml.html.HtmlElement]:
    seen: set[lxml.html.HtmlElement] = set()
    for container in (tagged or tree).iter(container_tag):
        for p in container.iter("p"):
            if p not in seen:  # nested containers
                seen.add(p)
                yield p


def best_language(declared: list[str], text: str) -> str | None:
    """Pick the language: declared markup unless long text clearly says another language.

    Templates often declare a language the article is not in (an English ``lang`` on a
    Swahili WordPress site), so a confident detection on enough text overrules markup, but
    never for a language the detector confuses with the declared one.
    """
    size = _weight(text)
    if declared and len(set(declared)) == 1:
        if size < MIN_TEXT:
            return declared[0]  # too little text to overrule the markup
        quick, _ = detect(text[len(text) // 2 :], QUICK_SAMPLE)
        if quick is not None and _close(declared[0], quick):
            # The text is in the declared language (or one the detector confuses with it),
            # so no detection could overrule the markup.
            return declared[0]
    if not declared:
        return detect(text)[0]
    detected, probability = detect_group(text)
    first = declared[0]
    # Sure of the group, not only of the language: an Indonesian text the detector puts at
    # 0.9 Indonesian and 0.1 Malay is no more English for it
    confident = detected is not None and size >= MIN_TEXT and probability >= CONFIDENT
    if confident and detected is not None and not _close(first, detected):
        return detected
    if len(set(declared)) > 1 and detected in declared:
        return detected  # the markup disagrees with itself: the text decides
    return first
