"""The practitioner's choices of what matters to a child's chronology, by the entry chosen."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from practitioner_app.store.entries import ChronologyChoice
from practitioner_app.store.repositories.generic import Repository


class ChronologyChoiceRepository(Repository[ChronologyChoice]):
    def __init__(self, session: Session) -> None:
        super().__init__(session, ChronologyChoice, "chronology choice")

    def for_child(self, child_id: str) -> dict[str, bool]:
        """Whether each chosen entry is significant, by entry id (choices put back to the rule
        are left out)."""
        query = select(ChronologyChoice.record_id, ChronologyChoice.significant).where(
            ChronologyChoice.child_id == child_id, ChronologyChoice.significant.is_not(None)
        )
        return {row.record_id: row.significant for row in self.session.execute(query)}

    def for_record(self, record_id: str) -> ChronologyChoice | None:
        query = select(ChronologyChoice).where(ChronologyChoice.record_id == record_id)
        return self.session.scalars(query).one_or_none()
