"""Which bodies a fetch takes (pure: no server). fetch() is tested against a server in
test_fetch.py; these pin the decisions themselves."""

from __future__ import annotations

import pytest

from newsarc.httpaccept import FEED_TYPES, HTML_TYPES, check_body, refused_label
from newsarc.httpbody import BodyError

PAGE = b"<!doctype html><html><head><title>Story</title></head><body><p>Hello</p></body></html>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.mark.parametrize(
    ("media", "accept", "reason"),
    [
        ("text/html", HTML_TYPES, None),
        ("", HTML_TYPES, None),  # unlabelled: the bytes decide
        ("application/octet-stream", HTML_TYPES, None),
        ("image/png", None, None),  # anything goes
        ("application/pdf", HTML_TYPES, "not HTML (application/pdf)"),
        ("text/html", FEED_TYPES, "unexpected content type (text/html)"),
    ],
)
def test_labels(media: str, accept: frozenset[str] | None, reason: str | None) -> None:
    assert refused_label(media, accept) == reason


def test_a_page_gets_its_encoding() -> None:
    assert check_body(PAGE, "text/html", "text/html; charset=utf-8", HTML_TYPES) == "utf-8"


@pytest.mark.parametrize(
    ("content", "media", "accept", "reason"),
    [
        (b"  \n", "text/html", HTML_TYPES, "empty body"),
        (PNG, "text/html", HTML_TYPES, "binary content labelled text/html (looks like image/png)"),
        (PNG, "", HTML_TYPES, "not HTML (no Content-Type; content looks like image/png)"),
        (b"plain words only", "application/octet-stream", FEED_TYPES, None),
        (b"<rss><channel></channel></rss>", "", HTML_TYPES, "not HTML"),
    ],
)
def test_bodies(content: bytes, media: str, accept: frozenset[str], reason: str | None) -> None:
    if reason is None:
        check_body(content, media, None, accept)
        return
    with pytest.raises(BodyError) as caught:
        check_body(content, media, None, accept)
    assert caught.value.reason.startswith(reason)


def test_binary_content_has_no_encoding_when_anything_goes() -> None:
    assert check_body(PNG, "image/png", "image/png", None) is None
