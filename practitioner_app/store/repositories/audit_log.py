"""Reading the audit chain back: the trail in order, and what each finalising event recorded.

Appending and verifying the chain are in store/audit.py, beside the hashing they depend on.
"""

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from practitioner_app.domain.enums import AuditAction
from practitioner_app.domain.times import as_utc
from practitioner_app.store.audit import AuditEvent
from practitioner_app.store.repositories.generic import NamedRow


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def trail(self) -> Sequence[AuditEvent]:
        """Every event, in chain order."""
        return self.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()

    def first_at(self) -> datetime | None:
        """When the chain began (the vault was made), in UTC; None for an empty chain."""
        first = self.session.scalars(
            select(AuditEvent.at).order_by(AuditEvent.seq).limit(1)
        ).first()
        return None if first is None else as_utc(first)

    def last_detail_value(self, action: AuditAction, key: str) -> object:
        """The value under `key` in the detail of the newest `action` event that has it."""
        query = (
            select(AuditEvent.detail)
            .where(AuditEvent.action == action.value, AuditEvent.detail.like(f'%"{key}":%'))
            .order_by(AuditEvent.seq.desc())
            .limit(1)
        )
        detail = self.session.execute(query).scalar()
        return None if detail is None else json.loads(detail).get(key)

    def every_event(self) -> Sequence[NamedRow]:
        """(seq, at, action, record_kind, record_id, detail) of every event, in no set order."""
        query = select(
            AuditEvent.seq,
            AuditEvent.at,
            AuditEvent.action,
            AuditEvent.record_kind,
            AuditEvent.record_id,
            AuditEvent.detail,
        )
        return self.session.execute(query).all()

    def finalisations(self) -> Sequence[NamedRow]:
        """Named rows (record_kind, record_id, detail) of every event that finalised an entry;
        `detail` is the JSON the event was written with."""
        query = select(AuditEvent.record_kind, AuditEvent.record_id, AuditEvent.detail).where(
            AuditEvent.action == AuditAction.FINALISE.value
        )
        return self.session.execute(query).all()
