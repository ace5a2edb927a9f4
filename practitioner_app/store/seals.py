"""Seals: a keyed fingerprint of every record the audit chain speaks for, kept in an append-only
ledger beside the audit event that vouches for it.

seal = HMAC-SHA256(audit key, "record seal" ‖ canonical form of the table, the row and its parts),
where the row is every stored column that is not NULL (author, times, provenance, status,
content...) as SQLite holds it, and the parts are the rows frozen with it (an entry's links and its
injury). Each value is written with its column name, a type letter and its length, so no text can
pass for another field; a column added later with NULL in existing rows leaves their seals as they
were.

Every action that finalises, amends, changes a status, adds or changes a person or a choice, or
imports, writes the seals of the rows it touched into `record_seal` with the sequence number of its
audit event; the event itself carries the count and a keyed digest of those seals, so the ledger
cannot be edited without breaking the chain, nor the rows without breaking their seals. `verify`
(services/verification.py) checks all three against each other, both ways.
"""

import hashlib
import hmac
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from practitioner_app.domain.kinds import spec
from practitioner_app.store.base import Base
from practitioner_app.store.bulk_sqlite import insert_rows
from practitioner_app.store.entries import DEPENDENT_TABLES, ENTRY_KINDS
from practitioner_app.store.photographs import Photograph  # noqa: F401  (registers the tables)

# The seal written when the app removes a record that may be removed (a chronology choice set back
# to the rule): the ledger then says it is meant to be gone.
REMOVED = "removed"

_CHUNK = 500


class RecordSeal(Base):
    """One seal: which record, its keyed fingerprint, and the audit event that vouches for it.
    Append-only; the latest row for a record (highest id) is what it must match now."""

    __tablename__ = "record_seal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    audit_seq: Mapped[int] = mapped_column(Integer)
    record_table: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))
    seal: Mapped[str] = mapped_column(String(64))


@dataclass(frozen=True)
class SealedTable:
    """A table whose rows are sealed. `parts`: (table, column naming this row) of rows frozen with
    it. `final_only`: only final rows are sealed (drafts change freely and are not evidence)."""

    name: str
    words: str
    parts: tuple[tuple[str, str], ...] = ()
    final_only: bool = False
    evidence: bool = False


def _sealed_tables() -> dict[str, SealedTable]:
    tables: dict[str, SealedTable] = {}
    for kind, model in ENTRY_KINDS.items():
        name = model.__tablename__
        parts = tuple(
            (table, column) for table, column, parent in DEPENDENT_TABLES if parent == name
        )
        tables[name] = SealedTable(name, spec(kind).words, parts, final_only=True, evidence=True)
    for name, words, evidence in (
        ("amendment", "amendment", True),
        ("concern_status_change", "concern status change", True),
        ("record_revision", "revision brought by an import", True),
        ("child", "child", False),
        ("household_member", "household member", False),
        ("household_link", "household member's link to a child", False),
        ("professional", "professional", False),
        ("professional_link", "professional's link to a child", False),
        ("chronology_choice", "chronology choice", False),
        ("alert_review", "alert review", True),
        ("agency_alias", "agency name merge", False),
        ("practitioner", "practitioner profile", False),
        ("vault_setting", "vault setting", False),
    ):
        tables[name] = SealedTable(name, words, evidence=evidence)
    # Sealed final as its owner entry is; its bytes are vouched for by the sealed sha256.
    tables["photograph"] = SealedTable("photograph", "photograph", final_only=True, evidence=True)
    return tables


