"""Bylines written as plain text under the headline ("By ...", "Submitted by ...", "Publié par
..."), on pages of our own (fixtures/meta/bylines/) and inline."""

from __future__ import annotations

import lxml.html
import pytest

from newsarc.extractor import extract
from newsarc.extractor.metadata import extract_metadata
from tests.conftest import fixture_path


def authors_of(html: str, url: str = "https://example.com/2025/story-1") -> list[str]:
    return extract_metadata(lxml.html.document_fromstring(html), html, url).authors


def fixture_html(name: str) -> str:
    return fixture_path(f"meta/bylines/{name}").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "url", "names"),
    [
        # Drupal core: "Submitted by <a class=username href=/user/7>" in the article's <footer>
        (
            "drupal-submitted.html",
            "https://millbrookgazette.example/news/cooling-centre",
            ["Marcus Oyelaran"],
        ),
        ("publie-par.html", "https://voixdubocage.example/actu/marche-couvert", ["Hélène Le Goff"]),
        # no byline class, meta or JSON-LD: the "By <a href=/staff/...>" line under the <h1>
        ("plain-by.html", "https://lakesidecourier.example/2025/03/09/ferry", ["Nadia Okonkwo"]),
    ],
)
def test_plain_byline_under_the_headline(name: str, url: str, names: list[str]) -> None:
    assert authors_of(fixture_html(name), url) == names


def test_plain_byline_reaches_the_extracted_article() -> None:
    html = fixture_html("drupal-submitted.html")
    article = extract(html, "https://millbrookgazette.example/news/cooling-centre")
    assert article.authors == ["Marcus Oyelaran"]


def test_a_sentence_starting_with_by_is_not_a_byline() -> None:
    html = fixture_html("not-a-byline.html")
    assert authors_of(html) == []
    # the same place holds a byline when the line is one
    assert authors_of(html.replace("By Monday, most shops had reopened.", "By Ruth Adeyemi")) == [
        "Ruth Adeyemi"
    ]


def page_with_line(line: str, where: str = "article") -> str:
    """A small page with ``line`` in a ``<div>`` under the headline (or in an aside, the
    page's footer, or after the article's text)."""
    long = "The warning was lifted on Sunday after the river fell below the flood mark. " * 3
    div = f"<div>{line}</div>"
    parts = {
        "article": (div, "", ""),
        "aside": ("", f"<aside class='more'>{div}</aside>", ""),
        "footer": ("", "", f"<footer>{div}</footer>"),
        "after text": (f"<p>{long}</p><p>{long}</p>{div}", "", ""),
    }
    under, aside, footer = parts[where]
    return f"""<html><body><main><article><h1>Flood warning lifted</h1>{under}
    <p>The warning was lifted on Sunday.</p></article>{aside}</main>{footer}</body></html>"""


@pytest.mark.parametrize(
    "line",
    [
        "By signing up you agree to our terms",
        "By Friday night the river had fallen, officials said",
        "Text messages sent by the council",
        # a column's or a desk's label: one word alone, on a line no markup calls a byline
        "By Invitation",
        "Por Redacción",
    ],
)
def test_lines_that_read_as_prose_are_not_bylines(line: str) -> None:
    assert authors_of(page_with_line("By Jon Baker")) == ["Jon Baker"]
    assert authors_of(page_with_line(line)) == []


@pytest.mark.parametrize("where", ["aside", "footer", "after text"])
def test_a_by_line_away_from_the_headline_is_not_the_byline(where: str) -> None:
    """Other stories' credits in an aside, the page's own footer, and a credit after the
    article's text has begun are not this story's byline; under the headline it is."""
    assert authors_of(page_with_line("By Jon Baker")) == ["Jon Baker"]
    assert authors_of(page_with_line("By Jon Baker", where)) == []


def test_lead_in_in_its_own_element_reads_its_line() -> None:
    html = """<html><body><article><h1>Flood warning lifted</h1>
    <p class="credit"><span>Written by</span> <a href="/people/1">Ana de la Cruz</a>
    and <a href="/people/2">Tom O'Neill</a></p><p>Text.</p></article></body></html>"""
    assert authors_of(html) == ["Ana de la Cruz", "Tom O'Neill"]


def test_marked_up_byline_still_wins() -> None:
    plain = page_with_line("By Jon Baker")
    assert authors_of(plain) == ["Jon Baker"]
    marked = plain.replace("</h1>", '</h1><span class="byline">Mia Holt</span>')
    assert authors_of(marked) == ["Mia Holt"]


def test_a_page_without_a_headline_heading_is_not_searched() -> None:
    plain = page_with_line("By Jon Baker")
    assert authors_of(plain) == ["Jon Baker"]
    assert authors_of(plain.replace("h1>", "div>")) == []


def test_a_heading_under_the_headline_is_no_byline() -> None:
    """ "By The Numbers" as a subheading says what follows, not who wrote it."""
    assert authors_of(page_with_line("By Jon Baker")) == ["Jon Baker"]
    heading = page_with_line("By Jon Baker").replace(
        "<div>By Jon Baker</div>", "<h2>By The Numbers</h2>"
    )
    assert "<h2>By The Numbers</h2>" in heading
    assert authors_of(heading) == []


