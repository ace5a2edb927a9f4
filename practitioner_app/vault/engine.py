"""SQLCipher connections for SQLAlchemy: keyed first, verified, then configured.

ARCHITECTURE.md "Storage": the key never goes in a URL. Each new connection runs `PRAGMA key` as its
first statement and a verifying read as its second; a wrong key fails there with SQLITE_NOTADB
("file is not a database"; vault/errors.py says it to the user). Only then are the remaining pragmas
set.
"""

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

# 32 MiB of decrypted pages: with SQLCipher every page evicted and read again costs a decrypt
# and an HMAC check (about 11 us a page here), and random UUID keys touch pages all over each
# index. Measured for issue 19: search is what needs more than 16. bm25 reads the size of every
# document a word is in (search_index_docsize, 15 MB at 4,000 children), besides the word's own
# lists; the bench's 20 searches read 29 MB of pages at 4,000 children. With 16 MiB each round
# of them decrypted 10,900 pages again and took 1.27 times plain SQLite's time; with 32, none,
# and 0.99 times. What it costs: up to 16 MB more once opening children and searching have
# filled it (the caseload's alerts read with 16: store/bulk_sqlite.SCAN_PAGE_CACHE_MIB). 64 MiB
# held 50 MB more at 400 children and made only the caseload's alerts faster (12%).
PAGE_CACHE = "PRAGMA cache_size = -32768"

PRAGMAS = (
    # No `cipher_memory_security`: SQLCipher keeps its keys on a private heap of its own, locked
    # out of swap and overwritten when freed, with or without it. What it adds is the same for
    # every allocation SQLite makes (pages, statements): an mlock and an munlock system call
    # each, for the whole process, and it cannot be turned off again once on. Measured on the
    # 400-child vault (issue 19): reading the schema at each connection took 14 ms instead of
    # 1.4, the unlock 18 ms more, search three times as long. And it would not keep record text
    # out of swap or memory dumps: the same text is in Python strings, which nothing locks or
    # wipes, and mlock stops at RLIMIT_MEMLOCK (8 MiB for a user) below the 32 MiB page cache.
    # SQLCipher itself has left it off by default since 4.5.0 for its cost. Swap and
    # hibernation files are the operating system's to encrypt (SECURITY.md's threat model).
    "PRAGMA cipher_log_level = NONE",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA journal_mode = WAL",
    # FULL: a commit that returned has reached the disk, even in WAL mode (SECURITY.md promise 7).
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    PAGE_CACHE,
)

DatabaseError = sqlcipher3.dbapi2.DatabaseError

# Rows a `fetchall` reads at a time. The driver's own fetchall builds every row in C without
# giving up the interpreter lock between them, so the window's thread waits for the whole read
# (the worker reads the caseload's visits for its alerts: 421,868 rows at 4,000 children held
# another thread off for 50 ms). Between chunks the window gets its turn: 7 ms at most on the
# same read (issue 19), at no measurable cost to the read.
FETCH_CHUNK = 500


class _Cursor(sqlcipher3.Cursor):  # type: ignore[misc]  # the driver is untyped
    def fetchall(self) -> list[Any]:
        rows: list[Any] = []
        while chunk := self.fetchmany(FETCH_CHUNK):
            rows += chunk
        return rows


class _Connection(sqlcipher3.Connection):  # type: ignore[misc]  # the driver is untyped
    """The driver's connection, with cursors that read `fetchall` in chunks."""

    def cursor(self, factory: Any = _Cursor) -> Any:
        return super().cursor(factory)


def _key_pragma(key: bytes | bytearray) -> str:
    # A raw 256-bit key in SQLCipher's blob syntax skips its own PBKDF2: opening costs < 1 ms.
    return f"PRAGMA key = \"x'{bytes(key).hex()}'\""


@cache
def silence_sqlcipher() -> None:
    """Stop SQLCipher logging to stderr, for the whole process.

    By default it prints "hmac check failed for pgno=1" when a key is wrong or a page is damaged.
    The log level is process-wide, so setting it once on a throwaway in-memory connection silences
    every later connection while keeping `PRAGMA key` the first statement each one runs.
    """
    scratch = sqlcipher3.connect(":memory:")
    try:
        scratch.execute("PRAGMA cipher_log_level = NONE").fetchall()
    finally:
        scratch.close()


