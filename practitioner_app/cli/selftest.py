"""`practitioner-app self-test`: check this installation end to end on a throwaway vault."""

import click

from practitioner_app.cli.base import main


@main.command(name="self-test")
def self_test_command() -> None:
    """Check that this installation works: create a temporary vault with an invented child, record,
    finalise and amend, verify the audit chain, export and read back a chronology PDF, a case
    bundle and a referral PDF, build the desktop window offscreen, then delete it all. Prints one
    line per check; exit status 0 only if every check passed. Your own vault is never opened."""
    # Loaded here, like the PDF verbs: ReportLab and pypdf are not needed by the other commands.
    from practitioner_app.services import selftest

    checks = selftest.run(report=lambda check: click.echo(check.line))
    if not selftest.passed(checks):
        raise click.exceptions.Exit(1)
