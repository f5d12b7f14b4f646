"""Body-extraction benchmark: newsarc's extract() against plain trafilatura.extract() defaults.

Reads a folder in the format of shared/benchmarks/extraction-dev (``html/<id>.html.gz`` and
``ground-truth.json``), scores both extractors with exactly that README's metric (see
scoring.py) and prints them side by side, the worst pages, and the speed of each in one process.
Speed is the median over ``--rounds`` interleaved passes, so both extractors see the same noise.

    python benchmarks/extraction.py --data ../shared/benchmarks/extraction-dev [--worst 10]
        [--rounds 3] [--show ID] [--dump DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from scoring import Scores, aggregate, bootstrap_sd, page_f1, page_scores  # noqa: E402

Extractor = Callable[[str, str], str]


def load(data: Path) -> list[tuple[str, str, str, str]]:
    """(id, url, html, truth) for every page of the folder, in id order."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        raw = gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes())
        html = raw.decode("utf-8", errors="replace")
        pages.append((page_id, truth[page_id]["url"], html, truth[page_id]["articleBody"]))
    return pages


def newsarc_extractor() -> Extractor:
    """newsarc.extractor.extract, with 'no article' counted as an empty body."""
    from newsarc.errors import ExtractError
    from newsarc.extractor import extract

    def run(html: str, url: str) -> str:
        try:
            return extract(html, url).body
        except ExtractError:
            return ""

    return run


def trafilatura_extractor() -> Extractor:
    """trafilatura.extract(html, url=url) with its defaults."""
    import trafilatura

    def run(html: str, url: str) -> str:
        return trafilatura.extract(html, url=url) or ""

    return run


def run_once(
    extractor: Extractor, pages: list[tuple[str, str, str, str]]
) -> tuple[list[str], float]:
    """The predictions and the pages per second of one pass."""
    start = time.perf_counter()
    predictions = [extractor(html, url) for _, url, html, _ in pages]
    return predictions, len(pages) / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="benchmark folder")
    parser.add_argument("--worst", type=int, default=10, help="list the N worst pages")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes per extractor")
    parser.add_argument("--show", help="print both predictions and the truth of one page id")
    parser.add_argument("--dump", type=Path, help="write newsarc's predictions here as JSON")
    args = parser.parse_args(argv)

    pages = load(args.data)
    systems = {"newsarc": newsarc_extractor(), "trafilatura": trafilatura_extractor()}
    for extractor in systems.values():  # warm-up: imports, caches, lazy models
        extractor(pages[0][2], pages[0][1])
    outputs: dict[str, list[str]] = {}
    speeds: dict[str, list[float]] = {name: [] for name in systems}
    for _ in range(max(1, args.rounds)):
        for name, extractor in systems.items():
            outputs[name], speed = run_once(extractor, pages)
            speeds[name].append(speed)

    truths = [truth for *_, truth in pages]
    print(f"{len(pages)} pages from {args.data}\n")
    print("| system | F1 | precision | recall | accuracy | F1 sd | pages/s (median) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    scores: dict[str, Scores] = {}
    for name in systems:
        pairs = list(zip(outputs[name], truths, strict=True))
        s = scores[name] = aggregate(pairs)
        print(
            f"| {name} | {s.f1:.3f} | {s.precision:.3f} | {s.recall:.3f} | {s.accuracy:.3f} | "
            f"±{bootstrap_sd(pairs):.3f} | {statistics.median(speeds[name]):.1f} |"
        )
    ratio = statistics.median(speeds["newsarc"]) / statistics.median(speeds["trafilatura"])
    print(
        f"\nspeed ratio newsarc / trafilatura: {ratio:.2f}x "
        f"(rounds: {', '.join(f'{n} {[round(v, 1) for v in s]}' for n, s in speeds.items())})"
    )

    if args.worst:
        print(f"\nworst {args.worst} pages for newsarc (P, R, F1; trafilatura F1):")
        ranked = sorted(range(len(pages)), key=lambda i: page_f1(outputs["newsarc"][i], truths[i]))
        for i in ranked[: args.worst]:
            p, r = page_scores(outputs["newsarc"][i], truths[i])
            print(
                f"  {pages[i][0][:12]}  P={p or 0:.3f} R={r or 0:.3f} "
                f"F1={page_f1(outputs['newsarc'][i], truths[i]):.3f}  "
                f"traf={page_f1(outputs['trafilatura'][i], truths[i]):.3f}  {pages[i][1]}"
            )

    if args.show:
        for i, (page_id, url, _, truth) in enumerate(pages):
            if page_id.startswith(args.show):
                print(f"\n=== {page_id} {url}\n--- truth\n{truth}")
                for name in systems:
                    print(f"--- {name}\n{outputs[name][i]}")
    if args.dump:
        args.dump.write_text(
            json.dumps(
                {
                    pid: {"articleBody": out}
                    for (pid, *_), out in zip(pages, outputs["newsarc"], strict=True)
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
