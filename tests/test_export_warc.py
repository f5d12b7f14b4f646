"""`newsarc export --format warc`: the kept raw pages as WARC records, read back by warcio and
by `newsarc ingest --warc`, through the real CLI against a real local HTTP server."""

from __future__ import annotations

import gzip
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from warcio.archiveiterator import ArchiveIterator
from werkzeug import Response

from newsarc.cli import cli
from newsarc.exportwarc import http_header_list, status_line, warc_date
from tests.conftest import fixture_path

PAGES = ("german", "russian-cp1251", "jsonld-newsarticle", "liveblog-updates")


def run(*args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=code != 0)
    assert result.exit_code == code, (result.exit_code, result.stderr)
    return result


def page_bytes(name: str) -> bytes:
    return fixture_path(f"pages/{name}.html").read_bytes()


def articles(db_path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT url, headline, body FROM articles ORDER BY url").fetchall()
    return [tuple(row) for row in rows]


def records(path: Path) -> list[Any]:
    """Every record of a WARC (digests checked: a wrong one raises), payloads read."""
    out = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, check_digests="raise"):
            record.payload = record.content_stream().read()
            out.append(record)
    return out


def responses(path: Path) -> list[Any]:
    return [r for r in records(path) if r.rec_type == "response"]


@pytest.fixture
def archived(server: HTTPServer, db_path: Path) -> dict[str, str]:
    """Four fixture pages fetched from a local server: one sent gzip-encoded, one reached
    through a redirect. Returns name -> the address fetched."""
    urls = {}
    for name in PAGES:
        body = page_bytes(name)
        charset = "windows-1251" if "cp1251" in name else "utf-8"
        headers = {"ETag": f'"{name}"', "Set-Cookie": "session=secret"}
        if name == "german":
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        server.expect_request(f"/news/{name}").respond_with_data(
            body, content_type=f"text/html; charset={charset}", headers=headers
        )
        urls[name] = server.url_for(f"/news/{name}")
    moved = server.url_for("/old/liveblog")
    server.expect_request("/old/liveblog").respond_with_response(
        Response(status=301, headers={"Location": urls["liveblog-updates"]})
    )
    fetched = [urls[n] for n in PAGES if n != "liveblog-updates"] + [moved]
    run("fetch", *fetched, "--db", str(db_path))
    urls["moved"] = moved
    return urls


