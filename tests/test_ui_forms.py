"""The record and people forms, driven from the keyboard against a real encrypted vault.

Keys go through QTest itself: qtbot.keyClick is the same call, but untyped, which mypy refuses.
"""

from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from practitioner_app.domain.enums import (
    ConcernCategory,
    ConcernLevel,
    ConcernStatus,
    ObservationCategory,
)
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.services import casework, people, records
from practitioner_app.services.views import EntryView
from practitioner_app.ui.forms.base import RecordForm
from practitioner_app.ui.forms.concern import ConcernForm
from practitioner_app.ui.forms.observation import ObservationForm
from practitioner_app.ui.forms.people import (
    ChildForm,
    HouseholdMemberForm,
    PersonDialog,
    ProfessionalForm,
)
from practitioner_app.ui.session import VaultSession
from tests.conftest import child_details
from tests.ui_helpers import agree_to_finalise, wait_idle

# Showing a window on the offscreen test platform says this once; it is not a fault of the form.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

SEEN_ON = (date(2026, 10, 6), time(11, 30))


def read(qtbot: QtBot, session: VaultSession, service: Callable[..., Any], *args: Any) -> Any:
    results: list[Any] = []
    session.call(service, *args, done=results.append)
    wait_idle(qtbot, session)
    return results[0]


def add_child(qtbot: QtBot, session: VaultSession, **overrides: object) -> str:
    added: list[Any] = []
    session.change(people.add_child, child_details(**overrides), kind="child", done=added.append)
    wait_idle(qtbot, session)
    return str(added[0].id)


def _discard(form: QWidget) -> None:
    assert isinstance(form, QDialog)
    form.done(QDialog.DialogCode.Rejected)


def show(qtbot: QtBot, form: QWidget) -> None:
    """Shown and active, as a dialog the practitioner is typing in: shortcuts need that.

    At the end of the test the form is closed with its typing dropped: closed as a practitioner
    closes it, a changed form would start saving a draft just as pytest-qt deletes it, and the
    reply would land on a deleted form after the test."""
    qtbot.addWidget(form, before_close_func=_discard)
    with qtbot.waitActive(form):
        form.show()
        form.activateWindow()


def message(form: QWidget, field_label: str) -> QLabel:
    """The inline message under the field captioned `field_label`."""
    found = [
        label
        for label in form.findChildren(QLabel)
        if label.accessibleName() == f"Problem with {field_label}"
    ]
    assert len(found) == 1, f"no single message label for {field_label}"
    return found[0]


def saved_by_ctrl_s(qtbot: QtBot, form: RecordForm | PersonDialog) -> Any:
    with qtbot.waitSignal(form.saved, timeout=30_000) as blocker:
        QTest.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    return blocker.args[0] if blocker.args else None


def observations(qtbot: QtBot, session: VaultSession, child_id: str) -> list[Any]:
    return list(read(qtbot, session, casework.entries, child_id, "observation"))


# -- observations ------------------------------------------------------------------------------


