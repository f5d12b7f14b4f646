"""Metadata extraction rules, each on a small page of our own (fixtures/meta/ or inline)."""

from __future__ import annotations

from datetime import datetime, timezone

import lxml.html
import pytest

from newsarc.extractor import authors, dates, jsonld, language, titles
from newsarc.extractor.metadata import Metadata, collect_metas, extract_metadata
from tests.conftest import fixture_path

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=timezone.utc)


def meta_of(html: str, url: str = "https://example.com/2024/story-1") -> Metadata:
    tree = lxml.html.document_fromstring(html)
    return extract_metadata(tree, html, url)


def meta_of_fixture(name: str, url: str) -> Metadata:
    html = fixture_path(f"meta/{name}").read_text(encoding="utf-8")
    return meta_of(html, url)


# --- the whole record on fixture pages ------------------------------------------------------


def test_title_pattern_gives_headline_and_section() -> None:
    meta = meta_of_fixture("title-pattern.html", "https://example.com/2022/09/26/story-123")
    assert meta.headline == (
        "Russia news: Men fleeing to Georgia to avoid conscription in Ukraine war"
    )
    assert meta.section == "World"
    assert meta.authors == ["Jane Doe", "John Smith"]
    assert meta.language == "en"
    assert meta.site == "example.com"
    assert meta.canonical_url == "https://example.com/2022/09/26/russia-men-fleeing-georgia"
    assert meta.description == "Russian men are fleeing their homeland after a mobilisation order."


def test_jsonld_graph_with_references_and_a_broken_block() -> None:
    meta = meta_of_fixture("graph.html", "https://gazette.example/stadt/tram/")
    assert meta.headline == "Council approves new tram line"
    # the article's own date wins over a related item's; the offset is kept
    assert meta.published == "2024-08-08T10:15:00-04:00"
    assert meta.authors == ["Anna Müller", "Bernd Schulz"]  # {"@id"} references followed
    assert meta.section == "Stadt"  # BreadcrumbList: the last crumb before the article
    assert meta.site == "Example Gazette"
    assert meta.language == "de"
    assert meta.topics == ["Trams", "City council"]


def test_breadcrumb_markup_authors_meta_and_time_element() -> None:
    meta = meta_of_fixture("breadcrumb-markup.html", "https://journal.example/a/123")
    assert meta.section == "Bourgogne"
    assert meta.authors == ["Claire Martin", "Pierre Durand", "Luc Petit"]
    assert meta.headline == "La saison des vendanges commence tôt"
    # meta "date" gives the day, the <time> in the article the same day with a time
    assert meta.published == "2024-09-02T07:30:00+02:00"
    assert meta.language == "fr"


def test_date_in_a_script_is_never_the_publication_date() -> None:
    meta = meta_of_fixture("script-date.html", "https://library.example/hours")
    assert meta.published is None


def test_language_from_text_when_the_page_declares_none() -> None:
    meta = meta_of_fixture("no-lang.html", "https://example.de/a/1")
    assert meta.language == "de"


def test_metadata_leaves_the_tree_untouched() -> None:
    html = fixture_path("meta/title-pattern.html").read_text(encoding="utf-8")
    tree = lxml.html.document_fromstring(html)
    before = lxml.html.tostring(tree)
    extract_metadata(tree, html, "https://example.com/2022/09/26/story-123")
    assert lxml.html.tostring(tree) == before


def test_empty_page_gives_an_empty_record() -> None:
    meta = meta_of("<html><body><p>x</p></body></html>", "https://www.example.org/x")
    assert meta.headline is None and meta.published is None and meta.authors == []
    assert meta.site == "example.org"  # the host without www


# --- headline --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "headline", "sections"),
    [
        ("Storm hits coast | Weather | The Daily Example", "Storm hits coast", ["Weather"]),
        ("Storm hits coast - The Daily Example", "Storm hits coast", []),
        ("Storm hits coast – dailyexample.com", "Storm hits coast", []),
        ("Storm hits coast :: The Daily Example", "Storm hits coast", []),
        ("Storm hits coast | Weather | DE | 28.04.2023", "Storm hits coast", ["Weather"]),
        # a dash inside the headline stays when nothing after it names the site
        ("Rain at last - and more to come", "Rain at last - and more to come", []),
        ("Russia news: Men flee | World | News", "Russia news: Men flee", ["World"]),
    ],
)
def test_split_title(title: str, headline: str, sections: list[str]) -> None:
    site_keys = {titles.key("The Daily Example"), "dailyexample", "de"}
    result = titles.split_title(title, site_keys)
    assert result.headline == headline
    assert result.sections == sections


def test_headline_prefers_the_h1_that_agrees_with_the_titles() -> None:
    html = """<html><head><title>Dam breaks after rain | Example Post</title>
    <meta property="og:title" content="Dam breaks after rain"></head><body>
    <h1>Example Post</h1><article><h1>Dam breaks after rain</h1></article></body></html>"""
    assert meta_of(html, "https://examplepost.com/a/1").headline == "Dam breaks after rain"


def test_h1_kicker_span_is_not_part_of_the_headline() -> None:
    html = """<html><head><meta property="og:title" content="Prices fall again"></head><body>
    <h1><span class="article-kicker">Energy</span> <span>Prices fall again</span></h1>
    </body></html>"""
    assert meta_of(html).headline == "Prices fall again"


