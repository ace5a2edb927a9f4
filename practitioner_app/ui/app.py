"""Starting the desktop app: the QApplication, the worker, the session and the main window."""

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from practitioner_app.ui import APP_TITLE
from practitioner_app.ui.fonts import add_missing_script_fonts
from practitioner_app.ui.main_window import MainWindow
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.worker import Worker

ORGANISATION = "practitioner-app"


def configure_application() -> None:
    """Names QSettings uses: only non-sensitive preferences live there (window size, lock time).
    Fonts for the scripts the system has none for (ui/fonts.py)."""
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APP_TITLE)
    add_missing_script_fonts()


def run(vault_dir: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_application()
    # Follow the system palette (light or dark) with the platform style; Fusion where there is none.
    if QApplication.style().name().lower() == "windows" and sys.platform != "win32":
        QApplication.setStyle("Fusion")
    worker = Worker()
    session = VaultSession(worker, vault_dir)
    window = MainWindow(session)
    window.show()
    try:
        return int(app.exec())
    finally:
        session.lock_and_wait()
        worker.shutdown()
