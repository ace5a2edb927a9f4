"""Safeguarding alerts from a real vault: the facts read back, drafts counted, the as-of date,
the whole caseload, and the `alerts` command."""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from practitioner_app.domain.enums import (
    ConcernCategory,
    ConcernLevel,
    EventKind,
    ObservationCategory,
    SourceKind,
    VisitKind,
    VisitOutcome,
)
from practitioner_app.domain.records import (
    ChronologyEventDetails,
    ConcernDetails,
    HouseholdMemberDetails,
    InjuryDetails,
    ObservationDetails,
)
from practitioner_app.domain.times import format_uk_date, now_utc, uk_date
from practitioner_app.services import alerts, exports, people, records
from practitioner_app.services.workspace import Workspace
from tests.conftest import PASSPHRASE, child_details, run_cli, visit_details

TODAY = uk_date(now_utc())


@pytest.fixture(autouse=True)
def _today() -> None:
    """Today as each test starts: worked out once at import, it went stale in a run that
    crossed midnight, and the app's own "today" no longer matched it."""
    global TODAY
    TODAY = uk_date(now_utc())


def _at(day: date, hour: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def _baby(ws: Workspace) -> str:
    """A three-month-old: not yet mobile."""
    return people.add_child(
        ws,
        child_details(given_name="Ada", date_of_birth=TODAY - timedelta(days=90), nhs_number=None),
    ).id


def _injury(ws: Workspace, child: str, day: date) -> str:
    return records.create_entry(
        ws,
        ObservationDetails(
            child,
            _at(day),
            ObservationCategory.INJURY,
            "Small bruise, left cheek.",
            injury=InjuryDetails(body_regions=("face",), description="bruise 1 cm"),
        ),
    ).id


def test_an_injury_to_a_non_mobile_baby_is_critical_the_moment_it_is_saved(
    workspace: Workspace,
) -> None:
    baby = _baby(workspace)
    # No visit is recorded, so the new birth and 6-8 week contacts are overdue; nothing else.
    assert [a.rule for a in alerts.for_child(workspace, baby)] == ["MANDATED_CONTACT_OVERDUE"]
    injury = _injury(workspace, baby, TODAY - timedelta(days=1))  # a draft, not yet final
    [alert] = [a for a in alerts.for_child(workspace, baby) if a.rule == "NON_MOBILE_INJURY"]
    assert alert.severity.value == "critical"
    assert alert.evidence == (injury,)
    assert alert.next_steps[0] == "Arrange a same-day paediatric assessment"
    assert any("children's social care" in step for step in alert.next_steps)
    # As of the day before the injury, nothing had happened yet.
    before = alerts.for_child(workspace, baby, TODAY - timedelta(days=2))
    assert "NON_MOBILE_INJURY" not in [a.rule for a in before]


def test_the_caseload_reads_each_childs_own_records(workspace: Workspace) -> None:
    baby = _baby(workspace)
    _injury(workspace, baby, TODAY - timedelta(days=1))
    other = people.add_child(workspace, child_details(given_name="Ben", nhs_number=None)).id
    for days in (30, 10):
        visit = records.create_entry(
            workspace,
            visit_details(
                other,
                occurred_at=_at(TODAY - timedelta(days=days)),
                kind=VisitKind.CLINIC,
                outcome=VisitOutcome.WAS_NOT_BROUGHT,
                child_seen=None,
                child_seen_alone=None,
            ),
        )
        records.finalise(workspace, "visit", visit.id)
    everyone = alerts.for_caseload(workspace)
    assert [a.rule for a in everyone[baby]] == ["NON_MOBILE_INJURY", "MANDATED_CONTACT_OVERDUE"]
    assert "WAS_NOT_BROUGHT" in [a.rule for a in everyone[other]]
    assert "NON_MOBILE_INJURY" not in [a.rule for a in everyone[other]]
    for child in (baby, other):
        assert everyone[child] == alerts.for_child(workspace, child)


def test_agencies_are_named_as_written_and_compared_normalised(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details(nhs_number=None)).id
    for day, source in ((3, "Northshire Police"), (1, "  northshire police ")):
        concern = records.create_entry(
            workspace,
            ConcernDetails(
                child, _at(TODAY - timedelta(days=day)), ConcernCategory.NEGLECT,
                ConcernLevel.MEDIUM, source, "Home very cold.",
            ),
        )  # fmt: skip
        records.finalise(workspace, "concern", concern.id)
    # The same police force twice is one source: no cluster from different sources.
    assert "CONCERN_CLUSTER" not in [a.rule for a in alerts.for_child(workspace, child)]
    event = records.create_entry(
        workspace,
        ChronologyEventDetails(
            child_id=child,
            occurred_at=_at(TODAY - timedelta(days=2)),
            source="Riverside Primary School",
            source_kind=SourceKind.EDUCATION,
            kind=EventKind.SCHOOL_CONTACT,
            event="School called about hunger.",
        ),
    )
    records.finalise(workspace, "chronology_event", event.id)
    concern = records.create_entry(
        workspace,
        ConcernDetails(
            child, _at(TODAY), ConcernCategory.NEGLECT, ConcernLevel.MEDIUM,
            "Riverside Primary School", "Hungry at school.",
        ),
    )  # fmt: skip
    records.finalise(workspace, "concern", concern.id)
    found = {a.rule: a for a in alerts.for_child(workspace, child)}
    assert "Northshire Police, Riverside Primary School" in found["CONCERN_CLUSTER"].message


def test_a_new_adult_without_checks_is_flagged_until_checks_are_recorded(
    workspace: Workspace,
) -> None:
    child = people.add_child(workspace, child_details(nhs_number=None)).id
    people.add_household_member(
        workspace,
        child,
        HouseholdMemberDetails(
            "Lee Carter", "mother's partner", True, False, from_date=TODAY - timedelta(days=20)
        ),
    )
    [alert] = [a for a in alerts.for_child(workspace, child) if a.rule == "NEW_ADULT"]
    assert "Lee Carter" in alert.message


def test_the_command_line_prints_alerts_for_a_child_and_the_caseload(
    vault_dir: Path, workspace: Workspace
) -> None:
    baby = _baby(workspace)
    injury = _injury(workspace, baby, TODAY - timedelta(days=1))
    workspace.lock()
    env = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}
    common = ("--vault", str(vault_dir))
    shown = run_cli("alerts", baby, *common, "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    alert, overdue = json.loads(shown.stdout)
    assert overdue["rule"] == "MANDATED_CONTACT_OVERDUE"
    assert alert["rule"] == "NON_MOBILE_INJURY"
    assert alert["severity"] == "critical"
    assert alert["evidence"] == [injury]
    assert alert["first_at"] == alert["last_at"] == (TODAY - timedelta(days=1)).isoformat()
    assert set(alert) == {
        "rule", "severity", "message", "evidence", "first_at", "last_at", "next_steps",
    }  # fmt: skip
    earlier = run_cli("alerts", baby, *common, "--as-of", "2020-01-01", env=env)
    assert earlier.returncode == 0
    assert "NON_MOBILE_INJURY" not in earlier.stdout
    everyone = run_cli("alerts", "--all", *common, env=env)
    assert everyone.returncode == 0, everyone.stderr
    assert "Ada Okafor" in everyone.stdout
    assert "NON_MOBILE_INJURY" in everyone.stdout
    as_json = json.loads(run_cli("alerts", "--all", *common, "--json", env=env).stdout)
    assert [c["child_id"] for c in as_json] == [baby]
    for args, message in [
        ((), "Name one CHILD, or give --all"),
        ((baby, "--all"), "Name one CHILD, or give --all"),
        (("nobody",), "nobody"),
        ((baby, "--as-of", "yesterday"), "--as-of"),
    ]:
        bad = run_cli("alerts", *args, *common, env=env)
        assert bad.returncode != 0
        assert message in bad.stderr
        assert "Traceback" not in bad.stderr


def test_the_chronology_pdf_opens_with_the_alerts_and_their_evidence_dates(
    workspace: Workspace, tmp_path: Path
) -> None:
    baby = _baby(workspace)
    day = TODAY - timedelta(days=1)
    injury = _injury(workspace, baby, day)
    records.finalise(workspace, "observation", injury)
    out = tmp_path / "chronology.pdf"
    exports.chronology(workspace, baby, out)
    first = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert f"Alerts as of {format_uk_date(TODAY)}" in first
    assert first.index("Alerts as of") < first.index("Parental responsibility")
    assert "CRITICAL Injury to a non-mobile child" in first
    assert "Next steps: Arrange a same-day paediatric assessment; Refer to" in first
    assert format_uk_date(day) in first
    # A chronology that ends before the injury shows the alerts as they stood then.
    earlier = tmp_path / "earlier.pdf"
    exports.chronology(workspace, baby, earlier, date_to=day - timedelta(days=1))
    first = " ".join(PdfReader(earlier).pages[0].extract_text().split())
    assert f"Alerts as of {format_uk_date(day - timedelta(days=1))}" in first
    assert "non-mobile" not in first


def test_explained_alerts_name_the_kind_and_date_of_each_record(workspace: Workspace) -> None:
    baby = _baby(workspace)
    injury = _injury(workspace, baby, TODAY - timedelta(days=1))
    [explained] = [
        a for a in alerts.explain(workspace, baby) if a.alert.rule == "NON_MOBILE_INJURY"
    ]
    assert explained.title == "Injury to a non-mobile child"
    assert explained.evidence == (
        alerts.Evidence("observation", injury, TODAY - timedelta(days=1)),
    )
