"""The page's links found once (Tagged) and read by the tag list and the section, and the
cheaper tests of stamps: the same answers as the walks and searches they stand in for."""

from __future__ import annotations

import lxml.html

from newsarc.extractor.sections import _category_link, find_section
from newsarc.extractor.stamps import other_part, without_elsewhere
from newsarc.extractor.tagged import Tagged
from newsarc.extractor.taglinks import tag_links
from newsarc.extractor.topics import find_topics

PAGE = """<html><head><title>Council backs plan | Example Gazette</title></head><body>
<nav class="menu"><a href="/news/">News</a><a href="/local/">Local</a></nav>
<article><h1>Council backs plan</h1>
<p class="byline">By Dana Kim <a rel="author" href="/by/dana">Dana</a></p>
<p>The council voted on Tuesday to back the plan for the harbour, after a long debate.</p>
<div class="post-categories"><a rel="category&#9;tag" href="/category/local/">Local</a></div>
<div class="tags">Themen: <a href="/thema/harbour">Harbour</a> ·
<a href="/thema/council">Council</a> · <a href="/thema/budget">Budget</a></div>
</article>
<aside class="related-stories"><time datetime="2020-01-01">1 Jan 2020</time></aside>
</body></html>"""


def _tree() -> lxml.html.HtmlElement:
    return lxml.html.fromstring(PAGE)


def test_tagged_holds_the_links_in_page_order() -> None:
    tree = _tree()
    assert Tagged(tree).iter("a") == list(tree.iter("a"))


def test_tag_list_from_the_links_given_is_the_walks() -> None:
    tree = _tree()
    links = Tagged(tree).iter("a")
    assert tag_links(tree, links) == tag_links(tree) == ["Harbour", "Council", "Budget"]
    assert find_topics(None, {}, tree, set(), links) == find_topics(None, {}, tree, set())


def test_category_link_reads_rel_words_apart_by_xml_spaces() -> None:
    tree = _tree()
    links = Tagged(tree).iter("a")
    assert _category_link(tree, links) == _category_link(tree) == "Local"
    # a no-break space is no XML space: "category" is not a word of this rel
    odd = lxml.html.fromstring('<div><a rel="x\xa0category" href="/c/">C</a></div>')
    assert _category_link(odd) is None
    title, headline = "Council backs plan | Example Gazette", "Council backs plan"
    url, keys = "https://example.com/2024/council-backs-plan", {"examplegazette"}
    found = find_section(None, {}, [], tree, title, headline, url, keys, links)
    assert found == find_section(None, {}, [], tree, title, headline, url, keys)


def test_other_part_is_blind_to_case_in_any_script() -> None:
    assert other_part(lxml.html.fromstring('<div class="Related-Posts"></div>'))
    assert other_part(lxml.html.fromstring('<div id="COMMENTS"></div>'))
    # non-ASCII names keep the case-blind search ("ſ" is a case form of "s")
    assert other_part(lxml.html.fromstring('<div class="Diſqus-thread"></div>'))
    assert not other_part(lxml.html.fromstring('<div class="story-body"></div>'))


def test_copy_without_other_parts_drops_the_same_places() -> None:
    tree = _tree()
    copy = without_elsewhere(tree)
    assert copy is not tree
    assert copy.find(".//aside") is None and copy.find(".//nav") is None
    assert copy.find(".//article/h1") is not None
    assert tree.find(".//aside") is not None  # the page itself is left alone
