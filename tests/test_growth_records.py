"""Growth in a real vault: gestation on the child, a measurement asked about before it is saved,
the chart's points as the CLI and the PDFs give them, FALTERING_GROWTH from stored weights."""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from practitioner_app.domain.enums import ObservationCategory, Sex
from practitioner_app.domain.errors import ImplausibleMeasurement, InvalidInput
from practitioner_app.domain.records import ObservationDetails
from practitioner_app.services import (
    alerts,
    casework,
    exports,
    growth,
    integrity,
    people,
    records,
)
from practitioner_app.services.workspace import Workspace
from tests.conftest import PASSPHRASE, child_details, run_cli

BORN = date(2025, 3, 14)
ENV = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}


def weighed(child_id: str, on: date, **measures: float) -> ObservationDetails:
    return ObservationDetails(
        child_id,
        datetime.combine(on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=10),
        ObservationCategory.GROWTH,
        "Weighed at clinic.",
        weight_kg=measures.get("weight_kg"),
        length_cm=measures.get("length_cm"),
        head_circumference_cm=measures.get("head_circumference_cm"),
    )


def test_gestation_is_kept_on_the_child_and_refused_outside_22_to_44_weeks(
    workspace: Workspace,
) -> None:
    child = people.add_child(workspace, child_details(gestation_weeks=32, gestation_days=3))
    details = casework.overview(workspace, child.id).details
    assert (details.gestation_weeks, details.gestation_days) == (32, 3)
    with pytest.raises(InvalidInput, match="outside 22–44 weeks"):
        people.update_child(workspace, child.id, child_details(gestation_weeks=50))
    assert casework.overview(workspace, child.id).details.gestation_weeks == 32


def test_a_boy_weighed_at_12_months_is_on_the_50th_centile_in_the_report(
    workspace: Workspace,
) -> None:
    child = people.add_child(workspace, child_details(sex=Sex.MALE, gestation_weeks=40))
    records.create_entry(workspace, weighed(child.id, date(2026, 3, 14), weight_kg=9.6))
    report = growth.report(workspace, child.id)
    (point,) = report.points
    assert point.centile_text == "48th centile"
    assert point.sds is not None
    assert abs(point.sds) < 0.1
    assert report.notice is None
    assert [c.measure.value for c in report.charts] == ["weight"]


def test_a_weight_in_pounds_is_asked_about_and_saved_only_when_confirmed(
    workspace: Workspace,
) -> None:
    child = people.add_child(workspace, child_details(sex=Sex.MALE))
    details = weighed(child.id, date(2026, 3, 14), weight_kg=21.2)
    with pytest.raises(ImplausibleMeasurement, match=r"21\.2 lb, that is 9\.62 kg"):
        records.create_entry(workspace, details)
    assert growth.report(workspace, child.id).points == ()  # nothing half-saved
    records.create_entry(workspace, details, confirm_implausible=True)
    assert [p.value for p in growth.report(workspace, child.id).points] == [21.2]


def test_a_measurement_before_birth_is_refused_even_when_confirmed(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details(sex=Sex.FEMALE))
    details = weighed(child.id, BORN - timedelta(days=2), weight_kg=3.2)
    with pytest.raises(InvalidInput, match="before the child's date of birth"):
        records.create_entry(workspace, details, confirm_implausible=True)
    assert growth.report(workspace, child.id).points == ()


def test_editing_a_draft_asks_too(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details(sex=Sex.FEMALE))
    draft = records.create_entry(workspace, weighed(child.id, date(2026, 3, 14), weight_kg=8.9))
    with pytest.raises(ImplausibleMeasurement):
        records.edit_draft(
            workspace, draft.id, weighed(child.id, date(2026, 3, 14), weight_kg=19.6)
        )
    assert [p.value for p in growth.report(workspace, child.id).points] == [8.9]


def test_a_child_with_no_sex_recorded_gets_a_sentence_not_a_chart(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details(sex=Sex.UNKNOWN))
    records.create_entry(workspace, weighed(child.id, date(2026, 3, 14), weight_kg=9.6))
    report = growth.report(workspace, child.id)
    assert report.notice is not None
    assert "needs the child's sex" in report.notice
    assert all(chart.lines == () and chart.marks == () for chart in report.charts)


def test_an_amended_weight_is_plotted_at_its_corrected_value(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details(sex=Sex.MALE))
    entry = records.create_entry(workspace, weighed(child.id, date(2026, 3, 14), weight_kg=6.9))
    records.finalise(workspace, "observation", entry.id)
    with pytest.raises(InvalidInput, match="number"):
        records.amend(workspace, "observation", entry.id, "weight_kg", "nine", "Misread the scale")
    with pytest.raises(InvalidInput, match="looks like grams"):
        records.amend(workspace, "observation", entry.id, "weight_kg", "9600", "Misread the scale")
    records.amend(workspace, "observation", entry.id, "weight_kg", "9.6", "Misread the scale")
    (point,) = growth.report(workspace, child.id).points
    assert point.value == 9.6


