"""`newsarc fetch` on pages that are not one article, or whose byline carries its date: a real
HTTP server on 127.0.0.1, the real CLI, a tmp archive (QA session 9)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from newsarc.cli import cli

PARAGRAPHS = [
    "The city council voted late on Tuesday to approve a sweeping overhaul of the municipal bus "
    "network, ending months of heated debate between residents, drivers and officials.",
    "Under the plan, twelve routes will be merged into five high-frequency lines, and buses on "
    "the busiest corridors will run every six minutes during peak hours, documents show.",
    "Opponents argued that elderly passengers in outlying districts would lose direct "
    "connections to the central hospital, forcing them to change buses on every journey.",
    "The transport commissioner said the changes would cut average journey times by eleven "
    "percent and that a dedicated shuttle would serve the hospital from the northern suburbs.",
]


def article_page(byline: str, *, head: str = "", trailer: str = "") -> str:
    """A news article whose only author and date are in its visible byline."""
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Council approves overhaul of city bus network | Daily Courier</title>{head}"
        '</head><body><header><a href="/">Daily Courier</a></header><main><article>'
        "<h1>Council approves overhaul of city bus network</h1>"
        f'<div class="byline">{byline}</div>'
        f'<div class="article-body">{paragraphs}{trailer}</div></article></main>'
        "<footer><p>© 2024 Daily Courier</p></footer></body></html>"
    )


def fetch_json(httpserver: HTTPServer, path: str, html: str) -> dict:  # type: ignore[type-arg]
    httpserver.expect_request(path).respond_with_data(
        html.encode(), content_type="text/html; charset=utf-8"
    )
    result = CliRunner().invoke(cli, ["fetch", "--json", httpserver.url_for(path)])
    assert result.exit_code == 0, result.stderr
    record: dict = json.loads(result.stdout)  # type: ignore[type-arg]
    return record


@pytest.mark.parametrize(
    "byline",
    [
        "By Anna Berg · May 14, 2024 6:30 PM EDT",
        "By Anna Berg | May 14, 2024",
        "By Anna Berg • 14 May 2024",
        "By Anna Berg - May 14, 2024",
        "By Anna Berg on May 14, 2024",
        "By Anna Berg, May 14, 2024",
        "By Anna Berg | 2 hours ago",
        "By Anna Berg<br>May 14, 2024",
        "By Anna Berg · <span>Tue 14 May 2024 18.30 BST</span>",
        "<div>By Anna Berg</div><div>Published 14 May 2024</div>",
    ],
)
def test_a_date_in_the_byline_is_no_author(httpserver: HTTPServer, byline: str) -> None:
    record = fetch_json(httpserver, "/news/bus-network", article_page(byline))
    assert record["authors"] == ["Anna Berg"]


def test_a_byline_keeps_two_authors_and_names_that_are_months(httpserver: HTTPServer) -> None:
    byline = "By Theresa May and April Ryan · June 3, 2024"
    record = fetch_json(httpserver, "/news/bus-network", article_page(byline))
    assert record["authors"] == ["Theresa May", "April Ryan"]


TEASERS = [
    (
        "Council approves overhaul of city bus network",
        "Twelve routes will be merged into five high-frequency lines under the plan approved "
        "on Tuesday night after months of debate.",
    ),
    (
        "Hospital waiting lists fall for first time in a decade",
        "The regional health authority said the number of patients waiting more than a year "
        "had dropped by a third since January.",
    ),
    (
        "Local club secures promotion with last-minute winner",
        "A stoppage-time header sent the home crowd into raptures and sealed a return to the "
        "second division after four seasons.",
    ),
    (
        "Heatwave warning issued for the weekend",
        "Forecasters expect temperatures to climb above 35 degrees on Saturday, with little "
        "relief overnight in the city centre.",
    ),
    (
        "Tram extension delayed again as costs rise",
        "The opening of the eastern branch has been pushed back to 2027 after contractors "
        "found old mine workings under the route.",
    ),
]


def listing_page(title: str, canonical: str, og_type: str = "website") -> str:
    """A front or section page: teasers of other articles, each a linked heading and a blurb."""
    teasers = "".join(
        f'<article class="teaser"><h3><a href="/news/story-{i}">{headline}</a></h3>'
        f'<p>{blurb}</p><span class="time">{i + 1} hours ago</span></article>'
        for i, (headline, blurb) in enumerate(TEASERS)
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta property="og:site_name" content="Daily Courier">'
        f'<meta property="og:type" content="{og_type}"><link rel="canonical" href="{canonical}">'
        '</head><body><header><nav><a href="/news/">News</a> <a href="/sport/">Sport</a></nav>'
        f'</header><main><section class="top-stories"><h2>Top stories</h2>{teasers}</section>'
        "</main><footer><p>© 2024 Daily Courier</p></footer></body></html>"
    )


@pytest.mark.parametrize(
    ("path", "title", "canonical"),
    [
        ("/", "Daily Courier – News, Sport and Opinion", "/"),
        ("/front", "Daily Courier – News, Sport and Opinion", "/"),
        ("/section/news", "Local news | Daily Courier", "/section/news"),
    ],
)
def test_a_front_or_section_page_is_not_archived(
    httpserver: HTTPServer, db_path: Path, path: str, title: str, canonical: str
) -> None:
    httpserver.expect_request(path).respond_with_data(
        listing_page(title, canonical).encode(), content_type="text/html; charset=utf-8"
    )
    result = CliRunner().invoke(cli, ["fetch", httpserver.url_for(path)])
    assert result.exit_code == 1, result.stdout
    assert result.stderr.startswith("Error: no article text found in ")
    assert "a front page or section listing, not an article: 5 teasers" in result.stderr
    assert not archived(db_path)


def test_a_listing_that_calls_itself_an_article_is_archived(
    httpserver: HTTPServer, db_path: Path
) -> None:
    """Markup that says "article" wins: the rule refuses only pages whose every sign agrees."""
    html = listing_page("Five stories | Daily Courier", "/section/news", og_type="article")
    fetch_json(httpserver, "/section/news", html)
    assert len(archived(db_path)) == 1


def test_an_undated_article_with_teasers_on_the_front_address_is_archived(
    httpserver: HTTPServer, db_path: Path
) -> None:
    """og:type website, no date, a canonical link to the front page (a template's mistake) and
    three related-story teasers: the body is its own text, so it is an article."""
    related = "".join(
        f'<div class="promo"><h3><a href="/news/story-{i}">{headline}</a></h3><p>{blurb}</p></div>'
        for i, (headline, blurb) in enumerate(TEASERS[:3])
    )
    head = '<meta property="og:type" content="website"><link rel="canonical" href="/">'
    record = fetch_json(httpserver, "/", article_page("By Anna Berg", head=head, trailer=related))
    assert record["headline"] == "Council approves overhaul of city bus network"
    assert record["body"].startswith(PARAGRAPHS[0])
    assert len(archived(db_path)) == 1


def archived(db_path: Path) -> list[tuple[str]]:
    if not db_path.exists():
        return []
    with sqlite3.connect(db_path) as conn:
        return conn.execute("select url from articles").fetchall()


def test_a_republication_note_and_a_wire_trailer_leave_the_body_and_a_rights_notice_stays(
    httpserver: HTTPServer,
) -> None:
    """The rights notice is kept: the extraction benchmark counts it as the article's text. A
    wire service's "may not be published, broadcast, rewritten or redistributed" goes, though
    that benchmark keeps it too: it tells the reader nothing about the story."""
    notice = "Copyright 2024 Daily Courier Media. All rights reserved."
    wire = "This material may not be published, broadcast, rewritten or redistributed."
    trailer = (
        f"<p>This article originally appeared on The Northern Gazette.</p><p>{notice}</p>"
        f"<p>{notice} {wire}</p>"
    )
    page = article_page("By Anna Berg", trailer=trailer)
    record = fetch_json(httpserver, "/news/bus-network", page)
    assert record["body"].endswith(f"{PARAGRAPHS[-1]}\n\n{notice}")
