"""The reading commands through the real CLI: search, show, list, stats, export."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newsarc import store
from newsarc.cli import cli
from newsarc.cli.reading import _hit_text, _marked
from tests.test_search import build


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


def fail(*args: str, code: int = 1) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def archive(db_path: Path) -> Path:
    build(db_path)
    return db_path


# -- search --------------------------------------------------------------------------------


def test_search_text_output(archive: Path) -> None:
    out = run("search", "alabama").stdout
    assert out == (
        "3  2024-01-05  Example News · Weather  Storms sweep across the south\n"
        "    https://news.example.com/weather/storms\n"
        "    Heavy storms hit Georgia and [Alabama] overnight, cutting power to thousands of "
        "homes.\n\n"
    )


def test_search_json_jsonl_csv(archive: Path) -> None:
    hits = json.loads(run("search", "georgia", "--json").stdout)
    assert [h["id"] for h in hits][2:] == [3] and {h["id"] for h in hits} & {1, 10}
    assert set(hits[0]) == {"id", "url", "headline", "published", "modified", "section", "site",
                            "authors", "topics", "language", "snippet", "score",
                            "story_id"}  # fmt: skip
    assert all(isinstance(h["story_id"], int) for h in hits)
    lines = run("search", "georgia", "--jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == hits
    rows = list(csv.DictReader(io.StringIO(run("search", "turnout", "--csv").stdout)))
    assert rows[0]["authors"] == "John Roe" and rows[0]["id"] == "2"
    assert "[Turnout]" in rows[0]["snippet"]
    rows = list(csv.DictReader(io.StringIO(run("search", "georgia", "--csv").stdout)))
    assert set(rows[0]) == set(hits[0])  # the same fields as JSON, story_id included
    assert [row["story_id"] for row in rows] == [str(h["story_id"]) for h in hits]


@pytest.mark.parametrize(
    "args",
    [
        ["show", "99999999999999999999"],
        ["show", "\u00b2"],  # a digit to str.isdigit, but no id
        ["list", "-n", "99999999999999999999"],
        ["list", "--offset", "99999999999999999999"],
        ["search", "georgia", "-n", "99999999999999999999"],
        ["search", "georgia", "--section", "\udcc9conomie"],  # bytes of a Latin-1 terminal
        ["search", "georgia", "--site", "caf\udce9.fr"],
        ["search", "georgia", "--author", "M\udcfcller"],
        ["list", "--section", "\udcc9conomie"],
        ["export", "--author", "M\udcfcller"],
        ["show", "https://example.com/caf\udce9"],
    ],
)
def test_odd_numbers_and_undecodable_bytes_are_no_traceback(archive: Path, args: list[str]) -> None:
    result = CliRunner().invoke(cli, [*args, "--db", str(archive)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    if result.exit_code:
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


def test_bytes_of_a_latin_1_terminal_are_read_as_windows_1252(archive: Path) -> None:
    by_name = json.loads(run("search", "georgia", "--author", "Jane Doe", "--json").stdout)
    assert by_name  # the filter itself works
    shown = fail("show", "https://example.com/caf\udce9", "--db", str(archive))
    assert shown.stderr == "Error: no article with id or URL https://example.com/café\n"


def test_a_query_that_starts_with_a_dash(archive: Path) -> None:
    expected = json.loads(run("search", "georgia -alabama", "--json").stdout)
    assert expected
    assert json.loads(run("search", "-alabama georgia", "--json").stdout) == expected
    assert json.loads(run("search", "--json", "-alabama georgia").stdout) == expected
    assert json.loads(run("search", "--json", "--", "-alabama georgia").stdout) == expected
    assert "No such option" in fail("search", "--jsno", "georgia", code=2).stderr


def test_search_options(archive: Path) -> None:
    assert run("search", "georgia", "--count").stdout == "3\n"
    assert run("search", "georgia", "--count", "--all-copies").stdout == "4\n"
    newest = json.loads(run("search", "georgia", "--sort", "newest", "--json").stdout)
    assert [h["id"] for h in newest] == [1, 2, 3]
    limited = json.loads(run("search", "georgia", "-n", "1", "--json").stdout)
    assert len(limited) == 1
    filtered = json.loads(
        run("search", "georgia", "--section", "politics", "--since", "2024-02", "--json").stdout
    )
    assert [h["id"] for h in filtered] == [2]
    assert run("search", "georgia", "--site", "example.com", "--author", "doe", "--lang", "en",
               "--json").stdout.count('"id"') == 1  # fmt: skip
    assert run("search", "东京", "--json").stdout == "[]\n"
    assert json.loads(run("search", "投票率", "--json").stdout)[0]["id"] == 8
    raw = json.loads(run("search", "--fts", "NEAR(border crossing, 2)", "--json").stdout)
    assert {h["id"] for h in raw} & {1, 10}


@pytest.mark.parametrize(
    "args, message",
    [
        (["search", '"'], "Error: nothing to search for: the query has no words"),
        (
            ["search", "--", "-x"],
            "Error: the query only excludes words: add at least one word to look for",
        ),  # fmt: skip
        (["search", "--fts", "a AND ("], 'Error: bad FTS5 query: fts5: syntax error near ""'),
        (["show", "999"], "Error: no article with id or URL 999"),
        (["show", "not a url"], "Error: not an article id or URL: 'not a url'"),
    ],
)
def test_error_lines(archive: Path, args: list[str], message: str) -> None:
    assert fail(*args).stderr == message + "\n"


def test_bad_option_values_are_usage_errors(archive: Path) -> None:
    result = fail("search", "x", "--since", "last week", code=2)
    assert "not a date: 'last week'" in result.stderr
    assert "'best' is not one of" in fail("search", "x", "--sort", "best", code=2).stderr


@pytest.mark.parametrize(
    "command", [["search", "x"], ["show", "1"], ["list"], ["stats"], ["export"]]
)
def test_missing_archive_is_one_line_and_never_created(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "nowhere" / "archive.db"
    result = fail(*command, "--db", str(path))
    assert result.stderr == f"Error: no archive at {path} (run newsarc fetch first)\n"
    assert not path.exists() and not path.parent.exists()


def test_a_file_that_is_not_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello " * 1000)
    result = fail("list", "--db", str(path))
    assert result.stderr == f"Error: {path} is not a newsarc archive (not an SQLite database)\n"


def _another_programs_database(tmp_path: Path) -> Path:
    """A browser's history as the wrong --db: an SQLite database newsarc did not make."""
    path = tmp_path / "places.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.close()
    return path


