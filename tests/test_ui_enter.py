"""Issue 17, item 1: a pressed Enter never makes anything final. Every field of every entry form
(visit, observation, concern, chronology event, each structured form, a share, a decision not to
share, an amendment, and the people forms) is typed into and Enter pressed in it; afterwards the
vault holds nothing final, no share and no amendment, and the form is still open. Finalise asks
once, showing what becomes final and what is still empty, and 'Keep as draft' is what Enter
answers. Real widgets, a real encrypted vault, through the worker thread.

Keys go through QTest itself: qtbot.keyClick is the same call, but untyped, which mypy refuses.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from practitioner_app.domain import forms as definitions
from practitioner_app.domain.enums import EntryStatus, ObservationCategory
from practitioner_app.domain.errors import Problem
from practitioner_app.services import forms, people, records
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import entries as tables
from practitioner_app.ui.case.amend import AmendDialog
from practitioner_app.ui.forms.base import RecordForm
from practitioner_app.ui.forms.concern import ConcernForm
from practitioner_app.ui.forms.event import ChronologyEventForm
from practitioner_app.ui.forms.finalising import FinalSummary
from practitioner_app.ui.forms.observation import ObservationForm
from practitioner_app.ui.forms.people import ChildForm, HouseholdMemberForm, ProfessionalForm
from practitioner_app.ui.forms.sharing import SharingDialog
from practitioner_app.ui.forms.structured import StructuredForm
from practitioner_app.ui.forms.visit import VisitForm
from practitioner_app.ui.session import VaultSession
from tests.conftest import child_details, visit_details
from tests.ui_helpers import wait_idle

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

FINAL_TABLES = (
    tables.Visit,
    tables.Observation,
    tables.Concern,
    tables.ChronologyEvent,
    tables.Referral,
)


def run(qtbot: QtBot, session: VaultSession, service: Callable[..., Any], *args: Any) -> Any:
    results: list[Any] = []
    problems: list[Problem] = []
    session.call(service, *args, done=results.append, failed=problems.append)
    wait_idle(qtbot, session)
    if problems:
        raise problems[0]
    return results[0]


def on_the_record(ws: Workspace) -> dict[str, int]:
    """How many final entries of each kind, shares and amendments the vault holds."""
    with ws.unit_of_work() as session:
        counts = {
            model.__tablename__: session.scalar(
                select(func.count()).select_from(model).where(model.status == EntryStatus.FINAL)
            )
            or 0
            for model in FINAL_TABLES
        }
        counts["sharing_record"] = (
            session.scalar(select(func.count()).select_from(tables.SharingRecord)) or 0
        )
        counts["amendment"] = (
            session.scalar(select(func.count()).select_from(tables.Amendment)) or 0
        )
        return counts


NOTHING = {
    name: 0 for name in (*(m.__tablename__ for m in FINAL_TABLES), "sharing_record", "amendment")
}


def fields_of(dialog: QWidget) -> Iterator[QWidget]:
    """Every field the practitioner can type into or choose in, in the dialog as it now is."""
    kinds = (QLineEdit, QPlainTextEdit, QComboBox, QCheckBox, QListWidget)
    for widget in dialog.findChildren(QWidget):
        if isinstance(widget, kinds) and widget.isVisibleTo(dialog) and widget.isEnabled():
            # A combo box's own line edit (an editable choice) is typed into through the box.
            if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QComboBox):
                continue
            yield widget


def type_into(widget: QWidget) -> None:
    """Something a practitioner would type or choose there, ready to save if Enter saved it."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    if isinstance(widget, QLineEdit):
        placeholder = widget.placeholderText()
        text = (
            "06/10/2026"
            if placeholder == "DD/MM/YYYY"
            else "11:30"
            if placeholder == "HH:MM"
            else "7.5"
            if placeholder in ("kg", "cm")
            else "Mother"
        )
        widget.clear()
        QTest.keyClicks(widget, text)
    elif isinstance(widget, QPlainTextEdit):
        QTest.keyClicks(widget, "Said she was tired")
    elif isinstance(widget, QComboBox):
        QTest.keyClick(widget, Qt.Key.Key_Down)
    elif isinstance(widget, QCheckBox):
        QTest.keyClick(widget, Qt.Key.Key_Space)


def press_enter_everywhere(qtbot: QtBot, dialog: QDialog, session: VaultSession) -> int:
    """Type into every field and press Enter (and the keypad's Enter) in it; returns how many
    fields. After each, the dialog must still be open."""
    seen: set[int] = set()
    pressed = 0
    while True:
        todo = [w for w in fields_of(dialog) if id(w) not in seen]
        if not todo:
            return pressed
        for widget in todo:
            seen.add(id(widget))
            if not widget.isVisibleTo(dialog):
                continue  # a choice above hid it
            type_into(widget)
            for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                QTest.keyClick(widget, key)
                wait_idle(qtbot, session)
                assert dialog.isVisible(), f"Enter in {widget.accessibleName()!r} closed the form"
            pressed += 1


def never_asked(form: RecordForm) -> list[FinalSummary]:
    asked: list[FinalSummary] = []

    def answer(_parent: QWidget, summary: FinalSummary) -> bool:
        asked.append(summary)
        return True  # even a practitioner who would say yes is never asked by an Enter

    form.ask_to_finalise = answer
    return asked


def shown(qtbot: QtBot, dialog: QDialog) -> None:
    def discard() -> None:
        dialog.done(QDialog.DialogCode.Rejected)

    qtbot.addWidget(dialog, before_close_func=lambda _: discard())
    dialog.show()
    qtbot.waitExposed(dialog)


