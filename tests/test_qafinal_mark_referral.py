"""QA (issues 17 + 20 together): a bruise recorded the issue-20 way — as an injury mark on a
body map of a non-mobile baby's observation — raises the critical alert (holds), but *Start a
referral (MARF)* from that alert carries nothing of the mark: the alert's evidence is the mark's
id, and the referral looks for evidence only among observations, events, visits, concerns and
referrals. The MARF's concerns are empty and its reason has no site, description, explanation
or who saw it, which issue 17 item 3 asks for. A real encrypted vault."""

from practitioner_app.domain.alerts import Severity
from practitioner_app.services import alerts, records
from practitioner_app.services.alert_referral import referral_for_alert
from practitioner_app.services.workspace import Workspace
from tests.conftest import AT, mark_details
from tests.test_body_maps import occasion


def test_a_referral_from_an_injury_marks_alert_carries_the_mark(workspace: Workspace) -> None:
    child_id, observation_id = occasion(workspace)
    records.create_entry(
        workspace,
        mark_details(
            child_id,
            observation_id,
            description="Bruise on left forearm, fingertip-sized",
            explanation_given="Mother says he caught it on the cot bars",
        ),
    )
    [alert] = [
        a
        for a in alerts.for_child(workspace, child_id, AT.date())
        if a.severity is Severity.CRITICAL
    ]
    assert alert.rule == "NON_MOBILE_INJURY"  # raised by the mark (holds)

    view = referral_for_alert(workspace, child_id, alert)

    concerns = view.details.sections["concerns"]
    reason = view.details.sections["reason"]
    for said in ("Bruise on left forearm", "Left forearm", "cot bars"):
        assert said.casefold() in concerns.casefold(), (said, concerns)
        assert said.casefold() in reason.casefold(), (said, reason)
