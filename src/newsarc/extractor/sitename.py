"""The publication's name as readers know it: og:site_name, the JSON-LD WebSite and publisher,
spelled the way the page spells it when a source gives only the domain or a machine name."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

import lxml.html

from newsarc.extractor import jsonld
from newsarc.extractor.sectionforms import UMLAUT_FOLDS
from newsarc.extractor.titles import GENERIC_SECTIONS, clean_text, key
from newsarc.urls import site_host

_ADDRESS = re.compile(r"^(https?:|www\.)", re.IGNORECASE)
# A social-media handle ("@paper") in og:site_name is an account, not the site's name: the
# next source names the site, or its host does.
_HANDLE = re.compile(r"^@\w+$")
# Between a site's name and a tagline or its domain ("The Daily Star | Latest News",
# "The Post | ThePost.com"), and between a title's segments; a title also runs "Blog: Post".
_NAME_PARTS = re.compile(r"\s+(?:\||–|—|-|·|•)\s+")
_TITLE_PARTS = re.compile(
    r"\s+(?:\||–|—|-|::|·|•|»)\s+|\s*[|｜]\s*|:\s+|(?<=[^\x00-\x7f])_|_(?=[^\x00-\x7f])"
)
# Labels of a host that are no one's name: the common second levels of country domains
# ("co.uk", "com.tr") and prefixes for the mobile or printable site.
_NO_NAME_LABELS = frozenset("www m amp co com net org gov gob gouv edu ac or ne go".split())
# "© 2024 Pinecrest Pioneer. All rights reserved.": the holder (cut at the sentence's end)
_COPYRIGHT = re.compile(
    r"(?:©|&copy;|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?(?:by\s+)?"
    r"([^|,©\n]{2,60})",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"\.(?:\s|$)")


def find_site(
    declared: Iterable[str | None],
    structured: Iterable[str | None],
    url: str,
    title: str | None,
    footers: Iterable[str] = (),
) -> str | None:
    """The site's name from the names the page ``declared`` in its metas (og:site_name,
    application-name) or ``structured`` data (the JSON-LD publisher and WebSite), else the
    page's ``title`` or copyright lines (``footers``) where they spell the host's name, else
    the host.

    Of the structured names, one that spells the host's name comes first: the publisher is
    often the company that owns the publication ("Coastline Media Group LLC" for the site
    "Coastline Weekly"). A name that is only the domain ("DailyLedger.com", "kb.com") or the
    host's label in lower case (a CMS's machine name, "towntimes") gives way to a spelling of
    the same name elsewhere on the page ("Daily Ledger", "KB", "Town Times": another declared
    name, a title segment), so that one publisher gets one spelling across its pages; a
    tagline or the domain written after the name ("The Daily Star | Latest News") is left out.
    """
    host = site_host(url)
    labels = _label_keys(host)
    domains = _domain_keys(host)
    names = [_own_part(n, labels, domains) for n in (_usable(raw) for raw in declared) if n]
    ld_names = [_own_part(n, labels, domains) for n in (_usable(raw) for raw in structured) if n]
    ld_names.sort(key=lambda n: not _name_keys(n) & labels)  # stable: else as declared
    names += ld_names
    title_parts = _TITLE_PARTS.split(clean_text(title)) if title else []
    shown = [*names, *title_parts[:1], *title_parts[-1:]]

    def spelled() -> str | None:
        return next(
            (
                n
                for n in shown
                if _name_keys(n) & labels and not _machine_name(n, host) and key(n) not in domains
            ),
            None,
        )

    for name in names:
        if _machine_name(name, host):
            continue
        if key(name) in domains:
            return spelled() or name
        return name
    found = spelled()
    if found:
        return found
    for text in footers:
        for match in _COPYRIGHT.finditer(text):
            # up to the sentence's end: "Pinecrest Pioneer. All rights reserved." (a domain's
            # dot is no end, and the domain is no name)
            holder = _SENTENCE_END.split(match.group(1))[0].strip()
            if _name_keys(holder) & labels and not _machine_name(holder, host):
                return holder
    return host or None


def declared_names(
    metas: dict[str, list[str]],
    article: jsonld.JsonDict | None,
    items: list[jsonld.JsonDict],
    by_id: dict[str, jsonld.JsonDict],
) -> tuple[list[str], list[str | None]]:
    """The names a page gives its site: in its metas (og:site_name, application-name) and in
    its JSON-LD (the article's publisher, then the WebSite), for :func:`find_site`."""
    declared = [*metas.get("og:site_name", []), *metas.get("application-name", [])]
    structured: list[str | None] = []
    if article is not None:
        structured.append(jsonld.text_of(jsonld.resolve(article.get("publisher"), by_id)))
    structured += [jsonld.text_of(i.get("name")) for i in items if "website" in jsonld.types_of(i)]
    return declared, structured


def _usable(raw: str | None) -> str | None:
    text = clean_text(raw)
    if "&" in text and ";" in text:
        text = clean_text(html.unescape(text))
    if not text or _ADDRESS.match(text) or _HANDLE.match(text):
        return None
    if text.casefold() in GENERIC_SECTIONS:
        return None  # "Home", "Homepage": a page's name put where the site's belongs
    return text


def _own_part(name: str, labels: set[str], domains: set[str]) -> str:
    """The site's name without a tagline or its domain beside it: the part that spells the
    host's name, else the one part that is not the domain."""
    parts = _NAME_PARTS.split(name)
    if len(parts) < 2:
        return name
    for part in parts:
        if _name_keys(part) & labels:
            return part
    others = [p for p in parts if key(p) not in domains]
    return others[0] if len(others) == 1 else name


def _machine_name(name: str, host: str) -> bool:
    """True for a site name that is only a label of the host in lower case, a CMS's machine
    name ("towntimes" on towntimes.example)."""
    return name.isascii() and name.islower() and name.isalnum() and name in host.split(".")[:-1]


def _name_keys(name: str) -> set[str]:
    return {key(name), key(name.translate(UMLAUT_FOLDS))}


def _label_keys(host: str) -> set[str]:
    """Comparison keys of the host's labels that may be a name ("harborlight" of
    harborlight.example, "riversidebirding" of riversidebirding.blogspot.com)."""
    labels = host.split(".")[:-1]
    return {key(label) for label in labels if label not in _NO_NAME_LABELS and len(key(label)) >= 2}


def _domain_keys(host: str) -> set[str]:
    """Comparison keys of the host and the domains it is under ("frtowntimescom",
    "towntimescom"): a name that is one of them is the address, not a name."""
    labels = host.split(".")
    return {key(".".join(labels[i:])) for i in range(len(labels) - 1)} - {""}


def copyright_lines(tree: lxml.html.HtmlElement) -> Iterator[str]:
    """The texts of the page's footers and copyright lines, read lazily: :func:`find_site`
    reads them only when nothing else names the site."""
    for element in tree.iter("footer", "div", "p", "small", "span"):
        marks = f"{element.get('class', '')} {element.get('id', '')}".lower()
        if element.tag == "footer" or "copyright" in marks:
            yield element.text_content()
