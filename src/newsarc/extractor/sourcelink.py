"""The original's address that a republished copy names in its last lines.

Aggregators and scrapers end their copy of a story with a line that is nothing but a link to
the original ("Source link", "Original source", "Read the original article"); the body drops
that line as boilerplate (``boilerplate`` rule "source-trailer"). Its address is what a
canonical link would have said, and such a copy usually declares none. Read as the canonical
URL of a page that declares none, it makes the original's address the story's: a copy
archived first carries it, and the original, when it comes, takes the record over as it does
after an AMP page (``store.addresses``). A page with a canonical link of its own keeps it,
even one naming itself: every site writes that, and a commentary, a fact check or a
translation that ends with "Read the original" is no copy.

Only a line that is the link alone counts, among the last lines of the body, with a link to
an article on another site. A line such as "Source: Eurostat" (a chart's or a quote's source,
linking to a data set) is not read, nor a link to a site's front page.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from urllib.parse import urljoin, urlsplit

import lxml.html

from newsarc.extractor.layout import Placed
from newsarc.extractor.rulebook import EDGE
from newsarc.urls import same_site

# The whole line, as _bare leaves it (case folded, a trailing arrow or colon dropped): "Source
# link", "Read the original article here »". A bare "Source" is left out: it also labels a link
# to a study or a data set at the end of an ordinary story.
_LINE = re.compile(r"source link|original source|read the original( article| story| post)?( here)?")
_MARKS = ".:»›→> "
# Elements looked at after the body's last block, and after its parent: a trailer follows the
# text directly, before the tags, share buttons and comments.
_FOLLOWING = 3


def source_link(placed: Sequence[Placed], url: str) -> str | None:
    """The address a republished copy at ``url`` links to as its source, or None.

    Looked for in the last ``EDGE`` of its body's paragraphs (``placed``, with their blocks in
    the page) and, as the extractor usually leaves a line that is only a link out of the body,
    in the few elements that follow the last paragraph's block (or its parent) in the page.
    """
    blocks = [p.block for p in placed[-EDGE:] if p.block is not None]
    last = placed[-1].block if placed else None
    if last is not None:
        for element in (last, last.getparent()):
            if element is not None:
                blocks += list(itertools.islice(element.itersiblings(), _FOLLOWING))
    found: set[str] = set()
    for block in blocks:
        if not isinstance(block.tag, str):
            continue  # a comment or processing instruction among the siblings
        text = _bare(block.text_content())
        if _LINE.fullmatch(text):
            address = _only_link(block, text, url)
            if address is not None:
                found.add(address)
    # Two different "sources" at the end of one body: no telling which is the original.
    return found.pop() if len(found) == 1 else None


def _only_link(block: lxml.html.HtmlElement, text: str, url: str) -> str | None:
    """The absolute address of the one link in ``block`` whose text is ``text`` (as
    ``_bare`` leaves it), when it leads to an article page of another site."""
    links = [
        link for link in block.iter("a") if _bare(link.text_content()) == text and link.get("href")
    ]
    if len(links) != 1:
        return None
    address = urljoin(url, (links[0].get("href") or "").strip())
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if parts.path.strip("/") == "" or same_site(address, url):
        return None  # a front page, or a page of the copy's own site
    return address


def _bare(text: str) -> str:
    """``text`` with its spacing collapsed, its case folded and its trailing marks dropped:
    an arrow or a colon may sit inside the link or after it."""
    return " ".join(text.split()).rstrip(_MARKS).rstrip().casefold()
