"""`practitioner-app init | passwd | verify | backup | restore | audit`: the vault itself, its
passphrase, its checks and its backups."""

from dataclasses import asdict
from pathlib import Path

import click

from practitioner_app.cli.base import (
    APP_NAME,
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    main,
    new_passphrase,
    opened,
    print_json,
    read_secret,
    recovery_key_place,
    vault_options,
)
from practitioner_app.domain.times import format_uk_datetime
from practitioner_app.services import integrity
from practitioner_app.services.workspace import Profile, create_vault


@main.command()
@vault_options
@click.option("--name", prompt="Your name", help="Your name, as it should sign every entry.")
@click.option("--role", prompt="Your role", help="For example: Health visitor.")
@click.option("--agency", prompt="Your agency", help="For example: Northshire Community NHS Trust.")
@click.option(
    "--recovery-key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the recovery key to this file instead of showing it.",
)
def init(
    vault_dir: Path,
    passphrase_file: Path | None,
    name: str,
    role: str,
    agency: str,
    recovery_key_file: Path | None,
) -> None:
    """Create a new, empty vault and show its recovery key once."""
    passphrase = new_passphrase(passphrase_file, PASSPHRASE_ENV)
    # Every destination is checked, and the recovery key's file started, before the vault exists:
    # a vault whose recovery key went nowhere is one forgotten passphrase from lost records.
    reserved = None if recovery_key_file is None else recovery_key_place(recovery_key_file)
    try:
        workspace, recovery_key = create_vault(vault_dir, passphrase, Profile(name, role, agency))
    except BaseException:
        if reserved is not None:
            reserved.abandon()
        raise
    workspace.lock()
    click.echo(f"Created a vault in {vault_dir}.")
    if reserved is not None:
        try:
            reserved.fill(recovery_key + "\n")
        except OSError as error:
            click.echo(
                f"The recovery key could not be written to {recovery_key_file} "
                f"({error.strerror}), so here it is instead:",
                err=True,
            )
        else:
            click.echo(
                f"The recovery key is in {recovery_key_file}: store it somewhere safe, apart from "
                "this laptop."
            )
            return
    click.echo(
        "\nRecovery key (shown once; it opens the vault if the passphrase is forgotten):\n\n"
        f"    {recovery_key}\n\n"
        "Write it down and keep it somewhere safe, apart from this laptop."
    )


@main.command()
@vault_options
@click.option(
    "--new-passphrase-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Read the new passphrase from this file (else ${NEW_PASSPHRASE_ENV}, else a prompt).",
)
@click.option(
    "--new-recovery-key",
    is_flag=True,
    help="Also replace the recovery key (the old one stops working) and show the new one.",
)
def passwd(
    vault_dir: Path,
    passphrase_file: Path | None,
    new_passphrase_file: Path | None,
    new_recovery_key: bool,
) -> None:
    """Change the passphrase. Unlock with the current passphrase, or with the recovery key if it
    was forgotten."""
    with opened(vault_dir, passphrase_file) as workspace:
        new = new_passphrase(new_passphrase_file, NEW_PASSPHRASE_ENV)
        workspace.change_passphrase(new)
        click.echo("Passphrase changed.")
        if new_recovery_key:
            recovery = workspace.replace_recovery_key()
            click.echo(
                f"\nNew recovery key (shown once; the old one no longer works):\n\n    {recovery}\n"
            )


# A vault stripped of its seals would give one line per record; the first ones say enough.
MAX_FINDINGS_SHOWN = 200


def _witnessed(values: tuple[str, ...]) -> list[tuple[int, str]]:
    heads = []
    for value in values:
        seq, _, hash_ = value.partition(":")
        if not (
            seq.isdigit() and len(hash_) == 64 and all(c in "0123456789abcdefABCDEF" for c in hash_)
        ):
            raise click.BadParameter(
                f"{value!r} is not SEQ:HASH; give the event number and the 64-character hash as "
                "a PDF or `backup` printed them, e.g. 42:3f9c…",
                param_hint="--head",
            )
        heads.append((int(seq), hash_))
    return heads


