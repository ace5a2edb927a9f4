"""Faults found by trying issue 15 as a new user would (a fresh tester handing cases between
vaults): each test states a fact that must hold when records move between vaults. Real encrypted
vaults, real bundles."""

import copy
import dataclasses
import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest

from practitioner_app.domain.enums import ConcernCategory, ConcernLevel, EventKind, SourceKind
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.records import ChronologyEventDetails, ConcernDetails
from practitioner_app.services import (
    bundles,
    caseload,
    chronology,
    integrity,
    people,
    records,
)
from practitioner_app.services.workspace import Workspace
from tests.conftest import child_details, visit_details
from tests.test_bundle_identity import _data, two_vaults

__all__ = ["two_vaults"]  # the two practitioners' vaults fixture, shared with the identity tests


def _siblings_seen_together(ws: Workspace) -> tuple[str, str]:
    older = people.add_child(
        ws,
        child_details(given_name="Corey", nhs_number="9990000034", date_of_birth=date(2022, 2, 1)),
    ).id
    baby = people.add_child(
        ws,
        child_details(given_name="Amber", nhs_number="9990000026", date_of_birth=date(2026, 7, 1)),
    ).id
    visit = records.create_entry(ws, visit_details(baby, child_ids=(baby, older)))
    records.finalise(ws, RecordKind.VISIT, visit.id)
    return baby, older


def test_a_joint_visit_sent_one_child_at_a_time_then_as_a_family_still_imports(
    two_vaults: tuple[Workspace, Workspace],
) -> None:
    """`export-bundle --child` wrote a visit of two siblings with one child's id only; the
    receiving vault then refused every later bundle holding that visit as 'altered'. Now the
    sibling travels as a child record (not with their own records) and the visit names both."""
    a, b = two_vaults
    baby, older = _siblings_seen_together(a)
    only_older = json.loads(bundles.export_bundle(a, [older]))
    assert {c["id"] for c in only_older["children"]} == {baby, older}
    first = bundles.import_bundle(b, _data(only_older))
    assert first.added.get("children") == 2
    report = bundles.import_bundle(b, bundles.export_bundle(a))  # the whole family, later
    assert report.added == {}
    assert report.changed == {}
    (visit,) = records_of(b, baby, "visit")
    assert set(visit) == {baby, older}  # the visit is about both children in both vaults


def records_of(ws: Workspace, child_id: str, kind: str) -> list[set[str]]:
    """The child ids each of a child's entries of a kind is about."""
    exported = json.loads(bundles.export_bundle(ws, [child_id]))
    return [set(v["child_ids"]) for v in exported["visits"]] if kind == "visit" else []


def test_a_vault_holding_a_possibly_same_child_can_still_export_its_caseload(
    two_vaults: tuple[Workspace, Workspace],
) -> None:
    """Import reports 'possibly the same child' and keeps both; export-bundle then crashes
    with a pydantic traceback (two children with one NHS number)."""
    a, b = two_vaults
    people.add_child(a, child_details(given_name="Amber", nhs_number="9990000026"))
    people.add_child(b, child_details(given_name="Amba", nhs_number="9990000026"))
    report = bundles.import_bundle(b, bundles.export_bundle(a))
    assert any("possibly the same child" in note for note in report.notes)
    try:
        exported = json.loads(bundles.export_bundle(b))
    except InvalidInput:
        return  # a sentence saying what to do is acceptable; a traceback is not
    assert len(exported["children"]) == 2


def _format_1(events: list[dict[str, Any]], **child: Any) -> dict[str, Any]:
    return {
        "format": "practitioner-case-bundle",
        "version": 1,
        "exported_at": "2026-11-01T09:00:00+00:00",
        "exported_by": {"name": "Kofi Mensah", "role": "Social worker", "agency": "Northshire CSC"},
        "children": [
            {
                "id": "c1",
                "given_name": "Amber",
                "family_name": "Lowe",
                "date_of_birth": "2024-03-01",
                **child,
            }
        ],
        "events": events,
    }


def _event(number: int, text: str, day: str = "2026-06-01") -> dict[str, Any]:
    return {
        "id": f"e{number}",
        "child_id": "c1",
        "occurred_at": day,
        "source": "Northshire Police",
        "kind": "police_contact",
        "event": text,
    }


