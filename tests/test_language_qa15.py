"""The page's language on templates that declare it wrongly, oddly or not at all (session 15 QA):
placeholder and malformed codes, language names and ISO 639-2 codes where a code belongs,
Filipino, a detector sure of a group of close languages but not of one, and short Chinese,
Japanese or Korean text."""

from __future__ import annotations

import lxml.html
import pytest

from newsarc.extractor import language
from newsarc.extractor.metadata import Metadata, extract_metadata


def meta_of(html: str, url: str = "https://example.com/2024/story-1") -> Metadata:
    return extract_metadata(lxml.html.document_fromstring(html), html, url)


def page(html_attrs: str, head: str, body: str, title: str = "Story") -> str:
    return (
        f"<html {html_attrs}><head><title>{title}</title>{head}</head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("zz", None),  # a placeholder, not a language
        ("xx-XX", None),
        ("English", "en"),
        ("english (US)", "en"),
        ("Deutsch", "de"),
        ("Bahasa Indonesia", "id"),
        ("ger", "de"),
        ("eng", "en"),
        ("fil", "tl"),
        ("fil-PH", "tl"),
    ],
)
def test_codes_names_and_placeholders(value: str, code: str | None) -> None:
    assert language.primary_subtag(value) == code


def test_placeholder_lang_gives_way_to_the_locale() -> None:
    html = page('lang="zz"', '<meta property="og:locale" content="it_IT">', "", "Piano")
    assert meta_of(html).language == "it"


def test_language_name_in_a_meta_tag() -> None:
    html = page("", '<meta name="language" content="English">', "", "Zoning")
    assert meta_of(html).language == "en"


def test_dublin_core_three_letter_code() -> None:
    html = page("", '<meta name="DC.language" content="ger">', "", "Solar")
    assert meta_of(html).language == "de"


INDONESIAN = (
    "Pemerintah Provinsi Jawa Barat akan membangun tiga rumah sakit rujukan baru di wilayah "
    "selatan pada tahun depan untuk mengurangi beban rumah sakit di Bandung yang selama ini "
    "selalu penuh. Kepala Dinas Kesehatan provinsi mengatakan pembangunan tersebut sudah masuk "
    "dalam rencana anggaran dan ditargetkan rampung dalam dua tahun. Menurutnya, warga di daerah "
    "selatan sering harus menempuh perjalanan lebih dari lima jam untuk mendapatkan perawatan."
)


def test_english_template_on_an_indonesian_page() -> None:
    # The detector is sure the text is Indonesian or Malay, not of which: not English either
    html = page(
        'lang="en-US"', '<meta property="og:locale" content="en_US">', f"<p>{INDONESIAN}</p>"
    )
    assert meta_of(html).language == "id"


MARATHI = (
    "राज्य सरकारने मंगळवारी शेतकऱ्यांसाठी नवीन सिंचन योजनेची घोषणा केली असून, पुढील दोन वर्षांत "
    "पाच हजार नवीन शेततळी बांधण्यात येणार आहेत. कृषिमंत्र्यांनी सांगितले की, या योजनेचा सर्वाधिक "
    "फायदा दुष्काळग्रस्त जिल्ह्यांतील शेतकऱ्यांना होणार असून शेतीसाठी पाण्याची टंचाई दूर होईल."
)


def test_hindi_template_on_a_marathi_page() -> None:
    # Marathi and Konkani share the detector's doubt, Hindi has none of it
    html = page('lang="hi"', "", f"<p>{MARATHI}</p>")
    assert meta_of(html).language == "mr"


def test_short_japanese_text_overrules_an_english_template() -> None:
    body = (
        "<p>政府は十四日の閣議で、地方自治体向け防災関連予算総額三千億円の補正予算案を決定した。</p>"
        "<p>全国知事会は同日、財源確保と事業執行期間延長を求める緊急要望書を提出した。</p>"
    )
    assert meta_of(page('lang="en"', "", body, "防災補正予算を決定")).language == "ja"


def test_short_korean_paragraphs_are_read() -> None:
    body = (
        "<p>정부는 15일 국무회의를 열고 신혼부부 공공임대주택 물량을 "
        "내년부터 두 배로 늘리는 방안을 의결했다.</p>"
        "<p>야당은 재원 마련 방안이 구체적이지 않다고 지적했다.</p>"
    )
    html = page('lang="en"', "", body, "신혼부부 공공임대 두 배로 확대")
    assert meta_of(html).language == "ko"
