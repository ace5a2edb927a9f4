"""The chronology tab at work: events from other agencies added through their form, significance
chosen entry by entry, and the chronology exported as a (password-protected) PDF through the
export dialog, on a real encrypted vault through the worker thread.

Keys go through QTest itself: qtbot.keyClick is the same call, but untyped, which mypy refuses.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from practitioner_app.domain.enums import EventKind, Significance, SourceKind, VisitOutcome
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.records import ChronologyEventDetails
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.services import chronology, people, records
from practitioner_app.services.views import EntryView
from practitioner_app.services.workspace import Workspace
from practitioner_app.ui.case.chronology_tab import ChronologyTab
from practitioner_app.ui.case.entry_view import EntryViewer
from practitioner_app.ui.case.export_dialog import STOPPED, ExportDialog, ExportSettings
from practitioner_app.ui.case.models import ROW_ROLE, ChronologyModel
from practitioner_app.ui.case.workspace import TABS, CaseWorkspace
from practitioner_app.ui.forms.event import ChronologyEventForm
from practitioner_app.ui.session import VaultSession
from tests.conftest import AT, NEW_PASSPHRASE, child_details, visit_details
from tests.ui_helpers import agree_to_finalise, wait_idle

# The offscreen platform (headless test runs) says this whenever a window is shown; it is about
# the test platform, not the app. Every other Qt warning still fails the test.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@dataclass(frozen=True)
class Case:
    child_id: str
    routine_visit_id: str  # completed, child seen: not significant by the rule
    missed_visit_id: str  # no access: significant by the rule
    draft_visit_id: str
    police_event_id: str  # high, 01/10/2026
    nursery_event_id: str  # low, 07/08/2026 (before the export's From date)


def run(qtbot: QtBot, session: VaultSession, service: Callable[..., Any], *args: Any) -> Any:
    """A service call through the worker, waited for, as the screens make it."""
    results: list[Any] = []
    problems: list[Problem] = []
    session.call(service, *args, done=results.append, failed=problems.append)
    wait_idle(qtbot, session)
    if problems:
        raise problems[0]
    return results[0]


def make_case(ws: Workspace) -> Case:
    child = people.add_child(ws, child_details()).id

    def final(details: Any) -> str:
        view: EntryView = records.create_entry(ws, details)
        records.finalise(ws, view.kind, view.id)
        return view.id

    routine = final(visit_details(child))
    missed = final(
        visit_details(
            child,
            occurred_at=AT - timedelta(days=14),
            outcome=VisitOutcome.NO_ACCESS,
            child_seen=None,
            child_seen_alone=None,
            notes="No answer; card left.",
        )
    )
    draft = records.create_entry(ws, visit_details(child, notes="Still writing this up.")).id

    def event(days_before: int, source: str, text: str, level: Significance) -> str:
        return final(
            ChronologyEventDetails(
                child_id=child,
                occurred_at=AT - timedelta(days=days_before),
                source=source,
                kind=EventKind.OTHER,
                event=text,
                source_kind=SourceKind.OTHER,
                significance=level,
            )
        )

    police = event(5, "Northshire Police", "Police attended the home.", Significance.HIGH)
    nursery = event(60, "Riverside Nursery", "Good attendance.", Significance.LOW)
    return Case(child, routine, missed, draft, police, nursery)


@pytest.fixture
def case(qtbot: QtBot, vault_session: VaultSession) -> Case:
    made: Case = run(qtbot, vault_session, make_case)
    return made


def open_case(qtbot: QtBot, session: VaultSession, case: Case) -> CaseWorkspace:
    """The case workspace on the chronology tab, as the practitioner reaches it."""
    workspace = CaseWorkspace(session)
    qtbot.addWidget(workspace)
    workspace.show()
    workspace.show_child(case.child_id, tab=TABS.index("Chronology"))
    wait_idle(qtbot, session)
    return workspace


def rows(tab: ChronologyTab) -> dict[str, int]:
    """Record id → its row on screen (after the filters)."""
    return {
        tab.proxy.index(row, 0).data(ROW_ROLE).record_id: row for row in range(tab.proxy.rowCount())
    }


def cell(tab: ChronologyTab, record_id: str, column: int) -> str:
    text: str = tab.proxy.index(rows(tab)[record_id], column).data()
    return text


def select(tab: ChronologyTab, record_id: str) -> None:
    tab.table.selectRow(rows(tab)[record_id])
    assert tab.selected() is not None
    assert tab.selected().record_id == record_id  # type: ignore[union-attr]


def message(widget: QWidget, field_label: str) -> QLabel:
    """The inline message under the field captioned `field_label`."""
    found = [
        label
        for label in widget.findChildren(QLabel)
        if label.accessibleName() == f"Problem with {field_label}"
    ]
    assert len(found) == 1, f"no single message label for {field_label}"
    return found[0]


def shown_messages(widget: QWidget) -> list[str]:
    return [
        label.accessibleName()
        for label in widget.findChildren(QLabel)
        if label.accessibleName().startswith("Problem with ") and not label.isHidden()
    ]


def press(qtbot: QtBot, window: QWidget, key: Qt.Key) -> None:
    """Ctrl+key in a window, which has the keyboard first (offscreen, that is asked for here)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    QTest.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)


