"""Shortcuts in the extractor that skip work give the answers of the work they skip.

Each one is checked against the plain computation it stands in front of, on generated input.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsarc.extractor import jsonld

# The characters the comment expression reacts to, and some others.
_BLOCK_TEXT = st.text(alphabet="\n \r\t\x0b\x0c\u2028\u00a0/x{};", max_size=40)


@settings(max_examples=3000, deadline=None)
@given(_BLOCK_TEXT)
def test_comment_edges_skipped_only_when_nothing_matches(text: str) -> None:
    assert jsonld._strip_comment_edges(text) == jsonld._JS_COMMENT_EDGES.sub("", text)


def test_comment_edges_are_removed() -> None:
    block = '//<![CDATA[\n{"@type": "NewsArticle"}\n  // ]]>\n'
    assert jsonld._strip_comment_edges(block) == '{"@type": "NewsArticle"}'
    assert jsonld._strip_comment_edges('{"url": "https://example.com/a"}') == (
        '{"url": "https://example.com/a"}'
    )
