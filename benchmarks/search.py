"""Search speed on archives of 10k, 100k and 300k generated articles.

Bodies are ~4 KB of generated text: a 120k-word vocabulary drawn with a Zipf distribution, so
there are very common words and very rare ones; 2% of articles are linked as near-duplicate
copies so story grouping is exercised. Archives are built once (fixed seed) and cached under
/tmp/newsarc-bench/.

Prints, per size:
  - in-process ``newsarc.search.search()`` p50/p95 over 29 queries of eight kinds (rare word,
    two words, phrase, prefix, OR of rare words; and the non-selective: a phrase of two
    frequent words, a frequent word OR a rare one, a very common word), 5 timed runs each
    after a warm-up;
  - whole-command wall time of ``newsarc search`` vs ``sqlite-utils search`` on the same
    archive and queries, run in turns, median of 7.
Targets at 300k: selective queries' newsarc wall <= 0.35x sqlite-utils; in-process p95 of
selective queries <= 10 ms.

    python benchmarks/search.py [--sizes 10000,100000,300000] [--rebuild]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

CACHE = Path("/tmp/newsarc-bench")
BIN = Path(sys.executable).parent
SEED = 20240301
VOCABULARY = 120_000
SECTIONS = ["World", "Politics", "Business", "Sport", "Science", "Culture", "Health",
            "Technology", "Opinion", "Europe", "Asia", "Climate"]  # fmt: skip
SELECTIVE = ("rare", "two words", "phrase", "prefix", "OR")


def vocabulary(rng: np.random.Generator) -> list[str]:
    """Distinct pronounceable pseudo-words; shorter ones get the frequent ranks."""
    onsets = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w",
              "br", "ch", "cl", "dr", "gr", "pl", "pr", "sh", "st", "th", "tr", "z"]  # fmt: skip
    nuclei = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "y"]
    codas = ["", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ck"]
    words: dict[str, None] = {}
    syllables = 1
    while len(words) < VOCABULARY:
        for _ in range(VOCABULARY):
            parts = [
                onsets[rng.integers(len(onsets))] + nuclei[rng.integers(len(nuclei))]
                + codas[rng.integers(len(codas))]
                for _ in range(syllables)
            ]  # fmt: skip
            words["".join(parts)] = None
            if len(words) >= VOCABULARY:
                break
        syllables = min(syllables + 1, 4)
    return list(words)


def zipf(n: int, s: float = 1.05) -> np.ndarray:
    weights = 1.0 / np.power(np.arange(1, n + 1) + 2.7, s)
    return weights / weights.sum()


def build(path: Path, size: int) -> None:
    """Write an archive of ``size`` articles through newsarc's schema (bulk SQL inserts)."""
    from newsarc.store import open_db

    rng = np.random.default_rng(SEED)
    words = np.array(vocabulary(rng), dtype=object)
    probs = zipf(len(words))
    headline_probs = probs.copy()
    headline_probs[:60] = 0  # headlines skip the stop-word-like top ranks
    headline_probs /= headline_probs.sum()
    authors = [f"{words[5000 + i].title()} {words[9000 + i].title()}" for i in range(400)]
    path.unlink(missing_ok=True)
    db = open_db(path)
    conn = db.conn
    started = time.perf_counter()
    chunk = 5000
    for first in range(0, size, chunk):
        n = min(chunk, size - first)
        lengths = rng.integers(520, 760, size=n)  # words per body: ~4 KB
        tokens = rng.choice(len(words), size=int(lengths.sum()), p=probs)
        heads = rng.choice(len(words), size=n * 8, p=headline_probs)
        rows = []
        offset = 0
        for i in range(n):
            article_id = first + i + 1
            body = _text(words[tokens[offset : offset + lengths[i]]], rng)
            offset += lengths[i]
            headline = " ".join(words[heads[i * 8 : i * 8 + 8]]).capitalize()
            day = int(rng.integers(0, 5 * 365))
            published = f"{2019 + day // 365}-{1 + day % 365 // 31 % 12:02d}-{1 + day % 28:02d}"
            rows.append((
                f"https://site{article_id % 40}.example.com/news/{article_id}", headline,
                published, SECTIONS[article_id % len(SECTIONS)],
                json.dumps([authors[article_id % len(authors)]]), f"Site {article_id % 40}",
                "en", int(lengths[i]), hashlib.sha256(body.encode()).hexdigest(),
                "2024-06-01T00:00:00+00:00", "2024-06-01T00:00:00+00:00", "bench", body,
            ))  # fmt: skip
        with conn:
            conn.executemany(
                "INSERT INTO articles (url, headline, published, section, authors, site,"
                " language, word_count, content_hash, fetched_at, first_fetched_at,"
                " extractor_version, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            copies = [(first + i + 1, int(rng.integers(1, first + i + 1)))
                      for i in range(1, n) if rng.random() < 0.02]  # fmt: skip
            conn.executemany(
                "INSERT INTO story_copies (article_id, story_id) VALUES (?, ?)", copies
            )
        done = first + n
        rate = done / (time.perf_counter() - started)
        print(f"\r  built {done:,}/{size:,} ({rate:,.0f} articles/s)", end="", file=sys.stderr)
    print(file=sys.stderr)
    db.close()