def click(qtbot: QtBot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# -- an event from another agency --------------------------------------------------------------


def test_an_event_is_drafted_shown_as_draft_then_finalised_from_the_chronology(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    workspace = open_case(qtbot, vault_session, case)
    tab = workspace.chronology
    assert tab.include_drafts.isChecked()  # the case screen shows what is still being written
    assert cell(tab, case.draft_visit_id, ChronologyModel.EVENT).startswith("DRAFT: ")
    assert "(1 draft, marked DRAFT)" in tab.status.text()

    click(qtbot, tab.add_button)
    form = workspace.dialogs[-1]
    assert isinstance(form, ChronologyEventForm)
    assert form.date.text() == ""  # no date is assumed for something learned of later

    # Each problem is shown under its own field, one at a time, and nothing is saved.
    press(qtbot, form, Qt.Key.Key_S)
    assert shown_messages(form) == ["Problem with Date"]
    assert "required" in message(form, "Date").text()
    QTest.keyClicks(form.date, "02/10/2026")
    QTest.keyClicks(form.ended, "01/10/2026")
    press(qtbot, form, Qt.Key.Key_S)
    assert shown_messages(form) == ["Problem with Ended on"]
    form.ended.clear()
    QTest.keyClicks(form.ended, "04/10/2026")
    press(qtbot, form, Qt.Key.Key_S)
    assert shown_messages(form) == ["Problem with Kind of event"]
    form.event_kind.set_value(EventKind.HOSPITAL_ATTENDANCE)
    press(qtbot, form, Qt.Key.Key_S)
    assert shown_messages(form) == ["Problem with Source (agency or person)"]
    QTest.keyClicks(form.source, "Northshire General A&E")
    press(qtbot, form, Qt.Key.Key_S)
    assert shown_messages(form) == ["Problem with What happened"]
    wait_idle(qtbot, vault_session)
    assert form.entry_id is None

    form.source_kind.set_value(SourceKind.HEALTH)
    QTest.keyClicks(form.what_happened, "Admitted with a head injury after a fall.")
    QTest.keyClicks(form.time, "21:15")
    form.date_uncertain.setChecked(True)
    form.significance.set_value(Significance.HIGH)
    QTest.keyClicks(form.impact, "Two nights in hospital.")
    with qtbot.waitSignal(form.saved, timeout=30_000) as saved:
        press(qtbot, form, Qt.Key.Key_S)
    view: EntryView = saved.args[0]
    assert shown_messages(form) == []
    assert view.status == "draft"
    wait_idle(qtbot, vault_session)

    # The tab hears of the save and shows the draft, marked as such.
    event_text = cell(tab, view.id, ChronologyModel.EVENT)
    assert event_text == "DRAFT: Admitted with a head injury after a fall."
    assert cell(tab, view.id, ChronologyModel.DATE) == "c. 02/10/2026 21:15"
    assert cell(tab, view.id, ChronologyModel.SIGNIFICANCE) == "High"
    form.close_button.click()
    assert not form.isVisible()

    # Reopened from the chronology (Enter on the row), the draft comes back in its form.
    tab.table.setFocus()
    select(tab, view.id)
    QTest.keyClick(tab.table, Qt.Key.Key_Return)
    wait_idle(qtbot, vault_session)
    reopened = workspace.dialogs[-1]
    assert isinstance(reopened, ChronologyEventForm)
    assert reopened is not form
    assert reopened.entry_id == view.id
    assert (reopened.date.text(), reopened.time.text()) == ("02/10/2026", "21:15")
    assert reopened.ended.text() == "04/10/2026"
    assert reopened.date_uncertain.isChecked()
    assert reopened.source.text() == "Northshire General A&E"
    assert reopened.source_kind.value() == SourceKind.HEALTH
    assert reopened.event_kind.value() == EventKind.HOSPITAL_ATTENDANCE
    assert reopened.significance.value() == Significance.HIGH
    assert reopened.impact.toPlainText() == "Two nights in hospital."
    assert reopened.action.toPlainText() == ""
    assert not reopened.dirty

    QTest.keyClicks(reopened.action, "Referred to children's social care.")
    agree_to_finalise(reopened)
    with qtbot.waitSignal(reopened.finished, timeout=30_000):
        press(qtbot, reopened, Qt.Key.Key_Return)
    assert reopened.result() == QDialog.DialogCode.Accepted
    wait_idle(qtbot, vault_session)
    stored: EntryView = run(qtbot, vault_session, records.get_entry, "chronology_event", view.id)
    assert stored.status == "final"
    assert stored.fields["action"] == "Referred to children's social care."
    assert uk_date(stored.fields["ended_at"]) == date(2026, 10, 4)
    assert cell(tab, view.id, ChronologyModel.EVENT) == (
        "Admitted with a head injury after a fall."
    )

    # A final event opens read-only.
    select(tab, view.id)
    QTest.keyClick(tab.table, Qt.Key.Key_Return)
    wait_idle(qtbot, vault_session)
    assert isinstance(workspace.dialogs[-1], EntryViewer)


def test_unticking_include_drafts_loads_final_entries_only(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    tab = open_case(qtbot, vault_session, case).chronology
    assert case.draft_visit_id in rows(tab)
    tab.include_drafts.setChecked(False)
    wait_idle(qtbot, vault_session)
    assert case.draft_visit_id not in rows(tab)
    assert "DRAFT" not in tab.status.text()
    tab.reset_filters()  # back to how the case screen starts: drafts shown
    wait_idle(qtbot, vault_session)
    assert tab.include_drafts.isChecked()
    assert case.draft_visit_id in rows(tab)


# -- choosing significance ---------------------------------------------------------------------


# A popup menu grabs the keyboard, which the offscreen platform cannot do (and says so).
@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")
def test_a_routine_visit_chosen_significant_shows_under_significant_only_until_the_rule_returns(
    qtbot: QtBot, vault_session: VaultSession, case: Case, qtmodeltester: ModelTester
) -> None:
    tab = open_case(qtbot, vault_session, case).chronology
    assert not tab.significance_button.isEnabled()  # nothing selected yet
    tab.significant_only.setChecked(True)
    assert case.routine_visit_id not in rows(tab)
    assert case.missed_visit_id in rows(tab)
    tab.significant_only.setChecked(False)

    select(tab, case.routine_visit_id)
    assert tab.significance_button.isEnabled()
    assert tab.significance_actions[None].isChecked()  # the rule decides so far
    tab.significance_actions[True].trigger()
    wait_idle(qtbot, vault_session)
    assert cell(tab, case.routine_visit_id, ChronologyModel.SIGNIFICANCE) == "Chosen ✓"
    assert tab.selected().record_id == case.routine_visit_id  # type: ignore[union-attr]
    assert tab.significance_actions[True].isChecked()
    tab.significant_only.setChecked(True)
    assert case.routine_visit_id in rows(tab)

    # The missed visit, significant by the rule, can be left out by choice.
    select(tab, case.missed_visit_id)
    tab.significance_actions[False].trigger()
    wait_idle(qtbot, vault_session)
    assert case.missed_visit_id not in rows(tab)
    tab.significant_only.setChecked(False)
    missed = tab.proxy.index(rows(tab)[case.missed_visit_id], ChronologyModel.SIGNIFICANCE)
    assert missed.data() == "Medium (chosen ✗)"
    assert missed.data(Qt.ItemDataRole.AccessibleTextRole) == "Medium, chosen as not significant"
    assert "not significant" in missed.data(Qt.ItemDataRole.ToolTipRole)
    qtmodeltester.check(tab.model)  # drafts and chosen rows among them

    # The context menu offers the same choices for the row it was opened on.
    rect = tab.table.visualRect(tab.proxy.index(rows(tab)[case.routine_visit_id], 1))
    tab.table.customContextMenuRequested.emit(rect.center())
    assert tab.significance_menu.isVisible()
    assert tab.selected().record_id == case.routine_visit_id  # type: ignore[union-attr]
    assert tab.significance_actions[True].isChecked()
    tab.significance_actions[None].trigger()
    tab.significance_menu.close()
    wait_idle(qtbot, vault_session)
    assert cell(tab, case.routine_visit_id, ChronologyModel.SIGNIFICANCE) == ""
    tab.significant_only.setChecked(True)
    assert case.routine_visit_id not in rows(tab)
    built = run(qtbot, vault_session, chronology.build, case.child_id)
    routine = next(row for row in built if row.record_id == case.routine_visit_id)
    assert (routine.chosen, routine.significant) == (False, False)


# -- exporting ---------------------------------------------------------------------------------


def test_the_export_dialog_writes_a_protected_pdf_of_what_the_four_settings_choose(
    qtbot: QtBot, vault_session: VaultSession, case: Case, tmp_path: Path
) -> None:
    workspace = open_case(qtbot, vault_session, case)
    tab = workspace.chronology
    QTest.keyClicks(tab.date_from, "01/09/2026")
    tab.significant_only.setChecked(True)
    tab.source.setCurrentIndex(tab.source.findText("Northshire Police"))  # on screen only
    click(qtbot, tab.export_button)
    dialog = workspace.dialogs[-1]
    assert isinstance(dialog, ExportDialog)
    assert dialog.date_from.text() == "01/09/2026"
    assert dialog.date_to.text() == ""
    assert dialog.significant_only.isChecked()
    assert dialog.include_drafts.isChecked()
    [explanation] = [
        label
        for label in dialog.findChildren(QLabel)
        if label.accessibleName() == "What is exported"
    ]
    assert "Significance and Source filters on the screen do not apply" in explanation.text()

    target = tmp_path / "exports" / "chronology.pdf"
    target.parent.mkdir()
    suggested: list[Path] = []
    opened: list[QUrl] = []

    def choose(path: Path) -> Path:
        suggested.append(path)
        return target

    dialog.choose_path = choose
    dialog.recipient.keep.setChecked(True)  # a copy for the file, not a share
    dialog.open_file = opened.append

    # Passwords that differ: said under the second one, nothing asked, nothing written.
    dialog.protect.setChecked(True)
    QTest.keyClicks(dialog.password, NEW_PASSPHRASE)
    QTest.keyClicks(dialog.repeat, NEW_PASSPHRASE + "s")
    click(qtbot, dialog.export_button)
    assert shown_messages(dialog) == ["Problem with Password again"]
    assert "differ" in message(dialog, "Password again").text()
    assert suggested == []
    dialog.repeat.clear()
    QTest.keyClicks(dialog.repeat, NEW_PASSPHRASE)

    click(qtbot, dialog.export_button)
    assert dialog.running
    assert not dialog.password.isEnabled()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    wait_idle(qtbot, vault_session)
    assert shown_messages(dialog) == []
    assert dialog.saved is not None

    today = uk_date(now_utc())
    assert suggested[0].name == f"Chronology Maya Okafor {today:%d-%m-%Y}.pdf"
    expected = run(
        qtbot,
        vault_session,
        lambda ws, child: chronology.build(
            ws, child, date_from=date(2026, 9, 1), significant_only=True, include_drafts=True
        ),
        case.child_id,
    )
    ids = {row.record_id for row in expected}
    assert case.police_event_id in ids  # the Source filter on screen did not narrow the export
    assert case.missed_visit_id in ids
    assert case.nursery_event_id not in ids  # before the From date
    assert case.routine_visit_id not in ids  # not significant
    made = dialog.saved
    assert made.rows == len(expected)
    assert made.protected
    pages = f"{made.pages} page{'' if made.pages == 1 else 's'}"
    assert dialog.status.text() == (
        f"Saved {target} ({made.rows} entries, {pages}). It needs the password to open."
        " Kept for yourself: no share was logged."
    )
    assert dialog.password.text() == dialog.repeat.text() == ""

    reader = PdfReader(target)
    assert reader.is_encrypted
    assert reader.decrypt("not the password") == 0
    assert reader.decrypt(NEW_PASSPHRASE) != 0
    assert "Maya Okafor" in reader.pages[0].extract_text()

    assert dialog.open_button.isVisible()
    click(qtbot, dialog.open_button)
    assert opened == [QUrl.fromLocalFile(str(target))]


def test_export_problems_are_shown_in_the_dialog_and_nothing_is_written(
    qtbot: QtBot, vault_session: VaultSession, case: Case, tmp_path: Path
) -> None:
    dialog = ExportDialog(vault_session, case.child_id, "Maya Okafor", ExportSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.open_button.isHidden()
    assert dialog.cancel_button.isHidden()
    asked: list[Path] = []
    missing = tmp_path / "no such folder" / "chronology.pdf"

    def choose(path: Path) -> Path:
        asked.append(path)
        return missing

    dialog.choose_path = choose
    dialog.recipient.keep.setChecked(True)  # a copy for the file, not a share

    QTest.keyClicks(dialog.date_from, "10/10/2026")
    QTest.keyClicks(dialog.date_to, "01/10/2026")
    click(qtbot, dialog.export_button)
    assert shown_messages(dialog) == ["Problem with To"]
    assert asked == []
    dialog.date_to.clear()

    dialog.protect.setChecked(True)
    QTest.keyClicks(dialog.password, "password1")
    QTest.keyClicks(dialog.repeat, "password1")
    click(qtbot, dialog.export_button)
    assert shown_messages(dialog) == ["Problem with Password"]
    assert "not strong enough" in message(dialog, "Password").text()
    dialog.protect.setChecked(False)
    assert not dialog.password.isEnabled()

    # A problem only the service can find (the folder is gone) comes back above the buttons,
    # with every choice still as it was.
    click(qtbot, dialog.export_button)
    wait_idle(qtbot, vault_session)
    assert not dialog.running
    assert not dialog.banner.isHidden()
    assert "does not exist" in dialog.banner.text()
    assert dialog.date_from.text() == "10/10/2026"
    assert dialog.password.text() == "password1"
    assert not missing.parent.exists()
    assert dialog.export_button.isEnabled()


def test_cancelling_an_export_writes_nothing(
    qtbot: QtBot, vault_session: VaultSession, case: Case, tmp_path: Path
) -> None:
    dialog = ExportDialog(vault_session, case.child_id, "Maya Okafor", ExportSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    folder = tmp_path / "exports"
    folder.mkdir()
    dialog.choose_path = lambda path: folder / path.name
    dialog.recipient.keep.setChecked(True)

    # The worker is held busy, so the cancel lands before the export has laid out anything.
    gate = threading.Event()
    vault_session.worker.run(gate.wait)
    try:
        assert dialog.export()
        assert dialog.cancel_button.isVisible()
        click(qtbot, dialog.cancel_button)
        assert dialog.status.text() == "Stopping…"
    finally:
        gate.set()
    wait_idle(qtbot, vault_session)
    assert dialog.status.text() == STOPPED
    assert not dialog.running
    assert dialog.saved is None
    assert list(folder.iterdir()) == []
    assert dialog.export_button.isEnabled()
    assert dialog.cancel_button.isHidden()
