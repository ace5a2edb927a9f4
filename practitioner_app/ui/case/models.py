"""Table models for a child's case: the chronology, entry lists, the household and professionals."""

import html
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QIdentityProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from practitioner_app.domain.chronology import ChronologyRow
from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.labels import RECORDED_NOT_KNOWN
from practitioner_app.domain.times import format_uk_date, format_uk_datetime, now_utc, uk_date
from practitioner_app.services.casework import EntryRow, HouseholdRow, ProfessionalRow
from practitioner_app.ui.bidi import isolated
from practitioner_app.ui.widgets import label_of

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row object itself

SUMMARY_LENGTH = 120
# A draft in the chronology is not yet part of the record: it says so first, in words.
DRAFT_MARK = "DRAFT: "
EVENT_LENGTH = 200
# Cells shorter than this are read whole in the table; longer ones get the full text as a tooltip.
TOOLTIP_AFTER = 40

Index = QModelIndex | QPersistentModelIndex
RowT = TypeVar("RowT")


def tooltip(text: str) -> str:
    """Record text as a tooltip. Qt renders any tooltip that looks like HTML, so the text is escaped
    and wrapped in a paragraph: '<img src=...>' typed in a note stays text, and long text wraps."""
    return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"


def one_line(text: str, limit: int) -> str:
    """The first line of some text, cut at `limit` characters with an ellipsis."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    more = len(first) > limit or first != text.strip()
    first = first[:limit].rstrip()
    return first + "…" if more else first


def flat(text: str, limit: int) -> str:
    """All of some text on one line (a table row), cut at `limit` characters with an ellipsis."""
    single = " ".join(text.split())
    return single if len(single) <= limit else single[:limit].rstrip() + "…"


def yes_no(value: bool | None) -> str:
    return {True: "Yes", False: "No", None: "Not recorded"}[value]


def uk_date_or_blank(value: date | None) -> str:
    return format_uk_date(value) if value else ""


def _font(*, italic: bool = False) -> QFont:
    font = QFont()
    font.setItalic(italic)
    return font


class RowTableModel(QAbstractTableModel, Generic[RowT]):
    """A read-only table of frozen rows; subclasses say what each column shows.

    The model itself filters (`shows`) and sorts (`sort`) its rows, in Python, over the whole
    list at once. A QSortFilterProxyModel doing either calls into Python once per row and twice
    per comparison: with a worker thread busy, each of those calls waits its turn for the
    interpreter, and filling a sorted caseload held the window for a third of a second at 4,000
    children (issue 19). Views show the model through a `ShownRows` proxy, which passes the rows
    through in C++.
    """

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[RowT] = []  # every row, in the order given
        self._rows: list[RowT] = []  # the rows shown, filtered and in the sorted order
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None
        self._italic = _font(italic=True)

    def set_rows(self, rows: Iterable[RowT]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._rows = self._arranged()
        self.endResetModel()

    def rows(self) -> list[RowT]:
        """Every row, shown or filtered out, in the order given to `set_rows`."""
        return list(self._all)

    def total(self) -> int:
        """How many rows there are, shown or not (`rowCount` counts those shown)."""
        return len(self._all)

    def row_at(self, row: int) -> RowT:
        """The row shown at position `row`."""
        return self._rows[row]

    # -- filtering and sorting --------------------------------------------------------------------

    def shows(self, row: RowT) -> bool:
        """Whether a row passes the filter; every row does unless a subclass filters."""
        return True

    def refilter(self) -> None:
        """Shows the rows that pass `shows` now, in the current order (call after the filter
        changes)."""
        self.beginResetModel()
        self._rows = self._arranged()
        self.endResetModel()

    def sort(self, column: int, /, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorts the shown rows by `sort_value`; rows that sort alike keep the order given.
        Column -1 puts them back in the order given. Selections and other persistent indexes
        follow their rows."""
        if column >= len(self.HEADERS):
            return
        self._sorted_by = (column, order) if column >= 0 else None
        self.resort()

    def resort(self) -> None:
        """Puts the rows back in the sorted order (call after the values a sort uses change)."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        moved = [(index, self._rows[index.row()]) for index in before]
        self._rows = self._arranged()
        where = {id(row): position for position, row in enumerate(self._rows)}
        self.changePersistentIndexList(
            before,
            [
                self.index(where[id(row)], index.column()) if id(row) in where else QModelIndex()
                for index, row in moved
            ],
        )
        self.layoutChanged.emit()

    def _arranged(self) -> list[RowT]:
        shown = [row for row in self._all if self.shows(row)]
        if self._sorted_by is None:
            return shown
        column, order = self._sorted_by
        return sorted(
            shown,
            key=lambda row: self.sort_value(row, column),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    # -- what each column shows (overridden) ------------------------------------------------------

    def text(self, row: RowT, column: int) -> str:
        raise NotImplementedError

    def tip(self, row: RowT, column: int) -> str | None:
        text = self.text(row, column)
        return tooltip(self.full_text(row, column)) if len(text) > TOOLTIP_AFTER else None

    def full_text(self, row: RowT, column: int) -> str:
        """The untruncated text of a cell, for its tooltip."""
        return self.text(row, column)

    def accessible(self, row: RowT, column: int) -> str | None:
        return None

    def italic(self, row: RowT) -> bool:
        return False

    def sort_value(self, row: RowT, column: int) -> Any:
        """What `sort` orders a column by: one type per column (text casefolded by default)."""
        return self.text(row, column).casefold()

    # -- QAbstractTableModel ----------------------------------------------------------------------

    def rowCount(self, /, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, /, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, /, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, /, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tip(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.accessible(row, column)
        if role == Qt.ItemDataRole.FontRole:
            # A font, not a colour: colours chosen here would fight a dark or high-contrast palette.
            return self._italic if self.italic(row) else None
        return None


class ShownRows(QIdentityProxyModel):
    """What a table view shows of a `RowTableModel`: the rows as the model filtered and sorted
    them, passed through in C++, so painting and resetting never call into Python once per row.
    A click on a column header reaches the model's own `sort` (QAbstractProxyModel forwards it).
    Subclasses give the page one place to set the model's filter."""


