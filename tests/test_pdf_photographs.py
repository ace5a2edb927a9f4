"""Photographs in the chronology PDF (issue 20 item 5): only when asked (the export dialog and
`--include-photographs`; off by default), as an appendix with each picture, what it is of, when
taken, who attached it and its SHA-256; the export's audit names them."""

import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from practitioner_app.services import exports, integrity, photographs, records
from practitioner_app.services.workspace import Workspace
from practitioner_app.ui.case.export_dialog import ExportDialog, ExportSettings
from practitioner_app.ui.session import VaultSession
from tests import photos
from tests.conftest import PASSPHRASE, run_cli


def _images(path: Path) -> int:
    return sum(len(page.images) for page in PdfReader(path).pages)


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture
def case(workspace: Workspace) -> tuple[str, str, list[str]]:
    """(child, observation, photograph SHA-256s): a final injury observation with two photographs."""
    photographs.set_photographs_allowed(workspace, True)
    child, observation = photos.injury_observation(workspace)
    shas = [
        photographs.attach(
            workspace,
            "observation",
            observation,
            photos.jpeg(640, 480, gps=True, taken=datetime(2026, 10, 6, 11, 5)),
        ).photograph.sha256,
        photographs.attach(
            workspace, "observation", observation, photos.png(300, 400)
        ).photograph.sha256,
    ]
    records.finalise(workspace, "observation", observation)
    return child, observation, shas


def test_photographs_are_left_out_unless_asked_for(
    workspace: Workspace, case: tuple[str, str, list[str]], tmp_path: Path
) -> None:
    child, _, shas = case
    plain = tmp_path / "plain.pdf"
    exports.chronology(workspace, child, plain)
    assert _images(plain) == 0
    assert "Appendix: photographs" not in _text(plain)
    assert shas[0] not in _text(plain).replace("\n", "")


def test_asked_for_they_end_the_chronology_with_their_hash_and_are_audited(
    workspace: Workspace, case: tuple[str, str, list[str]], tmp_path: Path
) -> None:
    child, _, shas = case
    out = Path(os.environ.get("PHOTO_PDF", tmp_path / "with.pdf"))
    exports.chronology(workspace, child, out, include_photographs=True)
    text = _text(out)
    assert "Appendix: photographs" in text
    assert _images(out) == 2
    flat = text.replace("\n", "")
    for sha in shas:
        assert sha in flat
    assert "06/10/2026 11:05" in text  # taken (BST), from the camera's own time
    assert "Removed before it was kept: location" in text
    [event] = [e for e in integrity.audit_trail(workspace) if e.action == "export"]
    assert len(json.loads(event.detail)["photographs"]) == 2


def test_the_command_line_adds_them_only_with_the_flag(
    vault_dir: Path, case: tuple[str, str, list[str]], tmp_path: Path
) -> None:
    child, _, _ = case
    env = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}
    out = tmp_path / "cli.pdf"
    args = ["chronology", child, "--vault", str(vault_dir), "--pdf", str(out)]
    assert run_cli(*args, env=env).returncode == 0
    assert _images(out) == 0
    assert run_cli(*args, "--include-photographs", env=env).returncode == 0
    assert _images(out) == 2
    refused = run_cli(
        "chronology", child, "--vault", str(vault_dir), "--include-photographs", env=env
    )
    assert refused.returncode == 1
    assert "add --pdf FILE" in refused.stderr


def test_the_export_dialog_asks_and_starts_unticked_even_after_a_yes(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    before = ExportSettings(include_photographs=True)
    dialog = ExportDialog(vault_session, "no-child", "Maya Okafor", before)
    qtbot.addWidget(dialog)
    assert dialog.include_photographs.text() == "&Include photographs of the entries listed"
    assert not dialog.include_photographs.isChecked()
    assert dialog.settings().include_photographs is False
    dialog.include_photographs.setChecked(True)
    assert dialog.settings().include_photographs is True
