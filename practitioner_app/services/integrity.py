"""Checking a vault, backing it up and restoring it, each recorded in the audit chain."""

from collections.abc import Sequence
from pathlib import Path

from practitioner_app.domain.enums import AuditAction
from practitioner_app.gcpause import without_cyclic_gc
from practitioner_app.services import audit_witness, verification
from practitioner_app.services.views import AuditRow, VerifyReport
from practitioner_app.services.workspace import Workspace, open_unlocked, open_vault
from practitioner_app.store import audit
from practitioner_app.store.repositories.audit_log import AuditRepository
from practitioner_app.store.repositories.entries import EntryTotals
from practitioner_app.vault import restoring
from practitioner_app.vault import vault as vault_files
from practitioner_app.vault.checks import DatabaseUnreadable
from practitioner_app.vault.files import refuse_inside


def verify(ws: Workspace, witnessed: Sequence[tuple[int, str]] = ()) -> VerifyReport:
    """The database file (SQLCipher page HMACs, SQLite structure), the audit chain link by link,
    the head kept beside the key file, every record against its seal and its audit event, both
    ways (services/verification.py), and each head witnessed outside the vault — (sequence number,
    hash) as printed on a PDF or after a backup — against the chain."""
    problems = ws.vault.damage_report()
    if problems:
        # A damaged file can make the queries below fail too; the page report is what matters.
        return VerifyReport(tuple(problems), 0, audit.GENESIS, None, ())
    # Every event, seal and sealed record is held at once, millions of objects in a large vault:
    # the collector's passes over them were 12% of the check at 400 children (issue 19).
    with without_cyclic_gc(), ws.unit_of_work() as session:
        chain = audit.verify_chain(session, ws.audit_key())
        found = verification.check(session, ws.audit_key())
        missing = [
            (seq, hash_)
            for seq, hash_ in witnessed
            if (audit.hash_at(session, seq) or "").lower() != hash_.lower()
        ]
    findings = (
        *audit_witness.sentences(ws.vault, ws.audit_key()),
        *(
            f"The audit chain does not hold event {seq} with the hash {hash_[:12]}… witnessed "
            "outside the vault (on a PDF, after a backup, or by the server): its history up to "
            "that event has been rewritten or cut short since."
            for seq, hash_ in missing
        ),
        *found.sentences,
    )
    return VerifyReport(
        (), chain.events, chain.head, chain.first_broken_seq, found.altered_entries, findings
    )


def audit_head(ws: Workspace) -> tuple[int, str]:
    """The newest audit event's sequence number and hash, to keep outside the vault."""
    with ws.unit_of_work() as session:
        return audit.head(session)


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


def backup(ws: Workspace, destination: Path) -> str | None:
    """Write the backup, then audit it: the chain never records a backup that a crash or a full
    disk stopped (issue 16 item 2). On a vault whose own disk is full the backup (to another
    disk) is still made; its audit line is then what cannot be written, and the sentence returned
    says so (None when it was audited)."""
    refuse_inside(ws.vault.paths.root, destination)
    # Audited with Ctrl-C held back from the archive's rename (vault.write_backup).
    return ws.vault.write_backup(destination, then=lambda: ws.audit_copy_made(AuditAction.BACKUP))


def restore(root: Path, backup_file: Path, secret: str) -> tuple[Workspace, Path | None]:
    """Replace the vault with a backup (the replaced vault is kept in backups/) and open it. The
    restore lock is held until the restore is audited, so a second restore started meanwhile is
    refused in a sentence rather than swap its backup under this one's head."""
    restoring.make_vault_folder(root)
    with restoring.restore_lock(root, restoring.RESTORE_BUSY):
        restored, kept = restoring.restore(root, backup_file, secret)
        try:
            # The chain is now the backup's: the head kept outside starts again from it.
            audit_witness.restart(restored, restored.audit_key())
        finally:
            restored.lock()
        ws = open_vault(root, secret)
        try:
            ws.audit_alone(AuditAction.RESTORE)
        except BaseException:
            ws.lock()
            raise
    return ws, kept


def check_then_open(root: Path, secret: str) -> tuple[list[str], Workspace | None]:
    """Check the database file before anything writes to it (opening writes an audit event, which
    a damaged page could make fail). Returns the damage found, or the opened workspace if none."""
    try:
        unlocked = vault_files.unlock(root, secret)
    except DatabaseUnreadable as unreadable:
        # Page 1 damaged (or the database from another vault): named, not just "cannot open".
        return unreadable.damage, None
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
