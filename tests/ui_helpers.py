"""Helpers for the desktop-app tests: a real vault opened through the real worker thread."""

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from practitioner_app.domain.errors import Problem
from practitioner_app.ui.app import configure_application
from practitioner_app.ui.forms.base import RecordForm
from practitioner_app.ui.forms.finalising import FinalSummary
from practitioner_app.ui.main_window import MainWindow
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.worker import Worker
from tests.conftest import PASSPHRASE


def open_session(qtbot: QtBot, vault_dir: Path) -> VaultSession:
    worker = Worker()
    session = VaultSession(worker, vault_dir)
    with qtbot.waitSignal(session.unlocked, timeout=30_000):
        session.unlock(PASSPHRASE, failed=lambda problem: (_ for _ in ()).throw(problem))
    return session


def open_session_with_key(qtbot: QtBot, vault_dir: Path, data_key: bytes) -> VaultSession:
    """A session on the vault, opened on the worker thread as `unlock` does, but with the data
    key the suite already holds instead of another Argon2id run. Tests about unlocking use
    `open_session` or the unlock page."""
    from practitioner_app.services.workspace import open_vault_with_data_key

    worker = Worker()
    session = VaultSession(worker, vault_dir)

    def failed(problem: Problem) -> None:
        raise problem

    with qtbot.waitSignal(session.unlocked, timeout=30_000):
        # `_opened` is what `VaultSession.unlock` hands its result to.
        worker.run(
            open_vault_with_data_key, vault_dir, data_key, done=session._opened, failed=failed
        )
    return session


def close_dialogs(qtbot: QtBot, session: VaultSession) -> None:
    """Close the dialogs a test left open (forms, viewers, export dialogs; typing in them is
    dropped, not saved), then let the worker finish what they had asked of it, so nothing they
    started lands after the worker has stopped."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.done(QDialog.DialogCode.Rejected)
    wait_idle(qtbot, session)


def close_session(qtbot: QtBot, session: VaultSession) -> None:
    close_dialogs(qtbot, session)
    session.lock_and_wait()
    session.worker.shutdown()


def wait_idle(qtbot: QtBot, session: VaultSession, timeout: int = 30_000) -> None:
    """Until the worker has finished everything asked of it and its results are delivered."""
    qtbot.waitUntil(lambda: not session.worker.busy, timeout=timeout)


def open_window(qtbot: QtBot, vault_dir: Path, settings: Path) -> MainWindow:
    """The main window on the vault, with QSettings kept in `settings`, not the user's own."""
    configure_application()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings))
    window = MainWindow(VaultSession(Worker(), vault_dir))
    qtbot.addWidget(window)
    window.show()
    return window


def unlock_window(qtbot: QtBot, window: MainWindow, secret: str = PASSPHRASE) -> None:
    """Unlock through the unlock page, as the practitioner does."""
    window.unlock_page.secret.setText(secret)
    with qtbot.waitSignal(window.session.unlocked, timeout=30_000):
        qtbot.mouseClick(window.unlock_page.unlock_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.session)


def agree_to_finalise(form: RecordForm) -> list[FinalSummary]:
    """Answer 'Make final' to the form's one question, as the practitioner clicking it would, and
    keep each summary the form showed, in the order asked."""
    asked: list[FinalSummary] = []

    def answer(_parent: QWidget, summary: FinalSummary) -> bool:
        asked.append(summary)
        return True

    form.ask_to_finalise = answer
    return asked
