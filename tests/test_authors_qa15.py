"""Authors found wrong in the session-15 QA pages: places after a byline's comma, names written
surname first, labelled credits (photos and editing are no authors), agency credits in
brackets, after AP-style capitals and in a wire dateline, labelled credits far below the
headline, Drupal's owner field, photo captions and page-layout classes."""

from __future__ import annotations

import lxml.html
import pytest

from newsarc.extractor.authors import split_names
from newsarc.extractor.credits import authors_credits, uninvert
from newsarc.extractor.metadata import extract_metadata

LONG = "The warning was lifted on Sunday after the river fell below the flood mark. " * 4


def authors_of(html: str, url: str = "https://example.com/2025/story-1") -> list[str]:
    return extract_metadata(lxml.html.document_fromstring(html), html, url).authors


def page(under: str = "", after: str = "", body_class: str = "") -> str:
    """A small page: ``under`` the headline, then three long paragraphs, then ``after``."""
    text = f"<p>{LONG}</p>" * 3
    return f"""<html><body class="{body_class}"><main><article><h1>Flood warning lifted</h1>
    {under}{text}{after}</article></main><footer><p>© 2026</p></footer></body></html>"""


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("By Jane Doe, Hong Kong", ["Jane Doe"]),
        ("By Jane Doe in Tel Aviv and Omar Haddad, Abu Dhabi", ["Jane Doe", "Omar Haddad"]),
        ("Ana Lima, Rio de Janeiro", ["Ana Lima"]),
        # people named like places are people when they stand as names of their own
        ("By Jordan Smith, Georgia Brown and Paris Hilton", None),
        ("By Paris Lees, London", ["Paris Lees"]),
    ],
)
def test_a_place_after_a_comma_is_no_second_author(raw: str, names: list[str] | None) -> None:
    expected = names or ["Jordan Smith", "Georgia Brown", "Paris Hilton"]
    assert split_names(raw) == expected
    assert split_names("By Jane Doe, Hong Kong") == ["Jane Doe"]


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Doe, Jane", ["Jane Doe"]),
        ("Müller, Anna; Schmidt, Peter", ["Anna Müller", "Peter Schmidt"]),
        ("Doe, J. R.", ["J. R. Doe"]),
    ],
)
def test_a_name_written_surname_first(raw: str, names: list[str]) -> None:
    assert split_names(raw) == names


def test_what_is_not_a_name_written_surname_first_stays() -> None:
    assert uninvert("Doe, Jane", set()) == "Jane Doe"
    for text in ("Kyiv, Ukraine", "Doe, MD", "Doe, Reuters", "King, Jr.", "Doe, Reporter"):
        assert uninvert(text, {"reporter"}) == text
    assert split_names("Jane Doe, Kyiv, Ukraine") == ["Jane Doe"]


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Texto: Ana Souza | Fotos: Pedro Lima", ["Ana Souza"]),
        ("Text: Anna Berg Fotos: Max Muster und Eva Roth", ["Anna Berg"]),
        ("By Jane Doe. Photos by John Roe", ["Jane Doe"]),
        ("文：山田太郎　写真：佐藤花子", ["山田太郎"]),
        ("作者：李明　责任编辑：王芳", ["李明"]),
    ],
)
def test_credits_for_other_work_name_no_author(raw: str, names: list[str]) -> None:
    assert split_names(raw) == names


def test_a_text_without_credit_labels_is_unchanged() -> None:
    assert authors_credits("By Jane Doe and John Roe") == "By Jane Doe and John Roe"
    assert authors_credits("Quelle: dpa") == "Quelle: dpa"  # the agency a story came from


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Par Claire Martin (AFP)", ["Claire Martin", "AFP"]),
        ("Von Max Muster (dpa/AFP)", ["Max Muster", "dpa", "AFP"]),
        (
            "By ZEKE MILLER and JOSH BOAK Associated Press",
            ["ZEKE MILLER", "JOSH BOAK", "Associated Press"],
        ),
        # other brackets still go, and a one-word name before an agency's name is one name
        ("Jane Doe (Washington)", ["Jane Doe"]),
        ("Thomson Reuters", ["Thomson Reuters"]),
    ],
)
def test_agency_credits_beside_a_name(raw: str, names: list[str]) -> None:
    assert split_names(raw) == names
    assert split_names("Par Claire Martin (AFP)") == ["Claire Martin", "AFP"]


def test_reading_times_and_job_titles_are_no_names() -> None:
    assert split_names("Jane Doe, John Roe 4 min read") == ["Jane Doe", "John Roe"]
    assert split_names("Anna Berg · 3 Min. Lesezeit") == ["Anna Berg"]
    assert split_names("By Mike Ross Staff Writer") == ["Mike Ross"]
    # a role after a comma is dropped as before; its words are no name
    assert split_names("By Jane Doe, Chief Political Correspondent") == ["Jane Doe"]


@pytest.mark.parametrize(
    "line",
    [
        "Текст: Мария Иванова",
        "Автор: Мария Иванова",
        "بقلم: مريم حسن",
        "Napisane przez Maria Nowak",
    ],
)
def test_lead_ins_of_more_languages_on_a_plain_line(line: str) -> None:
    html = page(f"<div>{line}</div>")
    expected = line.split(":")[-1].replace("Napisane przez", "").strip()
    assert authors_of(html) == [expected]


