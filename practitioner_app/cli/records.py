"""`practitioner-app children | child | chronology | search`: reading the caseload's records."""

from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from practitioner_app.cli.base import main, opened, print_json, read_secret_file, vault_options
from practitioner_app.cli.sharing_options import recipient_from, recipient_options
from practitioner_app.domain.chronology import ChronologyRow
from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.labels import AUTHOR_NOT_RECORDED, RECORDED_NOT_KNOWN
from practitioner_app.domain.times import format_uk_date, now_utc, uk_date
from practitioner_app.services import caseload, casework, chronology
from practitioner_app.services import search as search_service


@main.command()
@vault_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def children(vault_dir: Path, passphrase_file: Path | None, as_json: bool) -> None:
    """List the children in the vault."""
    with opened(vault_dir, passphrase_file) as workspace:
        rows = caseload.list_children(workspace)
    if as_json:
        print_json([asdict(row) for row in rows])
        return
    if not rows:
        click.echo("No children in this vault yet.")
        return
    for row in rows:
        born = (
            format_uk_date(row.date_of_birth)
            if row.date_of_birth
            else f"due {format_uk_date(row.expected_date)}"
            if row.expected_date
            else ""
        )
        click.echo(f"{row.id}  {row.external_ref or '-':<16}  {row.name:<32}  {born}")


@main.command(name="child")
@vault_options
@click.argument("child", metavar="CHILD")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
def child_command(vault_dir: Path, passphrase_file: Path | None, child: str, as_json: bool) -> None:
    """Show CHILD's details (vault id or reference): every name they go by, language and way
    of communicating, mobility, and the household with their phone numbers and addresses."""
    with opened(vault_dir, passphrase_file) as workspace:
        found = caseload.find_child(workspace, child)
        overview = casework.overview(workspace, found.id)
    details = overview.details
    household = [
        {
            "name": p.name,
            "relationship": p.relationship,
            "lives_with_child": p.lives_with_child,
            "parental_responsibility": p.parental_responsibility,
            "phone": p.phone,
            "address": p.address,
        }
        for p in overview.household
    ]
    if as_json:
        print_json({"id": found.id, **asdict(details), "household": household})
        return
    today = uk_date(now_utc())
    lines = [
        ("Name", f"{details.given_name} {details.family_name}"),
        ("Preferred name", details.preferred_name),
        ("Other names", ", ".join(details.other_names) or None),
        ("Date of birth", format_uk_date(details.date_of_birth) if details.date_of_birth else None),
        ("Expected", format_uk_date(details.expected_date) if details.expected_date else None),
        ("First language", details.first_language),
        ("Communicates by", details.communication),
        ("Mobility", details.mobility(today)),
        ("Address", " ".join(", ".join((details.address or "").splitlines()).split()) or None),
    ]
    for label, value in lines:
        if value:
            click.echo(f"{label + ':':<17}{value}")
    for p in household:
        contact = "; ".join(str(x).replace("\n", ", ") for x in (p["phone"], p["address"]) if x)
        click.echo(
            f"{'Household:':<17}{p['name']} ({p['relationship']}){' — ' + contact if contact else ''}"
        )


