"""CPU cost of newsarc's extraction job against plain trafilatura, on real pages.

Times what an ingest worker does for a page apart from compressing it (``extract_job``):
``pipeline.extract_page`` on a ``Page`` holding the raw bytes, then ``dedupe.signature`` and
``band_keys`` of the body; and ``trafilatura.extract(html, url=url)`` on the same pages, in the
same process, rounds interleaved so both see the same noise. Prints the median CPU time
(process time) per page over the rounds and the ratio.

``--dump FILE`` writes every page's full Article record (or its error) and band keys as JSON
(sorted keys) instead of timing, so two versions of the extractor can be diffed.

    python benchmarks/extract_cpu.py [--data DIR ...] [--fixtures] [--rounds 5]
    python benchmarks/extract_cpu.py --fixtures --dump before.json
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = [
    Path("/work/shared/benchmarks/extraction-dev"),
    Path("/work/shared/benchmarks/metadata-dev"),
]
FETCHED_AT = "2026-01-01T00:00:00+00:00"  # fixed, so dumps of two runs compare equal

# (name, url, raw page bytes)
RawPage = tuple[str, str, bytes]


def load_raw(data: Path) -> list[RawPage]:
    """Every page of a dev folder (extraction-dev or metadata-dev layout) as raw bytes."""
    if (data / "truth.jsonl").exists():
        lines = (data / "truth.jsonl").read_text(encoding="utf-8").splitlines()
        records = [json.loads(line) for line in lines if line.strip()]
        return [
            (
                f"{data.name}/{rec['id']}",
                rec["url"],
                gzip.decompress((data / "pages" / f"{rec['id']}.html.gz").read_bytes()),
            )
            for rec in sorted(records, key=lambda r: str(r["id"]))
        ]
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        (
            f"{data.name}/{page_id}",
            truth[page_id]["url"],
            gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes()),
        )
        for page_id in sorted(truth)
    ]


def load_fixtures() -> list[RawPage]:
    """Every HTML file under fixtures/, at a made-up URL named after the file."""
    pages = []
    for path in sorted((ROOT / "fixtures").rglob("*.htm*")):
        name = str(path.relative_to(ROOT))
        pages.append((name, f"https://example.com/{path.stem}", path.read_bytes()))
    return pages


def job(url: str, content: bytes) -> tuple[Any, list[str]]:
    """What an ingest worker computes for a page (compression aside): the article or the
    error message, and the body's band keys."""
    from newsarc.dedupe import band_keys, signature
    from newsarc.errors import NewsarcError
    from newsarc.model import Page
    from newsarc.pipeline import extract_page

    page = Page(url, url, 200, {"Content-Type": "text/html"}, content, FETCHED_AT)
    try:
        article = extract_page(page)
    except NewsarcError as exc:
        return str(exc), []
    return article, band_keys(signature(article.body))


def dump(pages: list[RawPage], out: Path) -> None:
    """Write every page's record (or error) and band keys to ``out``."""
    records = {}
    for name, url, content in pages:
        article, keys = job(url, content)
        record = dataclasses.asdict(article) if not isinstance(article, str) else article
        records[name] = {"article": record, "band_keys": keys}
    out.write_text(json.dumps(records, sort_keys=True, ensure_ascii=False, indent=1) + "\n")
    print(f"{len(records)} pages written to {out}")


def newsarc_pass(pages: list[RawPage]) -> None:
    """One pass of the extraction job over ``pages``."""
    for _, url, content in pages:
        job(url, content)


def trafilatura_pass(pages: list[tuple[str, str]]) -> None:
    """One pass of plain ``trafilatura.extract`` over (html, url) pages."""
    import trafilatura

    for html, url in pages:
        trafilatura.extract(html, url=url)


def cpu_ms(run: Callable[[], None], count: int) -> float:
    """CPU milliseconds per page of one call of ``run`` over ``count`` pages."""
    start = time.process_time()
    run()
    return (time.process_time() - start) * 1000 / count


def _rounded(values: list[float]) -> list[float]:
    return [round(value, 2) for value in values]


def main(argv: list[str] | None = None) -> int:
    """Time or dump; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, action="append", help="dev folders (default: both)")
    parser.add_argument("--fixtures", action="store_true", help="add the pages under fixtures/")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-trafilatura", action="store_true", help="time newsarc only")
    parser.add_argument("--dump", type=Path, help="write the records instead of timing")
    args = parser.parse_args(argv)

    pages = [page for folder in args.data or DEFAULT_DATA for page in load_raw(folder)]
    if args.fixtures:
        pages += load_fixtures()
    if args.dump:
        dump(pages, args.dump)
        return 0

    decoded = [(content.decode("utf-8", errors="replace"), url) for _, url, content in pages]
    newsarc_pass(pages[:5])  # imports and first-call caches out of the timing
    if not args.no_trafilatura:
        trafilatura_pass(decoded[:5])
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(max(1, args.rounds)):
        ours.append(cpu_ms(lambda: newsarc_pass(pages), len(pages)))
        if not args.no_trafilatura:
            theirs.append(cpu_ms(lambda: trafilatura_pass(decoded), len(pages)))
    mean_kb = sum(len(content) for _, _, content in pages) / len(pages) / 1000
    print(f"{len(pages)} pages, {mean_kb:.0f} KB mean, {len(ours)} rounds (CPU ms/page, median)")
    ours_ms = statistics.median(ours)
    print(f"newsarc extract_page + signature: {ours_ms:6.2f}  {_rounded(ours)}")
    if theirs:
        theirs_ms = statistics.median(theirs)
        print(f"trafilatura.extract:              {theirs_ms:6.2f}  {_rounded(theirs)}")
        print(f"ratio newsarc / trafilatura:      {ours_ms / theirs_ms:6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
