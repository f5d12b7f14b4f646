"""What opening an archive for writing imports: sqlite-utils, but not numpy, pandas or plugins."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_python(script: str) -> str:
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_opening_an_archive_for_writing_imports_neither_numpy_nor_pandas(tmp_path: Path) -> None:
    out = run_python(
        f"""
import sys
from newsarc.store import open_db
db = open_db({str(tmp_path / "new.db")!r})          # created: migrations run
db.close()
db = open_db({str(tmp_path / "new.db")!r})          # opened again
print(sorted({{"numpy", "pandas"}} & {{name.split(".")[0] for name in sys.modules}}))
print("sqlite_utils" in sys.modules)
"""
    )
    assert out == "[]\nTrue\n"


def test_numpy_imports_as_usual_afterwards_and_the_archive_works(tmp_path: Path) -> None:
    out = run_python(
        f"""
import sys
from newsarc.store import open_db
db = open_db({str(tmp_path / "a.db")!r})
import numpy
print(numpy.arange(3).sum())
db["scratch"].insert({{"n": 1}})
print(db["scratch"].count)
"""
    )
    assert out == "3\n1\n"


def test_numpy_imported_first_is_left_alone() -> None:
    out = run_python(
        """
import numpy
from newsarc.store.connection import load_sqlite_utils
module = load_sqlite_utils()
import sqlite_utils.db
print(sqlite_utils.db.np is numpy)
"""
    )
    assert out == "True\n"


def test_a_sqlite_utils_that_needs_numpy_is_imported_with_it(tmp_path: Path) -> None:
    # A stand-in sqlite_utils that cannot import without numpy: the hiding is undone for it.
    fake = tmp_path / "sqlite_utils"
    fake.mkdir()
    (fake / "__init__.py").write_text("import numpy\nNEEDS = numpy.__name__\n")
    out = run_python(
        f"""
import sys
sys.path.insert(0, {str(tmp_path)!r})
from newsarc.store.connection import load_sqlite_utils
print(load_sqlite_utils().NEEDS)
"""
    )
    assert out == "numpy\n"


def test_writers_connections_load_no_sqlite_utils_plugins(tmp_path: Path) -> None:
    out = run_python(
        f"""
import sqlite_utils.plugins as plugins
from newsarc.store import open_db
open_db({str(tmp_path / "p.db")!r})
print(plugins._plugins_loaded)
"""
    )
    assert out == "False\n"