def test_a_surname_before_a_date_is_kept() -> None:
    """ "Le" before a date is French for "on" only in lower case; Dan Le is a name."""
    assert authors_of(page_with_line("By Dan Le 05.12.2026 10:30")) == ["Dan Le"]
    assert authors_of(page_with_line("Par Dan Le le 05/12/2026")) == ["Dan Le"]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        # agencies write their codes in lower case (dpa always does): kept as written
        ("Von dpa", ["dpa"]),
        ("By afp", ["afp"]),
        ("Par afp", ["afp"]),
        ("Von dpa/AFP", ["dpa", "AFP"]),
        ("Von APA / dpa", ["APA", "dpa"]),
        ("Por efe", ["efe"]),
        ("Door anp", ["anp"]),
        ("By Reuters", ["Reuters"]),
        ("Von epd und kna", ["epd", "kna"]),
        # a person and an agency, as a marked-up byline gives them
        ("Von Max Muster, dpa", ["Max Muster", "dpa"]),
        ("By Jane Doe, Reuters", ["Jane Doe", "Reuters"]),
        ("By Jane Doe and afp", ["Jane Doe", "afp"]),
    ],
)
def test_agency_codes_on_a_plain_line(line: str, names: list[str]) -> None:
    assert authors_of(page_with_line(line)) == names


@pytest.mark.parametrize(
    "line",
    [
        # ordinary lower-case words after a lead-in are prose, not agencies
        "By request of the council",
        "Von heute an gilt die Regel",
        "Par ailleurs, la mairie a fermé le pont",
        "By afp standards the river was low",
        "Von dpa-Informationen zufolge",
        "Von dpa/heute",
    ],
)
def test_lower_case_words_are_no_agency(line: str) -> None:
    assert authors_of(page_with_line(line)) == []


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Jane Doe, Berlin", ["Jane Doe"]),
        ("Von Max Muster, Berlin", ["Max Muster"]),
        ("Par Jean Dupont, à Paris", ["Jean Dupont"]),
        ("By JANE DOE in Kyiv", ["JANE DOE"]),
        ("By Jane Doe in New York", ["Jane Doe"]),
        ("Von Max Muster aus Berlin", ["Max Muster"]),
        ("Por Ana García, desde Madrid", ["Ana García"]),
        ("By Jane Doe, BERLIN", ["Jane Doe"]),
        ("By Jane Doe, Berlin, 05.12.2026 10:30", ["Jane Doe"]),
        ("By Jane Doe and John Roe, Berlin", ["Jane Doe", "John Roe"]),
        # particles and double-barrelled names keep every word
        ("By Marco Di Stefano, Rome", ["Marco Di Stefano"]),
        ("Door Pieter van der Berg, Amsterdam", ["Pieter van der Berg"]),
        ("By Sean O'Brien in Dublin", ["Sean O'Brien"]),
        ("By Anna Müller-Lüdenscheidt, Hamburg", ["Anna Müller-Lüdenscheidt"]),
    ],
)
def test_a_place_after_the_name_is_not_part_of_it(line: str, names: list[str]) -> None:
    assert authors_of(page_with_line(line)) == names


@pytest.mark.parametrize(
    ("line", "names"),
    [
        # unchanged: two people, a person and an agency, and a two-word part after a comma
        # (as likely a second author as a city: nothing on the line tells them apart)
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("By Jane Doe, John Roe", ["Jane Doe", "John Roe"]),
        ("By Jane Doe, Reuters", ["Jane Doe", "Reuters"]),
        # a one-word line, or a lone word and a place, is still no byline
        ("By Invitation", []),
        ("By Jane, Berlin", []),
        ("By Berlin", []),
    ],
)
def test_what_a_place_rule_leaves_alone(line: str, names: list[str]) -> None:
    assert authors_of(page_with_line(line)) == names


@pytest.mark.parametrize(
    ("line", "names"),
    [
        # a place after an agency, and a city with its country, are places too
        ("By Jane Doe, Reuters, London", ["Jane Doe", "Reuters"]),
        ("By Jane Doe, Reuters, New York", ["Jane Doe", "Reuters"]),
        ("By Jane Doe, Kyiv, Ukraine", ["Jane Doe"]),
        ("Von dpa, Berlin", ["dpa"]),
        # a role set before the place ("Correspondent in Washington") goes with it
        ("Von Anna Schmidt, Korrespondentin in Paris", ["Anna Schmidt"]),
        ("Par Jean Dupont, envoyé spécial à Kiev", ["Jean Dupont"]),
        ("Par Jean Dupont, correspondant à Bruxelles", ["Jean Dupont"]),
        ("di Marco Bianchi, inviato a Kiev", ["Marco Bianchi"]),
        ("Por Ana García, enviada especial en Kiev", ["Ana García"]),
        # a regional service of an agency is the agency ("dpa/lnw": dpa's NRW desk)
        ("Von dpa/lnw", ["dpa"]),
        ("Von Max Muster, dpa/lby", ["Max Muster", "dpa"]),
    ],
)
def test_places_and_roles_around_a_plain_byline(line: str, names: list[str]) -> None:
    assert authors_of(page_with_line(line)) == names


@pytest.mark.parametrize(
    "line",
    [
        # a second person, written as a name: kept
        "By Jane Doe, John Roe, Berlin",
        "By Jane Doe, John Roe and Ann Lee",
    ],
)
def test_the_place_rule_keeps_what_may_be_names(line: str) -> None:
    assert (
        authors_of(page_with_line(line))
        == {
            "By Jane Doe, John Roe, Berlin": ["Jane Doe", "John Roe"],
            "By Jane Doe, John Roe and Ann Lee": ["Jane Doe", "John Roe", "Ann Lee"],
        }[line]
    )
