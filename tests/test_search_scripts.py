"""Search in scripts unicode61 alone gets wrong, through the CLI (`ingest --dir`, `search`):
Latin letters and digits written against Chinese or Japanese, full-width Latin, Hindi (vowel
signs), Thai (no spaces); and the upgrade (m012) of an archive made before."""

from __future__ import annotations

import html
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from newsarc import store
from newsarc.cli import cli
from newsarc.store.schema import migrations

BASE = "https://scripts.example/"
PAGES = {
    "zh/g7.html": (
        "zh",
        "G7峰会在广岛开幕 iPhone15销量成焦点",
        [
            "G7峰会今天在日本广岛开幕，七国集团领导人讨论了乌克兰局势。2024年的经济前景也是会议议题之一。",
            "苹果公司的iPhone15在中国市场的销量成为与会者关注的焦点。COVID-19疫情后的供应链问题也被提及。",
            "会议将持续三天，预计发表联合声明。",
        ],
    ),
    "ja/nato.html": (
        "ja",
        "ＮＡＴＯ首脳会議が開幕　ウクライナ支援を協議",
        [
            "北大西洋条約機構（ＮＡＴＯ）の首脳会議が１１日、リトアニアの首都ビリニュスで開幕した。",
            "各国の首脳は、ウクライナへの長期的な支援について協議する。ＮＡＴＯ加盟国は３１か国。",
            "会議は２日間の日程で行われ、共同声明が採択される見通しだ。",
        ],
    ),
    "hi/metro.html": (
        "hi",
        "दिल्ली में नई मेट्रो लाइन का उद्घाटन",
        [
            "प्रधानमंत्री ने आज दिल्ली में नई मेट्रो लाइन का उद्घाटन किया। ",
            "इस लाइन से लाखों यात्रियों को लाभ होगा। ",
            "अधिकारियों ने बताया कि मेट्रो लाइन पर रोज़ाना दो लाख लोग सफ़र करेंगे। ",
            "नई लाइन में बारह स्टेशन हैं और यह शहर के पूर्वी हिस्से को जोड़ती है। ",
        ],
    ),
    "th/park.html": (
        "th",
        "กรุงเทพฯ เปิดสวนสาธารณะแห่งใหม่",
        [
            "กรุงเทพมหานครเปิดสวนสาธารณะแห่งใหม่ในวันนี้ ประชาชนจำนวนมากเดินทางมาเที่ยวชมสวนแห่งนี้ ",
            "ผู้ว่าราชการกรุงเทพมหานครกล่าวว่าสวนแห่งนี้จะช่วยเพิ่มพื้นที่สีเขียวให้กับเมือง ",
            "สวนสาธารณะเปิดให้บริการทุกวันตั้งแต่เวลาหกโมงเช้าถึงสามทุ่ม ",
        ],
    ),
    "en/summit.html": (
        "en",
        "Leaders gather for the G7 summit",
        [
            "The G7 summit opened in Hiroshima on Friday, with NATO allies discussing Ukraine. ",
            "Officials from Łódź and Tromsø joined the café talks on the sidelines of the summit. ",
            "Delegates said the COVID-19 recovery and the 2024 outlook were also on the agenda. ",
        ],
    ),
}
TEMPLATE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{headline}</title><meta property="og:title" content="{headline}">
<meta property="article:published_time" content="2024-05-19T03:00:00Z"></head>
<body><main><article><h1>{headline}</h1>{paragraphs}</article></main></body></html>"""


def write_pages(folder: Path) -> None:
    for path, (lang, headline, paragraphs) in PAGES.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        text = "".join(f"<p>{html.escape(p * 3)}</p>" for p in paragraphs)
        target.write_text(
            TEMPLATE.format(lang=lang, headline=html.escape(headline), paragraphs=text),
            encoding="utf-8",
        )


def found(db: Path, query: str) -> dict[str, str]:
    """{page path: snippet} of the hits for ``query``."""
    result = CliRunner().invoke(
        cli, ["search", "--db", str(db), "--json", query], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return {hit["url"].removeprefix(BASE): hit["snippet"] for hit in json.loads(result.stdout)}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("saved")
    write_pages(folder)
    db = folder / "archive.db"
    result = CliRunner().invoke(
        cli, ["ingest", "--dir", str(folder), "--base-url", BASE, "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert "new 5," in result.stderr
    return db


@pytest.mark.parametrize(
    "query, pages, marked",
    [
        # Latin letters and digits written against Chinese
        ("G7", ["en/summit.html", "zh/g7.html"], "[G7]"),
        ("G7峰会", ["zh/g7.html"], "[G7][峰会]"),
        ("headline:G7", ["en/summit.html", "zh/g7.html"], "G7"),
        ("iPhone15", ["zh/g7.html"], "[iPhone15]"),
        ("2024年", ["zh/g7.html"], "[2024][年]"),
        ("COVID-19疫情", ["zh/g7.html"], "[COVID-19][疫情]"),
        ('"COVID-19"', ["en/summit.html", "zh/g7.html"], "[COVID-19]"),
        ("峰会", ["zh/g7.html"], "[峰会]"),
        # full-width Latin and digits fold to ASCII, both ways
        ("NATO", ["en/summit.html", "ja/nato.html"], "[NATO]|[ＮＡＴＯ]"),
        ("ＮＡＴＯ", ["en/summit.html", "ja/nato.html"], "[NATO]|[ＮＡＴＯ]"),
        ("nato 首脳", ["ja/nato.html"], "[ＮＡＴＯ]"),
        ("body:nato 加盟国", ["ja/nato.html"], "[ＮＡＴＯ]"),
        ("３１か国", ["ja/nato.html"], "[３１][か国]"),
        ("31か国", ["ja/nato.html"], "[３１][か国]"),
        # Hindi words are whole words
        ("दिल्ली", ["hi/metro.html"], "[दिल्ली]"),
        ("मेट्रो लाइन", ["hi/metro.html"], "[मेट्रो]"),
        ("headline:उद्घाटन", ["hi/metro.html"], ""),  # the snippet is of the body
        # Thai words inside a run
        ("กรุงเทพมหานคร", ["th/park.html"], "[กรุงเทพมหานคร]"),
        ("สวนสาธารณะ", ["th/park.html"], "[สวนสาธารณะ]"),
        # what worked before still does
        ("cafe", ["en/summit.html"], "[café]"),
        ("Lodz OR Łódź", ["en/summit.html"], "[Łódź]"),
    ],
)
def test_found_and_marked(archive: Path, query: str, pages: list[str], marked: str) -> None:
    hits = found(archive, query)
    assert sorted(hits) == pages
    # each hit's snippet marks the word (one of the "|"-separated forms)
    assert all(any(m in s for m in marked.split("|")) for s in hits.values()), hits


@pytest.mark.parametrize(
    "query",
    [
        "दाल",  # lentils: was the consonants द ल of दिल्ली
        "माँ",  # mother: was the lone म of में and मेट्रो
        "मेट्रा",  # not in the text: was मेट्र
        "दिल",  # a word of its own, not a part of दिल्ली
        "กรูงเทพ",  # one vowel sign differs from กรุงเทพ
        "headline:COVID",  # only in the body
        "G8峰会",
    ],
)
def test_not_found(archive: Path, query: str) -> None:
    assert found(archive, query) == {}


def old_archive(path: Path) -> None:
    """An archive as the release before m012 left it, its articles written by the triggers and
    bigram inserts of m001/m002 (as the store of that release did)."""
    db = Database(path)
    migrations.apply(db, stop_before="m012_search_forms_and_tokenizers")
    from newsarc.store.cjk import has_cjk, index_text

    for n, (page, (lang, headline, paragraphs)) in enumerate(PAGES.items(), start=1):
        body = "\n\n".join(p * 3 for p in paragraphs)
        db.execute(
            "INSERT INTO articles (id, url, headline, body, language) VALUES (?, ?, ?, ?, ?)",
            [n, BASE + page, headline, body, lang],
        )
        if has_cjk(headline) or has_cjk(body):
            db.execute(
                "INSERT INTO articles_cjk(rowid, headline, body) VALUES (?, ?, ?)",
                [n, " ".join(index_text(headline).split()), index_text(body)],
            )
    db.conn.commit()
    db.close()


def test_an_older_archive_is_upgraded_and_stays_readable_by_other_tools(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old_archive(path)
    with sqlite3.connect(path) as conn:  # the old index: दाल matched दिल्ली's consonants
        assert conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH '\"दाल\"'"
        ).fetchall() == [(3,)]
    db = store.open_db(path)
    assert store.pending_migrations(db) == []
    db.close()
    assert sorted(found(path, "G7")) == ["en/summit.html", "zh/g7.html"]
    assert found(path, "दाल") == {}
    assert list(found(path, "สวนสาธารณะ")) == ["th/park.html"]
    assert list(found(path, "３１か国")) == ["ja/nato.html"]
    # what Datasette and sqlite-utils read: the external-content index over articles
    other = Database(path)
    assert other.table("articles").detect_fts() == "articles_fts"
    rows = list(other.table("articles").search("दिल्ली", columns=["url"]))
    assert rows == [{"url": BASE + "hi/metro.html"}]
    assert {r["url"] for r in other.table("articles").search("g7", columns=["url"])} == {
        BASE + "en/summit.html",
        BASE + "zh/g7.html",
    }
    for index in ("articles_fts", "articles_cjk"):
        other.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
    other.close()


def test_an_edit_by_another_tool_keeps_the_index_consistent(archive: Path, tmp_path: Path) -> None:
    """A tool writing ``articles`` (Datasette, sqlite-utils) goes through the triggers."""
    copy = tmp_path / "copy.db"
    with sqlite3.connect(archive) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    other = Database(copy)
    other.execute("UPDATE articles SET body = 'बदला हुआ पाठ' WHERE url LIKE '%/hi/metro.html'")
    other.execute("DELETE FROM articles WHERE url LIKE '%/en/summit.html'")
    other.conn.commit()
    other.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    other.close()
    assert list(found(copy, "बदला")) == ["hi/metro.html"]
    assert list(found(copy, "G7")) == ["zh/g7.html"]
