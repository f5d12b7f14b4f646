"""URL checks and normalization."""

from __future__ import annotations

import re

import pytest

from newsarc.errors import InputError
from newsarc.urls import check_url, host_of, normalize_url, same_site


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