def test_a_kicker_glued_to_the_heading_takes_the_separator_the_titles_write() -> None:
    # Two <span>s with no space between them: the heading reads '"Soon"The council ...';
    # JSON-LD and <title> write the same words as '"Soon": The council ...' (which a crumb
    # <h1> in the navigation copies, so they count half), og:title leaves the kicker out. The
    # heading is one more vote for the titles' spelling, never a glued word.
    html = """<html><head><title>"Soon": The council votes on the harbour - Town Times</title>
    <meta property="og:title" content="The council votes on the harbour">
    <script type="application/ld+json">{"@type": "NewsArticle",
      "headline": "\\"Soon\\": The council votes on the harbour"}</script></head><body>
    <nav><h1>"Soon": The council votes on the harbour</h1></nav>
    <article><h2><span class="red">"Soon"</span><span class="xxl">The council votes on the
    harbour</span></h2><p>The vote is on Monday.</p></article></body></html>"""
    headline = meta_of(html, "https://towntimes.example/a").headline
    assert headline == '"Soon": The council votes on the harbour'


def test_headline_vote_is_won_by_the_text_most_elements_share() -> None:
    html = """<html><head><title>Mayor resigns over budget - Town Times</title>
    <meta property="og:title" content="Why the mayor quit">
    <script type="application/ld+json">{"@type": "NewsArticle",
      "headline": "Mayor resigns over budget"}</script></head>
    <body><h1>Mayor resigns over budget</h1></body></html>"""
    assert meta_of(html, "https://towntimes.example/a").headline == "Mayor resigns over budget"


def test_h1_crumb_gives_way_to_the_displayed_article_heading() -> None:
    # The only <h1> is the breadcrumb's SEO title, which <title> and JSON-LD copy; the reader
    # sees the article's <h2> (its kicker left out), which og:title confirms.
    meta = meta_of_fixture("crumb-h1.html", "https://coastcourier.example/region/ferry-1")
    assert meta.headline == "Night crossings return to the harbour"


def test_h1_inside_nav_is_navigation_not_the_headline() -> None:
    html = """<html><head><title>Bridge closed: repairs - Town Times</title>
    <meta property="og:title" content="Bridge closed: repairs">
    <script type="application/ld+json">{"@type": "NewsArticle",
      "headline": "Old bridge closes for three months of repairs"}</script></head><body>
    <nav><ul><li><a href="/">Home</a></li><li><h1>Bridge closed: repairs</h1></li></ul></nav>
    <article><h2>Old bridge closes for three months of repairs</h2>
    <p>Cars will be diverted over the ring road from Monday.</p></article></body></html>"""
    assert meta_of(html, "https://towntimes.example/a").headline == (
        "Old bridge closes for three months of repairs"
    )


def test_crumb_h1_agreed_by_every_title_beats_a_section_label_h2() -> None:
    meta = meta_of_fixture("nav-h1-all-agree.html", "https://valleypost.example/local/repair")
    assert meta.headline == "Library opens a repair café on Saturdays"


@pytest.mark.parametrize(
    ("title", "headline", "sections"),
    [
        # a bar needs no spaces; nor does an underscore beside a letter of a script without them
        ("Storm hits coast|The Daily Example", "Storm hits coast", []),
        ("東京で大雪、交通に乱れ｜例示新聞", "東京で大雪、交通に乱れ", []),
        ("国务院出台新措施_例子新闻网", "国务院出台新措施", []),
        ("Python's snake_case names | The Daily Example", "Python's snake_case names", []),
        # the site's name first, then a label (a section or a topic: not taken as the section)
        ("The Daily Example | Weather | Storm hits coast", "Storm hits coast", []),
    ],
)
def test_split_title_more_forms(title: str, headline: str, sections: list[str]) -> None:
    site_keys = {titles.key(x) for x in ("The Daily Example", "例示新聞", "例子新闻网")}
    result = titles.split_title(title, site_keys)
    assert result.headline == headline
    assert result.sections == sections


def test_a_badge_the_titles_write_before_the_headline_is_no_part_of_it() -> None:
    html = """<html><head><title>LIVE: Votes counted overnight | Town Times</title>
    <meta property="og:title" content="LIVE: Votes counted overnight"></head><body>
    <h1><span class="live-badge">Live</span> Votes counted overnight</h1></body></html>"""
    assert meta_of(html, "https://towntimes.example/a").headline == "Votes counted overnight"


def test_a_label_run_into_the_heading_gives_way_to_the_titles_text() -> None:
    html = """<html><head><title>Why the bank blinked first | Town Times</title></head><body>
    <h1><span class="article-type">Analysis</span>Why the bank blinked first</h1></body></html>"""
    assert meta_of(html, "https://towntimes.example/a").headline == "Why the bank blinked first"


def test_a_line_break_in_the_heading_is_a_space() -> None:
    html = """<html><head><title>Harbour wall: why it failed | Town Times</title></head><body>
    <h1>Why the harbour wall failed,<br>and what comes next</h1></body></html>"""
    assert meta_of(html, "https://towntimes.example/a").headline == (
        "Why the harbour wall failed, and what comes next"
    )


