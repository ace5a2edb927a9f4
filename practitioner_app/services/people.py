"""Children and the people around them: household members and professionals involved.

These are living records (addresses change, people move out), edited in place with every change
in the audit chain; entries about them are in records.py.
"""

import dataclasses
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from practitioner_app.domain import nhs_number
from practitioner_app.domain.enums import AuditAction
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.records import (
    ChildDetails,
    HouseholdMemberDetails,
    ProfessionalDetails,
)
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.services.views import ChildSummary
from practitioner_app.services.workspace import Workspace
from practitioner_app.store.people import Child
from practitioner_app.store.repositories.children import ChildRepository
from practitioner_app.store.repositories.linked_people import (
    HouseholdRepository,
    LinkedPersonRepository,
    ProfessionalRepository,
)


def child_summary(child: Child) -> ChildSummary:
    return ChildSummary(
        id=child.id,
        external_ref=child.external_ref,
        given_name=child.given_name,
        family_name=child.family_name,
        date_of_birth=child.date_of_birth,
        expected_date=child.expected_date,
        nhs_number=child.nhs_number,
    )


def _child_columns(details: ChildDetails) -> dict[str, Any]:
    columns = dataclasses.asdict(details)
    columns["other_names"] = list(details.other_names)
    columns["nhs_number"] = nhs_number.normalise(details.nhs_number) if details.nhs_number else None
    return columns


def add_child(
    ws: Workspace, details: ChildDetails, external_ref: str | None = None
) -> ChildSummary:
    details.validate(uk_date(now_utc()))
    with ws.unit_of_work() as session:
        children = ChildRepository(session)
        if external_ref and children.reference_taken(external_ref):
            raise InvalidInput(
                "Another child already has that reference; use a different reference."
            )
        child = children.add(
            Child(**_child_columns(details), external_ref=external_ref, **ws.authorship())
        )
        ws.audit_sealed(session, AuditAction.CREATE, "child", child.id, [("child", child.id)])
        return child_summary(child)


def update_child(ws: Workspace, child_id: str, details: ChildDetails) -> ChildSummary:
    details.validate(uk_date(now_utc()))
    with ws.unit_of_work() as session:
        child = ChildRepository(session).fetch(child_id)
        changed = []
        for name, value in _child_columns(details).items():
            if getattr(child, name) != value:
                setattr(child, name, value)
                changed.append(name)
        if changed:
            ws.audit_sealed(
                session,
                AuditAction.UPDATE,
                "child",
                child.id,
                [("child", child.id)],
                fields=sorted(changed),
            )
        return child_summary(child)


def add_household_member(ws: Workspace, child_id: str, details: HouseholdMemberDetails) -> str:
    return _add_linked(ws, child_id, details, HouseholdRepository, "household_member")


def add_professional(ws: Workspace, child_id: str, details: ProfessionalDetails) -> str:
    return _add_linked(ws, child_id, details, ProfessionalRepository, "professional")


def _add_linked(
    ws: Workspace,
    child_id: str,
    details: HouseholdMemberDetails | ProfessionalDetails,
    repository: Callable[[Session], LinkedPersonRepository[Any, Any]],
    record_kind: str,
) -> str:
    """A household member or a professional, linked to the child, in one unit of work."""
    details.validate()
    with ws.unit_of_work() as session:
        ChildRepository(session).fetch(child_id)
        people = repository(session)
        person = people.add_from(child_id, dataclasses.asdict(details), **ws.authorship())
        person_id: str = person.id
        ws.audit_sealed(
            session,
            AuditAction.CREATE,
            record_kind,
            person_id,
            people.sealed_rows(person_id),
            child_id=child_id,
        )
        return person_id
