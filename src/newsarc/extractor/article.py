"""(html, url) -> Article: parse once, read the metadata, extract the body, build the record."""

from __future__ import annotations

import logging
import re

import lxml.etree
import lxml.html
import numpy as np

from newsarc.errors import ExtractError, InputError, NewsarcError
from newsarc.extractor import EXTRACTOR_VERSION
from newsarc.extractor.body import extract_body
from newsarc.extractor.guard import check_article, check_page, defuse_page
from newsarc.extractor.listing import listing_reason, teaser_texts
from newsarc.extractor.metadata import extract_metadata
from newsarc.extractor.precheck import plain, too_deep
from newsarc.extractor.tagged import Tagged
from newsarc.extractor.textcheck import as_array
from newsarc.model import Article
from newsarc.urls import normalize_url

log = logging.getLogger(__name__)

# Text that pages show instead of an article when scripts do not run.
_SCRIPT_NOTICE = re.compile(
    r"(enable|activate|turn on|allow)\s+(your\s+)?javascript|"
    r"javascript\s+(is\s+)?(required|disabled|must be enabled)|browser (is )?not supported|"
    r"update your browser|unsupported browser|please wait while|checking your browser|"
    r"you need to enable",
    re.IGNORECASE,
)
# Shorter than this is a menu or a label, not an article (in characters, so CJK text counts fairly).
_MIN_BODY_CHARS = 40
_NOTICE_MAX_WORDS = 60  # a body this short that talks about JavaScript is a notice, not an article
_PROLOG = re.compile(r"\s*(<\?xml[^>]*\?>\s*)?(<!doctype[^>]*>)?", re.IGNORECASE)
# C0 controls but tab, newline and carriage return, as UTF-8 bytes; U+FFFE and U+FFFF (the
# other characters libxml2 chokes on) are three-byte sequences, removed separately.
_CONTROL_BYTES = bytes(range(0x20)).translate(None, b"\t\n\r")
_CONTROL = np.zeros(0x20, dtype=bool)  # whether each C0 byte is one of _CONTROL_BYTES
_CONTROL[list(_CONTROL_BYTES)] = True
_NONCHARACTERS = re.compile(b"\xef\xbf[\xbe\xbf]")
# Every element is a plain HtmlElement. lxml.html's own lookup (form and input elements get
# their own classes) is a Python call each time an element is touched from Python, which made
# up a tenth of the extraction time, trafilatura's included; none of us uses those classes.
_PLAIN_CLASSES = lxml.etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)
_VISIBLE_TEXT = (
    ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript or "
    "ancestor::template or ancestor::svg)]"
)


