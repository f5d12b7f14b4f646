"""The page's language as a primary subtag ("en", "de"): declared markup checked against text."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from itertools import islice

import lxml.html

from newsarc.extractor.tagged import Tagged
from newsarc.langmodel import identifier

log = logging.getLogger(__name__)

# Old or alternative codes mapped onto the ones the rest of the world uses.
_ALIASES = {"nb": "no", "nn": "no", "iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}
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
)
# Three-letter codes that stand for a language without a two-letter one (ISO 639-2/3).
_THREE_LETTER = {
    "ace",
    "ary",
    "arz",
    "ast",
    "bcl",
    "ceb",
    "ckb",
    "crh",
    "ext",
    "fil",
    "fuv",
    "gcf",
    "gcr",
    "gom",
    "grc",
    "gsw",
    "gug",
    "guw",
    "haw",
    "hbo",
    "hsb",
    "kab",
    "kik",
    "lij",
    "lmo",
    "ltg",
    "mai",
    "nds",
    "nso",
    "pcm",
    "scn",
    "sdh",
    "szl",
    "tet",
    "uzs",
    "vec",
    "war",
    "wuu",
    "yue",
}
_CODE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_].*)?$")
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
    match = _CODE.match(value.strip())
    if not match:
        return None
    code = match.group(1).lower()
    if len(code) == 3 and code not in _THREE_LETTER:
        return None  # "utf-8" in a language tag is a charset, not a language
    return _ALIASES.get(code, code)


def detect(text: str, limit: int = SAMPLE) -> tuple[str | None, float]:
    """The language of ``text`` (its first ``limit`` characters, spacing folded) by py3langid,
    and its probability ((None, 0) for no text)."""
    # Folding a slice, not the whole page text: only ``limit`` characters are needed. A slice
    # twice as long is enough unless the text is mostly whitespace; then fold it all.
    head = " ".join(text[: 2 * limit].split())
    if len(head) < limit and len(text) > 2 * limit:
        head = " ".join(text.split())
    if len(head) < 20:
        return None, 0.0
    code, probability = identifier().classify(head[:limit])
    return primary_subtag(str(code)), float(probability)


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
        if len(text) < 30:
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
    if declared and len(set(declared)) == 1:
        if len(text) < MIN_TEXT:
            return declared[0]  # too little text to overrule the markup
        quick, _ = detect(text[len(text) // 2 :], QUICK_SAMPLE)
        if quick is not None and _close(declared[0], quick):
            # The text is in the declared language (or one the detector confuses with it),
            # so no detection could overrule the markup.
            return declared[0]
    detected, probability = detect(text)
    if not declared:
        return detected
    first = declared[0]
    confident = detected is not None and len(text) >= MIN_TEXT and probability >= CONFIDENT
    if confident and detected is not None and not _close(first, detected):
        return detected
    if len(set(declared)) > 1 and detected in declared:
        return detected  # the markup disagrees with itself: the text decides
    return first
