"""The package as a Python user meets it: typed (PEP 561), its lazy names known to type
checkers and to help(), and importing it loads none of the heavy libraries."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import newsarc

ROOT = Path(__file__).resolve().parent.parent


def test_the_package_carries_its_pep561_marker_and_the_build_ships_it() -> None:
    assert (Path(newsarc.__file__).parent / "py.typed").is_file()
    config = (ROOT / "pyproject.toml").read_text()  # (tomllib is 3.11+)
    assert '[tool.setuptools.package-data]\nnewsarc = ["py.typed"]' in config


def test_type_checkers_see_the_real_signatures_of_the_lazy_names(tmp_path: Path) -> None:
    from mypy import api

    user = tmp_path / "user.py"
    user.write_text(
        textwrap.dedent("""
        from newsarc import extract, open_db
        reveal_type(extract)
        reveal_type(open_db)
        extract(b"", "https://example.com/a").no_such_field
        """)
    )
    out, _, status = api.run(
        [str(user), "--cache-dir", str(tmp_path / "cache"), "--ignore-missing-imports"]
    )
    assert status == 1, out
    assert 'Revealed type is "def (html: str | bytes, url: str, ' in out
    assert ") -> newsarc.model.Article" in out
    assert ") -> sqlite_utils.db.Database" in out
    assert '"Article" has no attribute "no_such_field"' in out
    assert "Any" not in out


def test_help_names_every_exported_name() -> None:
    import pydoc

    text = pydoc.render_doc(newsarc, renderer=pydoc.plaintext)
    for name in newsarc.__all__:
        assert name in text
    assert "extract(html" in text and "open_db(" in text
    assert {"extract", "open_db"} <= set(dir(newsarc))


def test_importing_the_package_loads_no_heavy_library() -> None:
    script = (
        "import sys, newsarc\n"
        "print(sorted(m for m in ('trafilatura', 'lxml', 'requests', 'sqlite_utils')"
        " if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.stdout.strip() == "[]", run.stderr
