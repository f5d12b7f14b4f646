"""JSON-LD: parse every ``application/ld+json`` block of a page and find the article item."""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import lxml.html

from newsarc.extractor.tagged import Tagged

log = logging.getLogger(__name__)

JsonDict = dict[str, Any]

# Schema.org types that describe the article itself, best first.
ARTICLE_TYPES = (
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "askpublicnewsarticle",
    "article",
    "blogposting",
    "liveblogposting",
    "satiricalarticle",
    "techarticle",
    "scholarlyarticle",
    "report",
    "socialmediaposting",
    "posting",
)
# Types whose dates and names may stand in when no article item exists.
PAGE_TYPES = ("webpage", "itempage", "collectionpage", "medicalwebpage", "videoobject")

_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL = re.compile(r"[\x00-\x1f]")
_JS_COMMENT_EDGES = re.compile(r"^(?:\s*//[^\n]*\n)+|(?:\n\s*//[^\n]*)+\s*$")
_SCHEME = re.compile(r"^https?://(www\.)?")
_NESTED = "_newsarc_nested"  # marks article items found inside another article item
_LISTED = "_newsarc_listed"  # marks article items found inside an ItemList (other stories)
_LIST_TYPES = frozenset({"itemlist", "listitem"})
_MAX_BLOCK = 2_000_000  # a block larger than this is not metadata; skip it
_MAX_ITEMS = 500


def _loads_lenient(text: str) -> list[Any]:
    """Every JSON value in ``text``, tolerating the usual breakage of hand-made blocks."""
    text = text.strip()
    if text.startswith("<!--"):
        text = text[4:]
    if text.endswith("-->"):
        text = text[:-3]
    text = text.replace("<![CDATA[", "").replace("]]>", "").strip()
    # JavaScript-style comment lines around the CDATA markers: //<![CDATA[ ... //]]>
    text = _strip_comment_edges(text).strip().rstrip(";")
    # Each repair is made only when the block as it stands does not parse: nearly every block
    # does, and the regular expressions over a large block cost more than decoding it.
    for attempt in _repairs(text):
        values = _decode_all(attempt)
        if values:
            return values
    log.debug("unparseable JSON-LD block (%d chars)", len(text))
    return []


def _strip_comment_edges(text: str) -> str:
    """``text`` without ``_JS_COMMENT_EDGES``: JavaScript comment lines at its start or end.

    The expression is tried at every newline of the block, which costs several times the JSON
    decoding; it is run only when it can match: when the text starts with a comment, or its
    last line that is not blank does and follows a newline (every match at the end runs from
    a newline to such a line and then whitespace).
    """
    if not text.lstrip().startswith("//"):
        body = text.rstrip()
        newline = body.rfind("\n")
        if newline == -1 or not body[newline + 1 :].lstrip().startswith("//"):
            return text
    return _JS_COMMENT_EDGES.sub("", text)


def _repairs(text: str) -> Iterator[str]:
    """``text``, then without trailing commas, then also with control characters as spaces."""
    yield text
    without_commas = _TRAILING_COMMA.sub(r"\1", text)
    yield without_commas
    # raw newlines and tabs inside strings are invalid JSON but common
    yield _CONTROL.sub(" ", without_commas)


def _decode_all(text: str) -> list[Any]:
    """One or more JSON values written one after another (some sites concatenate blocks)."""
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    pos = 0
    for _ in range(50):
        while pos < len(text) and text[pos] in " \t\r\n,;":
            pos += 1
        if pos >= len(text):
            break
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            return values if values and pos >= len(text) else []
        values.append(value)
    return values


def _walk(
    value: Any,
    out: list[JsonDict],
    depth: int = 0,
    in_article: bool = False,
    in_list: bool = False,
) -> None:
    """Collect every dict with a ``@type`` (and the ``@graph`` members) in ``value``.

    Article items inside another article (live-blog updates, ``hasPart``, related stories)
    are marked, so that the page's own article is preferred over them; so are article items
    that are the entries of an ``ItemList`` (a "More news" carousel: other stories).
    """
    if depth > 8 or len(out) >= _MAX_ITEMS:
        return
    if isinstance(value, list):
        for item in value:
            _walk(item, out, depth + 1, in_article, in_list)
    elif isinstance(value, dict):
        article_here = False
        if "@type" in value:
            out.append(value)
            article_here = is_article(value)
            if article_here and in_article:
                value[_NESTED] = True
            if article_here and in_list:
                value[_LISTED] = True
            in_list = in_list or any(t in _LIST_TYPES for t in types_of(value))
        for child in value.values():
            if isinstance(child, (dict, list)):
                _walk(child, out, depth + 1, in_article or article_here, in_list)


