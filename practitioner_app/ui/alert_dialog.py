"""The critical alert at the moment of saving: when an observation or a chronology event saved for a
child (draft or final) gives rise to a critical alert, say so at once, with the protocol's next
steps and a way to start the referral. The record is already saved: this never holds up a save."""

from functools import partial

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.alerts import Alert, Severity
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.services import alerts as alert_service
from practitioner_app.ui import alert_display
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession

# The records whose saving can give rise to the critical alert (an injury to a non-mobile child).
WATCHED = (RecordKind.OBSERVATION, RecordKind.CHRONOLOGY_EVENT)
BANNER_STYLE = (
    "background: #b3261e; color: #ffffff; padding: 10px; border-radius: 3px;"
    " font-size: 15pt; font-weight: bold;"
)
SAVED_NOTE = (
    "The record is saved. " + alert_display.ABOUT_ALERTS + " What you do next is your decision; "
    "record it, and the reasons for it."
)


class CriticalAlertDialog(QDialog):
    """A critical alert, prominent: what it says, what the protocol asks, and the referral."""

    start_referral = Signal(str, object)  # the child's id, the Alert

    # The lock sequence keeps this hidden and shows it again after unlocking: a critical alert
    # that nobody has read must not vanish because the laptop locked itself.
    keeps_input = True

    def __init__(
        self, alert: Alert, child_id: str, child_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.alert = alert
        self.child_id = child_id
        title = alert_display.title_of(alert)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setAccessibleDescription(alert.message)

        self.banner = QLabel(f"{alert.severity.value.upper()} ALERT: {title}")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Alert")
        self.child = QLabel(child_name)
        self.child.setStyleSheet("font-weight: bold;")
        self.child.setTextFormat(Qt.TextFormat.PlainText)  # a name as typed
        self.child.setAccessibleName("About")
        self.child.setVisible(bool(child_name))
        self.message = QLabel(alert.message)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName("What the alert says")
        self.steps = list(alert.next_steps)
        self.next_steps = QLabel(
            alert_display.next_steps_html(alert.next_steps) if alert.next_steps else ""
        )
        self.next_steps.setTextFormat(Qt.TextFormat.RichText)
        self.next_steps.setWordWrap(True)
        self.next_steps.setAccessibleName("Next steps")
        self.next_steps.setAccessibleDescription("Next steps: " + "; ".join(self.steps))
        self.next_steps.setVisible(bool(alert.next_steps))
        self.note = QLabel(SAVED_NOTE)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("font-style: italic;")

        self.buttons = QDialogButtonBox()
        self.referral_button = QPushButton("Start a referral (MARF)")
        self.referral_button.setToolTip(
            "Open this child's draft referral, or start one carrying this alert's evidence"
        )
        self.read_button = QPushButton("I have read this")
        self.buttons.addButton(self.referral_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.read_button, QDialogButtonBox.ButtonRole.AcceptRole)
        # Enter acknowledges; starting a referral (which files a draft) is always a deliberate click.
        self.referral_button.setAutoDefault(False)
        self.read_button.setDefault(True)
        self.referral_button.clicked.connect(self._start_referral)
        self.read_button.clicked.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.banner)
        layout.addWidget(self.child)
        layout.addWidget(self.message)
        layout.addWidget(self.next_steps)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.setModal(True)
        # Wide enough to read the steps as lines, and no taller than the words need.
        self.setMinimumWidth(620)
        self.resize(620, max(self.heightForWidth(620), self.minimumSizeHint().height()))
        self.read_button.setFocus()

    def _start_referral(self) -> None:
        self.accept()
        self.start_referral.emit(self.child_id, self.alert)


class CriticalAlerts(QObject):
    """Watches saves of the children opened, and shows each critical alert a save gives rise to.

    Which alert is new is judged by its records: the records behind each child's critical alerts
    are noted when the child is opened and after every check, so an alert is shown once for each
    record that caused it, however often that record is saved again or finalised."""

    start_referral = Signal(str, object)  # the child's id, the Alert

    def __init__(self, session: VaultSession, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.window_of = parent
        self.names: dict[str, str] = {}  # child id → how to name the child in the dialog
        self.dialogs: list[CriticalAlertDialog] = []
        # Child id → the records behind critical alerts already there or already shown.
        self._known: dict[str, set[str]] = {}
        session.changed.connect(self._changed)

    def watch(self, child_id: str) -> None:
        """Note the child's critical alerts as they stand, before anything is saved."""
        if child_id in self._known or not self.session.is_open:
            return
        self._known[child_id] = set()
        self._check(child_id, show=False)

    def _changed(self, changes: Changes) -> None:
        saved_for = {record.child_id for record in changes.records if record.kind in WATCHED}
        for child_id in sorted(saved_for & self._known.keys()):
            self._check(child_id, show=True)

    def _check(self, child_id: str, *, show: bool) -> None:
        # The worker runs one thing at a time, in order: this check sees the save just made, and
        # a child's first check (the baseline) always lands before any save's.
        # Not superseding one another: a later check must not drop the baseline before it.
        (
            Operation(self, self.session, alert_service.for_child, child_id, uk_date(now_utc()))
            .success(partial(self._checked, child_id, show))
            .failure(self._failed)
            .run_in_background()
        )

    def _checked(self, child_id: str, show: bool, found: list[Alert]) -> None:
        if child_id not in self._known:
            return
        known = self._known[child_id]
        critical = [a for a in found if a.severity is Severity.CRITICAL]
        new = [a for a in critical if not set(a.evidence) <= known]
        for alert in critical:
            known.update(alert.evidence)
        if show:
            for alert in new:
                self._show(alert, child_id)

    def _failed(self, problem: Problem) -> None:
        # The save itself succeeded; the alert is still on the overview once it can be worked out.
        return

    def _show(self, alert: Alert, child_id: str) -> None:
        # Parented to the main window, not the form: the form closes on finalising, and would
        # take the dialog with it.
        dialog = CriticalAlertDialog(
            alert, child_id, self.names.get(child_id, ""), parent=self.window_of.window()
        )
        dialog.start_referral.connect(self.start_referral)
        dialog.finished.connect(lambda _: self._forget(dialog))
        self.dialogs.append(dialog)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _forget(self, dialog: CriticalAlertDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()

    def clear(self) -> None:
        """Forget every child (the vault is locking); dialogs on screen are the lock's to keep."""
        self.session.pending.drop(self)
        self._known.clear()
        self.names.clear()
