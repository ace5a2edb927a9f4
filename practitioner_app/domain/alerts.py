"""Safeguarding alerts (DOMAIN.md, "Safeguarding alerts (the rules)"): ten deterministic rules over
the records of one child, computed as of a date T.

Every alert names its rule, its severity, a one-line message with dates and counts, and the records
that caused it. Alerts prompt professional judgement; they never state a verdict and never block.

Decisions where DOMAIN.md leaves room are written as comments beside the code they govern. Common to
every rule:
- Only facts whose UK calendar date is on or before T count (uk_date(at) ≤ T); a status change,
  closure or household/professional link dated after T is ignored as well.
- A household or professional link counts at T when from_date ≤ T (or unknown) and to_date is
  unknown or ≥ T.
- "Within the N days up to T" is the inclusive range [T − (N − 1), T]: a record N − 1 days before T
  counts, one N days before does not.
- "Within any N-day window ending on or before T": qualifying records whose UK dates are at most
  N − 1 days apart. One alert per rule, whose evidence is the most recent qualifying window.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from practitioner_app.domain.chronology import CONTACT_LABEL
from practitioner_app.domain.contacts import schedule
from practitioner_app.domain.enums import (
    ConcernStatus,
    ContactType,
    EventKind,
    ObservationCategory,
    VisitKind,
    VisitOutcome,
)
from practitioner_app.domain.times import age_on, format_uk_date, uk_date
from practitioner_app.domain.windows import (
    Dated,
    active,
    at_least,
    in_time_order,
    latest_window,
    names,
    normalise_agency,
    plural,
    span,
    tally,
    up_to,
)


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


# Higher is worse.
SEVERITY_RANK: dict[Severity, int] = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}

RULES: tuple[str, ...] = (
    "NON_MOBILE_INJURY",
    "REPEAT_INJURY",
    "WAS_NOT_BROUGHT",
    "NOT_SEEN",
    "NOT_SEEN_ALONE",
    "MULTI_AGENCY_NO_LEAD",
    "CONCERN_CLUSTER",
    "NEW_ADULT",
    "START_AGAIN",
    "MANDATED_CONTACT_OVERDUE",
)

# What each rule is called on screen and in print.
RULE_TITLES: dict[str, str] = {
    "NON_MOBILE_INJURY": "Injury to a non-mobile child",
    "REPEAT_INJURY": "Repeated injuries or hospital attendances",
    "WAS_NOT_BROUGHT": "Missed contacts",
    "NOT_SEEN": "Child not seen",
    "NOT_SEEN_ALONE": "Child not seen alone",
    "MULTI_AGENCY_NO_LEAD": "Several agencies, no lead professional",
    "CONCERN_CLUSTER": "Concerns clustering",
    "NEW_ADULT": "New adult in the household",
    "START_AGAIN": "Re-referral after earlier closures",
    "MANDATED_CONTACT_OVERDUE": "Mandated contact overdue",
}

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


# --- the facts the rules read (filled from the vault by the service) ---------------------------


@dataclass(frozen=True)
class ChildFacts:
    id: str
    date_of_birth: date | None
    expected_date: date | None
    non_mobile: bool  # marked non-mobile on the record


@dataclass(frozen=True)
class VisitFact:
    id: str
    at: datetime  # occurred_at, timezone-aware UTC; rules compare UK calendar dates
    kind: VisitKind
    outcome: VisitOutcome
    child_seen: bool | None
    child_seen_alone: bool | None
    contact_type: ContactType | None
    agency: str | None  # normalised (trimmed, case-folded) source agency, or None


@dataclass(frozen=True)
class ObservationFact:
    id: str
    at: datetime
    category: ObservationCategory
    agency: str | None


@dataclass(frozen=True)
class ConcernFact:
    id: str
    at: datetime  # when raised
    source: str | None  # normalised source agency
    statuses: tuple[tuple[datetime, ConcernStatus], ...]  # in time order; first = as raised

    def status_on(self, day: date) -> ConcernStatus | None:
        """The status at the end of a UK day; None before the concern was raised. The first status
        applies from the day it was raised; on a day with several changes the last one holds."""
        if day < uk_date(self.at):
            return None
        status = self.statuses[0][1] if self.statuses else None
        for moment, value in self.statuses:
            if uk_date(moment) <= day:
                status = value
        return status

    def closed_at(self) -> datetime | None:
        """When the concern was first closed, from its status history; None if never."""
        return next((m for m, s in self.statuses if s is ConcernStatus.CLOSED), None)


@dataclass(frozen=True)
class EventFact:
    id: str
    at: datetime
    kind: EventKind
    agency: str | None


@dataclass(frozen=True)
class ReferralFact:
    id: str
    at: datetime
    agency: str | None
    closed_at: datetime | None


@dataclass(frozen=True)
class HouseholdFact:
    id: str
    name: str
    date_of_birth: date | None
    lives_with_child: bool
    from_date: date | None
    to_date: date | None
    checks: str | None


@dataclass(frozen=True)
class ProfessionalFact:
    id: str
    agency: str | None
    lead: bool
    from_date: date | None
    to_date: date | None


@dataclass(frozen=True)
class CaseFacts:
    child: ChildFacts
    own_agency: str | None  # the vault practitioner's agency: used where a record has none
    visits: tuple[VisitFact, ...] = ()
    observations: tuple[ObservationFact, ...] = ()
    concerns: tuple[ConcernFact, ...] = ()
    events: tuple[EventFact, ...] = ()
    referrals: tuple[ReferralFact, ...] = ()
    household: tuple[HouseholdFact, ...] = ()
    professionals: tuple[ProfessionalFact, ...] = ()
    # How each agency is spelled for people (normalised name → "Northshire Police"); agencies
    # compare normalised, but a message should name them as the practitioner wrote them.
    agency_names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Alert:
    rule: str
    severity: Severity
    message: str  # one line, with dd/mm/yyyy dates and counts; prompts judgement, never a verdict
    evidence: tuple[str, ...]  # ids of the records that caused it, in time order
    first_at: date  # UK date of the earliest evidence
    last_at: date  # UK date of the latest evidence
    next_steps: tuple[str, ...] = ()


# --- helpers ------------------------------------------------------------------------------------


def _agency(facts: CaseFacts, agency: str | None) -> str | None:
    """A record without an agency is the practitioner's own (None when that is unknown too)."""
    return normalise_agency(agency) or normalise_agency(facts.own_agency)


