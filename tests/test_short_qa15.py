"""Short stories and newsletter sign-up boxes (found by a QA pass on 30 pages of many CMSs).

A story under trafilatura's minimum extracted size (250 characters: a Japanese, Korean or
Chinese brief, a wire flash, a paywalled teaser) kept what trafilatura's fallbacks made of it:
the whole ``<article>`` text as one line (kicker, headline, byline, date and all), the page's
whole text a line a text run, or paragraphs recovered from all over the page. A sign-up box
told only by its class ("The Morning Ledger / Markets news and analysis delivered to your
inbox" and a button) stayed in the body.
"""

from __future__ import annotations

import lxml.etree
import lxml.html
import pytest

from newsarc.extractor import extract
from newsarc.extractor.rescue import looks_rescued, within
from newsarc.extractor.signups import drop_signups
from newsarc.extractor.tagged import Tagged

URL = "https://news.example.com/2026/03/04/story"
NAV = (
    '<header><a href="/">Daily</a><nav><ul><li><a href="/news/">News</a></li>'
    '<li><a href="/sport/">Sport</a></li><li><a href="/business/">Business</a></li></ul></nav>'
    "</header>"
)
FOOTER = '<footer><ul><li><a href="/about">About</a></li></ul><p>&copy; 2026 Daily</p></footer>'


def article_page(inner: str, lang: str = "en", title: str = "Story") -> str:
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f"{NAV}<main>{inner}</main>{FOOTER}</body></html>"
    )


def paragraphs(html: str) -> list[str]:
    return extract(html, URL).body.split("\n\n")


# --- short stories -------------------------------------------------------------------------

JA = [
    "気象庁は4日、東京都心で桜が開花したと発表した。平年より5日早く、昨年より3日早い。",
    "満開は1週間後の見込み。",
]


def test_a_japanese_brief_keeps_its_paragraphs_not_the_whole_article_as_one_line() -> None:
    html = article_page(
        '<article><div class="kicker"><a href="/news">News</a></div>'
        "<h1>東京で桜の開花を発表 平年より5日早く</h1>"
        '<div class="byline"><span>By 山本彩</span><time datetime="2026-03-04">2026-03-04</time>'
        '</div><div class="article-body">' + "".join(f"<p>{p}</p>" for p in JA) + "</div>"
        "</article>",
        lang="ja",
        title="東京で桜の開花を発表 平年より5日早く",
    )
    assert paragraphs(html) == JA


def test_a_wire_flash_is_its_sentence_without_label_headline_and_time() -> None:
    flash = (
        "OPEC+ agreed on Wednesday to extend its voluntary oil output cuts of 2.2 million "
        "barrels per day until the end of June, two sources said."
    )
    html = article_page(
        '<article class="story"><div class="label"><span>URGENT</span></div>'
        "<h1>OPEC+ agrees to extend output cuts</h1>"
        '<div class="meta">WorldWire <time datetime="2026-03-04T11:42">11:42 GMT</time></div>'
        f'<div class="story__text"><p>{flash}</p><p>More to follow.</p></div>'
        '<div class="keywords"><a href="/t/a">Economy</a> <a href="/t/b">Energy</a></div>'
        "</article>"
    )
    assert paragraphs(html) == [flash, "More to follow."]


def test_a_chinese_brief_without_article_markup_is_not_the_page_text_line_by_line() -> None:
    zh = [
        "北京地铁17号线北段4日正式开通运营，全长约16公里，设站9座。",
        "开通初期，列车最小行车间隔为6分钟。",
    ]
    html = (
        '<html lang="zh"><head><meta charset="utf-8"><title>北京地铁新线今日开通</title></head>'
        f'<body>{NAV}<div class="container"><div class="breadcrumbs"><a href="/">Home</a> / '
        '<a href="/news/">News</a></div><div class="article"><h1>北京地铁新线今日开通</h1>'
        '<div class="meta"><span>李明</span> <span>2026-03-04 09:15</span></div>'
        '<div class="article__text">' + "".join(f"<p>{p}</p>" for p in zh) + "</div></div>"
        '<div class="sidebar"><div class="title">Popular</div><ul><li><a href="/1">Weather '
        'warning issued</a></li><li><a href="/2">Prices rise again</a></li></ul></div></div>'
        "</body></html>"
    )
    assert paragraphs(html) == zh


def test_a_short_brief_leaves_out_the_kicker_and_caption_paragraphs_recovered_around_it() -> None:
    de = [
        "Die Rheinbrücke zwischen Neuried und Altenheim ist von Montag an drei Nächte lang "
        "gesperrt.",
        "Eine Umleitung ist ausgeschildert.",
    ]
    html = article_page(
        '<div class="article-wrap"><div class="article-header"><p class="section-label">'
        '<a href="/sports">Sports</a></p><h1>Rheinbrücke nachts gesperrt</h1></div>'
        '<div class="article-photo"><img src="/p.jpg" alt=""><p class="photo-caption">File '
        'photo</p></div><div class="article-content">'
        + "".join(f"<p>{p}</p>" for p in de)
        + "</div></div>",
        lang="de",
    )
    assert paragraphs(html) == de


