"""The generic repository: rows of one model by id (Mealie's `repository_generic.py`, minus commits).

A repository is given the service's Session and only flushes, so the service's unit of work decides
whether everything a user action did is committed or rolled back together.
"""

from collections import namedtuple
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Generic, TypeVar

from sqlalchemy import Executable, Row
from sqlalchemy.orm import Session

from practitioner_app.domain.errors import InvalidInput

ModelT = TypeVar("ModelT")

# A result row read by column name (row.id, row.occurred_at), never by position.
NamedRow = Row[*tuple[Any, ...]]


@lru_cache(maxsize=256)
def _row_type(keys: tuple[str, ...]) -> type:
    """A named tuple type for the columns `keys` of a query, made once per query shape."""
    return namedtuple("PlainRow", keys)


def plain_rows(
    session: Session, query: Executable, parameters: Mapping[str, Any] | None = None
) -> list[Any]:
    """Every row of `query` (with its bound `parameters`, if it has any) as a plain named tuple
    (typed Any: its attributes are the query's columns). For rows read by the thousand: reading an attribute of SQLAlchemy's Row costs
    about a microsecond, of a named tuple a few tens of nanoseconds, and a chronology row reads
    some twenty; a named tuple is also cheaper to make than an object with a dict (issue 19).

    Run on the session's connection as a Core statement: the ORM's loading machinery, which a
    select of columns gains nothing from, cost a third of a long chronology's reading. Pending
    changes are flushed first, as the session's own execute would."""
    session.flush()
    result = session.connection().execute(query, parameters)
    row_type = _row_type(tuple(result.keys()))
    make = tuple.__new__
    return [make(row_type, values) for values in result.all()]  # one fetchall


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
