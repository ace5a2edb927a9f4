"""One input per answer of a structured form, chosen by the answer's kind alone (a third form needs
no code here), and the plain words a final form shows for each answer."""

from datetime import date

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.enums import Consent
from practitioner_app.domain.forms import (
    NO_INFORMATION,
    Answer,
    AnswerKind,
    PlannedAction,
    answered,
    format_actions,
    parse_actions,
)
from practitioner_app.domain.times import format_uk_date
from practitioner_app.services.forms import LinkedConcern
from practitioner_app.ui.widgets import Choice, DateEdit, TextBox, YesNo

CONSENT_LABELS = {
    Consent.GIVEN: "Given",
    Consent.REFUSED: "Refused",
    Consent.NOT_SOUGHT: "Not sought",
}
ACTION_HEADERS = ("Action", "Who", "By when")
TEXT_LINES = (3, 16)  # the fewest and most lines a text answer shows before it scrolls


class AnswerEditor(QWidget):
    """An answer's input. `value` is what is saved (raising InvalidInput naming the answer when it
    cannot be read); `draft_value` never raises, for progress and conditions while typing."""

    changed = Signal()

    def __init__(self, answer: Answer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.answer = answer
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)

    def set_input(self, widget: QWidget) -> None:
        widget.setAccessibleName(self.answer.label)
        self.box.addWidget(widget)
        self.setFocusProxy(widget)

    def value(self) -> object:
        return self.draft_value()

    def draft_value(self) -> object:
        raise NotImplementedError

    def set_value(self, value: object) -> None:
        raise NotImplementedError


class TextAnswer(AnswerEditor):
    def __init__(self, answer: Answer, parent: QWidget | None = None) -> None:
        super().__init__(answer, parent)
        self.edit = TextBox(answer.label)
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.set_input(self.edit)
        self.edit.textChanged.connect(self.changed)
        # As tall as what is written (within reason), so a long form reads as one page.
        self.edit.textChanged.connect(self._fit)
        self._fit()

    def _fit(self, *_: object) -> None:
        # Measured from the text and the width it wraps to: the editor's own count of lines
        # only covers what it has laid out so far.
        margin = int(self.edit.document().documentMargin())
        width = max(self.edit.viewport().width() - 2 * margin, 100)
        metrics = self.edit.fontMetrics()
        text = self.edit.toPlainText() or " "
        wrapped = metrics.boundingRect(
            QRect(0, 0, width, 1_000_000), int(Qt.TextFlag.TextWordWrap), text
        )
        lines = round(wrapped.height() / metrics.lineSpacing())
        shown = min(max(lines + 1, TEXT_LINES[0]), TEXT_LINES[1])
        frame = 2 * (self.edit.frameWidth() + margin)
        self.edit.setFixedHeight(shown * metrics.lineSpacing() + frame)

    def resizeEvent(self, event: QResizeEvent, /) -> None:
        super().resizeEvent(event)
        self._fit()

    def draft_value(self) -> str | None:
        return self.edit.value()

    def set_value(self, value: object) -> None:
        self.edit.setPlainText(str(value) if value else "")

    def replace_text(self, text: str) -> None:
        """Put new text in as one edit, so Ctrl+Z brings back what was there."""
        cursor = self.edit.textCursor()
        cursor.select(cursor.SelectionType.Document)
        cursor.insertText(text)
        self.edit.setTextCursor(cursor)


class LineAnswer(AnswerEditor):
    def __init__(self, answer: Answer, parent: QWidget | None = None) -> None:
        super().__init__(answer, parent)
        self.edit = QLineEdit()
        self.set_input(self.edit)
        self.edit.textChanged.connect(self.changed)

    def draft_value(self) -> str:
        # A column such as "Referred to" is never None; a blank section is dropped on save.
        return self.edit.text().strip()

    def set_value(self, value: object) -> None:
        self.edit.setText(str(value) if value else "")


class YesNoAnswer(AnswerEditor):
    def __init__(self, answer: Answer, parent: QWidget | None = None) -> None:
        super().__init__(answer, parent)
        self.choice = YesNo(answer.label)
        self.choice.setSizeAdjustPolicy(YesNo.SizeAdjustPolicy.AdjustToContents)
        self.set_input(self.choice)
        self.box.setAlignment(self.choice, Qt.AlignmentFlag.AlignLeft)
        self.choice.currentIndexChanged.connect(self.changed)

    def draft_value(self) -> bool | None:
        return self.choice.value()

    def set_value(self, value: object) -> None:
        self.choice.set_value(None if value is None else bool(value))