# Every table of records the audit speaks for (tests/test_tamper.py checks every table of the
# schema is here, a part of one of these, or named in NOT_SEALED with the reason).
SEALED_TABLES = _sealed_tables()
NOT_SEALED = {
    "audit_event": "the chain itself, checked link by link",
    "record_seal": "the ledger, checked against the audit events that vouch for it",
    "alembic_version": "the schema revision, checked by the migration step",
    "search_row": "the search index, kept by triggers from the records and rebuilt from them",
    "photograph_chunk": "a photograph's bytes, checked by verify against the SHA-256 sealed "
    "with the photograph (sealing megabytes as text would cost seconds per photograph)",
    "caseload_summary": "the caseload's flags, kept by triggers from the entries; verify "
    "compares them with the entries",
}


def _columns(table: str) -> list[str]:
    return sorted(column.name for column in Base.metadata.tables[table].columns)


Row = tuple[Any, ...]


def _select(
    connection: Connection, table: str, where: str = "", params: Sequence[Any] = ()
) -> list[Row]:
    """Rows as stored (no type conversion: what is on disk is what is sealed), columns in the
    order of `_columns(table)`."""
    sql = f"SELECT {', '.join(_columns(table))} FROM {table} {where}"
    return [tuple(row) for row in connection.exec_driver_sql(sql, tuple(params)).fetchall()]


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _most_of(connection: Connection, table: str, count: int) -> bool:
    """Whether `count` rows are at least half of `table` (its highest rowid stands for its size:
    never fewer than its rows)."""
    highest = connection.exec_driver_sql(f"SELECT max(rowid) FROM {table}").scalar()
    return highest is None or 2 * count >= highest


def _in(column: str, count: int) -> str:
    return f"{column} IN ({', '.join('?' for _ in range(count))})"


def _field(name: str, value: Any) -> str:
    if isinstance(value, str):
        text, kind = value, "s"
    elif isinstance(value, bool | int):
        text, kind = str(int(value)), "i"
    elif isinstance(value, float):
        text, kind = repr(value), "f"
    elif isinstance(value, bytes):
        text, kind = value.hex(), "b"
    else:
        raise TypeError(f"cannot seal a {type(value).__name__} from column {name}")
    return f"{name}={kind}{len(text)}:{text};"


def _encoded(columns: list[str], row: Row) -> str:
    """A row's canonical text: each non-NULL column as name=<type><length>:<value>;"""
    # Most stored values are text or whole numbers: written here as `_field` would, without its
    # chain of checks (an import seals a few million values).
    return "".join(
        [
            f"{name}=s{len(value)}:{value};"
            if type(value) is str
            else f"{name}=i{len(number := str(value))}:{number};"
            if type(value) is int
            else _field(name, value)
            for name, value in zip(columns, row, strict=True)
            if value is not None
        ]
    )


def seal_of(key: bytes, table: str, row: str, parts: dict[str, list[str]]) -> str:
    """The seal of a row given in its canonical text, with its parts' rows likewise (any order)."""
    text = [f"{table}\n{len(row)}:{row}\n"]
    for name in sorted(parts):
        encoded = sorted(parts[name])
        text.append(f"{name}\n{len(encoded)}\n")
        text += (f"{len(part)}:{part}\n" for part in encoded)
    message = b"record seal\x00" + "".join(text).encode("utf-8")
    # The one-shot form of hmac.new(key, message, sha256): the same digest, at half the cost.
    return hmac.digest(key, message, "sha256").hex()


@dataclass(frozen=True)
class CurrentRecord:
    """A sealed table's row as it is now: its seal, and (for entries) whether it is final."""

    seal: str
    final: bool
    # When an import brought it, as stored ("YYYY-MM-DD HH:MM:SS.ffffff", UTC); None if written here.
    imported_at: str | None = None