def _alert(rule: str, severity: Severity, message: str, items: Sequence[Dated]) -> Alert:
    """An alert citing dated records (in time order)."""
    return Alert(rule, severity, message, tuple(i.id for i in items), items[0].day, items[-1].day)


def _months_old(date_of_birth: date, day: date) -> int:
    years, months = age_on(date_of_birth, day)
    return years * 12 + months


def _injuries(facts: CaseFacts, *, attendances: bool) -> list[Dated]:
    """Injury observations and events; with `attendances`, hospital attendances and visits too."""
    kinds = {EventKind.INJURY: "injury"}
    if attendances:
        kinds[EventKind.HOSPITAL_ATTENDANCE] = "hospital attendance"
    items = [
        Dated(o.id, o.at, "injury", _agency(facts, o.agency))
        for o in facts.observations
        if o.category is ObservationCategory.INJURY
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


def _completed(facts: CaseFacts, as_of: date) -> list[VisitFact]:
    """Completed visits on or before T, in time order."""
    visits = (v for v in facts.visits if v.outcome is VisitOutcome.COMPLETED)
    return sorted((v for v in visits if uk_date(v.at) <= as_of), key=lambda v: (v.at, v.id))


# --- the rules ----------------------------------------------------------------------------------


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

    def non_mobile(day: date) -> bool:
        # The marker counts for any injury, except one dated before the birth; an unborn child (no
        # date of birth, an expected date) cannot be injured, so its records are ignored.
        if born is None:
            return child.non_mobile and child.expected_date is None
        return born <= day and (child.non_mobile or young(day))

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
        when = "for a child marked non-mobile"
    more = (
        f" ({plural(len(found), 'injury', 'injuries')} while non-mobile)" if len(found) > 1 else ""
    )
    message = (
        f"Injury recorded on {format_uk_date(latest)} {when}{more}: follow the "
        "bruising-in-non-mobile-infants protocol — same-day paediatric assessment and referral "
        "to children's social care"
    )
    alert = _alert("NON_MOBILE_INJURY", Severity.CRITICAL, message, found)
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
    return _alert("REPEAT_INJURY", Severity.WARNING, message, window)


def was_not_brought(facts: CaseFacts, as_of: date) -> Alert | None:
    """WAS_NOT_BROUGHT (warning): "2 or more visits with outcome no access, was not brought or
    cancelled by family (or events of kind `no_access` / `was_not_brought`) within any 90-day
    window ending on or before `T`"."""
    outcomes = {
        VisitOutcome.NO_ACCESS: "no access",
        VisitOutcome.WAS_NOT_BROUGHT: "was not brought",
        VisitOutcome.CANCELLED_BY_FAMILY: "cancelled by the family",
    }
    kinds = {EventKind.NO_ACCESS: "no access", EventKind.WAS_NOT_BROUGHT: "was not brought"}
    items = [Dated(v.id, v.at, outcomes[v.outcome]) for v in facts.visits if v.outcome in outcomes]
    items += [Dated(e.id, e.at, kinds[e.kind]) for e in facts.events if e.kind in kinds]
    window = latest_window(up_to(items, as_of), 90, at_least(2))
    if not window:
        return None
    message = f"{len(window)} missed contacts within 90 days, {span(window)} ({tally(window)})"
    return _alert("WAS_NOT_BROUGHT", Severity.WARNING, message, window)


def not_seen(facts: CaseFacts, as_of: date) -> Alert | None:
    """NOT_SEEN (warning): "the last 2 visits with outcome completed both have child seen =
    false"."""
    # "Child seen = false" means recorded as not seen: unknown (None) is not false.
    last_two = _completed(facts, as_of)[-2:]
    if len(last_two) < 2 or any(v.child_seen is not False for v in last_two):
        return None
    items = [Dated(v.id, v.at, "visit") for v in last_two]
    message = (
        "The child was recorded as not seen at the last 2 completed visits "
        f"({format_uk_date(items[0].day)} and {format_uk_date(items[1].day)})"
    )
    return _alert("NOT_SEEN", Severity.WARNING, message, items)


def not_seen_alone(facts: CaseFacts, as_of: date) -> Alert | None:
    """NOT_SEEN_ALONE (warning): "the child is 3 or older at `T`, has a concern that is open or
    monitoring at `T`, and no completed visit in the 90 days up to `T` has child seen alone =
    true"."""
    born = facts.child.date_of_birth
    if born is None or age_on(born, as_of)[0] < 3:  # 3 or older: from the 3rd birthday
        return None
    live = (ConcernStatus.OPEN, ConcernStatus.MONITORING)
    open_now = [Dated(c.id, c.at, "concern") for c in facts.concerns if c.status_on(as_of) in live]
    concerns = up_to(open_now, as_of)
    if not concerns:
        return None
    alone = [Dated(v.id, v.at, "visit") for v in _completed(facts, as_of) if v.child_seen_alone]
    if up_to(alone, as_of, 90):
        return None
    last = f"last on {format_uk_date(alone[-1].day)}" if alone else "never recorded"
    message = (
        f"{plural(len(concerns), 'open or monitored concern')} and the child (aged "
        f"{age_on(born, as_of)[0]}) has not been seen alone at a completed visit in the 90 days to "
        f"{format_uk_date(as_of)} (seen alone: {last})"
    )
    # Evidence: the open concerns only.
    return _alert("NOT_SEEN_ALONE", Severity.WARNING, message, concerns)


def multi_agency_no_lead(facts: CaseFacts, as_of: date) -> Alert | None:
    """MULTI_AGENCY_NO_LEAD (warning): "3 or more distinct agencies appear in the child's records in
    the 365 days up to `T`, and no professional involved with the child is lead professional at
    `T`"."""
    # Agencies come from the records only (visits, observations, concerns' sources, events,
    # referrals), not from the professionals list; a lead counts while involved at T.
    if any(p.lead and active(p.from_date, p.to_date, as_of) for p in facts.professionals):
        return None
    records: list[tuple[str, datetime, str | None]] = [
        *((v.id, v.at, v.agency) for v in facts.visits),
        *((o.id, o.at, o.agency) for o in facts.observations),
        *((c.id, c.at, c.source) for c in facts.concerns),
        *((e.id, e.at, e.agency) for e in facts.events),
        *((r.id, r.at, r.agency) for r in facts.referrals),
    ]
    items = up_to((Dated(i, at, "record", _agency(facts, a)) for i, at, a in records), as_of, 365)
    latest = {i.agency: i for i in items if i.agency is not None}  # time order: the latest wins
    if len(latest) < 3:
        return None
    message = (
        f"{len(latest)} agencies in the child's records in the 365 days to {format_uk_date(as_of)} "
        f"({names(facts.agency_names, latest)}) and no lead professional is recorded"
    )
    # Evidence: the latest record from each agency.
    return _alert("MULTI_AGENCY_NO_LEAD", Severity.WARNING, message, in_time_order(latest.values()))


def concern_cluster(facts: CaseFacts, as_of: date) -> Alert | None:
    """CONCERN_CLUSTER (warning): "2 or more concerns from different sources raised within 7 days of
    each other, or 3 or more concerns raised within any 30-day window, ending on or before `T`"."""
    # "Within 7 days of each other": raised at most 7 days apart (an 8-day inclusive window),
    # as a practitioner reads it; a Monday and the next Monday are within a week of each other.
    # A concern without a source is the practitioner's own.
    concerns = up_to(
        (Dated(c.id, c.at, "concern", _agency(facts, c.source)) for c in facts.concerns), as_of
    )
    sources = latest_window(concerns, 8, lambda w: len({i.agency for i in w}) >= 2)
    many = latest_window(concerns, 30, at_least(3))
    parts = []
    if many:
        parts.append(f"{len(many)} concerns raised within 30 days, {span(many)}")
    if sources:
        parts.append(
            f"{len(sources)} concerns from {len({i.agency for i in sources})} different sources "
            f"({names(facts.agency_names, (i.agency for i in sources))}) raised within 7 days, {span(sources)}"
        )
    if not parts:
        return None
    # Evidence: both windows' concerns, once each.
    evidence = in_time_order({i.id: i for i in [*many, *sources]}.values())
    return _alert("CONCERN_CLUSTER", Severity.WARNING, "; ".join(parts), evidence)


def new_adult(facts: CaseFacts, as_of: date) -> Alert | None:
    """NEW_ADULT (warning): "an adult (18+, or age unknown) started living with the child within the
    90 days up to `T` and no checks are recorded for them"."""
    start = as_of - timedelta(days=89)

    def counts(m: HouseholdFact) -> bool:
        # Moved in within [T − 89, T] (no from_date: not known to have started then), still living
        # with the child at T, 18 or older on the day they moved in (from the 18th birthday) or of
        # unknown age, and checks missing or blank.
        if not m.lives_with_child or m.from_date is None or not start <= m.from_date <= as_of:
            return False
        adult = m.date_of_birth is None or age_on(m.date_of_birth, m.from_date)[0] >= 18
        return adult and active(m.from_date, m.to_date, as_of) and not (m.checks or "").strip()

    found = sorted((m for m in facts.household if counts(m)), key=lambda m: (m.from_date, m.id))
    if not found:
        return None
    moved = [(m, m.from_date or as_of) for m in found]

    def who(m: HouseholdFact) -> str:
        return (m.name.strip() or "An adult") + (
            " (age unknown)" if m.date_of_birth is None else ""
        )

    if len(found) == 1:
        message = (
            f"{who(found[0])} started living with the child on {format_uk_date(moved[0][1])}; "
            "no checks are recorded"
        )
    else:
        people = ", ".join(f"{who(m)} from {format_uk_date(day)}" for m, day in moved)
        message = (
            f"{len(found)} adults started living with the child in the 90 days to "
            f"{format_uk_date(as_of)} ({people}); no checks are recorded for them"
        )
    ids = tuple(m.id for m in found)
    return Alert("NEW_ADULT", Severity.WARNING, message, ids, moved[0][1], moved[-1][1])


def start_again(facts: CaseFacts, as_of: date) -> Alert | None:
    """START_AGAIN (info): "a concern or referral opened within the 90 days up to `T` for a child who
    already had a closed concern, closed referral or an event of kind `case_closed` before it.
    Message states how many earlier closed episodes there were, and from which agencies"."""
    # Openings: concerns raised and referral records made (not events of kind referral). An earlier
    # closed episode is dated by its closure, on a UK date strictly before the opening's: a concern
    # first closed then (from its status history), a referral's closed_at, or a case_closed event.
    episodes = [
        Dated(c.id, closed, "concern", _agency(facts, c.source))
        for c in facts.concerns
        if (closed := c.closed_at()) is not None
    ]
    episodes += [
        Dated(r.id, r.closed_at, "referral", _agency(facts, r.agency))
        for r in facts.referrals
        if r.closed_at is not None
    ]
    episodes += [
        Dated(e.id, e.at, "case closed", _agency(facts, e.agency))
        for e in facts.events
        if e.kind is EventKind.CASE_CLOSED
    ]
    episodes = up_to(episodes, as_of)
    openings = [
        *(Dated(c.id, c.at, "A concern raised") for c in facts.concerns),
        *(Dated(r.id, r.at, "A referral made") for r in facts.referrals),
    ]

    def earlier(episode: Dated, opening: Dated) -> bool:
        return episode.day < opening.day and episode.id != opening.id

    new = [o for o in up_to(openings, as_of, 90) if any(earlier(e, o) for e in episodes)]
    if not new:
        return None
    before = [e for e in episodes if any(earlier(e, o) for o in new)]
    if len(new) == 1:
        opened = f"{new[0].label} on {format_uk_date(new[0].day)} follows"
    else:
        opened = f"{len(new)} concerns or referrals opened in the 90 days to {format_uk_date(as_of)} follow"
    message = (
        f"{opened} {plural(len(before), 'earlier closed episode')} "
        f"(agencies: {names(facts.agency_names, (e.agency for e in before))})"
    )
    # Evidence: the new openings, then the earlier episodes (each record once).
    new_ids = {o.id for o in new}
    evidence = [*new, *(e for e in before if e.id not in new_ids)]
    days = [i.day for i in evidence]
    ids = tuple(i.id for i in evidence)
    return Alert("START_AGAIN", Severity.INFO, message, ids, min(days), max(days))


def mandated_contact_overdue(facts: CaseFacts, as_of: date) -> Alert | None:
    """MANDATED_CONTACT_OVERDUE (info): "the child is under 3 and a health-visiting mandated contact
    whose window has passed has no completed visit of that contact type (new birth by 28 days, 6–8
    week by 10 weeks, 9–12 month by 13 months, 2–2½ year by 31 months)"."""
    # The windows are contacts.schedule's: its due_by is each deadline above. (next_contact names
    # only the one contact to offer next, hiding superseded ones, so it cannot list every missed
    # contact.) A window has passed when T is after due_by. Only the four contacts after birth: an
    # unborn child is not "under 3", and the antenatal contact is not in the rule. A visit made
    # late, but on or before T, counts as made.
    born = facts.child.date_of_birth
    if born is None or as_of < born or age_on(born, as_of)[0] >= 3:
        return None
    done = {v.contact_type for v in _completed(facts, as_of)}
    missed = [
        c
        for c in schedule(born, facts.child.expected_date)
        if c.contact is not ContactType.ANTENATAL and as_of > c.due_by and c.contact not in done
    ]
    if not missed:
        return None
    listed = ", ".join(
        f"{CONTACT_LABEL[c.contact]} (due by {format_uk_date(c.due_by)})" for c in missed
    )
    message = f"Mandated contact{'s' if len(missed) > 1 else ''} overdue: {listed}"
    # Evidence is empty: the alert is about records that are missing; the dates are the deadlines.
    return Alert(
        "MANDATED_CONTACT_OVERDUE", Severity.INFO, message, (), missed[0].due_by, missed[-1].due_by
    )


_RULE_FUNCTIONS: tuple[Callable[[CaseFacts, date], Alert | None], ...] = (
    non_mobile_injury,
    repeat_injury,
    was_not_brought,
    not_seen,
    not_seen_alone,
    multi_agency_no_lead,
    concern_cluster,
    new_adult,
    start_again,
    mandated_contact_overdue,
)


def alerts(facts: CaseFacts, as_of: date) -> list[Alert]:
    """All alerts for the child as of T, worst severity first, then rule order."""
    found = [alert for rule in _RULE_FUNCTIONS if (alert := rule(facts, as_of)) is not None]
    return sorted(found, key=lambda a: (-SEVERITY_RANK[a.severity], RULES.index(a.rule)))
