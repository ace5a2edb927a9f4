"""Restoring a vault from a backup, crash-safe at every step (issue 16 item 2).

The backup is unpacked into `.restore-staging/` inside the vault folder and checked there (it must
unlock with the secret given and pass the integrity checks); the vault being replaced is kept whole,
WAL included, as a backup file of its own; only then is a journal written and the two files swapped
in. A crash before the journal leaves the vault as it was (the staging is removed at the next
start); a crash after it is finished at the next start, so the key file and the database never
stay from two different vaults, and nothing committed is lost.
"""

import contextlib
import json
import os
import shutil
import stat
import tarfile
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; restores there are not serialised
    fcntl = None  # type: ignore[assignment]

from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.vault import files
from practitioner_app.vault.audit_head import (
    HEAD_NAME,
    MAX_HEAD_BYTES,
    AuditHead,
    HeadFileAltered,
    stamp,
)
from practitioner_app.vault.audit_head import read as read_head
from practitioner_app.vault.audit_head import write as write_head
from practitioner_app.vault.errors import os_problem
from practitioner_app.vault.files import (
    atomic_write,
    atomic_writer,
    create_private,
    fresh_private_folder,
    fsync_directory,
    make_private_folder,
    open_lock_file,
    remove_stale_temps,
    remove_tree,
)
from practitioner_app.vault.vault import (
    BACKUP_SUFFIX,
    DB_NAME,
    KEY_NAME,
    RESTORE_JOURNAL,
    RESTORE_STAGING,
    UnlockedVault,
    VaultPaths,
    unlock,
)

# A backup holds the key file and the database, may hold the audit head sealed when it was made
# (vault.write_backup) and a write-ahead log (the copy kept of a vault replaced by a restore);
# anything else means it is not one of ours.
_BACKUP_REQUIRED = {KEY_NAME, DB_NAME}
_BACKUP_ALLOWED = {KEY_NAME, DB_NAME, DB_NAME + "-wal", HEAD_NAME}
_MAX_BACKUP_KEY_BYTES = 64 * 1024
_SMALL_MEMBERS = {KEY_NAME: _MAX_BACKUP_KEY_BYTES, HEAD_NAME: MAX_HEAD_BYTES}

# Held for a whole restore, from the staging folder to the restored vault's first unlock, and
# briefly by every unlock before it finishes or clears what a killed restore left. A file of its
# own: the key-file lock (vault.key_file_lock, on the folder) is taken by the restore's own
# unlocks, and a second flock on the folder from this process would wait for itself.
RESTORE_LOCK = ".restore.lock"
# Roots whose restore lock this thread holds, so its own unlocks inside a restore pass through.
_held = threading.local()


def _held_roots() -> dict[str, int]:
    if not hasattr(_held, "roots"):
        _held.roots = {}
    roots: dict[str, int] = _held.roots
    return roots


@contextlib.contextmanager
def restore_lock(root: Path, busy: str, *, create: bool = True) -> Iterator[None]:
    """Hold the vault's restore lock for the block, or raise Problem(`busy`) at once when another
    process (or thread) holds it: two restores at once would each remove the other's staging and
    set aside the other's half-swapped vault. Re-entrant within one thread. `create` False (an
    unlock): the lock file is not made, since a refused unlock writes nothing; without one no
    restore is under way, as a restore makes it before anything else."""
    key = str(root.absolute())
    roots = _held_roots()
    if key in roots or fcntl is None or not root.is_dir():
        roots[key] = roots.get(key, 0) + 1
        try:
            yield
        finally:
            roots[key] -= 1
            if not roots[key]:
                del roots[key]
        return
    path = root / RESTORE_LOCK
    fd = _take_lock_file(path, busy, create)
    try:
        roots[key] = 1
        try:
            yield
        finally:
            del roots[key]
            if fd is not None and create:
                # Removed while still held, so a refused or finished restore leaves the folder as
                # it found it; a process that opened it meanwhile sees it gone and tries afresh.
                with contextlib.suppress(OSError):
                    path.unlink()
    finally:
        if fd is not None:
            os.close(fd)  # closing releases the lock


def _take_lock_file(path: Path, busy: str, create: bool) -> int | None:
    """The lock file's descriptor, flocked; None when there is no lock file to take (`create`
    False, or a full disk). A lock taken on a file that was removed meanwhile (its restore just
    ended) is let go and the file opened afresh."""
    assert fcntl is not None
    for _ in range(5):
        try:
            fd = open_lock_file(path, create=create)
        except OSError as error:  # a link planted there, a folder of that name
            raise os_problem(error, "the restore") from None
        if fd is None:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise Problem(busy) from None
        try:
            same = os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)
    raise Problem(busy)


RESTORE_BUSY = (
    "Another restore of this vault is under way; wait for it to finish, then open the vault to "
    "check it before restoring again."
)
OPEN_DURING_RESTORE = (
    "A restore of this vault is under way; wait for it to finish, then open the vault again."
)