def test_a_heading_written_in_capitals_takes_the_titles_case() -> None:
    html = """<html><head><title>Storm chaos: Thousands without power | Town Times</title>
    <meta property="og:title" content="Storm chaos: Thousands without power"></head><body>
    <h1>STORM CHAOS: THOUSANDS WITHOUT POWER</h1></body></html>"""
    assert meta_of(html, "https://towntimes.example/a").headline == (
        "Storm chaos: Thousands without power"
    )


@pytest.mark.parametrize("cut", ["{}...", "{}"])
def test_a_truncated_jsonld_headline_votes_for_the_whole_one(cut: str) -> None:
    whole = (
        "Scientists find that the deep ocean floor beneath Antarctica is warming far faster "
        "than any model had predicted, study finds"
    )
    html = f"""<html><head><title>Antarctic floor warming fast | Town Times</title>
    <script type="application/ld+json">{{"@type": "NewsArticle",
      "headline": "{cut.format(whole[:107])}"}}</script></head><body>
    <h1>{whole}</h1></body></html>"""
    assert meta_of(html, "https://towntimes.example/a").headline == whole


def test_a_long_headline_is_not_taken_for_a_cut_of_itself_with_the_site_name() -> None:
    whole = (
        "Scientists find that the deep ocean floor beneath Antarctica is warming far faster "
        "than any model had predicted"
    )
    html = f"""<html><head><title>{whole} — Polar Wire Service</title>
    <meta property="og:title" content="{whole}"></head><body><p>x</p></body></html>"""
    assert meta_of(html, "https://towntimes.example/a").headline == whole


def test_a_section_before_the_headline_in_the_titles_is_left_out() -> None:
    html = """<html><head><title>Politics | Minister quits over expenses | Town Times</title>
    <meta property="og:title" content="Politics | Minister quits over expenses"></head><body>
    <h1>Minister quits over expenses</h1></body></html>"""
    assert meta_of(html, "https://towntimes.example/a").headline == "Minister quits over expenses"


# --- section ---------------------------------------------------------------------------------


def test_section_trust_order_jsonld_then_meta_then_url() -> None:
    head = '<meta property="article:section" content="Sport">'
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","articleSection":"Cycling"}'
    ld += "</script>"
    url = "https://example.com/politik/2024/05/story"
    assert meta_of(f"<html><head>{head}{ld}</head></html>", url).section == "Cycling"
    assert meta_of(f"<html><head>{head}</head></html>", url).section == "Sport"
    assert meta_of("<html><head></head></html>", url).section == "Politik"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/news/2024/story",
        "https://example.com/en/story-about-things",
        "https://example.com/2024/05/01/story",
        "https://example.com/12345/story",
        "https://example.com/story-only",
    ],
)
def test_url_segments_that_are_not_sections(url: str) -> None:
    assert meta_of("<html><head></head></html>", url).section is None


@pytest.mark.parametrize(
    "declared",
    [
        "Uncategorized",  # WordPress's default category, and its translations
        "Uncategorised",
        "Allgemein",
        "Non classé",
        "Sin categoría",
        "Senza categoria",
        "Sem categoria",
        "Ongecategoriseerd",
        "Okategoriserade",
        "Без рубрики",
        "未分類",
        "post",  # a CMS's content type, not a section
        "All",
        "記事",  # "article"
        "ニュース",  # "news"
    ],
)
def test_a_label_that_names_no_section_gives_way(declared: str) -> None:
    head = f'<meta property="article:section" content="{declared}">'
    url = "https://example.com/politik/2024/05/story"
    assert meta_of(f"<html><head>{head}</head></html>", url).section == "Politik"


@pytest.mark.parametrize(
    ("declared", "section"),
    [
        ("Global,Innovation", "Global"),  # a list written without spaces: its first
        ("Sport,Football", "Sport"),
        ("Arts, Culture", "Arts, Culture"),  # short, spaced: may be one name
    ],
)
def test_a_list_of_sections_gives_its_first(declared: str, section: str) -> None:
    head = f'<meta property="article:section" content="{declared}">'
    assert meta_of(f"<html><head>{head}</head></html>").section == section


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024-08-08T10:15:00-04:00", "2024-08-08T10:15:00-04:00"),
        ("2024-08-08T14:15:00.123Z", "2024-08-08T14:15:00+00:00"),
        ("2024-08-08T10:15:00+0200", "2024-08-08T10:15:00+02:00"),
        ("2024-08-08 10:15", "2024-08-08T10:15:00"),
        ("2024-08-08", "2024-08-08"),
        ("Fri Apr 28 19:20:36 CEST 2023", "2023-04-28T19:20:36+02:00"),
        ("Thu, 08 Aug 2024 10:15:00 GMT", "2024-08-08T10:15:00+00:00"),
        ("28.04.2023", "2023-04-28"),
        ("1715279080", "2024-05-09T18:24:40+00:00"),
    ],
)
def test_parse_date_forms(text: str, iso: str) -> None:
    when = dates.parse_date(text)
    assert when is not None and when.iso() == iso


@pytest.mark.parametrize("text", ["", "yesterday", "PT5M", "3 Minuten", "v1.2.3"])
def test_parse_date_rejects_non_dates(text: str) -> None:
    assert dates.parse_date(text) is None