@main.command()
@vault_options
@click.option(
    "--head",
    "heads",
    multiple=True,
    metavar="SEQ:HASH",
    help="An audit head kept outside the vault (printed on every PDF and after every backup); "
    "verify checks the chain still holds it. May be given more than once.",
)
def verify(vault_dir: Path, passphrase_file: Path | None, heads: tuple[str, ...]) -> None:
    """Check the database file, the audit chain, every record against its seal and its audit
    event, and the audit head kept beside the key file. Exit 1 if anything fails."""
    witnessed = _witnessed(heads)
    secret = read_secret(passphrase_file, PASSPHRASE_ENV, "Passphrase (or recovery key)")
    damage, workspace = integrity.check_then_open(vault_dir, secret)
    if workspace is None:
        for line in damage:
            click.echo(f"damaged: {line}")
        click.echo(
            "The vault's database is damaged. Restore the last good backup with "
            f"`{APP_NAME} restore BACKUP_FILE`; the damaged vault will be kept in its backups folder."
        )
        raise click.exceptions.Exit(1)
    try:
        report = integrity.verify(workspace, witnessed)
    finally:
        workspace.lock()
    click.echo("database: ok (SQLCipher page check and SQLite integrity check)")
    if report.first_broken_seq is None:
        click.echo(f"audit chain: ok, {report.audit_events} events, head {report.audit_head}")
    else:
        click.echo(f"audit chain: BROKEN at sequence number {report.first_broken_seq}")
    if report.findings:
        shown = report.findings[:MAX_FINDINGS_SHOWN]
        for sentence in shown:
            click.echo(f"tampered: {sentence}")
        if len(report.findings) > len(shown):
            click.echo(f"tampered: and {len(report.findings) - len(shown):,} more findings.")
    else:
        click.echo(
            "records: ok, every final entry, amendment, status change, person and choice matches "
            "its seal and its audit event, and the head kept beside the key file is in the chain"
        )
    if witnessed and report.ok:
        click.echo(f"witnessed heads: ok, the chain holds all {len(witnessed)}")
    if not report.ok:
        raise click.exceptions.Exit(1)


@main.command()
@vault_options
@click.argument("path", type=click.Path(path_type=Path))
def backup(vault_dir: Path, passphrase_file: Path | None, path: Path) -> None:
    """Write an encrypted backup of the vault to PATH (it opens with the same passphrase or
    recovery key)."""
    with opened(vault_dir, passphrase_file, writes_to=path) as workspace:
        unaudited = integrity.backup(workspace, path)
        seq, head = integrity.audit_head(workspace)
    click.echo(f"Backed up to {path}.")
    if unaudited is not None:
        click.echo(unaudited, err=True)
    click.echo(
        f"Audit head after the backup: {seq}:{head}\nKeep it apart from the laptop; "
        f"`{APP_NAME} verify --head {seq}:{head}` shows if the vault's history is later rewritten."
    )


@main.command()
@vault_options
@click.argument("path", type=click.Path(path_type=Path))
def restore(vault_dir: Path, passphrase_file: Path | None, path: Path) -> None:
    """Replace the vault with the backup at PATH; the vault being replaced is kept in its backups
    folder. Asks for the backup's passphrase (or recovery key)."""
    secret = read_secret(
        passphrase_file, PASSPHRASE_ENV, "The backup's passphrase (or recovery key)"
    )
    workspace, kept = integrity.restore(vault_dir, path, secret)
    workspace.lock()
    click.echo(f"Restored {vault_dir} from {path}.")
    if kept is not None:
        click.echo(f"The vault it replaced is kept in {kept}.")


@main.command(name="audit")
@vault_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def audit_command(vault_dir: Path, passphrase_file: Path | None, as_json: bool) -> None:
    """Show the audit trail: who did what, when (record ids only, never record text)."""
    with opened(vault_dir, passphrase_file) as workspace:
        rows = integrity.audit_trail(workspace)
    if as_json:
        print_json([asdict(row) for row in rows])
        return
    for row in rows:
        what = f"{row.record_kind} {row.record_id}" if row.record_kind else ""
        click.echo(
            f"{row.seq:>6}  {format_uk_datetime(row.at)}  {row.action:<17}  {what}  {row.actor}"
        )
