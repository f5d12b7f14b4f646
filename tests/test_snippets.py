"""Snippets made in Python (newsarc.snippets) mark whole words as the index holds them, through
the CLI (`ingest --dir`, `search`); and their words and folding are unicode61's, compared with
SQLite's own tokenizer."""

from __future__ import annotations

import html
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarc.cli import cli
from newsarc.snippets import fold, make_snippet, tokens_of
from newsarc.store.folding import folded
from newsarc.store.tokenizers import MAIN_TOKENIZER

BASE = "https://snippets.example/"
GERMAN = (
    "Die Stadtverwaltung teilte am Dienstag mit, dass die Arbeiten voraussichtlich bis zum "
    "Herbst andauern werden und Anwohner mit erheblichen Einschränkungen rechnen müssen. "
)
PAGES = {
    "de/hauptstadt.html": (
        "de",
        "Ein Bericht aus der Hauptstadt",
        ["Der Senat plant neue Radwege an der Straße des 17. Juni. " + GERMAN, GERMAN],
    ),
    "de-ch/basel.html": (
        "de",
        "Ein Bericht aus Basel",
        ["Der Rat plant neue Radwege an der Strasse nach Riehen. " + GERMAN, GERMAN],
    ),
    "da/orsted.html": (
        "da",
        "Ørsted skærer ned",
        [
            "Energiselskabet Ørsted meddeler, at projektet ud for Bornholm udskydes, og at "
            "beboerne må vente.",
            "Kommunen er bekymret og oplyste tirsdag, at arbejdet forventes at vare til "
            "efteråret, og at beboerne må regne med gener.",
        ],
    ),
    "pl/lodz.html": (
        "pl",
        "Łódź: remont ulicy",
        [
            "Prezydent Łodzi zapowiedziała, że remont głównej ulicy miasta zakończy się we "
            "wrześniu, a mieszkańcy będą mogli odetchnąć.",
            "Władze miasta poinformowały we wtorek, że prace potrwają prawdopodobnie do jesieni.",
        ],
    ),
    "ru/moi.html": (
        "ru",
        "Интервью: мой город",
        [
            "Пётр сказал журналистам: мой дом стоит на этой улице уже сто лет, и я никуда не уеду.",
            "Это мои соседи, и я их люблю, добавил он, показывая на двор.",
        ],
    ),
    "de/lang.html": (
        "de",
        "Langer Text",
        [
            " ".join(
                f"Die Maßnahmen der Stadt betreffen im Abschnitt {p}.{n} Fußgänger und Radfahrer."
                for n in range(40)
            )
            for p in range(25)
        ]
        + ["Am Ende steht das Wort Schlusspfiff und die Zielstraße."],
    ),
}
TEMPLATE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{headline}</title></head>
<body><article><h1>{headline}</h1>{paragraphs}</article></body></html>"""


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("saved")
    for path, (lang, headline, paragraphs) in PAGES.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        text = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        target.write_text(
            TEMPLATE.format(lang=lang, headline=html.escape(headline), paragraphs=text),
            encoding="utf-8",
        )
    db = folder / "archive.db"
    result = CliRunner().invoke(
        cli, ["ingest", "--dir", str(folder), "--base-url", BASE, "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    return db


def found(db: Path, query: str) -> dict[str, str]:
    """{page path: snippet} of the hits for ``query``."""
    result = CliRunner().invoke(
        cli, ["search", "--db", str(db), "--json", query], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return {hit["url"].removeprefix(BASE): hit["snippet"] for hit in json.loads(result.stdout)}


def test_words_only_in_the_headline_mark_nothing_in_the_body(archive: Path) -> None:
    """The word "ein" is not "Einschränkungen": the body's start is the snippet."""
    hits = found(archive, "ein bericht")
    assert sorted(hits) == ["de-ch/basel.html", "de/hauptstadt.html"]
    assert hits["de/hauptstadt.html"].startswith("Der Senat plant neue Radwege an der Straße")
    assert "[" not in hits["de/hauptstadt.html"] and "[" not in hits["de-ch/basel.html"]


def test_a_short_word_is_not_marked_inside_longer_ones(archive: Path) -> None:
    snippet = found(archive, "orsted er")["da/orsted.html"]
    assert snippet.startswith("Energiselskabet [Ørsted] meddeler, at")
    assert "beboerne" in snippet and "Kommunen [er] bekymret" in snippet
    assert snippet.count("[") == 2


