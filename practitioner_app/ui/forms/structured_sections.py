"""The parts of the structured form editor around each input: an answer row (caption, help, input,
message, "fill from the record again"), an answer of a final form with its amendments and Amend…,
and the list of sections with the state of each."""

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.forms import NO_INFORMATION, Answer, FormDefinition, SectionProgress
from practitioner_app.domain.times import format_uk_datetime
from practitioner_app.services.views import AmendmentView
from practitioner_app.ui.forms.structured_answers import AnswerEditor
from practitioner_app.ui.style import ERROR_STYLE

AMENDMENT_STYLE = (
    "background: palette(alternate-base); border-left: 4px solid #1f6fb2; padding: 4px 8px;"
)
MARKS = {"complete": "✓", "to do": "!", "empty": "–"}
KEY_ROLE = Qt.ItemDataRole.UserRole


# -- an answer on the form: its caption, help, input and message ---------------------------------


def caption_text(answer: Answer) -> str:
    return answer.label + (" (required)" if answer.required else "")


def _caption(answer: Answer) -> QLabel:
    caption = QLabel(caption_text(answer))
    caption.setWordWrap(True)
    caption.setTextFormat(Qt.TextFormat.PlainText)
    caption.setStyleSheet("font-weight: bold;")
    return caption


def _help(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet("font-style: italic;")
    return label


class AnswerRow(QWidget):
    """One answer being written: caption, help, the input, a message under it, and — for what the
    record fills in — a button to fill it from the record again."""

    refill_requested = Signal(object)  # this row

    def __init__(self, answer: Answer, editor: AnswerEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.answer = answer
        self.editor = editor
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 4, 0, 4)
        box.setSpacing(3)
        caption = _caption(answer)
        caption.setBuddy(editor)
        box.addWidget(caption)
        if answer.help:
            box.addWidget(_help(answer.help))
        box.addWidget(editor)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setAccessibleName(f"Problem with {answer.label}")
        self.message.hide()
        box.addWidget(self.message)
        self.refill_button: QPushButton | None = None
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName(f"About {answer.label}")
        self.note.hide()
        if answer.prefill:
            self.refill_button = QPushButton("Fill from the record again")
            self.refill_button.setAccessibleName(f"Fill {answer.label} from the record again")
            self.refill_button.setToolTip(
                "Replace this answer with what the record holds now (Ctrl+Z undoes it)"
            )
            self.refill_button.setAutoDefault(False)
            self.refill_button.clicked.connect(lambda: self.refill_requested.emit(self))
            line = QHBoxLayout()
            line.addWidget(self.refill_button)
            line.addWidget(self.note, 1)
            line.addStretch()
            box.addLayout(line)
        else:
            box.addWidget(self.note)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def clear_message(self) -> None:
        self.message.hide()

    def say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))


def amendment_text(amendment: AmendmentView) -> str:
    new = "(cleared)" if amendment.new_value is None else amendment.new_value
    return (
        f"Amended {format_uk_datetime(amendment.recorded_at)} by {amendment.author}: "
        f"{new} — {amendment.reason}"
    )


def _amendment_html(amendment: AmendmentView) -> str:
    """The same words as `amendment_text`, with what changed in bold; record text escaped."""
    new = "(cleared)" if amendment.new_value is None else amendment.new_value
    return (
        f"<b>Amended</b> {format_uk_datetime(amendment.recorded_at)} by "
        f"{escape(amendment.author)}: <b>{escape(new)}</b> — {escape(amendment.reason)}"
    ).replace("\n", "<br>")


