"""A concern's history and the alerts it feeds survive a case bundle: records made in one real
vault, exported and imported into another, give the same alerts on every date, and a concern
imported closed was open until the day it closed."""

import copy
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from practitioner_app.domain.alerts import Alert
from practitioner_app.domain.enums import (
    ConcernCategory,
    ConcernLevel,
    ConcernStatus,
    EventKind,
    SourceKind,
    VisitOutcome,
)
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.records import ChronologyEventDetails, ConcernDetails
from practitioner_app.services import (
    alerts,
    bundles,
    caseload,
    casework,
    integrity,
    people,
    records,
)
from practitioner_app.services.workspace import Workspace, create_vault
from tests.bundles import sample_bundle
from tests.conftest import PASSPHRASE, PROFILE, child_details, visit_details


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 11, tzinfo=UTC)


def _concern(ws: Workspace, child_id: str, raised: date, source: str) -> str:
    details = ConcernDetails(
        child_id=child_id,
        occurred_at=_at(raised),
        category=ConcernCategory.NEGLECT,
        level=ConcernLevel.MEDIUM,
        source=source,
        summary=f"Concern raised by {source}",
    )
    entry_id = records.create_entry(ws, details).id
    records.finalise(ws, RecordKind.CONCERN, entry_id)
    return entry_id


def _event(ws: Workspace, child_id: str, day: date, kind: EventKind, source: str) -> None:
    details = ChronologyEventDetails(
        child_id=child_id,
        occurred_at=_at(day),
        source=source,
        kind=kind,
        event=f"{kind.value} ({source})",
        source_kind=SourceKind.SOCIAL_CARE,
    )
    records.finalise(ws, RecordKind.CHRONOLOGY_EVENT, records.create_entry(ws, details).id)


def _case(ws: Workspace) -> str:
    """A child of five with a multi-agency history: concerns opened, closed and reopened."""
    child = people.add_child(ws, child_details(date_of_birth=date(2021, 2, 1))).id
    visit = visit_details(child, occurred_at=_at(date(2026, 6, 20)), child_seen_alone=False)
    records.finalise(ws, RecordKind.VISIT, records.create_entry(ws, visit).id)
    early = _concern(ws, child, date(2025, 1, 10), "Police")
    records.change_concern_status(ws, early, ConcernStatus.CLOSED, _at(date(2025, 3, 1)), "NFA")
    _event(ws, child, date(2026, 2, 1), EventKind.CASE_CLOSED, "Children's social care")
    # The held-out case: raised 18/06, closed 14/07 — open, and so NOT_SEEN_ALONE, between.
    later = _concern(ws, child, date(2026, 6, 18), "School")
    records.change_concern_status(
        ws, later, ConcernStatus.CLOSED, _at(date(2026, 7, 14)), "Support in place"
    )
    monitored = _concern(ws, child, date(2026, 8, 20), "Nursery")
    records.change_concern_status(ws, monitored, ConcernStatus.MONITORING, _at(date(2026, 8, 20)))
    _event(ws, child, date(2026, 10, 1), EventKind.REFERRAL, "School")
    missed = visit_details(
        child,
        occurred_at=_at(date(2026, 10, 5)),
        outcome=VisitOutcome.NO_ACCESS,
        child_seen=None,
        child_seen_alone=None,
        present=(),
    )
    records.finalise(ws, RecordKind.VISIT, records.create_entry(ws, missed).id)
    return child


def _shape(found: list[Alert]) -> list[tuple[Any, ...]]:
    """An alert without its record ids, which each vault assigns itself."""
    return sorted(
        (a.rule, a.severity, a.message, len(a.evidence), a.first_at, a.last_at) for a in found
    )


AS_OF = [
    date(2025, 2, 1),
    date(2026, 6, 19),
    date(2026, 6, 30),
    date(2026, 7, 14),
    date(2026, 7, 20),
    date(2026, 9, 1),
    date(2026, 10, 15),
    date(2026, 11, 30),
]


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Workspace]:
    """A second vault, open: the vault the records move to. Created, not copied: a copy of a
    vault has its id, and a bundle from a copy is refused."""
    ws, _ = create_vault(tmp_path / "other", PASSPHRASE, PROFILE)
    yield ws
    ws.lock()


def test_alerts_after_an_import_are_the_alerts_of_the_vault_the_records_came_from(
    workspace: Workspace, other: Workspace
) -> None:
    child = _case(workspace)
    exported = bundles.export_bundle(workspace)
    bundles.import_bundle(other, exported)
    (moved,) = caseload.list_children(other)
    expected = {day: _shape(alerts.for_child(workspace, child, day)) for day in AS_OF}
    assert {day: _shape(alerts.for_child(other, moved.id, day)) for day in AS_OF} == expected
    # The comparison means something: the rules this issue is about fire on some of the dates.
    fired = {day: {shape[0] for shape in shapes} for day, shapes in expected.items()}
    assert "NOT_SEEN_ALONE" in fired[date(2026, 6, 30)]
    assert "NOT_SEEN_ALONE" not in fired[date(2026, 7, 20)]
    assert "START_AGAIN" in fired[date(2026, 6, 30)]
    assert "START_AGAIN" in fired[date(2026, 10, 15)]  # the referral event, 01/10
    # And the record moves on unchanged: export → import → export is stable.
    again = json.loads(bundles.export_bundle(other))
    first = json.loads(exported)
    for document in (first, again):
        del document["exported_at"], document["exported_by"], document["vault_id"]
    assert again == first
    assert integrity.verify(other).ok


