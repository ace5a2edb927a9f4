"""QA (issue 17 item 6 "keyboard-complete", issue 20 item 4 "a keyboard path"): walked with Tab
as a keyboard user does, every form that scrolls — visit, observation, concern, chronology event,
child, household member, professional, body-map mark, MARF, early help — has a tab stop on its
scroll area itself: from the last button (Close), Tab lands on nothing one can type into or see (no
focus ring anywhere) before the first field. Seen first on the body-map mark form: Close → Tab →
(nothing) → Date. Every tab stop should be a field or a button. Real forms, real vault."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from practitioner_app.services import people
from practitioner_app.ui.session import VaultSession
from tests.conftest import child_details
from tests.test_ui_enter import run
from tests.test_ui_keyboard import DIALOGS

SCROLLING = (
    "visit",
    "observation",
    "concern",
    "chronology event",
    "child",
    "household member",
    "professional",
    "body map mark",
    "marf form",
    "early_help form",
)


@pytest.mark.parametrize("name", SCROLLING)
def test_no_tab_stop_is_a_forms_scroll_area(
    qtbot: QtBot, vault_session: VaultSession, name: str
) -> None:
    child = run(qtbot, vault_session, people.add_child, child_details()).id
    form = DIALOGS[name](qtbot, vault_session, child)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)

    stops: list[QWidget] = []
    for _ in range(80):  # more than any form's fields and buttons: round at least once
        focused = QApplication.focusWidget()
        assert focused is not None
        stops.append(focused)
        QTest.keyClick(focused, Qt.Key.Key_Tab)

    bare = {type(w).__name__ for w in stops if type(w) is QScrollArea}
    assert not bare, f"{name}: Tab stops on the form's scroll area"
