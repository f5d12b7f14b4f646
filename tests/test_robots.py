"""robots.txt parsing and matching (newsarc.robots) against RFC 9309 and common practice."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarc.robots import (
    MAX_ROBOTS_BYTES,
    Group,
    Rule,
    normalise_path,
    parse_robots,
    product_token,
    request_path,
)

UA = "newsarc/0.3 (+https://github.com/newsarc/newsarc)"


def allowed(body: str | bytes, path: str, agent: str = UA) -> bool:
    return parse_robots(body).group_for(agent).allowed(path)


# -- the examples of RFC 9309 section 5 ------------------------------------------------------

RFC_SIMPLE = """\
User-Agent: *
Disallow: *.gif$
Disallow: /example/
Allow: /publications/

User-Agent: foobot
Disallow:/
Allow:/example/page.html
Allow:/example/allowed.gif

User-Agent: barbot
User-Agent: bazbot
Disallow: /example/page.html

User-Agent: quxbot

EOF
"""


@pytest.mark.parametrize(
    ("agent", "path", "expected"),
    [
        # foobot: only the two allowed pages
        ("foobot", "/example/page.html", True),
        ("foobot", "/example/allowed.gif", True),
        ("foobot", "/example/other.html", False),
        ("foobot", "/", False),
        ("foobot", "/publications/", False),
        ("FooBot/2.1 (+https://foo.example)", "/example/page.html", True),
        # barbot and bazbot share one group: everything but page.html
        ("barbot", "/example/page.html", False),
        ("barbot", "/example/other.html", True),
        ("bazbot", "/example/page.html", False),
        ("bazbot", "/anything.gif", True),
        # quxbot's group is empty: everything allowed, the * group does not apply
        ("quxbot", "/example/page.html", True),
        ("quxbot", "/a.gif", True),
        # anyone else: the * group
        (UA, "/example/page.html", False),
        (UA, "/publications/a.html", True),
        (UA, "/images/logo.gif", False),
        (UA, "/images/logo.gif?v=2", True),  # $ anchors at the end of path and query
        (UA, "/news/", True),
    ],
)
def test_rfc_simple_example(agent: str, path: str, expected: bool) -> None:
    assert allowed(RFC_SIMPLE, path, agent) is expected


def test_rfc_longest_match_example() -> None:
    body = "User-Agent: foobot\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n"
    assert allowed(body, "/example/page/", "foobot")
    assert allowed(body, "/example/page/other.gif", "foobot")
    assert not allowed(body, "/example/page/disallowed.gif", "foobot")


# -- matching: longest match, ties, wildcards, anchors ---------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("/fish", "/fish", True),
        ("/fish", "/fish.html", True),
        ("/fish", "/fishheads/yummy.html", True),
        ("/fish", "/fish.php?id=anything", True),
        ("/fish", "/Fish.asp", False),  # paths are case-sensitive
        ("/fish", "/catfish", False),
        ("/fish", "/?id=fish", False),
        ("/fish*", "/fish", True),
        ("/fish*", "/fishheads", True),
        ("/fish/", "/fish/?id=anything", True),
        ("/fish/", "/fish", False),
        ("/fish/", "/animals/fish/", False),
        ("/*.php", "/index.php", True),
        ("/*.php", "/folder/filename.php?parameters", True),
        ("/*.php", "/folder/any.php.file.html", True),
        ("/*.php", "/", False),
        ("/*.php", "/windows.PHP", False),
        ("/*.php$", "/filename.php", True),
        ("/*.php$", "/folder/filename.php", True),
        ("/*.php$", "/filename.php?parameters", False),
        ("/*.php$", "/filename.php/", False),
        ("/*.php$", "/filename.php5", False),
        ("/fish*.php", "/fish.php", True),
        ("/fish*.php", "/fishheads/catfish.php?parameters", True),
        ("/fish*.php", "/Fish.PHP", False),
        ("/this/*/exactly", "/this/a/b/exactly", True),
        ("/this/*/exactly", "/this/exactly", False),
        ("/this/path/exactly$", "/this/path/exactly", True),
        ("/this/path/exactly$", "/this/path/exactly/", False),
        ("/a*b*c$", "/abxbc", True),  # the final piece may not overlap the middle one
        ("/a*b*c$", "/abc/c", True),
        ("/a*bc*c$", "/abc", False),
        ("/a**b", "/a-b", True),
        ("*", "/anything", True),
        ("*.gif$", "/a/b.gif", True),
        ("/$", "/", True),
        ("/$", "/page", False),
        ("/*?", "/page?q=1", True),
        ("/*?", "/page", False),
        ("/a$b", "/a$b", True),  # a "$" before the end is a literal dollar sign
        ("/a$b", "/ab", False),
    ],
)
def test_pattern_matching(pattern: str, path: str, expected: bool) -> None:
    assert Rule.parse(False, pattern).matches(normalise_path(path)) is expected
    assert allowed(f"User-agent: *\nDisallow: {pattern}\n", path) is not expected


@pytest.mark.parametrize(
    ("rules", "path", "expected"),
    [
        ("Allow: /p\nDisallow: /", "/page", True),
        ("Disallow: /\nAllow: /p", "/page", True),  # order in the file does not matter
        ("Allow: /folder\nDisallow: /folder", "/folder/page", True),  # a tie goes to Allow
        ("Disallow: /folder\nAllow: /folder", "/folder/page", True),
        ("Allow: /page\nDisallow: /*.htm", "/page.htm", False),  # the longer pattern
        ("Allow: /page\nDisallow: /*.ph", "/page.php", True),  # same length: Allow
        ("Allow: /$\nDisallow: /", "/", True),
        ("Allow: /$\nDisallow: /", "/page.htm", False),
        ("Disallow: /news/\nAllow: /news/*/public$", "/news/2024/public", True),
        ("Disallow: /news/\nAllow: /news/*/public$", "/news/2024/public/x", False),
        ("Disallow: /a\nDisallow: /ab\nAllow: /a", "/abc", False),
        ("Disallow:", "/anything", True),  # an empty Disallow blocks nothing
        ("Allow:\nDisallow: /", "/x", False),  # an empty Allow allows nothing
        ("Disallow: private", "/private/x", False),  # missing "/" read as meant
        ("", "/x", True),
    ],
)
def test_rule_precedence(rules: str, path: str, expected: bool) -> None:
    assert allowed(f"User-agent: *\n{rules}\n", path) is expected


@pytest.mark.parametrize(
    ("rule", "blocked"),
    [
        ("Disallow: /", "/x"),
        ("Disallow: /robots", "/robots.txt.bak"),
        ("Disallow: /*.txt$", "/a.txt"),
    ],
)
def test_robots_txt_itself_is_always_allowed(rule: str, blocked: str) -> None:
    body = f"User-agent: *\n{rule}\n"
    assert allowed(body, "/robots.txt")
    assert not allowed(body, blocked)


# -- percent-encoding: compared in one normal form -------------------------------------------


@pytest.mark.parametrize(
    ("path", "normal"),
    [
        ("/foo/bar?baz=quz", "/foo/bar?baz=quz"),  # RFC 9309 2.2.2
        ("/foo/bar/ツ", "/foo/bar/%E3%83%84"),
        ("/foo/bar/%E3%83%84", "/foo/bar/%E3%83%84"),
        ("/foo/bar/%e3%83%84", "/foo/bar/%E3%83%84"),
        ("/foo/bar/%62%61%7A", "/foo/bar/baz"),  # unreserved characters are decoded
        ("/a%2Fb", "/a%2Fb"),  # reserved ones are not: %2F is not "/"
        ("/a b", "/a%20b"),
        ("/100%", "/100%25"),  # a stray "%" is itself encoded
        ("/%zz", "/%25zz"),
        ("/file-*.html", "/file-%2A.html"),  # literal * and $ in a URL: RFC 9309 2.2.3
        ("/foo-$", "/foo-%24"),
        ("/~user/", "/~user/"),
        ("", "/"),
    ],
)
def test_normalise_path(path: str, normal: str) -> None:
    assert normalise_path(path) == normal


@pytest.mark.parametrize(
    ("pattern", "path"),
    [
        ("/foo/bar/ツ", "/foo/bar/%E3%83%84"),
        ("/foo/bar/%E3%83%84", "/foo/bar/ツ"),
        ("/foo/bar/%e3%83%84", "/foo/bar/%E3%83%84"),
        ("/foo/bar/baz", "/foo/bar/%62%61%7A"),
        ("/foo/bar/%62%61%7A", "/foo/bar/baz"),
        ("/%7Euser", "/~user/page"),
        ("/a%20b", "/a b"),
        ("/path/file-with-a-%2A.html", "/path/file-with-a-*.html"),  # RFC 9309 2.2.3
        ("/path/foo-%24", "/path/foo-$"),
        ("/path/foo-%24", "/path/foo-%24"),
    ],
)
def test_encoded_and_plain_forms_match_each_other(pattern: str, path: str) -> None:
    assert not allowed(f"User-agent: *\nDisallow: {pattern}\n", path)


@pytest.mark.parametrize(("pattern", "path"), [("/a%2Fb", "/a/b"), ("/a/b", "/a%2Fb")])
def test_encoded_reserved_characters_are_not_their_plain_form(pattern: str, path: str) -> None:
    assert allowed(f"User-agent: *\nDisallow: {pattern}\n", path)


def test_an_escaped_star_is_a_literal_star_not_a_wildcard() -> None:
    body = "User-agent: *\nDisallow: /a%2Ab\n"
    assert not allowed(body, "/a*b")
    assert allowed(body, "/axb")


# -- groups: which one applies ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "path", "expected"),
    [
        ("User-agent: NewsArc\nDisallow: /x\n", "/x", False),  # case-insensitive
        ("User-agent: newsarc/1.0\nDisallow: /x\n", "/x", False),  # product name only
        ("User-agent: newsarcbot\nDisallow: /x\n", "/x", True),  # not our token
        ("User-agent: news\nDisallow: /x\n", "/x", True),
        ("User-agent: * # everyone\nDisallow: /x\n", "/x", False),
        ("User-agent: otherbot\nDisallow: /x\n", "/x", True),  # no group for us, no *
        ("User-agent: otherbot\nUser-agent: newsarc\nDisallow: /x\n", "/x", False),
        ("User-agent: newsarc\nDisallow: /x\n\nUser-agent: *\nDisallow: /y\n", "/y", True),
        ("User-agent: *\nDisallow: /y\n\nUser-agent: newsarc\nDisallow: /x\n", "/y", True),
        ("User-agent: newsarc\nDisallow:\n\nUser-agent: *\nDisallow: /\n", "/x", True),
        # RFC 9309 grammar: blank lines do not end the list of agents, so both share "/"
        ("User-agent: newsarc\n\nUser-agent: *\nDisallow: /\n", "/x", False),
        ("Disallow: /x\nUser-agent: *\nDisallow: /y\n", "/x", True),  # rule before any group
        ("User-agent: *\nDisallow: /x\nUser-agent: newsarc\nDisallow: /y\n", "/x", True),
        ("User-agent: newsarc\nSitemap: /s.xml\nUser-agent: a\nDisallow: /x\n", "/x", False),
        ("User-agent: newsarc\nCrawl-delay: 1\nUser-agent: a\nDisallow: /x\n", "/x", True),
        ("User-agent:\nDisallow: /x\n", "/x", True),  # names nobody
    ],
)
def test_group_selection(body: str, path: str, expected: bool) -> None:
    assert allowed(body, path) is expected


def test_groups_for_the_same_agent_are_merged() -> None:
    body = (
        "User-agent: newsarc\nDisallow: /foo\nDisallow: /bar\n\n"
        "User-agent: *\nDisallow: /all\n\n"
        "User-agent: NEWSARC\nDisallow: /baz\nAllow: /bar/ok\n"
    )
    group = parse_robots(body).group_for(UA)
    assert [group.allowed(p) for p in ("/foo", "/bar", "/baz", "/bar/ok", "/all")] == [
        False,
        False,
        False,
        True,
        True,
    ]


def test_star_groups_are_merged_too() -> None:
    body = (
        "User-agent: *\nDisallow: /a\n\n"
        "User-agent: other\nAllow: /\n\n"
        "User-agent: *\nDisallow: /b\n"
    )
    assert not allowed(body, "/a") and not allowed(body, "/b") and allowed(body, "/c")


@pytest.mark.parametrize(
    ("user_agent", "token"),
    [
        (UA, "newsarc"),
        ("NewsArc/1.0", "newsarc"),
        ("  my_bot-2/1", "my_bot-"),
        ("Mozilla/5.0 (compatible; newsarc)", "mozilla"),
        ("/1.0", ""),
        ("", ""),
    ],
)
def test_product_token(user_agent: str, token: str) -> None:
    assert product_token(user_agent) == token


def test_an_agent_without_a_product_token_gets_the_star_group() -> None:
    body = "User-agent: *\nDisallow: /x\n"
    assert not allowed(body, "/x", agent="/1.0")


# -- the file format: lines, comments, BOM, keys, size cap -----------------------------------


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_any_line_end(eol: str) -> None:
    body = eol.join(["User-agent: *", "Disallow: /a", "", "User-agent: x", "Disallow: /"])
    assert not allowed(body, "/a") and allowed(body, "/b")


def test_mixed_line_ends_bom_comments_and_odd_spacing() -> None:
    body = (
        b"\xef\xbb\xbf# robots for example.org\r\n"
        b"  USER-AGENT :  *   # all of them\n"
        b"\tdisallow\t:\t/private   # not public\r"
        b"ALLOW: /private/press\n"
        b"Sitemap: https://example.org/sitemap.xml\n"
        b"Host: example.org\n"
        b"this line has no colon\n"
        b"Noindex: /drafts\n"
    )
    group = parse_robots(body).group_for(UA)
    assert not group.allowed("/private/a")
    assert group.allowed("/private/press/1")
    assert group.allowed("/drafts/1")  # unknown records are ignored
    assert len(group.rules) == 2


@pytest.mark.parametrize("key", ["useragent", "User Agent", "user-agent"])
@pytest.mark.parametrize("rule", ["Dissallow", "disalow", "DISALLOW"])
def test_common_misspellings_are_honoured(key: str, rule: str) -> None:
    assert not allowed(f"{key}: *\n{rule}: /x\n", "/x")


def test_invalid_utf8_is_read_with_replacement() -> None:
    body = b"User-agent: *\nDisallow: /caf\xe9\nDisallow: /ok\xff/\n"
    assert not allowed(body, "/ok\ufffd/x")
    assert allowed(body, "/cafe")


def test_binary_garbage_gives_no_rules() -> None:
    assert parse_robots(bytes(range(256)) * 8).group_for(UA) == Group()


def test_the_cap_drops_the_line_it_cuts_in_two() -> None:
    head = b"User-agent: *\nDisallow: /early\n"
    filler = b"#" * (MAX_ROBOTS_BYTES - len(head) - len(b"Disallow: /cut")) + b"\n"
    body = head + filler + b"Disallow: /cut-in-two\nDisallow: /late\n"
    group = parse_robots(body).group_for(UA)
    assert not group.allowed("/early")
    assert group.allowed("/cut")  # "Disallow: /cu" must not be read as a rule
    assert group.allowed("/late")


@pytest.mark.parametrize("eol", [b"\n", b"\r"])
def test_a_line_ending_exactly_at_the_cap_is_kept(eol: bytes) -> None:
    rule = b"Disallow: /last"
    head = b"User-agent: *" + eol
    filler = b"#" * (MAX_ROBOTS_BYTES - len(head) - len(rule) - 1) + eol
    body = head + filler + rule + eol + b"Disallow: /late" + eol
    assert len(head + filler + rule) == MAX_ROBOTS_BYTES
    group = parse_robots(body).group_for(UA)
    assert not group.allowed("/last")
    assert group.allowed("/late")


def test_str_and_bytes_bodies_are_the_same() -> None:
    text = "User-agent: *\nDisallow: /ツ\nCrawl-delay: 2\n"
    assert parse_robots(text) == parse_robots(text.encode())


# -- Crawl-delay ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10", 10.0),
        ("0.5", 0.5),
        ("2.25", 2.25),
        (".5", 0.5),
        ("5.", 5.0),
        ("0", 0.0),
        ("3600", 3600.0),  # capped only where it is applied (RobotsCache.crawl_delay)
        ("7 # be nice", 7.0),
        ("-1", None),
        ("nan", None),
        ("inf", None),
        ("1e3", None),
        ("1_0", None),
        ("1,5", None),
        ("5s", None),
        ("", None),
        ("9" * 400, None),  # overflows to inf
    ],
)
def test_crawl_delay_values(value: str, expected: float | None) -> None:
    group = parse_robots(f"User-agent: *\nCrawl-delay: {value}\n").group_for(UA)
    assert group.crawl_delay == expected


def test_crawl_delay_follows_group_selection_and_merging() -> None:
    body = (
        "User-agent: *\nCrawl-delay: 30\n\n"
        "User-agent: newsarc\nCrawl-delay: 2\nDisallow: /x\n\n"
        "User-agent: newsarc\ncrawl-delay: 4.5\n"
    )
    robots = parse_robots(body)
    assert robots.group_for(UA).crawl_delay == 4.5  # the longest of our merged groups
    assert robots.group_for("otherbot").crawl_delay == 30.0
    assert parse_robots("User-agent: newsarc\nDisallow: /\n").group_for(UA).crawl_delay is None
    assert parse_robots("Crawl-delay: 5\nUser-agent: *\n").group_for(UA).crawl_delay is None


# -- request_path ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://a.example/news/1.html?x=1&y=2#frag", "/news/1.html?x=1&y=2"),
        ("https://a.example", "/"),
        ("https://a.example?q=1", "/?q=1"),
        ("https://a.example/caf%C3%A9", "/caf%C3%A9"),
    ],
)
def test_request_path(url: str, path: str) -> None:
    assert request_path(url) == path


# -- properties ---------------------------------------------------------------------------------

# Small alphabets make collisions between patterns and paths likely, so matches actually happen.
_PATH_CHARS = st.sampled_from(list("/ab.?=*$%2Fツ~ ") + ["%62", "%2A", "%24", "%E3%83%84"])
paths = st.lists(_PATH_CHARS, max_size=12).map(lambda parts: "/" + "".join(parts))
patterns = st.lists(_PATH_CHARS, max_size=8).map("".join)
bodies = st.lists(
    st.tuples(
        st.sampled_from(["User-agent", "Allow", "Disallow", "Crawl-delay", "Sitemap", "junk"]),
        st.one_of(patterns, st.sampled_from(["*", "newsarc", "other", "1.5", "x"])),
        st.sampled_from(["\n", "\r\n", "\r", " # c\n"]),
    ),
    max_size=12,
).map(lambda lines: "".join(f"{k}: {v}{eol}" for k, v, eol in lines))


def _reference_regex(pattern: str) -> re.Pattern[str]:
    """A straightforward translation of a normalised pattern, to check the matcher against."""
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(piece) for piece in body.split("*"))
    return re.compile(regex + ("" if anchored else ".*"), re.DOTALL)


@settings(max_examples=300, deadline=None)
@given(st.one_of(bodies, st.text(max_size=300)), st.one_of(paths, st.text(max_size=40)))
def test_matching_never_raises_and_unmatched_paths_are_allowed(body: str, path: str) -> None:
    group = parse_robots(body).group_for(UA)
    verdict = group.allowed(path)
    assert isinstance(verdict, bool)
    target = normalise_path(path)
    if not any(rule.matches(target) for rule in group.rules):
        assert verdict
    if group.rules and not verdict:
        assert target != "/robots.txt"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.text(max_size=30))
def test_any_bytes_and_any_agent_parse(body: bytes, agent: str) -> None:
    group = parse_robots(body).group_for(agent)
    assert group.crawl_delay is None or group.crawl_delay >= 0
    assert all(rule.pattern.startswith(("/", "*")) for rule in group.rules)


@settings(max_examples=500, deadline=None)
@given(patterns, paths)
def test_matcher_agrees_with_a_regex_translation(pattern: str, path: str) -> None:
    rule = Rule.parse(False, pattern)
    target = normalise_path(path)
    expected = _reference_regex(rule.pattern).fullmatch(target) is not None
    assert rule.matches(target) is expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_normalising_twice_changes_nothing(path: str) -> None:
    once = normalise_path(path)
    assert normalise_path(once) == once
    assert once.isascii()


@settings(max_examples=200, deadline=None)
@given(bodies, paths)
def test_disallow_everything_blocks_every_path_but_robots_txt(body: str, path: str) -> None:
    group = parse_robots("User-agent: newsarc\nDisallow: /\n" + body).group_for(UA)
    # Only an Allow rule can lift it; without one every path is blocked.
    if not any(rule.allow for rule in group.rules):
        assert group.allowed(path) is (normalise_path(path) == "/robots.txt")
