"""The article's topics: the keywords and tags its publisher gives it, without the CMS's own
marks among them (ids, flags, entity types, workflow labels, the site's name, "news")."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

import lxml.html

from newsarc.extractor import jsonld
from newsarc.extractor.sections import parsely_page
from newsarc.extractor.taglinks import tag_links
from newsarc.extractor.titles import GENERIC_SECTIONS, clean_text, key

MAX_TOPICS = 30
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_TOPIC_SEPARATOR = re.compile(r"\s*[,;]\s*")
_TOPIC_PATH = re.compile(r"[\w-]+(/[\w &-]+)+")
# "topic: White House", "NLP Entity Tokens: India": a CMS's field name before the tag
_FIELD_LABEL = re.compile(
    r"^(?:\w+\s+){0,2}(?P<field>topic|tag|keyword|subject|token|entity|entitie"
    r"|section|category|categorie)s?\s*:\s*",
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
# The CMS's workflow marks among the tags: curation, paywall and membership flags, the
# disclosure of paid content, comment switches ("Curated", "Premium Content", "paywall
# exclude", "NRPLUS Member Articles", "subscriber-only", "Sponsored"). A subject stays:
# "Paywalls", "Subscriptions".
_WORKFLOW = re.compile(
    r"curated|premium(?:[ _-](?:content|article|story))?|paid[ _-]?(?:content|post)"
    r"|paywall(?:ed)?(?:[ _-]\w+)?|(?:\w+ )?(?:subscriber|member)s?[ _-]?"
    r"(?:only|content|exclusive|articles?|stories)|sponsored(?:[ _-](?:content|post|article))?"
    r"|advertorial|comments?[ _-]?(?:enabled|disabled|on|off|closed)|no[ _-]?index",
    re.IGNORECASE,
)
# Entity types a tagging service glues to the name ("Mark Esper GOVERNMENT_FIGURE PERSON",
# "PERSON POLITICIAN"): upper-case words in snake case, and the plain type names beside them
_ENTITY_TYPE = re.compile(r"[A-Z]+(?:_[A-Z]+)+|PERSON|ORGANI[SZ]ATION|LOCATION|POLITICIAN|COACH")
_ENTITY_MARK = re.compile(r"\b(?:[A-Z]+_[A-Z_]*[A-Z]|PERSON|ORGANI[SZ]ATION|LOCATION)\b")
# "Business, Finance, & Economics", "Health, Wellness, and Fitness": a series written in one
# name; its last part is no tag of its own
_SERIES_END = re.compile(r"(?:&|and|und|et|y|e|og|och|ve|oraz|i|и|і)\s", re.IGNORECASE)
_WORD = re.compile(r"\w+")


def find_topics(
    article: jsonld.JsonDict | None,
    metas: dict[str, list[str]],
    tree: lxml.html.HtmlElement,
    site_keys: set[str],
    links: Iterable[lxml.html.HtmlElement] | None = None,
) -> list[str]:
    """The publisher's keywords/tags, from the first source that has any: article:tag,
    news_keywords, JSON-LD keywords, the tag list the page shows (taglinks), keywords,
    Parse.ly's and Sailthru's tags, Dublin Core's subject.

    article:tag and news_keywords hold the editorial tags; JSON-LD keywords often carry the
    CMS's workflow marks too, and the plain keywords meta the site's SEO words. The tag list
    the page shows stands in for the editorial sources when they are missing, and when the one
    or two tags they give are all in it (a CMS that puts only the section there: "Polityka"
    where the page lists eleven tags); the keywords meta wins over it when they share a tag (it
    is the editorial list then, often the longer one), not when they share none (SEO words:
    "Recht, Hintergründe, Analysen"). A source whose tags are the words of the title or
    description in order ("detenido, policia, abusar...") is passed over. Left out: the CMS's
    flags and machine names ("@hp-top-stories", "ctp_video"), ids, addresses, entity types,
    workflow marks ("Curated", "paywall"), a value labelled as a category or section, the
    site's own name (``site_keys``) and words that name no topic ("News", "Noticias", "son
    dakika"); a field label before a tag ("topic: White House") is cut off. Several values of
    one source are one tag each ("Bevin, Matthew") unless they are lists. ``links`` are the
    tree's ``<a>`` elements in page order, when the caller has them.
    """
    found_texts: list[list[list[str]]] = []

    def texts() -> list[list[str]]:
        if not found_texts:
            found_texts.append(_page_texts(article, metas, tree))
        return found_texts[0]

    def topics_of(values: list[str]) -> list[str]:
        return _topics_of(_parts(values), site_keys, texts)

    editorial = [metas.get("article:tag", []), metas.get("news_keywords", [])]
    if article is not None:
        editorial.append(list(jsonld.iter_strings(article.get("keywords"))))
    for values in editorial:
        topics = topics_of(values)
        if topics:
            if len(topics) <= 2:
                shown = _shown(tree, site_keys, texts, links)
                if len(shown) > len(topics) and {key(t) for t in topics} <= {key(t) for t in shown}:
                    return shown[:MAX_TOPICS]
            return topics[:MAX_TOPICS]
    shown = _shown(tree, site_keys, texts, links)
    if shown:
        keywords = topics_of(metas.get("keywords", []))
        if {key(t) for t in keywords} & {key(t) for t in shown}:
            return keywords[:MAX_TOPICS]
        return shown[:MAX_TOPICS]
    later = [metas.get("keywords", []), metas.get("parsely-tags", [])]
    later.append(list(jsonld.iter_strings(parsely_page(metas).get("tags"))))
    later += [metas.get(name, []) for name in ("sailthru.tags", "dc.subject", "dcterms.subject")]
    for values in later:
        topics = topics_of(values)
        if topics:
            return topics[:MAX_TOPICS]
    return []


def _shown(
    tree: lxml.html.HtmlElement,
    site_keys: set[str],
    texts: Callable[[], list[list[str]]],
    links: Iterable[lxml.html.HtmlElement] | None = None,
) -> list[str]:
    """The tags of the tag list the page shows, each link one tag."""
    # "#Ukraine": a tag shown as a hashtag
    shown = (clean_text(x).lstrip("#") for x in tag_links(tree, links))
    links = [_last_step(t) for t in dict.fromkeys(shown) if t]
    return _topics_of(links, site_keys, texts)


def _topics_of(
    parts: list[str], site_keys: set[str], texts: Callable[[], list[list[str]]]
) -> list[str]:
    topics: list[str] = []
    seen: set[str] = set()
    for part in parts:
        label = _FIELD_LABEL.match(part)
        if label:
            if label.group("field").lower() in ("section", "category", "categorie"):
                continue  # "Category: World", "NLP Category: Politics": a section, not a tag
            part = part[label.end() :]
        if _ENTITY_MARK.search(part):
            part = _without_entity_types(part)
        if _is_topic(part, site_keys) and part.casefold() not in seen:
            seen.add(part.casefold())
            topics.append(part)
    if len(topics) >= 5 and _text_words(topics, texts):
        return []
    return topics


def _is_topic(part: str, site_keys: set[str]) -> bool:
    if not part or len(part) > 60 or _ID.fullmatch(part) or _WORKFLOW.fullmatch(part):
        return False
    if part[0] in "@/_" or "@" in part or ("_" in part and " " not in part):
        return False  # a CMS's flag or machine name, an address
    return part.casefold() not in _NOT_TOPICS and key(part) not in site_keys


def _without_entity_types(part: str) -> str:
    words = part.split()
    while words and _ENTITY_TYPE.fullmatch(words[-1]):
        words.pop()
    while words and _ENTITY_TYPE.fullmatch(words[0]):
        words.pop(0)
    return " ".join(words)


def _parts(values: list[str]) -> list[str]:
    """The tags of one source. Several values are one tag each (article:tag is written once
    per tag: "Elections, Governors", "Beshear, Andrew G (1977- )"), unless one of them holds a
    list of three or all of them two; one value is a list."""
    distinct = list(dict.fromkeys(v for v in (clean_text(x) for x in values) if v))
    counts = [len(_TOPIC_SEPARATOR.findall(v)) for v in distinct]
    if len(distinct) > 1 and max(counts) < 2 and min(counts) == 0:
        return [_last_step(html.unescape(v) if "&" in v and ";" in v else v) for v in distinct]
    return [part for value in distinct for part in _split_topics(value)]


def _split_topics(value: str) -> list[str]:
    if "&" in value and ";" in value:
        value = html.unescape(value)  # "PG&amp;E": escaped twice, and ";" is a separator
    parts = [clean_text(p) for p in _TOPIC_SEPARATOR.split(value)]
    if len(parts) == 1 and _CJK.search(parts[0]):
        parts = parts[0].split()  # CJK keyword lists are often separated by spaces
    elif 2 <= len(parts) <= 4 and _SERIES_END.match(parts[-1]):
        return [clean_text(value)]
    return [_last_step(p) for p in parts]


def _last_step(part: str) -> str:
    # "sections/sverige", "topic/misshandel" are paths: the last step is the tag; a name with
    # a slash ("Technik/Hardware", "Bitcoin/USD Coin Metrics") is written in capitals
    head, _, last = part.rpartition("/")
    return last if _TOPIC_PATH.fullmatch(part) and head.lower() == head else part


def _page_texts(
    article: jsonld.JsonDict | None, metas: dict[str, list[str]], tree: lxml.html.HtmlElement
) -> list[list[str]]:
    """The words (comparison keys) of the page's title, headline and descriptions."""
    found = [tree.findtext(".//title") or ""]
    for name in ("og:title", "description", "og:description", "twitter:description"):
        found += metas.get(name, [])[:1]
    if article is not None:
        found += [jsonld.text_of(article.get(f)) or "" for f in ("headline", "description")]
    return [[key(w) for w in _WORD.findall(text)] for text in dict.fromkeys(found) if text]


def _text_words(topics: list[str], texts: Callable[[], list[list[str]]]) -> bool:
    """True when the tags are the words of one of the page's texts, in their order: a CMS
    that fills its keywords from the title or description (or the URL's slug) and drops the
    little words. Most tags are single words found in order; a real tag list of names is
    seldom written in the title's order. ``texts`` gives the texts' words, asked only for a
    list of single words (reading them costs more than the rest)."""
    words = [key(t) for t in topics if " " not in t]
    if 5 * len(words) < 4 * len(topics):
        return False
    for text in texts():
        position, found = 0, 0
        for word in words:
            try:
                position = text.index(word, position) + 1
            except ValueError:
                continue
            found += 1
        if 5 * found >= 4 * len(topics):
            return True
    return False
