"""The growth chart as pure data: centile lines and the child's points in chart coordinates
(x = decimal age in years, 0 at 40 weeks' gestation; y = the measurement in its units).

One definition, drawn by the window (ui/case/growth_chart.py, QPainter) and the PDFs
(export/growth_pdf.py, ReportLab vector graphics), so the two cannot disagree. A renderer maps the
chart's box [x_min, x_max] × [y_min, y_max] onto its own and draws what is here, nothing more.
"""

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from practitioner_app.domain.enums import Sex
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.growth.ages import (
    DAYS_PER_YEAR,
    Gestation,
    GrowthAge,
    age_text,
    growth_age,
)
from practitioner_app.domain.growth.reference import (
    CENTILE_LINES,
    SEAMS,
    UNITS,
    Measure,
    centile_words,
    has_reference,
    measure_name,
    sds,
    value_at,
)

Point = tuple[float, float]


@dataclass(frozen=True)
class GrowthChild:
    """What the chart needs of the child."""

    sex: Sex
    date_of_birth: date | None
    gestation: Gestation | None


@dataclass(frozen=True)
class Measurement:
    """The growth measurements of one observation (kg and cm), as recorded."""

    id: str  # the observation's id: the chart's evidence
    on: date  # UK calendar date of the observation
    weight_kg: float | None = None
    length_cm: float | None = None
    head_circumference_cm: float | None = None
    draft: bool = False


@dataclass(frozen=True)
class GrowthPoint:
    """One measurement judged against UK-WHO at the age DOMAIN.md says to use."""

    id: str
    on: date
    measure: Measure
    value: float
    age: GrowthAge
    age_text: str
    sds: float | None  # None where UK-WHO has no reference (sex, age, measure)
    draft: bool

    @property
    def centile_text(self) -> str:
        return "no UK-WHO reference" if self.sds is None else centile_words(self.sds)

    @property
    def readout(self) -> str:
        """Date, age, value, centile and SDS in one line, as the chart's hover and list show it."""
        name = measure_name(self.measure, self.age.used_years)
        value = f"{self.value:.2f} {UNITS[self.measure]}"
        judged = self.centile_text + ("" if self.sds is None else f" (SDS {self.sds:+.2f})")
        draft = " · DRAFT" if self.draft else ""
        return f"{self.on:%d/%m/%Y} · {self.age_text} · {name} {value} · {judged}{draft}"


def points_of(
    child: GrowthChild,
    measurements: Sequence[Measurement],
    measure: Measure,
    *,
    words: bool = True,
) -> tuple[GrowthPoint, ...]:
    """The child's points for one measure in date order (BMI where weight and length were taken
    at the same observation). Needs the date of birth; raises InvalidInput for a measurement
    dated before it. Without `words` the ages are not written out (the alert rule, run over a
    whole caseload, reads only the numbers)."""
    if child.date_of_birth is None:
        return ()
    points: list[GrowthPoint] = []
    for item in sorted(measurements, key=lambda m: (m.on, m.id)):
        value = _value(item, measure)
        if value is None:
            continue
        age = growth_age(child.date_of_birth, item.on, child.gestation)
        points.append(
            GrowthPoint(
                item.id,
                item.on,
                measure,
                value,
                age,
                age_text(child.date_of_birth, item.on, age, child.gestation) if words else "",
                sds(measure, child.sex, age.used_years, value),
                item.draft,
            )
        )
    return tuple(points)


def _value(item: Measurement, measure: Measure) -> float | None:
    if measure is Measure.WEIGHT:
        return item.weight_kg
    if measure is Measure.HEIGHT:
        return item.length_cm
    if measure is Measure.HEAD:
        return item.head_circumference_cm
    if item.weight_kg is None or item.length_cm is None:
        return None
    return item.weight_kg / (item.length_cm / 100) ** 2


