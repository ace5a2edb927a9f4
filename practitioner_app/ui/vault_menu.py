"""The Vault menu's care of the vault itself (issue 17, "no trap"): Backup…, Restore…, Check the
vault… (issue 16), Change passphrase… and Switch vault…, each through the worker so the window never waits on the disk;
and where every file question starts: the practitioner's Documents folder, never the working
directory.
"""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.ui.forms.finalising import enter_moves_on
from practitioner_app.ui.layout import FormLayout
from practitioner_app.ui.session import VaultChoice, VaultSession
from practitioner_app.ui.style import ERROR_STYLE

if TYPE_CHECKING:
    from practitioner_app.services.workspace import Workspace

BACKUP_FILTER = "Vault backups (*.vaultbackup);;All files (*)"


def documents_dir() -> Path:
    """Where every save and open question starts: the user's Documents folder (home if the
    system names none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def backup_file_name(demo: bool) -> str:
    # Imported here: the UK time zone's data is not needed to show the unlock window.
    from practitioner_app.domain.times import now_utc, uk_date

    return f"{'Demo vault' if demo else 'Vault'} backup {uk_date(now_utc()):%d-%m-%Y}.vaultbackup"


def _backup(ws: "Workspace", destination: Path) -> str:
    """What the window says of the backup made: where it is, and if its audit line could not be
    written (a full vault disk), that too."""
    from practitioner_app.services import integrity

    unaudited = integrity.backup(ws, destination)
    made = f"Backed up to {destination}. It opens with the same passphrase or recovery key."
    return f"{made} {unaudited}" if unaudited else made


def _change_passphrase(ws: "Workspace", new: str) -> None:
    ws.change_passphrase(new)


class ChangePassphraseDialog(QDialog):
    """The new passphrase, twice; judged as the first-run page judges one."""

    changed = Signal()

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Change passphrase")
        self.setAccessibleName("Change passphrase")
        intro = QLabel(
            "The new passphrase opens the vault from now on; your recovery key still works. "
            "Nothing in the vault is re-encrypted, so this takes a moment."
        )
        intro.setWordWrap(True)
        self.new = QLineEdit()
        self.new.setEchoMode(QLineEdit.EchoMode.Password)
        self.new.setAccessibleName("New passphrase")
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName("New passphrase again")
        self.form = FormLayout()
        self.form.add("&New passphrase:", self.new, "new")
        self.form.add("New passphrase a&gain:", self.repeat, "repeat")
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.hide()
        self.change_button = QPushButton("&Change passphrase")
        self.change_button.setAutoDefault(False)
        self.cancel_button = QPushButton("Cancel")
        buttons = QDialogButtonBox()
        buttons.addButton(self.change_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.change_button.clicked.connect(self.change)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)
        self.resize(480, 260)
        self.new.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not enter_moves_on(self, event):
            super().keyPressEvent(event)

    def chosen(self) -> str:
        from practitioner_app.domain.passphrase import assess  # zxcvbn's lists load slowly

        new = self.new.text()
        if not new:
            raise InvalidInput("Type the new passphrase, twice.", "new")
        verdict = assess(new)
        if not verdict.accepted:
            raise InvalidInput(verdict.reason, "new")
        if self.repeat.text() != new:
            raise InvalidInput("The two passphrases differ; type the same one twice.", "repeat")
        return new

    def change(self) -> bool:
        self.form.clear_messages()
        self.banner.hide()
        try:
            new = self.chosen()
        except InvalidInput as problem:
            if not self.form.show_message(problem.field or "", problem.message):
                self._failed(problem)
            return False
        self.change_button.setEnabled(False)
        self.session.call(_change_passphrase, new, done=self._done, failed=self._failed)
        return True

    def _done(self, _: object) -> None:
        self.new.clear()
        self.repeat.clear()
        self.changed.emit()
        self.accept()

    def _failed(self, problem: Problem) -> None:
        self.change_button.setEnabled(True)
        self.banner.setText(problem.message)
        self.banner.show()


class VaultMenu(QObject):
    """What the Vault menu does to the vault. Questions (files, passphrases) are attributes so
    tests answer them; the answers are acted on through the worker."""

    switched = Signal()  # another vault chosen: the unlock screen shows it
    said = Signal(str)  # a one-sentence outcome for the status bar

    def __init__(self, session: VaultSession, window: QWidget) -> None:
        super().__init__(window)
        self.session = session
        self.window = window
        self.save_path: Callable[[str, Path, str], Path | None] = self._ask_save_path
        self.open_path: Callable[[str, Path, str], Path | None] = self._ask_open_path
        self.folder: Callable[[str, Path], Path | None] = self._ask_folder
        self.secret: Callable[[str], str | None] = self._ask_secret
        self.last_check: QDialog | None = None  # the check's answer, for tests to read

    # -- the questions --------------------------------------------------------------------------

    def _ask_save_path(self, title: str, suggested: Path, filters: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.window, title, str(suggested), filters)
        return Path(name) if name else None

    def _ask_open_path(self, title: str, start: Path, filters: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.window, title, str(start), filters)
        return Path(name) if name else None

    def _ask_folder(self, title: str, start: Path) -> Path | None:
        name = QFileDialog.getExistingDirectory(self.window, title, str(start))
        return Path(name) if name else None

    def _ask_secret(self, prompt: str) -> str | None:
        text, given = QInputDialog.getText(
            self.window, "Restore a backup", prompt, QLineEdit.EchoMode.Password
        )
        return text if given and text else None

    def _tell(self, title: str, text: str, icon: QMessageBox.Icon) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)  # it quotes a path
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): the window keeps working while it is read
        self.said.emit(text)

    # -- the actions ------------------------------------------------------------------------------

    def backup(self) -> bool:
        """Ask where (starting in Documents), then write the encrypted backup on the worker."""
        if not self.session.is_open:
            return False
        suggested = documents_dir() / backup_file_name(self.session.is_demo)
        destination = self.save_path("Back up the vault to", suggested, BACKUP_FILTER)
        if destination is None:
            return False
        self.session.call(
            _backup,
            destination,
            done=lambda said: self._tell("Backed up", said, QMessageBox.Icon.Information),
            failed=lambda problem: self._tell(
                "Not backed up", problem.message, QMessageBox.Icon.Warning
            ),
        )
        return True

    def check_vault(self) -> bool:
        """Run verify on the worker (the window keeps working meanwhile), then show its answer
        in plain words (ui/vault_check.py)."""
        from practitioner_app.ui.vault_check import CHECKING, VaultCheckDialog, check

        if not self.session.is_open:
            return False
        self.said.emit(CHECKING)

        def show(report: object) -> None:
            dialog = VaultCheckDialog(report, self.window)  # type: ignore[arg-type]
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.last_check = dialog
            dialog.open()
            self.said.emit(dialog.windowTitle() + ".")

        self.session.call(
            check,
            done=show,
            failed=lambda problem: self._tell(
                "Not checked", problem.message, QMessageBox.Icon.Warning
            ),
        )
        return True

    def change_passphrase(self) -> ChangePassphraseDialog | None:
        if not self.session.is_open:
            return None
        dialog = ChangePassphraseDialog(self.session, self.window)
        dialog.changed.connect(lambda: self.said.emit("Passphrase changed."))
        dialog.finished.connect(dialog.deleteLater)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def restore(self, lock: Callable[[Callable[[], None]], None]) -> bool:
        """Ask for the backup file (from Documents) and its passphrase, lock, then restore on the
        worker; the vault it replaces is kept in its backups folder. `lock(then)` locks the
        window as its Lock action does."""
        backup = self.open_path("Restore which backup?", documents_dir(), BACKUP_FILTER)
        if backup is None:
            return False
        secret = self.secret(
            "The backup's passphrase (or recovery key). The vault it replaces is kept in its "
            "backups folder."
        )
        if secret is None:
            return False
        root = self.session.choice.path

        def restore_it() -> None:
            self.session.restore(
                root,
                backup,
                secret,
                failed=lambda problem: self._tell(
                    "Not restored", problem.message, QMessageBox.Icon.Warning
                ),
            )

        lock(restore_it)
        return True

    def switch_vault(self, lock: Callable[[Callable[[], None]], None]) -> bool:
        """Lock, then choose another vault's folder (from Documents) to unlock."""
        folder = self.folder("Open which vault folder?", documents_dir())
        if folder is None:
            return False
        choice = VaultChoice(folder, demo=False)
        if not choice.exists:
            self._tell(
                "Not a vault",
                f"{folder} holds no vault (no vault.key); choose the folder the vault is in.",
                QMessageBox.Icon.Warning,
            )
            return False

        def choose() -> None:
            self.session.choose(choice)
            self.switched.emit()

        if self.session.is_open:
            lock(choose)
        else:
            choose()
        return True
