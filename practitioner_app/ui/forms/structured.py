"""The editor for a structured form (a MARF, an early help assessment), built from its definition
alone: the sections and their state on the left, the answers on the right, shown or hidden by their
conditions, with the section warnings as soon as they apply. A draft is saved and finalised like
any record form (and saved when the vault locks); a final form is read-only, each answer with its
amendments beside it and its own Amend… button.
"""

import dataclasses
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain import forms as definitions
from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.domain.forms import Answer, Section
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.records import ReferralDetails
from practitioner_app.domain.times import format_uk_date, format_uk_datetime, now_utc, uk_local
from practitioner_app.services import forms
from practitioner_app.services.forms import FormView
from practitioner_app.services.views import EntryView
from practitioner_app.ui.case.amend import AmendDialog, amendable_fields
from practitioner_app.ui.case.form_export import FormToExport
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.forms.base import RecordForm
from practitioner_app.ui.forms.structured_answers import TextAnswer, answer_text, editor_for
from practitioner_app.ui.forms.structured_sections import AnswerRow, FinalAnswerRow, SectionsPanel
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession

# As loud as the app gets: a child at immediate risk comes before any form.
WARNING_STYLE = (
    "color: white; background: #b3261e; padding: 8px; border-radius: 3px; font-weight: bold;"
)


def amend_field(answer: Answer) -> str:
    """The field an amendment of this answer corrects, as the records service names it."""
    return answer.key if answer.column else f"sections.{answer.key}"


