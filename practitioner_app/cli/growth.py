"""`practitioner-app growth | measure`: a child's UK-WHO growth charts, and recording a weight,
length or head circumference from the command line."""

from datetime import datetime
from pathlib import Path
from typing import Any

import click

from practitioner_app.cli.base import main, opened, print_json, read_secret_file, vault_options
from practitioner_app.cli.sharing_options import recipient_from, recipient_options
from practitioner_app.domain.enums import ObservationCategory
from practitioner_app.domain.errors import ImplausibleMeasurement, Problem
from practitioner_app.domain.growth.chart import GrowthPoint
from practitioner_app.domain.growth.reference import UNITS, centile_of, measure_name
from practitioner_app.domain.records import ObservationDetails
from practitioner_app.domain.times import now_utc, start_of_uk_day
from practitioner_app.services import caseload, growth, records


def _point_json(point: GrowthPoint) -> dict[str, Any]:
    return {
        "observation_id": point.id,
        "date": point.on.isoformat(),
        "measurement": point.measure.value,
        "name": measure_name(point.measure, point.age.used_years),
        "value": round(point.value, 3),
        "unit": UNITS[point.measure],
        "age": point.age_text,
        "age_days": point.age.chronological_days,
        "corrected_age_days": point.age.corrected_days,
        "sds": None if point.sds is None else round(point.sds, 3),
        "centile": point.centile_text,
        "centile_value": None if point.sds is None else round(centile_of(point.sds), 2),
        "draft": point.draft,
    }


@main.command(name="growth")
@vault_options
@click.argument("child", metavar="CHILD")
@click.option("--json", "as_json", is_flag=True, help="Print the points as JSON.")
@click.option(
    "--pdf", "pdf_out", type=click.Path(path_type=Path), help="Write the growth charts as a PDF."
)
@click.option(
    "--password-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Protect the PDF with the password in this file (AES-256).",
)
@recipient_options()
def growth_command(
    vault_dir: Path,
    passphrase_file: Path | None,
    child: str,
    as_json: bool,
    pdf_out: Path | None,
    password_file: Path | None,
    shared_with: str | None,
    purpose: str | None,
    lawful_basis: str | None,
    consent: str | None,
    consent_reason: str | None,
) -> None:
    """A child's growth on UK-WHO charts (CHILD: vault id or reference): each measurement with
    the age used (corrected for prematurity where it applies), centile and SDS."""
    if pdf_out is not None and as_json:
        raise Problem("Choose --json or --pdf, not both.")
    if password_file is not None and pdf_out is None:
        raise Problem("--password-file protects a PDF; add --pdf FILE.")
    # Going to someone (a paediatrician, a dietitian) is a share, logged as the practitioner
    # gives it; without --shared-with the PDF is a copy kept for oneself.
    recipient = recipient_from(shared_with, purpose, lawful_basis, consent, consent_reason)
    if recipient is not None and pdf_out is None:
        raise Problem("--shared-with says who a PDF is going to; add --pdf FILE.")
    with opened(vault_dir, passphrase_file, writes_to=pdf_out) as workspace:
        found = caseload.find_child(workspace, child)
        if pdf_out is not None:
            password = read_secret_file(password_file, "PDF password") if password_file else None
            made = growth.export_pdf(
                workspace, found.id, pdf_out, recipient=recipient, password=password
            )
            click.echo(
                f"Wrote {made.path} ({made.points} measurements, {made.pages} pages). "
                "It is OFFICIAL-SENSITIVE: keep it as safe as the vault."
            )
            if made.unaudited is not None:
                click.echo(made.unaudited, err=True)
            return
        report = growth.report(workspace, found.id)
    if as_json:
        print_json(
            {
                "child_id": report.child_id,
                "gestation": str(report.gestation) if report.gestation else None,
                "chart_needs": report.notice,
                "points": [_point_json(p) for p in report.points],
            }
        )
        return
    if report.notice:
        click.echo(report.notice)
    if not report.points:
        click.echo(f"No growth measurements recorded for {found.name}.")
        return
    for point in report.points:
        click.echo(point.readout)


@main.command(name="measure")
@vault_options
@click.argument("child", metavar="CHILD")
@click.option("--weight", "weight_kg", type=float, help="Weight in kg (3.5, not 3500).")
@click.option("--length", "length_cm", type=float, help="Length or height in cm.")
@click.option("--head", "head_cm", type=float, help="Head circumference in cm.")
@click.option(
    "--on",
    "on",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Date measured (YYYY-MM-DD); today if not given.",
)
@click.option(
    "--note", default="Weighed and measured.", show_default=True, help="The observation's text."
)
@click.option(
    "--confirm-implausible",
    is_flag=True,
    help="Save a measurement the app asked about (unlikely for the child's age) as typed.",
)
def measure_command(
    vault_dir: Path,
    passphrase_file: Path | None,
    child: str,
    weight_kg: float | None,
    length_cm: float | None,
    head_cm: float | None,
    on: datetime | None,
    note: str,
    confirm_implausible: bool,
) -> None:
    """Record a growth measurement as a draft observation of CHILD (vault id or reference)."""
    if (weight_kg, length_cm, head_cm) == (None, None, None):
        raise Problem("Give at least one of --weight (kg), --length (cm) or --head (cm).")
    with opened(vault_dir, passphrase_file) as workspace:
        found = caseload.find_child(workspace, child)
        details = ObservationDetails(
            child_id=found.id,
            occurred_at=start_of_uk_day(on.date()) if on else now_utc(),
            category=ObservationCategory.GROWTH,
            text=note,
            time_known=on is None,
            weight_kg=weight_kg,
            length_cm=length_cm,
            head_circumference_cm=head_cm,
        )
        try:
            entry = records.create_entry(
                workspace, details, confirm_implausible=confirm_implausible
            )
        except ImplausibleMeasurement as question:
            raise Problem(
                f"{question.finding} Nothing was saved; "
                "if the number is right, run again with --confirm-implausible."
            ) from None
    click.echo(f"Recorded draft observation {entry.id} for {found.name}.")
