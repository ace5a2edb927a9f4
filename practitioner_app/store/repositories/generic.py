"""The generic repository: rows of one model by id (Mealie's `repository_generic.py`, minus commits).

A repository is given the service's Session and only flushes, so the service's unit of work decides
whether everything a user action did is committed or rolled back together.
"""

from typing import Any, Generic, TypeVar

from sqlalchemy import Result, Row
from sqlalchemy.orm import Session

from practitioner_app.domain.errors import InvalidInput

ModelT = TypeVar("ModelT")

# A result row read by column name (row.id, row.occurred_at), never by position.
NamedRow = Row[*tuple[Any, ...]]


class PlainRow:
    """A result row's values as plain attributes (row.id, row.occurred_at), for rows read by the
    thousand: reading an attribute of SQLAlchemy's Row costs about a microsecond, of this a few
    tens of nanoseconds, and a chronology row reads some twenty (issue 19)."""

    def __repr__(self) -> str:
        return f"PlainRow({self.__dict__!r})"


def plain_rows(result: Result[Any]) -> list[Any]:
    """Every row of `result` as a `PlainRow` (typed Any: its attributes are the query's columns)."""
    keys = list(result.keys())
    rows = []
    for values in result:
        row = PlainRow.__new__(PlainRow)
        row.__dict__ = dict(zip(keys, values, strict=True))
        rows.append(row)
    return rows


class Repository(Generic[ModelT]):
    """Get, fetch (or say plainly what is missing), add and delete rows of one model."""

    def __init__(self, session: Session, model: type[ModelT], what: str) -> None:
        self.session = session
        self.model = model
        self.what = what  # how the practitioner names one, in "There is no <what> with id ..."

    def get(self, record_id: str) -> ModelT | None:
        return self.session.get(self.model, record_id)

    def fetch(self, record_id: str) -> ModelT:
        """The row, or InvalidInput naming what was not found."""
        row = self.get(record_id)
        if row is None:
            raise InvalidInput(f"There is no {self.what} with id {record_id}; check the id.")
        return row

    def add(self, row: ModelT) -> ModelT:
        """Add and flush, so the row has its id and its defaults."""
        self.session.add(row)
        self.session.flush()
        return row

    def delete(self, row: ModelT) -> None:
        self.session.delete(row)
