"""Vault → Check the vault… (issue 16): verify from the desktop app, on the worker thread, its
answer in plain words. Real window, real encrypted vault, real worker; the tampered vault is
altered with raw SQL and the key, as an attacker holding the passphrase would."""

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from practitioner_app.services import people, records
from practitioner_app.services.workspace import open_vault_with_data_key
from practitioner_app.ui.main_window import MainWindow
from practitioner_app.ui.vault_check import CHECKING, VaultCheckDialog
from tests.conftest import child_details, visit_details
from tests.test_tamper import drop_triggers, sql_with_the_key
from tests.ui_helpers import unlock_window, wait_idle

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def _checked(qtbot: QtBot, window: MainWindow) -> VaultCheckDialog:
    said: list[str] = []
    window.vault_menu.said.connect(said.append)
    window.check_action.trigger()
    # The menu returns at once; the check runs on the worker while the window keeps working.
    assert said == [CHECKING]
    assert window.vault_menu.last_check is None
    qtbot.waitUntil(lambda: window.vault_menu.last_check is not None, timeout=60_000)
    wait_idle(qtbot, window.session)
    dialog = window.vault_menu.last_check
    assert isinstance(dialog, VaultCheckDialog)
    assert dialog.isVisible()
    assert said[-1] == dialog.windowTitle() + "."
    return dialog


def test_a_sound_vault_checks_out_in_plain_words(qtbot: QtBot, window: MainWindow) -> None:
    assert not window.check_action.isEnabled()  # locked: nothing to check yet
    unlock_window(qtbot, window)
    assert window.check_action.isEnabled()
    dialog = _checked(qtbot, window)
    assert dialog.all_well
    assert dialog.windowTitle() == "The vault checks out"
    assert dialog.headline.text().startswith("The database file is sound")
    assert not dialog.findings.isVisible()


def test_a_tampered_vault_names_each_problem(
    qtbot: QtBot, window: MainWindow, vault_dir: Path, data_key: bytes
) -> None:
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        child = people.add_child(ws, child_details())
        visit = records.create_entry(ws, visit_details(child.id))
        records.finalise(ws, "visit", visit.id)
    finally:
        ws.lock()
    with sql_with_the_key(vault_dir, data_key) as (sql, _):
        drop_triggers(sql)
        sql.exec_driver_sql("DELETE FROM visit_child WHERE visit_id = ?", (visit.id,))
    unlock_window(qtbot, window)
    dialog = _checked(qtbot, window)
    assert not dialog.all_well
    assert dialog.windowTitle() == "The vault has problems"
    assert "changed outside this app" in dialog.headline.text()
    assert "Keep this vault as it is" in dialog.headline.text()
    text = dialog.findings.toPlainText()
    assert dialog.findings.isVisible()
    assert "protective triggers are missing" in text
    assert f"The final visit {visit.id} has been changed since audit event" in text
    assert text.startswith("1. ")
    assert len(dialog.problems) >= 2