class FinalAnswerRow(QWidget):
    """One answer of a final form: as first recorded, each amendment after it, and Amend…"""

    amend_requested = Signal(object)  # this row

    def __init__(
        self,
        answer: Answer,
        text: str,
        amendments: list[AmendmentView],
        *,
        amendable: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.answer = answer
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 4, 0, 4)
        box.setSpacing(3)
        top = QHBoxLayout()
        caption = _caption(answer)
        caption.setText(answer.label)  # "(required)" means nothing once the form is final
        top.addWidget(caption, 1)
        self.amend_button: QPushButton | None = None
        if amendable:
            self.amend_button = QPushButton("Amend…")
            self.amend_button.setAccessibleName(f"Amend {answer.label}")
            self.amend_button.setToolTip("Correct this answer; what was recorded first is kept")
            self.amend_button.setAutoDefault(False)
            self.amend_button.clicked.connect(lambda: self.amend_requested.emit(self))
            top.addWidget(self.amend_button, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(top)
        if amendments:
            first = QLabel("As first recorded:")
            first.setStyleSheet("font-style: italic;")
            box.addWidget(first)
        self.original = QLabel(text)
        self.original.setWordWrap(True)
        self.original.setTextFormat(Qt.TextFormat.PlainText)  # record text is never markup
        self.original.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.original.setAccessibleName(answer.label)
        if text == NO_INFORMATION:
            self.original.setStyleSheet("font-style: italic;")
        box.addWidget(self.original)
        self.amendments: list[QLabel] = []
        for amendment in amendments:
            label = QLabel(_amendment_html(amendment))
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(f"Amendment to {answer.label}")
            label.setAccessibleDescription(amendment_text(amendment))
            # Set apart from the original, never replacing it: a court reads both.
            label.setStyleSheet(AMENDMENT_STYLE)
            box.addWidget(label)
            self.amendments.append(label)


# -- the sections and their state ---------------------------------------------------------------


def section_tip(state: SectionProgress) -> str:
    if state.missing:
        return "To do: " + "; ".join(state.missing)
    if state.filled:
        return "Complete"
    return f"Optional, nothing written yet. It will print: {NO_INFORMATION}"


class SectionsPanel(QWidget):
    """The form's sections, each marked complete, to do or empty, and how many are complete."""

    chosen = Signal(str)  # a section's key: bring it into view
    entered = Signal(str)  # Enter or a double-click on a section: start writing in it

    def __init__(self, definition: FormDefinition, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.overall = QLabel()
        self.overall.setWordWrap(True)
        self.overall.setAccessibleName("Progress")
        self.overall.setStyleSheet("font-weight: bold;")
        self.list = QListWidget()
        self.list.setAccessibleName("Sections")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSpacing(2)
        self.list.setToolTip("Choose a section to go to it")
        for section in definition.sections:
            item = QListWidgetItem(section.title)
            item.setData(KEY_ROLE, section.key)
            self.list.addItem(item)
        self.list.currentRowChanged.connect(self._current_changed)
        self.list.itemClicked.connect(lambda item: self.chosen.emit(item.data(KEY_ROLE)))
        self.list.itemActivated.connect(lambda item: self.entered.emit(item.data(KEY_ROLE)))
        legend = QLabel("✓ complete   ! to do   – empty (optional)")
        legend.setWordWrap(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.overall)
        box.addWidget(self.list, 1)
        box.addWidget(legend)
        # Wide enough for the longest title in full, in bold as a section to do is shown.
        bold = self.list.font()
        bold.setBold(True)
        widest = max(
            QFontMetrics(bold).horizontalAdvance(f"!  {s.title}") for s in definition.sections
        )
        self.setMinimumWidth(max(250, widest + 50))

    def _current_changed(self, position: int) -> None:
        if position >= 0:
            self.chosen.emit(self.list.item(position).data(KEY_ROLE))

    def show_progress(
        self, progress: tuple[SectionProgress, ...], *, final: bool, ready: bool
    ) -> None:
        for position, state in enumerate(progress):
            item = self.list.item(position)
            item.setText(f"{MARKS[state.state]}  {state.title}")
            item.setToolTip(section_tip(state))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{state.title}: {state.state}")
            font = item.font()
            font.setBold(state.state == "to do")  # what is left to do stands out
            item.setFont(font)
        complete = sum(state.complete for state in progress)
        overall = f"{complete} of {len(progress)} sections complete"
        if final:
            overall = f"FINAL — {overall}"
        elif ready:
            overall += " — ready to finalise"
        self.overall.setText(overall)
