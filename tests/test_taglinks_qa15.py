"""The tag list a page shows as topics (extractor.taglinks), QA round 15."""

from __future__ import annotations

import lxml.html

from newsarc.extractor.metadata import Metadata, extract_metadata

PARA = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 4 + "</p>"


def meta_of(body: str, head: str = "", url: str = "https://example.com/2024/story-1") -> Metadata:
    html = f"<html><head><title>A story</title>{head}</head><body>{body}</body></html>"
    return extract_metadata(lxml.html.document_fromstring(html), html, url)


def story(after: str = "", before: str = "", inside: str = "") -> str:
    return f"{before}<main><article><h1>A story</h1>{PARA * 3}{inside}</article>{after}</main>"


def test_links_to_tag_pages_after_the_article_are_its_topics() -> None:
    tags = (
        '<div class="article-topics">Themen: <a href="/thema/ukraine">Ukraine</a> · '
        '<a href="/thema/russland">Russland</a> · <a href="/thema/nato">Nato</a></div>'
    )
    assert meta_of(story(after=tags)).topics == ["Ukraine", "Russland", "Nato"]


def test_topic_pages_with_ids_in_hashed_markup() -> None:
    tags = "".join(
        f'<div><a class="sc-x1" href="/news/topics/c{i}x2y3">{t}</a></div>'
        for i, t in enumerate(["Inflation", "UK economy"])
    )
    assert meta_of(story(inside=f'<div class="sc-9f">{tags}</div>')).topics == [
        "Inflation",
        "UK economy",
    ]


def test_a_list_the_markup_calls_tags_counts_whatever_its_addresses() -> None:
    tags = (
        '<ul id="articleTags"><li class="tags__item">'
        '<a href="/rechtsgebiete/verwaltungsrecht">Verwaltungsrecht</a></li>'
        '<li class="tags__item"><a href="/recht/i/israel">Israel</a></li></ul>'
    )
    assert meta_of(story(inside=tags)).topics == ["Verwaltungsrecht", "Israel"]


def test_a_list_under_a_heading_that_calls_it_tags() -> None:
    tags = (
        '<div class="box"><div><h4>Mehr lesen über</h4></div><ul>'
        '<li><a href="/wirtschaft/energie/">Energie</a></li>'
        '<li><a href="/panorama/berlin/">Berlin</a></li></ul></div>'
    )
    assert meta_of(story(after=tags)).topics == ["Energie", "Berlin"]


def test_trending_bars_footer_clouds_and_menus_are_passed_over() -> None:
    trending = (
        '<div class="trending-bar"><span>Trending:</span> <a href="/topic/election">Election</a> '
        '<a href="/topic/weather">Weather</a></div>'
    )
    cloud = '<footer id="colophon"><div class="cloud">' + "".join(
        f'<a href="/tag/t{i}/">Topic {i}</a> ' for i in range(8)
    )
    menu = (
        '<header><nav><ul class="menu"><li><a href="/topics/climate/">Climate</a></li>'
        '<li><a href="/topics/ai/">AI</a></li></ul></nav></header>'
    )
    tags = '<p class="tags"><a href="/tag/storms/">Storms</a></p>'
    page = menu + story(before=trending, inside=tags) + cloud + "</div></footer>"
    assert meta_of(page).topics == ["Storms"]


def test_teasers_and_links_in_the_text_are_no_tag_list() -> None:
    cards = "".join(
        f'<div class="card"><a class="kicker" href="/topic/{t}/">{t}</a>'
        f'<h3><a href="/2024/story-{i}/">A headline about {t} number {i}</a></h3></div>'
        for i, t in enumerate(["ai", "apple", "security"])
    )
    text = (
        '<p>Thousands marched in <a href="/topic/paris">Paris</a> against the '
        '<a href="/topic/pension-reform">pension reform</a> on Saturday, as unions called '
        "for more strikes.</p>"
    )
    tags = '<ul class="tag-list"><li><a href="/topic/france/">France</a></li></ul>'
    page = story(inside=text + tags, after=f'<section class="related">{cards}</section>')
    assert meta_of(page).topics == ["France"]


def test_one_meta_tag_the_list_holds_gives_way_to_the_list() -> None:
    head = '<meta property="article:tag" content="Politik">'
    tags = "".join(
        f'<a class="tag" href="/tag/{i}-{t.lower()}">{t}</a>'
        for i, t in enumerate(["Politik", "Migration", "Polen"])
    )
    assert meta_of(story(inside=f"<div>{tags}</div>"), head).topics == [
        "Politik",
        "Migration",
        "Polen",
    ]


def test_the_list_against_the_keywords_meta() -> None:
    tags = (
        '<div class="tags"><a href="/tag/edmonton-oilers">Edmonton Oilers</a>'
        '<a href="/tag/nhl-playoffs">NHL playoffs</a></div>'
    )
    # SEO words that share none of its tags: the list
    seo = '<meta name="keywords" content="local news, latest headlines, courier online">'
    assert meta_of(story(inside=tags), seo).topics == ["Edmonton Oilers", "NHL playoffs"]
    # keywords that share a tag with it: the keywords, the longer editorial list
    shared = '<meta name="keywords" content="Edmonton Oilers, Connor McDavid, NHL playoffs">'
    assert meta_of(story(inside=tags), shared).topics == [
        "Edmonton Oilers",
        "Connor McDavid",
        "NHL playoffs",
    ]
    # editorial tags that the list does not hold whole: the editorial tags
    news = '<meta name="news_keywords" content="Hockey, Edmonton Oilers, Connor McDavid">'
    assert meta_of(story(inside=tags), news).topics == [
        "Hockey",
        "Edmonton Oilers",
        "Connor McDavid",
    ]


def test_the_lists_of_one_tag_block_are_read_together() -> None:
    block = (
        '<div class="row tags-blk"><div class="col"><h4>Topics</h4><ul class="story-tags">'
        '<li><a href="/tag/diplomacy">Diplomacy</a></li><li><a href="/tag/courts">Courts</a></li>'
        '</ul></div><div class="col"><h4>People in this story</h4><ul class="story-tags-people">'
        '<li><a href="/tag/joe-biden">Joe Biden</a></li></ul></div></div>'
    )
    assert meta_of(story(inside=block)).topics == ["Diplomacy", "Courts", "Joe Biden"]


def test_hashtags_and_list_labels() -> None:
    tags = (
        '<div class="article-tags"><a href="/tag/music/">#Music</a>'
        '<a href="/tag/festivals/">#Festivals</a><a href="/tags/">Alle Themen</a></div>'
    )
    assert meta_of(story(inside=tags)).topics == ["Music", "Festivals"]


def test_a_comment_first_in_the_list_is_no_label() -> None:
    """A tree parsed with its comments (the extractor's parser drops them; a library caller's
    may not): a comment before the links is neither a label nor an error."""
    import lxml.html

    from newsarc.extractor.taglinks import tag_links

    tree = lxml.html.document_fromstring(
        "<html><body><article><h1>Harbour ferries</h1><p>Story text.</p>"
        '<div class="tags"><!-- tags --><a href="/tag/ferries/">Ferries</a>'
        '<a href="/tag/harbour/">Harbour</a></div></article></body></html>'
    )
    assert tag_links(tree) == ["Ferries", "Harbour"]
