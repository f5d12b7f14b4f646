"""trafilatura's fallbacks for a short result, told from its output, and undone on short stories.

When trafilatura's main extractor finds less than its minimum extracted size (250 characters),
two fallbacks run. Its wild-text recovery adds every paragraph it finds anywhere on the page
(a kicker, a photo caption, a byline set in a ``<p>``). Then its cascade runs a "baseline" on
the raw page and keeps that instead whenever it is longer: the JSON-LD ``articleBody``, else
the whole text of each ``<article>`` element as one block, else every ``<p>`` of the page,
else the whole ``<body>`` text (one text run a line). On a short story (a Japanese, Korean or
Chinese brief, where 250 characters is a whole story, a wire flash, a paywalled teaser) that
swaps two clean paragraphs for one line holding the kicker, headline, byline, date and
captions too, or for the page's menus.

The baseline's blocks are ``<p>`` elements with plain text only, one per source: a single
block, or a block whose text runs over several lines (the ``<body>`` dump; the main extractor
writes no line break inside a paragraph). When the output has that shape or is under the
minimum (so the recovery ran), ``body`` runs trafilatura once more with a minimum of one
character, so that whatever the main extractor found stands, and takes that result when every
one of its lines is part of the first output's text: then the fallbacks only added to it. A
page where the main extractor finds nothing (a story told in a caption, which trafilatura's
cleaning deletes with its ``<figure>``) keeps what the fallbacks found. None of the 218 real
dev pages has an output under the minimum, and one has the rescue's shape; the second run
costs a page that needs it about as much as the first.
"""

from __future__ import annotations

import lxml.etree

# The minimum extracted size of the second run: any text the main extractor finds is enough.
# (trafilatura also adds <div> to the elements it reads when the page's paragraph text is
# under three times this minimum, and recovers "wild" paragraphs from all over the page when
# its result is under it: both are for pages it found too little on, and the second run is
# only kept when it found text.)
MINIMUM = 1


def looks_rescued(body: lxml.etree._Element) -> bool:
    """Whether trafilatura's output ``body`` has the shape of its baseline rescue: plain
    ``<p>`` blocks only, and one of them, or one holding several lines."""
    if not len(body):
        return False
    for block in body:
        if block.tag != "p" or len(block):
            return False  # markup the main extractor writes (headings, lists, line breaks)
    return len(body) == 1 or any("\n" in (block.text or "") for block in body)


def within(lines: list[str], rescued: list[str]) -> bool:
    """Whether every one of ``lines`` is part of the text of ``rescued`` (spacing aside)."""
    whole = " ".join(" ".join(rescued).split())
    return all(" ".join(line.split()) in whole for line in lines)
