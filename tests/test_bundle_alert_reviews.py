"""Issue 17 item 4: alert reviews and agency name merges travel in case bundles (format 2,
optional lists), so the colleague a case is handed to sees what was done about each alert and
counts agencies as the sender did. Real vaults, real bundles."""

import json
from pathlib import Path

import pytest

from practitioner_app.domain.alerts import Severity
from practitioner_app.domain.alerts.reviews import ReviewOutcome
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.services import agencies, alert_reviews, alerts, bundles, integrity
from practitioner_app.services.workspace import Workspace, create_vault
from practitioner_app.store.repositories.agency_aliases import AgencyAliasRepository
from tests.conftest import PASSPHRASE, PROFILE
from tests.test_alert_referral import baby_with_bruise


def merges(ws: Workspace) -> dict[str, str]:
    with ws.unit_of_work() as session:
        return AgencyAliasRepository(session).mapping()


def reviewed_case(ws: Workspace) -> tuple[str, bytes]:
    child, _ = baby_with_bruise(ws)
    [critical] = [a for a in alerts.for_child(ws, child) if a.severity is Severity.CRITICAL]
    alert_reviews.review(
        ws, child, critical, ReviewOutcome.ACTED_ON, "Paediatric assessment booked today."
    )
    agencies.merge(ws, "Haringey SS", "Haringey Social Services")
    return child, bundles.export_bundle(ws, [child])


def test_a_review_and_an_agency_merge_reach_the_colleague_the_case_goes_to(
    workspace: Workspace, tmp_path: Path
) -> None:
    child, exported = reviewed_case(workspace)
    document = json.loads(exported)
    [review] = document["alert_reviews"]
    assert (review["rule"], review["outcome"]) == ("NON_MOBILE_INJURY", "acted_on")
    [alias] = document["agency_aliases"]
    assert (alias["alias"], alias["agency"]) == ("haringey ss", "haringey social services")

    other, _ = create_vault(tmp_path / "other", PASSPHRASE, PROFILE)
    try:
        report = bundles.import_bundle(other, exported)
        assert (report.added["alert_reviews"], report.added["agency_aliases"]) == (1, 1)
        [explained] = [
            x for x in alerts.explain(other, child) if x.alert.rule == "NON_MOBILE_INJURY"
        ]
        assert explained.review is not None
        assert "Paediatric assessment booked today." in explained.review.sentence()
        assert merges(other) == {"haringey ss": "haringey social services"}
        assert integrity.verify(other).ok

        again = bundles.import_bundle(other, exported)
        assert again.already_present["alert_reviews"] == 1
        assert "alert_reviews" not in again.added
        # Export → import → export: the same reviews and merges.
        back = json.loads(bundles.export_bundle(other, [child]))
        assert back["alert_reviews"] == document["alert_reviews"]
        assert back["agency_aliases"] == document["agency_aliases"]
    finally:
        other.lock()


def test_a_review_altered_in_the_bundle_is_refused_and_nothing_is_imported(
    workspace: Workspace, tmp_path: Path
) -> None:
    child, exported = reviewed_case(workspace)
    other, _ = create_vault(tmp_path / "other", PASSPHRASE, PROFILE)
    try:
        bundles.import_bundle(other, exported)
        document = json.loads(exported)
        document["alert_reviews"][0]["note"] = "Nothing needed."
        with pytest.raises(InvalidInput, match=r"alert_reviews\[0\]"):
            bundles.import_bundle(other, json.dumps(document).encode())
        [kept] = alert_reviews.reviews(other, [child])[child]
        assert kept.note == "Paediatric assessment booked today."
    finally:
        other.lock()


def test_a_merge_this_vault_already_answers_otherwise_stays_as_this_vault_says(
    workspace: Workspace, tmp_path: Path
) -> None:
    _, exported = reviewed_case(workspace)
    other, _ = create_vault(tmp_path / "other", PASSPHRASE, PROFILE)
    try:
        agencies.merge(other, "Haringey SS", "Haringey Police")
        report = bundles.import_bundle(other, exported)
        assert any("haringey ss" in note and "stays" in note for note in report.notes)
        assert merges(other) == {"haringey ss": "haringey police"}
    finally:
        other.lock()
