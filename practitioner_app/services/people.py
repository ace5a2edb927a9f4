"""Children and the people around them: household members and professionals involved.

These are living records (addresses change, people move out), edited in place with every change
in the audit chain; entries about them are in records.py.
"""

import dataclasses
from typing import Any

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
from practitioner_app.store.people import Child, HouseholdMember, Professional
from practitioner_app.store.repositories.children import ChildRepository
from practitioner_app.store.repositories.linked_people import (
    HouseholdRepository,
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
        ws.audit(session, AuditAction.CREATE, "child", child.id)
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
            ws.audit(session, AuditAction.UPDATE, "child", child.id, fields=sorted(changed))
        return child_summary(child)


def add_household_member(ws: Workspace, child_id: str, details: HouseholdMemberDetails) -> str:
    details.validate()
    with ws.unit_of_work() as session:
        ChildRepository(session).fetch(child_id)
        member = HouseholdRepository(session).add_linked(
            HouseholdMember(
                name=details.name,
                date_of_birth=details.date_of_birth,
                checks=details.checks,
                notes=details.notes,
                **ws.authorship(),
            ),
            child_id,
            relationship=details.relationship,
            parental_responsibility=details.parental_responsibility,
            lives_with_child=details.lives_with_child,
            from_date=details.from_date,
            to_date=details.to_date,
        )
        ws.audit(session, AuditAction.CREATE, "household_member", member.id, child_id=child_id)
        return member.id


def add_professional(ws: Workspace, child_id: str, details: ProfessionalDetails) -> str:
    details.validate()
    with ws.unit_of_work() as session:
        ChildRepository(session).fetch(child_id)
        professional = ProfessionalRepository(session).add_linked(
            Professional(
                name=details.name,
                role=details.role,
                agency=details.agency,
                phone=details.phone,
                email=details.email,
                **ws.authorship(),
            ),
            child_id,
            lead=details.lead,
            from_date=details.from_date,
            to_date=details.to_date,
        )
        ws.audit(session, AuditAction.CREATE, "professional", professional.id, child_id=child_id)
        return professional.id
