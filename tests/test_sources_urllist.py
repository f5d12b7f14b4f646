"""URL lists: comments, blank lines, invalid lines counted, files and stdin."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from newsarc.errors import InputError
from newsarc.sources import Item, read_url_list, read_url_list_file
from newsarc.sources.urllist import MAX_LINE

LIST = """\
# morning run
https://news.example/a.html

   https://news.example/b.html   \t
http://news.example/c.html # from the newsletter
https://news.example/d.html#section
not a url
ftp://news.example/file
https://
# https://news.example/commented-out.html
"""


def test_reads_urls_skipping_comments_and_blanks() -> None:
    urls = read_url_list(io.StringIO(LIST), source="list.txt")
    items = list(urls)
    assert [item.url for item in items] == [
        "https://news.example/a.html",
        "https://news.example/b.html",
        "http://news.example/c.html",
        "https://news.example/d.html#section",  # a fragment is not a comment
    ]
    assert all(item.source == "list.txt" for item in items)
    assert items[0] == Item(url="https://news.example/a.html", source="list.txt")


def test_invalid_lines_are_counted_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    # At INFO: a batch reports each as a failed item already, so a warning would say it twice.
    caplog.set_level(logging.INFO, logger="newsarc.sources")
    urls = read_url_list(io.StringIO(LIST), source="list.txt")
    list(urls)
    assert urls.lines == 10
    assert urls.invalid == 3
    assert [line for line, _ in urls.problems] == [7, 8, 9]
    assert "not a valid URL: 'not a url'" in urls.problems[0][1]
    assert "not an http(s) URL" in urls.problems[1][1]
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("list.txt:7: skipped:") for m in messages)
    assert len(messages) == 3


def test_counts_many_invalid_lines_but_logs_only_the_first(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="newsarc.sources")
    urls = read_url_list(io.StringIO("junk\n" * 500 + "https://ok.example/\n"))
    assert [item.url for item in urls] == ["https://ok.example/"]
    assert urls.invalid == 500
    assert len(urls.problems) == 20
    assert len(caplog.records) == 21  # 20 lines, then one total
    assert "500 invalid lines skipped" in caplog.records[-1].getMessage()


def test_over_long_line_is_skipped_without_holding_it() -> None:
    huge = "https://news.example/" + "x" * (5 * 1024 * 1024)
    stream = io.StringIO(f"https://news.example/first\n{huge}\nhttps://news.example/last\n")
    tracemalloc.start()
    try:
        urls = read_url_list(stream)
        items = list(urls)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [item.url for item in items] == [
        "https://news.example/first",
        "https://news.example/last",
    ]
    assert urls.invalid == 1
    assert f"longer than {MAX_LINE}" in urls.problems[0][1]
    assert peak < 1024 * 1024  # the 5 MB line was read in bounded chunks


def test_last_line_without_newline_and_crlf() -> None:
    urls = read_url_list(io.StringIO("https://a.example/x\r\nhttps://b.example/y"))
    assert [item.url for item in urls] == ["https://a.example/x", "https://b.example/y"]


def test_empty_input() -> None:
    urls = read_url_list(io.StringIO(""))
    assert list(urls) == []
    assert (urls.lines, urls.invalid) == (0, 0)


def test_file_with_bom_and_bad_bytes(tmp_path: Path) -> None:
    path = tmp_path / "urls.txt"
    path.write_bytes(b"\xef\xbb\xbfhttps://news.example/a\n\xff\xfe junk\nhttps://news.example/b\n")
    urls = read_url_list_file(path)
    assert [item.url for item in urls] == ["https://news.example/a", "https://news.example/b"]
    assert urls.invalid == 1
    assert urls.source == str(path)
    assert all(item.source == str(path) for item in read_url_list_file(path))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_file_in_utf16_or_utf32_with_a_bom(tmp_path: Path, encoding: str) -> None:
    # Windows PowerShell 5 writes `>` redirections as UTF-16 with a byte order mark.
    text = "https://news.example/a\r\n# note\r\nhttps://news.example/b\r\n"
    bom = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff"}.get(encoding, "")
    path = tmp_path / "urls.txt"
    path.write_bytes((bom + text).encode(encoding))
    urls = read_url_list_file(path)
    assert [item.url for item in urls] == ["https://news.example/a", "https://news.example/b"]
    assert urls.invalid == 0


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_stdin_in_utf16_without_a_bom(monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    data = "https://news.example/from-stdin\n".encode(encoding)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    assert [item.url for item in read_url_list_file("-")] == ["https://news.example/from-stdin"]


def test_binary_data_is_not_a_url_list_but_a_few_bytes_tell_nothing(tmp_path: Path) -> None:
    path = tmp_path / "urls.txt"
    path.write_bytes(bytes(range(256)))
    with pytest.raises(InputError, match=r"urls.txt: not a URL list \(binary data"):
        read_url_list_file(path)
    path.write_bytes(b"\x00\nhttp://a.io/\n")  # shorter than a sniff: read as UTF-8
    urls = read_url_list_file(path)
    assert [item.url for item in urls] == ["http://a.io/"] and urls.invalid == 1


def test_stdin_in_utf16_with_a_bom(monkeypatch: pytest.MonkeyPatch) -> None:
    data = "https://news.example/from-stdin\n".encode("utf-16")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    assert [item.url for item in read_url_list_file("-")] == ["https://news.example/from-stdin"]


def test_file_is_closed_after_iteration(tmp_path: Path) -> None:
    path = tmp_path / "urls.txt"
    path.write_text("https://news.example/a\n")
    urls = read_url_list_file(path)
    stream = urls._stream
    list(urls)
    assert stream.closed
    with read_url_list_file(path) as early:
        next(early)
        stream = early._stream
    assert stream.closed


def test_missing_file_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing.txt: cannot read URL list"):
        read_url_list_file(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="cannot read URL list"):
        read_url_list_file(tmp_path)  # a folder


def test_dash_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("https://news.example/from-stdin\n"))
    urls = read_url_list_file("-")
    assert [(item.url, item.source) for item in urls] == [("https://news.example/from-stdin", "-")]


def test_the_sources_package_imports_only_what_is_asked_for() -> None:
    code = (
        "import sys; from newsarc.sources import read_url_list_file, is_before; "
        "import newsarc.sources as s; "
        "print(sorted(m for m in sys.modules if m.startswith('newsarc.sources.'))); "
        "print(s.parse_feed.__module__, sorted(set(s.__all__) - set(dir(s))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded, used = out.stdout.splitlines()
    assert loaded == "['newsarc.sources.item', 'newsarc.sources.urllist']"
    assert used == "newsarc.sources.feeds []"


def test_the_sources_package_names_unknown_attributes() -> None:
    import newsarc.sources

    assert sorted(newsarc.sources.__all__) == sorted(newsarc.sources._MODULES)

    with pytest.raises(AttributeError, match="no attribute 'read_rss'"):
        newsarc.sources.read_rss  # noqa: B018


def test_a_list_in_windows_1252_is_read_as_such_and_said_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Notepad's "ANSI": é was replaced by U+FFFD and another address was requested.
    path = tmp_path / "ansi.txt"
    path.write_bytes(
        b"https://news.example/caf\xe9.html\n"
        b"https://news.example/ok.html\n"
        b"https://news.example/na\xefve \x93quoted\x94.html\n"
    )
    urls = read_url_list_file(path)
    assert [item.url for item in urls] == [
        "https://news.example/café.html",
        "https://news.example/ok.html",
        "https://news.example/naïve%20“quoted”.html",
    ]
    said = [r for r in caplog.records if "Windows-1252" in r.getMessage()]
    assert len(said) == 1 and said[0].levelno == logging.WARNING
    assert said[0].getMessage().startswith(f"{path}:1: not UTF-8")
    caplog.clear()
    path.write_bytes("\ufeffhttps://news.example/café.html\n".encode())  # UTF-8, with a BOM
    assert [item.url for item in read_url_list_file(path)] == ["https://news.example/café.html"]
    assert caplog.records == []


def test_a_space_inside_a_url_is_encoded_as_in_a_feed_and_bad_lines_stay_errors() -> None:
    lines = (
        "  https://news.example/a b.html  \n"
        "https://news.example/c d.html # a comment\n"
        "https://news.example/x.html https://news.example/y.html\n"
        "https://news.example/z.html\tHeadline of z\n"
        "news.example/no scheme\n"
        "https://bad host.example/\n"
    )
    urls = read_url_list(io.StringIO(lines))
    assert [item.url for item in urls] == [
        "https://news.example/a%20b.html",
        "https://news.example/c%20d.html",
    ]
    reasons = dict(urls.problems)
    assert sorted(reasons) == [3, 4, 5, 6]
    assert "more than one field" in reasons[3] and "more than one field" in reasons[4]
    assert reasons[5] == "not a valid URL: 'news.example/no scheme'"
    assert "not a valid URL" in reasons[6]


def test_invisible_characters_around_a_url_are_stripped(tmp_path: Path) -> None:
    # Two lists saved by Notepad joined with `cat` (a BOM at the start of the second), and
    # URLs pasted from a web page or a chat with zero-width spaces and direction marks.
    path = tmp_path / "joined.txt"
    path.write_bytes(
        b"\xef\xbb\xbfhttps://news.example/a\r\n"
        b"\xef\xbb\xbfhttps://news.example/b\r\n"
        + "\u200bhttps://news.example/c\u200b\n\u2060 https://news.example/d\u200e\n".encode()
    )
    urls = read_url_list_file(path)
    assert [item.url for item in urls] == [f"https://news.example/{x}" for x in "abcd"]
    assert urls.invalid == 0
