"""The caseload: every child with the flags a practitioner scans for, filtered as they type, and
full-text search across every note once they pause."""

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.errors import Problem
from practitioner_app.domain.nhs_number import formatted
from practitioner_app.domain.times import format_uk_date, uk_date
from practitioner_app.services import casework
from practitioner_app.services import search as search_service
from practitioner_app.services.casework import CaseloadRow
from practitioner_app.services.search import SearchHit
from practitioner_app.ui.case.models import ROW_ROLE, SORT_ROLE, RowTableModel
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.widgets import label_of

AnyIndex = QModelIndex | QPersistentModelIndex


class CaseloadModel(RowTableModel[CaseloadRow]):
    NAME, AGE, BORN, NHS, CONCERNS, LEAD, LAST_SEEN, DRAFTS = range(8)
    HEADERS = (
        "Name",
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

    def data(self, index: AnyIndex, /, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.FontRole
            and index.isValid()
            and index.column() == self.CONCERNS
            and self.row_at(index.row()).open_concerns
        ):
            return self._bold
        return super().data(index, role)

    def tip(self, row: CaseloadRow, column: int) -> str | None:
        if column == self.DRAFTS and row.drafts:
            return "Entries still in draft: finalise them when they are complete"
        return None

    def text(self, child: CaseloadRow, column: int) -> str:
        if column == self.NAME:
            return child.name
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
        if column in (self.AGE, self.BORN):
            return (child.date_of_birth or child.expected_date or date.min).toordinal()
        if column == self.CONCERNS:
            return child.open_concerns
        if column == self.LAST_SEEN:
            return child.last_seen.toordinal() if child.last_seen else 0
        if column == self.DRAFTS:
            return child.drafts
        return self.text(child, column).casefold()


class CaseloadFilter(QSortFilterProxyModel):
    """Matches every typed word against the name, NHS number and date of birth."""

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)

    def set_text(self, text: str) -> None:
        self._words = text.casefold().split()
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        assert isinstance(model, CaseloadModel)
        child = model.row_at(source_row)
        haystack = " ".join(
            (
                child.name,
                child.nhs_number or "",
                format_uk_date(child.date_of_birth) if child.date_of_birth else "",
            )
        ).casefold()
        return all(word.replace(" ", "") in haystack for word in self._words)


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


def _table(name: str) -> QTableView:
    table = QTableView()
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.setTabKeyNavigation(False)
    return table


class CaseloadPage(QWidget):
    open_child = Signal(str)
    open_record = Signal(str, str, str)  # child id, entry kind, entry id
    add_child = Signal()

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = CaseloadModel()
        self.proxy = CaseloadFilter()
        self.proxy.setSourceModel(self.model)
        self.results = SearchModel()

        self.filter = QLineEdit()
        self.filter.setPlaceholderText(
            "Type a name, NHS number or date of birth; pause to search every note too"
        )
        self.filter.setAccessibleName("Find a child or search notes")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._typed)
        self.filter.returnPressed.connect(self._open_first)
        self.add_button = QPushButton("&Add child…")
        self.add_button.setToolTip("Ctrl+Shift+N")
        self.add_button.clicked.connect(self.add_child)
        self.count = QLabel()
        self.count.setAccessibleName("Number of children shown")

        self.table = _table("Caseload")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(CaseloadModel.NAME, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Size columns from the rows on screen: measuring every row of a long list stalls the window.
        header.setResizeContentsPrecision(0)
        header.setSectionResizeMode(CaseloadModel.LEAD, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._child_activated)

        self.search_label = QLabel("Found in notes")
        self.search_table = _table("Notes found by search")
        self.search_table.setModel(self.results)
        self.search_table.horizontalHeader().setStretchLastSection(True)
        self.search_table.activated.connect(self._hit_activated)
        search_box = QWidget()
        box = QVBoxLayout(search_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.search_label)
        box.addWidget(self.search_table)
        self.search_box = search_box
        search_box.hide()

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(400)
        self._search_timer.timeout.connect(self._search)
        self._names: dict[str, str] = {}

        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.add_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(search_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.count)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        session.changed.connect(lambda kind, _: self.reload())

    def reload(self) -> None:
        if self.session.is_open:
            self.session.call(casework.caseload, done=self._loaded, failed=self._failed)

    def _loaded(self, rows: list[CaseloadRow]) -> None:
        self.model.set_rows(rows)
        self._names = {row.id: row.name for row in rows}
        self._update_count()
        self.message.setText(
            "" if rows else "No children yet. Add the first child with Add child (Ctrl+Shift+N)."
        )

    def _failed(self, problem: Problem) -> None:
        self.message.setText(problem.message)

    def clear(self) -> None:
        self.model.set_rows([])
        self.results.set_rows([])
        self.filter.clear()
        self.table.show()
        self.search_box.hide()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(
            f"{total} children" if shown == total else f"{shown} of {total} children shown"
        )

    def _typed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()
        # No child's name matches: give the note search results the whole page.
        self.table.setVisible(self.proxy.rowCount() > 0 or self.model.rowCount() == 0)
        if len(text.strip()) >= 3:
            self._search_timer.start()
        else:
            self._search_timer.stop()
            self.search_box.hide()

    def _search(self) -> None:
        words = self.filter.text()
        self.session.call(search_service.search, words, done=lambda hits: self._found(words, hits))

    def _found(self, words: str, hits: list[SearchHit]) -> None:
        if words != self.filter.text():
            return  # the practitioner has typed on; a newer search is coming
        self.results.names = self._names
        self.results.set_rows(hits)
        self.search_label.setText(
            f"Found in notes: {len(hits)}" + (" (best 50 shown)" if len(hits) >= 50 else "")
            if hits
            else "No notes contain those words."
        )
        self.search_table.setVisible(bool(hits))
        self.search_box.show()  # an empty screen with no reason would look broken

    def _open_first(self) -> None:
        if self.proxy.rowCount() >= 1:
            self._child_activated(self.proxy.index(0, 0))

    def _child_activated(self, index: QModelIndex) -> None:
        child: CaseloadRow = self.proxy.data(index, ROW_ROLE)
        self.open_child.emit(child.id)

    def _hit_activated(self, index: QModelIndex) -> None:
        hit: SearchHit = self.results.data(index, ROW_ROLE)
        if hit.child_ids:
            self.open_record.emit(hit.child_ids[0], hit.kind, hit.record_id)
