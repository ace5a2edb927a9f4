"""The chronology event form: something the practitioner learned of from another agency or person
(a hospital attendance, a police call-out, a strategy meeting), recorded for the child's chronology."""

from datetime import datetime, time
from itertools import pairwise

from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from practitioner_app.domain.enums import EventKind, Significance, SourceKind
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.records import ChronologyEventDetails
from practitioner_app.domain.times import UK, uk_date
from practitioner_app.services.views import EntryView
from practitioner_app.ui.forms.base import RecordForm
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.widgets import (
    Choice,
    DateEdit,
    TextBox,
    TimeEdit,
    label_of,
    show_moment,
    typed_moment,
)


class ChronologyEventForm(RecordForm):
    """Records one event from another agency; it appears in the chronology once final."""

    kind = RecordKind.CHRONOLOGY_EVENT

    def __init__(self, session: VaultSession, child_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, "Event from another agency", parent)
        self.child_id = child_id

        # No date is assumed: events from other agencies are usually learned of days later.
        self.date = DateEdit("occurred_at", "Date of the event", required=True)
        self.time = TimeEdit("occurred_time", "Time of the event")
        self.time.setToolTip("Leave empty when the time is not known")
        self.date_uncertain = QCheckBox("The date is &uncertain (the nearest known date)")
        self.date_uncertain.setAccessibleName("Date uncertain")
        self.ended = DateEdit("ended_at", "End date")
        self.ended.setToolTip("For something that lasted a while, such as a hospital admission")
        self.source = QLineEdit()
        self.source.setAccessibleName("Source")
        self.source.setPlaceholderText("Who told you, for example 'Northshire Police'")
        self.source_kind = Choice(SourceKind, "Kind of source")
        self.source_kind.set_value(SourceKind.OTHER)
        # No kind is assumed: an event filed under the wrong heading misleads every reader.
        self.event_kind = Choice(EventKind, "Kind of event", empty="Choose…")
        self.what_happened = TextBox("What happened")
        self.what_happened.setMinimumHeight(120)
        self.significance = Choice(Significance, "Significance", empty="Not given")
        self.impact = TextBox("Impact on the child")
        self.action = TextBox("Action taken or outcome")

        self.form.add("&Date:", self.date, "occurred_at")
        self.form.add("&Time:", self.time, "occurred_time")
        self.form.addRow("", self.date_uncertain)
        self.form.add("E&nded on:", self.ended, "ended_at")
        self.form.add("S&ource (agency or person):", self.source, "source")
        self.form.add("Source &kind:", self.source_kind, "source_kind")
        self.form.add("Kind of e&vent:", self.event_kind, "kind")
        self.form.add("&What happened:", self.what_happened, "event")
        self.form.add("Si&gnificance:", self.significance, "significance")
        self.form.add("&Impact on the child:", self.impact, "impact_on_child")
        self.form.add("&Action taken or outcome:", self.action, "action")

        fields: list[QWidget] = [
            self.date,
            self.time,
            self.date_uncertain,
            self.ended,
            self.source,
            self.source_kind,
            self.event_kind,
            self.what_happened,
            self.significance,
            self.impact,
            self.action,
        ]
        self.watch(*fields)
        for first, second in pairwise(
            [*fields, self.save_button, self.finalise_button, self.close_button]
        ):
            QWidget.setTabOrder(first, second)
        self.date.setFocus()

    def details(self) -> ChronologyEventDetails:
        occurred_at, time_known = typed_moment(self.date, self.time, "The date of the event")
        end_day = self.ended.value()
        ended_at: datetime | None = None
        if end_day is not None:
            if end_day < uk_date(occurred_at):
                raise InvalidInput("The event ends before it starts; check the dates.", "ended_at")
            # Only the end date is asked for; on the same day as a timed start it is not "before".
            ended_at = max(datetime.combine(end_day, time(12, 0), tzinfo=UK), occurred_at)
        kind = self.event_kind.value()
        if kind is None:
            raise InvalidInput("Choose the kind of event.", "kind")
        significance = self.significance.value()
        details = ChronologyEventDetails(
            child_id=self.child_id,
            occurred_at=occurred_at,
            # Choice hands back the plain string (Qt keeps a StrEnum as str), so convert back.
            source=self.source.text().strip(),
            kind=EventKind(kind),
            event=self.what_happened.value() or "",
            source_kind=SourceKind(self.source_kind.value()),
            time_known=time_known,
            date_uncertain=self.date_uncertain.isChecked(),
            ended_at=ended_at,
            significance=None if significance is None else Significance(significance),
            impact_on_child=self.impact.value(),
            action=self.action.value(),
        )
        # Checked here as well as in the service, so the message appears before any saving.
        details.validate()
        return details

    def load(self, view: EntryView) -> None:
        fields = view.fields
        show_moment(self.date, self.time, view.occurred_at, view.time_known)
        self.child_id = fields.get("child_id") or self.child_id
        self.date_uncertain.setChecked(bool(fields.get("date_uncertain")))
        ended_at = fields.get("ended_at")
        self.ended.set_date(uk_date(ended_at) if ended_at else None)
        self.source.setText(fields.get("source") or "")
        self.source_kind.set_value(SourceKind(fields.get("source_kind") or SourceKind.OTHER))
        self.event_kind.set_value(EventKind(fields["kind"]) if fields.get("kind") else None)
        self.what_happened.setPlainText(fields.get("event") or "")
        significance = fields.get("significance")
        self.significance.set_value(Significance(significance) if significance else None)
        self.impact.setPlainText(fields.get("impact_on_child") or "")
        self.action.setPlainText(fields.get("action") or "")

    def described(self) -> str:
        kind = self.event_kind.value()
        return f"Chronology event on {self.date.text().strip()}: {label_of(kind or 'no kind')}"

    def key_answers(self) -> list[tuple[str, str | None]]:
        significance = self.significance.value()
        return [
            ("Source", self.source.text().strip() or None),
            ("What happened", " ".join((self.what_happened.value() or "").split())[:80] or None),
            ("Significance", None if significance is None else label_of(significance)),
            ("Impact on the child", self.impact.value()),
        ]

    def child_key(self) -> str:
        return self.child_id
