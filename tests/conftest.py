"""Shared fixtures: real encrypted vaults in temp directories, synthetic records, the command line
run in-process, and the leak checks every test passes through (tests/leaks.py)."""

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from pytestqt.qtbot import QtBot

from practitioner_app import cli
from practitioner_app.domain.body_map import BodyFigure, BodySide, outline
from practitioner_app.domain.body_marks import BodyMarkDetails, MarkKind
from practitioner_app.domain.enums import (
    ConcernCategory,
    ConcernLevel,
    Consent,
    EventKind,
    ObservationCategory,
    SourceKind,
    VisitKind,
    VisitOutcome,
)
from practitioner_app.domain.kinds import EntryDetails
from practitioner_app.domain.records import (
    ChildDetails,
    ChronologyEventDetails,
    ConcernDetails,
    InjuryDetails,
    ObservationDetails,
    ReferralDetails,
    SharingDetails,
    VisitDetails,
)
from practitioner_app.services.workspace import (
    Profile,
    Workspace,
    create_vault,
    open_vault_with_data_key,
)
from practitioner_app.ui.session import VaultSession
from practitioner_app.vault.keyfile import PASSPHRASE_SLOT, KeyFile
from practitioner_app.vault.vault import KEY_NAME
from tests.leaks import no_leaks  # noqa: F401  (an autouse fixture: every test is checked)

pytest_plugins = ["pytester"]

# A run started in the background by a shell without job control (`make test &`, nohup) inherits
# Ctrl-C ignored, and so would every app the tests start: the Ctrl-C tests need Python's own
# handler, as a terminal gives it. Set here, the processes the tests start get it too.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

if TYPE_CHECKING:
    from practitioner_app.ui.main_window import MainWindow

PASSPHRASE = "blue kettle orchard lantern"
NEW_PASSPHRASE = "seven quiet harbour violins"
PROFILE = Profile("Asha Patel", "Health visitor", "Northshire Community NHS Trust")
# From the never-issued 999 range, with a valid check digit.
TEST_NHS_NUMBER = "9990000018"


@pytest.fixture(scope="session")
def template_vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One vault made once per session (creating costs two Argon2id runs); tests get copies."""
    root = tmp_path_factory.mktemp("template") / "vault"
    workspace, recovery_key = create_vault(root, PASSPHRASE, PROFILE)
    workspace.lock()
    return root, recovery_key


@pytest.fixture(scope="session")
def data_key(template_vault: tuple[Path, str]) -> bytes:
    """The template's data key, unwrapped from its key file with the passphrase once per session.

    Every copy of the template shares it, so a test's vault opens without another Argon2id run
    (t=3, 64 MiB, p=4: about half a second each on a busy laptop). The key file the app writes
    and checks is the real one; tests about unlocking unlock with the passphrase themselves.
    """
    return bytes(KeyFile.load(template_vault[0] / KEY_NAME).unwrap(PASSPHRASE_SLOT, PASSPHRASE))


@pytest.fixture
def vault_dir(template_vault: tuple[Path, str], tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(template_vault[0], root)
    return root


@pytest.fixture
def recovery_key(template_vault: tuple[Path, str]) -> str:
    return template_vault[1]


@pytest.fixture
def workspace(vault_dir: Path, data_key: bytes) -> Iterator[Workspace]:
    """The test's copy of the vault, open: audited unlock and all, without the KDF."""
    ws = open_vault_with_data_key(vault_dir, data_key)
    yield ws
    ws.lock()


def child_details(**overrides: object) -> ChildDetails:
    values: dict[str, object] = {
        "given_name": "Maya",
        "family_name": "Okafor",
        "date_of_birth": date(2025, 3, 14),
        "nhs_number": TEST_NHS_NUMBER,
    }
    values.update(overrides)
    return ChildDetails(**values)  # type: ignore[arg-type]


AT = datetime(2026, 10, 6, 10, 30, tzinfo=UTC)


def visit_details(child_id: str, **overrides: object) -> VisitDetails:
    values: dict[str, object] = {
        "child_ids": (child_id,),
        "occurred_at": AT,
        "kind": VisitKind.HOME,
        "outcome": VisitOutcome.COMPLETED,
        "child_seen": True,
        "child_seen_alone": False,
        "present": ("mother",),
        "notes": "Home visit; Maya settled and feeding well.",
    }
    values.update(overrides)
    return VisitDetails(**values)  # type: ignore[arg-type]