def test_a_word_that_starts_with_the_query_word_is_not_marked(archive: Path) -> None:
    snippet = found(archive, "lodz")["pl/lodz.html"]  # the headline's Łódź matched
    assert snippet.startswith("Prezydent Łodzi zapowiedziała") and "[" not in snippet


def test_short_i_is_a_letter_of_its_own(archive: Path) -> None:
    """мои does not find мой (й is not и with an accent), so it does not mark it either."""
    snippet = found(archive, "петр мои")["ru/moi.html"]
    assert "[Пётр] сказал журналистам: мой дом" in snippet and "Это [мои] соседи" in snippet
    assert list(found(archive, "мой")) == ["ru/moi.html"]
    assert "[мой]" in found(archive, "мой")["ru/moi.html"]


def test_a_prefix_marks_the_whole_word(archive: Path) -> None:
    hits = found(archive, "straß*")
    assert "an der [Straße] des" in hits["de/hauptstadt.html"]
    assert "an der [Strasse] nach" in hits["de-ch/basel.html"]


def test_a_folded_word_far_into_a_long_body_is_found(archive: Path) -> None:
    conn = sqlite3.connect(archive)
    [(length,)] = conn.execute("SELECT length(body) FROM articles WHERE headline = 'Langer Text'")
    conn.close()
    assert length > 60_000
    snippet = found(archive, "zielstrasse")["de/lang.html"]
    assert snippet.startswith("…") and snippet.endswith("die [Zielstraße].")


def test_a_phrase_is_marked_as_one_stretch() -> None:
    text = "Die Große Koalition tagt. Die große Runde, eine Koalition."
    snippet = make_snippet(text, ("grosse koalition",), ("[", "]"))
    assert snippet == "Die [Große Koalition] tagt. Die große Runde, eine Koalition."


def test_a_window_does_not_mark_a_word_it_cuts() -> None:
    text = "x " * 100 + "Einschränkungen" + " y" * 100
    assert "[" not in make_snippet(text, ("schrankungen",), ("[", "]"), width=40)
    assert "[Einschränkungen]" in make_snippet(text, ("einschrankungen",), ("[", "]"))


# -- the words and their folding are unicode61's --------------------------------------------


def index_words(text: str) -> list[str]:
    """The words SQLite's unicode61, as the main index declares it, makes of ``text``."""
    conn = sqlite3.connect(":memory:")
    conn.execute(f'CREATE VIRTUAL TABLE t USING fts5(x, tokenize="{MAIN_TOKENIZER}")')
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
    conn.execute("INSERT INTO t (x) VALUES (?)", [text])
    return [row[0] for row in conn.execute("SELECT term FROM v ORDER BY offset")]


def python_words(text: str) -> list[str]:
    # the index gets the folded text of a text with letters to fold (newsarc.store.searchforms)
    return [fold(word) for word, _, _ in tokens_of(text)]


SAMPLES = [
    "Große Koalition sperrt die STRASSE; Maßnahmen für Fußgänger",
    "Ørsted meddeler, at Færøerne og Æbeltoft — Þór Guðmundsson",
    "Łódź, ŁÓDŹ i Żółkiewski; Đoković; Işık İstanbul",
    "Пётр, ПЁТР и мой, мои; їжак, Ўладзімір; Ёлка",
    "Ελλάδα, ΕΛΛΆΔΑ και οδός ΟΔΟΣ; µ μ; ſ",
    "Cafe\u0301 na\u0308ive e\u0301te\u0301 ǖ Ǖ ǡ Tiếng Việt Nguyễn",
    "दिल्ली में नई मेट्रो लाइन का उद्घाटन; বাংলা; தமிழ்",
    "كَتَبَ الْوَلَدُ الدَّرْسَ; עִבְרִית",
    "COVID-19 e-mail 3.14 foo_bar x\ue000y",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_words_and_folding_agree_with_unicode61(text: str) -> None:
    assert python_words(text) == index_words(folded(text))


ALPHABET = st.sampled_from(
    list(
        "aAzZ09 ,.-_'ßẞæÆøØłŁđĐþÞıİħĦёЁéÉüÜçÇåÅõǖǡŉſµςΣσάΆйЙїЇўЎиИ"
        "\u0301\u0308\u0327\u0305\u0338\u0900\u093e\u094d\u0915\u0627\u064e\ue000"
    )
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(ALPHABET, max_size=30))
def test_any_text_is_cut_and_folded_as_unicode61_does(text: str) -> None:
    assert python_words(text) == index_words(folded(text))
