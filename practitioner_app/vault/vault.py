"""A vault on disk: create, unlock (with backoff), lock, change passphrase, back up, restore, check.

A vault is a directory holding the SQLCipher database (`vault.db`), its key file (`vault.key`,
which also keeps the record of failed unlock attempts; it changes only under a lock on the folder),
the audit head kept outside the database (`audit-head.json`), and `backups/`. Vaults made before the failures moved into the key file kept them in
`unlock-failures.json`; it is read once, folded in, and removed.
"""

import contextlib
import json
import os
import tarfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; attempts there are counted but not serialised
    fcntl = None  # type: ignore[assignment]

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Engine

from practitioner_app.domain import passphrase as passphrase_policy
from practitioner_app.domain.errors import InvalidInput, PassphraseNotAccepted, Problem
from practitioner_app.interrupts import Hold, ctrl_c_held_back
from practitioner_app.vault import engine as engine_module
from practitioner_app.vault import files, pending
from practitioner_app.vault.audit_head import HEAD_NAME, AuditHead
from practitioner_app.vault.audit_head import stamp as head_stamp
from practitioner_app.vault.audit_head import write as write_head
from practitioner_app.vault.checks import DatabaseUnreadable, no_room, unreadable_pages
from practitioner_app.vault.errors import SqliteCode, database_problem, os_problem, sqlite_code
from practitioner_app.vault.files import (
    atomic_writer,
    create_private,
    fresh_private_folder,
    make_private_folder,
    refuse_link,
    remove_stale_temps,
    temp_name,
    zero,
)
from practitioner_app.vault.keyfile import (
    PASSPHRASE_SLOT,
    RECOVERY_SLOT,
    KeyFile,
    count_in_place,
    new_data_key,
    new_recovery_key,
    normalise_recovery_key,
)

DB_NAME = "vault.db"
KEY_NAME = "vault.key"
FAILURES_NAME = "unlock-failures.json"
BACKUPS_DIR = "backups"
BACKUP_SUFFIX = ".pcbackup"
# A restore in progress: the backup's files wait here, checked, until they are swapped in, and the
# journal says the swap has begun (so the next start finishes it rather than leave a key file
# and a database from two different vaults).
RESTORE_STAGING = ".restore-staging"
RESTORE_JOURNAL = "restore-journal.json"

# Growing delay after repeated wrong passphrases: free for the first few typos, then doubling.
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 30.0


def backoff_delay(failures: int) -> float:
    if failures < FREE_ATTEMPTS:
        return 0.0
    return float(min(2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_SECONDS))


