"""Photographs: the vault's setting that allows them, attaching one to a draft (cleaned of location
and device data first), reading them back, thumbnails, and exporting one to a chosen file.

Photographs are off unless the vault says the organisation allows them (DOMAIN.md: many
organisations forbid practitioner photographs and ask for the body map instead). A photograph lives
only inside the encrypted vault (store/photographs.py); nothing here writes it to disk except
`export_photograph`, the practitioner's deliberate, audited copy.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from practitioner_app.domain import photographs as rules
from practitioner_app.domain.enums import AuditAction, EntryStatus
from practitioner_app.domain.errors import FinalEntryIsReadOnly, InvalidInput, Problem
from practitioner_app.domain.labels import imported_note
from practitioner_app.domain.photographs import PhotographRecord
from practitioner_app.domain.times import now_utc
from practitioner_app.export.photographs_pdf import PrintedPhotograph
from practitioner_app.services.copies import copy_out
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import entries as e
from practitioner_app.store.photographs import PHOTOGRAPH_OWNERS, Photograph
from practitioner_app.store.repositories.photographs import (
    PhotographRepository,
    VaultSettingRepository,
)
from practitioner_app.vault import files

PHOTOGRAPHS_ALLOWED = "photographs_allowed"
# The kinds of record a photograph may belong to (named as the tables are).
OWNER_KINDS = PHOTOGRAPH_OWNERS
TABLE = "photograph"

NOT_ALLOWED = (
    "Photographs are off in this vault because the organisation has not allowed them; record "
    "the injury on a body map, or, if your organisation allows photographs, turn them on in "
    "Vault ▸ Preferences."
)


@dataclass(frozen=True)
class Attached:
    """A photograph just attached, and the sentence saying what was removed from it (None when
    the file carried no location or device data)."""

    photograph: PhotographRecord
    removed: str | None


def record_of(photograph: Photograph) -> PhotographRecord:
    return PhotographRecord(
        id=photograph.id,
        child_id=photograph.child_id,
        owner_kind=photograph.owner_kind,
        owner_id=photograph.owner_id,
        final=photograph.status is EntryStatus.FINAL,
        media_type=photograph.media_type,
        byte_count=photograph.byte_count,
        width=photograph.width,
        height=photograph.height,
        sha256=photograph.sha256,
        captured_at=photograph.captured_at,
        attached_at=photograph.attached_at,
        attached_by=photograph.signature,
        location_removed=photograph.location_removed,
        device_removed=photograph.device_removed,
        imported=imported_note(
            photograph.imported_by, photograph.imported_at, photograph.imported_from
        ),
    )


# -- the setting -------------------------------------------------------------------------------


def allowed_in(session: Session) -> bool:
    row = VaultSettingRepository(session).get(PHOTOGRAPHS_ALLOWED)
    return row is not None and row.value == "yes"


def photographs_allowed(ws: Workspace) -> bool:
    """Whether this vault's organisation allows photographs (off until someone says so)."""
    with ws.unit_of_work() as session:
        return allowed_in(session)


def set_photographs_allowed(ws: Workspace, allowed: bool) -> None:
    """Record the organisation's policy in the vault: audited and sealed, signed by who said so.
    Photographs already kept stay (they are records); turning this off stops new ones."""
    with ws.unit_of_work() as session:
        if allowed_in(session) == allowed:
            return
        row = VaultSettingRepository(session).put(
            PHOTOGRAPHS_ALLOWED, "yes" if allowed else "no", **ws.authorship()
        )
        ws.audit_sealed(
            session,
            AuditAction.UPDATE,
            "vault_setting",
            row.id,
            [("vault_setting", row.id)],
            setting=PHOTOGRAPHS_ALLOWED,
            value="yes" if allowed else "no",
        )


# -- attaching ---------------------------------------------------------------------------------


def _owner(session: Session, owner_kind: str, owner_id: str) -> e.Entry:
    if owner_kind not in PHOTOGRAPH_OWNERS:
        raise InvalidInput(
            f"A photograph can be attached to: {', '.join(PHOTOGRAPH_OWNERS)}; not {owner_kind}."
        )
    owner = session.get(e.model_of(owner_kind), owner_id)
    if owner is None:
        raise InvalidInput(f"There is no {owner_kind} with id {owner_id}; check the id.")
    return owner


