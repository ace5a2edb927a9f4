"""Checking a vault, backing it up and restoring it, each recorded in the audit chain."""

import json
from pathlib import Path

from practitioner_app.domain.enums import AuditAction
from practitioner_app.services.records import final_entry_digests
from practitioner_app.services.views import AuditRow, VerifyReport
from practitioner_app.services.workspace import Workspace, open_unlocked, open_vault
from practitioner_app.store import audit
from practitioner_app.store.repositories.audit_log import AuditRepository
from practitioner_app.store.repositories.entries import EntryTotals
from practitioner_app.vault import vault as vault_files


def verify(ws: Workspace) -> VerifyReport:
    """The database file (SQLCipher page HMACs, SQLite structure), the audit chain, and every final
    entry against the fingerprint written to the chain when it was finalised."""
    problems = ws.vault.damage_report()
    if problems:
        # A damaged file can make the queries below fail too; the page report is what matters.
        return VerifyReport(tuple(problems), 0, audit.GENESIS, None, ())
    with ws.unit_of_work() as session:
        chain = audit.verify_chain(session, ws.audit_key())
        finalised: dict[tuple[str | None, str | None], str] = {}
        for event in AuditRepository(session).finalisations():
            fingerprint = json.loads(event.detail).get("content_sha256", "")
            finalised[(event.record_kind, event.record_id)] = fingerprint
        altered = tuple(
            f"{kind} {record_id}"
            for kind, record_id, stored, now in final_entry_digests(session)
            if not _fingerprints_hold(now, stored, finalised.get((kind, record_id)))
        )
    return VerifyReport((), chain.events, chain.head, chain.first_broken_seq, altered)


def _fingerprints_hold(now: str, stored: str | None, audited: str | None) -> bool:
    """A final entry must carry at least one fingerprint (on its row, or in the audit event that
    finalised it; imported entries have only the first), and every one it has must match."""
    known = [digest for digest in (stored, audited) if digest]
    return bool(known) and all(digest == now for digest in known)


def record_counts(ws: Workspace) -> dict[str, int]:
    with ws.unit_of_work() as session:
        return EntryTotals(session).by_kind()


def audit_trail(ws: Workspace) -> list[AuditRow]:
    with ws.unit_of_work() as session:
        return [
            AuditRow(
                seq=row.seq,
                at=row.at,
                actor=row.actor,
                action=row.action,
                record_kind=row.record_kind,
                record_id=row.record_id,
                detail=row.detail,
                hash=row.hash,
            )
            for row in AuditRepository(session).trail()
        ]


def backup(ws: Workspace, destination: Path) -> None:
    """Audit the backup first, so the backup itself carries the record of being made."""
    ws.audit_alone(AuditAction.BACKUP)
    ws.vault.write_backup(destination)


def restore(root: Path, backup_file: Path, secret: str) -> tuple[Workspace, Path | None]:
    """Replace the vault with a backup (the replaced vault is kept in backups/) and open it."""
    restored, kept = vault_files.restore(root, backup_file, secret)
    restored.lock()
    ws = open_vault(root, secret)
    ws.audit_alone(AuditAction.RESTORE)
    return ws, kept


def check_then_open(root: Path, secret: str) -> tuple[list[str], Workspace | None]:
    """Check the database file before anything writes to it (opening writes an audit event, which
    a damaged page could make fail). Returns the damage found, or the opened workspace if none."""
    unlocked = vault_files.unlock(root, secret)
    try:
        damage = unlocked.damage_report()
    except BaseException:
        unlocked.lock()
        raise
    if damage:
        unlocked.lock()
        return damage, None
    return [], open_unlocked(unlocked)


def recovery_sheet(recovery_key: str, vault_folder: Path) -> str:
    """The text a printed or saved recovery key carries: the key, whose vault it opens, and how
    to keep it."""
    return (
        "Recovery key for the practitioner's vault\n\n"
        f"    {recovery_key}\n\n"
        f"It opens the vault in {vault_folder} if the passphrase is forgotten.\n"
        "Keep it where your team keeps such things, never in the same bag as the laptop.\n"
    )


def save_recovery_sheet(destination: Path, recovery_key: str, vault_folder: Path) -> Path:
    """Write the recovery sheet to `destination`, whole or not at all, readable by its owner
    only. Raises InvalidInput when the folder does not exist."""
    from practitioner_app.domain.errors import InvalidInput
    from practitioner_app.vault.files import atomic_write

    if not destination.parent.is_dir():
        raise InvalidInput(
            f"The folder {destination.parent} does not exist; choose another for the key."
        )
    atomic_write(destination, recovery_sheet(recovery_key, vault_folder).encode("utf-8"))
    return destination
