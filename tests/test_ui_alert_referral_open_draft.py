"""Issue 17 item 3, the known gap: a draft MARF is open in its window when *Start a referral*
from an alert adds the injury to the same draft. The window's unsaved words are saved first and the
window then shows the draft as stored, so neither what was typed nor what the alert added is lost,
and saving the window again cannot put back a draft without the injury. Real widgets, a real
encrypted vault."""

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.services import alerts, forms, people
from practitioner_app.ui.forms.structured import StructuredForm
from practitioner_app.ui.forms.structured_answers import TextAnswer
from practitioner_app.ui.session import VaultSession
from tests.conftest import child_details
from tests.test_ui_forms_tab import open_case, row, run, start
from tests.ui_helpers import wait_idle

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def the_alert(ws: Any, child: str) -> Any:
    return next(a for a in alerts.for_child(ws, child) if a.rule == "NON_MOBILE_INJURY")


def open_draft_then_bruise(qtbot: QtBot, session: VaultSession) -> tuple[Any, StructuredForm, str]:
    """The MARF started (and open) before the bruise was recorded: its concerns lack it."""
    born = uk_date(now_utc()) - timedelta(days=60)
    child = run(qtbot, session, people.add_child, child_details(date_of_birth=born)).id
    workspace = open_case(qtbot, session, child)
    editor = start(qtbot, workspace, "marf")
    run(qtbot, session, lambda ws: baby_with_bruise_for(ws, child))
    return workspace, editor, child


def baby_with_bruise_for(ws: Any, child: str) -> None:
    from practitioner_app.domain.enums import ObservationCategory
    from practitioner_app.domain.records import InjuryDetails, ObservationDetails
    from practitioner_app.services import records

    records.create_entry(
        ws,
        ObservationDetails(
            child_id=child,
            occurred_at=now_utc() - timedelta(hours=1),
            category=ObservationCategory.INJURY,
            text="Bruise on left cheek.",
            injury=InjuryDetails(body_regions=("Face",), description="bruise on left cheek"),
        ),
    )


def text_of(editor: StructuredForm, key: str) -> str:
    return str(row(editor, key).editor.draft_value() or "")


def test_unsaved_words_in_the_open_draft_and_the_alerts_injury_are_both_kept(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    workspace, editor, child = open_draft_then_bruise(qtbot, vault_session)
    reason = row(editor, "reason").editor
    assert isinstance(reason, TextAnswer)
    reason.setFocus()
    QTest.keyClicks(reason.edit, "Mother asked for help with the baby's crying.")
    assert editor.dirty

    workspace.start_referral(child, run(qtbot, vault_session, the_alert, child))
    wait_idle(qtbot, vault_session)
    qtbot.waitUntil(lambda: editor.isEnabled() and "cheek" in text_of(editor, "concerns"))

    assert [d for d in workspace.dialogs if isinstance(d, StructuredForm)] == [editor]
    assert text_of(editor, "reason") == "Mother asked for help with the baby's crying."
    stored = run(qtbot, vault_session, forms.get, editor.view.id)
    assert stored.details.sections["reason"] == "Mother asked for help with the baby's crying."
    assert "cheek" in stored.details.sections["concerns"]


def test_saving_the_open_draft_after_the_alert_keeps_what_the_alert_added(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    workspace, editor, child = open_draft_then_bruise(qtbot, vault_session)
    assert not editor.dirty

    workspace.start_referral(child, run(qtbot, vault_session, the_alert, child))
    wait_idle(qtbot, vault_session)
    qtbot.waitUntil(lambda: text_of(editor, "reason").startswith("Alert:"))

    editor.save_draft()  # as the practitioner would, before closing the window
    wait_idle(qtbot, vault_session)
    stored = run(qtbot, vault_session, forms.get, editor.view.id)
    assert stored.details.sections["reason"].startswith("Alert:")
    assert "cheek" in stored.details.sections["concerns"]
