"""Every file and folder the app writes goes through here: crash-safe, owner-only, never through a link.

The rules (SECURITY.md promises 1, 5, 14; issue 16 items 4 and 5):
- A file is written to a temp file created with O_CREAT | O_EXCL | O_NOFOLLOW in the destination's own
  folder, made 0600 whatever the umask, fsynced, then renamed into place; the folder is fsynced. A
  reader sees the old bytes or the new bytes, never a mixture, and a link planted at the temp name
  is never written through (O_EXCL fails on it; it is removed, never followed).
- A symbolic link at the destination itself is refused with a sentence, never replaced or followed.
- Folders the app makes are 0700 whatever the umask.
- Files the app reads from outside (bundles, backups, key files, passphrase files) must be regular
  files and are read with a limit: /dev/zero or a FIFO is refused before anything is read.
"""

import contextlib
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from practitioner_app.domain.errors import InvalidInput

FILE_MODE = 0o600
FOLDER_MODE = 0o700

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC


def step(name: str) -> None:
    """A named point between the steps of a multi-step write (a backup, a restore, an export).

    Does nothing: the kill tests replace it in a worker process to land a SIGKILL exactly there,
    so every step is tried, not only the ones random kills happen to hit."""


def refuse_inside(folder: Path, destination: Path) -> None:
    """A copy (backup, bundle, PDF) is never written inside the vault's own folder: it could
    replace the key file, the database, the audit head or a kept backup, and the vault would be
    lost. Compared after following links, so a link into the folder is caught too."""
    try:
        where = destination.expanduser().absolute().resolve(strict=False)
        vault = folder.expanduser().absolute().resolve(strict=False)
    except (OSError, RuntimeError):  # a link loop: refuse_link and the write say so
        return
    if where == vault or where.is_relative_to(vault):
        raise InvalidInput(
            f"{destination} is inside the vault's own folder; save the copy somewhere else, so "
            "that nothing of the vault can be overwritten."
        )


def refuse_link(path: Path) -> None:
    """InvalidInput if `path` is a symbolic link (dangling or not): the app never writes through one."""
    if path.is_symlink():
        raise InvalidInput(
            f"{path} is a link to another file, and the app never writes through links; "
            "choose another file name."
        )


def fsync_directory(directory: Path) -> None:
    # On POSIX a rename is durable only once the directory entry itself is flushed.
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY | _CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_name(path: Path, suffix: str = "tmp") -> Path:
    """Where a file on its way to `path` is written: hidden, beside it, named by this process."""
    return path.with_name(f".{path.name}.{os.getpid()}.{suffix}")


