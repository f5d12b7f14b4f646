"""Bylines written as plain text: a short line under the headline that starts with "By", "Par",
"Submitted by", "Publié par"... and has no byline class, meta tag or JSON-LD to mark it.

Read only when nothing marked up names an author. The line is looked for between the headline
and the start of the article's text (where bylines sit), and taken only when every name on it
is written as a name: "By Monday, most shops had reopened." is a sentence, not a byline.
"""

from __future__ import annotations

import lxml.etree
import lxml.html

from newsarc.extractor.agencies import is_agency
from newsarc.extractor.authors import LEAD_WORDS, dedupe, split_names
from newsarc.extractor.drupalfields import names_someone_else
from newsarc.extractor.markupbyline import in_chrome, visible_text
from newsarc.extractor.nameshape import written_as_name

# How far below the headline a byline may sit: elements walked, and long paragraphs passed
# (the first may be a standfirst; after the second the article's text has begun).
_MAX_SCANNED = 120
_LONG_PARAGRAPH = 200
_BODY_STARTED = 2
_MAX_LINE = 120  # characters: a byline with its date, never a paragraph
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def from_plain_line(headline: lxml.html.HtmlElement | None) -> list[str]:
    """Names on the first plain "By ..." line after the ``headline`` element, or []."""
    if headline is None:
        return []
    inside = set(headline.iterdescendants())
    root = headline.getroottree().getroot()
    scanned = long_paragraphs = 0
    reached = False
    for element in root.iter(lxml.etree.Element):
        if not reached:
            reached = element is headline
            continue
        if element in inside:
            continue
        scanned += 1
        if scanned > _MAX_SCANNED:
            break
        if element.tag == "p" and len(element.text_content()) > _LONG_PARAGRAPH:
            long_paragraphs += 1
            if long_paragraphs >= _BODY_STARTED:
                break
            continue
        names = _line_names(element)
        if names:
            return names
    return []


def _line_names(element: lxml.html.HtmlElement) -> list[str]:
    """The names of a byline line whose own text starts with a lead-in, or []."""
    own = (element.text or "").strip()
    if not isinstance(element, lxml.html.HtmlElement) or not LEAD_WORDS.match(f"{own} "):
        return []
    line = element
    if len(element) == 0 and not LEAD_WORDS.sub("", f"{own} ").strip():
        # "<span>By</span> <a>Lee Chen</a>": the lead-in alone; the line is its parent's
        parent = element.getparent()
        if parent is None:
            return []
        line = parent
    if in_chrome(line, article_footer=True) or line.tag in _HEADINGS:
        return []  # a heading says what follows ("By The Numbers"), not who wrote it
    if names_someone_else(line):
        return []  # "Author: ..." of a reviewed book, a photo's "By ..."
    text = visible_text(line).strip(" ·")
    if len(text) > _MAX_LINE or not LEAD_WORDS.match(text):
        return []
    names = split_names(text)  # without the place after a name (nameshape.follows_name)
    # One word alone is a column's or a desk's label as often as a name ("By Invitation",
    # "Por Redacción"): on a line with no markup to say it is a byline, it is not taken,
    # unless it is an agency's code, which agencies write in lower case too ("Von dpa").
    if names and all(is_agency(name) or _full_name(name) for name in names):
        return dedupe(names)
    return []


def _full_name(name: str) -> bool:
    return len(name.split()) > 1 and written_as_name(name)