def test_reimporting_an_old_format_1_bundle_does_not_undo_a_later_correction(
    workspace: Workspace,
) -> None:
    """A format 1 child has no updated_at, and is treated as newer than anything here: importing
    the same old file again puts back the address the practitioner had corrected since."""
    document = _format_1([_event(1, "Call-out")], address="1 Old Street")
    bundles.import_bundle(workspace, _data(document))
    (child,) = caseload.list_children(workspace)
    details = dataclasses.replace(child_details(), given_name="Amber", family_name="Lowe")
    details = dataclasses.replace(
        details, date_of_birth=date(2024, 3, 1), nhs_number=None, address="12 New Road"
    )
    people.update_child(workspace, child.id, details)
    report = bundles.import_bundle(workspace, _data(document))
    assert report.changed == {} or not any("bundle's newer version" in n for n in report.notes)
    exported = json.loads(bundles.export_bundle(workspace))
    assert exported["children"][0]["address"] == "12 New Road"


def test_same_day_entries_without_time_or_recorded_at_keep_the_order_the_source_gave(
    workspace: Workspace,
) -> None:
    """Issue 15 item 5: '... then recorded-at, then the order the source gave'. Today the tie is
    broken by the record's UUID, so a referral can print after what it led to."""
    texts = [
        f"step {n}: {what}"
        for n, what in enumerate(
            [
                "referral received",
                "hospital attendance",
                "strategy meeting",
                "child seen",
                "police check",
                "case conference",
            ],
            start=1,
        )
    ]
    document = _format_1([_event(i + 1, text) for i, text in enumerate(texts)])
    bundles.import_bundle(workspace, _data(document))
    (child,) = caseload.list_children(workspace)
    shown = [row.event for row in chronology.build(workspace, child.id)]
    assert [s for s in shown if s.startswith("step")] == texts


def _concern_bundle(concern: dict[str, Any]) -> dict[str, Any]:
    document = _format_1([])
    document["concerns"] = [
        {
            "id": "cn1",
            "child_id": "c1",
            "category": "neglect",
            "level": "medium",
            "source": "Nursery",
            "summary": "Often hungry",
            **concern,
        }
    ]
    return document


def test_a_concern_given_as_closed_without_a_closing_date_is_refused_naming_closed_at(
    workspace: Workspace,
) -> None:
    """Imported today as a concern closed from the moment it was raised, with no status
    history: it never counts as open (the issue's 'concern history lost')."""
    document = _concern_bundle({"raised_at": "2026-06-18", "status": "closed"})
    before = integrity.record_counts(workspace)
    with pytest.raises(InvalidInput, match="closed_at"):
        bundles.import_bundle(workspace, _data(document))
    assert integrity.record_counts(workspace) == before


def test_a_status_change_hours_before_its_concern_was_raised_is_refused(
    two_vaults: tuple[Workspace, Workspace],
) -> None:
    """The import compares days only: a concern closed at 08:00 and raised at 11:00 the same day
    is taken, though the app itself refuses that change when typed."""
    a, b = two_vaults
    child = people.add_child(a, child_details())
    concern = records.create_entry(
        a,
        ConcernDetails(
            child_id=child.id,
            occurred_at=datetime(2026, 10, 5, 10, 0, tzinfo=UTC),
            category=ConcernCategory.NEGLECT,
            level=ConcernLevel.HIGH,
            source="Health visiting",
            summary="Home cold",
        ),
    )
    records.finalise(a, RecordKind.CONCERN, concern.id)
    document = json.loads(bundles.export_bundle(a))
    document["status_changes"] = [
        {
            "id": str(uuid.uuid4()),
            "vault_id": document["vault_id"],
            "author": {"name": "Asha Patel"},
            "recorded_at": "2026-10-06T09:00:00+01:00",
            "concern_id": concern.id,
            "changed_at": "2026-10-05T08:00:00+01:00",
            "new_status": "closed",
        }
    ]
    with pytest.raises(InvalidInput, match="changed_at"):
        bundles.import_bundle(b, _data(document))


@pytest.mark.parametrize("moment", ["2100-12-31T23:00-05:00", "1900-01-01T00:30+01:00"])
def test_a_time_an_import_accepts_can_be_handed_on(
    two_vaults: tuple[Workspace, Workspace], moment: str
) -> None:
    """A time with an offset inside the range on its own clock but outside it in the UK is taken,
    then the vault writes a bundle no vault will import: the whole case can no longer move."""
    a, b = two_vaults
    document = _format_1([_event(1, "Call-out", day=moment)])
    try:
        bundles.import_bundle(a, _data(document))
    except InvalidInput as refused:
        message = str(refused)
    else:
        message = ""
        bundles.import_bundle(b, bundles.export_bundle(a))
    assert message == "" or "occurred_at" in message


