"""Fetch throughput of `newsarc ingest`: 1,000 pages over 20 hosts on 127.0.0.x, 50 ms latency.

With global concurrency 8 and 50 ms per response, the bound is 8 / 0.05 s = 160 pages/s; the
target is >= 90 % of it. Hosts are the loopback addresses 127.0.0.1 .. 127.0.0.20, each with
its own threaded server; delay 0 and the default per-host concurrency (2).

Two figures:
  (a) the whole command, `newsarc ingest --urls FILE` in a subprocess (start-up, extraction
      in the process pool and the archive writes included), into a fresh archive each time;
      the median of ``--runs`` runs. newsarc's modules are byte-compiled first, as pip
      compiles an installed package: a checkout run with PYTHONDONTWRITEBYTECODE set would
      otherwise compile every module anew on each start;
  (b) the fetch stage alone: the same pipeline in this process with extraction replaced by a
      stub that returns a fixed article, so only fetching, scheduling and storing count.
If (a) is well below (b), the run was bound by extraction CPU, not by fetching.

    python benchmarks/ingest_fetch.py [--pages 1000] [--hosts 20] [--latency 0.05] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing import Process, Queue
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _pages import article_html  # noqa: E402
from _setup import compile_newsarc  # noqa: E402


def serve(address: str, latency: float, bodies: dict[int, bytes]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        # Keep-alive, as news sites' servers and CDNs do: a client that reuses connections
        # is measured as it would run against them.
        protocol_version = "HTTP/1.1"
        # Headers and body leave in separate writes: without TCP_NODELAY (which web servers
        # set) the body can wait for the client's delayed ACK, adding 40 ms to a response.
        disable_nagle_algorithm = True

        def do_GET(self) -> None:  # noqa: N802
            time.sleep(latency)
            if self.path == "/robots.txt":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = bodies[int(self.path.rsplit("/", 1)[-1])]
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((address, 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_servers(hosts: int, pages: int, latency: float, ports: Queue) -> None:
    """In a process of its own, so the servers do not share a GIL with what they measure."""
    bodies = {n: article_html(n).encode() for n in range(pages)}
    servers = [serve(f"127.0.0.{i + 1}", latency, bodies) for i in range(hosts)]
    ports.put([server.server_port for server in servers])
    threading.Event().wait()


def stub_extract(job: tuple) -> tuple:
    """Stands in for extraction: a fixed article for the page, no parsing."""
    from newsarc.model import Article

    url = job[1]
    body = f"Body of {url}. " * 60
    return Article(url=url, headline=f"Headline {url}", body=body), None, [], None, None


def fetch_stage(urls: Path, db_path: Path, concurrency: int) -> tuple[float, str]:
    import newsarc.ingest_pool as pool
    from newsarc.ingest import Ingester, IngestOptions, Source
    from newsarc.store import open_db

    pool.extract_job = stub_extract  # type: ignore[assignment]
    db = open_db(db_path)
    started = time.perf_counter()
    summary = Ingester(db, IngestOptions(delay=0, concurrency=concurrency, workers=1)).run(
        [Source("urls", str(urls))]
    )
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed, summary.line()


def whole_command(urls: Path, db: Path, args: argparse.Namespace) -> tuple[float, float, str]:
    """Wall seconds (until the command and its workers have exited), CPU seconds (of the
    command, its forkserver and workers: every descendant reaped), summary."""
    before = os.times()
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsarc",
            "ingest",
            "--urls",
            str(urls),
            "--db",
            str(db),
            "--delay",
            "0",
            "--concurrency",
            str(args.concurrency),
        ],
        capture_output=True,
        text=True,
        env=os.environ | {"NEWSARC_DB": str(db)},
    )
    elapsed = time.perf_counter() - started
    after = os.times()
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)
        sys.exit(1)
    cpu = (
        after.children_user - before.children_user + after.children_system - before.children_system
    )
    return elapsed, cpu, result.stderr.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3, help="runs of (a); the median is shown")
    args = parser.parse_args()

    queue: Queue = Queue()
    process = Process(
        target=run_servers, args=(args.hosts, args.pages, args.latency, queue), daemon=True
    )
    process.start()
    ports = queue.get(timeout=60)
    bound = args.concurrency / args.latency
    print(
        f"pages: {args.pages} over {args.hosts} hosts, latency {args.latency * 1000:.0f} ms, "
        f"concurrency {args.concurrency}, delay 0, cores {os.cpu_count()}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        urls = Path(tmp) / "urls.txt"
        urls.write_text(
            "\n".join(
                f"http://127.0.0.{n % args.hosts + 1}:{ports[n % args.hosts]}/news/{n}"
                for n in range(args.pages)
            )
            + "\n"
        )
        compile_newsarc()
        runs = [whole_command(urls, Path(tmp) / f"bench{n}.db", args) for n in range(args.runs)]
        elapsed, cpu, line = sorted(runs)[len(runs) // 2]
        rate = args.pages / elapsed
        print(f"(a) whole command: {line}")
        print(
            f"    wall {elapsed:.2f} s (start-up included; median of "
            f"{', '.join(f'{run[0]:.2f}' for run in runs)}) -> {rate:.1f} pages/s, "
            f"ratio {rate / bound:.3f} of the {bound:.0f} pages/s bound (target >= 0.90); "
            f"CPU of the command and its workers {cpu:.1f} s"
        )
        stage, line = fetch_stage(urls, Path(tmp) / "stage.db", args.concurrency)
        rate = args.pages / stage
        print(f"(b) fetch stage alone: {line}")
        print(f"    wall {stage:.2f} s -> {rate:.1f} pages/s, ratio {rate / bound:.3f}")
    process.terminate()


if __name__ == "__main__":
    main()
