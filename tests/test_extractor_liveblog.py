"""A live blog's updates marked up as sibling <article> elements: all of them, with their titles."""

from __future__ import annotations

import json

import lxml.html

from newsarc.extractor import extract
from newsarc.extractor.liveblog import open_updates

URL = "https://www.fenlandgazette.co.uk/uk-news/live/2026/mar/02/council-budget-live"
LONG = (
    "The council's finance chief told the meeting that the budget gap had grown to four million"
    " pounds since the autumn, mostly because of the rising cost of care for older residents, and"
    " that reserves could cover only a quarter of it this year."
)
UPDATES = [
    ("Budget gap grows to £4m", [LONG, "Opposition councillors called the figures alarming."]),
    (None, ["A vote is expected after the lunch break, the chair said this morning."]),
    (
        "Library closures dropped",
        [
            "The plan to close three branch libraries has been withdrawn after a petition signed"
            " by more than 6,000 people was handed in last week.",
        ],
    ),
    (
        "Welcome",
        ["Good morning and welcome to our coverage of the budget meeting at the Guildhall."],
    ),
]


def live_page(kind: str, *, wrapped: bool = True) -> str:
    """A page of ``UPDATES`` as sibling <article> elements; ``kind`` is its JSON-LD @type.
    ``wrapped``: each update's text sits in a box of its own, beside the update's header."""
    ld = json.dumps({"@context": "https://schema.org", "@type": kind, "headline": "Budget live"})
    posts = []
    for number, (title, paragraphs) in enumerate(UPDATES):
        head = f'<h2 class="post-title">{title}</h2>' if title else ""
        text = "".join(f"<p>{p}</p>" for p in paragraphs)
        if wrapped:
            text = f'<div class="elements">{text}</div>'
        posts.append(
            f'<article class="post" id="p{number}"><header><time>1{number}.00</time>{head}'
            f"</header>{text}</article>"
        )
    return (
        f'<html lang="en"><head><title>Budget live</title><script type="application/ld+json">'
        f"{ld}</script></head><body><main><h1>Council budget live: library closures dropped"
        f'</h1><div class="stream">{"".join(posts)}</div></main></body></html>'
    )


def test_every_update_keeps_its_title_when_the_newest_is_long() -> None:
    # trafilatura takes the first update for the story; the split-body merge brings the others'
    # text, and now their titles, which sit in each update's header beside its text box.
    article = extract(live_page("LiveBlogPosting"), URL)
    assert article.subheadings == ["Budget gap grows to £4m", "Library closures dropped", "Welcome"]
    assert article.body.startswith(LONG)
    assert "A vote is expected after the lunch break" in article.body
    assert article.body.endswith("coverage of the budget meeting at the Guildhall.")


def test_sibling_articles_are_opened_only_on_a_page_that_calls_itself_a_live_blog() -> None:
    # The same markup on a page that does not say it is a live blog (neither its schema nor
    # its headline, title or address: see liveblog.marked) may be an infinite scroll of other
    # stories: the first <article> is the story, as before.
    live = extract(live_page("LiveBlogPosting", wrapped=False), URL)
    unsaid = live_page("NewsArticle", wrapped=False).replace(" live", "")
    plain = extract(unsaid, URL.replace("/live/", "/").replace("-live", ""))
    assert "branch libraries" in live.body and "branch libraries" not in plain.body
    assert live.subheadings == ["Budget gap grows to £4m", "Library closures dropped", "Welcome"]
    assert plain.body.startswith(LONG)


def test_open_updates_retags_runs_of_sibling_articles_without_a_headline() -> None:
    tree = lxml.html.document_fromstring(
        "<html><body><article id='story'><h1>Live</h1><div>"
        "<article id='a'><p>One</p></article><article id='b'><p>Two</p></article></div>"
        "</article><aside><article id='alone'><p>Teaser</p></article></aside></body></html>"
    )
    assert open_updates(tree.iter("article")) == 2
    assert [e.get("id") for e in tree.iter("section")] == ["a", "b"]
    # the story with the headline, and an <article> with no <article> sibling, stay
    assert [e.get("id") for e in tree.iter("article")] == ["story", "alone"]
