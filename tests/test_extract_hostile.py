"""Hostile page content against the extractor and its guard (newsarc.extractor.guard).

Every hostile input must end as a clean Article or as one ExtractError line: never another
exception, never a hang, never a blown memory budget, and junk (binary files, error pages,
mojibake) never becomes an article.

``guarded_extract`` is extract() wrapped in ``prepare`` and ``check_article``, which is what
extract() does once it calls the guard itself. The big inputs (100,000 nested elements,
100,000 paragraphs, a 10 MB line) are built and run in a child process, whose timeout is the
bound on hanging and whose peak RSS is checked; benchmarks/hostile_extract.py prints the figures.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import resource
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from newsarc.charset import decode_html
from newsarc.errors import ExtractError
from newsarc.extractor import extract
from newsarc.extractor.defuse import MarkupLimits, defuse
from newsarc.extractor.guard import check_article, decode_page, prepare
from newsarc.extractor.textcheck import binary_kind, readability, repair_double_encoding
from newsarc.model import Article
from tests.conftest import FIXTURES, fixture_path

ROOT = Path(__file__).resolve().parent.parent
URL = "https://www.harbourgazette.example/world/2024/03/harbour-strike-ends"
MEMORY_BUDGET_MB = 500
CHILD_TIMEOUT = 300  # seconds: the bound on "never hangs", far above the few seconds it takes

SENTENCES = [
    "Dock workers voted on Thursday to accept a new contract, ending a nine-day strike.",
    "The agreement raises wages by six percent over two years and limits night shifts.",
    "Ships that had queued outside the harbour began to move within hours of the vote.",
    "The port authority expects cargo traffic to return to normal by Monday morning.",
    "Exporters said the delay had cost them millions and asked the city for compensation.",
    "Talks on pensions, left out of this agreement, will resume early next year.",
]
HEADLINE = "Harbour strike ends after nine days of talks"


def article_markup(paragraphs: int = 6) -> str:
    body = "".join(f"<p>{SENTENCES[i % len(SENTENCES)]}</p>" for i in range(paragraphs))
    return f"<article><h1>{HEADLINE}</h1>{body}</article>"


def page(body: str, title: str = HEADLINE) -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body>{body}</body></html>"
    )


def guarded_extract(html: str | bytes, url: str = URL) -> Article:
    """extract() with the guard around it, as extract() will run it."""
    article = extract(prepare(html, url), url)
    check_article(article)
    return article


def one_line_error(excinfo: pytest.ExceptionInfo[ExtractError]) -> str:
    assert excinfo.type is ExtractError
    return one_line(excinfo.value)


def one_line(exc: ExtractError) -> str:
    message = str(exc)
    assert "\n" not in message and 0 < len(message) < 400, message
    return message


# --- inputs ---------------------------------------------------------------------------------


def pdf_bytes() -> bytes:
    stream = zlib.compress(b"BT /F1 12 Tf 72 712 Td (Harbour strike ends) Tj ET" * 200)
    return (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Length 99 >>\nstream\n"
        + stream
        + b"\nendstream\n%%EOF\n"
    )


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + zlib.compress(bytes(range(256)) * 64)


BINARIES = {
    "pdf": (pdf_bytes(), "PDF"),
    "png": (png_bytes(), "PNG"),
    "gif": (b"GIF89a\x10\x00\x10\x00\x80\x00\x00" + bytes(300), "GIF"),
    "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4, "JPEG"),
    "zip": (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200), "ZIP"),
    "gzip": (gzip.compress(page(article_markup()).encode()), "gzip"),
    "mp4": (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00" + bytes(200), "MP4"),
    "webp": (b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(200), "RIFF"),
    "elf": (b"\x7fELF\x02\x01\x01" + bytes(200), "executable"),
}


def nested(count: int, tag: str = "div", close: bool = True) -> str:
    closing = f"</{tag}>" * count if close else ""
    return page(f"<{tag}>" * count + article_markup() + closing)


def many_paragraphs(count: int) -> str:
    paragraphs = "".join(
        f"<p>Paragraph {i}: {SENTENCES[i % len(SENTENCES)]}</p>" for i in range(count)
    )
    return page(f"<article><h1>{HEADLINE}</h1>{paragraphs}</article>")


def single_line(megabytes: int) -> str:
    unit = "lorem ipsum dolor sit amet "
    return unit * (megabytes * 1024 * 1024 // len(unit))


BIG_CASES = {
    "nested_divs_100k": lambda: nested(100_000),
    "unclosed_divs_100k": lambda: nested(100_000, close=False),
    "paragraphs_100k": lambda: many_paragraphs(100_000),
    "single_line_10mb": lambda: single_line(10),
}


def child_run(case: str, mode: str) -> dict[str, Any]:
    """Run one big case in this (child) process; outcome, time and peak memory as a dict."""
    html = BIG_CASES[case]()
    started = time.perf_counter()
    outcome: dict[str, Any] = {"case": case, "mode": mode}
    try:
        article = guarded_extract(html) if mode == "guarded" else extract(html, URL)
        outcome.update(
            outcome="article",
            headline=article.headline,
            words=article.word_count,
            body_head=article.body[:300],
            body_tail=article.body[-300:],
        )
    except ExtractError as exc:
        outcome.update(outcome="error", message=str(exc))
    outcome["seconds"] = round(time.perf_counter() - started, 2)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome["peak_mb"] = round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024))
    return outcome


def run_in_child(case: str, mode: str = "guarded") -> dict[str, Any]:
    code = (
        "import json, tests.test_extract_hostile as t; "
        f"print(json.dumps(t.child_run({case!r}, {mode!r})))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# --- the big cases, each in a child process ---------------------------------------------------


@pytest.mark.parametrize("case", ["nested_divs_100k", "unclosed_divs_100k"])
def test_article_inside_100k_nested_divs_is_extracted(case: str) -> None:
    result = run_in_child(case)
    assert result["outcome"] == "article", result
    assert result["headline"] == HEADLINE
    assert result["body_head"].startswith(SENTENCES[0])
    assert result["body_tail"].endswith(SENTENCES[5])
    assert result["peak_mb"] < MEMORY_BUDGET_MB


def test_100k_paragraphs_finish_within_memory_and_are_cut_at_the_element_budget() -> None:
    result = run_in_child("paragraphs_100k")
    assert result["outcome"] == "article", result
    assert result["body_head"].startswith("Paragraph 0: ")
    last = int(re.findall(r"Paragraph (\d+):", result["body_tail"])[-1])
    assert 45_000 < last < MarkupLimits().max_elements  # cut, not lost
    assert result["peak_mb"] < MEMORY_BUDGET_MB


def test_10mb_line_without_tags_is_rejected() -> None:
    result = run_in_child("single_line_10mb")
    assert result["outcome"] == "error"
    assert "not an HTML page" in result["message"] and "without any markup" in result["message"]
    assert result["peak_mb"] < MEMORY_BUDGET_MB


# --- the listed hostile cases, in process ----------------------------------------------------


def test_malformed_html_keeps_the_text_after_a_stray_html_end_tag() -> None:
    article = guarded_extract(fixture_path("hostile/malformed.html").read_bytes())
    assert article.headline == HEADLINE
    assert "Dock workers voted" in article.body
    assert "The port authority said" in article.body  # after "</html>" and garbage bytes
    assert "Talks will resume next year" in article.body


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><script>var app = {};" + "app.x = 1;" * 500 + "</script></head><body>"
        "<div id='root'></div><script src='/app.js'></script></body></html>",
        "<html><body><script>document.write('<p>hello world</p>')</script>"
        "<style>p { color: red }</style><p>&nbsp;</p></body></html>",
    ],
)
def test_page_with_only_javascript_is_rejected(html: str) -> None:
    with pytest.raises(ExtractError) as excinfo:
        guarded_extract(html)
    assert "no visible text, only scripts" in one_line_error(excinfo)


def test_js_only_fixture_is_rejected() -> None:
    with pytest.raises(ExtractError):
        guarded_extract(fixture_path("pages/js-only.html").read_bytes())


@pytest.mark.parametrize("html", ["", "   \n\t ", b"", b"\xef\xbb\xbf", b"\xef\xbb\xbf \r\n"])
def test_empty_document_is_rejected(html: str | bytes) -> None:
    with pytest.raises(ExtractError) as excinfo:
        guarded_extract(html)
    assert "empty page" in one_line_error(excinfo)


@pytest.mark.parametrize("name", sorted(BINARIES))
def test_binary_bytes_are_not_pages(name: str) -> None:
    data, kind = BINARIES[name]
    with pytest.raises(ExtractError) as excinfo:
        guarded_extract(data)
    message = one_line_error(excinfo)
    assert "not an HTML page" in message and kind in message and URL in message


@pytest.mark.parametrize("name", ["pdf", "png", "jpeg", "gif"])
@pytest.mark.parametrize("decoding", ["cp1252", "utf-8-replace", "decode_html"])
def test_binary_already_decoded_to_text_is_not_a_page(name: str, decoding: str) -> None:
    data, kind = BINARIES[name]
    if decoding == "cp1252":
        text = data.decode("cp1252", errors="replace")
    elif decoding == "utf-8-replace":
        text = data.decode("utf-8", errors="replace")
    else:
        text = decode_html(data)[0]
    with pytest.raises(ExtractError) as excinfo:
        guarded_extract(text)
    assert kind in one_line_error(excinfo)


def test_random_bytes_without_a_signature_are_binary_data() -> None:
    data = random.Random(6).randbytes(50_000)
    with pytest.raises(ExtractError) as excinfo:
        guarded_extract(data)
    assert "binary data" in one_line_error(excinfo)


def test_utf16_with_bom_is_decoded() -> None:
    article = guarded_extract(fixture_path("hostile/utf16le-bom.html").read_bytes())
    assert article.headline == "Le conseil municipal approuve le budget des parcs"
    assert "a voté mardi soir un budget élargi" in article.body


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded(codec: str) -> None:
    data = page(article_markup()).encode(codec)
    assert decode_page(data, URL).startswith("<!DOCTYPE html>")
    assert guarded_extract(data).headline == HEADLINE


def test_utf16_read_as_8bit_text_is_rejected_for_its_nuls() -> None:
    text = page(article_markup()).encode("utf-16-le").decode("latin-1")
    with pytest.raises(ExtractError) as excinfo:
        guarded_extract(text)
    assert "NUL characters" in one_line_error(excinfo)


def test_latin1_read_as_utf8_is_not_stored_with_mojibake() -> None:
    text = fixture_path("hostile/latin1-says-utf8.html").read_bytes().decode("utf-8", "replace")
    with pytest.raises(ExtractError) as excinfo:
        guarded_extract(text)
    assert "U+FFFD" in one_line_error(excinfo)


def test_latin1_bytes_behind_a_lying_meta_charset_decode_correctly() -> None:
    article = guarded_extract(fixture_path("hostile/latin1-says-utf8.html").read_bytes())
    assert "a voté mardi soir un budget élargi" in article.body
    assert "\ufffd" not in article.body


def test_double_encoded_utf8_is_repaired() -> None:
    raw = fixture_path("hostile/double-encoded.html").read_bytes()
    assert "votÃ©" in raw.decode("utf-8")
    article = guarded_extract(raw)
    assert "a voté mardi soir un budget élargi" in article.body
    assert "« C'est une étape décisive" in article.body
    assert "Ã" not in article.body + article.headline


@pytest.mark.parametrize(
    ("errors", "outcome"), [("strict", "repaired"), ("replace", "rejected"), ("ignore", "rejected")]
)
def test_double_encoded_cyrillic_is_repaired_only_when_nothing_was_lost(
    errors: str, outcome: str
) -> None:
    russian = "Городской совет утвердил бюджет: я думаю, это хорошая новость для района. "
    html = page(f"<article><h1>Бюджет утверждён</h1><p>{russian * 8}</p></article>")
    mangled = html.encode("utf-8").decode("latin-1" if errors == "strict" else "cp1252", errors)
    if outcome == "repaired":
        assert guarded_extract(mangled).body.startswith(russian.strip())
        return
    with pytest.raises(ExtractError) as excinfo:
        guarded_extract(mangled)
    assert "mojibake" in one_line_error(excinfo)


def test_a_correct_page_quoting_a_few_mojibake_sequences_is_left_alone() -> None:
    text = (
        "Wenn aus »Straße« plötzlich »StraÃŸe« wird, ist die Kodierung schuld. Übliche Fälle: "
        "Ã¤ statt ä, Ã¶ statt ö. Größere Schäden entstehen, wenn Dateien mehrfach übertragen "
        "werden; die Österreicher, Schweizer und Südtiroler Redaktionen prüfen deshalb täglich."
    )
    html = page(f"<article><h1>Kaputte Umlaute</h1><p>{text}</p><p>{text}</p></article>")
    assert prepare(html, URL) is html
    assert "»StraÃŸe«" in guarded_extract(html).body


@pytest.mark.parametrize("name", ["soft-404", "access-denied", "seite-nicht-gefunden", "bot-check"])
def test_error_pages_are_not_articles(name: str) -> None:
    with pytest.raises(ExtractError) as excinfo:
        guarded_extract(fixture_path(f"hostile/{name}.html").read_bytes())
    one_line_error(excinfo)


def test_an_article_about_404_errors_is_kept() -> None:
    article = guarded_extract(fixture_path("hostile/article-about-404.html").read_bytes())
    assert article.headline == "Why broken links haunt the web's archives"
    assert "404 Not Found" in article.body


# --- what the bare extract() may do: an Article or an ExtractError, nothing else -------------

BARE_INPUTS: dict[str, str | bytes] = {
    **{f"binary-{name}": data for name, (data, _) in BINARIES.items()},
    "nested-300": nested(300),
    "font-unclosed-2000": page("<font>" * 2000 + article_markup()),
    "source-flood": page("<picture>" + "<source srcset=x>" * 400 + "</picture>" + article_markup()),
    "stray-end-tags": page(article_markup(2) + "</body></html><p>" + SENTENCES[3] + "</p>"),
    "unclosed-comment": page(article_markup() + "<!-- never closed <p>hidden</p>"),
    "unclosed-quote": page('<p title="never closed>' + article_markup()),
    "nul-text": page(article_markup()).replace(" ", "\x00"),
    "lone-surrogates": page(article_markup()).replace("nine", "\ud800\udfff"),
    "only-entities": page("<p>&nbsp;&amp;&#160;</p>"),
    "lt-flood": "<" * 100_000,
    "decl-flood": "<!" * 100_000,
    "xml-declaration": '<?xml version="1.0" encoding="utf-8"?>' + page(article_markup()),
}


@pytest.mark.parametrize("name", sorted(BARE_INPUTS))
def test_bare_extract_raises_only_extract_error(name: str) -> None:
    try:
        article = extract(BARE_INPUTS[name], URL)
    except ExtractError as exc:
        one_line(exc)
    else:
        assert isinstance(article, Article) and article.body


@pytest.mark.parametrize("name", sorted(BARE_INPUTS))
def test_guarded_extract_raises_only_extract_error(name: str) -> None:
    try:
        article = guarded_extract(BARE_INPUTS[name])
    except ExtractError as exc:
        one_line(exc)
    else:
        assert "\x00" not in article.body and "\ufffd" not in article.body


# --- defuse: what libxml2 would lose, kept --------------------------------------------------


def parse(html: str) -> tuple[lxml.html.HtmlElement, list[str]]:
    parser = lxml.html.HTMLParser()
    tree = lxml.html.document_fromstring(html, parser=parser)
    return tree, [str(e) for e in parser.error_log if "FATAL" in str(e)]


def tree_depth(tree: lxml.html.HtmlElement) -> int:
    deepest = 0
    for element in tree.iter():
        depth, node = 0, element
        while node is not None:
            depth, node = depth + 1, node.getparent()
        deepest = max(deepest, depth)
    return deepest


TAIL = "<p>TAIL survives</p>"
DEEP = 3000  # far past libxml2's 255, small enough to parse in milliseconds
DEEP_PATTERNS = {
    "div": "<div>" * DEEP + TAIL + "</div>" * DEEP,
    "div-unclosed": "<div>" * DEEP + TAIL,
    "font-unclosed": "<font>" * DEEP + TAIL,
    "span-div-mismatch": "<span><div></span>" * DEEP + TAIL,
    "section-div-mismatch": "<section><div></section>" * DEEP + TAIL,
    "table": "<table><tr><td>" * DEEP + TAIL,
    "ul-li": "<ul><li>item " * DEEP + TAIL,
    "blockquote": "<blockquote>quote " * DEEP + TAIL,
    "h1-div": "<h1><div>" * DEEP + TAIL,
    "svg-g": "<svg>" + "<g>" * DEEP + "</svg>" + TAIL,
    "source": "<picture>" + "<source srcset=a.jpg>" * DEEP + "</picture>" + TAIL,
    "unquoted-slash": "<path d=M0/>" * DEEP + TAIL,  # "/" belongs to the value: not empty
    "custom-elements": "<x-card><x-body class=c>" * DEEP + TAIL,
    "mixed-inline": "<div><span><b><i><a href=x><em>" * (DEEP // 6) + TAIL,
}


@pytest.mark.parametrize("name", sorted(DEEP_PATTERNS))
def test_deep_nesting_is_flattened_below_libxml2s_limit(name: str) -> None:
    html = page(DEEP_PATTERNS[name])
    raw_tree, raw_fatal = parse(html)
    assert raw_fatal and "TAIL" not in raw_tree.text_content()  # what lxml alone does
    result = defuse(html)
    tree, fatal = parse(result.html)
    assert not fatal
    assert "TAIL survives" in tree.text_content()
    assert tree_depth(tree) <= MarkupLimits().max_depth + 3
    assert result.unwrapped > 0 and result.depth <= MarkupLimits().max_depth


@pytest.mark.parametrize("name", ["div-self-closing", "stray-end-tags", "void"])
def test_flat_markup_that_looks_deep_is_left_alone(name: str) -> None:
    body = {
        "div-self-closing": "<div/><span />" * DEEP,
        "stray-end-tags": "</div></span></p>" * DEEP,
        "void": "<br><img src=x><hr><input>" * DEEP,
    }[name]
    html = page(body + TAIL)
    result = defuse(html)
    assert result.html is html and result.depth <= 3


def test_unwrapped_block_tags_keep_paragraphs_apart() -> None:
    paragraphs = [f"Paragraph {i} {SENTENCES[i % 6]}" for i in range(400)]
    html = page("".join(f"<blockquote><p>{text}" for text in paragraphs))
    article = guarded_extract(html)
    assert article.body.split("\n\n")[-1] == paragraphs[-1]
    assert len(article.body.split("\n\n")) >= 390


def test_tags_inside_quoted_attributes_scripts_and_comments_are_not_counted() -> None:
    template = "<div><div><div><picture><source srcset=x>" * 60
    html = page(
        f'<div data-template="{template}"></div>'
        f"<script>var t = '{template}';</script>"
        f"<!-- {template} -->"
        f"<textarea>{template}</textarea>" + article_markup()
    )
    result = defuse(html)
    assert result.html is html
    assert result.depth <= 4


def test_real_pages_pass_through_unchanged() -> None:
    pages = sorted(FIXTURES.glob("*/*.html"))
    assert len(pages) >= 20
    for path in pages:
        if path.parent.name == "hostile":
            continue
        html = decode_html(path.read_bytes())[0]
        result = defuse(html)
        assert result.html is html, path
        assert result.depth < 40


def test_stray_end_tags_mid_page_are_removed_but_final_ones_kept() -> None:
    html = page(article_markup(2) + "</body></html><p>" + SENTENCES[4] + "</p>")
    result = defuse(html)
    assert result.stray_ends == 2
    assert SENTENCES[4] in parse(result.html)[0].text_content()
    trailing = page(article_markup()) + "\n<script>track()</script><!-- cache -->"
    assert defuse(trailing).html is trailing


def test_element_budget_cuts_the_page() -> None:
    html = many_paragraphs(500)
    result = defuse(html, MarkupLimits(max_elements=120))
    assert result.cut_at is not None and result.elements == 120
    assert "Paragraph 100:" in result.html and "Paragraph 200:" not in result.html


def test_tag_budget_counts_unwrapped_tags_too() -> None:
    html = page("<b>" * 5000 + article_markup())
    result = defuse(html, MarkupLimits(max_tags=1000))
    assert result.cut_at is not None and result.tags == 1000
    assert SENTENCES[0] not in result.html


def test_oversized_text_run_and_script_are_dropped() -> None:
    limits = MarkupLimits(max_run=5000)
    html = page(
        "<script>" + "x" * 6000 + "</script><pre>" + "y" * 6000 + "</pre>" + article_markup()
    )
    result = defuse(html, limits)
    assert result.dropped_runs == 2
    assert "xxxxx" not in result.html and "yyyyy" not in result.html
    assert SENTENCES[5] in result.html


def test_character_budget_cuts_the_page() -> None:
    html = many_paragraphs(200)
    result = defuse(html, MarkupLimits(max_chars=5000))
    assert result.cut_at == 5000 and len(result.html) == 5000


def test_a_libxml2_sized_text_node_no_longer_empties_the_page() -> None:
    html = page("<p>" + "z" * 10_500_000 + "</p>" + article_markup())
    assert SENTENCES[3] not in parse(html)[0].text_content()  # lxml gives up at the node
    prepared = prepare(html, URL)
    assert SENTENCES[3] in parse(prepared)[0].text_content()


@pytest.mark.parametrize(
    "kwargs",
    [{"max_depth": 300}, {"max_wrapper_depth": 200, "max_depth": 100}, {"max_elements": 0}],
)
def test_markup_limits_are_validated(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        MarkupLimits(**kwargs)


def test_adversarial_markup_scans_in_linear_time() -> None:
    """Each input is 2 MB; a quadratic step would take hours and hit the child's timeout."""
    code = (
        "import time\n"
        "from newsarc.extractor.defuse import defuse\n"
        "n = 2_000_000\n"
        "inputs = ['<' * n, '<a' * (n // 2), '<a x=\"' * (n // 6), \"<a x='\\\"\" * (n // 7),\n"
        "          '<!--' * (n // 4), '<!' * (n // 2), '<script>' * (n // 8),\n"
        "          '<div>' * 100_000 + '</span>' * (n // 7), '<b>' * (n // 3),\n"
        "          '<a ' + ' ' * n + '\"x\">', '<p>x</p></html>' * (n // 15)]\n"
        "for html in inputs:\n"
        "    defuse(html)\n"
        "print('done')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=CHILD_TIMEOUT
    )
    assert proc.stdout.strip() == "done", proc.stderr[-2000:]


