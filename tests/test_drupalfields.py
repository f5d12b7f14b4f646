"""Authors read from a Drupal theme's author fields (``field--name-field-author``, Drupal 7's
``field-name-field-byline``, the node's ``field--name-uid``) when nothing better names them."""

from __future__ import annotations

import lxml.html
import pytest

from newsarc.extractor.metadata import extract_metadata
from tests.conftest import fixture_path


def authors_of(html: str, url: str = "https://example.com/2025/story-1") -> list[str]:
    return extract_metadata(lxml.html.document_fromstring(html), html, url).authors


def page_with(markup: str, head: str = "") -> str:
    """A small Drupal-like page (no ``<article>``) with ``markup`` under the headline."""
    return f"""<html><head>{head}</head><body><div class="layout-container">
    <h1 class="page-title">Flood warning lifted</h1><div class="node node--view-mode-full">
    {markup}<div class="field field--name-body"><p>The warning was lifted on Sunday.</p></div>
    </div></div></body></html>"""


def field(name: str, *items: str, label: str = "hidden", title: str = "") -> str:
    """A Drupal 8+ field as the core field template renders it (one ``field__item`` each)."""
    inner = "".join(f'<div class="field__item">{item}</div>' for item in items)
    caption = f'<div class="field__label">{title}</div>' if title else ""
    return (
        f'<div class="field field--name-{name} field--type-entity-reference '
        f'field--label-{label}">{caption}<div class="field__items">{inner}</div></div>'
    )


def test_author_field_on_a_drupal_page() -> None:
    """Two authors in one entity-reference field; the teaser's field in the sidebar is
    another story's."""
    html = fixture_path("meta/bylines/drupal-field-author.html").read_text(encoding="utf-8")
    assert authors_of(html, "https://eastbrookledger.example/news/harbour-dredging") == [
        "Priya Raman",
        "Tomasz Wolski",
    ]


@pytest.mark.parametrize(
    ("markup", "names"),
    [
        # Drupal 8+ field template, label hidden, one and two items, linked to the author node
        (field("field-author", '<a href="/node/12">Jane Doe</a>'), ["Jane Doe"]),
        (field("field-authors", "Jane Doe", "John Roe"), ["Jane Doe", "John Roe"]),
        # the label shown above or inline is the field's caption, not a name
        (field("field-author", "Jane Doe", label="above", title="Author"), ["Jane Doe"]),
        (field("field-reporter", "Jane Doe", label="inline", title="Reporter:"), ["Jane Doe"]),
        (field("field-byline", "Jane Doe", label="inline", title="Words"), ["Jane Doe"]),
        # Drupal 7: single-dash classes, field-items / field-item
        (
            '<div class="field field-name-field-byline field-type-text field-label-hidden">'
            '<div class="field-items"><div class="field-item even">Jane Doe</div></div></div>',
            ["Jane Doe"],
        ),
        (
            '<div class="field field-name-field-author field-type-text field-label-above">'
            '<div class="field-label">Author:&nbsp;</div>'
            '<div class="field-items"><div class="field-item even">Jane Doe</div></div></div>',
            ["Jane Doe"],
        ),
        # the node's owner shown without a "Submitted by" in front
        (
            '<div class="node__submitted"><span class="field field--name-uid '
            'field--type-entity-reference field--label-hidden"><span>Jane Doe</span></span> '
            '<span class="field field--name-created">Tue, 05/12/2026 - 10:30</span></div>',
            ["Jane Doe"],
        ),
        # an agency in the author field is the author
        (field("field-author", "dpa"), ["dpa"]),
    ],
)
def test_drupal_author_fields(markup: str, names: list[str]) -> None:
    assert authors_of(page_with(markup)) == names


@pytest.mark.parametrize(
    "account",
    ["admin", "Administrator", "webmaster", "editor1", "jdoe", "newsdesk", "Site Admin"],
)
def test_a_cms_account_in_the_uid_field_is_no_author(account: str) -> None:
    """``uid`` is the CMS account that saved the node: a login ("editor1", "jdoe") or the
    install's "admin" names nobody. Only a name written as a person's full name counts."""
    uid = (
        '<span class="field field--name-uid field--label-hidden">'
        '<a href="/user/1" class="username">{}</a></span>'
    )
    assert authors_of(page_with(uid.format("Jane Doe"))) == ["Jane Doe"]
    assert authors_of(page_with(uid.format(account))) == []