def test_future_date_is_rejected() -> None:
    html = """<html><head>
    <meta property="article:published_time" content="2099-05-01T10:00:00+00:00">
    <meta name="date" content="2024-05-01T09:30:00+02:00"></head><body></body></html>"""
    tree = lxml.html.document_fromstring(html)
    found = dates.best_published([], collect_metas(tree), tree, "https://example.com/a", now=NOW)
    assert found == "2024-05-01T09:30:00+02:00"


def test_tomorrow_is_still_plausible_but_next_week_is_not() -> None:
    tomorrow = dates.When(datetime(2025, 1, 2, 6, 0, tzinfo=timezone.utc), True)
    next_week = dates.When(datetime(2025, 1, 8, 6, 0, tzinfo=timezone.utc), True)
    assert dates.plausible(tomorrow, NOW)
    assert not dates.plausible(next_week, NOW)


def test_day_only_value_is_completed_by_a_time_on_the_same_day() -> None:
    html = """<html><head><meta name="date" content="2024-05-01">
    <meta name="dc.date" content="2024-05-01T08:05:00+02:00"></head></html>"""
    tree = lxml.html.document_fromstring(html)
    metas = collect_metas(tree)
    assert dates.best_published([], metas, tree, "https://x.example/a", now=NOW) == (
        "2024-05-01T08:05:00+02:00"
    )


def test_naive_time_takes_the_offset_of_the_same_wall_clock_time() -> None:
    html = """<html><head><meta property="article:published_time" content="2024-05-01T08:05">
    <meta name="dc.date" content="2024-05-01T08:05:00+02:00"></head></html>"""
    tree = lxml.html.document_fromstring(html)
    found = dates.best_published([], collect_metas(tree), tree, "https://x.example/a", now=NOW)
    assert found == "2024-05-01T08:05:00+02:00"


def test_jsonld_date_comes_before_meta_tags() -> None:
    html = """<html><head><meta name="date" content="2024-04-26">
    <script type="application/ld+json">{"@type":"NewsArticle",
      "datePublished":"2024-04-25T19:30:04+02:00"}</script></head></html>"""
    assert meta_of(html).published == "2024-04-25T19:30:04+02:00"


@pytest.mark.parametrize(
    ("path", "published"),
    [
        ("/news/20240307/bus-overhaul", "2024-03-07"),
        ("/news/20240307-bus-overhaul.html", "2024-03-07"),
        ("/story/120240307/", None),  # nine digits: an id
        ("/news/20230231/x", None),  # no such day
        ("/news/20991231/x", None),  # not yet
    ],
)
def test_a_day_in_the_address_as_eight_digits_when_the_page_has_none(
    path: str, published: str | None
) -> None:
    html = "<html><body><article><h1>Buses</h1><p>The council met.</p></article></body></html>"
    assert meta_of(html, url=f"https://example.com{path}").published == published


def test_date_from_title_when_nothing_structured() -> None:
    html = "<html><head><title>Storm hits coast | News | 28.04.2023</title></head></html>"
    assert meta_of(html).published == "2023-04-28"


# Four sentences of running text, long enough to be the story's text and not its dateline.
STORY = "".join(
    f"<p>The council voted on the harbour budget after a long debate, part {n}, and residents"
    " who attended the meeting were divided over the plan for the sea wall repairs.</p>"
    for n in range(4)
)


def story_page(byline: str, before: str = "", after: str = "", lang: str = "en") -> str:
    """A page with a headline, ``byline`` under it and the story, nothing declared in markup."""
    return (
        f'<html lang="{lang}"><head><title>Council approves budget</title></head><body>'
        f'{before}<div class="story"><h1>Council approves budget</h1>{byline}{STORY}{after}'
        "</div></body></html>"
    )


def test_article_cards_above_the_headline_are_other_stories() -> None:
    # a "Top stories" strip of <article> cards before the headline: their times are theirs
    cards = "".join(
        f'<article class="card"><a href="/n{d}">Story {d}</a>'
        f'<time datetime="2024-03-0{d}T10:00:00+00:00">{d} March</time></article>'
        for d in (3, 4)
    )
    byline = '<p>By Jane Morrow, <time datetime="2024-03-05T14:30:00+00:00">5 March</time></p>'
    assert meta_of(story_page(byline, before=cards)).published == "2024-03-05T14:30:00+00:00"


def test_a_comment_time_in_the_article_is_not_its_date() -> None:
    comments = (
        '<section class="comments"><div class="comment"><b>harbourdad</b>'
        '<time datetime="2024-03-07T21:14:00+00:00">7 March 2024</time></div></section>'
    )
    html = story_page("<p>By Jane Morrow | March 5, 2024</p>", after=comments)
    html = html.replace('<div class="story">', '<article class="story">').replace(
        "</div></body>", "</article></body>"
    )
    assert meta_of(html).published == "2024-03-05"


def test_a_time_the_text_mentions_is_not_the_date() -> None:
    mention = (
        '<p>The final vote on the harbour budget is scheduled for <time datetime="2024-03-12">'
        "12 March</time>, after a second reading of the plan in the committee.</p>"
    )
    html = story_page("<p>By Jane Morrow | 5 March 2024</p>" + mention)
    assert meta_of(html.replace("div", "article")).published == "2024-03-05"


