"""The caseload flags, a child's overview, entry lists, mandated contacts and the future-date rule."""

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from practitioner_app.domain.contacts import next_contact
from practitioner_app.domain.enums import (
    ConcernCategory,
    ConcernLevel,
    ConcernStatus,
    ContactType,
    ObservationCategory,
    VisitOutcome,
)
from practitioner_app.domain.errors import FinalEntryIsReadOnly, InvalidInput
from practitioner_app.domain.records import (
    ConcernDetails,
    HouseholdMemberDetails,
    ObservationDetails,
    ProfessionalDetails,
)
from practitioner_app.domain.times import now_utc
from practitioner_app.services import casework, people, records
from practitioner_app.services.workspace import Workspace
from practitioner_app.store.repositories import entries as entry_queries
from practitioner_app.store.repositories.entries import VisitRepository
from tests.conftest import AT, child_details, visit_details


def _concern(child_id: str, level: ConcernLevel = ConcernLevel.HIGH) -> ConcernDetails:
    return ConcernDetails(
        child_id=child_id,
        occurred_at=AT,
        category=ConcernCategory.NEGLECT,
        level=level,
        source="Health visitor",
        summary="Home cold; little food in the house.",
    )


def test_caseload_flags_open_concerns_lead_last_seen_and_drafts(workspace: Workspace) -> None:
    maya = people.add_child(workspace, child_details())
    other = people.add_child(workspace, child_details(given_name="Zoe", nhs_number=None))
    seen = records.create_entry(workspace, visit_details(maya.id))
    records.finalise(workspace, "visit", seen.id)
    records.create_entry(
        workspace,
        visit_details(maya.id, occurred_at=AT + timedelta(days=3), child_seen=False),
    )
    high = records.create_entry(workspace, _concern(maya.id))
    low = records.create_entry(workspace, _concern(maya.id, ConcernLevel.LOW))
    records.finalise(workspace, "concern", high.id)
    records.finalise(workspace, "concern", low.id)
    records.change_concern_status(workspace, high.id, ConcernStatus.CLOSED, AT + timedelta(days=1))
    people.add_professional(
        workspace,
        maya.id,
        ProfessionalDetails("Tom Reed", "Social worker", "Northshire CSC", lead=True),
    )

    rows = {row.id: row for row in casework.caseload(workspace)}

    assert rows[maya.id].open_concerns == 1  # the high one was closed
    assert rows[maya.id].highest_open_level is ConcernLevel.LOW
    assert rows[maya.id].lead_professional == "Tom Reed (Social worker)"
    assert rows[maya.id].last_seen == date(2026, 10, 6)  # not the later visit, child not seen
    assert rows[maya.id].drafts == 1
    assert rows[other.id].open_concerns == 0
    assert rows[other.id].last_seen is None
    assert rows[other.id].lead_professional is None


def test_drafts_count_every_kind_and_a_shared_visit_once_for_each_child(
    workspace: Workspace,
) -> None:
    """The caseload's Drafts column: entries still in draft, by child, whatever their kind; a
    visit about two siblings is a draft of each; final entries are not counted."""
    maya = people.add_child(workspace, child_details())
    zoe = people.add_child(workspace, child_details(given_name="Zoe", nhs_number=None))
    alone = people.add_child(workspace, child_details(given_name="Ada", nhs_number=None))
    records.create_entry(workspace, visit_details(maya.id, child_ids=(maya.id, zoe.id)))
    records.create_entry(workspace, _concern(maya.id))
    records.create_entry(
        workspace,
        ObservationDetails(
            child_id=zoe.id,
            occurred_at=AT,
            category=ObservationCategory.HOME_ENVIRONMENT,
            text="Stairgate missing at the top of the stairs.",
        ),
    )
    done = records.create_entry(workspace, visit_details(alone.id))
    records.finalise(workspace, "visit", done.id)

    rows = {row.id: row.drafts for row in casework.caseload(workspace)}

    assert rows == {maya.id: 2, zoe.id: 2, alone.id: 0}


def test_overview_shows_household_now_professionals_and_open_concerns(
    workspace: Workspace,
) -> None:
    maya = people.add_child(workspace, child_details())
    people.add_household_member(
        workspace, maya.id, HouseholdMemberDetails("Grace Okafor", "Mother", lives_with_child=True)
    )
    people.add_household_member(
        workspace,
        maya.id,
        HouseholdMemberDetails(
            "Dan Cole", "Mother's ex-partner", lives_with_child=True, to_date=date(2025, 9, 1)
        ),
    )
    concern = records.create_entry(workspace, _concern(maya.id))

    view = casework.overview(workspace, maya.id)

    assert view.details.given_name == "Maya"
    today = now_utc().date()
    assert [p.name for p in view.household if p.is_current(today)] == ["Grace Okafor"]
    assert [c.id for c in view.open_concerns] == [concern.id]
    assert view.open_concerns[0].concern_status is ConcernStatus.OPEN


def test_entry_lists_mark_drafts_late_entries_and_amendments(workspace: Workspace) -> None:
    maya = people.add_child(workspace, child_details())
    visit = records.create_entry(workspace, visit_details(maya.id))
    observation = records.create_entry(
        workspace,
        ObservationDetails(
            child_id=maya.id,
            occurred_at=AT,
            category=ObservationCategory.GROWTH,
            text="Weight 7.9 kg.",
            weight_kg=7.9,
            visit_id=visit.id,
        ),
    )
    records.finalise(workspace, "visit", visit.id)
    records.amend(workspace, "visit", visit.id, "notes", "Corrected narrative.", "Typo in name")

    visits = casework.entries(workspace, maya.id, "visit")
    observations = casework.entries(workspace, maya.id, "observation")

    assert [(v.id, v.status, v.amended, v.late) for v in visits] == [
        (visit.id, "final", True, True)  # AT is weeks before the test ran
    ]
    assert visits[0].what == "Home visit"
    assert visits[0].summary == "completed. Child seen, not alone."
    assert [(o.id, o.status, o.amended) for o in observations] == [(observation.id, "draft", False)]
    assert casework.visit_entries(workspace, visit.id) == ([observation.id], [])


