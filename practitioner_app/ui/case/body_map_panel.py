"""The body map of one occasion (an observation): the map to click on, the list of regions for the
keyboard, and the list of marks recorded so far. Each mark opens in its own form (a draft) or
read-only with Amend… (a final mark, which never moves)."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.body_map import (
    FIGURE_LABELS,
    SIDE_LABELS,
    BodyFigure,
    BodySide,
    outline,
)
from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.services import body_maps, records
from practitioner_app.services.body_maps import Occasion
from practitioner_app.services.views import EntryView
from practitioner_app.ui.case.body_map_canvas import BodyMapCanvas
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.forms.base import ERROR_STYLE
from practitioner_app.ui.forms.body_mark import BodyMarkForm
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.widgets import split_moment

OFF_BODY = "That point is outside the outline of the body; click on the body, or choose a region."


class _Regions(QListWidget):
    """The keyboard path: every region of both views; Enter records a mark there."""

    chosen = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self.chosen.emit()
            return
        super().keyPressEvent(event)


class BodyMapPanel(QWidget):
    """The occasion's map; `opened` carries each mark form or viewer it opens (tests and the
    workspace keep them)."""

    opened = Signal(object)

    def __init__(
        self, session: VaultSession, observation_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.observation_id = observation_id
        self.occasion: Occasion | None = None
        self.dialogs: list[QDialog] = []

        self.figure = QComboBox()
        self.figure.setAccessibleName("Outline")
        for figure in BodyFigure:
            self.figure.addItem(FIGURE_LABELS[figure], figure.value)
        self.figure.setToolTip("Chosen once per occasion: a map is never redrawn")
        self.canvas = BodyMapCanvas()
        self.regions = _Regions()
        self.regions.setAccessibleName("Regions")
        self.regions.setAccessibleDescription("Choose where the mark is, then press Enter")
        self.add_button = QPushButton("Add a mark &here")
        self.add_button.setAccessibleName("Add a mark at the chosen region")
        self.marks = _Regions()
        self.marks.setAccessibleName("Marks")
        self.marks.setAccessibleDescription("The marks recorded; Enter opens one")
        self.state = QLabel("Loading the body map…")
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Body map status")

        side = QVBoxLayout()
        outline_row = QHBoxLayout()
        outline_label = QLabel("&Outline:")
        outline_label.setBuddy(self.figure)
        outline_row.addWidget(outline_label)
        outline_row.addWidget(self.figure, 1)
        side.addLayout(outline_row)
        regions_label = QLabel("&Regions (or click on the map):")
        regions_label.setBuddy(self.regions)
        side.addWidget(regions_label)
        side.addWidget(self.regions, 2)
        side.addWidget(self.add_button)
        marks_label = QLabel("Mar&ks:")
        marks_label.setBuddy(self.marks)
        side.addWidget(marks_label)
        side.addWidget(self.marks, 1)
        row = QHBoxLayout()
        row.addWidget(self.canvas, 3)
        row.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state)
        layout.addLayout(row, 1)

        self.figure.currentIndexChanged.connect(self._figure_changed)
        self.canvas.place_requested.connect(self.place)
        self.canvas.mark_activated.connect(self.open_mark)
        self.regions.chosen.connect(self.add_at_region)
        self.regions.itemDoubleClicked.connect(lambda _: self.add_at_region())
        self.add_button.clicked.connect(self.add_at_region)
        self.marks.chosen.connect(self._open_current_mark)
        self.marks.itemDoubleClicked.connect(lambda _: self._open_current_mark())
        session.changed.connect(self._changed)
        self._fill_regions()
        self.reload()

    # -- loading ----------------------------------------------------------------------------------

    def reload(self) -> None:
        (
            Operation(
                self,
                self.session,
                body_maps.occasion,
                self.observation_id,
                purpose="body map",
            )
            .success(self.show_occasion)
            .failure(self._failed)
            .run_in_background()
        )

    def show_occasion(self, occasion: Occasion) -> None:
        self.occasion = occasion
        marks = occasion.body_map.marks if occasion.body_map else ()
        self.figure.blockSignals(True)
        self.figure.setCurrentIndex(list(BodyFigure).index(occasion.figure))
        self.figure.blockSignals(False)
        # One outline per occasion: once a mark is on it, it stays.
        self.figure.setEnabled(not marks)
        self.canvas.set_map(occasion.figure, marks)
        self._fill_regions()
        self.marks.clear()
        for mark in marks:
            state = " (draft)" if mark.draft else (" (amended)" if mark.amended else "")
            item = QListWidgetItem(f"{mark.number}. {mark.region}{state}: {mark.what}")
            item.setData(Qt.ItemDataRole.UserRole, mark.id)
            self.marks.addItem(item)
        count = len(marks)
        self.state.setStyleSheet("")
        self.state.setText(
            "No marks yet: click where a mark is, or choose its region and press Enter."
            if not count
            else f"{count} mark{'s' if count != 1 else ''}. Click on a mark to open it."
        )

    def _failed(self, problem: Problem) -> None:
        self.state.setStyleSheet(ERROR_STYLE)
        self.state.setText(problem.message)

    def _changed(self, changes: Changes) -> None:
        if RecordKind.BODY_MARK in changes.kinds or changes.touches(
            RecordKind.OBSERVATION, self.observation_id
        ):
            self.reload()

    # -- placing marks ----------------------------------------------------------------------------

    def current_figure(self) -> BodyFigure:
        return BodyFigure(self.figure.currentData())

    def _figure_changed(self, _: int) -> None:
        self.canvas.set_map(self.current_figure(), self.canvas.marks)
        self._fill_regions()

    def _fill_regions(self) -> None:
        self.regions.clear()
        for side in (BodySide.FRONT, BodySide.BACK):
            for region in outline(self.current_figure(), side).regions:
                item = QListWidgetItem(f"{SIDE_LABELS[side]}: {region.label}")
                item.setData(Qt.ItemDataRole.UserRole, (side.value, region.key))
                self.regions.addItem(item)
        self.regions.setCurrentRow(0)

    def place(self, side: str, x: float, y: float) -> BodyMarkForm | None:
        """A click on the map at (x, y) figure units on one view: a mark there, or the sentence
        saying the point is off the body."""
        if outline(self.current_figure(), BodySide(side)).region_at(x, y) is None:
            self.state.setStyleSheet(ERROR_STYLE)
            self.state.setText(OFF_BODY)
            return None
        return self._new_mark(BodySide(side), x=x, y=y)

    def add_at_region(self) -> BodyMarkForm | None:
        item = self.regions.currentItem()
        if item is None:
            return None
        side, key = item.data(Qt.ItemDataRole.UserRole)
        return self._new_mark(BodySide(side), region=key)

    def _new_mark(
        self,
        side: BodySide,
        *,
        x: float | None = None,
        y: float | None = None,
        region: str | None = None,
    ) -> BodyMarkForm | None:
        occasion = self.occasion
        if occasion is None:
            return None
        form = BodyMarkForm(
            self.session,
            occasion.child_id,
            observation_id=occasion.observation_id,
            figure=self.current_figure(),
            side=side,
            x=x,
            y=y,
            region=region,
            occurred=split_moment(occasion.occurred_at, occasion.time_known),
            parent=self,
        )
        self._keep(form)
        return form

    # -- opening marks ----------------------------------------------------------------------------

    def _open_current_mark(self) -> None:
        item = self.marks.currentItem()
        if item is not None:
            self.open_mark(item.data(Qt.ItemDataRole.UserRole))

    def open_mark(self, mark_id: str) -> None:
        (
            Operation(self, self.session, records.get_entry, RecordKind.BODY_MARK, mark_id)
            .success(self._mark_loaded)
            .failure(self._failed)
            .run_in_background()
        )

    def _mark_loaded(self, view: EntryView) -> None:
        if view.status == EntryStatus.DRAFT and self.occasion is not None:
            form = BodyMarkForm(self.session, self.occasion.child_id, parent=self)
            form.open_entry(view)
            self._keep(form)
        else:
            # Imported here, not at the top: the entry viewer embeds this panel.
            from practitioner_app.ui.case.entry_view import EntryViewer

            self._keep(EntryViewer(self.session, view.kind, view.id, parent=self))

    def _keep(self, dialog: QDialog) -> None:
        dialog.setModal(True)
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _: self._forget(dialog))
        dialog.show()
        dialog.raise_()
        self.opened.emit(dialog)

    def _forget(self, dialog: QDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)


class BodyMapDialog(QDialog):
    """The body map of an observation in a window of its own (from the observation form)."""

    def __init__(
        self, session: VaultSession, observation_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Body map")
        self.setAccessibleName("Body map")
        self.panel = BodyMapPanel(session, observation_id, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(buttons)
        self.resize(860, 640)
        session.locked.connect(self.reject)