def test_round_trip_through_ingest_gives_the_same_articles(
    archived: dict[str, str], db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.warc.gz"
    result = run("export", "--format", "warc", "-o", str(out), "--db", str(db_path))
    assert result.stderr.strip() == "exported 4 articles (4 fetches) as WARC"
    other = tmp_path / "other.db"
    run("ingest", "--warc", str(out), "--db", str(other), "-q")
    assert articles(other) == articles(db_path)
    assert len(articles(other)) == 4


def test_records_are_consistent_with_the_stored_pages(
    archived: dict[str, str], db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.warc.gz"
    run("export", "--format", "warc", "-o", str(out), "--db", str(db_path))
    assert out.read_bytes()[:2] == b"\x1f\x8b"
    every = records(out)
    info = every[0]
    assert info.rec_type == "warcinfo"
    assert info.rec_headers.get_header("WARC-Filename") == "out.warc.gz"
    fields = info.payload.decode()
    assert "software: newsarc/" in fields
    assert "the latest fetch of each article" in fields
    with sqlite3.connect(db_path) as conn:
        kept = {
            url: fetched_at
            for url, fetched_at in conn.execute("SELECT final_url, fetched_at FROM pages")
        }
    by_target = {r.rec_headers.get_header("WARC-Target-URI"): r for r in responses(out)}
    assert set(by_target) == set(kept)
    for name in PAGES:
        record = by_target[archived[name]]
        assert record.payload == page_bytes(name)  # decoded from gzip, as the archive keeps it
        http = record.http_headers
        assert http.statusline == "200 OK"
        assert http.get_header("Content-Length") == str(len(page_bytes(name)))
        assert http.get_header("Content-Encoding") is None
        assert http.get_header("Transfer-Encoding") is None
        assert http.get_header("ETag") == f'"{name}"'
        assert http.get_header("Set-Cookie") is None  # never kept
        assert http.get_header("Content-Type").startswith("text/html; charset=")
        assert record.rec_headers.get_header("WARC-Date") == warc_date(kept[archived[name]])
        assert record.rec_headers.get_header("WARC-Payload-Digest").startswith("sha1:")
        assert record.rec_headers.get_header("WARC-Block-Digest").startswith("sha1:")


def test_a_redirected_fetch_names_the_address_asked_for(
    archived: dict[str, str], db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.warc"
    run("export", "--format", "warc", "-o", str(out), "--db", str(db_path))
    assert out.read_bytes().startswith(b"WARC/1.0\r\n")  # not gzipped: the name says .warc
    every = records(out)
    metadata = [r for r in every if r.rec_type == "metadata"]
    assert len(metadata) == 1
    response = next(
        r
        for r in every
        if r.rec_headers.get_header("WARC-Target-URI") == archived["liveblog-updates"]
        and r.rec_type == "response"
    )
    assert metadata[0].rec_headers.get_header("WARC-Concurrent-To") == (
        response.rec_headers.get_header("WARC-Record-ID")
    )
    assert metadata[0].payload == f"via: {archived['moved']}\r\n".encode()


def test_filters_and_query_choose_the_articles(
    archived: dict[str, str], db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "solar.warc.gz"
    run("export", "--format", "warc", "--query", "solar", "-o", str(out), "--db", str(db_path))
    assert [r.rec_headers.get_header("WARC-Target-URI") for r in responses(out)] == [
        archived["jsonld-newsarticle"]
    ]
    run("export", "--format", "warc", "--lang", "ru", "-o", str(out), "--db", str(db_path))
    assert [r.rec_headers.get_header("WARC-Target-URI") for r in responses(out)] == [
        archived["russian-cp1251"]
    ]


def test_latest_fetch_by_default_every_kept_fetch_on_request(
    server: HTTPServer, db_path: Path, tmp_path: Path
) -> None:
    first = page_bytes("german")
    second = first.replace(b"</body>", b"<!-- corrected --></body>")
    for body in (first, second):
        server.clear()
        server.expect_request("/story").respond_with_data(body, content_type="text/html")
        run("fetch", server.url_for("/story"), "--db", str(db_path))
    out = tmp_path / "latest.warc.gz"
    run("export", "--format", "warc", "-o", str(out), "--db", str(db_path))
    assert [r.payload for r in responses(out)] == [second]
    result = run(
        "export", "--format", "warc", "--all-fetches", "-o", str(out), "--db", str(db_path)
    )
    assert result.stderr.strip() == "exported 1 article (2 fetches) as WARC"
    assert [r.payload for r in responses(out)] == [first, second]  # oldest first
    assert "every kept fetch" in records(out)[0].payload.decode()


def test_articles_without_a_raw_page_are_counted(db_path: Path, tmp_path: Path) -> None:
    from newsarc.model import Article, Page
    from newsarc.store import close, open_db, save_article

    db = open_db(db_path)
    page = Page(
        url="https://example.com/a",
        final_url="https://example.com/a",
        status=200,
        headers={},
        content=page_bytes("german"),
        fetched_at="2024-03-05T12:00:00+00:00",
    )
    save_article(db, Article(url="https://example.com/a", headline="A", body="One."), page)
    save_article(db, Article(url="https://example.com/b", headline="B", body="Two."))
    close(db)
    out = tmp_path / "out.warc.gz"
    result = run("export", "--format", "warc", "-o", str(out), "--db", str(db_path))
    assert result.stderr.strip() == (
        "exported 1 article (1 fetch) as WARC; 1 article left out: no raw page kept"
        " (see newsarc show --json)"
    )
    (record,) = responses(out)
    assert record.rec_headers.get_header("WARC-Date") == "2024-03-05T12:00:00Z"
    # A page saved from a file has no headers: it was read as HTML, and says so.
    assert record.http_headers.get_header("Content-Type") == "text/html"


def test_a_damaged_raw_page_is_reported_and_the_rest_exported(
    archived: dict[str, str], db_path: Path, tmp_path: Path
) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE pages SET content = ? WHERE final_url = ?",
            [b"not zstd at all", archived["german"]],
        )
    out = tmp_path / "out.warc.gz"
    result = run("export", "--format", "warc", "-o", str(out), "--db", str(db_path), code=3)
    assert "damaged raw page" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "exported 3 articles (3 fetches) as WARC; 1 damaged raw page left out"
    )
    assert len(responses(out)) == 3


def test_gzip_flag_and_options_that_need_warc(
    archived: dict[str, str], db_path: Path, tmp_path: Path
) -> None:
    result = run("export", "--format", "warc", "--gzip", "--db", str(db_path))
    assert result.stdout_bytes[:2] == b"\x1f\x8b"
    stream = io.BytesIO(result.stdout_bytes)
    assert len([r for r in ArchiveIterator(stream) if r.rec_type == "response"]) == 4
    result = run("export", "--all-fetches", "--db", str(db_path), code=2)
    assert "--all-fetches goes with --format warc" in result.stderr


def test_binary_is_refused_on_a_terminal_and_piped_otherwise(
    archived: dict[str, str], db_path: Path
) -> None:
    command = [sys.executable, "-m", "newsarc", "export", "--format", "warc"]
    command += ["--db", str(db_path)]
    env = os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    leader, follower = os.openpty()
    try:
        done = subprocess.run(
            command, stdout=follower, stderr=subprocess.PIPE, env=env, check=False, timeout=60
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 1
    assert done.stderr.decode().strip() == (
        "Error: a WARC is binary and stdout is a terminal: write it to a file"
        " (-o FILE.warc.gz) or pipe it"
    )
    piped = subprocess.run(command, capture_output=True, env=env, check=False, timeout=60)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.startswith(b"WARC/1.0\r\n")


def test_header_and_date_helpers() -> None:
    assert status_line(200) == "200 OK"
    assert status_line(299) == "299"
    kept = http_header_list(
        {"content-type": "text/html", "Content-Encoding": "br", "Link": "<a>;\r\n rel=x"}, 12
    )
    assert kept == [("content-type", "text/html"), ("Link", "<a>; rel=x"), ("Content-Length", "12")]
    assert warc_date("2024-03-05T14:00:00+02:00") == "2024-03-05T12:00:00Z"
    assert warc_date("2024-03-05T12:00:00") == "2024-03-05T12:00:00Z"
    assert json.dumps(warc_date("garbage"))[1:5].isdigit()  # the export's own time


@pytest.mark.parametrize(
    ("name", "first_bytes"),
    [("out.warc.gz", b"\x1f\x8b"), ("out.WARC", b"WARC/1."), ("out.csv", b"id,url,"),
     ("out.jsonl", b'{"'), ("out.md", b"---")],
)  # fmt: skip
def test_the_output_name_chooses_the_format_when_none_is_given(
    archived: dict[str, str], db_path: Path, tmp_path: Path, name: str, first_bytes: bytes
) -> None:
    out = tmp_path / name
    run("export", "-o", str(out), "--db", str(db_path))
    assert out.read_bytes().startswith(first_bytes)


def test_a_compressed_name_is_refused_for_formats_written_plain(
    archived: dict[str, str], db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl.gz"
    result = run("export", "-o", str(out), "--db", str(db_path), code=2)
    assert "only --format warc writes compressed files" in result.stderr
    assert not out.exists()
    # an explicit --format still writes what it names, whatever the file is called
    run("export", "--format", "jsonl", "-o", str(tmp_path / "x.csv"), "--db", str(db_path))
    assert (tmp_path / "x.csv").read_bytes().startswith(b'{"')