def parse_html(html: str, url: str, *, encoded: bytes | None = None) -> lxml.html.HtmlElement:
    """The page's element tree; ExtractError when there is no HTML document in it.
    ``encoded`` is ``html`` as UTF-8 when the caller has it (``check_page`` does).

    Comments and processing instructions are dropped while parsing: left in, a comment inside a
    paragraph (``When<!-- -->President``) cuts the paragraph short in trafilatura.
    """
    # lxml rejects str input that carries an XML encoding declaration, and libxml2 mis-parses
    # some doctype lines; neither carries content.
    # The page goes to libxml2 as UTF-8 bytes: deleting the control characters it rejects is a
    # table lookup per byte there, where a regular expression over the text costs as much as
    # half the parse, and lxml would encode a str to UTF-8 itself anyway.
    data = html.encode("utf-8", "replace") if encoded is None else encoded
    prolog = _PROLOG.match(html)
    if prolog and prolog.end():
        data = data[len(html[: prolog.end()].encode("utf-8", "replace")) :]
    c0 = as_array(data)
    c0 = c0[c0 < 0x20]  # few, nearly all newlines: looked at, they cost half of deleting none
    if np.any(_CONTROL[c0]):
        data = data.translate(None, _CONTROL_BYTES)
    data = _NONCHARACTERS.sub(b"", data)
    if not data.strip():
        raise ExtractError(f"no article text found in {url} (empty page)")
    # A parser per call: lxml parser objects must not be shared between threads.
    parser = lxml.html.HTMLParser(
        encoding="utf-8",
        collect_ids=False,
        default_doctype=False,
        remove_comments=True,
        remove_pis=True,
    )
    parser.set_element_class_lookup(_PLAIN_CLASSES)
    try:
        return lxml.html.document_fromstring(data, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ExtractError(f"no article text found in {url} (unparsable HTML: {exc})") from None


def visible_words(tree: lxml.html.HtmlElement) -> int:
    """How many words the page's body shows outside scripts, styles and templates."""
    body = tree.find("body")
    texts = (body if body is not None else tree).xpath(_VISIBLE_TEXT)
    return sum(len(str(text).split()) for text in texts)


def extract(html: str | bytes, url: str, *, utf8: bytes | None = None) -> Article:
    """Extract the article of one page. Pure: no network, no database.

    ``html`` may be bytes (decoded with its BOM / meta charset) or text; ``url`` is the page's
    address; ``utf8`` is the text as UTF-8 when the caller has it (it must be exactly
    ``html.encode("utf-8")``; see ``newsarc.charset.decode_html_utf8``). Raises ExtractError
    when the page holds no article text (empty, only scripts, or nothing the extractor
    recognises as a body).
    """
    # A caller's mistake, not a page the extractor could not read: said at once, by name,
    # rather than as an AttributeError from deep inside (a URL as bytes, html None).
    if not isinstance(html, str | bytes):
        raise TypeError(f"extract(): html must be str or bytes, not {type(html).__name__}")
    if not isinstance(url, str):
        raise TypeError(f"extract(): url must be str, not {type(url).__name__}")
    # decodes bytes; refuses binary data and unreadable text
    checked = check_page(html, url, utf8=utf8)
    text = checked.text
    failure: NewsarcError | None = None
    if plain(text, utf8=checked.utf8):  # defusing would change nothing, unless it nests too deep
        try:
            address = normalize_url(url)
            tree = parse_html(text, url, encoded=checked.utf8)
            if not too_deep(tree):
                return _extract_tree(tree, text, url, address)
        except (ExtractError, InputError) as exc:
            failure = exc
    # The full guard: it defuses markup libxml2 would lose, and refuses a page without markup
    # or visible text. A page that failed above fails here for the reason it always gave:
    # the guard's own, or else the same failure on the same text.
    defused = defuse_page(text, url)
    if failure is not None and defused is text:
        raise failure
    address = normalize_url(url)
    tree = parse_html(defused, url, encoded=checked.utf8 if defused is text else None)
    return _extract_tree(tree, defused, url, address)


def _extract_tree(tree: lxml.html.HtmlElement, html: str, url: str, address: str) -> Article:
    """The article of a parsed page: ``html`` is the text it was parsed from, ``address``
    the page's normalized URL."""
    tagged = Tagged(tree)  # read by the metadata and the body, before the body prunes the tree
    meta = extract_metadata(tree, html, url, tagged)
    # a page that calls itself a listing and has no date may be a front or section page: its
    # teasers are read before the body prunes the tree
    listing = meta.kind == "listing" and meta.published is None
    teasers = teaser_texts(tree, url) if listing else []
    body = extract_body(
        tree,
        url,
        headline=meta.headline,
        standfirst=meta.description,
        tagged=tagged,
        live=meta.live,
    )
    text = body.text
    if len(text) < _MIN_BODY_CHARS:
        why = " (the page has only scripts)" if visible_words(tree) == 0 else ""
        raise ExtractError(f"no article text found in {url}{why}")
    # words counted only up to one past the limit: a body's whole word list is not needed
    short = len(text.split(None, _NOTICE_MAX_WORDS)) <= _NOTICE_MAX_WORDS
    if short and _SCRIPT_NOTICE.search(text):
        raise ExtractError(f"no article text found in {url} (the page needs JavaScript)")
    reason = listing_reason(text, teasers) if listing else None
    if reason:
        raise ExtractError(f"no article text found in {url} ({reason})")
    article = Article(
        url=address,
        canonical_url=_canonical(meta.canonical_url, body.source_link),
        headline=meta.headline or "",
        body=text,
        subheadings=body.subheadings,
        published=meta.published,
        modified=meta.modified,
        section=meta.section,
        authors=list(meta.authors),
        topics=list(meta.topics),
        site=meta.site,
        language=meta.language,
        description=meta.description,
        extractor_version=EXTRACTOR_VERSION,
    )
    check_article(article)  # error pages, mojibake and binary junk never become articles
    return article


def _canonical(declared: str | None, source: str | None) -> str | None:
    """The article's canonical URL: the page's own canonical link; only a page that declares
    none (as scrapers' pages often do) takes the original its last line links to (``source``).
    A canonical link naming the page itself is what every site writes, and a commentary, a
    fact check or a translation that ends with "Read the original" is no copy."""
    return declared if declared is not None else source
