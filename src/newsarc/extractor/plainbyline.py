"""Bylines written as plain text: a short line under the headline that starts with "By", "Par",
"Submitted by", "Publié par"... and has no byline class, meta tag or JSON-LD to mark it.

Read only when nothing marked up names an author. The line is looked for between the headline
and the start of the article's text (where bylines sit), and taken only when every name on it
is written as a name: "By Monday, most shops had reopened." is a sentence, not a byline.

Failing that (``from_text_credits``), a credit anywhere below the headline that says it is one
with a label ("Autor:", "Texto:", "Por:", "Reporting by ..."), as sites set them after the
text or in an info box; and last, a wire story's dateline, "WASHINGTON (AP) —".
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from newsarc.extractor.agencies import is_agency, split_agencies
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


# Far from the headline a lead-in counts only as a label, with its colon ("Autor: ...",
# "Por: ..."), or as a credit phrase ("Reporting by ...", Reuters' trailer): a bare "By ..."
# there is as often a sentence or another story's credit.
_LABELLED = re.compile(
    r"^(?:(?:[^\W\d_]+\s+){0,2}[^\W\d_]+\s*:|reporting\s+by\b|written\s+by\b)", re.IGNORECASE
)
# The elements below the headline with text of their own, up to 3,000 (a long page's article
# and its end matter).
_AFTER = lxml.etree.XPath("following::*[text()][position() <= 3000]")
_FIRST_PARAGRAPHS = 3  # a wire dateline opens the story


def from_text_credits(headline: lxml.html.HtmlElement | None) -> list[str]:
    """Names of a labelled credit below the ``headline`` element ("Texto: Ana Souza" after
    the text, "Reporting by ...; Editing by ..."), else the agency of a wire dateline
    ("WASHINGTON (AP) —", "Berlin (dpa) -"), else []. For pages where nothing else names an
    author: it walks the rest of the page."""
    if headline is None:
        return []
    paragraphs = 0
    agencies: list[str] = []
    # the elements after the headline, not inside it, listed by libxml2 in one call
    for element in _AFTER(headline):
        own = (element.text or "").strip()
        if not own:
            continue
        if element.tag == "p" and paragraphs < _FIRST_PARAGRAPHS:
            paragraphs += 1
            agencies = agencies or _dateline_agencies(own)
        if _LABELLED.match(own):
            names = _line_names(element)
            if names:
                return names
    return agencies


# A wire story's dateline: the place in capitals (or as a name), the agency's code in
# brackets, a dash: "WASHINGTON (AP) —", "Berlin (dpa) -", "PARIS (AFP/Reuters) –".
_DATELINE = re.compile(
    r"^[^\W\d_][^\W\d_ .,'’/-]*(?:[ .,'’/-]+[^\W\d_]+){0,4}\s*\(([^()]{2,24})\)\s*[-–—]"
)


def _dateline_agencies(text: str) -> list[str]:
    """The agencies of the dateline ``text`` starts with, as written, or []."""
    match = _DATELINE.match(text)
    if match is None:
        return []
    codes = [code.strip() for code in match.group(1).split("/")]
    if not all(is_agency(code) for code in codes):
        return []
    return dedupe(name for code in codes for name in split_agencies(code))


def _line_names(element: lxml.html.HtmlElement) -> list[str]:
    """The names of a byline line whose own text starts with a lead-in, or []."""
    own = (element.text or "").strip()
    if not isinstance(element, lxml.html.HtmlElement) or not LEAD_WORDS.match(f"{own} "):
        return []
    line = element
    text = ""
    if len(element) == 0 and not LEAD_WORDS.sub("", f"{own} ").strip():
        # "<span>By</span> <a>Lee Chen</a>": the lead-in alone; the line is its parent's,
        # or, for a definition list's term ("<dt>Author:</dt><dd>..."), the label and the
        # value after it (the list's other terms are the date, the section...)
        following = element.getnext()
        if element.tag == "dt" and following is not None and following.tag == "dd":
            text = f"{own} {visible_text(following)}"
        else:
            parent = element.getparent()
            if parent is None:
                return []
            line = parent
    if in_chrome(line, article_footer=True) or line.tag in _HEADINGS or _in_caption(line):
        return []  # a heading says what follows ("By The Numbers"), not who wrote it
    if names_someone_else(line) or _fact_box(line):
        return []  # "Author: ..." of a reviewed book, a photo's "By ..."
    text = (text or visible_text(line)).strip(" ·")
    if len(text) > _MAX_LINE or not LEAD_WORDS.match(text):
        return []
    names = split_names(text)  # without the place after a name (nameshape.follows_name)
    # One word alone is a column's or a desk's label as often as a name ("By Invitation",
    # "Por Redacción"): on a line with no markup to say it is a byline, it is not taken,
    # unless it is an agency's code, which agencies write in lower case too ("Von dpa").
    if names and all(is_agency(n) or _full_name(n) or _staff_credit(n) for n in names):
        return dedupe(names)
    return []


def _full_name(name: str) -> bool:
    return len(name.split()) > 1 and written_as_name(name)


# A paper's own staff credit starts with "our": "By Our Correspondent in Beirut", "Von unserem
# Korrespondenten". Kept as written, with its place: the post is who signs, and the JSON-LD
# reader keeps "Our Correspondent in Washington" whole too (nameshape.cut_place).
_OUR = frozenset(
    "our unser unsere unserem unserer notre nos nuestro nuestra nuestros nostro nostra "
    "nostri onze nosso nossa vår vårt våre vores".split()
)
_PLACE_WORDS = frozenset("in at from à en aus em uit i a de da".split())


def _staff_credit(name: str) -> bool:
    words = name.split()
    if len(words) < 2 or words[0].casefold() not in _OUR:
        return False
    rest = [w for w in words[1:] if w.casefold() not in _PLACE_WORDS]
    return bool(rest) and written_as_name(" ".join(rest))


def _in_caption(element: lxml.html.HtmlElement) -> bool:
    """True inside a picture's caption or credit: "By John Roe / Reuters" there is the
    photographer's."""
    for node in (element, *element.iterancestors()):
        if node.tag in ("figure", "figcaption"):
            return True
        cls = (node.get("class") or "").lower()
        if "caption" in cls:  # not "credit": a byline's class too
            return True
    return False


# The other labels of a book's or a product's fact box, beside its "Author:" line.
_FACT_LABELS = re.compile(
    r"\b(?:publisher|verlag|éditeur|éditions|editorial|editora|editore|isbn|pages|seiten|"
    r"páginas|pagine|price|preis|prix|precio|preço|prezzo|genre|format)\s*:",
    re.IGNORECASE,
)


def _fact_box(line: lxml.html.HtmlElement) -> bool:
    """True when ``line`` sits among a fact box's labelled lines (a reviewed book's author,
    publisher, pages, price)."""
    parent = line.getparent()
    if parent is None:
        return False
    text = " ".join(parent.itertext())  # "<li>Author: A</li><li>Publisher: B</li>"
    return len(text) < 1000 and _FACT_LABELS.search(text) is not None
