"""Metadata benchmark: newsarc's extractor against plain trafilatura on a metadata set.

Reads a folder in the format of shared/benchmarks/metadata-dev (``truth.jsonl`` and
``pages/<id>.html.gz``) and scores headline, published date, authors, topics, language and body
with exactly the math of that folder's README, for newsarc and for
``trafilatura.bare_extraction(html, url=url, with_metadata=True)`` side by side. Then it lists the
worst pages per field and the speed.

    python benchmarks/metadata.py --data ../shared/benchmarks/metadata-dev [--worst 8]
        [--only newsarc|trafilatura] [--no-body] [--show ID]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import lxml.html

sys.path.insert(0, str(Path(__file__).parent))

from scoring import body_scores, page_f1  # noqa: E402  (the extraction-dev metric, shared)

_WORD = re.compile(r"\w+")
_QUOTES = re.compile(
    "[\"'`\u00ab\u00bb\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2039\u203a\u2032\u2033\u300c\u300d\u300e\u300f\uff02\uff07]"
)
_LEADING_BY = re.compile(r"^(by|von|vom|par|door|por|av|af|przez|od)\s+")


# --- normalisation -------------------------------------------------------------------------


def norm_headline(text: str) -> str:
    """NFKC, casefold, every quote mark to '"', every dash to '-', whitespace folded."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _QUOTES.sub('"', text)
    text = "".join("-" if unicodedata.category(c) == "Pd" or c == "\u2212" else c for c in text)
    return " ".join(text.split())


def norm_name(name: str) -> str:
    """Accents stripped, casefold, punctuation to space, a leading 'by/von/par' dropped."""
    decomposed = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    text = "".join(" " if unicodedata.category(c).startswith("P") else c for c in text)
    text = " ".join(text.split())
    return _LEADING_BY.sub("", text).strip()


def tokens(text: str) -> list[str]:
    """The ``\\w+`` tokens of ``text``."""
    return _WORD.findall(text)


# --- per-field scores ------------------------------------------------------------------------


