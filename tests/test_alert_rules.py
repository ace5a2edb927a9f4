"""The ten safeguarding alert rules (DOMAIN.md, "Safeguarding alerts (the rules)") as pure functions:
each fires when it must, and not at the near misses (window edges, ages, records after T)."""

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from practitioner_app.domain.alerts import (
    RULES,
    SEVERITY_RANK,
    Alert,
    CaseFacts,
    ChildFacts,
    ConcernFact,
    EventFact,
    HouseholdFact,
    ObservationFact,
    ProfessionalFact,
    ReferralFact,
    Severity,
    VisitFact,
    alerts,
)
from practitioner_app.domain.enums import (
    ConcernStatus,
    ContactType,
    EventKind,
    ObservationCategory,
    SourceKind,
    VisitKind,
    VisitOutcome,
)
from practitioner_app.domain.times import UK, format_uk_date, uk_date
from practitioner_app.domain.windows import Dated, at_least, latest_window, up_to

T = date(2026, 6, 15)  # the as-of date of every test unless it says otherwise
OWN = "northshire health visiting"


# --- builders -----------------------------------------------------------------------------------


def ago(days: int) -> date:
    """The UK date `days` days before T."""
    return T - timedelta(days=days)


def at(day: date, hour: int = 12) -> datetime:
    """Noon UTC on a day: the same UK calendar date in summer and winter."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


def child(
    dob: date | None = date(2020, 1, 1), *, expected: date | None = None, non_mobile: bool = False
) -> ChildFacts:
    return ChildFacts("child", dob, expected, non_mobile)


def visit(
    id: str,
    day: date,
    *,
    kind: VisitKind = VisitKind.HOME,
    outcome: VisitOutcome = VisitOutcome.COMPLETED,
    seen: bool | None = True,
    alone: bool | None = None,
    contact: ContactType | None = None,
    agency: str | None = None,
) -> VisitFact:
    return VisitFact(id, at(day), kind, outcome, seen, alone, contact, agency)


def injury(id: str, day: date, agency: str | None = None) -> ObservationFact:
    return ObservationFact(id, at(day), ObservationCategory.INJURY, agency)


def event(id: str, day: date, kind: EventKind, agency: str | None = None) -> EventFact:
    return EventFact(id, at(day), kind, agency)


def concern(
    id: str,
    day: date,
    source: str | None = None,
    *changes: tuple[date, ConcernStatus],
) -> ConcernFact:
    history = ((at(day), ConcernStatus.OPEN), *((at(d), s) for d, s in changes))
    return ConcernFact(id, at(day), source, history)


def referral(
    id: str, day: date, agency: str | None = None, closed: date | None = None
) -> ReferralFact:
    return ReferralFact(id, at(day), agency, at(closed) if closed else None)


def adult(
    id: str,
    name: str,
    moved_in: date | None,
    *,
    dob: date | None = date(1990, 5, 1),
    left: date | None = None,
    lives: bool = True,
    checks: str | None = None,
) -> HouseholdFact:
    return HouseholdFact(id, name, dob, lives, moved_in, left, checks)


def lead(
    id: str = "p1",
    *,
    is_lead: bool = True,
    start: date | None = None,
    end: date | None = None,
) -> ProfessionalFact:
    return ProfessionalFact(id, "children's social care", is_lead, start, end)


def case(
    who: ChildFacts | None = None,
    *,
    own_agency: str | None = OWN,
    visits: tuple[VisitFact, ...] = (),
    observations: tuple[ObservationFact, ...] = (),
    concerns: tuple[ConcernFact, ...] = (),
    events: tuple[EventFact, ...] = (),
    referrals: tuple[ReferralFact, ...] = (),
    household: tuple[HouseholdFact, ...] = (),
    professionals: tuple[ProfessionalFact, ...] = (),
) -> CaseFacts:
    return CaseFacts(
        who or child(),
        own_agency,
        visits,
        observations,
        concerns,
        events,
        referrals,
        household,
        professionals,
    )


def fired(facts: CaseFacts, rule: str, as_of: date = T) -> Alert | None:
    """The alert of one rule, or None; at most one alert per rule."""
    found = [a for a in alerts(facts, as_of) if a.rule == rule]
    assert len(found) <= 1
    return found[0] if found else None


def must_fire(facts: CaseFacts, rule: str, as_of: date = T) -> Alert:
    alert = fired(facts, rule, as_of)
    assert alert is not None, f"{rule} did not fire"
    return alert


# --- the whole set ------------------------------------------------------------------------------


def test_rules_are_the_eleven_of_domain_md_in_order() -> None:
    assert RULES == (
        "NON_MOBILE_INJURY",
        "REPEAT_INJURY",
        "WAS_NOT_BROUGHT",
        "NOT_SEEN",
        "NOT_SEEN_ALONE",
        "MULTI_AGENCY_NO_LEAD",
        "CONCERN_CLUSTER",
        "NEW_ADULT",
        "START_AGAIN",
        "FALTERING_GROWTH",
        "MANDATED_CONTACT_OVERDUE",
    )
    assert SEVERITY_RANK[Severity.CRITICAL] > SEVERITY_RANK[Severity.WARNING]
    assert SEVERITY_RANK[Severity.WARNING] > SEVERITY_RANK[Severity.INFO]


def test_an_empty_case_has_no_alerts() -> None:
    assert alerts(CaseFacts(ChildFacts("c", None, None, False), None), T) == []
    assert alerts(case(), T) == []


def test_alerts_come_critical_then_warning_then_info_in_rule_order() -> None:
    baby = child(ago(100))  # about 3 months old: non-mobile, and the new birth visit is overdue
    facts = case(
        baby,
        observations=(injury("o1", ago(5)),),
        events=(event("e1", ago(20), EventKind.HOSPITAL_ATTENDANCE),),
        visits=(
            visit("v1", ago(40), seen=False, contact=ContactType.SIX_EIGHT_WEEK),
            visit("v2", ago(30), seen=False),
        ),
    )
    found = alerts(facts, T)
    assert [a.rule for a in found] == [
        "NON_MOBILE_INJURY",
        "REPEAT_INJURY",
        "NOT_SEEN",
        "MANDATED_CONTACT_OVERDUE",
    ]
    assert [a.severity for a in found] == [
        Severity.CRITICAL,
        Severity.WARNING,
        Severity.WARNING,
        Severity.INFO,
    ]


def test_uk_dates_decide_the_edge_of_t_in_summer_time() -> None:
    baby = child(ago(60))
    # 23:30 UTC on T is 00:30 on the next UK day: after T. 23:30 UTC the day before is T itself.
    late = ObservationFact("late", at(T, 23).replace(minute=30), ObservationCategory.INJURY, None)
    assert fired(case(baby, observations=(late,)), "NON_MOBILE_INJURY") is None
    early = ObservationFact(
        "early", at(ago(1), 23).replace(minute=30), ObservationCategory.INJURY, None
    )
    alert = must_fire(case(baby, observations=(early,)), "NON_MOBILE_INJURY")
    assert alert.first_at == alert.last_at == T


# --- NON_MOBILE_INJURY --------------------------------------------------------------------------


class TestNonMobileInjury:
    def test_an_injury_to_a_young_baby_fires_critical_with_the_protocol(self) -> None:
        baby = child(date(2026, 3, 10))
        alert = must_fire(case(baby, observations=(injury("o1", date(2026, 6, 1)),)), RULES[0])
        assert alert.severity is Severity.CRITICAL
        assert alert.evidence == ("o1",)
        assert alert.first_at == alert.last_at == date(2026, 6, 1)
        assert "01/06/2026" in alert.message
        assert "2 months old" in alert.message
        assert "bruising-in-non-mobile-infants protocol" in alert.message
        assert "same-day paediatric assessment" in alert.message
        assert "children's social care" in alert.message
        assert alert.next_steps[0] == "Arrange a same-day paediatric assessment"
        assert any("children's social care the same day" in step for step in alert.next_steps)

    def test_one_alert_lists_every_injury_and_names_the_latest(self) -> None:
        baby = child(ago(120))
        facts = case(
            baby,
            observations=(injury("o1", ago(30)),),
            events=(event("e1", ago(10), EventKind.INJURY),),
        )
        alert = must_fire(facts, "NON_MOBILE_INJURY")
        assert alert.evidence == ("o1", "e1")
        assert format_uk_date(ago(10)) in alert.message
        assert "2 injuries while non-mobile" in alert.message
        assert (alert.first_at, alert.last_at) == (ago(30), ago(10))

    @pytest.mark.parametrize(
        ("day", "fires"),
        [(date(2026, 7, 14), True), (date(2026, 7, 15), False)],
        ids=["day-before-6-months", "exactly-6-months"],
    )
    def test_under_six_months_is_strict(self, day: date, fires: bool) -> None:
        baby = child(date(2026, 1, 15))
        facts = case(baby, observations=(injury("o1", day),))
        assert (fired(facts, "NON_MOBILE_INJURY", date(2026, 8, 1)) is not None) is fires

    def test_an_older_child_marked_non_mobile_fires(self) -> None:
        facts = case(child(date(2022, 1, 1), non_mobile=True), observations=(injury("o1", ago(3)),))
        alert = must_fire(facts, "NON_MOBILE_INJURY")
        assert "marked non-mobile" in alert.message

    def test_an_older_mobile_child_does_not(self) -> None:
        assert fired(case(observations=(injury("o1", ago(3)),)), "NON_MOBILE_INJURY") is None

    def test_an_unborn_child_cannot_be_injured(self) -> None:
        unborn = child(None, expected=T + timedelta(days=30), non_mobile=True)
        facts = case(unborn, observations=(injury("o1", ago(3)),))
        assert fired(facts, "NON_MOBILE_INJURY") is None

    def test_an_injury_dated_before_the_birth_is_ignored_even_when_marked(self) -> None:
        baby = child(ago(20), non_mobile=True)
        assert fired(case(baby, observations=(injury("o1", ago(21)),)), RULES[0]) is None
        assert fired(case(baby, observations=(injury("o1", ago(20)),)), RULES[0]) is not None

    def test_an_injury_after_t_is_not_yet_known(self) -> None:
        facts = case(child(ago(60)), observations=(injury("o1", T + timedelta(days=1)),))
        assert fired(facts, "NON_MOBILE_INJURY") is None
        assert fired(facts, "NON_MOBILE_INJURY", T + timedelta(days=1)) is not None

    def test_hospital_attendance_and_other_observations_are_not_injuries(self) -> None:
        facts = case(
            child(ago(60)),
            events=(event("e1", ago(3), EventKind.HOSPITAL_ATTENDANCE),),
            observations=(ObservationFact("o1", at(ago(2)), ObservationCategory.GROWTH, None),),
            visits=(visit("v1", ago(1), kind=VisitKind.HOSPITAL),),
        )
        assert fired(facts, "NON_MOBILE_INJURY") is None


# --- REPEAT_INJURY ------------------------------------------------------------------------------


class TestRepeatInjury:
    def test_injuries_and_hospital_attendances_count_together(self) -> None:
        facts = case(
            observations=(injury("o1", ago(200)),),
            events=(event("e1", ago(100), EventKind.HOSPITAL_ATTENDANCE),),
            visits=(visit("v1", ago(50), kind=VisitKind.HOSPITAL),),
        )
        alert = must_fire(facts, "REPEAT_INJURY")
        assert alert.severity is Severity.WARNING
        assert alert.evidence == ("o1", "e1", "v1")
        assert alert.message.startswith("3 injuries or hospital attendances within 365 days")
        assert f"{format_uk_date(ago(200))} to {format_uk_date(ago(50))}" in alert.message
        assert "injury: 1" in alert.message
        assert "hospital attendance: 2" in alert.message

    @pytest.mark.parametrize(("apart", "fires"), [(364, True), (365, False)])
    def test_the_window_is_365_days_inclusive(self, apart: int, fires: bool) -> None:
        facts = case(
            observations=(injury("o1", ago(apart + 10)),),
            events=(event("e1", ago(10), EventKind.INJURY),),
        )
        assert (fired(facts, "REPEAT_INJURY") is not None) is fires

    def test_a_window_ending_before_t_still_counts(self) -> None:
        facts = case(observations=(injury("o1", ago(800)), injury("o2", ago(700))))
        alert = must_fire(facts, "REPEAT_INJURY")
        assert alert.evidence == ("o1", "o2")

    def test_the_evidence_is_the_most_recent_window(self) -> None:
        facts = case(
            observations=(
                injury("o1", ago(800)),
                injury("o2", ago(700)),
                injury("o3", ago(400)),
                injury("o4", ago(300)),
                injury("o5", ago(10)),
            )
        )
        # The window ending at o5 runs from T−374: it holds o4 and o5, not o3.
        assert must_fire(facts, "REPEAT_INJURY").evidence == ("o4", "o5")

    def test_records_after_t_do_not_count(self) -> None:
        facts = case(observations=(injury("o1", ago(10)), injury("o2", T + timedelta(days=1))))
        assert fired(facts, "REPEAT_INJURY") is None

    def test_one_injury_is_not_repeated(self) -> None:
        assert fired(case(observations=(injury("o1", ago(10)),)), "REPEAT_INJURY") is None


# --- WAS_NOT_BROUGHT ----------------------------------------------------------------------------


class TestWasNotBrought:
    def test_missed_visits_and_events_count_together(self) -> None:
        facts = case(
            visits=(
                visit("v1", ago(60), outcome=VisitOutcome.WAS_NOT_BROUGHT),
                visit("v2", ago(30), outcome=VisitOutcome.CANCELLED_BY_FAMILY),
            ),
            events=(event("e1", ago(5), EventKind.NO_ACCESS),),
        )
        alert = must_fire(facts, "WAS_NOT_BROUGHT")
        assert alert.severity is Severity.WARNING
        assert alert.evidence == ("v1", "v2", "e1")
        assert alert.message.startswith("3 missed contacts within 90 days")
        assert "was not brought: 1" in alert.message
        assert "cancelled by the family: 1" in alert.message
        assert "no access: 1" in alert.message

    @pytest.mark.parametrize(("apart", "fires"), [(89, True), (90, False)])
    def test_the_window_is_90_days_inclusive(self, apart: int, fires: bool) -> None:
        facts = case(
            visits=(
                visit("v1", ago(apart + 3), outcome=VisitOutcome.NO_ACCESS),
                visit("v2", ago(3), outcome=VisitOutcome.NO_ACCESS),
            )
        )
        assert (fired(facts, "WAS_NOT_BROUGHT") is not None) is fires

    def test_completed_visits_and_service_cancellations_do_not_count(self) -> None:
        facts = case(
            visits=(
                visit("v1", ago(20), outcome=VisitOutcome.WAS_NOT_BROUGHT),
                visit("v2", ago(10), outcome=VisitOutcome.CANCELLED_BY_SERVICE),
                visit("v3", ago(5)),
            ),
            events=(event("e1", ago(3), EventKind.HOSPITAL_ATTENDANCE),),
        )
        assert fired(facts, "WAS_NOT_BROUGHT") is None

    def test_a_miss_after_t_does_not_count(self) -> None:
        facts = case(
            events=(
                event("e1", ago(3), EventKind.WAS_NOT_BROUGHT),
                event("e2", T + timedelta(days=2), EventKind.WAS_NOT_BROUGHT),
            )
        )
        assert fired(facts, "WAS_NOT_BROUGHT") is None
        alert = must_fire(facts, "WAS_NOT_BROUGHT", T + timedelta(days=2))
        assert alert.evidence == ("e1", "e2")


# --- NOT_SEEN -----------------------------------------------------------------------------------


class TestNotSeen:
    def test_the_last_two_completed_visits_not_seeing_the_child_fire(self) -> None:
        facts = case(
            visits=(
                visit("v0", ago(90), seen=True),
                visit("v1", ago(40), seen=False),
                visit("v2", ago(10), seen=False),
            )
        )
        alert = must_fire(facts, "NOT_SEEN")
        assert alert.severity is Severity.WARNING
        assert alert.evidence == ("v1", "v2")
        assert "not seen at the last 2 completed visits" in alert.message
        assert format_uk_date(ago(40)) in alert.message
        assert format_uk_date(ago(10)) in alert.message

    def test_unknown_is_not_false(self) -> None:
        facts = case(visits=(visit("v1", ago(40), seen=None), visit("v2", ago(10), seen=False)))
        assert fired(facts, "NOT_SEEN") is None

    def test_a_later_visit_where_the_child_was_seen_clears_it(self) -> None:
        facts = case(
            visits=(
                visit("v1", ago(40), seen=False),
                visit("v2", ago(10), seen=False),
                visit("v3", ago(2), seen=True),
            )
        )
        assert fired(facts, "NOT_SEEN") is None

    def test_visits_that_were_not_completed_are_passed_over(self) -> None:
        facts = case(
            visits=(
                visit("v1", ago(40), seen=False),
                visit("v2", ago(10), seen=False),
                visit("v3", ago(2), seen=True, outcome=VisitOutcome.NO_ACCESS),
            )
        )
        assert must_fire(facts, "NOT_SEEN").evidence == ("v1", "v2")

    def test_a_visit_after_t_is_not_yet_the_last(self) -> None:
        facts = case(
            visits=(
                visit("v1", ago(40), seen=False),
                visit("v2", ago(10), seen=False),
                visit("v3", T + timedelta(days=1), seen=True),
            )
        )
        assert fired(facts, "NOT_SEEN") is not None
        assert fired(facts, "NOT_SEEN", T + timedelta(days=1)) is None

    def test_one_visit_is_not_two(self) -> None:
        assert fired(case(visits=(visit("v1", ago(10), seen=False),)), "NOT_SEEN") is None


# --- NOT_SEEN_ALONE -----------------------------------------------------------------------------


THIRD_BIRTHDAY_AT_T = date(2023, 6, 15)


class TestNotSeenAlone:
    def test_a_child_of_three_with_an_open_concern_never_seen_alone_fires(self) -> None:
        facts = case(
            child(THIRD_BIRTHDAY_AT_T),
            concerns=(concern("c1", ago(50), "police"),),
            visits=(visit("v1", ago(20), alone=False),),
        )
        alert = must_fire(facts, "NOT_SEEN_ALONE")
        assert alert.severity is Severity.WARNING
        assert alert.evidence == ("c1",)
        assert alert.first_at == alert.last_at == ago(50)
        assert "1 open or monitored concern" in alert.message
        assert "aged 3" in alert.message
        assert "not been seen alone" in alert.message
        assert format_uk_date(T) in alert.message
        assert "never recorded" in alert.message

    def test_a_child_a_day_short_of_three_does_not(self) -> None:
        facts = case(
            child(THIRD_BIRTHDAY_AT_T + timedelta(days=1)), concerns=(concern("c1", ago(50)),)
        )
        assert fired(facts, "NOT_SEEN_ALONE") is None

    @pytest.mark.parametrize(("days", "fires"), [(89, False), (90, True)])
    def test_seen_alone_within_the_90_days_clears_it(self, days: int, fires: bool) -> None:
        facts = case(
            concerns=(concern("c1", ago(200)),),
            visits=(visit("v1", ago(days), alone=True),),
        )
        alert = fired(facts, "NOT_SEEN_ALONE")
        assert (alert is not None) is fires
        if alert is not None:
            assert f"last on {format_uk_date(ago(90))}" in alert.message

    def test_seen_alone_at_a_visit_that_was_not_completed_does_not_count(self) -> None:
        facts = case(
            concerns=(concern("c1", ago(200)),),
            visits=(visit("v1", ago(5), alone=True, outcome=VisitOutcome.NO_ACCESS),),
        )
        assert fired(facts, "NOT_SEEN_ALONE") is not None

    def test_only_open_or_monitoring_concerns_at_t_count(self) -> None:
        closed = concern("c1", ago(100), None, (ago(10), ConcernStatus.CLOSED))
        referred = concern("c2", ago(100), None, (ago(10), ConcernStatus.REFERRED))
        assert fired(case(concerns=(closed, referred)), "NOT_SEEN_ALONE") is None
        monitoring = concern("c3", ago(100), None, (ago(10), ConcernStatus.MONITORING))
        alert = must_fire(case(concerns=(closed, monitoring, referred)), "NOT_SEEN_ALONE")
        assert alert.evidence == ("c3",)

    def test_a_concern_closed_after_t_was_still_open_at_t(self) -> None:
        later = concern("c1", ago(100), None, (T + timedelta(days=1), ConcernStatus.CLOSED))
        assert fired(case(concerns=(later,)), "NOT_SEEN_ALONE") is not None
        assert fired(case(concerns=(later,)), "NOT_SEEN_ALONE", T + timedelta(days=1)) is None

    def test_a_concern_raised_after_t_does_not_count(self) -> None:
        facts = case(concerns=(concern("c1", T + timedelta(days=1)),))
        assert fired(facts, "NOT_SEEN_ALONE") is None

    def test_status_on_follows_the_history(self) -> None:
        c = concern(
            "c1",
            ago(100),
            None,
            (ago(50), ConcernStatus.MONITORING),
            (ago(10), ConcernStatus.CLOSED),
        )
        assert c.status_on(ago(101)) is None
        assert c.status_on(ago(100)) is ConcernStatus.OPEN
        assert c.status_on(ago(50)) is ConcernStatus.MONITORING
        assert c.status_on(ago(11)) is ConcernStatus.MONITORING
        assert c.status_on(T) is ConcernStatus.CLOSED


# --- MULTI_AGENCY_NO_LEAD -----------------------------------------------------------------------


def three_agencies(first: int = 300) -> CaseFacts:
    return case(
        visits=(visit("v1", ago(first)), visit("v2", ago(20))),  # no agency: our own
        events=(event("e1", ago(100), EventKind.POLICE_CONTACT, "police"),),
        concerns=(concern("c1", ago(50), "st mary's primary school"),),
    )


class TestMultiAgencyNoLead:
    def test_three_agencies_without_a_lead_fire(self) -> None:
        alert = must_fire(three_agencies(), "MULTI_AGENCY_NO_LEAD")
        assert alert.severity is Severity.WARNING
        assert alert.evidence == ("e1", "c1", "v2")  # the latest record of each agency
        assert "3 agencies" in alert.message
        assert "365 days to 15/06/2026" in alert.message
        assert OWN in alert.message
        assert "police" in alert.message
        assert "no lead professional" in alert.message

    def test_two_agencies_do_not(self) -> None:
        facts = case(
            visits=(visit("v1", ago(20)),),
            events=(event("e1", ago(100), EventKind.POLICE_CONTACT, "police"),),
        )
        assert fired(facts, "MULTI_AGENCY_NO_LEAD") is None

    @pytest.mark.parametrize(("days", "fires"), [(364, True), (365, False)])
    def test_the_365_days_are_inclusive(self, days: int, fires: bool) -> None:
        facts = case(
            visits=(visit("v1", ago(20)),),
            events=(
                event("e1", ago(days), EventKind.POLICE_CONTACT, "police"),
                event("e2", ago(30), EventKind.SCHOOL_CONTACT, "school"),
            ),
        )
        assert (fired(facts, "MULTI_AGENCY_NO_LEAD") is not None) is fires

    @pytest.mark.parametrize(
        ("uk_time", "fires"),
        [
            (datetime(2025, 6, 16, 0, 0), True),  # the first minute of T − 364
            (datetime(2025, 6, 15, 23, 59), False),  # the last minute of T − 365
            (datetime(2026, 6, 15, 23, 59), True),  # the last minute of T
            (datetime(2026, 6, 16, 0, 0), False),  # the first minute after T
        ],
    )
    def test_the_year_runs_from_midnight_to_midnight_uk_time(
        self, uk_time: datetime, fires: bool
    ) -> None:
        # Records outside the year are set aside by their UTC instants before the rule looks at
        # their UK dates; in summer a UK midnight is 23:00 UTC the day before.
        police = EventFact(
            "e1", uk_time.replace(tzinfo=UK).astimezone(UTC), EventKind.POLICE_CONTACT, "police"
        )
        facts = case(
            visits=(visit("v1", ago(20)),),
            events=(police, event("e2", ago(30), EventKind.SCHOOL_CONTACT, "school")),
        )
        assert (fired(facts, "MULTI_AGENCY_NO_LEAD") is not None) is fires
        # A time without a zone is UK local time, as everywhere (times.as_utc).
        local = [
            replace(e, at=e.at.astimezone(UK).replace(tzinfo=None))
            for e in (police, *facts.events[1:])
        ]
        naive = replace(
            facts,
            visits=tuple(replace(v, at=v.at.replace(tzinfo=None)) for v in facts.visits),
            events=tuple(local),
        )
        assert (fired(naive, "MULTI_AGENCY_NO_LEAD") is not None) is fires

    def test_agency_names_compare_trimmed_and_case_insensitive(self) -> None:
        facts = case(
            own_agency=None,
            events=(
                event("e1", ago(10), EventKind.POLICE_CONTACT, "police"),
                event("e2", ago(20), EventKind.POLICE_CONTACT, " Police "),
                event("e3", ago(30), EventKind.SCHOOL_CONTACT, "school"),
            ),
            visits=(visit("v1", ago(5)),),  # no agency and no own agency: names none
        )
        assert fired(facts, "MULTI_AGENCY_NO_LEAD") is None

    def test_a_lead_professional_involved_at_t_clears_it(self) -> None:
        for professional in (lead(), lead(end=T), lead(start=T)):
            facts = CaseFacts(**{**three_agencies().__dict__, "professionals": (professional,)})
            assert fired(facts, "MULTI_AGENCY_NO_LEAD") is None

    @pytest.mark.parametrize(
        "professional",
        [
            lead(end=ago(1)),
            lead(start=T + timedelta(days=1)),
            lead(is_lead=False),
        ],
        ids=["lead-ended", "lead-not-yet-started", "not-lead"],
    )
    def test_no_lead_involved_at_t_fires(self, professional: ProfessionalFact) -> None:
        facts = CaseFacts(**{**three_agencies().__dict__, "professionals": (professional,)})
        assert fired(facts, "MULTI_AGENCY_NO_LEAD") is not None

    @pytest.mark.parametrize(
        "source",
        ["maternal grandmother", "x (anonymous caller)", "neighbour at no. 4", "mother's friend"],
    )
    def test_relatives_neighbours_and_anonymous_callers_are_not_agencies(self, source: str) -> None:
        """DOMAIN.md: relatives, neighbours and anonymous callers are sources, not agencies
        (issue 17: "Maternal grandmother" and "X (anonymous caller)" counted as agencies)."""
        facts = case(
            visits=(visit("v1", ago(20)),),
            events=(event("e1", ago(100), EventKind.POLICE_CONTACT, "police"),),
            concerns=(concern("c1", ago(50), source),),
        )
        assert fired(facts, "MULTI_AGENCY_NO_LEAD") is None
        school = case(
            visits=(visit("v1", ago(20)),),
            events=(event("e1", ago(100), EventKind.POLICE_CONTACT, "police"),),
            concerns=(concern("c1", ago(50), "brotherton primary school"),),  # "brother" inside
        )
        assert fired(school, "MULTI_AGENCY_NO_LEAD") is not None

    def test_an_events_source_kind_decides_whether_it_is_an_agency(self) -> None:
        def with_kind(kind: SourceKind) -> CaseFacts:
            return case(
                visits=(visit("v1", ago(20)),),
                events=(
                    event("e1", ago(100), EventKind.POLICE_CONTACT, "police"),
                    EventFact("e2", at(ago(40)), EventKind.OTHER, "the smith family", kind),
                ),
            )

        assert fired(with_kind(SourceKind.FAMILY), "MULTI_AGENCY_NO_LEAD") is None
        assert fired(with_kind(SourceKind.OTHER), "MULTI_AGENCY_NO_LEAD") is None
        assert fired(with_kind(SourceKind.VOLUNTARY), "MULTI_AGENCY_NO_LEAD") is not None


# --- CONCERN_CLUSTER ----------------------------------------------------------------------------


class TestConcernCluster:
    def test_two_sources_within_seven_days_fire(self) -> None:
        facts = case(concerns=(concern("c1", ago(17), "police"), concern("c2", ago(10), "school")))
        alert = must_fire(facts, "CONCERN_CLUSTER")
        assert alert.severity is Severity.WARNING
        assert alert.evidence == ("c1", "c2")
        assert "2 concerns from 2 different sources (police, school) raised within 7 days" in (
            alert.message
        )
        assert f"{format_uk_date(ago(17))} to {format_uk_date(ago(10))}" in alert.message

    def test_eight_days_apart_is_outside_the_window(self) -> None:
        facts = case(concerns=(concern("c1", ago(18), "police"), concern("c2", ago(10), "school")))
        assert fired(facts, "CONCERN_CLUSTER") is None

    def test_the_same_source_twice_does_not(self) -> None:
        facts = case(concerns=(concern("c1", ago(11), "police"), concern("c2", ago(10), "police")))
        assert fired(facts, "CONCERN_CLUSTER") is None

    def test_no_source_is_the_practitioners_own(self) -> None:
        same = case(concerns=(concern("c1", ago(11)), concern("c2", ago(10), OWN)))
        assert fired(same, "CONCERN_CLUSTER") is None
        other = case(concerns=(concern("c1", ago(11)), concern("c2", ago(10), "police")))
        assert OWN in must_fire(other, "CONCERN_CLUSTER").message

    @pytest.mark.parametrize(("first", "fires"), [(29, True), (30, False)])
    def test_three_concerns_within_30_days(self, first: int, fires: bool) -> None:
        facts = case(
            concerns=(
                concern("c1", ago(first), "police"),
                concern("c2", ago(15), "police"),
                concern("c3", T, "police"),
            )
        )
        alert = fired(facts, "CONCERN_CLUSTER")
        assert (alert is not None) is fires
        if alert is not None:
            assert alert.evidence == ("c1", "c2", "c3")
            assert "3 concerns raised within 30 days" in alert.message

    def test_a_concern_after_t_does_not_count(self) -> None:
        facts = case(
            concerns=(
                concern("c1", ago(1), "police"),
                concern("c2", T + timedelta(days=1), "school"),
            )
        )
        assert fired(facts, "CONCERN_CLUSTER") is None


# --- NEW_ADULT ----------------------------------------------------------------------------------


class TestNewAdult:
    def test_an_unchecked_adult_moving_in_fires_with_their_name(self) -> None:
        facts = case(household=(adult("h1", "Lee Carter", ago(12)),))
        alert = must_fire(facts, "NEW_ADULT")
        assert alert.severity is Severity.WARNING
        assert alert.evidence == ("h1",)
        assert alert.first_at == alert.last_at == ago(12)
        assert alert.message == (
            f"Lee Carter started living with the child on {format_uk_date(ago(12))}; "
            "no checks are recorded"
        )

    @pytest.mark.parametrize(("days", "fires"), [(89, True), (90, False)])
    def test_the_90_days_are_inclusive(self, days: int, fires: bool) -> None:
        facts = case(household=(adult("h1", "Lee Carter", ago(days)),))
        assert (fired(facts, "NEW_ADULT") is not None) is fires

    @pytest.mark.parametrize("checks", ["DBS and police checks done 01/06/2026", "PNC clear"])
    def test_recorded_checks_clear_it(self, checks: str) -> None:
        facts = case(household=(adult("h1", "Lee Carter", ago(12), checks=checks),))
        assert fired(facts, "NEW_ADULT") is None

    def test_blank_checks_are_no_checks(self) -> None:
        facts = case(household=(adult("h1", "Lee Carter", ago(12), checks="   "),))
        assert fired(facts, "NEW_ADULT") is not None

    @pytest.mark.parametrize(
        ("dob", "fires"),
        [(date(2008, 5, 1), True), (date(2008, 5, 2), False)],
        ids=["18th-birthday-on-moving-in", "a-day-short-of-18"],
    )
    def test_an_adult_is_18_on_the_day_they_moved_in(self, dob: date, fires: bool) -> None:
        facts = case(household=(adult("h1", "Sam Reid", date(2026, 5, 1), dob=dob),))
        assert (fired(facts, "NEW_ADULT") is not None) is fires

    def test_unknown_age_counts_as_adult(self) -> None:
        facts = case(household=(adult("h1", "Jo", ago(5), dob=None),))
        assert "Jo (age unknown) started living" in must_fire(facts, "NEW_ADULT").message

    def test_not_living_with_the_child_or_moved_out_or_not_yet_in(self) -> None:
        for member in (
            adult("h1", "Lee Carter", ago(12), lives=False),
            adult("h1", "Lee Carter", ago(12), left=ago(2)),
            adult("h1", "Lee Carter", T + timedelta(days=1)),
            adult("h1", "Lee Carter", None),
        ):
            assert fired(case(household=(member,)), "NEW_ADULT") is None

    def test_several_adults_in_one_alert(self) -> None:
        facts = case(
            household=(
                adult("h2", "Sam Reid", ago(3)),
                adult("h1", "Lee Carter", ago(40)),
                adult("h3", "Checked", ago(4), checks="done"),
            )
        )
        alert = must_fire(facts, "NEW_ADULT")
        assert alert.evidence == ("h1", "h2")
        assert alert.message.startswith("2 adults started living with the child")
        assert f"Lee Carter from {format_uk_date(ago(40))}" in alert.message
        assert (alert.first_at, alert.last_at) == (ago(40), ago(3))


# --- START_AGAIN --------------------------------------------------------------------------------


class TestStartAgain:
    def test_a_new_concern_after_a_closed_one_fires(self) -> None:
        old = concern("c1", ago(400), "police", (ago(300), ConcernStatus.CLOSED))
        new = concern("c2", ago(10), "school")
        alert = must_fire(case(concerns=(old, new)), "START_AGAIN")
        assert alert.severity is Severity.INFO
        assert alert.evidence == ("c2", "c1")
        assert (alert.first_at, alert.last_at) == (ago(300), ago(10))
        assert alert.message == (
            f"A concern raised on {format_uk_date(ago(10))} follows 1 earlier closed episode "
            "(agencies: police)"
        )

    def test_closed_referrals_and_case_closed_events_are_episodes(self) -> None:
        facts = case(
            referrals=(
                referral("r1", ago(500), "children's social care", closed=ago(450)),
                referral("r2", ago(5)),
            ),
            events=(event("e1", ago(200), EventKind.CASE_CLOSED, "police"),),
        )
        alert = must_fire(facts, "START_AGAIN")
        assert alert.evidence == ("r2", "r1", "e1")
        assert "A referral made on" in alert.message
        assert "2 earlier closed episodes" in alert.message
        assert "(agencies: children's social care, police)" in alert.message

    def test_a_case_closed_event_after_the_new_concern_does_not_fire(self) -> None:
        facts = case(
            concerns=(concern("c1", ago(10)),),
            events=(event("e1", ago(5), EventKind.CASE_CLOSED),),
        )
        assert fired(facts, "START_AGAIN") is None

    def test_closed_on_the_same_day_is_not_before(self) -> None:
        facts = case(
            concerns=(concern("c1", ago(10)),),
            events=(event("e1", ago(10), EventKind.CASE_CLOSED),),
        )
        assert fired(facts, "START_AGAIN") is None

    @pytest.mark.parametrize(("days", "fires"), [(89, True), (90, False)])
    def test_the_new_opening_must_be_in_the_90_days(self, days: int, fires: bool) -> None:
        facts = case(
            concerns=(concern("c1", ago(days)),),
            events=(event("e1", ago(300), EventKind.CASE_CLOSED),),
        )
        assert (fired(facts, "START_AGAIN") is not None) is fires

    def test_an_earlier_concern_still_open_or_a_referral_not_closed_is_no_episode(self) -> None:
        facts = case(
            concerns=(concern("c1", ago(400)), concern("c2", ago(10))),
            referrals=(referral("r1", ago(300)),),
        )
        assert fired(facts, "START_AGAIN") is None

    def test_a_concern_closed_then_reopened_was_a_closed_episode(self) -> None:
        old = concern(
            "c1",
            ago(400),
            None,
            (ago(300), ConcernStatus.CLOSED),
            (ago(20), ConcernStatus.OPEN),
        )
        alert = must_fire(case(concerns=(old, concern("c2", ago(10)))), "START_AGAIN")
        assert alert.evidence == ("c2", "c1")
        assert f"(agencies: {OWN})" in alert.message

    def test_an_opening_after_t_does_not_count(self) -> None:
        facts = case(
            concerns=(concern("c1", T + timedelta(days=1)),),
            events=(event("e1", ago(300), EventKind.CASE_CLOSED),),
        )
        assert fired(facts, "START_AGAIN") is None


# --- MANDATED_CONTACT_OVERDUE -------------------------------------------------------------------


class TestMandatedContactOverdue:
    @pytest.mark.parametrize(("age_days", "fires"), [(29, True), (28, False)])
    def test_new_birth_visit_is_due_by_28_days(self, age_days: int, fires: bool) -> None:
        facts = case(child(ago(age_days)))
        alert = fired(facts, "MANDATED_CONTACT_OVERDUE")
        assert (alert is not None) is fires
        if alert is not None:
            assert alert.severity is Severity.INFO
            assert alert.evidence == ()
            assert alert.first_at == alert.last_at == ago(1)
            assert (
                alert.message
                == f"Mandated contact overdue: new birth visit (due by {format_uk_date(ago(1))})"
            )

    def test_a_completed_visit_of_that_type_clears_it(self) -> None:
        done = visit("v1", ago(15), contact=ContactType.NEW_BIRTH)
        assert fired(case(child(ago(40)), visits=(done,)), "MANDATED_CONTACT_OVERDUE") is None

    def test_a_visit_that_was_not_completed_does_not(self) -> None:
        missed = visit(
            "v1", ago(15), contact=ContactType.NEW_BIRTH, outcome=VisitOutcome.WAS_NOT_BROUGHT
        )
        assert fired(case(child(ago(40)), visits=(missed,)), "MANDATED_CONTACT_OVERDUE")

    def test_a_late_visit_on_or_before_t_counts_but_one_after_t_does_not(self) -> None:
        late = visit("v1", T, contact=ContactType.NEW_BIRTH)
        assert fired(case(child(ago(40)), visits=(late,)), "MANDATED_CONTACT_OVERDUE") is None
        later = visit("v1", T + timedelta(days=1), contact=ContactType.NEW_BIRTH)
        assert fired(case(child(ago(40)), visits=(later,)), "MANDATED_CONTACT_OVERDUE")

    def test_every_missed_contact_is_listed_with_its_deadline(self) -> None:
        born = date(2023, 10, 1)  # 2 years 8 months at T
        facts = case(
            child(born),
            visits=(
                visit("v1", date(2023, 10, 14), contact=ContactType.NEW_BIRTH),
                visit("v2", date(2023, 11, 20), contact=ContactType.SIX_EIGHT_WEEK),
            ),
        )
        alert = must_fire(facts, "MANDATED_CONTACT_OVERDUE")
        # 9–12 month review by 13 months; 2–2½ year review by 31 months.
        assert (alert.first_at, alert.last_at) == (date(2024, 11, 1), date(2026, 5, 1))
        assert alert.message == (
            "Mandated contacts overdue: 9–12 month review (due by 01/11/2024), "
            "2–2½ year review (due by 01/05/2026)"
        )

    def test_six_to_eight_week_review_is_due_by_10_weeks(self) -> None:
        born = ago(70)
        done = (visit("v1", ago(55), contact=ContactType.NEW_BIRTH),)
        assert fired(case(child(born), visits=done), "MANDATED_CONTACT_OVERDUE") is None
        alert = must_fire(case(child(ago(71)), visits=done), "MANDATED_CONTACT_OVERDUE")
        assert "6–8 week review" in alert.message

    def test_a_child_of_three_or_unborn_is_out_of_the_rule(self) -> None:
        assert fired(case(child(THIRD_BIRTHDAY_AT_T)), "MANDATED_CONTACT_OVERDUE") is None
        assert fired(
            case(child(THIRD_BIRTHDAY_AT_T + timedelta(days=1))), "MANDATED_CONTACT_OVERDUE"
        )
        unborn = child(None, expected=ago(10))
        assert fired(case(unborn), "MANDATED_CONTACT_OVERDUE") is None


# --- properties ---------------------------------------------------------------------------------

AGENCIES = st.sampled_from([None, "police", "school", OWN, "children's social care"])
OFFSETS = st.integers(min_value=-60, max_value=500)  # days before T; negative: after T
HOURS = st.integers(min_value=0, max_value=23)


def moment(offset: int, hour: int) -> datetime:
    return at(ago(offset), hour)


@st.composite
def case_facts(draw: st.DrawFn) -> CaseFacts:
    visits = tuple(
        VisitFact(
            f"v{n}",
            moment(draw(OFFSETS), draw(HOURS)),
            draw(st.sampled_from(VisitKind)),
            draw(st.sampled_from(VisitOutcome)),
            draw(st.sampled_from([None, True, False])),
            draw(st.sampled_from([None, True, False])),
            draw(st.sampled_from([None, *ContactType])),
            draw(AGENCIES),
        )
        for n in range(draw(st.integers(0, 6)))
    )
    observations = tuple(
        ObservationFact(
            f"o{n}",
            moment(draw(OFFSETS), draw(HOURS)),
            draw(st.sampled_from([ObservationCategory.INJURY, ObservationCategory.GROWTH])),
            draw(AGENCIES),
        )
        for n in range(draw(st.integers(0, 4)))
    )
    concerns = []
    for n in range(draw(st.integers(0, 5))):
        raised = draw(OFFSETS)
        changes = sorted(draw(st.lists(st.integers(-60, raised), max_size=3)), reverse=True)
        history = [(moment(raised, 12), ConcernStatus.OPEN)]
        history += [(moment(c, 13), draw(st.sampled_from(ConcernStatus))) for c in changes]
        concerns.append(ConcernFact(f"c{n}", moment(raised, 12), draw(AGENCIES), tuple(history)))
    events = tuple(
        EventFact(
            f"e{n}",
            moment(draw(OFFSETS), draw(HOURS)),
            draw(st.sampled_from(EventKind)),
            draw(AGENCIES),
        )
        for n in range(draw(st.integers(0, 6)))
    )
    referrals = []
    for n in range(draw(st.integers(0, 3))):
        made = draw(OFFSETS)
        closed = draw(st.one_of(st.none(), st.integers(-60, made)))
        referrals.append(
            ReferralFact(
                f"r{n}",
                moment(made, 10),
                draw(AGENCIES),
                None if closed is None else moment(closed, 15),
            )
        )
    household = tuple(
        HouseholdFact(
            f"h{n}",
            f"Adult {n}",
            draw(st.one_of(st.none(), st.dates(date(1980, 1, 1), date(2012, 1, 1)))),
            draw(st.booleans()),
            ago(draw(OFFSETS)),
            None,
            draw(st.sampled_from([None, "", "checked"])),
        )
        for n in range(draw(st.integers(0, 3)))
    )
    born = draw(st.one_of(st.none(), st.dates(date(2021, 1, 1), T)))
    return CaseFacts(
        ChildFacts("child", born, None if born else T, draw(st.booleans())),
        draw(st.sampled_from([None, OWN])),
        visits,
        observations,
        tuple(concerns),
        events,
        tuple(referrals),
        household,
        (),
    )


def known_at(facts: CaseFacts, as_of: date) -> CaseFacts:
    """The same case as it stood at T: nothing dated after T."""

    def keep(moment_: datetime) -> bool:
        return uk_date(moment_) <= as_of

    return CaseFacts(
        facts.child,
        facts.own_agency,
        tuple(v for v in facts.visits if keep(v.at)),
        tuple(o for o in facts.observations if keep(o.at)),
        tuple(
            ConcernFact(c.id, c.at, c.source, tuple(s for s in c.statuses if keep(s[0])))
            for c in facts.concerns
            if keep(c.at)
        ),
        tuple(e for e in facts.events if keep(e.at)),
        tuple(
            ReferralFact(
                r.id, r.at, r.agency, r.closed_at if r.closed_at and keep(r.closed_at) else None
            )
            for r in facts.referrals
            if keep(r.at)
        ),
        tuple(h for h in facts.household if h.from_date is None or h.from_date <= as_of),
        facts.professionals,
    )


@settings(max_examples=300, deadline=None)
@given(case_facts())
def test_alerts_as_of_t_never_depend_on_anything_after_t(facts: CaseFacts) -> None:
    found = alerts(facts, T)
    assert found == alerts(known_at(facts, T), T)
    dated = {
        **{v.id: v.at for v in facts.visits},
        **{o.id: o.at for o in facts.observations},
        **{c.id: c.at for c in facts.concerns},
        **{e.id: e.at for e in facts.events},
        **{r.id: r.at for r in facts.referrals},
    }
    for alert in found:
        assert alert.first_at <= alert.last_at <= T
        for record in alert.evidence:
            if record in dated:
                assert uk_date(dated[record]) <= T
    ranks = [(-SEVERITY_RANK[a.severity], RULES.index(a.rule)) for a in found]
    assert ranks == sorted(ranks)
    assert len({a.rule for a in found}) == len(found)


# --- windows ------------------------------------------------------------------------------------


def naive_latest_window(
    items: list[Dated], days: int, qualifies: Callable[[Sequence[Dated]], bool]
) -> list[Dated]:
    """The rule as DOMAIN.md says it, one pass over every item for every end date."""
    for end in sorted({i.day for i in items}, reverse=True):
        inside = [i for i in items if end - timedelta(days=days - 1) <= i.day <= end]
        if qualifies(inside):
            return inside
    return []


class TestLatestWindow:
    @settings(max_examples=300)
    @given(
        st.lists(
            st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31)),
            max_size=40,
        ),
        st.integers(min_value=1, max_value=120),
        st.integers(min_value=1, max_value=6),
    )
    def test_the_same_window_as_the_rule_said_plainly(
        self, moments: list[datetime], days: int, count: int
    ) -> None:
        # Bisected slices (windows.py) against the plain reading, for windows that need a
        # number of records and for windows that need them from different sources.
        items = up_to(
            (
                Dated(f"r{n}", m.replace(tzinfo=UTC), "record", f"agency {n % 3}")
                for n, m in enumerate(moments)
            ),
            date(2026, 12, 31),
        )
        for qualifies in (at_least(count), lambda w: len({i.agency for i in w}) >= count):
            assert latest_window(items, days, qualifies) == naive_latest_window(
                items, days, qualifies
            )

    def test_items_out_of_time_order_are_a_bug(self) -> None:
        later, earlier = Dated("a", at(ago(1)), "record"), Dated("b", at(ago(5)), "record")
        with pytest.raises(ValueError, match="time order"):
            latest_window([later, earlier], 30, at_least(1))


class TestDated:
    def test_times_with_and_without_a_zone_are_put_in_order_as_uk_time(self) -> None:
        # A time without a zone is UK local time (times.as_utc), for every rule alike: Dated
        # holds UTC, so records of both kinds sort together and fall on their UK days.
        summer_evening = Dated("naive", datetime(2026, 6, 14, 23, 30), "record")  # BST
        aware = Dated("aware", datetime(2026, 6, 14, 22, 45, tzinfo=UTC), "record")
        assert summer_evening.at == datetime(2026, 6, 14, 22, 30, tzinfo=UTC)
        assert summer_evening.day == date(2026, 6, 14)
        assert [i.id for i in up_to([aware, summer_evening], T)] == ["naive", "aware"]
        assert latest_window(up_to([aware, summer_evening], T), 1, at_least(2)) != []
