"""The unlock screen: passphrase or recovery key, a clear message when it is wrong, and the
growing wait after repeated wrong attempts (the vault enforces it; this screen explains it)."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.errors import PassphraseNotAccepted, Problem
from practitioner_app.ui.session import DEMO_PASSPHRASE, VaultSession
from practitioner_app.ui.style import DEMO_STYLE, ERROR_STYLE

# The vault lets the first three wrong attempts through at once, then doubles a wait (vault.py).
FREE_ATTEMPTS = 3


class UnlockPage(QWidget):
    switch_vault = Signal()
    create_own = Signal()  # the demo is open here and the practitioner has no vault of their own
    open_other = Signal()  # a vault in another folder (a colleague's laptop's backup, a USB copy)

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._failures = 0

        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.demo_note = QLabel()
        self.demo_note.setStyleSheet(DEMO_STYLE)
        self.demo_note.setWordWrap(True)
        self.prompt = QLabel("&Passphrase:")
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName("Passphrase")
        self.secret.setMinimumWidth(360)
        self.prompt.setBuddy(self.secret)
        self.recovery = QCheckBox("I have forgotten it: use my recover&y key instead")
        self.recovery.setAccessibleName("Use the recovery key instead of the passphrase")
        self.recovery.toggled.connect(self._recovery_toggled)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setAccessibleName("Unlock problem")
        self.message.hide()
        self.status = QLabel()
        self.status.setAccessibleName("Unlock progress")
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock)
        self.secret.returnPressed.connect(self.unlock)
        self.other_vault = QPushButton()
        self.other_vault.setFlat(True)
        self.other_vault.clicked.connect(self.switch_vault)
        # No demo trap (issue 17): from the demo's unlock screen, one's own vault is one click.
        self.create_own_button = QPushButton("&Create my own vault")
        self.create_own_button.setToolTip("Set up your own vault for real records")
        self.create_own_button.clicked.connect(self.create_own)
        self.open_other_button = QPushButton("Open &another vault…")
        self.open_other_button.setToolTip("Choose the folder of another vault to unlock")
        self.open_other_button.clicked.connect(self.open_other)
        for button in (self.create_own_button, self.open_other_button):
            button.setAutoDefault(False)

        box = QVBoxLayout()
        box.addWidget(self.heading)
        box.addWidget(self.demo_note)
        box.addSpacing(8)
        box.addWidget(self.prompt)
        box.addWidget(self.secret)
        box.addWidget(self.recovery)
        box.addWidget(self.message)
        row = QHBoxLayout()
        row.addWidget(self.unlock_button)
        row.addWidget(self.status, 1)
        box.addLayout(row)
        box.addSpacing(16)
        box.addWidget(self.other_vault)
        choices = QHBoxLayout()
        choices.addWidget(self.create_own_button)
        choices.addWidget(self.open_other_button)
        choices.addStretch(1)
        box.addLayout(choices)
        panel = QWidget()
        panel.setLayout(box)
        panel.setMaximumWidth(560)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(panel)
        centred.addStretch(1)
        outer.addLayout(centred)
        outer.addStretch(2)

    def prepare(self, *, after_lock: bool) -> None:
        """Show the screen for the session's current vault, empty and ready to type in."""
        demo = self.session.is_demo
        self.heading.setText(
            ("Locked. " if after_lock else "")
            + ("Unlock the DEMO vault" if demo else "Unlock your vault")
        )
        self.demo_note.setVisible(demo)
        if demo:
            self._show_demo_note()
        other = self.session.real if demo else self.session.demo
        self.other_vault.setVisible(other.exists)
        self.other_vault.setText(
            "Open my own vault instead" if demo else "Open the DEMO vault instead"
        )
        self.create_own_button.setVisible(demo and not self.session.real.exists)
        self.open_other_button.setVisible(demo or self.session.demo.exists)
        self.recovery.setChecked(False)
        self.secret.clear()
        self.message.hide()
        self.status.clear()
        self._set_busy(False)
        self.secret.setFocus()

    def _show_demo_note(self) -> None:
        # Selectable, so the demo passphrase can be copied. Set when the note is shown, not when
        # the screen is built: the flag is the first use of PySide's Qt namespace, which makes
        # some 90 enum types (16 ms of the unlock window's start-up, issue 19), and most unlock
        # screens show no note.
        from PySide6.QtCore import Qt

        self.demo_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_note.setText(
            "DEMO vault: every person in it is invented. Its passphrase is: " + DEMO_PASSPHRASE
        )

    def _recovery_toggled(self, on: bool) -> None:
        self.prompt.setText("&Recovery key:" if on else "&Passphrase:")
        self.secret.setAccessibleName("Recovery key" if on else "Passphrase")
        # A recovery key is random letters read off paper: seeing it helps, and it is not reused.
        self.secret.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText("For example ABCD-EFGH-…" if on else "")
        self.secret.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self.unlock_button.setEnabled(not busy)
        self.secret.setEnabled(not busy)
        self.recovery.setEnabled(not busy)

    def unlock(self) -> None:
        secret = self.secret.text()
        if not secret:
            self._show("Type your passphrase, then press Enter.")
            return
        self.message.hide()
        self._set_busy(True)
        if self._failures >= FREE_ATTEMPTS:
            self.status.setText(
                "Checking… after several wrong attempts each try waits longer (up to 30 seconds)."
            )
        else:
            self.status.setText("Checking… this takes a few seconds.")
        self.session.unlock(secret, failed=self._failed)

    def _failed(self, problem: Problem) -> None:
        self._set_busy(False)
        self.status.clear()
        if isinstance(problem, PassphraseNotAccepted):
            self._failures += 1
            what = "recovery key" if self.recovery.isChecked() else "passphrase"
            self._show(
                f"That {what} was not accepted. Check Caps Lock and try again"
                + (", or use your recovery key." if what == "passphrase" else ".")
            )
        else:
            self._show(problem.message)
        self.secret.selectAll()
        self.secret.setFocus()

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def succeeded(self) -> None:
        self._failures = 0
        self.secret.clear()
        self._set_busy(False)
