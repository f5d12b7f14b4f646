"""A heading element's text as a headline candidate: without the kicker, overline and
screen-reader spans a theme puts inside it, with its line breaks as spaces, and with the labels
it shows beside the headline (a "Live" badge, a label run into the text), which
``titles.choose_headline`` weighs.
"""

from __future__ import annotations

import re
from copy import deepcopy

import lxml.html

from newsarc.extractor.titles import clean_text

_KICKER_CLASS = re.compile(
    r"kicker|overline|topline|dachzeile|roofline|eyebrow|spitzmarke|pretitle|supertitle|"
    r"headline-intro|label|badge|offscreen|sr-only|visually-hidden|screen-reader",
    re.IGNORECASE,
)


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
    return clean_text(copy.text_content()), [x for x in labels if x]
