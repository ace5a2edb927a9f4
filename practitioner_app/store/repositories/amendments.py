"""Amendments: which entries have been corrected, and the corrections themselves."""

import json
from functools import cache
from typing import Any

from sqlalchemy import TextualSelect, func, select, text
from sqlalchemy.orm import Session

from practitioner_app.store import entries as e
from practitioner_app.store.repositories.generic import NamedRow, Repository, plain_rows

# What is read of an amendment to show it beside its entry.
_COLUMNS = (
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


def _listed(ids: list[str]) -> Any:
    """The ids as a subquery over one JSON array (SQLite's json_each), not one bound parameter
    each: thousands of parameters are rendered into the SQL at every call, which cost more than
    the lookups themselves on a child with thousands of entries (issue 19)."""
    return select(func.json_each(json.dumps(ids)).table_valued("value").c.value)


@cache
def _of_entries() -> TextualSelect:
    """Amendments of entries of kind :kind whose ids are in :ids, a JSON array (`_listed`);
    made once, typed by _COLUMNS so dates and flags come back converted."""
    names = ", ".join(column.name for column in _COLUMNS)
    return text(
        f"SELECT {names} FROM amendment WHERE target_kind = :kind "
        "AND target_id IN (SELECT value FROM json_each(:ids)) ORDER BY recorded_at"
    ).columns(*_COLUMNS)


class AmendmentRepository(Repository[e.Amendment]):
    def __init__(self, session: Session) -> None:
        super().__init__(session, e.Amendment, "amendment")

    def amended_ids(self, kind: str, ids: list[str]) -> set[str]:
        """Those of these entries of one kind that have at least one amendment."""
        query = select(e.Amendment.target_id).where(
            e.Amendment.target_kind == kind, e.Amendment.target_id.in_(_listed(ids))
        )
        return set(self.session.scalars(query))

    def of_entries_by_kind(self, ids: dict[str, list[str]]) -> list[Any]:
        """The amendments of these entries (entry ids by kind of entry) as plain rows of
        _COLUMNS, oldest first for each entry; with the kind named, the lookups use the (kind,
        id) index. The statement is made once: built kind by kind at every call, it cost twice
        the lookups on a chronology of 2,000 entries, most of which have no amendment (issue 19)."""
        found: list[Any] = []
        for kind, kind_ids in ids.items():
            if kind_ids:
                query = _of_entries().params(kind=kind, ids=json.dumps(kind_ids))
                found += plain_rows(self.session, query)
        return found

    def target_of(self, amendment_id: str) -> NamedRow:
        """The entry an amendment corrects: a row of (target_kind, target_id)."""
        query = select(e.Amendment.target_kind, e.Amendment.target_id).where(
            e.Amendment.id == amendment_id
        )
        return self.session.execute(query).one()
