"""The chronology tab: a child's chronology loaded on the worker, filtered on screen, with events
from other agencies added, significance chosen entry by entry, and the PDF export started."""

from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtCore import (
    QModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.chronology import ChronologyRow
from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.services import chronology
from practitioner_app.ui.case.chronology_filters import (
    ALL_SOURCES,
    ON_SCREEN_ONLY,
    SIGNIFICANCE_ACTIONS,
    SIGNIFICANCE_CHOICES,
    ChronologyFilterModel,
    ChronologyFilters,
)
from practitioner_app.ui.case.export_dialog import ExportSettings
from practitioner_app.ui.case.models import ROW_ROLE, ChronologyModel
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.forms.base import ERROR_STYLE
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.widgets import DateEdit


class ChronologyTab(QWidget):
    open_entry = Signal(str, str)  # record kind, record id
    add_event_requested = Signal()
    export_requested = Signal(object)  # ExportSettings

    def __init__(
        self, session: VaultSession, parent: QWidget | None = None, *, include_drafts: bool = False
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.child_id: str | None = None
        self.drafts_by_default = include_drafts
        # Each load supersedes the last; a result for an older load (another child, or before a
        # lock) arrives late and is dropped, so one child's rows never appear under another's name.
        self._stale = False
        self._loading = False
        # Replaced in tests: the question asked when an injury is marked not significant.
        self.ask_reason: Callable[[], str | None] = self._ask_reason

        self.model = ChronologyModel(self)
        self.proxy = ChronologyFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self.date_from = DateEdit("date_from", "From date")
        self.date_to = DateEdit("date_to", "To date")
        self.significance = QComboBox()
        self.significance.setAccessibleName("Significance")
        self.significance.setToolTip(ON_SCREEN_ONLY)
        for label, levels in SIGNIFICANCE_CHOICES:
            self.significance.addItem(label, levels)
        self.source = QComboBox()
        self.source.setAccessibleName("Source")
        self.source.addItem(ALL_SOURCES, None)
        self.source.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.source.setToolTip(ON_SCREEN_ONLY)
        self.significant_only = QCheckBox("Si&gnificant only")
        self.significant_only.setAccessibleName("Significant only")
        self.include_drafts = QCheckBox("Include &drafts")
        self.include_drafts.setAccessibleName("Include drafts")
        self.include_drafts.setToolTip("Show entries still in draft, each marked DRAFT")
        self.include_drafts.setChecked(include_drafts)
        self.reset_button = QPushButton("Clear &filters")
        self.reset_button.setAccessibleName("Clear filters")
        self.add_button = QPushButton("&Add event…")
        self.add_button.setAccessibleName("Add event")
        self.add_button.setToolTip("Record something you learned of from another agency or person")
        self.add_button.setEnabled(False)
        self.export_button = QPushButton("Export &PDF…")
        self.export_button.setAccessibleName("Export PDF")
        self.export_button.setToolTip(
            "Save this chronology as a PDF, optionally with a password (Ctrl+P)"
        )
        self.export_button.setEnabled(False)
        self.significance_menu = QMenu("Significant?", self)
        group = QActionGroup(self)
        self.significance_actions: dict[bool | None, QAction] = {}
        for text, choice in SIGNIFICANCE_ACTIONS:
            action = self.significance_menu.addAction(text)
            action.setCheckable(True)
            group.addAction(action)
            action.triggered.connect(partial(self.choose_significance, choice))
            self.significance_actions[choice] = action
        self.significance_menu.aboutToShow.connect(self._refresh_choice)
        self.significance_button = QPushButton("&Significant?")
        self.significance_button.setAccessibleName("Significant?")
        self.significance_button.setToolTip(
            "Choose whether the selected entry counts as significant in the chronology"
        )
        self.significance_button.setMenu(self.significance_menu)

        self.date_message = QLabel()
        self.date_message.setWordWrap(True)
        self.date_message.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed
        self.date_message.setStyleSheet(ERROR_STYLE)
        self.date_message.setAccessibleName("Problem with the dates")
        self.date_message.hide()
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName("Chronology status")

        self.table = QTableView()
        self.table.setAccessibleName("Chronology")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ChronologyModel.EVENT, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (ChronologyModel.DATE, 130),
            (ChronologyModel.AGE, 60),
            (ChronologyModel.SIGNIFICANCE, 140),
        ):
            header.resizeSection(column, width)
        self._fit_headings()
        # `activated` is a double-click or Enter, as the platform defines it.
        self.table.activated.connect(self._activated)

        filters = QHBoxLayout()
        for caption, widget in (
            ("Fro&m:", self.date_from),
            ("&To:", self.date_to),
            ("S&ignificance:", self.significance),
            ("Sou&rce:", self.source),
        ):
            caption_label = QLabel(caption)
            caption_label.setBuddy(widget)
            filters.addWidget(caption_label)
            filters.addWidget(widget)
        filters.addWidget(self.significant_only)
        filters.addWidget(self.include_drafts)
        filters.addWidget(self.reset_button)
        filters.addStretch()
        actions = QHBoxLayout()
        actions.addWidget(self.add_button)
        actions.addWidget(self.significance_button)
        actions.addStretch()
        actions.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.date_message)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)

        for edit in (self.date_from, self.date_to):
            edit.textChanged.connect(self._dates_typed)
            edit.editingFinished.connect(self._apply_filters)
        self.significance.currentIndexChanged.connect(self._apply_filters)
        self.source.currentIndexChanged.connect(self._apply_filters)
        self.significant_only.toggled.connect(self._apply_filters)
        # Drafts are left out by the service, not hidden on screen: ticking the box loads them.
        self.include_drafts.toggled.connect(self.reload)
        self.reset_button.clicked.connect(self.reset_filters)
        self.add_button.clicked.connect(self.add_event_requested)
        self.export_button.clicked.connect(self.request_export)
        self.table.selectionModel().selectionChanged.connect(self._refresh_choice)
        session.changed.connect(self._changed)

    # -- loading ------------------------------------------------------------------------------

    def show_child(self, child_id: str) -> None:
        if child_id != self.child_id:
            self.model.set_rows([])
            self._fill_sources([])
        self.child_id = child_id
        self.add_button.setEnabled(True)
        self.export_button.setEnabled(True)
        self.reload()

    def reload(self, *_: object) -> None:
        if self.child_id is None:
            return
        child_id = self.child_id
        self._stale = False
        self._loading = True
        self.status.setStyleSheet("")
        self.status.setText("Loading…")
        # The session passes positional arguments only, so the keyword is bound here.
        build = partial(chronology.build, include_drafts=self.include_drafts.isChecked())
        (
            Operation(self, self.session, build, child_id, purpose="chronology")
            .success(self._loaded)
            .failure(self._failed)
            .run_in_background()
        )

    def _loaded(self, rows: list[ChronologyRow]) -> None:
        self._loading = False
        selected = self.selected()
        self.model.set_rows(rows)
        self._fill_sources(rows)
        self._apply_filters()
        if selected is not None:
            self._select(selected.record_kind, selected.record_id)
        self._refresh_choice()

    def _failed(self, problem: Problem) -> None:
        self._loading = False
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(problem.message)

    def _changed(self, changes: Changes) -> None:
        if not changes.concerns(self.child_id):
            return
        # A hidden tab only notes that it is out of date; it loads again when shown.
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def _fit_headings(self) -> None:
        """No column narrower than its heading ("Impact on the child" was cut at a laptop's
        width), measured both ways: Qt's size hint can lag the heading's own font metrics after
        fonts are added to the process (ui/fonts.py) and came out 3 px short. Again each time
        the tab is shown, not only when it is built."""
        header = self.table.horizontalHeader()
        margins = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        for column in range(self.model.columnCount()):
            if column != ChronologyModel.EVENT:
                words = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
                wanted = max(
                    header.sectionSize(column),
                    header.sectionSizeHint(column),
                    header.fontMetrics().horizontalAdvance(words) + margins,
                )
                header.resizeSection(column, wanted)

    def showEvent(self, event: QShowEvent, /) -> None:
        super().showEvent(event)
        self._fit_headings()
        if self._stale:
            self.reload()

    def clear(self) -> None:
        """Forget the rows shown (the vault is locking): nothing of the record stays on screen."""
        self.session.pending.drop(self)
        self.child_id = None
        self._stale = False
        self._loading = False
        self.model.set_rows([])
        self._fill_sources([])
        self.status.clear()
        self.add_button.setEnabled(False)
        self.export_button.setEnabled(False)
        self.reset_filters()
        self._refresh_choice()

    # -- filtering ----------------------------------------------------------------------------

    def _fill_sources(self, rows: list[ChronologyRow]) -> None:
        chosen = self.source.currentData()
        sources = sorted({row.source for row in rows if row.source}, key=str.casefold)
        self.source.blockSignals(True)
        self.source.clear()
        self.source.addItem(ALL_SOURCES, None)
        for source in sources:
            self.source.addItem(source, source)
        index = self.source.findData(chosen) if chosen is not None else 0
        self.source.setCurrentIndex(max(index, 0))
        self.source.blockSignals(False)

    def _date(self, edit: DateEdit, problems: list[str]) -> date | None:
        try:
            return edit.value()
        except InvalidInput as problem:
            problems.append(problem.message)
            return None

    def current_filters(self) -> ChronologyFilters:
        """The filters as typed and chosen; a date that cannot be read is left out and said."""
        problems: list[str] = []
        date_from = self._date(self.date_from, problems)
        date_to = self._date(self.date_to, problems)
        if date_from and date_to and date_to < date_from:
            problems.append("The 'to' date is before the 'from' date; check the dates.")
        self.date_message.setText(" ".join(problems))
        self.date_message.setVisible(bool(problems))
        return ChronologyFilters(
            date_from=date_from,
            date_to=date_to,
            levels=self.significance.currentData(),
            source=self.source.currentData(),
            significant_only=self.significant_only.isChecked(),
        )

    def _dates_typed(self, _: str) -> None:
        # While a date is half typed, say nothing; filter as soon as it reads as a whole date.
        for edit in (self.date_from, self.date_to):
            try:
                edit.value()
            except InvalidInput:
                return
        self._apply_filters()

    def _apply_filters(self, *_: object) -> None:
        self.proxy.set_filters(self.current_filters())
        self._show_count()

    def reset_filters(self) -> None:
        widgets = (
            self.date_from,
            self.date_to,
            self.significance,
            self.source,
            self.significant_only,
            self.include_drafts,
        )
        for widget in widgets:
            widget.blockSignals(True)
        drafts_changed = self.include_drafts.isChecked() != self.drafts_by_default
        self.date_from.clear()
        self.date_to.clear()
        self.significance.setCurrentIndex(0)
        self.source.setCurrentIndex(0)
        self.significant_only.setChecked(False)
        self.include_drafts.setChecked(self.drafts_by_default)
        for widget in widgets:
            widget.blockSignals(False)
        self._apply_filters()
        if drafts_changed:
            self.reload()

    def _show_count(self) -> None:
        if self._loading:
            return
        self.status.setStyleSheet("")
        total, shown = self.model.total(), self.proxy.rowCount()
        drafts = sum(row.status == EntryStatus.DRAFT for row in self.model.rows())
        marked = f" ({drafts} draft{'' if drafts == 1 else 's'}, marked DRAFT)" if drafts else ""
        if self.child_id is None:
            self.status.clear()
        elif total == 0:
            self.status.setText(
                "Nothing in the chronology yet."
                if self.include_drafts.isChecked()
                else "Nothing in the chronology yet: it is made from final entries."
            )
        elif shown == total:
            self.status.setText(f"{total} entr{'y' if total == 1 else 'ies'}{marked}")
        else:
            self.status.setText(
                f"{shown} of {total} entries shown; the filters hide the rest{marked}"
            )

    # -- opening ------------------------------------------------------------------------------

    def selected(self) -> ChronologyRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].data(ROW_ROLE)
        return row if isinstance(row, ChronologyRow) else None

    def _select(self, kind: str, record_id: str) -> None:
        for position in range(self.proxy.rowCount()):
            index = self.proxy.index(position, 0)
            row = index.data(ROW_ROLE)
            if row.record_kind == kind and row.record_id == record_id:
                self.table.selectRow(position)
                return

    def _activated(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if isinstance(row, ChronologyRow):
            self.open_entry.emit(row.record_kind, row.record_id)

    # -- choosing significance ----------------------------------------------------------------

    def _refresh_choice(self, *_: object) -> None:
        """The menu says what holds for the selected entry, and is only offered with one."""
        row = self.selected()
        self.significance_button.setEnabled(row is not None)
        for action in self.significance_actions.values():
            action.setEnabled(row is not None)
        if row is not None:
            current = row.significant if row.chosen else None
            self.significance_actions[current].setChecked(True)

    def _context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if index.isValid():
            self.table.selectRow(index.row())
        elif self.selected() is not None:  # the menu key: beside the selected row
            selected = self.table.selectionModel().selectedRows()[0]
            position = self.table.visualRect(selected).center()
        else:
            return
        self._refresh_choice()
        self.significance_menu.popup(self.table.viewport().mapToGlobal(position))

    def choose_significance(
        self, significant: bool | None, *_: object, reason: str | None = None
    ) -> None:
        row, child_id = self.selected(), self.child_id
        if row is None or child_id is None:
            return

        def refused(problem: Problem) -> None:
            # An injury leaves the chronology only with a reason: asked for, then tried again.
            if isinstance(problem, InvalidInput) and problem.field == "reason" and reason is None:
                given = self.ask_reason()
                if given:
                    self.choose_significance(significant, reason=given)
                return
            self._failed(problem)

        (
            Operation(
                self,
                self.session,
                chronology.choose_significance,
                child_id,
                row.record_kind,
                row.record_id,
                significant,
                reason,
            )
            .changes(Changes.of("chronology", row.record_id, child_id=child_id))
            .failure(refused)
            .run_in_background()
        )

    def _ask_reason(self) -> str | None:
        text, given = QInputDialog.getMultiLineText(
            self,
            "Why is this injury not significant?",
            chronology.INJURY_REASON_NEEDED,
        )
        return text.strip() or None if given else None

    # -- exporting ----------------------------------------------------------------------------

    def export_settings(self) -> ExportSettings | None:
        """What the PDF export would hold; None (and the message shown) if a date cannot be read."""
        filters = self.current_filters()
        if not self.date_message.isHidden():
            return None
        return ExportSettings(
            date_from=filters.date_from,
            date_to=filters.date_to,
            significant_only=filters.significant_only,
            include_drafts=self.include_drafts.isChecked(),
        )

    def request_export(self) -> None:
        settings = self.export_settings()
        if self.child_id is not None and settings is not None:
            self.export_requested.emit(settings)
