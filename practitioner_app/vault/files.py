"""Crash-safe file writes: a reader sees the old bytes or the new bytes, never a mixture."""

import contextlib
import os
from pathlib import Path


def fsync_directory(directory: Path) -> None:
    # On POSIX a rename is durable only once the directory entry itself is flushed.
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write to a temp file beside the target, fsync, rename over it, fsync the directory."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    # The rename has happened: the new bytes are what readers see. Failing to flush the directory
    # (unsupported on some file systems) must not be reported as the write not happening.
    with contextlib.suppress(OSError):
        fsync_directory(path.parent)


def remove_stale_temps(path: Path) -> None:
    """Remove temp files left by writers killed before their rename. A key-file temp is a whole key
    file under a passphrase the user was never told took effect, so it must not linger."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def zero(buffer: bytearray) -> None:
    """Overwrite a key buffer in place so the key does not linger in freed memory."""
    buffer[:] = bytes(len(buffer))
