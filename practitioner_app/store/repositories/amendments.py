"""Amendments: which entries have been corrected, and the corrections themselves."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from practitioner_app.store import entries as e
from practitioner_app.store.repositories.generic import NamedRow, Repository

# Ids per IN (...) list: well below the bound-parameter limits of SQLite and PostgreSQL.
_BATCH = 500


class AmendmentRepository(Repository[e.Amendment]):
    def __init__(self, session: Session) -> None:
        super().__init__(session, e.Amendment, "amendment")

    def amended_ids(self, kind: str, ids: list[str]) -> set[str]:
        """Those of these entries of one kind that have at least one amendment."""
        found: set[str] = set()
        for start in range(0, len(ids), _BATCH):
            query = select(e.Amendment.target_id).where(
                e.Amendment.target_kind == kind,
                e.Amendment.target_id.in_(ids[start : start + _BATCH]),
            )
            found.update(self.session.scalars(query))
        return found

    def of_entries(self, ids: list[str]) -> list[NamedRow]:
        """The amendments of these entries as named rows (target_kind, target_id, field,
        new_value, reason, author_name, author_role, author_agency, author_known, recorded_at,
        recorded_at_known, imported_by, imported_at, imported_from), oldest first for each
        entry."""
        found: list[NamedRow] = []
        for start in range(0, len(ids), _BATCH):
            query = (
                select(
                    e.Amendment.target_kind,
                    e.Amendment.target_id,
                    e.Amendment.field,
                    e.Amendment.new_value,
                    e.Amendment.reason,
                    e.Amendment.author_name,
                    e.Amendment.author_role,
                    e.Amendment.author_agency,
                    e.Amendment.author_known,
                    e.Amendment.recorded_at,
                    e.Amendment.recorded_at_known,
                    e.Amendment.imported_by,
                    e.Amendment.imported_at,
                    e.Amendment.imported_from,
                )
                .where(e.Amendment.target_id.in_(ids[start : start + _BATCH]))
                .order_by(e.Amendment.recorded_at)
            )
            found += self.session.execute(query).all()
        return found

    def target_of(self, amendment_id: str) -> NamedRow:
        """The entry an amendment corrects: a row of (target_kind, target_id)."""
        query = select(e.Amendment.target_kind, e.Amendment.target_id).where(
            e.Amendment.id == amendment_id
        )
        return self.session.execute(query).one()