def test_a_new_record_reusing_another_records_id_is_refused(
    two_vaults: tuple[Workspace, Workspace],
) -> None:
    """An event whose id is an existing visit's is added beside it; the visit's chronology choice
    then also marks the event (choices are found by record id alone)."""
    a, b = two_vaults
    child = people.add_child(a, child_details())
    visit = records.create_entry(a, visit_details(child.id))
    records.finalise(a, RecordKind.VISIT, visit.id)
    chronology.choose_significance(a, child.id, RecordKind.VISIT, visit.id, True)
    bundles.import_bundle(b, bundles.export_bundle(a))
    document = json.loads(bundles.export_bundle(b))
    event = {
        "id": visit.id,
        "child_id": child.id,
        "occurred_at": "2026-10-07",
        "date_uncertain": False,
        "source": "Police",
        "source_kind": "police",
        "kind": "police_contact",
        "event": "Reuses the visit's id",
        "recorded_at": "2026-10-07T10:00:00+01:00",
        "vault_id": str(uuid.uuid4()),
        "author": {"name": "Lina Berg"},
        "status": "final",
        "finalised_at": "2026-10-07T10:00:00+01:00",
    }
    document["events"] = [*document["events"], copy.deepcopy(event)]
    with pytest.raises(InvalidInput, match=r"events\[0\]\.id"):
        bundles.import_bundle(b, _data(document))


def test_a_choice_about_another_child_than_its_record_is_refused(
    two_vaults: tuple[Workspace, Workspace],
) -> None:
    a, b = two_vaults
    baby, older = _siblings_seen_together(a)
    concern = records.create_entry(
        a,
        ConcernDetails(
            child_id=baby,
            occurred_at=datetime(2026, 10, 5, 10, 0, tzinfo=UTC),
            category=ConcernCategory.NEGLECT,
            level=ConcernLevel.HIGH,
            source="Health visiting",
            summary="Home cold",
        ),
    )
    records.finalise(a, RecordKind.CONCERN, concern.id)
    chronology.choose_significance(a, baby, RecordKind.CONCERN, concern.id, False)
    document = json.loads(bundles.export_bundle(a))
    document["chronology_choices"][0]["child_id"] = older
    with pytest.raises(InvalidInput, match=r"chronology_choices\[0\]\.child_id: .* not about"):
        bundles.import_bundle(b, _data(document))


def test_a_date_alone_held_at_any_hour_comes_back_as_the_same_entry(
    two_vaults: tuple[Workspace, Workspace],
) -> None:
    """An event with a date alone, held at 14:00 rather than UK midnight (as a script or an
    older version might write it), travels as its date; coming back it is the same entry."""
    a, b = two_vaults
    child = people.add_child(a, child_details()).id
    event = records.create_entry(
        a,
        ChronologyEventDetails(
            child_id=child,
            occurred_at=datetime(2026, 10, 7, 14, 0, tzinfo=UTC),
            source="Northshire Police",
            source_kind=SourceKind.POLICE,
            kind=EventKind.POLICE_CONTACT,
            event="Call-out",
            time_known=False,
        ),
    )
    records.finalise(a, RecordKind.CHRONOLOGY_EVENT, event.id)
    bundles.import_bundle(b, bundles.export_bundle(a))
    back = bundles.import_bundle(a, bundles.export_bundle(b))
    assert back.added == {}
    assert back.changed == {}


def test_a_draft_with_other_children_is_refused_as_a_draft_not_as_a_final_entry(
    two_vaults: tuple[Workspace, Workspace],
) -> None:
    a, b = two_vaults
    baby, older = _siblings_seen_together(a)
    draft = records.create_entry(a, visit_details(baby, child_ids=(baby, older)))
    bundles.import_bundle(b, bundles.export_bundle(a))
    document = json.loads(bundles.export_bundle(a))
    (moved,) = [v for v in document["visits"] if v["id"] == draft.id]
    moved["child_ids"] = [baby]
    with pytest.raises(InvalidInput) as refused:
        bundles.import_bundle(b, _data(document))
    assert "a draft here is replaced only by a version about the same children" in str(
        refused.value
    )
    assert "a final entry never changes" not in str(refused.value)
