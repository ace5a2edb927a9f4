"""Safeguarding alerts in the desktop app: the caseload's Alerts column filled in after the list
appears, the overview's alerts panel with its records as links and its as-of date, and the critical
alert shown the moment an injury to a non-mobile child is saved. Real widgets, a real encrypted
vault, through the worker thread."""

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTextBrowser
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from practitioner_app.domain.alerts import NON_MOBILE_NEXT_STEPS
from practitioner_app.domain.enums import EventKind, ObservationCategory, SourceKind
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.records import (
    HouseholdMemberDetails,
    InjuryDetails,
    ObservationDetails,
)
from practitioner_app.domain.times import format_uk_date, now_utc, uk_date
from practitioner_app.services import alerts as alert_service
from practitioner_app.services import forms, people, records
from practitioner_app.services.workspace import Workspace
from practitioner_app.ui import caseload as caseload_page
from practitioner_app.ui.alert_dialog import CriticalAlertDialog
from practitioner_app.ui.case.models import ROW_ROLE
from practitioner_app.ui.case.workspace import TABS, CaseWorkspace
from practitioner_app.ui.caseload import ALERT_SETTLE_MS, CaseloadPage
from practitioner_app.ui.caseload_models import NOT_WORKED_OUT, CaseloadModel
from practitioner_app.ui.forms.event import ChronologyEventForm
from practitioner_app.ui.forms.observation import ObservationForm
from practitioner_app.ui.forms.structured import StructuredForm
from practitioner_app.ui.forms.visit import VisitForm
from practitioner_app.ui.main_window import MainWindow
from practitioner_app.ui.session import VaultSession
from tests.conftest import child_details
from tests.ui_helpers import agree_to_finalise, unlock_window, wait_idle

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TODAY = uk_date(now_utc())
INJURY_DAY = TODAY - timedelta(days=5)


@pytest.fixture(autouse=True)
def _today() -> None:
    """Today as each test starts: worked out once at import, it went stale in a run that
    crossed midnight, and the app's own "today" no longer matched it."""
    global TODAY, INJURY_DAY
    TODAY = uk_date(now_utc())
    INJURY_DAY = TODAY - timedelta(days=5)


@dataclass(frozen=True)
class Caseload:
    baby: str  # three months old, a bruise recorded five days ago (a draft)
    baby_injury: str
    toddler: str  # two years old, two injuries this year: a warning, not critical
    older: str  # five years old, nothing recorded: no alerts
    partner: str  # a new adult in the baby's household, no checks recorded


def run(qtbot: QtBot, session: VaultSession, service: Callable[..., Any], *args: Any) -> Any:
    """A service call through the worker, waited for, as the screens make it."""
    results: list[Any] = []
    problems: list[Problem] = []
    session.call(service, *args, done=results.append, failed=problems.append)
    wait_idle(qtbot, session)
    if problems:
        raise problems[0]
    return results[0]


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


def _child(ws: Workspace, name: str, days_old: int) -> str:
    details = child_details(
        given_name=name, date_of_birth=TODAY - timedelta(days=days_old), nhs_number=None
    )
    return people.add_child(ws, details).id


def _injury(ws: Workspace, child: str, day: date) -> str:
    details = ObservationDetails(
        child,
        _at(day),
        ObservationCategory.INJURY,
        "Small bruise on the left cheek.",
        injury=InjuryDetails(body_regions=("Face",), description="Bruise 1 cm"),
    )
    return records.create_entry(ws, details).id


def make_caseload(ws: Workspace) -> Caseload:
    baby = _child(ws, "Ada", 90)
    injury = _injury(ws, baby, INJURY_DAY)
    partner = people.add_household_member(
        ws,
        baby,
        HouseholdMemberDetails(
            "Jordan Reid", "mother's partner", True, from_date=TODAY - timedelta(days=20)
        ),
    )
    toddler = _child(ws, "Cara", 730)
    _injury(ws, toddler, TODAY - timedelta(days=40))
    _injury(ws, toddler, TODAY - timedelta(days=10))
    older = _child(ws, "Ben", 5 * 365)
    return Caseload(baby, injury, toddler, older, partner)


