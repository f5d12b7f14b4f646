"""Publication dates of session 16: slashed dates declared in meta tags (year-first read
always, day/month order decided from the page or left to the next source) and the
Levantine and Egyptian Arabic month names of a dateline."""

from __future__ import annotations

import lxml.html
import pytest

from newsarc.extractor.datelines import read_dateline
from newsarc.extractor.dates import parse_date
from newsarc.extractor.metadata import extract_metadata
from tests.test_dates_qa15 import STORY  # the story every date test page carries


def published(
    meta: str, lang: str = "en", url: str = "https://example.com/news/plan"
) -> str | None:
    html = (
        f'<html lang="{lang}"><head><title>Budget</title>{meta}</head><body><article>'
        f"<h1>Council approves budget</h1>{STORY}</article></body></html>"
    )
    return extract_metadata(lxml.html.document_fromstring(html), html, url).published


@pytest.mark.parametrize(
    ("meta", "lang", "url", "expected"),
    [
        # year-first slashed, with its time
        (
            '<meta property="article:published_time" content="2024/03/12 14:05">',
            "en",
            "https://example.com/news/plan",
            "2024-03-12T14:05:00",
        ),
        # a US English page writes month-first, with a 12-hour clock
        (
            '<meta name="pubdate" content="03/12/2024 2:05 PM">',
            "en-US",
            "https://example.com/news/plan",
            "2024-03-12T14:05:00",
        ),
        # a British page writes day-first
        (
            '<meta name="date" content="12/03/2024 14:05">',
            "en-GB",
            "https://example.com/news/plan",
            "2024-03-12T14:05:00",
        ),
        # a French page of no region writes day-first
        (
            '<meta name="date" content="05/04/2024 10:15">',
            "fr",
            "https://example.com/news/plan",
            "2024-04-05T10:15:00",
        ),
        # the day the address names decides
        (
            '<meta name="pubdate" content="04/05/2024">',
            "en",
            "https://example.com/2024/04/05/plan/",
            "2024-04-05",
        ),
        # a country's domain decides
        (
            '<meta name="DC.date.issued" content="06/07/2024 08:00">',
            "en",
            "https://news.example.com.au/local/plan",
            "2024-07-06T08:00:00",
        ),
        # another date of the page that reads one way only decides
        (
            '<meta name="pubdate" content="06/07/2024 8:00 AM">'
            '<meta name="lastmod" content="15/07/2024">',
            "en",
            "https://example.com/news/plan",
            "2024-07-06T08:00:00",
        ),
        # a day past 12 reads one way only, and the time is kept
        (
            '<meta name="publish-date" content="03/14/2024 09:30">',
            "en",
            "https://example.com/news/plan",
            "2024-03-14T09:30:00",
        ),
    ],
)
def test_slashed_meta_dates(meta: str, lang: str, url: str, expected: str) -> None:
    assert published(meta, lang, url) == expected


def test_ambiguous_slashed_date_is_not_guessed() -> None:
    assert parse_date("04/05/2024") is None
    assert parse_date("04/05/2024", month_first=True).iso() == "2024-04-05"  # type: ignore[union-attr]
    assert parse_date("04/05/2024", month_first=False).iso() == "2024-05-04"  # type: ignore[union-attr]
    assert parse_date("2024/04/05 09:07:03 GMT").iso() == "2024-04-05T09:07:03+00:00"  # type: ignore[union-attr]


def test_order_from_the_page() -> None:
    from newsarc.extractor.datezones import declared_order

    def order(lang: str, url: str, values: tuple[str, ...] = ("04/05/2024",)) -> bool | None:
        tree = lxml.html.document_fromstring(f'<html lang="{lang}"><body><p>x</p></body></html>')
        return declared_order(list(values), tree, url)

    # a WordPress site's default en-US on a British domain: the two disagree, no order
    assert order("en-US", "https://www.example.co.uk/news/plan") is None
    assert order("en", "https://example.com/news/plan") is None
    assert order("ja", "https://example.com/news/plan") is None
    assert order("de", "https://example.com/news/plan") is False
    assert order("en-US", "https://example.com/news/plan") is True
    assert order("en-GB", "https://example.com/news/plan", ("04/05/2024", "12/31/2024")) is True


def dateline(line: str) -> str | None:
    html = (
        f'<html lang="ar" dir="rtl"><head><title>t</title></head><body><article>'
        f"<h1>عنوان الخبر</h1>{line}{STORY}</article></body></html>"
    )
    when = read_dateline(lxml.html.document_fromstring(html)).published
    return when.iso() if when is not None else None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('<div class="post-date">نشر في ١٢ كانون الثاني ٢٠٢٤</div>', "2024-01-12"),
        ('<span class="date">الثلاثاء 6 آب 2024 - 14:05</span>', "2024-08-06T14:05:00"),
        ('<div class="article-meta">تاريخ النشر: 12 مارس/آذار 2024</div>', "2024-03-12"),
        ('<div class="time">السبت 15 يونيه 2024م 10:30</div>', "2024-06-15T10:30:00"),
        ('<p class="byline">كتب: محمد علي | 3 تشرين الأول 2024</p>', "2024-10-03"),
        ('<p class="byline">20 كانون الأول 2023</p>', "2023-12-20"),
        ('<p class="byline">نُشر 9 تشرين الثاني 2023</p>', "2023-11-09"),
        ('<p class="date">1 ايلول (سبتمبر) 2024</p>', "2024-09-01"),
    ],
)
def test_arabic_month_names(line: str, expected: str) -> None:
    assert dateline(line) == expected
