"""The concern form: a worry about a child's welfare, raised (open) and linked to what showed it."""

from datetime import date, datetime, time
from itertools import pairwise

from PySide6.QtWidgets import QLineEdit, QWidget

from practitioner_app.domain.enums import ConcernCategory, ConcernLevel, ConcernStatus
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.records import ConcernDetails
from practitioner_app.services.views import EntryView
from practitioner_app.ui.forms.base import RecordForm, now_local
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

OWN_OBSERVATION = "Own observation"


class ConcernForm(RecordForm):
    """Raises one concern about a child; its later status changes are recorded elsewhere."""

    kind = RecordKind.CONCERN

    def __init__(
        self,
        session: VaultSession,
        child_id: str,
        *,
        visit_id: str | None = None,
        observation_ids: tuple[str, ...] = (),
        occurred: tuple[date, time | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, "Concern", parent)
        self.child_id = child_id
        self.visit_ids: tuple[str, ...] = (visit_id,) if visit_id else ()
        self.observation_ids = tuple(observation_ids)
        # Status, closing date and outcome are not edited here, but a reopened draft keeps them.
        self.concern_status = ConcernStatus.OPEN
        self.closed_at: datetime | None = None
        self.outcome: str | None = None

        self.date = DateEdit("occurred_at", "Date raised", required=True)
        self.time = TimeEdit("occurred_time", "Time raised")
        if occurred is None:
            now = now_local()
            self.date.set_date(now.date())
            self.time.set_time(now.time().replace(second=0, microsecond=0))
        else:
            self.date.set_date(occurred[0])
            self.time.set_time(occurred[1])
        # No category is assumed: a concern filed under the wrong heading misleads every reader.
        self.category = Choice(ConcernCategory, "Category", empty="Choose…")
        self.level = Choice(ConcernLevel, "Level")
        self.level.set_value(ConcernLevel.MEDIUM)
        self.source = QLineEdit(OWN_OBSERVATION)
        self.source.setAccessibleName("Source")
        self.source.setToolTip("Who raised it or where it came from, for example 'School nurse'")
        self.summary = QLineEdit()
        self.summary.setAccessibleName("Summary")
        self.summary.setPlaceholderText("One line a colleague can scan")
        self.details_box = TextBox("Details")
        self.details_box.setMinimumHeight(140)

        self.form.add("&Date raised:", self.date, "occurred_at")
        self.form.add("&Time raised:", self.time, "occurred_time")
        self.form.add("&Category:", self.category, "category")
        self.form.add("&Level:", self.level, "level")
        self.form.add("S&ource:", self.source, "source")
        self.form.add("S&ummary:", self.summary, "summary")
        self.form.add("D&etails:", self.details_box, "details")

        self.watch(
            self.date,
            self.time,
            self.category,
            self.level,
            self.source,
            self.summary,
            self.details_box,
        )
        chain: list[QWidget] = [
            self.date,
            self.time,
            self.category,
            self.level,
            self.source,
            self.summary,
            self.details_box,
            self.save_button,
            self.finalise_button,
            self.close_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.date.setFocus()

    def details(self) -> ConcernDetails:
        occurred_at, time_known = typed_moment(self.date, self.time, "The date raised")
        category = self.category.value()
        if category is None:
            raise InvalidInput("Choose the category of the concern.", "category")
        details = ConcernDetails(
            child_id=self.child_id,
            occurred_at=occurred_at,
            # Choice hands back the plain string (Qt keeps a StrEnum as str), so convert back.
            category=ConcernCategory(category),
            level=ConcernLevel(self.level.value()),
            source=self.source.text().strip(),
            summary=self.summary.text().strip(),
            details=self.details_box.value(),
            concern_status=self.concern_status,
            closed_at=self.closed_at,
            outcome=self.outcome,
            time_known=time_known,
            visit_ids=self.visit_ids,
            observation_ids=self.observation_ids,
        )
        # Checked here as well as in the service, so the message appears before any saving.
        details.validate()
        return details

    def load(self, view: EntryView) -> None:
        fields = view.fields
        show_moment(self.date, self.time, view.occurred_at, view.time_known)
        self.child_id = fields.get("child_id") or self.child_id
        self.category.set_value(ConcernCategory(fields["category"]))
        self.level.set_value(ConcernLevel(fields["level"]))
        self.source.setText(fields.get("source") or "")
        self.summary.setText(fields.get("summary") or "")
        self.details_box.setPlainText(fields.get("details") or "")
        self.concern_status = ConcernStatus(fields.get("concern_status") or ConcernStatus.OPEN)
        self.closed_at = fields.get("closed_at")
        self.outcome = fields.get("outcome")
        self.visit_ids = tuple(fields.get("visit_ids") or ())
        self.observation_ids = tuple(fields.get("observation_ids") or ())

    def described(self) -> str:
        category = self.category.value()
        return (
            f"Concern raised {self.date.text().strip()}: {label_of(category or 'no category')}, "
            f"{label_of(self.level.value()).lower()}"
        )

    def key_answers(self) -> list[tuple[str, str | None]]:
        return [
            ("Source", self.source.text().strip() or None),
            ("Summary", self.summary.text().strip() or None),
            ("Details", " ".join((self.details_box.value() or "").split())[:80] or None),
        ]

    def child_key(self) -> str:
        return self.child_id
