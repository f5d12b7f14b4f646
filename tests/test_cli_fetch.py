"""`newsarc fetch` end to end: a real HTTP server on 127.0.0.1, the real CLI, a tmp archive."""

from __future__ import annotations

import json
import socket
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from werkzeug import Response

from newsarc.cli import cli
from tests.conftest import fixture_path

SEED = "pages/seed-aggregator.html"
SEED_PATH = "/world/russia-men-fleeing-georgia?utm_source=twitter&utm_medium=social"
HEADLINE = "Russia news: Men fleeing to Georgia to avoid conscription in Ukraine war"


def run(*args: str, ok: bool = True):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, list(args), catch_exceptions=not ok)
    if ok:
        assert result.exit_code == 0, result.stderr
    return result


def serve(httpserver: HTTPServer, path: str, name: str, content_type: str = "text/html") -> str:
    httpserver.expect_request(path.split("?")[0]).respond_with_data(
        fixture_path(name).read_bytes(), content_type=content_type
    )
    return httpserver.url_for(path)


def other_site(url: str) -> str:
    """``url`` on the local test server under its other loopback name, which is another site
    for the story links (``urls.same_site``)."""
    return url.replace("//localhost:", "//127.0.0.1:", 1)


def archive_rows(db_path: Path) -> list[tuple]:
    if not db_path.exists():
        return []
    with sqlite3.connect(db_path) as conn:
        return conn.execute("select id, url, headline, body from articles order by id").fetchall()


def assert_one_line_error(result, fragment: str, code: int = 1) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert fragment in lines[0], lines[0]
    assert "Traceback" not in result.output
    assert result.stdout == ""


@pytest.fixture
def seeded(httpserver: HTTPServer, db_path: Path) -> str:
    url = serve(httpserver, SEED_PATH, SEED, "text/html; charset=utf-8")
    run("fetch", url)
    return url


def test_seed_story_end_to_end(seeded: str, db_path: Path) -> None:
    record = json.loads(run("show", "1", "--json").stdout)
    assert record["headline"] == HEADLINE
    assert record["section"] == "World"
    body = record["body"]
    assert body.startswith("Russian men are fleeing their homeland")
    assert body.endswith("driving through.")
    assert "READ MORE" not in body and "Source link" not in body
    assert "\n\n" in body and "\n\n\n" not in body
    # tracking parameters are gone from the stored address
    assert record["url"].endswith("/world/russia-men-fleeing-georgia")
    assert "utm_" not in record["url"]

    hits = json.loads(run("search", "Georgia border", "--json").stdout)
    assert [hit["id"] for hit in hits] == [1]
    assert hits[0]["snippet"]
    assert not json.loads(run("search", "source link", "--json").stdout)


