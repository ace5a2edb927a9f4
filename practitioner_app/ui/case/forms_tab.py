"""The Forms tab of a child's case: the child's referrals and assessments (drafts and final), the
buttons to start each kind of form, and below them the sharing log — every share and every decision
not to share — with the buttons to record one made outside the app."""

from functools import partial

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain import forms as definitions
from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.services import forms, sharing
from practitioner_app.services.forms import FormSummary
from practitioner_app.services.sharing import SharingRow
from practitioner_app.ui.case.forms_models import FormListModel, SharingLogModel
from practitioner_app.ui.case.models import ROW_ROLE, RowTableModel
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.style import ERROR_STYLE

# What changes the lists: a form saved, finalised or amended, a share recorded or exported.
WATCHED = (RecordKind.REFERRAL, RecordKind.SHARING_RECORD)
# The keys the case workspace gives each new form (ui/case/workspace.FORM_KEYS), for the tooltips.
NEW_FORM_KEYS = {"marf": "Ctrl+Shift+M", "early_help": "Ctrl+Shift+E"}


# The sharing log's free-text columns can run long: they get set widths, the reason and basis get
# the rest of the row, and each cell's tooltip holds its full text.
LOG_WIDTHS = {
    SharingLogModel.DATE: 118,
    SharingLogModel.SHARED: 95,
    SharingLogModel.WITH_WHOM: 150,
    SharingLogModel.WHAT: 160,
    SharingLogModel.PURPOSE: 150,
    SharingLogModel.CONSENT: 85,
    SharingLogModel.AUTHOR: 150,
}


