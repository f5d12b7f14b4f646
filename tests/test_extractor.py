"""newsarc.extractor.extract on the fixture pages under fixtures/pages/ and on edge cases."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from newsarc.errors import ExtractError, NewsarcError
from newsarc.extractor import EXTRACTOR_VERSION, extract
from newsarc.model import Article, content_hash, count_words
from tests.conftest import FIXTURES, fixture_path

PAGES = sorted(
    p.name.removesuffix(".expected.json") for p in (FIXTURES / "pages").glob("*.expected.json")
)
ARTICLE_PAGES = [
    n
    for n in PAGES
    if "error" not in json.loads((FIXTURES / "pages" / f"{n}.expected.json").read_text("utf-8"))
]
SEED_URL = "https://www.headlineharbour.com/news/world/russia-men-fleeing-georgia?utm_source=x#c"


def expected(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(
        fixture_path(f"pages/{name}.expected.json").read_text("utf-8")
    )
    return result


def page_bytes(name: str) -> bytes:
    return fixture_path(f"pages/{name}.html").read_bytes()


def run(name: str) -> Article:
    return extract(page_bytes(name), expected(name)["url"])


@pytest.fixture(scope="module")
def seed() -> Article:
    return extract(page_bytes("seed-aggregator"), SEED_URL)


def test_there_are_enough_fixture_pages() -> None:
    assert len(ARTICLE_PAGES) >= 7
    assert "seed-aggregator" in ARTICLE_PAGES


@pytest.mark.parametrize("name", PAGES)
def test_fixture_page_matches_expected(name: str) -> None:
    spec = expected(name)
    if "error" in spec:
        with pytest.raises(ExtractError, match=re.escape(spec["message_contains"])):
            run(name)
        return
    article = run(name)
    for field in (
        "headline",
        "section",
        "published",
        "modified",
        "authors",
        "site",
        "language",
        "canonical_url",
    ):
        if field in spec:
            assert getattr(article, field) == spec[field], field
    if "normalized_url" in spec:
        assert article.url == spec["normalized_url"]
    assert article.body.startswith(spec["body_starts"])
    assert article.body.endswith(spec["body_ends"])
    for text in spec.get("body_contains", []):
        assert text in article.body
    for text in spec.get("body_excludes", []):
        assert text not in article.body, f"boilerplate left in body: {text!r}"
    if "paragraphs" in spec:
        assert len(article.body.split("\n\n")) == spec["paragraphs"]
    if "subheadings" in spec:
        assert article.subheadings == spec["subheadings"]


def test_subheadings_leave_the_body_and_short_lines_stay() -> None:
    article = run("subheadings")
    paragraphs = article.body.split("\n\n")
    # <h2>, <h2> and an <h3> with a line break in it (one subheading again), in page order
    assert article.subheadings == [
        "Why the bridge matters",
        "What it will cost and who pays",
        "Timeline",
    ]
    assert not set(article.subheadings) & set(paragraphs)
    assert not {"What it will cost", "and who pays"} & set(paragraphs)
    # short lines that are not headings are running text: a sentence, list items, table rows
    assert {"Nobody spoke against it.", "- £12m from council borrowing", "| 2022 | 3 |"} <= set(
        paragraphs
    )
    assert article.to_dict()["subheadings"] == article.subheadings


@pytest.mark.parametrize("name", ARTICLE_PAGES)
def test_body_paragraphs_are_separated_by_exactly_one_blank_line(name: str) -> None:
    body = run(name).body
    assert "\n\n\n" not in body
    assert body == body.strip()
    for paragraph in body.split("\n\n"):
        assert paragraph.strip() == paragraph
        assert "\n" not in paragraph
        assert "  " not in paragraph


@pytest.mark.parametrize("name", ARTICLE_PAGES)
def test_derived_fields_are_filled(name: str) -> None:
    article = run(name)
    assert article.extractor_version == EXTRACTOR_VERSION
    assert article.word_count == count_words(article.body) > 50
    assert article.content_hash == content_hash(article.body)
    assert article.fetched_at is None  # set by the pipeline, not by the pure extractor


def test_seed_headline_and_section_come_from_the_title_pattern(seed: Article) -> None:
    assert (
        seed.headline == "Russia news: Men fleeing to Georgia to avoid conscription in Ukraine war"
    )
    assert seed.section == "World"
    assert seed.published is not None and seed.published.startswith("2022-09-26")


def test_seed_body_is_the_article_only(seed: Article) -> None:
    assert seed.body.startswith("Russian men are fleeing their homeland")
    assert seed.body.endswith("driving through.")
    assert "READ MORE" not in seed.body
    assert "Source link" not in seed.body
    for comment in ("Can you really blame them", "bottled water", "mark my words"):
        assert comment not in seed.body
    seed_text = next((FIXTURES.parent.parent / "shared" / "seeds").glob("000_*.txt"), None)
    if seed_text is not None:  # every body paragraph of the seed, in order, and nothing else
        lines = [ln.strip() for ln in seed_text.read_text("utf-8").split("\n\n")[1:]]
        wanted = [ln for ln in lines if ln and "READ MORE" not in ln and ln != "Source link"]
        assert seed.body.split("\n\n") == wanted


def test_seed_url_is_normalized(seed: Article) -> None:
    assert seed.url == "https://www.headlineharbour.com/news/world/russia-men-fleeing-georgia"


def test_bytes_and_text_input_give_the_same_article() -> None:
    spec = expected("german")
    from_bytes = extract(page_bytes("german"), spec["url"])
    from_text = extract(page_bytes("german").decode("utf-8"), spec["url"])
    assert from_bytes == from_text


def test_windows_1251_bytes_are_decoded_from_the_meta_charset() -> None:
    raw = page_bytes("russian-cp1251")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    article = extract(raw, expected("russian-cp1251")["url"])
    assert "речного вокзала" in article.body
    assert article.headline == "В Твери отремонтируют старый речной вокзал"


def test_utf8_bom_and_xml_declaration_are_accepted() -> None:
    text = page_bytes("breadcrumbs").decode("utf-8")
    with_decl = '<?xml version="1.0" encoding="utf-8"?>\n' + text
    url = expected("breadcrumbs")["url"]
    assert extract(b"\xef\xbb\xbf" + text.encode("utf-8"), url).body == extract(text, url).body
    assert extract(with_decl, url).body == extract(text, url).body


def test_extract_does_not_fetch_or_need_the_network() -> None:
    # The source link points at another host; extraction must work from the given HTML alone.
    article = extract(page_bytes("seed-aggregator"), "https://127.0.0.1:9/never-fetched")
    assert article.url == "https://127.0.0.1:9/never-fetched"
    assert article.body.startswith("Russian men")


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n\t ",
        b"",
        "<html><head><title>Nothing</title></head><body></body></html>",
        "<html><body><div><span> </span></div></body></html>",
        "<html><head><script>var a = 1;</script></head><body><script>go()</script></body></html>",
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
    ],
)
def test_pages_without_article_text_raise_extract_error(html: str | bytes) -> None:
    with pytest.raises(ExtractError, match=r"no article text found in https://example\.org/x"):
        extract(html, "https://example.org/x")


def test_extract_error_is_a_newsarc_error_with_the_url() -> None:
    with pytest.raises(NewsarcError) as info:
        extract("<html><body><script>x()</script></body></html>", "https://example.org/app")
    assert isinstance(info.value, ExtractError)
    assert "https://example.org/app" in str(info.value)


def test_invalid_url_is_rejected_before_parsing() -> None:
    with pytest.raises(NewsarcError):
        extract(page_bytes("german"), "not a url")


def test_extract_leaves_the_input_unchanged_and_is_repeatable() -> None:
    raw = page_bytes("comments-newsletter")
    url = expected("comments-newsletter")["url"]
    first, second = extract(raw, url), extract(raw, url)
    assert first == second
    assert raw == page_bytes("comments-newsletter")


def test_a_short_but_real_article_is_kept() -> None:
    html = (
        "<html lang='en'><head><title>Bridge reopens | Local | Town Times</title></head><body>"
        "<article><h1>Bridge reopens</h1><p>The Mill Street bridge reopened to traffic on Friday "
        "after three months of repairs to its supports, the council said.</p></article>"
        "</body></html>"
    )
    article = extract(html, "https://towntimes.example.com/local/bridge-reopens")
    assert article.body == (
        "The Mill Street bridge reopened to traffic on Friday after three months of repairs "
        "to its supports, the council said."
    )


def test_promo_lines_inside_a_body_are_removed_but_similar_sentences_stay() -> None:
    paragraphs = [
        "The council met on Tuesday to discuss the new budget for the coming year, officials said.",
        "READ MORE: Council tax to rise by five percent",
        "He said he would read more about it later, before making up his mind on the vote.",
        "Related: Five things to know about the budget",
        "Members will vote again next month after a public consultation closes in the spring.",
        "Sign up to our newsletter for the latest local news.",
    ]
    html = (
        "<html><body><article>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article></body></html>"
    )
    body = extract(html, "https://example.org/budget").body.split("\n\n")
    assert body == [paragraphs[0], paragraphs[2], paragraphs[4]]


def test_extractor_version_is_a_non_empty_string() -> None:
    assert isinstance(EXTRACTOR_VERSION, str) and EXTRACTOR_VERSION


def test_fixture_pages_never_come_from_the_benchmark() -> None:
    bench = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks"
    truth = bench / "extraction-dev" / "ground-truth.json"
    if not truth.exists():
        pytest.skip("benchmark folder not present")
    urls = {v["url"] for v in json.loads(truth.read_text("utf-8")).values()}
    assert not urls & {expected(n)["url"] for n in PAGES}
