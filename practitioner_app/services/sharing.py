"""The sharing log: every decision to share information about a child, or not to — what, with
whom, why, on what basis and with what consent (the seventh golden rule of information sharing).

A share made by phone, or a decision not to share, is recorded here by the practitioner; sending
or exporting a form records its own entry (services/forms.py, services/exports.py). Entries are
final as soon as they are recorded: they state what was done, and are corrected by amendment.
"""

from dataclasses import dataclass
from datetime import datetime

from practitioner_app.domain.enums import Consent, EntryStatus
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.labels import imported_note
from practitioner_app.domain.records import SharingDetails
from practitioner_app.services import records
from practitioner_app.services.views import EntryView
from practitioner_app.services.workspace import Workspace
from practitioner_app.store.repositories.amendments import AmendmentRepository
from practitioner_app.store.repositories.children import ChildRepository
from practitioner_app.store.repositories.entries import SharingRepository


@dataclass(frozen=True)
class SharingRow:
    id: str
    status: EntryStatus
    occurred_at: datetime
    recorded_at: datetime
    recorded_at_known: bool  # False: the source did not say; recorded_at is then a stand-in
    author: str
    imported: str | None  # "imported by … on … from …", None when written in this vault
    shared: bool
    with_whom: str
    what: str
    purpose: str
    lawful_basis: str | None
    consent: Consent
    reason: str | None
    amended: bool


def record(ws: Workspace, details: SharingDetails) -> EntryView:
    """Record a share, or a decision not to share, as a final entry in one unit of work."""
    with ws.unit_of_work() as session:
        entry = records.create_in(ws, session, details)
        records.finalise_in(ws, session, RecordKind.SHARING_RECORD, entry.id)
        return records.view_of(session, RecordKind.SHARING_RECORD, entry)


def log(ws: Workspace, child_id: str) -> list[SharingRow]:
    """The child's sharing log, newest first."""
    with ws.unit_of_work() as session:
        ChildRepository(session).fetch(child_id)
        found = SharingRepository(session).log_for_child(child_id)
        amended = AmendmentRepository(session).amended_ids(
            RecordKind.SHARING_RECORD, [x.id for x in found]
        )
        return [
            SharingRow(
                id=x.id,
                status=x.status,
                occurred_at=x.occurred_at,
                recorded_at=x.recorded_at,
                recorded_at_known=x.recorded_at_known,
                author=x.signature,
                imported=imported_note(x.imported_by, x.imported_at, x.imported_from),
                shared=x.shared,
                with_whom=x.with_whom,
                what=x.what,
                purpose=x.purpose,
                lawful_basis=x.lawful_basis,
                consent=x.consent,
                reason=x.reason,
                amended=x.id in amended,
            )
            for x in found
        ]
