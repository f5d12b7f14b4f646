"""Whether ``defuse`` would leave a page alone, told without its scan.

``defuse``'s scan is a Python loop over every tag (a few milliseconds on a real page) and
nearly every page comes out of it unchanged. ``plain`` recognises most of those from the
page's size, its number of "<", what follows its first ``</body>`` and its first tag; only the
nesting depth is left, which ``too_deep`` reads from the tree libxml2 built. ``extract`` runs
the scan only on pages that either check fails.
"""

from __future__ import annotations

import functools
import re

import lxml.etree
import numpy as np

from newsarc.extractor.defuse import TOKEN, MarkupLimits
from newsarc.extractor.textcheck import as_array

_END_OF_PAGE = re.compile(r"</(?:body|html)", re.IGNORECASE)
# What may follow the first </body> or </html> for them to be sure not to be stray: whitespace,
# more of those end tags, and comments without quotes or angle brackets. Wherever the scan is
# when it reaches that first end tag (in text, or inside a tag, comment, declaration or script
# that began earlier), with no quote and no "<" left but the end tags' own, it either runs to
# the end of the page or comes out at the end of one of these pieces, and from there it reads
# the same pieces: none is text or a start tag, so no end tag is dropped.
_QUIET_TAIL = re.compile(
    r"(?:[ \t\n\r\f]|</(?:body|html)[ \t\n\r\f]*>|<!--[^<>\"']*-->)*\Z", re.IGNORECASE
)
# The same two on the page's UTF-8, which they read faster (a byte a character). They find the
# same places: what they match is ASCII, the only characters that case-fold to the letters of
# "body" and "html" are ASCII, and every byte of a character beyond ASCII is beyond ASCII, so
# it is one of [^<>"'] exactly when the character is.
_END_OF_PAGE_UTF8 = re.compile(_END_OF_PAGE.pattern.encode(), re.IGNORECASE)
_QUIET_TAIL_UTF8 = re.compile(_QUIET_TAIL.pattern.encode(), re.IGNORECASE)


def plain(html: str, limits: MarkupLimits | None = None, *, utf8: bytes | None = None) -> bool:
    """Whether ``defuse`` would return ``html`` unchanged, with markup, unless it nests deeper
    than ``limits.max_wrapper_depth``; decided without the scan, False when unsure.

    No run can exceed ``max_run`` and no cut is made when the whole page is shorter than both
    and has fewer "<" than a start tag limit; no end tag is stray when only a quiet tail follows
    the first one; and the scan finds markup when its first token that is not a comment or a
    declaration is a tag (read here exactly as the scan reads it). ``utf8`` is ``html`` as
    UTF-8 when the caller has it.
    """
    limits = limits or MarkupLimits()
    if len(html) > min(limits.max_run, limits.max_chars):
        return False
    # "<" is one byte in UTF-8, and numpy counts it there in a third of the time of str.count
    tags = html.count("<") if utf8 is None else int(np.count_nonzero(as_array(utf8) == 0x3C))
    if tags > min(limits.max_elements, limits.max_tags):
        return False
    if utf8 is not None:
        end_utf8 = _END_OF_PAGE_UTF8.search(utf8)
        if end_utf8 and not _QUIET_TAIL_UTF8.match(utf8, end_utf8.start()):
            return False
    else:
        end = _END_OF_PAGE.search(html)
        if end and not _QUIET_TAIL.match(html, end.start()):
            return False
    return _first_tag(html) is not None


def _first_tag(html: str) -> int | None:
    """Where the scan meets its first tag, or None when the page has none."""
    pos = 0
    while (match := TOKEN.search(html, pos)) is not None:
        if match.group(2) is not None:
            return match.start()
        if match.group(3):  # a comment
            close = html.find("-->", match.start() + 2)
            pos = close + 3
        else:  # a declaration or processing instruction
            close = html.find(">", match.end())
            pos = close + 1
        if close < 0:
            return None
    return None


def too_deep(tree: lxml.etree._Element, limits: MarkupLimits | None = None) -> bool:
    """Whether the parsed page (its root element) nests ``limits.max_wrapper_depth`` deep.

    The scan estimates the depth that libxml2 builds; this reads it. They agree on real pages
    (within a few levels, far below the limit); where the scan's estimate is deeper (it counts
    repeated <html> and <body> tags, which libxml2 ignores), the tree shows the page needs no
    unwrapping. A page that libxml2 stopped reading at its own limit (255) is too deep here.
    """
    depth = (limits or MarkupLimits()).max_wrapper_depth
    return bool(_depth_probe(depth)(tree))


@functools.cache
def _depth_probe(depth: int) -> lxml.etree.XPath:
    # an element at depth n under the root is n - 1 child steps away from it
    return lxml.etree.XPath("boolean(" + "/".join(["*"] * (depth - 1)) + ")")
