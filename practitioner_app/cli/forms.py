"""`practitioner-app forms | form-pdf | sharing`: a child's structured forms and sharing log."""

from pathlib import Path
from typing import Any

import click

from practitioner_app.cli.base import main, opened, print_json, read_secret_file, vault_options
from practitioner_app.cli.sharing_options import recipient_from, recipient_options
from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.times import format_uk_datetime
from practitioner_app.services import caseload, forms, sharing


def _form_json(view: forms.FormView) -> dict[str, Any]:
    d = view.details
    return {
        "id": view.id,
        "form": view.definition.key,
        "title": view.definition.title,
        "status": view.entry.status,
        "child_ids": list(d.child_ids),
        "to_agency": d.to_agency,
        "created_at": view.entry.occurred_at.isoformat(),
        # A recorded time the source did not give is null, never the stand-in kept for ordering.
        "recorded_at": view.entry.recorded_at.isoformat() if view.entry.recorded_at_known else None,
        "recorded_at_known": view.entry.recorded_at_known,
        "finalised_at": view.entry.finalised_at.isoformat() if view.entry.finalised_at else None,
        "author": view.entry.author,
        "imported": view.entry.imported,
        "sections": dict(d.sections),
        "concern_ids": list(d.concern_ids),
        "consent": {
            "family_aware": d.family_aware,
            "consent": d.consent.value if d.consent else None,
            "reason_not_sought": d.reason_not_sought,
        },
        "immediate_risk": d.immediate_risk,
        "progress": {p.key: p.state for p in view.progress},
        "still_needed": [g.sentence for g in view.gaps],
        "amendments": [
            {
                "field": a.field,
                "new_value": a.new_value,
                "reason": a.reason,
                "author": a.author,
                "recorded_at": a.recorded_at.isoformat() if a.recorded_at_known else None,
                "recorded_at_known": a.recorded_at_known,
                "imported": a.imported,
            }
            for a in view.entry.amendments
        ],
    }


@main.command(name="forms")
@vault_options
@click.argument("child", metavar="CHILD")
@click.option("--json", "as_json", is_flag=True, help="Print each form in full as JSON.")
def forms_command(vault_dir: Path, passphrase_file: Path | None, child: str, as_json: bool) -> None:
    """A child's referrals (MARF) and early help assessments, newest first, with how complete
    each is (CHILD: vault id or reference)."""
    with opened(vault_dir, passphrase_file) as workspace:
        found = caseload.find_child(workspace, child)
        summaries = forms.for_child(workspace, found.id)
        views = [forms.get(workspace, s.id) for s in summaries] if as_json else []
    if as_json:
        print_json([_form_json(view) for view in views])
        return
    if not summaries:
        click.echo(f"No forms for {found.name} yet.")
        return
    for s in summaries:
        status = "final" if s.status == EntryStatus.FINAL else "DRAFT"
        amended = " [amended]" if s.amended else ""
        click.echo(
            f"{s.id}  {format_uk_datetime(s.occurred_at)}  {status:<5}  {s.title} → {s.to_agency}"
            f"  ({s.complete_sections} of {s.sections} sections complete){amended}"
        )


@main.command(name="form-pdf")
@vault_options
@click.argument("form_id", metavar="FORM_ID")
@click.option(
    "--pdf", "pdf_out", required=True, type=click.Path(path_type=Path), help="Write the PDF here."
)
@recipient_options("--to")
@click.option(
    "--password-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Protect the PDF with the password in this file (AES-256).",
)
def form_pdf_command(
    vault_dir: Path,
    passphrase_file: Path | None,
    form_id: str,
    pdf_out: Path,
    shared_with: str | None,
    purpose: str | None,
    lawful_basis: str | None,
    consent: str | None,
    consent_reason: str | None,
    password_file: Path | None,
) -> None:
    """Write a form (FORM_ID, from `forms CHILD`) as a PDF; a draft is marked DRAFT on every page.
    Going to someone (--shared-with/--to, with --purpose, --lawful-basis and --consent), the share
    is logged in the child's sharing log; without, it is a copy kept for yourself."""
    # ReportLab loads only when a PDF is asked for.
    from practitioner_app.services import exports

    recipient = recipient_from(shared_with, purpose, lawful_basis, consent, consent_reason)
    password = read_secret_file(password_file, "PDF password") if password_file else None
    with opened(vault_dir, passphrase_file, writes_to=pdf_out) as workspace:
        made = exports.form_pdf(workspace, form_id, pdf_out, recipient=recipient, password=password)
    protection = " and protected with the password" if made.protected else ""
    logged = (
        f"the share with {recipient.with_whom} is in the sharing log"
        if recipient
        else "kept for yourself, so no share was logged"
    )
    click.echo(
        f"Wrote {made.path} ({made.pages} pages{protection}); {logged}. "
        "It is OFFICIAL-SENSITIVE: keep it as safe as the vault."
    )


@main.command(name="sharing")
@vault_options
@click.argument("child", metavar="CHILD")
@click.option("--json", "as_json", is_flag=True, help="Print the log as JSON.")
def sharing_command(
    vault_dir: Path, passphrase_file: Path | None, child: str, as_json: bool
) -> None:
    """A child's sharing log: what was shared, with whom, why, on what basis and with what
    consent — and each decision not to share. Newest first."""
    with opened(vault_dir, passphrase_file) as workspace:
        found = caseload.find_child(workspace, child)
        log = sharing.log(workspace, found.id)
    if as_json:
        print_json(
            [
                {
                    "id": x.id,
                    "at": x.occurred_at.isoformat(),
                    "shared": x.shared,
                    "with_whom": x.with_whom,
                    "what": x.what,
                    "purpose": x.purpose,
                    "lawful_basis": x.lawful_basis,
                    "consent": x.consent.value,
                    "reason": x.reason,
                    "author": x.author,
                    "status": x.status,
                    "amended": x.amended,
                }
                for x in log
            ]
        )
        return
    if not log:
        click.echo(f"Nothing shared about {found.name} is recorded.")
        return
    for x in log:
        verb = "shared with" if x.shared else "NOT shared with"
        consent = x.consent.value.replace("_", " ")
        reason = f"; {x.reason}" if x.reason else ""
        click.echo(
            f"{format_uk_datetime(x.occurred_at)}  {x.what} — {verb} {x.with_whom}"
            f" — {x.purpose} — consent {consent}{reason}"
        )
