"""Sections, site names and topics as session 15's QA pages found them wanting, each on a small
page: generic parts of a declared section, WordPress category links, Parse.ly's page JSON,
machine slugs, the site's own link spelling a URL section, the home crumb in more languages;
a site name given only as the domain or a machine name, with a tagline, or nowhere but the
title or copyright line; CMS flags, ids and the site's name among the tags.
"""

from __future__ import annotations

import json

import lxml.html
import pytest

from newsarc.extractor.metadata import Metadata, extract_metadata

HEADLINE = "Council weighs plan to rebuild the old harbour district"


def meta_of(
    head: str = "",
    body: str = "",
    url: str = "https://example.com/2024/s-1",
    title: str = HEADLINE,
) -> Metadata:
    html = (
        f"<html><head><title>{title}</title>{head}</head>"
        f"<body>{body}<h1>{HEADLINE}</h1><p>Text.</p></body></html>"
    )
    return extract_metadata(lxml.html.document_fromstring(html), html, url)


def ld(**fields: object) -> str:
    item = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": HEADLINE}
    item.update(fields)
    return f'<script type="application/ld+json">{json.dumps(item, ensure_ascii=False)}</script>'


# --- sections -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "section"),
    [("News - News", None), ("Campaign - News", "Campaign"), ("Politics | Home", "Politics")],
)
def test_generic_parts_of_a_declared_section_are_left_out(
    declared: str, section: str | None
) -> None:
    assert meta_of(ld(articleSection=declared)).section == section


def test_a_wordpress_category_link_names_the_section() -> None:
    body = (
        '<span class="cat-links"><a href="/category/weather/" rel="category tag">Weather</a>, '
        '<a href="/category/coast/" rel="category tag">Coast</a></span>'
        '<a href="/tag/storm/" rel="tag">storm</a>'
    )
    found = meta_of(body=body)
    assert found.section == "Weather"
    assert found.topics == ["storm"]  # the categories are no tags


def test_parsely_page_json_gives_section_and_tags() -> None:
    page = json.dumps({"title": "T", "section": "Économie", "tags": ["retraites", "Sénat"]})
    found = meta_of(f"<meta name=\"parsely-page\" content='{page}'>")
    assert (found.section, found.topics) == ("Économie", ["retraites", "Sénat"])


def test_a_machine_slug_takes_the_crumb_written_inside_it() -> None:
    trail = (
        '<ol class="breadcrumb"><li><a href="/">Home</a></li>'
        '<li><a href="/wirtschaft/">Wirtschaft</a></li>'
        '<li><a href="/wirtschaft/unternehmen/">Unternehmen</a></li></ol>'
    )
    politics = '<ol class="breadcrumb"><li><a href="/">Home</a></li><li>Politics</li></ol>'
    assert meta_of(ld(articleSection="news-politics-us"), politics).section == "Politics"
    slug = '<meta property="article:section" content="wirtschaft_unternehmen">'
    assert meta_of(slug, trail).section == "Unternehmen"


@pytest.mark.parametrize(
    ("url", "nav", "section"),
    [
        (  # the link spells the slug: umlauts, capitals
            "https://paper.example/kapitalmaerkte/dax-schliesst-tiefer",
            '<a href="/unternehmen">Unternehmen</a><a href="/kapitalmaerkte">Kapitalmärkte</a>',
            "Kapitalmärkte",
        ),
        (  # a script the URL cannot write: the menu's link
            "https://paper.example/caijing/20240501/a123.shtml",
            '<ul class="nav"><li><a href="/caijing/">财经</a></li></ul>',
            "财经",
        ),
        (  # the link's first piece, without the abbreviation beside it
            "https://paper.example/nachrichten/schleswig-holstein/einschlag,meteorit146.html",
            '<a href="/nachrichten/schleswig-holstein/">Schleswig-Holstein<b>SH</b></a>',
            "Schleswig-Holstein",
        ),
        (  # a link outside the menus that does not spell the step is no name
            "https://paper.example/politica/2024/05/01/camara-aprova.html",
            '<aside><a href="/politica/">Ver mais</a></aside>',
            "Politica",
        ),
    ],
)
def test_a_url_section_is_spelled_as_the_site_links_to_it(url: str, nav: str, section: str) -> None:
    assert meta_of(body=nav, url=url).section == section


@pytest.mark.parametrize(
    ("trail", "section"),
    [
        (["Hem", "Nyheter"], None),
        (["Главная"], None),
        (["首页", "国际", "正文"], "国际"),
    ],
)
def test_home_crumbs_in_more_languages_name_no_section(
    trail: list[str], section: str | None
) -> None:
    crumbs = "".join(f'<a href="/c{i}/">{name}</a>' for i, name in enumerate(trail))
    assert meta_of(body=f'<div class="breadcrumb">{crumbs}</div>').section == section


def test_headlines_is_no_section_in_a_declared_list() -> None:
    assert meta_of(ld(articleSection=["Headlines", "Politik"])).section == "Politik"


@pytest.mark.parametrize(
    "url",
    [
        "https://paper.example/photos/2024/05/01/parade-downtown/",
        "https://paper.example/homenews/471033-governor-doubles-down",
    ],
)
def test_content_kinds_and_generic_steps_of_the_url_name_no_section(url: str) -> None:
    assert meta_of(url=url).section is None


