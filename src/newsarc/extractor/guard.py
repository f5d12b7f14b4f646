"""The extractor's guard: hostile or broken input stops here, as one ExtractError line.

Two calls wrap ``extract``:

- ``prepare(html, url)`` runs first. It decodes bytes, rejects what is not a web page (binary
  files, NUL-ridden or unrecoverable mojibake text, empty pages, pages with no visible text),
  repairs double-encoded UTF-8, and defuses markup that would make the parser lose the page or
  the extractor crawl (see ``newsarc.extractor.defuse``). It returns the text to parse.
  Its two halves are ``check_page`` and ``defuse_page``: ``extract`` skips the second on pages
  that ``precheck.plain`` and ``precheck.too_deep`` show it would leave alone.
- ``check_article(article)`` runs last. It rejects a record whose body is an error page
  ("404 Not Found", "Access denied", a bot check), mojibake, or binary residue.

Both are pure and cheap next to the extraction itself: ``prepare`` is one linear scan.
"""

from __future__ import annotations

import logging
from typing import NamedTuple

from newsarc.charset import bomless_utf16, decode_html
from newsarc.errors import ExtractError
from newsarc.extractor.defuse import Defused, MarkupLimits, defuse
from newsarc.extractor.textcheck import (
    MIN_BAD,
    binary_kind,
    control_share,
    error_page_phrase,
    junk_reason,
    readability,
    repair_double_encoding,
    residue,
    sample,
)
from newsarc.model import Article, count_words

log = logging.getLogger(__name__)

__all__ = [
    "Checked",
    "MarkupLimits",
    "check_article",
    "check_page",
    "decode_page",
    "defuse_page",
    "prepare",
]

# Shares of a page's characters above which it is binary data, not text. A real page has none
# of either; a binary file read as cp1252 has about 12% control characters.
MAX_NUL_SHARE = 0.01
MAX_CONTROL_SHARE = 0.01


def _fail(url: str, reason: str) -> ExtractError:
    return ExtractError(f"no article text found in {url} ({reason})")


def decode_page(data: bytes, url: str) -> str:
    """Page bytes as text; ExtractError when they are a known binary format.

    ``newsarc.charset.decode_html`` does the decoding; UTF-16 without a byte-order mark, which
    it leaves alone on purpose (a *label* saying UTF-16 is nearly always wrong), is recognised
    here from the bytes themselves (``bomless_utf16``, which URL lists use too).
    """
    kind = binary_kind(data)
    if kind:
        raise _fail(url, f"not an HTML page: {kind}")
    codec = bomless_utf16(data)
    if codec:
        log.info(
            "%s: decoding as %s (no byte-order mark, but zero bytes every other byte)", url, codec
        )
        return data.decode(codec, errors="replace")
    return decode_html(data)[0]


def _check_text(text: str, url: str, encoded: bytes | None = None) -> str:
    """Reject what is not page text; returns ``text`` with double-encoded UTF-8 repaired.
    ``encoded`` is ``text`` as UTF-8, when the caller has it."""
    if not text or text.isspace():
        raise _fail(url, "empty page")
    kind = binary_kind(text)
    if kind:
        raise _fail(url, f"not an HTML page: {kind}")
    taken = sample(text, encoded)  # encoded once for both scans (three slices of a long page)
    nuls, controls = control_share(text, taken=taken)
    if nuls > MAX_NUL_SHARE:
        raise _fail(url, f"binary data: {nuls:.0%} NUL characters (UTF-16 read as 8-bit text?)")
    if controls > MAX_CONTROL_SHARE:
        raise _fail(url, f"binary data: {controls:.0%} control characters")
    found = readability(text, taken=taken)
    if found.mojibake:
        repaired = repair_double_encoding(text)
        after = readability(repaired)
        if after.mojibake or after.broken >= MIN_BAD or after.lossy or residue(repaired) >= MIN_BAD:
            raise _fail(
                url,
                f"mojibake: {found.double_encoded} of {found.non_ascii} non-ASCII characters are "
                "UTF-8 read as cp1252, and they cannot be turned back",
            )
        log.info("%s: repaired %d UTF-8-read-as-cp1252 sequences", url, found.sequences)
        return repaired
    if found.lossy:
        raise _fail(
            url,
            f"mojibake: {found.replacement} of {found.non_ascii} non-ASCII characters are U+FFFD, "
            "the page was decoded with the wrong charset",
        )
    return text


