"""Quality floor of the metadata extractor on shared/benchmarks/metadata-dev.

The figures are the ones benchmarks/metadata.py prints (same scoring code); a drop of more
than 0.01 below what the extractor reached when this test was written fails. The metadata
rates need no body extraction and take a few seconds; the body F1 (the extraction-dev metric
against this set's bodies, which leave section subheadings out) takes a few more.
"""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent.parent / "shared/benchmarks/metadata-dev"

# Reached on metadata-dev (125 pages); a rate may fall at most TOLERANCE below these.
REACHED = {"head_exact": 0.904, "day": 1.000, "minute": 1.000, "auth_f1": 0.925, "lang": 0.983}
REACHED_BODY_F1 = 0.959
TOLERANCE = 0.01


@pytest.fixture(scope="module")
def figures() -> dict[str, tuple[float, int]]:
    if not (DATA / "truth.jsonl").exists():
        pytest.skip(f"benchmark data not found at {DATA} (it lives in the shared folder)")
    from benchmarks.metadata import load, predict_newsarc, run, score

    records = load(DATA)
    preds, _ = run(records, DATA, predict_newsarc, False)
    result, _ = score(records, preds, False)
    return result


@pytest.mark.parametrize("name", sorted(REACHED))
def test_rate_does_not_drop(figures: dict[str, tuple[float, int]], name: str) -> None:
    value, pages = figures[name]
    assert pages > 100
    assert value >= REACHED[name] - TOLERANCE, f"{name} fell to {value:.3f}"


def test_body_f1_does_not_drop() -> None:
    if not (DATA / "truth.jsonl").exists():
        pytest.skip(f"benchmark data not found at {DATA} (it lives in the shared folder)")
    from benchmarks.metadata import load, predict_newsarc, run, score

    records = load(DATA)
    preds, _ = run(records, DATA, predict_newsarc, True)
    result, _ = score(records, preds, True)
    f1, precision, recall = result["body"]
    assert f1 >= REACHED_BODY_F1 - TOLERANCE, (
        f"body F1 fell to {f1:.3f} (P {precision:.3f}, R {recall:.3f})"
    )
