"""Search over a small multilingual archive: ranking, the query language, filters, stories,
snippets, CJK, raw FTS5, and a property test that no typed string can break a query."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarc import store
from newsarc.errors import InputError, QueryError
from newsarc.model import Article
from newsarc.search import count, iter_matches, search
from newsarc.snippets import make_snippet
from newsarc.store import Filters

CORPUS = [
    Article(
        url="https://news.example.com/world/georgia-border",
        headline="Men flee to the Georgia border crossing",
        body="Queues at the Upper Lars border crossing grew to thirty kilometres as men "
        "left Russia to avoid conscription. Officials said the crossing would stay open.",
        published="2024-03-01T08:00:00+00:00",
        section="World",
        site="Example News",
        authors=["Jane Doe"],
        language="en",
    ),
    Article(
        url="https://www.othertimes.example.org/politics/georgia-primary",
        headline="Georgia votes in the primary election",
        body="Voters in Atlanta queued before dawn. Turnout was high across the state, and "
        "the border counties reported long lines.",
        published="2024-02-10T12:00:00-05:00",
        section="Politics",
        site="Other Times",
        authors=["John Roe"],
        language="en-US",
    ),
    Article(
        url="https://news.example.com/weather/storms",
        headline="Storms sweep across the south",
        body="Heavy storms hit Georgia and Alabama overnight, cutting power to thousands of homes.",
        published="2024-01-05",
        section="Weather",
        site="Example News",
        language="en",
    ),
    Article(
        url="https://novosti.example.ru/mir/gruziya",
        headline="Мужчины бегут в Грузию",
        body="Очереди на границе с Грузией растут. Пограничный переход Верхний Ларс "
        "работает круглосуточно.",
        published="2024-03-02",
        section="Мир",
        language="ru",
    ),
    Article(
        url="https://zeitung.example.de/politik/mueller",
        headline="Müller gewinnt die Wahl in Bayern",
        body="Thomas Müller feierte im Café an der Straße. Die Wahlbeteiligung war hoch.",
        published="2024-02-15",
        section="Politik",
        authors=["Anna Schmidt"],
        language="de",
    ),
    Article(
        url="https://journal.example.fr/societe/cafes",
        headline="Les cafés de Paris ferment tôt",
        body="Le café du coin ferme avant l'élection municipale.",
        published="2023-12-20",
        section="Société",
        language="fr",
    ),
    Article(
        url="https://xinwen.example.cn/jingji/zengzhang",
        headline="中国经济增长百分之五",
        body="国家统计局周一公布，中国经济今年增长了百分之五。北京的消费数据也有所回升。",
        published="2024-01-17",
        section="经济",
        language="zh",
    ),
    Article(
        url="https://news.example.jp/politics/tokyo",
        headline="東京都知事選挙の投票率が上昇",
        body="東京都知事選挙の投票率は前回を上回った。選挙管理委員会が発表した。",
        published="2024-01-20T18:00:00+09:00",
        section="政治",
        language="ja",
    ),
    Article(
        url="https://news.example.kr/society/snow",
        headline="서울에 폭설",
        body="서울에서 밤새 눈이 내렸다. 시민들은 출근길에 불편을 겪었다.",
        published="2024-01-10",
        section="사회",
        language="ko",
    ),
    Article(
        url="https://wire.example.net/georgia-border-copy",
        headline="Men flee to the Georgia border crossing",
        body="Queues at the Upper Lars border crossing grew as men left Russia to avoid "
        "conscription, officials said.",
        site="Example Wire",
        language="en",
    ),
]


def build(path: Path) -> None:
    db = store.open_db(path)
    for article in CORPUS:
        store.save_article(db, article)
    # Article 10 is a copy of article 1 (too short for the near-duplicate check to tell:
    # search only reads the link).
    store.set_story(db, 10, 1, similarity=0.9)
    db.close()


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = tmp_path_factory.mktemp("search") / "archive.db"
    build(path)
    connection = store.connect(path, readonly=True)
    yield connection
    connection.close()


def ids(conn: sqlite3.Connection, query: str, **options: object) -> list[int]:
    """Hit ids, with the story of articles 1 and 10 (copies) shown as 1.

    Which copy stands for a story is the best-ranked one for the query, so it may be either.
    """
    found = [hit.id for hit in search(conn, query, **options)]  # type: ignore[arg-type]
    return found if options.get("all_copies") else [1 if i == 10 else i for i in found]


# -- ranking and the query language ---------------------------------------------------------


def test_headline_matches_rank_above_body_matches(conn: sqlite3.Connection) -> None:
    found = ids(conn, "georgia")
    assert set(found[:2]) == {1, 2} and found[2:] == [3]


def test_all_words_must_match(conn: sqlite3.Connection) -> None:
    assert ids(conn, "georgia border") == [1, 2]
    assert ids(conn, "georgia alabama") == [3]


@pytest.mark.parametrize(
    "query, expected",
    [
        ('"border crossing"', [1]),
        ('"crossing border"', []),
        ("storms OR wahl", {3, 5}),
        ("georgia -election", [1, 3]),
        ("georgia NOT election NOT storms", [1]),
        ("turn* atlanta", [2]),
        ("headline:georgia", {1, 2}),
        ("title:storms", [3]),
        ("body:storms", [3]),
        ("headline:border queues", [1]),
        ("nonexistentword", []),
    ],
)
def test_query_language(conn: sqlite3.Connection, query: str, expected: object) -> None:
    found = ids(conn, query)
    assert (set(found) if isinstance(expected, set) else found) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("muller", [5]),  # accents folded both ways
        ("MÜLLER", [5]),
        ("cafe", {5, 6}),
        ("caf*", {5, 6}),
        ("election", {2, 6}),  # élection
        ("straße", [5]),
        ("грузией", [4]),
        ("ГРУЗИЕЙ", [4]),  # Cyrillic case folding
        ("грузи*", [4]),
    ],
)
def test_case_and_accents(conn: sqlite3.Connection, query: str, expected: object) -> None:
    found = ids(conn, query)
    assert (set(found) if isinstance(expected, set) else found) == expected


def test_german_sharp_s_is_ss(conn: sqlite3.Connection) -> None:
    # unicode61 folds accents, not ß: the store and the query fold it (newsarc.store.folding)
    assert ids(conn, "strasse") == ids(conn, "STRASSE") == ids(conn, "straße") == [5]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("经济", [7]),
        ("北京", [7]),
        ("百分之五", [7]),
        ("京", {7, 8}),  # one character: inside 東京 and at the end of 北京
        ("都", [8]),
        ("東京都", [8]),
        ("投票率", [8]),
        ("選挙 東京", [8]),
        ("서울", [9]),  # Korean noun with a particle attached: 서울에서
        ("눈이", [9]),
        ("東京 OR 北京", {7, 8}),
        ("中国 -北京", []),
        ("中国 -東京", [7]),
        ("headline:選挙", [8]),
        ("東北", []),
        ("経済", []),  # the Japanese form of the character is another character
    ],
)
def test_chinese_japanese_korean(conn: sqlite3.Connection, query: str, expected: object) -> None:
    found = ids(conn, query)
    assert (set(found) if isinstance(expected, set) else found) == expected


def test_queries_across_scripts(conn: sqlite3.Connection) -> None:
    assert set(ids(conn, "서울 OR storms")) == {3, 9}
    assert ids(conn, "georgia -서울") == ids(conn, "georgia")
    assert ids(conn, "北京 -georgia") == [7]


# -- stories, sorting, filters, paging -------------------------------------------------------


def test_a_story_shows_once_unless_all_copies(conn: sqlite3.Connection) -> None:
    assert [hit.id for hit in search(conn, '"upper lars"')] in ([1], [10])
    assert sorted(ids(conn, '"upper lars"', all_copies=True)) == [1, 10]
    copies = search(conn, '"upper lars"', all_copies=True)
    assert {hit.story_id for hit in copies} == {1}  # one story: the copies say which
    assert count(conn, '"upper lars"') == 1
    assert count(conn, '"upper lars"', all_copies=True) == 2


def test_sorting(conn: sqlite3.Connection) -> None:
    assert ids(conn, "georgia", sort="newest") == [1, 2, 3]
    newest = search(conn, "georgia", sort="newest")
    assert all(h.score is None for h in newest)
    # snippets come from the body: articles 1 and 2 name Georgia only in their headlines
    assert ["[Georgia]" in h.snippet for h in newest] == [False, False, True]
    assert ids(conn, "georgia", sort="oldest") == [3, 2, 1]
    assert ids(conn, "crossing", sort="oldest", all_copies=True) == [1, 10]  # undated last
    with pytest.raises(QueryError, match="unknown sort 'best'"):
        search(conn, "georgia", sort="best")


def test_sorting_by_the_latest_change_in_search_and_list(tmp_path: Path) -> None:
    """``updated``: an article's update if it has one, else its publication, as instants (a
    New York evening is after a Tokyo morning of the next day); undated last."""
    stories = [
        ("old-but-updated", "2024-01-05", "2024-03-06T01:00:00-05:00"),  # 06:00 UTC on the 6th
        ("recent", "2024-03-06T09:00:00+09:00", None),  # 00:00 UTC on the 6th
        ("older", "2024-02-01", None),
        ("undated", None, None),
        ("updated-in-tokyo", "2024-01-01", "2024-03-06T12:00:00+09:00"),  # 03:00 UTC
    ]
    db = store.open_db(tmp_path / "archive.db")
    for slug, published, modified in stories:
        store.save_article(
            db,
            Article(
                url=f"https://news.example.com/{slug}",
                headline=f"Council budget {slug}",
                body=f"The council budget story {slug}, told in a few words for the test.",
                published=published,
                modified=modified,
            ),
        )
    db.close()
    conn = store.connect(tmp_path / "archive.db", readonly=True)
    try:
        order = [hit.url.rsplit("/", 1)[1] for hit in search(conn, "budget", sort="updated")]
        newest = [hit.url.rsplit("/", 1)[1] for hit in search(conn, "budget", sort="newest")]
        listed = {
            sort: [a.url.rsplit("/", 1)[1] for a in store.list_articles(conn, sort=sort)]
            for sort in ("updated", "newest", "oldest")
        }
        with pytest.raises(InputError, match="unknown sort 'best'"):
            store.list_articles(conn, sort="best")
    finally:
        conn.close()
    assert order == ["old-but-updated", "updated-in-tokyo", "recent", "older", "undated"]
    assert newest == ["recent", "older", "old-but-updated", "updated-in-tokyo", "undated"]
    assert listed == {
        "updated": order,
        "newest": newest,
        "oldest": ["updated-in-tokyo", "old-but-updated", "older", "recent", "undated"],
    }


@pytest.mark.parametrize(
    "filters, expected",
    [
        (Filters(section="politics"), [2]),
        (Filters(site="example news"), [1, 3]),
        (Filters(site="othertimes.example.org"), [2]),
        (Filters(author="roe"), [2]),
        (Filters(language="en"), [1, 2, 3]),
        (Filters(since="2024-02"), [1, 2]),
        (Filters(until="2024-02-10"), [2, 3]),  # the whole day, whatever the offset
    ],
)
def test_filters(conn: sqlite3.Connection, filters: Filters, expected: list[int]) -> None:
    assert sorted(ids(conn, "georgia", filters=filters)) == expected
    assert count(conn, "georgia", filters=filters) == len(expected)


def test_zero_limit(conn: sqlite3.Connection) -> None:
    assert search(conn, "georgia", limit=0) == []
    with pytest.raises(QueryError):  # the query is still checked
        search(conn, "", limit=0)


def test_limit_and_offset(conn: sqlite3.Connection) -> None:
    query = "georgia OR crossing OR müller"
    for all_copies in (False, True):
        full = [h.id for h in search(conn, query, limit=10, all_copies=all_copies)]
        assert len(full) == (5 if all_copies else 4)
        for offset in (0, 1, 2, 3):
            page = search(conn, query, limit=2, offset=offset, all_copies=all_copies)
            assert [h.id for h in page] == full[offset : offset + 2]


# -- hits and snippets -----------------------------------------------------------------------


def test_hit_fields_and_snippet(conn: sqlite3.Connection) -> None:
    [hit] = search(conn, "alabama")
    record = hit.to_dict()
    assert list(record) == ["id", "url", "headline", "published", "section", "site", "authors",
                            "language", "modified", "snippet", "score", "story_id",
                            "topics"]  # fmt: skip
    assert record["url"] == "https://news.example.com/weather/storms"
    assert "[Alabama]" in record["snippet"]
    assert record["score"] is not None and record["score"] > 0
    [hit] = search(conn, "alabama", highlight=("<b>", "</b>"))
    assert "<b>Alabama</b>" in hit.snippet


def test_cjk_snippets_are_marked(conn: sqlite3.Connection) -> None:
    [hit] = search(conn, "投票率")
    assert "[投票率]" in hit.snippet and hit.score is not None
    [hit] = search(conn, "서울")
    assert hit.snippet.startswith("[서울]에서")


def test_make_snippet_folds_and_windows() -> None:
    text = "word " * 100 + "Thomas Müller won. " + "word " * 100
    snippet = make_snippet(text, ("muller",), ("[", "]"), width=60)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "[Müller]" in snippet and len(snippet) <= 60 + 4  # width, two marks, two "…"
    assert make_snippet("short text", (), ("[", "]")) == "short text"


# -- raw FTS5 and export matches -------------------------------------------------------------


def test_raw_fts_for_experts(conn: sqlite3.Connection) -> None:
    assert ids(conn, "NEAR(border crossing, 2) AND headline:flee", raw=True) == [1]
    with pytest.raises(QueryError, match="^bad FTS5 query: fts5: syntax error near"):
        search(conn, "georgia AND (", raw=True)
    with pytest.raises(QueryError, match="^bad FTS5 query: unterminated string$"):
        search(conn, 'georgia "', raw=True)
    with pytest.raises(QueryError, match="^bad FTS5 query: no such column: author"):
        search(conn, "author:x", raw=True)
    with pytest.raises(QueryError, match="nothing to search for"):
        search(conn, "  ", raw=True)


def test_iter_matches_streams_every_copy_in_id_order(conn: sqlite3.Connection) -> None:
    stream = iter_matches(conn, "crossing")
    assert next(stream).id == 1
    assert [a.id for a in stream] == [10]
    assert [
        a.id
        for a in iter_matches(conn, "서울 OR crossing", filters=Filters(site="wire.example.net"))
    ] == [10]


# -- no string a user can type breaks a query -----------------------------------------------

PIECES = st.sampled_from([
    '"', "'", "-", "*", "(", ")", ":", "^", "+", "OR", "AND", "NOT", "NEAR(", "NEAR", "{", "}",
    "headline:", "title:", "body:", "author:", "rowid", "rank", "MATCH", "'; DROP TABLE x; --",
    "georgia", "border", "東京", "서울", "经济", "東", "🙂", "\u200f", "שלום", "مرحبا", "\x00",
    "\ud800", "\n", "\t", " ", "  ", "é", "\u0301", "_", "%", "\\", "x" * 300,
])  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(PIECES, max_size=12).map("".join)))
def test_no_typed_string_breaks_search(conn: sqlite3.Connection, text: str) -> None:
    try:
        hits = search(conn, text, limit=5)
        total = count(conn, text)
    except QueryError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(hits, list) and len(hits) <= total


def test_huge_pasted_text(conn: sqlite3.Connection) -> None:
    with pytest.raises(QueryError, match="at most 64 are allowed"):
        search(conn, "georgia border " * 7000)
