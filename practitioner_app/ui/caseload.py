"""The caseload: every child with the flags a practitioner scans for, filtered as they type, and
full-text search across every note once they pause.

The safeguarding alerts column fills in after the list appears: working them out for a whole
caseload takes seconds, so it is one background call after the rows are shown, and after that only
the children whose records change are worked out again.
"""

from datetime import date
from functools import partial

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
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

from practitioner_app.domain.alerts import Alert
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.services import alert_reviews, casework
from practitioner_app.services import alerts as alert_service
from practitioner_app.services import search as search_service
from practitioner_app.services.casework import CaseloadRow
from practitioner_app.services.search import SearchHit
from practitioner_app.ui.case.models import ROW_ROLE
from practitioner_app.ui.caseload_models import CaseloadFilter, CaseloadModel, SearchModel
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession

__all__ = ["CaseloadFilter", "CaseloadModel", "CaseloadPage", "SearchModel"]

# After a save, more saves usually follow (a visit, then its observations): the changed children's
# alerts are worked out once the burst has settled.
ALERT_SETTLE_MS = 400
# Children whose alerts are worked out in one call of the worker (see _load_alerts).
ALERT_SLICE = 50


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


def children(count: int) -> str:
    """'1 child', '2 children' (issue 17: never '1 children')."""
    return f"{count} {'child' if count == 1 else 'children'}"


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
        found = self.search_table.horizontalHeader()
        # The date and the kind of record never cut short; the children's names as wide as they
        # are, up to a limit (`_found`); the words found take the rest of the width.
        found.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        found.setSectionResizeMode(SearchModel.CHILD, QHeaderView.ResizeMode.Interactive)
        found.setStretchLastSection(True)
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

        # Alerts: a result from before a lock is dropped (see `clear`).
        self._alert_slices: list[list[str]] = []
        self._alerts_found: dict[str, list[Alert]] = {}
        self._alerts_day: date | None = None  # the day the whole caseload was worked out for
        self._alerts_loading = False
        self._changed_children: set[str] = set()
        self._alert_timer = QTimer(self)
        self._alert_timer.setSingleShot(True)
        self._alert_timer.setInterval(ALERT_SETTLE_MS)
        self._alert_timer.timeout.connect(self._refresh_changed)

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
        session.changed.connect(self._record_changed)

    def reload(self) -> None:
        if self.session.is_open:
            (
                Operation(self, self.session, casework.caseload, purpose="caseload")
                .success(self._loaded)
                .failure(self._failed)
                .run_in_background()
            )

    def _loaded(self, rows: list[CaseloadRow]) -> None:
        self.model.set_rows(rows)
        self._names = {row.id: row.name for row in rows}
        self._update_count()
        self.message.setText(
            "" if rows else "No children yet. Add the first child with Add child (Ctrl+Shift+N)."
        )
        self._load_alerts()
        # Reviews are few and small: read whole with the rows, so a review shows at once.
        (
            Operation(self, self.session, alert_reviews.reviews, purpose="reviews")
            .success(self.model.set_reviews)
            .failure(self._failed)
            .run_in_background()
        )

    def _failed(self, problem: Problem) -> None:
        self.message.setText(problem.message)

    def clear(self) -> None:
        self.model.set_rows([])
        self.model.replace_alerts({})
        self.session.pending.drop(self)
        self._alerts_day = None
        self._alerts_loading = False
        self._alert_slices = []
        self._changed_children.clear()
        self._alert_timer.stop()
        self.results.set_rows([])
        self.filter.clear()
        self.table.show()
        self.search_box.hide()

    # -- alerts ------------------------------------------------------------------------------

    def _load_alerts(self) -> None:
        """The whole caseload once a day (alerts count back from today); otherwise only children
        not worked out yet (one just added)."""
        if self._alerts_loading or not self.session.is_open:
            return
        today = uk_date(now_utc())
        if self._alerts_day != today:
            self._alerts_loading = True
            # In slices of children: the worker is free between them, so opening a child or
            # saving a visit never waits behind the whole caseload (about 3 s for 400 children).
            ids = [row.id for row in self.model.rows()]
            self._alert_slices = [ids[i : i + ALERT_SLICE] for i in range(0, len(ids), ALERT_SLICE)]
            self._alerts_found = {}
            self._next_alert_slice(today)
            return
        self._refresh([row.id for row in self.model.rows() if row.id not in self.model.alerts])

    def _next_alert_slice(self, day: date) -> None:
        children = self._alert_slices.pop(0) if self._alert_slices else []
        (
            Operation(self, self.session, alert_service.for_caseload, day, children)
            .success(partial(self._caseload_alerts, day))
            .failure(self._caseload_alerts_failed)
            .run_in_background()
        )

    def _caseload_alerts(self, day: date, found: dict[str, list[Alert]]) -> None:
        self._alerts_found.update(found)
        if self._alert_slices:
            self.model.replace_alerts(dict(self._alerts_found))  # shown as they arrive
            self._update_count()
            self._next_alert_slice(day)
            return
        found = self._alerts_found
        self._alerts_loading = False
        self._alerts_day = day
        self.model.replace_alerts(found)
        self._update_count()
        # Records changed and children added while the caseload was being worked out.
        self._refresh_changed()
        self._load_alerts()

    def _caseload_alerts_failed(self, problem: Problem) -> None:
        self._alerts_loading = False
        self.model.unknown_tip = f"Alerts could not be worked out. {problem.message}"
        self.model.replace_alerts(self.model.alerts)  # shows the reason in each cell's tooltip

    def _record_changed(self, changes: Changes) -> None:
        self.reload()
        # A change to "any" child (one added) is caught by the reload: it has no alerts yet.
        children = changes.children - {""}
        if children:
            self._changed_children.update(children)
            self._alert_timer.start()

    def _refresh_changed(self) -> None:
        if self._alerts_loading:
            return  # kept until the whole caseload arrives, which may predate the change
        changed, self._changed_children = self._changed_children, set()
        self._refresh(sorted(changed))

    def _refresh(self, child_ids: list[str]) -> None:
        if not self.session.is_open or self._alerts_day is None:
            return
        for child_id in child_ids:
            (
                Operation(
                    self,
                    self.session,
                    alert_service.for_child,
                    child_id,
                    self._alerts_day,
                    purpose=f"alerts {child_id}",
                )
                .success(partial(self._child_alerts, child_id))
                .failure(partial(self._child_alerts_failed, child_id))
                .run_in_background()
            )

    def _child_alerts(self, child_id: str, found: list[Alert]) -> None:
        self.model.set_child_alerts(child_id, found)
        self._update_count()

    def _child_alerts_failed(self, child_id: str, problem: Problem) -> None:
        self.model.set_child_alerts(child_id, None)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.total()
        critical = self.model.with_critical_alerts()
        self.count.setText(
            (
                children(total)
                if shown == total
                else f"{shown} of {total} {'child' if total == 1 else 'children'} shown"
            )
            + (f"; {critical} with a critical alert" if critical else "")
        )

    def _typed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()
        # No child's name matches: give the note search results the whole page.
        self.table.setVisible(self.proxy.rowCount() > 0 or self.model.total() == 0)
        if len(text.strip()) >= 3:
            self._search_timer.start()
        else:
            self._search_timer.stop()
            self.search_box.hide()

    def _search(self) -> None:
        words = self.filter.text()
        (
            Operation(self, self.session, search_service.search, words, purpose="search")
            .success(partial(self._found, words))
            .run_in_background()
        )

    def _found(self, words: str, hits: list[SearchHit]) -> None:
        if words != self.filter.text():
            return  # the practitioner has typed on; a newer search is coming
        self.results.names = self._names
        self.results.set_rows(hits)
        # Each child's whole name where it fits. A visit to a large family names every child,
        # so the column stops at two fifths of the page, and its tooltip has every name.
        self.search_table.resizeColumnToContents(SearchModel.CHILD)
        widest = self.width() * 2 // 5
        if self.search_table.columnWidth(SearchModel.CHILD) > widest:
            self.search_table.setColumnWidth(SearchModel.CHILD, widest)
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
