"""The About box (versions, for support calls) and Preferences: this computer's non-sensitive
settings (QSettings) and, when a vault is open, the vault's own policy settings (audited in it)."""

from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSettings, qVersion
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.errors import Problem
from practitioner_app.services import locations
from practitioner_app.ui import APP_TITLE
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.guard import AUTO_LOCK_KEY, auto_lock_minutes
from practitioner_app.ui.operations import Operation

if TYPE_CHECKING:
    from practitioner_app.ui.session import VaultSession


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
    """The lock time (this computer) and, with a vault open, whether the organisation allows
    photographs (this vault: read and saved on the worker, audited and signed)."""

    def __init__(
        self, parent: QWidget | None = None, session: "VaultSession | None" = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.photographs_were: bool | None = None
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
        self.photographs = QCheckBox("The organisation allows &photographs in records")
        self.photographs.setAccessibleName("The organisation allows photographs in records")
        self.photographs.setEnabled(False)
        self.photographs_note = QLabel(
            "A setting of this vault, recorded in its audit trail with your name. Many "
            "organisations forbid practitioner photographs and ask for a body map instead: "
            "tick this only if your organisation's policy allows them."
        )
        self.photographs_note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        if session is not None:
            # Here, not at the top: the photograph service brings SQLAlchemy and ReportLab,
            # which the unlock window, shown at start-up, has no need of (issue 19).
            from practitioner_app.services import photographs

            layout.addWidget(self.photographs)
            layout.addWidget(self.photographs_note)
            (
                Operation(self, session, photographs.photographs_allowed, purpose="policy")
                .success(self._policy_loaded)
                .failure(self._policy_unreadable)
                .run_in_background()
            )
        layout.addWidget(buttons)

    def _policy_loaded(self, allowed: bool) -> None:
        self.photographs_were = allowed
        self.photographs.setChecked(allowed)
        self.photographs.setEnabled(True)

    def _policy_unreadable(self, problem: Problem) -> None:
        # Locked meanwhile, or the vault could not be read: the setting stays as it is.
        self.photographs_note.setText(problem.message)

    def accept(self) -> None:
        QSettings().setValue(AUTO_LOCK_KEY, self.minutes.value())
        wanted = self.photographs.isChecked()
        owner = self.parent() or self
        if self.session is not None and self.photographs_were not in (None, wanted):
            from practitioner_app.services import photographs

            # Saved after the dialog closes; the window that opened it hears any refusal.
            (
                Operation(owner, self.session, photographs.set_photographs_allowed, wanted)
                .changes(Changes.of("vault_setting"))
                .failure(_refused)
                .run_in_background()
            )
        super().accept()


def _refused(problem: Problem) -> None:
    QMessageBox.warning(None, "Preferences", problem.message)
