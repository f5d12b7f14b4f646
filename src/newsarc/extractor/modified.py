"""When the article was last updated (``modified``), as the page says it.

Read from the same kinds of markup as the publication date (newsarc.extractor.dates), with
its parsing and normalisation, in this order: the JSON-LD article's ``dateModified`` (a live
blog without one: its newest update), the WebPage item's when the article's has none, meta tags
(``article:modified_time``, ``og:updated_time``, ``<meta itemprop="dateModified">``, Dublin
Core...), then marked elements (``<time itemprop="dateModified">``, hAtom's ``class="updated"``).
The first plausible value wins, completed as a publication date is (a day by a time of the same
day, a time by the offset of the same wall-clock time).

``modified`` is kept only when it is after ``published`` (or when there is no published date):

- Earlier than ``published``: an article cannot be updated before it is out. Such a value is
  a CMS's stamp of something else (the draft's last save before publication, an import into a
  new system, a re-dated republication) and would present a false update time.
- Equal to ``published`` (the same instant, or the same day when it gives only the day): many
  CMSs fill both with the time of publication until the story is edited. It says nothing the
  record does not hold already, so it is dropped: a record's ``modified`` then always means
  "updated after publication", and ``modified IS NOT NULL`` finds the stories that changed.

Visible text is read last, and only the dateline under the headline
(newsarc.extractor.datelines): a date labelled as an update there ("Updated: 6 March 2024,
09:12", "Aktualisiert: 06.03.2024, 09:12 Uhr", "mis à jour le 6 mars 2024 à 09h12") on a page
whose markup declares no update time. An "Updated at 1:23 p.m." line, with no day, gives
nothing; a date further down the page is one the story mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from typing import Any

import lxml.html

from newsarc.extractor import jsonld
from newsarc.extractor.datelines import read_dateline
from newsarc.extractor.dates import When, first_completed, parse_date, plausible
from newsarc.extractor.liveblog import newest
from newsarc.extractor.markupbyline import in_chrome
from newsarc.extractor.tagged import Tagged

# Meta keys (lower-cased name/property/itemprop/http-equiv) that name the time the article was
# last changed, most trusted first: OpenGraph's article and object times, microdata, Dublin
# Core, then the CMS conventions. ``last-modified`` is what German publishers' CMSs write
# (name=) and some write as http-equiv; both are the article's edit time there.
META_KEYS = (
    "article:modified_time",
    "og:article:modified_time",
    "article:modified:time",
    "article:modified",
    "article:updated_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "dc.date.modified",
    "dc.modified",
    "last-modified",
    "lastmod",
)
# hAtom's "updated" and the like as one word of a class: "updated", "date-modified",
# "article__date--updated" (not "unmodified" or "outdated").
_UPDATED_CLASS = re.compile(r"(?:^|[\s_-])(?:updated|modified)(?:$|[\s_-])", re.IGNORECASE)
# Elements whose dates belong to other stories (teasers, related links), never this one's.
_ELSEWHERE = frozenset({"aside", "nav"})


def best_modified(
    article: jsonld.JsonDict | None,
    webpage: jsonld.JsonDict | None,
    metas: dict[str, list[str]],
    tree: lxml.html.HtmlElement,
    published: str | None,
    now: datetime | None = None,
    tagged: Tagged | None = None,
    url: str = "",
    updates: Sequence[When] = (),
) -> str | None:
    """When the article was last updated, as ISO 8601 (the form of ``published``), or None
    when the page says nothing, nothing plausible, or nothing after ``published``.

    ``article`` and ``webpage`` are the JSON-LD items the publication date was read from
    (``jsonld.pick_article``, ``jsonld.pick_page``), ``metas`` the page's meta tags
    (``metadata.collect_metas``); ``url`` the page's address, which may tell the order of a
    slashed date in the dateline, as it does for the publication date. ``updates``: a live
    blog's updates' dates (``liveblog.update_times``), whose newest is when it last changed
    when the page declares no update time.
    """
    when = first_completed(_declared(article, webpage, metas, now), now)
    if when is None:
        when = newest(updates)
    if when is None:  # the page's elements are searched only when no declaration says
        when = first_completed(_marked_elements(tree, tagged), now)
    if when is None:  # and its dateline only when no element is marked
        when = read_dateline(tree, url).updated
        if when is not None and not plausible(when, now):
            when = None
    if when is None:
        return None
    released = parse_date(published) if published else None
    if released is not None and not after(when, released):
        return None
    return when.iso()


def after(modified: When, published: When) -> bool:
    """Whether ``modified`` is later than ``published``, comparing what both give.

    Two times with offsets compare as instants; when one has no offset, their wall-clock times
    compare (a page that writes one without an offset writes its own local time). A day
    alone is later only on a later day; a time is later than a day alone on that day or after.
    """
    if not modified.has_time:
        return modified.value.date() > published.value.date()
    if not published.has_time:
        return modified.value.date() >= published.value.date()
    mine, theirs = modified.value.replace(microsecond=0), published.value.replace(microsecond=0)
    if (mine.tzinfo is None) != (theirs.tzinfo is None):
        mine, theirs = mine.replace(tzinfo=None), theirs.replace(tzinfo=None)
    return mine > theirs


def _declared(
    article: jsonld.JsonDict | None,
    webpage: jsonld.JsonDict | None,
    metas: dict[str, list[str]],
    now: datetime | None,
) -> list[str | None]:
    """The values the page's JSON-LD and meta tags give for when the article changed, most
    trusted first."""
    found: list[str | None] = []
    if article is not None:
        found.append(jsonld.text_of(article.get("dateModified")))
        found.append(_newest_update(article, now))
    if webpage is not None:
        found.append(jsonld.text_of(webpage.get("dateModified")))
    for key in META_KEYS:
        found.extend(metas.get(key, []))
    return found


def _newest_update(article: jsonld.JsonDict, now: datetime | None) -> str | None:
    """A live blog's newest post (its ``liveBlogUpdate`` items' dates), which is when the
    blog last changed; None for any other article, or one without dated posts. The posts'
    own ``dateModified`` counts: a post corrected later changed the blog then."""
    if "liveblogposting" not in jsonld.types_of(article):
        return None
    newest: When | None = None
    for post in _dicts(article.get("liveBlogUpdate")):
        for name in ("dateModified", "datePublished"):
            when = parse_date(jsonld.text_of(post.get(name)))
            if when is not None and plausible(when, now):
                if newest is None or _instant(when) > _instant(newest):
                    newest = when
    return newest.iso() if newest is not None else None


def _dicts(value: Any) -> Iterator[jsonld.JsonDict]:
    """The dicts of a JSON-LD value that may be one dict or a list of them."""
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, dict):
            yield entry


def _instant(when: When) -> datetime:
    """A moment to order dates by: one without an offset read as UTC, a day as its start."""
    value = when.value
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _marked_elements(tree: lxml.html.HtmlElement, tagged: Tagged | None) -> list[str]:
    """The values of elements marked as the update time, in page order: ``itemprop=
    "dateModified"`` (its ``datetime`` or ``content``; ``<meta>`` is read with the meta tags),
    then ``<time datetime>`` with an "updated"/"modified" class. Not inside ``<aside>``,
    ``<nav>`` or other stories' teasers (``_elsewhere``), where the dates are theirs."""
    found: list[str] = []
    for element in (tagged or Tagged(tree)).microdata():
        if element.get("itemprop") != "dateModified" or element.tag == "meta":
            continue
        value = element.get("datetime") or element.get("content")
        if value and not _elsewhere(element):
            found.append(str(value))
    for element in (tagged or tree).iter("time"):
        value = element.get("datetime")
        if value and _UPDATED_CLASS.search(element.get("class") or ""):
            if not _elsewhere(element):
                found.append(str(value))
    return found


def _elsewhere(element: lxml.html.HtmlElement) -> bool:
    """Whether ``element`` stands in an ``<aside>`` or ``<nav>``, or in page furniture that
    lists other stories (a "related posts" section, teasers, comments: ``in_chrome``)."""
    return any(a.tag in _ELSEWHERE for a in element.iterancestors()) or in_chrome(element)