@pytest.mark.parametrize(
    "markup",
    [
        # other fields of the node, and parts of an author entity that are not its name
        field("field-tags", "Harbour", "Transport"),
        field("field-author-image", '<img src="/a.jpg" alt="Jane Doe">'),
        field("field-author-bio", "Jane Doe covers transport and the harbour."),
        "<aside>" + field("field-author", "Jane Doe") + "</aside>",
        # a teaser of another story, and a comment's author
        '<div class="node node--view-mode-teaser">' + field("field-author", "Jane Doe") + "</div>",
        '<article class="comment"><span class="field field--name-uid">'
        "<span>Jane Doe</span></span></article>",
    ],
)
def test_fields_that_name_no_author_of_the_story(markup: str) -> None:
    assert authors_of(page_with(markup)) == []


def test_better_sources_win_over_the_field() -> None:
    """JSON-LD, a meta author, a marked-up byline and a plain "By" line all come first."""
    markup = field("field-author", "Jane Doe")
    assert authors_of(page_with(markup)) == ["Jane Doe"]
    meta = '<meta name="author" content="Lena Park">'
    assert authors_of(page_with(markup, meta)) == ["Lena Park"]
    byline = '<p class="byline">By Omar Haddad</p>'
    assert authors_of(page_with(byline + markup)) == ["Omar Haddad"]
    assert authors_of(page_with(markup + byline)) == ["Omar Haddad"]
    assert authors_of(page_with("<div>By Omar Haddad</div>" + markup)) == ["Omar Haddad"]


@pytest.mark.parametrize(
    "account",
    ["Content Editor", "Web Team", "News Desk", "Digital Editor", "Super User"],
)
def test_a_desk_or_role_account_in_the_uid_field_is_no_author(account: str) -> None:
    """A shared CMS account is written like a name ("Content Editor", "Web Team") but names
    the desk that saved the node, not who wrote it."""
    uid = '<span class="field field--name-uid field--label-hidden"><a href="/user/3">{}</a></span>'
    assert authors_of(page_with(uid.format("Jane Doe"))) == ["Jane Doe"]
    assert authors_of(page_with(uid.format(account))) == []


@pytest.mark.parametrize(
    "markup",
    [
        # a pull quote's speaker and a reviewed book's author are no authors of the story
        field("field-quote-author", "Maria Keller"),
        field("field-citation-author", "Maria Keller"),
        field("field-book-author", "Maria Keller"),
        # another story in a view's listing after the article (no "teaser" in its classes)
        '<div class="view-content"><div class="views-row"><article class="node '
        'node--view-mode-card">' + field("field-author", "Maria Keller") + "</article></div></div>",
    ],
)
def test_author_fields_of_something_else(markup: str) -> None:
    assert authors_of(page_with(field("field-author", "Jane Doe") + markup)) == ["Jane Doe"]
    assert authors_of(page_with(markup)) == []


@pytest.mark.parametrize(
    "name", ["field-autore", "field-autori", "field-forfatter", "field-skribent"]
)
def test_author_fields_named_in_other_languages(name: str) -> None:
    assert authors_of(page_with(field(name, "Giulia Conti"))) == ["Giulia Conti"]


def test_a_rendered_author_profile_gives_only_its_name() -> None:
    """An entity-reference author field rendered with the person's node: the job title and
    the short bio beside the name are no names, whichever reader comes to them."""
    profile = (
        '<article class="node node--type-person node--view-mode-byline">'
        '<h2 class="node__title"><a href="/people/jane-doe">'
        '<span class="field field--name-title">Jane Doe</span></a></h2>'
        '<div class="field field--name-field-job-title field__item">Senior Reporter</div>'
        '<div class="field field--name-field-short-bio"><div class="field__item">'
        "<p>Jane covers housing and transport for the paper.</p></div></div></article>"
    )
    assert authors_of(page_with(field("field-author", profile))) == ["Jane Doe"]
    markup = f'<div class="story-byline">{profile}</div>'
    assert authors_of(page_with(markup)) == ["Jane Doe"]


def test_a_reviewed_books_author_is_not_the_storys() -> None:
    """A book review's "Author: ..." field names the book's author, on a plain line or not."""
    book = field("field-book-author", "Toni Ashford", label="inline", title="Author")
    assert authors_of(page_with(book)) == []
    assert authors_of(page_with(book + '<p class="dek">By Sam Price</p>')) == ["Sam Price"]