def _extract_backup(backup: Path, staging: Path) -> None:
    not_a_backup = InvalidInput(
        f"{backup.name} is not a vault backup made by this app; choose a file made by "
        "`practitioner-app backup`."
    )
    try:
        # Only a regular file: /dev/zero would be read for ever and a FIFO would block.
        fd = _open_regular(backup)
        with os.fdopen(fd, "rb") as archive, tarfile.open(fileobj=archive, mode="r:") as tar:
            members = tar.getmembers()
            names = {m.name for m in members}
            if len(names) != len(members) or not _BACKUP_REQUIRED <= names <= _BACKUP_ALLOWED:
                raise not_a_backup
            for member in members:
                if not member.isfile():
                    raise not_a_backup
                if member.size > _SMALL_MEMBERS.get(member.name, member.size):
                    raise not_a_backup
                source = tar.extractfile(member)
                if source is None:
                    raise not_a_backup
                target = os.fdopen(create_private(staging / member.name), "wb")
                with source, target:
                    shutil.copyfileobj(source, target)
                    target.flush()
                    os.fsync(target.fileno())
    except FileNotFoundError:
        raise InvalidInput(f"There is no backup file at {backup}; check the path.") from None
    except (tarfile.TarError, EOFError):
        raise not_a_backup from None