def read_file(path: Path) -> bytes:
    """A chosen file's bytes; the size limit is checked before reading, so a 40 MB file is refused
    unread, and a device or pipe (/dev/zero, a FIFO) is refused at once (vault/files.py
    read_regular). One sentence for a missing or unreadable file."""
    try:
        if path.is_file():
            problem = rules.size_problem(path.stat().st_size)
            if problem:
                raise InvalidInput(problem)
        return files.read_regular(path, rules.MAX_BYTES, "photograph")
    except FileNotFoundError:
        raise InvalidInput(f"There is no file {path}; check the name.") from None
    except PermissionError:
        raise InvalidInput(f"{path} cannot be read; check its permissions.") from None


def attach(ws: Workspace, owner_kind: str, owner_id: str, data: bytes) -> Attached:
    """Keep a photograph with a draft record, cleaned of location and device data (domain/
    photographs.py). Refused in one sentence, with nothing kept, when photographs are off, the
    record is final or missing, or the file is not a whole JPEG/PNG within the limits."""
    with ws.unit_of_work() as session:
        if not allowed_in(session):
            raise Problem(NOT_ALLOWED)
        owner = _owner(session, owner_kind, owner_id)
        if owner.status is EntryStatus.FINAL:
            raise FinalEntryIsReadOnly(
                f"This {owner_kind} is final, so no photograph can be added to it; record a new "
                f"{owner_kind} with the photograph, or an amendment."
            )
        clean = rules.clean(data)
        sha256 = hashlib.sha256(clean.data).hexdigest()
        photograph = PhotographRepository(session).add(
            clean.data,
            child_id=owner.child_id,  # type: ignore[attr-defined]
            owner_kind=owner_kind,
            owner_id=owner_id,
            status=EntryStatus.DRAFT,
            media_type=clean.media_type,
            byte_count=len(clean.data),
            width=clean.width,
            height=clean.height,
            sha256=sha256,
            captured_at=clean.captured_at,
            attached_at=now_utc(),
            location_removed=clean.location_removed,
            device_removed=clean.device_removed,
            **ws.authorship(),
        )
        ws.audit(
            session,
            AuditAction.CREATE,
            TABLE,
            photograph.id,
            owner_kind=owner_kind,
            owner_id=owner_id,
            sha256=sha256,
            location_removed=clean.location_removed,
            device_removed=clean.device_removed,
        )
        return Attached(record_of(photograph), clean.removed_sentence())


def attach_file(ws: Workspace, owner_kind: str, owner_id: str, path: Path) -> Attached:
    return attach(ws, owner_kind, owner_id, read_file(path))


def remove_draft(ws: Workspace, photograph_id: str) -> None:
    """Take a photograph off a draft (audited). A final photograph is never removed."""
    with ws.unit_of_work() as session:
        repo = PhotographRepository(session)
        photograph = _photograph(repo, photograph_id)
        if photograph.status is EntryStatus.FINAL:
            raise FinalEntryIsReadOnly(
                "This photograph is final and cannot be removed; record an amendment of its "
                f"{photograph.owner_kind} saying why it is wrong."
            )
        repo.delete_draft(photograph)
        ws.audit(session, AuditAction.DELETE_DRAFT, TABLE, photograph_id)


# -- with its owner (called by services/records.py) ------------------------------------------------


def finalise_with_owner(session: Session, owner_kind: str, owner_id: str) -> list[tuple[str, str]]:
    """An owner going final takes its photographs with it: (table, id) of each, to be sealed in
    the owner's finalise event."""
    ids = PhotographRepository(session).finalise_owner(owner_kind, owner_id, now_utc())
    return [(TABLE, photograph_id) for photograph_id in ids]


def delete_with_owner(session: Session, owner_kind: str, owner_id: str) -> None:
    """A draft deleted takes its draft photographs with it."""
    repo = PhotographRepository(session)
    for photograph in repo.of_owner(owner_kind, owner_id):
        repo.delete_draft(photograph)