def mark_details(child_id: str, observation_id: str, **overrides: object) -> BodyMarkDetails:
    """An injury marked on the left forearm on the front of an infant's body map."""
    region = outline(BodyFigure.INFANT, BodySide.FRONT).region("left_forearm")
    values: dict[str, object] = {
        "child_id": child_id,
        "observation_id": observation_id,
        "occurred_at": AT,
        "figure": BodyFigure.INFANT,
        "side": BodySide.FRONT,
        "x": region.anchor[0],
        "y": region.anchor[1],
        "region": region.key,
        "mark_kind": MarkKind.INJURY,
        "description": "Bruise",
        "length_cm": 2.0,
        "width_cm": 1.0,
        "shape": "Oval",
        "colours": "Blue-purple",
        "skin_broken": False,
        "swelling": False,
        "explanation_given": "Fell against the cot",
        "explanation_by": "Mother",
        "consistent_with_explanation": False,
        "seen_by": "Mother",
    }
    values.update(overrides)
    return BodyMarkDetails(**values)  # type: ignore[arg-type]


def every_entry(
    child_id: str, visit_id: str, text: str, observation_id: str | None = None
) -> list[EntryDetails]:
    """One of each kind of entry, with `text` in every free-text field; a body map mark only
    when the observation it was seen at is given (it needs that observation's id)."""
    marks: list[EntryDetails] = []
    if observation_id is not None:
        marks.append(
            mark_details(
                child_id,
                observation_id,
                description=text,
                shape=text,
                colours=text,
                explanation_given=text,
                explanation_by=text,
                seen_by=text,
            )
        )
    return [
        *marks,
        ObservationDetails(
            child_id=child_id,
            occurred_at=AT,
            category=ObservationCategory.INJURY,
            text=text,
            significant=True,
            visit_id=visit_id,
            injury=InjuryDetails(
                body_regions=(text,),
                description=text,
                explanation_given=text,
                consistent_with_explanation=False,
            ),
        ),
        ConcernDetails(
            child_id=child_id,
            occurred_at=AT,
            category=ConcernCategory.NEGLECT,
            level=ConcernLevel.MEDIUM,
            source=text,
            summary=text,
            details=text,
            outcome=text,
        ),
        ChronologyEventDetails(
            child_id=child_id,
            occurred_at=AT,
            source=text,
            kind=EventKind.POLICE_CONTACT,
            event=text,
            source_kind=SourceKind.POLICE,
            impact_on_child=text,
            action=text,
        ),
        ReferralDetails(
            child_ids=(child_id,),
            occurred_at=AT,
            to_agency=text,
            sections={"reason": text, "child_views": text},
            consent=Consent.NOT_SOUGHT,
            reason_not_sought=text,
        ),
        SharingDetails(
            child_ids=(child_id,),
            occurred_at=AT,
            shared=False,
            with_whom=text,
            what=text,
            purpose=text,
            consent=Consent.REFUSED,
            lawful_basis=text,
            reason=text,
        ),
    ]


@dataclass(frozen=True)
class CommandRun:
    """What a run of the command left: its exit status and what it wrote to stdout and stderr."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(
    *args: str, env: dict[str, str] | None = None, input_text: str | None = None
) -> CommandRun:
    """The command line as a user or a script meets it, run in this process by click's CliRunner
    (a child process costs a second of imports). The environment holds only the PRACTITIONER_
    variables given; stdin is `input_text` (empty if None), never a terminal.

    A bug inside the command is raised here with its traceback, as it would crash a real run;
    a Problem is what the command turns into one line on stderr and exit status 1.
    """
    cleared: dict[str, str | None] = {k: None for k in os.environ if k.startswith("PRACTITIONER_")}
    result = CliRunner().invoke(
        cli.main, list(args), env={**cleared, **(env or {})}, input=input_text
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return CommandRun(result.exit_code, result.stdout, result.stderr)


def console_script() -> str:
    """The installed `practitioner-app` console script beside this interpreter."""
    script = Path(sys.executable).with_name("practitioner-app")
    assert script.is_file(), f"{script} is missing; run `make .venv/.installed`"
    return str(script)


def run_app(
    *args: str, env: dict[str, str] | None = None, input_text: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The real `practitioner-app` console script in a child process: for what only a process
    shows (its exit status to the shell, what SQLCipher might print on file descriptor 2, the
    desktop verbs that `launch` adds)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PRACTITIONER_")}
    full_env.update(env or {})
    return subprocess.run(
        [console_script(), *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=input_text,
        timeout=120,
        check=False,
    )


@pytest.fixture
def vault_session(qtbot: QtBot, vault_dir: Path, data_key: bytes) -> Iterator[VaultSession]:
    """The vault opened the way the desktop app opens it: through the worker thread."""
    from tests.ui_helpers import close_session, open_session_with_key

    session = open_session_with_key(qtbot, vault_dir, data_key)
    yield session
    close_session(qtbot, session)


@pytest.fixture
def window(qtbot: QtBot, vault_dir: Path, tmp_path: Path) -> Iterator["MainWindow"]:
    """The whole desktop window on the vault, locked, with its settings in a temp folder."""
    from tests.ui_helpers import close_dialogs, open_window

    win = open_window(qtbot, vault_dir, tmp_path / "settings")
    yield win
    close_dialogs(qtbot, win.session)
    win.close()
    win.session.worker.shutdown()
