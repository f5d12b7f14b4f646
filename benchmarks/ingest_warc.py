"""Offline WARC ingestion: articles/s end to end against single-process trafilatura.extract.

Writes a WARC of N article pages (fixed seed), then times
  (a) `newsarc ingest --warc FILE` into a fresh archive (whole command, archive written), and
  (b) plain `trafilatura.extract(html, url=url)` over the same pages in one process.
Target: (a) >= 1.7x (b) on a 2-core machine. Also times (c) newsarc's own extraction
(extract + near-duplicate signature) in one process, so that the parallel speed-up of the
pipeline and the cost of the extractor itself can be told apart.

    python benchmarks/ingest_warc.py [--pages 2000]
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _pages import article_html  # noqa: E402


def write_warc(path: Path, pages: int) -> list[tuple[str, str]]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    docs = []
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n in range(pages):
            url = f"https://news{n % 50}.example.com/news/{n}"
            html = article_html(n, seed=7)
            docs.append((url, html))
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(html.encode()), http_headers=headers
            )
            writer.write_record(record)
    return docs


def single_process(docs: list[tuple[str, str]]) -> tuple[float, float]:
    """Seconds for plain trafilatura.extract and for newsarc's own extraction, one process."""
    import trafilatura

    from newsarc.dedupe import band_keys, signature
    from newsarc.extractor import extract

    started = time.perf_counter()
    for url, html in docs:
        trafilatura.extract(html, url=url)
    plain = time.perf_counter() - started
    started = time.perf_counter()
    for url, html in docs:
        band_keys(signature(extract(html, url).body))
    return plain, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    print(f"pages: {args.pages}, cores: {os.cpu_count()}, load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(tmp) / "bench.warc.gz"
        docs = write_warc(warc, args.pages)
        plain, own = single_process(docs)
        db = Path(tmp) / "bench.db"
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "newsarc", "ingest", "--warc", str(warc), "--db", str(db)],
            capture_output=True,
            text=True,
            env=os.environ | {"NEWSARC_DB": str(db)},
        )
        ours = time.perf_counter() - started
        if result.returncode != 0:
            print(result.stderr[-2000:], file=sys.stderr)
            sys.exit(1)
    print(result.stderr.strip().splitlines()[-1])
    rate = args.pages / ours
    print(f"newsarc ingest --warc (whole command, archive written): {ours:6.2f} s -> {rate:6.1f}/s")
    print(
        f"trafilatura.extract, one process:                     {plain:6.2f} s -> "
        f"{args.pages / plain:6.1f}/s   ratio {plain / ours:.2f}x (target >= 1.7x)"
    )
    print(
        f"newsarc extract + signature, one process:             {own:6.2f} s -> "
        f"{args.pages / own:6.1f}/s   ratio {own / ours:.2f}x (parallel speed-up)"
    )
    print(f"newsarc extraction costs {own / plain:.1f}x trafilatura.extract per page")


if __name__ == "__main__":
    main()
