"""The Forms tab at work: a MARF started from the record, refused until complete, finalised
(which is not sending it), amended answer by answer; a decision not to share recorded; the early help plan
table; a form exported as a PDF through its dialog. Real widgets, a real encrypted vault, through
the worker thread.

Keys go through QTest itself: qtbot.keyClick is the same call, but untyped, which mypy refuses.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QTableWidget, QTableWidgetItem, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from practitioner_app.domain import forms as definitions
from practitioner_app.domain.enums import Consent
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.services import forms, sharing
from practitioner_app.services.forms import FormView
from practitioner_app.services.sharing import SharingRow
from practitioner_app.ui.case.amend import AmendDialog
from practitioner_app.ui.case.form_export import FormExportDialog
from practitioner_app.ui.case.forms_models import FormListModel, SharingLogModel
from practitioner_app.ui.case.workspace import TABS, CaseWorkspace
from practitioner_app.ui.forms.sharing import (
    REASON_FOR_NOT_SEEKING,
    REASON_FOR_NOT_SHARING,
    SharingDialog,
)
from practitioner_app.ui.forms.structured import StructuredForm
from practitioner_app.ui.forms.structured_answers import (
    ActionsAnswer,
    AnswerEditor,
    ChoiceAnswer,
    ConcernsAnswer,
    ConsentAnswer,
    DateAnswer,
    LineAnswer,
    TextAnswer,
    YesNoAnswer,
)
from practitioner_app.ui.forms.structured_sections import AnswerRow, FinalAnswerRow
from practitioner_app.ui.main_window import MainWindow
from practitioner_app.ui.session import VaultSession
from tests.conftest import NEW_PASSPHRASE, PASSPHRASE
from tests.test_forms import Case, make_case
from tests.ui_helpers import agree_to_finalise, unlock_window, wait_idle

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

EditorT = TypeVar("EditorT", bound=AnswerEditor)
PHONE_FIRST = "Phone the children's social care front door now"


def run(qtbot: QtBot, session: VaultSession, service: Callable[..., Any], *args: Any) -> Any:
    """A service call through the worker, waited for, as the screens make it."""
    results: list[Any] = []
    problems: list[Problem] = []
    session.call(service, *args, done=results.append, failed=problems.append)
    wait_idle(qtbot, session)
    if problems:
        raise problems[0]
    return results[0]


@pytest.fixture
def case(qtbot: QtBot, vault_session: VaultSession) -> Case:
    made: Case = run(qtbot, vault_session, make_case)
    return made


def open_case(qtbot: QtBot, session: VaultSession, child_id: str) -> CaseWorkspace:
    workspace = CaseWorkspace(session)
    qtbot.addWidget(workspace)
    workspace.show()
    workspace.show_child(child_id, tab=TABS.index("Forms"))
    wait_idle(qtbot, session)
    return workspace


def click(qtbot: QtBot, button: QWidget | None) -> None:
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def press(qtbot: QtBot, window: QWidget, key: Qt.Key) -> None:
    """Ctrl+key in a window, which has the keyboard first (offscreen, that is asked for here)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    QTest.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)


def start(qtbot: QtBot, workspace: CaseWorkspace, form_key: str) -> StructuredForm:
    click(qtbot, workspace.forms.new_buttons[form_key])
    wait_idle(qtbot, workspace.session)
    editor = workspace.dialogs[-1]
    assert isinstance(editor, StructuredForm)
    agree_to_finalise(editor)
    return editor


def row(editor: StructuredForm, key: str, *, column: bool | None = None) -> AnswerRow:
    found = [
        r
        for r in editor.rows
        if r.answer.key == key and (column is None or r.answer.column is column)
    ]
    assert len(found) == 1, f"no single answer {key}"
    return found[0]


def answer(editor: StructuredForm, key: str, kind: type[EditorT], **how: bool) -> EditorT:
    found = row(editor, key, **how).editor
    assert isinstance(found, kind)
    return found


def final_row(editor: StructuredForm, key: str, *, column: bool) -> FinalAnswerRow:
    [found] = [r for r in editor.final_rows if r.answer.key == key and r.answer.column is column]
    return found


def cell(table: QTableWidget, position: int, column: int) -> QTableWidgetItem:
    item = table.item(position, column)
    assert item is not None
    return item


