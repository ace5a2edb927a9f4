"""Helpers for the desktop-app tests: a real vault opened through the real worker thread."""

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from practitioner_app.ui.app import configure_application
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


def close_session(session: VaultSession) -> None:
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
