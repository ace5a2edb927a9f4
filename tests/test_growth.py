"""UK-WHO through rcpchgrowth: the issue's done-when points, corrected age at its boundaries, the
chart definition, and the questions asked of implausible measurements."""

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from practitioner_app.domain.enums import ObservationCategory, Sex
from practitioner_app.domain.errors import ImplausibleMeasurement, InvalidInput
from practitioner_app.domain.growth.ages import Gestation, check_gestation, growth_age
from practitioner_app.domain.growth.chart import (
    GrowthChild,
    Measurement,
    build_chart,
    points_of,
)
from practitioner_app.domain.growth.plausibility import check_plausible
from practitioner_app.domain.growth.reference import CENTILE_LINES, Measure, centile_words
from practitioner_app.domain.records import ObservationDetails

BORN = date(2025, 1, 10)
YEAR_ON = date(2026, 1, 10)  # the first birthday


def _weight_at(child: GrowthChild, on: date, kg: float) -> float:
    (point,) = points_of(child, [Measurement("o", on, weight_kg=kg)], Measure.WEIGHT)
    assert point.sds is not None
    return point.sds


@pytest.mark.parametrize(("sex", "kg"), [(Sex.MALE, 9.6), (Sex.FEMALE, 8.9)])
def test_the_who_median_at_12_months_plots_on_the_50th_centile(sex: Sex, kg: float) -> None:
    child = GrowthChild(sex, BORN, Gestation(40))
    sds = _weight_at(child, YEAR_ON, kg)
    assert abs(sds) < 0.1
    assert min(CENTILE_LINES, key=lambda line: abs(line.sds - sds)).label == "50th"
    chart = build_chart(child, [Measurement("o", YEAR_ON, weight_kg=kg)], Measure.WEIGHT)
    (mark,) = chart.marks
    fiftieth = next(line for line in chart.lines if line.label == "50th")
    x, y = mark.at
    near = min(fiftieth.segments[-1], key=lambda p: abs(p[0] - x))
    assert abs(near[0] - x) < 0.02
    assert abs(near[1] - y) < 0.1
    assert mark.chronological_at is None  # a term baby has one age


def test_a_baby_born_at_32_plus_3_is_judged_at_the_corrected_age_and_shows_both() -> None:
    child = GrowthChild(Sex.MALE, BORN, Gestation(32, 3))
    on = BORN + timedelta(days=120)
    (point,) = points_of(child, [Measurement("o", on, weight_kg=4.6)], Measure.WEIGHT)
    assert point.age.chronological_days == 120
    assert point.age.corrected_days == 120 - (280 - 227)
    term = GrowthChild(Sex.MALE, BORN, Gestation(40))
    (as_term,) = points_of(term, [Measurement("o", on, weight_kg=4.6)], Measure.WEIGHT)
    assert point.sds is not None
    assert as_term.sds is not None
    assert point.sds > as_term.sds + 1  # judged younger, the same weight is higher on the chart
    assert point.age_text == "4 months (corrected 9 weeks 4 days)"
    assert "(corrected 9 weeks 4 days)" in point.readout
    chart = build_chart(child, [Measurement("o", on, weight_kg=4.6)], Measure.WEIGHT)
    (mark,) = chart.marks
    assert mark.chronological_at is not None
    assert mark.chronological_at[0] > mark.at[0]
    born = points_of(child, [Measurement("b", BORN, weight_kg=1.8)], Measure.WEIGHT)[0]
    assert born.age_text == "0 days (corrected: 32+3 weeks gestation)"
    with_birth = build_chart(
        child, [Measurement("b", BORN, weight_kg=1.8), Measurement("o", on, 4.6)], Measure.WEIGHT
    )
    assert with_birth.x_min < with_birth.marks[0].at[0] < 0  # born 7+4 weeks before term
    assert "term" in [label for _, label in with_birth.x_ticks]
    assert chart.x_min == 0


@pytest.mark.parametrize(
    ("gestation", "on", "corrected"),
    [
        (Gestation(36, 6), YEAR_ON - timedelta(days=1), True),  # 32–36 weeks: until 1 year
        (Gestation(36, 6), YEAR_ON, False),
        (Gestation(37, 0), BORN + timedelta(days=30), False),  # 37 weeks: never
        (Gestation(32, 0), YEAR_ON - timedelta(days=1), True),
        (Gestation(32, 0), YEAR_ON, False),
        (Gestation(31, 6), YEAR_ON, True),  # under 32 weeks: until 2 years
        (Gestation(31, 6), date(2027, 1, 9), True),
        (Gestation(31, 6), date(2027, 1, 10), False),
        (None, BORN + timedelta(days=30), False),  # gestation not recorded: chronological
    ],
)
def test_age_is_corrected_until_the_birthday_domain_md_names(
    gestation: Gestation | None, on: date, corrected: bool
) -> None:
    assert growth_age(BORN, on, gestation).corrected is corrected


