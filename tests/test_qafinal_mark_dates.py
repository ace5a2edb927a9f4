"""QA (issue 20 "Bad input": "dates before birth or in the future ... one clear sentence ...
nothing half-saved"): a body-map mark dated in the future is refused (holds), but one dated
years before the child was born is saved, as is a mark dated a year before the observation it
was seen at (a map is one occasion: its marks were seen then). Both go on the record and into the
alerts and the chronology with a date nobody could have seen them on. A real encrypted vault."""

from datetime import timedelta

import pytest

from practitioner_app.domain.errors import InvalidInput
from practitioner_app.services import records
from practitioner_app.services.workspace import Workspace
from tests.conftest import AT, mark_details
from tests.test_body_maps import BORN, occasion


def test_a_mark_dated_before_the_child_was_born_is_refused(workspace: Workspace) -> None:
    child_id, observation_id = occasion(workspace)
    before_birth = AT - timedelta(days=(AT.date() - BORN).days + 30)

    with pytest.raises(InvalidInput):
        records.create_entry(
            workspace, mark_details(child_id, observation_id, occurred_at=before_birth)
        )


def test_a_mark_dated_a_year_before_the_observation_it_was_seen_at_is_refused(
    workspace: Workspace,
) -> None:
    child_id, observation_id = occasion(workspace, born=BORN - timedelta(days=800))

    with pytest.raises(InvalidInput):
        records.create_entry(
            workspace,
            mark_details(child_id, observation_id, occurred_at=AT - timedelta(days=365)),
        )
