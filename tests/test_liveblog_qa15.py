"""Live blogs that do not declare LiveBlogPosting: every update, its title as a subheading, its
time line dropped for all alike, the newest update as ``modified`` (session 15 QA)."""

from __future__ import annotations

import json

from newsarc.extractor import extract

TEXTS = [
    "Police said a group of around two hundred people gathered outside the town hall shortly"
    " after six o'clock and that officers were deployed to keep the rival groups apart.",
    "The council leader told reporters that the clean-up operation would begin at first light"
    " and that volunteers were welcome to join the crews at the market square.",
    "Three officers were treated in hospital for minor injuries after bottles and stones were"
    " thrown at the line of riot police near the bus station on Tuesday night.",
    "A spokesperson for the fire service confirmed that two cars had been set alight on the"
    " ring road and that crews had put out both fires within twenty minutes.",
]
TITLES = ["Cars set alight", "Officers injured", "Clean-up planned", "Crowds gather"]
STAMPS = [
    ("2024-08-05T21:40:00+01:00", "21:40"),
    ("2024-08-05T20:15:00+01:00", "20:15"),
    ("2024-08-05T19:02:00+01:00", "19:02"),
    ("2024-08-05T18:30:00+01:00", "18:30"),
]
NEWEST_FIRST = list(zip(TITLES, reversed(TEXTS), STAMPS, strict=True))


def page(feed: str, *, title: str, ld: dict | None = None, metas: str = "") -> str:
    """A page with the usual chrome around ``feed`` (the updates' markup)."""
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
    return (
        f'<html lang="en"><head><title>{title} | The Courier</title>{metas}{script}</head><body>'
        '<header><nav><a href="/">Home</a><a href="/live-tv">Live TV</a></nav></header>'
        f'<main><span class="badge">LIVE</span><h1>{title}</h1>{feed}</main>'
        "<footer><p>© The Courier</p></footer></body></html>"
    )


def test_sibling_articles_of_a_page_whose_headline_says_live_are_all_read_with_titles() -> None:
    # No LiveBlogPosting, only NewsArticle: trafilatura took the first <article> for the story
    # and lost the other updates' titles.
    feed = "".join(
        f'<article class="a_e_m"><time datetime="{dt}">{shown}</time><h2>{title}</h2>'
        f"<p>{text}</p></article>"
        for title, text, (dt, shown) in NEWEST_FIRST
    )
    ld = {"@type": "NewsArticle", "headline": "x", "datePublished": "2024-08-05T18:00:00+01:00"}
    html = page(f'<div class="feed">{feed}</div>', title="Riots live: cars set alight", ld=ld)
    article = extract(html, "https://www.courier.example/news/riots-updates")
    assert article.subheadings == TITLES
    assert article.body.split("\n\n") == list(reversed(TEXTS))
    assert article.published == "2024-08-05T18:00:00+01:00"
    assert article.modified == "2024-08-05T21:40:00+01:00"  # the newest update


def test_undated_live_page_is_published_at_its_first_update() -> None:
    # The first <time> under the headline is the newest update's, not the publication.
    feed = "".join(
        f'<article class="live-entry"><header><time datetime="{dt}">{shown}</time>'
        f"<h2>{title}</h2></header><p>{text}</p></article>"
        for title, text, (dt, shown) in NEWEST_FIRST
    )
    article = extract(
        page(f"<section>{feed}</section>", title="LIVE: Riots"), "https://x.example/a"
    )
    assert article.published == "2024-08-05T18:30:00+01:00"
    assert article.modified == "2024-08-05T21:40:00+01:00"


def test_time_lines_go_for_every_update_and_share_bars_and_load_more_too() -> None:
    # trafilatura kept the short time line of some updates and not of others.
    feed = "".join(
        f'<div class="ticker-entry"><span class="ticker-entry__time">{shown} Uhr</span>'
        f'<h3>{title}</h3><p>{text}</p><div class="share-tools"><a href="#">Teilen</a>'
        '<button class="copy-link">Link kopieren</button></div></div>'
        for title, text, (_, shown) in NEWEST_FIRST
    )
    feed = f'<div class="ticker">{feed}</div><button class="more">Ältere Einträge laden</button>'
    metas = '<meta property="article:published_time" content="2024-08-05T18:00:00+01:00">'
    html = page(feed, title="Krawalle im Liveticker", metas=metas)
    article = extract(html, "https://www.kurier.example/politik/krawalle-liveticker-100.html")
    assert article.body.split("\n\n") == list(reversed(TEXTS))
    assert article.subheadings == TITLES


