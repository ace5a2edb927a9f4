"""The caseload's table models, tested without widgets: every child with the flags a practitioner
scans for (safeguarding alerts among them), the filter that narrows it as they type, and the notes
found by full-text search."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from practitioner_app.domain.alerts import Alert, Severity
from practitioner_app.domain.alerts.reviews import AlertReview, current_review
from practitioner_app.domain.folding import fold, typed_words
from practitioner_app.domain.nhs_number import formatted
from practitioner_app.domain.times import format_uk_date, uk_date
from practitioner_app.services.casework import CaseloadRow
from practitioner_app.services.search import SearchHit
from practitioner_app.ui import alert_display
from practitioner_app.ui.case.models import RowTableModel, ShownRows, tooltip
from practitioner_app.ui.widgets import label_of

AnyIndex = QModelIndex | QPersistentModelIndex

NOT_WORKED_OUT = "…"


@dataclass(frozen=True)
class AlertCell:
    """One child's alerts as the caseload's Alerts cell shows, sorts, tips and speaks them."""

    text: str
    sort: int
    worst: Severity | None
    tip: str | None
    spoken: str

    @classmethod
    def of(cls, alerts: list[Alert], reviews: Sequence[AlertReview] = ()) -> "AlertCell":
        """Alerts the practitioner has reviewed (and no new evidence has raised again) are shown
        as reviewed, and neither colour nor sort the cell: what is left is what needs answering."""
        answered = [current_review(a, reviews) for a in alerts]
        open_ = [a for a, review in zip(alerts, answered, strict=True) if review is None]
        done = len(alerts) - len(open_)
        lines = [
            f"{alert_display.title_of(a)} ({a.severity.value})"
            + (f" — reviewed: {review.sentence()}" if review else "")
            for a, review in zip(alerts, answered, strict=True)
        ]
        text = alert_display.summary(open_)
        if done:
            text = f"{text} ({done} reviewed)" if text else f"✓ {done} reviewed"
        return cls(
            text=text,
            sort=alert_display.sort_value(open_),
            worst=alert_display.worst(open_),
            tip=tooltip("\n".join([*lines, "", alert_display.ABOUT_ALERTS])) if alerts else None,
            spoken=alert_display.spoken_summary(open_) + (f"; {done} reviewed" if done else ""),
        )


class CaseloadModel(RowTableModel[CaseloadRow]):
    """Every child on the caseload, filtered by what the practitioner types (`set_text`) and
    sorted by the column they click."""

    NAME, ALERTS, AGE, BORN, NHS, CONCERNS, LEAD, LAST_SEEN, DRAFTS = range(9)
    HEADERS = (
        "Name",
        "Alerts",
        "Age",
        "Date of birth",
        "NHS number",
        "Open concerns",
        "Lead professional",
        "Last seen",
        "Drafts",
    )

    def __init__(self) -> None:
        super().__init__()
        self._bold = QFont()
        self._bold.setBold(True)
        # Each child's alerts by child id; a child not here has not been worked out yet.
        self.alerts: dict[str, list[Alert]] = {}
        self.reviews: dict[str, list[AlertReview]] = {}  # by child id
        # What each child's Alerts cell shows, worked out once: sorting asks for it thousands of
        # times, and a caseload of four hundred must still sort at once.
        self._cells: dict[str, AlertCell] = {}
        self._critical: int | None = None  # with_critical_alerts, until rows or cells change
        self.unknown_tip = "Working out the alerts…"
        self._words: list[str] = []  # typed, folded
        self._haystacks: dict[str, str] = {}  # by child id: what a typed word is matched against
        self._colours = {
            severity: (QColor(background), QColor(text))
            for severity, (background, text) in alert_display.SEVERITY_COLOURS.items()
        }

    # -- alerts --------------------------------------------------------------------------------

    def replace_alerts(self, found: Mapping[str, list[Alert]]) -> None:
        # A child's cell is worked out again only when its alerts are new: the caseload's
        # alerts arrive in slices, each with every child found so far.
        before, self.alerts = self.alerts, dict(found)
        self._cells = {
            child_id: (
                cell
                if alerts is before.get(child_id) and (cell := self._cells.get(child_id))
                else AlertCell.of(alerts, self.reviews.get(child_id, ()))
            )
            for child_id, alerts in found.items()
        }
        self._alerts_changed(None)

    def set_reviews(self, found: Mapping[str, list[AlertReview]]) -> None:
        """Every child's alert reviews; the cells show which alerts are answered."""
        self.reviews = dict(found)
        self._cells = {}
        self.replace_alerts(self.alerts)

    def set_child_alerts(self, child_id: str, found: list[Alert] | None) -> None:
        if found is None:
            self.alerts.pop(child_id, None)
            self._cells.pop(child_id, None)
        else:
            self.alerts[child_id] = found
            self._cells[child_id] = AlertCell.of(found, self.reviews.get(child_id, ()))
        self._alerts_changed(child_id)

    def _alerts_changed(self, child_id: str | None) -> None:
        self._critical = None
        # One signal for the whole column when everything arrives: one per row would repaint
        # the view four hundred times.
        if self._sorted_by is not None and self._sorted_by[0] == self.ALERTS:
            self.resort()
        if not self.rowCount():
            return
        if child_id is None:
            first, last = 0, self.rowCount() - 1
        else:
            found = [r for r in range(self.rowCount()) if self.row_at(r).id == child_id]
            if not found:
                return
            first = last = found[0]
        self.dataChanged.emit(self.index(first, self.ALERTS), self.index(last, self.ALERTS))

    def alert_cell(self, child: CaseloadRow) -> "AlertCell | None":
        return self._cells.get(child.id)

    def with_critical_alerts(self) -> int:
        """Children on the whole caseload (shown or filtered out) with a critical alert open.
        Counted once for each change of rows or alerts: the count under the filter asks at
        every key typed."""
        if self._critical is None:
            cells = (self._cells.get(child.id) for child in self._all)
            self._critical = sum(
                cell is not None and cell.worst is Severity.CRITICAL for cell in cells
            )
        return self._critical

    # -- the filter -------------------------------------------------------------------------

    def set_rows(self, rows: "Iterable[CaseloadRow]") -> None:
        self._haystacks = {}
        super().set_rows(rows)
        self._critical = None  # after: a count asked for while the old rows were still in place

    def set_text(self, text: str) -> None:
        """Shows the children whose name (or any other name they go by: preferred name,
        aliases, previous names), NHS number or date of birth holds every typed word, accents,
        Unicode forms and case aside (domain/folding.py: "Lukasz" finds "Łukasz"); an NHS
        number typed with spaces or hyphens matches too."""
        words = typed_words(text)
        if words != self._words:
            self._words = words
            self.refilter()

    def shows(self, row: CaseloadRow) -> bool:
        if not self._words:
            return True
        haystack = self._haystacks.get(row.id)
        if haystack is None:
            haystack = self._haystacks[row.id] = fold(
                " ".join(
                    (
                        row.name,
                        *row.known_as,
                        row.nhs_number or "",
                        format_uk_date(row.date_of_birth) if row.date_of_birth else "",
                    )
                )
            )
        return all(word in haystack for word in self._words)

    # -- what the cells show ------------------------------------------------------------------

    def data(self, index: AnyIndex, /, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        child = self.row_at(index.row())
        if index.column() == self.ALERTS and role in (
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.FontRole,
        ):
            cell = self._cells.get(child.id)
            severity = cell.worst if cell is not None else None
            colours = self._colours.get(severity) if severity is not None else None
            if colours is None:
                return None
            if role == Qt.ItemDataRole.FontRole:
                return self._bold if severity is Severity.CRITICAL else None
            return colours[0] if role == Qt.ItemDataRole.BackgroundRole else colours[1]
        if (
            role == Qt.ItemDataRole.FontRole
            and index.column() == self.CONCERNS
            and child.open_concerns
        ):
            return self._bold
        return super().data(index, role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, /, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # The first click on Alerts puts the worst first: that is what it is clicked for.
        if (
            role == Qt.ItemDataRole.InitialSortOrderRole
            and orientation == Qt.Orientation.Horizontal
            and section == self.ALERTS
        ):
            return Qt.SortOrder.DescendingOrder.value
        return super().headerData(section, orientation, role)

    def tip(self, row: CaseloadRow, column: int) -> str | None:
        if column == self.NAME and row.known_as:
            # Says why a filter by another name found this child.
            return "Also known as: " + ", ".join(row.known_as)
        if column == self.DRAFTS and row.drafts:
            return "Entries still in draft: finalise them when they are complete"
        if column == self.ALERTS:
            cell = self._cells.get(row.id)
            return self.unknown_tip if cell is None else cell.tip
        return None

    def accessible(self, row: CaseloadRow, column: int) -> str | None:
        if column == self.ALERTS:
            cell = self._cells.get(row.id)
            return self.unknown_tip if cell is None else cell.spoken
        return None

    def text(self, child: CaseloadRow, column: int) -> str:
        if column == self.NAME:
            return child.name
        if column == self.ALERTS:
            cell = self._cells.get(child.id)
            return NOT_WORKED_OUT if cell is None else cell.text
        if column == self.AGE:
            return child.age
        if column == self.BORN:
            if child.date_of_birth:
                return format_uk_date(child.date_of_birth)
            return f"Due {format_uk_date(child.expected_date)}" if child.expected_date else ""
        if column == self.NHS:
            return formatted(child.nhs_number) if child.nhs_number else ""
        if column == self.CONCERNS:
            if not child.open_concerns:
                return ""
            level = label_of(child.highest_open_level) if child.highest_open_level else ""
            return f"{child.open_concerns} (highest: {level.lower()})"
        if column == self.LEAD:
            return child.lead_professional or ""
        if column == self.LAST_SEEN:
            return format_uk_date(child.last_seen) if child.last_seen else "Not recorded"
        if column == self.DRAFTS:
            return str(child.drafts) if child.drafts else ""
        raise IndexError(column)

    def sort_value(self, child: CaseloadRow, column: int) -> Any:
        if column == self.ALERTS:
            cell = self._cells.get(child.id)
            return alert_display.sort_value(None) if cell is None else cell.sort
        if column in (self.AGE, self.BORN):
            return (child.date_of_birth or child.expected_date or date.min).toordinal()
        if column == self.CONCERNS:
            return child.open_concerns
        if column == self.LAST_SEEN:
            return child.last_seen.toordinal() if child.last_seen else 0
        if column == self.DRAFTS:
            return child.drafts
        return self.text(child, column).casefold()


class CaseloadFilter(ShownRows):
    """The caseload as its table shows it: filtered as the practitioner types (the model does
    the matching; see `CaseloadModel.set_text`)."""

    def set_text(self, text: str) -> None:
        model = self.sourceModel()
        assert isinstance(model, CaseloadModel)
        model.set_text(text)


class SearchModel(RowTableModel[SearchHit]):
    CHILD, WHEN, WHAT, FOUND = range(4)
    HEADERS = ("Child", "Date", "Record", "Found")

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, str] = {}  # child id → name, for the Child column

    def text(self, hit: SearchHit, column: int) -> str:
        if column == self.CHILD:
            return ", ".join(self.names.get(c, "") for c in hit.child_ids)
        if column == self.WHEN:
            return format_uk_date(uk_date(hit.occurred_at)) if hit.occurred_at else ""
        if column == self.WHAT:
            what = label_of(hit.kind)
            return what + (f" ({hit.matched_in})" if hit.matched_in != hit.kind else "")
        if column == self.FOUND:
            return hit.snippet
        raise IndexError(column)
