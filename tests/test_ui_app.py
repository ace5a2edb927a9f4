"""The desktop app as a practitioner uses it: first run, unlock, record a visit with what was seen
and a concern, finalise, and the lock that never loses a draft. Real windows, a real vault."""

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from practitioner_app.domain.enums import ConcernCategory, ObservationCategory
from practitioner_app.gcpause import without_cyclic_gc
from practitioner_app.services import casework, people, records
from practitioner_app.services.casework import EntryRow
from practitioner_app.services.views import ChildSummary
from practitioner_app.ui.app import configure_application
from practitioner_app.ui.forms.concern import ConcernForm
from practitioner_app.ui.forms.observation import ObservationForm
from practitioner_app.ui.forms.visit import VisitForm
from practitioner_app.ui.main_window import QUIET_MINUTES, MainWindow
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.worker import Worker
from tests.conftest import NEW_PASSPHRASE, PASSPHRASE, child_details
from tests.ui_helpers import agree_to_finalise, wait_idle


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path) -> Iterator[None]:
    """Preferences go to a temp folder, never the developer's own."""
    configure_application()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    QSettings().clear()
    yield
    QSettings().clear()


def make_window(qtbot: QtBot, vault: Path) -> MainWindow:
    session = VaultSession(Worker(), vault)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    return window


def close_window(window: MainWindow) -> None:
    window.close()
    window.session.worker.shutdown()


@pytest.fixture
def window(qtbot: QtBot, vault_dir: Path) -> Iterator[MainWindow]:
    win = make_window(qtbot, vault_dir)
    yield win
    close_window(win)


def unlock(qtbot: QtBot, window: MainWindow, secret: str = PASSPHRASE) -> None:
    window.unlock_page.secret.setText(secret)
    with qtbot.waitSignal(window.session.unlocked, timeout=30_000):
        qtbot.mouseClick(window.unlock_page.unlock_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.session)


def read(qtbot: QtBot, session: VaultSession, service: Any, *args: Any) -> Any:
    results: list[Any] = []
    session.call(service, *args, done=results.append)
    wait_idle(qtbot, session)
    return results[0]


