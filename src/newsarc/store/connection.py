"""Opening an archive: connections, pragmas, and upgrading old archives in place.

Reading commands use :func:`connect`, which needs only the stdlib ``sqlite3`` module; importing
sqlite-utils (about 90 ms) happens only when an archive has to be created or upgraded.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Union

from newsarc.errors import InputError, StoreError
from newsarc.store.nocase import register as register_nocase

if TYPE_CHECKING:
    from sqlite_utils import Database

log = logging.getLogger(__name__)

MIGRATION_SET = "newsarc"
# Every migration in newsarc.store.schema, in order (a test checks they agree). Kept here so
# that checking whether an archive is up to date does not import sqlite-utils.
MIGRATIONS = (
    "m001_initial",
    "m002_cjk_index",
    "m003_batch",
    "m004_subheadings",
    "m005_source_validators",
    "m006_minhash_v2",
    "m007_robots",
    "m008_source_ids_never_reused",
    "m009_dated_out",
    "m010_band_keys_for_every_article",
    "m011_listing_state",
    "m012_search_forms_and_tokenizers",
    "m013_published_utc",
    "m014_folded_letters",
    "m015_modified",
    "m016_latest_change_utc",
    "m017_source_failing_since",
    "m018_source_moves_and_failures_kept",
    "m019_article_topics",
    "m020_index_per_batch",
)
# Migrations that read every article again, and the size of archive they are worth a word for.
_REREADING = {
    "m006_minhash_v2",
    "m010_band_keys_for_every_article",
    "m012_search_forms_and_tokenizers",
    "m014_folded_letters",
}
_LARGE_ARCHIVE = 5000
# Two writers (cron ingest and a hand-run fetch) queue for up to this long instead of
# failing with "database is locked".
BUSY_TIMEOUT = 30.0

Conn = Union[sqlite3.Connection, "Database"]


# Imported by sqlite-utils only to map their scalar types to column types, which newsarc never
# inserts: numpy alone is about 50 ms of every writing command's start, pandas several times that.
_NOT_NEEDED_BY_SQLITE_UTILS = ("numpy", "pandas")


def load_sqlite_utils() -> ModuleType:
    """Import sqlite-utils without the numpy and pandas it would import if installed.

    Each is hidden (``None`` in ``sys.modules`` makes its import fail, as when it is not
    installed) only while sqlite-utils is first imported, and only when nothing has imported
    it yet; afterwards anything may import it as usual. Should a later sqlite-utils need one of
    them, it is imported again with them visible. (Another thread importing numpy for the
    first time during those milliseconds would fail: newsarc opens its archive before it
    starts threads.)
    """
    if (module := sys.modules.get("sqlite_utils")) is not None:
        return module
    hidden = [name for name in _NOT_NEEDED_BY_SQLITE_UTILS if name not in sys.modules]
    try:
        for name in hidden:
            sys.modules[name] = None  # type: ignore[assignment]
        try:
            import sqlite_utils
        finally:
            for name in hidden:
                if sys.modules.get(name, False) is None:
                    del sys.modules[name]
    except ImportError:
        for name in [
            m for m in sys.modules if m == "sqlite_utils" or m.startswith("sqlite_utils.")
        ]:
            del sys.modules[name]
        import sqlite_utils
    return sqlite_utils


def database(conn: sqlite3.Connection) -> Database:
    """``conn`` as a sqlite-utils Database, without sqlite-utils plugins.

    Plugins add SQL functions to a connection; an archive's writers need none, and finding
    them scans every installed package's entry points (about 13 ms).
    """
    return load_sqlite_utils().Database(conn, execute_plugins=False)


def raw(db: Conn) -> sqlite3.Connection:
    """The sqlite3 connection behind a connection or a sqlite-utils Database."""
    return db if isinstance(db, sqlite3.Connection) else db.conn


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open an existing archive with plain sqlite3, upgrading it first if it is behind.

    A missing file is an error (it is never created here). With ``readonly`` the connection
    refuses writes (``PRAGMA query_only``) once any upgrade is done.
    """
    file = archive_file(path)
    if not file.exists():
        raise StoreError(f"no archive at {path} (run newsarc fetch first)")
    if file.is_dir():
        raise StoreError(f"{path} is a directory, not a newsarc archive")
    if readonly:
        return _open_for_reading(file)
    conn = _open(file, create=False)
    try:
        _check_archive(conn, file, creating=False)
        if pending_migrations(conn):
            migrate(conn, file)
    except BaseException:
        conn.close()
        raise
    return conn


def archive_file(path: str | Path) -> Path:
    """The archive's file. SQLite's names for a database that is no file (``:memory:``, an
    empty name) are refused: an archive lives in a file, beside its write-ahead log and its
    ingest lock, and ``Path(":memory:")`` would have created a file of that name."""
    if str(path) in ("", ":memory:"):
        raise InputError(f"not an archive file name: {str(path)!r} (an archive is a file)")
    return Path(path)


