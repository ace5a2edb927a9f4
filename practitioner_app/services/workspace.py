"""An open vault as the services see it: who is working, and one unit of work per action.

Creating, opening (with the audit of failed attempts), locking, and the passphrase and recovery-key
changes live here, because each must also write to the audit chain.
"""

from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from practitioner_app import case_caches
from practitioner_app.domain.enums import AuditAction
from practitioner_app.domain.errors import FinalEntryIsReadOnly, InvalidInput, Problem
from practitioner_app.domain.labels import signature
from practitioner_app.domain.records import FUTURE_TOLERANCE
from practitioner_app.domain.times import as_utc, now_utc
from practitioner_app.interrupts import ctrl_c_held_back
from practitioner_app.services import audit_witness
from practitioner_app.store import audit, schema, seals
from practitioner_app.store.base import new_id
from practitioner_app.store.integrity import APPEND_ONLY_MESSAGE, FINAL_MESSAGE
from practitioner_app.store.people import Practitioner
from practitioner_app.store.repositories.audit_log import AuditRepository
from practitioner_app.store.repositories.children import PractitionerRepository
from practitioner_app.vault import pending
from practitioner_app.vault import vault as vault_files
from practitioner_app.vault.errors import SqliteCode, database_problem, sqlite_code
from practitioner_app.vault.vault import UnlockedVault


@dataclass(frozen=True)
class Profile:
    """The practitioner who owns the vault and authors its entries."""

    name: str
    role: str
    agency: str

    def validate(self) -> None:
        for label, value in (
            ("Your name", self.name),
            ("Your role", self.role),
            ("Your agency", self.agency),
        ):
            if not value.strip():
                raise InvalidInput(f"{label} is required; every entry is signed with it.")

    @property
    def signature(self) -> str:
        return signature(self.name, self.role, self.agency)


class DiskFull(Problem):
    """The vault's disk has no room for the write asked for; nothing was saved."""


def _translate(error: DBAPIError) -> Problem | None:
    # The triggers (store/integrity.py) refuse with SQLITE_CONSTRAINT and a message of our own; a
    # constraint failing with any other message (NOT NULL, a foreign key) is a bug.
    refused = str(error.orig) in (FINAL_MESSAGE, APPEND_ONLY_MESSAGE)
    if sqlite_code(error) == SqliteCode.CONSTRAINT and refused:
        return FinalEntryIsReadOnly(
            "A final entry cannot be changed or deleted; record an amendment instead."
        )
    problem = database_problem(error)
    if problem is not None and sqlite_code(error) == SqliteCode.FULL:
        return DiskFull(problem.message)
    return problem


@contextmanager
def _plain_sentences() -> Iterator[None]:
    """Environmental database errors (disk full, read-only, damaged) raised in the block become
    Problems; anything else is a bug and propagates unchanged."""
    try:
        yield
    except DBAPIError as error:
        problem = _translate(error)
        if problem is None:
            raise
        raise problem from None