def create_private(path: Path) -> int:
    """A new, empty, owner-only file at exactly `path`, open for writing; never through a link.
    FileExistsError if anything (a file, a link) is already there."""
    fd = os.open(path, _CREATE, FILE_MODE)
    try:
        # os.open's mode is filtered by the umask; owner-only must not depend on it.
        os.fchmod(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def create_temp(path: Path) -> int:
    """`create_private` for a temp name of this process: anything already there (a killed
    writer's temp under a reused process id, a planted link) is unlinked first. Unlinking a link
    removes the link, not what it points to."""
    try:
        return create_private(path)
    except FileExistsError:
        if path.is_dir() and not path.is_symlink():
            raise
        path.unlink()
        return create_private(path)


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A handle on a private temp file beside `path`; renamed over `path` when the block ends well,
    removed if it raises. A link at `path` is refused before anything is created."""
    refuse_link(path)
    temp = temp_name(path)
    handle = os.fdopen(create_temp(temp), "wb")
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        step(f"before rename: {path.name}")
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    # The rename has happened: the new bytes are what readers see. Failing to flush the directory
    # (unsupported on some file systems) must not be reported as the write not happening.
    with contextlib.suppress(OSError):
        fsync_directory(path.parent)


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to a temp file beside the target, fsync, rename over it, fsync the directory."""
    with atomic_writer(path) as handle:
        handle.write(data)


def write_new(path: Path, data: bytes) -> None:
    """Write `data` to `path`, which must not exist yet: made whole beside it, then linked into
    place, which fails rather than replace anything (a file, a link, even a dangling one)."""
    refuse_link(path)
    temp = temp_name(path)
    try:
        with os.fdopen(create_temp(temp), "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temp, path, follow_symlinks=False)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    with contextlib.suppress(OSError):
        fsync_directory(path.parent)


def open_in_place(path: Path) -> int:
    """A descriptor for rewriting bytes of the existing regular file at `path` in place, never
    through a link: for room a file keeps for itself (the key file's full-disk count), since
    overwriting bytes already on disk needs no free space. OSError if it is not such a file."""
    fd = os.open(path, os.O_RDWR | _NOFOLLOW | _CLOEXEC)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(f"{path} is not an ordinary file")
    return fd


def open_lock_file(path: Path, *, create: bool) -> int | None:
    """A read-only descriptor on the empty file at `path`, to hold an advisory lock (flock) on;
    made owner-only if `create` and absent. None when there is none (or it cannot be made, on a
    full or read-only disk). Never through a link."""
    flags = os.O_RDONLY | _NOFOLLOW | _CLOEXEC
    if create:
        try:
            fd = os.open(path, flags | os.O_CREAT, FILE_MODE)
            os.fchmod(fd, FILE_MODE)
            return fd
        except OSError:
            pass
    try:
        return os.open(path, flags)
    except FileNotFoundError:
        return None


def make_private_folder(path: Path, *, parents: bool = False) -> bool:
    """Make the folder `path` owner-only (0700); True if it was made now, False if it was there.

    A link at `path` is refused: a folder the app fills must be the one it names. A folder that was
    already there is left with its permissions (it may be the user's own, such as Documents).
    """
    refuse_link(path)
    if path.is_dir():
        return False
    if parents and not path.parent.is_dir():
        make_private_folder(path.parent, parents=True)
    try:
        os.mkdir(path, FOLDER_MODE)
    except FileExistsError:
        if path.is_dir() and not path.is_symlink():
            return False
        raise
    os.chmod(path, FOLDER_MODE, follow_symlinks=False)
    return True


def fresh_private_folder(path: Path) -> None:
    """An empty owner-only folder at `path`, removing a leftover of an earlier, killed run first."""
    remove_tree(path)
    os.mkdir(path, FOLDER_MODE)
    os.chmod(path, FOLDER_MODE, follow_symlinks=False)


def remove_tree(path: Path) -> None:
    """Remove a file, link or folder tree at `path`, if any; a link is removed, never followed."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def remove_stale_temps(path: Path) -> None:
    """Remove temp files left by writers killed before their rename. A key-file temp is a whole key
    file under a passphrase the user was never told took effect, so it must not linger."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def read_regular(path: Path, limit: int, what: str) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    InvalidInput, before anything is read, for a folder, a device (/dev/zero), a FIFO or a socket;
    and for a file over the limit (checked from its size, then again while reading, in case it
    grows). FileNotFoundError propagates for the caller to name what was missing.
    """
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC)
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder; give the {what} itself.") from None
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise InvalidInput(f"{path} is a folder; give the {what} itself.")
        if not stat.S_ISREG(status.st_mode):
            raise InvalidInput(
                f"{path} is not an ordinary file (it is a device, pipe or socket); "
                f"give the {what} itself."
            )
        too_big = InvalidInput(
            f"{path.name} is larger than the {_size(limit)} a {what} may be; check it is the "
            "right file."
        )
        if status.st_size > limit:
            raise too_big
        os.set_blocking(fd, True)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise too_big
    return data


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit // (1024 * 1024)} MB"
    return f"{limit // 1024} KB"


def zero(buffer: bytearray) -> None:
    """Overwrite a key buffer in place so the key does not linger in freed memory."""
    buffer[:] = bytes(len(buffer))
