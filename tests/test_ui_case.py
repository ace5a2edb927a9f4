"""The case screens: chronology, entry lists, people, the entry viewer and amendments, on a real
vault through the worker thread."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from practitioner_app.domain.enums import (
    ConcernCategory,
    ConcernLevel,
    EventKind,
    ObservationCategory,
    Significance,
    SourceKind,
    VisitOutcome,
)
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.kinds import KINDS
from practitioner_app.domain.labels import field_label
from practitioner_app.domain.records import (
    ChronologyEventDetails,
    ConcernDetails,
    HouseholdMemberDetails,
    ObservationDetails,
    ProfessionalDetails,
)
from practitioner_app.services import casework, chronology, people, records
from practitioner_app.services.views import EntryView
from practitioner_app.services.workspace import Workspace
from practitioner_app.ui.case.amend import AmendDialog, amendable_fields
from practitioner_app.ui.case.chronology_tab import ChronologyTab
from practitioner_app.ui.case.entry_view import EntryViewer
from practitioner_app.ui.case.models import (
    ROW_ROLE,
    ChronologyModel,
    EntryListModel,
    HouseholdModel,
    ProfessionalModel,
    tooltip,
)
from practitioner_app.ui.case.people_tab import PeopleTab, ProfessionalsTab
from practitioner_app.ui.session import VaultSession
from tests.conftest import AT, child_details, visit_details
from tests.ui_helpers import wait_idle

HOSTILE = "<img src=/etc/passwd>"
NARRATIVE = f"Seen at home. A note read {HOSTILE} & more."
TODAY = date(2026, 11, 23)

# The offscreen platform (headless test runs) says this whenever a window is shown; it is about
# the test platform, not the app. Every other Qt warning still fails the test.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@dataclass(frozen=True)
class Case:
    child_id: str
    visit_id: str  # final, with the hostile narrative
    late_visit_id: str  # final, recorded ten days after
    draft_visit_id: str
    concern_id: str  # final, low, amended
    school_event_id: str  # low significance
    police_event_id: str  # high significance, date uncertain


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

    def final(details: Any, **kw: Any) -> str:
        view: EntryView = records.create_entry(ws, details, **kw)
        records.finalise(ws, view.kind, view.id)
        return view.id

    visit = final(visit_details(child, notes=NARRATIVE), recorded_at=AT + timedelta(hours=2))
    late = final(
        visit_details(
            child,
            occurred_at=AT - timedelta(days=12),
            outcome=VisitOutcome.NO_ACCESS,
            child_seen=None,
            child_seen_alone=None,
            notes="No answer; card left.",
        ),
        recorded_at=AT - timedelta(days=2),
    )
    draft = records.create_entry(ws, visit_details(child, notes="Still writing this up.")).id
    final(
        ObservationDetails(
            child_id=child,
            occurred_at=AT,
            category=ObservationCategory.GROWTH,
            text="Weight on the 50th centile.",
            significant=True,
            weight_kg=8.2,
        )
    )
    concern = final(
        ConcernDetails(
            child_id=child,
            occurred_at=AT,
            category=ConcernCategory.NEGLECT,
            level=ConcernLevel.LOW,
            source="Health visitor",
            summary="Home conditions poor on this visit.\nKitchen unsafe for a crawling baby.",
        )
    )
    records.amend(ws, "concern", concern, "summary", "Home conditions poor.", "Typed too much.")
    school = final(
        ChronologyEventDetails(
            child_id=child,
            occurred_at=AT - timedelta(days=20),
            source="Riverside Nursery",
            kind=EventKind.SCHOOL_CONTACT,
            event="Nursery reported good attendance.",
            source_kind=SourceKind.EDUCATION,
            significance=Significance.LOW,
        )
    )
    police = final(
        ChronologyEventDetails(
            child_id=child,
            occurred_at=AT - timedelta(days=5),
            source="Northshire Police",
            kind=EventKind.POLICE_CONTACT,
            event="Police attended a domestic incident at the home.",
            source_kind=SourceKind.POLICE,
            date_uncertain=True,
            significance=Significance.HIGH,
        )
    )
    for member in (
        HouseholdMemberDetails("Grace Okafor", "Mother", True, True, from_date=date(2025, 3, 14)),
        HouseholdMemberDetails("Tom Reed", "Father", False, True),
        HouseholdMemberDetails(
            "Sam Hale", "Mother's former partner", True, False, to_date=date(2026, 1, 31)
        ),
    ):
        people.add_household_member(ws, child, member)
    people.add_professional(
        ws, child, ProfessionalDetails("Dr Jo Lee", "GP", "Riverside Surgery", lead=True)
    )
    people.add_professional(
        ws,
        child,
        ProfessionalDetails("Ann Cole", "Midwife", "Northshire Trust", to_date=date(2025, 5, 1)),
    )
    return Case(child, visit, late, draft, concern, school, police)


@pytest.fixture
def case(qtbot: QtBot, vault_session: VaultSession) -> Case:
    made: Case = run(qtbot, vault_session, make_case)
    return made


def texts(model: Any, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


# -- models ------------------------------------------------------------------------------------


def test_every_model_passes_the_model_tester_with_real_rows(
    qtbot: QtBot, vault_session: VaultSession, case: Case, qtmodeltester: ModelTester
) -> None:
    rows = run(qtbot, vault_session, chronology.build, case.child_id)
    model = ChronologyModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.rowCount() == len(rows) == 6
    dates = texts(model, ChronologyModel.DATE)
    assert "c. " in dates[rows.index(next(r for r in rows if r.date_uncertain))]
    late = next(i for i, r in enumerate(rows) if r.record_id == case.late_visit_id)
    assert model.index(late, ChronologyModel.RECORDED_BY).data().endswith(" — late entry")
    assert model.index(late, 0).data(Qt.ItemDataRole.FontRole).italic()
    assert model.index(late, 0).data(ROW_ROLE) is rows[late]

    for kind in ("visit", "observation", "concern"):
        entries = EntryListModel()
        entries.set_rows(run(qtbot, vault_session, casework.entries, case.child_id, kind))
        qtmodeltester.check(entries)
        assert entries.rowCount() > 0
        if kind == "visit":
            statuses = texts(entries, EntryListModel.STATUS)
            assert "Draft" in statuses
            assert any(text.endswith("(late entry)") for text in texts(entries, 0))
        if kind == "concern":
            assert texts(entries, EntryListModel.STATUS) == ["Final, amended · open"]
            summary = texts(entries, EntryListModel.SUMMARY)[0]
            assert "\n" not in summary
            assert summary.endswith("…")

    overview = run(qtbot, vault_session, casework.overview, case.child_id)
    household = HouseholdModel()
    household.set_rows(overview.household, TODAY)
    qtmodeltester.check(household)
    professionals = ProfessionalModel()
    professionals.set_rows(overview.professionals, TODAY)
    qtmodeltester.check(professionals)
    assert household.headerData(1, Qt.Orientation.Horizontal) == "Name"


def test_record_text_in_a_tooltip_is_shown_as_typed() -> None:
    assert tooltip(HOSTILE) == "<p>&lt;img src=/etc/passwd&gt;</p>"


# -- chronology tab ---------------------------------------------------------------------------


def shown_ids(tab: ChronologyTab) -> set[str]:
    return {tab.proxy.index(row, 0).data(ROW_ROLE).record_id for row in range(tab.proxy.rowCount())}


def loaded_tab(qtbot: QtBot, session: VaultSession, case: Case) -> ChronologyTab:
    tab = ChronologyTab(session)
    qtbot.addWidget(tab)
    tab.show()
    tab.show_child(case.child_id)
    assert tab.status.text() == "Loading…"
    wait_idle(qtbot, session)
    return tab


def test_chronology_filters_hide_what_they_should(
    qtbot: QtBot, vault_session: VaultSession, case: Case, qtmodeltester: ModelTester
) -> None:
    tab = loaded_tab(qtbot, vault_session, case)
    everything = shown_ids(tab)
    assert {case.school_event_id, case.police_event_id, case.visit_id} <= everything
    assert case.draft_visit_id not in everything
    qtmodeltester.check(tab.proxy)

    tab.significance.setCurrentIndex(tab.significance.findText("High only"))
    assert shown_ids(tab) == {case.police_event_id}
    assert tab.status.text() == f"1 of {len(everything)} entries shown; the filters hide the rest"
    tab.significance.setCurrentIndex(tab.significance.findText("Medium and high"))
    assert case.school_event_id not in shown_ids(tab)
    assert case.late_visit_id in shown_ids(tab)
    tab.significance.setCurrentIndex(0)

    sources = [tab.source.itemText(i) for i in range(tab.source.count())]
    assert sources[0] == "All sources"
    assert "Northshire Police" in sources
    tab.source.setCurrentIndex(tab.source.findText("Riverside Nursery"))
    assert shown_ids(tab) == {case.school_event_id}
    tab.source.setCurrentIndex(0)

    tab.significant_only.setChecked(True)
    assert case.school_event_id not in shown_ids(tab)
    assert case.visit_id not in shown_ids(tab)  # a routine visit, child seen
    tab.significant_only.setChecked(False)

    tab.date_from.setText("01/10/2026")
    assert case.school_event_id not in shown_ids(tab)  # 16/09/2026
    assert case.visit_id in shown_ids(tab)
    tab.date_from.setText("31/02/2026")
    tab.date_from.editingFinished.emit()
    assert tab.date_message.isVisible()
    assert "not a real date" in tab.date_message.text()
    tab.reset_filters()
    assert shown_ids(tab) == everything
    assert not tab.date_message.isVisible()


def test_chronology_opens_an_entry_on_enter_and_refreshes_after_a_change(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    tab = loaded_tab(qtbot, vault_session, case)
    tab.table.setFocus()
    tab.table.selectRow(0)
    first = tab.proxy.index(0, 0).data(ROW_ROLE)
    with qtbot.waitSignal(tab.open_entry) as opened:
        qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert opened.args == [first.record_kind, first.record_id]

    before = tab.model.rowCount()
    vault_session.change(
        records.finalise, "visit", case.draft_visit_id, kind="visit", child_id=case.child_id
    )
    wait_idle(qtbot, vault_session)
    assert tab.model.rowCount() == before + 1
    assert tab.selected() == first  # the selection survives the reload


def test_chronology_clear_forgets_rows_and_drops_a_late_result(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    tab = loaded_tab(qtbot, vault_session, case)
    assert tab.model.rowCount() > 0
    tab.show_child(case.child_id)
    tab.clear()  # the vault locks while the reload is on its way
    wait_idle(qtbot, vault_session)
    assert tab.model.rowCount() == 0
    assert tab.source.count() == 1
    assert tab.status.text() == ""


# -- people -----------------------------------------------------------------------------------


def test_people_tabs_put_the_household_now_first_and_ask_to_add(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    overview = run(qtbot, vault_session, casework.overview, case.child_id)
    household = PeopleTab(vault_session)
    qtbot.addWidget(household)
    assert not household.add_button.isEnabled()
    household.show_overview(overview, TODAY)
    assert texts(household.model, HouseholdModel.NAME) == ["Grace Okafor", "Tom Reed", "Sam Hale"]
    assert texts(household.model, HouseholdModel.NOW) == ["In household", "Involved", "Past"]
    assert household.model.index(2, 1).data(Qt.ItemDataRole.FontRole).italic()
    assert (
        household.status.text() == "1 living with the child now; 1 in the past (shown in italics)"
    )
    with qtbot.waitSignal(household.add_requested):
        qtbot.mouseClick(household.add_button, Qt.MouseButton.LeftButton)

    professionals = ProfessionalsTab(vault_session)
    qtbot.addWidget(professionals)
    professionals.show_overview(overview, TODAY)
    assert texts(professionals.model, ProfessionalModel.NAME) == ["Dr Jo Lee", "Ann Cole"]
    assert texts(professionals.model, ProfessionalModel.LEAD) == ["Lead", ""]
    with qtbot.waitSignal(professionals.add_requested):
        qtbot.mouseClick(professionals.add_button, Qt.MouseButton.LeftButton)

    household.clear()
    professionals.clear()
    assert household.model.rowCount() == professionals.model.rowCount() == 0
    assert not household.add_button.isEnabled()


# -- viewing and amending ---------------------------------------------------------------------


def open_viewer(qtbot: QtBot, session: VaultSession, kind: str, entry_id: str) -> EntryViewer:
    viewer = EntryViewer(session, kind, entry_id)
    qtbot.addWidget(viewer)
    viewer.show()
    wait_idle(qtbot, session)
    assert viewer.view is not None
    return viewer


def test_the_viewer_shows_hostile_text_literally(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    viewer = open_viewer(qtbot, vault_session, "visit", case.visit_id)
    text = viewer.browser.toPlainText()
    assert NARRATIVE in text
    assert "<img" not in viewer.browser.toHtml()
    assert escape(NARRATIVE) in viewer.html
    assert "06/10/2026 11:30" in text  # 10:30 UTC is 11:30 in British Summer Time
    assert "Narrative" in text
    assert "LATE ENTRY" not in text
    assert viewer.amend_button.isEnabled()
    assert not viewer.edit_button.isEnabled()
    assert "passwd" not in viewer.windowTitle()

    late = open_viewer(qtbot, vault_session, "visit", case.late_visit_id)
    assert "LATE ENTRY (recorded 10 days after)" in late.browser.toPlainText()


def test_amending_a_final_visit_keeps_the_original_struck_through(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    viewer = open_viewer(qtbot, vault_session, "visit", case.visit_id)
    dialog = viewer.amend()
    assert isinstance(dialog, AmendDialog)  # a child of the viewer, which deletes it when done
    offered = [dialog.field_box.itemData(i) for i in range(dialog.field_box.count())]
    assert offered == amendable_fields("visit")
    assert "child_ids" not in offered
    dialog.choose_field("notes")
    assert dialog.field_box.currentText() == "Narrative"
    assert dialog.current.toPlainText() == NARRATIVE
    assert dialog.current.isReadOnly()
    dialog.new_value.setPlainText("Seen at home with mother.")
    dialog.reason.setPlainText("The note quoted was not from this family.")
    with qtbot.waitSignal(dialog.amended):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, vault_session)

    assert not [shown for shown in viewer.findChildren(AmendDialog) if shown.isVisible()]
    assert f"<s>{escape(NARRATIVE)}</s>" in viewer.html
    shown = viewer.browser.toPlainText()
    assert NARRATIVE in shown
    assert "Seen at home with mother." in shown
    assert "The note quoted was not from this family." in shown
    assert "Final, amended" in shown
    stored: EntryView = run(qtbot, vault_session, records.get_entry, "visit", case.visit_id)
    assert stored.fields["notes"] == NARRATIVE
    [amendment] = stored.amendments
    assert (amendment.field, amendment.new_value) == ("notes", "Seen at home with mother.")
    assert amendment.reason == "The note quoted was not from this family."


def test_an_amendment_without_a_reason_is_refused_beside_the_reason(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    viewer = open_viewer(qtbot, vault_session, "visit", case.visit_id)
    dialog = viewer.amend()
    assert dialog is not None
    dialog.choose_field("child_voice")
    assert dialog.field_box.currentText() == field_label("visit", "child_voice")
    dialog.new_value.setPlainText("Said she likes the park.")
    dialog.reason.setPlainText("   ")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, vault_session)

    messages = [
        label
        for label in dialog.findChildren(QLabel)
        if label.accessibleName() == "Problem with Reason" and label.isVisible()
    ]
    assert len(messages) == 1
    assert "reason" in messages[0].text()
    assert dialog.isVisible()
    stored: EntryView = run(qtbot, vault_session, records.get_entry, "visit", case.visit_id)
    assert stored.amendments == ()


def test_a_draft_is_edited_not_amended(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    viewer = open_viewer(qtbot, vault_session, "visit", case.draft_visit_id)
    assert not viewer.amend_button.isEnabled()
    assert viewer.amend() is None
    assert viewer.edit_button.isEnabled()
    assert "Draft" in viewer.browser.toPlainText()
    with qtbot.waitSignal(viewer.edit_requested) as asked:
        qtbot.mouseClick(viewer.edit_button, Qt.MouseButton.LeftButton)
    assert asked.args == ["visit", case.draft_visit_id]
    assert not viewer.isVisible()


def test_an_amended_concern_shows_both_versions_and_locking_closes_the_viewer(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    viewer = open_viewer(qtbot, vault_session, "concern", case.concern_id)
    assert "<s>Home conditions poor on this visit.<br>Kitchen unsafe" in viewer.html
    assert "Typed too much." in viewer.browser.toPlainText()
    with qtbot.waitSignal(vault_session.locked):
        vault_session.lock()
    assert not viewer.isVisible()
    assert viewer.browser.toPlainText() == ""


def test_every_amendable_field_has_a_plain_english_label() -> None:
    for kind in KINDS:
        for name in amendable_fields(kind):
            assert "_" not in field_label(kind, name)
    assert field_label("visit", "child_seen_alone") == "Seen alone"


def test_the_visits_list_gives_the_childs_words_their_own_column(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    from practitioner_app.services import casework
    from practitioner_app.ui.case.models import VisitListModel
    from tests.conftest import visit_details

    def made(ws: Any) -> Any:
        child = people.add_child(ws, child_details()).id
        records.create_entry(ws, visit_details(child, child_voice="I like the red car."))
        return casework.entries(ws, child, "visit")

    rows = run(qtbot, vault_session, made)
    model = VisitListModel()
    model.set_rows(rows)
    assert model.headerData(VisitListModel.CHILD_WORDS, Qt.Orientation.Horizontal) == (
        "The child's words"
    )
    assert model.index(0, VisitListModel.CHILD_WORDS).data() == "I like the red car."
    assert "red car" not in model.index(0, VisitListModel.SUMMARY).data()
