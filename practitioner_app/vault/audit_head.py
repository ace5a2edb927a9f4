"""The audit head kept outside the database: `audit-head.json` beside the key file.

The chain in the database proves its rows follow one another, but not that none were cut off the
end: deleting the newest rows leaves a shorter chain that still verifies. So after every commit
that adds audit events the app also writes the newest (sequence number, hash) here, atomically
(temp file, fsync, rename). At unlock the file's head must still be in the chain with the same
hash; when it is not (rows deleted or rewritten), or the file is missing or altered, what was
found is kept in the file's `lost` list from then on, and `verify` names it.

Shape: {"format", "version", "vault_id", "seq", "hash", "at" (ISO 8601 UTC), "lost": [{"seq",
"hash", "noticed_at", "why"}], "mac"}; mac = HMAC-SHA256(audit key, canonical JSON of the rest).
Someone holding the passphrase can rewrite this file too (resources/TAMPER-EVIDENCE.md says what
catches that); it stops anyone who can edit the database but not this file, and anyone without
the key from editing it unseen.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from practitioner_app.domain.errors import InvalidInput
from practitioner_app.vault.checks import strict_json
from practitioner_app.vault.files import atomic_write, read_regular

HEAD_NAME = "audit-head.json"
FORMAT = "practitioner-audit-head"
VERSION = 1
# A head is a few hundred bytes, and each loss on record adds about a hundred.
MAX_HEAD_BYTES = 256 * 1024


@dataclass(frozen=True)
class LostHead:
    """A head this file once held that the chain no longer has (or a file found missing or
    altered): `why` is one of "not in chain", "missing", "altered"."""

    seq: int
    hash: str
    noticed_at: str
    why: str


@dataclass(frozen=True)
class AuditHead:
    vault_id: str
    seq: int
    hash: str
    at: str
    lost: tuple[LostHead, ...] = field(default=())

    def _document(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": self.vault_id,
            "seq": self.seq,
            "hash": self.hash,
            "at": self.at,
            "lost": [vars(lost) for lost in self.lost],
        }


class HeadFileAltered(Exception):
    """The file is there but is not one this app wrote with this vault's key."""


def _mac(key: bytes, document: dict[str, Any]) -> str:
    text = json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(key, b"audit head\x00" + text, hashlib.sha256).hexdigest()


def head_path(root: Path) -> Path:
    return root / HEAD_NAME


def read(root: Path, key: bytes) -> AuditHead | None:
    """The head kept beside the key file; None if there is none. Raises HeadFileAltered when it
    does not parse or its MAC does not hold."""
    if head_path(root).is_symlink():
        # Never followed: the app did not put a link here, so what it points at is not its head.
        raise HeadFileAltered
    try:
        # Only a regular file, read with a limit: a FIFO planted here would block every unlock.
        data = read_regular(head_path(root), MAX_HEAD_BYTES, "audit head")
    except FileNotFoundError:
        return None
    except (InvalidInput, OSError):  # a folder, device, FIFO, oversized or unreadable file
        raise HeadFileAltered from None
    try:
        document = strict_json(data)
        mac = document.pop("mac")
        if not isinstance(mac, str) or not hmac.compare_digest(mac, _mac(key, document)):
            raise HeadFileAltered
        return AuditHead(
            vault_id=str(document["vault_id"]),
            seq=int(document["seq"]),
            hash=str(document["hash"]),
            at=str(document["at"]),
            lost=tuple(
                LostHead(int(x["seq"]), str(x["hash"]), str(x["noticed_at"]), str(x["why"]))
                for x in document["lost"]
            ),
        )
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise HeadFileAltered from None


def write(root: Path, key: bytes, head: AuditHead) -> None:
    """Replace the head file whole (temp file, fsync, rename). A link planted in its place (read
    as altered, and so on record) is removed first, never written through: the app's own file
    must not be a way to lock every later write out with a refusal."""
    document = head._document()
    document["mac"] = _mac(key, document)
    if head_path(root).is_symlink():
        head_path(root).unlink()
    atomic_write(head_path(root), json.dumps(document, indent=1, sort_keys=True).encode("utf-8"))


def stamp(moment: datetime) -> str:
    return moment.isoformat()
