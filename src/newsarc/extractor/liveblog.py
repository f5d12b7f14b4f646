"""A live blog's updates, opened up so the extractor reads them all, with their titles.

Live blogs often mark up each update as an ``<article>`` (its time, its title, its text), one
after the other in a common container. trafilatura takes the page's first ``<article>`` for the
story: it returns the newest update alone, or, when that one is short, falls back to the loose
paragraphs of the whole page, which never include headings; either way the titles of the other
updates were lost (the split-body merge in newsarc.extractor.layout brings back their text, not
their titles). On a page that calls itself a live blog (schema.org ``LiveBlogPosting``), such a
run of sibling ``<article>`` elements is retagged ``<section>``, so the extractor finds the
container of them all. Pages that do not say they are live blogs are left alone: sibling
``<article>`` elements there are as likely other stories (an infinite scroll).
"""

from __future__ import annotations

from collections.abc import Iterable

import lxml.html

_MIN_UPDATES = 2  # sibling <article> elements that make a run of updates


def open_updates(articles: Iterable[lxml.html.HtmlElement]) -> int:
    """Retag as ``<section>`` every one of ``articles`` (a live blog's ``<article>`` elements)
    that has another ``<article>`` for a sibling and no ``<h1>`` inside (the one that holds the
    headline is the whole story, not an update); returns how many were retagged."""
    runs: dict[lxml.html.HtmlElement, list[lxml.html.HtmlElement]] = {}
    for article in articles:
        parent = article.getparent()
        if parent is not None and article.tag == "article":
            runs.setdefault(parent, []).append(article)
    opened = 0
    for run in runs.values():
        if len(run) < _MIN_UPDATES:
            continue
        for article in run:
            if next(article.iter("h1"), None) is None:
                article.tag = "section"
                opened += 1
    return opened
