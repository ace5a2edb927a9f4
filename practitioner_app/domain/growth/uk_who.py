"""UK-WHO's L, M and S at an age, from the RCPCH's own tables, by rcpchgrowth's own rules.

The tables are rcpchgrowth's (its `data_tables` folder); choosing among them follows its
`uk_who.py` (`uk_who_reference`, `reference_data_absent`), and interpolating follows its
`global_functions.py` (`fetch_lms`: cubic inside a table, linear at its edges). The package
itself is not imported: importing it imports SciPy and NumPy (about 80 MB resident) and loads
every reference it has (CDC, Turner, trisomy 21), for a straight line between two points that
SciPy's `interp1d` draws at a table's edge. With them the app could not keep within 300 MB
with the caseload open (PERFORMANCE.md, issue 19). tests/test_growth.py checks this module
against rcpchgrowth itself, at every age of every table, for every measure and both sexes.
"""

import json
import math
from bisect import bisect_left
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

DAYS_PER_YEAR = 365.25
# rcpchgrowth's constants (constants/age_constants.py and reference_constants.py): decimal ages,
# 0 at 40 weeks' gestation.
TWENTY_THREE_WEEKS_GESTATION = (23 * 7 - 40 * 7) / DAYS_PER_YEAR  # UK90's first age
TWENTY_FIVE_WEEKS_GESTATION = (25 * 7 - 40 * 7) / DAYS_PER_YEAR  # UK90's first length
FORTY_TWO_WEEKS_GESTATION = (42 * 7 - 40 * 7) / DAYS_PER_YEAR  # WHO 2006 starts: 2 weeks
TWO_YEARS = 2.0  # WHO 2006 lying length gives way to standing height
FOUR_YEARS = 4.0  # WHO 2006 gives way to UK90
SEVENTEEN_YEARS = 17.0  # girls' head circumference ends
EIGHTEEN_YEARS = 18.0  # boys' head circumference ends
TWENTY_YEARS = 20.0  # UK90 ends

# The pieces of UK-WHO, by rcpchgrowth's file names (data_tables/...).
UK90_PRETERM = "uk90_preterm.json"  # 23 weeks' gestation to 2 weeks after term
WHO_INFANTS = "who/who_infants.json"  # 2 weeks to 2 years, lying length
WHO_CHILDREN = "who/who_children.json"  # 2 to 4 years, standing height
UK90_CHILD = "uk90_child.json"  # 4 to 20 years