def test_a_story_told_only_in_a_caption_keeps_what_the_rescue_found() -> None:
    """A guard: the main extractor finds nothing (the <figure> is deleted), so the rescue's
    text stays rather than no body at all."""
    caption = "Grey seals rest on the harbour wall at Porthmoor on Tuesday morning at low tide."
    html = article_page(
        "<article><h1>Seals bask on the harbour wall</h1><figure><img src='/s.jpg' alt=''>"
        f"<figcaption>{caption}</figcaption></figure></article>"
    )
    assert caption in extract(html, URL).body


def test_the_rescue_shape_is_one_plain_block_or_a_block_of_lines() -> None:
    body = lxml.etree.fromstring(
        "<body><p>News Headline By A. Writer Text of the story.</p></body>"
    )
    assert looks_rescued(body)
    body = lxml.etree.fromstring("<body><p>Home\nNews\nThe story.</p><p>Footer</p></body>")
    assert looks_rescued(body)
    body = lxml.etree.fromstring("<body><p>One.</p><p>Two.</p></body>")
    assert not looks_rescued(body)
    body = lxml.etree.fromstring("<body><head>Title</head></body>")
    assert not looks_rescued(body)
    body = lxml.etree.fromstring("<body><p>One<lb/>line</p></body>")
    assert not looks_rescued(body)
    assert not looks_rescued(lxml.etree.fromstring("<body/>"))


def test_within_ignores_spacing_and_wants_every_line() -> None:
    rescued = ["News  Headline By A. Writer 2026-03-04 First  paragraph. Second paragraph."]
    assert within(["First paragraph.", "Second   paragraph."], rescued)
    assert not within(["First paragraph.", "A paragraph it never had."], rescued)


# --- newsletter sign-up boxes ---------------------------------------------------------------

STORY = [
    "Oil prices fell for a second day on Wednesday after government data showed a bigger "
    "than expected build in crude inventories.",
    "Brent crude was down 1.4 percent at $81.20 a barrel by midday in London, and traders "
    "said demand in Asia was softer than expected.",
]


def story_with(box: str, *, container: str = '<div class="ArticleBody_body__4LmQ">') -> str:
    return article_page(
        f"<article><h1>Oil prices slip as stockpiles grow</h1>{container}<p>{STORY[0]}</p>"
        f"{box}<p>{STORY[1]}</p></div></article>"
    )


@pytest.mark.parametrize(
    "box",
    [
        # a CSS-module box with only a button
        '<div class="InlineNewsletter_box__c3"><p class="InlineNewsletter_title__d4">The '
        "Morning Ledger</p><p>Markets news and analysis delivered to your inbox.</p><button "
        'class="InlineNewsletter_cta__f6">Sign up</button></div>',
        # a Brightspot module: no form, a field and a button
        '<div class="NewsletterSignupModule"><div class="NewsletterSignupModule-title">The '
        'Daily Brief</div><div class="NewsletterSignupModule-description">The news you need to '
        'start your day, from our newsroom.</div><div class="NewsletterSignupModule-form"><input '
        'type="email"><button>Subscribe</button></div></div>',
        # a Drupal block named after a subscription
        '<div class="block block-simplenews block-simplenews-subscription-block"><h2>Weekly '
        'newsletter</h2><p>The week\'s island news every Friday.</p><form><input type="email">'
        '<input type="submit" value="Subscribe"></form></div>',
        # a Ghost signup card
        '<div class="kg-card kg-signup-card"><div class="kg-signup-card-content"><div '
        'class="kg-signup-card-text"><h2>Field Notes, weekly</h2><p>One email every Sunday '
        'about what is flying.</p><form class="kg-signup-card-form"><input type="email">'
        "<button>Subscribe</button></form><p>No spam. Unsubscribe anytime.</p></div></div></div>",
    ],
)
def test_a_newsletter_sign_up_box_leaves_the_body(box: str) -> None:
    assert paragraphs(story_with(box)) == STORY


@pytest.mark.parametrize(
    "container",
    [
        # a subscriber-only story: its class names the article body and a subscription
        '<div class="article-body article-body--subscriber subscribe-content">',
        # a story about newsletters in a container named after them
        '<div class="NewsletterStory_body__q1">',
    ],
)
def test_a_story_container_named_after_newsletters_with_a_button_stays(container: str) -> None:
    """Guards: an article container that names a subscription or a newsletter, with a button
    ("Show full article", "Share") inside, is the story, not a box."""
    html = story_with('<button class="expand">Show full article</button>', container=container)
    assert paragraphs(html) == STORY


def test_a_box_holding_the_longest_paragraph_is_the_story() -> None:
    """A guard: a newsletter issue whose few paragraphs sit in a sign-up-named container with a
    form at its end."""
    html = story_with(
        "",
        container='<div class="newsletter-signup-issue"><form><input type="email"></form>',
    )
    assert paragraphs(html) == STORY


def test_the_controls_tagged_before_pruning_find_the_same_boxes() -> None:
    html = story_with(
        '<div class="NewsletterSignupModule"><div class="NewsletterSignupModule-title">The '
        'Daily Brief</div><input type="email"><button>Subscribe</button></div>'
    )
    looked_up, fresh = (lxml.html.fromstring(html) for _ in range(2))
    tagged = Tagged(looked_up)
    controls = [el for tag in ("form", "input", "button") for el in tagged.iter(tag)]
    assert drop_signups(looked_up, controls) == drop_signups(fresh) == 1
    assert lxml.etree.tostring(looked_up) == lxml.etree.tostring(fresh)