class StructuredForm(RecordForm):
    """One structured form of one child, as a draft to write or a final form to read and amend."""

    kind = RecordKind.REFERRAL
    export_requested = Signal(object)  # FormToExport

    def __init__(
        self, session: VaultSession, view: FormView, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, view.definition.title, parent)
        self.view = view
        self.definition = view.definition
        self.child_id = view.child.id
        self.entry_id = view.id
        self.status = view.entry.status
        self.rows: list[AnswerRow] = []
        self.final_rows: list[FinalAnswerRow] = []
        self.groups: dict[str, QGroupBox] = {}
        self.warnings: dict[str, QLabel] = {}
        self._loading = False
        child = view.child
        born = (
            f", born {format_uk_date(child.date_of_birth)}"
            if child.date_of_birth
            else f", due {format_uk_date(child.expected_date)}"
            if child.expected_date
            else ""
        )
        self.set_subject(f"{child.name}{born}")

        self.panel = SectionsPanel(self.definition)
        self.sections = self.panel.list
        self.overall = self.panel.overall
        self.panel.chosen.connect(self.go_to_section)
        self.panel.entered.connect(self._section_entered)

        self.alert = QLabel()
        self.alert.setWordWrap(True)
        self.alert.setTextFormat(Qt.TextFormat.PlainText)
        self.alert.setStyleSheet(WARNING_STYLE)
        self.alert.setAccessibleName("Warning")
        self.alert.hide()

        # The record form's single scroll area becomes the right-hand side of a splitter.
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        position = outer.indexOf(self.scroller)
        outer.removeWidget(self.scroller)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.panel)
        self.splitter.addWidget(self.scroller)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([self.panel.minimumWidth(), 1000])
        outer.insertWidget(position, self.splitter, 1)
        outer.insertWidget(position, self.alert)

        self.export_button = QPushButton("Export &PDF…")
        self.export_button.setToolTip(
            "Save the form as a PDF; you say whether it is going to someone (a share)"
        )
        self.export_button.setAutoDefault(False)
        self.export_button.clicked.connect(self.export_pdf)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.finalise_button.setToolTip(
            "Check every required answer and make the form final; it can then only be amended. "
            "Sending it is a separate step: Export PDF… (Ctrl+Enter)"
        )
        self.resize(1060, 800)
        self._build()

    # -- building from the definition -----------------------------------------------------------

    @property
    def final(self) -> bool:
        return self.view.final

    def _build(self) -> None:
        """(Re)build the answers: editable for a draft, read-only with amendments once final."""
        self.rows, self.final_rows = [], []
        self.groups, self.warnings = {}, {}
        body = QWidget()
        box = QVBoxLayout(body)
        for section in self.definition.sections:
            group = self._section_box(section)
            self.groups[section.key] = group
            box.addWidget(group)
        box.addStretch()
        self.scroller.setWidget(body)  # the old body is deleted with it
        for button in (self.save_button, self.finalise_button):
            button.setVisible(not self.final)
        if self.final:
            finalised = self.view.entry.finalised_at
            when = f" on {format_uk_datetime(finalised)}" if finalised else ""
            self.state.setText(f"Final{when}: read only; correct an answer with its Amend… button")
        else:
            self._loading = True
            for row in self.rows:
                row.editor.set_value(definitions.answer_value(self.view.details, row.answer))
            self._loading = False
            self.state.setText("Draft: saved as you see it; it can still be changed")
        self._refresh()

    def _section_box(self, section: Section) -> QGroupBox:
        group = QGroupBox()
        group.setAccessibleName(section.title)
        box = QVBoxLayout(group)
        heading = QLabel(section.title)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
        box.addWidget(heading)
        if section.warning is not None:
            warning = QLabel(section.warning[1])
            warning.setWordWrap(True)
            warning.setTextFormat(Qt.TextFormat.PlainText)
            warning.setStyleSheet(WARNING_STYLE)
            warning.setAccessibleName(f"Warning: {section.title}")
            warning.hide()
            self.warnings[section.key] = warning
            box.addWidget(warning)
        if section.help:
            help_text = QLabel(section.help)
            help_text.setWordWrap(True)
            help_text.setTextFormat(Qt.TextFormat.PlainText)
            help_text.setStyleSheet("font-style: italic;")
            box.addWidget(help_text)
        for answer in section.answers:
            box.addWidget(self._final_row(answer) if self.final else self._answer_row(answer))
        return group

    def _answer_row(self, answer: Answer) -> AnswerRow:
        editor = editor_for(answer, self.view.concerns)
        row = AnswerRow(answer, editor)
        editor.changed.connect(self._edited)
        row.refill_requested.connect(self.fill_from_record)
        self.rows.append(row)
        return row

    def _final_row(self, answer: Answer) -> FinalAnswerRow:
        entry = self.view.entry
        field = amend_field(answer)
        value = definitions.answer_value(self.view.details, answer)
        row = FinalAnswerRow(
            answer,
            answer_text(answer, value, self.view.concerns),
            [a for a in entry.amendments if a.field == field],
            amendable=answer.column is False or field in amendable_fields(RecordKind.REFERRAL),
        )
        row.amend_requested.connect(lambda r: self.amend(r.answer))
        self.final_rows.append(row)
        return row

    # -- the state of each section, conditions and warnings ---------------------------------------

    def current_details(self) -> ReferralDetails:
        """The form as typed so far, read leniently (a half-typed date counts as written)."""
        if self.final:
            return self.view.details
        return self._read(strict=False)

    def _read(self, *, strict: bool) -> ReferralDetails:
        sections = dict(self.view.details.sections)
        columns: dict[str, object] = {}
        for row in self.rows:
            value = row.editor.value() if strict else row.editor.draft_value()
            if row.answer.column:
                columns[row.answer.key] = value
            elif value:
                sections[row.answer.key] = str(value)
            else:
                sections.pop(row.answer.key, None)
        return dataclasses.replace(self.view.details, sections=sections, **columns)  # type: ignore[arg-type]

    def _edited(self) -> None:
        if not self._loading:
            self.mark_changed()
            self._refresh()

    def _refresh(self) -> None:
        details = self.current_details()
        for row in self.rows:
            row.setVisible(definitions.applies(row.answer, details))
        for final_row in self.final_rows:
            final_row.setVisible(definitions.applies(final_row.answer, details))
        alerts = []
        for section in self.definition.sections:
            warning = self.warnings.get(section.key)
            if warning is not None and section.warning is not None:
                holds = section.warning[0].holds(details)
                warning.setVisible(holds)
                if holds:
                    alerts.append(section.warning[1])
        self.alert.setText("\n".join(alerts))
        self.alert.setVisible(bool(alerts))
        self.panel.show_progress(
            definitions.progress(self.definition, details),
            final=self.final,
            ready=not definitions.gaps(self.definition, details),
        )

    def section_states(self) -> dict[str, str]:
        """Each section's state as shown: 'complete', 'to do' or 'empty'."""
        return {
            state.key: state.state
            for state in definitions.progress(self.definition, self.current_details())
        }

    # -- moving about ---------------------------------------------------------------------------

    def _section_entered(self, key: str) -> None:
        self.go_to_section(key)
        first = next(
            (r for r in self.rows if r.isVisibleTo(self) and r.answer in self._answers_of(key)),
            None,
        )
        if first is not None:
            first.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _answers_of(self, key: str) -> tuple[Answer, ...]:
        return self.definition.section(key).answers

    def go_to_section(self, key: str) -> None:
        group = self.groups.get(key)
        if group is not None:
            self.scroller.verticalScrollBar().setValue(group.y())

    def row_for(self, key: str | None) -> AnswerRow | None:
        """The answer an InvalidInput names: a required one first, as the gaps name those."""
        matches = [row for row in self.rows if row.answer.key == key]
        matches.sort(key=lambda row: not row.answer.required)
        return matches[0] if matches else None

    def go_to_answer(self, key: str | None) -> bool:
        row = self.row_for(key)
        if row is None:
            return False
        for section in self.definition.sections:
            if row.answer in section.answers:
                self.go_to_section(section.key)
        self.scroller.ensureWidgetVisible(row, 20, 40)
        row.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # -- saving and finalising ------------------------------------------------------------------

    def details(self) -> ReferralDetails:
        return self._read(strict=True)

    def show_problem(self, problem: Problem) -> None:
        """Beside the answer it names, or above the form."""
        for each in self.rows:
            each.clear_message()
        field = problem.field if isinstance(problem, InvalidInput) else None
        row = self.row_for(field)
        if row is None:
            self.banner.setText(problem.message)
            self.banner.show()
            return
        self.banner.hide()
        row.show_message(problem.message)
        self.go_to_answer(field)

    def save_draft(self, then: Callable[[EntryView], object] | None = None) -> bool:
        """Save the draft as it stands (a draft may be incomplete); False if an answer cannot
        be read (the message says which)."""
        if self.final:
            if then is not None:
                then(self.view.entry)
            return True
        if self._busy:
            self._after_save.append(lambda _: self.save_draft(then))
            return True
        details = self._collect()
        if details is None:
            return False
        self._busy = True
        self.state.setText("Saving…")

        def done(view: FormView) -> None:
            self._busy = False
            self._dirty = False
            self.view = view
            self._refresh()
            self.state.setText(f"Draft saved at {uk_local(now_utc()):%H:%M}")
            self.saved.emit(view.entry)
            if then is not None:
                then(view.entry)
            waiting, self._after_save = self._after_save, []
            for action in waiting:
                action(view.entry)

        (
            Operation(self, self.session, forms.save, self.view.id, details)
            .changes(Changes.of(self.kind, self.view.id, child_id=self.child_id))
            .success(done)
            .failure(self._failed)
            .run_in_background()
        )
        return True

    def finalise(self) -> bool:
        """Ask once, then save and make the form final: the service names every answer still
        needed. False when nothing was started."""
        if self.final or self._busy:
            return False
        details = self._collect()
        if details is None:
            return False
        # A form with answers still needed is not asked about: the service refuses it and each
        # gap is named where it is. Only a form that can become final is asked about.
        complete = not definitions.gaps(self.definition, details)
        if complete and not self.ask_to_finalise(self, self.final_summary()):
            self.state.setText("Kept as a draft")
            return False

        def make_final(_: EntryView) -> None:
            self._busy = True
            self.state.setText("Finalising…")
            made_final = Changes.of(self.kind, self.view.id, child_id=self.child_id)
            (
                Operation(self, self.session, forms.finalise, self.view.id)
                .changes(made_final)
                .success(self._made_final)
                .failure(self._refused)
                .run_in_background()
            )

        self.save_draft(then=make_final)
        return True

    def described(self) -> str:
        return f"{self.definition.title}: {self.subject.text()}"

    def _made_final(self, view: FormView) -> None:
        self._busy = False
        self._dirty = False
        self.view = view
        self.status = EntryStatus.FINAL
        self.banner.hide()
        self._build()
        self.state.setText("Final. To send it, use Export PDF… and say who it is going to.")
        self.saved.emit(view.entry)

    def _refused(self, problem: Problem) -> None:
        """Not final yet: everything still needed is named above, and the first is shown."""
        self._busy = False
        self.state.setText("Not final yet: see the message above")
        for row in self.rows:
            row.clear_message()
        self.banner.setText(problem.message)
        self.banner.show()
        # Each answer still needed says so where it is, so none is missed scrolling down.
        needed = {gap.answer for gap in definitions.gaps(self.definition, self.current_details())}
        for row in self.rows:
            if row.answer.required and row.answer.key in needed and row.isVisibleTo(self):
                row.show_message("Needed before the form can be final.")
        self.go_to_answer(problem.field if isinstance(problem, InvalidInput) else None)

    # -- filling from the record, amending, exporting ---------------------------------------------

    def fill_from_record(self, row: AnswerRow) -> None:
        row.say("Reading the record…")
        (
            Operation(
                self,
                self.session,
                forms.prefill_text,
                self.child_id,
                self.definition.key,
                row.answer.key,
                purpose=f"fill {row.answer.key}",
            )
            .success(partial(self._filled, row))
            .failure(partial(self._fill_failed, row))
            .run_in_background()
        )

    def _filled(self, row: AnswerRow, text: str) -> None:
        if row not in self.rows:
            return  # the form was finalised or rebuilt meanwhile
        if not text.strip():
            row.say("The record holds nothing for this yet; write it yourself.")
            return
        if isinstance(row.editor, TextAnswer):
            row.editor.replace_text(text)
        else:
            row.editor.set_value(text)
        row.say("Filled from the record as it is now. Ctrl+Z puts back what was there.")

    def _fill_failed(self, row: AnswerRow, problem: Problem) -> None:
        if row in self.rows:
            row.say("")
            row.show_message(problem.message)

    def amend(self, answer: Answer) -> AmendDialog | None:
        """Correct one answer of a final form, with a reason; the original stays as it was."""
        if not self.final:
            return None
        field = amend_field(answer)
        value = definitions.answer_value(self.view.details, answer)
        shown = answer_text(answer, value, self.view.concerns) if value is not None else None
        # The amend dialog reads the field's current value from the entry's fields, where a
        # form's answers are not: it is given this answer, as printed, under its field name.
        entry = dataclasses.replace(
            self.view.entry, fields={**self.view.entry.fields, field: shown}
        )
        dialog = AmendDialog(self.session, entry, self)
        dialog.field_box.clear()
        dialog.field_box.addItem(answer.label, field)
        dialog.field_box.setEnabled(False)
        dialog.setModal(True)
        dialog.amended.connect(self._amended)
        dialog.finished.connect(dialog.deleteLater)
        dialog.show()
        return dialog

    def _amended(self, _: EntryView) -> None:
        self.state.setText("Amendment saved; loading the form as it now reads…")
        (
            Operation(self, self.session, forms.get, self.view.id, purpose="reload")
            .success(self._reloaded)
            .run_in_background()
        )

    def _reloaded(self, view: FormView) -> None:
        self.view = view
        self._build()

    def show_stored(self, view: FormView) -> None:
        """Show the form as the vault now holds it (an alert's evidence was added to this draft
        while it was open); the caller makes sure nothing typed here is unsaved."""
        self._reloaded(view)

    def export_pdf(self) -> None:
        """Export the form as it stands: a changed draft is saved first."""
        if self.dirty:
            self.save_draft(
                then=lambda _: self.export_requested.emit(FormToExport.of_view(self.view))
            )
        else:
            self.export_requested.emit(FormToExport.of_view(self.view))

    def child_key(self) -> str:
        return self.child_id
