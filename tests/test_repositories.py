"""Repositories in store/, on a real vault: what they read for one child is what they read for that
child among the whole caseload, and the caseload costs the same few queries however many children."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import event

from practitioner_app.domain.enums import ConcernStatus
from practitioner_app.domain.records import HouseholdMemberDetails, ProfessionalDetails
from practitioner_app.services import alerts, casework, people, records
from practitioner_app.services.workspace import Workspace
from practitioner_app.store.repositories.alert_facts import AlertFactsRepository
from practitioner_app.store.repositories.linked_people import (
    HouseholdRepository,
    ProfessionalRepository,
)
from tests.conftest import AT, child_details, every_entry, visit_details


def _child_with_everything(ws: Workspace, name: str) -> str:
    child = people.add_child(ws, child_details(given_name=name, nhs_number=None)).id
    visit = records.create_entry(ws, visit_details(child)).id
    for details in every_entry(child, visit, f"{name} words"):
        records.create_entry(ws, details)
    people.add_household_member(
        ws, child, HouseholdMemberDetails(f"{name}'s mother", "Mother", lives_with_child=True)
    )
    people.add_professional(
        ws, child, ProfessionalDetails("Tom Reed", "Social worker", " Northshire  CSC ", lead=True)
    )
    [concern] = [row.id for row in casework.entries(ws, child, "concern")]
    records.change_concern_status(ws, concern, ConcernStatus.MONITORING, AT + timedelta(days=1))
    return child


@contextmanager
def _counting_queries(ws: Workspace) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(ws.vault.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(ws.vault.engine, "before_cursor_execute", count)


def test_the_facts_read_for_one_child_are_those_read_for_the_whole_caseload(
    workspace: Workspace,
) -> None:
    children = [_child_with_everything(workspace, name) for name in ("Ada", "Ben", "Cai")]
    # A brother and sister seen at one visit, and living with the same adult.
    records.create_entry(workspace, visit_details(children[0], child_ids=tuple(children[:2])))

    with workspace.unit_of_work() as session:
        everyone = AlertFactsRepository(session).for_children()
        alone = {child: AlertFactsRepository(session).for_children([child]) for child in children}
        service = alerts.load_facts(session, workspace.profile.agency, [children[1]])

    for child in children:
        assert alone[child] == {child: everyone[child]}
        facts = everyone[child]
        assert len(facts.observations) == len(facts.concerns) == len(facts.events) == 1
        assert [s for _, s in facts.concerns[0].statuses] == [
            ConcernStatus.OPEN,
            ConcernStatus.MONITORING,
        ]
    assert len(everyone[children[0]].visits) == len(everyone[children[1]].visits) == 2
    assert len(everyone[children[2]].visits) == 1
    # The rules read professionals' agencies normalised; the store keeps them as written.
    assert everyone[children[1]].professionals[0].agency == " Northshire  CSC "
    assert service[children[1]].professionals[0].agency == "northshire  csc"
    assert service[children[1]].agency_names["northshire  csc"] == "Northshire CSC"


def test_the_caseloads_alerts_cost_the_same_queries_for_two_children_as_for_six(
    workspace: Workspace,
) -> None:
    def queries() -> int:
        with _counting_queries(workspace) as statements:
            alerts.for_caseload(workspace, date.today())
        return len(statements)

    for name in ("Ada", "Ben"):
        _child_with_everything(workspace, name)
    two = queries()
    for name in ("Cai", "Dee", "Eve", "Fay"):
        _child_with_everything(workspace, name)
    assert queries() == two


def test_household_members_and_professionals_are_read_in_the_same_shape(
    workspace: Workspace,
) -> None:
    child = people.add_child(workspace, child_details(nhs_number=None)).id
    people.add_household_member(
        workspace, child, HouseholdMemberDetails("Zoe", "Aunt", lives_with_child=False)
    )
    people.add_household_member(
        workspace, child, HouseholdMemberDetails("Yan", "Father", lives_with_child=True)
    )
    people.add_professional(workspace, child, ProfessionalDetails("Amy", "GP", "Surgery"))
    people.add_professional(
        workspace, child, ProfessionalDetails("Bo", "Social worker", "CSC", lead=True)
    )
    with workspace.unit_of_work() as session:
        household = HouseholdRepository(session).rows_for([child])
        professionals = ProfessionalRepository(session).rows_for([child])
        member = household[0].id
        assert HouseholdRepository(session).child_ids_of(member) == [child]

    # Whoever the link puts first (lives with the child, the lead), then by name.
    assert [(r.child_id, r.name, r.lives_with_child) for r in household] == [
        (child, "Yan", True),
        (child, "Zoe", False),
    ]
    assert [(r.child_id, r.name, r.lead) for r in professionals] == [
        (child, "Bo", True),
        (child, "Amy", False),
    ]
