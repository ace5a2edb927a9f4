"""Issue 17, item 7: no trap. The demo's unlock screen offers Create my own vault and Open another
vault…; the Vault menu backs up, restores, changes the passphrase and switches vault; file
questions start in Documents; the recovery key can be printed and saved. Real windows, real
encrypted vaults, the real worker thread."""

import shutil
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from practitioner_app.services import caseload, locations, people
from practitioner_app.services.workspace import DiskFull, Workspace
from practitioner_app.ui import vault_menu
from practitioner_app.ui.main_window import MainWindow
from practitioner_app.ui.vault_menu import documents_dir
from tests.conftest import NEW_PASSPHRASE, PASSPHRASE, child_details
from tests.ui_helpers import open_window, unlock_window, wait_idle

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def close(window: MainWindow) -> None:
    window.close()
    window.session.worker.shutdown()


def run(qtbot: QtBot, window: MainWindow, service: object, *args: object) -> object:
    results: list[object] = []
    window.session.call(service, *args, done=results.append)  # type: ignore[arg-type]
    wait_idle(qtbot, window.session)
    return results[0]


def test_the_vault_menu_has_backup_restore_change_passphrase_and_switch(
    qtbot: QtBot, window: MainWindow
) -> None:
    [vault] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Vault"]
    assert isinstance(vault, QMenu)
    texts = [a.text().replace("&", "") for a in vault.actions() if not a.isSeparator()]
    for wanted in ("Backup…", "Restore…", "Change passphrase…", "Switch vault…"):
        assert wanted in texts
    assert not window.backup_action.isEnabled()  # locked: nothing to back up yet
    unlock_window(qtbot, window)
    assert window.backup_action.isEnabled()


def test_backup_starts_in_documents_and_restore_brings_the_vault_back(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    unlock_window(qtbot, window)
    asked: list[Path] = []
    backup = tmp_path / "backup.vaultbackup"

    def save_path(_title: str, suggested: Path, _filters: str) -> Path:
        asked.append(suggested)
        return backup

    window.vault_menu.save_path = save_path
    window.backup_action.trigger()
    wait_idle(qtbot, window.session)
    assert asked[0].parent == documents_dir()
    assert asked[0].name.endswith(".vaultbackup")
    assert backup.stat().st_size > 0

    # A child added after the backup is gone once the backup is restored.
    run(qtbot, window, people.add_child, child_details(given_name="After"))
    before = [c.name for c in run(qtbot, window, caseload.list_children)]  # type: ignore[attr-defined]
    assert "After Okafor" in before
    window.vault_menu.open_path = lambda _title, start, _filters: backup
    window.vault_menu.secret = lambda _prompt: PASSPHRASE
    with qtbot.waitSignal(window.session.unlocked, timeout=60_000):
        window.restore_action.trigger()
    wait_idle(qtbot, window.session)
    names = [c.name for c in run(qtbot, window, caseload.list_children)]  # type: ignore[attr-defined]
    assert "After Okafor" not in names


def test_change_passphrase_then_the_new_one_unlocks(qtbot: QtBot, window: MainWindow) -> None:
    unlock_window(qtbot, window)
    dialog = window.vault_menu.change_passphrase()
    assert dialog is not None
    dialog.new.setText(NEW_PASSPHRASE)
    dialog.repeat.setText(NEW_PASSPHRASE + "x")
    assert not dialog.change()  # they differ: said under the second
    dialog.repeat.setText(NEW_PASSPHRASE)
    with qtbot.waitSignal(dialog.changed, timeout=60_000):
        qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    window.lock()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page, timeout=10_000)
    unlock_window(qtbot, window, NEW_PASSPHRASE)
    assert window.session.is_open


def test_the_demos_unlock_screen_offers_ones_own_vault_and_another_vault(
    qtbot: QtBot, vault_dir: Path, tmp_path: Path
) -> None:
    real = tmp_path / "mine"
    shutil.copytree(vault_dir, locations.demo_vault_dir(real))  # a demo, and no vault of one's own
    window = open_window(qtbot, real, tmp_path / "settings")
    try:
        page = window.unlock_page
        assert window.session.is_demo
        assert page.create_own_button.isVisible()
        assert page.open_other_button.isVisible()

        # Open another vault…: a folder chosen (from Documents) and offered for unlocking.
        asked: list[Path] = []

        def folder(_title: str, start: Path) -> Path:
            asked.append(start)
            return vault_dir

        window.vault_menu.folder = folder
        qtbot.mouseClick(page.open_other_button, Qt.MouseButton.LeftButton)
        assert asked == [documents_dir()]
        assert window.session.choice.path == vault_dir
        assert not window.session.is_demo
        assert page.heading.text() == "Unlock your vault"
        unlock_window(qtbot, window)
        assert window.session.is_open
    finally:
        close(window)


def test_create_my_own_vault_leads_from_the_demo_to_setting_one_up(
    qtbot: QtBot, vault_dir: Path, tmp_path: Path
) -> None:
    real = tmp_path / "mine"
    shutil.copytree(vault_dir, locations.demo_vault_dir(real))
    window = open_window(qtbot, real, tmp_path / "settings")
    try:
        qtbot.mouseClick(window.unlock_page.create_own_button, Qt.MouseButton.LeftButton)
        assert window.pages.currentWidget() is window.first_run
        assert window.first_run.currentWidget() is window.first_run.profile_page
        assert window.session.choice.path == real
        assert not window.session.is_demo
    finally:
        close(window)


def test_the_recovery_key_can_be_printed_and_saved(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, tmp_path / "new-vault", tmp_path / "settings")
    try:
        page = window.first_run
        page.recovery_key.setText("ABCD-EFGH-JKLM-NPQR")
        page._go(page.recovery_page, page.stored)

        asked: list[Path] = []
        saved = tmp_path / "key.txt"

        def key_path(suggested: Path) -> Path:
            asked.append(suggested)
            return saved

        page.ask_key_path = key_path
        qtbot.mouseClick(page.save_key_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: saved.exists(), timeout=10_000)
        assert asked[0].parent == documents_dir()
        assert "ABCD-EFGH-JKLM-NPQR" in saved.read_text(encoding="utf-8")
        assert saved.stat().st_mode & 0o077 == 0  # the owner's only
        qtbot.waitUntil(lambda: page.key_saved.text().startswith("Saved to"))

        printed = tmp_path / "key.pdf"

        def printer() -> QPrinter:
            to_pdf = QPrinter()
            to_pdf.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            to_pdf.setOutputFileName(str(printed))
            return to_pdf

        page.ask_printer = printer
        qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
        assert "ABCD-EFGH-JKLM-NPQR" in PdfReader(printed).pages[0].extract_text()
    finally:
        close(window)


def test_the_window_says_when_a_backup_could_not_be_audited(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fresh review: on a full vault disk the window said "Backed up to …" and nothing of the
    # audit line that could not be written; the export dialogs say it.
    def full(*_: Any, **__: Any) -> None:
        raise DiskFull("The vault's disk is full.")

    monkeypatch.setattr(Workspace, "audit_alone", full)
    said = vault_menu._backup(workspace, tmp_path / "v.vaultbackup")
    assert said.startswith(f"Backed up to {tmp_path / 'v.vaultbackup'}.")
    assert "the audit trail does not record it" in said
