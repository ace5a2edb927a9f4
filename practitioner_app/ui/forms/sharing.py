"""Recording a share made outside the app (a phone call, a meeting), or a decision not to share,
in the child's sharing log: what, with whom, why, on what basis and with what consent. The entry is
final as soon as it is recorded: it states what was done, and is corrected by amendment."""

from itertools import pairwise

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.enums import Consent
from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.records import SharingDetails
from practitioner_app.services import sharing
from practitioner_app.services.views import EntryView
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.forms.base import now_local
from practitioner_app.ui.forms.finalising import enter_moves_on
from practitioner_app.ui.forms.structured_answers import CONSENT_LABELS
from practitioner_app.ui.layout import FormLayout
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.style import DEMO_STYLE, ERROR_STYLE
from practitioner_app.ui.widgets import Choice, DateEdit, TextBox, TimeEdit, line_value, moment

REASON_FOR_NOT_SHARING = "Say why you decided not to share; it is part of the record."
REASON_FOR_NOT_SEEKING = (
    "Say why consent was not sought (for example, asking would put the child at risk)."
)


class SharingDialog(QDialog):
    """One share, or one decision not to share, recorded as final."""

    kind = RecordKind.SHARING_RECORD
    recorded = Signal(object)  # the EntryView
    # When the vault locks, the main window hides this dialog and brings it back after unlocking,
    # so what was typed is not lost (it cannot be saved as a draft: a share is final at once).
    keeps_input = True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter moves on; only the button or Ctrl+Enter records the share, final at once (issue 17).
        if not enter_moves_on(self, event):
            super().keyPressEvent(event)

    def __init__(
        self, session: VaultSession, child_id: str, *, shared: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.child_id = child_id
        self.shared = shared
        self._busy = False
        title = "Record a share" if shared else "Record a decision not to share"
        self.setWindowTitle(title + (" — DEMO" if session.is_demo else ""))
        self.setAccessibleName(title)

        intro = QLabel(
            "Record information you shared outside this app — by phone, at a meeting, by email."
            if shared
            else "Record a request for information that you decided not to meet, or information "
            "you decided not to pass on, and why."
        )
        intro.setWordWrap(True)
        final_note = QLabel(
            "It is recorded as final straight away; a mistake is corrected later by amendment."
        )
        final_note.setWordWrap(True)
        final_note.setStyleSheet("font-style: italic;")
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.setAccessibleName("Problem")
        self.banner.hide()

        now = now_local()
        self.date = DateEdit("occurred_at", "Date", required=True)
        self.date.set_date(now.date())
        self.time = TimeEdit("occurred_time", "Time")
        self.time.set_time(now.time().replace(second=0, microsecond=0))
        self.with_whom = QLineEdit()
        self.with_whom.setAccessibleName("With whom")
        self.with_whom.setPlaceholderText(
            "For example: Northshire children's social care, duty social worker"
            if shared
            else "Who asked, or who it would have gone to"
        )
        self.what = TextBox("What")
        self.what.setPlaceholderText(
            "What you shared" if shared else "What was asked for, or what you would have shared"
        )
        self.purpose = QLineEdit()
        self.purpose.setAccessibleName("Purpose")
        self.purpose.setPlaceholderText("Why it was shared, or asked for")
        self.lawful_basis = QLineEdit()
        self.lawful_basis.setAccessibleName("Lawful basis")
        self.lawful_basis.setPlaceholderText(
            "For example: UK GDPR Art. 6(1)(e); Children Act 1989 s.47"
        )
        self.consent = Choice(Consent, "Consent", empty="Choose…", labels=CONSENT_LABELS)
        self.reason = TextBox("Reason")
        for box in (self.what, self.reason):
            box.setFixedHeight(90)
        for edit in (self.date, self.time):
            edit.setMaximumWidth(130)
        self.reason.setPlaceholderText(
            "Why you decided not to share"
            if not shared
            else "Needed when consent was not sought: why (for example, it would put the child "
            "at risk). Also say why, when you shared without consent."
        )

        self.form = FormLayout()
        self.form.add("&Date:", self.date, "occurred_at")
        self.form.add("&Time:", self.time, "occurred_time")
        self.form.add("Shared &with:" if shared else "&With whom:", self.with_whom, "with_whom")
        self.form.add("W&hat was shared:" if shared else "W&hat:", self.what, "what")
        self.form.add("&Purpose:", self.purpose, "purpose")
        self.form.add("&Lawful basis:", self.lawful_basis, "lawful_basis")
        self.form.add("&Consent:", self.consent, "consent")
        self.form.add("&Reason:" if shared else "&Reason not to share:", self.reason, "reason")

        self.record_button = QPushButton("Record the &share" if shared else "Rec&ord the decision")
        self.record_button.setAccessibleName("Record")
        self.record_button.setToolTip("Record it in the sharing log, as final (Ctrl+Enter)")
        self.record_button.setAutoDefault(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        buttons = QDialogButtonBox()
        buttons.addButton(self.record_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.record_button.clicked.connect(self.record)
        self.cancel_button.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.record)

        layout = QVBoxLayout(self)
        if session.is_demo:
            demo = QLabel("DEMO vault: invented records for practice only")
            demo.setStyleSheet(DEMO_STYLE)
            layout.addWidget(demo)
        layout.addWidget(intro)
        layout.addWidget(final_note)
        layout.addWidget(self.banner)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        fields: list[QWidget] = [
            self.date,
            self.time,
            self.with_whom,
            self.what,
            self.purpose,
            self.lawful_basis,
            self.consent,
            self.reason,
            self.record_button,
            self.cancel_button,
        ]
        for first, second in pairwise(fields):
            QWidget.setTabOrder(first, second)
        self.resize(580, 620)
        self.with_whom.setFocus()

    def details(self) -> SharingDetails:
        """The share as typed; raises InvalidInput naming the field, before anything is saved."""
        day = self.date.value()
        assert day is not None  # a required DateEdit refuses an empty date
        occurred_at, _ = moment(day, self.time.value())
        # Checked in the order the fields are on screen, so the first problem is the first seen.
        for edit, field, what in (
            (self.with_whom, "with_whom", "Say who it was shared with, or who asked."),
            (self.what, "what", "Say what was shared, or what was asked for."),
            (self.purpose, "purpose", "Say why: the purpose of sharing, or of the request."),
        ):
            typed = edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()
            if not typed.strip():
                raise InvalidInput(what, field)
        consent = self.consent.value()
        if consent is None:
            raise InvalidInput("Choose the consent: given, refused, or not sought.", "consent")
        consent = Consent(consent)
        reason = self.reason.value()
        # Said here, beside the reason: the service refuses both without naming the field.
        if not self.shared and reason is None:
            raise InvalidInput(REASON_FOR_NOT_SHARING, "reason")
        if consent is Consent.NOT_SOUGHT and reason is None:
            raise InvalidInput(REASON_FOR_NOT_SEEKING, "reason")
        details = SharingDetails(
            child_ids=(self.child_id,),
            occurred_at=occurred_at,
            shared=self.shared,
            with_whom=self.with_whom.text().strip(),
            what=self.what.value() or "",
            purpose=self.purpose.text().strip(),
            consent=consent,
            lawful_basis=line_value(self.lawful_basis),
            reason=reason,
        )
        details.validate()
        return details

    def show_problem(self, problem: Problem) -> None:
        self.form.clear_messages()
        self.banner.hide()
        field = problem.field if isinstance(problem, InvalidInput) else None
        if field is None or not self.form.show_message(field, problem.message):
            self.banner.setText(problem.message)
            self.banner.show()

    def record(self) -> None:
        if self._busy:
            return
        try:
            details = self.details()
        except InvalidInput as problem:
            self.show_problem(problem)
            return
        self.form.clear_messages()
        self.banner.hide()
        self._busy = True
        self.record_button.setEnabled(False)
        child_id = self.child_id
        (
            Operation(self, self.session, sharing.record, details)
            .changes(lambda view: Changes.of(RecordKind.SHARING_RECORD, view.id, child_id=child_id))
            .success(self._recorded)
            .failure(self._failed)
            .run_in_background()
        )

    def _recorded(self, view: EntryView) -> None:
        self._busy = False
        self.recorded.emit(view)
        self.accept()

    def _failed(self, problem: Problem) -> None:
        # Everything typed stays as it was, with the problem beside the field it concerns.
        self._busy = False
        self.record_button.setEnabled(True)
        self.show_problem(problem)