@pytest.fixture
def caseload(qtbot: QtBot, vault_session: VaultSession) -> Caseload:
    made: Caseload = run(qtbot, vault_session, make_caseload)
    return made


# -- the caseload ----------------------------------------------------------------------------------


def open_caseload(qtbot: QtBot, session: VaultSession) -> CaseloadPage:
    page = CaseloadPage(session)
    qtbot.addWidget(page)
    page.resize(1100, 500)
    page.show()
    page.reload()
    return page


def alerts_cell(page: CaseloadPage, child_id: str, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    model = page.model
    [row] = [r for r in range(model.rowCount()) if model.row_at(r).id == child_id]
    return model.index(row, CaseloadModel.ALERTS).data(role)


def names_in_order(page: CaseloadPage) -> list[str]:
    proxy = page.proxy
    return [proxy.index(r, CaseloadModel.NAME).data().split()[0] for r in range(proxy.rowCount())]


def counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[tuple[Any, ...]]:
    """Count the calls the screens make to one alerts service (on the worker thread)."""
    calls: list[tuple[Any, ...]] = []
    real = getattr(alert_service, name)

    def count(*args: Any) -> Any:
        calls.append(args[1:])  # without the workspace
        return real(*args)

    monkeypatch.setattr(alert_service, name, count)
    return calls


def held_caseload_alerts(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, list[object]]:
    """Working out a whole caseload is slow; here it waits until the test sets the event. The
    list collects the day each call was asked for."""
    release = threading.Event()
    calls: list[object] = []
    real = alert_service.for_caseload

    def slow(ws: Workspace, as_of: date | None = None, child_ids: list[str] | None = None) -> Any:
        calls.append(as_of)
        release.wait(timeout=30)
        return real(ws, as_of, child_ids)

    monkeypatch.setattr(alert_service, "for_caseload", slow)
    return release, calls


def test_the_caseload_appears_first_and_its_alerts_fill_in_from_one_background_call(
    qtbot: QtBot,
    vault_session: VaultSession,
    caseload: Caseload,
    monkeypatch: pytest.MonkeyPatch,
    qtmodeltester: ModelTester,
) -> None:
    release, calls = held_caseload_alerts(monkeypatch)
    try:
        page = open_caseload(qtbot, vault_session)
        qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
        assert alerts_cell(page, caseload.baby) == NOT_WORKED_OUT
        assert "Working out" in alerts_cell(page, caseload.baby, Qt.ItemDataRole.ToolTipRole)
    finally:
        release.set()
    wait_idle(qtbot, vault_session)

    assert calls == [TODAY]
    # The 3-month-old's bruise is critical; a new adult and the missed mandated contacts are more.
    assert alerts_cell(page, caseload.baby) == "● 1 critical + 2 more"
    assert alerts_cell(page, caseload.toddler).startswith("▲ 1 warning")
    assert alerts_cell(page, caseload.older) == ""
    assert page.count.text() == "3 children; 1 with a critical alert"
    tip = alerts_cell(page, caseload.baby, Qt.ItemDataRole.ToolTipRole)
    assert "Injury to a non-mobile child (critical)" in tip
    assert "New adult in the household (warning)" in tip
    assert "Prompts to professional judgement, not findings." in tip
    # Red, with the word: colour is never the only sign.
    background = alerts_cell(page, caseload.baby, Qt.ItemDataRole.BackgroundRole)
    assert isinstance(background, QColor)
    assert background.name() == "#b3261e"
    assert alerts_cell(page, caseload.older, Qt.ItemDataRole.BackgroundRole) is None
    spoken = alerts_cell(page, caseload.baby, Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == "3 alerts: 1 critical, 1 warning, 1 info"
    qtmodeltester.check(page.model)


def test_a_caseload_sorted_by_alerts_reorders_when_they_arrive(
    qtbot: QtBot,
    qtmodeltester: Any,
    vault_session: VaultSession,
    caseload: Caseload,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The caseload sorts itself (issue 19): sorted by Alerts before any are worked out, it
    moves the child with the critical alert to its end of the order once the alerts arrive, and
    the selected child stays selected as the rows move."""
    release, _ = held_caseload_alerts(monkeypatch)
    try:
        page = open_caseload(qtbot, vault_session)
        qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
        page.table.sortByColumn(CaseloadModel.ALERTS, Qt.SortOrder.AscendingOrder)
        before = [page.proxy.index(r, 0).data(ROW_ROLE).id for r in range(3)]
        # Nothing worked out yet: every child sorts alike, so the order given is kept.
        assert before == [row.id for row in page.model.rows()]
        assert before[-1] != caseload.baby  # sorting has work to do once the alerts arrive
        page.table.selectRow(before.index(caseload.baby))
    finally:
        release.set()
    wait_idle(qtbot, vault_session)
    model = page.model
    shown = [page.proxy.index(r, 0).data(ROW_ROLE).id for r in range(3)]
    assert shown[-1] == caseload.baby
    values = [model.sort_value(model.row_at(r), model.ALERTS) for r in range(3)]
    assert values == sorted(values)
    [selected] = page.table.selectionModel().selectedRows()
    assert selected.data(ROW_ROLE).id == caseload.baby
    qtmodeltester.check(page.proxy)


def test_a_large_caseload_is_worked_out_in_slices_with_the_worker_free_between(
    qtbot: QtBot,
    vault_session: VaultSession,
    caseload: Caseload,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(caseload_page, "ALERT_SLICE", 2)
    slices: list[list[str]] = []
    real = alert_service.for_caseload

    def sliced(ws: Workspace, as_of: date | None = None, child_ids: list[str] | None = None) -> Any:
        slices.append(list(child_ids or []))
        return real(ws, as_of, child_ids)

    monkeypatch.setattr(alert_service, "for_caseload", sliced)
    page = open_caseload(qtbot, vault_session)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
    wait_idle(qtbot, vault_session)
    assert [len(s) for s in slices] == [2, 1]
    assert sorted(c for s in slices for c in s) == sorted(
        [caseload.baby, caseload.toddler, caseload.older]
    )
    assert alerts_cell(page, caseload.baby) == "● 1 critical + 2 more"
    assert alerts_cell(page, caseload.older) == ""


def test_the_alerts_column_sorts_the_critical_first(
    qtbot: QtBot, vault_session: VaultSession, caseload: Caseload
) -> None:
    page = open_caseload(qtbot, vault_session)
    qtbot.waitExposed(page)
    wait_idle(qtbot, vault_session)
    assert names_in_order(page) == ["Ada", "Ben", "Cara"]  # by name, as it opens

    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(CaseloadModel.ALERTS) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert names_in_order(page) == ["Ada", "Cara", "Ben"]  # critical, warning, none


def test_the_caseload_column_follows_a_save_without_working_out_the_whole_caseload_again(
    qtbot: QtBot, vault_session: VaultSession, caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = open_caseload(qtbot, vault_session)
    wait_idle(qtbot, vault_session)
    assert alerts_cell(page, caseload.older) == ""
    whole = counting(monkeypatch, "for_caseload")
    one = counting(monkeypatch, "for_child")

    # Ben, at five, is not non-mobile: two injuries saved in a burst are one warning.
    for day in (TODAY - timedelta(days=3), TODAY - timedelta(days=1)):
        details = ObservationDetails(
            caseload.older,
            _at(day),
            ObservationCategory.INJURY,
            "Graze on the knee.",
            injury=InjuryDetails(("Left lower leg",)),
        )
        vault_session.change(
            records.create_entry, details, kind="observation", child_id=caseload.older
        )
    qtbot.waitUntil(lambda: alerts_cell(page, caseload.older) == "▲ 1 warning", timeout=10_000)
    assert "Repeated injuries" in alerts_cell(page, caseload.older, Qt.ItemDataRole.ToolTipRole)
    wait_idle(qtbot, vault_session)
    assert whole == []
    assert one == [(caseload.older, TODAY)]  # once, after the burst settled
    assert ALERT_SETTLE_MS <= 1000  # quick enough to follow a save


# -- the overview's alerts panel --------------------------------------------------------------


def open_case(qtbot: QtBot, session: VaultSession, child_id: str) -> CaseWorkspace:
    workspace = CaseWorkspace(session)
    qtbot.addWidget(workspace)
    workspace.resize(1100, 800)
    workspace.show()
    qtbot.waitExposed(workspace)
    workspace.show_child(child_id, tab=TABS.index("Overview"))
    wait_idle(qtbot, session)
    return workspace


def click_link(qtbot: QtBot, browser: QTextBrowser, text: str) -> None:
    """Click the middle of a link, found by the words it shows."""
    found = browser.document().find(text)
    assert not found.isNull(), f"no link {text!r}"
    middle = QTextCursor(browser.document())
    middle.setPosition((found.selectionStart() + found.selectionEnd()) // 2)
    browser.setTextCursor(middle)
    browser.ensureCursorVisible()
    point = browser.cursorRect(middle).center()
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_the_overview_lists_each_alert_with_its_records_as_links_that_open_them(
    qtbot: QtBot, vault_session: VaultSession, caseload: Caseload
) -> None:
    workspace = open_case(qtbot, vault_session, caseload.baby)
    panel = workspace.overview_tab.alerts
    assert panel.isVisibleTo(workspace)
    assert panel.about.text() == "Prompts to professional judgement, not findings."
    assert panel.as_of.text() == format_uk_date(TODAY)
    assert panel.heading.text() == "Safeguarding alerts (3)"
    text = panel.browser.toPlainText()
    assert (
        text.index("CRITICAL") < text.index("Injury to a non-mobile child") < text.index("WARNING")
    )
    assert f"Injury recorded on {format_uk_date(INJURY_DAY)}" in text
    assert "Next steps:" in text
    assert all(step in text for step in NON_MOBILE_NEXT_STEPS)
    observation_link = f"Observation {format_uk_date(INJURY_DAY)}"
    partner_from = format_uk_date(TODAY - timedelta(days=20))
    assert f"Records: {observation_link}" in text
    assert f"Household member Jordan Reid (from {partner_from})" in text

    click_link(qtbot, panel.browser, observation_link)
    wait_idle(qtbot, vault_session)
    opened = workspace.dialogs[-1]
    assert isinstance(opened, ObservationForm)  # a draft opens in its form
    assert opened.entry_id == caseload.baby_injury

    opened.reject()
    click_link(qtbot, panel.browser, "Household member Jordan Reid")
    assert workspace.tabs.currentWidget() is workspace.people
    [selected] = workspace.people.table.selectionModel().selectedRows()
    assert selected.data(ROW_ROLE).id == caseload.partner


def test_an_earlier_as_of_date_shows_the_alerts_as_they_were(
    qtbot: QtBot, vault_session: VaultSession, caseload: Caseload
) -> None:
    workspace = open_case(qtbot, vault_session, caseload.baby)
    panel = workspace.overview_tab.alerts
    assert "Injury to a non-mobile child" in panel.browser.toPlainText()

    day_before = INJURY_DAY - timedelta(days=1)
    panel.as_of.selectAll()
    QTest.keyClicks(panel.as_of, format_uk_date(day_before))
    QTest.keyClick(panel.as_of, Qt.Key.Key_Return)
    wait_idle(qtbot, vault_session)
    assert "Injury to a non-mobile child" not in panel.browser.toPlainText()
    assert panel.heading.text().endswith(f"as of {format_uk_date(day_before)} (looking back)")

    born = TODAY - timedelta(days=90)
    panel.set_as_of(born)
    wait_idle(qtbot, vault_session)
    assert panel.browser.toPlainText().strip() == f"No alerts as of {format_uk_date(born)}."

    # A date after today is refused, beside the date; the alerts shown stay as they were.
    panel.set_as_of(TODAY + timedelta(days=1))
    assert panel.problem.isVisibleTo(panel)
    assert "up to today" in panel.problem.text()
    qtbot.mouseClick(panel.today_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, vault_session)
    assert not panel.problem.isVisibleTo(panel)
    assert "Injury to a non-mobile child" in panel.browser.toPlainText()


def test_the_panel_refreshes_when_the_childs_records_change(
    qtbot: QtBot, vault_session: VaultSession, caseload: Caseload
) -> None:
    workspace = open_case(qtbot, vault_session, caseload.baby)
    panel = workspace.overview_tab.alerts
    assert "Injury to a non-mobile child" in panel.browser.toPlainText()

    # Another child: nothing of the last child's alerts, and no "No alerts" before they are known.
    workspace.show_child(caseload.older)
    panel.set_names({})  # as when the overview arrives first
    assert panel.browser.toPlainText().strip() == "Working out the alerts…"
    assert panel.heading.text() == "Safeguarding alerts"
    wait_idle(qtbot, vault_session)
    assert panel.browser.toPlainText().strip() == f"No alerts as of {format_uk_date(TODAY)}."
    for day in (TODAY - timedelta(days=3), TODAY - timedelta(days=1)):
        vault_session.change(
            _injury_for(caseload.older, day), kind="observation", child_id=caseload.older
        )
    wait_idle(qtbot, vault_session)
    assert "Repeated injuries or hospital attendances" in panel.browser.toPlainText()


def _injury_for(child: str, day: date) -> Callable[[Workspace], str]:
    return lambda ws: _injury(ws, child, day)


# -- the critical alert at the moment of saving ---------------------------------------------------


@pytest.fixture
def babies(qtbot: QtBot, vault_session: VaultSession) -> tuple[str, str]:
    """A three-month-old and a two-year-old, neither with any injury yet."""

    def make(ws: Workspace) -> tuple[str, str]:
        return _child(ws, "Ada", 90), _child(ws, "Cara", 730)

    made: tuple[str, str] = run(qtbot, vault_session, make)
    return made


def critical_dialogs() -> list[CriticalAlertDialog]:
    return [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, CriticalAlertDialog) and widget.isVisible()
    ]


def fill_injury(form: ObservationForm, text: str = "Bruise on the left cheek, 1 cm.") -> None:
    form.category.set_value(ObservationCategory.INJURY)
    form.text.setPlainText(text)
    form.set_regions(["Face"])
    form.description.setPlainText("Blue-grey bruise, 1 cm")


@pytest.fixture
def no_dialogs_left() -> Iterator[None]:
    yield
    for dialog in critical_dialogs():
        dialog.done(0)


def test_a_draft_injury_to_a_three_month_old_brings_up_the_critical_alert_and_the_marf(
    qtbot: QtBot, vault_session: VaultSession, babies: tuple[str, str], no_dialogs_left: None
) -> None:
    baby, _ = babies
    workspace = open_case(qtbot, vault_session, baby)
    form = workspace.new_entry("observation")
    assert isinstance(form, ObservationForm)
    fill_injury(form)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)  # a draft only
    wait_idle(qtbot, vault_session)

    assert form.entry_id is not None  # saved, not held up
    assert form.status == "draft"
    [dialog] = critical_dialogs()
    assert dialog.windowTitle() == "Injury to a non-mobile child"
    assert dialog.isModal()
    born = format_uk_date(TODAY - timedelta(days=90))
    assert dialog.child.text().startswith(f"Ada Okafor, born {born} (")  # whose record
    assert dialog.message.text().startswith(f"Injury recorded on {format_uk_date(TODAY)}")
    assert "same-day paediatric assessment" in dialog.message.text()
    assert dialog.steps == list(NON_MOBILE_NEXT_STEPS)
    assert "Arrange a same-day paediatric assessment" in dialog.next_steps.text()
    assert form.entry_id in dialog.alert.evidence
    assert dialog.read_button.isDefault()

    qtbot.mouseClick(dialog.referral_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, vault_session)
    assert critical_dialogs() == []
    editor = workspace.dialogs[-1]
    assert isinstance(editor, StructuredForm)
    assert editor.windowTitle() == "Multi-agency referral form"
    assert editor.view.child.id == baby
    # The reason and the concerns carry the injury the alert was about.
    reason = editor.view.details.sections["reason"]
    assert reason.startswith("Alert: Injury recorded on")
    assert "Site: Face. Description: Blue-grey bruise, 1 cm." in reason
    assert "Site: Face." in editor.view.details.sections["concerns"]
    first_referral = editor.view.id
    editor.reject()
    wait_idle(qtbot, vault_session)

    # A second injury's alert leads to the same draft referral, not a second one.
    second = workspace.new_entry("observation")
    assert isinstance(second, ObservationForm)
    fill_injury(second, "A second bruise, right ear.")
    second.save_draft()
    wait_idle(qtbot, vault_session)
    [again] = critical_dialogs()
    qtbot.mouseClick(again.referral_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, vault_session)
    reopened = workspace.dialogs[-1]
    assert isinstance(reopened, StructuredForm)
    assert reopened.view.id == first_referral
    assert len(run(qtbot, vault_session, forms.for_child, baby)) == 1


def test_the_critical_alert_is_shown_once_for_each_record(
    qtbot: QtBot, vault_session: VaultSession, babies: tuple[str, str], no_dialogs_left: None
) -> None:
    baby, _ = babies
    workspace = open_case(qtbot, vault_session, baby)
    form = workspace.new_entry("observation")
    assert isinstance(form, ObservationForm)
    fill_injury(form)
    form.save_draft()
    wait_idle(qtbot, vault_session)
    [dialog] = critical_dialogs()
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    assert critical_dialogs() == []

    # The same record saved again, then finalised: nothing new to say.
    form.text.setPlainText("Bruise on the left cheek, 1 cm; mother says he rolled into the cot.")
    form.save_draft()
    wait_idle(qtbot, vault_session)
    assert critical_dialogs() == []
    agree_to_finalise(form)
    with qtbot.waitSignal(form.finished, timeout=30_000):
        form.finalise()
    wait_idle(qtbot, vault_session)
    assert critical_dialogs() == []

    # A second injury is a new record: the alert is shown for it.
    second = workspace.new_entry("observation")
    assert isinstance(second, ObservationForm)
    fill_injury(second, "A second bruise, right ear.")
    second.save_draft()
    wait_idle(qtbot, vault_session)
    [again] = critical_dialogs()
    assert second.entry_id in again.alert.evidence


def test_an_injury_to_a_two_year_old_brings_up_no_critical_alert(
    qtbot: QtBot, vault_session: VaultSession, babies: tuple[str, str], no_dialogs_left: None
) -> None:
    _, toddler = babies
    workspace = open_case(qtbot, vault_session, toddler)
    form = workspace.new_entry("observation")
    assert isinstance(form, ObservationForm)
    fill_injury(form)
    form.save_draft()
    wait_idle(qtbot, vault_session)
    assert form.entry_id is not None
    assert critical_dialogs() == []


def test_an_injury_recorded_at_a_visit_or_as_an_event_brings_up_the_critical_alert(
    qtbot: QtBot, vault_session: VaultSession, babies: tuple[str, str], no_dialogs_left: None
) -> None:
    baby, _ = babies
    workspace = open_case(qtbot, vault_session, baby)

    # An observation added inside the visit form.
    visit = workspace.new_entry("visit")
    assert isinstance(visit, VisitForm)
    visit.add_observation()  # saves the visit as a draft first
    wait_idle(qtbot, vault_session)
    observation = visit.findChild(ObservationForm)
    assert isinstance(observation, ObservationForm)
    fill_injury(observation)
    observation.save_draft()
    wait_idle(qtbot, vault_session)
    [dialog] = critical_dialogs()
    assert observation.entry_id in dialog.alert.evidence
    # The MARF opens usable above the observation form, which is modal over the visit.
    qtbot.mouseClick(dialog.referral_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, vault_session)
    editor = workspace.dialogs[-1]
    assert isinstance(editor, StructuredForm)
    assert editor.isModal()
    editor.reject()
    observation.reject()
    visit.reject()
    wait_idle(qtbot, vault_session)

    # An event from another agency: the hospital reports an injury.
    event = workspace.new_entry("chronology_event")
    assert isinstance(event, ChronologyEventForm)
    event.date.set_date(TODAY - timedelta(days=1))
    event.source.setText("Northshire General Hospital")
    event.source_kind.set_value(SourceKind.HEALTH)
    event.event_kind.set_value(EventKind.INJURY)
    event.what_happened.setPlainText("Seen in A&E with a bruise to the forehead.")
    event.save_draft()
    wait_idle(qtbot, vault_session)
    [dialog] = critical_dialogs()
    assert event.entry_id in dialog.alert.evidence


# -- the lock ---------------------------------------------------------------------------------


def test_an_unread_critical_alert_is_hidden_by_the_lock_and_shown_again_after_it(
    qtbot: QtBot, window: MainWindow, no_dialogs_left: None
) -> None:
    unlock_window(qtbot, window)
    baby: str = run(qtbot, window.session, lambda ws: _child(ws, "Ada", 90))
    window.open_child(baby)
    wait_idle(qtbot, window.session)
    form = window.case.new_entry("observation")
    assert isinstance(form, ObservationForm)
    fill_injury(form)
    form.save_draft()
    wait_idle(qtbot, window.session)
    [dialog] = critical_dialogs()

    window.lock_action.trigger()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page, timeout=10_000)
    wait_idle(qtbot, window.session)
    assert critical_dialogs() == []  # nothing of the record on screen while locked

    unlock_window(qtbot, window)
    assert critical_dialogs() == [dialog]  # still to be read


def test_an_injury_is_ticked_significant_as_soon_as_it_is_filed_as_one(
    qtbot: QtBot, vault_session: VaultSession, babies: tuple[str, str], no_dialogs_left: None
) -> None:
    _, toddler = babies
    workspace = open_case(qtbot, vault_session, toddler)
    form = workspace.new_entry("observation")
    assert isinstance(form, ObservationForm)
    assert not form.significant.isChecked()
    form.category.set_value(ObservationCategory.INJURY)
    assert form.significant.isChecked()
    assert "Chronology tab" in form.significant.toolTip()


def test_the_count_of_children_with_a_critical_alert_follows_every_change() -> None:
    # The count under the caseload filter is asked for at every key typed, and worked out once
    # for each change: it must never lag behind the rows or the alerts.
    from practitioner_app.domain.alerts import Alert, Severity
    from practitioner_app.services.casework import CaseloadRow

    def child(name: str) -> CaseloadRow:
        return CaseloadRow(
            id=name, name=name, date_of_birth=date(2025, 3, 14), expected_date=None,
            age="1 year", nhs_number=None, open_concerns=0, highest_open_level=None,
            lead_professional=None, last_seen=None, drafts=0,
        )  # fmt: skip

    def alert(severity: Severity) -> Alert:
        return Alert("NON_MOBILE_INJURY", severity, "…", ("x",), date(2026, 1, 1), date(2026, 1, 1))

    model = CaseloadModel()
    model.set_rows([child("a"), child("b")])
    assert model.with_critical_alerts() == 0
    model.replace_alerts({"a": [alert(Severity.CRITICAL)], "b": []})
    assert model.with_critical_alerts() == 1
    model.set_child_alerts("b", [alert(Severity.CRITICAL)])
    assert model.with_critical_alerts() == 2
    model.set_child_alerts("a", None)
    assert model.with_critical_alerts() == 1
    model.set_rows([child("a")])  # b left the caseload
    assert model.with_critical_alerts() == 0
    model.set_child_alerts("a", [alert(Severity.WARNING)])
    assert model.with_critical_alerts() == 0
    # Asked for while the old rows are still in place (as a reset begins): not kept after it.
    model.modelAboutToBeReset.connect(model.with_critical_alerts)
    model.set_rows([child("a"), child("b")])
    assert model.with_critical_alerts() == 1
    model.modelAboutToBeReset.disconnect(model.with_critical_alerts)
