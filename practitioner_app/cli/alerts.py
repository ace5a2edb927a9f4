"""`practitioner-app alerts`: the safeguarding alerts for one child, or for the whole caseload."""

from pathlib import Path
from typing import Any

import click

from practitioner_app.cli.base import main, opened, print_json, vault_options
from practitioner_app.domain.alerts import Alert
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.times import format_uk_date
from practitioner_app.services import alerts, caseload


def _alert_json(alert: Alert) -> dict[str, Any]:
    return {
        "rule": alert.rule,
        "severity": alert.severity.value,
        "message": alert.message,
        "evidence": list(alert.evidence),
        "first_at": alert.first_at.isoformat(),
        "last_at": alert.last_at.isoformat(),
        "next_steps": list(alert.next_steps),
    }


def _alert_line(alert: Alert) -> str:
    line = f"{alert.severity.value.upper():<8}  {alert.rule:<24}  {alert.message}"
    for number, step in enumerate(alert.next_steps, start=1):
        line += f"\n{'':<36}{number}. {step}"
    return line


@main.command(name="alerts")
@vault_options
@click.argument("child", metavar="CHILD", required=False)
@click.option("--all", "everyone", is_flag=True, help="Every child on the caseload.")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Only records up to this day count (YYYY-MM-DD; default: today).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the alerts as JSON.")
def alerts_command(
    vault_dir: Path,
    passphrase_file: Path | None,
    child: str | None,
    everyone: bool,
    as_of: Any,
    as_json: bool,
) -> None:
    """Safeguarding alerts for CHILD (vault id or reference), or --all: patterns serious case
    reviews keep finding missed, each with the records behind it. Prompts to judgement, never
    verdicts."""
    if everyone == (child is not None):
        raise Problem("Name one CHILD, or give --all for the whole caseload.")
    day = as_of.date() if as_of else None
    with opened(vault_dir, passphrase_file) as workspace:
        if child is not None:
            found = caseload.find_child(workspace, child)
            found_alerts = alerts.for_child(workspace, found.id, day)
            if as_json:
                print_json([_alert_json(a) for a in found_alerts])
            elif not found_alerts:
                click.echo(f"No alerts for {found.name}.")
            else:
                for alert in found_alerts:
                    click.echo(_alert_line(alert))
            return
        names = {c.id: c for c in caseload.list_children(workspace)}
        by_child = alerts.for_caseload(workspace, day)
    ordered = sorted(
        (c for c in names.values() if by_child.get(c.id)),
        key=lambda c: (c.family_name.casefold(), c.given_name.casefold(), c.id),
    )
    if as_json:
        print_json(
            [
                {
                    "child_id": c.id,
                    "reference": c.external_ref,
                    "name": c.name,
                    "alerts": [_alert_json(a) for a in by_child[c.id]],
                }
                for c in ordered
            ]
        )
        return
    if not ordered:
        click.echo("No alerts on the caseload.")
        return
    for c in ordered:
        born = format_uk_date(c.date_of_birth) if c.date_of_birth else "unborn"
        click.echo(f"{c.name} ({born}, {c.external_ref or c.id})")
        for alert in by_child[c.id]:
            click.echo("  " + _alert_line(alert))