def _text(tokens: np.ndarray, rng: np.random.Generator) -> str:
    sentences = []
    i = 0
    while i < len(tokens):
        n = int(rng.integers(8, 21))
        sentence = " ".join(tokens[i : i + n])
        sentences.append(sentence[:1].upper() + sentence[1:] + ".")
        i += n
    paragraphs = [" ".join(sentences[j : j + 5]) for j in range(0, len(sentences), 5)]
    return "\n\n".join(paragraphs)


def pick_queries(path: Path) -> list[tuple[str, str]]:
    """25 queries of six kinds, chosen by their document frequency in this archive."""
    rng = np.random.default_rng(SEED + 1)
    words = vocabulary(np.random.default_rng(SEED))
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, articles_fts, row)")
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def df(word: str) -> int:
        row = conn.execute("SELECT doc FROM temp.vocab WHERE term = ?", [word]).fetchone()
        return row[0] if row else 0

    def words_with(low: float, high: float, count: int, ranks: range) -> list[str]:
        found = []
        for rank in rng.permutation(np.array(ranks))[:4000]:
            word = words[int(rank)]
            if len(word) >= 4 and low <= df(word) <= high:
                found.append(word)
                if len(found) == count:
                    break
        return found

    rare = words_with(3, max(30, total / 3000), 30, range(20_000, VOCABULARY))
    medium = words_with(total / 200, total / 20, 12, range(300, 20_000))
    queries = [("rare", w) for w in rare[:6]]
    queries += [("two words", f"{a} {b}") for a, b in zip(medium[:5], medium[5:10], strict=True)]
    # phrases: two consecutive words from stored bodies, so they match. FTS5 reads the whole
    # position lists of both words, so the cost follows their frequency, not the result: a
    # phrase is "selective" when both words are in at most 5% of the articles (content words,
    # as in "border crossing"), "common phrase" otherwise.
    phrases: dict[str, list[str]] = {"phrase": [], "common phrase": []}
    for article_id in rng.integers(1, total + 1, size=2000):
        sql = "SELECT body FROM articles WHERE id = ?"
        body = conn.execute(sql, [int(article_id)]).fetchone()[0]
        tokens = [t for t in body.lower().replace(".", " ").split() if len(t) >= 4]
        start = int(rng.integers(0, len(tokens) - 2))
        pair = tokens[start : start + 2]
        kind = "phrase" if max(df(w) for w in pair) <= total / 20 else "common phrase"
        if len(phrases[kind]) < (4 if kind == "phrase" else 2):
            phrases[kind].append(f'"{pair[0]} {pair[1]}"')
    queries += [(kind, phrase) for kind, found in phrases.items() for phrase in found]
    # prefixes of rare words that stay selective (a short prefix can match half the archive)
    prefixes = []
    for word in rare[6:]:
        matches = conn.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [f'"{word[:5]}" *']
        ).fetchone()[0]
        if 0 < matches <= max(50, total / 1000) and word[:5] not in prefixes:
            prefixes.append(word[:5])
    queries += [("prefix", f"{p}*") for p in prefixes[:4]]
    queries += [("OR", f"{a} OR {b}") for a, b in ((rare[0], rare[1]), (rare[2], rare[3]))]
    queries += [("OR", f"{rare[4]} OR {rare[5]} OR {rare[6]}")]
    queries += [("common OR", f"{a} OR {b}") for a, b in zip(medium[10:12], rare[:2], strict=True)]
    queries += [("common", words[rank]) for rank in (0, 1, 3)]
    conn.close()
    return queries