def test_microdata_date_published_on_any_element() -> None:
    byline = (
        '<p>By Jane Morrow, <span itemprop="datePublished" content="2024-03-05T14:30:00+01:00">'
        "5 March 2024</span></p>"
    )
    assert meta_of(story_page(byline)).published == "2024-03-05T14:30:00+01:00"


@pytest.mark.parametrize(
    "other",
    [
        '<aside class="related"><a href="/f">Ferry fares frozen</a> 12 February 2024</aside>',
        '<section class="related-stories"><ul><li><a href="/f">Ferry fares frozen</a>'
        '<span class="teaser-date">12 February 2024</span></li></ul></section>',
        '<section class="comments"><div class="comment"><p class="comment-meta">harbourdad'
        " · 7 March 2024 at 21:14</p><p>About time.</p></div></section>",
    ],
)
def test_a_teasers_or_comments_date_is_never_the_article_date(other: str) -> None:
    assert meta_of(story_page("<p>By Jane Morrow</p>", after=other)).published is None


@pytest.mark.parametrize(
    ("dateline", "lang", "published"),
    [
        ("Published 5 March 2024, 14:30 GMT", "en", "2024-03-05T14:30:00+00:00"),
        ("Tue 5 Mar 2024 14.30 GMT", "en", "2024-03-05T14:30:00+00:00"),
        ("Veröffentlicht: 05.03.2024, 14:30 Uhr", "de", "2024-03-05T14:30:00"),
        ("Publié le 5 mars 2024 à 14h30", "fr", "2024-03-05T14:30:00"),
        ("Madrid, 5 de marzo de 2024", "es", "2024-03-05"),
        ("March 5, 2024 2:30 p.m. ET", "en", "2024-03-05T14:30:00-05:00"),  # EST in March
        ("July 5, 2024 2:30 p.m. ET", "en", "2024-07-05T14:30:00-04:00"),  # EDT in July
        ("Published 9:41 AM EDT, Tue October 8, 2024", "en", "2024-10-08T09:41:00-04:00"),
        ("2024年3月5日 14時30分", "ja", "2024-03-05T14:30:00"),
        ("By Jane Morrow · 03/05/2024", "en-US", "2024-03-05"),  # month first
        ("By Jane Morrow · 05/03/2024", "en-GB", "2024-03-05"),  # day first
        # the update is not the publication
        (
            "Updated 6 March 2024, 09:12 GMT · First published 5 March 2024, 14:30 GMT",
            "en",
            "2024-03-05T14:30:00+00:00",
        ),
    ],
)
def test_the_dateline_under_the_headline(dateline: str, lang: str, published: str | None) -> None:
    html = story_page(f'<p class="date">{dateline}</p>', lang=lang)
    assert meta_of(html).published == published


def test_a_bare_date_under_the_headline_needs_something_to_vouch_for_it() -> None:
    # a standfirst's mention: no time, no label, no date class, no byline
    standfirst = '<p class="standfirst">Vote set for 12 April 2024</p><p>By Jane Morrow</p>'
    assert meta_of(story_page(standfirst)).published is None
    assert meta_of(story_page("<p>By Jane Morrow, 5 March 2024</p>")).published == "2024-03-05"


def test_the_dateline_is_read_under_the_headline_not_a_masthead_logo() -> None:
    masthead = (
        '<header><h1 class="logo">Herald</h1><div class="ticker">Breaking: 4 March 2024'
        " rail strike</div></header>"
    )
    html = story_page("<p>By Jane Morrow, 5 March 2024</p>", before=masthead)
    assert meta_of(html).published == "2024-03-05"


def test_a_date_below_the_dateline_zone_is_one_the_story_mentions() -> None:
    later = "<p>The festival runs on 12 April 2024 with boat races.</p>"
    assert meta_of(story_page("<p>By Jane Morrow</p>", after=later)).published is None


