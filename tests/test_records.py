"""Recording entries: drafts, finalising, amendments, and the rules a final entry lives by."""

import hashlib
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from practitioner_app.domain.enums import ConcernStatus, VisitOutcome
from practitioner_app.domain.errors import FinalEntryIsReadOnly, InvalidInput
from practitioner_app.domain.kinds import KINDS, InChronology, kind_of
from practitioner_app.domain.records import HouseholdMemberDetails, ProfessionalDetails
from practitioner_app.services import caseload, people, records
from practitioner_app.services.integrity import audit_trail
from practitioner_app.services.workspace import Workspace
from practitioner_app.store.entries import ConcernStatusChange
from practitioner_app.store.people import HouseholdLink, ProfessionalLink
from tests.conftest import AT, child_details, every_entry, visit_details


def test_a_new_entry_is_a_draft_signed_by_the_practitioner(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details())
    visit = records.create_entry(workspace, visit_details(child.id))
    assert visit.status == "draft"
    assert visit.author == "Asha Patel (Health visitor, Northshire Community NHS Trust)"
    assert visit.fields["child_ids"] == [child.id]
    assert visit.occurred_at == AT
    assert visit.recorded_at > AT


def test_an_entry_written_days_later_is_late(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details())
    now = datetime.now(UTC)
    prompt = records.create_entry(
        workspace, visit_details(child.id, occurred_at=now - timedelta(hours=2))
    )
    late = records.create_entry(
        workspace, visit_details(child.id, occurred_at=now - timedelta(days=3))
    )
    assert not prompt.late
    assert late.late


def test_drafts_can_be_edited_and_the_audit_names_the_changed_fields(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details())
    visit = records.create_entry(workspace, visit_details(child.id))
    edited = records.edit_draft(
        workspace, visit.id, visit_details(child.id, notes="Corrected while draft.")
    )
    assert edited.fields["notes"] == "Corrected while draft."
    last = audit_trail(workspace)[-1]
    assert (last.action, last.record_id) == ("edit_draft", visit.id)
    assert '"fields":["notes"]' in last.detail


def test_a_final_entry_cannot_be_edited_or_deleted_and_points_to_amend(
    workspace: Workspace,
) -> None:
    child = people.add_child(workspace, child_details())
    visit = records.create_entry(workspace, visit_details(child.id))
    records.finalise(workspace, "visit", visit.id)
    with pytest.raises(FinalEntryIsReadOnly, match="amendment"):
        records.edit_draft(workspace, visit.id, visit_details(child.id, notes="Rewritten."))
    with pytest.raises(FinalEntryIsReadOnly, match="amendment"):
        records.delete_draft(workspace, "visit", visit.id)
    assert records.get_entry(workspace, "visit", visit.id).fields["notes"] == visit.fields["notes"]


def test_an_amendment_sits_beside_the_untouched_original(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details())
    visit = records.create_entry(workspace, visit_details(child.id))
    records.finalise(workspace, "visit", visit.id)
    amended = records.amend(
        workspace,
        "visit",
        visit.id,
        "notes",
        "Maya was feeding well; mother present.",
        "Mother was present, not father.",
    )
    assert amended.fields["notes"] == visit.fields["notes"]
    assert amended.amended
    (amendment,) = amended.amendments
    assert amendment.new_value == "Maya was feeding well; mother present."
    assert amendment.reason == "Mother was present, not father."
    assert amendment.author.startswith("Asha Patel")
    assert [row.action for row in audit_trail(workspace)][-2:] == ["finalise", "amend"]


def test_amendments_need_a_reason_a_final_entry_and_a_real_field(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details())
    visit = records.create_entry(workspace, visit_details(child.id))
    with pytest.raises(InvalidInput, match="still a draft"):
        records.amend(workspace, "visit", visit.id, "notes", "x", "reason")
    records.finalise(workspace, "visit", visit.id)
    with pytest.raises(InvalidInput, match="needs a reason"):
        records.amend(workspace, "visit", visit.id, "notes", "x", "  ")
    with pytest.raises(InvalidInput, match="cannot be amended"):
        records.amend(workspace, "visit", visit.id, "child_ids", "x", "reason")


