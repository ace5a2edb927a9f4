"""Bulk inserts store exactly what the ORM stores (SQLite compares dates as text, so format matters)."""

from datetime import UTC, date, datetime

from practitioner_app.domain.enums import EntryStatus, VisitKind, VisitOutcome
from practitioner_app.services.workspace import Workspace
from practitioner_app.store.bulk_sqlite import insert_rows
from practitioner_app.store.entries import Visit
from practitioner_app.store.people import Child


def test_bulk_rows_match_orm_rows_column_for_column(workspace: Workspace) -> None:
    moment = datetime(2026, 6, 6, 22, 30, 15, 123456, tzinfo=UTC)
    common = {
        "occurred_at": moment,
        "recorded_at": moment,
        "kind": VisitKind.HOME,
        "outcome": VisitOutcome.WAS_NOT_BROUGHT,
        "present": ["mother", "Zoë's gran"],
        "notes": "x\u0000y 🙂",
        "child_seen": False,
        "status": EntryStatus.FINAL,
        "author_name": "A",
        "created_at": moment,
        "updated_at": moment,
    }
    with workspace.unit_of_work() as session:
        session.add(Visit(id="orm", **common))
        session.add(
            Child(
                id="c-orm",
                given_name="Z",
                family_name="A",
                date_of_birth=date(2025, 1, 2),
                author_name="A",
            )
        )
        session.flush()
        insert_rows(session, Visit.__table__, [{"id": "bulk", **common}])  # type: ignore[arg-type]
        insert_rows(
            session,
            Child.__table__,  # type: ignore[arg-type]
            [
                {
                    "id": "c-bulk",
                    "given_name": "Z",
                    "family_name": "A",
                    "date_of_birth": date(2025, 1, 2),
                    "author_name": "A",
                }
            ],
        )
    raw = workspace.vault.engine.raw_connection()
    try:

        def row(table: str, key: str) -> list[object]:
            cursor = raw.execute(f"SELECT * FROM {table} WHERE id = ?", (key,))
            names = [d[0] for d in cursor.description]
            values = cursor.fetchone()
            return [
                v
                for n, v in zip(names, values, strict=True)
                if n not in {"id", "created_at", "updated_at"}
            ]

        assert row("visit", "bulk") == row("visit", "orm")
        assert row("child", "c-bulk") == row(
            "child", "c-orm"
        )  # defaults (sex, non_mobile, other_names) applied
    finally:
        raw.close()
