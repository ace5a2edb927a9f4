"""The MARF's "previous interventions", filled in from a real vault: the practitioner's own forms
and closed concerns, and other agencies' episodes known only from the chronology."""

from datetime import UTC, date, datetime

from practitioner_app.domain.enums import (
    ConcernCategory,
    ConcernLevel,
    ConcernStatus,
    EventKind,
    SourceKind,
)
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.records import ChronologyEventDetails, ConcernDetails
from practitioner_app.services import forms, people, records
from practitioner_app.services.workspace import Workspace
from tests.conftest import child_details


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 11, tzinfo=UTC)


def _event(
    ws: Workspace, child_id: str, day: date, kind: EventKind, source: str, text: str
) -> None:
    details = ChronologyEventDetails(
        child_id=child_id,
        occurred_at=_at(day),
        source=source,
        kind=kind,
        event=text,
        source_kind=SourceKind.SOCIAL_CARE,
    )
    records.create_entry(ws, details)  # left a draft: it still happened


def test_previous_interventions_list_other_agencies_episodes_by_date(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details()).id
    concern = records.create_entry(
        workspace,
        ConcernDetails(
            child,
            _at(date(2025, 5, 1)),
            ConcernCategory.NEGLECT,
            ConcernLevel.MEDIUM,
            "Nursery",
            "Often hungry.",
        ),
    )
    records.finalise(workspace, RecordKind.CONCERN, concern.id)
    records.change_concern_status(
        workspace, concern.id, ConcernStatus.CLOSED, _at(date(2025, 7, 1)), "Meals at nursery"
    )
    for day, kind, source, text in (
        (
            date(2025, 8, 4),
            EventKind.REFERRAL,
            "Northshire Police",
            "Referral to CSC after call-out",
        ),
        (date(2025, 8, 20), EventKind.ASSESSMENT, "Northshire CSC", "Child and family assessment"),
        (date(2025, 8, 11), EventKind.STRATEGY_MEETING, "Northshire CSC", "Section 47 agreed"),
        (date(2025, 9, 30), EventKind.CASE_CONFERENCE, "Northshire CSC", "Child in need plan"),
        (date(2026, 3, 2), EventKind.CASE_CLOSED, "Northshire CSC", "Closed to social care"),
        (date(2026, 4, 1), EventKind.POLICE_CONTACT, "Northshire Police", "Welfare check"),
    ):
        _event(workspace, child, day, kind, source, text)

    form = forms.start(workspace, child, "marf")
    text = form.details.sections["previous_interventions"]
    assert text.splitlines() == [
        "01/05/2025 — concern closed: Often hungry.; outcome: Meals at nursery",
        "04/08/2025 — Northshire Police, referral: Referral to CSC after call-out",
        "11/08/2025 — Northshire CSC, strategy meeting: Section 47 agreed",
        "20/08/2025 — Northshire CSC, assessment: Child and family assessment",
        "30/09/2025 — Northshire CSC, case conference: Child in need plan",
        "02/03/2026 — Northshire CSC, case closed: Closed to social care",
    ]
    # "Fill from the record again" gives the same lines.
    assert forms.prefill_text(workspace, child, "marf", "previous_interventions") == text


def test_a_child_with_only_other_kinds_of_event_has_no_previous_interventions(
    workspace: Workspace,
) -> None:
    child = people.add_child(workspace, child_details()).id
    _event(workspace, child, date(2026, 4, 1), EventKind.POLICE_CONTACT, "Police", "Welfare check")
    _event(workspace, child, date(2026, 4, 2), EventKind.HOSPITAL_ATTENDANCE, "A&E", "Fall")
    form = forms.start(workspace, child, "marf")
    assert "previous_interventions" not in form.details.sections