# --- authors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("By Jane Doe and John Smith", ["Jane Doe", "John Smith"]),
        ("Anna Weber, Ben Koch & Cem Yilmaz", ["Anna Weber", "Ben Koch", "Cem Yilmaz"]),
        ("Von Felix Schröder und Jörg Soldwisch, dpa", ["Felix Schröder", "Jörg Soldwisch", "dpa"]),
        ("Par Claire Martin", ["Claire Martin"]),
        ("Mathias Hagen / Journalist", ["Mathias Hagen"]),
        ("Kate Brown | Reporter", ["Kate Brown"]),
        ("Elena Oberholzer (obe)", ["Elena Oberholzer"]),
        ("d.kuckelkorn@example.de", []),
        ("https://www.facebook.com/examplepaper", []),
        ("Sam Lee, Updated 10:42 2024-05-01", ["Sam Lee"]),
        ("Anna Berg · May 14, 2024 6:30 PM EDT", ["Anna Berg"]),
        ("Anna Berg • Tue 14 May 2024", ["Anna Berg"]),
        ("Anna Berg on Sept. 3, 2024", ["Anna Berg"]),
        ("Von Lena Koch, am 14. Mai 2024", ["Lena Koch"]),
        ("Par Claire Martin, il y a 3 heures", ["Claire Martin"]),
        ("Anna Berg | 2 hours ago", ["Anna Berg"]),
        ("Kate Brown - Staff Writer", ["Kate Brown"]),
        ("Theresa May and April Ryan", ["Theresa May", "April Ryan"]),
        (
            "Trine Jørgensen og Tôrtia Reimer-Johansen",
            ["Trine Jørgensen", "Tôrtia Reimer-Johansen"],
        ),
        # CMS templates' "published/posted/written by", and the "on"/"le" before a date
        ("Submitted by Marcus Oyelaran on 08/14/2025 - 09:05", ["Marcus Oyelaran"]),
        ("Publié par Hélène Le Goff le 03/05/2025 à 18h12", ["Hélène Le Goff"]),
        ("Posted by Sam Reid on March 9, 2025", ["Sam Reid"]),
        ("Published by Ana Silva", ["Ana Silva"]),
        ("Écrit par Luc Morel", ["Luc Morel"]),
        ("Geschrieben von Jana Ott", ["Jana Ott"]),
        ("Publicado por María López", ["María López"]),
        ("Pubblicato da Marco Bruni", ["Marco Bruni"]),
        ("di Giulia Conti", ["Giulia Conti"]),
        ("Di Giulia Conti", ["Giulia Conti"]),
        ("Di Stefano", ["Di Stefano"]),
        ("Luigi Di Maio", ["Luigi Di Maio"]),
        ("DI MAIO", ["DI MAIO"]),
        ("Geschreven door Pieter de Vries", ["Pieter de Vries"]),
        ("Skrevet av Ola Nordmann", ["Ola Nordmann"]),
        ("Published by Ana Berg, published yesterday", ["Ana Berg"]),
        ("Par Dan Le le 12/07/2026", ["Dan Le"]),  # "le" is cut only in front of a date
        # a CMS's own accounts are nobody's name
        ("admin", []),
        ("By Administrator", []),
        ("webmaster, Kim Lee", ["Kim Lee"]),
        ("By", []),
        # agencies joined by a slash are two authors; other slashes are left alone
        ("Von dpa/AFP", ["dpa", "AFP"]),
        ("AFP/Getty Images", ["AFP/Getty Images"]),
        # a place introduced by "in", "à", "aus"... ends the name before it
        ("By JANE DOE in Kyiv", ["JANE DOE"]),
        ("Par Jean Dupont, à Paris", ["Jean Dupont"]),
        ("Von Max Muster aus Berlin", ["Max Muster"]),
        ("Sophie in 't Veld", ["Sophie in 't Veld"]),  # "in" of a name, before a lower-case word
        ("Letter from America", ["Letter from America"]),  # one word before: no name to end
        # a title or a desk's signature is no name to end: its words before the "in"/"at"
        # start with an article, or are not all written as a name
        ("The Editors at Northfield Review", ["The Editors at Northfield Review"]),
        ("The Week in Review", ["The Week in Review"]),
        ("Our Correspondent in Washington", ["Our Correspondent in Washington"]),
        ("Das Team aus Berlin", ["Das Team aus Berlin"]),
        ("Staff at The Harbor Times", ["Staff at The Harbor Times"]),
        (
            "Center for Strategic Studies at Lindholm University",
            ["Center for Strategic Studies at Lindholm University"],
        ),
        # a role alone before the place goes with it, and the role is no name
        ("Jane Doe, Correspondent in Washington", ["Jane Doe"]),
        ("Jean Dupont, envoyé spécial à Kiev", ["Jean Dupont"]),
        # "with" between two signatures, and the reporting a second one contributed
        ("By Jane Doe with John Roe", ["Jane Doe", "John Roe"]),
        ("Jane Doe, with reporting by John Roe", ["Jane Doe", "John Roe"]),
        ("By Jane Doe with additional reporting from John Roe", ["Jane Doe", "John Roe"]),
        ("Par Le Figaro avec AFP", ["Le Figaro", "AFP"]),
        ("Von Anna Schmidt mit dpa", ["Anna Schmidt", "dpa"]),
        ("Por Ana López con EFE", ["Ana López", "EFE"]),
        ("Door Jan Jansen met ANP", ["Jan Jansen", "ANP"]),
        ("Av Kari Nordmann med NTB", ["Kari Nordmann", "NTB"]),
        ("Con O'Neill", ["Con O'Neill"]),  # a name, not "with"
        ("Mit Romney", ["Mit Romney"]),
        # after a person's name and a comma (a bar, a dash): a place, a description or a
        # credential is no second author; a suffix ends the name
        ("By Jane Doe, New York", ["Jane Doe"]),
        ("By Jane Doe and John Roe, Washington", ["Jane Doe", "John Roe"]),
        ("By Jane Doe | Mexico City", ["Jane Doe"]),
        ("Jane Doe, Professor of History at Lindholm University", ["Jane Doe"]),
        ("Jane Doe, MD", ["Jane Doe"]),
        ("Jane Doe, Special to the Northfield Review", ["Jane Doe"]),
        ("Martin Luther King, Jr.", ["Martin Luther King Jr."]),
        ("Jane Doe, AFP", ["Jane Doe", "AFP"]),
        ("Jane Doe, Reuters, San Francisco", ["Jane Doe", "Reuters"]),
        ("Av Ola Nordmann i Oslo", ["Ola Nordmann"]),  # "i": "in" here, "and" in Polish
        ("Jan Kowalski i Anna Nowak", ["Jan Kowalski", "Anna Nowak"]),
        # a date with an ordinal day ends the byline
        (
            "By Ann Lee, Kim Roe on Monday, November 18th, 2019 at 11:08 a.m.",
            ["Ann Lee", "Kim Roe"],
        ),
        # a second name is kept, and a one-word name after "and"
        ("Jane Doe, John Roe", ["Jane Doe", "John Roe"]),
        ("By Jane Doe and Kim", ["Jane Doe", "Kim"]),
        ("Von Anna Berg und von Kim", ["Anna Berg", "Kim"]),
    ],
)
def test_split_names(raw: str, names: list[str]) -> None:
    assert authors.split_names(raw) == names