def test_a_birthday_on_29_february_falls_on_1_march() -> None:
    leap = date(2024, 2, 29)
    assert growth_age(leap, date(2025, 2, 28), Gestation(34)).corrected
    assert not growth_age(leap, date(2025, 3, 1), Gestation(34)).corrected


def test_a_measurement_before_birth_is_one_sentence_and_no_chart() -> None:
    with pytest.raises(InvalidInput, match="before the child's date of birth"):
        growth_age(BORN, BORN - timedelta(days=1), None)
    child = GrowthChild(Sex.FEMALE, BORN, None)
    chart = build_chart(child, [Measurement("o", BORN - timedelta(days=3), 3.0)], Measure.WEIGHT)
    assert chart.notice is not None
    assert "before the child's date of birth" in chart.notice
    assert chart.lines == ()
    assert chart.marks == ()


@pytest.mark.parametrize(
    ("sex", "born", "needs"),
    [
        (Sex.UNKNOWN, BORN, "sex"),
        (Sex.OTHER, BORN, "sex"),
        (Sex.MALE, None, "date of birth"),
        (Sex.UNKNOWN, None, "date of birth and sex"),
    ],
)
def test_a_chart_without_sex_or_date_of_birth_says_what_it_needs_and_draws_nothing(
    sex: Sex, born: date | None, needs: str
) -> None:
    chart = build_chart(
        GrowthChild(sex, born, None), [Measurement("o", YEAR_ON, 9.6)], Measure.WEIGHT
    )
    assert chart.notice is not None
    assert f"needs the child's {needs}" in chart.notice
    assert chart.lines == ()
    assert chart.marks == ()


def test_the_chart_has_the_nine_lines_broken_at_the_reference_seams() -> None:
    child = GrowthChild(Sex.FEMALE, BORN, None)
    three = date(2028, 3, 1)
    chart = build_chart(child, [Measurement("o", three, 14.0, 95.0)], Measure.HEIGHT)
    assert [line.label for line in chart.lines] == [
        "0.4th",
        "2nd",
        "9th",
        "25th",
        "50th",
        "75th",
        "91st",
        "98th",
        "99.6th",
    ]
    assert chart.title == "Length / height — UK-WHO, girl"
    for line in chart.lines:
        ends = [seg[-1][0] for seg in line.segments]
        assert any(abs(end - 2.0) < 1e-9 for end in ends)  # lying length ends at 2 years
    fiftieth = chart.lines[4]
    values = [y for seg in fiftieth.segments for _, y in seg]
    assert values == sorted(values) or all(b >= a - 0.8 for a, b in itertools.pairwise(values))
    assert chart.y_min <= min(values)
    assert chart.y_max >= 95.0


def test_bmi_needs_weight_and_length_at_one_observation() -> None:
    child = GrowthChild(Sex.MALE, BORN, None)
    both = Measurement("a", YEAR_ON, weight_kg=9.6, length_cm=75.7)
    alone = Measurement("b", YEAR_ON + timedelta(days=30), weight_kg=9.8)
    (point,) = points_of(child, [both, alone], Measure.BMI)
    assert point.id == "a"
    assert point.value == pytest.approx(9.6 / 0.757**2)
    assert point.sds is not None
    assert abs(point.sds) < 1


def test_centile_words_name_the_extremes_and_round_the_middle() -> None:
    assert centile_words(0.0) == "50th centile"
    assert centile_words(-2.0) == "2nd centile"
    assert centile_words(-3.0) == "below the 0.4th centile"
    assert centile_words(3.0) == "above the 99.6th centile"
    assert centile_words(-2.4) == "0.8th centile"


def test_a_weight_typed_in_pounds_is_asked_about_before_saving() -> None:
    child = GrowthChild(Sex.MALE, BORN, None)
    with pytest.raises(ImplausibleMeasurement, match=r"21\.2 lb, that is 9\.62 kg") as asked:
        check_plausible(child, Measurement("o", YEAR_ON, weight_kg=21.2))
    assert asked.value.field == "weight_kg"
    check_plausible(child, Measurement("o", YEAR_ON, weight_kg=9.6))  # the median: no question


def test_a_measurement_beyond_8_sds_is_asked_about() -> None:
    child = GrowthChild(Sex.FEMALE, BORN, None)
    with pytest.raises(ImplausibleMeasurement, match=r"far below the 0\.4th centile") as asked:
        check_plausible(child, Measurement("o", YEAR_ON, length_cm=40.0))
    assert asked.value.field == "length_cm"
    with pytest.raises(ImplausibleMeasurement, match="head circumference of 70 cm"):
        check_plausible(child, Measurement("o", YEAR_ON, head_circumference_cm=70.0))


