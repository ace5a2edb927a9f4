"""Marks on body maps: an occasion's marks, a child's maps, and the figure an occasion was drawn on."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from practitioner_app.domain.enums import EntryStatus
from practitioner_app.store import entries as e
from practitioner_app.store.repositories.entries import EntryRepository


class BodyMarkRepository(EntryRepository[e.BodyMark]):
    def __init__(self, session: Session) -> None:
        super().__init__(session, e.BodyMark, "body map mark")

    def of_occasion(self, observation_id: str, *, final_only: bool = False) -> Sequence[e.BodyMark]:
        """The marks of one observation's body map, in the order they were recorded."""
        query = select(e.BodyMark).where(e.BodyMark.observation_id == observation_id)
        if final_only:
            query = query.where(e.BodyMark.status == EntryStatus.FINAL)
        return self.session.scalars(query.order_by(e.BodyMark.recorded_at, e.BodyMark.id)).all()

    def of_child(
        self,
        child_id: str,
        *,
        final_only: bool,
        until: datetime | None = None,
        observation_ids: Sequence[str] | None = None,
    ) -> Sequence[e.BodyMark]:
        """The child's marks (those of some occasions only, when given), oldest first."""
        query = select(e.BodyMark).where(e.BodyMark.child_id == child_id)
        if final_only:
            query = query.where(e.BodyMark.status == EntryStatus.FINAL)
        if until is not None:
            query = query.where(e.BodyMark.occurred_at <= until)
        if observation_ids is not None:
            query = query.where(e.BodyMark.observation_id.in_(list(observation_ids)))
        order = (e.BodyMark.occurred_at, e.BodyMark.recorded_at, e.BodyMark.id)
        return self.session.scalars(query.order_by(*order)).all()

    def occasion(self, observation_id: str) -> e.Observation | None:
        return self.session.get(e.Observation, observation_id)

    def observations_of_concerns(self, concern_ids: Sequence[str]) -> list[str]:
        """The observations these concerns link to (a referral's concerns: its body maps)."""
        if not concern_ids:
            return []
        link = e.concern_observation.c
        query = select(link.observation_id).where(link.concern_id.in_(list(concern_ids)))
        return sorted(set(self.session.scalars(query)))
