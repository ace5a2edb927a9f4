"""Issue 17, item 4: alerts are reviewed as DOMAIN.md describes — "acted on: what I did" or
"considered, no action, because …", signed, dated, append-only and audited; shown as reviewed on
the overview and the caseload; raised again by new evidence. The rules stay pure: a review is a
record the screens read beside them. Real vault, real widgets."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from practitioner_app.domain.alerts import Alert, Severity
from practitioner_app.domain.alerts.reviews import AlertReview, ReviewOutcome, current_review
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.services import alert_reviews, alerts, integrity
from practitioner_app.services.workspace import Workspace
from practitioner_app.ui.case.alert_review import AlertReviewDialog
from practitioner_app.ui.session import VaultSession
from tests.test_alert_referral import baby_with_bruise
from tests.test_ui_alerts import alerts_cell, open_case, open_caseload, run
from tests.ui_helpers import wait_idle

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

DAY = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def alert(*evidence: str, rule: str = "REPEAT_INJURY") -> Alert:
    return Alert(rule, Severity.WARNING, "2 injuries", evidence, date(2026, 1, 1), date(2026, 2, 1))


def review_of(*evidence: str, at: datetime = DAY, note: str = "Rang the GP.") -> AlertReview:
    return AlertReview(
        "REPEAT_INJURY", evidence, ReviewOutcome.ACTED_ON, note, at, "Asha Patel (Health visitor)"
    )


def test_a_review_answers_the_alert_it_saw_and_new_evidence_raises_it_again() -> None:
    first = review_of("o1", "o2")
    assert current_review(alert("o1", "o2"), [first]) == first
    assert current_review(alert("o1"), [first]) == first  # older evidence fell out of the window
    assert current_review(alert("o1", "o2", "o3"), [first]) is None  # a new injury since
    assert current_review(alert("o1", "o2", rule="NOT_SEEN"), [first]) is None
    later = review_of("o1", "o2", "o3", at=DAY + timedelta(days=1), note="Strategy meeting.")
    assert current_review(alert("o1", "o2", "o3"), [first, later]) == later
    assert current_review(alert("o1", "o2"), [first, later]) == later  # the latest answers


@pytest.mark.parametrize("outcome", list(ReviewOutcome))
def test_a_review_must_say_what_was_done_or_why_not(outcome: ReviewOutcome) -> None:
    with pytest.raises(InvalidInput) as refused:
        AlertReview("NOT_SEEN", ("v1",), outcome, "  ", DAY, "Asha Patel").validate()
    assert refused.value.field == "note"


def test_a_review_is_signed_audited_append_only_and_shown_with_the_alert(
    workspace: Workspace,
) -> None:
    child, bruise = baby_with_bruise(workspace)
    [critical] = [a for a in alerts.for_child(workspace, child) if a.severity is Severity.CRITICAL]
    with pytest.raises(InvalidInput):
        alert_reviews.review(workspace, child, critical, ReviewOutcome.NO_ACTION, "")

    made = alert_reviews.review(
        workspace,
        child,
        critical,
        ReviewOutcome.ACTED_ON,
        "Same-day paediatric assessment booked; referral made to the front door.",
    )

    assert made.reviewer == "Asha Patel (Health visitor, Northshire Community NHS Trust)"
    [explained] = [x for x in alerts.explain(workspace, child) if x.alert.rule == critical.rule]
    assert explained.review == made
    assert "Acted on: Same-day paediatric" in explained.review.sentence()
    last = integrity.audit_trail(workspace)[-1]
    assert (last.action, last.record_kind) == ("create", "alert_review")
    assert json.loads(last.detail)["outcome"] == "acted_on"
    with workspace.unit_of_work() as session, pytest.raises(DatabaseError, match="append-only"):
        session.execute(text("UPDATE alert_review SET note = 'changed'"))
    assert alert_reviews.reviews(workspace, [child])[child] == [made]
    assert bruise in made.evidence


def test_the_overview_and_the_caseload_show_a_reviewed_alert_as_reviewed(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    child, _ = run(qtbot, vault_session, baby_with_bruise)
    caseload = open_caseload(qtbot, vault_session)
    wait_idle(qtbot, vault_session)
    assert alerts_cell(caseload, child).startswith("● 1 critical")
    workspace = open_case(qtbot, vault_session, child)
    panel = workspace.overview_tab.alerts
    assert "Review…" in panel.browser.toPlainText()

    dialog = panel.review()
    assert isinstance(dialog, AlertReviewDialog)
    assert dialog.alert_box.currentText().startswith("CRITICAL: Injury to a non-mobile child")
    assert not dialog.record()  # neither outcome chosen
    dialog.no_action.setChecked(True)
    assert not dialog.record()  # no reason given
    dialog.note.setPlainText("Birthmark, not a bruise: the GP confirmed it at 11:00 today.")
    with qtbot.waitSignal(dialog.reviewed, timeout=30_000):
        qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, vault_session)

    shown = panel.browser.toPlainText()
    assert "REVIEWED — Considered, no action because: Birthmark, not a bruise" in shown
    assert "Asha Patel" in shown
    assert "Review again…" in shown
    qtbot.waitUntil(lambda: "reviewed" in (alerts_cell(caseload, child) or ""), timeout=10_000)
    assert "critical" not in alerts_cell(caseload, child)
    assert alerts_cell(caseload, child).endswith("1 reviewed)") or alerts_cell(caseload, child) == (
        "✓ 1 reviewed"
    )
    assert caseload.model.with_critical_alerts() == 0  # answered: no longer counted as open
