"""Work in progress, written down so that whatever a crash leaves is removed at the next unlock.

A backup or export is written to a temp file (or a `.parts` folder) beside its destination, which
may be on another disk. Before that starts, a small marker in the vault's `.unfinished/` folder
names the temp paths and what the work was; the marker goes when the work ends, finished or not.
A marker still there at the next unlock means its process was killed: its temp paths are removed
(an export's temp is a plaintext copy of records) and the removal is audited (issue 16 item 2).

If the marker cannot be written (the vault's own disk is full while the export goes elsewhere),
the work goes ahead unrecorded rather than not at all; its temp is still removed if it fails.
"""

import contextlib
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from practitioner_app.vault import files

FOLDER = ".unfinished"
# Only temp names this app makes are ever removed on a marker's say-so, so an altered marker
# cannot make the app delete anything else.
_TEMP_SUFFIXES = (".tmp", ".parts")


@dataclass(frozen=True)
class Interrupted:
    """Work a crash interrupted: what it was (`kind`, e.g. "pdf export"), and its marker.
    `copy_left`: its destination was written after the marker, so the copy was made whole but
    killed before its audit line."""

    kind: str
    marker: Path
    copy_left: bool


def _folder(root: Path) -> Path:
    return root / FOLDER


def started(root: Path, kind: str, temps: list[Path], destination: Path) -> Path | None:
    """Write a marker for work about to write `temps` on the way to `destination`; None if it
    could not be written."""
    try:
        files.make_private_folder(_folder(root))
        marker = _folder(root) / f"{os.getpid()}-{secrets.token_hex(4)}.json"
        document = {
            "kind": kind,
            "pid": os.getpid(),
            "paths": [str(path) for path in temps],
            "destination": str(destination),
        }
        files.atomic_write(marker, json.dumps(document).encode("utf-8"))
    except OSError:
        return None
    return marker


def finished(marker: Path | None) -> None:
    if marker is not None:
        with contextlib.suppress(OSError):
            marker.unlink()


@contextlib.contextmanager
def unfinished(root: Path, kind: str, temps: list[Path], destination: Path) -> Iterator[None]:
    """Mark the block's work as in progress; its temps are removed whether it ends well or not."""
    marker = started(root, kind, temps, destination)
    try:
        yield
    finally:
        for temp in temps:
            files.remove_tree(temp)
        finished(marker)


def _alive(pid: object) -> bool:
    if type(pid) is not int or pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(root: Path) -> list[Interrupted]:
    """Remove what killed work left behind; the markers stay until `forget` (after the audit)."""
    folder = _folder(root)
    if not folder.is_dir() or folder.is_symlink():
        return []
    found: list[Interrupted] = []
    for marker in sorted(folder.glob("*.json")):
        try:
            document = json.loads(files.read_regular(marker, 64 * 1024, "marker"))
            if _alive(document.get("pid")):
                continue  # another window or command is still writing it
            kind = str(document["kind"])
            paths = [Path(str(text)) for text in document["paths"]]
            destination = Path(str(document["destination"]))
            since = marker.stat().st_mtime
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            # Not ours to act on; a marker that cannot be read names nothing to remove.
            with contextlib.suppress(OSError):
                marker.unlink()
            continue
        for path in paths:
            if path.name.startswith(".") and path.name.endswith(_TEMP_SUFFIXES):
                files.remove_tree(path)
        try:
            copy_left = destination.stat().st_mtime >= since
        except OSError:
            copy_left = False
        found.append(Interrupted(kind, marker, copy_left))
    return found


def forget(interrupted: list[Interrupted]) -> None:
    for item in interrupted:
        finished(item.marker)
