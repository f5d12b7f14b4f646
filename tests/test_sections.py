"""Section extraction rules (extractor.sections, extractor.sectionforms), each on a small page.

The older section tests are in test_metadata.py; these cover how publishers write the name:
beside the site's name, as a trail or a slug, in one case, in other meta tags, as a tag list.
"""

from __future__ import annotations

import json

import lxml.html
import pytest

from newsarc.extractor.metadata import extract_metadata

HEADLINE = "Council weighs plan to rebuild the old harbour district"


def section_of(
    head: str = "", body: str = "", url: str = "https://example.com/2024/s-1"
) -> str | None:
    html = (
        f"<html><head><title>{HEADLINE}</title>{head}</head>"
        f"<body>{body}<h1>{HEADLINE}</h1><p>Text.</p></body></html>"
    )
    return extract_metadata(lxml.html.document_fromstring(html), html, url).section


def ld_section(value: object) -> str:
    item = {"@type": "NewsArticle", "headline": HEADLINE, "articleSection": value}
    return f'<script type="application/ld+json">{json.dumps(item)}</script>'


def crumbs(*names: str, attrs: str = 'class="breadcrumb"') -> str:
    items = "".join(f'<li><a href="/c{i}/">{n}</a></li>' for i, n in enumerate(names[:-1]))
    return f"<ol {attrs}>{items}<li>{names[-1]}</li></ol>"


@pytest.mark.parametrize(
    ("declared", "site", "section"),
    [
        ("BBC News - World", "BBC News", "World"),
        ("Opinion | The Times", "The Times", "Opinion"),
        ("Arts - Culture", "The Times", "Arts - Culture"),  # no site in it: left whole
        ("Health - Science", "Health News Today", "Health - Science"),  # "Health" is no site
    ],
)
def test_the_site_name_beside_the_section_is_left_out(
    declared: str, site: str, section: str
) -> None:
    head = f'<meta property="og:site_name" content="{site}">' + ld_section(declared)
    assert section_of(head) == section


@pytest.mark.parametrize(
    ("declared", "section"),
    [
        ("Sport &gt; Football", "Football"),
        ("News » World", "World"),
        ("Home / News / Politics", "Politics"),
        ("Film/TV", "Film/TV"),  # no spaces around the slash: one name
    ],
)
def test_a_trail_gives_its_most_specific_step(declared: str, section: str) -> None:
    assert section_of(f'<meta property="article:section" content="{declared}">') == section


@pytest.mark.parametrize(
    "meta",
    [
        '<meta property="og:section" content="Science">',
        '<meta name="parsely-section" content="Science">',
        '<meta name="section" content="Science">',
        '<meta itemprop="articleSection" content="Science">',
    ],
)
def test_other_section_metas(meta: str) -> None:
    assert section_of(meta, url="https://example.com/2024/05/01/story") == "Science"


def test_a_tag_list_written_as_the_section_names_none() -> None:
    tags = ["Harbour", "City council", "Budget", "Elections"]
    head = f'<meta property="article:section" content="{", ".join(tags)}">'
    head += "".join(f'<meta property="article:tag" content="{t}">' for t in tags)
    assert section_of(head, url="https://example.com/politics/2024/story") == "Politics"


def test_a_section_list_among_more_tags_gives_its_first() -> None:
    # the sections are tags too, but the tags are more: a list of sections
    head = '<meta property="article:section" content="Mobiles, Mobiles Internet, Vodafone">'
    head += '<meta name="keywords" content="Mobiles, Mobiles Internet, Vodafone, Tarife, Lte">'
    assert section_of(head) == "Mobiles"


@pytest.mark.parametrize(
    ("declared", "trail", "section"),
    [
        (["Featured", "Politics"], None, "Politics"),  # a label that names nothing gives way
        (["World", "Europe"], ("Home", "World", "Europe", HEADLINE), "Europe"),
        (["World", "Europe"], None, "World"),  # a set or a hierarchy? as declared
    ],
)
def test_a_jsonld_list_of_sections(
    declared: list[str], trail: tuple[str, ...] | None, section: str
) -> None:
    assert section_of(ld_section(declared), crumbs(*trail) if trail else "") == section


@pytest.mark.parametrize(
    "declared",
    [
        "default",
        "Breaking News",
        "Latest News",
        "Featured",
        "Notícias",
        "Nyheder",
        "Wiadomości",
        "トップ",
    ],
)
def test_labels_that_name_no_section(declared: str) -> None:
    head = f'<meta property="article:section" content="{declared}">'
    assert section_of(head, url="https://example.com/politik/2024/05/story") == "Politik"


@pytest.mark.parametrize(
    ("declared", "section"),
    [
        ("world-news", "World news"),  # a slug, spelled as a name
        ("us_politics", "US politics"),  # two letters of a slug: initials...
        ("uk-news", "UK news"),
        ("in-depth", "In depth"),  # ... unless a little word
        ("politics", "Politics"),
        ("WORLD", "World"),
        ("USA", "USA"),  # short words in capitals may be initials
        ("U.S. NEWS", "U.S. NEWS"),
        ("iPhone", "iPhone"),
    ],
)
def test_a_slug_or_one_case_label_is_spelled_as_a_name(declared: str, section: str) -> None:
    assert section_of(ld_section(declared)) == section


def test_a_one_case_label_takes_the_spelling_the_page_shows() -> None:
    head = '<meta property="article:section" content="cronaca">'
    html_title = f"{HEADLINE} - Cronaca - Il Giornale"
    head += '<meta property="og:site_name" content="Il Giornale">'
    page = f"<html><head><title>{html_title}</title>{head}</head><body><p>x</p></body></html>"
    meta = extract_metadata(lxml.html.document_fromstring(page), page, "https://g.example/a/1")
    assert meta.section == "Cronaca"
    assert section_of(ld_section("sociedad"), crumbs("Inicio", "Sociedad", HEADLINE)) == "Sociedad"


def test_microdata_breadcrumbs() -> None:
    trail = crumbs(
        "Startseite",
        "Politik",
        "Ausland",
        HEADLINE,
        attrs='itemscope itemtype="https://schema.org/BreadcrumbList"',
    )
    assert section_of(body=trail, url="https://example.com/a/1") == "Ausland"


@pytest.mark.parametrize(
    "last", ["Council weighs plan to rebuild the old…", "Council weighs plan to"]
)
def test_a_shortened_headline_as_the_last_crumb_is_the_article(last: str) -> None:
    assert section_of(body=crumbs("Home", "World", last), url="https://example.com/a/1") == "World"


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("https://example.com/news/world/europe/2024/05/01/story", "World"),
        ("https://example.com/de/politik/ausland/artikel-123.html", "Politik"),
        ("https://example.com/story/news/nation/2019/11/19/some-story/4236383002/", "Nation"),
        ("https://example.com/nyheter/angsten-vil-oke/84057530", None),  # a slug before an id
        ("https://example.com/news/us-news/some-story-n1234", "US news"),
        ("https://example.com/news/harbour-plan-approved/amp", None),
    ],
)
def test_url_sections(url: str, section: str | None) -> None:
    assert section_of(url=url) == section
