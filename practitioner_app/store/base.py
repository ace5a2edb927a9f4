"""The declarative base, column types and the columns every row carries."""

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    MetaData,
    String,
    Text,
    TypeDecorator,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from practitioner_app.domain.labels import AUTHOR_NOT_RECORDED, signature
from practitioner_app.domain.times import as_utc, now_utc

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, UTC stored, aware UTC datetimes out.

    SQLite has no time zone type; storing naive UTC and refusing naive input keeps a visit at
    23:30 BST on the right day when it is shown in UK local time.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return as_utc(value).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        """Stored text straight to an aware UTC datetime. A chronology reads thousands of these,
        and the general path (the dialect's parse, then TypeDecorator's wrapper, then
        `replace(tzinfo=UTC)`) cost four times as much (issue 19). SQLite's DATETIME text,
        "2026-11-23 10:00:00.000000", is ISO 8601; anything else takes the general path."""
        parse = self.impl_instance.dialect_impl(dialect).result_processor(dialect, coltype)
        if parse is None:  # a driver that hands back datetimes itself
            return super().result_processor(dialect, coltype)
        from_iso = datetime.fromisoformat

        def process(value: Any) -> datetime | None:
            if value is None:
                return None
            try:
                return from_iso(value + "+00:00")
            except (TypeError, ValueError):
                return self.process_result_value(parse(value), dialect)

        return process


def new_id() -> str:
    return str(uuid.uuid4())


def enum_column(enum_class: Any, name: str) -> Enum:
    """Stored by value (e.g. 'was_not_brought') with a named CHECK constraint."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads it as a plain class attribute)
        datetime: UTCDateTime(),
        date: Date(),
        str: Text(),
        bool: Boolean(),
        list[str]: JSON(),
        dict[str, str]: JSON(),
    }


class Attributed:
    """Every row: a UUID, when it was created and last changed, and by whom (name, role, agency)."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    external_ref: Mapped[str | None] = mapped_column(String(200), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)
    author_name: Mapped[str]
    author_role: Mapped[str | None]
    author_agency: Mapped[str | None]
    # False when the record came from a source that did not say who wrote it (author_name is then
    # empty): shown as "author not recorded by the source", never as the importer.
    author_known: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Provenance of a record that came in a case bundle (resources/BUNDLE-FORMAT-2.md); all None
    # for a record written in this vault. `origin_vault` is the vault it was first written in;
    # `imported_by` the importing practitioner's signature, `imported_from` the source as named.
    origin_vault: Mapped[str | None] = mapped_column(String(36))
    imported_at: Mapped[datetime | None]
    imported_by: Mapped[str | None]
    imported_from: Mapped[str | None]

    @property
    def signature(self) -> str:
        """The author as the screens and PDFs print them."""
        if not self.author_known:
            return AUTHOR_NOT_RECORDED
        return signature(self.author_name, self.author_role, self.author_agency)
