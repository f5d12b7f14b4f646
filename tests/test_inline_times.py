"""Dates in running text keep their words: trafilatura deletes every <time> element with its
text, so "expected on <time>March 12</time>, two days later" lost "March 12"; a <time> that is
the whole of a date line is still left out of the body."""

from __future__ import annotations

import lxml.html
import pytest

from newsarc.extractor import extract
from newsarc.extractor.prune import open_inline_times

_SENTENCE = (
    "The vote in the regional assembly was postponed again by the speaker after a long "
    "debate. It is now expected on <time datetime='2024-03-12'>March 12</time>, two days "
    "later than planned, officials said on Monday evening."
)


def page(paragraphs: str) -> str:
    return (
        "<html><head><title>Vote postponed</title></head><body><article>"
        f"<h1>Vote postponed</h1>{paragraphs}</article></body></html>"
    )


def test_a_date_inside_a_sentence_keeps_its_words() -> None:
    article = extract(page(f"<p>{_SENTENCE}</p>" * 3), "https://example.com/2024/03/10/vote")
    assert "It is now expected on March 12, two days later than planned" in article.body
    assert ", ," not in article.body and " on ," not in article.body


def test_a_date_line_stays_out_of_the_body() -> None:
    html = page(
        "<p class='meta'>Published <time datetime='2024-03-10T09:00'>March 10, 2024</time></p>"
        + f"<p>{_SENTENCE}</p>" * 3
    )
    article = extract(html, "https://example.com/2024/03/10/vote")
    assert "Published" not in article.body
    assert article.published.startswith("2024-03-10")


@pytest.mark.parametrize(
    ("markup", "opened"),
    [
        (f"<p>{_SENTENCE}</p>", 1),
        ("<p>The talks resume on <em><time>Monday</time></em> in the capital, aides said.</p>", 1),
        ("<li>Deadline moved to <time>April 2</time> after the appeal was lodged</li>", 1),
        ("<p>Updated <time>10 March 2024, 09:41</time></p>", 0),
        ("<p><time>10 March 2024</time> | Jane Doe</p>", 0),
        ("<div class='byline'>By Jane Doe, political editor, <time>March 10</time></div>", 0),
        ("<td><time>14:30</time></td><td>Kick-off</td>", 0),
    ],
)
def test_which_times_are_opened(markup: str, opened: int) -> None:
    if markup.startswith("<td"):
        markup = f"<table><tr>{markup}</tr></table>"
    tree = lxml.html.document_fromstring(f"<html><body>{markup}</body></html>")
    times = list(tree.iter("time"))
    assert open_inline_times(times) == opened
    assert len(list(tree.iter("time"))) == len(times) - opened
