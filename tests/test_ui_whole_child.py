"""Issue 17 item 5 on screen: the child form holds every field DOMAIN.md lists, in sections that
fit a 1280x800 screen and tab in reading order; household members take phone numbers and an
address; the caseload filter finds a child by any name they go by; the MARF's new answers appear
when they apply."""

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from practitioner_app.domain.enums import Consent
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.services import casework
from practitioner_app.ui.caseload_models import CaseloadFilter, CaseloadModel
from practitioner_app.ui.forms.people import ChildForm, HouseholdMemberForm
from practitioner_app.ui.forms.structured_answers import ChoiceAnswer, ConsentAnswer, DateAnswer
from practitioner_app.ui.session import VaultSession
from tests.test_folding import _row
from tests.test_forms import Case
from tests.test_ui_forms import add_child, message, read, saved_by_ctrl_s, show
from tests.test_ui_forms_tab import answer, case, open_case, row, start
from tests.ui_helpers import wait_idle

_ = case  # the fixture, imported for use here
TODAY = uk_date(now_utc())


@pytest.fixture(autouse=True)
def _today() -> None:
    """Today as each test starts: worked out once at import, it went stale in a run that
    crossed midnight, and the app's own "today" no longer matched it."""
    global TODAY
    TODAY = uk_date(now_utc())


def _typed_date(day: object) -> str:
    return f"{day:%d/%m/%Y}"


