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
    fsync_directory(path.parent)


def zero(buffer: bytearray) -> None:
    """Overwrite a key buffer in place so the key does not linger in freed memory."""
    buffer[:] = bytes(len(buffer))