def _table(model: RowTableModel[object], name: str, stretch: int) -> QTableView:
    table = QTableView()
    table.setAccessibleName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setResizeContentsPrecision(0)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class FormsTab(QWidget):
    new_form_requested = Signal(str)  # the form's key ("marf", "early_help")
    open_form_requested = Signal(str)  # the form's id
    export_requested = Signal(object)  # the FormSummary
    record_share_requested = Signal(bool)  # shared (True) or a decision not to share (False)
    open_entry = Signal(str, str)  # kind, id: a sharing record, to read or amend

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.child_id: str | None = None
        # Each load supersedes the last; a late result for another child (or before a lock) is
        # dropped.

        self.forms_model = FormListModel(self)
        self.forms_table = _table(self.forms_model, "Forms", FormListModel.SENT_TO)  # type: ignore[arg-type]
        self.forms_table.activated.connect(self._form_activated)
        self.new_buttons: dict[str, QPushButton] = {}
        for definition in definitions.FORMS.values():
            button = QPushButton(f"New {definition.short_title}…")
            button.setAccessibleName(f"New {definition.short_title}")
            keys = NEW_FORM_KEYS.get(definition.key)
            button.setToolTip(
                f"Start a {definition.title.lower()}, filled in from what the record holds"
                + (f" ({keys})" if keys else "")
            )
            button.clicked.connect(
                lambda _=False, key=definition.key: self.new_form_requested.emit(key)
            )
            self.new_buttons[definition.key] = button
        self.open_button = QPushButton("&Open")
        self.open_button.setToolTip("Open the selected form (or double-click it)")
        self.open_button.clicked.connect(self.open_selected)
        self.export_button = QPushButton("Export P&DF…")
        self.export_button.setAccessibleName("Export PDF")
        self.export_button.setToolTip(
            "Save the selected form as a PDF; you say whether it is going to someone (a share) "
            "(Ctrl+P)"
        )
        self.export_button.clicked.connect(self.export_selected)
        self.forms_status = QLabel()
        self.forms_status.setAccessibleName("Forms status")

        self.log_model = SharingLogModel(self)
        self.log_table = _table(self.log_model, "Sharing log", SharingLogModel.BASIS)  # type: ignore[arg-type]
        self.log_table.activated.connect(self._share_activated)
        log_header = self.log_table.horizontalHeader()
        log_header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in LOG_WIDTHS.items():
            log_header.resizeSection(column, width)
        log_header.setSectionResizeMode(SharingLogModel.BASIS, QHeaderView.ResizeMode.Stretch)
        log_header.setMinimumSectionSize(60)
        # A sharing log is read, not scanned: each entry wraps onto as many lines as it needs.
        self.log_table.setWordWrap(True)
        self.share_button = QPushButton("Record a &share…")
        self.share_button.setAccessibleName("Record a share")
        self.share_button.setToolTip("Information you shared by phone, at a meeting or by email")
        self.share_button.clicked.connect(lambda: self.record_share_requested.emit(True))
        self.not_shared_button = QPushButton("Record a decision &not to share…")
        self.not_shared_button.setAccessibleName("Record a decision not to share")
        self.not_shared_button.clicked.connect(lambda: self.record_share_requested.emit(False))
        self.log_status = QLabel()
        self.log_status.setAccessibleName("Sharing log status")

        forms_box = QGroupBox("Referrals and assessments")
        forms_layout = QVBoxLayout(forms_box)
        actions = QHBoxLayout()
        for button in self.new_buttons.values():
            actions.addWidget(button)
        actions.addStretch()
        actions.addWidget(self.open_button)
        actions.addWidget(self.export_button)
        forms_layout.addLayout(actions)
        forms_layout.addWidget(self.forms_status)
        forms_layout.addWidget(self.forms_table, 1)

        log_box = QGroupBox("Sharing log: what was shared, with whom and why — or not shared")
        log_layout = QVBoxLayout(log_box)
        log_actions = QHBoxLayout()
        log_actions.addWidget(self.share_button)
        log_actions.addWidget(self.not_shared_button)
        log_actions.addStretch()
        log_layout.addLayout(log_actions)
        log_layout.addWidget(self.log_status)
        log_layout.addWidget(self.log_table, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(forms_box)
        splitter.addWidget(log_box)
        splitter.setSizes([250, 400])  # the log, read line by line, gets the larger share
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter, 1)
        self._enable(False)
        self.forms_table.selectionModel().selectionChanged.connect(self._selection_changed)
        session.changed.connect(self._changed)

    # -- loading ------------------------------------------------------------------------------

    def show_child(self, child_id: str) -> None:
        if child_id != self.child_id:
            self.forms_model.set_rows([])
            self.log_model.set_rows([])
        self.child_id = child_id
        self._enable(True)
        self.reload()

    def reload(self) -> None:
        if self.child_id is None or not self.session.is_open:
            return
        child_id = self.child_id
        for status in (self.forms_status, self.log_status):
            status.setStyleSheet("")
            status.setText("Loading…")
        (
            Operation(self, self.session, forms.for_child, child_id, purpose="forms")
            .success(self._forms_loaded)
            .failure(partial(self._failed, "forms"))
            .run_in_background()
        )
        (
            Operation(self, self.session, sharing.log, child_id, purpose="log")
            .success(self._log_loaded)
            .failure(partial(self._failed, "log"))
            .run_in_background()
        )

    def _forms_loaded(self, rows: list[FormSummary]) -> None:
        selected = self.selected_form()
        self.forms_model.set_rows(rows)
        if selected is not None:
            self.select_form(selected.id)
        drafts = sum(row.status == EntryStatus.DRAFT for row in rows)
        if not rows:
            self.forms_status.setText("No referrals or assessments yet.")
        else:
            self.forms_status.setText(
                f"{len(rows)} form{'' if len(rows) == 1 else 's'}"
                + (f", {drafts} in draft (not shared yet)" if drafts else "")
            )
        self._selection_changed()

    def _log_loaded(self, rows: list[SharingRow]) -> None:
        self.log_model.set_rows(rows)
        self.log_table.resizeRowsToContents()
        refused = sum(not row.shared for row in rows)
        if not rows:
            self.log_status.setText("Nothing shared or withheld is recorded yet.")
        else:
            self.log_status.setText(
                f"{len(rows)} entr{'y' if len(rows) == 1 else 'ies'}"
                + (f", {refused} a decision not to share" if refused else "")
            )

    def _failed(self, which: str, problem: Problem) -> None:
        status = self.forms_status if which == "forms" else self.log_status
        status.setStyleSheet(ERROR_STYLE)
        status.setText(problem.message)

    def _changed(self, changes: Changes) -> None:
        if changes.concerns(self.child_id, WATCHED):
            self.reload()

    def clear(self) -> None:
        """Forget everything shown (the vault is locking)."""
        self.session.pending.drop(self)
        self.child_id = None
        self.forms_model.set_rows([])
        self.log_model.set_rows([])
        self.forms_status.clear()
        self.log_status.clear()
        self._enable(False)

    def _enable(self, on: bool) -> None:
        for button in (*self.new_buttons.values(), self.share_button, self.not_shared_button):
            button.setEnabled(on)
        self._selection_changed()

    # -- choosing ---------------------------------------------------------------------------------

    def selected_form(self) -> FormSummary | None:
        rows = self.forms_table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].data(ROW_ROLE)
        return row if isinstance(row, FormSummary) else None

    def select_form(self, form_id: str) -> None:
        for position, row in enumerate(self.forms_model.rows()):
            if row.id == form_id:
                self.forms_table.selectRow(position)
                return

    def _selection_changed(self, *_: object) -> None:
        chosen = self.child_id is not None and self.selected_form() is not None
        self.open_button.setEnabled(chosen)
        self.export_button.setEnabled(chosen)

    def open_selected(self) -> None:
        row = self.selected_form()
        if row is not None:
            self.open_form_requested.emit(row.id)

    def export_selected(self) -> None:
        row = self.selected_form()
        if row is not None:
            self.export_requested.emit(row)

    def _form_activated(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if isinstance(row, FormSummary):
            self.open_form_requested.emit(row.id)

    def _share_activated(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if isinstance(row, SharingRow):
            self.open_entry.emit(RecordKind.SHARING_RECORD, row.id)
