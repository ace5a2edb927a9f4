"""Growth charts in PDFs, as vector graphics: the growth PDF, and the growth appendix the
chronology PDF ends with. Draws the chart definition of domain/growth/chart.py as it is, so the
page shows what the window shows."""

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from practitioner_app.domain.growth.chart import DRAFT_FILL, GrowthChart, GrowthPoint
from practitioner_app.domain.growth.reference import UNITS, measure_name
from practitioner_app.export import pdf

PAGE = A4
CHART_WIDTH = PAGE[0] - 2 * pdf.MARGIN
CHART_HEIGHT = 105 * mm
_LEFT, _BOTTOM, _RIGHT, _TOP = 34.0, 30.0, 34.0, 8.0  # room for axis labels and line labels


@dataclass(frozen=True)
class GrowthDocument:
    child_name: str
    born: str
    sex: str
    gestation: str  # "32+3 weeks" or "not recorded"
    notice: str | None
    charts: tuple[GrowthChart, ...]
    points: tuple[GrowthPoint, ...]


def chart_drawing(
    chart: GrowthChart, width: float = CHART_WIDTH, height: float = CHART_HEIGHT
) -> Drawing:
    """One chart as a ReportLab Drawing (a flowable of vector shapes)."""
    drawing = Drawing(width, height)
    left, bottom = _LEFT, _BOTTOM
    plot_w, plot_h = width - _LEFT - _RIGHT, height - _BOTTOM - _TOP
    x_span = (chart.x_max - chart.x_min) or 1.0
    y_span = (chart.y_max - chart.y_min) or 1.0

    def at(x: float, y: float) -> tuple[float, float]:
        return (
            left + (x - chart.x_min) / x_span * plot_w,
            bottom + (y - chart.y_min) / y_span * plot_h,
        )

    grid = colors.HexColor("#E3E6EA")
    frame = Rect(left, bottom, plot_w, plot_h)
    frame.fillColor = None
    frame.strokeColor = pdf.RULE
    drawing.add(frame)
    if chart.notice is not None:
        drawing.add(
            String(
                left + plot_w / 2,
                bottom + plot_h / 2,
                pdf.plain(chart.notice)[:120],
                fontName=pdf.REGULAR,
                fontSize=8,
                textAnchor="middle",
            )
        )
        return drawing
    for value, label in chart.x_ticks:
        x, _ = at(value, chart.y_min)
        drawing.add(Line(x, bottom, x, bottom + plot_h, strokeColor=grid, strokeWidth=0.4))
        drawing.add(
            String(x, bottom - 10, label, fontName=pdf.REGULAR, fontSize=6.5, textAnchor="middle")
        )
    for value, label in chart.y_ticks:
        _, y = at(chart.x_min, value)
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=grid, strokeWidth=0.4))
        drawing.add(
            String(left - 3, y - 2.2, label, fontName=pdf.REGULAR, fontSize=6.5, textAnchor="end")
        )
    drawing.add(
        String(
            left + plot_w / 2,
            4,
            pdf.plain(chart.x_label),
            fontName=pdf.REGULAR,
            fontSize=7.5,
            textAnchor="middle",
        )
    )
    y_label = Group(
        String(
            0, 0, pdf.plain(chart.y_label), fontName=pdf.REGULAR, fontSize=7.5, textAnchor="middle"
        )
    )
    y_label.rotate(90)
    y_label.translate(bottom + plot_h / 2, -9)
    drawing.add(y_label)
    line_colour = colors.HexColor(chart.line_colour)
    for line in chart.lines:
        for segment in line.segments:
            points = [c for x, y in segment for c in at(x, y)]
            polyline = PolyLine(
                points, strokeColor=line_colour, strokeWidth=0.9 if line.label == "50th" else 0.6
            )
            if line.dashed:
                polyline.strokeDashArray = [3, 2]
            drawing.add(polyline)
        if line.segments:
            x, y = at(*line.segments[-1][-1])
            drawing.add(
                String(
                    x + 2,
                    y - 2.2,
                    line.label,
                    fontName=pdf.REGULAR,
                    fontSize=6,
                    fillColor=line_colour,
                )
            )
    point_colour = colors.HexColor(chart.point_colour)
    for mark in chart.marks:
        x, y = at(*mark.at)
        if mark.chronological_at is not None:
            cx, cy = at(*mark.chronological_at)
            drawing.add(Line(x, y, cx, cy, strokeColor=point_colour, strokeWidth=0.5))
            drawing.add(
                Circle(
                    cx, cy, 2.2, fillColor=colors.white, strokeColor=point_colour, strokeWidth=0.7
                )
            )
        fill = colors.HexColor(DRAFT_FILL) if mark.point.draft else point_colour
        drawing.add(Circle(x, y, 2.4, fillColor=fill, strokeColor=point_colour, strokeWidth=0.8))
    return drawing


