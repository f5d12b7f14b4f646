"""Offline WARC ingestion: articles/s end to end against single-process trafilatura.extract.

Writes a WARC of N article pages (fixed seed), then times
  (a) `newsarc ingest --warc FILE` into a fresh archive (whole command, archive written), and
  (b) plain `trafilatura.extract(html, url=url)` over the same pages in one process.
Target: (a) >= 1.7x (b) on a 2-core machine. Also times (c) newsarc's own extraction
(extract + near-duplicate signature) in one process, so that the parallel speed-up of the
pipeline and the cost of the extractor itself can be told apart.

The pages are synthetic (about 6 KB, see _pages.py) unless ``--real DIR`` names folders of
real pages in the layout of ../shared/benchmarks/extraction-dev or metadata-dev (read at run
time, never copied). Real news pages are 20-50 times larger than the synthetic ones, so parsing
and extraction dominate there. Each real page is used several times to make up ``--pages``;
every copy gets its own URL and its own text (each paragraph is prefixed with the copy's
number, and canonical / og:url links are neutralised) so that it is archived as a new article,
not recognised as an alias of another copy.

    python benchmarks/ingest_warc.py [--pages 2000] [--real DIR ...] [--rounds 1]

With ``--rounds N`` both sides run N times, interleaved (each ingest into a fresh archive), and
the medians are compared: single runs of either side vary by several per cent on a shared
machine. The CPU seconds of both sides are printed too (the ingest's summed over its
processes, read from /proc on Linux), with the ratio they would give if the ingest had every
core to itself and kept it busy: CPU varies less with the machine's other load than wall time.
newsarc's modules are byte-compiled first, as pip compiles an installed package.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _pages import article_html  # noqa: E402
from _setup import compile_newsarc  # noqa: E402

_CANONICAL = re.compile(r"""(rel\s*=\s*["']?[^"'>]*?)\bcanonical\b""", re.IGNORECASE)
_OG_URL = re.compile(r"""(property\s*=\s*["']?)og:url\b""", re.IGNORECASE)
_PARAGRAPH = re.compile(r"<p(\s[^>]*)?>", re.IGNORECASE)


def synthetic_docs(pages: int) -> list[tuple[str, str]]:
    """(url, html) of ``pages`` synthetic article pages (fixed seed)."""
    return [
        (f"https://news{n % 50}.example.com/news/{n}", article_html(n, seed=7))
        for n in range(pages)
    ]


def real_docs(folders: list[Path], pages: int) -> list[tuple[str, str]]:
    """(url, html) of ``pages`` distinct copies of the real pages in ``folders``."""
    from extraction import load

    originals = [(url, html) for folder in folders for _, url, html, _ in load(folder)]
    docs = []
    for n in range(pages):
        url, html = originals[n % len(originals)]
        copy = n // len(originals)
        html = _CANONICAL.sub(r"\1no-canonical", html)
        html = _OG_URL.sub(r"\1og:no-url", html)
        html = _PARAGRAPH.sub(lambda m, c=copy: f"{m.group(0)}Copy {c}. ", html)
        docs.append((f"{url}{'&' if '?' in url else '?'}benchmark-copy={copy}", html))
    return docs


def write_warc(path: Path, docs: list[tuple[str, str]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, html in docs:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(html.encode()), http_headers=headers
            )
            writer.write_record(record)


def single_process(docs: list[tuple[str, str]]) -> tuple[float, float, float]:
    """Seconds for plain trafilatura.extract and for newsarc's own extraction, one process,
    and the CPU seconds of the first (which is nearly all its time)."""
    import trafilatura

    from newsarc.dedupe import band_keys, signature
    from newsarc.errors import NewsarcError
    from newsarc.extractor import extract

    started, cpu = time.perf_counter(), time.process_time()
    for url, html in docs:
        trafilatura.extract(html, url=url)
    plain, cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    for url, html in docs:
        try:
            band_keys(signature(extract(html, url).body))
        except NewsarcError:  # a real page with no article: counted in the time, as in ingest
            pass
    return plain, time.perf_counter() - started, cpu


def _descendants_cpu(pid: int, seen: dict[int, float]) -> None:
    """Record in ``seen`` the CPU seconds so far of each process below ``pid`` (Linux /proc;
    nothing elsewhere). A process's last reading stands once it is gone."""
    tick = os.sysconf("SC_CLK_TCK")
    stack = [pid]
    while stack:
        parent = stack.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            try:
                fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            seen[child] = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
            stack.append(child)


def _sample(pid: int, seen: dict[int, float], done: threading.Event) -> None:
    while not done.wait(0.1):
        _descendants_cpu(pid, seen)


def ingest(warc: Path, db: Path) -> tuple[float, float, str]:
    """Seconds for ``newsarc ingest --warc`` into a fresh archive, the CPU seconds of all its
    processes, and its summary line.

    The command's own CPU is its resource usage once waited for; its workers' (the
    forkserver's children, which the command does not wait for) come from /proc, read every
    0.1 s, so each may miss up to 0.1 s at its end. 0.0 when /proc cannot be read.
    """
    seen: dict[int, float] = {}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile("w+") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "newsarc", "ingest", "--warc", str(warc), "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=errors,
            text=True,
            env=os.environ | {"NEWSARC_DB": str(db)},
        )
        done = threading.Event()
        sampler = threading.Thread(target=_sample, args=(process.pid, seen, done))
        sampler.start()
        process.wait()
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
        errors.seek(0)
        stderr = errors.read()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    cpu = sum(seen.values()) + own
    if process.returncode not in (0, 3):  # 3: some pages held no article (real pages)
        print(stderr[-2000:], file=sys.stderr)
        sys.exit(1)
    return elapsed, (cpu if seen else 0.0), stderr.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument(
        "--real", type=Path, nargs="+", metavar="DIR", help="folders of real pages to use"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="rounds of both sides, interleaved; medians shown"
    )
    args = parser.parse_args()
    docs = real_docs(args.real, args.pages) if args.real else synthetic_docs(args.pages)
    kind = "real" if args.real else "synthetic"
    size = sum(len(html) for _, html in docs) / len(docs) / 1024
    print(
        f"pages: {args.pages} {kind} (mean {size:.0f} KB), cores: {os.cpu_count()}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    compile_newsarc()
    plains, owns, ours, plain_cpus, our_cpus = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(tmp) / "bench.warc.gz"
        write_warc(warc, docs)
        for n in range(args.rounds):
            plain, own, plain_cpu = single_process(docs)
            elapsed, cpu, summary = ingest(warc, Path(tmp) / f"bench{n}.db")
            plains.append(plain)
            owns.append(own)
            ours.append(elapsed)
            plain_cpus.append(plain_cpu)
            our_cpus.append(cpu)
            if args.rounds > 1:
                print(
                    f"round {n + 1}: newsarc {elapsed:.2f} s, trafilatura {plain:.2f} s, "
                    f"ratio {plain / elapsed:.3f}x; CPU newsarc {cpu:.2f} s "
                    f"({cpu / elapsed:.2f} cores busy), trafilatura {plain_cpu:.2f} s"
                )
    plain, own, took, plain_cpu, cpu = (
        statistics.median(v) for v in (plains, owns, ours, plain_cpus, our_cpus)
    )
    print(summary)
    new = int(re.match(r"new (\d+)", summary).group(1))  # type: ignore[union-attr]
    rate = args.pages / took
    what = "" if args.rounds == 1 else f" (medians of {args.rounds} rounds)"
    print(
        f"newsarc ingest --warc (whole command, archive written): {took:6.2f} s -> {rate:6.1f} "
        f"pages/s, {new / took:6.1f} articles/s{what}"
    )
    print(
        f"trafilatura.extract, one process:                     {plain:6.2f} s -> "
        f"{args.pages / plain:6.1f}/s   ratio {plain / took:.3f}x (target >= 1.7x)"
    )
    print(
        f"newsarc extract + signature, one process:             {own:6.2f} s -> "
        f"{args.pages / own:6.1f}/s   ratio {own / took:.2f}x (parallel speed-up)"
    )
    print(f"newsarc extraction costs {own / plain:.1f}x trafilatura.extract per page")
    if cpu:  # CPU varies less with the machine's load than wall time does
        cores = os.cpu_count() or 1
        print(
            f"CPU: newsarc ingest {cpu:.2f} s ({cpu / took:.2f} of {cores} cores busy), "
            f"trafilatura {plain_cpu:.2f} s; ratio with every core busy "
            f"{cores * plain_cpu / cpu:.3f}x"
        )


if __name__ == "__main__":
    main()
