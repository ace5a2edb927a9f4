"""What every `practitioner-app` verb shares: the command group that turns a Problem into one line
on stderr, the --vault and --passphrase-file options, reading secrets, and opening the vault."""

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from practitioner_app import __version__
from practitioner_app.domain import passphrase as passphrase_policy
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.kinds import KINDS
from practitioner_app.domain.windows import plural
from practitioner_app.interrupts import Stopped
from practitioner_app.services import locations
from practitioner_app.services.workspace import Workspace, open_vault
from practitioner_app.vault import files

F = TypeVar("F", bound=Callable[..., Any])

APP_NAME = "practitioner-app"
PASSPHRASE_ENV = "PRACTITIONER_PASSPHRASE"
NEW_PASSPHRASE_ENV = "PRACTITIONER_NEW_PASSPHRASE"
BUNDLE_PASSPHRASE_ENV = "PRACTITIONER_BUNDLE_PASSPHRASE"
# A passphrase is a line of text; a file far larger than one is the wrong file.
MAX_SECRET_FILE_BYTES = 64 * 1024


def default_vault_dir() -> Path:
    return locations.data_dir() / "vault"


_ALL_ARGS = "practitioner_app.all_args"


class ProblemAwareGroup(click.Group):
    """Turns a Problem into one sentence on stderr and exit status 1; bugs still raise."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[_ALL_ARGS] = list(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        # click.exceptions.Exit, not sys.exit: the status reaches whoever called `main`, so the
        # command also runs in-process (click's CliRunner, the tests) without ending the process.
        try:
            _refuse_text_not_utf8(ctx.meta.get(_ALL_ARGS, []))
            return super().invoke(ctx)
        except Problem as problem:
            click.echo(f"{APP_NAME}: {problem.message}", err=True)
            raise click.exceptions.Exit(1) from None
        except KeyboardInterrupt as stopped:
            # Ctrl-C can land after a change was committed (during the commit itself, or while
            # its result is printed): say what is true whenever it lands, not "nothing kept".
            if isinstance(stopped, Stopped):  # held back through work that has more to say
                click.echo(f"{APP_NAME}: {stopped.note}", err=True)
            click.echo(
                f"{APP_NAME}: stopped. Nothing half-written was kept; whatever was saved before "
                f"you pressed Ctrl-C stays saved (`{APP_NAME} audit` lists it).",
                err=True,
            )
            raise click.exceptions.Exit(130) from None


def _refuse_text_not_utf8(args: list[str]) -> None:
    """Bytes on the command line that are not UTF-8 reach Python as lone surrogates
    (PEP 383), which no record, file name or PDF can hold: refused before anything runs. The
    sentence names the argument's position, never its text (it may be case data)."""
    for position, arg in enumerate(args, start=1):
        if any("\ud800" <= char <= "\udfff" for char in arg):
            raise Problem(
                f"Argument {position} on the command line (counting from 1) is not UTF-8 text (it was typed or"
                " pasted in another encoding); retype it, or save its source as UTF-8."
            )


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


def read_secret_file(path: Path, what: str) -> str:
    try:
        text = files.read_regular(path, MAX_SECRET_FILE_BYTES, f"{what} file").decode("utf-8")
    except FileNotFoundError:
        raise Problem(f"The {what} file {path} does not exist; check the path.") from None
    except (OSError, UnicodeDecodeError):
        raise Problem(
            f"The {what} file {path} could not be read as text; check the file."
        ) from None
    # Only the line ending an editor adds is removed; spaces inside a passphrase are part of it.
    return text.removesuffix("\n").removesuffix("\r")


class ReservedFile:
    """A file's place taken before the work that fills it: an owner-only temp beside it, linked
    into place by `fill` (never over anything), or removed by `abandon`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.temp = files.temp_name(path)
        os.close(files.create_temp(self.temp))

    def fill(self, text: str) -> None:
        try:
            with self.temp.open("r+b") as handle:
                handle.write(text.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            os.link(self.temp, self.path, follow_symlinks=False)
        finally:
            self.abandon()
        with contextlib.suppress(OSError):
            files.fsync_directory(self.path.parent)

    def abandon(self) -> None:
        self.temp.unlink(missing_ok=True)


def recovery_key_place(path: Path) -> ReservedFile:
    """Where `init --recovery-key-file` will write: checked and taken before the vault is made.
    A missing folder, anything already at the path (a file, a link, a dangling link) or a folder
    that cannot be written to is refused with a sentence, and nothing is created."""
    if os.path.lexists(path):
        what = "a link" if path.is_symlink() else "already there"
        raise Problem(
            f"{path} is {what}; choose a new file for the recovery key so nothing is overwritten "
            "or written through a link. No vault was created."
        )
    if not path.parent.is_dir():
        raise Problem(
            f"The folder {path.parent} does not exist, so the recovery key could not be written "
            "there; create it or choose another. No vault was created."
        )
    try:
        return ReservedFile(path)
    except OSError as error:
        raise Problem(
            f"The recovery key cannot be written in {path.parent} ({error.strerror}); choose "
            "another file. No vault was created."
        ) from None


def read_secret(file: Path | None, env: str, prompt: str) -> str:
    if file is not None:
        return read_secret_file(file, "passphrase")
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


def new_passphrase(file: Path | None, env: str) -> str:
    """A new passphrase. At a terminal, a refused one is explained and asked for again at once,
    rather than after every other question has been answered."""
    if file is not None or os.environ.get(env) or not sys.stdin.isatty():
        return read_secret(file, env, "New passphrase")
    while True:
        candidate = read_secret(
            None, env, "New passphrase (at least 10 characters; unrelated words work well)"
        )
        verdict = passphrase_policy.assess(candidate)
        if verdict.accepted:
            break
        click.echo(verdict.reason, err=True)
    if read_secret(None, env, "Type it again") != candidate:
        raise Problem(
            "The two passphrases did not match; nothing was changed, so run the command again."
        )
    return candidate


@contextmanager
def opened(
    vault_dir: Path, passphrase_file: Path | None, writes_to: Path | None = None
) -> Iterator[Workspace]:
    """The vault, unlocked for the block and locked after it. `writes_to`: the file the verb will
    write (a backup, bundle or PDF), refused before the vault is opened when it lies inside the
    vault's folder: opening writes the unlock to the database and the audit head, so a refusal
    after it would already have changed the files the copy was about to replace."""
    if writes_to is not None:
        files.refuse_inside(vault_dir, writes_to)
    secret = read_secret(passphrase_file, PASSPHRASE_ENV, "Passphrase (or recovery key)")
    workspace = open_vault(vault_dir, secret)
    try:
        yield workspace
    finally:
        workspace.lock()


def print_json(data: Any) -> None:
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


# What each list of a bundle holds, in words (singular, plural): "1 child", "2 children".
_LIST_WORDS: dict[str, tuple[str, str | None]] = {
    "children": ("child", "children"),
    "people": ("household member", None),
    "professionals": ("professional", None),
    **{spec.bundle_list: (spec.words, None) for spec in KINDS.values()},
    "status_changes": ("concern status change", None),
    "amendments": ("amendment", None),
    "chronology_choices": ("chronology choice", None),
    "alert_reviews": ("alert review", None),
    "agency_aliases": ("agency name merge", None),
}


def counts(numbers: dict[str, int]) -> str:
    """What an import or a demo fill added or found already there, as "1 child, 12 visits"."""
    return (
        ", ".join(
            plural(n, *_LIST_WORDS.get(name, (name.replace("_", " "), None)))
            for name, n in numbers.items()
            if n
        )
        or "nothing"
    )
