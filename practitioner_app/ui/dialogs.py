"""The About box (versions, for support calls) and Preferences (non-sensitive settings only)."""

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSettings, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.services import locations
from practitioner_app.ui.guard import AUTO_LOCK_KEY, auto_lock_minutes

APP_TITLE = "Practitioner Records"


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_TITLE}")
        import platform  # here: its import is a noticeable part of start-up, for an About box

        versions = locations.versions()
        self.versions = {
            APP_TITLE: versions["app"],
            "Qt": qVersion(),
            "PySide6": pyside_version,
            "SQLCipher": versions["SQLCipher"],
            "SQLAlchemy": versions["SQLAlchemy"],
            "Python": platform.python_version(),
        }
        intro = QLabel(
            "Offline, encrypted records of home visits, observations and concerns, "
            "with chronologies and referrals."
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        for name, version in self.versions.items():
            value = QLabel(version)
            value.setAccessibleName(f"{name} version")
            form.addRow(f"{name}:", value)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 60)
        self.minutes.setSuffix(" minutes")
        self.minutes.setValue(auto_lock_minutes())
        self.minutes.setAccessibleName("Lock after this many minutes without use")
        note = QLabel(
            "Drafts are saved before the vault locks. Shorter is safer on a shared or "
            "travelling laptop."
        )
        note.setWordWrap(True)
        form = QFormLayout()
        caption = QLabel("&Lock after:")
        caption.setBuddy(self.minutes)
        form.addRow(caption, self.minutes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def accept(self) -> None:
        QSettings().setValue(AUTO_LOCK_KEY, self.minutes.value())
        super().accept()