def test_a_visit_dated_in_the_future_is_refused_with_the_field_named(
    workspace: Workspace,
) -> None:
    maya = people.add_child(workspace, child_details())
    tomorrow = datetime.now(UTC) + timedelta(days=1)

    with pytest.raises(InvalidInput, match="dated in the future") as refused:
        records.create_entry(workspace, visit_details(maya.id, occurred_at=tomorrow))

    assert refused.value.field == "occurred_at"
    assert casework.entries(workspace, maya.id, "visit") == []


def test_required_fields_and_nhs_numbers_name_their_field() -> None:
    with pytest.raises(InvalidInput) as missing:
        dataclasses.replace(_concern("c1"), summary="  ").validate()
    assert missing.value.field == "summary"
    with pytest.raises(InvalidInput) as bad_number:
        child_details(nhs_number="9990000019").validate(date(2026, 1, 1))
    assert bad_number.value.field == "nhs_number"


@pytest.mark.parametrize(
    ("today", "completed", "expected", "overdue"),
    [
        (date(2026, 1, 5), set(), ContactType.NEW_BIRTH, False),
        (date(2026, 2, 10), set(), ContactType.NEW_BIRTH, True),
        (date(2026, 2, 10), {ContactType.NEW_BIRTH}, ContactType.SIX_EIGHT_WEEK, False),
        # A missed 6-8 week review cannot be offered once the 9-12 month one is done.
        (
            date(2027, 1, 1),
            {ContactType.NEW_BIRTH, ContactType.NINE_TWELVE_MONTH},
            ContactType.TWO_TWO_HALF_YEAR,
            False,
        ),
        (date(2028, 9, 1), {ContactType.NEW_BIRTH}, ContactType.TWO_TWO_HALF_YEAR, True),
        (date(2029, 2, 1), set(), None, False),  # over 3: handed over to school nursing
    ],
)
def test_next_mandated_contact(
    today: date, completed: set[ContactType], expected: ContactType | None, overdue: bool
) -> None:
    due = next_contact(date(2026, 1, 1), None, completed, today)
    assert (due.contact.contact if due else None) == expected
    if due:
        assert due.overdue is overdue


def test_an_unborn_child_is_due_the_antenatal_contact() -> None:
    due = next_contact(None, date(2027, 3, 1), set(), date(2026, 12, 20))
    assert due is not None
    assert due.contact.contact is ContactType.ANTENATAL
    assert due.contact.due_from == date(2026, 12, 7)


def test_visit_outcome_not_completed_does_not_count_as_seen(workspace: Workspace) -> None:
    maya = people.add_child(workspace, child_details())
    records.create_entry(
        workspace,
        visit_details(maya.id, outcome=VisitOutcome.WAS_NOT_BROUGHT, child_seen=None),
    )
    assert casework.caseload(workspace)[0].last_seen is None


def test_finalise_together_is_all_or_nothing(workspace: Workspace) -> None:
    maya = people.add_child(workspace, child_details())
    visit = records.create_entry(workspace, visit_details(maya.id))
    concern = records.create_entry(workspace, _concern(maya.id))
    records.finalise(workspace, "concern", concern.id)

    with pytest.raises(FinalEntryIsReadOnly):
        records.finalise_together(workspace, [("visit", visit.id), ("concern", concern.id)])
    assert records.get_entry(workspace, "visit", visit.id).status == "draft"

    other = records.create_entry(workspace, _concern(maya.id))
    records.finalise_together(workspace, [("visit", visit.id), ("concern", other.id)])
    assert records.get_entry(workspace, "visit", visit.id).status == "final"
    assert records.get_entry(workspace, "concern", other.id).status == "final"


def test_one_childs_last_seen_and_contacts_start_from_the_childs_own_visits(
    workspace: Workspace,
) -> None:
    """Issue 19: left to choose, SQLite read every completed visit in the vault for each child
    opened (the index on outcome looked cheaper), so opening a child cost as much as the vault
    was large. The plans start from the child's links and look each visit up by its id."""
    maya = people.add_child(workspace, child_details())
    seen = records.create_entry(workspace, visit_details(maya.id))
    records.finalise(workspace, "visit", seen.id)
    with workspace.unit_of_work() as session:
        repository = VisitRepository(session)
        assert repository.last_seen(maya.id) == {maya.id: date(2026, 10, 6)}
        assert repository.last_seen()[maya.id] == date(2026, 10, 6)  # the whole caseload agrees
        for statement in (entry_queries._LAST_SEEN, entry_queries._CONTACT_TYPES):
            sql = str(statement.compile(dialect=session.get_bind().dialect))
            plan = [
                row[-1]
                for row in session.connection().exec_driver_sql(
                    "EXPLAIN QUERY PLAN " + sql.replace(":child_id", "?").replace(":outcome", "?"),
                    (maya.id, "completed"),
                )
            ]
            assert plan[0].startswith("SEARCH visit_child"), plan
            assert "child_id=?" in plan[0], plan
            assert all("ix_visit_seen (outcome=?)" not in step for step in plan), plan
