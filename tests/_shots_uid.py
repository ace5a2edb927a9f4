"""Screenshots of the dialogs issue 17 changed (not a test suite; run by hand under xvfb)."""

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from practitioner_app.services import forms, people
from practitioner_app.ui.case.form_export import FormExportDialog, FormToExport
from practitioner_app.ui.forms.visit import VisitForm
from practitioner_app.ui.session import VaultSession
from tests.conftest import child_details
from tests.test_ui_enter import run
from tests.ui_helpers import wait_idle

OUT = Path("/tmp/uid_shots")


def test_shots(qtbot: QtBot, vault_session: VaultSession, tmp_path: Path) -> None:
    child = run(qtbot, vault_session, people.add_child, child_details())
    form = VisitForm(vault_session, child.id)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.present.setText("Mother")
    form.grab().save(str(OUT / "visit.png"))

    def snap() -> None:
        box = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        )
        box.grab().save(str(OUT / "finalise_question.png"))
        box.reject()

    QTimer.singleShot(300, snap)
    form.finalise()
    wait_idle(qtbot, vault_session)

    view = run(qtbot, vault_session, forms.start, child.id, "marf")
    dialog = FormExportDialog(vault_session, FormToExport.of_view(view))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str(OUT / "export_none.png"))
    dialog.recipient.send.setChecked(True)
    dialog.export()
    dialog.grab().save(str(OUT / "export_send.png"))
    form.done(0)


def test_draft_pdf(workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from practitioner_app.services import exports
    from tests.test_forms import make_case

    case = make_case(workspace)
    view = forms.start(workspace, case.child, "marf")
    exports.form_pdf(workspace, view.id, OUT / "draft.pdf", recipient=None)