def test_the_child_form_tabs_through_every_field_in_reading_order(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    form = ChildForm(vault_session)
    show(qtbot, form)
    fields = [
        form.given_name, form.family_name, form.preferred_name, form.other_names,
        form.date_of_birth, form.expected_date, form.sex, form.gestation, form.nhs_number,
        form.first_language, form.interpreter_needed, form.communication,
        form.non_mobile, form.non_mobile_from, form.mobile_since,
        form.address, form.postcode, form.gp, form.school,
        form.ethnicity, form.religion, form.disability,
    ]  # fmt: skip
    assert QApplication.focusWidget() is form.given_name
    visited: list[QWidget] = []
    for _ in fields:
        focused = QApplication.focusWidget()
        assert focused is not None
        visited.append(focused)
        QTest.keyClick(focused, Qt.Key.Key_Tab)
    assert visited == fields
    assert QApplication.focusWidget() is form.save_button


def test_the_child_form_fits_a_1280_by_800_screen(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    form = ChildForm(vault_session)
    show(qtbot, form)
    assert form.frameGeometry().height() <= 760
    assert form.frameGeometry().width() <= 1280


def test_every_new_child_field_is_typed_saved_and_shown_again(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    form = ChildForm(vault_session)
    show(qtbot, form)
    born = TODAY - timedelta(days=300)
    mobile = TODAY - timedelta(days=20)
    QTest.keyClicks(form.given_name, "Maja")
    QTest.keyClicks(form.family_name, "Nowak")
    QTest.keyClicks(form.preferred_name, "Mimi")
    form.other_names.setPlainText("Łucja Nowak\n\n  Maya Carter  ")
    QTest.keyClicks(form.date_of_birth, _typed_date(born))
    QTest.keyClicks(form.communication, "BSL")
    QTest.keyClick(form, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # the tick's mnemonic
    qtbot.waitUntil(form.non_mobile.isChecked)  # a mnemonic clicks after a short animation
    QTest.keyClicks(form.mobile_since, _typed_date(mobile))
    summary = saved_by_ctrl_s(qtbot, form)
    assert form.result() == QDialog.DialogCode.Accepted

    details = read(qtbot, vault_session, casework.overview, summary.id).details
    assert details.preferred_name == "Mimi"
    assert details.other_names == ("Łucja Nowak", "Maya Carter")
    assert details.communication == "BSL"
    assert (details.non_mobile, details.non_mobile_from, details.mobile_since) == (
        True,
        None,
        mobile,
    )
    again = ChildForm(vault_session, (summary.id, details))
    show(qtbot, again)
    assert again.other_names.toPlainText() == "Łucja Nowak\nMaya Carter"
    assert again.non_mobile.isChecked()
    assert again.mobile_since.text() == _typed_date(mobile)
    assert again.communication.text() == "BSL"


@pytest.mark.parametrize(
    ("field", "typed", "label", "words"),
    [
        ("non_mobile_from", "31/02/2026", "Non-mobile from", "is not a real date"),
        ("mobile_since", "yesterday", "Mobile since", "is not a real date"),
        ("mobile_since", "before", "Mobile since", "on or before 'Non-mobile from'"),
        ("other_names", "x" * 201, "Other names", "more than the 200"),
        ("communication", "B" * 501, "Preferred way of communicating", "more than the 500"),
    ],
)
def test_a_bad_child_field_is_named_under_it_and_nothing_is_saved(
    qtbot: QtBot, vault_session: VaultSession, field: str, typed: str, label: str, words: str
) -> None:
    form = ChildForm(vault_session)
    show(qtbot, form)
    QTest.keyClicks(form.given_name, "Maja")
    QTest.keyClicks(form.family_name, "Nowak")
    QTest.keyClicks(form.date_of_birth, _typed_date(TODAY - timedelta(days=300)))
    form.non_mobile.setChecked(True)
    if typed == "before":
        QTest.keyClicks(form.non_mobile_from, _typed_date(TODAY - timedelta(days=10)))
        typed = _typed_date(TODAY - timedelta(days=40))
    widget = getattr(form, field)
    if field == "other_names":
        widget.setPlainText(typed)
    else:
        widget.setText(typed)
    QTest.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, vault_session)
    problem = message(form, label)
    assert not problem.isHidden()
    assert words in problem.text()
    assert form.isVisible()
    assert read(qtbot, vault_session, casework.caseload) == []


def test_a_household_member_takes_phone_numbers_and_an_address(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    child = add_child(qtbot, vault_session)
    form = HouseholdMemberForm(vault_session, child)
    show(qtbot, form)
    QTest.keyClicks(form.name, "Piotr Nowak")
    QTest.keyClicks(form.relationship, "father")
    form.lives_with_child.setChecked(False)
    QTest.keyClicks(form.phone, "07700 900456")
    form.address.setPlainText("4 Other Street\nSouthtown")
    saved_by_ctrl_s(qtbot, form)
    [member] = read(qtbot, vault_session, casework.overview, child).household
    assert (member.phone, member.address) == ("07700 900456", "4 Other Street\nSouthtown")


@pytest.mark.parametrize(
    ("typed", "found"),
    [("Lucja", ["Maja Nowak"]), ("mimi", ["Maja Nowak"]), ("carter", ["Maja Nowak"]), ("Zoe", [])],
)
def test_the_caseload_filter_finds_a_child_by_any_name_they_go_by(
    qtbot: QtBot, typed: str, found: list[str]
) -> None:
    model = CaseloadModel()
    model.set_rows(
        [
            replace(_row("Maja Nowak", None), known_as=("Mimi", "Łucja Carter")),
            _row("Ben Hale", None),
        ]
    )
    proxy = CaseloadFilter()
    proxy.setSourceModel(model)
    proxy.set_text(typed)
    assert [proxy.index(r, CaseloadModel.NAME).data() for r in range(proxy.rowCount())] == found
    if found:
        tip = proxy.index(0, CaseloadModel.NAME).data(Qt.ItemDataRole.ToolTipRole)
        assert tip == "Also known as: Mimi, Łucja Carter"


def test_the_marf_asks_the_new_questions_when_they_apply(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    workspace = open_case(qtbot, vault_session, case.child)
    editor = start(qtbot, workspace, "marf")
    level = answer(editor, "level_of_need", ChoiceAnswer).choice
    assert [level.itemText(i) for i in range(level.count())] == [
        "Not recorded",
        "Early help",
        "Child in need (Children Act 1989 s.17)",
        "Child protection (Children Act 1989 s.47)",
    ]
    assert editor.section_states()["level_of_need"] == "to do"
    level.setCurrentIndex(level.findData("child_protection"))
    assert editor.section_states()["level_of_need"] == "complete"
    assert editor.current_details().sections["level_of_need"] == "child_protection"

    # Who and when are asked only once the referral was discussed with a lead.
    lead = answer(editor, "safeguarding_lead", ChoiceAnswer).choice
    assert not row(editor, "safeguarding_lead.who").isVisibleTo(editor)
    lead.setCurrentIndex(lead.findData("yes"))
    assert row(editor, "safeguarding_lead.who").isVisibleTo(editor)
    assert isinstance(row(editor, "safeguarding_lead.when").editor, DateAnswer)
    assert editor.section_states()["safeguarding_lead"] == "to do"

    # Who gave consent, and for whom, once consent is given.
    assert not row(editor, "consent.given_by").isVisibleTo(editor)
    answer(editor, "consent", ConsentAnswer, column=True).choice.set_value(Consent.GIVEN)
    assert row(editor, "consent.given_by").isVisibleTo(editor)
    assert row(editor, "consent.covers").isVisibleTo(editor)
    # The family's contacts come from the record, and can be filled from it again.
    assert row(editor, "contacts").refill_button is not None
    assert row(editor, "identification").refill_button is None