def in_process(path: Path, queries: list[tuple[str, str]]) -> dict[str, list[float]]:
    from newsarc.search import count, search
    from newsarc.store import connect

    conn = connect(path, readonly=True)
    timings: dict[str, list[float]] = {}
    for kind, query in queries:
        search(conn, query)  # warm-up
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            hits = search(conn, query)
            runs.append((time.perf_counter() - started) * 1000)
        timings.setdefault(kind, []).extend(runs)
        print(f"    {kind:<10} {query:<34} {statistics.median(runs):8.2f} ms"
              f"  ({count(conn, query):,} stories, {len(hits)} shown)")  # fmt: skip
    conn.close()
    return timings


def wall(path: Path, queries: list[str], reps: int = 7) -> list[tuple[str, float, float]]:
    # As installed by pip: byte-compiled (this sandbox sets PYTHONDONTWRITEBYTECODE, which
    # would make every run recompile newsarc's sources); caches go under /tmp, not the tree.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"NO_COLOR": "1", "PYTHONPYCACHEPREFIX": str(CACHE / "pycache")}
    newsarc = [str(BIN / "newsarc"), "search", "--db", str(path)]
    utils = [str(BIN / "sqlite-utils"), "search", str(path), "articles"]
    utils_opts = ["--limit", "20", "-c", "id", "-c", "url", "-c", "headline"]
    results = []
    for query in queries:
        ours, theirs = [], []
        for _ in range(reps + 1):  # the first round only warms caches
            for command, times in (
                (newsarc + [query], ours),
                (utils + [query] + utils_opts, theirs),
            ):
                started = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True, env=env)
                times.append(time.perf_counter() - started)
        results.append((query, statistics.median(ours[1:]), statistics.median(theirs[1:])))
    return results


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,300000")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    for size in (int(s) for s in args.sizes.split(",")):
        path = CACHE / f"search-{size}.db"
        marker = path.with_suffix(".done")
        chosen = path.with_suffix(".queries.json")
        if args.rebuild or not marker.exists():
            print(f"building {path} ...", file=sys.stderr)
            started = time.perf_counter()
            build(path, size)
            marker.write_text("built\n")
            chosen.unlink(missing_ok=True)
            print(f"  built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        if not chosen.exists():
            chosen.write_text(json.dumps(pick_queries(path)))
        queries = [tuple(q) for q in json.loads(chosen.read_text())]
        mb = path.stat().st_size / 1e6
        print(f"\n== {size:,} articles ({mb:,.0f} MB) ==")
        timings = in_process(path, queries)  # type: ignore[arg-type]
        selective = [t for kind in SELECTIVE for t in timings[kind]]
        for kind, values in timings.items():
            p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
            print(f"  {kind:<10} p50 {p50:8.2f} ms   p95 {p95:8.2f} ms")
        print(f"  SELECTIVE  p50 {percentile(selective, .5):8.2f} ms   p95 "
              f"{percentile(selective, .95):8.2f} ms  (target p95 <= 10 ms at 300k)")  # fmt: skip
        picks = [q for kind, q in queries if kind in ("rare", "two words", "phrase")][::3][:4]
        print("  whole command, median of 7 (newsarc search | sqlite-utils search | ratio):")
        for query, ours, theirs in wall(path, picks):
            ratio = ours / theirs
            print(f"    {query:<34} {ours * 1000:7.0f} ms | {theirs * 1000:7.0f} ms | {ratio:.2f}x")


if __name__ == "__main__":
    main()