def test_placeholder_accounts_give_no_author_anywhere() -> None:
    """An aggregator on WordPress signs with its "admin" account in JSON-LD, the meta author
    and the theme's byline: none of them is an author, and "By" in its own element is none."""
    meta = meta_of_fixture("bylines/cms-admin.html", "https://marketwire.example/2025/06/02/grain")
    assert meta.authors == []


def test_dedupe_ignores_case_and_accents() -> None:
    assert authors.dedupe(["José Díaz", "jose diaz", "JOSÉ DÍAZ", "Ana Ruiz"]) == [
        "José Díaz",
        "Ana Ruiz",
    ]


def test_jsonld_authors_people_organisations_and_nesting() -> None:
    article = {
        "@type": "NewsArticle",
        "author": [
            {"@type": "Person", "name": "Ada Lovelace"},
            {"@type": "Person", "givenName": "Alan", "familyName": "Turing"},
            "Grace Hopper",
            {"@type": "Organization", "name": "Reuters"},
            {"@id": "#p1"},
        ],
    }
    by_id = {"#p1": {"@id": "#p1", "@type": "Person", "name": "Edsger Dijkstra"}}
    assert authors.from_jsonld(article, by_id) == [
        "Ada Lovelace",
        "Alan Turing",
        "Grace Hopper",
        "Reuters",
        "Edsger Dijkstra",
    ]


def test_jsonld_organisation_keeps_its_whole_name() -> None:
    """A place is cut after a person's name, not out of an organisation's ("... at Six")."""
    article = {
        "@type": "NewsArticle",
        "author": [
            {"@type": "Organization", "name": "Evening News at Six"},
            {"@type": "Person", "name": "Jane Doe in Kyiv"},
        ],
    }
    assert authors.from_jsonld(article, {}) == ["Evening News at Six", "Jane Doe"]


def test_article_author_url_is_not_a_name() -> None:
    html = """<html><head>
    <meta property="article:author" content="https://www.facebook.com/paper">
    <meta name="author" content="Lena Park"></head></html>"""
    assert meta_of(html).authors == ["Lena Park"]


@pytest.mark.parametrize(
    ("metas", "site"),
    [
        ('<meta property="og:site_name" content="@towntimes">', "towntimes.example"),
        (
            '<meta property="og:site_name" content="@towntimes">'
            '<meta name="application-name" content="Town Times">',
            "Town Times",
        ),
        ('<meta property="og:site_name" content="@ Town Times">', "@ Town Times"),
    ],
)
def test_a_handle_is_not_the_site_name(metas: str, site: str) -> None:
    """``og:site_name`` set to the paper's social-media account ("@towntimes") gives way to
    the next name, or the host; a name that merely starts with "@" is kept."""
    html = f"<html><head>{metas}</head><body><p>Text</p></body></html>"
    assert meta_of(html, "https://www.towntimes.example/a/1").site == site


@pytest.mark.parametrize(
    ("metas", "site"),
    [
        # a CMS's machine name for the site, a label of the host in lower case
        ('<meta property="og:site_name" content="towntimes">', "towntimes.example"),
        (
            '<meta property="og:site_name" content="towntimes">'
            '<script type="application/ld+json">{"@type":"NewsArticle","publisher":'
            '{"@type":"Organization","name":"Town Times"}}</script>',
            "Town Times",
        ),
        # a name written otherwise, or not the host's, is the site's
        ('<meta property="og:site_name" content="TownTimes">', "TownTimes"),
        ('<meta property="og:site_name" content="towntimes.example">', "towntimes.example"),
        ('<meta property="og:site_name" content="harbor">', "harbor"),
    ],
)
def test_a_machine_name_is_not_the_site_name(metas: str, site: str) -> None:
    html = f"<html><head>{metas}</head><body><p>Text</p></body></html>"
    assert meta_of(html, "https://www.towntimes.example/a/1").site == site


def test_brand_author_gives_way_to_a_byline() -> None:
    html = """<html><head><meta property="og:site_name" content="Town Times">
    <script type="application/ld+json">{"@type":"NewsArticle","headline":"Fair opens",
      "author":{"@type":"Organization","name":"Town Times"}}</script></head>
    <body><article><h1>Fair opens</h1><p class="byline">By Omar Haddad</p></article>
    </body></html>"""
    assert meta_of(html, "https://towntimes.example/a/1").authors == ["Omar Haddad"]