class ConsentAnswer(AnswerEditor):
    def __init__(self, answer: Answer, parent: QWidget | None = None) -> None:
        super().__init__(answer, parent)
        self.choice = Choice(Consent, answer.label, empty="Not recorded", labels=CONSENT_LABELS)
        self.choice.setSizeAdjustPolicy(Choice.SizeAdjustPolicy.AdjustToContents)
        self.set_input(self.choice)
        self.box.setAlignment(self.choice, Qt.AlignmentFlag.AlignLeft)
        self.choice.currentIndexChanged.connect(self.changed)

    def draft_value(self) -> Consent | None:
        chosen = self.choice.value()
        # Qt hands a StrEnum back as a plain str; the form's conditions compare with Consent.
        return None if chosen is None else Consent(chosen)

    def set_value(self, value: object) -> None:
        self.choice.set_value(value)


class ChoiceAnswer(AnswerEditor):
    """One of the answer's options ("Not recorded" first), kept by the option's key."""

    def __init__(self, answer: Answer, parent: QWidget | None = None) -> None:
        super().__init__(answer, parent)
        self.choice = QComboBox()
        self.choice.addItem("Not recorded", None)
        for key, label in answer.options:
            self.choice.addItem(label, key)
        self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.set_input(self.choice)
        self.box.setAlignment(self.choice, Qt.AlignmentFlag.AlignLeft)
        self.choice.currentIndexChanged.connect(self.changed)

    def draft_value(self) -> str | None:
        data = self.choice.currentData()
        return None if data is None else str(data)

    def set_value(self, value: object) -> None:
        found = self.choice.findData(value) if value is not None else 0
        if found < 0:
            # A value that is not an option (from another partnership's form) is kept and shown.
            self.choice.addItem(str(value), value)
            found = self.choice.count() - 1
        self.choice.setCurrentIndex(found)


class DateAnswer(AnswerEditor):
    """A date typed as DD/MM/YYYY, kept in the form as an ISO date (YYYY-MM-DD)."""

    def __init__(self, answer: Answer, parent: QWidget | None = None) -> None:
        super().__init__(answer, parent)
        self.edit = DateEdit(answer.key, answer.label)
        self.edit.setMaximumWidth(160)
        self.set_input(self.edit)
        self.box.setAlignment(self.edit, Qt.AlignmentFlag.AlignLeft)
        self.edit.textChanged.connect(self.changed)

    def value(self) -> str | None:
        day = self.edit.value()
        return day.isoformat() if day else None

    def draft_value(self) -> str | None:
        return self.edit.text().strip() or None

    def set_value(self, value: object) -> None:
        try:
            self.edit.set_date(date.fromisoformat(str(value)) if value else None)
        except ValueError:
            self.edit.setText(str(value))  # shown as stored, so it can be corrected


