"""Fast bulk inserts for imports: many rows per statement, values converted by the columns' own types.

sqlcipher3's executemany prepares the statement again for every row, and an INSERT into a table
with triggers, checks and foreign keys costs about 2 ms to prepare. One multi-row VALUES statement
per batch is prepared once; compiling it with SQLAlchemy would cost more than the insert, so the SQL
is written here and each value goes through its column type's bind processor, exactly as the ORM
would store it.
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Dialect, Table
from sqlalchemy.orm import Session

from practitioner_app.store.base import UTCDateTime

ROWS_PER_STATEMENT = 200

# An import's page cache, in MiB, instead of the vault's 32 (vault/engine.py). Its rows go into
# indexes keyed by random UUIDs; once those outgrow the cache, nearly every insert reads and
# decrypts a page and later encrypts and writes it back. The raw inserts of the 4,000-child
# workload (3.8 million rows) took 219 s with 16 MiB, 143 with 64, 118 with 128, 114 with 256
# (issue 19). Only pages the import touches are held, and only until it ends.
IMPORT_PAGE_CACHE_MIB = 128

# A read of every child's records (the caseload's alerts, worked out at unlock), in MiB, instead
# of the vault's 32. It reads most pages once, so what it leaves in the cache is memory the window
# holds for nothing: with 32 the window held 17 MB more after unlock (issue 19). Searches, which
# read the same index pages again and again, grow the cache back to 32 afterwards.
SCAN_PAGE_CACHE_MIB = 16


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows (dicts with the same keys) into `table` in the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    given = list(rows[0])
    last: list[tuple[Any, Any]] = [(None, None)]  # shared by the time columns (_converter)
    # Columns the rows leave out get their Python-side defaults, as an ORM insert would.
    left_out = [c for c in table.columns if c.name not in given and c.default is not None]
    defaults = [(column.default, _converter(column, dialect, last)) for column in left_out]
    names = given + [column.name for column in left_out]
    # Conversions by position, for the given columns that have one.
    converted = [
        (at, process)
        for at, name in enumerate(given)
        if (process := _converter(table.c[name], dialect, last)) is not None
    ]
    one_row = "(" + ", ".join("?" for _ in names) + ")"
    head = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES "
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        batch = rows[start : start + ROWS_PER_STATEMENT]
        values: list[Any] = []
        for row in batch:
            if len(row) != len(given):
                raise ValueError(f"rows for {table.name} do not all have the same columns")
            stored = [row[name] for name in given]
            for at, process in converted:
                if stored[at] is not None:
                    stored[at] = process(stored[at])
            for default, process in defaults:
                value = _default(default)
                stored.append(
                    process(value) if process is not None and value is not None else value
                )
            values += stored
        connection.exec_driver_sql(head + ", ".join([one_row] * len(batch)), tuple(values))


def _converter(
    column: ColumnElement[Any], dialect: Dialect, last: list[tuple[Any, Any]]
) -> Callable[[Any], Any] | None:
    """The column type's bind processor: a value as the ORM would store it, or None if the
    value is stored as it is. A time in UTC (as an import gives every time) goes straight to
    SQLite's DATETIME text by isoformat, a fifth of the general path's cost (an import stores
    ~900,000 times), once that is checked to give the very text the column type gives.

    `last` holds the time the time columns converted last, and its text, shared by them all: an
    entry's created, updated, recorded and finalised times are most often one datetime."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if process is None or not isinstance(column.type, UTCDateTime):
        return process
    probes = (datetime(2026, 3, 29, 1, 2, 3, 4, tzinfo=UTC), datetime(987, 6, 5, tzinfo=UTC))
    if any(process(probe) != _stored_utc(probe) for probe in probes):
        return process

    def convert(value: datetime) -> Any:
        if value is last[0][0]:
            return last[0][1]
        text = _stored_utc(value) if value.tzinfo is UTC else process(value)
        last[0] = (value, text)
        return text

    return convert


def _stored_utc(moment: datetime) -> str:
    """A UTC time as SQLite's DATETIME text: "2026-11-23 10:00:00.000000"."""
    # Cut from "2026-11-23 10:00:00.000000+00:00" (the year always has four digits): cheaper
    # than making the naive copy first.
    return moment.isoformat(" ", "microseconds")[:26]


def _default(default: Any) -> Any:
    if default.is_scalar:
        return default.arg
    if default.is_callable:
        return default.arg(
            None
        )  # SQLAlchemy wraps plain callables to accept (and ignore) a context
    raise ValueError("SQL-expression defaults are not supported in bulk inserts")


def defer_foreign_keys(session: Session) -> None:
    """Check foreign keys when the transaction commits rather than row by row (SQLite; the
    setting ends with the transaction). An import writes a final entry's links before the
    entry, because the integrity triggers refuse links added to a final entry afterwards."""
    session.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")


def use_page_cache(session: Session, mib: int) -> None:
    """Let the session's connection keep up to `mib` MiB of decrypted pages for the rest of its
    unit of work, commit included. The pool sets the vault's own size back when the connection
    returns to it, however the unit of work ended (vault/engine.py)."""
    session.connection().exec_driver_sql(f"PRAGMA cache_size = {-mib * 1024}")
