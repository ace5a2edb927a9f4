"""domain/growth/uk_who.py against rcpchgrowth itself: the same L, M and S, SDS and centile-line
values at every age of every UK-WHO table (on the rows, between them, at the seams and past the
ends), for every measure and both sexes; and the lookup runs without importing rcpchgrowth, SciPy
or NumPy (issue 19: 80 MB the app could not keep within 300 MB with)."""

import gc
import subprocess
import sys

import pytest

from practitioner_app.domain.enums import Sex
from practitioner_app.domain.growth import uk_who
from practitioner_app.domain.growth.reference import CENTILE_LINES, Measure, sds, value_at

TYPICAL = {Measure.WEIGHT: 9.0, Measure.HEIGHT: 75.0, Measure.HEAD: 45.0, Measure.BMI: 16.5}
TABLES = (uk_who.UK90_PRETERM, uk_who.WHO_INFANTS, uk_who.WHO_CHILDREN, uk_who.UK90_CHILD)


def every_age() -> list[float]:
    """Each row's age in each table, halfway to the next, a hair either side, and the seams."""
    ages = {-0.5, -0.3, 20.0, 20.01, 21.0, 2.0, 4.0, 17.0, 18.0, 17.5}
    ages |= {uk_who.FORTY_TWO_WEEKS_GESTATION, uk_who.TWENTY_FIVE_WEEKS_GESTATION}
    for name in TABLES:
        rows = uk_who._table(name)["weight"]["male"]
        points = [row["decimal_age"] for row in rows]
        step = max(1, len(points) // 150)  # WHO infants has a row a day: every 9th will do
        for i in range(0, len(points) - 1, step):
            here, after = points[i], points[i + 1]
            ages |= {here, (here + after) / 2, here + 1e-7, after - 1e-7}
        ages |= {points[-1], points[-2], (points[-1] + points[-2]) / 2}
    return sorted(ages)


@pytest.mark.parametrize("measure", list(Measure))
@pytest.mark.parametrize("sex", [Sex.MALE, Sex.FEMALE])
def test_sds_and_centile_lines_are_rcpchgrowths_own(measure: Measure, sex: Sex) -> None:
    from rcpchgrowth import global_functions as theirs

    compared = refused = 0
    for age in every_age():
        try:
            array = theirs.lms_value_array_for_measurement_for_reference(
                reference="uk-who", age=age, measurement_method=measure.value, sex=sex.value
            )
            lookup = theirs._age_for_lms_lookup(
                reference="uk-who", age=age, lms_value_array_for_measurement=array
            )
            found = theirs.fetch_lms(age=lookup, lms_value_array_for_measurement=array)
            expected_sds = theirs.z_score(
                l=found["l"], m=found["m"], s=found["s"], observation=TYPICAL[measure]
            )
        except (LookupError, ValueError):
            if -0.4416 <= age <= 20:  # inside UK-WHO's span sds() answers itself
                assert sds(measure, sex, age, TYPICAL[measure]) is None, age
            refused += 1
            continue
        rows = uk_who.reference_rows(age, measure.value, sex.value)
        assert rows == array  # the same table rcpchgrowth chose
        ours = uk_who.lms(uk_who.lookup_age(age, rows), rows)
        expected = tuple(float(found[key]) for key in "lms")  # numpy scalars at a table's edge
        assert ours == pytest.approx(expected, abs=1e-12), age
        if -0.4416 <= age <= 20:
            assert sds(measure, sex, age, TYPICAL[measure]) == pytest.approx(
                float(expected_sds), abs=1e-9
            ), age
        line = CENTILE_LINES[1].sds
        expected_value = theirs.measurement_for_z(
            z=line, l=expected[0], m=expected[1], s=expected[2]
        )
        assert value_at(measure, sex, age, line) == pytest.approx(expected_value, abs=1e-9), age
        compared += 1
    assert compared > 500
    assert refused >= 3  # past 20 years, before 23 weeks' gestation, and the measure's own gaps


@pytest.mark.parametrize("age", [2.0, 4.0, uk_who.FORTY_TWO_WEEKS_GESTATION])
def test_the_younger_table_at_a_seam_is_rcpchgrowths_own(age: float) -> None:
    from rcpchgrowth import global_functions as theirs

    for youngest in (False, True):
        array = theirs.lms_value_array_for_measurement_for_reference(
            reference="uk-who",
            age=age,
            measurement_method="height",
            sex="female",
            default_youngest_reference=youngest,
        )
        assert uk_who.reference_rows(age, "height", "female", youngest=youngest) == array


def test_growth_lookups_import_neither_rcpchgrowth_nor_scipy() -> None:
    checked = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "from practitioner_app.domain.enums import Sex\n"
            "from practitioner_app.domain.growth.reference import Measure, sds, value_at\n"
            "assert sds(Measure.WEIGHT, Sex.FEMALE, 0.5, 7.4) is not None\n"
            "assert value_at(Measure.HEIGHT, Sex.MALE, 6.0, 0.0) is not None\n"
            "loaded = sorted({m.split('.')[0] for m in sys.modules} & "
            "{'rcpchgrowth', 'scipy', 'numpy'})\n"
            "assert not loaded, loaded\n",
        ],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr


def test_remembered_lookups_leave_the_collectors_sight() -> None:
    # Every full pass of the cyclic collector traverses what it tracks, holding the window (issue
    # 19, gcpause.py). The SDS and centile-line caches remember tens of thousands of answers: their
    # keys must hold nothing it has to follow, so it stops tracking them.
    def tracked() -> int:
        gc.collect()
        return len(gc.get_objects())

    before = tracked()
    for n in range(3000):
        sds(Measure.WEIGHT, Sex.FEMALE, 0.25 + n / 10_000, 6.0 + n / 1000)
        value_at(Measure.HEIGHT, Sex.MALE, 1.0 + n / 10_000, 0.67)
    assert tracked() - before < 300


def test_a_caseloads_weights_are_judged_from_one_lookup_per_age() -> None:
    # Issue 19: remembered by measurement, the SDS of 4,000 children's 138,000 weights overran
    # the cache, and each run of the caseload's alerts worked every one out again. L, M and S are
    # remembered by age (whole days), which a caseload of any size shares.
    from practitioner_app.domain.growth.reference import _lms

    _lms.cache_clear()
    ages = [day / 365.25 for day in range(1, 1001)]
    weights = [3.0 + n / 10_000 for n in range(80)]
    for weight in weights:
        for age in ages:
            sds(Measure.WEIGHT, Sex.MALE, age, weight + age * 3)
    assert _lms.cache_info().misses == len(ages)
    assert _lms.cache_info().hits == len(ages) * (len(weights) - 1)
