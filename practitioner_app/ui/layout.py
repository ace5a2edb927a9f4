"""A form layout that can show a message under any field, by the field's name."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from practitioner_app.ui.style import ERROR_STYLE


class FormLayout(QFormLayout):
    """A form layout that can put a message under any field, by the field's name."""

    def __init__(self) -> None:
        super().__init__()
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._messages: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}

    def add(self, label: str, widget: QWidget, field: str | None = None) -> QWidget:
        container = QWidget()
        box = QVBoxLayout(container)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        caption = QLabel(label)
        caption.setBuddy(widget)
        if field is not None:
            message = QLabel()
            message.setWordWrap(True)
            message.setStyleSheet(ERROR_STYLE)
            message.setAccessibleName(f"Problem with {label.rstrip(':&').replace('&', '')}")
            message.hide()
            box.addWidget(message)
            self._messages[field] = message
            self._widgets[field] = widget
        self.addRow(caption, container)
        return widget

    def add_heading(self, title: str, note: str = "") -> None:
        """A section's title across the form (and a line of help under it), so a long form reads
        in parts."""
        heading = QLabel(title)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setStyleSheet("font-weight: bold; font-size: 11pt; margin-top: 8px;")
        heading.setAccessibleName(f"Section: {title}")
        self.addRow(heading)
        if note:
            help_text = QLabel(note)
            help_text.setWordWrap(True)
            help_text.setTextFormat(Qt.TextFormat.PlainText)
            help_text.setStyleSheet("font-style: italic;")
            self.addRow(help_text)

    def show_message(self, field: str, text: str) -> bool:
        message = self._messages.get(field)
        if message is None:
            return False
        message.setText(text)
        message.show()
        self._widgets[field].setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def clear_messages(self) -> None:
        for message in self._messages.values():
            message.hide()
