"""QA (issue 17 item 4, alerts reviewed and "raised again by new evidence"): the mandated-contact
alert cites no records, so a review of it "saw every record behind it" for ever. A health visitor
reviews "new birth visit overdue" (no action: the family were in hospital); six weeks on, the
6–8 week review is overdue as well — a new fact the review never saw — but the alert still shows
as reviewed, under the old note, and is not raised again. A real encrypted vault."""

from datetime import timedelta

from practitioner_app.domain.alerts.reviews import ReviewOutcome
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.services import alert_reviews, alerts, people
from practitioner_app.services.workspace import Workspace
from tests.conftest import child_details

RULE = "MANDATED_CONTACT_OVERDUE"


def test_a_newly_overdue_contact_raises_a_reviewed_overdue_alert_again(
    workspace: Workspace,
) -> None:
    today = uk_date(now_utc())
    child = people.add_child(workspace, child_details(date_of_birth=today - timedelta(days=40))).id
    [now] = [x for x in alerts.explain(workspace, child, today) if x.alert.rule == RULE]
    assert "new birth visit" in now.alert.message
    assert "6–8 week" not in now.alert.message
    alert_reviews.review(
        workspace,
        child,
        now.alert,
        ReviewOutcome.NO_ACTION,
        "Baby and mother in the neonatal unit since birth; new birth visit on discharge.",
    )

    later = today + timedelta(days=40)
    [then] = [x for x in alerts.explain(workspace, child, later) if x.alert.rule == RULE]
    assert "6–8 week" in then.alert.message  # a contact overdue that the review never saw
    assert then.review is None, f"still shown as reviewed: {then.review}"
