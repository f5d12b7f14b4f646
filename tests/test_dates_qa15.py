"""Publication and update dates written under the headline (session 15's date pages): the
dateline completing a declared day, months and labels in more languages, other digits, zone
abbreviations that depend on the page's region, the order of slashed dates, and the dateline
preferred to htmldate's other day."""

from __future__ import annotations

import lxml.html
import pytest

from newsarc.extractor.datelines import read_dateline
from newsarc.extractor.metadata import Metadata, extract_metadata
from newsarc.extractor.modified import best_modified

URL = "https://example.com/news/harbour-budget"
STORY = "".join(
    f"<p>{text}</p>"
    for text in (
        "The city council voted late on Monday to approve a new budget for the harbour district,"
        " ending months of debate over how to pay for repairs to the ageing sea wall.",
        "Council members said the plan would set aside money for flood defences over the next"
        " five years, while the mayor's office promised that bus fares would not rise.",
        "Residents who attended the meeting were divided, and some said the council had ignored"
        " neighbourhoods further inland when it drew up the plan for the waterfront.",
    )
)


def page(dateline: str, lang: str = "en", head: str = "", after: str = "") -> str:
    """A story page with ``dateline`` under its headline."""
    return (
        f'<html lang="{lang}"><head><title>Council approves budget</title>{head}</head><body>'
        f'<article class="story"><h1>Council approves budget</h1>{dateline}{STORY}</article>'
        f"{after}</body></html>"
    )


def meta_of(html: str, url: str = URL) -> Metadata:
    tree = lxml.html.document_fromstring(html)
    return extract_metadata(tree, html, url)


def test_a_declared_day_takes_the_time_the_dateline_shows() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "headline": "Council approves budget", "datePublished": "2024-03-05"}</script>'
    )
    html = page('<div class="date">Published 5 March 2024, 10:41 GMT</div>', head=head)
    assert meta_of(html).published == "2024-03-05T10:41:00+00:00"
    # another day under the headline does not change the declared one
    html = page('<div class="date">Published 6 March 2024, 10:41 GMT</div>', head=head)
    assert meta_of(html).published == "2024-03-05"


def test_a_naive_time_takes_the_zone_its_text_names() -> None:
    time = '<time datetime="2024-03-05T14:30">March 5, 2024 2:30 PM EST</time>'
    assert meta_of(page(f'<p class="posted-on">{time}</p>')).published == (
        "2024-03-05T14:30:00-05:00"
    )


@pytest.mark.parametrize(
    ("dateline", "lang", "published"),
    [
        ("5 марта 2024, 14:30", "ru", "2024-03-05T14:30:00"),
        ("05 Mart 2024 14:30", "tr", "2024-03-05T14:30:00"),
        ("di 5 mrt 2024, 14:30", "nl", "2024-03-05T14:30:00"),
        ("05.mar.2024 às 14h30 - Atualizado há 3 horas", "pt", "2024-03-05T14:30:00"),
        # Arabic-Indic digits
        ("الثلاثاء ٥ مارس ٢٠٢٤ - ١٤:٣٠", "ar", "2024-03-05T14:30:00"),
        # the Hijri date beside the Gregorian one, and a Levantine month name
        ("الثلاثاء 24 شعبان 1445 هـ - 5 مارس 2024 م", "ar", "2024-03-05"),
        ("5 آذار 2024 | 14:30", "ar", "2024-03-05T14:30:00"),
        ("2024/03/05 14:30 JST", "ja", "2024-03-05T14:30:00+09:00"),
        ("05.07.2024, 14:30 Uhr MESZ", "de", "2024-07-05T14:30:00+02:00"),
    ],
)
def test_datelines_in_more_languages(dateline: str, lang: str, published: str) -> None:
    assert meta_of(page(f'<div class="date">{dateline}</div>', lang=lang)).published == published


@pytest.mark.parametrize(
    ("dateline", "lang", "published", "modified"),
    [
        (
            "<span>입력 2024.03.05 14:30</span> <span>수정 2024.03.06 09:12</span>",
            "ko",
            "2024-03-05T14:30:00",
            "2024-03-06T09:12:00",
        ),
        (
            "Опубликовано: 5 марта 2024, 14:30 · Обновлено: 6 марта 2024, 09:12",
            "ru",
            "2024-03-05T14:30:00",
            "2024-03-06T09:12:00",
        ),
        (
            "Published: Mar 5, 2024 / 6:02 PM EST · Updated: Mar 5, 2024 / 9:41 PM EST",
            "en",
            "2024-03-05T18:02:00-05:00",
            "2024-03-05T21:41:00-05:00",
        ),
    ],
)
def test_published_and_updated_labels(
    dateline: str, lang: str, published: str, modified: str
) -> None:
    meta = meta_of(page(f'<div class="date-info">{dateline}</div>', lang=lang))
    assert (meta.published, meta.modified) == (published, modified)


