"""Export writers: JSON lines, CSV, Markdown with front matter; streaming, not buffering."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsarc import export
from newsarc.model import Article


def sample(n: int = 1, **fields: object) -> Article:
    values: dict = {
        "url": f"https://example.com/{n}",
        "headline": f"Headline {n}",
        "body": f"Body {n}.\n\nSecond paragraph.",
        "authors": ["Ann Lee", "Bo Chan"],
        "published": "2024-03-01",
        "id": n,
    }
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


def test_jsonl_has_every_field_in_a_stable_order() -> None:
    out = io.StringIO()
    assert export.write_jsonl([sample(1), sample(2, headline="Ünïcode 東京")], out) == 2
    lines = out.getvalue().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert tuple(first) == export.FIELDS
    assert first["authors"] == ["Ann Lee", "Bo Chan"]
    assert first["subheadings"] == []
    assert "Ünïcode 東京" in lines[1]  # UTF-8, not \\u escapes
    assert (
        Article.from_row(second | {"authors": json.dumps(second["authors"])}).headline
        == "Ünïcode 東京"
    )


def test_csv_round_trips_awkward_text() -> None:
    tricky = 'He said "no", then left;\nnew line, comma'
    out = io.StringIO(newline="")
    export.write_csv([sample(1, body=tricky, section=None)], out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert rows[0]["body"] == tricky
    assert rows[0]["authors"] == "Ann Lee; Bo Chan"
    assert rows[0]["section"] == ""
    assert list(rows[0]) == list(export.FIELDS)


def test_markdown_document() -> None:
    text = export.markdown(
        sample(
            7,
            section="World",
            site="Example",
            subheadings=["Why now"],
            topics=["Harbours"],
            modified="2024-03-02T08:15:00+01:00",
        )
    )
    assert text == (
        "---\n"
        "id: 7\n"
        'headline: "Headline 7"\n'
        'url: "https://example.com/7"\n'
        'date: "2024-03-01"\n'
        'modified: "2024-03-02T08:15:00+01:00"\n'
        'section: "World"\n'
        'authors: ["Ann Lee", "Bo Chan"]\n'
        'topics: ["Harbours"]\n'
        'subheadings: ["Why now"]\n'
        'site: "Example"\n'
        "language: null\n"
        "fetched_at: null\n"
        "---\n\n# Headline 7\n\nBody 7.\n\nSecond paragraph.\n"
    )


@pytest.mark.parametrize(
    "value, expected",
    [
        ('a "quoted": value', '"a \\"quoted\\": value"'),
        ("line\nbreak", '"line\\nbreak"'),
        ("sep\u2028arator", '"sep\\Larator"'),
        ("- not a list", '"- not a list"'),
        ("yes", '"yes"'),
        (None, "null"),
        (3, "3"),
        (["a: b", "c"], '["a: b", "c"]'),
    ],
)
def test_yaml_values_read_back_exactly(value: object, expected: str) -> None:
    assert export.yaml_value(value) == expected


@pytest.mark.parametrize(
    "headline, name",
    [
        ("Müller wins: the “final” vote?", "3-muller-wins-the-final-vote.md"),
        ("東京都知事選挙", "3-東京都知事選挙.md"),
        ("서울에 폭설", "3-서울에-폭설.md"),
        ("東京都庁で展示会が開幕", "3-東京都庁で展示会が開幕.md"),  # で is not て
        ("Ёлка в Москве", "3-ёлка-в-москве.md"),  # nor ё е
        ("Déjà vu in Łódź", "3-deja-vu-in-łodz.md"),
        ("../../etc/passwd", "3-etc-passwd.md"),
        ("!!!", "3.md"),
        ("x" * 300, "3-" + "x" * 60 + ".md"),
    ],
)
def test_markdown_file_names_are_safe(headline: str, name: str) -> None:
    assert export.filename(sample(3, headline=headline)) == name


def test_markdown_folder(tmp_path: Path) -> None:
    folder = tmp_path / "out" / "md"
    assert export.write_markdown_dir([sample(1), sample(2)], folder) == 2
    assert sorted(p.name for p in folder.iterdir()) == ["1-headline-1.md", "2-headline-2.md"]


def test_markdown_stream_separates_documents() -> None:
    out = io.StringIO()
    export.write_markdown([sample(1), sample(2)], out)
    assert out.getvalue().count("---\nid: ") == 2
    assert "paragraph.\n\n---\nid: 2" in out.getvalue()


@pytest.mark.parametrize("writer", [export.write_jsonl, export.write_csv, export.write_markdown])
def test_writers_stream(writer) -> None:  # type: ignore[no-untyped-def]
    """Each article is written before the next is pulled: nothing is buffered."""
    out = io.StringIO()

    def articles() -> Iterator[Article]:
        for n in range(1, 200):
            if n > 1:
                assert f"Headline {n - 1}" in out.getvalue()
            yield sample(n)

    assert writer(articles(), out) == 199


def test_modified_follows_published_in_every_format() -> None:
    record = sample(1, modified="2024-03-02T08:15:00+01:00")
    out = io.StringIO()
    export.write_jsonl([record, sample(2)], out)
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert list(first)[4:6] == ["published", "modified"]
    assert (first["modified"], second["modified"]) == ("2024-03-02T08:15:00+01:00", None)
    out = io.StringIO(newline="")
    export.write_csv([record, sample(2)], out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert [row["modified"] for row in rows] == ["2024-03-02T08:15:00+01:00", ""]
