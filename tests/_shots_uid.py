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


def test_more_shots(qtbot: QtBot, vault_session: VaultSession) -> None:
    from practitioner_app.services import alerts
    from practitioner_app.ui.case.alert_review import AlertReviewDialog
    from tests.test_alert_referral import baby_with_bruise
    from tests.test_ui_alerts import open_case

    child, _ = run(qtbot, vault_session, baby_with_bruise)
    workspace = open_case(qtbot, vault_session, child)
    panel = workspace.overview_tab.alerts
    found = run(qtbot, vault_session, alerts.explain, child)
    dialog = AlertReviewDialog(vault_session, child, found)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.acted.setChecked(True)
    dialog.note.setPlainText("Same-day paediatric assessment booked for 14:00; MARF sent.")
    dialog.grab().save(str(OUT / "review_dialog.png"))
    with qtbot.waitSignal(dialog.reviewed, timeout=30_000):
        dialog.record()
    wait_idle(qtbot, vault_session)
    workspace.grab().save(str(OUT / "overview_reviewed.png"))
    workspace.start_referral(child, found[0].alert)
    wait_idle(qtbot, vault_session)
    editor = workspace.dialogs[-1]
    editor.resize(1060, 800)
    editor.go_to_section("reason")
    editor.grab().save(str(OUT / "marf_from_alert.png"))


def test_unlock_demo(qtbot: QtBot, vault_dir: Path, tmp_path: Path) -> None:
    import shutil

    from practitioner_app.services import locations
    from tests.ui_helpers import open_window

    real = tmp_path / "mine"
    shutil.copytree(vault_dir, locations.demo_vault_dir(real))
    window = open_window(qtbot, real, tmp_path / "settings")
    qtbot.waitExposed(window)
    window.grab().save(str(OUT / "unlock_demo.png"))
    window.close()
    window.session.worker.shutdown()