def test_faltering_growth_fires_from_stored_weights_citing_them(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details(sex=Sex.MALE))
    birth = records.create_entry(workspace, weighed(child.id, BORN, weight_kg=3.5))
    day5 = records.create_entry(
        workspace, weighed(child.id, BORN + timedelta(days=5), weight_kg=3.1)
    )
    found = {a.alert.rule: a for a in alerts.explain(workspace, child.id, BORN + timedelta(days=6))}
    alert = found["FALTERING_GROWTH"].alert
    assert "more than 10%" in alert.message
    assert alert.evidence == (birth.id, day5.id)


def test_the_growth_pdf_and_the_chronology_appendix_draw_the_chart(
    workspace: Workspace, tmp_path: Path
) -> None:
    child = people.add_child(
        workspace, child_details(sex=Sex.FEMALE, gestation_weeks=32, gestation_days=3)
    )
    records.create_entry(workspace, weighed(child.id, BORN, weight_kg=1.7, length_cm=42.0))
    records.create_entry(workspace, weighed(child.id, BORN + timedelta(days=100), weight_kg=3.9))
    made = growth.export_pdf(workspace, child.id, tmp_path / "growth.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(made.path).pages)
    assert "Weight — UK-WHO, girl" in text
    assert "Length — UK-WHO, girl" in text
    assert "Gestation at birth: 32+3 weeks" in text
    assert "(corrected" in text
    assert "99.6th" in text
    assert "50th" in text
    chronology = exports.chronology(
        workspace, child.id, tmp_path / "chronology.pdf", include_drafts=True
    )
    appendix = "\n".join(page.extract_text() for page in PdfReader(chronology.path).pages)
    assert "Appendix: growth (UK-WHO)" in appendix
    assert "Weight — UK-WHO, girl" in appendix
    assert "3.90 kg" in appendix
    # A chronology to a date, or without drafts, has an appendix within the same limits.
    to_birth = exports.chronology(
        workspace, child.id, tmp_path / "to-birth.pdf", include_drafts=True, date_to=BORN
    )
    limited = "\n".join(page.extract_text() for page in PdfReader(to_birth.path).pages)
    assert "1.70 kg" in limited
    assert "3.90 kg" not in limited
    final_only = exports.chronology(workspace, child.id, tmp_path / "final.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(final_only.path).pages)
    assert "Appendix: growth" not in text  # every measurement is still a draft
    exported = [row.detail for row in integrity.audit_trail(workspace) if row.action == "export"]
    assert any("growth_pdf" in str(detail) for detail in exported)


def test_the_cli_records_asks_and_reports(
    workspace: Workspace, vault_dir: Path, tmp_path: Path
) -> None:
    child = people.add_child(workspace, child_details(sex=Sex.MALE, gestation_weeks=40))
    workspace.lock()
    vault = ["--vault", str(vault_dir)]
    asked = run_cli("measure", child.id, "--weight", "21.2", "--on", "2026-03-14", *vault, env=ENV)
    assert asked.returncode == 1
    assert "21.2 lb, that is 9.62 kg" in asked.stderr
    assert "--confirm-implausible" in asked.stderr
    grams = run_cli("measure", child.id, "--weight", "9600", "--on", "2026-03-14", *vault, env=ENV)
    assert grams.returncode == 1
    assert "looks like grams" in grams.stderr
    done = run_cli("measure", child.id, "--weight", "9.6", "--on", "2026-03-14", *vault, env=ENV)
    assert done.returncode == 0, done.stderr
    shown = run_cli("growth", child.id, "--json", *vault, env=ENV)
    assert shown.returncode == 0
    assert '"centile": "48th centile"' in shown.stdout
    (listed,) = json.loads(shown.stdout)["points"]
    assert 47.5 < listed["centile_value"] < 48.5  # 365 days old: a hair under the WHO median
    assert '"value": 9.6' in shown.stdout
    out = tmp_path / "g.pdf"
    printed = run_cli("growth", child.id, "--pdf", str(out), *vault, env=ENV)
    assert printed.returncode == 0
    assert out.is_file()


def test_a_measurement_dated_in_the_future_is_refused(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details(sex=Sex.MALE))
    tomorrow = date.today() + timedelta(days=2)
    with pytest.raises(InvalidInput, match="dated in the future"):
        records.create_entry(workspace, weighed(child.id, tomorrow, weight_kg=9.6))
    assert growth.report(workspace, child.id).points == ()


def test_the_cli_says_what_the_chart_needs(workspace: Workspace, vault_dir: Path) -> None:
    child = people.add_child(workspace, child_details(sex=Sex.UNKNOWN))
    workspace.lock()
    vault = ["--vault", str(vault_dir)]
    done = run_cli("measure", child.id, "--weight", "9.6", "--on", "2026-03-14", *vault, env=ENV)
    assert done.returncode == 0, done.stderr
    shown = run_cli("growth", child.id, *vault, env=ENV)
    assert shown.returncode == 0
    assert "The growth chart needs the child's sex" in shown.stdout
    assert "Weight 9.60 kg · no UK-WHO reference" in shown.stdout  # listed, never hidden
    nothing = run_cli("measure", child.id, *vault, env=ENV)
    assert nothing.returncode == 1
    assert "Give at least one of --weight (kg), --length (cm) or --head (cm)." in nothing.stderr
