"""Keeping the audit head outside the database (vault/audit_head.py) in step with the chain.

`inspect` at unlock, before anything is written: is the head kept beside the key file still in
the chain? `advance` after every commit that added events: the same check, then the new head is
written, with anything lost carried forward so `verify` keeps naming it.
"""

import contextlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from practitioner_app.domain.times import format_uk_datetime, now_utc
from practitioner_app.store import audit
from practitioner_app.vault import audit_head
from practitioner_app.vault.vault import UnlockedVault

# The key in the unlock event's detail that says what the head file was found to be.
DETAIL_KEY = "audit_head"


@dataclass(frozen=True)
class Inspection:
    """`status`: "kept" (in the chain), "started" (no file yet, none ever written), "missing",
    "altered" or "not in chain"; `lost`: everything the next file must carry."""

    status: str
    lost: tuple[audit_head.LostHead, ...]
    file_head: audit_head.AuditHead | None


def inspect(vault: UnlockedVault, key: bytes) -> Inspection:
    noticed = audit_head.stamp(now_utc())
    with Session(vault.engine) as session:
        last_seq, _ = audit.head(session)
        try:
            kept = audit_head.read(vault.paths.root, key)
        except audit_head.HeadFileAltered:
            return Inspection(
                "altered", (audit_head.LostHead(last_seq, "", noticed, "altered"),), None
            )
        if kept is None:
            if audit.any_detail_names(session, DETAIL_KEY):
                lost = audit_head.LostHead(last_seq, "", noticed, "missing")
                return Inspection("missing", (lost,), None)
            return Inspection("started", (), None)
        if kept.vault_id != vault.vault_id or audit.hash_at(session, kept.seq) != kept.hash:
            lost = audit_head.LostHead(kept.seq, kept.hash, noticed, "not in chain")
            return Inspection("not in chain", (*kept.lost, lost), kept)
        return Inspection("kept", kept.lost, kept)


def advance(
    vault: UnlockedVault, key: bytes, seq: int, hash_: str, seen: Inspection | None = None
) -> None:
    """Write (seq, hash) as the head kept outside, after the commit that made it. Never moves the
    head back (another process may have written a newer one that is in the chain). A failure to
    write (full or read-only disk) leaves the file behind the chain, which `inspect` allows."""
    with Session(vault.engine) as session:
        if audit.hash_at(session, seq) != hash_:
            return  # the transaction that wrote it was rolled back after all
    found = seen or inspect(vault, key)
    if found.file_head is not None and found.status == "kept" and found.file_head.seq > seq:
        return
    head = audit_head.AuditHead(vault.vault_id, seq, hash_, audit_head.stamp(now_utc()), found.lost)
    with contextlib.suppress(OSError):
        audit_head.write(vault.paths.root, key, head)


def restart(vault: UnlockedVault, key: bytes) -> None:
    """After a restore: the vault's chain is the backup's, so the head kept outside starts again
    from it (what the replaced vault's file held went with it into backups/)."""
    with Session(vault.engine) as session:
        seq, hash_ = audit.head(session)
    head = audit_head.AuditHead(vault.vault_id, seq, hash_, audit_head.stamp(now_utc()))
    audit_head.write(vault.paths.root, key, head)


WHY = {
    "not in chain": "events were deleted from the end of the chain or rewritten",
    "missing": "the file was deleted",
    "altered": "the file was altered or replaced",
}


def sentences(vault: UnlockedVault, key: bytes) -> list[str]:
    """What `verify` says about the head kept outside: each loss on record, in a sentence."""
    try:
        kept = audit_head.read(vault.paths.root, key)
    except audit_head.HeadFileAltered:
        return [
            f"The audit head kept beside the key file ({audit_head.HEAD_NAME}) has been altered: "
            "it no longer carries this vault's seal, so what it recorded cannot be trusted."
        ]
    if kept is None:
        return []
    result = []
    for lost in kept.lost:
        when = format_uk_datetime(datetime.fromisoformat(lost.noticed_at))
        if lost.why == "not in chain":
            result.append(
                f"The audit chain no longer holds event {lost.seq} (hash {lost.hash[:12]}…) that "
                f"the head kept beside the key file recorded; noticed on {when}: "
                f"{WHY[lost.why]}."
            )
        else:
            result.append(
                f"The audit head kept beside the key file was {lost.why} when the vault was "
                f"opened on {when} (the chain then ended at event {lost.seq}): {WHY[lost.why]}, "
                "so events removed from the end of the chain before then would not show."
            )
    return result