class Workspace:
    """The unlocked vault plus the practitioner's profile."""

    def __init__(self, vault: UnlockedVault, profile: Profile) -> None:
        self.vault = vault
        self.profile = profile
        self._audit_key = vault.audit_key()
        # Set when the unlock could not be audited because the vault's disk is full.
        self.disk_was_full = False
        # What unlock found of the audit head kept outside, until the unlock's commit writes it.
        self._head_found: audit_witness.Inspection | None = None
        # Each agency as first spelled in the vault, with the audit head it was read at
        # (services/alerts.py `agency_names`).
        self.agency_names: tuple[tuple[int, str], dict[str, str]] | None = None

    def authorship(self) -> dict[str, str]:
        """The author columns every row carries, signed by this vault's practitioner."""
        return {
            "author_name": self.profile.name,
            "author_role": self.profile.role,
            "author_agency": self.profile.agency,
        }

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction: committed if the block finishes, rolled back if anything raises.

        Environmental database errors (disk full, read-only, damaged) become Problems; anything
        else is a bug and propagates unchanged.
        """
        session = Session(self.vault.engine, expire_on_commit=False)
        with ExitStack() as saving:
            try:
                with _plain_sentences():
                    yield session
                    # From the commit on, Ctrl-C waits until the change, the connection's
                    # return to the pool and the audit witness are all done (interrupts.py).
                    saving.enter_context(ctrl_c_held_back())
                    session.commit()
            except BaseException:
                # And while it is undone: a second Ctrl-C inside the pool's reset was logged
                # by SQLAlchemy with two tracebacks.
                saving.enter_context(ctrl_c_held_back())
                session.rollback()
                raise
            finally:
                session.close()
            head = session.info.get(audit.HEAD_KEY)
            if head is not None:
                found, self._head_found = self._head_found, None
                seq, hash_ = head
                audit_witness.advance(self.vault, self._audit_key, seq, hash_, seen=found)

    def audit(
        self,
        session: Session,
        action: AuditAction,
        record_kind: str | None = None,
        record_id: str | None = None,
        **detail: Any,
    ) -> None:
        audit.append(
            session,
            self._audit_key,
            actor=self.profile.signature,
            action=action,
            record_kind=record_kind,
            record_id=record_id,
            detail=detail,
        )

    def audit_sealed(
        self,
        session: Session,
        action: AuditAction,
        record_kind: str | None,
        record_id: str | None,
        records: Iterable[tuple[str, str]],
        removed: Iterable[tuple[str, str]] = (),
        **detail: Any,
    ) -> None:
        """Audit an action together with the seals of the records it wrote, given as (table,
        id); `removed`: records it took away on purpose (store/seals.py)."""
        sealed = seals.seals_for(session, self._audit_key, records)
        sealed += [(table, record_id, seals.REMOVED) for table, record_id in removed]
        self.audit_seals(session, action, record_kind, record_id, sealed, **detail)

    def audit_seals(
        self,
        session: Session,
        action: AuditAction,
        record_kind: str | None,
        record_id: str | None,
        sealed: list[tuple[str, str, str]],
        **detail: Any,
    ) -> None:
        """`audit_sealed` for a caller that has the seals already: (table, id, seal)."""
        event = audit.append(
            session,
            self._audit_key,
            actor=self.profile.signature,
            action=action,
            record_kind=record_kind,
            record_id=record_id,
            detail={**detail, "seals": seals.summary(self._audit_key, sealed)},
        )
        seals.write_ledger(session, event.seq, sealed)

    def audit_alone(self, action: AuditAction, **detail: Any) -> None:
        with self.unit_of_work() as session:
            self.audit(session, action, **detail)

    def audit_key(self) -> bytes:
        return self._audit_key

    def audit_copy_made(self, action: AuditAction, **detail: Any) -> str | None:
        """Audit a copy already written elsewhere (a backup, an export): None once audited, or,
        when the vault's own disk is full, the sentence saying the copy is made but unaudited.
        Reading and copying out must work on a full disk (issue 16 item 8); refusing a finished
        copy for want of room for its audit line would not unmake it."""
        try:
            self.audit_alone(action, **detail)
        except DiskFull:
            return (
                "The copy is complete, but the vault's disk is full, so the audit trail does not "
                "record it; free some space on that disk."
            )
        return None

    def lock(self) -> None:
        """Audit the lock, then dispose the engine and zero the key."""
        if self.vault.is_locked:
            return
        try:
            self.audit_alone(AuditAction.LOCK)
        except Problem:
            # Locking must always succeed; on a full or read-only disk the lock goes unrecorded.
            pass
        finally:
            self.vault.lock()
            case_caches.forget()

    # The key file and the database cannot change in one transaction. The audit row is written
    # once the new key file is in place, so the chain never claims a change that did not happen.

    def change_passphrase(self, new_passphrase: str) -> None:
        self.vault.change_passphrase(new_passphrase)
        self.audit_alone(
            AuditAction.PASSPHRASE_CHANGE, via_recovery_key=self.vault.via_recovery_key
        )

    def replace_recovery_key(self) -> str:
        recovery_key = self.vault.replace_recovery_key()
        self.audit_alone(AuditAction.PASSPHRASE_CHANGE, recovery_key_replaced=True)
        return recovery_key


def _load_profile(vault: UnlockedVault) -> Profile:
    with Session(vault.engine) as session:
        row = PractitionerRepository(session).owner()
        if row is None:
            raise Problem(
                "This vault has no practitioner profile, so it was not finished being created; "
                "create a new vault with `practitioner-app init`."
            )
        return Profile(row.name, row.role, row.agency)


def create_vault(root: Path, passphrase: str, profile: Profile) -> tuple[Workspace, str]:
    """A new vault with its schema and the owner's profile. Returns it open, and the recovery key."""
    profile.validate()
    vault_id = new_id()
    unlocked, recovery_key = vault_files.create(root, passphrase, vault_id)
    try:
        schema.bring_up_to_date(unlocked.engine, before_migrating=lambda: None)
        workspace = Workspace(unlocked, profile)
        workspace._head_found = audit_witness.Inspection("started", (), None)
        with workspace.unit_of_work() as session:
            owner = Practitioner(name=profile.name, role=profile.role, agency=profile.agency)
            PractitionerRepository(session).add(owner)
            session.flush()  # gives the owner its id
            workspace.audit_sealed(
                session,
                AuditAction.CREATE_VAULT,
                "vault",
                vault_id,
                [("practitioner", owner.id)],
                audit_head="started",  # audit_witness.DETAIL_KEY
            )
    except BaseException:
        vault_files.discard_unfinished(unlocked)
        raise
    return workspace, recovery_key


