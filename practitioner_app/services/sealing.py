"""Sealing the records a vault already held when it was upgraded to keyed seals (migration 0006).

The migration adds the ledger; the first unlock after it seals every record (store/seals.py) in
one audit event. A final entry whose content no longer matches the plain fingerprint it was
finalised with is not sealed: the event names it, and `verify` goes on naming it.
"""

import json
from typing import Any

from sqlalchemy.orm import Session

from practitioner_app.domain.enums import AuditAction
from practitioner_app.services.records import final_entry_digests
from practitioner_app.services.verification import SEALED_EXISTING
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import seals
from practitioner_app.store.repositories.audit_log import AuditRepository


def needs_sealing(had_ledger: bool, revision_before: str | None) -> bool:
    """Whether the migration that just ran brought the seal ledger to a vault that had records
    (told by the table, not by a revision number, so renumbering migrations cannot break it)."""
    return revision_before is not None and not had_ledger


def seal_existing(ws: Workspace, session: Session) -> None:
    audited: dict[tuple[str | None, str | None], str] = {}
    for event in AuditRepository(session).finalisations():
        audited[(event.record_kind, event.record_id)] = json.loads(event.detail).get(
            "content_sha256", ""
        )
    unsealed = []
    for kind, record_id, stored, now in final_entry_digests(session):
        known = [digest for digest in (stored, audited.get((kind, record_id))) if digest]
        if not known or any(digest != now for digest in known):
            unsealed.append((kind, record_id))
    connection = session.connection()
    left_out = set(unsealed)
    sealed = [
        (table, record_id, record.seal)
        for table in seals.SEALED_TABLES
        for record_id, record in seals.current(connection, ws.audit_key(), table).items()
        if record.final and (table, record_id) not in left_out
    ]
    detail: dict[str, Any] = {
        SEALED_EXISTING: len(sealed),
        "unsealed": [f"{kind} {record_id}" for kind, record_id in unsealed],
    }
    ws.audit_seals(session, AuditAction.MIGRATE, None, None, sealed, **detail)
