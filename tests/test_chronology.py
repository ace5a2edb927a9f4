"""The chronology data: merged, ordered, filtered, with ages and provenance (DOMAIN.md)."""

import dataclasses
import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from practitioner_app.domain.chronology import age_at
from practitioner_app.domain.enums import (
    EntryStatus,
    EventKind,
    Significance,
    SourceKind,
    VisitOutcome,
)
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.labels import imported_note
from practitioner_app.domain.records import ChronologyEventDetails
from practitioner_app.export import bundle as fmt
from practitioner_app.services import bundles, caseload, casework, chronology, integrity, records
from practitioner_app.services.workspace import Workspace, open_vault_with_data_key
from practitioner_app.store.repositories.children import ChildRepository
from practitioner_app.store.repositories.entries import ChronologyEventRepository
from tests.bundles import sample_bundle
from tests.conftest import PASSPHRASE, run_cli, visit_details


@pytest.fixture
def imported(workspace: Workspace) -> str:
    bundles.import_bundle(workspace, json.dumps(sample_bundle(), ensure_ascii=False).encode())
    return caseload.find_child(workspace, "c1").id


def test_rows_are_merged_from_every_source_in_date_then_time_order(
    workspace: Workspace, imported: str
) -> None:
    rows = chronology.build(workspace, imported)
    kinds = [row.record_kind for row in rows]
    assert set(kinds) == {
        "visit",
        "observation",
        "concern",
        "referral",
        "sharing_record",
        "chronology_event",
    }
    # By day; on a day, entries with a time (by time) before those without one.
    keys = [(row.date, row.time is None, row.sort_key) for row in rows]
    assert keys == sorted(keys)
    # The draft visit (v2) is left out; the routine completed visit is kept, not significant.
    assert kinds.count(RecordKind.VISIT) == 1
    # Only significant observations: o1 (injury), not o2 (growth).
    assert kinds.count(RecordKind.OBSERVATION) == 1
    same_moment = [row.record_kind for row in rows if row.date == date(2026, 6, 6)]
    assert same_moment == ["visit", "observation"]


def test_each_row_carries_age_source_and_provenance(workspace: Workspace, imported: str) -> None:
    rows = {row.record_kind: row for row in chronology.build(workspace, imported)}
    visit = rows[RecordKind.VISIT]
    assert (visit.date, visit.time, visit.age) == (date(2026, 6, 6), "23:30", "1y 2m")
    assert visit.recorded_by == "Asha Patel (Health visitor, Northshire NHS Trust)"
    assert visit.late  # recorded on 8 June for a visit late on 6 June
    assert visit.event.startswith(
        "Home visit (9–12 month review): completed. Child seen, not alone."
    )
    event = rows[RecordKind.CHRONOLOGY_EVENT]
    assert event.date_uncertain
    assert (event.source, event.source_kind, event.significance) == (
        "Northshire Police",
        "police",
        "high",
    )
    assert event.impact == "Exposed to shouting"
    concern = rows[RecordKind.CONCERN]
    assert concern.significance == "high"
    assert concern.time is None  # raised on a date, no time


def test_filters_by_date_range_inclusive_and_significance(
    workspace: Workspace, imported: str
) -> None:
    in_june = chronology.build(
        workspace, imported, date_from=date(2026, 6, 6), date_to=date(2026, 6, 7)
    )
    assert {row.date for row in in_june} == {date(2026, 6, 6), date(2026, 6, 7)}
    significant = chronology.build(workspace, imported, significant_only=True)
    assert "visit" not in {row.record_kind for row in significant}
    everything = chronology.build(workspace, imported, include_drafts=True)
    drafts = [row for row in everything if row.status == "draft"]
    assert [row.record_kind for row in drafts] == ["visit"]
    # A child who was not brought is significant.
    assert drafts[0].significant
    assert "child was not brought" in drafts[0].event


def test_amended_and_late_entries_are_marked(workspace: Workspace, imported: str) -> None:
    visit = records.create_entry(
        workspace,
        visit_details(
            imported,
            occurred_at=datetime.now(UTC) - timedelta(hours=3),
            outcome=VisitOutcome.NO_ACCESS,
            child_seen=False,
            child_seen_alone=None,
        ),
    )
    records.finalise(workspace, "visit", visit.id)
    records.amend(workspace, "visit", visit.id, "notes", "Card left.", "Note was incomplete.")
    row = next(r for r in chronology.build(workspace, imported) if r.record_id == visit.id)
    assert row.amended
    assert not row.late