def prepare(html: str | bytes, url: str, *, limits: MarkupLimits | None = None) -> str:
    """The page as text that is safe to parse and extract; ExtractError when it is no page.

    ``html`` is the page as fetched (bytes) or decoded; ``url`` is only used in messages.
    Raises ExtractError for binary files, empty pages, NUL-ridden or unrecoverable mojibake
    text, text without any HTML markup and pages without visible text (only scripts).
    Markup beyond ``limits`` is defused (see ``newsarc.extractor.defuse``); a page within
    them comes back unchanged. The same as ``defuse_page(check_page(html, url).text, url)``.
    """
    return defuse_page(check_page(html, url).text, url, limits=limits)


class Checked(NamedTuple):
    """A page that passed ``check_page``: its text, and the text as UTF-8 (None when it holds
    lone surrogates), encoded once for the byte-level scans and the parser."""

    text: str
    utf8: bytes | None


def check_page(html: str | bytes, url: str, *, utf8: bytes | None = None) -> Checked:
    """The first half of ``prepare``: the page as text, refused when it is not page text
    (binary, empty, NUL-ridden, unrecoverable mojibake), double-encoded UTF-8 repaired.
    ``utf8`` is ``html`` (text) as UTF-8 when the caller has it, so it is not encoded again."""
    if isinstance(html, (bytes, bytearray)):
        text = decode_page(bytes(html), url)
        encoded = _strict_utf8(text)
    else:
        text = html
        encoded = utf8 if utf8 is not None else _strict_utf8(text)
    checked = _check_text(text, url, encoded)
    return Checked(checked, encoded if checked is text else _strict_utf8(checked))


def _strict_utf8(text: str) -> bytes | None:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: each reader encodes them its own way
        return None


def defuse_page(text: str, url: str, *, limits: MarkupLimits | None = None) -> str:
    """The second half of ``prepare``: ``text`` defused, refused when it has no markup or no
    visible text; the same object when there was nothing to defuse."""
    result: Defused = defuse(text, limits)
    if not result.has_markup:
        raise _fail(url, f"not an HTML page: {len(text):,} characters without any markup")
    if not result.has_text:
        raise _fail(url, "the page has no visible text, only scripts and markup")
    if result.changed:
        _log_defused(url, result)
    return result.html


def _log_defused(url: str, result: Defused) -> None:
    done = []
    if result.unwrapped:
        done.append(f"{result.unwrapped:,} tags unwrapped for depth")
    if result.dropped_runs:
        done.append(f"{result.dropped_runs} oversized text runs or scripts dropped")
    if result.cut_at is not None:
        done.append(f"cut at character {result.cut_at:,} ({result.elements:,} elements kept)")
    if done:
        log.warning("%s: defused hostile markup: %s", url, ", ".join(done))
    if result.stray_ends:
        log.info("%s: removed %d </body>/</html> tags followed by content", url, result.stray_ends)


def check_article(article: Article) -> None:
    """Raise ExtractError when an extracted record is an error page or unreadable text."""
    url = article.url
    found = readability(f"{article.headline}\n{article.body}")
    if found.mojibake or found.lossy:
        broken = found.double_encoded + found.replacement
        raise _fail(url, f"mojibake: {broken} of {found.non_ascii} non-ASCII characters broken")
    reason = junk_reason(article.body)
    if reason:
        raise _fail(url, f"the extracted body is not text: {reason}")
    words = article.word_count or count_words(article.body)
    phrase = error_page_phrase(article.headline, article.body, body_words=words)
    if phrase:
        raise _fail(url, f"an error page, not an article: {phrase[:80]!r}")
