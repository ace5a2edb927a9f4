"""Measurements typed in the wrong units, or unlikely for the child's age.

Two kinds, two answers:
- impossible at any age (grams or pounds-and-ounces in the kg box beyond 250, millimetres in a cm
  box): refused by `ObservationDetails.validate` with the number converted (domain/records.py);
- possible but implausible for this child's age and sex: asked about before saving. SDS beyond ±8
  (the RCPCH's own cut-off for values to check), or a weight above +4 SDS that is ordinary
  (within ±3 SDS) once read as pounds.
"""

from practitioner_app.domain.errors import ImplausibleMeasurement
from practitioner_app.domain.growth.chart import GrowthChild, Measurement, points_of
from practitioner_app.domain.growth.reference import UNITS, Measure, measure_name, sds

IMPLAUSIBLE_SDS = 8.0
POUNDS_PER_KG = 2.20462
_FIELDS = {
    Measure.WEIGHT: "weight_kg",
    Measure.HEIGHT: "length_cm",
    Measure.HEAD: "head_circumference_cm",
}


def check_plausible(child: GrowthChild, measurement: Measurement) -> None:
    """Raise ImplausibleMeasurement with the question to ask, for the first doubtful value.
    Nothing to judge without a date of birth or a male/female sex (the ranges still apply).
    Raises InvalidInput for a measurement dated before birth."""
    for measure, field in _FIELDS.items():
        for point in points_of(child, [measurement], measure):
            if point.sds is None:
                continue
            name = measure_name(measure, point.age.used_years).lower()
            value = f"{point.value:g} {UNITS[measure]}"
            if measure is Measure.WEIGHT and point.sds > 4:
                as_kg = point.value / POUNDS_PER_KG
                pounds_sds = sds(measure, child.sex, point.age.used_years, as_kg)
                if pounds_sds is not None and abs(pounds_sds) <= 3:
                    raise ImplausibleMeasurement(
                        f"A weight of {value} at {point.age_text} is far above the 99.6th centile "
                        f"(SDS {point.sds:+.1f}); if it was {point.value:g} lb, that is "
                        f"{as_kg:.2f} kg.",
                        field,
                    )
            if abs(point.sds) > IMPLAUSIBLE_SDS:
                side = "above the 99.6th" if point.sds > 0 else "below the 0.4th"
                raise ImplausibleMeasurement(
                    f"A {name} of {value} at {point.age_text} is far {side} centile "
                    f"(SDS {point.sds:+.1f}): check the number and its units.",
                    field,
                )
