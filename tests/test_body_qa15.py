"""Whole pages through the extractor: promos, credits and trailers in more languages and
templates leave the body, the story's own sentences stay (found by a QA pass on 50 pages of
many CMSs in 17 languages)."""

from __future__ import annotations

import pytest

from newsarc.extractor import extract
from newsarc.extractor.paragraphs import strip_boilerplate

FILLER = (
    "The council approved the plan on Tuesday after a debate that lasted most of the evening, "
    "with members arguing over the cost of the scheme and the time it would take to build."
)


def page(paragraphs: list[str], lang: str = "en") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html lang="{lang}"><head><title>Plan approved</title></head><body>'
        '<nav><a href="/">Home</a></nav><article><h1>Plan approved</h1>'
        f'<div class="entry-content">{body}</div></article></body></html>'
    )


def body_of(paragraphs: list[str], lang: str = "en") -> list[str]:
    return extract(page(paragraphs, lang), "https://news.example.com/2026/03/04/plan").body.split(
        "\n\n"
    )


def test_scraped_copy_trailers_leave_the_body() -> None:
    story = [FILLER, FILLER.replace("Tuesday", "Monday"), "Work starts next year."]
    got = body_of(
        [
            *story,
            "The post Plan approved appeared first on Cedar Falls Beacon.",
            "(Except for the headline, this story has not been edited by Desh Times staff and "
            "is published from a syndicated feed.)",
        ]
    )
    assert got == story


def test_promos_in_other_scripts_leave_the_body() -> None:
    story = [
        "Harga beras di sejumlah pasar tradisional mulai turun menjelang panen raya yang "
        "diperkirakan berlangsung pada akhir Maret.",
        "Pedagang mengatakan pasokan dari daerah sentra produksi mulai meningkat.",
        "Pemerintah meminta masyarakat tidak memborong beras karena stok dinilai cukup.",
    ]
    got = body_of(
        [
            story[0],
            "<strong>Baca Juga:</strong> <a href='/x'>Pemerintah tambah stok beras</a>",
            story[1],
            "Iklan",
            story[2],
            "Simak berita dan artikel lainnya di Google News",
            "Sumber: Antara",
        ],
        lang="id",
    )
    assert got == story


def test_registering_by_email_is_the_story() -> None:
    line = "Register by May 31 at any school office or by email to the district's office."
    assert line in body_of([FILLER, line, FILLER.replace("Tuesday", "Monday")])


@pytest.mark.parametrize(
    "box",
    [
        ["この記事は有料会員限定です。", "残り1520文字", "今すぐ登録（初月無料）", "ログインする"],
        ["이 기사는 유료 회원 전용입니다.", "지금 구독하기", "로그인"],
        ["本文为付费会员专享内容。", "订阅后阅读全文", "立即订阅"],
    ],
)
def test_a_paywall_box_in_japanese_korean_or_chinese_leaves_the_body(box: list[str]) -> None:
    story = [
        "第一段的新闻内容说明了事件的经过和各方的反应，记者在现场进行了采访。",
        "市政府表示将在下周公布详细的调查结果，并召开新闻发布会回答记者提问。",
    ]
    assert strip_boilerplate([*story, *box], headlines=[], standfirst=None) == story


def test_the_same_words_in_a_story_stay() -> None:
    story = [
        "会員制のスポーツクラブが増えている。登録者数は昨年の二倍になった。",
        "市によると、ログインの手続きを簡単にした新しいシステムは来月から使える。",
    ]
    assert strip_boilerplate(story, headlines=[], standfirst=None) == story
