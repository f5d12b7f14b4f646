"""``Article.topics`` kept in the archive (migration m019_article_topics): the publisher's tags
of a saved page go through ``ingest --dir`` into the record, come out of show, list, search,
export and stats, and ``--topic`` filters by them; an older archive gets an empty list that
``reextract`` fills."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newsarc import store
from newsarc.cli import cli
from newsarc.store import Filters

PARAGRAPHS = {
    "en": [
        "The regional grid operator said on Monday that it expects record demand in July, as"
        " air conditioners run longer and the new battery parks are still months from opening.",
        "Engineers have spent the spring inspecting transformers along the coast, where salt"
        " air wears equipment down faster than inland, and the operator has asked large users"
        " to shift some of their load to the night.",
        "Consumer groups welcomed the plan but warned that households on fixed incomes could"
        " not be asked to carry the cost of upgrades that were postponed for a decade.",
        "The operator will publish its first weekly outlook on Friday, and says it will update"
        " it every week until the end of September.",
    ],
    "pl": [
        "Miejskie przedsiębiorstwo komunikacyjne odebrało w poniedziałek pierwsze z dwudziestu"
        " nowych tramwajów, które jeszcze w tym miesiącu mają wyjechać na trasy w centrum.",
        "Wagony są niskopodłogowe, mają klimatyzację i miejsca na rowery, a ich producent"
        " zobowiązał się do serwisowania ich przez dziesięć lat od dnia dostawy.",
        "Pasażerowie zobaczą je najpierw na linii biegnącej przez Piotrkowską, gdzie w zeszłym"
        " roku wymieniono torowisko i sieć trakcyjną na całej długości ulicy.",
        "Kolejne dostawy zaplanowano na jesień, a ostatnie wagony mają dotrzeć do zajezdni"
        " przed końcem przyszłego roku, zapowiada rzecznik spółki.",
    ],
}
GRID = "https://gazette.example/energy/grid-summer"
TRAMS = "https://kurier.example/miasto/tramwaje"
# A WordPress-style page: Open Graph article tags.
ENGLISH = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Grid operators brace for a hot summer | Harbour Gazette</title>
<link rel="canonical" href="{GRID}">
<meta property="og:title" content="Grid operators brace for a hot summer">
<meta property="article:published_time" content="2024-06-03T08:00:00+00:00">
<meta property="article:tag" content="Climate policy">
<meta property="article:tag" content="Energy">
<meta name="author" content="Dana Whitfield">
</head><body><article><h1>Grid operators brace for a hot summer</h1>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS["en"])}
</article></body></html>"""
# A regional paper's page: a keywords meta, topics outside ASCII.
POLISH = f"""<!doctype html><html lang="pl"><head><meta charset="utf-8">
<title>Nowe tramwaje wyjadą na ulice Łodzi</title>
<link rel="canonical" href="{TRAMS}">
<meta property="og:title" content="Nowe tramwaje wyjadą na ulice Łodzi">
<meta property="article:published_time" content="2024-06-04T09:00:00+02:00">
<meta name="keywords" content="Łódź, Transport publiczny">
</head><body><article><h1>Nowe tramwaje wyjadą na ulice Łodzi</h1>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS["pl"])}
</article></body></html>"""
GRID_TOPICS = ["Climate policy", "Energy"]
TRAM_TOPICS = ["Łódź", "Transport publiczny"]


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def ingest_two(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "grid.html").write_text(ENGLISH, encoding="utf-8")
    (folder / "trams.html").write_text(POLISH, encoding="utf-8")
    run("ingest", "--dir", str(folder), "-q")


def ids(result: Result) -> dict[str, int]:
    """Article ids by URL from a --json listing."""
    return {r["url"]: r["id"] for r in json.loads(result.stdout)}


def shown(article_id: int) -> dict:
    record: dict = json.loads(run("show", str(article_id), "--json").stdout)
    return record


def test_ingested_topics_show_in_every_record(tmp_path: Path) -> None:
    ingest_two(tmp_path)
    listed = json.loads(run("list", "--json").stdout)
    assert {r["url"]: r["topics"] for r in listed} == {GRID: GRID_TOPICS, TRAMS: TRAM_TOPICS}
    grid = ids(run("list", "--json"))[GRID]
    assert shown(grid)["topics"] == GRID_TOPICS
    assert "topics:        Climate policy; Energy" in run("show", str(grid)).stdout
    hits = json.loads(run("search", "transformers", "--json").stdout)
    assert [h["topics"] for h in hits] == [GRID_TOPICS]
    figures = json.loads(run("stats", "--json").stdout)
    assert {t["topic"] for t in figures["topics"]} == {*GRID_TOPICS, *TRAM_TOPICS}
    assert "topics" in run("stats").stdout


