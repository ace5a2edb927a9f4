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


@click.command("check-window", hidden=True)
@click.option("--platform", default="", help="The Qt platform plugin to load (default: native).")
def check_window(platform: str) -> None:
    """Build the desktop window offscreen and load a Qt platform plugin (run by `self-test`)."""
    from practitioner_app.ui import selfcheck

    raise SystemExit(selfcheck.main(platform))


def main() -> None:
    cli.main.add_command(window)
    cli.main.add_command(check_window)
    cli.main()
