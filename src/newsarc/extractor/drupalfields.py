"""Authors in the fields of a Drupal theme, read when nothing better names them.

Drupal renders every field of a node through one template, with the field's machine name in
the class: ``field--name-field-author`` (Drupal 8 and later, one ``field__item`` per value) or
``field-name-field-byline`` (Drupal 7, ``field-item``). The label display is a class too
(``field--label-hidden``, ``field-label-above``), and a shown label (``field__label``) is the
field's caption ("Author", "Reporter:"), never a name. ``field--name-uid`` is the account that
saved the node: its name is a person's only when it is written as one ("Jane Doe"), not a
login ("editor1", "jdoe") or the install's "admin".
"""

from __future__ import annotations

import re
from copy import deepcopy

import lxml.etree
import lxml.html

from newsarc.extractor.authors import dedupe, split_names
from newsarc.extractor.markupbyline import in_chrome, visible_text
from newsarc.extractor.nameshape import written_as_name
from newsarc.extractor.tagged import Tagged

# A field's name class, as Drupal's clean_class writes the machine name ("field_author" ->
# "field-author"); the owner's field is "uid".
_FIELD_NAME = re.compile(r"field-{1,2}name-(?:field-)?([a-z0-9-]+)")
# Machine-name words of a field that holds authors ("field_author", "field_byline",
# "field_reporters"), and of the parts of an author that are not the name
# ("field_author_image", "field_author_bio").
_AUTHOR_WORDS = frozenset(
    "author authors autor autoren autorin byline bylines writer writers reporter "
    "reporters journalist journalists verfasser auteur auteurs autore autori autores autora "
    "forfatter forfattere forfattare skribent skribenter schrijver".split()
)
# ... and of fields that name someone else: a pull quote's speaker ("field_quote_author"),
# a reviewed book's or a photo's author ("field_book_author", "field_image_author").
_NOT_NAME_WORDS = frozenset(
    "image img photo picture avatar bio biography description desc title role position job "
    "email mail twitter social date note notes quote quotation cite citation testimonial "
    "book credit credits copyright source media video".split()
)
# Words of a shared CMS account's name, written like a person's ("Content Editor", "Web
# Team", "News Desk"): the owner's field names a desk then, not who wrote the story.
_ACCOUNT_WORDS = frozenset(
    "editor editors team desk admin administrator content web user office newsroom staff "
    "redaktion rédaction redacción redazione redactie redaksjon digital online site".split()
)
_ITEMS = frozenset(("field__item", "field-item"))
_LABELS = frozenset(("field__label", "field-label"))
_MAX_TEXT = 120  # characters: a name or two, never a rendered author profile


def from_drupal_fields(tree: lxml.html.HtmlElement, tagged: Tagged | None = None) -> list[str]:
    """Names in the first Drupal author field of the page that has any, else the node
    owner's name, or [].

    The owner's name is taken when the page shows it (Drupal's "Submitted by ..."): the site
    presents that account as the author, and on the sites that show it, a blog's or a small
    paper's, it is. Only after an author field, wherever that sits, since a site that has one
    keeps the writer there and the owner is whoever typed the story in; and not when hidden
    (the RDF module's ``hidden`` copy of the owner, a theme hiding the submitted line).
    ``tagged`` holds the tree's elements, when the caller has them."""
    owner: list[str] = []
    for element in tagged.elements() if tagged is not None else tree.iter(lxml.etree.Element):
        classes = element.get("class")
        # a substring test first: this runs on every element of the page, and a field's name
        # class always holds "name-" (see _FIELD_NAME)
        if not classes or "name-" not in classes:
            continue
        kind = _field_kind(classes)
        if kind is None or not isinstance(element, lxml.html.HtmlElement):
            continue
        if kind == "uid" and (owner or _hidden(element)):
            continue
        if in_chrome(element, article_footer=True) or _in_listing(element):
            continue  # another story's teaser, a comment, a sidebar's list
        names = [n for text in _item_texts(element) for n in split_names(text)]
        if kind == "uid":
            # one word is a login, as is anything not written as a name
            names = [n for n in names if len(n.split()) > 1 and written_as_name(n)]
            owner = [n for n in names if not _ACCOUNT_WORDS & set(n.casefold().split())]
        elif names:
            return dedupe(names)
    return dedupe(owner)


_HIDDEN_CLASSES = frozenset(("hidden", "visually-hidden", "element-invisible", "sr-only"))


def _hidden(element: lxml.html.HtmlElement) -> bool:
    """True when ``element`` or an element around it is hidden by a class or a style."""
    for node in (element, *element.iterancestors()):
        if _HIDDEN_CLASSES & set((node.get("class") or "").split()):
            return True
        if "display:none" in (node.get("style") or "").replace(" ", ""):
            return True
    return False


def _in_listing(element: lxml.html.HtmlElement) -> bool:
    """True inside a view's row, or a node shown in a view mode other than the page's own
    ("node--view-mode-card", not "-full" or "-default"): a listing of other stories, whatever
    the theme calls it."""
    for ancestor in element.iterancestors():
        for token in (ancestor.get("class") or "").split():
            if token == "views-row" or (
                token.startswith("node--view-mode-") and not token.endswith(("full", "default"))
            ):
                return True
    return False


def _field_kind(classes: str) -> str | None:
    """``"uid"`` for the owner's field, ``"author"`` for an author field, else None."""
    for token in classes.split():
        match = _FIELD_NAME.fullmatch(token)
        if match is None:
            continue
        machine = match.group(1)
        if machine == "uid" and not token.startswith("field-name-field"):
            return "uid"
        words = set(machine.split("-"))
        if words & _AUTHOR_WORDS and not words & _NOT_NAME_WORDS:
            return "author"
    return None


def names_someone_else(element: lxml.html.HtmlElement) -> bool:
    """True inside a field that names someone other than the story's author: a reviewed
    book's author ("field_book_author"), a photo's credit, a quote's speaker."""
    for node in (element, *element.iterancestors()):
        if _other_field(node):
            return True
    return False


def _other_field(node: lxml.html.HtmlElement) -> bool:
    """True for a field of someone's other details (``field_book_author``, ``field_job_title``,
    ``field_short_bio``); not for the node's own title (``field--name-title``)."""
    for token in (node.get("class") or "").split():
        match = _FIELD_NAME.fullmatch(token)
        if match and "name-field-" in token and set(match.group(1).split("-")) & _NOT_NAME_WORDS:
            return True
    return False


def _item_texts(field: lxml.html.HtmlElement) -> list[str]:
    """The visible text of each value of ``field``, without its label, and without the fields
    of a rendered author profile other than the name (job title, bio, photo)."""
    copy = deepcopy(field)
    for node in list(copy.iterdescendants(lxml.etree.Element)):
        if _LABELS & set((node.get("class") or "").split()) or _other_field(node):
            node.drop_tree()
    items = [
        node
        for node in copy.iterdescendants(lxml.etree.Element)
        if _ITEMS & set((node.get("class") or "").split())
    ]
    texts = [visible_text(item) for item in items or [copy]]
    return [text for text in texts if text and len(text) <= _MAX_TEXT]