@dataclass(frozen=True)
class VaultPaths:
    root: Path

    @property
    def db(self) -> Path:
        return self.root / DB_NAME

    @property
    def key(self) -> Path:
        return self.root / KEY_NAME

    @property
    def failures(self) -> Path:
        """Where vaults from before the key file kept the failures (read once, then removed)."""
        return self.root / FAILURES_NAME

    @property
    def backups(self) -> Path:
        return self.root / BACKUPS_DIR

    def exists(self) -> bool:
        return self.key.exists() or self.db.exists()

    def sidecars(self) -> list[Path]:
        return [self.db.with_name(DB_NAME + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _require_good_passphrase(passphrase: str) -> None:
    verdict = passphrase_policy.assess(passphrase)
    if not verdict.accepted:
        raise InvalidInput(verdict.reason)


class UnlockedVault:
    """An open vault: the data key in a buffer we can zero, and an engine keyed from it."""

    def __init__(
        self,
        paths: VaultPaths,
        key_file: KeyFile,
        data_key: bytearray,
        failed_unlocks: list[datetime],
        via_recovery_key: bool,
        failures_total: int | None = None,
    ) -> None:
        self.paths = paths
        self.vault_id = key_file.vault_id
        # Failed attempts not yet in the audit chain, and the count of every failed attempt ever
        # as the key file holds it (None: not known, so not checked).
        self.failed_unlocks = failed_unlocks
        self.failures_total = failures_total
        # Listed attempts whose time cannot be read (the key file is plain JSON): each is still
        # an attempt, audited with its time not known.
        self.unreadable_failures = len(key_file.failed_at) - len(_moments(key_file.failed_at))
        self.via_recovery_key = via_recovery_key
        self._key_file = key_file
        self._data_key = data_key
        self._engine: Engine | None = None
        # The connection that checked the key at unlock, kept for the engine (make_engine).
        self._adopted: Any = None
        # Work a crash interrupted, whose leftovers were removed at this unlock, still to audit.
        self.interrupted: list[pending.Interrupted] = []
        # The vault's disk had no room to open it the usual way (see engine.connect_keyed).
        self.disk_full = False

    # -- keys -------------------------------------------------------------------------------------

    def _key(self) -> bytearray:
        if not any(self._data_key):
            raise RuntimeError("the vault is locked")
        return self._data_key

    @property
    def is_locked(self) -> bool:
        return not any(self._data_key)

    def audit_key(self) -> bytes:
        """The audit chain's HMAC key, derived from the data key so it needs no storage of its own."""
        return HKDF(
            algorithm=hashes.SHA256(),
            length=32,
            salt=None,
            info=b"practitioner-app audit chain v1",
        ).derive(bytes(self._key()))

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            adopted, self._adopted = self._adopted, None
            self._engine = engine_module.make_engine(
                self.paths.db, self._key, exclusive=self.disk_full, adopted=adopted
            )
        return self._engine

    def connect(self) -> Any:
        """A connection of its own (for page checks and backups), beside the engine's. On a full
        disk only one connection may hold the vault, so the engine's are closed first."""
        if self.disk_full and self._engine is not None:
            self._engine.dispose()
        return engine_module.connect(self.paths.db, self._key(), exclusive=self.disk_full)

    def lock(self) -> None:
        """Close every connection, then zero the key so nothing can reopen them."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._adopted is not None:
            self._adopted.close()
            self._adopted = None
        zero(self._data_key)

    def clear_failed_unlocks(self) -> None:
        """Called once the failed attempts have been written to the audit chain: they leave the
        key file's list (attempts made since, by another process, stay); the total stays."""
        audited = {moment.isoformat() for moment in self.failed_unlocks}
        self.failed_unlocks = []
        if audited or self.unreadable_failures:
            self.unreadable_failures = 0
            with contextlib.suppress(OSError), key_file_lock(self.paths):
                on_disk = KeyFile.load(self.paths.key)
                left = tuple(
                    stamp
                    for stamp in on_disk.failed_at
                    if stamp not in audited and _moments((stamp,))  # unreadable: audited too
                )
                if left != on_disk.failed_at:
                    on_disk.with_failures(on_disk.failures_total, left).save(self.paths.key)
        with contextlib.suppress(FileNotFoundError):
            self.paths.failures.unlink()

    def _rewrap(self, slot: str, secret: str, what: str) -> None:
        """A slot wrapped afresh, written over the key file as it is on disk now (under the lock,
        so a failed attempt recorded meanwhile by another process is kept)."""
        try:
            with key_file_lock(self.paths):
                on_disk = KeyFile.load(self.paths.key)
                updated = on_disk.with_slot(slot, self._key(), secret)
                updated.save(self.paths.key)
        except OSError as error:
            raise os_problem(error, what) from None
        self._key_file = updated

    # -- secrets ----------------------------------------------------------------------------------

    def change_passphrase(self, new_passphrase: str) -> None:
        """Re-wrap the data key under a new passphrase: one atomic rename, never half-done."""
        _require_good_passphrase(new_passphrase)
        self._rewrap(PASSPHRASE_SLOT, new_passphrase, "the passphrase change")

    def replace_recovery_key(self) -> str:
        recovery = new_recovery_key()
        self._rewrap(RECOVERY_SLOT, recovery, "making a new recovery key")
        return recovery

    # -- checks -----------------------------------------------------------------------------------

    def damage_report(self) -> list[str]:
        """Problems SQLCipher and SQLite find in the database file; empty when it is sound."""
        problems: list[str] = []
        connection = self.connect()
        try:
            problems += [row[0] for row in connection.execute("PRAGMA cipher_integrity_check")]
            try:
                rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            except engine_module.DatabaseError as error:
                # Damage can stop the check itself (SQLITE_CORRUPT, SQLITE_NOTADB); a bug must not
                # pass for damage.
                if database_problem(error) is None:
                    raise
                rows = [f"integrity check could not finish: {error}"]
            problems += [row for row in rows if row != "ok"]
        finally:
            connection.close()
        return problems

    # -- backups ----------------------------------------------------------------------------------

    def write_backup(
        self, destination: Path, then: Callable[[], str | None] | None = None
    ) -> str | None:
        """An encrypted, self-contained copy of the vault: its key file and a fresh database copy.

        Refuses to write anything when the database is damaged, so the last good backup is never
        replaced by a bad one (SECURITY.md promise 10). The copy is made in an owner-only `.parts`
        folder beside the destination and the archive in a temp file there, renamed into place
        whole; a link at the destination is refused. Only the database is read, so a backup to
        another disk works when the vault's own disk is full.

        `then` (the backup's audit) runs once the archive is in place; what it returns (None, or a
        sentence saying the backup is not audited) is returned. Ctrl-C is held back from the rename
        until `then` returns (interrupts.py), so a finished backup is never left unaudited, and a
        Ctrl-C then carries the sentence (interrupts.Stopped); during the copy before it, Ctrl-C
        stops the backup and leaves nothing behind.
        """
        damage = self.damage_report()
        if damage:
            raise Problem(
                f"The vault is damaged ({damage[0]}), so no backup was made and your existing backups "
                "are untouched; restore the last good one with `practitioner-app restore`."
            )
        destination = destination.expanduser().absolute()
        refuse_link(destination)
        if destination.is_dir():
            raise InvalidInput(f"{destination} is a folder; give a file name for the backup.")
        if not destination.parent.is_dir():
            raise InvalidInput(
                f"The folder {destination.parent} does not exist; create it or choose another."
            )
        staging = temp_name(destination, "parts")
        with contextlib.ExitStack() as held:
            hold = self._write_archive(destination, staging, held)
            hold.note = said = then() if then is not None else None
            return said

    def _write_archive(self, destination: Path, staging: Path, held: contextlib.ExitStack) -> Hold:
        """`write_backup`'s files; Ctrl-C is held (in `held`) from the moment the archive is whole,
        by the hold returned."""
        try:
            with pending.unfinished(
                self.paths.root, "backup", [staging, temp_name(destination)], destination
            ):
                fresh_private_folder(staging)
                copy = staging / DB_NAME
                # VACUUM INTO fills an empty file it is given, so the copy is owner-only from its
                # first byte rather than made with the umask's permissions.
                os.close(create_private(copy))
                connection = self.connect()
                try:
                    # A compact, consistent copy encrypted with the same key.
                    connection.execute("VACUUM INTO ?", (str(copy),))
                finally:
                    connection.close()
                files.step("backup: database copied")
                head = self._seal_head_of(copy, staging)
                with atomic_writer(destination) as handle:
                    with tarfile.open(fileobj=handle, mode="w") as tar:
                        tar.add(self.paths.key, arcname=KEY_NAME)
                        tar.add(copy, arcname=DB_NAME)
                        if head is not None:
                            tar.add(head, arcname=HEAD_NAME)
                    files.step("backup: archive written")
                    hold = held.enter_context(ctrl_c_held_back())
                files.step("backup: archive in place")
            return hold
        except OSError as error:
            raise os_problem(error, "the backup", f"The folder {destination.parent}") from None
        except engine_module.DatabaseError as error:
            problem = database_problem(error)
            if problem is None:
                raise
            raise problem from None

    def _seal_head_of(self, copy: Path, folder: Path) -> Path | None:
        """The copy's audit head (its newest event), sealed with the audit key into `folder`, to
        travel inside the backup: a restore then refuses a database whose chain does not end
        there (vault/restoring.py), so a backup cut short or swapped shows. None for a chain
        with no events (a vault being created)."""
        connection = engine_module.connect(copy, self._key())
        try:
            row = connection.execute(
                "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1"
            ).fetchone()
        finally:
            connection.close()
        if row is None:
            return None
        head = AuditHead(self.vault_id, int(row[0]), str(row[1]), head_stamp(datetime.now(UTC)))
        write_head(folder, self.audit_key(), head)
        return folder / HEAD_NAME

    def backup_into_vault_folder(self, reason: str) -> Path:
        """A timestamped backup in the vault's own backups/ folder (before migrating, restoring)."""
        try:
            make_private_folder(self.paths.backups)
        except OSError as error:
            raise os_problem(error, "the backup") from None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        destination = self.paths.backups / f"{reason}-{stamp}{BACKUP_SUFFIX}"
        self.write_backup(destination)
        return destination


# -- creating and unlocking -------------------------------------------------------------------------


def create(root: Path, passphrase: str, vault_id: str) -> tuple[UnlockedVault, str]:
    """A new, empty vault. Returns it unlocked, with the recovery key to show the user once."""
    _require_good_passphrase(passphrase)
    paths = VaultPaths(root)
    try:
        already = paths.exists()
        a_file = root.exists() and not root.is_dir()
    except OSError as error:  # a name too long for the disk, a folder we may not look in
        raise os_problem(error, "creating the vault") from None
    if already:
        raise Problem(f"There is already a vault in {root}; open it, or choose another folder.")
    if a_file:
        raise InvalidInput(f"{root} is a file, not a folder; choose a folder for the vault.")
    data_key = new_data_key()
    recovery_key = new_recovery_key()
    key_file = (
        KeyFile(vault_id, {})
        .with_slot(PASSPHRASE_SLOT, data_key, passphrase)
        .with_slot(RECOVERY_SLOT, data_key, recovery_key)
    )
    try:
        # The vault's folder may be the user's link to where they keep it; what the app makes
        # inside it is never written through a link.
        if not root.is_dir():
            make_private_folder(root, parents=True)
        key_file.save(paths.key)
        # Made owner-only before SQLite opens it; its -wal and -shm files inherit these permissions.
        os.close(create_private(paths.db))
        engine_module.connect(paths.db, data_key, create=True).close()
    except OSError as error:
        raise os_problem(error, "creating the vault") from None
    except engine_module.DatabaseError as error:
        problem = database_problem(error)
        if problem is None:
            raise
        raise problem from None
    return UnlockedVault(paths, key_file, data_key, [], False), recovery_key


def discard_unfinished(vault: UnlockedVault) -> None:
    """Remove a vault whose creation failed part-way, so no half-made vault is left behind."""
    vault.lock()
    for path in [vault.paths.key, vault.paths.db, *vault.paths.sidecars()]:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _legacy_failures(paths: VaultPaths) -> list[str]:
    """Failed attempts kept in unlock-failures.json by versions before the key file kept them."""
    try:
        stamps = json.loads(paths.failures.read_text("utf-8"))
        return [datetime.fromisoformat(stamp).isoformat() for stamp in stamps]
    except (OSError, ValueError, TypeError):
        return []


def _moments(stamps: tuple[str, ...]) -> list[datetime]:
    moments = []
    for stamp in stamps:
        with contextlib.suppress(ValueError):
            moments.append(datetime.fromisoformat(stamp))
    return moments


@contextlib.contextmanager
def key_file_lock(paths: VaultPaths) -> Iterator[None]:
    """Hold an advisory lock on the vault's folder for the block, so that concurrent unlock
    attempts and key-file changes happen one after another and no count is lost. The folder, not
    a file in it: the key file is replaced by rename (a lock on it would stay on the old one), and
    a lock file would be something written by an attempt the vault refuses."""
    if fcntl is None:
        yield
        return
    fd = os.open(paths.root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _save_quietly(key_file: KeyFile, path: Path) -> bool:
    """Save the key file; False if the disk would not take it (full or read-only), which must not
    stop the practitioner unlocking (the attempt is then counted in place, `_attempt`)."""
    try:
        key_file.save(path)
    except OSError:
        return False
    return True


def describe_missing(root: Path) -> Problem:
    if root.exists() and not root.is_dir():
        return Problem(
            f"{root} is a file, not a vault folder; pass the vault's folder with --vault."
        )
    if not root.exists():
        return Problem(
            f"There is no vault at {root}; create one with `practitioner-app init`, "
            "or point --vault at an existing one."
        )
    paths = VaultPaths(root)
    if paths.db.exists() and not paths.key.exists():
        return Problem(
            f"The vault's key file is missing from {root}; restore the vault from a backup."
        )
    if paths.key.exists() and not paths.db.exists():
        return Problem(
            f"The vault's database is missing from {root}; restore the vault from a backup."
        )
    return Problem(
        f"{root} is not a vault; create one with `practitioner-app init`, "
        "or point --vault at an existing one."
    )


def _unwrap_any(key_file: KeyFile, secret: str) -> tuple[bytearray, bool]:
    """Try the passphrase slot, then (if the secret looks like one) the recovery-key slot."""
    try:
        return key_file.unwrap(PASSPHRASE_SLOT, secret), False
    except PassphraseNotAccepted:
        recovery = normalise_recovery_key(secret)
        if recovery is None or RECOVERY_SLOT not in key_file.slots:
            raise
        return key_file.unwrap(RECOVERY_SLOT, recovery), True


def unlock(root: Path, secret: str, *, sleep: Callable[[float], Any] = time.sleep) -> UnlockedVault:
    """Unwrap the data key with a passphrase or recovery key, and check it opens the database."""
    paths = VaultPaths(root)
    _ready_to_open(paths)
    try:
        with key_file_lock(paths):
            key_file, data_key, via_recovery = _attempt(paths, secret, sleep)
    except OSError as error:
        raise os_problem(error, "unlocking the vault") from None
    failures = _moments(key_file.failed_at)
    return _opened(paths, key_file, data_key, failures, via_recovery, key_file.failures_total)


def _attempt(
    paths: VaultPaths, secret: str, sleep: Callable[[float], Any]
) -> tuple[KeyFile, bytearray, bool]:
    """One unlock attempt under the key-file lock: wait out the backoff, count the attempt as a
    failure before trying (so killing the process mid-try still counts), and take it back if the
    secret was right. Returns the key file as left, the data key, and whether the recovery key
    opened it."""
    on_disk = KeyFile.load(paths.key)
    legacy = tuple(_legacy_failures(paths))
    failed_at = (*on_disk.failed_at, *legacy)
    total = on_disk.failures_total + len(legacy)
    delay = backoff_delay(len(failed_at))
    if delay:
        sleep(delay)
    moment = datetime.now(UTC)
    counted = _save_quietly(
        on_disk.with_failures(total + 1, (*failed_at, moment.isoformat())), paths.key
    )
    # A disk too full for a new key file (or a read-only one) must not be a way to guess freely:
    # the attempt is counted in the room kept inside the key file, rewritten in place.
    in_place = not counted and count_in_place(paths.key, moment, 1)
    if legacy and counted:
        with contextlib.suppress(OSError):
            paths.failures.unlink()
    data_key, via_recovery = _unwrap_any(on_disk, secret)
    settled = on_disk.with_failures(total, failed_at)
    if not _save_quietly(settled, paths.key) and in_place:
        count_in_place(paths.key, moment, -1)
    return settled, data_key, via_recovery


def unlock_with_data_key(root: Path, data_key: bytes | bytearray) -> UnlockedVault:
    """Open a vault whose data key the caller already holds, without running the KDF again.

    For a caller that unwrapped this vault's key moments ago (or a byte-for-byte copy of it) and
    must open it once more. The key is still checked against the database before anything is
    written, and failed unlock attempts on record are still handed on to be audited. There is no
    backoff: it slows passphrase guessing, and whoever holds the data key has nothing to guess.
    The caller's buffer is copied, so locking this vault leaves it as it was.
    """
    paths = VaultPaths(root)
    _ready_to_open(paths)
    key_file = KeyFile.load(paths.key)
    legacy = _legacy_failures(paths)
    failures = _moments((*key_file.failed_at, *legacy))
    total = key_file.failures_total + len(legacy)
    return _opened(paths, key_file, bytearray(data_key), failures, False, total)


def _opened(
    paths: VaultPaths,
    key_file: KeyFile,
    data_key: bytearray,
    failures: list[datetime],
    via_recovery: bool,
    failures_total: int | None = None,
) -> UnlockedVault:
    """The vault, once its key has been checked against the database (zeroed if it does not fit)."""
    disk_full = False
    try:
        try:
            verified = engine_module.connect(paths.db, data_key)
        except engine_module.DatabaseError as error:
            if not no_room(paths.root, error):
                raise
            # Reading needs no free space (issue 16 item 8): open with the log's index in memory.
            verified = engine_module.connect(paths.db, data_key, exclusive=True)
            disk_full = True
    except engine_module.DatabaseError as error:
        problem = database_problem(error)
        if problem is None:
            zero(data_key)
            raise
        if sqlite_code(error) in (SqliteCode.NOTADB, SqliteCode.CORRUPT):
            # The key file's key is the right one for the key file (GCM said so), so the pages
            # say which it is: some damaged (page 1 among them, or SQLite would have read the
            # schema), or every one from another vault.
            damage = unreadable_pages(paths.db, data_key)
            zero(data_key)
            raise DatabaseUnreadable(problem.message, damage) from None
        zero(data_key)
        raise problem from None
    try:
        remove_stale_temps(paths.key)
        remove_stale_temps(paths.root / HEAD_NAME)
    except BaseException:
        verified.close()
        raise
    unlocked = UnlockedVault(paths, key_file, data_key, failures, via_recovery, failures_total)
    unlocked.disk_full = disk_full
    if disk_full:
        # One connection at a time holds a full disk's vault (engine.connect_keyed), and page
        # checks and backups open their own: none is kept.
        verified.close()
    else:
        # The connection that proved the key becomes the engine's first (make_engine says why).
        unlocked._adopted = verified
    # The key fits, so this is the practitioner: what killed work left behind goes now, and is
    # audited once the vault is open (services/workspace.py).
    try:
        unlocked.interrupted = pending.sweep(paths.root)
    except BaseException:
        unlocked.lock()
        raise
    return unlocked


def _ready_to_open(paths: VaultPaths) -> None:
    """Finish a restore a crash interrupted, remove what it staged, and refuse what is not a
    vault's database: a missing file, or an empty one (SQLite would take a 0-byte file for a new
    database and the app would build a new vault inside it)."""
    # Imported here: restoring builds on this module (it unlocks the backup it restores).
    from practitioner_app.vault.restoring import finish_interrupted_restore

    try:
        finish_interrupted_restore(paths)
    except OSError as error:
        raise os_problem(error, "finishing the interrupted restore") from None
    for path, what in ((paths.key, "key file"), (paths.db, "database")):
        if path.is_symlink() or (os.path.lexists(path) and not path.is_file()):
            # Planted or damaged: a link would make the app read (and write) another file as
            # the vault's own; a FIFO or device would block or never end.
            kind = "a link to another file" if path.is_symlink() else "not an ordinary file"
            raise Problem(
                f"The vault's {what} in {paths.root} ({path.name}) is {kind}, so the vault was "
                "not opened and nothing was written; put the file itself back, or restore the "
                "vault from a backup."
            )
    if not (paths.key.is_file() and paths.db.is_file()):
        raise describe_missing(paths.root)
    if paths.db.stat().st_size == 0:
        raise Problem(
            f"The vault's database in {paths.root} is empty (0 bytes), so it was not opened and "
            "nothing was written to it; restore the vault from a backup."
        )