def _uri(db_path: Path, mode: str) -> str:
    # mode=rw: SQLite opens the file that is there and never makes one, so a vault.db deleted or
    # renamed behind the app's back is reported, never silently replaced by an empty database.
    return f"file:{quote(str(db_path.absolute()))}?mode={mode}"


def connect_keyed(
    db_path: Path, key: bytes | bytearray, *, create: bool = False, exclusive: bool = False
) -> Any:
    """A DB-API connection whose first statement is the key, and nothing else yet: for checking
    pages (`PRAGMA cipher_integrity_check`) of a file whose page 1 may not decrypt.

    `exclusive`: for a vault whose disk is full. In WAL mode SQLite keeps its index of the log
    in a `-shm` file it must grow on disk, and with no free block that fails (SQLITE_IOERR), so
    not even a read works. With EXCLUSIVE locking set before the first read the index lives in
    memory instead (https://sqlite.org/wal.html#noshm), at the price of one connection at a time.
    """
    silence_sqlcipher()
    connection = sqlcipher3.connect(
        _uri(db_path, "rwc" if create else "rw"),
        uri=True,
        isolation_level=None,
        check_same_thread=False,
        factory=_Connection,
    )
    try:
        connection.execute(_key_pragma(key))
        if exclusive:
            connection.execute("PRAGMA locking_mode = EXCLUSIVE").fetchall()
    except BaseException:
        connection.close()
        raise
    return connection


def connect(
    db_path: Path, key: bytes | bytearray, *, create: bool = False, exclusive: bool = False
) -> Any:
    """One keyed, verified, configured DB-API connection to an existing database file (a new one
    only when `create` is set; `exclusive` as for `connect_keyed`)."""
    connection = connect_keyed(db_path, key, create=create, exclusive=exclusive)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        for pragma in PRAGMAS:
            connection.execute(pragma).fetchall()
    except BaseException:
        connection.close()
        raise
    return connection


def make_engine(
    db_path: Path,
    key_source: Callable[[], bytearray],
    *,
    exclusive: bool = False,
    adopted: Any = None,
) -> Engine:
    """An engine whose connections are keyed from `key_source` at the moment they are opened.

    The key is read through a callable so that a locked vault (zeroed buffer) cannot open new
    connections with a stale copy. `exclusive` (a full disk, see `connect_keyed`) allows one
    connection only. `adopted`: a connection `connect` opened on this file with this key (the
    unlock's check of the key), taken as the engine's first instead of opening another: each new
    connection reads and parses the whole schema again, the dearest part of opening one.
    """
    spare = [adopted] if adopted is not None else []

    def creator() -> Any:
        key = key_source()  # raises once the vault is locked, adopted connection or not
        if spare:
            return spare.pop()
        return connect(db_path, key, exclusive=exclusive)

    engine = create_engine(
        "sqlite+pysqlite://",
        module=sqlcipher3.dbapi2,
        creator=creator,
        # The URL names no file (the creator opens it), so say which pool: a small queue of
        # connections, each opened in well under a millisecond with a raw key.
        poolclass=QueuePool,
        pool_size=1 if exclusive else 2,
        max_overflow=0 if exclusive else 2,
        # A statement's values are record text: kept out of SQLAlchemy's error messages, and so
        # out of tracebacks and logs (SECURITY.md: no case data in logs or error messages).
        hide_parameters=True,
    )

    # The driver's own transaction handling is off (isolation_level=None above); we begin explicitly.
    # IMMEDIATE takes the write lock at the start, so two writers (the app and a CLI run) cannot both
    # read the same audit chain head and fork it.
    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    # A connection goes back to the pool with the vault's own page cache, whatever its unit of
    # work set (an import's larger one: store/bulk_sqlite.py). Set back here, not in a `finally`
    # of the import's: that ran on a connection SQLAlchemy may just have dropped (Ctrl-C inside
    # a statement) or rolled back (a new transaction and the write lock, for one pragma), and
    # its error replaced the one on its way out. SQLAlchemy logs an error here and drops the
    # connection.
    @event.listens_for(engine, "reset")
    def _own_page_cache(dbapi_connection: Any, *_: Any) -> None:
        dbapi_connection.execute(PAGE_CACHE)

    return engine


def sqlcipher_version() -> str:
    """The SQLCipher library's version, from a keyless in-memory connection."""
    silence_sqlcipher()
    scratch = sqlcipher3.connect(":memory:")
    try:
        row = scratch.execute("PRAGMA cipher_version").fetchone()
        return str(row[0]) if row else "unknown"
    finally:
        scratch.close()
