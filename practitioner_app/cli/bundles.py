"""`practitioner-app import | export-bundle | demo`: records into and out of the vault as case
bundles, and the synthetic demo caseload."""

from pathlib import Path
from typing import Any

import click

from practitioner_app.cli.base import (
    BUNDLE_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    counts,
    main,
    new_passphrase,
    opened,
    read_secret,
    vault_options,
)
from practitioner_app.services import bundles, caseload
from practitioner_app.services import demo as demo_service
from practitioner_app.services.workspace import create_vault


@main.command(name="import")
@vault_options
@click.argument("bundle_file", metavar="FILE", type=click.Path(path_type=Path))
@click.option(
    "--bundle-passphrase-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"For an encrypted bundle: read its passphrase from this file (else ${BUNDLE_PASSPHRASE_ENV}, else a prompt).",
)
@click.option(
    "--source",
    metavar="NAME",
    help="For a format 1 bundle: who or what it came from (the person, team or system), when "
    "the bundle does not say who exported it. Records from different sources are never merged.",
)
def import_command(
    vault_dir: Path,
    passphrase_file: Path | None,
    bundle_file: Path,
    bundle_passphrase_file: Path | None,
    source: str | None,
) -> None:
    """Import a case bundle (plain or encrypted): all of it or, if anything is wrong, none of it.
    Records already in the vault (same id) are left as they are; a changed child, household
    member or professional is kept as a revision and listed; a final entry that differs from
    this vault's copy stops the import."""
    data = bundles.read_bundle_file(bundle_file)
    bundle_passphrase = (
        read_secret(bundle_passphrase_file, BUNDLE_PASSPHRASE_ENV, "The bundle's passphrase")
        if bundles.is_encrypted(data)
        else None
    )
    with opened(vault_dir, passphrase_file) as workspace:
        report = bundles.import_bundle(workspace, data, bundle_passphrase, source)
    click.echo(f"Added: {counts(report.added)}.")
    click.echo(f"Already present: {counts(report.already_present)}.")
    if report.changed:
        click.echo(f"Changed: {counts(report.changed)}.")
    for note in report.notes:
        click.echo(f"Note: {note}")


@main.command(name="export-bundle")
@vault_options
@click.option(
    "--out", "out", required=True, type=click.Path(path_type=Path), help="The bundle file to write."
)
@click.option(
    "--child",
    "children_",
    multiple=True,
    metavar="CHILD",
    help="Only this child (vault id or reference); repeat for more. Default: every child.",
)
@click.option(
    "--encrypt",
    is_flag=True,
    help=f"Protect the bundle with a passphrase of its own (asked for, or ${BUNDLE_PASSPHRASE_ENV}).",
)
@click.option(
    "--bundle-passphrase-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --encrypt: read the bundle's passphrase from this file.",
)
def export_bundle_command(
    vault_dir: Path,
    passphrase_file: Path | None,
    out: Path,
    children_: tuple[str, ...],
    encrypt: bool,
    bundle_passphrase_file: Path | None,
) -> None:
    """Export children's records as a case bundle: JSON, or with --encrypt a passphrase-protected
    file that `import` recognises. Send the passphrase by a different route from the file."""
    bundle_passphrase = (
        new_passphrase(bundle_passphrase_file, BUNDLE_PASSPHRASE_ENV) if encrypt else None
    )
    with opened(vault_dir, passphrase_file, writes_to=out) as workspace:
        chosen = [caseload.find_child(workspace, ref).id for ref in children_] or None
        written = bundles.write_bundle(workspace, out, chosen, bundle_passphrase)
    size = written.size
    if encrypt:
        click.echo(f"Wrote {out} ({size:,} bytes), encrypted with the bundle passphrase.")
    else:
        click.echo(
            f"Wrote {out} ({size:,} bytes). It is not encrypted: keep it as safe as the vault."
        )
    if written.unaudited is not None:
        click.echo(written.unaudited, err=True)


@main.command(name="demo")
@vault_options
@click.option(
    "--children",
    default=12,
    show_default=True,
    type=click.IntRange(1, 5000),
    help="How many children.",
)
@click.option(
    "--years",
    default=2,
    show_default=True,
    type=click.IntRange(1, 20),
    help="How many years of records.",
)
@click.option("--seed", default=1, show_default=True, type=int, help="Same seed, same caseload.")
@click.option(
    "--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day of records (default: today)."
)
def demo_command(
    vault_dir: Path, passphrase_file: Path | None, children: int, years: int, seed: int, until: Any
) -> None:
    """Fill a vault with a synthetic caseload to try the app on (every name is invented; NHS numbers
    are from the never-issued 999 range). Creates a DEMO vault if there is none at --vault.
    `--children 400 --years 5` is the benchmark workload."""
    end = until.date() if until else None
    if not (vault_dir / "vault.key").exists():
        passphrase = new_passphrase(passphrase_file, PASSPHRASE_ENV)
        workspace, recovery_key = create_vault(vault_dir, passphrase, demo_service.DEMO_PROFILE)
        click.echo(
            f"Created a DEMO vault in {vault_dir}.\n\nRecovery key (shown once):\n\n    {recovery_key}\n"
        )
        workspace.lock()
    with opened(vault_dir, passphrase_file) as workspace:
        report = demo_service.fill(workspace, children, years, seed, end)
    click.echo(f"Added: {counts(report.added)}.")
    if report.already_present:
        click.echo(f"Already present: {counts(report.already_present)}.")