def test_exports_carry_topics(tmp_path: Path) -> None:
    ingest_two(tmp_path)
    lines = run("export", "--format", "jsonl").stdout.splitlines()
    assert {json.loads(x)["url"]: json.loads(x)["topics"] for x in lines} == {
        GRID: GRID_TOPICS,
        TRAMS: TRAM_TOPICS,
    }
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv").stdout)))
    assert {r["url"]: r["topics"] for r in rows} == {
        GRID: "Climate policy; Energy",
        TRAMS: "Łódź; Transport publiczny",
    }
    md = run("export", "--format", "md", "--topic", "energy").stdout
    assert 'topics: ["Climate policy", "Energy"]' in md
    assert md.count("\n---\n") == 1  # one article's front matter


@pytest.mark.parametrize(
    ("topic", "urls"),
    [
        ("climate", {GRID}),  # part of a topic, case aside
        ("ENERGY", {GRID}),
        ("ŁÓDŹ", {TRAMS}),  # outside ASCII, case aside
        ("transport PUBLICZNY", {TRAMS}),
        ("policy; Energy", set()),  # topics are matched one by one
        ("Whitfield", set()),  # an author is no topic
    ],
)
def test_topic_filter_in_list_search_and_export(tmp_path: Path, topic: str, urls: set[str]) -> None:
    ingest_two(tmp_path)
    assert set(ids(run("list", "--json", "--topic", topic))) == urls
    found = json.loads(run("search", "the OR na", "--json", "--topic", topic).stdout)
    assert {h["url"] for h in found} == urls
    exported = run("export", "--format", "jsonl", "--topic", topic).stdout.splitlines()
    assert {json.loads(line)["url"] for line in exported} == urls


def test_topic_filter_from_python(db_path: Path, tmp_path: Path) -> None:
    ingest_two(tmp_path)
    conn = store.connect(db_path)
    found = store.list_articles(conn, filters=Filters(topic="łódź"))
    assert [(a.url, a.topics) for a in found] == [(TRAMS, TRAM_TOPICS)]
    assert store.list_articles(conn, filters=Filters(topic="energy", language="pl")) == []
    conn.close()


def downgraded(db_path: Path) -> None:
    """Make the archive what the release before m019 left: no ``topics`` column, m019 not
    applied (its other tables and columns are the same)."""
    with sqlite3.connect(db_path) as conn:
        conn.execute("ALTER TABLE articles DROP COLUMN topics")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm019_article_topics'")
    conn.close()


def test_an_older_archive_gets_empty_topics_that_reextract_fills(
    db_path: Path, tmp_path: Path
) -> None:
    ingest_two(tmp_path)
    downgraded(db_path)
    with sqlite3.connect(db_path) as conn:
        assert "topics" not in {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
    conn.close()
    by_url = ids(run("list", "--json"))  # a reader upgrades it
    assert store.pending_migrations(sqlite3.connect(db_path)) == []
    assert [shown(n)["topics"] for n in by_url.values()] == [[], []]
    assert run("list", "--json", "--topic", "energy").stdout.strip() == "[]"
    run("reextract", "--all")
    assert shown(by_url[GRID])["topics"] == GRID_TOPICS
    assert shown(by_url[TRAMS])["topics"] == TRAM_TOPICS
    assert set(ids(run("list", "--json", "--topic", "energy"))) == {GRID}


def test_a_later_fetch_without_topics_keeps_the_stored_ones(tmp_path: Path) -> None:
    ingest_two(tmp_path)
    grid = ids(run("list", "--json"))[GRID]
    untagged = tmp_path / "untagged.html"
    untagged.write_text(ENGLISH.replace('property="article:tag"', 'property="x-tag"'), "utf-8")
    run("fetch", str(untagged), "--url", GRID)
    assert shown(grid)["topics"] == GRID_TOPICS
    retagged = tmp_path / "retagged.html"
    retagged.write_text(ENGLISH.replace("Climate policy", "Heatwave"), "utf-8")
    run("fetch", str(retagged), "--url", GRID)
    assert shown(grid)["topics"] == ["Heatwave", "Energy"]
