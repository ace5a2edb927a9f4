"""Making something final is a deliberate act (issue 17): Enter in a one-line field moves on and
never finalises, records or closes; Finalise (button or Ctrl+Enter) first shows what will become
final and which key answers are still empty, and asks once.

Shapes: `FinalSummary.entries` is one line per entry that becomes final (the form's own entry
first, then what was recorded with it); `FinalSummary.answers` is (label, value or None) for each
key answer, None meaning empty.
"""

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QMessageBox, QWidget

NOT_ANSWERED = "not answered"


@dataclass(frozen=True)
class FinalSummary:
    """What a Finalise will make final, and the key answers as they stand."""

    entries: tuple[str, ...]
    answers: tuple[tuple[str, str | None], ...] = field(default=())

    @property
    def empty_answers(self) -> tuple[str, ...]:
        return tuple(label for label, value in self.answers if value is None)

    def text(self) -> str:
        """The question's body: each entry, then the key answers with the empty ones named."""
        lines = ["These will become final. After this they can only be amended, never changed:"]
        lines += [f"  • {entry}" for entry in self.entries]
        if self.answers:
            lines += ["", "Key answers:"]
            lines += [
                f"  {label}: {value or NOT_ANSWERED.upper()}" for label, value in self.answers
            ]
        empty = self.empty_answers
        if empty:
            lines += ["", "Still empty: " + ", ".join(empty) + "."]
        return "\n".join(lines)


def ask_to_finalise(parent: QWidget, summary: FinalSummary) -> bool:
    """Asks once, with 'Keep as draft' the answer Enter or Escape gives. True: make it final."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Make final?")
    box.setTextFormat(Qt.TextFormat.PlainText)  # the lines quote what the practitioner typed
    box.setText(
        f"Make {len(summary.entries)} entr{'y' if len(summary.entries) == 1 else 'ies'} final?"
    )
    box.setInformativeText(summary.text())
    final = box.addButton("&Make final", QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton("&Keep as draft", QMessageBox.ButtonRole.RejectRole)
    # Enter answers the safe way: only a deliberate choice makes anything final.
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is final


def is_plain_enter(event: QKeyEvent) -> bool:
    """Return or Enter with no Ctrl: the key people press to end a line, not to finish a record."""
    return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
        event.modifiers() & Qt.KeyboardModifier.ControlModifier
    )


def enter_moves_on(dialog: QWidget, event: QKeyEvent) -> bool:
    """Call from a dialog's keyPressEvent: a plain Enter that reached the dialog (a one-line
    field, a choice, a tick box, a button that does not take Enter) moves to the next field
    instead of pressing the dialog's default button. True when the event was handled."""
    if not is_plain_enter(event):
        return False
    dialog.focusNextChild()
    event.accept()
    return True
