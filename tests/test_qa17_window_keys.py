"""QA of issue 17 items 6 and 9 in the main window itself, tried as a health visitor would at a
common laptop size: on a child's page Alt+C is both the Case menu and "← Caseload", Alt+V both
the Vault menu and "Review an alert…", Alt+H both the Help menu and the Growth tab's "Chart:" —
Qt resolves a clash by cycling, so the key no longer opens the menu its label promises; and the
chronology's "Impact on the child" header is cut to "mpact on the chil". The welcome page's
"Create my vault" and the demo's "Create my own vault" take Alt+C from the Case menu too. Real
window, real vault.
"""

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot

from practitioner_app.services import locations, people
from practitioner_app.ui.main_window import MainWindow
from tests.conftest import child_details
from tests.test_ui_enter import run
from tests.test_ui_keyboard import mnemonic, mnemonics
from tests.ui_helpers import open_window, unlock_window, wait_idle

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

LAPTOP = (1280, 800)


def window_keys(window: MainWindow) -> list[tuple[str, str]]:
    """(key, label) for every Alt+key on screen: the menu bar's titles and the page's own."""
    keys = list(mnemonics(window))
    for action in window.menuBar().actions():
        key = mnemonic(action.text())
        if key:
            keys.append((key, f"menu {action.text()}"))
    return keys


def on_a_childs_page(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(*LAPTOP)
    unlock_window(qtbot, window)
    child: Any = run(qtbot, window.session, people.add_child, child_details())
    window.open_child(child.id)
    wait_idle(qtbot, window.session)


def test_no_alt_key_is_used_twice_on_any_tab_of_a_childs_page(
    qtbot: QtBot, window: MainWindow
) -> None:
    on_a_childs_page(qtbot, window)
    clashes: dict[str, list[tuple[str, str]]] = {}
    for tab in range(window.case.tabs.count()):
        window.case.tabs.setCurrentIndex(tab)
        wait_idle(qtbot, window.session)
        QApplication.processEvents()
        keys = window_keys(window)
        counts = Counter(key for key, _ in keys)
        twice = sorted((key, text) for key, text in keys if counts[key] > 1)
        if twice:
            clashes[window.case.tabs.tabText(tab)] = twice
    assert clashes == {}, f"Alt+ keys used twice on a child's page: {clashes}"


def test_the_chronology_column_headers_are_not_cut_at_a_laptop_size(
    qtbot: QtBot, window: MainWindow
) -> None:
    on_a_childs_page(qtbot, window)
    window.case.tabs.setCurrentIndex(
        next(
            i
            for i in range(window.case.tabs.count())
            if window.case.tabs.tabText(i) == "Chronology"
        )
    )
    wait_idle(qtbot, window.session)
    QApplication.processEvents()
    cut = []
    for view in window.case.findChildren(QTableView):
        if not view.isVisibleTo(window):
            continue
        header = view.horizontalHeader()
        model = view.model()
        for column in range(model.columnCount()):
            text = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            if header.sectionSize(column) < header.fontMetrics().horizontalAdvance(text):
                cut.append((text, header.sectionSize(column)))
    assert cut == [], f"column headers narrower than their words: {cut}"


def clashes_on_screen(window: MainWindow) -> list[tuple[str, str]]:
    QApplication.processEvents()
    keys = window_keys(window)
    counts = Counter(key for key, _ in keys)
    return sorted((key, text) for key, text in keys if counts[key] > 1)


def test_no_alt_key_is_used_twice_on_the_welcome_and_setup_pages(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """First start: "Create my vault" takes Alt+C, which the Case menu has too."""
    window = open_window(qtbot, tmp_path / "new-vault", tmp_path / "settings")
    try:
        qtbot.waitUntil(lambda: window.pages.currentWidget() is not window.unlock_page)
        pages = window.first_run
        found = {}
        for index in range(pages.count()):
            pages.setCurrentIndex(index)
            twice = clashes_on_screen(window)
            if twice:
                found[index] = twice
        assert found == {}, f"Alt+ keys used twice on the first-run pages (page: keys): {found}"
    finally:
        window.close()
        window.session.worker.shutdown()


def test_no_alt_key_is_used_twice_on_the_demos_unlock_page(
    qtbot: QtBot, vault_dir: Path, tmp_path: Path
) -> None:
    """Unlocking the demo: "Create my own vault" takes Alt+C, which the Case menu has too; with
    the recovery key ticked, "Recovery key:" and "use my recovery key" both take Alt+R."""
    real = tmp_path / "mine"
    shutil.copytree(vault_dir, locations.demo_vault_dir(real))
    window = open_window(qtbot, real, tmp_path / "settings")
    try:
        page = window.unlock_page
        found = {"passphrase": clashes_on_screen(window)}
        page.recovery.setChecked(True)
        found["recovery key"] = clashes_on_screen(window)
        assert found == {"passphrase": [], "recovery key": []}
    finally:
        window.close()
        window.session.worker.shutdown()


def test_alt_c_on_the_welcome_page_creates_the_vault_as_its_underlined_c_says(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """What the clash does: Alt+C is claimed by the Case menu too, so Qt only moves the focus and
    "Create my vault" is never pressed (seen under Xvfb as well as offscreen)."""
    window = open_window(qtbot, tmp_path / "new-vault", tmp_path / "settings")
    try:
        qtbot.waitUntil(lambda: window.pages.currentWidget() is not window.unlock_page)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        welcome = window.first_run.currentIndex()
        QTest.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: window.first_run.currentIndex() != welcome, timeout=2_000)
    finally:
        window.close()
        window.session.worker.shutdown()
