"""Pages in legacy charsets behind a long head, undeclared or declared late, archived readably
by every way in: `fetch`, `ingest` over HTTP, `ingest --dir` and `ingest --warc` (real local
HTTP server, the real CLI, a tmp archive). They were archived as mojibake with exit 0."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from newsarc.cli import cli
from tests.legacy_pages import LEGACY, RUSSIAN, Story, page

FAST = ["--delay", "0", "--workers", "1", "--retries", "0", "-q"]
# (story, codec, label, head, declared late): each legacy page once, undeclared behind a
# script or declared after a style.
CASES = [
    (story, codec, label, head, late)
    for story, codec, label in LEGACY
    for head, late in (("script", False), ("style", True))
]
IDS = [f"{s.lang}-{c}-{'late' if late else 'undeclared'}" for s, c, _, _, late in CASES]


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


def body_of(story: Story, codec: str, label: str, head: str, late: bool) -> bytes:
    return page(story, head, label if late else None).encode(codec)


def numbered(n: int) -> tuple[Story, bytes]:
    """Case ``n`` under a headline of its own: one story's pages in two charsets would be one
    record (a mirror: the same text and headline)."""
    story, codec, label, head, late = CASES[n]
    story = replace(story, headline=f"{story.headline} {n}")
    return story, body_of(story, codec, label, head, late)


def assert_readable(record: dict[str, Any], story: Story) -> None:
    assert record["headline"] == story.headline
    assert record["authors"] == [story.author]
    assert all(paragraph in record["body"] for paragraph in story.paragraphs)


def exported() -> dict[str, dict[str, Any]]:
    lines = invoke("export").stdout.splitlines()
    return {record["url"]: record for record in map(json.loads, lines)}


@pytest.mark.parametrize(("story", "codec", "label", "head", "late"), CASES, ids=IDS)
def test_fetch_archives_the_page_readably(
    httpserver: HTTPServer, story: Story, codec: str, label: str, head: str, late: bool
) -> None:
    httpserver.expect_request("/story").respond_with_data(
        body_of(story, codec, label, head, late), content_type="text/html"
    )
    record = json.loads(invoke("fetch", "--json", httpserver.url_for("/story")).stdout)
    assert_readable(record, story)


def test_undeclared_windows_1251_is_found_by_search(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ru").respond_with_data(
        page(RUSSIAN, "script", None).encode("cp1251"), content_type="text/html"
    )
    invoke("fetch", httpserver.url_for("/ru"))
    hits = json.loads(invoke("search", RUSSIAN.word, "--json").stdout)
    assert [hit["headline"] for hit in hits] == [RUSSIAN.headline]


def test_ingest_over_http_archives_the_pages_readably(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.no_handler_status_code = 404  # no robots.txt
    urls = []
    for n in range(len(CASES)):
        httpserver.expect_request(f"/s/{n}").respond_with_data(
            numbered(n)[1], content_type="text/html"
        )
        urls.append(httpserver.url_for(f"/s/{n}"))
    links = tmp_path / "links.txt"
    links.write_text("\n".join(urls) + "\n", encoding="utf-8")
    invoke("ingest", "--urls", str(links), *FAST)
    records = exported()
    assert len(records) == len(CASES)
    for n, url in enumerate(urls):
        assert_readable(records[url], numbered(n)[0])


def test_ingest_of_saved_files_archives_them_readably(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    for n in range(len(CASES)):
        (folder / f"page{n}.html").write_bytes(numbered(n)[1])
    invoke("ingest", "--dir", str(folder), "--base-url", "https://news.example/", "-q")
    records = exported()
    assert len(records) == len(CASES)
    for n in range(len(CASES)):
        assert_readable(records[f"https://news.example/page{n}.html"], numbered(n)[0])


def test_ingest_of_a_warc_archives_its_records_readably(tmp_path: Path) -> None:
    from tests.test_warc import Warc

    warc = Warc(tmp_path / "legacy.warc.gz", gz=True)
    for n in range(len(CASES)):
        warc.response(f"https://news.example/w/{n}", numbered(n)[1], content_type="text/html")
    invoke("ingest", "--warc", str(warc.close()), "-q")
    records = exported()
    assert len(records) == len(CASES)
    for n in range(len(CASES)):
        assert_readable(records[f"https://news.example/w/{n}"], numbered(n)[0])
