"""Each child's caseload flags (last seen, open concerns, the highest open level), kept by triggers.

The caseload is read at every unlock. Worked out from the entries, "last seen" joins every visit
link in the vault to its visit and "open concerns" reads every concern with its latest status:
with 400 children that was 40,000 links and 8,000 concerns, freshly decrypted page by page at each
unlock, most of the unlock's time (issue 19). This table holds the answer, one row per child that
has visits or concerns, and triggers keep it in step with every write, whatever path made it (the
services, an import, raw SQL): each write recomputes the rows of the children it touches from the
entries themselves, so the table always equals what the old queries returned:

- `last_seen_at`: the latest `occurred_at` of a completed visit at which the child was seen;
- `open_concerns`: concerns (draft or final) whose status now, the latest status change or else
  the status first recorded, is not closed; `highest_open_level` the highest level among them.

A child with no row has not been seen and has no open concern. Migrations create the table and the
triggers from these statements.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import String, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from practitioner_app.domain.enums import ConcernLevel, ConcernStatus, VisitOutcome
from practitioner_app.store.base import Base
from practitioner_app.store.repositories.generic import plain_rows

TABLE = "caseload_summary"


class CaseloadSummary(Base):
    """One child's caseload flags (no foreign key: a child's row is removed with the child by
    trigger, and links may be written before the child in an import's one transaction)."""

    __tablename__ = TABLE

    child_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    last_seen_at: Mapped[datetime | None]
    open_concerns: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    highest_open_level: Mapped[str | None] = mapped_column(String(32))


_SEEN = f"v.child_seen IS 1 AND v.outcome = '{VisitOutcome.COMPLETED.value}'"
# A concern's status now: its latest change (by when it happened, then when it was written), or
# else the status first recorded (store/repositories/concerns.py ConcernRepository.current).
_STATUS_NOW = (
    "coalesce((SELECT s.new_status FROM concern_status_change AS s WHERE s.concern_id = c.id "
    "ORDER BY s.changed_at DESC, s.recorded_at DESC LIMIT 1), c.concern_status)"
)
_OPEN = f"{_STATUS_NOW} != '{ConcernStatus.CLOSED.value}'"
_RANK = "CASE c.level " + " ".join(
    f"WHEN '{level.value}' THEN {rank}" for rank, level in enumerate(ConcernLevel)
)
_RANK += " END"


def _last_seen(child: str) -> str:
    # CROSS JOIN keeps SQLite to this order: the child's links, then each visit by its key.
    # Left to choose, it went through ix_visit_seen (every completed visit in the vault) for each
    # child, which made `verify` and every visit changed grow with the square of the caseload:
    # 44 s of 57 at 400 children (issue 19, migration 0017).
    return (
        f"(SELECT max(v.occurred_at) FROM visit_child AS l CROSS JOIN visit AS v "
        f"ON v.id = l.visit_id WHERE l.child_id = {child} AND {_SEEN})"
    )


def _open_count(child: str) -> str:
    return f"(SELECT count(*) FROM concern AS c WHERE c.child_id = {child} AND {_OPEN})"


def _highest(child: str) -> str:
    return (
        f"(SELECT c.level FROM concern AS c WHERE c.child_id = {child} AND {_OPEN} "
        f"ORDER BY {_RANK} DESC LIMIT 1)"
    )


def _recompute(children: str, what: str) -> str:
    """Upsert the rows of the children `children` (an SQL query of child ids) from the entries:
    `what` is 'seen' (last seen), 'concerns' (open concerns and the highest level)."""
    if what == "seen":
        columns, values, update = (
            "last_seen_at",
            _last_seen("k.id"),
            "last_seen_at = excluded.last_seen_at",
        )
    else:
        columns = "open_concerns, highest_open_level"
        values = f"{_open_count('k.id')}, {_highest('k.id')}"
        update = (
            "open_concerns = excluded.open_concerns, "
            "highest_open_level = excluded.highest_open_level"
        )
    # WHERE true: SQLite's parser needs it between INSERT ... SELECT and ON CONFLICT.
    return (
        f"INSERT INTO {TABLE} (child_id, {columns}) SELECT k.id, {values} FROM ({children}) AS k "
        f"WHERE k.id IS NOT NULL ON CONFLICT (child_id) DO UPDATE SET {update}"
    )


def _children_of_visit(visit: str) -> str:
    return f"SELECT child_id AS id FROM visit_child WHERE visit_id = {visit}"


def _child_of_concern(concern: str) -> str:
    return f"SELECT child_id AS id FROM concern WHERE id = {concern}"


def _one(child: str) -> str:
    return f"SELECT {child} AS id"


def _trigger(name: str, when: str, body: list[str]) -> str:
    return f"CREATE TRIGGER {name} {when} BEGIN {'; '.join(body)}; END"


