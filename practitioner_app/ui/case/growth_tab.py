"""The Growth tab: the child's UK-WHO charts (weight, length/height, head circumference, BMI),
a readout of the chosen point, every measurement listed, and the growth PDF."""

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.errors import Problem
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.services import growth
from practitioner_app.services.growth import GrowthReport
from practitioner_app.ui.case.growth_chart import GrowthChartView
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession

if TYPE_CHECKING:
    from practitioner_app.ui.case.growth_export import GrowthExportDialog

HINT = (
    "Point at a dot, or click the chart and use ← → (Home, End) to read each measurement. "
    "Filled dot: the age used for the centile (corrected for prematurity where it applies); "
    "hollow dot: the actual age. Grey: a draft."
)


class GrowthTab(QWidget):
    new_measurement = Signal()

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.child_id: str | None = None
        self.report: GrowthReport | None = None
        self.export_dialog: GrowthExportDialog | None = None

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setAccessibleName("What the chart needs")
        self.notice.setStyleSheet("font-weight: bold;")
        self.notice.hide()
        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Chart")
        self.chooser.currentIndexChanged.connect(self._chart_chosen)
        chooser_label = QLabel("Char&t:")
        chooser_label.setBuddy(self.chooser)
        self.record_button = QPushButton("&Record a measurement…")
        self.record_button.clicked.connect(self.new_measurement)
        self.pdf_button = QPushButton("Growth &PDF…")
        self.pdf_button.clicked.connect(self.export_pdf)
        for button in (self.record_button, self.pdf_button):
            button.setEnabled(False)  # until a child is shown
        self.chart = GrowthChartView()
        self.chart.point_chosen.connect(self._point_chosen)
        self.readout = QLabel()
        self.readout.setWordWrap(True)
        self.readout.setTextFormat(Qt.TextFormat.PlainText)
        self.readout.setAccessibleName("Chosen measurement")
        self.readout.setStyleSheet("font-size: 11pt;")
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.points = QListWidget()
        self.points.setAccessibleName("Measurements")
        self.points.currentRowChanged.connect(self._listed_point_chosen)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Growth status")

        top = QHBoxLayout()
        top.addWidget(chooser_label)
        top.addWidget(self.chooser, 1)
        top.addWidget(self.record_button)
        top.addWidget(self.pdf_button)
        chart_side = QWidget()
        chart_layout = QVBoxLayout(chart_side)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart, 1)
        chart_layout.addWidget(self.readout)
        chart_layout.addWidget(hint)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(chart_side)
        split.addWidget(self.points)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        session.changed.connect(self._changed)

    # -- loading --------------------------------------------------------------------------------

    def show_child(self, child_id: str) -> None:
        self.child_id = child_id
        for button in (self.record_button, self.pdf_button):
            button.setEnabled(True)
        self.reload()

    def reload(self) -> None:
        if self.child_id is None or not self.session.is_open:
            return
        self.status.setText("Loading…")
        (
            Operation(self, self.session, growth.report, self.child_id, purpose="growth")
            .success(self._loaded)
            .failure(self._failed)
            .run_in_background()
        )

    def _loaded(self, report: GrowthReport) -> None:
        self.report = report
        self.notice.setText(report.notice or "")
        self.notice.setVisible(report.notice is not None)
        wanted = self.chooser.currentIndex()
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for chart in report.charts:
            count = len(chart.marks)
            self.chooser.addItem(f"{chart.title} ({count} point{'s' if count != 1 else ''})")
        self.chooser.blockSignals(False)
        self.chooser.setCurrentIndex(wanted if 0 <= wanted < len(report.charts) else 0)
        self._chart_chosen(self.chooser.currentIndex())
        # Observations, not points: one weighing with a length is also a point on the BMI chart.
        count = len({point.id for point in report.points})
        self.status.setText(
            f"{count} observation{'s' if count != 1 else ''} with measurements, on UK-WHO charts "
            "(RCPCH rcpchgrowth)."
            if count
            else "No growth measurements recorded yet: Record a measurement… adds one."
        )

    def _failed(self, problem: Problem) -> None:
        self.status.setText(problem.message)

    def _changed(self, changes: Changes) -> None:
        if changes.concerns(self.child_id, (RecordKind.OBSERVATION, "child", "amendment")):
            self.reload()

    def clear(self) -> None:
        self.session.pending.drop(self)
        self.child_id = None
        self.report = None
        self.chooser.clear()
        self.chart.set_chart(None)
        self.points.clear()
        self.readout.clear()
        self.status.clear()
        self.notice.hide()
        for button in (self.record_button, self.pdf_button):
            button.setEnabled(False)

    # -- choosing -------------------------------------------------------------------------------

    def _chart_chosen(self, index: int) -> None:
        if self.report is None or not 0 <= index < len(self.report.charts):
            self.chart.set_chart(None)
            return
        chart = self.report.charts[index]
        self.chart.set_chart(chart)
        self.points.blockSignals(True)
        self.points.clear()
        for mark in chart.marks:
            QListWidgetItem(mark.point.readout, self.points)
        if chart.notice is not None:  # no chart to draw: what was measured is still listed
            for point in self.report.points:
                QListWidgetItem(point.readout, self.points)
        self.points.blockSignals(False)
        if self.chart.selected is not None:
            self.points.setCurrentRow(self.chart.selected)
        # The sentence saying what the chart needs is already above it and in it: once is enough.
        self.readout.setText("" if chart.notice else self.chart.readout())

    def _point_chosen(self, index: int) -> None:
        self.readout.setText(self.chart.readout())
        self.points.blockSignals(True)
        self.points.setCurrentRow(index)
        self.points.blockSignals(False)

    def _listed_point_chosen(self, row: int) -> None:
        if row >= 0 and self.chart.chart is not None and row < len(self.chart.chart.marks):
            self.chart.select(row)

    # -- the PDF --------------------------------------------------------------------------------

    def export_pdf(self) -> "GrowthExportDialog | None":
        """Ask, as every PDF does, whether the charts are going to someone, then where to save
        them (starting in Documents); the dialog runs the export on the worker."""
        if self.child_id is None:
            return None
        from practitioner_app.ui.case.growth_export import GrowthExportDialog

        name = self.report.child_name if self.report is not None else ""
        self.export_dialog = GrowthExportDialog(self.session, self.child_id, name, self)
        self.export_dialog.show()
        return self.export_dialog
