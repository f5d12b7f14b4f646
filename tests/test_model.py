"""The Article record: derived fields and the row round trip."""

from __future__ import annotations

from newsarc.model import Article, content_hash, count_words


def test_derived_fields() -> None:
    article = Article(url="https://e.com/a", headline="H", body="One two three.\n\nFour five.")
    assert article.word_count == 5
    assert article.content_hash == content_hash("one two   THREE.\nfour five.")


def test_row_round_trip_keeps_authors_and_subheadings_as_lists() -> None:
    article = Article(
        url="https://e.com/a",
        headline="H",
        body="Text here.",
        subheadings=["Warum jetzt?"],
        authors=["Anna Ivanova", "Jörg Müller"],
        section="World",
        id=7,
    )
    row = article.to_row()
    assert row["authors"] == '["Anna Ivanova", "Jörg Müller"]'
    assert row["subheadings"] == '["Warum jetzt?"]'
    assert Article.from_row(row | {"unknown_column": 1}) == article


def test_row_from_an_archive_without_subheadings_has_none() -> None:
    row = {"url": "https://e.com/a", "headline": "H", "body": "Text.", "authors": "[]"}
    assert Article.from_row(row).subheadings == []
    assert Article.from_row(row | {"subheadings": None}).subheadings == []


def test_row_without_id_lets_the_database_choose() -> None:
    assert "id" not in Article(url="u", headline="h", body="b").to_row()


def test_count_words_unicode() -> None:
    assert count_words("Мужчины бегут — в Грузию!") == 4