def test_every_kind_of_entry_can_be_recorded_finalised_and_read_back(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details())
    visit = records.create_entry(workspace, visit_details(child.id))
    for details in every_entry(child.id, visit.id, "Synthetic text ✓ Ünïcödé Ελληνικά Кирилиця"):
        created = records.create_entry(workspace, details)
        final = records.finalise(workspace, created.kind, created.id)
        assert final.status == "final"
        assert final.fields == created.fields


def test_links_must_point_at_real_records(workspace: Workspace) -> None:
    with pytest.raises(InvalidInput, match="no child with id"):
        records.create_entry(workspace, visit_details("no-such-child"))


def test_was_not_brought_is_recorded_as_such(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details())
    visit = records.create_entry(
        workspace,
        visit_details(
            child.id, outcome=VisitOutcome.WAS_NOT_BROUGHT, child_seen=False, child_seen_alone=None
        ),
    )
    assert visit.fields["outcome"] is VisitOutcome.WAS_NOT_BROUGHT


def test_household_and_professionals_link_to_the_child(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details())
    people.add_household_member(
        workspace,
        child.id,
        HouseholdMemberDetails(
            "Grace Okafor", "mother", lives_with_child=True, parental_responsibility=True
        ),
    )
    people.add_professional(
        workspace,
        child.id,
        ProfessionalDetails("Dr Ben Hale", "GP", "Riverside Surgery", lead=False),
    )
    with workspace.unit_of_work() as session:
        link = session.scalars(select(HouseholdLink)).one()
        assert (link.child_id, link.relationship, link.parental_responsibility) == (
            child.id,
            "mother",
            True,
        )
        assert session.scalars(select(ProfessionalLink)).one().child_id == child.id


def test_a_final_concern_moves_on_by_appended_status_changes(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details())
    visit = records.create_entry(workspace, visit_details(child.id))
    concern = records.create_entry(workspace, every_entry(child.id, visit.id, "x")[1])
    records.finalise(workspace, "concern", concern.id)
    records.change_concern_status(
        workspace, concern.id, ConcernStatus.CLOSED, AT + timedelta(days=30), "No further action"
    )
    with workspace.unit_of_work() as session:
        change = session.scalars(select(ConcernStatusChange)).one()
        assert change.new_status is ConcernStatus.CLOSED
    with pytest.raises(InvalidInput, match="before the concern was raised"):
        records.change_concern_status(
            workspace, concern.id, ConcernStatus.OPEN, AT - timedelta(days=1)
        )


def test_children_are_found_by_id_or_external_reference(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details(), external_ref="NS-2026-0042")
    assert caseload.find_child(workspace, "NS-2026-0042").id == child.id
    assert caseload.find_child(workspace, child.id).external_ref == "NS-2026-0042"
    with pytest.raises(InvalidInput, match="No child has the id or reference"):
        caseload.find_child(workspace, "NS-0000")
    with pytest.raises(InvalidInput, match="already has that reference"):
        people.add_child(workspace, child_details(), external_ref="NS-2026-0042")


def test_child_updates_are_audited_by_field_name_only(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details(address="1 Synthetic Row"))
    people.update_child(workspace, child.id, child_details(address="2 Synthetic Row"))
    last = audit_trail(workspace)[-1]
    assert last.action == "update"
    assert '"fields":["address"]' in last.detail
    assert "Synthetic Row" not in last.detail


def test_nothing_is_half_written_when_an_action_fails(workspace: Workspace) -> None:
    before = len(audit_trail(workspace))
    with pytest.raises(InvalidInput):
        records.create_entry(workspace, visit_details("no-such-child"))
    assert len(audit_trail(workspace)) == before


def test_the_content_digest_is_the_sha256_of_the_plain_fields_as_json() -> None:
    # The digest is evidence written to the audit chain: however it is computed, it must stay
    # this definition, for every kind of entry (enums, times, tuples, an injury's record).
    def by_definition(fields: dict[str, object]) -> str:
        text = json.dumps(
            records.plain(fields), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    text = 'Zoë «ünïcode» \u0000 [x] "q" \\'
    entries = [visit_details("c-1", notes=text), *every_entry("c-1", "v-1", text, "o-1")]
    assert len({kind_of(details) for details in entries}) == len(KINDS)
    for details in entries:
        fields = records.canonical_fields(kind_of(details), details)
        assert records.content_digest(fields) == by_definition(fields)
    odd = {"when": date(2026, 1, 2), "at": AT, "in": InChronology.ALWAYS, "list": (1, 2.5, None)}
    assert records.content_digest(odd) == by_definition(odd)
