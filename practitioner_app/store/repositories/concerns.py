"""Concerns and their status now: the latest status change, else the status first recorded."""

from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from practitioner_app.domain.enums import ConcernLevel, ConcernStatus
from practitioner_app.store import entries as e
from practitioner_app.store.repositories.entries import EntryRepository


class ConcernNow(NamedTuple):
    child_id: str
    id: str
    level: ConcernLevel
    status: ConcernStatus


class ConcernRepository(EntryRepository[e.Concern]):
    def __init__(self, session: Session) -> None:
        super().__init__(session, e.Concern, "concern")

    def current(self, child_id: str | None = None) -> list[ConcernNow]:
        """Every concern (or one child's) with its level and its status now, in one query."""
        change = e.ConcernStatusChange
        latest = (
            select(change.new_status)
            .where(change.concern_id == e.Concern.id)
            .order_by(change.changed_at.desc(), change.recorded_at.desc())
            .limit(1)
            .scalar_subquery()
        )
        query = select(
            e.Concern.child_id,
            e.Concern.id,
            e.Concern.level,
            func.coalesce(latest, e.Concern.concern_status).label("status"),
        )
        if child_id is not None:
            query = query.where(e.Concern.child_id == child_id)
        return [
            ConcernNow(row.child_id, row.id, row.level, ConcernStatus(row.status))
            for row in self.session.execute(query)
        ]

    def statuses_now(self, child_id: str) -> dict[str, ConcernStatus]:
        """Each of the child's concerns by id, with its status now."""
        return {concern.id: concern.status for concern in self.current(child_id)}

    def closing_outcome(self, concern_id: str) -> str | None:
        """The outcome given when the concern was last closed, if one was."""
        query = (
            select(e.ConcernStatusChange.outcome)
            .where(
                e.ConcernStatusChange.concern_id == concern_id,
                e.ConcernStatusChange.new_status == ConcernStatus.CLOSED,
            )
            .order_by(e.ConcernStatusChange.changed_at.desc())
        )
        return self.session.scalars(query).first()
