"""Fast bulk inserts for imports: many rows per statement, values converted by the columns' own types.

sqlcipher3's executemany prepares the statement again for every row, and an INSERT into a table
with triggers, checks and foreign keys costs about 2 ms to prepare. One multi-row VALUES statement
per batch is prepared once; compiling it with SQLAlchemy would cost more than the insert, so the SQL
is written here and each value goes through its column type's bind processor, exactly as the ORM
would store it.
"""

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

ROWS_PER_STATEMENT = 200


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows (dicts with the same keys) into `table` in the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    given = list(rows[0])
    # Columns the rows leave out get their Python-side defaults, as an ORM insert would.
    defaults = {
        column.name: column.default
        for column in table.columns
        if column.name not in given and column.default is not None
    }
    names = given + list(defaults)
    convert: list[Callable[[Any], Any] | None] = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    ]
    one_row = "(" + ", ".join("?" for _ in names) + ")"
    head = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES "
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        batch = rows[start : start + ROWS_PER_STATEMENT]
        values: list[Any] = []
        for row in batch:
            if len(row) != len(given):
                raise ValueError(f"rows for {table.name} do not all have the same columns")
            for name, process in zip(names, convert, strict=True):
                value = row[name] if name in row else _default(defaults[name])
                values.append(
                    process(value) if process is not None and value is not None else value
                )
        connection.exec_driver_sql(head + ", ".join([one_row] * len(batch)), tuple(values))


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