def message(widget: QWidget, field_label: str) -> QLabel:
    [found] = [
        label
        for label in widget.findChildren(QLabel)
        if label.accessibleName() == f"Problem with {field_label}"
    ]
    return found


def shown_messages(widget: QWidget) -> list[str]:
    return [
        label.accessibleName()
        for label in widget.findChildren(QLabel)
        if label.accessibleName().startswith("Problem with ") and not label.isHidden()
    ]


def list_texts(model: FormListModel | SharingLogModel, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def fill_marf(qtbot: QtBot, editor: StructuredForm) -> None:
    """The answers the record cannot know, typed as the practitioner types them."""
    QTest.keyClicks(answer(editor, "referrer.contact", LineAnswer).edit, "01632 960111")
    QTest.keyClicks(
        answer(editor, "reason", TextAnswer).edit, "Cumulative neglect; Maya is not thriving."
    )
    QTest.keyClicks(
        answer(editor, "outcome_sought", TextAnswer).edit, "A child and family assessment."
    )
    answer(editor, "immediate_risk", YesNoAnswer, column=True).choice.set_value(False)
    answer(editor, "family_aware", YesNoAnswer).choice.set_value(True)
    level = answer(editor, "level_of_need", ChoiceAnswer).choice
    level.setCurrentIndex(level.findData("child_in_need"))
    lead = answer(editor, "safeguarding_lead", ChoiceAnswer).choice
    lead.setCurrentIndex(lead.findData("no"))


# -- starting and finalising a MARF ---------------------------------------------------------------


def test_a_new_marf_is_prefilled_with_both_concerns_ticked_and_shows_what_is_to_do(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    workspace = open_case(qtbot, vault_session, case.child)
    editor = start(qtbot, workspace, "marf")
    assert editor.windowTitle() == "Multi-agency referral form"
    assert not editor.dirty

    concerns = answer(editor, "concern_ids", ConcernsAnswer)
    texts = [item.text() for item in concerns.items()]
    assert len(texts) == 2
    assert any("Home cold" in text for text in texts)
    assert any("Police called" in text for text in texts)
    assert not any("Late to nursery" in text for text in texts)  # closed: not offered
    assert set(concerns.draft_value()) == set(case.concerns)  # both ticked

    assert "Maya Okafor" in answer(editor, "child", TextAnswer).edit.toPlainText()
    assert "Anna Nowak" in answer(editor, "household", TextAnswer).edit.toPlainText()
    assert row(editor, "child").isVisibleTo(editor)
    assert row(editor, "child").refill_button is not None
    assert row(editor, "reason").refill_button is None  # the record cannot know why

    states = editor.section_states()
    assert states["child"] == "complete"
    assert states["reason"] == "to do"
    assert states["strengths"] == "empty"
    items = {
        editor.sections.item(i).data(Qt.ItemDataRole.UserRole): editor.sections.item(i)
        for i in range(editor.sections.count())
    }
    assert items["reason"].text() == "!  Reason for referral"
    assert items["referrer"].toolTip() == "To do: How to contact you"
    assert items["child"].text().startswith("✓")
    assert "No information available" in items["strengths"].toolTip()
    # An optional section left empty counts as complete: it prints "No information available".
    complete = sum(state != "to do" for state in states.values())
    assert editor.overall.text() == f"{complete} of 18 sections complete"

    # Choosing a section in the list brings it into view.
    editor.resize(900, 600)
    editor.show()
    qtbot.waitExposed(editor)
    editor.sections.setCurrentRow(list(items).index("outcome_sought"))
    assert editor.scroller.verticalScrollBar().value() > 0

    # The tab lists the draft with its progress; no share has been made.
    assert list_texts(workspace.forms.forms_model, FormListModel.STATUS) == ["DRAFT"]
    assert list_texts(workspace.forms.forms_model, FormListModel.PROGRESS) == [
        f"{complete} of 18 sections"
    ]
    assert workspace.forms.log_model.rowCount() == 0

    # What the record fills in can be filled again, as one edit that Ctrl+Z takes back.
    household = answer(editor, "household", TextAnswer)
    prefilled = household.edit.toPlainText()
    household.edit.setPlainText("Mother only")
    click(qtbot, row(editor, "household").refill_button)
    wait_idle(qtbot, vault_session)
    assert household.edit.toPlainText() == prefilled
    assert "Ctrl+Z" in row(editor, "household").note.text()
    household.edit.undo()
    assert household.edit.toPlainText() == "Mother only"

    # Typing moves the progress on at once.
    QTest.keyClicks(answer(editor, "strengths", TextAnswer).edit, "Mother engages with the HV.")
    assert editor.dirty
    assert editor.section_states()["strengths"] == "complete"
    assert items["strengths"].text().startswith("✓")


def test_a_marf_is_refused_until_complete_then_finalised_and_amended(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    workspace = open_case(qtbot, vault_session, case.child)
    editor = start(qtbot, workspace, "marf")
    editor.show()
    qtbot.waitExposed(editor)

    # Refused: the banner names every missing answer, and the first is where the cursor goes.
    press(qtbot, editor, Qt.Key.Key_Return)
    wait_idle(qtbot, vault_session)
    assert not editor.final
    assert editor.banner.isVisible()
    for needed in ("How to contact you", "Why you are referring now", "Consent to the referral"):
        assert needed in editor.banner.text()
    contact = answer(editor, "referrer.contact", LineAnswer)
    assert editor.focusWidget() is contact.edit
    assert "Problem with How to contact you" in shown_messages(editor)
    assert "Problem with Referred to" not in shown_messages(editor)  # already answered

    fill_marf(qtbot, editor)

    # Immediate risk: the phone-first warning appears as soon as Yes is chosen.
    risk = answer(editor, "immediate_risk", YesNoAnswer, column=True)
    assert not editor.alert.isVisible()
    risk.choice.set_value(True)
    assert editor.alert.isVisible()
    assert PHONE_FIRST in editor.alert.text()
    assert editor.warnings["immediate_risk"].isVisible()
    risk.choice.set_value(False)
    assert not editor.alert.isVisible()

    # Consent not sought: the reason appears, and finalising without it is refused there.
    reason_row = row(editor, "reason_not_sought")
    assert not reason_row.isVisibleTo(editor)
    consent = answer(editor, "consent", ConsentAnswer, column=True)
    consent.choice.set_value(Consent.NOT_SOUGHT)
    assert reason_row.isVisibleTo(editor)
    assert editor.section_states()["consent"] == "to do"
    press(qtbot, editor, Qt.Key.Key_Return)
    wait_idle(qtbot, vault_session)
    assert not editor.final
    assert "Why consent was not sought" in editor.banner.text()
    reason = answer(editor, "reason_not_sought", TextAnswer)
    assert editor.focusWidget() is reason.edit
    stored: FormView = run(qtbot, vault_session, forms.get, editor.view.id)
    assert stored.details.consent is Consent.NOT_SOUGHT  # the draft was saved before the check
    assert stored.details.sections["referrer.contact"] == "01632 960111"
    QTest.keyClicks(reason.edit, "Telling the family would put Maya at risk.")

    press(qtbot, editor, Qt.Key.Key_Return)
    wait_idle(qtbot, vault_session)

    # Final: read-only, every answer as recorded.
    assert editor.final
    assert not editor.banner.isVisible()
    assert editor.rows == []
    assert not editor.save_button.isVisible()
    assert not editor.finalise_button.isVisible()
    assert editor.overall.text().startswith("FINAL")
    reason_final = final_row(editor, "reason", column=False)
    assert reason_final.original.text() == "Cumulative neglect; Maya is not thriving."
    assert final_row(editor, "strengths", column=False).original.text() == (
        definitions.NO_INFORMATION
    )
    assert final_row(editor, "consent", column=True).original.text() == "Not sought"
    assert final_row(editor, "concern_ids", column=True).amend_button is None  # links stay
    assert list_texts(workspace.forms.forms_model, FormListModel.STATUS) == ["Final"]
    # Final is not sent: nothing is in the sharing log until the form is exported to someone.
    assert workspace.forms.log_model.rowCount() == 0

    # Opened again (from the chronology, say), the editor already open is the one shown.
    count = len(workspace.dialogs)
    workspace.open_entry("referral", editor.view.id)
    assert len(workspace.dialogs) == count

    # Amend one answer: a reason is required; the original stays beside the correction.
    click(qtbot, reason_final.amend_button)
    dialog = editor.findChild(AmendDialog)
    assert isinstance(dialog, AmendDialog)
    assert dialog.current.toPlainText() == "Cumulative neglect; Maya is not thriving."
    dialog.new_value.setPlainText("Cumulative neglect; Maya is losing weight.")
    click(qtbot, dialog.save_button)
    assert shown_messages(dialog) == ["Problem with Reason"]
    QTest.keyClicks(dialog.reason, "Weight loss confirmed by the GP today.")
    with qtbot.waitSignal(dialog.amended, timeout=30_000):
        click(qtbot, dialog.save_button)
    wait_idle(qtbot, vault_session)
    amended = final_row(editor, "reason", column=False)
    assert amended.original.text() == "Cumulative neglect; Maya is not thriving."
    [note] = amended.amendments
    assert note.isVisibleTo(editor)
    said = note.accessibleDescription()
    assert said.startswith("Amended ")
    assert "by Asha Patel" in said
    assert said.endswith(
        ": Cumulative neglect; Maya is losing weight. — Weight loss confirmed by the GP today."
    )
    assert "<b>Cumulative neglect; Maya is losing weight.</b>" in note.text()
    assert list_texts(workspace.forms.forms_model, FormListModel.STATUS) == ["Final, AMENDED"]
    stored = run(qtbot, vault_session, forms.get, editor.view.id)
    assert stored.details.sections["reason"] == "Cumulative neglect; Maya is not thriving."
    assert [a.field for a in stored.entry.amendments] == ["sections.reason"]


def test_a_column_answer_is_amended_under_its_column_name(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    workspace = open_case(qtbot, vault_session, case.child)
    editor = start(qtbot, workspace, "marf")
    fill_marf(qtbot, editor)
    answer(editor, "consent", ConsentAnswer, column=True).choice.set_value(Consent.GIVEN)
    # Consent given says who gave it and whose information it covers (issue 17 item 5).
    QTest.keyClicks(answer(editor, "consent.given_by", LineAnswer).edit, "Anna Nowak (mother)")
    QTest.keyClicks(answer(editor, "consent.covers", LineAnswer).edit, "Anna and Maya")
    editor.finalise()
    wait_idle(qtbot, vault_session)
    assert editor.final
    risk = final_row(editor, "immediate_risk", column=True)
    assert risk.original.text() == "No"
    click(qtbot, risk.amend_button)
    dialog = editor.findChild(AmendDialog)
    assert isinstance(dialog, AmendDialog)
    dialog.new_value.setPlainText("Yes")
    dialog.reason.setPlainText("Police disclosed a threat this afternoon.")
    with qtbot.waitSignal(dialog.amended, timeout=30_000):
        click(qtbot, dialog.save_button)
    wait_idle(qtbot, vault_session)
    stored: FormView = run(qtbot, vault_session, forms.get, editor.view.id)
    assert [(a.field, a.new_value) for a in stored.entry.amendments] == [("immediate_risk", "Yes")]
    assert stored.details.immediate_risk is False  # the original is untouched
    [note] = final_row(editor, "immediate_risk", column=True).amendments
    assert note.accessibleDescription().endswith(
        ": Yes — Police disclosed a threat this afternoon."
    )


# -- the sharing log ---------------------------------------------------------------------------


def test_a_decision_not_to_share_needs_its_reason_and_then_appears_in_the_log(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    workspace = open_case(qtbot, vault_session, case.child)
    click(qtbot, workspace.forms.not_shared_button)
    dialog = workspace.dialogs[-1]
    assert isinstance(dialog, SharingDialog)
    assert dialog.date.value() == uk_date(now_utc())  # defaults to now
    assert dialog.time.text() != ""

    # Each problem beside its field, in the order of the fields; nothing is recorded meanwhile.
    click(qtbot, dialog.record_button)
    assert shown_messages(dialog) == ["Problem with With whom"]
    QTest.keyClicks(dialog.with_whom, "Father's solicitor")
    QTest.keyClicks(dialog.what, "Mother's current address")
    QTest.keyClicks(dialog.purpose, "Contact proceedings")
    click(qtbot, dialog.record_button)
    assert shown_messages(dialog) == ["Problem with Consent"]
    dialog.consent.set_value(Consent.REFUSED)
    click(qtbot, dialog.record_button)
    assert shown_messages(dialog) == ["Problem with Reason not to share"]
    assert message(dialog, "Reason not to share").text() == REASON_FOR_NOT_SHARING
    wait_idle(qtbot, vault_session)
    assert workspace.forms.log_model.rowCount() == 0
    QTest.keyClicks(dialog.reason, "Mother's new address: sharing it could put her at risk.")
    with qtbot.waitSignal(dialog.finished, timeout=30_000) as finished:
        click(qtbot, dialog.record_button)
    assert finished.args == [SharingDialog.DialogCode.Accepted.value]
    wait_idle(qtbot, vault_session)

    log = workspace.forms.log_model
    assert list_texts(log, SharingLogModel.SHARED) == ["NOT SHARED"]
    assert list_texts(log, SharingLogModel.WITH_WHOM) == ["Father's solicitor"]
    assert list_texts(log, SharingLogModel.CONSENT) == ["Refused"]
    rows: list[SharingRow] = run(qtbot, vault_session, sharing.log, case.child)
    assert [(r.shared, r.status, r.reason) for r in rows] == [
        (False, "final", "Mother's new address: sharing it could put her at risk.")
    ]


def test_a_share_by_phone_without_consent_sought_needs_the_reason(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    workspace = open_case(qtbot, vault_session, case.child)
    dialog = workspace.record_share(True)
    assert dialog is not None
    QTest.keyClicks(dialog.with_whom, "MASH duty social worker")
    QTest.keyClicks(dialog.what, "Concerns about neglect, by phone")
    QTest.keyClicks(dialog.purpose, "Safeguarding referral")
    dialog.consent.set_value(Consent.NOT_SOUGHT)
    dialog.record()
    assert shown_messages(dialog) == ["Problem with Reason"]
    assert message(dialog, "Reason").text() == REASON_FOR_NOT_SEEKING
    assert dialog.with_whom.text() == "MASH duty social worker"  # nothing typed is lost
    QTest.keyClicks(dialog.reason, "Asking would put Maya at risk.")
    dialog.record()
    wait_idle(qtbot, vault_session)
    assert list_texts(workspace.forms.log_model, SharingLogModel.SHARED) == ["Shared"]


# -- the early help plan -------------------------------------------------------------------------


def test_the_early_help_plan_table_and_review_date_round_trip(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    workspace = open_case(qtbot, vault_session, case.child)
    editor = start(qtbot, workspace, "early_help")
    editor.show()
    qtbot.waitExposed(editor)
    plan = answer(editor, "plan.actions", ActionsAnswer)
    assert plan.table.rowCount() == 1  # a blank row to start typing in
    for column, text in enumerate(("Attend a parenting course", "Anna Nowak", "30/11/2026")):
        cell(plan.table, 0, column).setText(text)
    click(qtbot, plan.add_button)
    for column, text in enumerate(("Home visit | weigh Maya", "Health visitor", "fortnightly")):
        cell(plan.table, 1, column).setText(text)
    click(qtbot, plan.add_button)  # left blank: not saved
    assert editor.section_states()["plan"] == "to do"  # the review date is still needed

    review = answer(editor, "plan.review_date", DateAnswer)
    QTest.keyClicks(review.edit, "31/02/2027")
    press(qtbot, editor, Qt.Key.Key_S)
    assert shown_messages(editor) == ["Problem with Review date"]
    review.edit.clear()
    QTest.keyClicks(review.edit, "01/03/2027")
    with qtbot.waitSignal(editor.saved, timeout=30_000):
        press(qtbot, editor, Qt.Key.Key_S)
    assert editor.section_states()["plan"] == "complete"
    stored: FormView = run(qtbot, vault_session, forms.get, editor.view.id)
    assert stored.details.sections["plan.actions"] == (
        "Attend a parenting course | Anna Nowak | 30/11/2026\n"
        "Home visit / weigh Maya | Health visitor | fortnightly"
    )
    assert stored.details.sections["plan.review_date"] == "2027-03-01"

    # Removing a row, closing (which saves), and opening again brings the plan back as it was.
    plan.table.selectRow(0)
    click(qtbot, plan.remove_button)
    with qtbot.waitSignal(editor.finished, timeout=30_000):
        editor.close_button.click()
    wait_idle(qtbot, vault_session)
    assert workspace.dialogs == []
    workspace.open_form(stored.id)
    wait_idle(qtbot, vault_session)
    reopened = workspace.dialogs[-1]
    assert isinstance(reopened, StructuredForm)
    table = answer(reopened, "plan.actions", ActionsAnswer).table
    assert [cell(table, r, c).text() for r in range(table.rowCount()) for c in range(3)] == [
        "Home visit / weigh Maya",
        "Health visitor",
        "fortnightly",
    ]
    assert answer(reopened, "plan.review_date", DateAnswer).edit.text() == "01/03/2027"


# -- exporting -----------------------------------------------------------------------------------


def test_a_draft_marf_exported_to_someone_logs_the_share_exactly_as_chosen_and_says_draft(
    qtbot: QtBot, vault_session: VaultSession, case: Case, tmp_path: Path
) -> None:
    workspace = open_case(qtbot, vault_session, case.child)
    editor = start(qtbot, workspace, "marf")
    QTest.keyClicks(answer(editor, "reason", TextAnswer).edit, "Neglect is getting worse.")
    click(qtbot, editor.export_button)  # the changed draft is saved first
    wait_idle(qtbot, vault_session)
    assert not editor.dirty
    dialog = workspace.dialogs[-1]
    assert isinstance(dialog, FormExportDialog)
    assert "DRAFT" in dialog.subject.text()
    # Nothing is chosen or filled in for the practitioner.
    fields = dialog.recipient
    assert not fields.keep.isChecked()
    assert not fields.send.isChecked()
    for edit in (fields.with_whom, fields.purpose, fields.lawful_basis, fields.reason):
        assert edit.text() == ""
        assert not edit.isEnabled()
    assert fields.consent.value() is None

    target = tmp_path / "marf.pdf"
    suggested: list[Path] = []
    opened: list[QUrl] = []

    def choose(path: Path) -> Path:
        suggested.append(path)
        return target

    dialog.choose_path = choose
    dialog.open_file = opened.append
    click(qtbot, dialog.export_button)
    assert shown_messages(dialog) == ["Problem with Is it going to someone?"]
    fields.send.setChecked(True)
    assert fields.with_whom.isEnabled()
    QTest.keyClicks(fields.with_whom, "Dr Priya Shah, GP")
    click(qtbot, dialog.export_button)
    assert shown_messages(dialog) == ["Problem with Purpose"]
    QTest.keyClicks(fields.purpose, "Second opinion on the weight loss")
    QTest.keyClicks(fields.lawful_basis, "UK GDPR Art. 6(1)(e) and 9(2)(h)")
    click(qtbot, dialog.export_button)
    assert shown_messages(dialog) == ["Problem with Consent"]
    fields.consent.set_value(Consent.REFUSED)
    click(qtbot, dialog.export_button)
    assert shown_messages(dialog) == ["Problem with Why shared without consent"]
    QTest.keyClicks(fields.reason, "The GP must know now: Maya is losing weight.")
    assert suggested == []
    dialog.protect.setChecked(True)
    QTest.keyClicks(dialog.password, NEW_PASSPHRASE)
    QTest.keyClicks(dialog.repeat, NEW_PASSPHRASE)
    click(qtbot, dialog.export_button)
    assert dialog.running
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    wait_idle(qtbot, vault_session)
    assert shown_messages(dialog) == []
    assert dialog.saved is not None

    assert suggested[0].name == f"MARF Maya Okafor {uk_date(now_utc()):%d-%m-%Y}.pdf"
    assert dialog.status.text().startswith(f"Saved {target} (")
    assert "The share with Dr Priya Shah, GP is recorded" in dialog.status.text()
    reader = PdfReader(target)
    assert reader.decrypt(NEW_PASSPHRASE) != 0
    for page in reader.pages:
        assert "DRAFT" in page.extract_text()
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Maya Okafor" in text
    assert "Neglect is getting worse." in text
    assert len(reader.pages) == dialog.saved.pages

    [share] = run(qtbot, vault_session, sharing.log, case.child)
    assert (share.with_whom, share.purpose, share.lawful_basis, share.consent, share.reason) == (
        "Dr Priya Shah, GP",
        "Second opinion on the weight loss",
        "UK GDPR Art. 6(1)(e) and 9(2)(h)",
        Consent.REFUSED,
        "The GP must know now: Maya is losing weight.",
    )
    assert share.what == "Multi-agency referral form (MARF), DRAFT version (PDF)"
    log = workspace.forms.log_model
    assert list_texts(log, SharingLogModel.WITH_WHOM) == ["Dr Priya Shah, GP"]
    click(qtbot, dialog.open_button)
    assert opened == [QUrl.fromLocalFile(str(target))]


def test_a_pdf_kept_for_oneself_logs_no_share(
    qtbot: QtBot, vault_session: VaultSession, case: Case, tmp_path: Path
) -> None:
    workspace = open_case(qtbot, vault_session, case.child)
    editor = start(qtbot, workspace, "marf")
    click(qtbot, editor.export_button)
    wait_idle(qtbot, vault_session)
    dialog = workspace.dialogs[-1]
    assert isinstance(dialog, FormExportDialog)
    dialog.choose_path = lambda _: tmp_path / "mine.pdf"
    dialog.recipient.keep.setChecked(True)
    click(qtbot, dialog.export_button)
    qtbot.waitUntil(lambda: dialog.saved is not None, timeout=60_000)
    wait_idle(qtbot, vault_session)
    assert "no share was logged" in dialog.status.text()
    assert run(qtbot, vault_session, sharing.log, case.child) == []
    assert workspace.forms.log_model.rowCount() == 0


def test_the_forms_tab_exports_the_selected_form(
    qtbot: QtBot, vault_session: VaultSession, case: Case
) -> None:
    workspace = open_case(qtbot, vault_session, case.child)
    editor = start(qtbot, workspace, "early_help")
    editor.close_button.click()
    tab = workspace.forms
    assert not tab.export_button.isEnabled()
    tab.select_form(editor.view.id)
    assert tab.export_button.isEnabled()
    click(qtbot, tab.export_button)
    dialog = workspace.dialogs[-1]
    assert isinstance(dialog, FormExportDialog)
    assert dialog.recipient.with_whom.text() == ""  # never the form's agency, pre-filled
    name = dialog.suggested_path().name
    assert name == f"Early help assessment Maya Okafor {uk_date(now_utc()):%d-%m-%Y}.pdf"


# -- the lock ---------------------------------------------------------------------------------


def test_locking_saves_what_was_typed_in_a_form_and_closes_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    unlock_window(qtbot, window)
    made: Case = run(qtbot, window.session, make_case)
    window.open_child(made.child, TABS.index("Forms"))
    wait_idle(qtbot, window.session)
    editor = start(qtbot, window.case, "marf")
    form_id = editor.view.id
    QTest.keyClicks(answer(editor, "reason", TextAnswer).edit, "Typed just before the lock.")
    assert editor.dirty

    window.activateWindow()
    window.lock_action.trigger()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page, timeout=10_000)
    wait_idle(qtbot, window.session)
    assert window.case.dialogs == []  # saved, then closed
    assert window.case.forms.forms_model.rowCount() == 0  # nothing of the record left on screen

    window.unlock_page.secret.setText(PASSPHRASE)
    with qtbot.waitSignal(window.session.unlocked, timeout=30_000):
        click(qtbot, window.unlock_page.unlock_button)
    wait_idle(qtbot, window.session)
    stored: FormView = run(qtbot, window.session, forms.get, form_id)
    assert stored.details.sections["reason"] == "Typed just before the lock."


# -- the models, without widgets ----------------------------------------------------------------


def test_the_list_models_hold_up_to_qts_checks(
    qtbot: QtBot, vault_session: VaultSession, case: Case, qtmodeltester: ModelTester
) -> None:
    workspace = open_case(qtbot, vault_session, case.child)
    start(qtbot, workspace, "marf")
    dialog = workspace.record_share(False)
    assert dialog is not None
    dialog.consent.set_value(Consent.NOT_SOUGHT)
    for edit, text in ((dialog.with_whom, "School"), (dialog.purpose, "Attendance")):
        edit.setText(text)
    dialog.what.setPlainText("Attendance figures")
    dialog.reason.setPlainText("Not ours to share.")
    dialog.record()
    wait_idle(qtbot, vault_session)
    qtmodeltester.check(workspace.forms.forms_model)
    qtmodeltester.check(workspace.forms.log_model)
    log = workspace.forms.log_model
    assert log.index(0, SharingLogModel.SHARED).data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Decided not to share"
    )
