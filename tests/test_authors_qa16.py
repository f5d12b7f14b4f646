"""Author credits that name someone other than the author, and job titles after a name
(session 16 QA): a reviewer's or an editor's name beside the byline, "Redigiert von", and a
one-word title written after a name with no comma ("Jane Doe Reporter")."""

from __future__ import annotations

import lxml.html
import pytest

from newsarc.extractor.article import extract
from newsarc.extractor.authors import split_names
from newsarc.extractor.credits import ends_other_credit
from newsarc.extractor.markupbyline import from_markup

_BODY = "<p>" + "The council met on Tuesday to discuss the budget for the year. " * 12 + "</p>"


def _page(byline: str, lang: str = "en") -> str:
    return (
        f'<html lang="{lang}"><head><title>Budget</title></head><body><article>'
        f"<h1>Council argues over the budget</h1>{byline}{_BODY}{_BODY}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jane Doe Reporter", ["Jane Doe"]),
        ("By Tom Hale Correspondent", ["Tom Hale"]),
        ("Jana Berg Redakteurin", ["Jana Berg"]),
        ("Claire Martin Rédactrice", ["Claire Martin"]),
        ("Ana Souza Periodista", ["Ana Souza"]),
        ("Hans Peter Müller Redakteur", ["Hans Peter Müller"]),
        ("Von Max Weber Redigiert von Lena Kurz", ["Max Weber"]),
        ("Por Ana Souza. Revisado por Pedro Lima", ["Ana Souza"]),
    ],
)
def test_role_and_other_credits_leave_the_author(text: str, expected: list[str]) -> None:
    assert split_names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a post alone stays whole for the role rules, which drop it beside a person
        ("Chief Political Correspondent", ["Chief Political Correspondent"]),
        ("White House Reporter", ["White House Reporter"]),
        ("Kate Brown | Chief Political Correspondent", ["Kate Brown"]),
        ("Tom Krisher, AP Auto Writer", ["Tom Krisher"]),
        ("BBC Sport Reporter", ["BBC Sport Reporter"]),
        ("Mary Ann Writer", ["Mary Ann Writer"]),  # Writer is a surname too
        # an organisation after the comma: an agency is credited, a broadcaster is not
        ("By Mark Ellis, CNN", ["Mark Ellis"]),
        ("By Jane Doe, AFP", ["Jane Doe", "AFP"]),
        ("Von Jana Berg, dpa", ["Jana Berg", "dpa"]),
        ("By Jane Doe, Berlin", ["Jane Doe"]),
        ("Par Claire Martin, relue par Paul Roux", ["Claire Martin"]),
    ],
)
def test_posts_and_organisations_unchanged(text: str, expected: list[str]) -> None:
    assert split_names(text) == expected


def test_ends_other_credit() -> None:
    assert ends_other_credit("Medically reviewed by ")
    assert ends_other_credit("Fact-checked by")
    assert ends_other_credit("Redigiert von ")
    assert not ends_other_credit("By ")
    assert not ends_other_credit("Written by ")


def test_reviewer_box_beside_the_byline_adds_no_author() -> None:
    html = (
        '<div class="byline-wrap"><div class="byline"><span class="author-name">'
        '<a href="/author/lee-chen">Lee Chen</a></span></div><div class="reviewer">Reviewed by '
        '<span class="author-name"><a href="/author/ruth-moss">Ruth Moss</a></span></div></div>'
    )
    assert from_markup(lxml.html.fromstring(_page(html))) == ["Lee Chen"]


def test_fact_checker_link_after_its_label_adds_no_author() -> None:
    html = (
        '<div class="meta"><div class="author-info"><span>By</span> <a class="author-link" '
        'href="/authors/sam-ortiz">Sam Ortiz</a></div><div class="author-info checker">'
        '<span>Fact-checked by</span> <a class="author-link" href="/authors/nina-park">'
        "Nina Park</a></div></div>"
    )
    article = extract(_page(html), "https://news.example.org/2026/05/claim-check")
    assert article.authors == ["Sam Ortiz"]


def test_edited_by_in_german_byline() -> None:
    html = (
        '<div class="authors"><span class="author">Von <a href="/autor/max-weber">Max Weber</a>'
        '</span> <span class="author">Redigiert von <a href="/autor/lena-kurz">Lena Kurz</a>'
        "</span></div>"
    )
    article = extract(_page(html, "de"), "https://www.beispiel.de/wirtschaft/haushalt")
    assert article.authors == ["Max Weber"]


def test_one_word_title_after_the_name_in_a_byline_element() -> None:
    html = '<div class="byline">Jane Doe Reporter</div>'
    article = extract(_page(html), "https://www.example.com/local/council-budget")
    assert article.authors == ["Jane Doe"]