KEY = (
    "Filled dot: the measurement at the age used for the centile (corrected for prematurity "
    "where that applies); hollow dot joined to it: the same measurement at the child's actual "
    "age. A grey dot is a draft. Lines: the 0.4th, 2nd, 9th, 25th, 50th, 75th, "
    "91st, 98th and 99.6th centiles (UK-WHO: WHO 2006 to 4 years, UK90 after; the RCPCH's "
    "rcpchgrowth)."
)


def _points_table(points: Sequence[GrowthPoint]) -> Flowable:
    s = pdf.styles()
    rows = [
        [
            Paragraph(f"{p.on:%d/%m/%Y}" + (" DRAFT" if p.draft else ""), s.cell),
            Paragraph(pdf.text(p.age_text), s.cell),
            Paragraph(pdf.text(measure_name(p.measure, p.age.used_years)), s.cell),
            Paragraph(f"{p.value:.2f} {UNITS[p.measure]}", s.cell),
            Paragraph(pdf.text(p.centile_text), s.cell),
            Paragraph("" if p.sds is None else f"{p.sds:+.2f}", s.cell),
        ]
        for p in points
    ]
    widths = [22 * mm, 58 * mm, 30 * mm, 24 * mm, 37 * mm, 15 * mm]
    return pdf.long_table(["Date", "Age", "Measurement", "Value", "Centile", "SDS"], rows, widths)


def growth_story(document: GrowthDocument) -> list[Flowable]:
    """The charts, their key and the list of points; or the sentence saying what is missing."""
    s = pdf.styles()
    story: list[Flowable] = [
        Paragraph(
            f"Sex: {pdf.text(document.sex)} · Gestation at birth: {pdf.text(document.gestation)}",
            s.body,
        )
    ]
    if document.notice is not None:
        story.append(Paragraph(pdf.text(document.notice), s.body))
    if not document.points and document.notice is None:
        story.append(Paragraph("No growth measurements recorded.", s.body))
    for chart in document.charts:
        if chart.notice is not None:
            continue
        story.append(
            KeepTogether([Paragraph(pdf.text(chart.title), s.heading), chart_drawing(chart)])
        )
    if document.charts and document.notice is None:
        story.append(Paragraph(KEY, s.note))
    if document.points:
        story += [CondPageBreak(40 * mm), Paragraph("Measurements", s.heading)]
        story.append(_points_table(document.points))
    return story


def growth_appendix(document: GrowthDocument) -> list[Flowable]:
    """The growth section appended to another document (the chronology): a new page."""
    s = pdf.styles()
    return [
        PageBreak(),
        Paragraph("Appendix: growth (UK-WHO)", s.title),
        Spacer(1, 2 * mm),
        *growth_story(document),
    ]


def growth_pdf(
    document: GrowthDocument, provenance: pdf.Provenance, *, password: str | None = None
) -> tuple[bytes, int]:
    """The growth PDF's bytes and page count."""
    s = pdf.styles()
    story: list[Flowable] = [Paragraph("Growth charts (UK-WHO)", s.title), Spacer(1, 2 * mm)]
    story += growth_story(document)
    return pdf.render(
        story,
        provenance,
        pagesize=PAGE,
        subject="Growth charts: UK-WHO centiles of the child's measurements",
        password=password,
        expected_pages=1 + len(document.charts) // 2,
    )
