"""`practitioner-app VERB`: the headless face of the services, for automation, tests and benchmarks."""

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

import click

from practitioner_app import __version__
from practitioner_app.domain import passphrase as passphrase_policy
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.times import format_uk_date, format_uk_datetime, uk_date
from practitioner_app.services import bundles, caseload, chronology, integrity, locations
from practitioner_app.services import demo as demo_service
from practitioner_app.services import search as search_service
from practitioner_app.services.workspace import Profile, Workspace, create_vault, open_vault

F = TypeVar("F", bound=Callable[..., Any])

APP_NAME = "practitioner-app"
PASSPHRASE_ENV = "PRACTITIONER_PASSPHRASE"
NEW_PASSPHRASE_ENV = "PRACTITIONER_NEW_PASSPHRASE"
BUNDLE_PASSPHRASE_ENV = "PRACTITIONER_BUNDLE_PASSPHRASE"


def default_vault_dir() -> Path:
    return locations.data_dir() / "vault"


class ProblemAwareGroup(click.Group):
    """Turns a Problem into one sentence on stderr and exit status 1; bugs still raise."""

    def invoke(self, ctx: click.Context) -> Any:
        # click.exceptions.Exit, not sys.exit: the status reaches whoever called `main`, so the
        # command also runs in-process (click's CliRunner, the tests) without ending the process.
        try:
            return super().invoke(ctx)
        except Problem as problem:
            click.echo(f"{APP_NAME}: {problem.message}", err=True)
            raise click.exceptions.Exit(1) from None
        except KeyboardInterrupt:
            click.echo(f"{APP_NAME}: stopped; nothing half-written was kept.", err=True)
            raise click.exceptions.Exit(130) from None


def vault_options(command: F) -> F:
    command = click.option(
        "--passphrase-file",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"Read the passphrase from this file (else ${PASSPHRASE_ENV}, else a prompt).",
    )(command)
    command = click.option(
        "--vault",
        "vault_dir",
        type=click.Path(path_type=Path),
        envvar="PRACTITIONER_VAULT",
        default=default_vault_dir,
        show_default="your user data folder",
        help="The vault folder (or $PRACTITIONER_VAULT).",
    )(command)
    return command


def _read_secret_file(path: Path, what: str) -> str:
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise Problem(f"The {what} file {path} does not exist; check the path.") from None
    except (OSError, UnicodeDecodeError):
        raise Problem(
            f"The {what} file {path} could not be read as text; check the file."
        ) from None
    # Only the line ending an editor adds is removed; spaces inside a passphrase are part of it.
    return text.removesuffix("\n").removesuffix("\r")


def _secret(file: Path | None, env: str, prompt: str) -> str:
    if file is not None:
        return _read_secret_file(file, "passphrase")
    from_env = os.environ.get(env)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        # Piped in by a script: one line, no prompt, and no getpass warnings about echo.
        line = sys.stdin.readline()
        if not line:
            raise Problem(
                f"No passphrase given; type it at the prompt, pass --passphrase-file, or set ${env}."
            )
        return line.removesuffix("\n").removesuffix("\r")
    try:
        return str(click.prompt(prompt, hide_input=True))
    except click.Abort:  # no terminal to ask at (a script), or Ctrl+C at the prompt
        raise Problem(
            f"No passphrase given; type it at the prompt, pass --passphrase-file, or set ${env}."
        ) from None


def _new_passphrase(file: Path | None, env: str) -> str:
    """A new passphrase. At a terminal, a refused one is explained and asked for again at once,
    rather than after every other question has been answered."""
    if file is not None or os.environ.get(env) or not sys.stdin.isatty():
        return _secret(file, env, "New passphrase")
    while True:
        candidate = _secret(
            None, env, "New passphrase (at least 10 characters; unrelated words work well)"
        )
        verdict = passphrase_policy.assess(candidate)
        if verdict.accepted:
            break
        click.echo(verdict.reason, err=True)
    if _secret(None, env, "Type it again") != candidate:
        raise Problem(
            "The two passphrases did not match; nothing was changed, so run the command again."
        )
    return candidate