def _tables_folder() -> Path:
    """rcpchgrowth's data folder, found without importing the package (find_spec of a top-level
    package does not run its __init__). The frozen app carries the folder beside its modules."""
    spec = find_spec("rcpchgrowth")
    if spec is None or not spec.submodule_search_locations:
        raise LookupError("rcpchgrowth's UK-WHO tables are not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data_tables"


@cache
def _table(name: str) -> dict[str, Any]:
    with (_tables_folder() / name).open(encoding="utf-8") as file:
        document: dict[str, Any] = json.load(file)["measurement"]
    return document


_AGES: dict[int, list[float]] = {}


def _ages(rows: list[dict[str, Any]]) -> list[float]:
    ages = _AGES.get(id(rows))
    if ages is None:
        ages = _AGES[id(rows)] = [row["decimal_age"] for row in rows]
    return ages


def reference_rows(
    age: float, measure: str, sex: str, *, youngest: bool = False
) -> list[dict[str, Any]]:
    """The rows (decimal_age, L, M, S) of the UK-WHO piece that covers `age` for `measure`
    ('weight', 'height', 'ofc', 'bmi') and `sex` ('male', 'female'), as rcpchgrowth's
    `uk_who_lms_array_for_measurement_and_sex` chooses it. `youngest`: at a seam (2 weeks,
    2 years, 4 years), the younger piece, so a centile line ends on its own data.
    LookupError where UK-WHO has no reference: under 23 weeks' gestation, over 20 years, length
    under 25 weeks, BMI under 2 weeks, head circumference over 17 (girls) or 18 years (boys)."""
    if age < TWENTY_THREE_WEEKS_GESTATION:
        raise LookupError("There is no UK90 reference data below 23 weeks gestation")
    if age < FORTY_TWO_WEEKS_GESTATION:
        name = UK90_PRETERM
    elif age < TWO_YEARS:
        seam = age == FORTY_TWO_WEEKS_GESTATION and youngest
        name = UK90_PRETERM if seam else WHO_INFANTS
    elif age < FOUR_YEARS:
        name = WHO_INFANTS if age == TWO_YEARS and youngest else WHO_CHILDREN
    elif age <= TWENTY_YEARS:
        name = WHO_CHILDREN if age == FOUR_YEARS and youngest else UK90_CHILD
    else:
        raise LookupError("There is no UK90 reference data above the age of 20 years.")
    if measure == "height" and age < TWENTY_FIVE_WEEKS_GESTATION:
        raise LookupError("UK-WHO length data does not exist in infants below 25 weeks gestation.")
    if measure == "bmi" and age < FORTY_TWO_WEEKS_GESTATION:
        raise LookupError("UK-WHO BMI data does not exist below 2 weeks of age.")
    if measure == "ofc" and age > (EIGHTEEN_YEARS if sex == "male" else SEVENTEEN_YEARS):
        raise LookupError("UK-WHO head circumference data does not exist at this age.")
    rows: list[dict[str, Any]] = _table(name)[measure][sex]
    return rows


def lookup_age(age: float, rows: list[dict[str, Any]]) -> float:
    """rcpchgrowth's `_age_for_lms_lookup`: exactly two years is held to the chosen table's
    ends (the lying table ends, and the standing one starts, a day either side of it)."""
    if age != TWO_YEARS:
        return age
    ages = _ages(rows)
    return min(max(age, ages[0]), ages[-1])


def lms(age: float, rows: list[dict[str, Any]]) -> tuple[float, float, float]:
    """L, M and S at `age` in `rows`, as rcpchgrowth's `fetch_lms` gives them: a table row's
    own values where the age matches one (to 4 decimal places); between rows, cubic
    interpolation through two rows either side, or linear where the table has only one row on
    a side. Found by bisection: `fetch_lms` walks the whole table (1,400 rows for WHO infants,
    3 ms a value, seconds for a caseload's alerts). LookupError or ValueError past the table."""
    ages = _ages(rows)
    index = max(0, bisect_left(ages, age) - 1)
    for near in (index, index + 1):  # rcpchgrowth matches an age to 4 decimal places
        if near < len(ages) and round(ages[near], 4) == round(age, 4):
            row = rows[near]
            return float(row["L"]), float(row["M"]), float(row["S"])
    if index + 1 >= len(rows):
        raise LookupError("The age is past the end of the reference table.")
    if 1 <= index < len(rows) - 2:
        around = rows[index - 1 : index + 3]
        return (
            _cubic(age, around, "L"),
            _cubic(age, around, "M"),
            _cubic(age, around, "S"),
        )
    below, above = rows[index], rows[index + 1]
    return (
        _linear(age, below, above, "L"),
        _linear(age, below, above, "M"),
        _linear(age, below, above, "S"),
    )


def _cubic(age: float, around: list[dict[str, Any]], key: str) -> float:
    """rcpchgrowth's `cubic_interpolation` (Tim Cole's, from LMSGrowth), term for term."""
    a0, a1, a2, a3 = (row["decimal_age"] for row in around)
    p0, p1, p2, p3 = (row[key] for row in around)
    tt0, tt1, tt2, tt3 = age - a0, age - a1, age - a2, age - a3
    t01, t02, t03 = a0 - a1, a0 - a2, a0 - a3
    t12, t13, t23 = a1 - a2, a1 - a3, a2 - a3
    return float(
        p0 * tt1 * tt2 * tt3 / t01 / t02 / t03
        - p1 * tt0 * tt2 * tt3 / t01 / t12 / t13
        + p2 * tt0 * tt1 * tt3 / t02 / t12 / t23
        - p3 * tt0 * tt1 * tt2 / t03 / t13 / t23
    )


def _linear(age: float, below: dict[str, Any], above: dict[str, Any], key: str) -> float:
    """A straight line between two rows, as SciPy's interp1d draws it in rcpchgrowth's
    `linear_interpolation` (which refuses an age outside the two: ValueError here too)."""
    x0, x1 = below["decimal_age"], above["decimal_age"]
    if not x0 <= age <= x1:
        raise ValueError("The age is outside the two rows interpolated between.")
    y0, y1 = below[key], above[key]
    return float(y0 + (y1 - y0) * (age - x0) / (x1 - x0))


def z_score(l_: float, m: float, s: float, value: float) -> float:
    """rcpchgrowth's `z_score`: the SDS of `value` by Cole's LMS method."""
    if l_ != 0.0:
        return float(((value / m) ** l_ - 1) / (l_ * s))
    return math.log(value / m) / s


def measurement_for_z(z: float, l_: float, m: float, s: float) -> float | None:
    """rcpchgrowth's `measurement_for_z`: the value at an SDS, None where 1 + LSz < 0 (the
    power has no real value)."""
    if l_ != 0.0:
        first = 1 + l_ * s * z
        if first < 0:
            return None
        return float(first ** (1 / l_) * m)
    return math.exp(s * z) * m
