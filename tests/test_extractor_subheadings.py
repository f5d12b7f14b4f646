"""Section subheadings: trafilatura's heading elements leave the body for Article.subheadings."""

from __future__ import annotations

from newsarc.extractor import extract
from newsarc.extractor.body import Lines, split_subheadings

URL = "https://news.example.com/world/2024/05/council-vote"
PROSE = (
    "The council met on Monday and voted on the budget after a debate that lasted most of the"
    " afternoon and went on into the evening."
)


def page(inner: str) -> str:
    return (
        f"<html><body><article><h1>Council vote</h1><p>{PROSE}</p>{inner}</article></body></html>"
    )


def test_a_heading_is_a_subheading_and_a_paragraph_with_its_words_stays_in_the_body() -> None:
    article = extract(page(f"<h2>Analysis</h2><p>{PROSE}</p><p>Analysis</p>"), URL)
    assert article.subheadings == ["Analysis"]
    assert article.body.split("\n\n") == [PROSE, PROSE, "Analysis"]


def test_headings_inside_list_items_and_table_cells_stay_in_their_line() -> None:
    inner = (
        "<ul><li><h3>Item head</h3> item text</li></ul>"
        "<table><tr><td><h4>Cell head</h4></td><td>12</td></tr></table>"
    )
    article = extract(page(inner), URL)
    assert article.subheadings == []
    assert article.body.split("\n\n")[1:] == ["- Item head item text", "| Cell head | 12 |"]


def test_a_paragraph_in_heading_markup_stays_in_the_body() -> None:
    standfirst = " ".join(["Officials said the vote"] * 8) + "."  # 32 words: not a heading
    article = extract(page(f"<h2>{standfirst}</h2><h2>Reactions</h2><p>{PROSE}</p>"), URL)
    assert article.subheadings == ["Reactions"]
    assert article.body.split("\n\n") == [PROSE, standfirst, PROSE]


def test_a_details_summary_is_a_subheading() -> None:
    article = extract(
        page(f"<details><summary>The full list</summary><p>{PROSE}</p></details>"), URL
    )
    assert article.subheadings == ["The full list"]
    assert "The full list" not in article.body


def test_a_heading_dropped_as_boilerplate_is_not_a_subheading() -> None:
    related = (
        '<h2>Related stories</h2><ul><li><a href="/a">Council cuts library hours</a></li>'
        '<li><a href="/b">Mayor opens new park</a></li></ul>'
    )
    article = extract(page(f"<h2>Next steps</h2><p>{PROSE}</p>{related}"), URL)
    assert article.subheadings == ["Next steps"]
    assert "Related" not in article.body and "library" not in article.body


def test_split_subheadings_takes_repeated_texts_occurrence_by_occurrence() -> None:
    lines = Lines(
        texts=["Lead.", "Why", "Text.", "Why", "Part one", "of two", "End."],
        headings=[None, 0, None, None, 1, 1, None],
    )
    kept = ["Lead.", "Why", "Text.", "Why", "Part one", "of two", "End.", "A recovered lead."]
    running, subheadings = split_subheadings(kept, lines)
    assert subheadings == ["Why", "Part one of two"]  # one heading's lines make one subheading
    assert running == ["Lead.", "Text.", "Why", "End.", "A recovered lead."]
