"""Issue 17 item 6, keyboard-complete: every menu action has a key shown beside it, every button
on a child's page has an underlined Alt+key or a key in its tooltip, Ctrl+1…9 puts the keyboard in
the tab's list, and Enter there opens the selected entry. A real window and vault."""

import re
from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QMenu
from pytestqt.qtbot import QtBot

from practitioner_app.services import people, records
from practitioner_app.ui.forms.base import RecordForm
from practitioner_app.ui.main_window import MainWindow
from tests.conftest import child_details, visit_details
from tests.test_ui_enter import run
from tests.test_ui_keyboard import mnemonic
from tests.ui_helpers import unlock_window, wait_idle

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

# A key written in a tooltip: "Ctrl+Shift+M", "Alt+Left", "F1", "Enter".
KEY_IN_TIP = re.compile(r"\b(Ctrl|Alt|Shift)\+\S+|\bF\d{1,2}\b|\bEnter\b")


def test_every_menu_action_has_a_key_shown_beside_it_and_no_key_is_used_twice(
    qtbot: QtBot, window: MainWindow
) -> None:
    unlock_window(qtbot, window)
    keys: list[str] = []
    missing = []
    for title in window.menuBar().actions():
        menu = title.menu()
        assert isinstance(menu, QMenu)
        for action in menu.actions():
            if action.isSeparator():
                continue
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.PortableText)
            if not shortcut:
                missing.append(action.text())
            keys.append(shortcut)
    assert missing == [], f"menu actions without a key: {missing}"
    twice = [key for key, count in Counter(keys).items() if count > 1]
    assert twice == []


def test_every_button_on_a_childs_page_has_a_key(qtbot: QtBot, window: MainWindow) -> None:
    unlock_window(qtbot, window)
    child = run(qtbot, window.session, people.add_child, child_details())
    window.open_child(child.id)
    wait_idle(qtbot, window.session)
    keyless: dict[str, list[str]] = {}
    for tab in range(window.case.tabs.count()):
        window.case.tabs.setCurrentIndex(tab)
        wait_idle(qtbot, window.session)
        for button in window.case.findChildren(QAbstractButton):
            if not button.isVisibleTo(window) or not button.text():
                continue
            if mnemonic(button.text()) is None and not KEY_IN_TIP.search(button.toolTip()):
                keyless.setdefault(window.case.tabs.tabText(tab), []).append(button.text())
    assert keyless == {}, f"buttons with neither an Alt+key nor a key in their tooltip: {keyless}"


def test_ctrl_number_puts_the_keyboard_in_the_list_and_enter_opens_the_entry(
    qtbot: QtBot, window: MainWindow
) -> None:
    unlock_window(qtbot, window)
    child = run(qtbot, window.session, people.add_child, child_details())
    run(qtbot, window.session, records.create_entry, visit_details(child.id))
    window.open_child(child.id)
    wait_idle(qtbot, window.session)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    for index in range(window.case.tabs.count()):
        QTest.keyClick(window, Qt.Key(Qt.Key.Key_1 + index), Qt.KeyboardModifier.ControlModifier)
        assert window.case.tabs.currentIndex() == index
        tab = window.case.tabs.widget(index)
        assert tab is not None
        lists = [v for v in tab.findChildren(QAbstractItemView) if v.isVisibleTo(tab)]
        if lists:  # the overview and growth tabs: the keyboard goes to their first list
            focused = QApplication.focusWidget()
            assert focused is not None
            assert tab.isAncestorOf(focused), window.case.tabs.tabText(index)

    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # Visits
    visits = QApplication.focusWidget()
    assert isinstance(visits, QAbstractItemView)
    qtbot.waitUntil(lambda: visits.model().rowCount() == 1)
    QTest.keyClick(visits, Qt.Key.Key_Down)  # the first row
    QTest.keyClick(visits, Qt.Key.Key_Return)

    def opened() -> bool:
        return any(
            isinstance(w, RecordForm) and w.isVisible() for w in QApplication.topLevelWidgets()
        )

    qtbot.waitUntil(opened, timeout=10_000)
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, RecordForm):
            widget.reject()
