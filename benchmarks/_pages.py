"""Synthetic but realistic article pages for the ingestion benchmarks (fixed seed)."""

from __future__ import annotations

import random

WORDS = (
    "government minister border police report city council election market energy prices "
    "court ruling hospital school workers union strike weather storm flood fire village "
    "officials said statement week month year people families community investigation "
    "company shares profit budget tax plan vote parliament president region army talks "
    "agreement protest crowd road rail airport train delays water supply health service"
).split()


def article_html(n: int, *, seed: int = 0) -> str:
    """A news page with navigation, sidebar, comments and a ~600-word body unique to ``n``."""
    rng = random.Random(seed * 1_000_003 + n)
    paragraphs = []
    for p in range(8):
        sentences = []
        for _ in range(rng.randint(3, 5)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(10, 20))]
            sentences.append(" ".join(words).capitalize() + ".")
        paragraphs.append(f"<p>Story {n} paragraph {p}. " + " ".join(sentences) + "</p>")
    headline = f"Story {n}: " + " ".join(rng.choice(WORDS) for _ in range(8)).capitalize()
    nav = "".join(f'<li><a href="/section/{w}">{w.title()}</a></li>' for w in WORDS[:12])
    related = "".join(
        f'<li><a href="/news/{n + i}">Related story {n + i}</a></li>' for i in range(1, 6)
    )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{headline} | News | Example Times</title>
<meta property="og:title" content="{headline}">
<meta property="article:published_time" content="2024-05-{1 + n % 28:02d}T10:{n % 60:02d}:00+00:00">
<meta property="article:section" content="News">
</head><body><header><nav><ul>{nav}</ul></nav></header>
<main><article><h1>{headline}</h1><p class="byline">By Staff Reporter</p>
{"".join(paragraphs)}
</article><aside><h2>Related</h2><ul>{related}</ul></aside>
<section class="comments"><h3>Comments</h3><p>Great article, thanks!</p></section></main>
<footer><p>&copy; Example Times. All rights reserved.</p></footer></body></html>"""