@dataclass(frozen=True)
class ChartLine:
    label: str  # '50th'
    sds: float
    dashed: bool  # the 2nd, 25th, 75th and 98th are dashed, as on the printed UK-WHO charts
    segments: tuple[tuple[Point, ...], ...]  # broken where UK-WHO changes reference


@dataclass(frozen=True)
class ChartMark:
    """A point as drawn: at the age used (corrected where it applies) and, where that differs,
    joined to a hollow mark at the chronological age."""

    point: GrowthPoint
    at: Point
    chronological_at: Point | None


@dataclass(frozen=True)
class GrowthChart:
    measure: Measure
    title: str
    x_label: str
    y_label: str
    x_min: float
    x_max: float
    y_min: float
    y_max: float
    x_ticks: tuple[tuple[float, str], ...]
    y_ticks: tuple[tuple[float, str], ...]
    lines: tuple[ChartLine, ...]
    marks: tuple[ChartMark, ...]
    # When the chart cannot be drawn, the sentence saying what it needs; then nothing else is drawn.
    notice: str | None = None
    # Colours as "#rrggbb", shared by every renderer: blue lines for boys and pink for girls as
    # on the printed UK-WHO charts; the child's points in near-black so they stand out.
    line_colour: str = "#7F8C8D"
    point_colour: str = "#1B1B1B"


LINE_COLOURS = {Sex.MALE: "#2E6DB4", Sex.FEMALE: "#C2407D"}
# A draft's dot is filled grey: still a measurement, not yet signed. The dot at the chronological
# age is always hollow, so the one used for the centile is the filled one.
DRAFT_FILL = "#8A939C"


def what_the_chart_needs(child: GrowthChild) -> str | None:
    """One sentence naming what is missing for a UK-WHO chart, or None."""
    missing = []
    if child.date_of_birth is None:
        missing.append("date of birth")
    if not has_reference(child.sex):
        missing.append("sex (male or female: UK-WHO has a chart for each)")
    if not missing:
        return None
    return (
        "The growth chart needs the child's "
        + " and ".join(missing)
        + "; add it with Edit details… on the child's page and the chart will be drawn."
    )


_SPANS = (1.0, 2.0, 4.0, 8.0, 12.0, 20.0)
_CLEAR = 0.03  # the part of a span kept clear of points at its right-hand end


def _x_range(points: Sequence[GrowthPoint]) -> tuple[float, float]:
    ages = [p.age.used_years for p in points] + [p.age.chronological_years for p in points]
    oldest = max(ages, default=0.0)
    # A point at the very end of a span (the 12-month review on a first birthday) would sit on
    # the chart's border, over the centile names: the next span is taken instead.
    x_max = next((span for span in _SPANS if oldest <= span * (1 - _CLEAR)), _SPANS[-1])
    youngest = min(ages, default=0.0)
    if youngest >= 0 or x_max > 2:
        return 0.0, x_max
    four_weeks = 28 / DAYS_PER_YEAR
    return -math.ceil(-youngest / four_weeks) * four_weeks, x_max


def _x_ticks(x_min: float, x_max: float) -> tuple[tuple[float, str], ...]:
    ticks: list[tuple[float, str]] = []
    week = 7 / DAYS_PER_YEAR
    weeks = round(-x_min / week)
    # Every 4 weeks before term on a one-year chart; on a wider one every 8, or the labels touch.
    for before in range(weeks, 0, -4 if x_max <= 1 else -8):
        ticks.append((-before * week, f"{40 - before} wk"))
    if x_max <= 2:
        step = 1 if x_max <= 1 else 2
        for month in range(0, int(x_max * 12) + 1, step):
            label = (
                "term" if month == 0 and x_min < 0 else ("birth" if month == 0 else f"{month} m")
            )
            ticks.append((month / 12, label))
    else:
        years_step = 0.5 if x_max <= 4 else (1.0 if x_max <= 12 else 2.0)
        year = 0.0
        while year <= x_max + 1e-9:
            ticks.append((year, "birth" if year == 0 else f"{year:g} y"))
            year += years_step
    return tuple(ticks)


