"""The first run: create the practitioner's vault (profile, passphrase with live strength feedback,
the recovery key shown once and confirmed), or try the app on a separate DEMO vault."""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.ui.guard import Clipboard
from practitioner_app.ui.layout import FormLayout
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.style import ERROR_STYLE
from practitioner_app.ui.worker import Cancelled, Job

if TYPE_CHECKING:
    from practitioner_app.services.workspace import Profile

STRENGTH_WORDS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")


def _centred(*widgets: QWidget, width: int = 620) -> QWidget:
    panel = QWidget()
    panel.setMaximumWidth(width)
    box = QVBoxLayout(panel)
    box.addStretch(1)
    for widget in widgets:
        box.addWidget(widget)
    box.addStretch(2)
    page = QWidget()
    outer = QHBoxLayout(page)
    outer.addStretch(1)
    outer.addWidget(panel, 4)
    outer.addStretch(1)
    return page


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 16pt; font-weight: bold;")
    label.setWordWrap(True)
    return label


def _text(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class FirstRunPage(QStackedWidget):
    finished = Signal()

    def __init__(
        self, session: VaultSession, clipboard: Clipboard, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.clipboard = clipboard
        self._job: Job | None = None
        self.welcome = self._welcome_page()
        self.profile_page = self._profile_page()
        self.recovery_page = self._recovery_page()
        self.demo_page = self._demo_page()
        for page in (self.welcome, self.profile_page, self.recovery_page, self.demo_page):
            self.addWidget(page)
        self._strength_timer = QTimer(self)
        self._strength_timer.setSingleShot(True)
        self._strength_timer.setInterval(250)  # zxcvbn on every keystroke would lag typing
        self._strength_timer.timeout.connect(self._show_strength)

    # -- pages ------------------------------------------------------------------------------

    def _welcome_page(self) -> QWidget:
        self.create_button = QPushButton("&Create my vault")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(lambda: self._go(self.profile_page, self.name))
        self.demo_button = QPushButton("&Try with demo data")
        self.demo_button.clicked.connect(self.start_demo)
        buttons = QWidget()
        row = QHBoxLayout(buttons)
        row.addWidget(self.create_button)
        row.addWidget(self.demo_button)
        row.addStretch()
        return _centred(
            _heading("Welcome"),
            _text(
                "Your records are kept in an encrypted vault on this computer, and work without a "
                "signal. Only your passphrase, or the recovery key you will be given, can open it."
            ),
            _text(
                "Not ready yet? Try the app on a separate DEMO vault full of invented families; "
                "it never mixes with your own records."
            ),
            buttons,
        )

    def _profile_page(self) -> QWidget:
        form = FormLayout()
        self.form = form
        self.name = QLineEdit()
        self.role = QLineEdit()
        self.role.setPlaceholderText("For example: Health visitor")
        self.agency = QLineEdit()
        self.agency.setPlaceholderText("For example: Northshire Community NHS Trust")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        for widget, label in (
            (self.name, "Your name"),
            (self.role, "Your role"),
            (self.agency, "Your agency"),
            (self.passphrase, "Passphrase"),
            (self.repeat, "Passphrase again"),
        ):
            widget.setAccessibleName(label)
        form.add("Your &name:", self.name, "name")
        form.add("Your &role:", self.role, "role")
        form.add("Your &agency:", self.agency, "agency")
        form.add("&Passphrase:", self.passphrase, "passphrase")
        self.strength = QProgressBar()
        self.strength.setRange(0, 4)
        self.strength.setTextVisible(True)
        self.strength.setFormat("")
        self.strength.setAccessibleName("Passphrase strength")
        self.strength_text = QLabel(
            "Use four or more unrelated words; a sentence only you would write."
        )
        self.strength_text.setWordWrap(True)
        self.strength_text.setAccessibleName("Passphrase advice")
        form.addRow("Strength:", self.strength)
        form.addRow("", self.strength_text)
        form.add("Passphrase a&gain:", self.repeat, "repeat")
        self.passphrase.textChanged.connect(lambda _: self._strength_timer.start())
        self.create_vault_button = QPushButton("Cr&eate vault")
        self.create_vault_button.setDefault(True)
        self.create_vault_button.clicked.connect(self.create_vault)
        self.repeat.returnPressed.connect(self.create_vault)
        back = QPushButton("&Back")
        back.clicked.connect(lambda: self._go(self.welcome, self.create_button))
        self.create_status = QLabel()
        self.create_problem = QLabel()
        self.create_problem.setStyleSheet(ERROR_STYLE)
        self.create_problem.setWordWrap(True)
        self.create_problem.hide()
        buttons = QWidget()
        row = QHBoxLayout(buttons)
        row.addWidget(back)
        row.addStretch()
        row.addWidget(self.create_status)
        row.addWidget(self.create_vault_button)
        body = QWidget()
        body.setLayout(form)
        return _centred(
            _heading("Create your vault"),
            _text("Every entry you record is signed with your name, role and agency."),
            body,
            self.create_problem,
            buttons,
        )

    def _recovery_page(self) -> QWidget:
        self.recovery_key = QLabel()
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(mono.pointSizeF() * 1.4)
        mono.setWeight(QFont.Weight.Bold)
        self.recovery_key.setFont(mono)
        self.recovery_key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recovery_key.setAccessibleName("Recovery key")
        self.recovery_key.setWordWrap(True)
        copy = QPushButton("Cop&y")
        copy.setToolTip("Copied text is cleared from the clipboard when the vault locks")
        copy.clicked.connect(lambda: self.clipboard.copy(self.recovery_key.text()))
        # On paper or in a file kept elsewhere (issue 17): printed, or saved (from Documents).
        self.print_button = QPushButton("&Print…")
        self.print_button.clicked.connect(self.print_key)
        self.save_key_button = QPushButton("Save &as…")
        self.save_key_button.setToolTip("Save it to a file, for a USB stick kept elsewhere")
        self.save_key_button.clicked.connect(self.save_key)
        self.key_saved = QLabel()
        self.key_saved.setWordWrap(True)
        self.key_saved.setTextFormat(Qt.TextFormat.PlainText)
        self.key_saved.setAccessibleName("Recovery key saved")
        # Replaced in tests: the printer and save-file questions.
        self.ask_printer: Callable[[], QPrinter | None] = self._ask_printer
        self.ask_key_path: Callable[[Path], Path | None] = self._ask_key_path
        self.stored = QCheckBox("I have &stored my recovery key safely, away from this laptop")
        self.continue_button = QPushButton("C&ontinue")
        self.continue_button.setEnabled(False)
        self.stored.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self._recovery_done)
        row = QWidget()
        line = QHBoxLayout(row)
        line.addWidget(self.recovery_key, 1)
        line.addWidget(copy)
        line.addWidget(self.print_button)
        line.addWidget(self.save_key_button)
        return _centred(
            _heading("Your recovery key"),
            _text(
                "If you forget your passphrase, this key is the only other way in. It is shown "
                "once and cannot be shown again. Write it down or print it, and keep it where "
                "your team keeps such things, never in the same bag as this laptop."
            ),
            row,
            self.key_saved,
            self.stored,
            self.continue_button,
        )

    def _sheet(self) -> str:
        from practitioner_app.services.integrity import recovery_sheet

        return recovery_sheet(self.recovery_key.text(), self.session.choice.path)

    def _ask_printer(self) -> QPrinter | None:
        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    def print_key(self) -> bool:
        printer = self.ask_printer()
        if printer is None:
            return False
        document = QTextDocument()
        document.setPlainText(self._sheet())
        document.print_(printer)
        self.key_saved.setText("Sent to the printer.")
        return True

    def _ask_key_path(self, suggested: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the recovery key as", str(suggested), "Text files (*.txt)"
        )
        return Path(name) if name else None

    def save_key(self) -> bool:
        """Ask where (starting in Documents), then write the sheet on the worker."""
        from practitioner_app.services.integrity import save_recovery_sheet
        from practitioner_app.ui.vault_menu import documents_dir

        destination = self.ask_key_path(documents_dir() / "Vault recovery key.txt")
        if destination is None:
            return False
        self.session.worker.run(
            save_recovery_sheet,
            destination,
            self.recovery_key.text(),
            self.session.choice.path,
            done=lambda path: self.key_saved.setText(
                f"Saved to {path}. Move it off this laptop, to where your team keeps such things."
            ),
            failed=lambda problem: self.key_saved.setText(problem.message),
        )
        return True

    def _demo_page(self) -> QWidget:
        self.demo_progress = QProgressBar()
        self.demo_progress.setAccessibleName("Demo vault progress")
        self.demo_status = QLabel("Starting…")
        self.demo_problem = QLabel()
        self.demo_problem.setStyleSheet(ERROR_STYLE)
        self.demo_problem.setWordWrap(True)
        self.demo_problem.hide()
        self.demo_cancel = QPushButton("Cancel")
        self.demo_cancel.clicked.connect(self._cancel_demo)
        return _centred(
            _heading("Making the DEMO vault"),
            _text("A separate vault of invented families, so you can try everything safely."),
            self.demo_progress,
            self.demo_status,
            self.demo_problem,
            self.demo_cancel,
        )

    # -- behaviour ------------------------------------------------------------------------

    def show_create(self) -> None:
        """Straight to setting up the practitioner's own vault (from the demo's unlock screen)."""
        self._go(self.profile_page, self.name)

    def _go(self, page: QWidget, focus: QWidget) -> None:
        self.setCurrentWidget(page)
        focus.setFocus()

    def _show_strength(self) -> None:
        text = self.passphrase.text()
        if not text:
            self.strength.setValue(0)
            self.strength.setFormat("")
            return
        from practitioner_app.domain.passphrase import assess  # zxcvbn's lists load slowly

        verdict = assess(text)
        self.strength.setValue(verdict.score)
        self.strength.setFormat(STRENGTH_WORDS[verdict.score])
        self.strength_text.setText("Strong enough." if verdict.accepted else verdict.reason)

    def _profile(self) -> "tuple[Profile, str]":
        from practitioner_app.domain.passphrase import assess
        from practitioner_app.services.workspace import Profile

        profile = Profile(
            self.name.text().strip(), self.role.text().strip(), self.agency.text().strip()
        )
        for field, value in (
            ("name", profile.name),
            ("role", profile.role),
            ("agency", profile.agency),
        ):
            if not value:
                raise InvalidInput(
                    f"{field.capitalize()} is required; every entry is signed with it.", field
                )
        verdict = assess(self.passphrase.text())
        if not verdict.accepted:
            raise InvalidInput(verdict.reason, "passphrase")
        if self.repeat.text() != self.passphrase.text():
            raise InvalidInput(
                "The two passphrases differ; type the same passphrase twice.", "repeat"
            )
        return profile, self.passphrase.text()

    def create_vault(self) -> None:
        self.form.clear_messages()
        self.create_problem.hide()
        try:
            profile, passphrase = self._profile()
        except InvalidInput as problem:
            if problem.field is None or not self.form.show_message(problem.field, problem.message):
                self.create_problem.setText(problem.message)
                self.create_problem.show()
            return
        self.create_vault_button.setEnabled(False)
        self.create_status.setText("Creating… this takes a few seconds.")
        self.session.create(passphrase, profile, done=self._created, failed=self._create_failed)

    def _created(self, recovery_key: str) -> None:
        self.passphrase.clear()
        self.repeat.clear()
        self.recovery_key.setText(recovery_key)
        self.stored.setChecked(False)
        self._go(self.recovery_page, self.stored)

    def _create_failed(self, problem: Problem) -> None:
        self.create_vault_button.setEnabled(True)
        self.create_status.clear()
        self.create_problem.setText(problem.message)
        self.create_problem.show()

    def _recovery_done(self) -> None:
        self.key_saved.clear()
        self.recovery_key.clear()  # shown once: gone from the screen and from memory we hold
        self.clipboard.clear_ours()
        self.session.announce_unlocked()
        self.finished.emit()

    def start_demo(self) -> None:
        self.demo_problem.hide()
        self.demo_cancel.setEnabled(True)
        self._go(self.demo_page, self.demo_cancel)
        self._job = self.session.create_demo(
            done=self._demo_done, failed=self._demo_failed, progress=self._demo_progress
        )

    def _demo_progress(self, done: int, total: int, what: str) -> None:
        self.demo_progress.setRange(0, total)
        self.demo_progress.setValue(done)
        self.demo_status.setText(what)

    def _cancel_demo(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.demo_status.setText("Stopping…")
            self.demo_cancel.setEnabled(False)

    def _demo_done(self) -> None:
        self._job = None
        self.finished.emit()

    def _demo_failed(self, problem: Problem) -> None:
        self._job = None
        if isinstance(problem, Cancelled):
            self._go(self.welcome, self.demo_button)
            return
        self.demo_problem.setText(problem.message)
        self.demo_problem.show()
        self.demo_cancel.setText("Back")
        self.demo_cancel.setEnabled(True)
        self.demo_cancel.clicked.disconnect()
        self.demo_cancel.clicked.connect(lambda: self._go(self.welcome, self.demo_button))
