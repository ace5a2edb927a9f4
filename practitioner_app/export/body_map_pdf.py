"""Body maps in PDFs, as vector graphics: the outline of domain/body_map.py drawn with ReportLab
paths, front and back side by side, each mark a numbered ring where it was placed, and the
marks listed beneath. The chronology PDF ends with them and the MARF carries them."""

from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Group, Path, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from practitioner_app.domain.body_map import (
    FIGURE_LABELS,
    HEIGHT,
    WIDTH,
    BodySide,
    PathCommand,
    outline,
)
from practitioner_app.domain.body_marks import BodyMap
from practitioner_app.domain.times import format_uk_date, uk_local
from practitioner_app.export import pdf

MARK = colors.HexColor("#B3261E")
DRAFT = colors.HexColor("#7A7A7A")
LINE = colors.HexColor("#2B2B2B")
DETAIL = colors.HexColor("#9AA5B1")
FIGURE_HEIGHT = 78 * mm
_GAP = 16 * mm
_LABEL = 12.0  # room under each figure for its caption


def _path(
    commands: Sequence[PathCommand],
    at: "_Place",
    *,
    fill: colors.Color | None,
    stroke: colors.Color,
    width: float,
) -> Path:
    path = Path(fillColor=fill, strokeColor=stroke, strokeWidth=width, strokeLineJoin=1)
    for command in commands:
        op, *values = command
        numbers = [float(v) for v in values]
        points = [at(numbers[i], numbers[i + 1]) for i in range(0, len(numbers), 2)]
        if op == "M":
            path.moveTo(*points[0])
        elif op == "L":
            path.lineTo(*points[0])
        elif op == "C":
            path.curveTo(*points[0], *points[1], *points[2])
        elif op == "Z":
            path.closePath()
    return path


class _Place:
    """Figure units (y down) to drawing points (y up) for one figure's box."""

    def __init__(self, left: float, bottom: float, scale: float) -> None:
        self.left, self.bottom, self.scale = left, bottom, scale

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return self.left + x * self.scale, self.bottom + (HEIGHT - y) * self.scale


def body_map_drawing(body_map: BodyMap, height: float = FIGURE_HEIGHT) -> Drawing:
    """The map of one occasion: front and back of its figure, the marks numbered on them."""
    scale = height / HEIGHT
    figure_w = WIDTH * scale
    drawing = Drawing(2 * figure_w + _GAP, height + _LABEL)
    for column, side in enumerate((BodySide.FRONT, BodySide.BACK)):
        view = outline(body_map.figure, side)
        at = _Place(column * (figure_w + _GAP), _LABEL, scale)
        for subpath in view.paths:
            drawing.add(_path(subpath, at, fill=colors.white, stroke=LINE, width=0.8))
        drawing.add(_path(view.details, at, fill=None, stroke=DETAIL, width=0.5))
        # The child's right and left, which the front view shows mirrored.
        right_x, left_x = (12.0, 88.0) if side is BodySide.FRONT else (88.0, 12.0)
        for x, word in ((right_x, "R"), (left_x, "L")):
            px, py = at(x, 8)
            drawing.add(
                String(
                    px,
                    py,
                    word,
                    fontName=pdf.BOLD,
                    fontSize=7,
                    fillColor=DETAIL,
                    textAnchor="middle",
                )
            )
        cx, _ = at(WIDTH / 2, HEIGHT)
        caption = f"{FIGURE_LABELS[body_map.figure]}, {side.value}"
        drawing.add(String(cx, 2, caption, fontName=pdf.REGULAR, fontSize=7.5, textAnchor="middle"))
        for mark in body_map.marks:
            if mark.side is not side:
                continue
            colour = DRAFT if mark.draft else MARK
            px, py = at(mark.x, mark.y)
            ring = Circle(px, py, 2.6, fillColor=None, strokeColor=colour, strokeWidth=1.1)
            if mark.draft:
                ring.strokeDashArray = [1.5, 1]
            drawing.add(ring)
            drawing.add(Circle(px, py, 0.7, fillColor=colour, strokeColor=None))
            label = Group(
                String(
                    px + 3.4,
                    py + 1.6,
                    str(mark.number),
                    fontName=pdf.BOLD,
                    fontSize=7,
                    fillColor=colour,
                )
            )
            drawing.add(label)
    return drawing


def _heading(body_map: BodyMap) -> str:
    moment = uk_local(body_map.occurred_at)
    when = format_uk_date(moment.date()) + (f" {moment:%H:%M}" if body_map.time_known else "")
    return f"Body map, {when} — recorded by {body_map.recorded_by}"


def _marks_table(body_map: BodyMap) -> Flowable:
    s = pdf.styles()
    rows = [
        [
            Paragraph(
                str(m.number) + (" DRAFT" if m.draft else "") + (" (amended)" if m.amended else ""),
                s.cell_bold,
            ),
            pdf.para(pdf.text(m.region), s.cell),
            pdf.para(pdf.text(m.what), s.cell),
            pdf.para(pdf.text(m.explanation or "No explanation recorded"), s.cell),
        ]
        for m in body_map.marks
    ]
    widths = [14 * mm, 38 * mm, 72 * mm, 62 * mm]
    table = pdf.long_table(["Mark", "Site", "What was seen", "Explanation given"], rows, widths)
    table.hAlign = "LEFT"  # under the drawing, which starts at the margin
    return table


def body_map_story(maps: Sequence[BodyMap]) -> list[Flowable]:
    """Each occasion's map, then its marks; amendments to a mark are in the chronology and the
    entry itself (a mark's site never changes, so the drawing is as recorded)."""
    s = pdf.styles()
    story: list[Flowable] = []
    for body_map in maps:
        story += [
            CondPageBreak(FIGURE_HEIGHT + 40 * mm),
            KeepTogether(
                [pdf.para(pdf.text(_heading(body_map)), s.heading), body_map_drawing(body_map)]
            ),
            Spacer(1, 2 * mm),
            _marks_table(body_map) if body_map.marks else Paragraph("No marks.", s.body),
        ]
    return story


KEY = (
    "Each ring is a mark where it was placed on the outline, numbered as in the list; a grey "
    "dashed ring is a draft. R and L are the child's right and left: the front view shows the "
    "child facing you."
)


def body_map_appendix(maps: Sequence[BodyMap]) -> list[Flowable]:
    """The body maps appended to another document (the chronology, the MARF): a new page."""
    if not maps:
        return []
    s = pdf.styles()
    return [
        PageBreak(),
        Paragraph("Appendix: body maps", s.title),
        Spacer(1, 2 * mm),
        Paragraph(KEY, s.note),
        *body_map_story(maps),
    ]