@pytest.mark.parametrize(
    "command",
    [["search", "x"], ["show", "1"], ["list"], ["stats"], ["export"]],
)
def test_another_programs_database_or_an_empty_file_is_left_untouched(
    tmp_path: Path, command: list[str]
) -> None:
    foreign = _another_programs_database(tmp_path)
    before = foreign.read_bytes()
    result = fail(*command, "--db", str(foreign))
    assert result.stderr == (
        f"Error: {foreign} is not a newsarc archive (it holds other tables: moz_places)\n"
    )
    assert foreign.read_bytes() == before
    empty = tmp_path / "empty.db"
    empty.touch()
    result = fail(*command, "--db", str(empty))
    assert result.stderr == (
        f"Error: {empty} is an empty database, no archive yet (run newsarc fetch first)\n"
    )
    assert empty.stat().st_size == 0


@pytest.mark.parametrize(
    "command", [["sources", "list"], ["ingest", "--dir", "."], ["reextract", "--all"]]
)
def test_a_writing_command_leaves_another_programs_database_untouched(
    tmp_path: Path, command: list[str]
) -> None:
    foreign = _another_programs_database(tmp_path)
    before = foreign.read_bytes()
    result = CliRunner().invoke(cli, [*command, "--db", str(foreign)])
    assert result.exit_code != 0
    assert result.stderr.endswith(
        f"Error: {foreign} is not a newsarc archive (it holds other tables: moz_places)\n"
    )
    assert foreign.read_bytes() == before


def test_terminal_styling() -> None:
    marked = "a \ue000b\ue001 c"
    assert _marked(marked, styled=False) == "a [b] c"
    assert _marked(marked, styled=True) == "a \x1b[1mb\x1b[0m c"
    record = {"id": 7, "published": None, "site": None, "section": None, "headline": "H",
              "url": "https://x.example/", "snippet": marked}  # fmt: skip
    assert _hit_text(record, styled=True).startswith("7  -  \x1b[1mH\x1b[0m\n")


# -- show, list, stats -----------------------------------------------------------------------


def test_show_text_and_json(archive: Path) -> None:
    text = run("show", "5").stdout
    assert text.startswith("Müller gewinnt die Wahl in Bayern\n\nid:            5\n")
    assert "authors:       Anna Schmidt\n" in text
    assert text.endswith("Die Wahlbeteiligung war hoch.\n")
    record = json.loads(run("show", "https://news.example.com/world/georgia-border?utm_source=x",
                            "--json").stdout)  # fmt: skip
    assert record["id"] == 1 and record["body"].startswith("Queues at the Upper Lars")
    assert [c["id"] for c in record["copies"]] == [10]
    assert record["story_id"] == 1 and record["aliases"] == []
    assert "copy:          1  https://news.example.com" in run("show", "10").stdout


