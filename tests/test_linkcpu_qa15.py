"""The story linker's shortcuts (remembered headline words and hosts, a faster unsplit of
address spellings) give what the plain computations give."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import pytest

from newsarc.dedupe import headlines_agree, words
from newsarc.store.matching import _unsplit, other_spellings
from newsarc.urls import same_site


def _plain_agree(a: str | None, b: str | None) -> bool:
    first, second = words(a or ""), words(b or "")
    if not first or not second:
        return False
    if len(first) < 2 or len(second) < 2:
        return first == second
    pairs, others = set(zip(first, first[1:])), set(zip(second, second[1:]))  # noqa: B905
    return len(pairs & others) >= 0.5 * min(len(pairs), len(others))


HEADLINES = [
    None,
    "",
    " — ",
    "Breaking",
    "breaking!",
    "MPs back plan",
    "MPs back plan, say reports",
    "Council approves new budget for schools",
    "Schools budget: council approves new plan",
    "Le conseil approuve le budget des écoles",
    "東京で新しい予算が承認された",
    "ﬁnal score: 3–1",
    "Final Score 3 1",
]


@pytest.mark.parametrize("a", HEADLINES)
def test_headlines_agree_as_computed_afresh(a: str | None) -> None:
    for _ in range(2):  # the second round reads the remembered words
        for b in HEADLINES:
            assert headlines_agree(a, b) is _plain_agree(a, b), (a, b)


def test_same_site_with_remembered_hosts() -> None:
    for _ in range(2):
        assert same_site("https://www.example.com/a", "http://example.com/b")
        assert same_site("https://news.example.co.uk/a", "https://sport.example.co.uk/b")
        assert not same_site("https://a.github.io/x", "https://b.github.io/y")
        assert not same_site("https://example.com/a", "https://example.org/a")
        assert not same_site("not a url", "https://example.com/")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/news/story",
        "http://www.example.com/news/story/?id=3&b=2",
        "https://m.example.co.uk/",
        "https://example.com",
        "https://example.com:8443/a/index.html",
        "https://例え.jp/ニュース/記事",
        "https://example.com/caf%C3%A9/",
        "https://[2001:db8::1]/a",
        "https://192.0.2.1/a/",
    ],
)
def test_unsplit_as_urlunsplit(url: str) -> None:
    parts = urlsplit(url)
    for path in (parts.path, "", "/", "x/y", "//double", parts.path + "/"):
        assert _unsplit(parts.scheme, parts.netloc, path, parts.query) == urlunsplit(
            (parts.scheme, parts.netloc, path, parts.query, "")
        )
    assert _unsplit("", "", "a/b", "q=1") == urlunsplit(("", "", "a/b", "q=1", ""))
    spellings = other_spellings(url)
    assert url not in spellings and len(spellings) == len(set(spellings))
