"""Search folds the letters unicode61 leaves apart (ß = ss, ø = o, ł = l, đ = d, ё = е, ...:
newsarc.store.folding), both ways, through the CLI (`ingest --dir`, `search`): words, phrases,
prefixes, column filters, exclusions, highlights in every output, and the upgrade (m014) of
archives made before."""

from __future__ import annotations

import csv
import html
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from newsarc import store
from newsarc.cli import cli
from newsarc.model import Article
from newsarc.search import count
from newsarc.store.folding import FOLDS, folded, has_foldable
from newsarc.store.schema import migrations
from newsarc.store.searchforms import search_form
from tests.conftest import fixture_path

BASE = "https://folding.example/"
# Each native page spells its words with the letters; en/names.html spells them as English
# keyboards type them, de-ch/strasse.html as Swiss papers write German.
PAGES = {
    "de/strasse.html": (
        "de",
        "Große Koalition sperrt die Straße",
        "Die Große Koalition beschloss am Montag neue Maßnahmen. Die Straße bleibt bis Juni "
        "gesperrt, sagte der Sprecher der Stadt.",
    ),
    "de-ch/strasse.html": (
        "de",
        "Grosse Koalition sperrt die Strasse",
        "Die Grosse Koalition beschloss am Montag neue Massnahmen. Die Strasse bleibt bis Juni "
        "gesperrt, sagte der Sprecher der Stadt.",
    ),
    "de/koalition.html": (
        "de",
        "Die Koalition tagt in Berlin",
        "Die Koalition tagte am Dienstag in Berlin und vertagte den Haushalt auf den Herbst.",
    ),
    "ru/pyotr.html": (
        "ru",
        "Пётр Иванов выиграл всё",
        "Пётр Иванов выиграл всё, что мог, в этом сезоне, сообщил его тренер.",
    ),
    "ru/petr.html": (
        "ru",
        "Петр Сидоров проиграл все",
        "Петр Сидоров проиграл все матчи турнира, сообщил его тренер.",
    ),
    "pl/lodz.html": (
        "pl",
        "Łódź otwiera nowy dworzec",
        "Nowy dworzec w Łodzi otwarto w piątek. Łódź czekała na niego dziesięć lat.",
    ),
    "da/orsted.html": (
        "da",
        "Ørsted bygger havvindmøller ved Færøerne",
        "Ørsted meddelte i København, at selskabet bygger nye møller ved Færøerne i år.",
    ),
    "sr/djokovic.html": (
        "sr",
        "Đoković osvojio turnir",
        "Novak Đoković je osvojio turnir u nedelju posle tri sata igre.",
    ),
    "is/thor.html": (
        "is",
        "Þór Guðmundsson vann",
        "Þór Guðmundsson vann keppnina í Reykjavík á sunnudag.",
    ),
    "tr/isik.html": (
        "tr",
        "Işık Kalkınma Ajansı açıldı",
        "Işık Kalkınma Ajansı bugün açıldı, dedi yetkililer.",
    ),
    "mt/hamrun.html": (
        "mt",
        "Ħamrun Spartans rebħu",
        "Il-Ħamrun Spartans rebħu l-kampjonat għall-ewwel darba.",
    ),
    "fr/oeuvre.html": (
        "fr",
        "Une œuvre au cœur de Paris",
        "L'œuvre exposée au cœur de Paris attire les visiteurs.",
    ),
    "en/names.html": (
        "en",
        "Names as English keyboards type them",
        "Officials from Lodz met Orsted in Kobenhavn near the Faeroerne. Djokovic and Thor "
        "Gudmundsson watched; Isik Kalkinma and Hamrun sent notes about the oeuvre at the "
        "coeur of Paris. Dokovic, some wrote.",
    ),
}
TEMPLATE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{headline}</title><meta property="og:title" content="{headline}">
<meta property="article:published_time" content="2024-05-19T03:00:00Z"></head>
<body><main><article><h1>{headline}</h1>{paragraphs}</article></main></body></html>"""


def write_pages(folder: Path, pages: dict[str, tuple[str, str, str]]) -> None:
    for path, (lang, headline, body) in pages.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        # three paragraphs of the body: long enough to be kept as an article
        paragraphs = "".join(f"<p>{html.escape(body)}</p>" for _ in range(3))
        target.write_text(
            TEMPLATE.format(lang=lang, headline=html.escape(headline), paragraphs=paragraphs),
            encoding="utf-8",
        )


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["search", "--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def found(db: Path, query: str) -> dict[str, str]:
    """{page path: snippet} of the hits for ``query``."""
    hits = json.loads(run(db, "--json", "--limit", "50", query))
    return {hit["url"].removeprefix(BASE): hit["snippet"] for hit in hits}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("saved")
    write_pages(folder, PAGES)
    db = folder / "archive.db"
    result = CliRunner().invoke(
        cli, ["ingest", "--dir", str(folder), "--base-url", BASE, "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert f"new {len(PAGES)}," in result.stderr
    return db


# (as the language writes it, as an English keyboard types it, the native page)
PAIRS = [
    ("Łódź", "lodz", "pl/lodz.html"),
    ("Ørsted", "orsted", "da/orsted.html"),
    ("København", "kobenhavn", "da/orsted.html"),
    ("Færøerne", "faeroerne", "da/orsted.html"),
    ("Đoković", "djokovic", None),  # đ -> d, not dj: the Serbian "Djokovic" is not a folding
    ("Đoković", "dokovic", "sr/djokovic.html"),  # en/names.html has "Dokovic" too
    ("Þór", "thor", "is/thor.html"),
    ("Guðmundsson", "gudmundsson", "is/thor.html"),
    ("Işık", "isik", "tr/isik.html"),
    ("Kalkınma", "kalkinma", "tr/isik.html"),
    ("Ħamrun", "hamrun", "mt/hamrun.html"),
    ("œuvre", "oeuvre", "fr/oeuvre.html"),
    ("cœur", "coeur", "fr/oeuvre.html"),
]


@pytest.mark.parametrize("native, typed, page", PAIRS)
def test_either_spelling_finds_both(archive: Path, native: str, typed: str, page: str) -> None:
    if page is None:  # "djokovic" is another word, found as written only
        assert list(found(archive, typed)) == ["en/names.html"]
        return
    for query in (native, typed, native.upper(), typed.upper()):
        hits = found(archive, query)
        assert sorted(hits) == sorted([page, "en/names.html"]), query
        # the word is marked as each text has it
        assert f"[{native}]" in hits[page], (query, hits[page])
        assert f"[{typed}]" in hits["en/names.html"].lower()


@pytest.mark.parametrize(
    "query, pages",
    [
        ("strasse", ["de-ch/strasse.html", "de/strasse.html"]),
        ("straße", ["de-ch/strasse.html", "de/strasse.html"]),
        ("STRASSE", ["de-ch/strasse.html", "de/strasse.html"]),
        ("STRAẞE", ["de-ch/strasse.html", "de/strasse.html"]),
        ("massnahmen", ["de-ch/strasse.html", "de/strasse.html"]),
        ("Maßnahmen", ["de-ch/strasse.html", "de/strasse.html"]),
        # Russian ё is е, both ways; no transliteration
        ("петр", ["ru/petr.html", "ru/pyotr.html"]),
        ("пётр", ["ru/petr.html", "ru/pyotr.html"]),
        ("всё", ["ru/petr.html", "ru/pyotr.html"]),
        ("ВСЕ", ["ru/petr.html", "ru/pyotr.html"]),
        ("petr", []),
        # phrases across the folded letters
        ('"große koalition"', ["de-ch/strasse.html", "de/strasse.html"]),
        ('"grosse koalition"', ["de-ch/strasse.html", "de/strasse.html"]),
        ('"sperrt die strasse"', ["de-ch/strasse.html", "de/strasse.html"]),
        ('"пётр иванов"', ["ru/pyotr.html"]),
        ('"петр иванов"', ["ru/pyotr.html"]),
        ('"Łódź otwiera"', ["pl/lodz.html"]),
        ('"lodz otwiera"', ["pl/lodz.html"]),
        # prefixes
        ("straß*", ["de-ch/strasse.html", "de/strasse.html"]),
        ("stras*", ["de-ch/strasse.html", "de/strasse.html"]),
        ("maßn*", ["de-ch/strasse.html", "de/strasse.html"]),
        ("ørs*", ["da/orsted.html", "en/names.html"]),
        ('"große koal"*', ["de-ch/strasse.html", "de/strasse.html"]),
        # column filters: the headline has Straße, only the body Maßnahmen
        ("headline:strasse", ["de-ch/strasse.html", "de/strasse.html"]),
        ("title:straße", ["de-ch/strasse.html", "de/strasse.html"]),
        ("headline:massnahmen", []),
        ("body:maßnahmen", ["de-ch/strasse.html", "de/strasse.html"]),
        ("headline:lodz", ["pl/lodz.html"]),
        # exclusions and OR
        ("koalition -strasse", ["de/koalition.html"]),
        ("koalition -straße", ["de/koalition.html"]),
        ("koalition NOT straße", ["de/koalition.html"]),
        ("koalition -headline:strasse", ["de/koalition.html"]),
        ("sprecher -grosse", []),
        ("lodz OR ørsted", ["da/orsted.html", "en/names.html", "pl/lodz.html"]),
        ("łódź OR petr", ["en/names.html", "pl/lodz.html"]),
    ],
)
def test_query_language_across_folded_letters(archive: Path, query: str, pages: list[str]) -> None:
    assert sorted(found(archive, query)) == pages


def test_phrase_snippets_mark_the_words_as_stored(archive: Path) -> None:
    for query in ('"grosse koalition"', '"große koalition"'):
        hits = found(archive, query)
        assert "[Große] [Koalition]" in hits["de/strasse.html"] or (
            "[Große Koalition]" in hits["de/strasse.html"]
        )
        assert "[Grosse Koalition]" in hits["de-ch/strasse.html"]


def test_every_word_of_a_query_is_marked(archive: Path) -> None:
    """FTS5 marks "Koalition" in the body but not "Straße" (matched through the search form):
    the snippet made in Python marks both."""
    hits = found(archive, "koalition strasse")
    assert "[Straße]" in hits["de/strasse.html"]
    assert "[Koalition]" in hits["de/strasse.html"]
    assert "[Strasse]" in hits["de-ch/strasse.html"]


def test_highlights_in_plain_json_and_csv_output(archive: Path) -> None:
    plain = run(archive, "strasse")
    assert "[Straße]" in plain and "[Strasse]" in plain
    rows = list(csv.DictReader(io.StringIO(run(archive, "--csv", "lodz"))))
    snippets = {row["url"].removeprefix(BASE): row["snippet"] for row in rows}
    assert "[Łódź]" in snippets["pl/lodz.html"] and "[Lodz]" in snippets["en/names.html"]
    lines = run(archive, "--jsonl", "пётр").splitlines()
    assert sorted(json.loads(line)["snippet"].count("[Пётр]") > 0 for line in lines) == [
        False,
        True,
    ]
    assert any("[Петр]" in json.loads(line)["snippet"] for line in lines)


def test_count_and_relevance_order(archive: Path) -> None:
    assert run(archive, "--count", "strasse").strip() == "2"
    assert run(archive, "--count", "straße").strip() == "2"
    # the headline matches rank before the mention in en/names.html's body, either spelling
    for query in ("lodz", "łódź"):
        hits = [h["url"].removeprefix(BASE) for h in json.loads(run(archive, "--json", query))]
        assert hits == ["pl/lodz.html", "en/names.html"]


def test_fts_mode_sees_the_folded_form(archive: Path) -> None:
    """--fts is not folded: the folded spelling finds both, the native one its own text."""
    hits = json.loads(run(archive, "--json", "--fts", "strasse"))
    assert len(hits) == 2
    hits = json.loads(run(archive, "--json", "--fts", "straße"))
    assert [h["url"].removeprefix(BASE) for h in hits] == ["de/strasse.html"]


# -- folding itself ----------------------------------------------------------------------


def test_folds_follow_the_table() -> None:
    assert folded("Straße ẞ Æble Œuvre Ørsted Ðrá Đoković Þór Łódź Işık Ħamrun Пётр Ёж") == (
        "Strasse SS AEble OEuvre Orsted Drá Doković THór Lódź Işik Hamrun Петр Еж"
    )
    # accents unicode61 removes itself, and letters of their own, are left alone
    for text in ("Müller café İstanbul", "йод їжа ў", "plain"):
        assert folded(text) is text
        assert not has_foldable(text)
    assert all(len(v) <= 2 and v.isalpha() for v in FOLDS.values())


def test_search_form_of_a_folded_text() -> None:
    assert search_form("Die Straße") == "Die Strasse"
    assert search_form("Die Strasse") == ""
    assert search_form("Müller") == ""
    # with CJK: the Latin words cut out, then folded
    assert search_form("Ørsted在丹麦建风电场") == "Orsted"
    assert search_form("ＮＡＴＯとŁódź") == "NATO Lódź"


_LETTERS = "aeosuzASßẞæÆœøØðÐđþłŁıħёЁеéüß"


@given(st.text(alphabet=_LETTERS + " -", max_size=30))
def test_folding_is_idempotent_and_keeps_the_words(text: str) -> None:
    once = folded(text)
    assert folded(once) == once
    assert not has_foldable(once)
    assert len(once.split()) == len(text.split())


@pytest.fixture(scope="module")
def library_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("prop") / "archive.db"
    store.open_db(path).close()
    return path


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.text(alphabet=_LETTERS, min_size=1, max_size=6), min_size=1, max_size=5))
def test_a_text_finds_itself_by_each_word_either_spelling(
    library_archive: Path, words: list[str]
) -> None:
    db = store.open_db(library_archive)
    marker = f"marker{db.execute('SELECT count(*) FROM articles').fetchone()[0]}"
    text = " ".join(words)
    saved = store.save_article(
        db, Article(url=f"https://prop.example/{marker}", headline=marker, body=text)
    )
    conn = store.connect(library_archive, readonly=True)
    try:
        for word in {*words, *map(folded, words), folded(text).upper()}:
            query = f'"{word}" {marker}' if " " in word else f"{word} {marker}"
            assert count(conn, query, all_copies=True) == 1, (query, saved)
        assert count(conn, f'"{folded(text)}" {marker}', all_copies=True) == 1
        assert count(conn, f'"{text}" {marker}', all_copies=True) == 1
    finally:
        conn.close()
        db.close()


# -- archives made before ------------------------------------------------------------------


def test_an_archive_from_the_first_release_is_upgraded(tmp_path: Path) -> None:
    """fixtures/archive-v1.db (m001 only) with articles its triggers indexed, as that release
    wrote them: after the upgrade either spelling finds them."""
    path = tmp_path / "v1.db"
    shutil.copy(fixture_path("archive-v1.db"), path)
    with sqlite3.connect(path) as conn:
        for n, page in enumerate(("de/strasse.html", "pl/lodz.html", "ru/pyotr.html"), 100):
            _, headline, body = PAGES[page]
            conn.execute(
                "INSERT INTO articles (id, url, headline, body) VALUES (?, ?, ?, ?)",
                [n, BASE + page, headline, body],
            )
    assert sorted(found(path, "strasse")) == ["de/strasse.html"]
    assert sorted(found(path, "lodz")) == ["pl/lodz.html"]
    assert sorted(found(path, "петр")) == ["ru/pyotr.html"]
    assert "[Łódź]" in found(path, "lodz")["pl/lodz.html"]
    assert len(found(path, "muller")) == 1  # the fixture's own article, as before
    _integrity(path)


def test_an_archive_from_the_last_release_gets_folded_forms(tmp_path: Path) -> None:
    """An archive at m013, its search forms as that release made them (none for Latin text,
    Latin words of CJK text unfolded): m014 writes the forms that change, and only those."""
    path = tmp_path / "m013.db"
    db = Database(path)
    migrations.apply(db, stop_before="m014_folded_letters")
    rows = [
        (1, "de/strasse.html", *PAGES["de/strasse.html"][1:], "", ""),
        (2, "en/plain.html", "Harbour expansion approved", "The council approved it.", "", ""),
        (3, "zh/orsted.html", "Ørsted在丹麦", "Ørsted在丹麦建风电场", "Ørsted", "Ørsted"),
        (4, "ja/nato.html", "ＮＡＴＯ首脳会議", "ＮＡＴＯ首脳会議が開幕", "NATO", "NATO"),
    ]
    db.conn.executemany(
        "INSERT INTO articles (id, url, headline, body, search_headline, search_body)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(n, BASE + page, h, b, sh, sb) for n, page, h, b, sh, sb in rows],
    )
    db.conn.commit()
    db.close()
    with sqlite3.connect(path) as conn:  # what the last release found
        assert conn.execute("SELECT rowid FROM articles_fts('strasse')").fetchall() == []
    db = store.open_db(path)
    assert store.pending_migrations(db) == []
    forms = {
        r[0]: r[1:] for r in db.execute("SELECT id, search_headline, search_body FROM articles")
    }
    db.close()
    assert forms == {
        1: (search_form(PAGES["de/strasse.html"][1]), search_form(PAGES["de/strasse.html"][2])),
        2: ("", ""),
        3: ("Orsted", "Orsted"),
        4: ("NATO", "NATO"),
    }
    assert forms[1][0] == "Grosse Koalition sperrt die Strasse"
    assert sorted(found(path, "strasse")) == ["de/strasse.html"]
    assert sorted(found(path, '"grosse koalition"')) == ["de/strasse.html"]
    assert sorted(found(path, "orsted")) == ["zh/orsted.html"]
    assert sorted(found(path, "nato")) == ["ja/nato.html"]
    _integrity(path)


def _integrity(path: Path) -> None:
    """What Datasette and sqlite-utils read is consistent: the index matches the rows."""
    other = Database(path)
    assert other.table("articles").detect_fts() == "articles_fts"
    other.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    other.close()
