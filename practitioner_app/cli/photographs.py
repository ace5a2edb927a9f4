"""`practitioner-app photograph allowed | attach | list | export | remove`: photographs kept in the
vault (services/photographs.py)."""

from dataclasses import asdict
from pathlib import Path

import click

from practitioner_app.cli.base import ProblemAwareGroup, main, opened, print_json, vault_options
from practitioner_app.domain.photographs import PhotographRecord
from practitioner_app.domain.times import format_uk_datetime
from practitioner_app.services import photographs


@main.group(cls=ProblemAwareGroup)
def photograph() -> None:
    """Photographs attached to records: kept encrypted in the vault, never as files.

    Photographs are off unless the vault's setting says the organisation allows them.
    """


@photograph.command()
@vault_options
@click.argument("answer", required=False, type=click.Choice(["yes", "no"]))
def allowed(vault_dir: Path, passphrase_file: Path | None, answer: str | None) -> None:
    """Say whether this organisation allows photographs (yes/no); without an answer, show it.

    The change is audited and signed by the vault's practitioner.
    """
    with opened(vault_dir, passphrase_file) as workspace:
        if answer is not None:
            photographs.set_photographs_allowed(workspace, answer == "yes")
        now = photographs.photographs_allowed(workspace)
    click.echo(f"Photographs are {'allowed' if now else 'not allowed'} in this vault.")


@photograph.command()
@vault_options
@click.argument("record_id", metavar="OBSERVATION")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--of",
    "owner_kind",
    default="observation",
    show_default=True,
    help="The kind of record OBSERVATION names.",
)
def attach(
    vault_dir: Path, passphrase_file: Path | None, record_id: str, file: Path, owner_kind: str
) -> None:
    """Attach a JPEG or PNG photograph (at most 20 MB) to a draft record.

    Location, camera and other hidden details are removed before it is kept; the file itself is
    left as it was (delete it yourself once it is in the vault).
    """
    # Read first: a file that cannot be a photograph is refused before the vault is opened.
    data = photographs.read_file(file)
    with opened(vault_dir, passphrase_file) as workspace:
        attached = photographs.attach(workspace, owner_kind, record_id, data)
    kept = attached.photograph
    click.echo(f"Attached photograph {kept.id} (SHA-256 {kept.sha256}).")
    if attached.removed:
        click.echo(attached.removed)


def _line(photo: PhotographRecord) -> str:
    taken = format_uk_datetime(photo.captured_at) if photo.captured_at else "not known"
    state = "final" if photo.final else "draft"
    return (
        f"{photo.id}  {state:<5}  {photo.width}×{photo.height}  taken {taken}  "
        f"attached {format_uk_datetime(photo.attached_at)} by {photo.attached_by}  "
        f"sha256 {photo.sha256}"
    )


@photograph.command(name="list")
@vault_options
@click.argument("record_id", metavar="RECORD")
@click.option("--of", "owner_kind", default="observation", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
def list_command(
    vault_dir: Path, passphrase_file: Path | None, record_id: str, owner_kind: str, as_json: bool
) -> None:
    """List the photographs of a record (no pictures are printed)."""
    with opened(vault_dir, passphrase_file) as workspace:
        found = photographs.photographs_of(workspace, owner_kind, record_id)
    if as_json:
        print_json([asdict(p) for p in found])
        return
    if not found:
        click.echo("No photographs.")
    for photo in found:
        click.echo(_line(photo))


@photograph.command(name="export")
@vault_options
@click.argument("photograph_id", metavar="PHOTOGRAPH")
@click.argument("out", type=click.Path(path_type=Path))
def export_command(
    vault_dir: Path, passphrase_file: Path | None, photograph_id: str, out: Path
) -> None:
    """Write one photograph (as kept) to the file OUT: a plaintext copy, audited as an export."""
    with opened(vault_dir, passphrase_file) as workspace:
        unaudited = photographs.export_photograph(workspace, photograph_id, out)
    click.echo(f"Wrote {out}.")
    if unaudited:
        click.echo(unaudited, err=True)


@photograph.command()
@vault_options
@click.argument("photograph_id", metavar="PHOTOGRAPH")
def remove(vault_dir: Path, passphrase_file: Path | None, photograph_id: str) -> None:
    """Take a photograph off a draft record; a final photograph is never removed (amend instead)."""
    with opened(vault_dir, passphrase_file) as workspace:
        photographs.remove_draft(workspace, photograph_id)
    click.echo("Removed.")