def _open_regular(path: Path) -> int:
    """A read-only descriptor on `path`, which must be a regular file (InvalidInput otherwise)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InvalidInput(f"{path} is a folder; give the backup file itself.")
        if not stat.S_ISREG(mode):
            raise InvalidInput(
                f"{path} is not an ordinary file (it is a device, pipe or socket); "
                "give the backup file itself."
            )
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def restore(root: Path, backup: Path, secret: str) -> tuple[UnlockedVault, Path | None]:
    """Replace the vault at `root` with a backup, keeping what was there as a backup of its own.

    The backup must unlock with `secret` (its passphrase or recovery key) and pass the integrity
    checks before anything at `root` is touched, and the vault being replaced is kept whole (WAL
    included) in backups/ before anything of it is removed. Then a journal is written and the two
    files swapped in; a crash from there on is finished at the next start (`_ready_to_open`), so
    the key file and database never stay from two different vaults. Returns the restored vault,
    unlocked, and where the replaced vault was kept (None if there was none).
    """
    make_vault_folder(root)
    with restore_lock(root, RESTORE_BUSY):
        return _restore(root, backup, secret)


def make_vault_folder(root: Path) -> None:
    """The folder a restore fills, made owner-only if it is not there yet. The vault's folder may
    be the user's link to where they keep it; what the app makes inside it is never written
    through a link."""
    try:
        if not root.is_dir():
            make_private_folder(root, parents=True)
    except OSError as error:
        raise os_problem(error, "the restore") from None


def _restore(root: Path, backup: Path, secret: str) -> tuple[UnlockedVault, Path | None]:
    paths = VaultPaths(root)
    staging = root / RESTORE_STAGING
    try:
        finish_interrupted_restore(paths)
        fresh_private_folder(staging)
    except OSError as error:
        raise os_problem(error, "the restore") from None
    try:
        _extract_backup(backup, staging)
        files.step("restore: backup unpacked")
        staged = unlock(staging, secret, sleep=lambda _: None)
        try:
            damage = staged.damage_report()
            if not damage:
                _stage_audit_head(staged, _head_it_carries(staged, backup))
        finally:
            staged.lock()
        if damage:
            raise Problem(
                f"That backup is damaged ({damage[0]}), so nothing was restored; "
                "try an older backup."
            )
        # The staged vault was opened, which may have left its own -wal/-shm: only the two files
        # go across, so clear those (the staged database was checkpointed when it was closed).
        for sidecar in VaultPaths(staging).sidecars():
            sidecar.unlink(missing_ok=True)
        files.step("restore: backup checked")
        kept = _set_aside_current(paths) if paths.exists() else None
        files.step("restore: current vault kept")
        atomic_write(root / RESTORE_JOURNAL, json.dumps({"kept": str(kept)}).encode("utf-8"))
        files.step("restore: journal written")
        _swap_in(paths)
    except OSError as error:
        raise os_problem(error, "the restore") from None
    finally:
        if not (root / RESTORE_JOURNAL).exists():
            remove_tree(staging)
    return unlock(root, secret, sleep=lambda _: None), kept


def _swap_in(paths: VaultPaths) -> None:
    """Move the staged database and key file into place, then end the journal. Safe to run again
    from any point: each step is done only if it is still to do."""
    staging = paths.root / RESTORE_STAGING
    staged_db = staging / DB_NAME
    if staged_db.exists():
        # The replaced vault's write-ahead log is kept in the before-restore backup; left here it
        # would be applied to the restored database.
        for sidecar in paths.sidecars():
            sidecar.unlink(missing_ok=True)
        files.step("restore: old write-ahead log removed")
        os.replace(staged_db, paths.db)
        files.step("restore: database swapped")
    staged_key = staging / KEY_NAME
    if staged_key.exists():
        os.replace(staged_key, paths.key)
        files.step("restore: key file swapped")
    # The audit head kept outside goes with its chain: the replaced vault's would read as the
    # restored chain cut short (a crash-finished restore never reaches services/integrity).
    staged_head = staging / HEAD_NAME
    if staged_head.exists():
        os.replace(staged_head, paths.root / HEAD_NAME)
    fsync_directory(paths.root)
    (paths.root / RESTORE_JOURNAL).unlink(missing_ok=True)
    fsync_directory(paths.root)
    files.step("restore: journal removed")
    remove_tree(staging)
    # Failed guesses at the replaced vault's passphrase say nothing about this one.
    with contextlib.suppress(FileNotFoundError):
        paths.failures.unlink()


def _head_it_carries(staged: UnlockedVault, backup: Path) -> AuditHead | None:
    """The audit head sealed into the backup when it was made, checked against the staged
    database's chain: Problem unless it carries this vault's seal and the chain holds its event
    with its hash (a database cut short, rewritten or swapped for another backup's after the
    backup was made). None for a backup made before backups carried their head."""
    if not (staged.paths.root / HEAD_NAME).exists():
        return None
    refused = (
        f"{backup.name} does not match the audit head sealed into it when it was made ({{}}), so "
        "nothing was restored: the backup was altered after it was made. Keep it as evidence "
        "and restore an older backup."
    )
    try:
        head = read_head(staged.paths.root, staged.audit_key())
    except HeadFileAltered:
        raise Problem(refused.format("the head no longer carries the vault's seal")) from None
    if head is None or head.vault_id != staged.vault_id:
        raise Problem(refused.format("the head is another vault's"))
    connection = staged.engine.raw_connection()
    try:
        row = connection.execute(
            "SELECT hash FROM audit_event WHERE seq = ?", (head.seq,)
        ).fetchone()
    finally:
        connection.close()
    if row is None or str(row[0]).lower() != head.hash.lower():
        raise Problem(
            refused.format(f"its audit chain does not hold event {head.seq} with the head's hash")
        )
    return head


def _stage_audit_head(staged: UnlockedVault, carried: AuditHead | None = None) -> None:
    """The restored chain's head, written beside the staged key file to be swapped in with it;
    losses the head carried in the backup recorded stay on record."""
    connection = staged.engine.raw_connection()
    try:
        row = connection.execute(
            "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    finally:
        connection.close()
    if row is not None:
        lost = carried.lost if carried is not None else ()
        head = AuditHead(staged.vault_id, row[0], row[1], stamp(datetime.now(UTC)), lost)
        write_head(staged.paths.root, staged.audit_key(), head)


def finish_interrupted_restore(paths: VaultPaths) -> None:
    """At the start of anything that opens the vault: a restore whose journal is still there was
    killed mid-swap, with its backup checked and the old vault kept, so it is finished; staging
    without a journal was killed before the swap began, and is removed (the vault is untouched).
    Under the restore lock: a restore under way in another process is not a killed one, and its
    staging must stay (Problem when one is)."""
    if not (paths.root / RESTORE_JOURNAL).exists() and not (paths.root / RESTORE_STAGING).exists():
        _finish_interrupted_restore(paths)  # nothing staged: only stale temps to clear
        return
    with restore_lock(paths.root, OPEN_DURING_RESTORE, create=False):
        _finish_interrupted_restore(paths)


def _finish_interrupted_restore(paths: VaultPaths) -> None:
    if (paths.root / RESTORE_JOURNAL).is_file():
        _swap_in(paths)
    elif (paths.root / RESTORE_STAGING).exists():
        remove_tree(paths.root / RESTORE_STAGING)
    # A journal killed before its rename never took effect.
    remove_stale_temps(paths.root / RESTORE_JOURNAL)
    for stale in paths.backups.glob(f".*{BACKUP_SUFFIX}.*.tmp") if paths.backups.is_dir() else []:
        stale.unlink(missing_ok=True)


def _set_aside_current(paths: VaultPaths) -> Path:
    """Keep the vault being replaced as a backup file, byte for byte, so a restore can be undone.

    Its files are copied as they are (still encrypted, WAL included): it may be damaged, which is
    often why it is being replaced, so it is not opened. Written whole (temp file, fsync, rename)
    before anything of the vault is removed.
    """
    make_private_folder(paths.backups)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = paths.backups / f"before-restore-{stamp}{BACKUP_SUFFIX}"
    number = 1
    while os.path.lexists(kept):  # two restores in one second: the first one's copy stays
        number += 1
        kept = paths.backups / f"before-restore-{stamp}-{number}{BACKUP_SUFFIX}"
    with atomic_writer(kept) as handle, tarfile.open(fileobj=handle, mode="w") as tar:
        for path in [paths.key, paths.db, paths.db.with_name(DB_NAME + "-wal")]:
            if path.exists():
                tar.add(path, arcname=path.name)
    return kept
