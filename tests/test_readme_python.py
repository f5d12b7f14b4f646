"""README's "Using from Python" examples, run as written (one program, in order) against a
local server, so that they cannot rot: only their example.com address is swapped for it."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from tests.test_ingest import article_page

README = Path(__file__).resolve().parent.parent / "README.md"
STORY = "https://example.com/world/story.html"


def python_examples() -> list[str]:
    """The ```python blocks of the README's "Using from Python" section, in order."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Using from Python\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def test_the_section_shows_every_main_job() -> None:
    code = "\n".join(python_examples())
    for name in ("extract(", "fetch_page(", "page_from_file(", "store_page(", "search(",
                 "get_article(", "ingest_lock(", "Ingester(", "close("):  # fmt: skip
        assert name in code, name


def test_the_python_examples_run(server, tmp_path: Path) -> None:
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    story = article_page(0, headline="Harbour council votes on the new quay", published=now)
    server.expect_request("/world/story.html").respond_with_data(
        story, content_type="text/html; charset=utf-8"
    )
    listed = []
    for n in range(1, 4):
        server.expect_request(f"/news/{n}.html").respond_with_data(
            article_page(n, published=now), content_type="text/html; charset=utf-8"
        )
        listed.append(server.url_for(f"/news/{n}.html"))
    (tmp_path / "page.html").write_bytes(story)
    (tmp_path / "urls.txt").write_text("\n".join(listed) + "\n")
    program = "\n".join(python_examples()).replace(STORY, server.url_for("/world/story.html"))
    assert "example.com" not in program  # every address is the local server's
    run = subprocess.run(
        [sys.executable, "-"],
        input=program,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "Harbour council votes on the new quay 20" in out  # extract: headline, date
    assert "\nnew 1\nunchanged\n" in out  # fetched, then the saved copy of the same page
    assert "\n1 Harbour council votes on the new quay " in out  # the search hit: id, headline
    assert "\nHarbour council votes on the new quay\n" in out  # get_article
    assert re.search(r"^new 3, updated 0, unchanged 0, skipped 0, failed 0 in ", out, re.M)
    assert "Traceback" not in run.stderr
