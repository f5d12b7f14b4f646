"""Set-up shared by the benchmarks that run ``python -m newsarc`` in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def compile_newsarc() -> None:
    """Byte-compile newsarc's modules, as pip does for a package it installs.

    An editable checkout run with PYTHONDONTWRITEBYTECODE (as in this environment) would
    otherwise compile every module anew on each start, which a timed command would count.
    """
    import newsarc

    package = Path(newsarc.__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
