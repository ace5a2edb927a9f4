"""The growth chart on screen: draws a chart definition (domain/growth/chart.py) with QPainter, as
the PDFs draw it with ReportLab, and reads out a point on hover or from the keyboard (Left/Right,
Home/End) with its date, age, value, centile and SDS."""

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from practitioner_app.domain.growth.chart import DRAFT_FILL, GrowthChart

_LEFT, _BOTTOM, _RIGHT, _TOP = 52.0, 44.0, 46.0, 12.0
HIT_RADIUS = 9.0  # pixels: how near the pointer must be to read a point out


class GrowthChartView(QWidget):
    """One chart. `point_chosen(index)` when the pointer or the keyboard picks a point."""

    point_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart: GrowthChart | None = None
        self.selected: int | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(480, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Growth chart")

    def sizeHint(self) -> QSize:
        return QSize(760, 480)

    def set_chart(self, chart: GrowthChart | None) -> None:
        self.chart = chart
        marks = chart.marks if chart else ()
        self.selected = len(marks) - 1 if marks else None  # the latest, as a visitor asks
        self._describe()
        self.update()

    def select(self, index: int | None) -> None:
        if self.chart is None or index is None or not self.chart.marks:
            return
        self.selected = max(0, min(index, len(self.chart.marks) - 1))
        self._describe()
        self.update()
        self.point_chosen.emit(self.selected)

    def readout(self) -> str:
        """The selected point in words, or what the chart needs."""
        if self.chart is None:
            return ""
        if self.chart.notice is not None:
            return self.chart.notice
        if self.selected is None:
            return "No measurements of this kind recorded yet."
        return self.chart.marks[self.selected].point.readout

    def _describe(self) -> None:
        self.setAccessibleDescription(self.readout())

    # -- geometry -------------------------------------------------------------------------------

    def _plot(self) -> QRectF:
        return QRectF(
            _LEFT,
            _TOP,
            max(self.width() - _LEFT - _RIGHT, 1.0),
            max(self.height() - _TOP - _BOTTOM, 1.0),
        )

    def _at(self, x: float, y: float) -> QPointF:
        chart, plot = self.chart, self._plot()
        assert chart is not None
        x_span = (chart.x_max - chart.x_min) or 1.0
        y_span = (chart.y_max - chart.y_min) or 1.0
        return QPointF(
            plot.left() + (x - chart.x_min) / x_span * plot.width(),
            plot.bottom() - (y - chart.y_min) / y_span * plot.height(),
        )

    def mark_position(self, index: int) -> QPointF:
        assert self.chart is not None
        return self._at(*self.chart.marks[index].at)

    # -- drawing --------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        chart, plot = self.chart, self._plot()
        if chart is None:
            return
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() * 0.8, 6.5))
        painter.setFont(small)
        painter.setPen(QPen(QColor("#9AA5B1"), 1))
        painter.drawRect(plot)
        if chart.notice is not None:
            painter.setPen(QColor("#1B1B1B"))
            painter.drawText(
                plot.adjusted(20, 20, -20, -20),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                chart.notice,
            )
            return
        self._draw_axes(painter, chart, plot)
        self._draw_lines(painter, chart)
        self._draw_marks(painter, chart)
        if self.selected is not None:
            # The point the readout describes; a heavier ring while the keyboard drives it.
            where = self.mark_position(self.selected)
            painter.setPen(QPen(QColor("#E07B00"), 2.5 if self.hasFocus() else 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(where, 7.5, 7.5)

    def _draw_axes(self, painter: QPainter, chart: GrowthChart, plot: QRectF) -> None:
        grid, ink = QPen(QColor("#E3E6EA"), 1), QColor("#1B1B1B")
        metrics = painter.fontMetrics()
        for value, label in chart.x_ticks:
            x = self._at(value, chart.y_min).x()
            painter.setPen(grid)
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.setPen(ink)
            width = metrics.horizontalAdvance(label)
            painter.drawText(QPointF(x - width / 2, plot.bottom() + metrics.height()), label)
        for value, label in chart.y_ticks:
            y = self._at(chart.x_min, value).y()
            painter.setPen(grid)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(ink)
            width = metrics.horizontalAdvance(label)
            painter.drawText(QPointF(plot.left() - width - 4, y + metrics.ascent() / 2 - 1), label)
        painter.drawText(
            QRectF(plot.left(), plot.bottom() + metrics.height() + 4, plot.width(), 20),
            Qt.AlignmentFlag.AlignHCenter,
            chart.x_label,
        )
        painter.save()
        painter.translate(14, plot.center().y())
        painter.rotate(-90)
        painter.drawText(QRectF(-150, -10, 300, 20), Qt.AlignmentFlag.AlignCenter, chart.y_label)
        painter.restore()

    def _draw_lines(self, painter: QPainter, chart: GrowthChart) -> None:
        colour = QColor(chart.line_colour)
        metrics = painter.fontMetrics()
        for line in chart.lines:
            pen = QPen(colour, 1.6 if line.label == "50th" else 1.1)
            if line.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            for segment in line.segments:
                path = QPainterPath(self._at(*segment[0]))
                for x, y in segment[1:]:
                    path.lineTo(self._at(x, y))
                painter.drawPath(path)
            if line.segments:
                end = self._at(*line.segments[-1][-1])
                painter.setPen(colour)
                painter.drawText(
                    QPointF(end.x() + 3, end.y() + metrics.ascent() / 2 - 1), line.label
                )

    def _draw_marks(self, painter: QPainter, chart: GrowthChart) -> None:
        ink = QColor(chart.point_colour)
        for mark in chart.marks:
            where = self._at(*mark.at)
            if mark.chronological_at is not None:
                actual = self._at(*mark.chronological_at)
                painter.setPen(QPen(ink, 1))
                painter.drawLine(where, actual)
                painter.setBrush(QColor("white"))
                painter.drawEllipse(actual, 3.5, 3.5)
            painter.setPen(QPen(ink, 1.2))
            painter.setBrush(QColor(DRAFT_FILL) if mark.point.draft else ink)
            painter.drawEllipse(where, 4.0, 4.0)

    # -- reading a point out ----------------------------------------------------------------------

    def nearest(self, where: QPointF) -> int | None:
        """The mark under the pointer (either of its dots), if any."""
        if self.chart is None:
            return None
        best: tuple[float, int] | None = None
        for index, mark in enumerate(self.chart.marks):
            for at in (mark.at, mark.chronological_at):
                if at is None:
                    continue
                dot = self._at(*at)
                distance = ((dot.x() - where.x()) ** 2 + (dot.y() - where.y()) ** 2) ** 0.5
                if distance <= HIT_RADIUS and (best is None or distance < best[0]):
                    best = (distance, index)
        return None if best is None else best[1]

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.nearest(event.position())
        if index is None:
            QToolTip.hideText()
            return
        self.select(index)
        QToolTip.showText(event.globalPosition().toPoint(), self.readout(), self)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.chart is None or not self.chart.marks:
            super().keyPressEvent(event)
            return
        last = len(self.chart.marks) - 1
        current = self.selected if self.selected is not None else last
        moves = {
            Qt.Key.Key_Left: current - 1,
            Qt.Key.Key_Right: current + 1,
            Qt.Key.Key_Home: 0,
            Qt.Key.Key_End: last,
        }
        target = moves.get(Qt.Key(event.key()))
        if target is None:
            super().keyPressEvent(event)
            return
        self.select(target)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()
