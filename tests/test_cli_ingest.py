"""`newsarc ingest` and `newsarc sources` through click: output, exit codes, lock, logging."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from newsarc.cli import cli
from tests.test_ingest import article_page, rss, serve_html, template

SUMMARY = re.compile(
    r"^new (\d+), updated (\d+), unchanged (\d+), skipped (\d+), failed (\d+) in [\d.]+ s$", re.M
)
FAST = ["--delay", "0", "--workers", "1", "--retries", "0"]


def invoke(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def counts(stderr: str) -> tuple[int, ...]:
    match = SUMMARY.search(stderr)
    assert match, stderr
    return tuple(int(g) for g in match.groups())


def urls_file(tmp_path: Path, urls: list[str]) -> str:
    path = tmp_path / "links.txt"
    path.write_text("\n".join(urls) + "\n", encoding="utf-8")
    return str(path)


def test_ingest_urls_prints_a_summary_on_stderr_and_nothing_on_stdout(server, tmp_path):
    for n in range(3):
        serve_html(server, f"/n/{n}", article_page(2000 + n))
    links = urls_file(tmp_path, [server.url_for(f"/n/{n}") for n in range(3)])
    result = invoke("ingest", "--urls", links, *FAST)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert counts(result.stderr) == (3, 0, 0, 0, 0)

    again = invoke("ingest", "--urls", links, *FAST)
    assert again.exit_code == 0
    assert counts(again.stderr) == (0, 0, 0, 3, 0)


def test_pages_robots_txt_disallows_are_said_once_a_host(server, tmp_path, db_path):
    # They were counted as skipped without a word, as if archived already.
    import subprocess
    import sys

    server.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    serve_html(server, "/open", article_page(2020))
    links = [server.url_for(f"/private/{n}") for n in range(3)] + [server.url_for("/open")]
    # In a real process: the CLI's own stderr handler shows the warning.
    command = [sys.executable, "-m", "newsarc", "ingest", "--urls", urls_file(tmp_path, links)]
    command += ["--db", str(db_path), *FAST]
    run = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    assert run.returncode == 0, run.stderr
    warning, summary = run.stderr.splitlines()
    assert warning == (
        "WARNING newsarc.ingest: 3 addresses on localhost disallowed by robots.txt, not archived"
        " (--ignore-robots fetches them)"
    )
    assert counts(summary) == (1, 0, 0, 3, 0)
    quiet = subprocess.run([*command, "-q"], capture_output=True, text=True, timeout=120)
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_a_list_saved_as_windows_1252_with_a_space_in_a_url(server, tmp_path, db_path):
    # é became U+FFFD (another address asked for) and the space made the line an error,
    # though the same link in a feed is fetched as %20.
    serve_html(server, "/n/café.html", article_page(2030))
    serve_html(server, "/n/a b.html", article_page(2031))
    path = tmp_path / "ansi.txt"
    path.write_bytes(
        server.url_for("/n/caf\xe9.html").encode("cp1252")
        + b"\n"
        + server.url_for("/n/a b.html").encode()
        + b"\n"
    )
    result = invoke("ingest", "--urls", str(path), *FAST)
    assert result.exit_code == 0, result.stderr
    assert counts(result.stderr) == (2, 0, 0, 0, 0)
    raw = [r.environ["RAW_URI"] for r, _ in server.log]
    # robots.txt first; the two pages are fetched side by side (two per host), in either order
    assert raw[0] == "/robots.txt"
    assert sorted(raw[1:]) == ["/n/a%20b.html", "/n/caf%C3%A9.html"]
    with sqlite3.connect(db_path) as conn:
        urls = sorted(row[0] for row in conn.execute("SELECT url FROM articles"))
    assert urls == [server.url_for("/n/a%20b.html"), server.url_for("/n/café.html")]


def test_a_url_list_whose_file_name_is_not_utf8(server, tmp_path):
    # Looking it up among registered sources bound its name, lone surrogates and all: a
    # UnicodeEncodeError traceback before anything was read.
    import os

    serve_html(server, "/n/latin", article_page(2032))
    path = tmp_path / os.fsdecode(b"li\xe9s.txt")
    path.write_text(server.url_for("/n/latin") + "\nnot a url\n")
    result = invoke("ingest", "--urls", str(path), *FAST)
    assert result.exit_code == 3, result.stderr
    assert counts(result.stderr) == (1, 0, 0, 0, 1)
    assert f"Error: {tmp_path}/li\\xe9s.txt:2: not a valid URL: 'not a url'" in result.stderr
    # and it cannot be registered: one line, no traceback
    added = invoke("sources", "add", str(path), "--kind", "urls")
    assert added.exit_code == 2
    assert "li\\xe9s.txt: a file name that is not UTF-8 cannot be registered" in added.stderr


def test_urls_from_stdin(server):
    serve_html(server, "/stdin", article_page(2010))
    result = invoke("ingest", "--urls", "-", *FAST, input=f"# one\n{server.url_for('/stdin')}\n")
    assert result.exit_code == 0, result.stderr
    assert counts(result.stderr)[0] == 1


def test_quiet_prints_nothing_when_all_is_well(server, tmp_path):
    serve_html(server, "/q", article_page(2020))
    result = invoke("ingest", "-q", "--urls", urls_file(tmp_path, [server.url_for("/q")]), *FAST)
    assert result.exit_code == 0
    assert result.stderr == "" and result.stdout == ""


def test_some_failures_exit_3_with_one_error_line_each(server, tmp_path):
    serve_html(server, "/ok", article_page(2030))
    server.expect_request("/missing").respond_with_data("no", status=404)
    links = urls_file(tmp_path, [server.url_for("/ok"), server.url_for("/missing")])
    result = invoke("ingest", "-q", "--urls", links, *FAST)
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: ") and "/missing" in lines[0] and "404" in lines[0]


def test_nothing_readable_exits_1(tmp_path):
    result = invoke("ingest", "--urls", str(tmp_path / "absent.txt"), *FAST)
    assert result.exit_code == 1
    assert "Error: " in result.stderr and "cannot read URL list" in result.stderr


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_url_list_in_utf16_without_a_byte_order_mark_is_read(server, tmp_path, encoding):
    # Some Windows tools write UTF-16 with no BOM: ASCII with a zero byte every other byte.
    for n in range(2):
        serve_html(server, f"/w/{n}", article_page(2040 + n))
    links = tmp_path / "links.txt"
    text = f"# from Windows\r\n{server.url_for('/w/0')}\r\n{server.url_for('/w/1')}\r\n"
    links.write_bytes(text.encode(encoding))
    assert not links.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))
    result = invoke("ingest", "--urls", str(links), *FAST)
    assert result.exit_code == 0, result.stderr
    assert counts(result.stderr) == (2, 0, 0, 0, 0)


def test_a_binary_file_given_as_a_url_list_is_one_error_line(tmp_path):
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 16)
    result = invoke("ingest", "--urls", str(binary), *FAST)
    assert result.exit_code == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: {binary}: not a URL list (binary data, with zero bytes); give a text file "
        "(UTF-8 or UTF-16), one URL per line"
    ]
    assert counts(result.stderr) == (0, 0, 0, 0, 1)


def test_no_sources_at_all_is_a_usage_error(db_path):
    result = invoke("ingest")
    assert result.exit_code == 2
    assert "no sources given and none registered" in result.stderr
    # A crontab line run in the wrong folder leaves no empty archive (nor lock) behind.
    assert list(db_path.parent.glob("archive.db*")) == []


def test_what_ends_a_run_is_in_the_log_too(tmp_path, db_path):
    log = tmp_path / "ingest.log"
    db_path.write_text("not an archive")
    result = invoke("ingest", "-q", "--log", str(log), "--urls", urls_file(tmp_path, []))
    assert result.exit_code == 1
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert "is not a newsarc archive" in error
    logged = log.read_text(encoding="utf-8").splitlines()
    assert any(" ERROR newsarc: " in line and "is not a newsarc archive" in line for line in logged)
    nothing = invoke("ingest", "--log", str(log), "--db", str(tmp_path / "none.db"))
    assert nothing.exit_code == 2
    assert "no sources given" in log.read_text(encoding="utf-8").splitlines()[-1]


def test_a_log_that_cannot_be_written_is_one_error_line(tmp_path):
    full = Path("/dev/full")
    if not full.exists():
        pytest.skip("no /dev/full on this system")
    result = invoke("ingest", "--log", str(full), "--urls", urls_file(tmp_path, ["ftp://x/"]))
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr and "Logging error" not in result.stderr
    assert result.stderr.count("cannot write the log /dev/full") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "last tuesday"], "not a date"),
        (["--since", "2024-13-45"], "not a date"),
        (["--base-url", "https://example.com/"], "--base-url goes with --dir"),
        (["--concurrency", "0"], "--concurrency"),
    ],
)
def test_bad_options_exit_2(args, message, tmp_path):
    result = invoke("ingest", "--urls", urls_file(tmp_path, []), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_second_run_is_refused_while_the_first_holds_the_lock(db_path, tmp_path):
    from newsarc.lock import ingest_lock

    links = urls_file(tmp_path, [])
    with ingest_lock(db_path):
        result = invoke("ingest", "--urls", links, *FAST)
        assert result.exit_code == 4
        assert result.stderr.startswith("Error: another newsarc run")
        waited = invoke("ingest", "--urls", links, "--wait", "0.3", *FAST)
        assert waited.exit_code == 4
        assert "waited 0.3 s" in waited.stderr
    assert invoke("ingest", "--urls", links, *FAST).exit_code == 0


def test_log_file_gets_failures_and_the_summary(server, tmp_path):
    server.expect_request("/broken").respond_with_data("no", status=500)
    log = tmp_path / "ingest.log"
    links = urls_file(tmp_path, [server.url_for("/broken")])
    for _ in range(2):  # appended, never truncated
        result = invoke("ingest", "-q", "--log", str(log), "--urls", links, *FAST)
        assert result.exit_code in (1, 3)
    text = log.read_text(encoding="utf-8")
    assert text.count("/broken") >= 2
    assert len(SUMMARY.findall(text.replace(" INFO newsarc.ingest: ", "\n"))) == 2


def old_and_new(server: HTTPServer, tmp_path: Path) -> str:
    """A URL list of an article dated 2024-05-01 (/old) and one dated 2024-07-01 (/new)."""
    serve_html(server, "/old", article_page(2400, published="2024-05-01T10:00:00+00:00"))
    serve_html(server, "/new", article_page(2401, published="2024-07-01T10:00:00+00:00"))
    return urls_file(tmp_path, [server.url_for("/old"), server.url_for("/new")])


def ingest_urls(server: HTTPServer, links: str, *args: str) -> tuple[tuple[int, ...], int]:
    """``newsarc ingest --urls links``: its counts (new, updated, unchanged, skipped, failed)
    and how many requests the server had for /old meanwhile."""
    before = len(server.log)
    result = invoke("ingest", "--urls", links, *FAST, *args)
    assert result.exit_code == 0, result.stderr
    return counts(result.stderr), [r.path for r, _ in server.log[before:]].count("/old")


def test_since_remembers_a_page_it_left_out_and_skips_it_unfetched_while_still_too_old(
    server, tmp_path, db_path
):
    links = old_and_new(server, tmp_path)
    assert ingest_urls(server, links, "--since", "2024-06-01") == ((1, 0, 0, 1, 0), 1)
    # /old is dated 2024-05-01 10:00: any --since after that skips it with no request
    assert ingest_urls(server, links, "--since", "2024-06-01") == ((0, 0, 0, 2, 0), 0)
    assert ingest_urls(server, links, "--since", "2024-08-01") == ((0, 0, 0, 2, 0), 0)
    assert ingest_urls(server, links, "--since", "2024-05-02") == ((0, 0, 0, 2, 0), 0)
    # --refresh fetches everything again (and /old is still too old)
    assert ingest_urls(server, links, "--since", "2024-06-01", "--refresh") == ((0, 0, 1, 1, 0), 1)
    # an earlier --since: fetched, and archived this time
    assert ingest_urls(server, links, "--since", "2024-05-01") == ((1, 0, 0, 1, 0), 1)
    with sqlite3.connect(db_path) as conn:  # archived: nothing left to remember
        assert conn.execute("SELECT count(*) FROM dated_out").fetchone()[0] == 0
    assert ingest_urls(server, links, "--since", "2024-06-01") == ((0, 0, 0, 2, 0), 0)


def test_a_remembered_date_is_trusted_for_a_month_then_checked_again(server, tmp_path, db_path):
    from newsarc.store.datedout import TRUSTED_DAYS

    links = old_and_new(server, tmp_path)
    assert ingest_urls(server, links, "--since", "2024-06-01") == ((1, 0, 0, 1, 0), 1)
    for days, requests in ((TRUSTED_DAYS - 1, 0), (TRUSTED_DAYS + 1, 1)):
        with sqlite3.connect(db_path) as conn:  # as if remembered that many days ago
            conn.execute(
                "UPDATE dated_out SET at = datetime('now', ?) || '+00:00'", [f"-{days} days"]
            )
            conn.execute("UPDATE dated_out SET at = replace(at, ' ', 'T')")
        assert ingest_urls(server, links, "--since", "2024-06-01") == ((0, 0, 0, 2, 0), requests)
    # fetched again, still too old: remembered afresh
    assert ingest_urls(server, links, "--since", "2024-06-01") == ((0, 0, 0, 2, 0), 0)


def test_without_since_a_page_once_left_out_is_fetched_as_usual(server, tmp_path):
    links = old_and_new(server, tmp_path)
    assert ingest_urls(server, links, "--since", "2024-06-01") == ((1, 0, 0, 1, 0), 1)
    assert ingest_urls(server, links, "--since", "2024-06-01") == ((0, 0, 0, 2, 0), 0)
    assert ingest_urls(server, links) == ((1, 0, 0, 1, 0), 1)


def test_a_page_left_out_then_archived_by_fetch_is_not_hidden(server, tmp_path):
    links = old_and_new(server, tmp_path)
    assert ingest_urls(server, links, "--since", "2024-06-01") == ((1, 0, 0, 1, 0), 1)
    assert ingest_urls(server, links, "--since", "2024-06-01") == ((0, 0, 0, 2, 0), 0)
    fetched = invoke("fetch", server.url_for("/old"))
    assert fetched.exit_code == 0, fetched.stderr
    listed = invoke("list", "--jsonl").stdout
    assert server.url_for("/old") in listed
    # an archived page, as any other: skipped unless --refresh, which fetches it
    assert ingest_urls(server, links, "--since", "2024-04-01") == ((0, 0, 0, 2, 0), 0)
    assert ingest_urls(server, links, "--since", "2024-04-01", "--refresh") == ((0, 0, 2, 0, 0), 1)


def test_sources_add_list_remove_and_a_plain_ingest_runs_them(server, db_path):
    links = [server.url_for(f"/reg/{i}") for i in range(2)]
    server.expect_request("/feed.xml").respond_with_data(
        rss(server.url_for("/").rstrip("/"), links),
        content_type="application/rss+xml",
        headers={"ETag": '"e1"'},
    )
    for i in range(2):
        serve_html(server, f"/reg/{i}", article_page(2100 + i))
    added = invoke("sources", "add", server.url_for("/feed.xml"))
    assert added.exit_code == 0
    assert added.stdout.split("\t")[:2] == ["1", "feed"]

    listed = invoke("sources", "list")
    assert listed.stdout.strip().split("\t")[3:5] == ["never", "-"]

    result = invoke("ingest", *FAST)
    assert result.exit_code == 0, result.stderr
    assert counts(result.stderr)[0] == 2

    fields = invoke("sources", "list").stdout.strip().split("\t")
    assert fields[4:] == ["ok", "2", "2 new in 1 runs"]
    as_json = invoke("sources", "list", "--json").stdout
    assert '"etag": "\\"e1\\""' in as_json

    removed = invoke("sources", "remove", "1")
    assert removed.exit_code == 0 and removed.stdout.startswith("removed 1\tfeed")
    assert invoke("sources", "list").stdout == ""
    gone = invoke("sources", "remove", "1")
    assert gone.exit_code == 1
    assert gone.stderr.strip() == "Error: no source with id or URL 1"


def test_sources_add_guesses_sitemaps_and_checks_urls(tmp_path):
    sitemap = invoke("sources", "add", "https://example.com/news-sitemap.xml")
    assert sitemap.stdout.split("\t")[1] == "sitemap"
    bad = invoke("sources", "add", "ftp://example.com/feed")
    assert bad.exit_code == 1 and "not an http(s) URL" in bad.stderr
    listing = tmp_path / "links.txt"
    listing.write_text("")
    as_list = invoke("sources", "add", str(listing), "--kind", "urls")
    assert as_list.stdout.strip().split("\t")[1:] == ["urls", str(listing.resolve())]
    missing = invoke("sources", "add", str(tmp_path / "nope.txt"), "--kind", "urls")
    assert missing.exit_code == 2


def test_sources_add_again_keeps_the_kind_and_one_spelling(tmp_path, monkeypatch):
    first = invoke("sources", "add", "https://example.com/latest.xml", "--kind", "sitemap")
    assert first.stdout.split("\t")[:2] == ["1", "sitemap"]
    again = invoke("sources", "add", "HTTPS://Example.COM:443/latest.xml")  # no --kind
    assert again.stdout.strip().split("\t") == ["1", "sitemap", "https://example.com/latest.xml"]
    assert len(invoke("sources", "list").stdout.splitlines()) == 1


def test_a_removed_source_id_is_never_given_again():
    def add(url: str) -> str:
        added = invoke("sources", "add", url)
        assert added.exit_code == 0, added.stderr
        return added.stdout.split("\t")[0]

    assert [add("https://a.example/feed.xml"), add("https://b.example/feed.xml")] == ["1", "2"]
    assert add("https://a.example/feed.xml") == "1"  # known: its id, and no id used up
    assert invoke("sources", "remove", "2").exit_code == 0  # the newest one
    assert add("https://c.example/feed.xml") == "3"
    assert invoke("sources", "remove", "2").exit_code == 1  # still names nothing
    assert invoke("sources", "remove", "3").exit_code == 0
    assert add("https://b.example/feed.xml") == "4"  # an address back again: a new id
    listed = [line.split("\t")[:3] for line in invoke("sources", "list").stdout.splitlines()]
    assert listed == [
        ["1", "feed", "https://a.example/feed.xml"],
        ["4", "feed", "https://b.example/feed.xml"],
    ]


def test_sources_remove_a_url_list_by_its_relative_path(tmp_path, monkeypatch):
    (tmp_path / "links.txt").write_text("")
    monkeypatch.chdir(tmp_path)
    assert invoke("sources", "add", "links.txt", "--kind", "urls").exit_code == 0
    removed = invoke("sources", "remove", "links.txt")
    assert removed.exit_code == 0, removed.stderr
    assert removed.stdout.strip().endswith(str(tmp_path / "links.txt"))


def test_a_feed_given_twice_is_read_once(server):
    server.expect_request("/twice.xml").respond_with_data(
        rss(server.url_for("/").rstrip("/"), [server.url_for("/tw/1")]),
        content_type="application/rss+xml",
    )
    serve_html(server, "/tw/1", article_page(2150))
    url = server.url_for("/twice.xml")
    result = invoke("ingest", "--feed", url, "--feed", url.replace("localhost", "LOCALHOST"), *FAST)
    assert result.exit_code == 0, result.stderr
    assert [r.path for r, _ in server.log].count("/twice.xml") == 1


@pytest.mark.parametrize("base", ["ftp://x.example/", "news.example/archive"])
def test_a_bad_base_url_is_a_usage_error(tmp_path, base):
    result = invoke("ingest", "--dir", str(tmp_path), "--base-url", base)
    assert result.exit_code == 2
    assert "--base-url" in result.stderr


def test_pages_a_warc_or_folder_holds_but_cannot_give_are_failures(tmp_path):
    # A cron user running -q must hear of them, and the exit status says some failed.
    import gzip

    from tests.test_warc import Warc

    story = article_page(2160)
    warc = Warc(tmp_path / "mixed.warc.gz", gz=True)
    warc.response("https://news.example/ok", story)
    warc.response("https://news.example/huge", story + b" " * 5000)
    bad = gzip.compress(story)[:200]
    headers = [("Content-Encoding", "gzip"), ("Content-Length", str(len(bad)))]
    warc.response("https://news.example/cut", bad, headers=headers)
    path = warc.close()
    result = invoke("ingest", "--warc", str(path), "--max-bytes", str(len(story) + 100), "-q")
    assert result.exit_code == 3, result.stderr
    errors = result.stderr.strip().splitlines()
    assert errors == [
        f"Error: https://news.example/huge: body larger than {len(story) + 100} bytes",
        "Error: https://news.example/cut: incomplete body (gzip stream ends early)",
    ]
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "big.html").write_bytes(story + b" " * 5000)
    again = invoke("ingest", "--dir", str(folder), "--max-bytes", str(len(story) + 100), "-q")
    assert again.exit_code == 3
    assert again.stderr.strip() == f"Error: {folder / 'big.html'}: over {len(story) + 100} bytes"


def test_a_folder_and_file_names_that_are_not_utf8(tmp_path, db_path):
    # A folder copied from an old Latin-1 system: quote() of the name's text raised
    # UnicodeEncodeError and ended the run; a path with surrogates as a failure's label
    # could not be written to the database nor to a --log file.
    import os

    story = article_page(2165)
    folder = tmp_path / os.fsdecode(b"archiv\xe9")
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.html")).write_bytes(story)
    (folder / "good.html").write_bytes(article_page(2166))
    (folder / os.fsdecode(b"big\xe9.html")).write_bytes(story + b" " * 5000)
    log = tmp_path / "run.log"
    result = invoke(
        "ingest", "--dir", str(folder), "--base-url", "https://saved.example/",
        "--max-bytes", str(len(story) + 100), "--log", str(log), "-q",
    )  # fmt: skip
    assert result.exit_code == 3, result.stderr
    shown = f"{tmp_path}/archiv\\xe9/big\\xe9.html"
    assert result.stderr.strip() == f"Error: {shown}: over {len(story) + 100} bytes"
    text = log.read_text(encoding="utf-8")
    assert f"failed: {shown}: over" in text
    assert "new 2, updated 0, unchanged 0, skipped 0, failed 1 in" in text
    with sqlite3.connect(db_path) as conn:
        urls = sorted(row[0] for row in conn.execute("SELECT url FROM articles"))
        failed = conn.execute("SELECT url, source FROM failures").fetchall()
    assert urls == ["https://saved.example/caf%E9.html", "https://saved.example/good.html"]
    assert failed == [(shown, f"{tmp_path}/archiv\\xe9")]


def test_a_page_saved_complete_is_one_article_and_its_resources_no_failures(tmp_path):
    # Its NAME_files/saved_resource.html (an ad frame) was a failed item: exit 3.
    folder = tmp_path / "saved"
    (folder / "Ferry strike_files").mkdir(parents=True)
    page = article_page(2167, canonical="https://news.example/2024/05/01/ferry-strike")
    (folder / "Ferry strike.html").write_bytes(page)
    (folder / "Ferry strike_files" / "saved_resource.html").write_bytes(
        b"<html><body><div id='ad'></div><script>var x = 1</script></body></html>"
    )
    (folder / "Ferry strike_files" / "style.css").write_bytes(b"body{}")
    result = invoke("ingest", "--dir", str(folder), *FAST)
    assert result.exit_code == 0, result.stderr
    assert counts(result.stderr) == (1, 0, 0, 0, 0)


def test_a_warc_response_without_target_is_a_failure_and_the_rest_is_read(tmp_path):
    # It ended the reading of the file: every page after it was lost.
    from tests.test_warc import record_offset, targetless_warc

    path, record_id = targetless_warc(tmp_path / "t.warc.gz", gz=True, page=article_page(2170))
    log = tmp_path / "run.log"
    result = invoke("ingest", "--warc", str(path), "-q", "--log", str(log), "--workers", "1")
    assert result.exit_code == 3, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"Error: {path} (record at offset {record_offset(path, record_id)}): "
        f"response record {record_id} has no WARC-Target-URI"
    ]
    assert "new 1, updated 0, unchanged 0, skipped 0, failed 1 in" in log.read_text()


def test_a_damaged_record_of_a_warc_gz_is_one_error_line_and_the_rest_is_read(tmp_path):
    # It ended the reading of the file: every page after the damaged record was lost.
    from tests.test_ingest import damaged_warc

    path = damaged_warc(tmp_path / "flipped.warc.gz", 5, 2180, "flipped")
    log = tmp_path / "run.log"
    result = invoke("ingest", "--warc", str(path), "-q", "--log", str(log), "--workers", "1")
    assert result.exit_code == 3, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert re.fullmatch(
        rf"Error: {re.escape(str(path))} \(gzip member at byte \d+\): damaged WARC record "
        r"\(bad gzip data .*\); read on from the record at byte \d+",
        line,
    )
    assert "new 4, updated 0, unchanged 0, skipped 0, failed 1 in" in log.read_text()


def test_one_sites_stubs_are_not_joined_through_another_sites_copy_of_one(tmp_path):
    """Pairs are confirmed one at a time: the aggregator's copy of the first stub shares the
    notice with the site's later stubs, which joined its story and vanished from search."""
    import json

    from tests.test_warc import Warc

    warc = Warc(tmp_path / "stubs.warc.gz", gz=True)
    pages = [
        ("https://paper.example/premium/hospital", "Hospital to cut two hundred jobs", "hospital"),
        ("https://aggregator.example/item/1", "Central hospital announces job cuts", "hospital"),
        ("https://paper.example/premium/ferry", "Ferry crossings suspended", "ferry"),
        ("https://paper.example/premium/bakery", "Bakery fined for hygiene breaches", "bakery"),
    ]
    for url, headline, subject in pages:
        warc.response(url, stub_page(headline, f"The {subject} story, in one sentence here."))
    result = invoke("ingest", "--warc", str(warc.close()), "--workers", "1")
    assert counts(result.stderr) == (4, 0, 0, 0, 0), result.stderr
    hits = json.loads(invoke("search", "subscribers", "--json").stdout)
    # one hit a story: the hospital's (it or its copy), the ferry's and the bakery's
    urls = {hit["url"] for hit in hits}
    assert len(hits) == 3 and len({hit["story_id"] for hit in hits}) == 3
    assert {pages[2][0], pages[3][0]} <= urls
    assert invoke("search", "subscribers", "--count", "--all-copies").stdout == "4\n"