def current(
    connection: Connection, key: bytes, table: str, ids: Sequence[str] | None = None
) -> dict[str, CurrentRecord]:
    """id → the row's seal as it is now, for every row of `table` (or those of `ids`). Drafts of a
    `final_only` table are listed (final=False) but have no seal."""
    sealed = SEALED_TABLES[table]
    columns = _columns(table)
    at_id = columns.index("id")
    at_status = columns.index("status") if sealed.final_only else None
    at_imported = columns.index("imported_at") if "imported_at" in columns else None
    rows: list[Row] = []
    whole = ids is None or _most_of(connection, table, len(ids))
    if ids is None:
        rows = _select(connection, table)
    elif whole:
        # Most of the table (an import into a new vault): one pass over it in storage order
        # costs half as much as looking each id up in the index.
        by_id = {row[at_id]: row for row in _select(connection, table)}
        rows = [by_id[record_id] for record_id in dict.fromkeys(ids) if record_id in by_id]
    else:
        for chunk in _chunks(list(ids)):
            rows += _select(connection, table, "WHERE " + _in("id", len(chunk)), chunk)
    parts: dict[str, dict[str, list[str]]] = {}
    for part, column in sealed.parts:
        by_owner = parts.setdefault(part, {})
        part_columns = _columns(part)
        at_owner = part_columns.index(column)
        if whole:  # every row's parts, of which those of `rows` are taken below
            found = _select(connection, part)
        else:
            found = [
                r
                for chunk in _chunks([row[at_id] for row in rows])
                for r in _select(connection, part, "WHERE " + _in(column, len(chunk)), chunk)
            ]
        for part_row in found:
            by_owner.setdefault(part_row[at_owner], []).append(_encoded(part_columns, part_row))
    result: dict[str, CurrentRecord] = {}
    for row in rows:
        final = at_status is None or row[at_status] == "final"
        record_id = row[at_id]
        seal = ""
        if final:
            own_parts = {part: parts[part].get(record_id, []) for part, _ in sealed.parts}
            seal = seal_of(key, table, _encoded(columns, row), own_parts)
        imported = None if at_imported is None else row[at_imported]
        result[record_id] = CurrentRecord(seal, final, imported)
    return result


def summary(key: bytes, seals: Iterable[tuple[str, str, str]]) -> dict[str, Any]:
    """What an audit event records of the seals it vouches for: how many, and a keyed digest of
    them all (order does not matter)."""
    lines = sorted(f"{table}\x00{record_id}\x00{seal}\n" for table, record_id, seal in seals)
    digest = hmac.new(key, b"seal ledger\x00", hashlib.sha256)
    for line in lines:
        digest.update(line.encode("utf-8"))
    return {"count": len(lines), "digest": digest.hexdigest()}


def seals_for(
    session: Session, key: bytes, records: Iterable[tuple[str, str]]
) -> list[tuple[str, str, str]]:
    """(table, id, seal) of each record as it stands in this transaction; a draft entry (not
    sealed) or a record that is not there is left out."""
    session.flush()
    by_table: dict[str, list[str]] = {}
    for table, record_id in records:
        by_table.setdefault(table, []).append(record_id)
    connection = session.connection()
    result: list[tuple[str, str, str]] = []
    for table, ids in by_table.items():
        for record_id, record in current(connection, key, table, list(dict.fromkeys(ids))).items():
            if record.final:
                result.append((table, record_id, record.seal))
    return result


def write_ledger(session: Session, audit_seq: int, seals: Iterable[tuple[str, str, str]]) -> None:
    """Append seals to the ledger, in the order given (a record's seal is the last one written
    for it: verification reads the ledger oldest first)."""
    rows = [
        {"audit_seq": audit_seq, "record_table": table, "record_id": record_id, "seal": seal}
        for table, record_id, seal in seals
    ]
    # Many rows per statement: an import writes a seal for each of its ~150,000 records, and
    # the ORM's bulk insert cost more than the hashing that made them.
    insert_rows(session, Base.metadata.tables[RecordSeal.__tablename__], rows)


def ledger(connection: Connection) -> Iterator[tuple[int, str, str, str]]:
    """(audit seq, table, id, seal) of every seal, oldest first."""
    yield from connection.exec_driver_sql(
        "SELECT audit_seq, record_table, record_id, seal FROM record_seal ORDER BY id"
    )