def test_an_observation_with_growth_and_an_injury_is_saved_as_a_draft_and_reads_back(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    child_id = add_child(qtbot, vault_session)
    form = ObservationForm(vault_session, child_id, occurred=SEEN_ON)
    show(qtbot, form)
    assert form.date.text() == "06/10/2026"
    assert form.time.text() == "11:30"

    form.category.set_value(ObservationCategory.INJURY)
    assert form.injury_group.isChecked()  # choosing "injury" opens the injury section
    QTest.keyClicks(form.text, "Bruise seen on the left forearm during the visit.")
    QTest.keyClicks(form.weight, "7,85")  # a decimal comma is how some keyboards type it
    QTest.keyClicks(form.head, "43.5")
    form.set_regions(["Left forearm", "Right thigh"])
    form.consistent.set_value(False)
    assert form.dirty

    view: EntryView = saved_by_ctrl_s(qtbot, form)

    assert form.entry_id == view.id
    assert not form.dirty
    stored = read(qtbot, vault_session, records.get_entry, "observation", view.id)
    assert stored.status == "draft"
    assert stored.time_known is True
    assert stored.fields["category"] == ObservationCategory.INJURY
    assert stored.fields["weight_kg"] == 7.85
    assert stored.fields["head_circumference_cm"] == 43.5
    assert stored.fields["length_cm"] is None
    assert stored.fields["injury"]["body_regions"] == ["Left forearm", "Right thigh"]
    assert stored.fields["injury"]["consistent_with_explanation"] is False

    reopened = ObservationForm(vault_session, child_id)
    qtbot.addWidget(reopened)
    reopened.open_entry(stored)
    assert reopened.checked_regions() == ("Left forearm", "Right thigh")
    assert reopened.weight.text() == "7.85"
    assert reopened.date.text() == "06/10/2026"
    assert reopened.time.text() == "11:30"
    assert reopened.injury_group.isChecked()
    assert not reopened.dirty


def test_tab_moves_through_the_observation_in_the_order_it_reads(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    form = ObservationForm(vault_session, "any-child", occurred=SEEN_ON)
    show(qtbot, form)
    form.category.set_value(ObservationCategory.INJURY)
    form.date.setFocus()
    order: list[QWidget | None] = [QApplication.focusWidget()]
    for _ in range(9):
        QTest.keyClick(QApplication.focusWidget() or form, Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [
        form.date,
        form.time,
        form.category,
        form.text,  # Tab leaves the text box rather than typing a tab into it
        form.significant,
        form.weight,
        form.length,
        form.head,
        form.injury_group,
        form.regions,
    ]


def test_saving_again_edits_the_same_draft(qtbot: QtBot, vault_session: VaultSession) -> None:
    child_id = add_child(qtbot, vault_session)
    form = ObservationForm(vault_session, child_id, occurred=(date(2026, 10, 6), None))
    show(qtbot, form)
    form.category.set_value(ObservationCategory.GROWTH)
    QTest.keyClicks(form.text, "Weighed at clinic.")
    first: EntryView = saved_by_ctrl_s(qtbot, form)
    QTest.keyClicks(form.length, "68")
    second: EntryView = saved_by_ctrl_s(qtbot, form)

    assert second.id == first.id
    assert second.fields["length_cm"] == 68.0
    assert second.time_known is False  # no time typed: only the date is known
    assert len(observations(qtbot, vault_session, child_id)) == 1


def test_an_impossible_date_is_shown_under_the_date_and_nothing_is_saved(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    child_id = add_child(qtbot, vault_session)
    form = ObservationForm(vault_session, child_id)
    show(qtbot, form)
    form.category.set_value(ObservationCategory.PRESENTATION)
    QTest.keyClicks(form.text, "Clean and appropriately dressed.")
    form.date.clear()
    QTest.keyClicks(form.date, "31/02/2026")

    QTest.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, vault_session)

    problem = message(form, "Date")
    assert not problem.isHidden()
    assert "31/02/2026" in problem.text()
    assert form.banner.isHidden()
    assert form.entry_id is None
    assert form.text.toPlainText() == "Clean and appropriately dressed."
    assert observations(qtbot, vault_session, child_id) == []


def test_an_empty_observation_is_shown_under_the_text(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    child_id = add_child(qtbot, vault_session)
    form = ObservationForm(vault_session, child_id, occurred=SEEN_ON)
    show(qtbot, form)
    form.category.set_value(ObservationCategory.HEALTH)
    QTest.keyClicks(form.text, "   ")

    assert form.save_draft() is False

    assert not message(form, "What you saw or heard").isHidden()
    assert message(form, "Date").isHidden()
    assert form.banner.isHidden()
    assert observations(qtbot, vault_session, child_id) == []


def test_an_injury_without_a_body_region_is_shown_on_the_regions_list(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    child_id = add_child(qtbot, vault_session)
    form = ObservationForm(vault_session, child_id, occurred=SEEN_ON)
    show(qtbot, form)
    form.category.set_value(ObservationCategory.INJURY)
    QTest.keyClicks(form.text, "Small mark seen.")

    assert form.save_draft() is False

    problem = message(form, "Body regions")
    assert not problem.isHidden()
    assert "body region" in problem.text()
    assert form.banner.isHidden()

    form.set_regions(["Face"])
    saved_by_ctrl_s(qtbot, form)
    assert problem.isHidden()  # the old message goes once the problem is fixed


def test_a_problem_found_by_the_service_is_shown_beside_its_field(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    child_id = add_child(qtbot, vault_session)
    next_week = uk_date(now_utc()) + timedelta(days=7)
    form = ObservationForm(vault_session, child_id, occurred=(next_week, None))
    show(qtbot, form)
    form.category.set_value(ObservationCategory.OTHER)
    QTest.keyClicks(form.text, "Typed against the wrong date.")

    assert form.save_draft() is True  # the fields read; the service refuses the future date
    wait_idle(qtbot, vault_session)

    assert "future" in message(form, "Date").text()
    assert not message(form, "Date").isHidden()
    assert form.entry_id is None
    assert form.text.toPlainText() == "Typed against the wrong date."
    assert observations(qtbot, vault_session, child_id) == []


# -- concerns ----------------------------------------------------------------------------------


def test_a_concern_finalised_with_ctrl_enter_is_final_and_open(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    child_id = add_child(qtbot, vault_session)
    form = ConcernForm(vault_session, child_id, occurred=SEEN_ON)
    show(qtbot, form)
    assert form.level.value() == ConcernLevel.MEDIUM
    assert form.source.text() == "Own observation"
    form.category.set_value(ConcernCategory.NEGLECT)
    QTest.keyClicks(form.summary, "Home cold and little food in the house.")
    QTest.keyClicks(form.details_box, "Heating off; mother says the meter is empty.")

    agree_to_finalise(form)
    with qtbot.waitSignal(form.finished, timeout=30_000):
        QTest.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert form.result() == QDialog.DialogCode.Accepted
    assert form.status == "final"
    assert form.entry_id is not None
    stored = read(qtbot, vault_session, records.get_entry, "concern", form.entry_id)
    assert stored.status == "final"
    assert stored.fields["concern_status"] == ConcernStatus.OPEN
    assert stored.fields["level"] == ConcernLevel.MEDIUM
    assert stored.fields["category"] == ConcernCategory.NEGLECT
    assert stored.fields["summary"] == "Home cold and little food in the house."


def test_a_concern_needs_a_category_and_a_summary(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    child_id = add_child(qtbot, vault_session)
    form = ConcernForm(vault_session, child_id, occurred=SEEN_ON)
    show(qtbot, form)
    QTest.keyClicks(form.summary, "Worried about bruising.")
    assert form.save_draft() is False
    assert not message(form, "Category").isHidden()

    form.category.set_value(ConcernCategory.PHYSICAL_ABUSE)
    form.summary.clear()
    assert form.save_draft() is False
    assert not message(form, "Summary").isHidden()
    assert message(form, "Category").isHidden()


def test_a_concern_keeps_its_links_to_the_observation_that_showed_it(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    child_id = add_child(qtbot, vault_session)
    seen = ObservationForm(vault_session, child_id, occurred=SEEN_ON)
    show(qtbot, seen)
    seen.category.set_value(ObservationCategory.HOME_ENVIRONMENT)
    QTest.keyClicks(seen.text, "No safe sleeping space.")
    observation: EntryView = saved_by_ctrl_s(qtbot, seen)

    form = ConcernForm(vault_session, child_id, observation_ids=(observation.id,), occurred=SEEN_ON)
    show(qtbot, form)
    form.category.set_value(ConcernCategory.NEGLECT)
    QTest.keyClicks(form.summary, "Unsafe sleep.")
    concern: EntryView = saved_by_ctrl_s(qtbot, form)
    assert concern.fields["observation_ids"] == [observation.id]

    reopened = ConcernForm(vault_session, child_id)
    qtbot.addWidget(reopened)
    reopened.open_entry(concern)
    assert reopened.summary.text() == "Unsafe sleep."
    assert reopened.observation_ids == (observation.id,)


# -- people --------------------------------------------------------------------------------------


def test_a_child_with_a_mistyped_nhs_number_is_shown_under_the_number(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    form = ChildForm(vault_session)
    show(qtbot, form)
    QTest.keyClicks(form.given_name, "Leo")
    QTest.keyClicks(form.family_name, "Marsh")
    QTest.keyClicks(form.date_of_birth, "02/05/2025")
    QTest.keyClicks(form.nhs_number, "9990000019")

    QTest.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, vault_session)

    problem = message(form, "NHS number")
    assert not problem.isHidden()
    assert "check digit" in problem.text()
    assert form.isVisible()
    assert read(qtbot, vault_session, casework.caseload) == []

    form.nhs_number.clear()
    QTest.keyClicks(form.nhs_number, "999 000 0018")
    summary = saved_by_ctrl_s(qtbot, form)
    assert summary.nhs_number == "9990000018"
    assert form.result() == QDialog.DialogCode.Accepted
    assert [row.name for row in read(qtbot, vault_session, casework.caseload)] == ["Leo Marsh"]


def test_editing_a_child_changes_what_was_typed_and_keeps_the_rest(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    child_id = add_child(qtbot, vault_session, other_names=("Mia",), postcode="NE1 4XX")
    before = read(qtbot, vault_session, casework.overview, child_id).details
    form = ChildForm(vault_session, (child_id, before))
    show(qtbot, form)
    assert form.nhs_number.text() == "999 000 0018"
    assert form.date_of_birth.text() == "14/03/2025"
    form.family_name.clear()
    QTest.keyClicks(form.family_name, "Okafor-Reid")

    saved_by_ctrl_s(qtbot, form)

    after = read(qtbot, vault_session, casework.overview, child_id).details
    assert after.family_name == "Okafor-Reid"
    assert after.other_names == ("Mia",)
    assert after.postcode == "NE1 4XX"
    assert after.nhs_number == "9990000018"


def test_a_child_needs_a_date_of_birth_or_an_expected_date(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    form = ChildForm(vault_session)
    show(qtbot, form)
    QTest.keyClicks(form.given_name, "Baby")
    QTest.keyClicks(form.family_name, "Hart")
    assert form.save() is False
    assert not message(form, "Date of birth").isHidden()


def test_a_household_member_saved_appears_in_the_overview(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    child_id = add_child(qtbot, vault_session)
    form = HouseholdMemberForm(vault_session, child_id)
    show(qtbot, form)
    QTest.keyClicks(form.name, "Grace Okafor")
    QTest.keyClicks(form.relationship, "Mother")
    form.parental_responsibility.set_value(True)
    QTest.keyClicks(form.from_date, "14/03/2025")
    QTest.keyClicks(form.to_date, "01/01/2025")
    assert form.save() is False
    assert not message(form, "To").isHidden()  # ends before it starts

    form.to_date.clear()
    saved_by_ctrl_s(qtbot, form)

    household = read(qtbot, vault_session, casework.overview, child_id).household
    assert [(m.name, m.relationship) for m in household] == [("Grace Okafor", "Mother")]
    assert household[0].lives_with_child is True
    assert household[0].parental_responsibility is True
    assert household[0].from_date == date(2025, 3, 14)


def test_a_professional_saved_appears_in_the_overview(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    child_id = add_child(qtbot, vault_session)
    form = ProfessionalForm(vault_session, child_id)
    show(qtbot, form)
    QTest.keyClicks(form.name, "Sam Reed")
    QTest.keyClicks(form.role, "Social worker")
    assert form.save() is False
    assert not message(form, "Agency").isHidden()

    QTest.keyClicks(form.agency, "Northshire Children's Services")
    form.lead.setChecked(True)
    saved_by_ctrl_s(qtbot, form)

    professionals = read(qtbot, vault_session, casework.overview, child_id).professionals
    assert [(p.name, p.role, p.lead) for p in professionals] == [
        ("Sam Reed", "Social worker", True)
    ]


def test_a_refusal_from_the_service_keeps_the_dialog_open_with_the_typing(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    form = ProfessionalForm(vault_session, "no-such-child")
    show(qtbot, form)
    QTest.keyClicks(form.name, "Sam Reed")
    QTest.keyClicks(form.role, "Social worker")
    QTest.keyClicks(form.agency, "Northshire Children's Services")

    assert form.save() is True
    wait_idle(qtbot, vault_session)

    assert not form.banner.isHidden()
    assert form.isVisible()
    assert form.name.text() == "Sam Reed"
    assert form.save_button.isEnabled()
