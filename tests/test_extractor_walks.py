"""The extractor's Python tree walks give exactly the node sets of the XPaths they replaced.

``prune`` finds hidden elements and the page's visible text with loops over the tree rather than
XPath, and ``anchors`` reads the body's text nodes with an XPath from the ``<body>`` down. Each is
checked against the XPath it replaced on the fixture pages and on crafted markup (scripts with
tails, nested invisible elements, text right after the body's children). ``Tagged`` (one walk for
the elements of a few tags) is checked against ``tree.iter``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import lxml.etree
import pytest

from newsarc.extractor import anchors, prune
from newsarc.extractor.article import parse_html
from newsarc.extractor.tagged import TAGS, Tagged

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CRAFTED = [
    "<html><body>lead<p style='display: none'>a</p>tail<script>x()</script>after script"
    "<div hidden>b<noscript>n</noscript>c</div><template><p>t</p></template>end</body></html>",
    "<p>no html or body tags<style>p{}</style><b style=''>bold</b> and <i>more</i></p>",
    "<html><head><title>t</title></head><body><svg><text>svg text</text></svg>"
    "<div><span hidden>x<b>y</b>z</span>w</div>trailing</body></html>after",
    "<body><div><script>1</script><script>2</script>between<script>3</script></div></body>",
    "<body><noscript><p>inside</p>after p</noscript><template>tt<b>bt</b>bb</template>"
    "<style>s</style>  <p> \u00a0 </p><p>\n\t</p><p>x<br>y</p></body>",
    "<body style='margin:0'><div hidden style='display:none'>a<p style='color:red' hidden>b</p>"
    "<span style=''>c</span></div><i hidden=''>d</i>tail<b style='x'></b></body>",
]


def _pages() -> list[str]:
    pages = list(CRAFTED)
    for path in sorted((FIXTURES / "pages").glob("*.htm*")):
        pages.append(path.read_text(encoding="utf-8", errors="replace"))
    return pages


@pytest.mark.parametrize("html", _pages())
def test_maybe_hidden_is_the_xpath(html: str) -> None:
    tree = parse_html(html, "https://example.com/")
    assert prune._maybe_hidden(tree) == list(prune._MAYBE_HIDDEN(tree))


@pytest.mark.parametrize("html", _pages())
def test_visible_texts_are_the_xpath(html: str) -> None:
    tree = parse_html(html, "https://example.com/")
    assert prune._visible_texts(tree) == [str(text) for text in prune._VISIBLE_TEXT(tree)]


def test_visible_texts_after_dropping_elements() -> None:
    """Text set by lxml (``drop_tree`` moves a tail) stays one text node."""
    tree = parse_html(
        "<body><p>one <span>two</span> three <em>four</em> five</p></body>",
        "https://example.com/",
    )
    for element in list(tree.iter("span", "em")):
        element.drop_tree()
    assert prune._visible_texts(tree) == [str(text) for text in prune._VISIBLE_TEXT(tree)]
    assert _same_nodes(anchors._text_nodes(tree), anchors._TEXTS(tree))


@pytest.mark.parametrize("html", _pages())
def test_source_map_text_nodes_are_the_xpath(html: str) -> None:
    tree = parse_html(html, "https://example.com/")
    assert _same_nodes(anchors._text_nodes(tree), anchors._TEXTS(tree))


def _same_nodes(found: list[Any], expected: Any) -> bool:
    """The same text nodes: equal texts, each the text or the tail of the same element."""
    expected = list(expected)
    return len(found) == len(expected) and all(
        str(a) == str(b) and a.getparent() is b.getparent() and a.is_tail == b.is_tail
        for a, b in zip(found, expected, strict=True)
    )


def test_several_bodies_fall_back_to_the_xpath() -> None:
    tree = parse_html("<body><p hidden>a</p></body>", "https://example.com/")
    extra = lxml.etree.SubElement(tree, "body")
    extra.text = "second"
    lxml.etree.SubElement(extra, "i", hidden="").text = "hidden"
    assert prune._maybe_hidden(tree) == list(prune._MAYBE_HIDDEN(tree))
    assert prune._visible_texts(tree) == [str(text) for text in prune._VISIBLE_TEXT(tree)]
    assert _same_nodes(anchors._text_nodes(tree), anchors._TEXTS(tree))
    bodies = list(tree.iter("body"))
    assert prune._maybe_hidden(tree, bodies) == list(prune._MAYBE_HIDDEN(tree))
    assert prune._visible_texts(tree, bodies) == [str(t) for t in prune._VISIBLE_TEXT(tree)]
    assert _same_nodes(anchors._text_nodes(tree, bodies), anchors._TEXTS(tree))


@pytest.mark.parametrize("html", _pages())
def test_bodies_looked_up_before_pruning_serve_after_it(html: str) -> None:
    """``extract_body`` finds the <body> elements once, before pruning, for every later walk."""
    looked_up, fresh = (parse_html(html, "https://example.com/") for _ in range(2))
    bodies = list(looked_up.iter("body"))
    assert prune.prune_tree(looked_up, bodies) == prune.prune_tree(fresh)
    assert lxml.etree.tostring(looked_up) == lxml.etree.tostring(fresh)
    assert _same_nodes(anchors._text_nodes(looked_up, bodies), anchors._TEXTS(looked_up))


@pytest.mark.parametrize("html", _pages())
def test_tagged_elements_are_what_iter_finds(html: str) -> None:
    tree = parse_html(html, "https://example.com/")
    tagged = Tagged(tree)
    for tags in [(tag,) for tag in TAGS] + [("time", "h1"), ("h1", "time"), TAGS]:
        assert tagged.iter(*tags) == list(tree.iter(*tags))
    assert next((t for t in tagged.iter("title") if t is not tree), None) is tree.find(".//title")


def _old_distance(element: lxml.etree._Element, box: lxml.etree._Element) -> int:
    inside = set(anchors.ancestors(element))
    for level, ancestor in enumerate(anchors.ancestors(box)):
        if ancestor in inside:
            return level
    return len(anchors.ancestors(box))


@pytest.mark.parametrize("html", _pages()[:12])
def test_distances_are_the_common_ancestor_levels(html: str) -> None:
    tree = parse_html(html, "https://example.com/")
    elements = list(tree.iter(lxml.etree.Element))
    detached = lxml.etree.Element("p")
    for box in elements[::7]:
        distance = anchors.Distances(box)
        for element in [*elements[::5], box, detached]:
            assert distance(element) == _old_distance(element, box)
