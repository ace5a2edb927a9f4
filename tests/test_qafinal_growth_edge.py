"""QA (issue 20 item 2): the 12-month review is the measurement a health visitor records most,
and the chart's age axis ends exactly at 12 months (a span is chosen with `oldest <= span`), so a
boy weighed on his first birthday (9.6 kg, 50th centile, which holds) is drawn on the chart's
right-hand border, over the centile names written there: on screen at 1280x800 the dot hides
the "5" of "50th" (looked at: /tmp screenshot of the Growth tab). The same at 2 years on the
0-2 chart. A measurement should sit inside the plot, clear of the border."""

from datetime import date

import pytest

from practitioner_app.domain.enums import Sex
from practitioner_app.domain.growth.ages import Gestation
from practitioner_app.domain.growth.chart import GrowthChild, Measurement, build_chart
from practitioner_app.domain.growth.reference import Measure

BORN = date(2025, 11, 1)


@pytest.mark.parametrize(
    ("on", "kg"),
    [
        pytest.param(date(2026, 11, 1), 9.6, id="first birthday"),
        pytest.param(date(2027, 11, 1), 12.2, id="second birthday"),
    ],
)
def test_a_measurement_on_a_birthday_is_drawn_clear_of_the_right_hand_border(
    on: date, kg: float
) -> None:
    child = GrowthChild(Sex.MALE, BORN, Gestation(40, 0))
    chart = build_chart(child, [Measurement("o", on, weight_kg=kg)], Measure.WEIGHT)
    [mark] = chart.marks
    x, _ = mark.at
    width = chart.x_max - chart.x_min
    assert x <= chart.x_max - 0.02 * width, (x, chart.x_max)
