"""Which bodies a fetch takes: the media types it asks for, and whether a response's label and
bytes fit them. Pure functions, no I/O; each refusal is the short reason for FetchError.

A label is checked as soon as the headers come (so an unwanted body is never read); the bytes
once the body is in: labels that say nothing are decided by sniffing, and binary content
labelled as HTML is refused.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection
from urllib.parse import urldefrag, urljoin

from newsarc.charset import charset_from_content_type, decode_html
from newsarc.httpbody import BodyError, binary_type, sniff

HTML_TYPES: frozenset[str] = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES: frozenset[str] = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/x-rss+xml",
        "application/xml",
        "text/xml",
        "application/feed+json",
        "application/json",
        "application/gzip",
        "application/x-gzip",
        "text/plain",
    }
)
# Labels that say nothing about the content: decide by sniffing the bytes instead.
UNLABELLED = frozenset({"", "application/octet-stream", "binary/octet-stream"})


def refused_label(media: str, accept: Collection[str] | None) -> str | None:
    """Why a response labelled ``media`` is not wanted (None: read its body)."""
    if accept is None or media in UNLABELLED or media in accept:
        return None
    return wrong_type(media, accept)


EMPTY_BODY = "empty body"  # the reason a body with nothing in it is refused


def check_body(
    content: bytes, media: str, content_type: str | None, accept: Collection[str] | None
) -> str | None:
    """Check a body against its label ``media`` and the wanted types (None: any); return its
    text encoding, or None for binary content. Raises BodyError with the reason to refuse it.
    """
    if not content or content.isspace():
        raise BodyError(EMPTY_BODY)
    charset = charset_from_content_type(content_type)
    found = binary_type(content, charset)
    if media in UNLABELLED:
        guess = sniff(content, charset)
        if accept is not None and not _guess_fits(guess, accept):
            looks = f"content looks like {guess}" if guess else "content is not recognised"
            raise BodyError(wrong_type(f"{media or 'no Content-Type'}; {looks}", accept))
    elif accept is not None and media in HTML_TYPES and found:
        raise BodyError(f"binary content labelled {media} (looks like {found})")
    return None if found else decode_html(content, charset)[1]


def wrong_type(what: str, accept: Collection[str] | None) -> str:
    """The reason for a content type outside ``accept``."""
    if accept and set(accept) <= HTML_TYPES:
        return f"not HTML ({what})"
    return f"unexpected content type ({what})"


def _guess_fits(guess: str | None, accept: Collection[str]) -> bool:
    if guess == "text/html":
        return any(t in HTML_TYPES for t in accept)
    if guess == "text/xml":
        return any(t.endswith("xml") and t not in HTML_TYPES for t in accept)
    if guess is None:
        return "text/plain" in accept
    return guess in accept


# A page that sends the browser elsewhere with <meta http-equiv="refresh" content="0; url=...">
# (an old address kept as a stub) is a redirect. Only a small page within a short delay: a
# full page that reloads itself every few minutes (a live blog) is the page itself.
REFRESH_MAX_BYTES = 32 * 1024
REFRESH_MAX_DELAY = 10.0
_REFRESH_META = re.compile(rb"<meta\s[^>]*?http-equiv\s*=\s*[\"']?refresh\b[^>]*>", re.IGNORECASE)
_CONTENT = re.compile(rb"""\scontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_DELAY_URL = re.compile(
    r"""^\s*(\d+(?:\.\d*)?)\s*(?:[;,]\s*(?:url\s*=\s*)?["']?([^"']*)["']?)?\s*$""", re.IGNORECASE
)


def refresh_target(content: bytes, current: str) -> str | None:
    """Where a small HTML page's meta refresh sends the browser within ``REFRESH_MAX_DELAY``
    seconds, made absolute against ``current``; None when it sends it nowhere else."""
    if len(content) > REFRESH_MAX_BYTES:
        return None
    tag = _REFRESH_META.search(content)
    value = _CONTENT.search(tag.group()) if tag else None
    if value is None:
        return None
    text = next(g for g in value.groups() if g is not None).decode("utf-8", "replace")
    parts = _DELAY_URL.match(html.unescape(text))
    if parts is None or not parts.group(2) or float(parts.group(1)) > REFRESH_MAX_DELAY:
        return None
    target = urljoin(current, parts.group(2).strip())
    return None if urldefrag(target)[0] == urldefrag(current)[0] else target
