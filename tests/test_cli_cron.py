"""What a cron user meets: one-line errors and the documented exit codes, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from newsarc.cli import cli
from tests.test_ingest import article_page


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def warc_of(tmp_path: Path, *numbers: int) -> str:
    """A WARC holding one article page per number (an offline ingest source)."""
    from tests.test_warc import Warc

    warc = Warc(tmp_path / f"pages-{numbers[0]}.warc", gz=False)
    for n in numbers:
        warc.response(f"https://news.example/{n}", article_page(n))
    return str(warc.close())


def test_ingest_creates_the_folder_of_a_new_archive(tmp_path: Path) -> None:
    db = tmp_path / "new" / "folder" / "archive.db"
    result = invoke("ingest", "-q", "--warc", warc_of(tmp_path, 3100), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    assert db.exists() and Path(f"{db}.lock").exists()
