"""The body map on screen: the outline of domain/body_map.py drawn with QPainterPath, front and
back side by side, the marks as numbered rings; a click asks for a mark at that point, a click on
a mark opens it. The PDFs draw the same outline (export/body_map_pdf.py)."""

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from practitioner_app.domain.body_map import (
    FIGURE_LABELS,
    HEIGHT,
    WIDTH,
    BodyFigure,
    BodySide,
    PathCommand,
    outline,
)
from practitioner_app.domain.body_marks import MapMark

MARK = QColor("#B3261E")
DRAFT = QColor("#7A7A7A")
LINE = QColor("#2B2B2B")
DETAIL = QColor("#9AA5B1")
SIDES = (BodySide.FRONT, BodySide.BACK)
_CAPTION = 22.0  # pixels under each figure for its caption
_MARGIN = 10.0
# A click this close to a mark (figure units) opens the mark rather than placing another.
_HIT = 3.5


def painter_path(commands: Sequence[PathCommand]) -> QPainterPath:
    """The outline's path commands as a QPainterPath, in figure units."""
    path = QPainterPath()
    for command in commands:
        op, *values = command
        n = [float(v) for v in values]
        if op == "M":
            path.moveTo(n[0], n[1])
        elif op == "L":
            path.lineTo(n[0], n[1])
        elif op == "C":
            path.cubicTo(n[0], n[1], n[2], n[3], n[4], n[5])
        elif op == "Z":
            path.closeSubpath()
    return path


class BodyMapCanvas(QWidget):
    """Front and back of one figure. `place_requested(side, x, y)` on a click on the body map
    (figure units; the caller decides whether it is on the body), `mark_activated(id)` on a
    click on a mark."""

    place_requested = Signal(str, float, float)
    mark_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = BodyFigure.INFANT
        self.marks: tuple[MapMark, ...] = ()
        self.editable = True
        self.setAccessibleName("Body map")
        self.setAccessibleDescription(
            "Front and back outlines; click where the mark is, or choose the region from the "
            "list of regions"
        )
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(300, 260)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def sizeHint(self) -> QSize:
        return QSize(460, 460)

    def set_map(self, figure: BodyFigure, marks: Sequence[MapMark]) -> None:
        self.figure = figure
        self.marks = tuple(marks)
        self.update()

    # -- geometry ---------------------------------------------------------------------------------

    def _box(self, side: BodySide) -> tuple[float, float, float]:
        """(left, top, scale) of one figure's 100 × 200 box in widget pixels."""
        column = (self.width() - 3 * _MARGIN) / 2
        scale = max(min(column / WIDTH, (self.height() - 2 * _MARGIN - _CAPTION) / HEIGHT), 0.1)
        index = SIDES.index(side)
        left = _MARGIN + index * (column + _MARGIN) + (column - WIDTH * scale) / 2
        return left, _MARGIN, scale

    def to_widget(self, side: BodySide, x: float, y: float) -> QPointF:
        left, top, scale = self._box(side)
        return QPointF(left + x * scale, top + y * scale)

    def to_figure(self, point: QPointF) -> tuple[BodySide, float, float] | None:
        """The view and figure units a widget point falls on; None between or beside them."""
        for side in SIDES:
            left, top, scale = self._box(side)
            x, y = (point.x() - left) / scale, (point.y() - top) / scale
            if 0 <= x <= WIDTH and 0 <= y <= HEIGHT:
                return side, round(x, 2), round(y, 2)
        return None

    # -- drawing ----------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#FFFFFF"))
        for side in SIDES:
            self._paint_figure(painter, side)
        painter.end()

    def _paint_figure(self, painter: QPainter, side: BodySide) -> None:
        view = outline(self.figure, side)
        left, top, scale = self._box(side)
        painter.save()
        painter.translate(left, top)
        painter.scale(scale, scale)
        pen = QPen(LINE, 1.4 / scale)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        for subpath in view.paths:
            painter.setPen(pen)
            painter.setBrush(QColor("#FFFFFF"))
            painter.drawPath(painter_path(subpath))
        painter.setPen(QPen(DETAIL, 1.0 / scale))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(painter_path(view.details))
        painter.restore()
        # The child's right and left: the front view shows the child facing you.
        painter.setPen(DETAIL)
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        right_x, left_x = (8.0, 92.0) if side is BodySide.FRONT else (92.0, 8.0)
        for x, word in ((right_x, "R"), (left_x, "L")):
            point = self.to_widget(side, x, 8)
            painter.drawText(
                QRectF(point.x() - 10, point.y() - 8, 20, 16), Qt.AlignmentFlag.AlignCenter, word
            )
        font.setBold(False)
        painter.setFont(font)
        painter.setPen(LINE)
        bottom = self.to_widget(side, WIDTH / 2, HEIGHT)
        painter.drawText(
            QRectF(bottom.x() - 100, bottom.y() + 2, 200, _CAPTION),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            f"{FIGURE_LABELS[self.figure]}, {side.value}",
        )
        for mark in self.marks:
            if mark.side is not side:
                continue
            colour = DRAFT if mark.draft else MARK
            centre = self.to_widget(side, mark.x, mark.y)
            ring = QPen(colour, 2.0)
            if mark.draft:
                ring.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, 6.0, 6.0)
            painter.setBrush(colour)
            painter.drawEllipse(centre, 1.5, 1.5)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(colour)
            painter.drawText(QPointF(centre.x() + 7, centre.y() - 4), str(mark.number))
            font.setBold(False)
            painter.setFont(font)

    # -- clicks -----------------------------------------------------------------------------------

    def mark_at(self, side: BodySide, x: float, y: float) -> MapMark | None:
        near = [m for m in self.marks if m.side is side and math.dist((m.x, m.y), (x, y)) <= _HIT]
        return min(near, key=lambda m: math.dist((m.x, m.y), (x, y))) if near else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        found = self.to_figure(event.position())
        if found is None:
            return
        side, x, y = found
        mark = self.mark_at(side, x, y)
        if mark is not None:
            self.mark_activated.emit(mark.id)
        elif self.editable:
            self.place_requested.emit(side.value, x, y)