def test_our_correspondent_on_a_plain_line_is_kept_as_written() -> None:
    """The paper's staff credit names a post, and the place is part of it: the JSON-LD
    reader keeps "Our Correspondent in Washington" whole too."""
    assert authors_of(page("<p>By Our Correspondent in Beirut</p>")) == [
        "Our Correspondent in Beirut"
    ]
    assert authors_of(page("<p>By Our Special Correspondent</p>")) == ["Our Special Correspondent"]
    assert authors_of(page("<p>By our own efforts, the dam held</p>")) == []


@pytest.mark.parametrize(
    "after",
    [
        "<p><strong>Texto:</strong> Ana Souza</p>",
        '<div class="info-nota"><span>Por:</span> Ana Souza</div>',
        "<p>Autor: Ana Souza</p>",
        "<dl><dt>Author:</dt><dd>Ana Souza</dd><dt>Category:</dt><dd>News</dd></dl>",
        "<p>Texto: Ana Souza | Fotos: Pedro Lima</p>",
        "<p>Reporting by Ana Souza; Editing by Mark Potter</p>",
    ],
)
def test_a_labelled_credit_after_the_text(after: str) -> None:
    assert authors_of(page(after=after)) == ["Ana Souza"]


def test_what_is_no_labelled_credit_after_the_text() -> None:
    assert authors_of(page(after="<p>Autor: Ana Souza</p>")) == ["Ana Souza"]
    box = (
        "<ul><li>Author: Toni Ashford</li><li>Publisher: Harbor House</li><li>Pages: 320</li></ul>"
    )
    assert authors_of(page(after=box)) == []  # a reviewed book's fact box
    assert authors_of(page(after="<p>By Jon Baker</p>")) == []  # no label: maybe a sentence
    aside = "<aside><p>Autor: Ana Souza</p></aside>"
    assert authors_of(page().replace("</main>", f"{aside}</main>")) == []
    # a byline under the headline comes first
    assert authors_of(page("<p>By Jon Baker</p>", "<p>Autor: Ana Souza</p>")) == ["Jon Baker"]


@pytest.mark.parametrize(
    ("opening", "names"),
    [
        ("WASHINGTON (AP) — The Senate voted", ["AP"]),
        ("Berlin (dpa) - Der Bundestag hat", ["dpa"]),
        ("PARIS (AFP/Reuters) – Le gouvernement", ["AFP", "Reuters"]),
        ("WASHINGTON (Jan 5) — The Senate voted", []),
        ("The Senate (AP reported) voted", []),
    ],
)
def test_a_wire_datelines_agency(opening: str, names: list[str]) -> None:
    html = page().replace("<p>The warning", f"<p>{opening}. The warning", 1)
    assert authors_of(html) == names
    wire = page().replace("<p>The warning", "<p>WASHINGTON (AP) — The warning", 1)
    assert authors_of(wire) == ["AP"]


def test_the_dateline_gives_way_to_a_byline() -> None:
    html = page("<p>By Jon Baker</p>").replace("<p>The warning", "<p>WASHINGTON (AP) — The", 1)
    assert authors_of(html) == ["Jon Baker"]
    assert authors_of(html.replace("<p>By Jon Baker</p>", "")) == ["AP"]


UID = (
    '<span class="field field--name-uid field--label-hidden"><a href="/user/7">Mark Webber</a>'
    "</span>"
)
# a reporter field: its class says nothing the markup reader knows ("author", "byline")
AUTHOR_FIELD = (
    '<div class="field field--name-field-reporter"><div class="field__item">Jane Doe</div></div>'
)


def test_drupal_author_field_beats_the_owner_before_it() -> None:
    assert authors_of(page(f"<div>Submitted by {UID}</div>")) == ["Mark Webber"]
    assert authors_of(page(f"<div>{UID}</div>", AUTHOR_FIELD)) == ["Jane Doe"]


def test_drupal_owner_hidden_is_no_author() -> None:
    assert authors_of(page(f'<div class="hidden">{UID}</div>')) == []
    assert authors_of(page(f'<div style="display: none">{UID}</div>')) == []


def test_a_photo_credit_above_the_byline_is_not_the_byline() -> None:
    figure = (
        '<figure><img src="/a.jpg" alt=""><figcaption>The river. '
        '<span class="credit">By John Roe / Reuters</span></figcaption></figure>'
    )
    assert authors_of(page(f"{figure}<p>By Jane Doe</p>")) == ["Jane Doe"]
    assert authors_of(page(figure)) == []


def test_a_byline_on_a_page_whose_body_class_names_a_sidebar() -> None:
    """Drupal and WordPress themes write the layout on <body> ("one-sidebar"): every element
    of the page is inside it, and none is in a sidebar for that."""
    byline = '<div class="byline">By Jane Doe</div>'
    assert authors_of(page(byline, body_class="one-sidebar sidebar-second")) == ["Jane Doe"]
    assert authors_of(page(byline, body_class="has-footer")) == ["Jane Doe"]