def _held_out(status: str, closed_at: str | None) -> dict[str, Any]:
    """A five-year-old, seen but not alone on 20/06, with one concern raised on 18/06."""
    concern: dict[str, Any] = {
        "id": "k1",
        "child_id": "c1",
        "raised_at": "2026-06-18",
        "category": "neglect",
        "level": "medium",
        "source": "School",
        "summary": "Often hungry",
        "status": status,
        "outcome": "Support in place",
    }
    if closed_at:
        concern["closed_at"] = closed_at
    return {
        "format": "practitioner-case-bundle",
        "version": 1,
        "exported_by": {"name": "Sam Okafor", "role": "School nurse", "agency": "Northshire"},
        "children": [
            {
                "id": "c1",
                "given_name": "Ada",
                "family_name": "Mensah",
                "date_of_birth": "2021-02-01",
            }
        ],
        "visits": [
            {
                "id": "v1",
                "child_ids": ["c1"],
                "occurred_at": "2026-06-20T10:00",
                "kind": "home",
                "outcome": "completed",
                "child_seen": True,
                "child_seen_alone": False,
            }
        ],
        "concerns": [concern],
    }


def _rules_on(ws: Workspace, day: date) -> set[str]:
    (child,) = caseload.list_children(ws)
    return {a.rule for a in alerts.for_child(ws, child.id, day)}


def test_a_concern_imported_closed_is_open_until_its_closing_date(workspace: Workspace) -> None:
    bundles.import_bundle(workspace, json.dumps(_held_out("closed", "2026-07-14")).encode())
    assert "NOT_SEEN_ALONE" in _rules_on(workspace, date(2026, 6, 30))
    assert "NOT_SEEN_ALONE" not in _rules_on(workspace, date(2026, 7, 14))
    exported = json.loads(bundles.export_bundle(workspace))
    (concern,) = exported["concerns"]
    assert concern["status"] == "open"  # as it was raised; its closing is its history
    (closing,) = exported["status_changes"]
    assert closing["concern_id"] == concern["id"]
    assert closing["new_status"] == "closed"
    assert closing["changed_at"].startswith("2026-07-14T00:00:00")
    assert closing["outcome"] == "Support in place"
    assert closing["author"] is None
    assert closing["recorded_at"] is None
    # The screens show it closed now, with the outcome the sender gave.
    (child,) = caseload.list_children(workspace)
    (row,) = casework.entries(workspace, child.id, RecordKind.CONCERN)
    assert row.concern_status is ConcernStatus.CLOSED
    assert casework.overview(workspace, child.id).open_concerns == ()
    view = records.get_entry(workspace, RecordKind.CONCERN, row.id)
    assert view.fields["outcome"] == "Support in place"
    assert integrity.verify(workspace).ok


@pytest.mark.parametrize("status", ["monitoring", "referred"])
def test_a_status_with_no_date_holds_from_the_day_the_concern_was_raised(
    workspace: Workspace, status: str
) -> None:
    # Format 1 says when a concern closed, never when it moved to monitoring or referred: the
    # status given holds from the day it was raised (NOT_SEEN_ALONE counts open and monitoring).
    # Closed with no date is refused (tests/test_qa15_bundle_faults.py): it would hide the
    # weeks the concern was open.
    bundles.import_bundle(workspace, json.dumps(_held_out(status, None)).encode())
    fired = "NOT_SEEN_ALONE" in _rules_on(workspace, date(2026, 6, 30))
    assert fired is (status == "monitoring")
    (concern,) = json.loads(bundles.export_bundle(workspace))["concerns"]
    assert (concern["status"], concern.get("closed_at")) == (status, None)


def test_a_concern_closed_before_it_was_raised_is_refused_and_nothing_imported(
    workspace: Workspace,
) -> None:
    document = copy.deepcopy(sample_bundle())
    document["concerns"][1]["closed_at"] = "2025-10-01"  # raised 01/11/2025
    before = integrity.record_counts(workspace)
    with pytest.raises(InvalidInput) as refused:
        bundles.import_bundle(workspace, json.dumps(document).encode())
    assert refused.value.message == (
        "The bundle was not imported: concerns[1].closed_at: "
        "The concern is closed before it was raised; check the closing date."
    )
    assert integrity.record_counts(workspace) == before


def test_a_concern_recorded_closed_on_a_later_date_was_open_until_then(
    workspace: Workspace,
) -> None:
    # Another path to the same fault: a concern recorded (or imported before imports wrote its
    # closing as a status change) with status closed and a closing date after it was raised.
    document = _held_out("open", None)
    del document["concerns"]
    bundles.import_bundle(workspace, json.dumps(document).encode())
    (child,) = caseload.list_children(workspace)
    details = ConcernDetails(
        child_id=child.id,
        occurred_at=_at(date(2026, 6, 18)),
        category=ConcernCategory.NEGLECT,
        level=ConcernLevel.MEDIUM,
        source="School",
        summary="Recorded closed",
        concern_status=ConcernStatus.CLOSED,
        closed_at=_at(date(2026, 7, 14)),
    )
    records.finalise(workspace, RecordKind.CONCERN, records.create_entry(workspace, details).id)
    assert "NOT_SEEN_ALONE" in _rules_on(workspace, date(2026, 6, 30))
    assert "NOT_SEEN_ALONE" not in _rules_on(workspace, date(2026, 7, 20))