def test_list_items_and_titles_without_heading_markup_become_subheadings() -> None:
    # <li class="entry">: trafilatura took the first item's class for an article text box and
    # folded each title into its item's line; a <strong class="...headline"> was no heading.
    feed = "".join(
        f'<li class="entry"><span class="entry__minute">{90 - 20 * i}\'</span>'
        f'<strong class="entry__headline">{title}</strong><p>{text}</p></li>'
        for i, (title, text, _) in enumerate(NEWEST_FIRST)
    )
    article = extract(
        page(f'<ul class="entries">{feed}</ul>', title="Arsenal v Chelsea: LIVE"),
        "https://sport.example/football/arsenal-chelsea",
    )
    assert article.subheadings == TITLES
    assert article.body.split("\n\n") == list(reversed(TEXTS))


def test_a_date_inside_an_update_sentence_keeps_its_words() -> None:
    said = 'The vote is now expected on <time datetime="2024-03-12">March 12</time>, two days late.'
    feed = "".join(
        f'<div class="post"><time datetime="{dt}">{shown}</time><h2>{title}</h2>'
        f"<p>{text} {said if i == 0 else ''}</p></div>"
        for i, (title, text, (dt, shown)) in enumerate(NEWEST_FIRST)
    )
    article = extract(page(feed, title="Senate live: vote delayed"), "https://x.example/senate")
    assert "expected on March 12, two days late." in article.body


def test_updates_grouped_by_day_are_one_run() -> None:
    days = [NEWEST_FIRST[:2], NEWEST_FIRST[2:]]
    feed = "".join(
        '<section class="day"><h2>Day</h2>'
        + "".join(
            f'<div class="item"><span class="item-time" data-time="{dt}">{shown}</span>'
            f"<h3>{title}</h3><p>{text}</p></div>"
            for title, text, (dt, shown) in day
        )
        + "</section>"
        for day in days
    )
    article = extract(page(feed, title="Storm live updates"), "https://x.example/storm")
    assert [s for s in article.subheadings if s != "Day"] == TITLES
    assert article.published == "2024-08-05T18:30:00+01:00"
    assert article.modified == "2024-08-05T21:40:00+01:00"


def test_live_words_alone_or_dated_teasers_and_comments_are_no_live_blog() -> None:
    # Guards (passed before): a "Live" headline over an article with readers' responses, and a
    # "LIVE" page whose dated blocks are teasers with linked headings.
    from newsarc.extractor.liveblog import marked

    story = "".join(f"<p>{text}</p>" for text in TEXTS[:3])
    responses = "".join(
        f'<div class="response"><time datetime="2024-04-0{i}">April {i}</time><p>Response {i}:'
        " we drove four hours to see it and cannot wait, thanks for the helpful tips.</p></div>"
        for i in range(1, 5)
    )
    html = page(
        f'<article>{story}</article><section class="responses">{responses}</section>',
        title="Live: how to watch the eclipse",
    )
    article = extract(html, "https://x.example/guides/eclipse")
    assert "Response 1" not in article.body and article.body.startswith(TEXTS[0][:40])
    assert article.modified is None
    assert marked("https://x.example/news/live/riots", None)
    assert marked("https://x.example/a", "【随時更新】能登半島で震度7")
    assert not marked("https://x.example/2019/noah-hawley-to-direct", "Live music returns")


def test_japanese_live_page_reads_every_update() -> None:
    texts = [
        "石川県の能登地方で強い地震があり、気象庁は大津波警報を発表しました。直ちに避難してください。",
        "政府は首相官邸に対策室を設置し、被害状況の把握を急いでいます。人命第一で対応します。",
    ]
    feed = "".join(
        f'<article class="liveupdate"><time datetime="2024-01-01T1{8 - i}:00:00+09:00">'
        f"{18 - i}:00</time><h2>見出し{i}</h2><p>{text * 3}</p></article>"
        for i, text in enumerate(texts)
    )
    article = extract(page(feed, title="【随時更新】能登半島で震度7"), "https://x.example/20240101")
    assert article.subheadings == ["見出し0", "見出し1"]
    assert article.modified == "2024-01-01T18:00:00+09:00"
