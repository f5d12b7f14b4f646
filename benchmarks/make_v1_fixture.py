"""Build fixtures/archive-v1.db: an archive as the first release wrote it (migration m001 only).

tests/test_store.py opens a copy with today's code and checks that it upgrades in place with
nothing lost. Regenerate only if m001 itself had to change (it must not, once shipped):

    .venv/bin/python benchmarks/make_v1_fixture.py
"""

from __future__ import annotations

import json
import sqlite3
import sys
import zlib
from pathlib import Path

from sqlite_utils import Database

from newsarc.model import Article
from newsarc.store.schema import migrations

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "archive-v1.db"

ARTICLES = [
    Article(
        url="https://news.example.com/world/2024/03/01/border-crossing",
        canonical_url="https://news.example.com/world/2024/03/01/border-crossing",
        headline="Queues grow at the Georgia border crossing",
        body="Thousands of men queued for days at the Upper Lars border crossing.\n\n"
        "Officials said the crossing would stay open through the weekend.",
        published="2024-03-01T08:30:00+00:00",
        section="World",
        authors=["Jane Doe", "John Roe"],
        site="Example News",
        language="en",
        fetched_at="2024-03-01T09:00:00+00:00",
        extractor_version="newsarc 0.1.0",
    ),
    Article(
        url="https://zeitung.example.de/politik/mueller-gewinnt",
        headline="Müller gewinnt die Wahl in Bayern",
        body="Thomas Müller hat die Wahl in München deutlich gewonnen. Die Wahlbeteiligung "
        "war höher als erwartet.",
        published="2024-02-15",
        section="Politik",
        authors=["Anna Schmidt"],
        site="Beispiel Zeitung",
        language="de",
        fetched_at="2024-02-15T12:00:00+00:00",
        extractor_version="newsarc 0.1.0",
    ),
    Article(
        url="https://news.example.jp/politics/tokyo-election",
        headline="東京都知事選挙の投票率が上昇",
        body="東京都知事選挙の投票率は前回を上回った。選挙管理委員会が発表した。",
        published="2024-01-20T18:00:00+09:00",
        section="政治",
        site="Example Japan",
        language="ja",
        fetched_at="2024-01-21T00:00:00+00:00",
        extractor_version="newsarc 0.1.0",
    ),
]


def build(path: Path) -> None:
    """Write the v1 archive at ``path`` (replacing it)."""
    path.unlink(missing_ok=True)
    db = Database(path)
    migrations.apply(db, stop_before="m002_cjk_index")
    conn: sqlite3.Connection = db.conn
    v1_columns = set(db["articles"].columns_dict)  # later fields of Article are not in v1
    with conn:
        for article in ARTICLES:
            row = article.to_row() | {"first_fetched_at": article.fetched_at}
            row = {name: value for name, value in row.items() if name in v1_columns}
            names = ", ".join(row)
            marks = ", ".join("?" * len(row))
            cursor = conn.execute(
                f"INSERT INTO articles ({names}) VALUES ({marks})", list(row.values())
            )
            html = f"<html><body><h1>{article.headline}</h1><p>{article.body}</p></body></html>"
            content = html.encode("utf-8")
            conn.execute(
                "INSERT INTO pages (article_id, url, final_url, status, headers, encoding,"
                " fetched_at, size, compression, content) VALUES (?, ?, ?, 200, ?, 'utf-8', ?,"
                " ?, 'zlib', ?)",
                [cursor.lastrowid, article.url, article.url,
                 json.dumps({"Content-Type": "text/html; charset=utf-8"}), article.fetched_at,
                 len(content), zlib.compress(content)],
            )  # fmt: skip
        conn.execute(
            "INSERT INTO revisions (article_id, headline, content_hash, extractor_version,"
            " replaced_at, body) VALUES (1, 'Queues at the border', NULL, 'newsarc 0.0.9',"
            " '2024-03-01T09:00:00+00:00', 'Men queued at the border crossing.')"
        )
    conn.execute("VACUUM")
    db.close()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    build(target)
    print(f"wrote {target}")
