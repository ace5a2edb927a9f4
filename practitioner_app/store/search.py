"""The full-text index: an FTS5 table inside the encrypted vault, kept in step by triggers.

FTS5 rows are keyed by `search_row.id`, not by the source tables' implicit rowids, because VACUUM
(which every backup runs) may renumber implicit rowids and silently detach an external-content index.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, Session, mapped_column

from practitioner_app.domain.kinds import RecordKind
from practitioner_app.store.base import Base

FTS_TABLE = "search_index"
# Tables FTS5 creates for itself; schema comparisons leave them out.
FTS_SHADOW_TABLES = {
    FTS_TABLE,
    *(f"{FTS_TABLE}_{s}" for s in ("data", "idx", "content", "docsize", "config")),
}


class SearchRow(Base):
    """Which record each full-text row indexes."""

    __tablename__ = "search_row"
    __table_args__ = (UniqueConstraint("kind", "record_id", name="kind_record"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))


def _joined(*parts: str) -> str:
    return " || ' ' || ".join(f"coalesce({part}, '')" for part in parts)


def _list(column: str) -> str:
    return f"(SELECT group_concat(value, ' ') FROM json_each({column}))"


# Table → (the text it contributes, as an SQL expression over the row R; the columns it reads).
INDEXED: dict[str, tuple[str, tuple[str, ...]]] = {
    RecordKind.VISIT: (
        _joined("R.notes", "R.child_voice", _list("R.present")),
        ("notes", "child_voice", "present"),
    ),
    RecordKind.OBSERVATION: (_joined("R.text"), ("text",)),
    "injury": (
        _joined("R.description", "R.explanation_given", _list("R.body_regions")),
        ("description", "explanation_given", "body_regions"),
    ),
    RecordKind.CONCERN: (
        _joined("R.source", "R.summary", "R.details", "R.outcome"),
        ("source", "summary", "details", "outcome"),
    ),
    RecordKind.CHRONOLOGY_EVENT: (
        _joined("R.source", "R.event", "R.impact_on_child", "R.action"),
        ("source", "event", "impact_on_child", "action"),
    ),
    RecordKind.REFERRAL: (
        _joined("R.to_agency", _list("R.sections"), "R.reason_not_sought"),
        ("to_agency", "sections", "reason_not_sought"),
    ),
    RecordKind.SHARING_RECORD: (
        _joined("R.with_whom", "R.what", "R.purpose", "R.lawful_basis", "R.reason"),
        ("with_whom", "what", "purpose", "lawful_basis", "reason"),
    ),
    RecordKind.BODY_MARK: (
        _joined(
            "R.description",
            "R.shape",
            "R.colours",
            "R.explanation_given",
            "R.explanation_by",
            "R.seen_by",
        ),
        ("description", "shape", "colours", "explanation_given", "explanation_by", "seen_by"),
    ),
    "amendment": (_joined("R.new_value", "R.reason"), ("new_value", "reason")),
    "household_member": (_joined("R.name", "R.checks", "R.notes"), ("name", "checks", "notes")),
    # A child is found by every name they go by: other names and the preferred name too
    # (migration 0012), so a search for an alias leads to the child.
    "child": (
        _joined("R.given_name", "R.family_name", "R.preferred_name", _list("R.other_names")),
        ("given_name", "family_name", "preferred_name", "other_names"),
    ),
}

# The index itself (fts5, unicode61 with diacritics removed) is made by migration 0003.


def trigger_statements() -> list[str]:
    statements = []
    for table, (text, columns) in INDEXED.items():
        row_of = f"(SELECT id FROM search_row WHERE kind = '{table}' AND record_id = {{r}}.id)"
        statements += [
            f"CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO search_row (kind, record_id) VALUES ('{table}', NEW.id); "
            f"INSERT INTO {FTS_TABLE} (rowid, body) VALUES ({row_of.format(r='NEW')}, {text.replace('R.', 'NEW.')}); "
            "END",
            f"CREATE TRIGGER {table}_search_update AFTER UPDATE OF {', '.join(columns)} ON {table} BEGIN "
            f"UPDATE {FTS_TABLE} SET body = {text.replace('R.', 'NEW.')} WHERE rowid = {row_of.format(r='NEW')}; "
            "END",
            f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN "
            f"DELETE FROM {FTS_TABLE} WHERE rowid = {row_of.format(r='OLD')}; "
            f"DELETE FROM search_row WHERE kind = '{table}' AND record_id = OLD.id; "
            "END",
        ]
    return statements


def backfill_statements() -> list[str]:
    """Index what a vault already holds (run once, by the migration that creates the index)."""
    statements = []
    for table, (text, _) in INDEXED.items():
        statements += [
            f"INSERT INTO search_row (kind, record_id) SELECT '{table}', id FROM {table}",
            f"INSERT INTO {FTS_TABLE} (rowid, body) SELECT s.id, {text} "
            f"FROM {table} AS R JOIN search_row AS s ON s.kind = '{table}' AND s.record_id = R.id",
        ]
    return statements


def trigger_names() -> set[str]:
    return {statement.split()[2] for statement in trigger_statements()}


@contextmanager
def indexed_once_at_the_end(session: Session) -> Iterator[None]:
    """Bulk inserts (an import) with the full-text index built once, at the end, for the rows
    they added, instead of by a trigger per row: the triggers cost more than the inserts. Runs in
    the caller's transaction (SQLite's DDL is transactional), so the triggers are back before
    anything commits, and a rollback restores them too."""
    connection = session.connection()
    inserts = [s for s in trigger_statements() if "_search_insert AFTER INSERT" in s]
    before = connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM search_row").scalar()
    for statement in inserts:
        connection.exec_driver_sql(f"DROP TRIGGER {statement.split()[2]}")
    yield
    for table, (text, _) in INDEXED.items():
        connection.exec_driver_sql(
            f"INSERT INTO search_row (kind, record_id) SELECT '{table}', R.id FROM {table} AS R "
            f"WHERE NOT EXISTS (SELECT 1 FROM search_row AS s "
            f"WHERE s.kind = '{table}' AND s.record_id = R.id)"
        )
        connection.exec_driver_sql(
            f"INSERT INTO {FTS_TABLE} (rowid, body) SELECT s.id, {text} FROM {table} AS R "
            f"JOIN search_row AS s ON s.kind = '{table}' AND s.record_id = R.id WHERE s.id > ?",
            (before,),
        )
    for statement in inserts:
        connection.exec_driver_sql(statement)


def records_missing_from_index(session: Session) -> dict[str, int]:
    """Per indexed table, how many records have no index row, or a row with no index entry
    (`verify` names them: the index is kept by triggers, not sealed). Only tables with some."""
    found = {}
    for table in INDEXED:
        unlisted = session.execute(
            sql_text(
                f"SELECT count(*) FROM {table} AS R WHERE NOT EXISTS (SELECT 1 FROM search_row "
                "AS s WHERE s.kind = :kind AND s.record_id = R.id)"
            ),
            {"kind": table},
        ).scalar_one()
        unindexed = session.execute(
            sql_text(
                "SELECT count(*) FROM search_row AS s WHERE s.kind = :kind AND NOT EXISTS "
                f"(SELECT 1 FROM {FTS_TABLE} WHERE rowid = s.id)"
            ),
            {"kind": table},
        ).scalar_one()
        if unlisted or unindexed:
            found[table] = unlisted + unindexed
    return found
