"""Topics and the last section hints as session 15's second QA round found them wanting, each on
a small page: a tag written as a series ("Business, Finance, & Economics"), several tags with
commas in them, entity types glued to names, CMS workflow marks, keywords that are the title's
words, which source wins; a section named only by a data layer or the menu's active item.
"""

from __future__ import annotations

import pytest

from newsarc.extractor.metadata import Metadata
from tests.test_sections_qa15 import HEADLINE, ld
from tests.test_sections_qa15 import meta_of as _meta_of


def meta_of(  # the sections round's, at a dated address
    head: str = "",
    body: str = "",
    url: str = "https://example.com/2024/05/01/s-1.html",
    title: str = HEADLINE,
) -> Metadata:
    return _meta_of(head, body, url, title)


def tag(value: str) -> str:
    return f'<meta property="article:tag" content="{value}">'


# --- one tag written with commas ------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "Business, Finance, &amp; Economics",
        "Health, Wellness, and Fitness",
        "Cine, Teatro, y Artes Escénicas",
        "Kunst, Kultur, &amp; Medien",
    ],
)
def test_a_series_written_as_one_tag_stays_one(value: str) -> None:
    topics = meta_of(tag(value)).topics
    assert topics == [value.replace("&amp;", "&")]


def test_a_plain_list_is_still_split() -> None:  # a guard
    head = '<meta name="keywords" content="Emmanuel Macron, Assemblée nationale, retraites">'
    assert meta_of(head).topics == ["Emmanuel Macron", "Assemblée nationale", "retraites"]


def test_several_tags_are_one_tag_each_even_with_a_comma() -> None:
    head = (
        tag("United States Politics and Government")
        + tag("Elections, Governors")
        + tag("Beshear, Andrew G (1977- )")
        + tag("Medicaid")
    )
    assert meta_of(head).topics == [
        "United States Politics and Government",
        "Elections, Governors",
        "Beshear, Andrew G (1977- )",
        "Medicaid",
    ]


def test_several_lists_are_split() -> None:  # a guard
    head = '<meta name="keywords" content="商標,商標法違反,改造">' + (
        '<meta name="keywords" content="弁理士,侵害">'
    )
    assert meta_of(head).topics == ["商標", "商標法違反", "改造", "弁理士", "侵害"]


def test_a_name_with_a_slash_is_one_tag_and_a_path_gives_its_last_step() -> None:
    head = tag("Technik/Hardware") + tag("sections/sverige") + tag("Bitcoin")
    assert meta_of(head).topics == ["Technik/Hardware", "sverige", "Bitcoin"]


# --- marks of the CMS among the tags ---------------------------------------------------------


def test_entity_types_glued_to_names_are_cut() -> None:
    head = (
        '<meta name="news_keywords" content="Mark Esper GOVERNMENT_FIGURE PERSON, '
        "PERSON Hamidou Diallo PROFESSIONAL_ATHLETE SPORTS_FIGURE PERSON, PERSON POLITICIAN, "
        'COACH SPORTS_FIGURE PERSON, Acme Corp ORGANIZATION, NASA, UNICEF">'
    )
    assert meta_of(head).topics == ["Mark Esper", "Hamidou Diallo", "Acme Corp", "NASA", "UNICEF"]


def test_workflow_marks_are_no_topics() -> None:
    keywords = [
        "Curated",
        "India",
        "NLP Entity Tokens: Kashmir",
        "NLP Category: Politics",
        "Category: World",
        "Premium Content",
        "NRPLUS Member Articles",
        "subscriber-only",
        "paywall exclude",
        "comments-enabled",
        "Sponsored",
        "Pakistan",
    ]
    assert meta_of(ld(keywords=keywords)).topics == ["India", "Kashmir", "Pakistan"]


def test_a_subject_that_names_a_paywall_stays() -> None:
    head = tag("Paywalls") + tag("Subscriptions") + tag("Sponsored content")
    assert meta_of(head).topics == ["Paywalls", "Subscriptions"]


# --- which source ----------------------------------------------------------------------------


def test_news_keywords_come_before_json_ld_keywords() -> None:
    head = '<meta name="news_keywords" content="shopping, buying guides, camping">' + ld(
        keywords=["gear", "shopping", "Uncategorized", "textaboveleftsmall"]
    )
    assert meta_of(head).topics == ["shopping", "buying guides", "camping"]


