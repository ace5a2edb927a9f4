"""QA of issue 17 item 3 ("alerts lead somewhere"), replaying the issue's own story: the child
already has a draft MARF, started while an older concern was open, so its concerns answer lists
that concern. A bruise on a two-month-old then brings up the critical alert, and *Start a
referral (MARF)* opens that draft — whose concerns still list only the older concern: the injury
the alert is about is not among the concerns being referred. A real encrypted vault."""

from datetime import timedelta

from practitioner_app.domain.enums import (
    ConcernCategory,
    ConcernLevel,
    ObservationCategory,
)
from practitioner_app.domain.records import ConcernDetails, InjuryDetails, ObservationDetails
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.services import forms, people, records
from practitioner_app.services.alert_referral import referral_for_alert
from practitioner_app.services.workspace import Workspace
from tests.conftest import child_details
from tests.test_alert_referral import critical


def test_the_alerts_referral_lists_the_injury_among_the_concerns_of_an_existing_draft(
    workspace: Workspace,
) -> None:
    born = uk_date(now_utc()) - timedelta(days=60)
    child = people.add_child(workspace, child_details(date_of_birth=born)).id
    records.create_entry(
        workspace,
        ConcernDetails(
            child_id=child,
            occurred_at=now_utc() - timedelta(days=10),
            category=ConcernCategory.NEGLECT,
            level=ConcernLevel.MEDIUM,
            source="Midwife",
            summary="Home cold; baby in a drawer to sleep.",
            details="Told by the community midwife.",
            outcome="Advice on safe sleep given.",
        ),
    )
    draft = forms.start(workspace, child, "marf")  # Forms → New referral (MARF), not yet written
    assert "Home cold" in draft.details.sections["concerns"]
    records.create_entry(
        workspace,
        ObservationDetails(
            child_id=child,
            occurred_at=now_utc() - timedelta(hours=1),
            category=ObservationCategory.INJURY,
            text="Bruise on left cheek.",
            injury=InjuryDetails(
                body_regions=("Face",),
                description="bruise on left cheek, 1 cm, blue-grey",
                explanation_given="Mother says he rolled against the cot bars.",
            ),
        ),
    )

    view = referral_for_alert(workspace, child, critical(workspace, child))

    assert view.id == draft.id  # the existing draft, as item 3 asks (holds)
    assert "Site: Face." in view.details.sections["reason"]  # the empty reason is filled (holds)
    # The concerns being referred must include the injury the alert is about.
    concerns = view.details.sections["concerns"]
    assert "cheek" in concerns, f"the injury is missing from the concerns: {concerns!r}"