def parse_blocks(tree: lxml.html.HtmlElement, tagged: Tagged | None = None) -> list[JsonDict]:
    """All typed items from the page's JSON-LD blocks, in document order, nested ones included.
    ``tagged`` holds the tree's elements of a few tags, when the caller has them."""
    items: list[JsonDict] = []
    for script in (tagged or tree).iter("script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" not in kind:
            continue
        text = script.text or ""
        if not text.strip() or len(text) > _MAX_BLOCK:
            continue
        for value in _loads_lenient(text):
            _walk(value, items)
    return items


def types_of(item: JsonDict) -> list[str]:
    """The lower-cased ``@type`` names of an item (a string or a list in the wild)."""
    value = item.get("@type")
    names = value if isinstance(value, list) else [value]
    return [n.rsplit("/", 1)[-1].lower() for n in names if isinstance(n, str)]


def is_article(item: JsonDict) -> bool:
    """True for NewsArticle, Article, BlogPosting and their kin."""
    return any(t in ARTICLE_TYPES for t in types_of(item))


def text_of(value: Any) -> str | None:
    """A clean string from a JSON-LD value (first of a list, ``name``/``@value`` of a dict)."""
    if isinstance(value, list):
        for entry in value:
            found = text_of(entry)
            if found:
                return found
        return None
    if isinstance(value, dict):
        return text_of(value.get("name") or value.get("@value"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        return None
    cleaned = " ".join(html.unescape(html.unescape(value)).split())
    return cleaned or None


def _same_url(a: str, b: str) -> bool:
    def core(u: str) -> str:
        u = u.split("#", 1)[0].split("?", 1)[0].rstrip("/").lower()
        return _SCHEME.sub("", u)

    return bool(a and b) and core(a) == core(b)


def _item_urls(item: JsonDict) -> list[str]:
    urls = []
    for key in ("url", "@id", "mainEntityOfPage"):
        value = item.get(key)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str):
            urls.append(value)
    return urls


def pick_article(items: list[JsonDict], page_urls: list[str]) -> JsonDict | None:
    """The item that describes this page's article, or None when there is none.

    Pages often carry several article items (related stories, live-blog posts, the section
    page); the one whose address is this page's, with a headline and a date, wins. The entries
    of an ``ItemList`` are other stories unless one names this page's address: a page whose
    only article items are such entries has no article item of its own.
    """
    best: tuple[float, int] | None = None
    chosen: JsonDict | None = None
    for index, item in enumerate(items):
        kinds = types_of(item)
        if not any(t in ARTICLE_TYPES for t in kinds):
            continue
        rank = min(ARTICLE_TYPES.index(t) for t in kinds if t in ARTICLE_TYPES)
        own_address = any(_same_url(u, p) for u in _item_urls(item) for p in page_urls)
        if item.get(_LISTED) and not own_address:
            continue
        score = 3.0 - rank * 0.05
        if item.get(_NESTED):
            score -= 5
        if own_address:
            score += 3
        if item.get("headline"):
            score += 1
        if item.get("datePublished"):
            score += 1
        if item.get("author"):
            score += 0.5
        if item.get("articleBody"):
            score += 0.5
        key = (score, -index)
        if best is None or key > best:
            best, chosen = key, item
    return chosen


def pick_page(items: list[JsonDict], page_urls: list[str]) -> JsonDict | None:
    """A WebPage-like item, preferring the one about this address."""
    pages = [i for i in items if any(t in PAGE_TYPES for t in types_of(i))]
    for item in pages:
        if any(_same_url(u, p) for u in _item_urls(item) for p in page_urls):
            return item
    return pages[0] if pages else None


def index_by_id(items: list[JsonDict]) -> dict[str, JsonDict]:
    """Items by ``@id``, to follow ``{"@id": ...}`` references inside a ``@graph``."""
    return {i["@id"]: i for i in items if isinstance(i.get("@id"), str) and len(i) > 1}


def resolve(value: Any, by_id: dict[str, JsonDict]) -> Any:
    """Replace a bare ``{"@id": ...}`` reference by the item it names (lists element-wise)."""
    if isinstance(value, list):
        return [resolve(v, by_id) for v in value]
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
        return by_id.get(value["@id"], value)
    return value


def iter_strings(value: Any) -> Iterator[str]:
    """Every string in a value that may be a string, a list or comma-joined string."""
    if isinstance(value, list):
        for entry in value:
            yield from iter_strings(entry)
    elif isinstance(value, dict):
        name = text_of(value.get("name"))
        if name:
            yield name
    elif isinstance(value, str):
        cleaned = text_of(value)
        if cleaned:
            yield cleaned
