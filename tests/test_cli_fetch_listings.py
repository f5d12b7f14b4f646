"""`newsarc fetch` on pages that are not one article, or whose byline carries its date: a real
HTTP server on 127.0.0.1, the real CLI, a tmp archive (QA session 9)."""

from __future__ import annotations

import json

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
