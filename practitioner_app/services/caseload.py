"""The caseload: listing children and finding one from what the practitioner typed."""

from practitioner_app.domain.errors import InvalidInput
from practitioner_app.services.people import child_summary
from practitioner_app.services.views import ChildSummary
from practitioner_app.services.workspace import Workspace
from practitioner_app.store.repositories.children import ChildRepository


def list_children(ws: Workspace) -> list[ChildSummary]:
    with ws.unit_of_work() as session:
        return [child_summary(child) for child in ChildRepository(session).all_by_name()]


def find_child(ws: Workspace, reference: str) -> ChildSummary:
    """A child by vault id or by external reference (a bundle id, a council case number)."""
    with ws.unit_of_work() as session:
        child = ChildRepository(session).by_reference(reference)
        if child is None:
            raise InvalidInput(
                f"No child has the id or reference '{reference}'; "
                "list them with `practitioner-app children`."
            )
        return child_summary(child)
