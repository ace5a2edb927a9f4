"""The visit form: a home visit with who was there, whether the child was seen (and alone), the
outcome, the child's voice and the narrative, and the observations and concerns recorded at it,
all without leaving the form."""

from datetime import date, time

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain import chronology as wording
from practitioner_app.domain.enums import ContactType, EntryStatus, VisitKind, VisitOutcome
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.records import VisitDetails
from practitioner_app.services import casework, records
from practitioner_app.services.views import EntryView
from practitioner_app.ui.forms.base import RecordForm, now_local
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.widgets import (
    Choice,
    DateEdit,
    TextBox,
    TimeEdit,
    YesNo,
    label_of,
    moment,
    show_moment,
)

OUTCOME_LABELS = {outcome: wording.OUTCOME_LABEL[outcome].capitalize() for outcome in VisitOutcome}
CONTACT_LABELS = {contact: wording.CONTACT_LABEL[contact].capitalize() for contact in ContactType}
KIND_LABELS = {kind: wording.VISIT_KIND_LABEL[kind] for kind in VisitKind}


class VisitForm(RecordForm):
    kind = RecordKind.VISIT

    def __init__(self, session: VaultSession, child_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, "Visit", parent)
        self.child_id = child_id
        self.linked: list[EntryView] = []
        form = self.form
        now = now_local()

        when = QWidget()
        row = QHBoxLayout(when)
        row.setContentsMargins(0, 0, 0, 0)
        self.day = DateEdit("occurred_at", "Date of the visit", required=True)
        self.day.set_date(now.date())
        self.at = TimeEdit("occurred_at", "Time of the visit")
        self.at.set_time(now.time())
        row.addWidget(self.day)
        row.addWidget(self.at)
        form.add("&When:", when, "occurred_at")
        self.visit_kind = Choice(VisitKind, "Kind of contact", labels=KIND_LABELS)
        form.add("&Kind:", self.visit_kind, "kind")
        self.contact = Choice(
            ContactType, "Mandated contact", empty="Not a mandated contact", labels=CONTACT_LABELS
        )
        form.add("&Mandated contact:", self.contact, "contact_type")
        self.planned = YesNo("Planned")
        form.add("Pla&nned:", self.planned, "planned")
        self.outcome = Choice(VisitOutcome, "Outcome", labels=OUTCOME_LABELS)
        form.add("&Outcome:", self.outcome, "outcome")
        self.present = QLineEdit()
        self.present.setAccessibleName("Who was present")
        self.present.setPlaceholderText(
            "Separate names with commas, e.g. Mother, maternal grandmother"
        )
        form.add("Who was &present:", self.present, "present")
        self.seen = YesNo("Child seen")
        form.add("Child s&een:", self.seen, "child_seen")
        self.alone = YesNo("Child seen alone")
        form.add("Seen &alone:", self.alone, "child_seen_alone")
        self.voice = TextBox("The child's voice")
        self.voice.setPlaceholderText(
            "What the child said, did or showed; in their words where you can"
        )
        form.add("The child's &voice:", self.voice, "child_voice")
        self.notes = TextBox("Narrative")
        self.notes.setMinimumHeight(140)
        form.add("Na&rrative:", self.notes, "notes")
        form.addRow(self._recorded_at_visit())

        self.watch(
            self.day, self.at, self.visit_kind, self.contact, self.planned, self.outcome,
            self.present, self.seen, self.alone, self.voice, self.notes,
        )  # fmt: skip
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        QShortcut(QKeySequence("Ctrl+Shift+O"), self, self.add_observation)
        QShortcut(QKeySequence("Ctrl+Shift+C"), self, self.raise_concern)
        self.day.setFocus()

    def _recorded_at_visit(self) -> QGroupBox:
        box = QGroupBox("Recorded at this visit")
        box.setAccessibleName("Observations and concerns recorded at this visit")
        layout = QVBoxLayout(box)
        self.linked_list = QListWidget()
        self.linked_list.setAccessibleName("Observations and concerns at this visit")
        self.linked_list.setMaximumHeight(110)
        self.linked_list.itemActivated.connect(self._open_linked)
        buttons = QHBoxLayout()
        self.observation_button = QPushButton("Add o&bservation…")
        self.observation_button.setToolTip("Growth, injury, home, interaction… (Ctrl+Shift+O)")
        self.concern_button = QPushButton("Raise a &concern…")
        self.concern_button.setToolTip("Ctrl+Shift+C")
        self.observation_button.clicked.connect(self.add_observation)
        self.concern_button.clicked.connect(self.raise_concern)
        for button in (self.observation_button, self.concern_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch()
        layout.addWidget(self.linked_list)
        layout.addLayout(buttons)
        return box

    def _outcome_changed(self) -> None:
        # A visit that did not happen cannot have seen the child: clear it rather than let the
        # form refuse to save later.
        if self.outcome.value() is not VisitOutcome.COMPLETED:
            self.seen.set_value(None)
            self.alone.set_value(None)

    def child_key(self) -> str:
        return self.child_id

    def when(self) -> tuple[date, time | None]:
        day = self.day.value()
        assert day is not None  # required
        return day, self.at.value()

    def details(self) -> VisitDetails:
        day, at = self.when()
        if at is None:
            # A visit's time matters (seen before or after the incident?), so it is never guessed.
            raise InvalidInput(
                "The time of the visit is required; type it as HH:MM.", "occurred_at"
            )
        occurred_at, _ = moment(day, at)
        present = tuple(name.strip() for name in self.present.text().split(",") if name.strip())
        return VisitDetails(
            child_ids=(self.child_id,),
            occurred_at=occurred_at,
            kind=self.visit_kind.value(),
            outcome=self.outcome.value(),
            contact_type=self.contact.value(),
            planned=self.planned.value(),
            child_seen=self.seen.value(),
            child_seen_alone=self.alone.value(),
            present=present,
            child_voice=self.voice.value(),
            notes=self.notes.value(),
        )

    def load(self, view: EntryView) -> None:
        fields = view.fields
        show_moment(self.day, self.at, view.occurred_at, view.time_known)
        self.visit_kind.set_value(fields["kind"])
        self.contact.set_value(fields["contact_type"])
        self.planned.set_value(fields["planned"])
        self.outcome.set_value(fields["outcome"])
        self.present.setText(", ".join(fields["present"] or ()))
        self.seen.set_value(fields["child_seen"])
        self.alone.set_value(fields["child_seen_alone"])
        self.voice.setPlainText(fields["child_voice"] or "")
        self.notes.setPlainText(fields["notes"] or "")
        (
            Operation(self, self.session, casework.visit_entries, view.id, purpose="linked")
            .success(self._load_linked)
            .run_in_background()
        )

    def _load_linked(self, ids: tuple[list[str], list[str]]) -> None:
        observations, concerns = ids
        for kind, entry_ids in (
            (RecordKind.OBSERVATION, observations),
            (RecordKind.CONCERN, concerns),
        ):
            for entry_id in entry_ids:
                (
                    Operation(self, self.session, records.get_entry, kind, entry_id)
                    .success(self._add_linked)
                    .run_in_background()
                )

    def _add_linked(self, view: EntryView) -> None:
        self.linked = [v for v in self.linked if v.id != view.id] + [view]
        self.linked_list.clear()
        for linked in self.linked:
            item = QListWidgetItem(f"{self._linked_line(linked)[:110]} ({linked.status})")
            item.setData(Qt.ItemDataRole.UserRole, linked)
            self.linked_list.addItem(item)

    @staticmethod
    def _linked_line(linked: EntryView) -> str:
        fields = linked.fields
        if linked.kind == RecordKind.OBSERVATION:
            return f"Observation · {label_of(fields['category'])}: {fields['text']}"
        return f"Concern · {label_of(fields['category'])}, {fields['level']}: {fields['summary']}"

    # -- recording at the visit without leaving it ---------------------------------------------

    def add_observation(self) -> None:
        self._open_child_form(RecordKind.OBSERVATION)

    def raise_concern(self) -> None:
        self._open_child_form(RecordKind.CONCERN)

    def _open_child_form(self, kind: str, existing: EntryView | None = None) -> None:
        if self.status == EntryStatus.FINAL:
            return
        # The observation links to the visit, so the visit is saved as a draft first.
        if self.entry_id is None or self.dirty:
            self.save_draft(then=lambda _: self._open_child_form(kind, existing))
            return
        from practitioner_app.ui.forms.concern import ConcernForm
        from practitioner_app.ui.forms.observation import ObservationForm

        occurred = self.when()
        form: RecordForm
        if kind == RecordKind.OBSERVATION:
            form = ObservationForm(
                self.session, self.child_id, visit_id=self.entry_id, occurred=occurred, parent=self
            )
        else:
            observation_ids = tuple(v.id for v in self.linked if v.kind == RecordKind.OBSERVATION)
            form = ConcernForm(
                self.session,
                self.child_id,
                visit_id=self.entry_id,
                observation_ids=observation_ids,
                occurred=occurred,
                parent=self,
            )
        form.set_subject(self.subject.text())
        if existing is not None:
            form.open_entry(existing)
        form.saved.connect(self._add_linked)
        # Gone once closed: a hidden form's Ctrl+Enter would otherwise compete with the visit's.
        form.finished.connect(form.deleteLater)
        form.setModal(True)
        form.show()
        form.raise_()
        form.activateWindow()

    def _open_linked(self, item: QListWidgetItem) -> None:
        view: EntryView = item.data(Qt.ItemDataRole.UserRole)
        if view.status == EntryStatus.DRAFT:
            self._open_child_form(view.kind, view)

    # -- what Finalise shows ------------------------------------------------------------------------

    def described(self) -> str:
        day, at = self.day.text().strip(), self.at.text().strip()
        kind = KIND_LABELS[self.visit_kind.value()]
        return f"Visit on {day}{' at ' + at if at else ''}: {kind}"

    def finalised_with_it(self) -> list[str]:
        return [self._linked_line(v)[:110] for v in self.linked if v.status == EntryStatus.DRAFT]

    def key_answers(self) -> list[tuple[str, str | None]]:
        def yes_no(box: YesNo) -> str | None:
            value = box.value()
            return None if value is None else ("Yes" if value else "No")

        def text(value: str | None) -> str | None:
            return None if value is None else " ".join(value.split())[:80]

        return [
            ("Outcome", OUTCOME_LABELS[self.outcome.value()]),
            ("Child seen", yes_no(self.seen)),
            ("Seen alone", yes_no(self.alone)),
            ("The child's voice", text(self.voice.value())),
            ("Narrative", text(self.notes.value())),
        ]

    def entries_to_finalise(self, entry_id: str) -> list[tuple[str, str]]:
        # Finalising the visit finalises what was recorded at it, in one unit of work.
        drafts = [(v.kind, v.id) for v in self.linked if v.status == EntryStatus.DRAFT]
        return [(self.kind, entry_id), *drafts]

    def open_entry(self, view: EntryView) -> None:
        super().open_entry(view)
        self.observation_button.setEnabled(view.status == EntryStatus.DRAFT)
        self.concern_button.setEnabled(view.status == EntryStatus.DRAFT)
