"""The article body: trafilatura on the parsed page, then layout checks and boilerplate rules.

Lines are the blocks trafilatura keeps (paragraphs, headings, list items, quotes, table rows).
The checks and rules see them all (a "Related stories" heading marks the list below it); at the
end the section subheadings go to their own list, and the body text joins the rest (the running
text) with exactly one blank line.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from copy import copy, deepcopy
from dataclasses import dataclass, field
from functools import lru_cache

import lxml.etree
import lxml.html
import trafilatura
from trafilatura.settings import Extractor
from trafilatura.xml import xmltotxt

from newsarc.extractor.layout import (
    Placed,
    drop_outliers,
    lost_lead,
    merge_chunks,
    place,
    split_chunks,
)
from newsarc.extractor.liveopen import open_live
from newsarc.extractor.paragraphs import strip_boilerplate
from newsarc.extractor.prune import open_inline_times, prune_tree
from newsarc.extractor.rescue import MINIMUM, looks_rescued, within
from newsarc.extractor.signups import CONTROLS
from newsarc.extractor.sourcelink import source_link
from newsarc.extractor.standins import furniture_set_aside
from newsarc.extractor.tagged import Tagged

log = logging.getLogger(__name__)

_MENU_MIN_LINES = 12
_MENU_WORDS = 4
_MENU_SHARE = 0.6
_HAN_KANA = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_OTHER_SPACES = r"\t\u00a0\u2000-\u200b\u202f\u205f\u3000"  # folded to " " with " " itself
_SPACES = re.compile(f"[ {_OTHER_SPACES}]+")
# The runs of _SPACES but those that are one plain space already (they would stay the same):
# nearly every run is a single space between words, and each match costs a replacement.
_FOLD = re.compile(f" [ {_OTHER_SPACES}]+|[{_OTHER_SPACES}][ {_OTHER_SPACES}]*")
_OTHER = re.compile(f"[{_OTHER_SPACES}]")  # _FOLD matches nothing in a text without these
# trafilatura writes a heading inside a table cell, a list item or inline markup into that
# element's own line, so only headings outside these are lines of their own.
_FOLDS_HEADINGS = frozenset({"cell", "item", "head", "hi", "ref", "del"})
# Section subheadings run to twenty words at most; a "heading" longer than this is a paragraph
# set in heading markup (a standfirst or a summary in an <h2>), and stays in the running text.
_HEADING_MAX_WORDS = 30


@dataclass
class Body:
    """The running text's paragraphs, the section subheadings found between them (in order),
    and notes on the layout fixes applied to get them."""

    paragraphs: list[str]
    subheadings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The original's address, when the body ended with a "Source link" to it (sourcelink).
    source_link: str | None = None

    @property
    def text(self) -> str:
        """The paragraphs joined by one blank line."""
        return "\n\n".join(self.paragraphs)


def split_paragraphs(text: str) -> list[str]:
    """Non-empty lines of ``text`` with inner whitespace folded to single spaces."""
    # One pass over the whole text (none of the folded characters ends a line), and none at
    # all when the text has no tab, no double space and no other space character (isascii()
    # is free, and one character class is searched three times faster than _FOLD).
    if "  " in text or "\t" in text or (not text.isascii() and _OTHER.search(text)):
        text = _FOLD.sub(" ", text)
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line]


@dataclass
class Lines:
    """trafilatura's output as lines, and for each the number of the heading it belongs to
    (trafilatura's ``<head>`` elements: the page's h1-h6, ``<summary>`` and the like; a heading
    with a line break in it makes two lines), None for other lines."""

    texts: list[str] = field(default_factory=list)
    headings: list[int | None] = field(default_factory=list)
    # trafilatura's fallbacks for a short result may have made the output (see rescue).
    fallback: bool = False


def run_trafilatura(tree: lxml.html.HtmlElement, url: str) -> Lines:
    """The body lines trafilatura finds in ``tree`` (none when it finds none).

    trafilatura's fast mode runs first; its full mode (which also compares with readability and
    jusText) runs only when the fast result is empty or looks like a page of menus. On news
    pages the two agree almost always, and the full mode costs about half again the time.
    On a short story, what trafilatura's fallbacks made of it gives way to what its main
    extractor found (see rescue).
    """
    with furniture_set_aside(tree):  # see standins
        lines = _without_fallbacks(tree, url, _trafilatura(tree, url, fast=True), fast=True)
    if not lines.texts or _menu_like(lines.texts):
        log.debug("%s: fast extraction looks wrong, running the full cascade", url)
        lines = _without_fallbacks(tree, url, _trafilatura(tree, url, fast=False), fast=False)
    return lines


def _without_fallbacks(tree: lxml.html.HtmlElement, url: str, lines: Lines, *, fast: bool) -> Lines:
    """``lines``, or when trafilatura's fallbacks for a short result made them, the main
    extractor's own lines if it found any and they are all part of ``lines``' text."""
    if not lines.fallback:
        return lines
    main = _trafilatura(tree, url, fast=fast, minimum=MINIMUM)
    if main.texts and within(main.texts, lines.texts):
        log.debug("%s: short story, the main extractor's lines taken over its fallbacks", url)
        return main
    return lines


def _menu_like(paragraphs: list[str]) -> bool:
    """Mostly lines of a few words: navigation, not an article."""
    if len(paragraphs) < _MENU_MIN_LINES:
        return False
    short = sum(_words(p) <= _MENU_WORDS for p in paragraphs)
    return short >= _MENU_SHARE * len(paragraphs)


def _words(paragraph: str) -> int:
    """Words by spacing, counted up to one past ``_MENU_WORDS`` (all a menu's lines are
    told by); Chinese and Japanese write none, so there every two characters count as one
    word (counted as one word a line, their prose looked like a menu and sent every page
    through trafilatura a second time)."""
    words = len(paragraph.split(None, _MENU_WORDS))
    if words <= _MENU_WORDS and not paragraph.isascii():
        words += len(_HAN_KANA.findall(paragraph)) // 2
    return words


def _prose_words(text: str) -> int:
    """Words by spacing, every two Chinese or Japanese characters counting as one more."""
    words = len(text.split())
    return words if text.isascii() else words + len(_HAN_KANA.findall(text)) // 2


@lru_cache(maxsize=4)
def _options(fast: bool, minimum: int | None) -> Extractor:
    # trafilatura's metadata pass is off: newsarc.extractor.metadata reads the metadata, and
    # trafilatura's would cost a third of the extraction time for fields nobody uses.
    options = Extractor(
        output_format="python",
        fast=fast,
        comments=False,
        tables=True,
        images=False,
        links=False,
        formatting=False,
        with_metadata=False,
    )
    if minimum is not None:  # not one of the constructor's arguments
        options.min_extracted_size = minimum
    return options


def _trafilatura(
    tree: lxml.html.HtmlElement, url: str, *, fast: bool, minimum: int | None = None
) -> Lines:
    # Building trafilatura's options reads its configuration file's values again on every call
    # (a tenth of its time on a small page): a copy of a ready set is the same and cheaper.
    options = copy(_options(fast, minimum))
    options.url = url
    options.source = url.encode("utf-8", "replace").decode("utf-8")
    # trafilatura copies a tree it is given, so ``tree`` is left as it was.
    document = trafilatura.bare_extraction(tree, options=options)
    text = getattr(document, "text", None)  # a Document; None when nothing was found
    if not isinstance(text, str):
        return Lines()
    texts = split_paragraphs(text)
    body = getattr(document, "body", None)  # the XML that ``text`` was written from
    if body is None:
        return Lines(texts, [None] * len(texts))
    fallback = len(text) < options.min_extracted_size or looks_rescued(body)
    return Lines(texts, _mark(texts, _headings(body)), fallback)


def _headings(body: lxml.etree._Element) -> list[list[str]]:
    """The lines trafilatura writes for each heading in its XML output, in order, leaving out
    those too long to be a heading.

    Each heading is written on its own, with trafilatura's own text writer, so its lines are
    exactly the ones it wrote into the whole text.
    """
    headings = []
    for head in body.iter("head"):
        if any(parent.tag in _FOLDS_HEADINGS for parent in head.iterancestors()):
            continue
        alone = deepcopy(head)
        alone.tail = None
        lines = split_paragraphs(xmltotxt(alone, include_formatting=False))
        if lines and _prose_words(" ".join(lines)) <= _HEADING_MAX_WORDS:
            headings.append(lines)
    return headings


def _mark(texts: list[str], headings: list[list[str]]) -> list[int | None]:
    """For each of ``texts``, the number of the heading it is a line of (None: not a heading).

    Matched in order: a heading's lines are looked for, one after the other, from where the
    previous heading was found.
    """
    marks: list[int | None] = [None] * len(texts)
    at = 0
    for number, lines in enumerate(headings):
        for line in lines:
            try:
                found = texts.index(line, at)
            except ValueError:
                continue  # not written as a line of its own (should not happen); skip it
            marks[found] = number
            at = found + 1
    return marks


def split_subheadings(paragraphs: list[str], lines: Lines) -> tuple[list[str], list[str]]:
    """``paragraphs`` (what is left of ``lines`` after the checks and rules) as the running
    text and the subheadings; the lines of one heading become one subheading again.

    A text that trafilatura wrote more than once is taken occurrence by occurrence; a paragraph
    that is not one of its lines (a recovered lead) is running text.
    """
    marks: dict[str, deque[int | None]] = {}
    for text, heading in zip(lines.texts, lines.headings, strict=True):
        marks.setdefault(text, deque()).append(heading)
    running: list[str] = []
    subheadings: list[str] = []
    last: int | None = None  # the heading that the previous paragraph was a line of
    for paragraph in paragraphs:
        queue = marks.get(paragraph)
        heading = queue.popleft() if queue else None
        if heading is None:
            running.append(paragraph)
        elif heading == last:
            subheadings[-1] += " " + paragraph
        else:
            subheadings.append(paragraph)
        last = heading
    return running, subheadings


def extract_body(
    tree: lxml.html.HtmlElement,
    url: str,
    *,
    headline: str | None = None,
    standfirst: str | None = None,
    tagged: Tagged | None = None,
    live: bool = False,
) -> Body:
    """The cleaned body paragraphs of the page at ``url`` (empty when there is no body).

    ``tree`` is changed in place (hidden copies pruned, split body chunks merged), so read the
    metadata from it first. ``headline`` and ``standfirst`` (the page description) are removed
    where the body repeats them. ``tagged`` holds the tree's elements of a few tags, when the
    caller has them. ``live``: the page calls itself a live blog (see liveblog).
    """
    notes: list[str] = []
    h1s = (tagged or tree).iter("h1")
    headlines = [headline, *(_SPACES.sub(" ", h1.text_content()).strip() for h1 in h1s)]
    # Looked up once: neither pruning nor merging chunks adds or removes a <body>, or moves the
    # page's one <body> (see anchors.only_body).
    bodies = list((tagged or tree).iter("body"))
    if live and open_live(tree, tagged):
        notes.append("opened the live blog's updates")
    if open_inline_times((tagged or tree).iter("time")):
        notes.append("kept the words of dates in running text")
    controls = None
    if tagged is not None:  # the order of the controls does not matter (see signups)
        controls = [el for tag in CONTROLS for el in tagged.iter(tag)]
    if prune_tree(tree, bodies, controls):
        notes.append("pruned hidden or inline link markup")
    lines = run_trafilatura(tree, url)
    paragraphs = lines.texts
    if not paragraphs:
        return Body([], notes=notes)
    placed, box = place(tree, paragraphs, bodies)
    if box is not None:
        chunks = split_chunks(box, paragraphs)
        if chunks:
            merge_chunks(chunks)
            again = run_trafilatura(tree, url)
            if sum(map(len, again.texts)) > sum(map(len, paragraphs)):
                notes.append(f"merged {len(chunks)} split body chunks")
                lines = again
                paragraphs = lines.texts
                placed, box = place(tree, paragraphs, bodies)
    kept = drop_outliers(placed, headlines, standfirst)
    if len(kept) < len(placed):
        notes.append(f"dropped {len(placed) - len(kept)} paragraphs outside the body container")
    if kept:
        lead = lost_lead(kept[0].text, kept[0].block, "\n".join(paragraphs))
        if lead:
            notes.append("recovered a dropped lead")
            kept[:0] = [Placed(text, 0) for text in lead]
    cleaned = strip_boilerplate([p.text for p in kept], headlines=headlines, standfirst=standfirst)
    if notes:
        log.debug("%s: %s", url, "; ".join(notes))
    running, subheadings = split_subheadings(cleaned, lines)
    return Body(running, subheadings, notes, source_link(kept, url))
