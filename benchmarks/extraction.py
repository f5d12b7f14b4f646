"""Body-extraction benchmark: newsarc's extract() against plain trafilatura.extract() defaults.

Reads a folder in the format of shared/benchmarks/extraction-dev (``html/<id>.html.gz`` and
``ground-truth.json``) or of shared/benchmarks/metadata-dev (``pages/<id>.html.gz`` and
``truth.jsonl``), scores both extractors with exactly extraction-dev's README metric (see
scoring.py) and prints them side by side, the worst pages, and the speed of each in one process.
``--synthetic N`` times the N generated pages of _pages.py instead (the ingestion benchmarks'
pages; nothing to score). Speed is the median over ``--rounds`` interleaved passes, so both
extractors see the same noise; CPU time (process time) is printed beside wall time because it
is less disturbed by other work on the machine.

    python benchmarks/extraction.py --data ../shared/benchmarks/extraction-dev [--worst 10]
        [--rounds 3] [--show ID] [--dump DIR]
    python benchmarks/extraction.py --synthetic 300 --rounds 5 [--no-guard]
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
    if (data / "truth.jsonl").exists():  # the metadata-dev layout
        records = [json.loads(line) for line in (data / "truth.jsonl").open(encoding="utf-8")]
        return [
            (
                rec["id"],
                rec["url"],
                gzip.decompress((data / "pages" / f"{rec['id']}.html.gz").read_bytes()).decode(
                    "utf-8", errors="replace"
                ),
                rec.get("body") or "",
            )
            for rec in sorted(records, key=lambda r: str(r["id"]))
        ]
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        raw = gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes())
        html = raw.decode("utf-8", errors="replace")
        pages.append((page_id, truth[page_id]["url"], html, truth[page_id]["articleBody"]))
    return pages


def newsarc_extractor(*, guard: bool = True) -> Extractor:
    """newsarc.extractor.extract, with 'no article' counted as an empty body; without its
    guard (``prepare`` before parsing, ``check_article`` after) when ``guard`` is False."""
    from newsarc.errors import ExtractError
    from newsarc.extractor import article, extract

    if not guard and hasattr(article, "prepare"):
        article.prepare = lambda html, url, **_: html
        article.check_article = lambda found: None

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


def synthetic(count: int) -> list[tuple[str, str, str, str]]:
    """The ingestion benchmarks' generated pages (no truth: an empty string stands in)."""
    from _pages import article_html

    return [
        (str(n), f"https://news{n % 50}.example.com/news/{n}", article_html(n, seed=7), "")
        for n in range(count)
    ]


def run_once(
    extractor: Extractor, pages: list[tuple[str, str, str, str]]
) -> tuple[list[str], float, float]:
    """The predictions, and the pages per wall second and per CPU second of one pass."""
    start, cpu = time.perf_counter(), time.process_time()
    predictions = [extractor(html, url) for _, url, html, _ in pages]
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return predictions, len(pages) / wall, len(pages) / max(cpu, 1e-9)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", type=Path, help="benchmark folder")
    source.add_argument("--synthetic", type=int, help="time N generated pages instead")
    parser.add_argument("--worst", type=int, default=10, help="list the N worst pages")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes per extractor")
    parser.add_argument("--show", help="print both predictions and the truth of one page id")
    parser.add_argument("--dump", type=Path, help="write newsarc's predictions here as JSON")
    parser.add_argument(
        "--no-guard",
        action="store_true",
        help="time extract() without its guard calls, to see the guard's share of the time",
    )
    args = parser.parse_args(argv)

    pages = load(args.data) if args.data else synthetic(args.synthetic)
    systems = {
        "newsarc": newsarc_extractor(guard=not args.no_guard),
        "trafilatura": trafilatura_extractor(),
    }
    for extractor in systems.values():  # warm-up: imports, caches, lazy models
        extractor(pages[0][2], pages[0][1])
    outputs: dict[str, list[str]] = {}
    speeds: dict[str, list[float]] = {name: [] for name in systems}
    cpu_speeds: dict[str, list[float]] = {name: [] for name in systems}
    for _ in range(max(1, args.rounds)):
        for name, extractor in systems.items():
            outputs[name], speed, cpu_speed = run_once(extractor, pages)
            speeds[name].append(speed)
            cpu_speeds[name].append(cpu_speed)

    truths = [truth for *_, truth in pages]
    scored = any(truths)
    print(f"{len(pages)} pages from {args.data or 'benchmarks/_pages.py'}\n")
    if scored:
        print("| system | F1 | precision | recall | accuracy | F1 sd | pages/s (median) |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
    else:
        print("| system | pages/s (median) | pages per CPU second (median) |\n| --- | --- | --- |")
    scores: dict[str, Scores] = {}
    for name in systems:
        if not scored:
            print(
                f"| {name} | {statistics.median(speeds[name]):.1f} | "
                f"{statistics.median(cpu_speeds[name]):.1f} |"
            )
            continue
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
    per_round = [
        n / t for n, t in zip(cpu_speeds["newsarc"], cpu_speeds["trafilatura"], strict=True)
    ]
    cpu_ratio = statistics.median(cpu_speeds["newsarc"]) / statistics.median(
        cpu_speeds["trafilatura"]
    )
    print(
        f"CPU-time ratio: {cpu_ratio:.2f}x (per round: {', '.join(f'{r:.2f}' for r in per_round)})"
    )

    if args.worst and scored:
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
