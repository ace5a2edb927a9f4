"""Reviewing an alert (DOMAIN.md): which alert, "acted on" or "considered, no action", and what was
done or why not; signed with the vault's practitioner and kept. Enter moves on; the button or
Ctrl+Enter records it (issue 17)."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.alerts.reviews import AlertReview, ReviewOutcome, check_note
from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.services import alert_reviews
from practitioner_app.services.alerts import ExplainedAlert
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.forms.finalising import enter_moves_on
from practitioner_app.ui.layout import FormLayout
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.style import ERROR_STYLE
from practitioner_app.ui.widgets import TextBox

REVIEW_KIND = "alert_review"


class AlertReviewDialog(QDialog):
    reviewed = Signal(object)  # the AlertReview recorded

    def __init__(
        self,
        session: VaultSession,
        child_id: str,
        found: list[ExplainedAlert],
        chosen: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.child_id = child_id
        self.found = found
        self._busy = False
        self.setWindowTitle("Review an alert")
        self.setAccessibleName("Review an alert")

        self.alert_box = QComboBox()
        self.alert_box.setAccessibleName("Alert")
        for explained in found:
            done = " (reviewed)" if explained.review else ""
            self.alert_box.addItem(
                f"{explained.alert.severity.value.upper()}: {explained.title}{done}"
            )
        self.alert_box.setCurrentIndex(chosen)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName("What the alert says")
        self.acted = QRadioButton("&Acted on: what I did")
        self.no_action = QRadioButton("Considered, &no action, because…")
        self.outcome = QButtonGroup(self)
        for button in (self.acted, self.no_action):
            self.outcome.addButton(button)
        choice = QWidget()
        rows = QVBoxLayout(choice)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addWidget(self.acted)
        rows.addWidget(self.no_action)
        self.note = TextBox("What you did, or why no action")
        self.note.setPlaceholderText(
            "For example: Rang the GP; same-day paediatric appointment booked for 14:00."
        )
        self.form = FormLayout()
        self.form.add("A&lert:", self.alert_box, "alert")
        self.form.addRow("", self.message)
        self.form.add("Your review:", choice, "outcome")
        self.form.add("&What you did, or why not:", self.note, "note")
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.hide()
        signed = QLabel(
            "Signed with your name and the time, kept in the record and the audit trail. New "
            "records behind the alert will raise it again."
        )
        signed.setWordWrap(True)
        signed.setStyleSheet("font-style: italic;")

        self.record_button = QPushButton("&Record the review")
        self.record_button.setToolTip("Record it, signed and dated (Ctrl+Enter)")
        self.record_button.setAutoDefault(False)
        self.cancel_button = QPushButton("Cancel")
        buttons = QDialogButtonBox()
        buttons.addButton(self.record_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.record_button.clicked.connect(self.record)
        self.cancel_button.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.record)
        self.alert_box.currentIndexChanged.connect(self._alert_chosen)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(signed)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)
        self.resize(560, 420)
        self._alert_chosen(chosen)
        self.acted.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not enter_moves_on(self, event):
            super().keyPressEvent(event)

    def _alert_chosen(self, index: int) -> None:
        if not 0 <= index < len(self.found):
            return
        explained = self.found[index]
        text = explained.alert.message
        if explained.review is not None:
            text += "\n\nAlready reviewed: " + explained.review.sentence()
        self.message.setText(text)

    def chosen_outcome(self) -> ReviewOutcome:
        if self.acted.isChecked():
            return ReviewOutcome.ACTED_ON
        if self.no_action.isChecked():
            return ReviewOutcome.NO_ACTION
        raise InvalidInput("Choose: acted on, or considered with no action.", "outcome")

    def record(self) -> bool:
        if self._busy:
            return False
        self.form.clear_messages()
        self.banner.hide()
        index = self.alert_box.currentIndex()
        try:
            outcome = self.chosen_outcome()
            note = self.note.value() or ""
            check_note(outcome, note)
        except InvalidInput as problem:
            self._show(problem)
            return False
        self._busy = True
        (
            Operation(
                self,
                self.session,
                alert_reviews.review,
                self.child_id,
                self.found[index].alert,
                outcome,
                note,
            )
            .changes(Changes.of(REVIEW_KIND, child_id=self.child_id))
            .success(self._recorded)
            .failure(self._failed)
            .run_in_background()
        )
        return True

    def _recorded(self, review: AlertReview) -> None:
        self._busy = False
        self.reviewed.emit(review)
        self.accept()

    def _failed(self, problem: Problem) -> None:
        self._busy = False
        self._show(problem)

    def _show(self, problem: Problem) -> None:
        field = problem.field if isinstance(problem, InvalidInput) else None
        if field is None or not self.form.show_message(field, problem.message):
            self.banner.setText(problem.message)
            self.banner.show()


def reviewed_html(explained: ExplainedAlert) -> str:
    """The line under a reviewed alert on the overview."""
    from html import escape

    if explained.review is None:
        return ""
    return f"<p style='margin-top:0'><b>REVIEWED</b> — {escape(explained.review.sentence())}</p>"