@main.command(name="chronology")
@vault_options
@click.argument("child", metavar="CHILD")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
@click.option(
    "--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="First date (YYYY-MM-DD)."
)
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Last date (YYYY-MM-DD).")
@click.option(
    "--significant-only",
    is_flag=True,
    help="Leave out routine contacts and low-significance events.",
)
@click.option(
    "--include-drafts", is_flag=True, help="Include entries still in draft (marked as such)."
)
@click.option(
    "--pdf",
    "pdf_out",
    type=click.Path(path_type=Path),
    help="Write the chronology as a PDF (A4 landscape) to this file instead of printing it.",
)
@click.option(
    "--password-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --pdf: protect the PDF (AES-256) with the password in this file.",
)
@click.option(
    "--include-photographs",
    is_flag=True,
    help="With --pdf: end it with the photographs of the entries listed (off unless given).",
)
@recipient_options()
def chronology_command(
    vault_dir: Path,
    passphrase_file: Path | None,
    child: str,
    as_json: bool,
    date_from: Any,
    date_to: Any,
    significant_only: bool,
    include_drafts: bool,
    pdf_out: Path | None,
    password_file: Path | None,
    shared_with: str | None,
    purpose: str | None,
    lawful_basis: str | None,
    consent: str | None,
    consent_reason: str | None,
    include_photographs: bool,
) -> None:
    """A child's chronology (CHILD: vault id or reference): visits, significant observations,
    concerns, referrals and events from other agencies, oldest first."""
    start = date_from.date() if date_from else None
    end = date_to.date() if date_to else None
    if start and end and end < start:
        raise Problem("--to is before --from; swap the dates.")
    if shared_with is not None and pdf_out is None:
        raise Problem("--shared-with describes a PDF going to someone; add --pdf FILE.")
    if password_file is not None and pdf_out is None:
        raise Problem("--password-file protects a PDF; add --pdf FILE.")
    if include_photographs and pdf_out is None:
        raise Problem("--include-photographs adds photographs to a PDF; add --pdf FILE.")
    if pdf_out is not None and as_json:
        raise Problem("Choose --json or --pdf, not both.")
    if pdf_out is not None:
        # ReportLab loads only when a PDF is asked for.
        from practitioner_app.services import exports

        recipient = recipient_from(shared_with, purpose, lawful_basis, consent, consent_reason)
        password = read_secret_file(password_file, "PDF password") if password_file else None
        with opened(vault_dir, passphrase_file, writes_to=pdf_out) as workspace:
            found = caseload.find_child(workspace, child)
            made = exports.chronology(
                workspace,
                found.id,
                pdf_out,
                date_from=start,
                date_to=end,
                significant_only=significant_only,
                include_drafts=include_drafts,
                recipient=recipient,
                password=password,
                include_photographs=include_photographs,
            )
        protection = " and protected with the password" if made.protected else ""
        logged = (
            f" The share with {recipient.with_whom} is in the sharing log." if recipient else ""
        )
        click.echo(
            f"Wrote {made.path} ({made.rows} entries, {made.pages} pages{protection}).{logged} "
            "It is OFFICIAL-SENSITIVE: keep it as safe as the vault."
        )
        if made.unaudited is not None:
            click.echo(made.unaudited, err=True)
        return
    with opened(vault_dir, passphrase_file) as workspace:
        found = caseload.find_child(workspace, child)
        rows = chronology.build(
            workspace,
            found.id,
            date_from=start,
            date_to=end,
            significant_only=significant_only,
            include_drafts=include_drafts,
        )
    if as_json:
        print_json([_row_json(row) for row in rows])
        return
    if not rows:
        click.echo(f"No chronology entries for {found.name} in that range.")
        return
    for row in rows:
        flags = "".join(
            [
                " [date uncertain]" if row.date_uncertain else "",
                " [late entry]" if row.late else "",
                " [amended]" if row.amended else "",
                " [DRAFT]" if row.status == EntryStatus.DRAFT else "",
                f" [{AUTHOR_NOT_RECORDED}]" if row.recorded_by == AUTHOR_NOT_RECORDED else "",
                f" [{RECORDED_NOT_KNOWN}]" if not row.recorded_at_known else "",
                f" [{row.imported}]" if row.imported else "",
            ]
        )
        click.echo(
            f"{format_uk_date(row.date)} {row.time or '     '}  {row.age:>7}  {row.event}  — {row.source}{flags}"
        )


def _row_json(row: ChronologyRow) -> dict[str, Any]:
    """A chronology row as JSON: a recorded time the source did not give is null, never the
    stand-in the row keeps for ordering."""
    # sort_key and written_order only place the row (written_order counts in this vault alone).
    found = {k: v for k, v in asdict(row).items() if k not in ("sort_key", "written_order")}
    found["date"] = row.date.isoformat()
    if not row.recorded_at_known:
        found["recorded_at"] = None
    found["amendments"] = [
        note | ({} if note["at_known"] else {"at": None}) for note in found["amendments"]
    ]
    return found


@main.command(name="search")
@vault_options
@click.argument("words", metavar="QUERY", nargs=-1, required=True)
@click.option(
    "--child", "child", metavar="CHILD", help="Only this child's records (vault id or reference)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option(
    "--limit",
    default=50,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="At most this many results.",
)
def search_command(
    vault_dir: Path,
    passphrase_file: Path | None,
    words: tuple[str, ...],
    child: str | None,
    as_json: bool,
    limit: int,
) -> None:
    """Find records containing every word of QUERY (word beginnings match: "boyf" finds "boyfriend"),
    best match first. Quotes, *, -, NEAR and brackets are searched as plain words."""
    with opened(vault_dir, passphrase_file) as workspace:
        child_id = caseload.find_child(workspace, child).id if child else None
        hits = search_service.search(workspace, " ".join(words), child_id, limit)
        names = {c.id: c.name for c in caseload.list_children(workspace)}
    if as_json:
        print_json(
            [
                asdict(hit)
                | {"occurred_at": hit.occurred_at.isoformat() if hit.occurred_at else None}
                for hit in hits
            ]
        )
        return
    if not hits:
        click.echo("Nothing found.")
        return
    for hit in hits:
        day = format_uk_date(uk_date(hit.occurred_at)) if hit.occurred_at else "          "
        who = ", ".join(names.get(c, c) for c in hit.child_ids)
        click.echo(f"{day}  {hit.kind.replace('_', ' '):<16} {who:<28} {hit.snippet}")
