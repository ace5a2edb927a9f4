"""Issue 17, item 3: an alert's "Start a referral (MARF)" opens the child's draft referral if there
is one, else a new draft whose reason and concerns carry the injury (site, description, the
explanation given, date, who saw it) and the alert's evidence. A real encrypted vault."""

import dataclasses
import json
from datetime import timedelta

import pytest

from practitioner_app.domain.alerts import Alert, Severity
from practitioner_app.domain.enums import ObservationCategory
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.records import InjuryDetails, ObservationDetails
from practitioner_app.domain.times import format_uk_date, now_utc, uk_date
from practitioner_app.services import alerts, chronology, forms, integrity, people, records
from practitioner_app.services.alert_referral import referral_for_alert
from practitioner_app.services.workspace import Workspace
from tests.conftest import child_details


def baby_with_bruise(ws: Workspace) -> tuple[str, str]:
    """A two-month-old, and a draft observation of a bruise on the face (the issue's story)."""
    born = uk_date(now_utc()) - timedelta(days=60)
    child = people.add_child(ws, child_details(date_of_birth=born)).id
    bruise = records.create_entry(
        ws,
        ObservationDetails(
            child_id=child,
            occurred_at=now_utc() - timedelta(hours=1),
            category=ObservationCategory.INJURY,
            text="Bruise on left cheek.",
            injury=InjuryDetails(
                body_regions=("Face",),
                description="bruise on left cheek, 1 cm, blue-grey",
                explanation_given="Mother says he rolled against the cot bars.",
                consistent_with_explanation=False,
            ),
        ),
    )
    return child, bruise.id


def critical(ws: Workspace, child: str) -> Alert:
    [alert] = [a for a in alerts.for_child(ws, child) if a.severity is Severity.CRITICAL]
    return alert


def test_a_new_referral_carries_the_injury_and_the_alert(workspace: Workspace) -> None:
    child, bruise = baby_with_bruise(workspace)
    alert = critical(workspace, child)
    assert bruise in alert.evidence

    view = referral_for_alert(workspace, child, alert)

    reason = view.details.sections["reason"]
    assert reason.startswith(f"Alert: {alert.message}")
    today = format_uk_date(uk_date(now_utc() - timedelta(hours=1)))
    for expected in (
        f"- {today}",
        "injury seen by Asha Patel (Health visitor, Northshire Community NHS Trust)",
        "Site: Face.",
        "Description: bruise on left cheek, 1 cm, blue-grey.",
        "Explanation given: Mother says he rolled against the cot bars. (not consistent with it).",
    ):
        assert expected in reason, expected
    assert "Site: Face." in view.details.sections["concerns"]
    assert [f.id for f in forms.for_child(workspace, child)] == [view.id]


def test_the_childs_draft_referral_is_opened_not_a_second_one(workspace: Workspace) -> None:
    child, _ = baby_with_bruise(workspace)
    draft = forms.start(workspace, child, "marf")
    assert "reason" not in draft.details.sections
    alert = critical(workspace, child)

    view = referral_for_alert(workspace, child, alert)

    assert view.id == draft.id
    assert "Site: Face." in view.details.sections["reason"]
    assert len(forms.for_child(workspace, child)) == 1


def test_what_the_practitioner_wrote_in_the_draft_is_never_replaced(
    workspace: Workspace,
) -> None:
    child, _ = baby_with_bruise(workspace)
    draft = forms.start(workspace, child, "marf")
    mine = "Bruise seen at the new birth visit; GP informed by phone at 10:15."
    forms.save(
        workspace,
        draft.id,
        dataclasses.replace(draft.details, sections={**draft.details.sections, "reason": mine}),
    )

    view = referral_for_alert(workspace, child, critical(workspace, child))

    assert view.id == draft.id
    assert view.details.sections["reason"] == mine


# -- an injury in the chronology ------------------------------------------------------------------


def test_an_injury_not_ticked_significant_is_significant_in_the_chronology(
    workspace: Workspace,
) -> None:
    child, bruise = baby_with_bruise(workspace)  # saved without the Significant tick
    [row] = [
        r for r in chronology.build(workspace, child, include_drafts=True) if r.record_id == bruise
    ]
    assert row.significant
    significant = chronology.build(workspace, child, include_drafts=True, significant_only=True)
    assert bruise in [r.record_id for r in significant]


def test_an_injury_leaves_the_chronology_only_with_a_reason_kept_in_the_audit_chain(
    workspace: Workspace,
) -> None:
    child, bruise = baby_with_bruise(workspace)
    with pytest.raises(InvalidInput) as refused:
        chronology.choose_significance(workspace, child, "observation", bruise, False)
    assert refused.value.field == "reason"
    with pytest.raises(InvalidInput):
        chronology.choose_significance(workspace, child, "observation", bruise, False, "  ")

    why = "Birthmark, not a bruise: confirmed by the GP on 30/11."
    chronology.choose_significance(workspace, child, "observation", bruise, False, why)

    [row] = [
        r for r in chronology.build(workspace, child, include_drafts=True) if r.record_id == bruise
    ]
    assert not row.significant
    assert row.chosen
    last = integrity.audit_trail(workspace)[-1]
    assert (last.action, last.record_id) == ("update", bruise)
    assert json.loads(last.detail)["reason"] == why
