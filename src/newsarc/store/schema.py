"""The archive's schema as named migrations (sqlite-utils ``Migrations``, set "newsarc").

Never edit a migration once it has shipped: add a new one, and add its name to
``newsarc.store.connection.MIGRATIONS``.

Column order matters for speed: SQLite stores a row's columns in order and a 4 KB body spills
into overflow pages, so every column that filters and sorting read comes before ``body``, and
later data that queries need goes into its own table rather than an added column.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from newsarc.store import batchtables, ftswait, initial, searchrebuild
from newsarc.store.cjk import has_cjk, index_text
from newsarc.store.initial import RANK
from newsarc.store.latestchange import create_changed_index
from newsarc.store.searchforms import search_form

migrations = Migrations("newsarc")

_BATCH = 500  # articles per query in m006: well under SQLite's limit on bound parameters


@migrations()
def m001_initial(db: Database) -> None:
    """Articles, raw pages, revisions and the FTS5 index over headline and body."""
    initial.create(db)


@migrations()
def m002_cjk_index(db: Database) -> None:
    """A bigram index for Chinese, Japanese and Korean text (see newsarc.store.cjk).

    Contentless and maintained by the store, not by triggers: bigrams are computed in Python,
    and only articles that contain CJK text are indexed.
    """
    db.execute(
        """CREATE VIRTUAL TABLE articles_cjk USING FTS5(
            headline, body, content='', tokenize='unicode61')"""
    )
    db.execute(f"INSERT INTO articles_cjk(articles_cjk, rank) VALUES ('rank', '{RANK}')")
    rows = db.execute("SELECT id, headline, body FROM articles")
    for article_id, headline, body in rows:
        if has_cjk(headline) or has_cjk(body):
            db.execute(
                "INSERT INTO articles_cjk(rowid, headline, body) VALUES (?, ?, ?)",
                (article_id, index_text(headline), index_text(body)),
            )


@migrations()
def m003_batch(db: Database) -> None:
    """URL aliases, near-duplicate stories, registered sources and failed fetches."""
    batchtables.create(db)


@migrations()
def m004_subheadings(db: Database) -> None:
    """The section subheadings of an article, a JSON list, kept apart from the body text.

    Articles archived before have their subheadings inside the body and get an empty list
    here; ``newsarc reextract`` moves them out. Placed after ``body``: only whole-record reads
    use it.
    """
    db.table("articles").add_column("subheadings", str, not_null_default="[]")


@migrations()
def m005_source_validators(db: Database) -> None:
    """ETag and Last-Modified of feeds and sitemaps named on the command line.

    Registered sources keep theirs in ``sources``; this table is for the ones a crontab line
    gives as ``--feed``/``--sitemap``, so that they too cost one 304 when unchanged.
    """
    db.table("source_validators").create(
        {"url": str, "etag": str, "last_modified": str, "updated_at": str},
        pk="url",
        not_null={"updated_at"},
    )


@migrations()
def m006_minhash_v2(db: Database) -> None:
    """Near-duplicate band keys recomputed with version 2 of the signature (newsarc.dedupe).

    Version 2 hashes shingles differently, so no key of version 1 ever matches one of version
    2: without this, a copy ingested after the upgrade would never find its original ingested
    before it. The articles that had band keys get them again from their stored body; the
    story links already made stay as they are. (dedupe, and with it numpy, is imported here
    only: an archive that is up to date never needs it to be opened.)
    """
    ids = [row[0] for row in db.execute("SELECT DISTINCT article_id FROM story_bands")]
    _compute_band_keys(db, ids, replace=True)


def _compute_band_keys(db: Database, ids: list[int], *, replace: bool) -> None:
    """Band keys of the articles ``ids`` from their stored bodies (in batches), in place of
    the keys they had when ``replace``. dedupe, and with it numpy, is imported only when
    there is an article to compute: an archive that is up to date never needs it opened."""
    if not ids:
        return
    from newsarc.dedupe import band_keys, signature

    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        marks = ", ".join("?" * len(batch))
        bodies = db.execute(f"SELECT id, body FROM articles WHERE id IN ({marks})", batch)
        rows = [
            (key, article_id)
            for article_id, body in bodies
            for key in band_keys(signature(body or ""))
        ]
        if replace:
            db.execute(f"DELETE FROM story_bands WHERE article_id IN ({marks})", batch)
        db.conn.executemany("INSERT INTO story_bands (band, article_id) VALUES (?, ?)", rows)


@migrations()
def m007_robots(db: Database) -> None:
    """robots.txt per origin as last read (newsarc.store.robots): kept for a day, it is read
    once a day instead of once a run."""
    db.table("robots").create(
        {"origin": str, "status": int, "body": bytes, "fetched_at": str},
        pk="origin",
        not_null={"status", "body", "fetched_at"},
    )


# The columns of ``sources`` as m003 made them, in order (m008 copies every one).
_SOURCE_COLUMNS = (
    "id", "url", "kind", "added_at", "last_run_at", "last_status", "last_found", "etag",
    "last_modified", "counts",
)  # fmt: skip


@migrations()
def m008_source_ids_never_reused(db: Database) -> None:
    """``sources`` rebuilt with ``INTEGER PRIMARY KEY AUTOINCREMENT``, every row and id kept.

    Without AUTOINCREMENT SQLite gives a new row the highest id plus one, so after ``sources
    remove`` of the newest source the next ``sources add`` got its id: an id printed by an
    older ``sources list`` (a script's ``sources remove 3``, a note, a join in another tool)
    then named another source. Nothing in the archive refers to a source by id (failures name
    their source by address; counts, last run and validators are the row's own columns and
    go with it), so only the table changes. SQLite cannot add AUTOINCREMENT to a table, hence
    the rebuild; the copied ids start the sequence at the highest id present. An id removed
    from the top before this upgrade left no trace and can still be given once more.
    """
    columns = ", ".join(f'"{name}"' for name in _SOURCE_COLUMNS)
    db.execute('ALTER TABLE "sources" RENAME TO "sources_m008"')
    db.execute(
        """CREATE TABLE "sources" (
   "id" INTEGER PRIMARY KEY AUTOINCREMENT,
   "url" TEXT NOT NULL,
   "kind" TEXT NOT NULL,
   "added_at" TEXT NOT NULL,
   "last_run_at" TEXT,
   "last_status" TEXT,
   "last_found" INTEGER,
   "etag" TEXT,
   "last_modified" TEXT,
   "counts" TEXT
)"""
    )
    db.execute(f'INSERT INTO "sources" ({columns}) SELECT {columns} FROM "sources_m008"')
    db.execute('DROP TABLE "sources_m008"')  # and its index, made again below
    db.table("sources").create_index(["url"], unique=True)


@migrations()
def m009_dated_out(db: Database) -> None:
    """Addresses ``ingest --since`` fetched and left out, with the date of their article
    (newsarc.store.datedout): a later run with a --since after that date skips them unfetched.

    A table of its own: nothing archived stands behind these addresses, so neither
    ``article_urls`` (whose every row leads to an archived article, and whose rows make an
    address count as archived) nor ``failures`` (a log of what went wrong, many rows per
    address) can hold them.
    """
    db.table("dated_out").create(
        {"url": str, "published": str, "at": str},
        pk="url",
        not_null={"published", "at"},
    )


@migrations()
def m010_band_keys_for_every_article(db: Database) -> None:
    """Band keys for the articles that have none and are long enough for them.

    Archives from before near-duplicate detection (m003) hold articles without band keys, and
    m006 recomputed only those that had some: a copy ingested after the upgrade could never
    find such an original, and nothing (not even ``reextract``, which recomputes keys for a
    changed text only) gave it keys. Only keys: old articles are not linked among themselves.
    """
    ids = [
        row[0]
        for row in db.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM story_bands)"
        )
    ]
    _compute_band_keys(db, ids, replace=False)


@migrations()
def m011_listing_state(db: Database) -> None:
    """What a source's validators and sitemap cut-off were earned under, kept apart from its
    status line (``newsarc.ingest_sources``).

    ``listed_since`` (in ``sources`` and ``source_validators``): the ``--since`` of the last
    run that listed the source cleanly (NULL: it read the whole listing); its validators and
    cut-off hold only for a run whose --since is not earlier, so a cron line with
    ``--since 7d`` keeps its 304s while a run with an earlier or no --since reads in full.
    ``clean_run_at``: when that run was (a registered sitemap's cut-off), where the cut-off
    used to be read from the last run's status, in which "not modified" stood for a clean
    run. It was not one for a sitemap index: the index kept its validators, and its 304 hid
    every changed child sitemap, whose entries the next cut-off then passed over. So what was
    stored before this migration is forgotten: each feed and sitemap is read in full once (its
    archived entries are skipped unfetched), which also lists again what was passed over.
    """
    db.table("sources").add_column("listed_since", str)
    db.table("sources").add_column("clean_run_at", str)
    db.table("source_validators").add_column("listed_since", str)
    db.execute("UPDATE sources SET etag = NULL, last_modified = NULL")
    db.execute("DELETE FROM source_validators")


@migrations()
def m012_search_forms_and_tokenizers(db: Database) -> None:
    """Both full-text indexes made again, with what unicode61 alone could not find.

    - ``articles.search_headline`` / ``search_body`` (newsarc.store.searchforms): Latin letters
      and digits written against Chinese, Japanese, Korean or Thai text, and full-width Latin,
      in a form the main index can match; ``articles_fts`` indexes them as two more columns.
    - ``articles_fts`` uses MAIN_TOKENIZER (newsarc.store.tokenizers): Indic vowel signs and
      viramas no longer cut words into consonants.
    - ``articles_cjk`` keeps every mark in its bigrams, and holds Thai, Lao, Khmer and Myanmar
      text too (newsarc.store.cjk).

    The forms are computed in Python in batches of articles; the main index is then rebuilt by
    FTS5 itself from ``articles`` and the bigram index re-inserted from Python.
    """
    searchrebuild.rebuild(db)


@migrations()
def m013_published_utc(db: Database) -> None:
    """An index on the instant of publication in UTC, for newest-first order and time filters.

    ``published`` keeps the page's own UTC offset, so as text "2024-03-05T20:00:00-05:00"
    (01:00 UTC on the 6th) sorted before "2024-03-06T09:00:00+09:00" (00:00 UTC on the 6th).
    An index on an expression, not a stored column: SQLite computes it on every write, so no
    write path (nor a tool editing the archive) can leave it out of step, and building the
    index fills it for the articles already archived. The expression is
    ``newsarc.store.filters.UTC_SQL`` on bare column names (an index may not name its table).
    ``fetched_at`` and ``id`` complete the newest-first order; with ``published`` the index holds
    what the date filters read, so a listing walks it without reading the rows it skips.
    """
    db.execute(
        "CREATE INDEX articles_published_utc ON articles("
        "(CASE WHEN substr(published, 5, 1) = '-'"
        " THEN coalesce(datetime(published), datetime(substr(published, 1, 10))) END),"
        " fetched_at, id, published)"
    )


@migrations()
def m014_folded_letters(db: Database) -> None:
    """Search forms for the articles with a letter that search now folds (ß = ss, ø = o,
    ł = l, ё = е: newsarc.store.folding), so that "strasse" finds the "Straße" archived before.

    Every article is read again (in batches) but only those whose form changes are written:
    the update trigger then indexes the new form. An archive with no such letter (English
    only, say) keeps every row and index entry as it was.
    """
    last = 0
    while True:
        rows = db.execute(
            "SELECT id, headline, body, search_headline, search_body FROM articles"
            " WHERE id > ? ORDER BY id LIMIT ?",
            [last, _BATCH],
        ).fetchall()
        if not rows:
            break
        last = rows[-1][0]
        forms = [
            (search_form(h or ""), search_form(b or ""), i, sh, sb) for i, h, b, sh, sb in rows
        ]
        db.conn.executemany(
            "UPDATE articles SET search_headline = ?, search_body = ? WHERE id = ?",
            [(h, b, i) for h, b, i, sh, sb in forms if (h, b) != (sh, sb)],
        )


@migrations()
def m015_modified(db: Database) -> None:
    """When the page says the article was last updated (``Article.modified``), nullable.

    Archived articles get NULL: ``newsarc reextract`` fills it from their stored raw pages
    (extractor version 5). No UTC index as ``published`` has (m013): nothing sorts or filters
    by it, and a column added last costs a query that never reads it nothing.
    """
    db.table("articles").add_column("modified", str)


@migrations()
def m016_latest_change_utc(db: Database) -> None:
    """An index on the instant of an article's latest change in UTC (store.latestchange)."""
    create_changed_index(db)


@migrations()
def m017_source_failing_since(db: Database) -> None:
    """When a registered source's runs began to end in an error (``sources.failing_since``;
    NULL while its last run read it). A feed that answers 404 or 410 for weeks failed every
    cron run in the same words, and neither that line nor ``sources list`` said since when,
    so a dead source could not be told from a bad moment. Existing rows start with NULL: a
    source failing now counts from its next run."""
    db.table("sources").add_column("failing_since", str)


@migrations()
def m018_source_moves_and_failures_kept(db: Database) -> None:
    """Where a registered source moved from, and a bound on ``failures``.

    ``sources.moved_from`` and ``moved_at``: the address a source answered from before it
    moved for good (a permanent redirect), and when, for ``sources list``; NULL for the
    sources that never moved (one that moved before keeps no trace: it was not recorded).

    ``failures`` had no end: a URL failing every run added a row a run. From now on a
    failure of an address prunes its failures older than 90 days (``batch.FAILURE_DAYS``,
    ``record_failure``); here the rows an archive gathered before are pruned once the same
    way: of each address, its failures of the last 90 days and its latest are kept (about
    3.4 s for a million rows).
    """
    from datetime import datetime, timedelta, timezone

    db.table("sources").add_column("moved_from", str)
    db.table("sources").add_column("moved_at", str)
    since = (datetime.now(timezone.utc) - timedelta(days=90)).replace(microsecond=0)
    db.execute(
        "DELETE FROM failures WHERE at < ? AND EXISTS (SELECT 1 FROM failures AS later"
        " WHERE later.url = failures.url AND later.id > failures.id)",
        [since.isoformat()],
    )


@migrations()
def m019_article_topics(db: Database) -> None:
    """The publisher's tags or keywords of an article (``Article.topics``), a JSON list as
    ``authors`` is, for ``--topic`` and the records users read and export.

    The extractor found them before (extractor version 11 and earlier read them too) but
    nothing kept them. Archived articles get an empty list: ``newsarc reextract`` fills it
    from their stored raw pages. Added last, as ``subheadings`` was (m004): only whole-record
    reads and ``--topic`` use it.
    """
    db.table("articles").add_column("topics", str, not_null_default="[]")


@migrations()
def m020_index_per_batch(db: Database) -> None:
    """A batch writer's new articles enter ``articles_fts`` once per batch, in one statement
    before it commits, rather than each through the insert trigger (``fts_waiting``, and the
    triggers that read it: newsarc.store.ftswait). The index and what it holds are unchanged;
    a committed archive's list is empty, so other programs' writes are indexed at once."""
    ftswait.create(db)