def amendment_fields(session: Session, owner_kind: str, owner_id: str) -> list[str]:
    """The amendment fields naming each photograph of a record ("photograph.<id>")."""
    return [
        rules.AMENDMENT_PREFIX + p.id
        for p in PhotographRepository(session).of_owner(owner_kind, owner_id)
    ]


# -- reading -----------------------------------------------------------------------------------


def _photograph(repo: PhotographRepository, photograph_id: str) -> Photograph:
    photograph = repo.get(photograph_id)
    if photograph is None:
        raise InvalidInput(f"There is no photograph with id {photograph_id}; check the id.")
    return photograph


def photographs_of(ws: Workspace, owner_kind: str, owner_id: str) -> list[PhotographRecord]:
    with ws.unit_of_work() as session:
        return [record_of(p) for p in PhotographRepository(session).of_owner(owner_kind, owner_id)]


def photographs_of_child(ws: Workspace, child_id: str) -> list[PhotographRecord]:
    with ws.unit_of_work() as session:
        return [record_of(p) for p in PhotographRepository(session).of_child(child_id)]


def photograph_data(ws: Workspace, photograph_id: str) -> tuple[PhotographRecord, bytes]:
    """A photograph and its bytes (in memory only)."""
    with ws.unit_of_work() as session:
        repo = PhotographRepository(session)
        photograph = _photograph(repo, photograph_id)
        return record_of(photograph), repo.data(photograph_id)


def thumbnails(
    ws: Workspace, owner_kind: str, owner_id: str, side: int = rules.THUMBNAIL_SIDE
) -> list[tuple[PhotographRecord, bytes]]:
    """Each photograph of a record with a PNG thumbnail made in memory."""
    return list(entry_photographs(ws, owner_kind, owner_id, side).photographs)


def export_photograph(ws: Workspace, photograph_id: str, destination: Path) -> str | None:
    """Write one photograph (as kept: cleaned) to a chosen file, whole or not at all, and audit
    the export. Returns None once audited, or the sentence saying the copy is made but unaudited
    because the vault's disk is full (Workspace.audit_copy_made)."""
    record, data = photograph_data(ws, photograph_id)
    files.refuse_inside(ws.vault.paths.root, destination)
    files.refuse_link(destination)
    return copy_out(
        ws,
        destination,
        data,
        "photograph",
        lambda: ws.audit_copy_made(
            AuditAction.EXPORT,
            record_kind=TABLE,
            record_id=record.id,
            what="photograph",
            sha256=record.sha256,
        ),
    )


def final_digests(session: Session) -> list[tuple[str, str, str]]:
    """(id, recorded SHA-256, SHA-256 of the bytes now) of each final photograph, for verify."""
    return PhotographRepository(session).final_digests()


@dataclass(frozen=True)
class EntryPhotographs:
    """What the entry view shows of a record's photographs: whether new ones may be attached
    (the vault allows them), and each kept one with a PNG thumbnail made in memory."""

    allowed: bool
    photographs: tuple[tuple[PhotographRecord, bytes], ...]


def entry_photographs(
    ws: Workspace, owner_kind: str, owner_id: str, side: int = rules.THUMBNAIL_SIDE
) -> EntryPhotographs:
    with ws.unit_of_work() as session:
        repo = PhotographRepository(session)
        return EntryPhotographs(
            allowed_in(session),
            tuple(
                (record_of(p), rules.thumbnail(repo.data(p.id), side))
                for p in repo.of_owner(owner_kind, owner_id)
            ),
        )


def printed(ws: Workspace, entries: Sequence[tuple[str, str, str]]) -> list[PrintedPhotograph]:
    """The photographs to print in a document listing `entries` — (kind, id, the entry in words)
    — in the entries' order, each with its bytes (in memory)."""
    wanted = [(kind, entry_id, words) for kind, entry_id, words in entries if kind in OWNER_KINDS]
    found: list[PrintedPhotograph] = []
    with ws.unit_of_work() as session:
        repo = PhotographRepository(session)
        for kind, entry_id, words in wanted:
            found += [
                PrintedPhotograph(record_of(p), repo.data(p.id), words)
                for p in repo.of_owner(kind, entry_id)
            ]
    return found
