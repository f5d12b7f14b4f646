"""``modified`` end to end: fetched from a real HTTP server on 127.0.0.1, then shown by every
command that prints a record, and kept new when the page is fetched again changed."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner, Result
from pytest_httpserver import HTTPServer

from newsarc.cli import cli
from tests.conftest import fixture_path

PAGE = "modified/liveblog.html"
MODIFIED = "2024-03-14T17:25:00+01:00"
LATER = "2024-03-14T19:05:00+01:00"


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


def fetched(httpserver: HTTPServer, content: bytes) -> dict:
    """The record ``newsarc fetch --json`` prints for ``content`` served at /live/dredging."""
    httpserver.clear()
    httpserver.expect_request("/live/dredging").respond_with_data(
        content, content_type="text/html; charset=utf-8"
    )
    record: dict = json.loads(run("fetch", "--json", httpserver.url_for("/live/dredging")).stdout)
    return record


def test_fetch_then_show_export_search_and_list_print_it(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    record = fetched(httpserver, fixture_path(PAGE).read_bytes())
    assert (record["published"], record["modified"]) == ("2024-03-14T08:00:00+01:00", MODIFIED)
    assert f"modified:      {MODIFIED}\n" in run("show", "1").stdout
    assert json.loads(run("show", "1", "--json").stdout)["modified"] == MODIFIED
    [line] = run("export").stdout.splitlines()
    assert json.loads(line)["modified"] == MODIFIED
    [row] = csv.DictReader(io.StringIO(run("export", "--format", "csv").stdout, newline=""))
    assert row["modified"] == MODIFIED
    markdown = run("export", "--format", "md").stdout
    assert f'\ndate: "2024-03-14T08:00:00+01:00"\nmodified: "{MODIFIED}"\n' in markdown
    run("export", "--format", "md", "-o", str(tmp_path / "md"))
    [document] = (tmp_path / "md").iterdir()
    assert f'\nmodified: "{MODIFIED}"\n' in document.read_text(encoding="utf-8")
    [hit] = json.loads(run("search", "dredge", "--json").stdout)
    assert hit["modified"] == MODIFIED
    [listed] = json.loads(run("list", "--json").stdout)
    assert listed["modified"] == MODIFIED
    [listed_row] = csv.DictReader(io.StringIO(run("list", "--csv").stdout))
    assert listed_row["modified"] == MODIFIED


def test_a_page_fetched_again_changed_keeps_its_new_modified(httpserver: HTTPServer) -> None:
    page = fixture_path(PAGE).read_bytes()
    assert fetched(httpserver, page)["modified"] == MODIFIED
    # the live blog an hour and a half later: a new post and a new update time
    new_post = b"<p>The board will meet again in May to choose the dredging company.</p>"
    later = page.replace(
        f'"dateModified": "{MODIFIED}"'.encode(), f'"dateModified": "{LATER}"'.encode()
    )
    later = later.replace(b"</article>", new_post + b"</article>")
    assert later.count(LATER.encode()) == 1
    record = fetched(httpserver, later)
    assert (record["id"], record["status"], record["modified"]) == (1, "updated", LATER)
    shown = json.loads(run("show", "1", "--json").stdout)
    assert shown["modified"] == LATER and shown["revisions"] == 1
    assert "choose the dredging company" in shown["body"]


def test_a_record_without_an_update_time_shows_none(httpserver: HTTPServer) -> None:
    record = fetched(httpserver, fixture_path("modified/equal.html").read_bytes())
    assert record["published"] and record["modified"] is None
    assert "modified:" not in run("show", "1").stdout
    [row] = csv.DictReader(io.StringIO(run("export", "--format", "csv").stdout, newline=""))
    assert row["modified"] == ""
    assert "\nmodified: null\n" in run("export", "--format", "md").stdout
