"""Layout-level body fixes: source lookup, split bodies, lost leads, edge outliers, pruning."""

from __future__ import annotations

import lxml.html
import pytest

from newsarc.extractor import anchors, layout, prune
from newsarc.extractor.body import _menu_like, extract_body, split_paragraphs

PROSE = [
    f"Paragraph {word} of the story runs on for a while about the council budget, the vote that "
    f"followed on Monday night and what residents said about it afterwards."
    for word in ("one", "two", "three", "four", "five", "six", "seven", "eight")
]


def tree_of(body: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><head></head><body>{body}</body></html>")


def paras(texts: list[str]) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


# --- anchors ------------------------------------------------------------------------------


def test_source_map_finds_the_block_of_a_paragraph_split_by_inline_markup() -> None:
    tree = tree_of(
        "<div id='a'><p><strong>WASHINGTON</strong> (AP) — The Senate voted on Tuesday to "
        "approve the measure after a <a href='#'>long debate</a> that ran late into the night."
        "</p></div>"
    )
    source = anchors.SourceMap(tree)
    block = source.locate(
        "WASHINGTON (AP) — The Senate voted on Tuesday to approve the measure after a long "
        "debate that ran late into the night."
    )
    assert block is not None and block.tag == "p"
    assert block.getparent().get("id") == "a"


def test_source_map_ignores_scripts_and_returns_none_when_absent() -> None:
    tree = tree_of(
        '<script>var body = "The council voted to approve the plan on Monday night";</script>'
        "<p>Something else entirely, with enough words to be a paragraph of text.</p>"
    )
    source = anchors.SourceMap(tree)
    assert source.locate("The council voted to approve the plan on Monday night") is None
    assert source.locate("short") is None


def test_source_map_finds_repeats_in_document_order() -> None:
    text = "The standfirst and the lead say exactly the same thing here."
    tree = tree_of(f"<header><p class='dek'>{text}</p></header><main><p>{text}</p></main>")
    source = anchors.SourceMap(tree)
    first, offset = source.find(text)
    second, _ = source.find(text, offset + 1)
    assert first is not None and first.get("class") == "dek"
    assert second is not None and second.getparent().tag == "main"
    assert [b.getparent().tag for b in source.find_all(text)] == ["header", "main"]


def test_container_is_the_innermost_element_holding_most_paragraphs() -> None:
    tree = tree_of(
        f"<div id='page'><div id='body'>{paras(PROSE[:6])}</div>"
        f"<div id='side'>{paras(PROSE[6:7])}</div></div>"
    )
    blocks = list(tree.iter("p"))
    box = anchors.container(blocks)
    assert box is not None and box.get("id") == "body"
    assert anchors.distance(blocks[0], box) == 0
    assert anchors.distance(blocks[6], box) == 1
    assert anchors.container([]) is None


def test_container_of_one_paragraph_is_its_parent() -> None:
    tree = tree_of(f"<div id='body'>{paras(PROSE[:1])}</div>")
    box = anchors.container(list(tree.iter("p")))
    assert box is not None and box.get("id") == "body"


# --- split bodies -----------------------------------------------------------------------


SPLIT = (
    "<article><div class='chunks'>"
    f"<div class='grid wide'><div class='article-body text'>{paras(PROSE[:3])}</div></div>"
    "<div class='ad'>Advertisement</div>"
    f"<div class='grid wide'><div class='article-body text'>{paras(PROSE[3:6])}</div></div>"
    f"<div class='grid wide'><div class='article-body text'>{paras(PROSE[6:])}</div></div>"
    "</div></article>"
)


def test_split_chunks_are_found_and_merged_in_order() -> None:
    tree = tree_of(SPLIT)
    box = tree.find(".//div[@class='article-body text']")
    chunks = layout.split_chunks(box, PROSE[:3])
    assert len(chunks) == 3 and chunks[0] is box
    layout.merge_chunks(chunks)
    assert [p.text for p in box.iter("p")] == PROSE


def test_split_chunks_are_empty_when_the_siblings_hold_nothing_new() -> None:
    tree = tree_of(SPLIT)
    box = tree.find(".//div[@class='article-body text']")
    assert layout.split_chunks(box, PROSE) == []


def test_sibling_articles_are_not_merged() -> None:
    other = "<h1>Another story</h1>" + paras(PROSE[3:])
    tree = tree_of(
        f"<div class='feed'><article class='post'><div class='body'>{paras(PROSE[:3])}</div>"
        f"</article><article class='post'><div class='body'>{other}</div></article></div>"
    )
    box = tree.find(".//div[@class='body']")
    assert layout.split_chunks(box, PROSE[:3]) == []


def test_extract_body_recovers_a_body_split_by_ads() -> None:
    html = f"<html><body><h1>Budget vote</h1>{SPLIT}<footer>(c) Paper</footer></body></html>"
    tree = lxml.html.document_fromstring(html)
    body = extract_body(tree, "https://example.org/budget", headline="Budget vote")
    assert body.paragraphs == PROSE


# --- the lead ---------------------------------------------------------------------------


def test_lost_lead_is_taken_from_loose_text_before_the_first_paragraph() -> None:
    lead = "Apple plans a new laptop with a redesigned keyboard next year, according to a report."
    tree = tree_of(
        f"<div class='content'>{lead}<br><br><img src='x.jpg'><center><em>A caption</em></center>"
        f"<br>{PROSE[0]}<br><br>{PROSE[1]}</div>"
    )
    block = tree.find(".//div[@class='content']")
    assert layout.lost_lead(PROSE[0], block, "\n".join(PROSE[:2])) == [lead]


def test_lost_lead_ignores_short_labels_and_text_already_extracted() -> None:
    tree = tree_of(f"<div>Share<br>{PROSE[1]}<br>{PROSE[0]}</div>")
    block = tree.find(".//div")
    assert layout.lost_lead(PROSE[0], block, "\n".join(PROSE[:2])) == []
    assert layout.lost_lead(PROSE[0], None, "") == []


# --- outliers ---------------------------------------------------------------------------


def placed(items: list[tuple[str, int | None]]) -> list[layout.Placed]:
    return [layout.Placed(text, far) for text, far in items]


def test_standfirst_outside_the_container_is_dropped() -> None:
    stand = "The council approved the budget after a long and heated debate on Monday."
    items = placed([(stand, 2), *((p, 0) for p in PROSE[:4])])
    kept = layout.drop_outliers(items, [], stand)
    assert [p.text for p in kept] == PROSE[:4]


def test_lead_inside_the_container_that_equals_the_description_stays() -> None:
    items = placed([(p, 0) for p in PROSE[:4]])
    assert [p.text for p in layout.drop_outliers(items, [], PROSE[0])] == PROSE[:4]


def test_long_paragraph_outside_the_container_at_the_top_stays() -> None:
    items = placed([(PROSE[5], 1), *((p, 0) for p in PROSE[:4])])
    assert len(layout.drop_outliers(items, [], None)) == 5


def test_headline_like_line_outside_the_container_at_the_top_is_dropped() -> None:
    items = placed([("Top stories this week", 1), *((p, 0) for p in PROSE[:4])])
    assert [p.text for p in layout.drop_outliers(items, [], None)] == PROSE[:4]


def test_sidebar_text_above_the_headline_is_dropped() -> None:
    items = placed([(PROSE[7], 3), ("Budget vote", 0), *((p, 0) for p in PROSE[:4])])
    assert [p.text for p in layout.drop_outliers(items, ["Budget vote"], None)] == PROSE[:4]


def test_about_box_far_outside_the_container_at_the_end_is_dropped() -> None:
    about = "Northwind Robotics builds warehouse robots in twenty countries."
    items = placed([*((p, 0) for p in PROSE[:5]), (about, 2)])
    assert [p.text for p in layout.drop_outliers(items, [], None)] == PROSE[:5]
    # ...unless it is a large part of the body: then the container guess is what is wrong.
    big = placed([*((p, 0) for p in PROSE[:2]), *((p, 2) for p in PROSE[2:4])])
    assert len(layout.drop_outliers(big, [], None)) == 4


def test_trailing_list_of_story_links_is_dropped() -> None:
    items = "".join(
        f"<li>{n} <a href='/s{n}'>story about something else entirely</a></li>" for n in range(4)
    )
    tree = tree_of(f"<div>{paras(PROSE[:3])}<ul>{items}</ul></div>")
    texts = [*PROSE[:3], *(f"- {li.text_content()}" for li in tree.iter("li"))]
    found, _ = layout.place(tree, texts)
    assert [p.text for p in layout.drop_outliers(found, [], None)] == PROSE[:3]


def test_trailing_list_without_links_stays() -> None:
    items = "".join(f"<li>Bug number {n} was fixed in this release</li>" for n in range(4))
    tree = tree_of(f"<div>{paras(PROSE[:3])}<ul>{items}</ul></div>")
    texts = [*PROSE[:3], *(f"- {li.text_content()}" for li in tree.iter("li"))]
    found, _ = layout.place(tree, texts)
    assert len(layout.drop_outliers(found, [], None)) == 7


def test_table_rows_of_links_are_dropped_but_data_rows_stay() -> None:
    tree = tree_of(
        f"<div>{paras(PROSE[:3])}<table>"
        "<tr><td><a href='/a'>Ten cheap holiday ideas for families</a></td>"
        "<td><a href='/b'>Why savers are switching accounts now</a></td></tr>"
        "<tr><td>Ticker HD</td><td>Home Depot 225.86</td></tr></table></div>"
    )
    texts = [
        *PROSE[:3],
        "| Ten cheap holiday ideas for families | Why savers are switching accounts now |",
        "| Ticker HD | Home Depot 225.86 |",
    ]
    found, _ = layout.place(tree, texts)
    kept = [p.text for p in layout.drop_outliers(found, [], None)]
    assert kept == [*PROSE[:3], "| Ticker HD | Home Depot 225.86 |"]


# --- pruning ----------------------------------------------------------------------------


def test_hidden_metadata_copy_of_the_body_is_pruned() -> None:
    tree = tree_of(
        f"<article>{paras(PROSE[:3])}</article>"
        f"<div style='display: none'><div itemprop='articleBody'>{paras(PROSE[:3])}</div>"
        "<span itemprop='datePublished'>2019-11-19T08:57:40+01:00</span></div>"
    )
    assert prune.prune_tree(tree) == 1
    assert "2019-11-19" not in tree.text_content()
    assert tree.text_content().count(PROSE[0]) == 1


def test_hidden_rest_of_story_is_kept_when_it_is_the_only_copy() -> None:
    tree = tree_of(
        f"<article>{paras(PROSE[:2])}<div class='paywall' hidden>{paras(PROSE[2:])}</div>"
        f'</article><script type=\'application/ld+json\'>{{"articleBody": "{PROSE[4]}"}}</script>'
    )
    assert prune.prune_tree(tree) == 0
    assert PROSE[5] in tree.text_content()


def test_small_hidden_elements_are_pruned() -> None:
    tree = tree_of(f"<p>{PROSE[0]}<span hidden>Screen reader only label</span></p>")
    assert prune.prune_tree(tree) == 1
    assert "Screen reader" not in tree.text_content()


def test_link_card_inside_a_paragraph_is_pruned() -> None:
    card = (
        "<span class='card'><a href='/p'>Jane Doe</a><a href='/1'>Senate passes the budget bill "
        "after a long night</a> <a href='/2'>Governor signs new law on school meals</a></span>"
    )
    tree = tree_of(f"<p>A man threatened Rep. {card} and was arrested on Monday.</p>")
    assert prune.prune_tree(tree) == 1
    assert tree.find(".//p").text_content() == "A man threatened Rep.  and was arrested on Monday."


def test_ordinary_links_in_a_paragraph_are_kept() -> None:
    tree = tree_of(
        "<p>The <a href='/r'>report</a> and the <a href='/s'>statement</a> were released.</p>"
    )
    assert prune.prune_tree(tree) == 0


def test_markup_without_text_is_dropped_and_json_ld_kept() -> None:
    tree = tree_of(
        "<link rel='stylesheet' href='/a.css'><style>p { color: red }</style>"
        f"<p>{PROSE[0]}<svg viewBox='0 0 9 9'><title>Share</title><path d='M0 0'/></svg>"
        "tail after the icon</p><meta itemprop='datePublished' content='2024-01-01'>"
        "<script>window.ads = [];</script>"
        '<script type=\' Application/LD+JSON \'>{"articleBody": "text"}</script>'
    )
    prune.drop_textless(tree)
    assert [el.tag for el in tree.iter("svg", "path", "style", "meta", "link")] == []
    assert [el.get("type") for el in tree.iter("script")] == [" Application/LD+JSON "]
    assert tree.find(".//p").text_content() == f"{PROSE[0]}tail after the icon"


def test_markup_without_text_does_not_change_the_body() -> None:
    # what the drop saves trafilatura must not change what it finds
    clean = f"<h1>Council passes the budget</h1><article>{paras(PROSE[:6])}</article>"
    noisy = clean.replace(
        "</p>",
        "<svg><use href='#i'/></svg><script>track()</script><style>.x{}</style>"
        "<meta itemprop='x' content='y'><link rel='preload' href='/f'></p>",
    )
    url = "https://example.com/news/budget"
    assert extract_body(tree_of(noisy), url).text == extract_body(tree_of(clean), url).text


# --- body helpers -----------------------------------------------------------------------


def test_split_paragraphs_folds_whitespace_and_drops_blank_lines() -> None:
    assert split_paragraphs(" One\u00a0 two \n\n\t\nthree  ") == ["One two", "three"]


@pytest.mark.parametrize(
    ("lines", "menu"),
    [(["Home", "News", "Sport"] * 5, True), (PROSE * 2, False), (["Home", "News"], False)],
)
def test_menu_like_output_triggers_the_full_extractor(lines: list[str], menu: bool) -> None:
    assert _menu_like(lines) is menu
