"""One story, one record (QA session 15): an article re-fetched at another spelling of its
address (www or not, its mobile host, a folder's index.html, a referrer's tag, an escaped
letter) with an edited text is a revision of its record, not a second record; the addresses
that spell one page; a different article at such an address stays apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsarc.cli import cli
from newsarc.store.matching import other_spellings
from newsarc.urls import normalize_url
from tests.test_warc import Warc

# A flood report, and the same report updated hours later: a new lede and headline, the
# rest as it was (a revision of one article).
BACKGROUND = [
    "The river burst its banks on Friday evening after three days of heavy rain, flooding more"
    " than four hundred homes in the lower town and forcing the closure of the main bridge."
    " Firefighters used boats to rescue residents from upper floors through the night.",
    "The flood warning covered the stretch of river between the weir and the railway viaduct."
    " Water levels peaked at 5.2 metres shortly after midnight, half a metre above the previous"
    " record set in 2007, and the emergency shelter at the leisure centre was full by dawn.",
    "The defences built after the 2007 floods held along most of the embankment, but water"
    " overtopped a section near the old tannery that had been due for repair this year. The"
    " council said the work had been delayed by a dispute over funding with the agency.",
]
FIRST = (
    "Floods: two dead and three missing as river bursts its banks",
    ["Two people have died and three are missing after floods swept through the lower town,"
     " police said on Saturday morning.", *BACKGROUND],
)  # fmt: skip
UPDATED = (
    "Floods: five dead and one missing as river bursts its banks",
    ["Five people have died and one is still missing after floods swept through the lower"
     " town, police said on Saturday evening, raising the toll from the morning.", *BACKGROUND],
)  # fmt: skip
OTHER = (
    "Councillors approve new swimming pool at the gasworks site",
    [
        "Councillors approved plans for a new swimming pool at the old gasworks site on"
        " Wednesday night after a four-hour meeting that saw more than two hundred residents"
        " pack the public gallery of the town hall.",
        "The 25-metre pool, with a learner pool and a gym, will replace the Victorian baths on"
        " Mill Street, which closed in March after an inspection found cracks in the main tank."
        " Work is expected to start in the spring and take eighteen months to finish.",
    ],
)


def page(story: tuple[str, list[str]]) -> bytes:
    """A WordPress-style article page with no canonical link (many small sites have none)."""
    headline, paragraphs = story
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{headline} | Riverside Gazette</title>"
        '<meta property="og:site_name" content="Riverside Gazette"></head>'
        '<body class="single single-post"><header id="masthead"><a href="/">Riverside Gazette</a>'
        '<nav><a href="/news/">News</a> <a href="/sport/">Sport</a></nav></header>'
        f'<main><article class="post"><h1 class="entry-title">{headline}</h1>'
        '<div class="entry-meta">By <span class="author">Staff reporter</span></div>'
        f'<div class="entry-content">{body}</div></article></main>'
        "<footer><p>© 2024 Riverside Gazette</p></footer></body></html>"
    ).encode()


def ingest(tmp_path: Path, db: Path, url: str, html: bytes, *options: str) -> str:
    """Archives one page from a WARC (offline), in a run of its own."""
    warc = Warc(tmp_path / f"{len(list(tmp_path.glob('*.warc')))}.warc", gz=False)
    warc.response(url, html, date="2024-10-15T18:00:00Z")
    result = CliRunner().invoke(
        cli,
        ["ingest", "-q", "--warc", str(warc.close()), "--workers", "1", *options, "--db", str(db)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    return result.stderr


def show(db: Path, ref: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["show", "--json", ref, "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    record: dict[str, Any] = json.loads(result.stdout)
    return record


def count(db: Path) -> int:
    result = CliRunner().invoke(cli, ["stats", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    return int(json.loads(result.stdout)["articles"])


BASE = "https://www.riversidegazette.co.uk/news/floods-lower-town"


@pytest.mark.parametrize(
    "first, again",
    [
        (BASE, "https://riversidegazette.co.uk/news/floods-lower-town"),  # no www.
        ("https://riversidegazette.co.uk/news/floods-lower-town", BASE),
        ("https://m.riversidegazette.co.uk/news/floods-lower-town", BASE),  # mobile host
        (BASE + "/index.html", BASE + "/"),  # a folder's index page
        (BASE + "/", BASE + "/index.html"),
        (BASE + "?ref=homepage", BASE),  # a referrer's tag
        (BASE + "?smid=nytcore-ios-share&sgrp=c-cb", BASE),  # a share sheet's marks
        ("http://www.riversidegazette.co.uk/news/floods-lower-town", BASE),  # http, new headline
        (BASE + "/", BASE),  # a trailing slash, new headline
        (BASE + "/%7Eeditor/floods%2Dlower", BASE + "/~editor/floods-lower"),  # escapes
    ],
)
def test_an_edited_page_at_another_spelling_is_a_revision(
    tmp_path: Path, first: str, again: str
) -> None:
    db = tmp_path / "archive.db"
    ingest(tmp_path, db, first, page(FIRST))
    ingest(tmp_path, db, again, page(UPDATED), "--refresh")
    record = show(db, again)
    assert count(db) == 1
    assert record["headline"] == UPDATED[0]
    assert record["revisions"] == 1
    assert show(db, first)["id"] == record["id"]


def test_another_article_at_another_spelling_stays_apart(tmp_path: Path) -> None:
    # The spellings lead to the same page only when the headline or the text agrees: an
    # unrelated article there (a site that moved its pages around) is a record of its own.
    db = tmp_path / "archive.db"
    ingest(tmp_path, db, BASE, page(FIRST))
    ingest(tmp_path, db, "https://m.riversidegazette.co.uk/news/floods-lower-town", page(OTHER))
    assert count(db) == 2
    # and the report updated later at a third spelling is still the first record's revision
    ingest(tmp_path, db, "https://riversidegazette.co.uk/news/floods-lower-town/", page(UPDATED))
    assert count(db) == 2
    assert show(db, BASE)["revisions"] == 1


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("https://example.com/a?ref=homepage", "https://example.com/a"),
        ("https://example.com/a?REF=rss&id=3", "https://example.com/a?id=3"),
        ("https://example.com/a?smid=nytcore-ios-share&sgrp=c-cb", "https://example.com/a"),
        ("https://example.com/a?share_id=8aK3xQ&ttclid=1&twclid=2", "https://example.com/a"),
        ("https://example.com/a?at_platform=x&at_send_date=20240101", "https://example.com/a"),
        ("https://example.com/a?WT.mc_id=rss&cvid=abc&srsltid=zz", "https://example.com/a"),
        # names some sites pick a page with stay
        ("https://example.com/forum.php?mod=viewthread&tid=9", "https://example.com/forum.php?mod=viewthread&tid=9"),
        ("https://example.com/?s=floods&r=2&src=a", "https://example.com/?r=2&s=floods&src=a"),
        # an escaped letter, digit or -._~ is the character; other escapes in capitals
        ("https://example.com/%7Eeditor/floods%2Dlower%2etown", "https://example.com/~editor/floods-lower.town"),
        ("https://example.com/caf%c3%a9", "https://example.com/caf%C3%A9"),
        ("https://example.com/a%2fb%25c%20d", "https://example.com/a%2Fb%25c%20d"),
    ],
)  # fmt: skip
def test_normalize_drops_referrer_tags_and_spells_escapes_once(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected
    assert normalize_url(expected) == expected


def test_other_spellings_of_an_address_cover_its_hosts_and_index_page() -> None:
    spellings = other_spellings("https://www.example.com/news/a/")
    for other in (
        "https://example.com/news/a/",
        "https://m.example.com/news/a",
        "http://example.com/news/a/index.html",
        "https://www.example.com/news/a/index.html",
    ):
        assert other in spellings
    assert "https://www.example.com/news/a/" not in spellings
    index = other_spellings("https://m.example.com/news/a/index.htm")
    assert "https://www.example.com/news/a/" in index and "https://example.com/news/a" in index
    # an address or a one-label host has no other host
    assert {s.split("/")[2] for s in other_spellings("http://127.0.0.1:8080/a")} == {
        "127.0.0.1:8080"
    }
    assert {s.split("/")[2] for s in other_spellings("http://localhost/a")} == {"localhost"}
