"""A republished copy's "Source link" trailer names the original (newsarc.extractor.sourcelink):
read as the copy's canonical URL, so the original takes the record over when it comes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsarc.cli import cli
from newsarc.extractor import extract
from tests.conftest import fixture_path

COPY_URL = "https://aggregator.example/world/story-123"
ORIGINAL = "https://www.paper.example/news/world/2024/05/01/the-story"
PARAGRAPHS = "\n".join(
    f"<p>Paragraph {n} of the story: the council met on Monday and voted on the new budget, "
    "which the mayor said would pay for schools, roads and a new hospital wing.</p>"
    for n in range(8)
)


def page(trailer: str, *, head: str = "", after: str = "") -> str:
    """A copy of a story with ``trailer`` right after its text, ``head`` in its head."""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Council votes on the budget</title>{head}</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Council votes on the budget</h1>
<div class="entry-content">{PARAGRAPHS}
{trailer}</div>{after}
<div class="tags">Tags: <a href="/tag/budget">budget</a></div></article>
<footer><p>Aggregator Example</p></footer></body></html>"""


def canonical(html: str, url: str = COPY_URL) -> str | None:
    return extract(html, url).canonical_url


@pytest.mark.parametrize(
    "trailer",
    [
        f'<p><a href="{ORIGINAL}" rel="nofollow">Source link</a></p>',
        f'<p><a href="{ORIGINAL}">SOURCE LINK</a></p>',
        f'<p><a href="{ORIGINAL}">Read the original article</a></p>',
        f'<p><a href="{ORIGINAL}">Read the original article here »</a></p>',
        f'<p><a href="{ORIGINAL}">Read the original story</a> →</p>',
        f'<div class="source"><span><a href="{ORIGINAL}">Original source</a></span></div>',
    ],
)
def test_a_trailer_that_is_only_a_link_names_the_original(trailer: str) -> None:
    assert canonical(page(trailer)) == ORIGINAL
    assert "source" not in extract(page(trailer), COPY_URL).body.lower()


def test_the_seed_copy_names_its_original() -> None:
    article = extract(
        fixture_path("pages/seed-aggregator.html").read_bytes(),
        "https://www.headlineharbour.com/news/world/russia-men-fleeing-georgia",
    )
    assert article.canonical_url == (
        "https://www.example-original.co.uk/news/world/1674451/russia-news-men-fleeing-georgia"
    )


def test_a_relative_or_protocol_relative_link_is_made_absolute() -> None:
    trailer = '<p><a href="//www.paper.example/news/world/2024/05/01/the-story">Source link</a></p>'
    assert canonical(page(trailer)) == ORIGINAL


def test_a_canonical_link_naming_the_page_itself_is_kept() -> None:
    """Every site names its own page as canonical: a commentary or a translation that ends
    with "Read the original article" is no copy, and keeps its own address."""
    head = f'<link rel="canonical" href="{COPY_URL}">'
    trailer = f'<p><a href="{ORIGINAL}">Read the original article</a></p>'
    assert canonical(page(trailer, head=head)) == COPY_URL


def test_a_canonical_link_naming_another_page_is_kept() -> None:
    other = "https://wire.example/stories/budget-vote"
    head = f'<link rel="canonical" href="{other}">'
    trailer = f'<p><a href="{ORIGINAL}">Source link</a></p>'
    assert canonical(page(trailer, head=head)) == other


@pytest.mark.parametrize(
    "trailer",
    [
        # a data set or a study named as the source of a figure
        '<p>Source: <a href="https://stats.example/datasets/budget-2024">Eurostat</a></p>',
        '<p><a href="https://stats.example/datasets/budget-2024">Source</a></p>',
        # the link is part of a sentence, not the whole line
        f'<p>The figures come from the <a href="{ORIGINAL}">original source</a>, the paper '
        "said on Monday.</p>",
        # the copy's own site, or another site's front page
        '<p><a href="https://aggregator.example/world/story-122">Source link</a></p>',
        '<p><a href="https://news.aggregator.example/world/story">Source link</a></p>',
        '<p><a href="https://www.paper.example/">Source link</a></p>',
        # no address to take
        '<p><a href="javascript:void(0)">Source link</a></p>',
        '<p><a href="mailto:desk@paper.example">Source link</a></p>',
        # two different sources: no telling which is the original
        f'<p><a href="{ORIGINAL}">Source link</a></p>'
        '<p><a href="https://other.example/news/2024/the-story">Source link</a></p>',
    ],
)
def test_other_links_are_not_taken_for_the_original(trailer: str) -> None:
    assert canonical(page(trailer)) is None


def test_the_same_source_twice_is_one_source() -> None:
    trailer = f'<p><a href="{ORIGINAL}">Source link</a></p>' * 2
    assert canonical(page(trailer)) == ORIGINAL


def test_a_source_link_far_below_the_text_is_not_read() -> None:
    """Only the elements right after the body's text: a link in the comments or the footer
    belongs to something else."""
    filler = "".join(f'<div class="widget">Widget {n}</div>' for n in range(4))
    after = f'{filler}<p><a href="{ORIGINAL}">Source link</a></p>'
    assert canonical(page("", after=after)) is None


def fetch(db: Path, html: Path, url: str) -> None:
    result = CliRunner().invoke(
        cli, ["fetch", str(html), "--url", url, "--db", str(db)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output


def shown(db: Path, ref: str) -> dict:
    result = CliRunner().invoke(cli, ["show", ref, "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_original_takes_over_the_record_of_its_copy(tmp_path: Path) -> None:
    """The copy comes first and carries the original's address; the original, fetched later,
    becomes the record (its address, its site), and the copy's address leads to it."""
    db = tmp_path / "archive.db"
    copy = tmp_path / "copy.html"
    copy.write_text(page(f'<p><a href="{ORIGINAL}">Source link</a></p>'), encoding="utf-8")
    original = tmp_path / "original.html"
    original.write_text(
        page("", head='<meta property="og:site_name" content="The Paper">'), encoding="utf-8"
    )
    fetch(db, copy, COPY_URL)
    record = shown(db, COPY_URL)
    assert (record["url"], record["canonical_url"]) == (COPY_URL, ORIGINAL)
    fetch(db, original, ORIGINAL)
    record = shown(db, COPY_URL)
    assert (record["url"], record["site"]) == (ORIGINAL, "The Paper")
    assert {"url": COPY_URL, "kind": "copy"} in record["aliases"]
    assert shown(db, ORIGINAL)["id"] == record["id"]
