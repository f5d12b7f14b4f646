"""The values that flow between stages: what was fetched (Page) and the clean record (Article)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from typing import Any

_WORD = re.compile(r"\w+")
# Han, kana, and the scripts of South-East Asia written without spaces between words.
_UNSPACED = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]"
)
# List fields stored as JSON text in the ``articles`` table.
_JSON_LISTS = ("authors", "subheadings", "topics")
PERMANENT_REDIRECTS = frozenset({301, 308})


def utc_now() -> str:
    """The current time as a UTC ISO-8601 string with seconds precision."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def count_words(text: str) -> int:
    """Number of words in ``text``: runs of word characters, where scripts written without
    spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar) count every two
    characters as a word, about what their news prose holds. Counted as runs, a 300-character
    Japanese story was "16 words", under every threshold meant for a real article."""
    if text.isascii():
        return len(_WORD.findall(text))
    unspaced = len(_UNSPACED.findall(text))
    if not unspaced:
        return len(_WORD.findall(text))
    return len(_WORD.findall(_UNSPACED.sub(" ", text))) + (unspaced + 1) // 2


def content_hash(text: str) -> str:
    """A stable hash of a body, insensitive to whitespace and case."""
    import hashlib  # here, not at the top: it costs every fast reading command ~2 ms to import

    normalized = " ".join(text.split()).casefold()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


@dataclass
class Page:
    """One HTTP response (or a saved file standing in for one)."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    content: bytes
    fetched_at: str = field(default_factory=utc_now)
    encoding: str | None = None
    # The status of each redirect followed from ``url`` to ``final_url``, in order (301-308,
    # or the 200 of a meta refresh stub followed as a hop).
    redirects: tuple[int, ...] = ()

    @property
    def moved_permanently(self) -> bool:
        """Whether ``url`` led to ``final_url`` through permanent redirects only (301 or 308,
        at least one): RFC 9110 lets a client re-link the address to ``final_url`` then. One
        302, 303, 307 or meta refresh on the way says the old address is still the one."""
        return bool(self.redirects) and all(s in PERMANENT_REDIRECTS for s in self.redirects)

    def header(self, name: str) -> str | None:
        """A response header by case-insensitive name."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased ('' when absent)."""
        return (self.header("Content-Type") or "").split(";", 1)[0].strip().lower()

    def text(self) -> str:
        """The body decoded to text (see ``newsarc.charset.decode_html``)."""
        return self.decoded()[0]

    def decoded(self) -> tuple[str, bytes | None]:
        """The body as text, and as UTF-8 when the raw bytes are exactly that (most pages),
        else None: the extractor scans and parses UTF-8, and need not encode the page again."""
        from newsarc.charset import charset_from_content_type, decode_html_utf8

        declared = self.encoding or charset_from_content_type(self.header("Content-Type"))
        return decode_html_utf8(self.content, declared)


@dataclass
class Article:
    """The clean record newsarc keeps for one article.

    ``body`` is the running text only, paragraphs separated by one blank line; the section
    subheadings that stood between its paragraphs are in ``subheadings``, in order.
    """

    url: str
    headline: str
    body: str
    subheadings: list[str] = field(default_factory=list)
    canonical_url: str | None = None
    published: str | None = None
    # when the page says the article was last updated, ISO 8601 as ``published``; only a
    # time after ``published`` (see newsarc.extractor.modified)
    modified: str | None = None
    section: str | None = None
    authors: list[str] = field(default_factory=list)
    # the publisher's tags or keywords for the article, in the page's order
    # (newsarc.extractor.topics)
    topics: list[str] = field(default_factory=list)
    site: str | None = None
    language: str | None = None
    description: str | None = None
    word_count: int = 0
    content_hash: str = ""
    fetched_at: str | None = None
    extractor_version: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.word_count and self.body:
            self.word_count = count_words(self.body)
        if not self.content_hash and self.body:
            self.content_hash = content_hash(self.body)

    def to_row(self) -> dict[str, Any]:
        """The dict stored in the ``articles`` table (authors, subheadings and topics as JSON
        lists)."""
        row = asdict(self)
        for name in _JSON_LISTS:
            row[name] = json.dumps(row[name], ensure_ascii=False)
        if row["id"] is None:
            del row["id"]
        return row

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with stable field names."""
        return asdict(self)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Article:
        """Build an Article from a row of the ``articles`` table; unknown columns are ignored,
        and a list column that is missing or NULL (an archive from before it) is empty."""
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in row.items() if k in names}
        for name in _JSON_LISTS:
            value = values.get(name)
            if isinstance(value, str):
                values[name] = json.loads(value) if value else []
            elif value is None:
                values[name] = []
        return cls(**values)
