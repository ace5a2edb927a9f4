"""Environmental failures (SQLite result codes, errno) turned into the one sentence a user sees.

qutebrowser's `misc/sql.py` is the model: a locked, full, read-only or damaged vault is the world
getting in the way, and the practitioner can act on it; any other database error is a bug and must
crash loudly. Errors are recognised by their codes, never by their English text, which SQLite and
the operating system are free to reword.
"""

import errno
from enum import IntEnum

from practitioner_app.domain.errors import Problem


class SqliteCode(IntEnum):
    """SQLite's primary result codes (https://sqlite.org/rescode.html) that this app looks at."""

    ERROR = 1
    PERM = 3
    BUSY = 5
    LOCKED = 6
    READONLY = 8
    IOERR = 10
    CORRUPT = 11
    FULL = 13
    CANTOPEN = 14
    CONSTRAINT = 19
    NOTADB = 26


def sqlite_code(error: BaseException) -> int | None:
    """The primary SQLite result code an error carries, or None when it carries none.

    sqlcipher3 (like Python 3.11's sqlite3) puts it on the exception as `sqlite_errorcode`, and
    SQLAlchemy keeps the driver's exception as `orig`. An extended code (SQLITE_IOERR_WRITE, 778)
    holds its primary code in the low byte.
    """
    for candidate in (error, getattr(error, "orig", None)):
        code = getattr(candidate, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF
    return None


_FULL = "The disk is full, so nothing was saved; free some space and try again."
_READ_ONLY = (
    "The vault is on a read-only disk or folder, so nothing was saved; "
    "move it somewhere you can write to and try again."
)
_CANNOT_OPEN = (
    "The vault's database file could not be opened; check the vault folder exists and "
    "that you can write to it."
)
_BUSY = "The vault is busy in another window or command; close it and try again."

_DATABASE_SENTENCES: dict[int, str] = {
    SqliteCode.FULL: _FULL,
    SqliteCode.READONLY: _READ_ONLY,
    SqliteCode.CANTOPEN: _CANNOT_OPEN,
    # The access a new database file needs could not be had: the same remedy as CANTOPEN.
    SqliteCode.PERM: _CANNOT_OPEN,
    # SQLCipher's answer to a wrong key: page 1 does not decrypt, so it is "not a database".
    SqliteCode.NOTADB: (
        "The vault's database does not match its key file or is damaged; "
        "run `practitioner-app verify`, then restore from a backup if it fails."
    ),
    SqliteCode.CORRUPT: (
        "The vault's database is damaged; run `practitioner-app verify`, then restore from a backup."
    ),
    SqliteCode.IOERR: (
        "The disk reported an error while reading or writing the vault; check the disk, then run "
        "`practitioner-app verify`."
    ),
    SqliteCode.BUSY: _BUSY,
    SqliteCode.LOCKED: _BUSY,
}


def database_problem(error: BaseException) -> Problem | None:
    """A Problem for an environmental database error (full, read-only, locked, not a database,
    damaged), or None for anything else, which is a bug and must propagate."""
    code = sqlite_code(error)
    sentence = None if code is None else _DATABASE_SENTENCES.get(code)
    return None if sentence is None else Problem(sentence)


_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}
# EPERM: an immutable file or folder (chattr +i), or a sandbox refusing the write.
_NOT_WRITABLE = {errno.EACCES, errno.EROFS, errno.EPERM}


def os_problem(error: OSError, doing: str, place: str = "The vault folder") -> Problem:
    """The sentence for a file operation (`doing`: "the backup") that the operating system
    refused, in `place` (the vault's folder unless another is named, as for an export). Every
    OSError is the environment answering, so each gets a sentence."""
    if error.errno in _DISK_FULL:
        return Problem(
            f"The disk is full, so {doing} did not happen; free some space and try again."
        )
    if error.errno in _NOT_WRITABLE:
        remedy = "move it to a writable disk" if place == "The vault folder" else "choose another"
        return Problem(
            f"{place} cannot be written to, so {doing} did not happen; "
            f"check its permissions or {remedy}."
        )
    return Problem(
        f"{doing.capitalize()} failed because the disk reported an error: {error.strerror}."
    )