def test_a_byline_segment_of_the_title_is_no_section() -> None:
    title = f"{HEADLINE} - by Dana Kim - The Long View"
    head = '<meta property="og:site_name" content="The Long View">'
    assert meta_of(head, title=title).section is None


# --- site names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "url", "site"),
    [
        (  # the domain as the name: the publisher spells it
            '<meta property="og:site_name" content="DailyLedger.com">'
            + ld(publisher={"@type": "Organization", "name": "Daily Ledger"}),
            "https://www.dailyledger.com/local/water-main-break",
            "Daily Ledger",
        ),
        (  # a country domain
            '<meta property="og:site_name" content="KTV.com.tr">'
            + ld(publisher={"@type": "Organization", "name": "KTV"}),
            "https://www.ktv.com.tr/turkiye/soruşturma-1695518",
            "KTV",
        ),
        (  # a tagline after the name
            '<meta property="og:site_name" content="The Daily Star | Latest News and Analysis">',
            "https://www.thedailystar.example/news/world/talks-123",
            "The Daily Star",
        ),
        (  # the domain after the name
            '<meta property="og:site_name" content="The Haifa Tribune | HaifaTribune.example">',
            "https://www.haifatribune.example/port-strike-ends",
            "The Haifa Tribune",
        ),
        (  # a page's name where the site's belongs
            '<meta property="og:site_name" content="Homepage">'
            + ld(publisher={"@type": "Organization", "name": "Lakeview Observer"}),
            "https://lakeviewobserver.example/fishing-season-opens/",
            "Lakeview Observer",
        ),
    ],
)
def test_the_site_name_is_the_publications_own_spelling(head: str, url: str, site: str) -> None:
    assert meta_of(head, url=url).site == site


def test_the_website_that_spells_the_host_comes_before_the_owning_company() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "NewsArticle", "headline": HEADLINE, "publisher": {"@id": "#org"}},
            {"@type": "WebSite", "@id": "#site", "name": "Coastline Weekly"},
            {"@type": "Organization", "@id": "#org", "name": "Coastline Media Group LLC"},
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    assert meta_of(head, url="https://coastlineweekly.example/a/").site == "Coastline Weekly"


def test_a_machine_name_gives_way_to_the_titles_spelling() -> None:
    head = '<meta property="og:site_name" content="wesertageblatt">'
    title = f"{HEADLINE} | Weser Tageblatt"
    found = meta_of(head, url="https://www.wesertageblatt.de/lokales/a-1.html", title=title)
    assert found.site == "Weser Tageblatt"


@pytest.mark.parametrize(
    ("title", "body", "url", "site"),
    [
        (f"{HEADLINE} – Harbor Light", "", "https://harborlight.example/a/", "Harbor Light"),
        (f"Riverside Birding: {HEADLINE}", "", "https://riversidebirding.blogspot.com/a.html",
         "Riverside Birding"),
        (HEADLINE, "<footer>© 2024 Pinecrest Pioneer. All rights reserved.</footer>",
         "https://pinecrestpioneer.example/a/", "Pinecrest Pioneer"),
        (HEADLINE, "<footer>© 2025, kleinerbote.at</footer>",
         "https://www.kleinerbote.at/a/1", "kleinerbote.at"),
    ],
)  # fmt: skip
def test_without_a_declared_name_the_title_or_copyright_spells_the_host(
    title: str, body: str, url: str, site: str
) -> None:
    assert meta_of(body=body, url=url, title=title).site == site


# --- topics ---------------------------------------------------------------------------------


def test_cms_flags_ids_and_addresses_are_no_topics() -> None:
    keywords = [
        "@hp-top-stories",
        "Dear Abby",
        "_no-apple-news",
        "ctp_video",
        "8f507083-bac4-423a-9015-2eb31e1bce50",
        "(1)",
        "/article",
        "jane.doe@paper.example",
        "1&1",
    ]
    assert meta_of(ld(keywords=keywords)).topics == ["Dear Abby", "1&1"]


def test_field_labels_are_cut_and_generic_tags_dropped() -> None:
    head = (
        '<meta name="keywords" content="topic: Politics &amp; Policy, topic: White House, '
        'section: Article, Impeachment, News">'
    )
    assert meta_of(head).topics == ["Politics & Policy", "White House", "Impeachment"]


def test_the_sites_own_name_is_no_topic() -> None:
    head = (
        '<meta property="og:site_name" content="北海日報">'
        '<meta name="keywords" content="北海日報,ニュース,日銀,金利">'
    )
    assert meta_of(head, url="https://www.hokkainippo.example/a/1.html").topics == [
        "日銀",
        "金利",
    ]


def test_a_twice_escaped_entity_is_one_topic() -> None:
    head = '<meta name="keywords" content="PG&amp;amp;E, wildfire">'
    assert meta_of(head).topics == ["PG&E", "wildfire"]


def test_a_source_of_only_junk_gives_way_to_the_next() -> None:
    head = (
        '<meta property="article:tag" content="8f507083-bac4-423a-9015-2eb31e1bce50">'
        '<meta name="DC.subject" content="Agriculture; Sécheresse">'
    )
    assert meta_of(head).topics == ["Agriculture", "Sécheresse"]