def test_a_warc_target_in_capitals_is_archived_and_a_bad_one_is_a_failure(tmp_path):
    # warcio reads HTTP headers only after a lower-case "http:": these were passed over,
    # unreported, with exit 0.
    from tests.test_warc import Warc

    warc = Warc(tmp_path / "caps.warc.gz", gz=True)
    warc.response("HTTP://news.example/one.html", article_page(2190))
    warc.response("Https://news.example/two.html", article_page(2191))
    warc.response("https://news.example/tab\there.html", article_page(2192))
    result = invoke("ingest", "--warc", str(warc.close()), "--workers", "1")
    assert result.exit_code == 3, result.stderr
    assert counts(result.stderr) == (2, 0, 0, 0, 1)
    assert "its WARC-Target-URI is not a valid URL" in result.stderr
    listed = invoke("list", "--jsonl").stdout
    assert "http://news.example/one.html" in listed and "https://news.example/two.html" in listed


def test_what_warcio_says_about_a_warc_goes_to_the_log_not_stderr(tmp_path):
    from tests.test_warc import odd_warc

    path = odd_warc(tmp_path / "odd.warc", [article_page(2180 + n) for n in range(3)])
    log = tmp_path / "run.log"
    result = invoke("ingest", "--warc", str(path), "-q", "--log", str(log), "--workers", "1")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    text = log.read_text()
    assert f"INFO newsarc.sources.warcrecords: {path}: spaces in WARC-Target-URI" in text
    assert "WARNING newsarc.sources.warcrecords: " in text
    assert "(https://news.example/short.html) is not followed by a blank line" in text
    assert "new 3, updated 0, unchanged 0, skipped 0, failed 0 in" in text


