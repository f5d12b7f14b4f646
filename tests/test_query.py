"""The query language: parsing, translation to quoted FTS5, and --since/--until dates."""

from __future__ import annotations

from datetime import date

import pytest

from newsarc.errors import InputError, QueryError
from newsarc.query import MAX_TERMS, Term, parse, parse_date, plan, quote


def fts(text: str) -> str | None:
    return plan(parse(text)).main


@pytest.mark.parametrize(
    "text, expected",
    [
        ("border", '"border"'),
        ("georgia border", '("georgia") AND ("border")'),
        ('"border crossing"', '"border crossing"'),
        ("putin OR kremlin", '(("putin") OR ("kremlin"))'),
        ("a OR b c", '((("a") OR ("b"))) AND ("c")'),
        ("border -opinion", '("border") NOT "opinion"'),
        ("border NOT opinion -blog", '("border") NOT (("opinion") OR ("blog"))'),
        ("elect*", '"elect" *'),
        ('"climate sum"*', '"climate sum" *'),
        ("headline:georgia", '{headline search_headline} : ("georgia")'),
        (
            "TITLE:georgia body:visa",
            '({headline search_headline} : ("georgia")) AND ({body search_body} : ("visa"))',
        ),
        ("-headline:opinion tax", '("tax") NOT {headline search_headline} : ("opinion")'),
        ("cats AND dogs", '("cats") AND ("dogs")'),
        ("or and not", '("or") AND ("and") AND ("not")'),  # lower-case words are words
    ],
)
def test_translation(text: str, expected: str) -> None:
    assert fts(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"unbalanced phrase', '"unbalanced phrase"'),
        ('say "hi', '("say") AND ("hi")'),
        ('a"b', '("a") AND ("b")'),
        ("NEAR(a b)", '("NEAR(a") AND ("b)")'),
        ("author:smith", '"author:smith"'),
        ("body:", '"body:"'),
        ("x OR", '"x"'),
        ("OR x", '"x"'),
        ("x OR OR y", '(("x") OR ("y"))'),
        ("x - y", '("x") AND ("y")'),
        ("x * y", '("x") AND ("y")'),
        ("'; DROP TABLE articles; --", '("DROP") AND ("TABLE") AND ("articles;")'),
        ('he said ""quoted""', '("he") AND ("said") AND ("quoted")'),
        ("x\x00y\tz", '("x") AND ("y") AND ("z")'),
        ("🙂 emoji", '"emoji"'),
    ],
)
def test_hostile_input_is_only_words(text: str, expected: str) -> None:
    assert fts(text) == expected


def test_quote_doubles_inner_quotes() -> None:
    assert quote('say "x"') == '"say ""x"""'


@pytest.mark.parametrize(
    "text", ["", "   ", '"', '""', "***", "- - -", "OR AND NOT", "🙂🙃", "!!!", "___"]
)
def test_nothing_to_search_for(text: str) -> None:
    with pytest.raises(QueryError, match="nothing to search for"):
        parse(text)


def test_only_exclusions() -> None:
    with pytest.raises(QueryError, match="only excludes words"):
        parse("-opinion -blog")


def test_too_many_terms() -> None:
    parse(" ".join(f"w{i}" for i in range(MAX_TERMS)))
    with pytest.raises(QueryError, match=f"at most {MAX_TERMS} are allowed"):
        parse("word " * 20_000)


def test_lone_surrogates_from_undecodable_argv() -> None:
    # Bytes of a Latin-1 terminal, as Python keeps them: read as Windows-1252.
    assert fts("caf\udce9 x") == '("café") AND ("x")'
    assert fts("\udcc9conomie \udcfcber") == '("Économie") AND ("über")'
    assert fts("a\ud800b") == '"a?b"'  # a surrogate no byte stands for: replaced


def test_parsed_terms() -> None:
    query = parse('-"a b" c* headline:"d e"')
    assert query.groups == (
        (Term("c", prefix=True),),
        (Term("d e", phrase=True, column="headline"),),
    )
    assert query.excluded == (Term("a b", phrase=True),)


# -- CJK terms go to the bigram index ------------------------------------------------------


@pytest.mark.parametrize(
    "text, main, cjk",
    [
        ("東京", None, '"東京"'),
        ("東", None, '"東" *'),
        ("東京都庁", None, '"東京 京都 都庁"'),
        ("서울 weather", '"weather"', '"서울"'),
        ("iPhone中国版", '"iPhone"', '"中国 国版"'),
        ("東京。大阪", None, '("東京") AND ("大阪")'),
        ("headline:東京", None, 'headline : ("東京")'),
        ("東京 -大阪", None, '("東京") NOT "大阪"'),
    ],
)
def test_cjk_plan(text: str, main: str | None, cjk: str | None) -> None:
    compiled = plan(parse(text))
    assert (compiled.main, compiled.cjk) == (main, cjk)


def test_or_across_indexes_is_a_mixed_group() -> None:
    compiled = plan(parse("tokyo OR 東京"))
    assert compiled.main is None and compiled.cjk is None
    assert compiled.mixed == ((('"tokyo"', None), (None, '"東京"')),)


def test_exclusion_on_the_other_index() -> None:
    compiled = plan(parse("tokyo -大阪"))
    assert (compiled.main, compiled.cjk, compiled.cjk_not) == ('"tokyo"', None, '"大阪"')


# -- dates -----------------------------------------------------------------------------------

TODAY = date(2024, 3, 31)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024", "2024"),
        ("2024-03", "2024-03"),
        ("2024-03-01", "2024-03-01"),
        ("2024-03-01T10:00:00+01:00", "2024-03-01T10:00:00+01:00"),
        ("7d", "2024-03-24"),
        ("2w", "2024-03-17"),
        ("3m", "2024-01-01"),
        ("1y", "2023-04-01"),
        ("1 Y", "2023-04-01"),
        ("today", "2024-03-31"),
        ("yesterday", "2024-03-30"),
        ("99999y", "1824-05-19"),  # capped at 200 years: no overflow
    ],
)
def test_parse_date(text: str, expected: str) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["2024-13", "2024-02-30", "last week", "7x", "", "2024-3-1x"])
def test_bad_dates(text: str) -> None:
    with pytest.raises(InputError, match="not a date"):
        parse_date(text, today=TODAY)