# --- the text checks ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["BMW and MZ are brands", "ID3 tags explained", "<html>", "OggS is a format", "%!important"],
)
def test_text_that_starts_like_a_signature_is_not_binary(text: str) -> None:
    assert binary_kind(text) is None
    assert binary_kind(text.encode()) is None


def test_repair_turns_every_kind_of_sequence_back() -> None:
    original = "café – “quoted” € naïve Ærø Привет 東京 🙂"
    mangled = original.encode("utf-8").decode("cp1252", errors="ignore")
    latin1 = original.encode("utf-8").decode("latin-1")
    assert repair_double_encoding(latin1) == original
    assert readability(latin1).mojibake and not readability(original).mojibake
    assert repair_double_encoding(mangled) != original  # bytes were dropped: not recoverable


# --- check_article --------------------------------------------------------------------------


def record(headline: str, body: str) -> Article:
    return Article(url=URL, headline=headline, body=body)


@pytest.mark.parametrize(
    ("headline", "body"),
    [
        ("404 Not Found", "The requested URL was not found on this server."),
        ("Error 404", "Go back to the home page."),
        ("404", "Nothing here."),
        ("Page not found", "Try the search box or browse our sections."),
        ("Harbour Gazette", "Sorry, the page you are looking for could not be found."),
        ("Harbour Gazette", "We can't find that page. It may have moved."),
        ("Harbour Gazette", "The requested URL /world/x was not found on this server."),
        ("Access Denied", "Reference #18.4c2d3b17"),
        ("Forbidden", "You don't have permission to access this resource."),
        ("Just a moment...", "Checking your browser before accessing the site."),
        ("Attention Required!", "Please complete the security check to access the site."),
        ("Seite nicht gefunden", "Zur Startseite"),
        ("Страница не найдена", "Вернуться на главную"),
        ("ページが見つかりません", "トップページへ戻る"),
        (
            "Harbour Gazette",
            "Access to this page has been denied because we believe you are a bot.",
        ),
    ],
)
def test_error_pages_are_rejected(headline: str, body: str) -> None:
    with pytest.raises(ExtractError) as excinfo:
        check_article(record(headline, body))
    assert "an error page" in one_line_error(excinfo)