def test_keywords_that_are_the_titles_words_give_way() -> None:
    title = "Detenido un policía por abusar y torturar sexualmente a sus cuatro hijos"
    head = (
        '<meta name="keywords" content="detenido, policia, abusar, torturar, sexualmente, '
        'cuatro, hijos"><meta name="parsely-tags" content="Granada, Policía Nacional">'
    )
    assert meta_of(head, title=title).topics == ["Granada", "Policía Nacional"]


def test_keywords_that_are_the_descriptions_words_are_no_topics() -> None:
    head = (
        '<meta name="description" content="Президент России Владимир Путин встретился с '
        'премьер-министром Малайзии Анваром Ибрагимом">'
        '<meta name="keywords" content="президент,России,Владимир,Путин,встретился,'
        'премьер-министром,Малайзии,Анваром,Ибрагимом">'
    )
    assert meta_of(head, url="https://example.ru/doc/7715044").topics == []


def test_single_word_tags_named_in_the_title_stay() -> None:  # a guard
    title = "Putin and Xi meet in Moscow to discuss Ukraine and trade"
    head = '<meta name="keywords" content="Russia, China, Putin, Xi, Ukraine, trade">'
    assert meta_of(head, title=title).topics == [
        "Russia",
        "China",
        "Putin",
        "Xi",
        "Ukraine",
        "trade",
    ]


# --- the last section hints ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "section"),
    [
        ('dataLayer.push({"pageType": "article", "section": "Politics"});', "Politics"),
        ('var utag_data = {"page_type": "story", "page_section": "sports"};', "Sports"),
        ('window.digitalData = {page: {category: {primaryCategory: "Business"}}};', "Business"),
        ('dataLayer = [{"contentSection": "nachrichten:politik"}];', "Politik"),
        ('dataLayer.push({"section": "article", "pageCategory": "home"});', None),
        ('var dataLayer = {"page": {"section": "News, News - News"}};', None),
    ],
)
def test_a_data_layer_names_the_section_last(script: str, section: str | None) -> None:
    head = f"<script>{script}</script>"
    assert meta_of(head, url="https://example.com/2024/05/01/s-1.html").section == section


def test_a_data_layer_is_read_only_where_it_is_set() -> None:  # a guard
    head = (
        "<script>window.dataLayer = window.dataLayer || [];"
        'var state = {"teaser": {"section": "Opinion"}};</script>'
    )
    assert meta_of(head).section is None


def test_a_declared_section_comes_before_the_data_layer() -> None:  # a guard
    head = (
        '<meta property="article:section" content="World">'
        '<script>dataLayer.push({"section": "Business"});</script>'
    )
    assert meta_of(head).section == "World"


def nav(items: str, cls: str = "main-nav") -> str:
    return f'<nav class="{cls}"><ul>{items}</ul></nav>'


@pytest.mark.parametrize(
    ("url", "menu", "section"),
    [
        (
            "https://screen.example/tv/star-returns-123456",
            nav('<li><a href="/film/">Film</a></li><li class="active"><a href="/tv/">TV</a></li>'),
            "TV",
        ),
        (
            "https://vesti.example/%D0%BF%D0%BE%D0%BB%D0%B8%D1%82%D0%B8%D0%BA%D0%B0/12345-x",
            nav(
                '<li class="menu-item is-active"><a href="/%D0%BF%D0%BE%D0%BB%D0%B8%D1%82%D0%B8'
                '%D0%BA%D0%B0/">Политика</a></li>'
            ),
            "Политика",
        ),
        (  # not above the page: the post's category elsewhere
            "https://tribuna.example/2024/05/01/incendio-controlado/",
            nav('<li class="active"><a href="/sucesos/">Sucesos</a></li>'),
            None,
        ),
        (  # the language switcher
            "https://voice.example/en/2024/05/01/mayor-resigns",
            nav('<li class="active"><a href="/en/">English</a></li>', cls="language-menu"),
            None,
        ),
        (  # tabs of the page itself
            "https://voice.example/2024/05/01/mayor-resigns",
            nav('<li class="active"><a href="?tab=2">Video</a></li>'),
            None,
        ),
    ],
)
def test_the_menus_active_item_above_the_page_names_the_section(
    url: str, menu: str, section: str | None
) -> None:
    assert meta_of(body=menu, url=url).section == section
