"""Detection for pages with nothing to go by: the text sample, the web's tie-break."""

from __future__ import annotations

import pytest

from newsarc.charset import decode_html
from newsarc.charsetdetect import likeliest, text_sample, web_rank
from tests.legacy_pages import CHINESE, JAPANESE, KOREAN, RUSSIAN, Story, page


@pytest.mark.parametrize("markup", [0, 2_000, 6_000, 20_000, 60_000])
def test_undeclared_windows_1251_whatever_the_markup_before_the_text(markup: int) -> None:
    # From about 6 KB of ASCII markup ahead of the text the page came out as cp1006, cp1250 or
    # cp1252: the detector was given the whole page.
    html = page(RUSSIAN, "script", None).replace(
        "<head>", "<head><script>" + "var a=1;" * (markup // 8) + "</script>", 1
    )
    assert decode_html(html.encode("cp1251")) == (html, "cp1251")


@pytest.mark.parametrize(
    ("story", "codec", "found"),
    [(JAPANESE, "shift_jis", "cp932"), (KOREAN, "euc_kr", "cp949"), (CHINESE, "gb2312", "gb18030")],
)
def test_cjk_pages_get_the_codec_browsers_use(story: Story, codec: str, found: str) -> None:
    assert likeliest(page(story, "style", None).encode(codec)) == found


def test_the_detector_s_names_rank_as_their_web_names() -> None:
    # cp932 ranked after every listed codec: gb18030 won over it on a Shift_JIS page.
    assert web_rank("cp932") == web_rank("shift_jis") < web_rank("euc_jp")
    assert web_rank("cp949") == web_rank("euc_kr")
    assert web_rank("gb18030") < web_rank("cp932")
    assert web_rank("cp1252") == 0
    assert web_rank("mac_cyrillic") == web_rank("cp1006") > web_rank("cp1258")


def test_the_sample_is_the_text() -> None:
    html = (
        "<html><head><script>var s = '<p>Скрипт</p>'; if (a < b) {}</script>"
        "<style>p{font:Стиль}</style><!-- Комментарий --><title>Заголовок</title></head>"
        '<body><p class="x">Первый   абзац</p>\n\n<p>Второй <b>абзац</b></p>'
        "<script>unclosed Хвост"
    )
    sample = text_sample(html.encode("cp1251"))
    assert sample.decode("cp1251").split() == ["Заголовок", "Первый", "абзац", "Второй", "абзац"]


def test_the_page_itself_when_its_text_is_ascii_or_iso_2022() -> None:
    markup_only = '<html><head><meta name="x" content="Привет"></head><p>ASCII text</p>'
    data = markup_only.encode("cp1251")
    assert text_sample(data) == data
    iso_2022 = "<p>路面電車</p>".encode("iso2022_jp")  # 7-bit: "<" and ">" inside characters
    assert b"\x1b" in iso_2022 and text_sample(iso_2022) == iso_2022