def test_fetch_prints_one_line_per_article(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/world/story", SEED)
    result = run("fetch", url)
    fields = result.stdout.rstrip("\n").split("\t")
    assert fields[0] == "1"
    assert fields[2] == "World"
    assert fields[3] == HEADLINE
    assert int(fields[4]) > 250


def test_fetch_json_is_the_whole_record(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/world/story", SEED)
    record = json.loads(run("fetch", "--json", url).stdout)
    for key in (
        "url",
        "canonical_url",
        "headline",
        "body",
        "published",
        "section",
        "authors",
        "site",
        "language",
        "description",
        "word_count",
        "content_hash",
        "fetched_at",
        "extractor_version",
        "id",
    ):
        assert key in record
    assert record["status"] == "new"
    assert record["language"] == "en"


def test_fetching_again_updates_never_duplicates(seeded: str, db_path: Path) -> None:
    again = json.loads(run("fetch", "--json", seeded).stdout)
    assert again["id"] == 1
    assert again["status"] == "unchanged"
    assert len(archive_rows(db_path)) == 1


def test_saved_page_with_url(db_path: Path) -> None:
    page = fixture_path(SEED)
    result = run(
        "fetch", str(page), "--url", "https://news.example.com/world/fleeing?utm_campaign=x"
    )
    assert HEADLINE in result.stdout
    rows = archive_rows(db_path)
    assert rows[0][1] == "https://news.example.com/world/fleeing"


def test_saved_page_over_the_size_limit(db_path: Path) -> None:
    page = fixture_path(SEED)
    result = run(
        "fetch", str(page), "--url", "https://news.example.com/a", "--max-bytes", "1K", ok=False
    )
    assert_one_line_error(result, "larger than the 1,024-byte limit")
    assert not db_path.exists()


def test_missing_saved_page(db_path: Path, tmp_path: Path) -> None:
    result = run(
        "fetch", str(tmp_path / "gone.html"), "--url", "https://news.example.com/a", ok=False
    )
    assert_one_line_error(result, "No such file or directory")
    assert not db_path.exists()


def test_saved_page_needs_url() -> None:
    result = run("fetch", str(fixture_path(SEED)), ok=False)
    assert result.exit_code == 2
    assert "needs --url" in result.stderr


def test_db_option_overrides_env(httpserver: HTTPServer, tmp_path: Path) -> None:
    other = tmp_path / "sub" / "other.db"
    url = serve(httpserver, "/world/story", SEED)
    run("fetch", url, "--db", str(other))
    assert len(archive_rows(other)) == 1
    assert not (tmp_path / "archive.db").exists()


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/news/story"


@pytest.mark.parametrize(
    "case, fragment",
    [
        ("malformed", "not a valid URL"),
        ("scheme", "not an http(s) URL"),
        ("closed-port", "refused"),
        ("404", "404"),
        ("pdf", "not HTML"),
        ("timeout", "no response within 0.5 s"),
        ("oversized", "larger than"),
    ],
)
def test_errors_are_one_line_and_leave_the_archive_unchanged(
    case: str, fragment: str, seeded: str, httpserver: HTTPServer, db_path: Path
) -> None:
    before = archive_rows(db_path)
    extra: list[str] = []
    if case == "malformed":
        url = "http://exa mple.com/story"
    elif case == "scheme":
        url = "ftp://example.com/story"
    elif case == "closed-port":
        url = _closed_port_url()
    elif case == "404":
        httpserver.expect_request("/missing").respond_with_data("gone", status=404)
        url = httpserver.url_for("/missing")
    elif case == "pdf":
        httpserver.expect_request("/doc").respond_with_data(
            b"%PDF-1.7 ...", content_type="application/pdf"
        )
        url = httpserver.url_for("/doc")
    elif case == "timeout":

        def slow(request):  # type: ignore[no-untyped-def]
            time.sleep(2.5)
            return Response("<html><p>late</p></html>", content_type="text/html")

        httpserver.expect_request("/slow").respond_with_handler(slow)
        url = httpserver.url_for("/slow")
        extra = ["--timeout", "0.5", "--deadline", "1", "--retries", "0"]
    else:  # oversized
        httpserver.expect_request("/big").respond_with_data(
            "<html><body>" + "<p>word </p>" * 5000 + "</body></html>", content_type="text/html"
        )
        url = httpserver.url_for("/big")
        extra = ["--max-bytes", "10K"]
    result = run("fetch", url, *extra, ok=False)
    assert_one_line_error(result, fragment)
    assert archive_rows(db_path) == before
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_failed_fetch_creates_no_archive(httpserver: HTTPServer, db_path: Path) -> None:
    httpserver.expect_request("/missing").respond_with_data("gone", status=404)
    result = run("fetch", httpserver.url_for("/missing"), ok=False)
    assert_one_line_error(result, "404")
    assert not db_path.exists()


def test_batch_goes_on_past_a_failure(httpserver: HTTPServer, db_path: Path) -> None:
    good = serve(httpserver, "/world/story", SEED)
    httpserver.expect_request("/missing").respond_with_data("gone", status=404)
    result = run("fetch", httpserver.url_for("/missing"), good, ok=False)
    assert result.exit_code == 3
    assert HEADLINE in result.stdout
    assert "404" in result.stderr and "1 of 2 failed" in result.stderr
    assert len(archive_rows(db_path)) == 1


def test_page_without_article_text_is_an_error(httpserver: HTTPServer, db_path: Path) -> None:
    httpserver.expect_request("/empty").respond_with_data(
        "<html><head><script>app()</script></head><body><div id=app></div></body></html>",
        content_type="text/html",
    )
    result = run("fetch", httpserver.url_for("/empty"), ok=False)
    assert_one_line_error(result, "no article text")
    assert not db_path.exists()


def test_version_and_help() -> None:
    from importlib.metadata import version

    assert run("--version").stdout == f"newsarc, version {version('newsarc')}\n"
    for name in cli.commands:  # type: ignore[attr-defined]
        help_text = run(name, "--help").stdout
        assert "Example" in help_text, name


def test_the_console_script_is_main_and_keeps_the_exit_codes(tmp_path):
    import subprocess
    import sys

    pyproject = (Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert 'newsarc = "newsarc.cli:main"' in pyproject.splitlines()
    command = [sys.executable, "-m", "newsarc"]
    shown = subprocess.run([*command, "--version"], capture_output=True, text=True, check=False)
    assert (shown.returncode, shown.stdout.split()[0]) == (0, "newsarc,")
    missing = tmp_path / "missing.html"
    failed = subprocess.run(
        [*command, "fetch", str(missing), "--db", str(tmp_path / "a.db")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 2  # a usage error, as the README documents
    assert "Error: not an http(s) URL" in failed.stderr and "Traceback" not in failed.stderr


def test_fetch_links_a_near_duplicate_and_refetch_keeps_the_original(
    httpserver: HTTPServer, db_path: Path
) -> None:
    """`fetch` stores band keys and links copies, as `ingest` does; the copy, fetched again,
    never changes the original's record."""
    original = serve(httpserver, "/world/georgia", "ingest/seed-original.html")
    # the aggregator is another site: the loopback server under its other name
    copy = other_site(serve(httpserver, "/news/copy", SEED))
    run("fetch", "--db", str(db_path), original)
    before = archive_rows(db_path)
    for _ in range(2):
        run("fetch", "--db", str(db_path), copy)
    with sqlite3.connect(db_path) as conn:
        links = conn.execute("select article_id, story_id, similarity from story_copies").fetchall()
    assert [(article_id, story) for article_id, story, _ in links] == [(2, 1)]
    assert 0.7 <= links[0][2] <= 1.0
    assert archive_rows(db_path)[0] == before[0]
    shown = run("show", "--db", str(db_path), "1").stdout
    assert f"copy:          2  {copy}" in shown


def test_fetch_of_a_copy_reports_the_record_it_joined(
    httpserver: HTTPServer, db_path: Path
) -> None:
    # The same page at another address (a scraper, no canonical link): kept as an alias of
    # the record, which stays as it was; fetch says so and prints that record, not the copy.
    original = serve(httpserver, "/world/georgia", "ingest/seed-original.html")
    mirror = serve(httpserver, "/mirror/sport/georgia", "ingest/seed-original.html")
    first = json.loads(run("fetch", "--db", str(db_path), "--json", original).stdout)
    again = json.loads(run("fetch", "--db", str(db_path), "--json", mirror).stdout)
    assert (again["id"], again["status"], again.get("copy")) == (first["id"], "unchanged", True)
    assert {k: again[k] for k in ("url", "section", "site", "published")} == {
        k: first[k] for k in ("url", "section", "site", "published")
    }


def test_fetch_prints_the_record_a_page_was_matched_to(
    httpserver: HTTPServer, db_path: Path
) -> None:
    """An AMP page fetched first holds the record; its canonical page, fetched next, is the
    same article, and `fetch --json` prints the record as `show` has it (its address)."""
    from tests.test_ingest import article_page

    canonical = httpserver.url_for("/news/bus")
    amp = httpserver.url_for("/amp/bus")
    httpserver.expect_request("/amp/bus").respond_with_data(
        article_page(41, canonical=canonical), content_type="text/html"
    )
    httpserver.expect_request("/news/bus").respond_with_data(
        article_page(41, canonical=canonical), content_type="text/html"
    )
    first = json.loads(run("fetch", "--db", str(db_path), "--json", amp).stdout)
    again = json.loads(run("fetch", "--db", str(db_path), "--json", canonical).stdout)
    shown = json.loads(run("show", "--db", str(db_path), "--json", str(first["id"])).stdout)
    assert again["id"] == first["id"] == shown["id"]
    assert again["url"] == shown["url"] == canonical  # the canonical page took the record over
    assert {"url": amp, "kind": "copy"} in shown["aliases"]
    assert {k: again[k] for k in ("headline", "site", "section", "published")} == {
        k: shown[k] for k in ("headline", "site", "section", "published")
    }