class ChronologyModel(RowTableModel[ChronologyRow]):
    """The chronology, one row per significant thing that happened, oldest first; the on-screen
    filters (`set_filters`) hide rows without re-querying the vault."""

    DATE, AGE, EVENT, SOURCE, SIGNIFICANCE, IMPACT, ACTION, RECORDED_BY = range(8)
    HEADERS = (
        "Date",
        "Age",
        "What happened",
        "Source",
        "Significance",
        "Impact on the child",
        "Action",
        "Recorded by",
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._accepts: Callable[[ChronologyRow], bool] | None = None

    def set_filter(self, accepts: Callable[[ChronologyRow], bool] | None) -> None:
        """Shows only the rows `accepts` passes (None: every row)."""
        self._accepts = accepts
        self.refilter()

    def shows(self, row: ChronologyRow) -> bool:
        return self._accepts is None or self._accepts(row)

    def text(self, row: ChronologyRow, column: int) -> str:
        if column == self.DATE:
            when = format_uk_date(row.date) + (f" {row.time}" if row.time else "")
            return ("c. " if row.date_uncertain else "") + when
        if column == self.AGE:
            return row.age
        if column == self.EVENT:
            return (DRAFT_MARK if row.status == EntryStatus.DRAFT else "") + flat(
                row.event, EVENT_LENGTH
            )
        if column == self.SOURCE:
            return row.source
        if column == self.SIGNIFICANCE:
            level = row.significance.capitalize() if row.significance else ""
            if not row.chosen:
                return level
            chosen = "chosen ✓" if row.significant else "chosen ✗"
            return f"{level} ({chosen})" if level else chosen.capitalize()
        if column == self.IMPACT:
            return flat(row.impact or "", EVENT_LENGTH)
        if column == self.ACTION:
            return flat(row.action or "", EVENT_LENGTH)
        if column == self.RECORDED_BY:
            return row.recorded_by + "".join(f" — {flag}" for flag in self.row_flags(row))
        return ""

    def row_flags(self, row: ChronologyRow) -> list[str]:
        return [
            flag
            for flag, on in (
                ("late entry", row.late),
                ("amended", row.amended),
                (RECORDED_NOT_KNOWN, not row.recorded_at_known),
                ("imported", row.imported is not None),
            )
            if on
        ]

    def full_text(self, row: ChronologyRow, column: int) -> str:
        if column == self.EVENT:
            return (DRAFT_MARK if row.status == EntryStatus.DRAFT else "") + row.event
        if column == self.IMPACT:
            return row.impact or ""
        if column == self.ACTION:
            return row.action or ""
        return self.text(row, column)

    def tip(self, row: ChronologyRow, column: int) -> str | None:
        if column == self.DATE and row.date_uncertain:
            return tooltip("The exact date is not known; this is the nearest known date.")
        if column == self.SIGNIFICANCE and row.chosen:
            return tooltip(
                "You chose to count this entry as "
                + ("significant" if row.significant else "not significant")
                + " in the chronology; 'Use the automatic rule' undoes the choice."
            )
        if column == self.SOURCE and row.source_kind:
            return tooltip(f"{isolated(row.source)} ({label_of(row.source_kind).lower()})")
        if column == self.RECORDED_BY:
            return tooltip("\n".join(recorded_lines(row.recorded_by, row)))
        return super().tip(row, column)

    def accessible(self, row: ChronologyRow, column: int) -> str | None:
        if column == self.DATE:
            # The italic that marks a late entry is invisible to a screen reader; say it.
            draft = ["draft"] if row.status == EntryStatus.DRAFT else []
            return ", ".join([self.text(row, column), *draft, *self.row_flags(row)])
        if column == self.SIGNIFICANCE and row.chosen:
            level = row.significance.capitalize() if row.significance else "No level given"
            chosen = "significant" if row.significant else "not significant"
            return f"{level}, chosen as {chosen}"
        return None

    def italic(self, row: ChronologyRow) -> bool:
        return row.late

    def sort_value(self, row: ChronologyRow, column: int) -> Any:
        if column == self.DATE:
            return row.sort_key.isoformat()
        return super().sort_value(row, column)


def recorded_lines(author: str, row: ChronologyRow | EntryRow) -> list[str]:
    """The provenance a tooltip gives: who, when written (or that it is not known), whether late
    or amended, and where an imported record came from."""
    when = (
        f"Recorded {format_uk_datetime(row.recorded_at)}"
        if row.recorded_at_known
        else RECORDED_NOT_KNOWN
    )
    flags = [flag for flag, on in (("late entry", row.late), ("amended", row.amended)) if on]
    return [author, when + "".join(f" — {flag}" for flag in flags), *filter(None, [row.imported])]


def entry_when(row: EntryRow) -> str:
    """DD/MM/YYYY HH:MM, or the date alone when the time was not recorded."""
    if row.time_known:
        return format_uk_datetime(row.occurred_at)
    return format_uk_date(uk_date(row.occurred_at))


def entry_status(row: EntryRow) -> str:
    status = (
        "Draft" if row.status == EntryStatus.DRAFT else "Final, amended" if row.amended else "Final"
    )
    if row.concern_status is not None:
        status += f" · {row.concern_status.value}"
    return status


class EntryListModel(RowTableModel[EntryRow]):
    """A child's visits, observations or concerns, in the order the service gives (newest first)."""

    DATE, WHAT, SUMMARY, STATUS, RECORDED_BY = range(5)
    HEADERS: tuple[str, ...] = ("Date", "What", "Summary", "Status", "Recorded by")

    def text(self, row: EntryRow, column: int) -> str:
        if column == self.DATE:
            return entry_when(row) + (" (late entry)" if row.late else "")
        if column == self.WHAT:
            return row.what
        if column == self.SUMMARY:
            return one_line(row.summary, SUMMARY_LENGTH)
        if column == self.STATUS:
            return entry_status(row)
        if column == self.RECORDED_BY:
            return row.author + (" — imported" if row.imported else "")
        return ""

    def full_text(self, row: EntryRow, column: int) -> str:
        return row.summary if column == self.SUMMARY else self.text(row, column)

    def tip(self, row: EntryRow, column: int) -> str | None:
        if column == self.SUMMARY and self.text(row, column) != row.summary.strip():
            return tooltip(row.summary)
        if column in (self.DATE, self.RECORDED_BY):
            return tooltip("\n".join(recorded_lines(row.author, row)))
        return super().tip(row, column)

    def italic(self, row: EntryRow) -> bool:
        return row.late

    def sort_value(self, row: EntryRow, column: int) -> Any:
        if column == self.DATE:
            return row.occurred_at.isoformat()
        return super().sort_value(row, column)


class VisitListModel(EntryListModel):
    """Visits, with the child's own words in a column of their own (issue 17): what the child
    said is not lost in the outcome's summary."""

    CHILD_WORDS = 5
    HEADERS = (*EntryListModel.HEADERS, "The child's words")

    def text(self, row: EntryRow, column: int) -> str:
        if column == self.CHILD_WORDS:
            return one_line(row.child_words or "", SUMMARY_LENGTH)
        return super().text(row, column)

    def full_text(self, row: EntryRow, column: int) -> str:
        if column == self.CHILD_WORDS:
            return row.child_words or ""
        return super().full_text(row, column)

    def tip(self, row: EntryRow, column: int) -> str | None:
        if column == self.CHILD_WORDS and row.child_words:
            return tooltip(row.child_words)
        return super().tip(row, column)


def _today() -> date:
    return uk_date(now_utc())


class HouseholdModel(RowTableModel[HouseholdRow]):
    """The people in the child's household and network, with who lives with the child now."""

    (NOW, NAME, RELATIONSHIP, LIVES_WITH_CHILD, PARENTAL_RESPONSIBILITY, FROM, TO, CHECKS,
     CONTACT) = range(9)  # fmt: skip
    HEADERS = (
        "Now",
        "Name",
        "Relationship",
        "Lives with child",
        "Parental responsibility",
        "From",
        "To",
        "Checks",
        "Phone and address",
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.today = _today()

    def set_rows(self, rows: Iterable[HouseholdRow], today: date | None = None) -> None:
        self.today = today or _today()
        super().set_rows(rows)

    def living_with_child_now(self, row: HouseholdRow) -> bool:
        return row.lives_with_child and row.is_current(self.today)

    def text(self, row: HouseholdRow, column: int) -> str:
        if column == self.NOW:
            if not row.is_current(self.today):
                return "Past"
            return "In household" if row.lives_with_child else "Involved"
        if column == self.NAME:
            return row.name
        if column == self.RELATIONSHIP:
            return row.relationship
        if column == self.LIVES_WITH_CHILD:
            return yes_no(row.lives_with_child)
        if column == self.PARENTAL_RESPONSIBILITY:
            return yes_no(row.parental_responsibility)
        if column == self.FROM:
            return uk_date_or_blank(row.from_date)
        if column == self.TO:
            return uk_date_or_blank(row.to_date)
        if column == self.CHECKS:
            return flat(row.checks or "", SUMMARY_LENGTH)
        if column == self.CONTACT:
            return flat(self._contact(row), SUMMARY_LENGTH)
        return ""

    @staticmethod
    def _contact(row: HouseholdRow) -> str:
        return "\n".join(part for part in (row.phone, row.address) if part)

    def full_text(self, row: HouseholdRow, column: int) -> str:
        if column == self.CONTACT:
            return self._contact(row)
        return (row.checks or "") if column == self.CHECKS else self.text(row, column)

    def tip(self, row: HouseholdRow, column: int) -> str | None:
        if column == self.NOW:
            return tooltip(
                "Lives with the child now"
                if self.living_with_child_now(row)
                else "Involved now, but does not live with the child"
                if row.is_current(self.today)
                else "No longer in the child's household or network"
            )
        if column == self.NAME:
            lines = [row.name]
            if row.date_of_birth:
                lines.append(f"Born {format_uk_date(row.date_of_birth)}")
            if row.notes:
                lines.append(row.notes)
            return tooltip("\n".join(lines))
        return super().tip(row, column)

    def italic(self, row: HouseholdRow) -> bool:
        return not row.is_current(self.today)

    def sort_value(self, row: HouseholdRow, column: int) -> Any:
        if column == self.FROM:
            return row.from_date.isoformat() if row.from_date else ""
        if column == self.TO:
            return row.to_date.isoformat() if row.to_date else "9999"
        return super().sort_value(row, column)


class ProfessionalModel(RowTableModel[ProfessionalRow]):
    """The professionals involved with the child, the lead first."""

    NAME, ROLE, AGENCY, LEAD, PHONE, EMAIL, FROM, TO = range(8)
    HEADERS = ("Name", "Role", "Agency", "Lead", "Phone", "Email", "From", "To")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.today = _today()

    def set_rows(self, rows: Iterable[ProfessionalRow], today: date | None = None) -> None:
        self.today = today or _today()
        super().set_rows(rows)

    def text(self, row: ProfessionalRow, column: int) -> str:
        if column == self.NAME:
            return row.name
        if column == self.ROLE:
            return row.role
        if column == self.AGENCY:
            return row.agency
        if column == self.LEAD:
            return "Lead" if row.lead else ""
        if column == self.PHONE:
            return row.phone or ""
        if column == self.EMAIL:
            return row.email or ""
        if column == self.FROM:
            return uk_date_or_blank(row.from_date)
        if column == self.TO:
            return uk_date_or_blank(row.to_date)
        return ""

    def accessible(self, row: ProfessionalRow, column: int) -> str | None:
        if column == self.LEAD:
            return "Lead professional" if row.lead else "Not the lead"
        return None

    def tip(self, row: ProfessionalRow, column: int) -> str | None:
        if column == self.NAME and not row.is_current(self.today):
            return tooltip(f"{isolated(row.name)}: no longer involved")
        return super().tip(row, column)

    def italic(self, row: ProfessionalRow) -> bool:
        return not row.is_current(self.today)