@pytest.mark.parametrize(
    ("headline", "body"),
    [
        ("500 dead in floods across the delta", SENTENCES[0]),
        ("Access denied to journalists at the border", SENTENCES[1] + " " + SENTENCES[2]),
        ("Forbidden City reopens to visitors", SENTENCES[3]),
        ("404 Not Found: why links rot", " ".join(SENTENCES * 60)),  # long: an article
        ("Harbour strike ends", "The union said the old contract does not exist any more."),
        (
            "東京の港でストライキ終了",
            "港湾労働者は木曜日に新しい契約を受け入れることを投票で決めた。" * 5,
        ),
    ],
)
def test_articles_that_mention_errors_are_kept(headline: str, body: str) -> None:
    check_article(record(headline, body))


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kg== "
            * 20,
            "encoded data",
        ),
        ("\ue000\ue001\ue002 text " * 50, "unprintable"),
        ("Le conseil a votÃ© mardi un budget Ã©largi pour les Ã©coles. " * 5, "mojibake"),
        ("Le conseil a vot\ufffd mardi un budget \ufffdlargi. " * 5, "mojibake"),
    ],
)
def test_unreadable_bodies_are_rejected(body: str, reason: str) -> None:
    with pytest.raises(ExtractError) as excinfo:
        check_article(record(HEADLINE, body))
    assert reason in one_line_error(excinfo)