def test_list(archive: Path) -> None:
    lines = run("list", "-n", "3").stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["4", "1", "5"]
    assert lines[1].split("\t")[1:4] == [
        "2024-03-01",
        "World",
        "Men flee to the Georgia border crossing",
    ]
    records = json.loads(run("list", "--lang", "en", "--json").stdout)
    assert [r["id"] for r in records] == [1, 2, 3, 10]
    assert "body" not in records[0]
    assert run("list", "--offset", "9", "--jsonl").stdout.count("\n") == 1
    rows = list(csv.reader(io.StringIO(run("list", "--section", "world", "--csv").stdout)))
    assert rows[0][:3] == ["id", "url", "canonical_url"] and rows[1][0] == "1"
    # Nothing in this archive was updated: by the latest change is by publication.
    newest = [line.split("\t")[0] for line in run("list").stdout.splitlines()]
    updated = [line.split("\t")[0] for line in run("list", "--sort", "updated").stdout.splitlines()]
    oldest = [line.split("\t")[0] for line in run("list", "--sort", "oldest").stdout.splitlines()]
    assert updated == newest and newest[:3] == ["4", "1", "5"]
    assert oldest[:-1] == newest[-2::-1] and oldest[-1] == newest[-1]  # undated last both ways
    assert "Invalid value for '--sort'" in fail("list", "--sort", "best", code=2).stderr
    found = {
        sort: [
            hit["id"]
            for hit in json.loads(run("search", "border", "--sort", sort, "--json").stdout)
        ]
        for sort in ("newest", "updated")
    }
    assert found["updated"] == found["newest"] and len(found["newest"]) > 1


def test_stats(archive: Path) -> None:
    store.record_failure(store.open_db(archive), "https://example.com/gone", "404 Not Found", 404)
    text = run("stats").stdout
    assert text.startswith("articles   10 (9 stories)\n")
    assert "failures   1 (1 URL)\n" in text
    assert "\n          2  2024-03\n" in text  # months, newest first
    assert "https://example.com/gone  404 Not Found" in text
    figures = json.loads(run("stats", "--json").stdout)
    assert figures["articles"] == 10 and figures["stories"] == 9
    assert {"site": "Example News", "articles": 2} in figures["sites"]


# -- export ----------------------------------------------------------------------------------


def test_export_jsonl_to_stdout(archive: Path) -> None:
    result = run("export")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == list(range(1, 11))
    assert records[6]["headline"] == "中国经济增长百分之五"
    assert result.stderr == "exported 10 articles\n"


def test_export_csv_file_with_filters(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "politics.csv"
    run("export", "-f", "csv", "--since", "2024-02", "--lang", "en", "-o", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [r["id"] for r in rows] == ["1", "2"]  # 10 is undated: not shown to be that recent
    assert rows[1]["body"].startswith("Voters in Atlanta")


def test_export_markdown_folder_with_query(archive: Path, tmp_path: Path) -> None:
    folder = tmp_path / "md"
    result = run("export", "--format", "md", "--query", "georgia OR 서울", "-o", str(folder))
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["1-men-flee-to-the-georgia-border-crossing.md",
                     "10-men-flee-to-the-georgia-border-crossing.md",
                     "2-georgia-votes-in-the-primary-election.md",
                     "3-storms-sweep-across-the-south.md", "9-서울에-폭설.md"]  # fmt: skip
    assert result.stderr == "exported 5 articles\n"
    text = (folder / "9-서울에-폭설.md").read_text(encoding="utf-8")
    assert text.startswith('---\nid: 9\nheadline: "서울에 폭설"\nurl: "https://news.example.kr/')
    assert "\n---\n\n# 서울에 폭설\n\n서울에서 밤새" in text


def test_export_markdown_single_file(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.md"
    run("export", "-f", "md", "--section", "politik", "-o", str(out))
    assert out.read_text(encoding="utf-8").count("\n# ") == 1


def test_export_to_an_unwritable_place(archive: Path, tmp_path: Path) -> None:
    result = fail("export", "-o", str(tmp_path / "no" / "such" / "dir" / "x.jsonl"))
    assert result.stderr.startswith("Error: cannot write ")


# -- help and start-up -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["search", "show", "list", "stats", "export"])
def test_help_has_a_summary_and_an_example(name: str) -> None:
    text = run(name, "--help").stdout
    summary = text.split("\n\n")[1].strip()
    assert summary and "\n" not in summary.splitlines()[0]
    assert "Example:\n      newsarc " + name in text


def test_reading_commands_import_nothing_heavy(archive: Path) -> None:
    script = f"""
import sys
from click.testing import CliRunner
from newsarc.cli import cli
for args in (["search", "georgia"], ["list"], ["show", "1"], ["stats"], ["search", "--help"]):
    result = CliRunner().invoke(cli, args + ["--db", {str(archive)!r}])
    assert result.exit_code == 0, result.output
heavy = {{"trafilatura", "requests", "lxml", "sqlite_utils", "courlan", "charset_normalizer"}}
print(sorted(heavy & {{name.split(".")[0] for name in sys.modules}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout == "[]\n", done.stderr
