"""A heading element's text as a headline candidate: without the kicker, overline and
screen-reader spans a theme puts inside it, with its line breaks as spaces, and with the labels
it shows beside the headline (a "Live" badge, a label run into the text), which
``titles.choose_headline`` weighs.
"""

from __future__ import annotations

import re
from copy import deepcopy
from urllib.parse import urljoin, urlsplit

import lxml.html

from newsarc.extractor.titles import clean_text

_KICKER_CLASS = re.compile(
    r"kicker|overline|topline|dachzeile|roofline|eyebrow|spitzmarke|pretitle|supertitle|"
    r"headline-intro|label|badge|offscreen|sr-only|visually-hidden|screen-reader",
    re.IGNORECASE,
)
_LEADING_COLON = re.compile(r"^:\s*")


def h1_text(element: lxml.html.HtmlElement) -> str:
    """An ``<h1>``'s text without kicker/overline spans and screen-reader-only labels."""
    return heading_parts(element)[0]


def heading_parts(element: lxml.html.HtmlElement) -> tuple[str, list[str]]:
    """A heading's text (as ``h1_text``) and the labels it shows beside its headline: the
    badges the text leaves out ("Live", "Exclusive"), then a leading element run into the
    rest of the text ('<span>Analysis</span>Why ...'), which the text keeps. A kicker span
    ("Tarifstreit") is no label: titles that write it before the headline are followed."""
    copy = deepcopy(element)
    labels: list[str] = []
    for node in list(copy.iterdescendants()):
        if not isinstance(node.tag, str):
            continue
        if node.tag == "br":  # a line break shows as a space between the lines' words
            node.tail = " " + (node.tail or "")
            continue
        if len(node) == 0 and (node.text or "").strip() == ":":
            # a colon of its own between the kicker's element and the headline's (often for
            # screen readers only): "Kicker: Headline", not "Kicker : Headline" or "Kicker:Headline"
            _close_up(node)
            continue
        hidden = node.get("aria-hidden") == "true" or node.tag in ("script", "style", "button")
        if hidden or _KICKER_CLASS.search(node.get("class") or ""):
            remaining = clean_text(copy.text_content().replace(node.text_content(), "", 1))
            if remaining:  # never strip the whole headline away
                if not hidden and "badge" in (node.get("class") or "").lower():
                    labels.append(clean_text(node.text_content()))
                node.drop_tree()
    first = next((c for c in copy if isinstance(c.tag, str)), None)
    if first is not None and not (copy.text or "").strip() and first.tag != "br":
        raw = first.text_content()
        lead = clean_text(raw)
        rest = clean_text(copy.text_content()[len(copy.text or "") + len(raw) :])
        if lead and rest:
            labels.append(lead)
    # a kicker taken out leaves the colon that followed it
    return _LEADING_COLON.sub("", clean_text(copy.text_content())), [x for x in labels if x]


def _close_up(node: lxml.html.HtmlElement) -> None:
    node.text = ": "
    before = node.getprevious()
    if before is not None:
        before.tail = (before.tail or "").rstrip()
    elif node.getparent() is not None:
        parent = node.getparent()
        parent.text = (parent.text or "").rstrip()


# Ancestors a heading stands in when it is no page's headline: a dialog, a promo, a teaser list.
_ASIDE_TAGS = {"aside", "nav", "footer", "dialog", "form", "button", "a", "li"}
_ASIDE_CLASS = re.compile(
    r"cookie|consent|gdpr|\bcmp|didomi|onetrust|sp_message|modal|popup|newsletter|adblock|"
    r"barrier|regwall|promo|teaser|recirc|related|trending|most-?read|popular|sidebar|carousel|"
    r"slider",
    re.IGNORECASE,
)


_PROMPT_WORDS = re.compile(
    r"\b(?:cookies?|subscribe|subscription|sign up|log in|ad ?blocker|newsletter)\b", re.IGNORECASE
)


def stands_alone(element: lxml.html.HtmlElement, url: str) -> bool:
    """True when a heading stands as the page's own headline: shown (not hidden), not in a
    dialog, promo, teaser list or sidebar, and not a link to another page."""
    for node in (element, *element.iterancestors()):
        if node.tag in ("body", "html"):
            break
        if node is not element and node.tag in _ASIDE_TAGS:
            return False
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"
        style = (node.get("style") or "").replace(" ", "").lower()
        hidden = node.get("hidden") is not None or node.get("aria-hidden") == "true"
        if hidden or "display:none" in style or node.get("role") in ("dialog", "alertdialog"):
            return False
        if _ASIDE_CLASS.search(marks) or (node is element and _KICKER_CLASS.search(marks)):
            return False
    text = clean_text(element.text_content())
    if _PROMPT_WORDS.search(text):
        return False  # "We use cookies", "Subscribe to read": a prompt's heading
    for link in element.iter("a"):
        href = (link.get("href") or "").strip()
        if href and clean_text(link.text_content()) == text and not _same_page(href, url):
            return False  # a teaser: the heading links to its story
    return True


def _same_page(href: str, url: str) -> bool:
    target, page = urlsplit(urljoin(url, href)), urlsplit(url)
    return target.path.rstrip("/") == page.path.rstrip("/")
