"""Saved HTML files: which files, which URL, and what the Page holds."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import pytest

from newsarc.errors import InputError
from newsarc.sources import read_html_dir

CANONICAL = (
    b'<html><head><link rel="canonical" href="https://news.example/2024/05/06/budget.html">'
    b'<meta property="og:url" content="https://news.example/og-loses.html"></head>'
    b"<body><p>Budget</p></body></html>"
)
OG_ONLY = (
    b'<html><head><meta property="og:url" content="https://news.example/og.html"></head>'
    b"<body><p>OG</p></body></html>"
)
SAVED_FROM = (
    b"<!DOCTYPE html>\n<!-- saved from url=(0038)https://news.example/saved-from.html -->\n"
    b"<html><body><p>Saved by a browser</p></body></html>"
)
SINGLEFILE = (
    b"<!DOCTYPE html> <html><!--\n Page saved with SingleFile \n"
    b" url: https://news.example/singlefile.html \n saved date: Mon May 06 2024 -->"
    b"<head></head><body><p>SingleFile</p></body></html>"
)
PLAIN = b"<html><body><p>No address inside</p></body></html>"
RELATIVE = b'<html><head><link rel="canonical" href="../canon.html"></head><body></body></html>'


def tree(root: Path) -> Path:
    files = {
        "a-canonical.html": CANONICAL,
        "b-og.htm": OG_ONLY,
        "c-saved.HTML": SAVED_FROM,
        "d-singlefile.html": SINGLEFILE,
        "notes.txt": b"not html",
        "image.png": b"\x89PNG",
        "sub dir/e plain.html": PLAIN,
        "sub dir/deeper/f-relative.html": RELATIVE,
    }
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return root


def test_urls_and_order_with_a_base_url(tmp_path: Path) -> None:
    root = tree(tmp_path / "saved")
    pages = list(read_html_dir(root, base_url="https://archive.example/mirror"))
    assert [p.url for p in pages] == [
        "https://news.example/2024/05/06/budget.html",  # canonical wins over og:url
        "https://news.example/og.html",
        "https://news.example/saved-from.html",
        "https://news.example/singlefile.html",
        "https://archive.example/mirror/sub%20dir/e%20plain.html",  # base_url + path
        "https://archive.example/mirror/sub%20dir/canon.html",  # relative canonical, joined
    ]
    assert all(p.final_url == p.url and p.status == 200 for p in pages)


def test_without_a_base_url_unknown_addresses_are_file_urls(tmp_path: Path) -> None:
    root = tree(tmp_path / "saved")
    pages = {p.content: p.url for p in read_html_dir(root)}
    assert pages[CANONICAL] == "https://news.example/2024/05/06/budget.html"
    plain = (root / "sub dir" / "e plain.html").resolve()
    assert pages[PLAIN] == plain.as_uri()
    assert pages[PLAIN].startswith("file:///") and "%20" in pages[PLAIN]
    # a relative canonical cannot be resolved against a file: URL
    assert pages[RELATIVE] == (root / "sub dir" / "deeper" / "f-relative.html").resolve().as_uri()


def test_page_fields(tmp_path: Path) -> None:
    path = tmp_path / "story.html"
    path.write_bytes(CANONICAL)
    os.utime(path, (1714989600, 1714989600))  # 2024-05-06T10:00:00Z
    (page,) = read_html_dir(tmp_path)
    assert page.content == CANONICAL
    assert page.headers == {"Content-Type": "text/html"}
    assert page.content_type == "text/html"
    assert page.fetched_at == "2024-05-06T10:00:00+00:00"


def test_a_single_file(tmp_path: Path) -> None:
    path = tmp_path / "one page.htm"
    path.write_bytes(PLAIN)
    (page,) = read_html_dir(path, base_url="https://news.example/saved/")
    assert page.url == "https://news.example/saved/one%20page.htm"


def test_big_files_are_skipped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "big.html").write_bytes(b"<p>" + b"x" * 3000 + b"</p>")
    (tmp_path / "small.html").write_bytes(PLAIN)
    pages = list(read_html_dir(tmp_path, max_bytes=1000))
    assert [p.content for p in pages] == [PLAIN]
    assert any("big.html (over 1000 bytes)" in r.getMessage() for r in caplog.records)
    told: list[tuple[str, str]] = []
    list(read_html_dir(tmp_path, max_bytes=1000, skipped=lambda f, why: told.append((f, why))))
    assert told == [(str(tmp_path / "big.html"), "over 1000 bytes")]


def test_symlink_loops_are_not_followed(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(PLAIN)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert len(list(read_html_dir(tmp_path))) == 1


def test_unreadable_file_is_skipped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    (tmp_path / "dangling.html").symlink_to(tmp_path / "nowhere.html")
    (tmp_path / "ok.html").write_bytes(PLAIN)
    assert [p.content for p in read_html_dir(tmp_path)] == [PLAIN]
    assert any("dangling.html (cannot read: No such file" in r.getMessage() for r in caplog.records)


def test_an_unreadable_folder_is_reported_via_os_walk_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # os.walk reports a folder it cannot list through its onerror callback. (A real one
    # cannot be made where the tests run as root, who reads any folder.)
    import newsarc.sources.files as files

    real_walk = os.walk

    def walk(top: Any, onerror: Any = None, **kwargs: Any) -> Any:
        if onerror is not None:
            onerror(PermissionError(13, "Permission denied", str(tmp_path / "locked")))
        return real_walk(top, onerror=onerror, **kwargs)

    monkeypatch.setattr(files.os, "walk", walk)
    (tmp_path / "ok.html").write_bytes(PLAIN)
    told: list[tuple[str, str]] = []
    pages = list(read_html_dir(tmp_path, skipped=lambda f, why: told.append((f, why))))
    assert [p.content for p in pages] == [PLAIN]
    assert told == [(str(tmp_path / "locked"), "cannot read folder: Permission denied")]


def test_hidden_folders_and_resource_forks_are_not_pages(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "hidden.html").write_bytes(PLAIN)
    (tmp_path / "._story.html").write_bytes(b"\x00\x05\x16\x07" + bytes(60))
    (tmp_path / "story.shtml").write_bytes(PLAIN)
    (tmp_path / "other.xhtml").write_bytes(PLAIN)
    names = [Path(p.url).name for p in read_html_dir(tmp_path, base_url="https://x.example/")]
    assert names == ["other.xhtml", "story.shtml"]


def test_a_single_file_with_its_own_address(tmp_path: Path) -> None:
    page = tmp_path / "plain.html"
    page.write_bytes(PLAIN)
    own = list(read_html_dir(page, base_url="https://x.example/a/b.html"))
    assert own[0].url == "https://x.example/a/b.html"
    in_folder = list(read_html_dir(page, base_url="https://x.example/a/"))
    assert in_folder[0].url == "https://x.example/a/plain.html"


def test_invalid_declared_urls_fall_through(tmp_path: Path) -> None:
    (tmp_path / "x.html").write_bytes(
        b'<html><head><link rel="canonical" href="javascript:void(0)">'
        b'<meta property="og:url" content="https://news.example/from-og.html"></head></html>'
    )
    assert [p.url for p in read_html_dir(tmp_path)] == ["https://news.example/from-og.html"]


def test_missing_path_and_bad_base_url(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        list(read_html_dir(tmp_path / "missing"))
    with pytest.raises(InputError, match="not an http"):
        list(read_html_dir(tmp_path, base_url="ftp://x.example/"))


def test_empty_folder(tmp_path: Path) -> None:
    assert list(read_html_dir(tmp_path)) == []


def test_an_address_declared_by_two_files_or_a_front_page_is_not_theirs(tmp_path: Path) -> None:
    # A template bug: every story's canonical is the front page, or its section page.
    def saved(name: str, canonical: str) -> None:
        (tmp_path / name).write_bytes(
            b'<html><head><link rel="canonical" href="%s"></head><body><p>%s</p></body></html>'
            % (canonical.encode(), name.encode())
        )

    saved("a.html", "https://news.example/")
    saved("b.html", "https://news.example/world/")
    saved("c.html", "https://news.example/world/")
    saved("d.html", "https://news.example/world/d-story")
    pages = read_html_dir(tmp_path, base_url="https://saved.example/")
    assert [p.url for p in pages] == [
        "https://saved.example/a.html",  # the front page is no story's address
        "https://news.example/world/",  # the first to declare it keeps it
        "https://saved.example/c.html",
        "https://news.example/world/d-story",
    ]


def test_a_file_name_that_is_not_utf8_is_addressed_by_its_bytes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # b"caf\xe9.html" (Latin-1, from an old system or a zip) reaches Python with a lone
    # surrogate: quote() of that text raised UnicodeEncodeError and ended the run.
    caplog.set_level(logging.INFO)
    latin1 = os.fsdecode(b"caf\xe9.html")
    (tmp_path / latin1).write_bytes(PLAIN)
    (tmp_path / "good.html").write_bytes(PLAIN.replace(b"No", b"An"))
    (tmp_path / os.fsdecode(b"big\xe9.html")).write_bytes(b"<p>" + b"x" * 3000 + b"</p>")
    told: list[tuple[str, str]] = []
    pages = read_html_dir(
        tmp_path,
        base_url="https://saved.example/",
        max_bytes=1000,
        skipped=lambda f, why: told.append((f, why)),
    )
    assert sorted(p.url for p in pages) == [
        "https://saved.example/caf%E9.html",
        "https://saved.example/good.html",
    ]
    assert told == [(f"{tmp_path}/big\\xe9.html", "over 1000 bytes")]
    # every text a path becomes can be written as UTF-8 (a --log file, the database)
    (tmp_path / os.fsdecode(b"twin\xe9.html")).write_bytes(CANONICAL)
    (tmp_path / os.fsdecode(b"twin\xe8.html")).write_bytes(CANONICAL)
    list(read_html_dir(tmp_path, max_bytes=1000))
    messages = [r.getMessage() for r in caplog.records]
    assert any("big\\xe9.html (over 1000 bytes)" in m for m in messages), messages
    assert any("twin\\xe9.html declares the address of" in m for m in messages), messages
    assert all(m.encode("utf-8") for m in messages)


def test_the_resources_folder_of_a_page_saved_complete_is_not_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # "Save Page As, complete": NAME.html and NAME_files/, whose frames (saved_resource.html)
    # were taken as articles, failed, and made the run exit 3.
    caplog.set_level(logging.DEBUG, logger="newsarc.sources")
    files = {
        "Ferry strike - News.html": SAVED_FROM,
        "Ferry strike - News_files/saved_resource.html": PLAIN,
        "Ferry strike - News_files/style.css": b"body{}",
        "old/Budget.HTM": CANONICAL,
        "old/budget_files/ad.html": PLAIN,
        "notes_files/kept.html": OG_ONLY,  # no page of that name beside it: a folder like any
    }
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    assert [p.content for p in read_html_dir(tmp_path)] == [SAVED_FROM, OG_ONLY, CANONICAL]
    said = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert f"{tmp_path / 'Ferry strike - News_files'}: not read: the resources" in said[0]
    assert any(m.startswith(f"{tmp_path / 'old' / 'budget_files'}: not read") for m in said)
