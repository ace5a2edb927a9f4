"""The `practitioner-app` command: with no verb it opens the desktop window, with one it is the CLI.

It sits above both, so the command line never imports Qt and the window never imports click.
"""

from pathlib import Path

import click

from practitioner_app import cli


@click.command("window")
@click.option(
    "--vault",
    "vault_dir",
    type=click.Path(path_type=Path),
    envvar="PRACTITIONER_VAULT",
    default=None,
    help="The vault folder (default: your user data folder).",
)
def window(vault_dir: Path | None) -> None:
    """Open the desktop app (the default when no command is given)."""
    from practitioner_app.ui import app

    raise SystemExit(app.run(vault_dir))


def main() -> None:
    cli.main.add_command(window)
    cli.main()
