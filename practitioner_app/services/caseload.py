"""The caseload: listing children and finding one from what the practitioner typed."""

from sqlalchemy import or_, select

from practitioner_app.domain.errors import InvalidInput
from practitioner_app.services.people import child_summary
from practitioner_app.services.views import ChildSummary
from practitioner_app.services.workspace import Workspace
from practitioner_app.store.people import Child


def list_children(ws: Workspace) -> list[ChildSummary]:
    with ws.unit_of_work() as session:
        children = session.scalars(select(Child).order_by(Child.family_name, Child.given_name))
        return [child_summary(child) for child in children]


def find_child(ws: Workspace, reference: str) -> ChildSummary:
    """A child by vault id or by external reference (a bundle id, a council case number)."""
    with ws.unit_of_work() as session:
        matches = session.scalars(
            select(Child).where(or_(Child.id == reference, Child.external_ref == reference))
        ).all()
        if not matches:
            raise InvalidInput(
                f"No child has the id or reference '{reference}'; "
                "list them with `practitioner-app children`."
            )
        return child_summary(matches[0])
