"""The article's topics: the keywords and tags its publisher gives it, without the CMS's own
marks among them (ids, flags, the site's name, "news")."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import lxml.html

from newsarc.extractor import jsonld
from newsarc.extractor.sections import parsely_page
from newsarc.extractor.titles import GENERIC_SECTIONS, clean_text, key

MAX_TOPICS = 30
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_TOPIC_SEPARATOR = re.compile(r"\s*[,;]\s*")
_TOPIC_PATH = re.compile(r"[\w-]+(/[\w &-]+)+")
# "topic: White House", "Category: World", "section: Article": a CMS's field name before the tag
_FIELD_LABEL = re.compile(
    r"^(?:\w+\s+){0,2}(?:topic|tag|keyword|section|category|categorie|subject)s?\s*:\s*",
    re.IGNORECASE,
)
# A number ("(1)", "12345") or a UUID: an id, not a tag ("1&1" is a company's name)
_ID = re.compile(r"\(?\d+\)?|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", re.IGNORECASE)
# Tags that name no topic: the generic section names ("News", "Noticias", "Top News",
# "Uncategorized"), and "breaking news" and "news" in a few more languages
_NOT_TOPICS = GENERIC_SECTIONS | {
    "son dakika",
    "son dakika haber",
    "son dakika haberleri",
    "новости",
    "zprávy",
    "headlines",
}


def find_topics(
    article: jsonld.JsonDict | None,
    metas: dict[str, list[str]],
    tree: lxml.html.HtmlElement,
    site_keys: set[str],
) -> list[str]:
    """The publisher's keywords/tags, from the first source that has any: article:tag,
    JSON-LD keywords, news_keywords, keywords, Parse.ly's and Sailthru's tags, Dublin Core's
    subject, ``rel=tag`` links.

    Left out: the CMS's flags and machine names ("@hp-top-stories", "ctp_video",
    "_no-apple-news"), ids, addresses, the site's own name (``site_keys``) and words that name
    no topic ("News", "Noticias", "son dakika"); a field label before a tag ("topic: White
    House") is cut off.
    """

    def sources() -> Iterator[list[str]]:  # read lazily: the last one searches the page
        yield metas.get("article:tag", [])
        if article is not None:
            yield list(jsonld.iter_strings(article.get("keywords")))
        for name in ("news_keywords", "keywords", "parsely-tags"):
            yield metas.get(name, [])
        yield list(jsonld.iter_strings(parsely_page(metas).get("tags")))
        for name in ("sailthru.tags", "dc.subject", "dcterms.subject"):
            yield metas.get(name, [])
        yield [str(t) for t in tree.xpath('//a[@rel="tag"]//text()')[:MAX_TOPICS]]

    for values in sources():
        topics: list[str] = []
        seen: set[str] = set()
        for value in values:
            for part in _split_topics(value):
                part = _FIELD_LABEL.sub("", part)
                if _is_topic(part, site_keys) and part.casefold() not in seen:
                    seen.add(part.casefold())
                    topics.append(part)
        if topics:
            return topics[:MAX_TOPICS]
    return []


def _is_topic(part: str, site_keys: set[str]) -> bool:
    if not part or len(part) > 60 or _ID.fullmatch(part):
        return False
    if part[0] in "@/_" or "@" in part or ("_" in part and " " not in part):
        return False  # a CMS's flag or machine name, an address
    return part.casefold() not in _NOT_TOPICS and key(part) not in site_keys


def _split_topics(value: str) -> list[str]:
    if "&" in value and ";" in value:
        value = html.unescape(value)  # "PG&amp;E": escaped twice, and ";" is a separator
    parts = [clean_text(p) for p in _TOPIC_SEPARATOR.split(value)]
    if len(parts) == 1 and _CJK.search(parts[0]):
        parts = parts[0].split()  # CJK keyword lists are often separated by spaces
    # "sections/sverige", "topic/misshandel" are paths: the last step is the tag
    return [p.rsplit("/", 1)[-1] if _TOPIC_PATH.fullmatch(p) else p for p in parts]