def test_brand_confirmed_by_two_sources_stays_the_author() -> None:
    html = """<html><head><meta property="og:site_name" content="Town Times">
    <meta name="author" content="Town Times">
    <script type="application/ld+json">{"@type":"NewsArticle","headline":"Fair opens",
      "author":{"@type":"Organization","name":"Town Times"}}</script></head>
    <body><article><h1>Fair opens</h1><p class="byline">By Omar Haddad</p></article>
    </body></html>"""
    assert meta_of(html, "https://towntimes.example/a/1").authors == ["Town Times"]


def test_agency_alone_is_kept() -> None:
    html = '<html><head><meta name="author" content="dpa"></head></html>'
    assert meta_of(html).authors == ["dpa"]


# --- JSON-LD ---------------------------------------------------------------------------------


def ld_items(*blocks: str) -> list[jsonld.JsonDict]:
    scripts = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    return jsonld.parse_blocks(
        lxml.html.document_fromstring(f"<html><head>{scripts}</head></html>")
    )


def test_jsonld_tolerates_broken_blocks() -> None:
    items = ld_items(
        '{"@type": "NewsArticle", "headline": "Trailing comma",}',
        '//<![CDATA[\n{"@type": "Person", "name": "In CDATA"}\n//]]>',
        '{"@type": "Person", "name": "Raw\nnewline"}',
        "not json at all {",
        '[{"@type": "Organization", "name": "A"}, {"@type": "Organization", "name": "B"}]',
    )
    names = [jsonld.text_of(i.get("headline") or i.get("name")) for i in items]
    assert names == ["Trailing comma", "In CDATA", "Raw newline", "A", "B"]


def test_jsonld_html_entities_are_decoded() -> None:
    items = ld_items('{"@type": "NewsArticle", "headline": "K&uuml;hlt&uuml;rme &amp; more"}')
    assert jsonld.text_of(items[0]["headline"]) == "Kühltürme & more"


def test_live_blog_updates_do_not_replace_the_article() -> None:
    items = ld_items(
        """{"@type": "LiveBlogPosting", "headline": "Storm live", "url": "https://x.example/live",
        "datePublished": "2024-08-04T13:23:00Z", "liveBlogUpdate": [
          {"@type": "BlogPosting", "headline": "Update", "url": "https://x.example/live#1",
           "datePublished": "2024-08-05T21:00:00Z", "articleBody": "..."}]}"""
    )
    article = jsonld.pick_article(items, ["https://x.example/live"])
    assert article is not None and article["headline"] == "Storm live"


def test_the_article_about_this_address_wins() -> None:
    items = ld_items(
        '{"@type": "NewsArticle", "headline": "Other", "url": "https://x.example/other"}',
        '{"@type": "NewsArticle", "headline": "Mine", "url": "https://x.example/mine"}',
    )
    article = jsonld.pick_article(items, ["https://x.example/mine?utm_source=feed"])
    assert article is not None and article["headline"] == "Mine"


def test_an_item_lists_articles_are_other_stories() -> None:
    # a "More news" carousel: its entries are not this page's article, unless one is
    carousel = """{"@type": "ItemList", "itemListElement": [
        {"@type": "ListItem", "position": 1, "item": {"@type": "NewsArticle",
         "url": "https://x.example/storm", "headline": "Storm", "datePublished": "2024-01-30"}},
        {"@type": "ListItem", "position": 2, "item": {"@type": "NewsArticle",
         "url": "https://x.example/mine", "headline": "Mine", "datePublished": "2024-03-05"}}]}"""
    items = ld_items(carousel)
    assert jsonld.pick_article(items, ["https://x.example/budget"]) is None
    article = jsonld.pick_article(items, ["https://x.example/mine"])
    assert article is not None and article["headline"] == "Mine"
    html = (
        '<html><head><meta property="article:published_time" content="2024-03-05T14:30:00+01:00">'
        f'<script type="application/ld+json">{carousel}</script></head><body></body></html>'
    )
    assert meta_of(html, "https://x.example/budget").published == "2024-03-05T14:30:00+01:00"


# --- language --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [("de-DE", "de"), ("en_GB", "en"), ("NB-no", "no"), ("pt", "pt"), ("utf-8", None), ("", None)],
)
def test_primary_subtag(value: str, code: str | None) -> None:
    assert language.primary_subtag(value) == code


def test_language_from_lang_attribute() -> None:
    assert meta_of('<html lang="nl-BE"><head></head><body><p>x</p></body></html>').language == "nl"


def test_declared_english_template_on_a_swahili_page_is_overruled() -> None:
    text = (
        "Jeshi la Polisi mkoani Shinyanga limefanikiwa kuwakamata watu kumi na nane kwa makosa "
        "mbalimbali yakiwemo wizi na uvunjaji wa nyumba. Kamanda wa polisi wa mkoa amesema "
        "watuhumiwa wote watafikishwa mahakamani mara baada ya upelelezi kukamilika."
    )
    html = f'<html lang="en-US"><body><article><p>{text}</p></article></body></html>'
    assert meta_of(html).language == "sw"


def test_close_languages_never_overrule_markup() -> None:
    assert language.best_language(["no"], "Dette er en tekst på dansk. " * 20) == "no"