class ActionsAnswer(AnswerEditor):
    """The plan: a row per action, with who will do it and by when."""

    def __init__(self, answer: Answer, parent: QWidget | None = None) -> None:
        super().__init__(answer, parent)
        self.table = QTableWidget(0, len(ACTION_HEADERS))
        self.table.setHorizontalHeaderLabels(list(ACTION_HEADERS))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(150)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 160)
        header.resizeSection(2, 120)
        self.set_input(self.table)
        self.add_button = QPushButton("Add an action")
        self.add_button.setAccessibleName("Add an action")
        self.remove_button = QPushButton("Remove the selected action")
        self.remove_button.setAccessibleName("Remove the selected action")
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch()
        self.box.addLayout(row)
        self.add_button.clicked.connect(self.add_action)
        self.remove_button.clicked.connect(self.remove_action)
        self.table.itemChanged.connect(lambda _: self.changed.emit())

    def add_action(self, action: PlannedAction | None = None) -> int:
        position = self.table.rowCount()
        self.table.insertRow(position)
        cells = (action.action, action.who, action.by_when) if action else ("", "", "")
        for column, text in enumerate(cells):
            self.table.setItem(position, column, QTableWidgetItem(text))
        self.table.setCurrentCell(position, 0)
        self.changed.emit()
        return position

    def remove_action(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for position in rows:
            self.table.removeRow(position)
        self.changed.emit()

    def planned(self) -> list[PlannedAction]:
        def cell(position: int, column: int) -> str:
            item = self.table.item(position, column)
            return item.text() if item is not None else ""

        return [
            PlannedAction(cell(r, 0), cell(r, 1), cell(r, 2)) for r in range(self.table.rowCount())
        ]

    def draft_value(self) -> str | None:
        return format_actions(self.planned()) or None

    def set_value(self, value: object) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for action in parse_actions(str(value) if value else ""):
            self.add_action(action)
        self.table.blockSignals(False)
        if self.table.rowCount() == 0:
            self.add_action()  # a blank row to start typing in


class ConcernsAnswer(AnswerEditor):
    """The child's concerns to tick: those linked to the form, and the others still open."""

    def __init__(
        self, answer: Answer, concerns: tuple[LinkedConcern, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(answer, parent)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        for concern in concerns:
            item = QListWidgetItem(concern_line(concern))
            item.setData(Qt.ItemDataRole.UserRole, concern.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        # Every concern in view without scrolling, up to six; an empty list still shows a line.
        shown = [self.list.sizeHintForRow(r) for r in range(min(self.list.count(), 6))] or [24]
        self.list.setFixedHeight(sum(shown) + 2 * self.list.frameWidth() + 6)
        self.set_input(self.list)
        self.list.itemChanged.connect(lambda _: self.changed.emit())

    def items(self) -> list[QListWidgetItem]:
        return [self.list.item(row) for row in range(self.list.count())]

    def draft_value(self) -> tuple[str, ...]:
        return tuple(
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in self.items()
            if item.checkState() == Qt.CheckState.Checked
        )

    def set_value(self, value: object) -> None:
        linked = set(value) if isinstance(value, tuple | list) else set()
        for item in self.items():
            ticked = item.data(Qt.ItemDataRole.UserRole) in linked
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)


def concern_line(concern: LinkedConcern) -> str:
    return f"{format_uk_date(concern.raised)} — {concern.text}"


def editor_for(answer: Answer, concerns: tuple[LinkedConcern, ...]) -> AnswerEditor:
    if answer.kind is AnswerKind.TEXT:
        return TextAnswer(answer)
    if answer.kind is AnswerKind.LINE:
        return LineAnswer(answer)
    if answer.kind is AnswerKind.YES_NO:
        return YesNoAnswer(answer)
    if answer.kind is AnswerKind.CONSENT:
        return ConsentAnswer(answer)
    if answer.kind is AnswerKind.DATE:
        return DateAnswer(answer)
    if answer.kind is AnswerKind.ACTIONS:
        return ActionsAnswer(answer)
    if answer.kind is AnswerKind.CONCERNS:
        return ConcernsAnswer(answer, concerns)
    if answer.kind is AnswerKind.CHOICE:
        return ChoiceAnswer(answer)
    raise ValueError(f"no editor for answers of kind {answer.kind}")


def answer_text(answer: Answer, value: object, concerns: tuple[LinkedConcern, ...]) -> str:
    """An answer as a final form shows it; never blank."""
    if not answered(value):
        return NO_INFORMATION
    if answer.kind is AnswerKind.YES_NO:
        return "Yes" if value else "No"
    if answer.kind is AnswerKind.CONSENT:
        return CONSENT_LABELS.get(Consent(str(value)), str(value))
    if answer.kind is AnswerKind.CHOICE:
        return answer.option_label(value)
    if answer.kind is AnswerKind.DATE:
        try:
            return format_uk_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if answer.kind is AnswerKind.ACTIONS:
        return "\n".join(
            " — ".join(
                part for part in (a.action, a.who, f"by {a.by_when}" if a.by_when else "") if part
            )
            for a in parse_actions(str(value))
        )
    if answer.kind is AnswerKind.CONCERNS:
        linked = set(value) if isinstance(value, tuple | list) else set()
        return "\n".join(concern_line(c) for c in concerns if c.id in linked) or NO_INFORMATION
    return str(value)
