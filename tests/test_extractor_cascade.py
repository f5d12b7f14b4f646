"""``extractor.cascade.bare_extraction`` gives exactly what trafilatura's own gives.

It is trafilatura's code without one copy that the fast mode never reads; checked here on the
fixture pages and on pages made to take trafilatura's other paths (the baseline rescue, the
recall retry, the full mode with readability and jusText).
"""

from __future__ import annotations

from copy import copy
from pathlib import Path

import lxml.etree
import pytest
import trafilatura

from newsarc.extractor import cascade
from newsarc.extractor.article import parse_html
from newsarc.extractor.body import _options

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
URL = "https://news.example.com/2024/05/story"
SENTENCE = "The council voted on Thursday to keep the night buses running through the winter."
CRAFTED = {
    "short": f"<html><body><p>{SENTENCE}</p></body></html>",
    "menus": "<html><body>"
    + "".join(f"<div><a href='/s{n}'>Section {n}</a></div>" for n in range(40))
    + f"<div>{SENTENCE} {SENTENCE}</div></body></html>",
    "little-of-much": "<html><body><article><p>"
    + SENTENCE
    + "</p></article>"
    + "".join(f"<div class='teaser'><span>{SENTENCE} {n}</span></div>" for n in range(60))
    + "</body></html>",
    "comments": f"<html><body><article><p>{SENTENCE * 3}</p></article>"
    "<section id='comments'><p>First comment here, and a long one too.</p></section></body></html>",
    "empty": "<html><body><div></div></body></html>",
    # a short story beside much more list text: the recall retry runs
    "recall": f"<html><body><article><p>{SENTENCE} {SENTENCE}</p></article><ul>"
    + "".join(f"<li>{SENTENCE} {n}</li>" for n in range(40))
    + "</ul></body></html>",
}


def _pages() -> list[tuple[str, str]]:
    pages = sorted(CRAFTED.items())
    for folder in ("pages", "meta", "hostile"):
        for path in sorted((FIXTURES / folder).glob("*.htm*")):
            pages.append((f"{folder}/{path.name}", path.read_text("utf-8", errors="replace")))
    return pages


def _result(document: object) -> tuple[object, bytes | None]:
    text = getattr(document, "text", None)
    body = getattr(document, "body", None)
    return text, None if body is None else lxml.etree.tostring(body, encoding="utf-8")


def test_the_installed_trafilatura_is_the_checked_release() -> None:
    """On another release cascade falls back to trafilatura's own function: check it again
    (is the backup still unread in fast mode without comments?) and update CHECKED_RELEASE."""
    assert trafilatura.__version__ == cascade.CHECKED_RELEASE
    assert cascade.bare_extraction is not trafilatura.bare_extraction


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize(("name", "html"), _pages(), ids=[name for name, _ in _pages()])
def test_same_document_as_trafilatura(name: str, html: str, fast: bool) -> None:
    try:
        tree = parse_html(html, URL)
    except Exception:  # not a page the extractor would hand to trafilatura
        pytest.skip(f"{name} does not parse")
    options = copy(_options(fast))
    options.url = options.source = URL
    ours = cascade.bare_extraction(tree, options=copy(options))
    theirs = trafilatura.bare_extraction(tree, options=copy(options))
    assert _result(ours) == _result(theirs)


def test_the_tree_is_left_as_it_was() -> None:
    tree = parse_html(CRAFTED["comments"], URL)
    before = lxml.etree.tostring(tree)
    options = copy(_options(True))
    cascade.bare_extraction(tree, options=options)
    assert lxml.etree.tostring(tree) == before


def test_no_backup_in_fast_mode_without_comments() -> None:
    tree = parse_html(CRAFTED["comments"], URL)
    cleaned, backup = cascade._lean_prepare_tree(tree, copy(_options(True)), URL)
    assert backup is None and cleaned is not None
    _, backup = cascade._lean_prepare_tree(tree, copy(_options(False)), URL)
    assert backup is not None