def test_help_documents_exit_codes_and_cron():
    text = " ".join(invoke("ingest", "--help").stdout.split())
    assert "exit status 0" in text and "4 when another run" in text
    assert "*/30 * * * *" in text
    assert "newsarc sources add" in invoke("sources", "--help").stdout


def stub_page(headline: str, teaser: str) -> bytes:
    """An article page whose text is ``teaser`` and a paywall notice longer than
    ``stories.MIN_SHARED`` words."""
    from tests.test_stories import LONG_NOTICE

    paragraphs = "\n".join(f"<p>{text}</p>" for text in [teaser, *LONG_NOTICE.split("\n")])
    return (
        template("article.html")
        .substitute(
            headline=headline,
            published="2024-05-01T10:00:00+00:00",
            canonical="",
            paragraphs=paragraphs,
        )
        .encode("utf-8")
    )


def test_long_stubs_of_one_site_under_their_own_headlines_are_both_found(tmp_path):
    """Two articles of one site whose extracted text is the same notice, longer than
    ``stories.MIN_SHARED`` words: search shows both, and neither is the other's copy. A
    second address of one of them (its own headline) is still a copy."""
    import json

    from tests.test_warc import Warc

    page = stub_page
    warc = Warc(tmp_path / "stubs.warc.gz", gz=True)
    warc.response(
        "https://paper.example/premium/hospital",
        page("Hospital to cut jobs", "The central hospital will cut two hundred jobs."),
    )
    warc.response(
        "https://www.paper.example/premium/ferry",
        page("Ferry crossings suspended", "The river ferry suspended crossings at dawn."),
    )
    warc.response(
        "https://paper.example/amp/premium/ferry",
        page("Ferry crossings suspended", "The river ferry suspended its crossings at dawn."),
    )
    result = invoke("ingest", "--warc", str(warc.close()), "--workers", "1")
    assert counts(result.stderr) == (3, 0, 0, 0, 0), result.stderr
    hits = json.loads(invoke("search", "subscribers", "--json").stdout)
    assert sorted(hit["headline"] for hit in hits) == [
        "Ferry crossings suspended",
        "Hospital to cut jobs",
    ]
    assert invoke("search", "subscribers", "--count", "--all-copies").stdout == "3\n"
    shown = {hit["headline"]: invoke("show", str(hit["id"]), "--json").stdout for hit in hits}
    assert json.loads(shown["Hospital to cut jobs"])["copies"] == []
    assert len(json.loads(shown["Ferry crossings suspended"])["copies"]) == 1
