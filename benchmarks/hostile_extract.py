"""Hostile inputs through extract(), bare and with the guard: outcome, time and peak memory.

Each case runs in its own child process (so peak RSS is the case's own) with a timeout, first
through bare ``extract`` and then through ``prepare`` + ``extract`` + ``check_article``. Once
extract() calls the guard itself, both columns show the guarded behaviour.

    python benchmarks/hostile_extract.py [--timeout 300] [--only CASE ...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, resource, sys, time
sys.setrecursionlimit(10_000)
from tests.test_extract_hostile import BARE_INPUTS, BIG_CASES, BINARIES, URL, guarded_extract
from newsarc.errors import ExtractError
from newsarc.extractor import extract
from tests.conftest import fixture_path

case, mode = sys.argv[1], sys.argv[2]
named = {
    "malformed": lambda: fixture_path("hostile/malformed.html").read_bytes(),
    "js_only": lambda: fixture_path("pages/js-only.html").read_bytes(),
    "empty": lambda: b"",
    "pdf": lambda: BINARIES["pdf"][0],
    "png": lambda: BINARIES["png"][0],
    "utf16_bom": lambda: fixture_path("hostile/utf16le-bom.html").read_bytes(),
    "latin1_read_as_utf8": lambda: fixture_path("hostile/latin1-says-utf8.html")
    .read_bytes().decode("utf-8", "replace"),
    "double_encoded_utf8": lambda: fixture_path("hostile/double-encoded.html").read_bytes(),
    "soft_404": lambda: fixture_path("hostile/soft-404.html").read_bytes(),
    **BIG_CASES,
    **{f"bare:{k}": (lambda v=v: v) for k, v in BARE_INPUTS.items()},
}
html = named[case]()
started = time.perf_counter()
try:
    article = guarded_extract(html) if mode == "guarded" else extract(html, URL)
    outcome = f"Article, {article.word_count:,} words: {article.body[:40]!r}"
except ExtractError as exc:
    outcome = "ExtractError: " + str(exc).split("(", 1)[-1].rstrip(")")[:70]
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps({"outcome": outcome, "seconds": round(seconds, 2), "peak_mb": peak}))
"""

CASES = [
    "malformed", "nested_divs_100k", "unclosed_divs_100k", "paragraphs_100k", "js_only",
    "empty", "pdf", "png", "utf16_bom", "latin1_read_as_utf8", "double_encoded_utf8",
    "soft_404", "single_line_10mb",
]  # fmt: skip


def run(case: str, mode: str, timeout: float) -> dict[str, object]:
    """One case in a child process: its outcome, seconds and peak RSS in MB."""
    try:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, case, mode],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"outcome": f"TIMEOUT after {timeout:g} s", "seconds": timeout, "peak_mb": "-"}
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"outcome": f"CRASH: {last[:80]}", "seconds": "-", "peak_mb": "-"}
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Print one line per case and mode."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    for case in args.only or CASES:
        for mode in ("bare", "guarded"):
            r = run(case, mode, args.timeout)
            print(f"{case:22} {mode:7} {r['seconds']:>6} s {r['peak_mb']:>5} MB  {r['outcome']}")


if __name__ == "__main__":
    main()
