"""The injury rules: an injury to a non-mobile child, and repeated injuries or attendances."""

from dataclasses import replace
from datetime import date

from practitioner_app.domain.alerts.facts import Alert, CaseFacts, Severity, agency_of, alert_citing
from practitioner_app.domain.enums import EventKind, ObservationCategory, VisitKind
from practitioner_app.domain.records import non_mobile_on
from practitioner_app.domain.times import age_on, format_uk_date
from practitioner_app.domain.windows import (
    Dated,
    at_least,
    latest_window,
    plural,
    span,
    tally,
    up_to,
)

# The bruising in non-mobile infants protocol, step by step: a list is what a practitioner
# works down while on the phone.
NON_MOBILE_NEXT_STEPS: tuple[str, ...] = (
    "Arrange a same-day paediatric assessment",
    "Refer to children's social care the same day: by phone, then the written referral within "
    "24–48 hours",
    "Tell your named or designated safeguarding professional",
    "Record what was seen, the explanation given and by whom, who was present, and each decision "
    "with its time",
)


def _months_old(date_of_birth: date, day: date) -> int:
    years, months = age_on(date_of_birth, day)
    return years * 12 + months


def _injuries(facts: CaseFacts, *, attendances: bool) -> list[Dated]:
    """Injury observations and events; with `attendances`, hospital attendances and visits too."""
    kinds = {EventKind.INJURY: "injury"}
    if attendances:
        kinds[EventKind.HOSPITAL_ATTENDANCE] = "hospital attendance"
    items = [
        Dated(o.id, o.at, "injury", agency_of(facts, o.agency))
        for o in facts.observations
        if o.category is ObservationCategory.INJURY
    ]
    if attendances:
        # Counting injuries, the marks of one occasion are one injury, and an occasion already
        # counted as an injury observation is not counted again.
        counted = {item.id for item in items}
        for mark in facts.injury_marks:
            if mark.observation_id not in counted:
                counted.add(mark.observation_id)
                items.append(Dated(mark.id, mark.at, "injury", agency_of(facts, mark.agency)))
    else:
        # Each injury marked on a body map is evidence (issue 20: as injuries do today).
        items += [
            Dated(m.id, m.at, "injury", agency_of(facts, m.agency)) for m in facts.injury_marks
        ]
    items += [Dated(e.id, e.at, kinds[e.kind]) for e in facts.events if e.kind in kinds]
    if attendances:
        # DOMAIN.md: a "visit of kind hospital" counts, whatever the visit's outcome.
        items += [
            Dated(v.id, v.at, "hospital attendance")
            for v in facts.visits
            if v.kind is VisitKind.HOSPITAL
        ]
    return items


def non_mobile_injury(facts: CaseFacts, as_of: date) -> Alert | None:
    """NON_MOBILE_INJURY (critical): "an injury is recorded (observation of category injury, or
    chronology event of kind `injury`) for a child who was non-mobile at that time: under 6 months
    old, or marked non-mobile. Message names the bruising-in-non-mobile-infants protocol: same-day
    paediatric assessment and referral to children's social care"."""
    child = facts.child
    born = child.date_of_birth

    def young(day: date) -> bool:
        # Under 6 months: fewer than 6 whole months on the injury's UK date (6 months exactly is not).
        return born is not None and born <= day and _months_old(born, day) < 6

    def marked(day: date) -> bool:
        # Marked non-mobile on the injury's own date: a baby who became mobile in May was not
        # non-mobile for an injury in June, but was for one in April.
        return non_mobile_on(child.non_mobile, child.non_mobile_from, child.mobile_since, day)

    def non_mobile(day: date) -> bool:
        # The marker counts for any injury in its period, except one dated before the birth; an
        # unborn child (no date of birth, an expected date) cannot be injured, so its records are
        # ignored.
        if born is None:
            return marked(day) and child.expected_date is None
        return born <= day and (marked(day) or young(day))

    # One alert listing every qualifying injury; the message names the latest.
    found = [i for i in up_to(_injuries(facts, attendances=False), as_of) if non_mobile(i.day)]
    if not found:
        return None
    latest = found[-1].day
    if born is not None and young(latest):
        days = (latest - born).days
        old = plural(_months_old(born, latest), "month") if days > 30 else plural(days, "day")
        when = f"when the child was {old} old"
    else:
        when = "for a child marked non-mobile on that date"
    more = (
        f" ({plural(len(found), 'injury', 'injuries')} while non-mobile)" if len(found) > 1 else ""
    )
    message = (
        f"Injury recorded on {format_uk_date(latest)} {when}{more}: follow the "
        "bruising-in-non-mobile-infants protocol — same-day paediatric assessment and referral "
        "to children's social care"
    )
    alert = alert_citing("NON_MOBILE_INJURY", Severity.CRITICAL, message, found)
    return replace(alert, next_steps=NON_MOBILE_NEXT_STEPS)


def repeat_injury(facts: CaseFacts, as_of: date) -> Alert | None:
    """REPEAT_INJURY (warning): "2 or more injuries or hospital attendances (observation of category
    injury; event of kind `injury` or `hospital_attendance`; visit of kind hospital) within any
    365-day window ending on or before `T`"."""
    window = latest_window(up_to(_injuries(facts, attendances=True), as_of), 365, at_least(2))
    if not window:
        return None
    message = (
        f"{len(window)} injuries or hospital attendances within 365 days, {span(window)} "
        f"({tally(window)})"
    )
    return alert_citing("REPEAT_INJURY", Severity.WARNING, message, window)
