"""Starting the desktop app: the QApplication, the worker, the session and the main window."""

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from practitioner_app.ui import APP_TITLE
from practitioner_app.ui.main_window import MainWindow
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.worker import Worker

ORGANISATION = "practitioner-app"


def configure_application() -> None:
    """Names QSettings uses: only non-sensitive preferences live there (window size, lock time).
    The fonts for scripts the system lacks are added once the window is up (MainWindow)."""
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APP_TITLE)


def start(vault_dir: Path | None = None) -> tuple[QApplication, MainWindow]:
    """The QApplication (made if there is none) and the main window on `vault_dir`, shown; the
    event loop is the caller's to run."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    configure_application()
    window = MainWindow(VaultSession(Worker(), vault_dir))
    window.show()
    return app, window


def run(vault_dir: Path | None = None) -> int:
    return event_loop(*start(vault_dir))


def event_loop(app: QApplication, window: MainWindow) -> int:
    """Run the app until its window closes, then lock the vault and stop the worker."""
    try:
        return int(app.exec())
    finally:
        window.session.lock_and_wait()
        window.session.worker.shutdown()