def test_nothing_is_asked_without_sex_to_judge_by() -> None:
    check_plausible(GrowthChild(Sex.UNKNOWN, BORN, None), Measurement("o", YEAR_ON, 21.2))


def _observation(**measures: float) -> ObservationDetails:
    return ObservationDetails(
        "c",
        datetime(2026, 1, 10, tzinfo=UTC),
        ObservationCategory.GROWTH,
        "Weighed",
        weight_kg=measures.get("weight_kg"),
        length_cm=measures.get("length_cm"),
        head_circumference_cm=measures.get("head_circumference_cm"),
    )


@pytest.mark.parametrize(
    ("measures", "says"),
    [
        ({"weight_kg": 3500.0}, "Weight (kg) of 3500 looks like grams; weight is in kg: type 3.5."),
        (
            {"length_cm": 757.0},
            "Length or height (cm) of 757 looks like millimetres; type it in cm: 75.7.",
        ),
        (
            {"head_circumference_cm": 460.0},
            "Head circumference (cm) of 460 looks like millimetres; type it in cm: 46.",
        ),
        (
            {"weight_kg": 0.05},
            "Weight (kg) of 0.05 is outside 0.2-250; check the number and its units.",
        ),
    ],
)
def test_grams_and_millimetres_are_refused_with_the_number_converted(
    measures: dict[str, float], says: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _observation(**measures).validate()
    assert refused.value.message == says


@pytest.mark.parametrize(
    ("weeks", "days", "field"),
    [
        (21, 0, "gestation_weeks"),
        (45, 0, "gestation_weeks"),
        (32, 7, "gestation_days"),
        (None, 3, "gestation_weeks"),
    ],
)
def test_gestation_outside_22_to_44_weeks_is_refused(
    weeks: int | None, days: int, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_gestation(weeks, days)
    assert refused.value.field == field
    check_gestation(22, 0)
    check_gestation(44, 6)
    check_gestation(None, None)


@pytest.mark.parametrize("measure", list(Measure))
@pytest.mark.parametrize("sex", [Sex.MALE, Sex.FEMALE])
def test_the_fast_lookup_gives_rcpchgrowths_own_sds(measure: Measure, sex: Sex) -> None:
    from rcpchgrowth.global_functions import sds_for_measurement

    from practitioner_app.domain.growth.reference import sds as our_sds

    typical = {Measure.WEIGHT: 9.0, Measure.HEIGHT: 75.0, Measure.HEAD: 45.0, Measure.BMI: 16.5}
    ages = [-0.15, -0.01, 0.0, 0.02, 14 / 365.25, 0.05, 0.5, 1.0, 1.999, 2.0, 2.4, 3.99, 4.0, 7.3]
    ages += [i / 97 for i in range(1, 400, 5)]
    compared = 0
    for age in ages:
        try:
            theirs = sds_for_measurement("uk-who", age, measure.value, typical[measure], sex.value)
        except (LookupError, ValueError):
            assert our_sds(measure, sex, age, typical[measure]) is None
            continue
        ours = our_sds(measure, sex, age, typical[measure])
        assert ours == pytest.approx(theirs, abs=1e-9), age
        compared += 1
    assert compared > 60


def test_a_premature_babys_chart_labels_the_weeks_before_term() -> None:
    child = GrowthChild(Sex.MALE, BORN, Gestation(32, 3))
    for later, labels in ((200, ["32 wk", "36 wk", "term"]), (380, ["32 wk", "term"])):
        measured = [
            Measurement("a", BORN, 1.8),
            Measurement("b", BORN + timedelta(days=later), 7.0),
        ]
        chart = build_chart(child, measured, Measure.WEIGHT)
        shown = [label for _, label in chart.x_ticks]
        assert shown[: len(labels)] == labels, shown


def test_a_point_without_a_reference_is_listed_not_drawn() -> None:
    child = GrowthChild(Sex.MALE, BORN, Gestation(32, 3))
    at_birth = Measurement("a", BORN, weight_kg=1.8, length_cm=43.0)
    later = Measurement("b", BORN + timedelta(days=200), weight_kg=6.2, length_cm=62.0)
    points = points_of(child, [at_birth, later], Measure.BMI)
    assert [p.sds is None for p in points] == [True, False]
    assert points[0].centile_text == "no UK-WHO reference"
    chart = build_chart(child, [at_birth, later], Measure.BMI)
    assert [mark.point.id for mark in chart.marks] == ["b"]