def test_an_event_marked_low_is_not_significant(workspace: Workspace, imported: str) -> None:
    event = records.create_entry(
        workspace,
        ChronologyEventDetails(
            child_id=imported,
            occurred_at=datetime(2026, 7, 1, tzinfo=UTC),
            source="School",
            kind=EventKind.SCHOOL_CONTACT,
            event="Attendance letter",
            source_kind=SourceKind.EDUCATION,
            significance=Significance.LOW,
        ),
    )
    records.finalise(workspace, "chronology_event", event.id)
    ids = {row.record_id for row in chronology.build(workspace, imported, significant_only=True)}
    assert event.id not in ids


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (date(2025, 3, 14), date(2025, 3, 20), "6d"),
        (date(2025, 3, 14), date(2025, 7, 13), "3m"),
        (date(2025, 3, 14), date(2026, 6, 6), "1y 2m"),
        (None, date(2026, 6, 6), "unborn"),
        (date(2025, 3, 14), date(2025, 1, 1), "unborn"),
    ],
)
def test_age_at_the_event(born: date | None, on: date, expected: str) -> None:
    assert age_at(born, date(2025, 3, 14) if born is None else None, on) == expected


def test_chronology_json_from_the_command_line(vault_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps(sample_bundle(), ensure_ascii=False))
    env = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}
    assert run_cli("import", "--vault", str(vault_dir), str(source), env=env).returncode == 0
    result = run_cli(
        "chronology", "c1", "--vault", str(vault_dir), "--json", "--from", "2026-06-01", env=env
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [row["date"] for row in rows] == sorted(row["date"] for row in rows)
    assert all(row["date"] >= "2026-06-01" for row in rows)
    expected_keys = {
        "date",
        "time",
        "date_uncertain",
        "age",
        "event",
        "source",
        "source_kind",
        "significance",
        "impact",
        "action",
        "record_kind",
        "record_id",
        "status",
        "recorded_by",
        "recorded_at",
        "recorded_at_known",
        "imported",
        "late",
        "amended",
        "significant",
        "end_date",
        "agency",
        "amendments",
        "chosen",
        "origin_id",
    }
    assert set(rows[0]) == expected_keys
    datetime.fromisoformat(rows[0]["recorded_at"])
    bad = run_cli(
        "chronology",
        "c1",
        "--vault",
        str(vault_dir),
        "--from",
        "2026-07-01",
        "--to",
        "2026-06-01",
        env=env,
    )
    assert bad.returncode == 1
    assert "--to is before --from" in bad.stderr


def test_the_practitioner_chooses_what_is_significant(workspace: Workspace, imported: str) -> None:
    rows = {row.record_kind: row for row in chronology.build(workspace, imported)}
    routine = rows[RecordKind.VISIT]
    assert not routine.significant
    chronology.choose_significance(workspace, imported, "visit", routine.record_id, True)
    chosen = {row.record_id: row for row in chronology.build(workspace, imported)}
    assert chosen[routine.record_id].significant
    assert chosen[routine.record_id].chosen
    only = chronology.build(workspace, imported, significant_only=True)
    assert routine.record_id in {row.record_id for row in only}

    # An observation not marked significant joins the chronology when chosen, and leaves it again.
    hidden = next(
        o.id
        for o in casework_observations(workspace, imported)
        if o.id not in {row.record_id for row in chronology.build(workspace, imported)}
    )
    chronology.choose_significance(workspace, imported, "observation", hidden, True)
    assert hidden in {row.record_id for row in chronology.build(workspace, imported)}
    chronology.choose_significance(workspace, imported, "observation", hidden, None)
    assert hidden not in {row.record_id for row in chronology.build(workspace, imported)}

    # A concern chosen not significant stays in the full chronology but leaves the short one.
    concern = rows[RecordKind.CONCERN].record_id
    chronology.choose_significance(workspace, imported, "concern", concern, False)
    assert concern in {row.record_id for row in chronology.build(workspace, imported)}
    assert concern not in {
        row.record_id for row in chronology.build(workspace, imported, significant_only=True)
    }
    trail = integrity.audit_trail(workspace)
    assert [(a.action, a.record_kind) for a in trail[-4:]] == [("update", "chronology_choice")] * 4

    with pytest.raises(InvalidInput, match="not part of a chronology"):
        chronology.choose_significance(workspace, imported, "amendment", concern, True)
    with pytest.raises(InvalidInput, match="no visit with id"):
        chronology.choose_significance(workspace, imported, "visit", "nope", True)


def casework_observations(workspace: Workspace, child_id: str) -> list[casework.EntryRow]:
    return casework.entries(workspace, child_id, "observation")


def test_same_day_entries_stand_in_the_same_order_in_every_vault(
    workspace: Workspace, template_vault: tuple[Path, str], tmp_path: Path, data_key: bytes
) -> None:
    """By time, then the entries without a time; at the same time by when each was written,
    then by the record's own id, which it keeps in every vault it reaches."""

    def event(ref: str, when: str, recorded: str | None = None) -> dict[str, object]:
        found: dict[str, object] = {
            "id": ref,
            "child_id": "c1",
            "occurred_at": when,
            "source": "Northshire General Hospital",
            "kind": "hospital_attendance",
            "event": f"Attendance {ref}.",
        }
        if recorded:
            found["recorded_at"] = recorded
        return found

    bundle = {
        "format": "practitioner-case-bundle",
        "version": 1,
        "exported_by": {"name": "Ward clerk", "agency": "Northshire General Hospital"},
        "children": [
            {
                "id": "c1",
                "given_name": "Amber",
                "family_name": "Lowe",
                "date_of_birth": "2024-03-01",
            }
        ],
        "events": [
            event("e-untimed", "2025-04-16"),
            event("e-b", "2025-04-16T10:00", "2025-04-16T12:00"),
            event("e-a", "2025-04-16T10:00", "2025-04-16T12:00"),
            event("e-early-recorded", "2025-04-16T10:00", "2025-04-16T11:00"),
            event("e-nine", "2025-04-16T09:00"),
        ],
    }
    data = json.dumps(bundle).encode()
    other = tmp_path / "other"
    shutil.copytree(template_vault[0], other)
    orders = []
    for ws in (workspace, open_vault_with_data_key(other, data_key)):
        bundles.import_bundle(ws, data)
        rows = chronology.build(ws, caseload.find_child(ws, "c1").id)
        orders.append([row.origin_id for row in rows])
        if ws is not workspace:
            ws.lock()
    ids = {
        fmt.upgraded_id("Ward clerk (Northshire General Hospital)", "events", ref): ref
        for ref in ("e-nine", "e-early-recorded", "e-a", "e-b", "e-untimed")
    }
    tied = sorted(("e-a", "e-b"), key=lambda ref: next(k for k, v in ids.items() if v == ref))
    assert [ids[origin] for origin in orders[0]] == [
        "e-nine",
        "e-early-recorded",
        *tied,
        "e-untimed",
    ]
    assert orders[1] == orders[0]


def test_every_field_of_a_row_lands_in_its_place(workspace: Workspace, imported: str) -> None:
    """A row is made by position (services/chronology_rows.py, for speed): fields of one type must
    not trade places, so each is checked against the record it came from."""
    event_id = next(
        row.record_id
        for row in chronology.build(workspace, imported)
        if row.record_kind is RecordKind.CHRONOLOGY_EVENT
    )
    records.amend(
        workspace, "chronology_event", event_id, "action", "Strategy discussion", "Wrong action"
    )
    row = next(r for r in chronology.build(workspace, imported) if r.record_id == event_id)
    with workspace.unit_of_work() as session:
        entry = ChronologyEventRepository(session).fetch(event_id)
        signed = entry.signature
        born = ChildRepository(session).fetch(imported).date_of_birth
    assert dataclasses.asdict(row) | {"amendments": None, "written_order": None} == {
        "date": date(2026, 5, 20),
        "time": None,
        "date_uncertain": True,
        "age": age_at(born, None, date(2026, 5, 20)),
        "event": "Domestic incident call-out; child present.",
        "source": "Northshire Police",
        "source_kind": "police",
        "significance": "high",
        "impact": "Exposed to shouting",
        "action": "Notification to children's services",
        "record_kind": RecordKind.CHRONOLOGY_EVENT,
        "record_id": event_id,
        "status": EntryStatus.FINAL,
        "recorded_by": signed,
        "recorded_at": datetime(2026, 5, 22, 11, 0, tzinfo=UTC),  # 12:00 British Summer Time
        "recorded_at_known": True,
        "imported": imported_note(entry.imported_by, entry.imported_at, entry.imported_from),
        "late": True,  # a date-only event counts from the end of its day: 36 hours before
        "amended": True,
        "significant": True,
        "sort_key": entry.occurred_at,
        "end_date": None,
        "agency": "Northshire Police",
        "amendments": None,
        "chosen": False,
        "origin_id": event_id,
        "written_order": None,
    }
    assert row.imported is not None
    assert row.imported.startswith("imported by Asha Patel")
    assert [(a.field, a.new_value, a.reason) for a in row.amendments] == [
        ("Action", "Strategy discussion", "Wrong action")
    ]
    assert isinstance(row.written_order, int)
    assert row.written_order > 0
