"""The article body: trafilatura on the parsed page, then layout checks and boilerplate rules.

Paragraphs are the blocks trafilatura keeps (paragraphs, headings, list items, quotes, table
rows); the body text joins them with exactly one blank line.
"""

from __future__ import annotations

import logging
import re
from copy import copy
from dataclasses import dataclass, field
from functools import lru_cache

import lxml.html
import trafilatura
from trafilatura.settings import Extractor

from newsarc.extractor.layout import (
    Placed,
    drop_outliers,
    lost_lead,
    merge_chunks,
    place,
    split_chunks,
)
from newsarc.extractor.paragraphs import strip_boilerplate
from newsarc.extractor.prune import prune_tree

log = logging.getLogger(__name__)

_MENU_MIN_LINES = 12
_MENU_WORDS = 4
_MENU_SHARE = 0.6
_HAN_KANA = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


@dataclass
class Body:
    """The body paragraphs, and notes on the layout fixes applied to get them."""

    paragraphs: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The paragraphs joined by one blank line."""
        return "\n\n".join(self.paragraphs)


def split_paragraphs(text: str) -> list[str]:
    """Non-empty lines of ``text`` with inner whitespace folded to single spaces."""
    # One pass over the whole text (none of the folded characters ends a line), and none at
    # all when the text is plain ASCII without tabs or double spaces (isascii() is free).
    if not text.isascii() or "\t" in text or "  " in text:
        text = _SPACES.sub(" ", text)
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line]


def run_trafilatura(tree: lxml.html.HtmlElement, url: str) -> list[str]:
    """The body paragraphs trafilatura finds in ``tree`` (empty when it finds none).

    trafilatura's fast mode runs first; its full mode (which also compares with readability and
    jusText) runs only when the fast result is empty or looks like a page of menus. On news
    pages the two agree almost always, and the full mode costs about half again the time.
    """
    paragraphs = _trafilatura(tree, url, fast=True)
    if not paragraphs or _menu_like(paragraphs):
        log.debug("%s: fast extraction looks wrong, running the full cascade", url)
        paragraphs = _trafilatura(tree, url, fast=False)
    return paragraphs


def _menu_like(paragraphs: list[str]) -> bool:
    """Mostly lines of a few words: navigation, not an article."""
    if len(paragraphs) < _MENU_MIN_LINES:
        return False
    short = sum(_words(p) <= _MENU_WORDS for p in paragraphs)
    return short >= _MENU_SHARE * len(paragraphs)


def _words(paragraph: str) -> int:
    """Words by spacing; Chinese and Japanese write none, so there every two characters count
    as one word (counted as one word a line, their prose looked like a menu and sent every
    page through trafilatura a second time)."""
    words = len(paragraph.split())
    if words <= _MENU_WORDS and not paragraph.isascii():
        words += len(_HAN_KANA.findall(paragraph)) // 2
    return words


@lru_cache(maxsize=2)
def _options(fast: bool) -> Extractor:
    # trafilatura's metadata pass is off: newsarc.extractor.metadata reads the metadata, and
    # trafilatura's would cost a third of the extraction time for fields nobody uses.
    return Extractor(
        output_format="python",
        fast=fast,
        comments=False,
        tables=True,
        images=False,
        links=False,
        formatting=False,
        with_metadata=False,
    )


def _trafilatura(tree: lxml.html.HtmlElement, url: str, *, fast: bool) -> list[str]:
    # Building trafilatura's options reads its configuration file's values again on every call
    # (a tenth of its time on a small page): a copy of a ready set is the same and cheaper.
    options = copy(_options(fast))
    options.url = url
    options.source = url.encode("utf-8", "replace").decode("utf-8")
    # trafilatura copies a tree it is given, so ``tree`` is left as it was.
    document = trafilatura.bare_extraction(tree, options=options)
    text = getattr(document, "text", None)  # a Document; None when nothing was found
    return split_paragraphs(text) if isinstance(text, str) else []


def extract_body(
    tree: lxml.html.HtmlElement,
    url: str,
    *,
    headline: str | None = None,
    standfirst: str | None = None,
) -> Body:
    """The cleaned body paragraphs of the page at ``url`` (empty when there is no body).

    ``tree`` is changed in place (hidden copies pruned, split body chunks merged), so read the
    metadata from it first. ``headline`` and ``standfirst`` (the page description) are removed
    where the body repeats them.
    """
    notes: list[str] = []
    headlines = [headline, *(_SPACES.sub(" ", h1.text_content()).strip() for h1 in tree.iter("h1"))]
    if prune_tree(tree):
        notes.append("pruned hidden or inline link markup")
    paragraphs = run_trafilatura(tree, url)
    if not paragraphs:
        return Body([], notes)
    placed, box = place(tree, paragraphs)
    if box is not None:
        chunks = split_chunks(box, paragraphs)
        if chunks:
            merge_chunks(chunks)
            again = run_trafilatura(tree, url)
            if sum(map(len, again)) > sum(map(len, paragraphs)):
                notes.append(f"merged {len(chunks)} split body chunks")
                paragraphs = again
                placed, box = place(tree, paragraphs)
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
    return Body(cleaned, notes)
