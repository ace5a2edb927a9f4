"""The SQL triggers that make final entries, amendments and the audit chain refuse change.

The services already refuse; the triggers are the second line, so that raw SQL (a bug, a tool, a
curious hand) cannot quietly rewrite evidence either. Migrations create them from these statements.
"""

from sqlalchemy import text
from sqlalchemy.orm import Session

from practitioner_app.store.entries import APPEND_ONLY_TABLES, DEPENDENT_TABLES, ENTRY_KINDS
from practitioner_app.store.photographs import PHOTOGRAPH_OWNERS

FINAL_MESSAGE = "final entry cannot be changed or deleted; record an amendment instead"
APPEND_ONLY_MESSAGE = "this table is append-only; its rows cannot be changed or deleted"


def trigger_statements() -> list[str]:
    statements: list[str] = []
    for kind in ENTRY_KINDS.values():
        table = kind.__tablename__
        statements += [
            f"CREATE TRIGGER {table}_final_no_update BEFORE UPDATE ON {table} "
            f"WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, '{FINAL_MESSAGE}'); END",
            f"CREATE TRIGGER {table}_final_no_delete BEFORE DELETE ON {table} "
            f"WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, '{FINAL_MESSAGE}'); END",
        ]
    for table, column, parent in DEPENDENT_TABLES:
        is_final = f"(SELECT status FROM {parent} WHERE id = {{row}}.{column}) = 'final'"
        statements += [
            f"CREATE TRIGGER {table}_final_no_insert BEFORE INSERT ON {table} "
            f"WHEN {is_final.format(row='NEW')} BEGIN SELECT RAISE(ABORT, '{FINAL_MESSAGE}'); END",
            f"CREATE TRIGGER {table}_final_no_update BEFORE UPDATE ON {table} "
            f"WHEN {is_final.format(row='OLD')} BEGIN SELECT RAISE(ABORT, '{FINAL_MESSAGE}'); END",
            f"CREATE TRIGGER {table}_final_no_delete BEFORE DELETE ON {table} "
            f"WHEN {is_final.format(row='OLD')} BEGIN SELECT RAISE(ABORT, '{FINAL_MESSAGE}'); END",
        ]
    statements += _photograph_statements()
    for table in APPEND_ONLY_TABLES:
        statements += [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
        ]
    return statements


def _photograph_statements() -> list[str]:
    """A final photograph is never changed or removed, none is added to a final owner, and its
    bytes are frozen with it (store/photographs.py)."""
    raise_final = f"BEGIN SELECT RAISE(ABORT, '{FINAL_MESSAGE}'); END"
    owner_final = " OR ".join(
        f"(NEW.owner_kind = '{owner}' AND (SELECT status FROM {owner} WHERE id = NEW.owner_id) "
        "= 'final')"
        for owner in PHOTOGRAPH_OWNERS
    )
    chunk_final = "(SELECT status FROM photograph WHERE id = {row}.photograph_id) = 'final'"
    return [
        "CREATE TRIGGER photograph_final_no_update BEFORE UPDATE ON photograph "
        f"WHEN OLD.status = 'final' {raise_final}",
        "CREATE TRIGGER photograph_final_no_delete BEFORE DELETE ON photograph "
        f"WHEN OLD.status = 'final' {raise_final}",
        "CREATE TRIGGER photograph_final_no_insert BEFORE INSERT ON photograph "
        f"WHEN {owner_final} {raise_final}",
        "CREATE TRIGGER photograph_chunk_final_no_insert BEFORE INSERT ON photograph_chunk "
        f"WHEN {chunk_final.format(row='NEW')} {raise_final}",
        "CREATE TRIGGER photograph_chunk_final_no_update BEFORE UPDATE ON photograph_chunk "
        f"WHEN {chunk_final.format(row='OLD')} {raise_final}",
        "CREATE TRIGGER photograph_chunk_final_no_delete BEFORE DELETE ON photograph_chunk "
        f"WHEN {chunk_final.format(row='OLD')} {raise_final}",
    ]


def trigger_names() -> set[str]:
    return {statement.split()[2] for statement in trigger_statements()}


def missing_triggers(session: Session, also: set[str]) -> list[str]:
    """The vault's own triggers that are not there: those refusing changes to final entries and
    append-only rows (trigger_names) and `also` (the search index's). Anyone holding the key can
    drop them; then the next change meets no refusal, so `verify` names their absence."""
    expected = trigger_names() | also
    present = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    return sorted(expected - present)