@pytest.fixture
def child_id(qtbot: QtBot, vault_session: VaultSession) -> str:
    added = run(qtbot, vault_session, people.add_child, child_details())
    return str(added.id)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda s, c: VisitForm(s, c), id="visit"),
        pytest.param(lambda s, c: ObservationForm(s, c), id="observation"),
        pytest.param(lambda s, c: ConcernForm(s, c), id="concern"),
        pytest.param(lambda s, c: ChronologyEventForm(s, c), id="chronology event"),
    ],
)
def test_enter_in_every_field_of_an_entry_form_makes_nothing_final(
    qtbot: QtBot,
    vault_session: VaultSession,
    child_id: str,
    make: Callable[[VaultSession, str], RecordForm],
) -> None:
    form = make(vault_session, child_id)
    asked = never_asked(form)
    shown(qtbot, form)
    if isinstance(form, ObservationForm):
        # The injury section is filled too: ticking it shows its fields.
        form.category.set_value(ObservationCategory.INJURY)

    pressed = press_enter_everywhere(qtbot, form, vault_session)

    assert pressed >= 5
    assert asked == []
    assert form.status == EntryStatus.DRAFT
    assert run(qtbot, vault_session, on_the_record) == NOTHING


@pytest.mark.parametrize("key", list(definitions.FORMS))
def test_enter_in_every_answer_of_a_structured_form_makes_nothing_final_or_shared(
    qtbot: QtBot, vault_session: VaultSession, child_id: str, key: str
) -> None:
    view = run(qtbot, vault_session, forms.start, child_id, key)
    form = StructuredForm(vault_session, view)
    asked = never_asked(form)
    shown(qtbot, form)

    pressed = press_enter_everywhere(qtbot, form, vault_session)

    assert pressed >= 10
    assert asked == []
    assert not form.final
    assert run(qtbot, vault_session, on_the_record) == NOTHING


@pytest.mark.parametrize("shared", [True, False], ids=["share", "decision not to share"])
def test_enter_in_every_field_of_the_sharing_dialog_records_nothing(
    qtbot: QtBot, vault_session: VaultSession, child_id: str, shared: bool
) -> None:
    dialog = SharingDialog(vault_session, child_id, shared=shared)
    shown(qtbot, dialog)
    press_enter_everywhere(qtbot, dialog, vault_session)
    assert run(qtbot, vault_session, on_the_record) == NOTHING


def test_enter_in_the_amend_dialog_amends_nothing(
    qtbot: QtBot, vault_session: VaultSession, child_id: str
) -> None:
    def final_visit(ws: Workspace) -> Any:
        visit = records.create_entry(ws, visit_details(child_id))
        records.finalise_together(ws, [("visit", visit.id)])
        return records.get_entry(ws, "visit", visit.id)

    view = run(qtbot, vault_session, final_visit)
    dialog = AmendDialog(vault_session, view)
    shown(qtbot, dialog)
    press_enter_everywhere(qtbot, dialog, vault_session)
    assert run(qtbot, vault_session, on_the_record)["amendment"] == 0


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda s, c: ChildForm(s), id="child"),
        pytest.param(lambda s, c: HouseholdMemberForm(s, c), id="household member"),
        pytest.param(lambda s, c: ProfessionalForm(s, c), id="professional"),
    ],
)
def test_enter_in_a_people_form_neither_saves_nor_closes_it(
    qtbot: QtBot,
    vault_session: VaultSession,
    child_id: str,
    make: Callable[[VaultSession, str], QDialog],
) -> None:
    dialog = make(vault_session, child_id)
    saved: list[object] = []
    dialog.saved.connect(saved.append)  # type: ignore[attr-defined]
    shown(qtbot, dialog)
    press_enter_everywhere(qtbot, dialog, vault_session)
    assert saved == []


# -- Finalise asks once ---------------------------------------------------------------------------


def answer_question(qtbot: QtBot, how: Callable[[QMessageBox], None]) -> list[str]:
    """When the question appears, read it and answer it with `how`; returns its text."""
    read: list[str] = []

    def look() -> None:
        box = next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()
            ),
            None,
        )
        if box is None:
            QTimer.singleShot(20, look)
            return
        read.append(box.text() + "\n" + box.informativeText())
        how(box)

    QTimer.singleShot(20, look)
    return read


def button(box: QMessageBox, text: str) -> QAbstractButton:
    [found] = [b for b in box.buttons() if b.text().replace("&", "") == text]
    return found


def test_ctrl_enter_shows_what_becomes_final_and_enter_in_the_question_keeps_the_draft(
    qtbot: QtBot, vault_session: VaultSession, child_id: str
) -> None:
    form = VisitForm(vault_session, child_id)
    shown(qtbot, form)
    QTest.keyClicks(form.present, "Mother")
    form.activateWindow()  # a shortcut needs the window to have the keyboard
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)

    # Enter in the question answers 'Keep as draft'.
    read = answer_question(qtbot, lambda box: QTest.keyClick(box, Qt.Key.Key_Return))
    QTest.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, vault_session)
    [text] = read
    assert "Make 1 entry final?" in text
    assert "Visit on " in text
    assert "Outcome: Completed" in text
    assert "Still empty: Child seen, Seen alone, The child's voice, Narrative." in text
    assert form.isVisible()
    assert form.status == EntryStatus.DRAFT
    assert run(qtbot, vault_session, on_the_record) == NOTHING

    # Asked again and answered 'Make final': now it is.
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    read = answer_question(qtbot, lambda box: button(box, "Make final").click())
    with qtbot.waitSignal(form.finished, timeout=30_000):
        QTest.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, vault_session)
    assert len(read) == 1
    assert str(form.status) == "final"
    assert run(qtbot, vault_session, on_the_record)["visit"] == 1