def bag_f1(pred: Iterable[str], truth: Iterable[str]) -> float:
    """F1 of two bags (multisets)."""
    p, t = Counter(pred), Counter(truth)
    if not p or not t:
        return float(not p and not t)
    common = sum((p & t).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(t.values())
    return 2 * precision * recall / (precision + recall)


def parse_when(value: str | None) -> datetime | None:
    """A datetime from an ISO 8601 string (None when it is not one)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def truth_has_time(value: str) -> bool:
    """The README's rule: a naive ``T00:00:00`` truth is date only."""
    when = parse_when(value)
    if when is None:
        return False
    return not (when.tzinfo is None and (when.hour, when.minute, when.second) == (0, 0, 0))


def pred_has_time(value: str) -> bool:
    """True when the prediction carries a time of day ("2024-08-08" does not)."""
    return "T" in value or " " in value.strip()


def date_scores(pred: str | None, truth: str) -> tuple[bool, bool | None]:
    """(day right, minute right or None when the truth has no time)."""
    t = parse_when(truth)
    p = parse_when(pred)
    minute_applies = truth_has_time(truth)
    if t is None or p is None:
        return False, (False if minute_applies else None)
    if p.tzinfo is not None and t.tzinfo is not None:
        p = p.astimezone(t.tzinfo)
    day = p.date() == t.date()
    if not minute_applies:
        return day, None
    minute = bool(pred and pred_has_time(pred)) and p.replace(
        second=0, microsecond=0, tzinfo=None
    ) == t.replace(second=0, microsecond=0, tzinfo=None)
    return day, minute


def set_scores(pred: Iterable[str], truth: Iterable[str]) -> tuple[float | None, float, float]:
    """(precision or None when nothing predicted, recall, F1) of normalised name sets."""
    p = {norm_name(x) for x in pred} - {""}
    t = {norm_name(x) for x in truth} - {""}
    if not p:
        return None, 0.0, 0.0
    common = len(p & t)
    precision, recall = common / len(p), common / len(t)
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return precision, recall, f1


# --- predictions ---------------------------------------------------------------------------


@dataclass
class Prediction:
    headline: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    language: str | None = None
    body: str | None = None
    section: str | None = None


def parse_tree(html: str) -> lxml.html.HtmlElement:
    """The page's lxml tree, parsed the way newsarc's extractor parses it."""
    from newsarc.extractor.article import parse_html

    return parse_html(html, "")


def predict_newsarc(html: str, url: str, with_body: bool) -> Prediction:
    from newsarc.errors import ExtractError
    from newsarc.extractor.metadata import extract_metadata

    meta = extract_metadata(parse_tree(html), html, url)
    body = None
    if with_body:
        from newsarc.extractor import extract

        try:
            body = extract(html, url).body
        except ExtractError:
            body = ""
    topics = list(meta.topics) + ([meta.section] if meta.section else [])
    return Prediction(
        meta.headline, meta.published, meta.authors, topics, meta.language, body, meta.section
    )


def extract_only(html: str, url: str, with_body: bool) -> Prediction:
    """newsarc.extractor.extract() alone (metadata and body), for timing the whole pipeline."""
    from newsarc.errors import ExtractError
    from newsarc.extractor import extract

    try:
        article = extract(html, url)
    except ExtractError:
        return Prediction()
    return Prediction(article.headline, article.published, article.authors, body=article.body)


def predict_trafilatura(html: str, url: str, with_body: bool) -> Prediction:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if doc is None:
        return Prediction()
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    topics = list(doc.categories or []) + list(doc.tags or [])
    return Prediction(doc.title, doc.date, authors, topics, doc.language, doc.text)


# --- scoring -------------------------------------------------------------------------------


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def score(
    records: list[dict[str, Any]], preds: dict[str, Prediction], with_body: bool
) -> tuple[dict[str, Any], dict[str, list[tuple[float, str, str]]]]:
    """Figures for one system, and per-field lists of (page score, id, what went wrong)."""
    out: dict[str, list[float]] = {
        k: []
        for k in (
            "head_exact",
            "head_tok",
            "day",
            "minute",
            "auth_p",
            "auth_r",
            "auth_f1",
            "topic_f1",
            "lang",
        )
    }
    worst: dict[str, list[tuple[float, str, str]]] = {
        k: [] for k in ("headline", "published", "authors", "language", "topics", "body")
    }
    pairs: list[tuple[str, str]] = []
    for rec in records:
        pred = preds.get(rec["id"], Prediction())
        rid = rec["id"]
        if "headline" in rec:
            got = pred.headline or ""
            exact = norm_headline(got) == norm_headline(rec["headline"])
            tok = bag_f1(tokens(got.casefold()), tokens(rec["headline"].casefold()))
            out["head_exact"].append(float(exact))
            out["head_tok"].append(tok)
            if not exact:
                worst["headline"].append((tok, rid, f"{got!r} != {rec['headline']!r}"))
        if rec.get("published"):
            day, minute = date_scores(pred.published, rec["published"])
            out["day"].append(float(day))
            if minute is not None:
                out["minute"].append(float(minute))
            if not day or minute is False:
                worst["published"].append(
                    (float(day), rid, f"{pred.published} != {rec['published']}")
                )
        if rec.get("authors"):
            p, r, f = set_scores(pred.authors, rec["authors"])
            if p is not None:
                out["auth_p"].append(p)
            out["auth_r"].append(r)
            out["auth_f1"].append(f)
            if f < 1:
                worst["authors"].append((f, rid, f"{pred.authors} != {rec['authors']}"))
        if rec.get("topics"):
            _, _, f = set_scores(pred.topics, rec["topics"])
            out["topic_f1"].append(f)
            if f < 0.5:
                worst["topics"].append((f, rid, f"{pred.topics[:6]} != {rec['topics'][:6]}"))
        if rec.get("language"):
            got_lang = (pred.language or "").split("-")[0].split("_")[0].lower()
            ok = got_lang == rec["language"].split("-")[0].lower()
            out["lang"].append(float(ok))
            if not ok:
                worst["language"].append((0.0, rid, f"{pred.language} != {rec['language']}"))
        if with_body and "body" in rec:
            pairs.append((pred.body or "", rec["body"]))
            f = page_f1(pred.body or "", rec["body"])
            if f < 0.9:
                worst["body"].append(
                    (
                        f,
                        rid,
                        f"{len((pred.body or '').split())} words predicted, "
                        f"{len(rec['body'].split())} in the truth",
                    )
                )
    figures: dict[str, Any] = {k: (mean(v), len(v)) for k, v in out.items()}
    if pairs:
        figures["body"] = body_scores(pairs)
    for rows in worst.values():
        rows.sort()
    return figures, worst


_WITH_N = ("day", "minute", "auth_f1", "lang")
_COLUMNS = (
    "head_exact",
    "head_tok",
    "day",
    "minute",
    "auth_p",
    "auth_r",
    "auth_f1",
    "topic_f1",
    "lang",
)


def cell(figures: dict[str, Any], key: str) -> str:
    """One table cell: the rate, with its page count for the rates that skip pages."""
    value, n = figures[key]
    return f"{value:.3f} (n={n})" if key in _WITH_N else f"{value:.3f}"


def table(rows: list[tuple[str, dict[str, Any], float, float]]) -> str:
    """The side-by-side table, in the README's column order."""
    head = (
        "| system | head exact | head tokF1 | date day | date minute | auth P | auth R | "
        "auth F1 | topic F1 | lang | body F1 | body P | body R | pages/s | meta pages/s |"
    )
    lines = [head, "|" + " --- |" * 15]
    for name, figures, speed, meta_speed in rows:
        body = figures.get("body")
        body_cells = [f"{x:.3f}" for x in body] if body else ["-", "-", "-"]
        cells = [name, *(cell(figures, k) for k in _COLUMNS), *body_cells]
        cells += [f"{speed:.1f}", f"{meta_speed:.1f}" if meta_speed else "-"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def load(data: Path) -> list[dict[str, Any]]:
    with open(data / "truth.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_page(data: Path, rid: str) -> str:
    return gzip.decompress((data / "pages" / f"{rid}.html.gz").read_bytes()).decode(
        "utf-8", errors="replace"
    )


def run(
    records: list[dict[str, Any]],
    data: Path,
    system: Callable[[str, str, bool], Prediction],
    with_body: bool,
) -> tuple[dict[str, Prediction], float]:
    preds: dict[str, Prediction] = {}
    pages = [(rec, read_page(data, rec["id"])) for rec in records]
    start = time.perf_counter()
    for rec, html in pages:
        preds[rec["id"]] = system(html, rec["url"], with_body)
    elapsed = time.perf_counter() - start
    return preds, len(pages) / elapsed if elapsed else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = Path(__file__).resolve().parents[2] / "shared/benchmarks/metadata-dev"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--worst", type=int, default=8, help="pages listed per field")
    parser.add_argument("--only", choices=("newsarc", "trafilatura"))
    parser.add_argument("--no-body", action="store_true", help="score metadata only")
    parser.add_argument("--show", help="print both systems' predictions for one page id")
    args = parser.parse_args(argv)

    records = load(args.data)
    if args.show:
        records = [r for r in records if r["id"] == args.show]
    with_body = not args.no_body
    if with_body:
        try:
            from newsarc.extractor import extract  # noqa: F401
        except ImportError:
            print(
                "newsarc.extractor.extract() is not there yet: scoring metadata only",
                file=sys.stderr,
            )
            with_body = False
    systems = {"newsarc": predict_newsarc, "trafilatura": predict_trafilatura}
    if args.only:
        systems = {args.only: systems[args.only]}
    rows: list[tuple[str, dict[str, Any], float, float]] = []
    worst_by_system = {}
    for name, system in systems.items():
        preds, speed = run(records, args.data, system, with_body)
        if args.show:
            print(name, json.dumps(preds[args.show].__dict__, ensure_ascii=False)[:3000])
            continue
        figures, worst = score(records, preds, with_body)
        meta_speed = 0.0
        if name == "newsarc":  # scoring ran both steps: time each on its own
            meta_speed = run(records, args.data, system, False)[1]
            if with_body:
                speed = run(records, args.data, extract_only, True)[1]
        rows.append((name, figures, speed, meta_speed))
        worst_by_system[name] = worst
    if args.show:
        rec = records[0]
        print(
            "truth", json.dumps({k: v for k, v in rec.items() if k != "body"}, ensure_ascii=False)
        )
        return 0
    print(f"{len(records)} pages from {args.data}\n")
    print(table(rows))
    for name, worst in worst_by_system.items():
        print(f"\n## worst pages: {name}")
        for fieldname, items in worst.items():
            print(f"### {fieldname} ({len(items)} misses)")
            for value, rid, what in items[: args.worst]:
                print(f"  {value:.2f} {rid}: {what[:220]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
