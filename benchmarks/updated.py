"""Speed of the latest-change filters (``list --updated-since 7d``) before and after m016.

Takes the archives of benchmarks/search.py (built there, or here if missing, with the same seed
and cache under /tmp/newsarc-bench/), copies one, gives 30% of its articles an update time
(``modified``) in the last 400 days with UTC offsets of -05:00, +00:00 and +09:00, and times
``list_articles`` in-process (median of 7 runs after a warm-up) on the copy as an archive of
migration m015 left it, then after opening it with newsarc (which applies m016, timed too).

    python benchmarks/updated.py [--sizes 10000,100000]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from search import CACHE, build  # noqa: E402

from newsarc.store import Filters, connect, list_articles  # noqa: E402

# (the command it stands for, its filters, sort and --limit)
CASES = [
    ("list --updated-since 7d", Filters(updated_since="7d"), "newest", 20),
    ("list --updated-since 7d -n 1000", Filters(updated_since="7d"), "newest", 1000),
    ("list --updated-since 7d --sort updated", Filters(updated_since="7d"), "updated", 20),
    (
        "list --since 2023-07 --updated-since 7d",
        Filters(since="2023-07", updated_since="7d"),
        "newest",
        20,
    ),
    (
        "list --updated-since 2026-01 --updated-until 2026-01",
        Filters(updated_since="2026-01", updated_until="2026-01"),
        "newest",
        20,
    ),
    ("list --updated-until 2020-01", Filters(updated_until="2020-01"), "newest", 20),
    ("list --updated-until 2026-12", Filters(updated_until="2026-12"), "newest", 20),
    ("list --sort updated", Filters(), "updated", 20),
]
OFFSETS = ("-05:00", "+00:00", "+09:00")


def prepare(size: int) -> Path:
    """A copy of the search benchmark's archive of ``size`` articles, with updates, at m015."""
    base = CACHE / f"search-{size}.db"
    if not base.with_suffix(".done").exists():
        CACHE.mkdir(exist_ok=True)
        build(base, size)
        base.with_suffix(".done").write_text("built\n")
    path = CACHE / f"updated-{size}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(base, path)
    conn = sqlite3.connect(path)
    # an archive built after m016 shipped is taken back to before it
    conn.execute("DROP INDEX IF EXISTS articles_changed_utc")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm016_latest_change_utc'")
    rng = random.Random(size)
    now = datetime.now(timezone.utc)
    updates = []
    for (article_id,) in conn.execute("SELECT id FROM articles").fetchall():
        if rng.random() < 0.3:
            offset = OFFSETS[rng.randrange(3)]
            sign = -1 if offset[0] == "-" else 1
            local = now - timedelta(seconds=rng.randrange(400 * 86400))
            local += sign * timedelta(hours=int(offset[1:3]))
            updates.append((local.strftime("%Y-%m-%dT%H:%M:%S") + offset, article_id))
    conn.executemany("UPDATE articles SET modified = ? WHERE id = ?", updates)
    conn.commit()
    conn.close()
    return path


def median_ms(run: Callable[[], object], reps: int = 7) -> float:
    run()  # warm-up: the page cache, the statement cache
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def timings(conn: sqlite3.Connection) -> list[float]:
    return [
        median_ms(
            lambda f=filters, s=sort, n=limit: list_articles(conn, filters=f, sort=s, limit=n)
        )
        for _, filters, sort, limit in CASES
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        path = prepare(size)
        plain = sqlite3.connect(path)  # no upgrade: the archive as m015 left it
        before = timings(plain)
        plain.close()
        started = time.perf_counter()
        conn = connect(path, readonly=True)  # applies m016
        migrated = time.perf_counter() - started
        after = timings(conn)
        matches = [len(list_articles(conn, filters=f, sort=s, limit=10**9)) for _, f, s, _ in CASES]
        conn.close()
        mb = path.stat().st_size / 1e6
        print(f"\n== {size:,} articles ({mb:,.0f} MB); m016 applied in {migrated:.2f} s ==")
        print(f"  {'case':<55} {'matches':>8} {'m015 ms':>9} {'m016 ms':>9}")
        for (name, *_), n, b, a in zip(CASES, matches, before, after, strict=True):
            print(f"  {name:<55} {n:>8,} {b:9.1f} {a:9.1f}")


if __name__ == "__main__":
    main()
