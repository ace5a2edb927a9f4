"""Alembic environment. The app passes an open, keyed connection; developers autogenerate against a
plain SQLite file: `alembic -c db/alembic.ini revision --autogenerate -m "..."`."""

from alembic import context
from sqlalchemy import create_engine

from practitioner_app.store import (  # noqa: F401  (register the tables)
    audit,
    caseload_summary,
    entries,
    people,
    photographs,
    seals,
    search,
)
from practitioner_app.store.base import Base
from practitioner_app.store.search import FTS_SHADOW_TABLES

config = context.config
target_metadata = Base.metadata


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """The FTS5 index and its shadow tables are made by raw SQL in a migration, not by models."""
    return not (type_ == "table" and name in FTS_SHADOW_TABLES)


def run(connection: object) -> None:
    # Batch mode: SQLite cannot ALTER most things, so Alembic copies and renames tables.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    url = config.get_main_option("sqlalchemy.url") or "sqlite:///autogenerate.sqlite"
    with create_engine(url).begin() as plain:
        run(plain)
