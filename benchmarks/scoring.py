"""The body-extraction metric of shared/benchmarks/extraction-dev (README "Metric"), shared code.

1. tokens are runs of ``\\w+`` (Unicode, case kept);
2. a text becomes the multiset of its overlapping 4-token windows (a text shorter than four
   tokens is one window of all its tokens, so a short non-empty text still counts);
3. per page, TP = shingles in both (with multiplicity), precision = TP / |pred|,
   recall = TP / |truth|;
4. precision is averaged over pages with a non-empty prediction, recall over pages with a
   non-empty truth (every page weighs the same);
5. F1 = harmonic mean of the two averages;
6. accuracy = share of pages whose token sequence equals the truth's.

The metadata benchmark imports ``body_scores`` from here, so keep its signature stable.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")
SHINGLE = 4


def tokens(text: str) -> list[str]:
    """The word tokens of ``text`` (runs of Unicode word characters, case kept)."""
    return _TOKEN.findall(text)


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """The multiset of overlapping ``n``-token windows of ``text``."""
    toks = tokens(text)
    if len(toks) < n:
        return Counter([tuple(toks)]) if toks else Counter()
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def page_scores(pred: str, truth: str) -> tuple[float | None, float | None]:
    """(precision, recall) of one page; None where that side is empty (it is not averaged)."""
    p, t = shingles(pred), shingles(truth)
    tp = sum((p & t).values())
    precision = tp / sum(p.values()) if p else None
    recall = tp / sum(t.values()) if t else None
    return precision, recall


def exact(pred: str, truth: str) -> bool:
    """Whether the two texts have the same token sequence."""
    return tokens(pred) == tokens(truth)


@dataclass
class Scores:
    """Aggregate figures over a set of pages."""

    f1: float
    precision: float
    recall: float
    accuracy: float
    pages: int


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def aggregate(pairs: Sequence[tuple[str, str]]) -> Scores:
    """F1, precision, recall and accuracy over (prediction, truth) pairs, per the README."""
    precisions: list[float] = []
    recalls: list[float] = []
    hits = 0
    for pred, truth in pairs:
        p, r = page_scores(pred, truth)
        if p is not None:
            precisions.append(p)
        if r is not None:
            recalls.append(r)
        hits += exact(pred, truth)
    precision, recall = _mean(precisions), _mean(recalls)
    accuracy = hits / len(pairs) if pairs else 0.0
    return Scores(_f1(precision, recall), precision, recall, accuracy, len(pairs))


def body_scores(pairs: Sequence[tuple[str, str]]) -> tuple[float, float, float]:
    """(F1, precision, recall) over (prediction, truth) pairs: the extraction-dev metric."""
    scores = aggregate(pairs)
    return scores.f1, scores.precision, scores.recall


def page_f1(pred: str, truth: str) -> float:
    """One page's F1 (0 when either side is empty), for ranking the worst pages."""
    p, r = page_scores(pred, truth)
    return _f1(p or 0.0, r or 0.0)


def bootstrap_sd(pairs: Sequence[tuple[str, str]], rounds: int = 200, seed: int = 0) -> float:
    """Bootstrap standard deviation of F1 over pages (README item 7)."""
    if not pairs:
        return 0.0
    per_page = [page_scores(pred, truth) for pred, truth in pairs]
    rng = random.Random(seed)
    values = []
    for _ in range(rounds):
        sample = [per_page[rng.randrange(len(per_page))] for _ in per_page]
        precision = _mean([p for p, _ in sample if p is not None])
        recall = _mean([r for _, r in sample if r is not None])
        values.append(_f1(precision, recall))
    mean = _mean(values)
    return float((sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5)