def reading_modes(file: Path) -> list[str]:
    """The URI parameters a reader tries, in order, to open ``file``.

    An archive the user may write (file and folder) opens as usual. One they may only read (a
    shared archive, a read-only mount) opens ``mode=ro``, which still needs to create or write
    the ``-shm`` file beside it; when even that is refused, ``immutable=1`` reads the file
    alone (what another program has in ``-wal`` and not yet checkpointed is not seen).
    """
    if os.access(file, os.W_OK) and os.access(file.parent, os.W_OK):
        return ["mode=rw"]
    return ["mode=ro", "immutable=1"]


def _open_for_reading(file: Path) -> sqlite3.Connection:
    modes = reading_modes(file)
    for n, mode in enumerate(modes):
        try:
            conn = _open(file, create=False, params=mode)
        except StoreError:
            if n + 1 < len(modes):
                continue
            raise
        try:
            _check_archive(conn, file, creating=False)
            if pending_migrations(conn):
                if mode != "mode=rw":
                    raise StoreError(
                        f"{file} needs upgrading by this newsarc version, which takes write "
                        "access: run any command once as a user who may write it"
                    )
                migrate(conn, file)
            _warn_if_newer(conn, file)
            conn.execute("PRAGMA query_only = ON")
        except BaseException:
            conn.close()
            raise
        return conn
    raise AssertionError("unreachable")


def open_db(path: str | Path) -> Database:
    """Open (creating it and its folder if needed) and upgrade an archive for writing."""
    file = archive_file(path)
    if file.is_dir():
        raise StoreError(f"{path} is a directory, not a newsarc archive")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the folder for {path}: {exc.strerror or exc}") from None
    conn = _open(file, create=True)
    try:
        _check_archive(conn, file, creating=True)  # before the journal mode is written
        _refuse_if_newer(conn, file)
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":
            log.warning("%s: journal mode is %s, not WAL; readers may wait for writers", path, mode)
        if pending_migrations(conn):
            migrate(conn, file)
        _index_left_waiting(conn, file)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _open_error(file, exc) from None
    except BaseException:
        conn.close()
        raise
    return database(conn)


def _index_left_waiting(conn: sqlite3.Connection, file: Path) -> None:
    """Index the articles a batch writer committed without indexing them (``store.ftswait``;
    newsarc's own writers never do): otherwise one read of an empty table, without a lock."""
    from newsarc.store.ftswait import TABLE, index_waiting

    if conn.execute(f"SELECT 1 FROM {TABLE} LIMIT 1").fetchone() is None:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        if index_waiting(conn):
            log.warning("%s: indexed articles that a batch had left out of the search index", file)
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def close(db: Conn) -> None:
    """Close an archive, folding its write-ahead log back into the archive file first.

    What a command wrote lives in ``<archive>-wal`` until a checkpoint: a user who backs up
    ``archive.db`` alone would miss it. SQLite checkpoints when the last connection closes;
    the explicit PASSIVE checkpoint also copies what it can while a reader keeps the archive
    open. Never raises for the checkpoint (a read-only or busy archive keeps its log, which
    SQLite reads as part of the archive).
    """
    conn = raw(db)
    try:
        if conn.in_transaction:
            conn.rollback()
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.Error as exc:
        log.debug("no checkpoint on closing the archive: %s", exc)
    conn.close()


def _check_archive(conn: sqlite3.Connection, file: Path, *, creating: bool) -> None:
    """Refuse a database newsarc did not make, before anything is written to it: a mistyped
    ``--db`` naming another program's database must not gain newsarc's tables. An empty one
    (a new or 0-byte file) becomes an archive only for a command that may create one."""
    ours = (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
        ).fetchone()
        and conn.execute(
            "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? LIMIT 1", (MIGRATION_SET,)
        ).fetchone()
    )
    if ours:
        return
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' "
            "ESCAPE '!' ORDER BY name"
        )
    ]
    if tables:
        shown = ", ".join(tables[:3]) + (f" and {len(tables) - 3} more" if len(tables) > 3 else "")
        raise StoreError(f"{file} is not a newsarc archive (it holds other tables: {shown})")
    if not creating:
        raise StoreError(f"{file} is an empty database, no archive yet (run newsarc fetch first)")


def pending_migrations(db: Conn) -> list[str]:
    """Names of newsarc migrations not yet applied to this archive (read-only check)."""
    conn = raw(db)
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    if not has_table:
        return list(MIGRATIONS)
    applied = {
        row[0]
        for row in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,)
        )
    }
    return [name for name in MIGRATIONS if name not in applied]


