"""URL checks and normalization."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

from newsarc.errors import InputError
from newsarc.urls import check_url, host_of, link_url, normalize_url, same_site


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("https://Example.COM/a?utm_source=x&utm_medium=y", "https://example.com/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a?b=2&a=1&fbclid=zz", "https://example.com/a?a=1&b=2"),
        ("https://example.com/story?id=42&gclid=1", "https://example.com/story?id=42"),
        ("https://user:secret@example.com/a", "https://example.com/a"),
        ("  https://example.com/a  ", "https://example.com/a"),
    ],
)
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


def test_normalize_keeps_content_parameters_and_path_case() -> None:
    assert normalize_url("https://example.com/News/Story?page=2") == (
        "https://example.com/News/Story?page=2"
    )


def test_normalize_is_idempotent() -> None:
    once = normalize_url("HTTPS://Example.com/x?utm_term=1&q=a%20b#top")
    assert normalize_url(once) == once


@pytest.mark.parametrize(
    "bad, message",
    [
        ("", "not a valid URL"),
        ("not a url", "not a valid URL"),
        ("http://exa mple.com/", "not a valid URL"),
        ("ftp://example.com/file", "not an http(s) URL"),
        ("file:///etc/passwd", "not an http(s) URL"),
        ("javascript:alert(1)", "not an http(s) URL"),
        ("http:///path-only", "no host"),
        ("http://example.com:99999/", "not a valid URL"),
        ("example.com/story", "not an http(s) URL"),
    ],
)
def test_check_url_rejects(bad: str, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        check_url(bad)


def test_host_of() -> None:
    assert host_of("https://News.Example.com:8443/a") == "news.example.com"
    assert host_of("no host") == ""


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("https://paper.example/a", "https://PAPER.example/b?x=1", True),
        ("https://www.paper.example/a", "http://paper.example/b", True),
        ("https://paper.example/a", "https://news.paper.example/b", True),
        ("https://www.paper.example/a", "https://news.paper.example/b", True),
        ("https://news.paper.example/a", "https://sport.paper.example/b", False),  # no suffix
        ("https://news.paper.co.uk/a", "https://sport.paper.co.uk/b", True),
        ("https://www.paper.com/a", "https://live.news.paper.com/b", True),
        ("https://a.github.io/x", "https://b.github.io/x", False),  # a public suffix
        ("https://paper.co.uk/a", "https://otherpaper.co.uk/b", False),
        ("http://127.0.0.1:8001/a", "http://127.0.0.2:8001/b", False),
        ("https://paper.example/a", "https://newspaper.example/b", False),
        ("https://paper.example/a", "file:///tmp/a.html", False),
    ],
)
def test_same_site(a: str, b: str, same: bool) -> None:
    assert same_site(a, b) is same
    assert same_site(b, a) is same


# -- links as browsers read them (QA session 9, finding 3) ---------------------------------

BASE = "https://news.example/feeds/main.xml"


@pytest.mark.parametrize(
    "link, expected",
    [
        ("https://news.example/a/with space", "https://news.example/a/with%20space"),
        ("/a/x y?q=a b#f g", "https://news.example/a/x%20y?q=a%20b#f%20g"),
        ("\n\t https://news.example/a/tab\tbed\r\n", "https://news.example/a/tabbed"),
        ("https://news.example/a/new\nline", "https://news.example/a/newline"),
        ("https://news.example/a/nbsp\xa0here", "https://news.example/a/nbsp%C2%A0here"),
        ("https://news.example/a/ctl\x01x", "https://news.example/a/ctl%01x"),
        ("\x00 relative story", "https://news.example/feeds/relative%20story"),
    ],
)
def test_link_url_reads_links_as_browsers_do(link: str, expected: str) -> None:
    assert link_url(BASE, link) == expected


@pytest.mark.parametrize(
    "link",
    [
        "https://news.example/2024/05/story.html",
        "https://news.example/x?",
        "https://news.example/x#",
        "https://news.example/a/../b",
        "HTTPS://News.Example/a",
        "/rel/story?id=3",
        "story.html",
        "  https://news.example/padded  ",
        "https://news.example/caf%C3%A9",
        "https://news.example/café",
    ],
)
def test_link_url_leaves_clean_links_as_joining_and_checking_did(link: str) -> None:
    # What feeds did before: check_url(urljoin(base, link.strip())); an absolute link is now
    # taken as given instead of through urljoin, which only re-spelled the edge cases.
    before = check_url(urljoin(BASE, link.strip()))
    after = link_url(BASE, link)
    assert after == before or (
        after == link.strip() and normalize_url(after) == normalize_url(before)
    )


@pytest.mark.parametrize(
    "link",
    ["", " \t\n", "mailto:desk@news.example", "javascript:void(0)", "https://ne ws.example/a"],
)
def test_link_url_refuses_what_is_no_http_url(link: str) -> None:
    with pytest.raises(InputError):
        link_url(BASE, link)
