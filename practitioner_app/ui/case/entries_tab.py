"""A list of one kind of entry for a child (visits, observations or concerns), newest first, with
the actions that fit each: a draft is opened to edit, a final entry to read and amend."""

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.services import casework
from practitioner_app.services.casework import EntryRow
from practitioner_app.ui.case.models import ROW_ROLE, EntryListModel, VisitListModel
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession

NEW_LABELS = {
    RecordKind.VISIT: "&New visit…",
    RecordKind.OBSERVATION: "&New observation…",
    RecordKind.CONCERN: "&New concern…",
}


class EntriesTab(QWidget):
    new_requested = Signal(str)  # kind
    open_requested = Signal(str, str)  # kind, id

    def __init__(
        self, session: VaultSession, kind: RecordKind, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.kind = kind
        self.child_id: str | None = None
        self.model = VisitListModel() if kind == RecordKind.VISIT else EntryListModel()
        self.table = QTableView()
        self.table.setAccessibleName(f"{kind.capitalize()}s")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Size columns from the rows on screen: measuring every row of a long list stalls the window.
        header.setResizeContentsPrecision(0)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)

        self.new_button = QPushButton(NEW_LABELS[kind])
        self.new_button.clicked.connect(lambda: self.new_requested.emit(self.kind))
        self.open_button = QPushButton("&Open")
        self.open_button.clicked.connect(self.open_selected)
        self.status = QLabel()
        self.status.setAccessibleName(f"{kind.capitalize()} list status")
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch()
        buttons.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        session.changed.connect(self._changed)

    def show_child(self, child_id: str) -> None:
        self.child_id = child_id
        self.reload()

    def reload(self) -> None:
        if self.child_id is None or not self.session.is_open:
            return
        self.status.setText("Loading…")
        # A newer load (another child opened meanwhile) supersedes this one.
        (
            Operation(
                self, self.session, casework.entries, self.child_id, self.kind, purpose="entries"
            )
            .success(self._loaded)
            .failure(self._failed)
            .run_in_background()
        )

    def _loaded(self, rows: list[EntryRow]) -> None:
        self.model.set_rows(rows)
        drafts = sum(1 for row in rows if row.status == EntryStatus.DRAFT)
        self.status.setText(f"{len(rows)} in all" + (f", {drafts} in draft" if drafts else ""))

    def _failed(self, problem: Problem) -> None:
        self.status.setText(problem.message)

    def _changed(self, changes: Changes) -> None:
        if changes.concerns(
            self.child_id, (self.kind, RecordKind.VISIT, RecordKind.OBSERVATION, RecordKind.CONCERN)
        ):
            self.reload()

    def clear(self) -> None:
        self.session.pending.drop(self)
        self.child_id = None
        self.model.set_rows([])
        self.status.clear()

    def selected(self) -> EntryRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row: EntryRow = self.model.data(rows[0], ROW_ROLE)
        return row

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_requested.emit(row.kind, row.id)

    def _activated(self, index: QModelIndex) -> None:
        row: EntryRow = self.model.data(index, ROW_ROLE)
        self.open_requested.emit(row.kind, row.id)
