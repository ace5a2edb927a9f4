"""FALTERING_GROWTH (DOMAIN.md, from NICE NG75 "Faltering growth"), over UK-WHO weight SDS at the
age DOMAIN.md says to use (corrected for prematurity where it applies).

Fires, as of T, on any of:
- a fall in weight across centile spaces (2/3 SDS each): 1 or more if birth weight was below the
  9th centile line (SDS < −4/3), 2 or more if between the 9th and 91st lines (inclusive), 3 or more
  if above the 91st (SDS > 4/3). The fall is from the highest weight SDS recorded before the latest
  weight (birth weight included) to the latest weight on or before T;
- the latest weight is below the 2nd centile line (SDS < −2);
- the latest weight is more than 10% below birth weight (exactly 10% does not fire).

Decisions where DOMAIN.md leaves room:
- Birth weight is a weight recorded on the date of birth. Without one, the band of the first weight
  recorded stands in for it (said in the message), and the 10% loss cannot be judged.
- Drafts count, as they do for every rule: a weight just typed should prompt at once.
- A child without a date of birth or with a sex other than male or female has no UK-WHO chart, so
  the rule stays silent; the Growth tab says what the chart needs.
"""

from datetime import date

from practitioner_app.domain.alerts.facts import Alert, CaseFacts, Severity
from practitioner_app.domain.growth.chart import (
    GrowthChild,
    GrowthPoint,
    points_of,
    what_the_chart_needs,
)
from practitioner_app.domain.growth.reference import CENTILE_SPACE_SDS, Measure, centile_words
from practitioner_app.domain.times import format_uk_date

NINTH_SDS = -2 * CENTILE_SPACE_SDS
NINETY_FIRST_SDS = 2 * CENTILE_SPACE_SDS
SECOND_SDS = -3 * CENTILE_SPACE_SDS
LOSS_FRACTION = 0.10
_EPSILON = 1e-9  # a fall of exactly N spaces counts, whatever the last bit of a float says


def spaces_needed(birth_sds: float) -> int:
    """NICE NG75's threshold for a fall, by the birth weight's centile band."""
    if birth_sds < NINTH_SDS:
        return 1
    if birth_sds > NINETY_FIRST_SDS:
        return 3
    return 2


def _band_words(birth_sds: float) -> str:
    if birth_sds < NINTH_SDS:
        return "below the 9th centile"
    if birth_sds > NINETY_FIRST_SDS:
        return "above the 91st centile"
    return "between the 9th and 91st centiles"


def _at(point: GrowthPoint) -> str:
    return f"{point.value:g} kg on {format_uk_date(point.on)}"


def faltering_growth(facts: CaseFacts, as_of: date) -> Alert | None:
    child = GrowthChild(facts.child.sex, facts.child.date_of_birth, facts.child.gestation)
    if what_the_chart_needs(child) is not None or child.date_of_birth is None:
        return None
    born = child.date_of_birth
    weights = [m for m in facts.measurements if m.weight_kg is not None and born <= m.on <= as_of]
    points = [
        p for p in points_of(child, weights, Measure.WEIGHT, words=False) if p.sds is not None
    ]
    if not points:
        return None
    latest = points[-1]
    birth = next((p for p in points if p.on == born), None)
    band_point = birth or points[0]
    assert band_point.sds is not None
    assert latest.sds is not None
    reasons: list[str] = []
    cited: list[GrowthPoint] = []

    earlier = [p for p in points[:-1] if p.sds is not None]
    if earlier:
        peak = max(earlier, key=lambda p: p.sds or 0.0)
        assert peak.sds is not None
        fall = (peak.sds - latest.sds) / CENTILE_SPACE_SDS
        needed = spaces_needed(band_point.sds)
        if fall >= needed - _EPSILON:
            whose = (
                "birth weight" if birth is not None else "first weight recorded (no birth weight)"
            )
            reasons.append(
                f"weight has fallen {fall:.1f} centile spaces, from the "
                f"{centile_words(peak.sds)} ({_at(peak)}) to the {centile_words(latest.sds)} "
                f"({_at(latest)}); {whose} {_band_words(band_point.sds)}, so {needed} or more "
                f"space{'s' if needed > 1 else ''} is faltering growth"
            )
            cited += [band_point, peak, latest]
    if latest.sds < SECOND_SDS:
        reasons.append(f"the latest weight ({_at(latest)}) is below the 2nd centile")
        cited.append(latest)
    if (
        birth is not None
        and latest is not birth
        and latest.value < birth.value * (1 - LOSS_FRACTION)
    ):
        lost = (birth.value - latest.value) / birth.value * 100
        reasons.append(
            f"{_at(latest)} is {lost:.1f}% below the birth weight ({_at(birth)}), more than 10%"
        )
        cited += [birth, latest]
    if not reasons:
        return None
    evidence = sorted({p.id: p for p in cited}.values(), key=lambda p: (p.on, p.id))
    message = "Possible faltering growth (NICE NG75): " + "; ".join(reasons) + "."
    return Alert(
        "FALTERING_GROWTH",
        Severity.WARNING,
        message,
        tuple(p.id for p in evidence),
        evidence[0].on,
        evidence[-1].on,
    )
