"""The observation form: what was seen or heard, with any growth measurements and injury."""

from datetime import date, time
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGroupBox,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from practitioner_app.domain.enums import ObservationCategory
from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.records import InjuryDetails, ObservationDetails
from practitioner_app.services.views import EntryView
from practitioner_app.ui.forms.base import FormLayout, RecordForm, now_local
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.widgets import (
    Choice,
    DateEdit,
    NumberEdit,
    TextBox,
    TimeEdit,
    YesNo,
    label_of,
    show_moment,
    typed_moment,
)

# Plain words a practitioner (and a court) reads without a body-map legend.
BODY_REGIONS = (
    "Head",
    "Face",
    "Left ear",
    "Right ear",
    "Neck",
    "Chest",
    "Abdomen",
    "Back",
    "Buttocks",
    "Genitals",
    "Left upper arm",
    "Right upper arm",
    "Left forearm",
    "Right forearm",
    "Left hand",
    "Right hand",
    "Left thigh",
    "Right thigh",
    "Left lower leg",
    "Right lower leg",
    "Left foot",
    "Right foot",
    "Other",
)


class ObservationForm(RecordForm):
    """Records one observation about a child, optionally made at a visit."""

    kind = RecordKind.OBSERVATION

    def __init__(
        self,
        session: VaultSession,
        child_id: str,
        *,
        visit_id: str | None = None,
        occurred: tuple[date, time | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, "Observation", parent)
        self.child_id = child_id
        self.visit_id = visit_id

        self.date = DateEdit("occurred_at", "Date", required=True)
        # Not a dataclass field: the time only ever fails to parse, and says so under itself.
        self.time = TimeEdit("occurred_time", "Time")
        if occurred is None:
            now = now_local()
            self.date.set_date(now.date())
            self.time.set_time(now.time().replace(second=0, microsecond=0))
        else:
            self.date.set_date(occurred[0])
            self.time.set_time(occurred[1])
        # No category is assumed: a misfiled observation misleads the chronology.
        self.category = Choice(ObservationCategory, "Category", empty="Choose…")
        self.text = TextBox("What you saw or heard")
        self.text.setMinimumHeight(120)
        self.significant = QCheckBox("Si&gnificant (goes in the chronology)")
        self.significant.setAccessibleName("Significant (goes in the chronology)")

        self.form.add("&Date:", self.date, "occurred_at")
        self.form.add("&Time:", self.time, "occurred_time")
        self.form.add("&Category:", self.category, "category")
        self.form.add("&What you saw or heard:", self.text, "text")
        self.form.add("Chronology:", self.significant, "significant")

        self.growth_group = QGroupBox("Growth")
        self.growth_group.setAccessibleName("Growth")
        self.growth_form = FormLayout()
        self.growth_group.setLayout(self.growth_form)
        self.weight = NumberEdit("weight_kg", "Weight", "kg")
        self.length = NumberEdit("length_cm", "Length or height", "cm")
        self.head = NumberEdit("head_circumference_cm", "Head circumference", "cm")
        self.growth_form.add("W&eight (kg):", self.weight, "weight_kg")
        self.growth_form.add("&Length or height (cm):", self.length, "length_cm")
        self.growth_form.add("&Head circumference (cm):", self.head, "head_circumference_cm")
        self.form.addRow(self.growth_group)

        self.injury_group = QGroupBox("&Injury seen")
        self.injury_group.setAccessibleName("Injury seen")
        self.injury_group.setCheckable(True)
        self.injury_group.setChecked(False)
        self.injury_form = FormLayout()
        self.injury_group.setLayout(self.injury_form)
        self.regions = QListWidget()
        self.regions.setAccessibleName("Body regions")
        self.regions.setAccessibleDescription("Tick each place the injury is; Space ticks.")
        self.regions.setMinimumHeight(180)
        for region in BODY_REGIONS:
            self._add_region(region, checked=False)
        self.description = TextBox("Description of the injury")
        self.explanation = TextBox("Explanation given")
        self.consistent = YesNo("Consistent with the explanation")
        # The observation text is the main writing space; these stay a few lines tall.
        for box in (self.description, self.explanation):
            box.setMaximumHeight(120)
        self.injury_form.add("Body &regions:", self.regions, "body_regions")
        self.injury_form.add("Descri&ption:", self.description, "description")
        self.injury_form.add("E&xplanation given:", self.explanation, "explanation_given")
        self.injury_form.add(
            "C&onsistent with the explanation:", self.consistent, "consistent_with_explanation"
        )
        self.form.addRow(self.injury_group)
        # Marks are drawn on the occasion's body map, which needs the observation saved first.
        self.body_map_button = QPushButton("Body &map…")
        self.body_map_button.setAccessibleName("Body map")
        self.body_map_button.setToolTip(
            "Saves this observation as a draft, then opens its body map to mark where each "
            "injury or mark is"
        )
        self.body_map_button.setAutoDefault(False)
        self.body_map_button.clicked.connect(self.open_body_map)
        self.body_map_dialog: QDialog | None = None
        self.form.addRow(self.body_map_button)
        self._sections = (self.growth_form, self.injury_form)

        self.category.currentIndexChanged.connect(self._category_changed)
        self._loading_entry = False
        self.injury_group.toggled.connect(self._injury_toggled)
        self.significant.setToolTip(
            "An injury is always in the chronology; to leave one out, mark it not significant "
            "in the Chronology tab and give the reason"
        )
        self.watch(
            self.date,
            self.time,
            self.category,
            self.text,
            self.significant,
            self.weight,
            self.length,
            self.head,
            self.injury_group,
            self.description,
            self.explanation,
            self.consistent,
        )
        # watch() knows no QListWidget signal; ticking a region is a change too.
        self.regions.itemChanged.connect(self.mark_changed)

        chain: list[QWidget] = [
            self.date,
            self.time,
            self.category,
            self.text,
            self.significant,
            self.weight,
            self.length,
            self.head,
            self.injury_group,
            self.regions,
            self.description,
            self.explanation,
            self.consistent,
            self.body_map_button,
            self.save_button,
            self.finalise_button,
            self.close_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.date.setFocus()

    def open_body_map(self) -> None:
        """Save (the map hangs off the saved observation), then open its body map."""
        if self.entry_id is not None and not self.dirty:
            self._show_body_map(self.entry_id)
        else:
            self.save_draft(then=lambda view: self._show_body_map(view.id))

    def _show_body_map(self, observation_id: str) -> None:
        # Imported here: the body map panel opens mark forms, which are forms like this one.
        from practitioner_app.ui.case.body_map_panel import BodyMapDialog

        dialog = BodyMapDialog(self.session, observation_id, self)
        dialog.setModal(True)
        dialog.finished.connect(dialog.deleteLater)
        self.body_map_dialog = dialog
        dialog.show()

    # -- regions --------------------------------------------------------------------------------

    def _add_region(self, region: str, *, checked: bool) -> QListWidgetItem:
        item = QListWidgetItem(region, self.regions)
        item.setFlags(
            Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
        )
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        return item

    def checked_regions(self) -> tuple[str, ...]:
        return tuple(
            item.text()
            for item in (self.regions.item(row) for row in range(self.regions.count()))
            if item.checkState() == Qt.CheckState.Checked
        )

    def set_regions(self, regions: tuple[str, ...] | list[str]) -> None:
        wanted = set(regions)
        known: set[str] = set()
        for row in range(self.regions.count()):
            item = self.regions.item(row)
            known.add(item.text())
            checked = item.text() in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        # A region worded elsewhere (an imported record) is kept, not silently dropped on save.
        for region in regions:
            if region not in known:
                self._add_region(region, checked=True)

    def _category_changed(self, _: int) -> None:
        if self.category.value() == ObservationCategory.INJURY:
            self.injury_group.setChecked(True)

    def _injury_toggled(self, on: bool) -> None:
        # An injury always goes in the chronology (issue 17); leaving it out is a choice made in
        # the Chronology tab, with its reason.
        if on and not self._loading_entry:
            self.significant.setChecked(True)

    # -- RecordForm -----------------------------------------------------------------------------

    def details(self) -> ObservationDetails:
        # The base class clears only the main layout's messages; the groups have their own.
        for section in self._sections:
            section.clear_messages()
        occurred_at, time_known = typed_moment(self.date, self.time, "The date")
        category = self.category.value()
        if category is None:
            raise InvalidInput("Choose what the observation is about.", "category")
        details = ObservationDetails(
            child_id=self.child_id,
            occurred_at=occurred_at,
            # Choice hands back the plain string (Qt keeps a StrEnum as str), so convert back.
            category=ObservationCategory(category),
            text=self.text.value() or "",
            significant=self.significant.isChecked(),
            time_known=time_known,
            visit_id=self.visit_id,
            weight_kg=self.weight.value(),
            length_cm=self.length.value(),
            head_circumference_cm=self.head.value(),
            injury=self._injury(),
        )
        # Checked here as well as in the service, so the message appears before any saving.
        details.validate()
        return details

    def _injury(self) -> InjuryDetails | None:
        if not self.injury_group.isChecked():
            return None
        return InjuryDetails(
            body_regions=self.checked_regions(),
            description=self.description.value(),
            explanation_given=self.explanation.value(),
            consistent_with_explanation=self.consistent.value(),
        )

    def load(self, view: EntryView) -> None:
        self._loading_entry = True  # a saved entry shows as it was saved
        try:
            self._load(view)
        finally:
            self._loading_entry = False

    def _load(self, view: EntryView) -> None:
        fields = view.fields
        show_moment(self.date, self.time, view.occurred_at, view.time_known)
        self.child_id = fields.get("child_id") or self.child_id
        self.visit_id = fields.get("visit_id")
        self.category.set_value(ObservationCategory(fields["category"]))
        self.text.setPlainText(fields.get("text") or "")
        self.significant.setChecked(bool(fields.get("significant")))
        self.weight.set_value(fields.get("weight_kg"))
        self.length.set_value(fields.get("length_cm"))
        self.head.set_value(fields.get("head_circumference_cm"))
        injury = fields.get("injury")
        # After the category, which may have ticked the group: the saved state wins.
        self.injury_group.setChecked(injury is not None)
        injury = injury or {}
        self.set_regions(list(injury.get("body_regions") or ()))
        self.description.setPlainText(injury.get("description") or "")
        self.explanation.setPlainText(injury.get("explanation_given") or "")
        self.consistent.set_value(injury.get("consistent_with_explanation"))

    def show_problem(self, problem: Problem) -> None:
        for section in self._sections:
            section.clear_messages()
        super().show_problem(problem)
        field = problem.field if isinstance(problem, InvalidInput) else None
        if field is None or self.banner.isHidden():
            return  # shown beside a field of the main layout
        for section in self._sections:
            if section.show_message(field, problem.message):
                self.banner.hide()
                return

    def described(self) -> str:
        category = self.category.value()
        what = " ".join((self.text.value() or "").split())[:80]
        return (
            f"Observation on {self.date.text().strip()}: {label_of(category or 'no category')}"
            + (f", {what}" if what else "")
        )

    def key_answers(self) -> list[tuple[str, str | None]]:
        answers: list[tuple[str, str | None]] = [
            ("What you saw or heard", " ".join((self.text.value() or "").split())[:80] or None),
            ("In the chronology", "Yes" if self.significant.isChecked() else "No"),
        ]
        if self.injury_group.isChecked():
            answers += [
                ("Body regions", ", ".join(self.checked_regions()) or None),
                ("Explanation given", self.explanation.value()),
            ]
        return answers

    def child_key(self) -> str:
        return self.child_id
