"""Writers for exported articles: JSON lines, CSV, and Markdown with YAML front matter.

Every writer takes an iterable of Article and writes as it goes, so an export of the whole
archive runs in constant memory when fed from a cursor (newsarc.store.iter_articles).
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from newsarc.errors import InputError
from newsarc.model import Article

FORMATS = ("jsonl", "csv", "md")
FIELDS = (
    "id", "url", "canonical_url", "headline", "published", "modified", "section", "authors",
    "topics", "site", "language", "description", "word_count", "content_hash", "fetched_at",
    "extractor_version", "subheadings", "body",
)  # fmt: skip
# YAML reads these as line breaks even inside a double-quoted scalar.
_YAML_BREAKS = {"\u0085": "\\N", "\u2028": "\\L", "\u2029": "\\P"}


def write_jsonl(articles: Iterable[Article], out: TextIO) -> int:
    """One JSON object per line (UTF-8, stable field names); returns the count."""
    n = 0
    for article in articles:
        record = article.to_dict()
        out.write(json.dumps({name: record.get(name) for name in FIELDS}, ensure_ascii=False))
        out.write("\n")
        n += 1
    return n


def write_csv(articles: Iterable[Article], out: TextIO) -> int:
    """CSV with a header row; lists (authors, topics, subheadings) joined by "; ". Open files
    with ``newline=""``."""
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    n = 0
    for article in articles:
        writer.writerow(csv_row(article.to_dict()))
        n += 1
    return n


def csv_row(record: dict[str, Any], fields: Iterable[str] = FIELDS) -> list[Any]:
    """The CSV cells of one record: lists joined by "; ", None as an empty cell."""
    cells = []
    for name in fields:
        value = record.get(name)
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        cells.append("" if value is None else value)
    return cells


def write_markdown(articles: Iterable[Article], out: TextIO) -> int:
    """Every article as a Markdown document with front matter, one after the other."""
    n = 0
    for article in articles:
        if n:
            out.write("\n")
        out.write(markdown(article))
        n += 1
    return n


def write_markdown_dir(articles: Iterable[Article], directory: Path) -> int:
    """One Markdown file per article in ``directory`` (created), named by id and headline."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {directory}: {exc.strerror or exc}") from None
    n = 0
    for article in articles:
        (directory / filename(article)).write_text(markdown(article), encoding="utf-8")
        n += 1
    return n


def markdown(article: Article) -> str:
    """An article as Markdown: YAML front matter (headline, url, date, modified, section,
    authors, topics, subheadings...), then the headline and the body."""
    meta = {
        "id": article.id,
        "headline": article.headline,
        "url": article.url,
        "date": article.published,
        "modified": article.modified,
        "section": article.section,
        "authors": article.authors,
        "topics": article.topics,
        "subheadings": article.subheadings,
        "site": article.site,
        "language": article.language,
        "fetched_at": article.fetched_at,
    }
    lines = ["---"]
    lines += [f"{key}: {yaml_value(value)}" for key, value in meta.items()]
    lines += ["---", "", f"# {' '.join(article.headline.split())}", "", article.body.strip(), ""]
    return "\n".join(lines)


def yaml_value(value: Any) -> str:
    """A YAML scalar or flow list that reads back exactly (strings double-quoted)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(str(v)) for v in value) + "]"
    text = json.dumps(str(value), ensure_ascii=False)
    for char, escape in _YAML_BREAKS.items():
        text = text.replace(char, escape)
    return text


def _unaccented(char: str) -> str:
    """A Latin letter without its accents (é -> e, ﬁ -> fi); every other character as it is.
    Elsewhere a mark is part of the letter: で is not て, ё is not е, and Hangul stays
    syllables."""
    if char.isascii():
        return char
    base = unicodedata.normalize("NFKD", char)
    plain = "".join(c for c in base if not unicodedata.combining(c))
    return plain if plain.isascii() and plain else char


def filename(article: Article) -> str:
    """``<id>-<headline-slug>.md``: unique by id, readable, safe on every file system."""
    folded = "".join(_unaccented(c) for c in unicodedata.normalize("NFC", article.headline))
    folded = folded.lower()
    slug = re.sub(r"[^\w]+", "-", folded).strip("-_")[:60].rstrip("-_")
    return f"{article.id}-{slug}.md" if slug else f"{article.id}.md"