@pytest.mark.parametrize(
    ("lang", "published"),
    [
        ("en-IN", "2024-03-05T15:51:00+05:30"),
        ("hi", "2024-03-05T15:51:00+05:30"),
        ("en-IE", "2024-03-05T15:51:00+01:00"),
        ("en", "2024-03-05T15:51:00"),  # IST of no known region: no offset
    ],
)
def test_ist_is_read_by_the_pages_region(lang: str, published: str) -> None:
    html = page('<div class="dateline">Mar 5, 2024, 15:51 IST</div>', lang=lang)
    assert meta_of(html).published == published


@pytest.mark.parametrize(
    ("lang", "published"),
    [
        ("en-US", "2024-03-05T14:30:00-06:00"),
        ("zh-CN", "2024-03-05T14:30:00+08:00"),
        ("en", "2024-03-05T14:30:00"),
    ],
)
def test_cst_is_read_by_the_pages_region(lang: str, published: str) -> None:
    html = page('<div class="dateline">Published: 2024-03-05 14:30 CST</div>', lang=lang)
    assert meta_of(html).published == published


@pytest.mark.parametrize(
    ("dateline", "lang", "url", "published", "modified"),
    [
        # a US zone beside the time: the US order
        ("03/05/2024 2:30 PM ET", "en", URL, "2024-03-05T14:30:00-05:00", None),
        # the other date of the dateline can be read one way only
        ("Posted 03/05/2024 | Updated 03/14/2024", "en", URL, "2024-03-05", "2024-03-14"),
        # a value over 12 is the day, whatever the page's region
        ("Posted 15/03/2024", "en-US", URL, "2024-03-15", None),
        ("Posted 03/15/2024", "en-GB", URL, "2024-03-15", None),
        # the day the address names
        ("03/05/2024 10:15 AM", "en", "https://example.com/2024/03/05/budget/",
         "2024-03-05T10:15:00", None),
        ("05/03/2024 10:15", "en", "https://example.com/2024/03/05/budget/",
         "2024-03-05T10:15:00", None),
    ],
)  # fmt: skip
def test_the_order_of_slashed_dates(
    dateline: str, lang: str, url: str, published: str, modified: str | None
) -> None:
    meta = meta_of(page(f'<div class="submitted">{dateline}</div>', lang=lang), url)
    assert (meta.published, meta.modified) == (published, modified)


def test_the_dateline_day_wins_over_htmldates_other_day() -> None:
    # htmldate takes the day of the address (made the day before); the page states its own
    html = page('<div class="date">Published 5 March 2024, 10:41 GMT</div>')
    meta = meta_of(html, "https://example.com/2024/03/04/harbour-budget/")
    assert meta.published == "2024-03-05T10:41:00+00:00"


def test_a_comment_section_named_by_its_id_holds_other_dates() -> None:
    comments = (
        '<div id="comments" class="c-area"><ol class="c-list"><li><div class="c-meta">'
        '<time datetime="2024-03-07T21:14:00+00:00">March 7, 2024 at 9:14 pm</time></div>'
        "<p>Great news for the waterfront.</p></li></ol></div>"
    )
    html = page('<span class="posted-on">March 5, 2024</span>', after=comments)
    assert meta_of(html).published == "2024-03-05"


@pytest.mark.parametrize("stamp", ["1709634060", "1709634060000"])
def test_a_unix_time_in_a_data_attribute_gives_the_instant(stamp: str) -> None:
    html = page(f'<span class="date" data-timestamp="{stamp}">5 March 2024</span>')
    assert meta_of(html).published == "2024-03-05T10:21:00+00:00"
    # not when it falls on another day than the one shown
    html = page(f'<span class="date" data-timestamp="{stamp}">9 March 2024</span>')
    assert meta_of(html).published == "2024-03-09"


def test_the_update_dateline_reads_the_page_language() -> None:
    tree = lxml.html.document_fromstring(
        page('<div class="meta">Opublikowano: 05.03.2024 · Aktualizacja: 06.03.2024</div>')
    )
    assert best_modified(None, None, {}, tree, "2024-03-05") == "2024-03-06"


def test_a_timed_date_in_a_sentence_under_the_headline_is_a_mention() -> None:
    standfirst = "<p>Polls open on 12 March 2024 at 7:00 across the district</p>"
    tree = lxml.html.document_fromstring(page(standfirst))
    assert read_dateline(tree).published is None
    # a place before it, a weekday, are no sentence
    for dateline in ("<p>Madrid, 12 March 2024, 07:00</p>", "<p>Tue 12 Mar 2024 07.00 GMT</p>"):
        tree = lxml.html.document_fromstring(page(dateline))
        assert read_dateline(tree).published is not None


def test_the_update_is_read_in_the_order_the_address_gives_the_publication() -> None:
    html = page('<div class="submitted">Posted 03/05/2024 · Updated 03/06/2024</div>')
    meta = meta_of(html, "https://example.com/2024/03/05/harbour-budget/")
    assert (meta.published, meta.modified) == ("2024-03-05", "2024-03-06")