@contextmanager
def opened(vault_dir: Path, passphrase_file: Path | None) -> Iterator[Workspace]:
    secret = _secret(passphrase_file, PASSPHRASE_ENV, "Passphrase (or recovery key)")
    workspace = open_vault(vault_dir, secret)
    try:
        yield workspace
    finally:
        workspace.lock()


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@click.group(cls=ProblemAwareGroup, invoke_without_command=True)
@click.version_option(__version__, prog_name=APP_NAME)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Encrypted records of home visits, observations and concerns, with chronologies and referrals.

    Run without a command to start the desktop app.
    """
    if ctx.invoked_subcommand is None:
        # `launch` adds the window verb; the CLI itself never imports Qt.
        window = main.get_command(ctx, "window")
        if window is None:
            raise click.UsageError(f"Give a command; run `{APP_NAME} --help` to see them.")
        ctx.invoke(window)


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
    passphrase = _new_passphrase(passphrase_file, PASSPHRASE_ENV)
    if recovery_key_file is not None and recovery_key_file.exists():
        raise Problem(
            f"{recovery_key_file} already exists; choose a new file so no other key is overwritten."
        )
    workspace, recovery_key = create_vault(vault_dir, passphrase, Profile(name, role, agency))
    workspace.lock()
    click.echo(f"Created a vault in {vault_dir}.")
    if recovery_key_file is not None:
        fd = os.open(recovery_key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(recovery_key + "\n")
        click.echo(
            f"The recovery key is in {recovery_key_file}: store it somewhere safe, apart from this laptop."
        )
    else:
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
        new = _new_passphrase(new_passphrase_file, NEW_PASSPHRASE_ENV)
        workspace.change_passphrase(new)
        click.echo("Passphrase changed.")
        if new_recovery_key:
            recovery = workspace.replace_recovery_key()
            click.echo(
                f"\nNew recovery key (shown once; the old one no longer works):\n\n    {recovery}\n"
            )


@main.command()
@vault_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def children(vault_dir: Path, passphrase_file: Path | None, as_json: bool) -> None:
    """List the children in the vault."""
    with opened(vault_dir, passphrase_file) as workspace:
        rows = caseload.list_children(workspace)
    if as_json:
        _print_json([asdict(row) for row in rows])
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


@main.command()
@vault_options
def verify(vault_dir: Path, passphrase_file: Path | None) -> None:
    """Check the database file, the audit chain and every final entry. Exit 1 if anything fails."""
    secret = _secret(passphrase_file, PASSPHRASE_ENV, "Passphrase (or recovery key)")
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
        report = integrity.verify(workspace)
    finally:
        workspace.lock()
    click.echo("database: ok (SQLCipher page check and SQLite integrity check)")
    if report.first_broken_seq is None:
        click.echo(f"audit chain: ok, {report.audit_events} events, head {report.audit_head}")
    else:
        click.echo(f"audit chain: BROKEN at sequence number {report.first_broken_seq}")
    if report.altered_entries:
        for entry in report.altered_entries:
            click.echo(f"final entry altered since it was finalised: {entry}")
    else:
        click.echo("final entries: ok, each matches its fingerprint in the audit chain")
    if not report.ok:
        raise click.exceptions.Exit(1)


@main.command()
@vault_options
@click.argument("path", type=click.Path(path_type=Path))
def backup(vault_dir: Path, passphrase_file: Path | None, path: Path) -> None:
    """Write an encrypted backup of the vault to PATH (it opens with the same passphrase or
    recovery key)."""
    with opened(vault_dir, passphrase_file) as workspace:
        integrity.backup(workspace, path)
    click.echo(f"Backed up to {path}.")


@main.command()
@vault_options
@click.argument("path", type=click.Path(path_type=Path))
def restore(vault_dir: Path, passphrase_file: Path | None, path: Path) -> None:
    """Replace the vault with the backup at PATH; the vault being replaced is kept in its backups
    folder. Asks for the backup's passphrase (or recovery key)."""
    secret = _secret(passphrase_file, PASSPHRASE_ENV, "The backup's passphrase (or recovery key)")
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
        _print_json([asdict(row) for row in rows])
        return
    for row in rows:
        what = f"{row.record_kind} {row.record_id}" if row.record_kind else ""
        click.echo(
            f"{row.seq:>6}  {format_uk_datetime(row.at)}  {row.action:<17}  {what}  {row.actor}"
        )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {name}" for name, n in counts.items() if n) or "nothing"


