"""The contact rules: whether the child is brought, seen and seen alone, and mandated contacts."""

from datetime import date

from practitioner_app.domain.alerts.facts import Alert, CaseFacts, Severity, VisitFact, alert_citing
from practitioner_app.domain.chronology import CONTACT_LABEL
from practitioner_app.domain.contacts import schedule
from practitioner_app.domain.enums import ConcernStatus, ContactType, EventKind, VisitOutcome
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.times import age_on, format_uk_date, uk_date
from practitioner_app.domain.windows import (
    Dated,
    at_least,
    latest_window,
    plural,
    span,
    tally,
    up_to,
)


def _completed(facts: CaseFacts, as_of: date) -> list[VisitFact]:
    """Completed visits on or before T, in time order."""
    visits = (v for v in facts.visits if v.outcome is VisitOutcome.COMPLETED)
    return sorted((v for v in visits if uk_date(v.at) <= as_of), key=lambda v: (v.at, v.id))


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
    return alert_citing("WAS_NOT_BROUGHT", Severity.WARNING, message, window)


def not_seen(facts: CaseFacts, as_of: date) -> Alert | None:
    """NOT_SEEN (warning): "the last 2 visits with outcome completed both have child seen =
    false"."""
    # "Child seen = false" means recorded as not seen: unknown (None) is not false.
    last_two = _completed(facts, as_of)[-2:]
    if len(last_two) < 2 or any(v.child_seen is not False for v in last_two):
        return None
    items = [Dated(v.id, v.at, RecordKind.VISIT) for v in last_two]
    message = (
        "The child was recorded as not seen at the last 2 completed visits "
        f"({format_uk_date(items[0].day)} and {format_uk_date(items[1].day)})"
    )
    return alert_citing("NOT_SEEN", Severity.WARNING, message, items)


def not_seen_alone(facts: CaseFacts, as_of: date) -> Alert | None:
    """NOT_SEEN_ALONE (warning): "the child is 3 or older at `T`, has a concern that is open or
    monitoring at `T`, and no completed visit in the 90 days up to `T` has child seen alone =
    true"."""
    born = facts.child.date_of_birth
    if born is None or age_on(born, as_of)[0] < 3:  # 3 or older: from the 3rd birthday
        return None
    live = (ConcernStatus.OPEN, ConcernStatus.MONITORING)
    open_now = [
        Dated(c.id, c.at, RecordKind.CONCERN) for c in facts.concerns if c.status_on(as_of) in live
    ]
    concerns = up_to(open_now, as_of)
    if not concerns:
        return None
    alone = [
        Dated(v.id, v.at, RecordKind.VISIT) for v in _completed(facts, as_of) if v.child_seen_alone
    ]
    if up_to(alone, as_of, 90):
        return None
    last = f"last on {format_uk_date(alone[-1].day)}" if alone else "never recorded"
    message = (
        f"{plural(len(concerns), 'open or monitored concern')} and the child (aged "
        f"{age_on(born, as_of)[0]}) has not been seen alone at a completed visit in the 90 days to "
        f"{format_uk_date(as_of)} (seen alone: {last})"
    )
    # Evidence: the open concerns only.
    return alert_citing("NOT_SEEN_ALONE", Severity.WARNING, message, concerns)


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