def newer_migrations(db: Conn) -> list[str]:
    """Names of newsarc migrations applied to this archive that this version does not know:
    a newer newsarc has upgraded it. None for a database without migrations yet."""
    known = set(MIGRATIONS)
    has_table = (
        raw(db)
        .execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'")
        .fetchone()
    )
    if not has_table:
        return []
    return [
        name
        for (name,) in raw(db).execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
            (MIGRATION_SET,),
        )
        if name not in known
    ]


def _warn_if_newer(conn: sqlite3.Connection, file: Path) -> None:
    """Say so when a newer newsarc has upgraded the archive: this version still reads it (new
    versions add tables, columns and indexes), but what it finds may miss what they added."""
    newer = newer_migrations(conn)
    if newer:
        log.warning(
            "%s was upgraded by a newer newsarc (%s); this version reads it as it can:"
            " upgrade newsarc",
            file,
            ", ".join(newer),
        )


def _refuse_if_newer(conn: sqlite3.Connection, file: Path) -> None:
    """Refuse to write to an archive a newer newsarc has upgraded: what this version writes
    knows nothing of what the newer one added (a column it fills, an index or table it keeps
    in step with the articles), and would leave those wrong or missing for it."""
    newer = newer_migrations(conn)
    if newer:
        raise StoreError(
            f"{file} was upgraded by a newer newsarc ({', '.join(newer)}); this version "
            "does not write to it, which could damage what the newer one keeps: upgrade "
            "newsarc (reading commands still work)"
        )


def check_writable(path: str | Path) -> None:
    """StoreError if the archive at ``path`` exists and a newer newsarc has upgraded it (see
    :func:`open_db`, which refuses it too): for a writer that opens its archive only once it
    has something to save, so that it says so before fetching anything. Nothing else is
    checked here (a missing or broken archive is :func:`open_db`'s to report)."""
    try:
        file = archive_file(path)
        if not file.is_file():
            return
        conn = _open(file, create=False, params="mode=ro")
    except (StoreError, InputError, OSError):
        return
    try:
        _refuse_if_newer(conn, file)
    except sqlite3.Error:
        return
    finally:
        conn.close()


def migrate(conn: sqlite3.Connection, path: str | Path = "archive") -> None:
    """Apply pending migrations in one write transaction (concurrent openers queue)."""
    load_sqlite_utils()  # before the schema module imports it
    from newsarc.store.schema import migrations

    if conn.in_transaction:
        conn.commit()
    db = database(conn)
    try:
        # IMMEDIATE takes the write lock first: a second process opening a new archive at the
        # same moment waits, then finds the migrations applied and does nothing.
        conn.execute("BEGIN IMMEDIATE")
        names = [m.name for m in migrations.pending(db)]
        _say_if_long(conn, path, names)
        migrations.apply(db)
        conn.commit()
    except sqlite3.DatabaseError as exc:
        if conn.in_transaction:
            conn.rollback()
        raise StoreError(f"{path} is not a newsarc archive or cannot be upgraded: {exc}") from None
    if names:
        log.info("%s: applied migrations %s", path, ", ".join(names))


def _say_if_long(conn: sqlite3.Connection, path: str | Path, names: list[str]) -> None:
    """Warn before an upgrade that rereads every article (band keys, the search index) of a
    large archive: it takes about a minute per 100,000 articles, and the command that opened
    the archive (a search, say) would otherwise sit there without a word."""
    if not set(names) & _REREADING:
        return
    has_articles = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles'"
    ).fetchone()
    count = conn.execute("SELECT count(*) FROM articles").fetchone()[0] if has_articles else 0
    if count >= _LARGE_ARCHIVE:
        log.warning(
            "%s: upgrading the archive for this version of newsarc (%d articles): "
            "this runs once and may take a few minutes",
            path,
            count,
        )


def archive_path(db: Conn) -> str:
    """The file behind a connection, for messages (``archive`` when SQLite cannot say)."""
    try:
        for _seq, name, file in raw(db).execute("PRAGMA database_list"):
            if name == "main" and file:
                return str(file)
    except sqlite3.Error:
        pass
    return "archive"


def _open(file: Path, *, create: bool, params: str = "") -> sqlite3.Connection:
    uri = file.absolute().as_uri() + "?" + (params or ("mode=rwc" if create else "mode=rw"))
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT)
    except sqlite3.Error as exc:
        raise _open_error(file, exc) from None
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        # The first real read: fails here when the file is not an SQLite database.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _open_error(file, exc) from None
    # Every connection can filter by a name in any script (store.nocase), so no reader or
    # writer needs a step of its own before it filters.
    register_nocase(conn)
    return conn


def _open_error(file: Path, exc: sqlite3.Error) -> StoreError:
    message = str(exc)
    if "not a database" in message:
        return StoreError(f"{file} is not a newsarc archive (not an SQLite database)")
    return StoreError(f"cannot open archive {file}: {message}")
