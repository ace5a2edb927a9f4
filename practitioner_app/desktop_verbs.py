"""The CLI's desktop verbs, `window` and `check-window`: added by `launch` when the command line
is read by the CLI, so the CLI itself never imports Qt (pyproject.toml's layers)."""

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
    """The whole CLI, with the desktop verbs."""
    cli.main.add_command(window)
    cli.main.add_command(check_window)
    cli.main()
