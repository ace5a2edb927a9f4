"""QA of issue 17 item 2 ("a share is a share"), the issue's own symptom: after a draft MARF is
exported *to someone* (a share the practitioner chose, logged as "DRAFT version"), the Forms list
still tells her the draft "has not been shared", and its "Referred to / shared with" column names
"Children's social care front door", which it never went to, instead of the GP it did go to. Real widgets, a real vault, a real PDF written."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from practitioner_app.domain.enums import Consent
from practitioner_app.services import sharing
from practitioner_app.ui.case.form_export import FormExportDialog
from practitioner_app.ui.case.forms_models import FormListModel
from practitioner_app.ui.session import VaultSession
from tests.test_forms import Case, make_case
from tests.test_ui_forms_tab import click, open_case, run, start
from tests.ui_helpers import wait_idle

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def case(qtbot: QtBot, vault_session: VaultSession) -> Case:
    made: Case = run(qtbot, vault_session, make_case)
    return made


def test_a_draft_marf_shared_with_someone_is_not_listed_as_never_shared(
    qtbot: QtBot, vault_session: VaultSession, case: Case, tmp_path: Path
) -> None:
    workspace = open_case(qtbot, vault_session, case.child)
    editor = start(qtbot, workspace, "marf")
    click(qtbot, editor.export_button)
    wait_idle(qtbot, vault_session)
    dialog = workspace.dialogs[-1]
    assert isinstance(dialog, FormExportDialog)
    dialog.choose_path = lambda _suggested: tmp_path / "marf.pdf"
    fields = dialog.recipient
    fields.send.setChecked(True)
    QTest.keyClicks(fields.with_whom, "Dr Priya Shah, GP")
    QTest.keyClicks(fields.purpose, "Second opinion on the weight loss")
    QTest.keyClicks(fields.lawful_basis, "UK GDPR Art. 6(1)(e) and 9(2)(h)")
    fields.consent.set_value(Consent.GIVEN)
    click(qtbot, dialog.export_button)
    qtbot.waitUntil(lambda: dialog.saved is not None, timeout=60_000)
    wait_idle(qtbot, vault_session)
    [share] = run(qtbot, vault_session, sharing.log, case.child)
    assert "DRAFT" in share.what  # logged as the draft that went (holds)

    model = workspace.forms.forms_model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    status = model.index(0, FormListModel.STATUS)
    sent_to = model.index(0, FormListModel.SENT_TO)
    said = (
        str(model.data(status, Qt.ItemDataRole.ToolTipRole)),
        str(model.data(sent_to, Qt.ItemDataRole.DisplayRole)),
    )
    assert ("not been shared" in said[0], "Priya Shah" in said[1]) == (False, True), (
        f"Forms list status tip {said[0]!r}; 'Referred to / shared with' shows {said[1]!r}"
    )