def _nice_step(span: float) -> float:
    for step in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50):
        if span / step <= 12:
            return float(step)
    return 100.0


def _samples(x_min: float, x_max: float) -> list[tuple[float, float, bool, bool]]:
    """Pieces of the age axis between UK-WHO seams: (start, end, start is a seam, end is one)."""
    edges = [x_min, *(s for s in SEAMS if x_min < s < x_max), x_max]
    return [(a, b, a in SEAMS, b in SEAMS) for a, b in itertools.pairwise(edges) if b > a]


def _line(
    child: GrowthChild, measure: Measure, z: float, x_min: float, x_max: float
) -> tuple[tuple[Point, ...], ...]:
    segments: list[tuple[Point, ...]] = []
    for a, b, _, end_seam in _samples(x_min, x_max):
        count = max(6, int(90 * (b - a) / (x_max - x_min)))
        run: list[Point] = []
        for i in range(count + 1):
            x = a + (b - a) * i / count
            y = value_at(measure, child.sex, x, z, youngest=end_seam and i == count)
            if y is None or not math.isfinite(y):
                if len(run) > 1:
                    segments.append(tuple(run))
                run = []
                continue
            run.append((x, y))
        if len(run) > 1:
            segments.append(tuple(run))
    return tuple(segments)


def build_chart(
    child: GrowthChild, measurements: Sequence[Measurement], measure: Measure
) -> GrowthChart:
    """The chart of one measure. Without a date of birth or a male/female sex the chart has no
    lines or points and a `notice` saying what it needs (never a chart for the wrong sex)."""
    sex_word = {Sex.MALE: "boy", Sex.FEMALE: "girl"}.get(child.sex, "")
    notice = what_the_chart_needs(child)
    try:
        points = points_of(child, measurements, measure) if notice is None else ()
    except InvalidInput as problem:
        points, notice = (), problem.message
    x_min, x_max = _x_range(points)
    name = measure_name(measure)
    if measure is Measure.HEIGHT:
        name = "Length" if x_max <= 2 else ("Length / height" if x_max <= 4 else "Height")
    title = f"{name} — UK-WHO" + (f", {sex_word}" if sex_word else "")
    if notice is not None:
        return GrowthChart(
            measure,
            title,
            "Age",
            f"{name} ({UNITS[measure]})",
            x_min,
            x_max,
            0,
            1,
            (),
            (),
            (),
            (),
            notice,
        )
    lines = tuple(
        ChartLine(
            c.label,
            c.sds,
            c.label in {"2nd", "25th", "75th", "98th"},
            _line(child, measure, c.sds, x_min, x_max),
        )
        for c in CENTILE_LINES
    )
    ys = [y for line in (lines[0], lines[-1]) for seg in line.segments for _, y in seg]
    ys += [p.value for p in points]
    low, high = (min(ys), max(ys)) if ys else (0.0, 1.0)
    step = _nice_step(high - low)
    y_min = max(0.0, math.floor(low / step) * step)
    y_max = math.ceil(high / step) * step
    y_ticks = tuple(
        (y_min + i * step, f"{y_min + i * step:g}")
        for i in range(round((y_max - y_min) / step) + 1)
    )
    marks = tuple(
        ChartMark(
            p,
            (p.age.used_years, p.value),
            (p.age.chronological_years, p.value) if p.age.corrected else None,
        )
        # A point with no UK-WHO reference (BMI before 2 weeks, an age past 20) is listed with
        # that said, never drawn among lines that do not apply to it.
        for p in points
        if p.sds is not None
    )
    return GrowthChart(
        measure,
        title,
        "Age"
        + (
            " (corrected for prematurity where it applies)"
            if any(m.chronological_at for m in marks)
            else ""
        ),
        f"{name} ({UNITS[measure]})",
        x_min,
        x_max,
        y_min,
        y_max,
        _x_ticks(x_min, x_max),
        y_ticks,
        lines,
        marks,
        line_colour=LINE_COLOURS[child.sex],
    )