def trigger_statements() -> list[str]:
    """The triggers keeping the table in step. A visit or a link written is a later "seen" at most
    (the row takes the later date, no scan); anything else recomputes the children it touches."""
    later_seen = (
        f"INSERT INTO {TABLE} (child_id, last_seen_at) SELECT l.child_id, v.occurred_at "
        f"FROM visit_child AS l JOIN visit AS v ON v.id = l.visit_id WHERE {{where}} AND {_SEEN} "
        f"ON CONFLICT (child_id) DO UPDATE SET last_seen_at = excluded.last_seen_at "
        f"WHERE last_seen_at IS NULL OR excluded.last_seen_at > last_seen_at"
    )
    return [
        _trigger(
            "visit_summary_insert",
            "AFTER INSERT ON visit",
            [later_seen.format(where="l.visit_id = NEW.id")],
        ),
        _trigger(
            "visit_child_summary_insert",
            "AFTER INSERT ON visit_child",
            [later_seen.format(where="l.visit_id = NEW.visit_id AND l.child_id = NEW.child_id")],
        ),
        _trigger(
            "visit_summary_update",
            "AFTER UPDATE OF occurred_at, outcome, child_seen, id ON visit",
            [
                _recompute(_children_of_visit("OLD.id"), "seen"),
                _recompute(_children_of_visit("NEW.id"), "seen"),
            ],
        ),
        _trigger(
            "visit_summary_delete",
            "AFTER DELETE ON visit",
            [_recompute(_children_of_visit("OLD.id"), "seen")],
        ),
        _trigger(
            "visit_child_summary_update",
            "AFTER UPDATE ON visit_child",
            [
                _recompute(_one("OLD.child_id"), "seen"),
                _recompute(_one("NEW.child_id"), "seen"),
            ],
        ),
        _trigger(
            "visit_child_summary_delete",
            "AFTER DELETE ON visit_child",
            [_recompute(_one("OLD.child_id"), "seen")],
        ),
        _trigger(
            "concern_summary_insert",
            "AFTER INSERT ON concern",
            [_recompute(_one("NEW.child_id"), "concerns")],
        ),
        _trigger(
            "concern_summary_update",
            "AFTER UPDATE OF child_id, level, concern_status, id ON concern",
            [
                _recompute(_one("OLD.child_id"), "concerns"),
                _recompute(_one("NEW.child_id"), "concerns"),
            ],
        ),
        _trigger(
            "concern_summary_delete",
            "AFTER DELETE ON concern",
            [_recompute(_one("OLD.child_id"), "concerns")],
        ),
        _trigger(
            "concern_status_change_summary_insert",
            "AFTER INSERT ON concern_status_change",
            [_recompute(_child_of_concern("NEW.concern_id"), "concerns")],
        ),
        _trigger(
            "concern_status_change_summary_update",
            "AFTER UPDATE ON concern_status_change",
            [
                _recompute(_child_of_concern("OLD.concern_id"), "concerns"),
                _recompute(_child_of_concern("NEW.concern_id"), "concerns"),
            ],
        ),
        _trigger(
            "concern_status_change_summary_delete",
            "AFTER DELETE ON concern_status_change",
            [_recompute(_child_of_concern("OLD.concern_id"), "concerns")],
        ),
        _trigger(
            "child_summary_delete",
            "AFTER DELETE ON child",
            [f"DELETE FROM {TABLE} WHERE child_id = OLD.id"],
        ),
    ]


def trigger_names() -> set[str]:
    return {statement.split()[2] for statement in trigger_statements()}


def rebuild_statements() -> list[str]:
    """Every child's row from the entries (run by the migration that creates the table, and by
    `rebuild` when a check finds the table out of step)."""
    return [
        f"DELETE FROM {TABLE}",
        _recompute("SELECT DISTINCT child_id AS id FROM visit_child", "seen"),
        _recompute("SELECT DISTINCT child_id AS id FROM concern", "concerns"),
    ]


def rebuild(session: Session) -> None:
    connection = session.connection()
    for statement in rebuild_statements():
        connection.exec_driver_sql(statement)


def flags(session: Session) -> dict[str, Any]:
    """Every child's row (child_id, last_seen_at, open_concerns, highest_open_level: read-only
    named tuples, not objects the session tracks, which cost a third of the caseload's reading
    at unlock), by child id; children with none are absent."""
    rows = plain_rows(session, select(*CaseloadSummary.__table__.c))
    return {row.child_id: row for row in rows}


def children_out_of_step(session: Session) -> int:
    """How many children's rows differ from what their entries say now (missing, extra or
    changed): `verify` names them, since the table is kept by triggers, not sealed, and a row
    edited behind the app would show a child as seen, or without an open concern. Read only."""
    children = f"SELECT id FROM child UNION SELECT child_id FROM {TABLE}"
    query = (
        f"SELECT k.id, {_last_seen('k.id')}, {_open_count('k.id')}, {_highest('k.id')}, "
        "s.child_id, s.last_seen_at, s.open_concerns, s.highest_open_level "
        f"FROM ({children}) AS k LEFT JOIN {TABLE} AS s ON s.child_id = k.id"
    )
    differ = 0
    for (
        _,
        seen,
        count,
        level,
        stored,
        stored_seen,
        stored_count,
        stored_level,
    ) in session.connection().exec_driver_sql(query):
        if stored is None:
            # No row: not seen, no open concern; a child with neither needs none.
            differ += seen is not None or count != 0
        else:
            differ += (seen, count, level) != (stored_seen, stored_count, stored_level)
    return differ