@main.command(name="import")
@vault_options
@click.argument("bundle_file", metavar="FILE", type=click.Path(path_type=Path))
@click.option(
    "--bundle-passphrase-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"For an encrypted bundle: read its passphrase from this file (else ${BUNDLE_PASSPHRASE_ENV}, else a prompt).",
)
def import_command(
    vault_dir: Path,
    passphrase_file: Path | None,
    bundle_file: Path,
    bundle_passphrase_file: Path | None,
) -> None:
    """Import a case bundle (plain or encrypted): all of it or, if anything is wrong, none of it.
    Records already in the vault (same bundle id) are left as they are."""
    data = bundles.read_bundle_file(bundle_file)
    bundle_passphrase = (
        _secret(bundle_passphrase_file, BUNDLE_PASSPHRASE_ENV, "The bundle's passphrase")
        if bundles.is_encrypted(data)
        else None
    )
    with opened(vault_dir, passphrase_file) as workspace:
        report = bundles.import_bundle(workspace, data, bundle_passphrase)
    click.echo(f"Added: {_counts(report.added)}.")
    click.echo(f"Already present: {_counts(report.already_present)}.")


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
        _new_passphrase(bundle_passphrase_file, BUNDLE_PASSPHRASE_ENV) if encrypt else None
    )
    with opened(vault_dir, passphrase_file) as workspace:
        chosen = [caseload.find_child(workspace, ref).id for ref in children_] or None
        size = bundles.write_bundle(workspace, out, chosen, bundle_passphrase)
    if encrypt:
        click.echo(f"Wrote {out} ({size:,} bytes), encrypted with the bundle passphrase.")
    else:
        click.echo(
            f"Wrote {out} ({size:,} bytes). It is not encrypted: keep it as safe as the vault."
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
) -> None:
    """A child's chronology (CHILD: vault id or reference): visits, significant observations,
    concerns, referrals and events from other agencies, oldest first."""
    start = date_from.date() if date_from else None
    end = date_to.date() if date_to else None
    if start and end and end < start:
        raise Problem("--to is before --from; swap the dates.")
    if password_file is not None and pdf_out is None:
        raise Problem("--password-file protects a PDF; add --pdf FILE.")
    if pdf_out is not None and as_json:
        raise Problem("Choose --json or --pdf, not both.")
    if pdf_out is not None:
        # ReportLab loads only when a PDF is asked for.
        from practitioner_app.services import exports

        password = _read_secret_file(password_file, "PDF password") if password_file else None
        with opened(vault_dir, passphrase_file) as workspace:
            found = caseload.find_child(workspace, child)
            made = exports.chronology(
                workspace,
                found.id,
                pdf_out,
                date_from=start,
                date_to=end,
                significant_only=significant_only,
                include_drafts=include_drafts,
                password=password,
            )
        protection = " and protected with the password" if made.protected else ""
        click.echo(
            f"Wrote {made.path} ({made.rows} entries, {made.pages} pages{protection}). "
            "It is OFFICIAL-SENSITIVE: keep it as safe as the vault."
        )
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
        _print_json(
            [
                {k: v for k, v in asdict(row).items() if k != "sort_key"}
                | {"date": row.date.isoformat()}
                for row in rows
            ]
        )
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
                " [DRAFT]" if row.status == "draft" else "",
            ]
        )
        click.echo(
            f"{format_uk_date(row.date)} {row.time or '     '}  {row.age:>7}  {row.event}  — {row.source}{flags}"
        )


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
        _print_json(
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
        passphrase = _new_passphrase(passphrase_file, PASSPHRASE_ENV)
        workspace, recovery_key = create_vault(vault_dir, passphrase, demo_service.DEMO_PROFILE)
        click.echo(
            f"Created a DEMO vault in {vault_dir}.\n\nRecovery key (shown once):\n\n    {recovery_key}\n"
        )
        workspace.lock()
    with opened(vault_dir, passphrase_file) as workspace:
        report = demo_service.fill(workspace, children, years, seed, end)
    click.echo(f"Added: {_counts(report.added)}.")
    if report.already_present:
        click.echo(f"Already present: {_counts(report.already_present)}.")


# The form, sharing-log, alert and self-test commands live beside this module; importing them
# adds them to `main`.
from practitioner_app.cli import alerts as _alerts  # noqa: E402, F401
from practitioner_app.cli import forms as _forms  # noqa: E402, F401
from practitioner_app.cli import selftest as _selftest  # noqa: E402, F401
