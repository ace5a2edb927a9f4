"""Bulk inserts store exactly what the ORM stores (SQLite compares dates as text, so format matters)."""

from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import select

from practitioner_app.domain.enums import EntryStatus, VisitKind, VisitOutcome
from practitioner_app.domain.times import UK
from practitioner_app.services.workspace import Workspace
from practitioner_app.store.bulk_sqlite import _converter, insert_rows
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


def test_bulk_times_are_stored_as_their_own_instants_when_some_repeat(workspace: Workspace) -> None:
    # insert_rows writes a UTC time's text itself and leaves others to the column type; 01:30 on
    # the night the clocks go back happens twice in the UK, and the two readings compare equal
    # in Python (so no shortcut may take one for the other).
    first = datetime(2026, 10, 25, 1, 30, tzinfo=UK)  # BST: 00:30 UTC
    second = first.replace(fold=1)  # GMT: 01:30 UTC
    assert first == second
    now = datetime(2026, 10, 26, 9, 0, tzinfo=UTC)
    times = {"v-bst": first, "v-gmt": second, "v-utc-a": now, "v-utc-b": now}
    with workspace.unit_of_work() as session:
        insert_rows(
            session,
            Visit.__table__,  # type: ignore[arg-type]
            [
                {
                    "id": key,
                    "occurred_at": moment,
                    "recorded_at": now,
                    "kind": VisitKind.HOME,
                    "outcome": VisitOutcome.COMPLETED,
                    "status": EntryStatus.DRAFT,
                    "author_name": "A",
                    "created_at": now,
                    "updated_at": now,
                }
                for key, moment in times.items()
            ],
        )
    with workspace.unit_of_work() as session:
        stored = {
            key: moment for key, moment in session.execute(select(Visit.id, Visit.occurred_at))
        }
    assert stored == {
        "v-bst": datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        "v-gmt": datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
        "v-utc-a": now,
        "v-utc-b": now,
    }


def test_bulk_times_are_the_text_the_column_type_writes(workspace: Workspace) -> None:
    with workspace.unit_of_work() as session:
        dialect = session.connection().dialect
    column = Visit.__table__.c.occurred_at
    ours = _converter(column, dialect, [(None, None)])
    theirs = column.type.dialect_impl(dialect).bind_processor(dialect)
    assert ours is not None
    assert theirs is not None
    for moment in (
        datetime(2026, 6, 6, 22, 30, 15, 123456, tzinfo=UTC),
        datetime(2026, 6, 6, 22, 30, tzinfo=UTC),  # no microseconds: still six zeros
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 6, 6, 23, 30, tzinfo=UK),  # not UTC: the column type's own path
        datetime(2026, 6, 6, 23, 30, tzinfo=timezone(timedelta(hours=-5))),
    ):
        assert ours(moment) == theirs(moment)
        assert ours(moment) == theirs(moment)  # the same time again: the text kept from last
    # An equal time in another zone is another object, and its own text.
    utc = datetime(2026, 6, 6, 22, 30, tzinfo=UTC)
    assert ours(utc) == "2026-06-06 22:30:00.000000"
    assert ours(datetime(2026, 6, 6, 23, 30, tzinfo=UK)) == theirs(utc)