def open_vault(root: Path, secret: str) -> Workspace:
    """Unlock with a passphrase or recovery key, bring the schema up to date, and audit the unlock
    together with every failed attempt since the last one (they could not be written while locked)."""
    return open_unlocked(vault_files.unlock(root, secret))


def open_vault_with_data_key(root: Path, data_key: bytes | bytearray) -> Workspace:
    """`open_vault` for a caller that already holds the vault's data key (see
    `vault.unlock_with_data_key`): the same checks, migration and audited unlock, minus the
    Argon2id run. The test suite opens its per-test copies of one vault this way."""
    return open_unlocked(vault_files.unlock_with_data_key(root, data_key))


# The unlock event's detail key for the key file's count of failed attempts ever made, and the
# failed-unlock event's key saying the count had gone back (services/verification.py names it).
FAILURES_TOTAL = "failed_unlocks_total"
FAILURES_RESET = "failed_unlocks_reset_from"
# Attempts of unknown time audited one event each, up to this many; beyond, one event says how many.
TIME_NOT_KNOWN_EVENTS = 5


def _audit_failed_unlocks(
    workspace: Workspace, session: Session, unlocked: UnlockedVault
) -> dict[str, Any]:
    """Every failed attempt since the last unlock, one event each at the time it was made. The key
    file's count of failures ever is checked against the one the last unlock recorded: attempts
    whose times were removed are still audited (time not known), and a count that went back is
    audited as reset. Returns what the unlock event records of the count."""
    key = workspace.audit_key()
    # The times are plain JSON in the key file: one that cannot have been (before the vault was
    # made, or in the future) is an attempt whose time is not known, never a fact in the chain.
    # Asked only when there are attempts to place: nearly every unlock follows none.
    first = AuditRepository(session).first_at() if unlocked.failed_unlocks else None
    latest = now_utc() + FUTURE_TOLERANCE
    not_known = unlocked.unreadable_failures
    for moment in unlocked.failed_unlocks:
        if (first is not None and as_utc(moment) < first) or as_utc(moment) > latest:
            not_known += 1
            continue
        audit.append(session, key, actor="unknown", action=AuditAction.FAILED_UNLOCK, at=moment)
    for _ in range(min(not_known, TIME_NOT_KNOWN_EVENTS)):
        audit.append(
            session,
            key,
            actor="unknown",
            action=AuditAction.FAILED_UNLOCK,
            detail={"time_not_known": True},
        )
    total = unlocked.failures_total
    if total is None:
        return {}
    previous = AuditRepository(session).last_detail_value(AuditAction.UNLOCK, FAILURES_TOTAL)
    if isinstance(previous, int):
        if total < previous:
            audit.append(
                session,
                key,
                actor="unknown",
                action=AuditAction.FAILED_UNLOCK,
                detail={FAILURES_RESET: previous, "to": total},
            )
        unknown = total - previous - len(unlocked.failed_unlocks) - unlocked.unreadable_failures
        for _ in range(min(unknown, TIME_NOT_KNOWN_EVENTS)):
            audit.append(
                session,
                key,
                actor="unknown",
                action=AuditAction.FAILED_UNLOCK,
                detail={"time_not_known": True},
            )
        if unknown > TIME_NOT_KNOWN_EVENTS:
            # The count is plain JSON in the key file (and a restored backup brings its own): a
            # count of millions must cost one event, not millions. The rest are one event.
            audit.append(
                session,
                key,
                actor="unknown",
                action=AuditAction.FAILED_UNLOCK,
                detail={"time_not_known": True, "attempts": unknown - TIME_NOT_KNOWN_EVENTS},
            )
    return {FAILURES_TOTAL: total}


