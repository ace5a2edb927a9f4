"""The rules on who is around the child: agencies and a lead, concerns, adults, re-referrals."""

from datetime import date, datetime, timedelta
from itertools import chain

from practitioner_app.domain.alerts.facts import (
    Alert,
    CaseFacts,
    HouseholdFact,
    Severity,
    agency_of,
    alert_citing,
    is_agency,
)
from practitioner_app.domain.enums import EventKind
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.times import age_on, as_utc, format_uk_date, start_of_uk_day
from practitioner_app.domain.windows import (
    Dated,
    active,
    at_least,
    in_time_order,
    latest_window,
    names,
    plural,
    span,
    up_to,
)


def multi_agency_no_lead(facts: CaseFacts, as_of: date) -> Alert | None:
    """MULTI_AGENCY_NO_LEAD (warning): "3 or more distinct agencies appear in the child's records in
    the 365 days up to `T`, and no professional involved with the child is lead professional at
    `T`"."""
    # Agencies come from the records only (visits, observations, concerns' sources, events,
    # referrals), not from the professionals list; a lead counts while involved at T. Relatives,
    # neighbours and anonymous callers are sources, not agencies (DOMAIN.md; facts.is_agency).
    if any(p.lead and active(p.from_date, p.to_date, as_of) for p in facts.professionals):
        return None
    # Only the year's records count: the UK days T − 364 to T are the instants from the start of
    # the first to the start of the day after T. Checked first, as most of five years' records are
    # older (and a source's name is read for whether it is an agency only when it counts).
    opens = start_of_uk_day(as_of - timedelta(days=364))
    closes = start_of_uk_day(as_of + timedelta(days=1))

    def in_year(at: datetime) -> bool:
        return opens <= as_utc(at) < closes

    records = chain(
        ((v.id, v.at, v.agency) for v in facts.visits if in_year(v.at)),
        ((o.id, o.at, o.agency) for o in facts.observations if in_year(o.at)),
        ((c.id, c.at, c.source) for c in facts.concerns if in_year(c.at) and is_agency(c.source)),
        (
            (e.id, e.at, e.agency)
            for e in facts.events
            if in_year(e.at) and is_agency(e.agency, e.source_kind)
        ),
        ((r.id, r.at, r.agency) for r in facts.referrals if in_year(r.at)),
    )
    # The latest record from each agency, in time order and then by id (as `up_to` orders them).
    latest: dict[str, tuple[datetime, str]] = {}
    for record_id, at, named in records:
        agency = agency_of(facts, named)
        if agency is None:
            continue
        moment = as_utc(at)
        seen = latest.get(agency)
        if seen is None or (moment, record_id) > seen:
            latest[agency] = (moment, record_id)
    if len(latest) < 3:
        return None
    message = (
        f"{len(latest)} agencies in the child's records in the 365 days to {format_uk_date(as_of)} "
        f"({names(facts.agency_names, latest)}) and no lead professional is recorded"
    )
    # Evidence: the latest record from each agency.
    evidence = in_time_order(Dated(i, at, "record", agency) for agency, (at, i) in latest.items())
    return alert_citing("MULTI_AGENCY_NO_LEAD", Severity.WARNING, message, evidence)


def concern_cluster(facts: CaseFacts, as_of: date) -> Alert | None:
    """CONCERN_CLUSTER (warning): "2 or more concerns from different sources raised within 7 days of
    each other, or 3 or more concerns raised within any 30-day window, ending on or before `T`"."""
    # "Within 7 days of each other": raised at most 7 days apart (an 8-day inclusive window),
    # as a practitioner reads it; a Monday and the next Monday are within a week of each other.
    # A concern without a source is the practitioner's own.
    concerns = up_to(
        (Dated(c.id, c.at, RecordKind.CONCERN, agency_of(facts, c.source)) for c in facts.concerns),
        as_of,
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
    return alert_citing("CONCERN_CLUSTER", Severity.WARNING, "; ".join(parts), evidence)


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
    # Openings: concerns raised, referral records made, and referrals another agency made that
    # the practitioner recorded as chronology events of kind referral. An earlier closed episode
    # is dated by its closure, on a UK date strictly before the opening's: a concern first closed
    # then (from its status history), a referral's closed_at, or a case_closed event.
    # The openings in the 90 days up to T come first: without one there is nothing to say, and
    # most children have none (the UK days T − 89 to T are the instants from the start of the
    # first to the start of the day after T).
    opens = start_of_uk_day(as_of - timedelta(days=89))
    closes = start_of_uk_day(as_of + timedelta(days=1))

    def recent(at: datetime) -> bool:
        return opens <= as_utc(at) < closes

    openings = up_to(
        [
            *(Dated(c.id, c.at, "A concern raised") for c in facts.concerns if recent(c.at)),
            *(Dated(r.id, r.at, "A referral made") for r in facts.referrals if recent(r.at)),
            *(
                Dated(e.id, e.at, "A referral recorded")
                for e in facts.events
                if e.kind is EventKind.REFERRAL and recent(e.at)
            ),
        ],
        as_of,
        90,
    )
    if not openings:
        return None
    episodes = [
        Dated(c.id, closed, RecordKind.CONCERN, agency_of(facts, c.source))
        for c in facts.concerns
        if (closed := c.closed_at()) is not None
    ]
    episodes += [
        Dated(r.id, r.closed_at, RecordKind.REFERRAL, agency_of(facts, r.agency))
        for r in facts.referrals
        if r.closed_at is not None
    ]
    episodes += [
        Dated(e.id, e.at, "case closed", agency_of(facts, e.agency))
        for e in facts.events
        if e.kind is EventKind.CASE_CLOSED
    ]
    episodes = up_to(episodes, as_of)

    def earlier(episode: Dated, opening: Dated) -> bool:
        return episode.day < opening.day and episode.id != opening.id

    new = [o for o in openings if any(earlier(e, o) for e in episodes)]
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
