"""Small input widgets the forms share: UK dates typed from the keyboard, yes/no/not recorded,
optional numbers, and choices from the domain's vocabularies."""

import re
from datetime import date, datetime, time
from enum import Enum
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.labels import value_label
from practitioner_app.domain.times import UK, format_uk_date, uk_local

DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y")


def label_of(value: Enum | str) -> str:
    """'was_not_brought' → 'Was not brought'."""
    return value_label(value)


class DateEdit(QLineEdit):
    """A date typed as DD/MM/YYYY (the way every UK form writes it), optionally left empty."""

    def __init__(
        self, field: str, label: str, *, required: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.field = field
        self.label = label
        self.required = required
        self.setPlaceholderText("DD/MM/YYYY")
        self.setAccessibleName(label)
        self.setMaxLength(10)

    def set_date(self, value: date | None) -> None:
        self.setText(format_uk_date(value) if value else "")

    def value(self) -> date | None:
        text = self.text().strip()
        if not text:
            if self.required:
                raise InvalidInput(f"{self.label} is required; type it as DD/MM/YYYY.", self.field)
            return None
        for pattern in DATE_FORMATS:
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise InvalidInput(
            f"{self.label} '{text[:12]}' is not a real date; type it as DD/MM/YYYY.", self.field
        )


class TimeEdit(QLineEdit):
    """A time of day as HH:MM (24-hour), or empty when the time is not known."""

    def __init__(self, field: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.label = label
        self.setPlaceholderText("HH:MM")
        self.setAccessibleName(label)
        self.setMaxLength(5)

    def set_time(self, value: time | None) -> None:
        self.setText(value.strftime("%H:%M") if value else "")

    def value(self) -> time | None:
        text = self.text().strip()
        if not text:
            return None
        try:
            return datetime.strptime(text, "%H:%M").time()
        except ValueError:
            raise InvalidInput(
                f"{self.label} '{text[:8]}' is not a time; type it as HH:MM, for example 14:30.",
                self.field,
            ) from None


def moment(day: date, at: time | None) -> tuple[datetime, bool]:
    """A UK local date and optional time as an aware datetime, and whether the time was known."""
    return datetime.combine(day, at or time(12, 0), tzinfo=UK), at is not None


def split_moment(value: datetime, time_known: bool) -> tuple[date, time | None]:
    local = uk_local(value)
    return local.date(), (local.time().replace(second=0, microsecond=0) if time_known else None)


class YesNo(QComboBox):
    """Yes / No / Not recorded: 'child seen alone' left blank is different from 'no'."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(label)
        for text, value in (("Not recorded", None), ("Yes", True), ("No", False)):
            self.addItem(text, value)

    def value(self) -> bool | None:
        data: Any = self.currentData()
        return None if data is None else bool(data)

    def set_value(self, value: bool | None) -> None:
        self.setCurrentIndex({None: 0, True: 1, False: 2}[value])


class Choice(QComboBox):
    """A choice from an enum, shown in plain words, optionally with 'None' first."""

    def __init__(
        self,
        options: type[Enum],
        label: str,
        *,
        empty: str | None = None,
        labels: dict[Any, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(label)
        # Kept beside the combo box: Qt hands a StrEnum back as a plain str.
        self._values: list[Any] = []
        if empty is not None:
            self.addItem(empty)
            self._values.append(None)
        for member in options:
            self.addItem((labels or {}).get(member, label_of(member)))
            self._values.append(member)

    def value(self) -> Any:
        index = self.currentIndex()
        return self._values[index] if index >= 0 else None

    def set_value(self, value: Any) -> None:
        matches = [i for i, member in enumerate(self._values) if member == value]
        self.setCurrentIndex(matches[0] if matches else 0)


class NumberEdit(QLineEdit):
    """An optional decimal number (a weight, a length), typed freely and checked on save."""

    def __init__(self, field: str, label: str, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.label = label
        self.setPlaceholderText(unit)
        self.setAccessibleName(f"{label} in {unit}")

    def set_value(self, value: float | None) -> None:
        self.setText("" if value is None else f"{value:g}")

    def value(self) -> float | None:
        text = self.text().strip().replace(",", ".")
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            raise InvalidInput(
                f"{self.label} '{text[:12]}' is not a number; type digits, for example 7.85.",
                self.field,
            ) from None


class GestationEdit(QLineEdit):
    """Gestation at birth as the red book writes it, weeks+days ("32+3", or "40" for 40+0)."""

    PATTERN = re.compile(r"^\s*(\d{1,2})\s*(?:\+\s*(\d{1,2}))?\s*$")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("weeks+days, e.g. 32+3")
        self.setAccessibleName("Gestation at birth in weeks and days")
        self.setMaxLength(8)

    def set_value(self, weeks: int | None, days: int | None) -> None:
        self.setText("" if weeks is None else f"{weeks}+{days or 0}")

    def value(self) -> tuple[int | None, int | None]:
        """(weeks, days), (None, None) when blank; InvalidInput if it is not weeks+days."""
        text = self.text().strip()
        if not text:
            return None, None
        found = self.PATTERN.match(text)
        if found is None:
            raise InvalidInput(
                f"Gestation '{text[:8]}' is not weeks+days; write it as the red book does, "
                "for example 32+3 (or 40 for 40+0).",
                "gestation_weeks",
            )
        return int(found.group(1)), int(found.group(2) or 0)


class TextBox(QPlainTextEdit):
    """Free text: Tab moves on to the next field instead of typing a tab character."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(label)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(60)

    def value(self) -> str | None:
        text = self.toPlainText()
        return text if text.strip() else None


def line_value(edit: QLineEdit) -> str | None:
    text = edit.text()
    return text if text.strip() else None


def typed_moment(day: "DateEdit", at: "TimeEdit", what: str) -> tuple[datetime, bool]:
    """The moment typed in a form's date and time fields, and whether the time was given.
    `what` names the date in the message when it is empty."""
    typed = day.value()
    if typed is None:  # a required DateEdit refuses an empty date already; this satisfies types
        raise InvalidInput(f"{what} is required; type it as DD/MM/YYYY.", "occurred_at")
    return moment(typed, at.value())


def show_moment(day: "DateEdit", at: "TimeEdit", value: datetime, time_known: bool) -> None:
    """Put a saved entry's moment back into a form's date and time fields."""
    shown_day, shown_time = split_moment(value, time_known)
    day.set_date(shown_day)
    at.set_time(shown_time)