def open_unlocked(unlocked: UnlockedVault) -> Workspace:
    """The second half of `open_vault`, for callers that checked the file before writing to it."""
    # Here, not at the top: sealing reads entries through services/records.py, which needs this
    # module.
    from practitioner_app.services import sealing

    try:
        with _plain_sentences():
            revision_before = schema.current_revision(unlocked.engine)
            # Asked only of a vault to migrate: nearly every unlock finds the head revision.
            had_ledger = revision_before != schema.HEAD_REVISION and schema.has_table(
                unlocked.engine, seals.RecordSeal.__tablename__
            )
            migrated = schema.bring_up_to_date_from(
                unlocked.engine,
                revision_before,
                before_migrating=lambda: unlocked.backup_into_vault_folder("before-migration"),
            )
            profile = _load_profile(unlocked)
        workspace = Workspace(unlocked, profile)
        workspace._head_found = head = audit_witness.inspect(unlocked, workspace.audit_key())
        try:
            with workspace.unit_of_work() as session:
                attempts = _audit_failed_unlocks(workspace, session, unlocked)
                if migrated:
                    workspace.audit(session, AuditAction.MIGRATE, revision=schema.head_revision())
                    if sealing.needs_sealing(had_ledger, revision_before):
                        sealing.seal_existing(workspace, session)
                for interrupted in unlocked.interrupted:
                    # A backup or export a crash stopped: its temp files were removed at this
                    # unlock (an export's was a plaintext copy), and that is on record.
                    workspace.audit(
                        session,
                        AuditAction.CLEANUP,
                        interrupted=interrupted.kind,
                        copy_left_unaudited=interrupted.copy_left,
                    )
                workspace.audit(
                    session,
                    AuditAction.UNLOCK,
                    via_recovery_key=unlocked.via_recovery_key,
                    audit_head=head.status,  # audit_witness.DETAIL_KEY
                    **attempts,
                )
        except DiskFull:
            # Reading must not need a byte of free space (issue 16 item 8): the vault opens to
            # read, list, check and copy; the unlock and anything else waiting to be audited is
            # written at the next unlock with room, and each write says the disk is full.
            workspace.disk_was_full = True
        else:
            unlocked.clear_failed_unlocks()
            pending.forget(unlocked.interrupted)
    except BaseException:
        unlocked.lock()
        raise
    return workspace
