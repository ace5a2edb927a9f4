"""What the disk and the pages say when a vault will not open the usual way: a full disk (open to
read with the WAL index in memory), or a database whose page 1 does not decrypt with the key file's
key (damaged pages, named, or a database from another vault)."""

import json
import shutil
from pathlib import Path
from typing import Any

from practitioner_app.domain.errors import Problem
from practitioner_app.vault import engine as engine_module
from practitioner_app.vault.errors import SqliteCode, sqlite_code

# SQLCipher 4's default page size, which the app never changes.
PAGE_SIZE = 4096

# Less free space than this on the vault's disk counts as full: SQLite needs whole blocks.
_ROOM_NEEDED_BYTES = 1024 * 1024


def no_room(root: Path, error: BaseException) -> bool:
    """Whether opening failed for want of disk space: an I/O or disk-full error from SQLite
    (growing the -shm file fails with SQLITE_IOERR_SHMSIZE) on a disk with next to no room."""
    if sqlite_code(error) not in (SqliteCode.IOERR, SqliteCode.FULL):
        return False
    try:
        return shutil.disk_usage(root).free < _ROOM_NEEDED_BYTES
    except OSError:
        return False


class DatabaseUnreadable(Problem):
    """The database does not open with the key file's key; `damage` says what the pages show."""

    def __init__(self, message: str, damage: list[str]) -> None:
        super().__init__(message)
        self.damage = damage


def unreadable_pages(db: Path, key: bytearray) -> list[str]:
    """What SQLCipher's page check finds in a database whose page 1 does not decrypt: each
    damaged page by number, or one line if no page at all fits this key file."""
    try:
        connection = engine_module.connect_keyed(db, key)
        try:
            rows = [str(row[0]) for row in connection.execute("PRAGMA cipher_integrity_check")]
        finally:
            connection.close()
    except engine_module.DatabaseError as error:
        return [f"the page check could not run: {error}"]
    pages = max(1, db.stat().st_size // PAGE_SIZE)
    if len(rows) >= pages:
        return [
            "no page of the database fits this vault's key file: the database belongs to "
            "another vault, or is not a vault database"
        ]
    return rows or ["page 1 cannot be read with this vault's key"]


def _one_value_per_name(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for name, value in pairs:
        if name in document:
            raise ValueError(f"the field {name!r} is given twice")
        document[name] = value
    return document


def strict_json(data: bytes) -> Any:
    """A small JSON file the vault keeps (key file, audit head), read strictly: ValueError when it
    is not UTF-8 JSON, names a field twice (which value would hold?), or nests deeper than
    Python's decoder can follow (a RecursionError would be a traceback, not a sentence)."""
    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=_one_value_per_name)
    except RecursionError:
        raise ValueError("nested too deeply") from None
