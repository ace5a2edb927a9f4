"""Amending a final entry: one field, its new value and a required reason; the original is kept.

Also the plain-English names and values of entry fields, which the entry viewer shares.
"""

from datetime import date, datetime
from enum import Enum
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain import chronology as wording
from practitioner_app.domain.enums import ContactType, VisitKind, VisitOutcome
from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.domain.labels import field_label, kind_label
from practitioner_app.domain.times import format_uk_date, format_uk_datetime
from practitioner_app.services import records
from practitioner_app.services.views import EntryView
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.forms.base import ERROR_STYLE, FormLayout
from practitioner_app.ui.forms.finalising import enter_moves_on
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.widgets import TextBox, label_of

_PART_LABELS = {
    "body_regions": "Body regions",
    "description": "Description",
    "explanation_given": "Explanation given",
    "consistent_with_explanation": "Consistent with the explanation",
}
REASON_NEEDED = "Give a reason for the amendment: say why the entry is being corrected."


def amendable_fields(kind: str) -> list[str]:
    """The fields an amendment may correct, in the order the entry's form shows them: the
    service's own list, so the dialog never offers a field the service would refuse."""
    return records.amendable_fields(kind)


def value_text(value: Any) -> str:
    """A stored value as a practitioner would write it."""
    if value is None:
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, VisitKind):
        return wording.VISIT_KIND_LABEL[value]
    if isinstance(value, ContactType):
        return wording.CONTACT_LABEL[value].capitalize()
    if isinstance(value, VisitOutcome):
        return wording.OUTCOME_LABEL[value].capitalize()
    if isinstance(value, Enum):
        return label_of(value)
    if isinstance(value, datetime):
        return format_uk_datetime(value)
    if isinstance(value, date):
        return format_uk_date(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(value_text(item) for item in value) or "None"
    if isinstance(value, dict):
        return "\n".join(
            f"{_PART_LABELS.get(key, label_of(key))}: {value_text(part)}"
            for key, part in value.items()
        )
    return str(value)


def current_text(view: EntryView, field: str) -> str | None:
    """The field as it reads now: the latest amendment's value, else what was recorded."""
    for amendment in reversed(view.amendments):
        if amendment.field == field:
            return amendment.new_value
    original = view.fields.get(field)
    return None if original is None else value_text(original)


def child_of(view: EntryView) -> str:
    """The child an entry is about, for `changed`; "" (every child) when it is about several."""
    child = view.fields.get("child_id")
    if isinstance(child, str):
        return child
    children = view.fields.get("child_ids") or []
    return children[0] if len(children) == 1 else ""


class AmendDialog(QDialog):
    """Correct one field of a final entry, saying why. Nothing recorded before is changed."""

    amended = Signal(object)  # the EntryView, with the new amendment

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter moves on; only the button or Ctrl+Enter records the amendment (issue 17).
        if not enter_moves_on(self, event):
            super().keyPressEvent(event)

    def __init__(
        self, session: VaultSession, view: EntryView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.view = view
        self._busy = False
        self._prefilled = ""
        title = f"Amend {kind_label(view.kind).lower()}"
        self.setWindowTitle(title + (" — DEMO" if session.is_demo else ""))
        self.setAccessibleName(title)

        intro = QLabel(
            "An amendment corrects one detail of a final entry. The original stays in the record, "
            "struck through, beside your correction, with your name, the time and your reason."
        )
        intro.setWordWrap(True)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.setAccessibleName("Problem")
        self.banner.hide()

        self.field_box = QComboBox()
        self.field_box.setAccessibleName("Field to amend")
        for name in amendable_fields(view.kind):
            self.field_box.addItem(field_label(view.kind, name), name)
        self.current = QPlainTextEdit()
        self.current.setReadOnly(True)
        self.current.setTabChangesFocus(True)
        self.current.setAccessibleName("Current value")
        self.current.setMaximumHeight(120)
        self.new_value = TextBox("New value")
        self.reason = TextBox("Reason for the amendment")
        self.reason.setPlaceholderText("For example: wrong date typed; the visit was on Tuesday")

        self.form = FormLayout()
        self.form.add("&Field to amend:", self.field_box, "field")
        self.form.add("Current value:", self.current)
        self.form.add("&New value:", self.new_value, "new_value")
        self.form.add("&Reason:", self.reason, "reason")

        self.save_button = QPushButton("&Save amendment")
        self.save_button.setToolTip("Record the amendment (Ctrl+Enter)")
        self.save_button.setAutoDefault(False)
        self.save_button.setAccessibleName("Save amendment")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        buttons = QDialogButtonBox()
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self.resize(560, 520)

        self.field_box.currentIndexChanged.connect(self._field_chosen)
        session.locked.connect(self.reject)
        self._field_chosen()

    def choose_field(self, field: str) -> None:
        index = self.field_box.findData(field)
        if index >= 0:
            self.field_box.setCurrentIndex(index)

    def field(self) -> str | None:
        data = self.field_box.currentData()
        return data if isinstance(data, str) else None

    def _field_chosen(self, *_: object) -> None:
        field = self.field()
        text = current_text(self.view, field) if field else None
        self.current.setPlainText(text if text is not None else "Not recorded")
        # Start from the current wording, so a slip can be corrected without retyping it all;
        # but never overwrite what the practitioner has typed themselves.
        if self.new_value.toPlainText() in ("", self._prefilled):
            self._prefilled = text or ""
            self.new_value.setPlainText(self._prefilled)

    def save(self) -> None:
        if self._busy:
            return
        self.form.clear_messages()
        self.banner.hide()
        field = self.field()
        if field is None:
            self.form.show_message("field", "Choose the field to amend.")
            return
        typed = self.new_value.toPlainText()
        new_value = typed if typed.strip() else None
        before = current_text(self.view, field)
        if (new_value or "").strip() == (before or "").strip():
            self.form.show_message(
                "new_value", "The new value is the same as the current one; change it, or cancel."
            )
            return
        reason = self.reason.toPlainText().strip()
        if not reason:
            self.form.show_message("reason", REASON_NEEDED)
            return
        self._busy = True
        self.save_button.setEnabled(False)
        (
            Operation(
                self,
                self.session,
                records.amend,
                self.view.kind,
                self.view.id,
                field,
                new_value,
                reason,
            )
            .changes(Changes.of(self.view.kind, self.view.id, child_id=child_of(self.view)))
            .success(self._saved)
            .failure(self._failed)
            .run_in_background()
        )

    def _saved(self, view: EntryView) -> None:
        self._busy = False
        self.view = view
        self.amended.emit(view)
        self.accept()

    def _failed(self, problem: Problem) -> None:
        self._busy = False
        self.save_button.setEnabled(True)
        field = problem.field if isinstance(problem, InvalidInput) else None
        if field is None or not self.form.show_message(field, problem.message):
            self.banner.setText(problem.message)
            self.banner.show()