def press(qtbot: QtBot, window: QWidget, key: Qt.Key) -> None:
    """Ctrl+key in a window, as the practitioner presses it: the window has the keyboard first
    (a window manager's job under X; offscreen there is none, so it is asked for here)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)


def add_child(qtbot: QtBot, window: MainWindow) -> ChildSummary:
    child: ChildSummary = read(qtbot, window.session, people.add_child, child_details())
    return child


def open_form(qtbot: QtBot, kind: type[Any]) -> Any:
    qtbot.waitUntil(
        lambda: any(isinstance(w, kind) and w.isVisible() for w in QApplication.topLevelWidgets())
    )
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())


def test_first_run_creates_a_vault_and_shows_the_recovery_key_once(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = make_window(qtbot, tmp_path / "new-vault")
    first = window.first_run
    assert window.pages.currentWidget() is first
    qtbot.mouseClick(first.create_button, Qt.MouseButton.LeftButton)
    first.name.setText("Asha Patel")
    first.role.setText("Health visitor")
    first.agency.setText("Northshire Community NHS Trust")
    first.passphrase.setText("password1")
    first.repeat.setText("password1")
    qtbot.mouseClick(first.create_vault_button, Qt.MouseButton.LeftButton)
    assert first.currentWidget() is first.profile_page  # refused: too short, said beside it
    assert "too short" in first.form._messages["passphrase"].text()

    first.passphrase.setText(NEW_PASSPHRASE)
    qtbot.waitUntil(lambda: first.strength.value() >= 3)
    first.repeat.setText(NEW_PASSPHRASE)
    qtbot.mouseClick(first.create_vault_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first.currentWidget() is first.recovery_page, timeout=30_000)
    key = first.recovery_key.text()
    assert len(key.replace("-", "").replace(" ", "")) >= 32
    assert not first.continue_button.isEnabled()
    first.stored.setChecked(True)
    qtbot.mouseClick(first.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.caseload)
    assert first.recovery_key.text() == ""  # shown once
    assert "Asha Patel" in window.who.text()
    close_window(window)

    again = make_window(qtbot, tmp_path / "new-vault")
    assert again.pages.currentWidget() is again.unlock_page
    unlock(qtbot, again, key)  # the recovery key opens it
    assert again.pages.currentWidget() is again.caseload
    close_window(again)


def test_closing_the_window_at_the_unlock_page_just_closes_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.pages.currentWidget() is window.unlock_page
    assert window.close()
    assert not window.isVisible()
    assert not window.session.is_open


def test_a_wrong_passphrase_says_so_and_the_right_one_opens_the_caseload(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = window.unlock_page
    page.secret.setText("not the passphrase at all")
    qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.message.isVisible(), timeout=30_000)
    assert "not accepted" in page.message.text()
    assert window.pages.currentWidget() is page
    assert not window.session.is_open

    unlock(qtbot, window)
    assert window.pages.currentWidget() is window.caseload


def test_record_a_visit_with_an_observation_and_a_concern_then_finalise(
    qtbot: QtBot, window: MainWindow
) -> None:
    unlock(qtbot, window)
    child = add_child(qtbot, window)
    window.open_child(child.id)
    wait_idle(qtbot, window.session)
    form = window.case.new_entry("visit")
    assert isinstance(form, VisitForm)
    form.present.setText("Mother, Maya")
    form.seen.set_value(True)
    form.alone.set_value(False)
    form.voice.setPlainText("Maya smiled and reached for the health visitor's scales.")
    form.notes.setPlainText("Home warm and tidy. Mother engaged well.")

    qtbot.mouseClick(form.observation_button, Qt.MouseButton.LeftButton)  # saves the visit first
    observation = open_form(qtbot, ObservationForm)
    assert form.entry_id is not None
    observation.category.set_value(ObservationCategory.GROWTH)
    observation.text.setPlainText("Weighed on the home scales.")
    observation.weight.setText("7.9")
    press(qtbot, observation, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: len(form.linked) == 1)
    observation.close()

    qtbot.mouseClick(form.concern_button, Qt.MouseButton.LeftButton)
    concern = open_form(qtbot, ConcernForm)
    concern.category.set_value(ConcernCategory.PHYSICAL_ABUSE)
    concern.summary.setText("Bruise on the left upper arm, not explained.")
    qtbot.mouseClick(concern.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(form.linked) == 2)
    concern.close()

    asked = agree_to_finalise(form)
    with qtbot.waitSignal(form.finished, timeout=10_000):
        press(qtbot, form, Qt.Key.Key_Return)
    wait_idle(qtbot, window.session)

    # Asked once, showing the visit and what was recorded at it, and the key answers.
    [summary] = asked
    assert len(summary.entries) == 3
    assert summary.entries[0].startswith("Visit on ")
    assert summary.entries[1] == "Observation · Growth: Weighed on the home scales."
    assert summary.entries[2].startswith("Concern · Physical abuse")
    assert dict(summary.answers)["Child seen"] == "Yes"
    assert summary.empty_answers == ()

    visit: list[EntryRow] = read(qtbot, window.session, casework.entries, child.id, "visit")
    found: list[EntryRow] = read(qtbot, window.session, casework.entries, child.id, "observation")
    raised: list[EntryRow] = read(qtbot, window.session, casework.entries, child.id, "concern")
    assert [row.status for row in (*visit, *found, *raised)] == ["final", "final", "final"]
    saved = read(qtbot, window.session, records.get_entry, "visit", visit[0].id)
    assert saved.fields["present"] == ["Mother", "Maya"]
    assert saved.fields["child_voice"].startswith("Maya smiled")
    weighed = read(qtbot, window.session, records.get_entry, "observation", found[0].id)
    assert weighed.fields["weight_kg"] == pytest.approx(7.9)
    assert weighed.fields["visit_id"] == visit[0].id
    # The visits tab shows the finalised visit without being asked to reload.
    qtbot.waitUntil(lambda: window.case.visits.model.rowCount() == 1)


def test_a_visit_dated_in_the_future_gets_a_message_on_the_date_and_nothing_is_lost(
    qtbot: QtBot, window: MainWindow
) -> None:
    unlock(qtbot, window)
    child = add_child(qtbot, window)
    window.open_child(child.id)
    form = window.case.new_entry("visit")
    assert isinstance(form, VisitForm)
    form.day.setText("01/01/2099")
    form.notes.setPlainText("Typed before noticing the year.")
    press(qtbot, form, Qt.Key.Key_S)
    wait_idle(qtbot, window.session)
    message = form.form._messages["occurred_at"]
    assert message.isVisible()
    assert "future" in message.text()
    assert form.notes.toPlainText() == "Typed before noticing the year."
    assert read(qtbot, window.session, casework.entries, child.id, "visit") == []

    form.day.setText("31/02/2026")
    press(qtbot, form, Qt.Key.Key_S)
    assert "not a real date" in message.text()
    form.day.setText("02/11/2026")
    press(qtbot, form, Qt.Key.Key_S)
    wait_idle(qtbot, window.session)
    assert not message.isVisible()
    assert len(read(qtbot, window.session, casework.entries, child.id, "visit")) == 1
    form.close()


def test_locking_saves_the_unsaved_draft_and_unlocking_returns_to_the_same_place(
    qtbot: QtBot, window: MainWindow
) -> None:
    unlock(qtbot, window)
    child = add_child(qtbot, window)
    window.open_child(child.id, tab=1)
    wait_idle(qtbot, window.session)
    form = window.case.new_entry("visit")
    assert isinstance(form, VisitForm)
    form.notes.setPlainText("Half-written narrative when the laptop was left.")
    window.clipboard.copy("copied by the app")

    window.inactivity.set_minutes(0.002)  # about a tenth of a second of nobody touching it
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page, timeout=10_000)
    wait_idle(qtbot, window.session)

    assert not window.session.is_open
    assert not window.case.dialogs  # the form was saved and closed
    assert not any(w.isVisible() for w in QApplication.topLevelWidgets() if w is not window)
    assert window.caseload.model.rowCount() == 0  # nothing of the caseload left on screen
    assert window.case.visits.model.rowCount() == 0
    assert QApplication.clipboard().text() != "copied by the app"
    assert "Locked" in window.unlock_page.heading.text()

    window.inactivity.set_minutes(5)
    unlock(qtbot, window)
    assert window.pages.currentWidget() is window.case
    assert window.case.child_id == child.id
    assert window.case.tabs.currentIndex() == 1
    qtbot.waitUntil(lambda: window.case.visits.model.rowCount() == 1)
    drafts: list[EntryRow] = read(qtbot, window.session, casework.entries, child.id, "visit")
    assert drafts[0].status == "draft"
    kept = read(qtbot, window.session, records.get_entry, "visit", drafts[0].id)
    assert kept.fields["notes"] == "Half-written narrative when the laptop was left."


def test_ctrl_l_locks_and_a_form_that_cannot_be_saved_is_kept_for_after_unlock(
    qtbot: QtBot, window: MainWindow
) -> None:
    unlock(qtbot, window)
    child = add_child(qtbot, window)
    window.open_child(child.id)
    form = window.case.new_entry("visit")
    assert isinstance(form, VisitForm)
    form.notes.setPlainText("Narrative typed before the date went wrong.")
    form.day.setText("32/13/2026")
    window.activateWindow()
    window.lock_action.trigger()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page, timeout=10_000)
    assert not form.isVisible()

    unlock(qtbot, window)
    qtbot.waitUntil(form.isVisible)
    assert form.notes.toPlainText() == "Narrative typed before the date went wrong."
    form.day.setText("02/11/2026")
    press(qtbot, form, Qt.Key.Key_S)
    wait_idle(qtbot, window.session)
    form.close()


def test_caseload_filters_as_you_type_and_searches_notes(
    qtbot: QtBot, qtmodeltester: Any, window: MainWindow
) -> None:
    unlock(qtbot, window)
    maya = add_child(qtbot, window)
    zoe = read(
        qtbot,
        window.session,
        people.add_child,
        child_details(given_name="Zoe", family_name="Brook-Fairweather-Okonkwo", nhs_number=None),
    )
    from tests.conftest import visit_details

    zoe_name = "Zoe Brook-Fairweather-Okonkwo"
    read(
        qtbot,
        window.session,
        records.create_entry,
        visit_details(maya.id, notes="Smell of damp in the bedroom."),
    )
    window.caseload.reload()
    wait_idle(qtbot, window.session)
    assert window.caseload.proxy.rowCount() == 2
    qtbot.keyClicks(window.caseload.filter, "zoe")
    assert window.caseload.proxy.rowCount() == 1
    window.caseload.filter.setText("damp")
    qtbot.waitUntil(lambda: window.caseload.results.rowCount() == 1, timeout=5_000)
    assert window.caseload.search_box.isVisible()
    assert window.caseload.results.index(0, 0).data() == "Maya Okafor"
    # The child's whole name shows: the column is as wide as it, the words found take the rest.
    read(
        qtbot,
        window.session,
        records.create_entry,
        visit_details(zoe.id, notes="Mould on the bedroom window."),
    )
    window.caseload.filter.setText("mould")
    qtbot.waitUntil(lambda: window.caseload.results.index(0, 0).data() == zoe_name, timeout=5_000)
    table = window.caseload.search_table
    assert table.columnWidth(0) > table.fontMetrics().horizontalAdvance(zoe_name)
    # A visit to a large family names every child: the names stop at two fifths of the page,
    # and the words found still show beside them.
    family = [
        read(
            qtbot,
            window.session,
            people.add_child,
            child_details(given_name=f"Maximiliana{n}", family_name=zoe_name, nhs_number=None),
        ).id
        for n in range(8)
    ]
    read(
        qtbot,
        window.session,
        records.create_entry,
        visit_details(family[0], child_ids=tuple(family), notes="Cockroaches in the kitchen."),
    )
    window.caseload.reload()
    wait_idle(qtbot, window.session)
    window.caseload.filter.setText("cockroach")
    qtbot.waitUntil(lambda: "Maximiliana0" in str(window.caseload.results.index(0, 0).data()))
    assert table.columnWidth(0) <= window.caseload.width() * 2 // 5
    assert table.columnViewportPosition(3) + 100 < table.viewport().width()
    qtmodeltester.check(window.caseload.model)
    qtmodeltester.check(window.caseload.results)


class _Cycle:
    me: "_Cycle | None" = None


def test_a_pause_in_use_collects_the_cycles_frozen_while_the_vault_is_open(
    qtbot: QtBot, window: MainWindow
) -> None:
    # Once the worker falls idle what is alive is frozen out of the collector's passes
    # (gcpause.py); a reference cycle that becomes garbage after that must not wait for the lock.
    unlock(qtbot, window)
    wait_idle(qtbot, window.session)
    held = _Cycle()
    held.me = held
    gone = weakref.ref(held)
    with without_cyclic_gc():  # only the app's own explicit passes
        gc.freeze()
        del held
        assert gone() is not None
        window.quiet.set_minutes(0.002)  # about a tenth of a second of nobody touching it
        qtbot.waitUntil(lambda: gone() is None, timeout=10_000)
    window.quiet.set_minutes(QUIET_MINUTES)
    assert window.session.is_open  # a pause in use is not a lock
