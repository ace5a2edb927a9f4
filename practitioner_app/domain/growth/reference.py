"""UK-WHO as the RCPCH's rcpchgrowth gives it (its tables and rules, through `uk_who`): SDS and
centile of a measurement, and the value of a centile line at an age.

UK-WHO is a patchwork: UK90 preterm/term data before 2 weeks past term, WHO 2006 (lying length) to
2 years, WHO 2006 (standing height) to 4 years, UK90 after. rcpchgrowth chooses the piece by age;
`SEAMS` are where the pieces meet, so a chart does not join two references with a false line.
"""

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from statistics import NormalDist

from practitioner_app.domain.enums import Sex
from practitioner_app.domain.growth import uk_who

UK_WHO = "uk-who"


class Measure(StrEnum):
    """What is measured, named as rcpchgrowth names its references."""

    WEIGHT = "weight"
    HEIGHT = "height"  # length (lying) under 2 years, height (standing) from 2
    HEAD = "ofc"
    BMI = "bmi"


UNITS: dict[Measure, str] = {
    Measure.WEIGHT: "kg",
    Measure.HEIGHT: "cm",
    Measure.HEAD: "cm",
    Measure.BMI: "kg/m²",
}


def measure_name(measure: Measure, age_years: float | None = None) -> str:
    """'Weight', 'Length' (under 2 years) or 'Height', 'Head circumference', 'BMI'."""
    if measure is Measure.HEIGHT:
        return "Length" if age_years is None or age_years < 2 else "Height"
    return {Measure.WEIGHT: "Weight", Measure.HEAD: "Head circumference", Measure.BMI: "BMI"}[
        measure
    ]


@dataclass(frozen=True)
class CentileLine:
    centile: float
    sds: float  # the nine UK-WHO lines are 2/3 SDS apart

    @property
    def label(self) -> str:
        return f"{self.centile:g}{ordinal_suffix(self.centile)}"


# DOMAIN.md: 0.4th, 2nd, 9th, 25th, 50th, 75th, 91st, 98th, 99.6th. A centile space is the gap
# between two neighbouring lines: 2/3 SDS.
CENTILE_SPACE_SDS = 2 / 3
CENTILE_LINES: tuple[CentileLine, ...] = tuple(
    CentileLine(c, k * CENTILE_SPACE_SDS)
    for c, k in zip((0.4, 2, 9, 25, 50, 75, 91, 98, 99.6), range(-4, 5), strict=True)
)
SEAMS: tuple[float, ...] = (14 / 365.25, 2.0, 4.0)  # decimal ages where UK-WHO changes reference
YOUNGEST_YEARS = (23 * 7 - 280) / 365.25  # UK90 starts at 23 weeks' gestation
OLDEST_YEARS = 20.0


def ordinal_suffix(value: float) -> str:
    whole = int(value)
    if value != whole:  # 0.4th, 99.6th
        return "th"
    if 10 <= whole % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(whole % 10, "th")


def centile_of(sds: float) -> float:
    """The centile (0–100) of an SDS on the normal distribution."""
    return NormalDist().cdf(sds) * 100


def centile_words(sds: float) -> str:
    """'50th centile', 'below the 0.4th centile', '0.9th centile': whole centiles from 1 to 99."""
    value = centile_of(sds)
    if value < 0.4:
        return "below the 0.4th centile"
    if value > 99.6:
        return "above the 99.6th centile"
    if 1 <= value < 99:
        whole = round(value)
        return f"{whole}{ordinal_suffix(whole)} centile"
    rounded = round(value, 1)
    return f"{rounded:g}{ordinal_suffix(rounded)} centile"


def _rcpch_sex(sex: Sex) -> str | None:
    return {Sex.MALE: "male", Sex.FEMALE: "female"}.get(sex)


def has_reference(sex: Sex) -> bool:
    """UK-WHO has a chart for boys and one for girls; other or unknown sex has none."""
    return _rcpch_sex(sex) is not None


def sds(measure: Measure, sex: Sex, age_years: float, value: float) -> float | None:
    """The SDS of a value at a decimal age (0 = term), as rcpchgrowth's `sds_for_measurement`
    gives it for UK-WHO; None where UK-WHO has no reference (sex not male or female, an age
    outside 23 weeks' gestation to 20 years, a measure not referenced at that age)."""
    if not YOUNGEST_YEARS <= age_years <= OLDEST_YEARS:
        return None
    found = _lms(measure.value, sex.value, float(age_years), False)
    return None if found is None else uk_who.z_score(*found, value)


def value_at(
    measure: Measure, sex: Sex, age_years: float, sds_value: float, *, youngest: bool = False
) -> float | None:
    """The measurement at an SDS and age (a point of a centile line), or None without a reference.
    `youngest` takes the younger reference at a seam, so each piece of line ends on its own data."""
    found = _lms(measure.value, sex.value, float(age_years), youngest)
    return None if found is None else uk_who.measurement_for_z(sds_value, *found)


# L, M and S are remembered by age, not each measurement's SDS: ages are whole days, so a
# caseload under five has at most 1,827 of them for each measure and sex, however many children
# it holds. Remembered by measurement, 4,000 children's 138,000 weights overran the cache, and
# every caseload alert run paid for every SDS again (issue 19: faltering growth cost 89 us a child
# at 400 children and 215-293 us at 4,000). Keyed by plain strings and floats, not the enum
# members: such a key holds nothing the cyclic collector must follow, so it stops tracking it
# (keyed by the members, 66,000 of them were traversed by every full pass; gcpause.py).
@lru_cache(maxsize=65536)
def _lms(
    measure: str, sex: str, age_years: float, youngest: bool
) -> tuple[float, float, float] | None:
    rcpch_sex = _rcpch_sex(Sex(sex))
    if rcpch_sex is None:
        return None
    try:
        rows = uk_who.reference_rows(age_years, measure, rcpch_sex, youngest=youngest)
        l_, m, s = uk_who.lms(uk_who.lookup_age(age_years, rows), rows)
    except (LookupError, ValueError):
        return None
    return l_, m, s
