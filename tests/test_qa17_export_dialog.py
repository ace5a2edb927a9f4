"""QA of issue 17 item 9 ("screens that read right") on the chronology's export dialog, tried as a
health visitor would: after a PDF has gone to someone, the progress bar and the saved sentence
are added to the dialog without it growing, so the "Is it going to someone?" choices are
squashed to half their height and their words cut through (screenshot /tmp/qa17/22_export_done.png).
Real dialog, real vault, a real PDF written."""

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from practitioner_app.domain.enums import Consent
from practitioner_app.services import people, sharing
from practitioner_app.ui.case.export_dialog import ExportDialog
from practitioner_app.ui.session import VaultSession
from tests.conftest import child_details
from tests.test_ui_alerts import open_case
from tests.test_ui_enter import run
from tests.test_ui_keyboard import final_visit
from tests.ui_helpers import wait_idle

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


def test_every_field_of_the_export_dialog_keeps_its_height_after_the_pdf_is_saved(
    qtbot: QtBot, vault_session: VaultSession, tmp_path: Path
) -> None:
    child = run(qtbot, vault_session, people.add_child, child_details()).id
    run(qtbot, vault_session, final_visit(child))
    case: Any = open_case(qtbot, vault_session, child)
    case.export_pdf()
    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, ExportDialog) and w.isVisible()
    )
    fields = dialog.recipient
    fields.send.setChecked(True)
    QTest.keyClicks(fields.with_whom, "Children's Services front door")
    QTest.keyClicks(fields.purpose, "Referral")
    QTest.keyClicks(fields.lawful_basis, "Children Act 1989 s.47")
    fields.consent.set_value(Consent.GIVEN)
    dialog.choose_path = lambda _suggested: tmp_path / "chronology.pdf"

    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.saved is not None, timeout=60_000)
    wait_idle(qtbot, vault_session)
    QApplication.processEvents()
    assert len(run(qtbot, vault_session, sharing.log, child)) == 1  # the share is logged (holds)

    squashed = [
        (
            widget.accessibleName() or type(widget).__name__,
            widget.height(),
            widget.sizeHint().height(),
        )
        for widget in [*dialog.findChildren(QAbstractButton), *dialog.findChildren(QLineEdit)]
        if widget.isVisible() and widget.height() < widget.sizeHint().height()
    ]
    assert squashed == [], f"fields shorter than their text (name, height, needed): {squashed}"
    dialog.close()
